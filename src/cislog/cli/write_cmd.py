"""``cislog add``, ``edit``, ``remove`` and ``fmt``: changing a dataset safely.

The safety lives in :mod:`cislog.writing`; this module turns options into
field values and reports the outcome.
"""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from cislog import render
from cislog.cli import complete
from cislog.cli.common import DirectoryArgument, ExitCode, data_dir, fail, handles_errors
from cislog.cli.examples import epilog
from cislog.kinds import DEFAULT_FILES, RECORD_KINDS, RecordKind

add_app = typer.Typer(
    name="add",
    help="Add a record, or an entry (signatory, office) to an existing record.",
    epilog=epilog("add"),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Many = list[str] | None
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the change as a diff and write nothing.")
]
SourceOption = Annotated[
    Many,
    typer.Option(
        "--source",
        metavar="SOURCE",
        help="Id of a source stating it (repeatable).",
        autocompletion=complete.sources,
    ),
]


def _report(change: Any, dry_run: bool, done: str) -> None:
    """The diff for a dry run; otherwise the new ids on stdout and a summary on stderr."""
    from cislog.writing import Change

    assert isinstance(change, Change)
    if dry_run:
        diff = change.diff()
        # On a terminal the data's control and bidi characters show as escapes; a
        # diff written to a file or pipe stays exact, for patch and review tools.
        sys.stdout.write(render.visible(diff, lines=True) if sys.stdout.isatty() else diff)
        typer.echo(f"dry run: nothing was written ({render.visible(done)})", err=True)
    else:
        for new_id in change.new_ids:
            typer.echo(new_id)
        files = ", ".join(change.changed_files) or "no file"
        typer.echo(render.visible(f"{done} in {change.directory} ({files})"), err=True)
    # A dry run says everything the real run would: what else changes, and the warnings.
    for also in change.also:
        typer.echo(render.visible(f"{'would have ' if dry_run else ''}also: {also}"), err=True)
    for warning in change.warnings:
        typer.echo(render.visible(f"warning: {warning}"), err=True)


# Options shared by every `add KIND`: each names the field it sets, singular or plural
# as the kind has it (--org sets an event's `orgs`, a body's `org`).
_LIST_OPTIONS = {
    "org": ("orgs", "org"),
    "country": ("countries", "country"),
    "body": ("bodies", "body"),
    "person": ("people",),
    "document": ("documents",),
    "tag": ("tags",),
    "source": ("sources",),
    "alias": ("aliases",),
    "subject": ("subjects",),
}


def _fields_from_options(
    kind: RecordKind, scalars: dict[str, Any], lists: dict[str, Many]
) -> dict[str, Any]:
    from cislog.model import MODELS
    from cislog.writing import parse_assignment

    names = {info.alias or attr for attr, info in MODELS[kind].model_fields.items()}
    record: dict[str, Any] = {k: v for k, v in scalars.items() if v is not None}
    for option, values in lists.items():
        if not values:
            continue
        target = next((name for name in _LIST_OPTIONS[option] if name in names), None)
        if target is None:
            fail(f"a {kind} has no field for --{option}", ExitCode.USAGE)
        if target in ("org", "country", "body"):
            if len(values) > 1:
                fail(f"a {kind} has one {target}: give --{option} once", ExitCode.USAGE)
            record[target] = values[0]
        else:
            record[target] = list(values)
    for assignment in scalars.get("__set__") or ():
        name, value = parse_assignment(kind, assignment)
        if value is not None:
            record[name] = value
    record.pop("__set__", None)
    return record


def _read_json(source: str) -> list[dict[str, Any]]:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as error:
        fail(f"{source}: cannot read: {error.strerror}")
    except UnicodeDecodeError:
        fail(f"{source}: not UTF-8 text")
    name = "standard input" if source == "-" else source
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        fail(f"{name}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}")
    except ValueError:  # Python refuses integers of over 4300 digits
        fail(f"{name}: invalid JSON for a record: a number of thousands of digits")
    except RecursionError:
        fail(f"{name}: invalid JSON for a record: arrays or objects nested too deeply")
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        fail(f"{name}: expected a JSON object, or an array of objects")
    return items


