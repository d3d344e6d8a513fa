"""``cislog export``: the dataset, or a timeline selection, in formats other tools read."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from cislog.cli.common import (
    CertainOption,
    FromOption,
    OnOption,
    ToOption,
    handles_errors,
    load_data,
)
from cislog.cli.timeline_cmd import (
    BodyFilter,
    CountryFilter,
    DocumentFilter,
    KindFilter,
    OrgFilter,
    PersonFilter,
    RecordFilter,
    SearchFilter,
    TagFilter,
    timeline_filter,
)
from cislog.export import FORMATS


def _format_name(value: str) -> str:
    """The format asked for, in any case, checked against the registry as it is now
    (a format registered after the CLI was built is a choice too)."""
    name = value.lower()
    if name not in FORMATS:
        from cislog.suggest import did_you_mean

        choices = ", ".join(f"'{known}'" for known in FORMATS)
        raise typer.BadParameter(
            f"'{value}' is not one of {choices}{did_you_mean(name, list(FORMATS))}"
        )
    return name


def _complete_format(incomplete: str) -> list[tuple[str, str]]:
    return [(name, f.summary) for name, f in FORMATS.items() if name.startswith(incomplete)]


@handles_errors
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"What to write: {', '.join(FORMATS)}.",
            callback=_format_name,
            autocompletion=_complete_format,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            help="Write here instead of stdout ('-' is stdout; sqlite needs a file). "
            "For csv, a directory (any name not ending in .csv) gets one file per record kind.",
        ),
    ] = None,
    org: OrgFilter = None,
    country: CountryFilter = None,
    body: BodyFilter = None,
    person: PersonFilter = None,
    document: DocumentFilter = None,
    kind: KindFilter = None,
    record: RecordFilter = None,
    tag: TagFilter = None,
    from_: FromOption = None,
    to: ToOption = None,
    on: OnOption = None,
    certain: CertainOption = False,
    search: SearchFilter = None,
) -> None:
    """The dataset, or what the timeline filters keep, in a format other tools read.

    With no filter, every record. With timeline filters (the same as cislog
    timeline's), the events and documents they keep plus every record those
    refer to, so that every reference in the export resolves. Calendar-like
    formats (ics, timelinejs, markdown, and csv to stdout or one file) show the
    timeline entries; json, ndjson, sqlite and a csv directory every record.
    """
    from cislog.export import select
    from cislog.export.files import render, write

    if out is not None and str(out) == "-":  # the usual spelling of stdout
        out = None
    chosen_format = FORMATS[fmt]
    if chosen_format.binary and out is None:
        raise typer.BadParameter(f"{fmt} writes a binary file: give --out FILE", param_hint="--out")
    dataset = load_data(ctx)
    want = timeline_filter(
        dataset,
        org=org,
        country=country,
        body=body,
        person=person,
        document=document,
        kind=kind,
        record=record,
        tag=tag,
        from_=from_,
        to=to,
        on=on,
        certain=certain,
        search=search,
    )
    chosen = select(dataset, want)
    for entry, why in chosen_format.omissions(chosen):
        typer.echo(
            f"cislog: note: {entry['id']} is left out: its date, {entry['date']}, "
            f"{why}, so it has no place in {fmt}",
            err=True,
        )
    if out is None:
        text = render(chosen, fmt)
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(text)
        else:
            # Bytes as they are: ICS and CSV lines end in CRLF on every platform.
            sys.stdout.flush()
            stream.write(text.encode("utf-8"))
            stream.flush()
        return
    written = write(chosen, fmt, out)
    where = written[0] if len(written) == 1 else f"{len(written)} files to {out}"
    typer.echo(f"cislog: wrote {where}", err=True)
