"""``cislog export``: the dataset, or a timeline selection, in formats other tools read."""

import sys
from enum import StrEnum
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


class Format(StrEnum):
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    ics = "ics"
    timelinejs = "timelinejs"
    sqlite = "sqlite"
    markdown = "markdown"


@handles_errors
def export(
    ctx: typer.Context,
    fmt: Annotated[
        Format,
        typer.Option("--format", "-f", help="What to write.", case_sensitive=False),
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
    """The dataset in another format: json, ndjson, csv, ics, timelinejs, sqlite, markdown.

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
    if fmt is Format.sqlite and out is None:
        raise typer.BadParameter(
            "sqlite writes a database file: give --out FILE", param_hint="--out"
        )
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
    if fmt in (Format.ics, Format.timelinejs):
        from cislog.export.ics import fits
        from cislog.export.when import placed

        for entry in chosen.timeline:
            date = chosen.date(entry)
            if not placed(date):
                why = "gives no year"
            elif fmt is Format.ics and not fits(date):
                why = "reaches the last day a calendar can write"
            else:
                continue
            typer.echo(
                f"cislog: note: {entry['id']} is left out: its date, {entry['date']}, "
                f"{why}, so it has no place in {fmt.value}",
                err=True,
            )
    if out is None:
        text = render(chosen, fmt.value)
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(text)
        else:
            # Bytes as they are: ICS and CSV lines end in CRLF on every platform.
            sys.stdout.flush()
            stream.write(text.encode("utf-8"))
            stream.flush()
        return
    written = write(chosen, fmt.value, out)
    where = written[0] if len(written) == 1 else f"{len(written)} files to {out}"
    typer.echo(f"cislog: wrote {where}", err=True)