def _make_add(kind: RecordKind) -> Callable[..., None]:
    def add(
        ctx: typer.Context,
        record_id: Annotated[
            str | None,
            typer.Option(
                "--id", metavar="ID", help="The id (default: made from the title and date)."
            ),
        ] = None,
        date: Annotated[
            str | None, typer.Option("--date", metavar="DATE", help="EDTF date.")
        ] = None,
        title: Annotated[str | None, typer.Option("--title", metavar="TEXT")] = None,
        name: Annotated[str | None, typer.Option("--name", metavar="TEXT")] = None,
        text: Annotated[
            str | None, typer.Option("--text", metavar="TEXT", help="A fact's text.")
        ] = None,
        kind_field: Annotated[
            str | None,
            typer.Option(
                "--kind",
                metavar="KIND",
                help="The record's own kind field (meeting, agreement, ...).",
                autocompletion=complete.field_values(kind, "kind"),
            ),
        ] = None,
        summary: Annotated[str | None, typer.Option("--summary", metavar="TEXT")] = None,
        place: Annotated[str | None, typer.Option("--place", metavar="TEXT")] = None,
        note: Annotated[str | None, typer.Option("--note", metavar="TEXT")] = None,
        org: Annotated[
            Many,
            typer.Option(
                "--org",
                metavar="ORG",
                help="Organisation id (repeatable).",
                autocompletion=complete.orgs,
            ),
        ] = None,
        country: Annotated[
            Many,
            typer.Option(
                "--country",
                metavar="COUNTRY",
                help="Country id (repeatable).",
                autocompletion=complete.countries,
            ),
        ] = None,
        body: Annotated[
            Many,
            typer.Option(
                "--body",
                metavar="BODY",
                help="Body id (repeatable).",
                autocompletion=complete.bodies,
            ),
        ] = None,
        person: Annotated[
            Many,
            typer.Option(
                "--person",
                metavar="PERSON",
                help="Person id (repeatable).",
                autocompletion=complete.people,
            ),
        ] = None,
        document: Annotated[
            Many,
            typer.Option(
                "--document",
                metavar="DOCUMENT",
                help="Document id (repeatable).",
                autocompletion=complete.documents,
            ),
        ] = None,
        tag: Annotated[
            Many,
            typer.Option(
                "--tag", metavar="TAG", help="Tag (repeatable).", autocompletion=complete.tags
            ),
        ] = None,
        source: SourceOption = None,
        alias: Annotated[
            Many, typer.Option("--alias", metavar="NAME", help="Another name (repeatable).")
        ] = None,
        subject: Annotated[
            Many,
            typer.Option(
                "--subject",
                metavar="ID",
                help="A fact's subject id (repeatable).",
                autocompletion=complete.subjects,
            ),
        ] = None,
        assignments: Annotated[
            Many, typer.Option("--set", metavar="FIELD=VALUE", help="Any other field (repeatable).")
        ] = None,
        from_json: Annotated[
            str | None,
            typer.Option(
                "--from-json",
                metavar="FILE",
                help="Whole records from a JSON object or array ('-' for stdin).",
            ),
        ] = None,
        file: Annotated[
            str | None, typer.Option("--file", metavar="NAME", help="Data file to append to.")
        ] = None,
        dry_run: DryRunOption = False,
    ) -> None:
        from cislog import writing

        scalars = {
            "id": record_id, "date": date, "title": title, "name": name, "text": text,
            "kind": kind_field, "summary": summary, "place": place, "note": note,
            "__set__": assignments,
        }  # fmt: skip
        lists = {
            "org": org, "country": country, "body": body, "person": person,
            "document": document, "tag": tag, "source": source, "alias": alias,
            "subject": subject,
        }  # fmt: skip
        if from_json is not None:
            if any(v is not None for v in scalars.values()) or any(lists.values()):
                fail("give either --from-json or field options, not both", ExitCode.USAGE)
            records = _read_json(from_json)
        else:
            records = [_fields_from_options(kind, scalars, lists)]
        change = writing.add_records(data_dir(ctx), kind, records, file=file, dry_run=dry_run)
        _report(change, dry_run, f"added {len(records)} {kind}{'s' if len(records) > 1 else ''}")

    add.__doc__ = (
        f"Add {'an' if kind[0] in 'aeiou' else 'a'} {kind}: fields as options, "
        "or whole records with --from-json.\n\n"
        "The record is checked against the whole dataset first: an invalid one is "
        "refused with the messages of 'cislog validate' and nothing is written. "
        "It is appended to its file (default "
        f"{DEFAULT_FILES[kind]}), "
        "leaving every existing byte as it was. The new id is printed."
    )
    add.__name__ = f"add_{kind}"
    return handles_errors(add)


for _kind in RECORD_KINDS:
    add_app.command(name=_kind, epilog=epilog(f"add {_kind}"))(_make_add(_kind))


@add_app.command(name="signatory", epilog=epilog("add signatory"))
@handles_errors
def add_signatory(
    ctx: typer.Context,
    document: Annotated[
        str,
        typer.Argument(
            metavar="DOCUMENT", help="Id of the document.", autocompletion=complete.documents
        ),
    ],
    country: Annotated[
        str,
        typer.Option(
            "--country", metavar="COUNTRY", help="Country id.", autocompletion=complete.countries
        ),
    ],
    status: Annotated[
        str,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="signed, signed_with_special_opinion, signed_with_reservation or not_signed "
            "(only where a source says it did not sign).",
            autocompletion=complete.signatory_statuses,
        ),
    ],
    source: SourceOption = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT")] = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add a country's signature status to a document."""
    from cislog import writing

    item: dict[str, Any] = {"country": country, "status": status, "sources": source or []}
    if note:
        item["note"] = note
    change = writing.add_entry(data_dir(ctx), document, "signatories", item, dry_run=dry_run)
    _report(change, dry_run, f"added {country} as a signatory of {document}")


@add_app.command(name="office", epilog=epilog("add office"))
@handles_errors
def add_office(
    ctx: typer.Context,
    person: Annotated[
        str,
        typer.Argument(metavar="PERSON", help="Id of the person.", autocompletion=complete.people),
    ],
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="The office's title.")],
    from_: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="Start: one EDTF day, such as [..2015-10-16]."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="DATE",
            help="End: one EDTF day, such as [2022-10-14..], or .. if still running.",
        ),
    ] = None,
    renamed_from: Annotated[
        str | None,
        typer.Option(
            "--renamed-from",
            metavar="TITLE",
            help="The title the same post had until this term began with its renaming.",
        ),
    ] = None,
    org: Annotated[
        str | None, typer.Option("--org", metavar="ORG", autocompletion=complete.orgs)
    ] = None,
    body: Annotated[
        str | None, typer.Option("--body", metavar="BODY", autocompletion=complete.bodies)
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", metavar="COUNTRY", autocompletion=complete.countries)
    ] = None,
    source: SourceOption = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT")] = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add an office, with its term, to a person."""
    from cislog import writing

    values = {
        "title": title,
        "renamed_from": renamed_from,
        "org": org,
        "body": body,
        "country": country,
        "from": from_,
        "to": to,
    }
    item: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
    item["sources"] = source or []
    if note:
        item["note"] = note
    change = writing.add_entry(data_dir(ctx), person, "offices", item, dry_run=dry_run)
    _report(change, dry_run, f"added the office '{title}' to {person}")


@handles_errors
def edit(
    ctx: typer.Context,
    record_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="Id of the record.", autocompletion=complete.any_record),
    ],
    assignments: Annotated[
        list[str],
        typer.Option("--set", metavar="FIELD=VALUE", help="A field to change (repeatable)."),
    ],
    dry_run: DryRunOption = False,
) -> None:
    """Change fields of one record and nothing else.

    Lists take a,b,c or a JSON array, dates EDTF strings; FIELD= with nothing
    after it removes the field. Only the lines of the changed values move.
    """
    from cislog import writing

    change = writing.edit_assignments(data_dir(ctx), record_id, assignments, dry_run=dry_run)
    _report(change, dry_run, f"edited {record_id}")


@handles_errors
def remove(
    ctx: typer.Context,
    record_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="Id of the record.", autocompletion=complete.any_record),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Remove it even though other records refer to it.")
    ] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Remove a record; refused, with the list of referrers, when others refer to it."""
    from cislog import writing

    change = writing.remove_record(data_dir(ctx), record_id, force=force, dry_run=dry_run)
    _report(change, dry_run, f"removed {record_id}")


@handles_errors
def fmt(
    ctx: typer.Context,
    directory: DirectoryArgument = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Change nothing; exit 1 naming the files that would change."),
    ] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Lay every data file out in one canonical form, keeping every comment.

    Records are grouped by kind, keys in a fixed order, values quoted and
    spaced one way, one blank line between tables. The data itself never
    changes: a layout that would alter it or drop a comment is refused.
    """
    from cislog import writing

    change = writing.format_files(data_dir(ctx, directory), dry_run=dry_run or check)
    if check:
        for name in change.changed_files:
            typer.echo(str(change.directory / name))
        if change.changed_files:
            typer.echo(
                f"{render.plural(len(change.changed_files), 'file')} would be reformatted "
                "(run 'cislog fmt')",
                err=True,
            )
            raise typer.Exit(ExitCode.PROBLEMS)
        typer.echo("all files are formatted", err=True)
        return
    _report(change, dry_run, f"formatted {render.plural(len(change.changed_files), 'file')}")
