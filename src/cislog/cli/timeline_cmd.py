"""``cislog timeline``: what happened when, filtered every way a researcher asks."""

import re
from typing import TYPE_CHECKING, Annotated

import typer

from cislog.cli import complete
from cislog.cli.common import (
    CertainOption,
    FieldsOption,
    FromOption,
    JsonOption,
    OnOption,
    ToOption,
    certain_note,
    check_choices,
    emit,
    fail,
    handles_errors,
    load_data,
    period,
    resolve_all,
)
from cislog.dataset import Dataset

if TYPE_CHECKING:
    from cislog.query import TimelineFilter

Many = list[str] | None
OrgFilter = Annotated[
    Many,
    typer.Option(
        "--org", metavar="ORG", help="Naming this organisation.", autocompletion=complete.orgs
    ),
]
CountryFilter = Annotated[
    Many,
    typer.Option(
        "--country",
        metavar="COUNTRY",
        help="Naming this country.",
        autocompletion=complete.countries,
    ),
]
BodyFilter = Annotated[
    Many,
    typer.Option(
        "--body", metavar="BODY", help="Naming this body.", autocompletion=complete.bodies
    ),
]
PersonFilter = Annotated[
    Many,
    typer.Option(
        "--person", metavar="PERSON", help="Naming this person.", autocompletion=complete.people
    ),
]
DocumentFilter = Annotated[
    Many,
    typer.Option(
        "--document",
        metavar="DOCUMENT",
        help="Naming this document.",
        autocompletion=complete.documents,
    ),
]
KindFilter = Annotated[
    Many,
    typer.Option(
        "--kind",
        metavar="KIND",
        help="Of this kind: any event kind (meeting, accession, speech, ...) or document "
        "kind (agreement, treaty, ...), used in the data or not.",
        autocompletion=complete.timeline_kinds,
    ),
]
RecordFilter = Annotated[
    Many,
    typer.Option(
        "--record",
        metavar="TYPE",
        help="Of this type of record: event or document.",
        autocompletion=complete.timeline_records,
    ),
]
TagFilter = Annotated[
    Many,
    typer.Option("--tag", metavar="TAG", help="With this tag.", autocompletion=complete.tags),
]
SearchFilter = Annotated[
    str | None, typer.Option("--search", metavar="TEXT", help="Holding every word of TEXT.")
]


@handles_errors
def timeline(
    ctx: typer.Context,
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
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, metavar="N", help="At most N entries.")
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", help="Latest first.")] = False,
    chart: Annotated[
        bool,
        typer.Option(
            "--chart",
            help="A bar chart of entries per year instead of the table; with --json, "
            "the counts (year, count, uncertain).",
        ),
    ] = False,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """Events and dated documents in date order, with their sources.

    Sorted by each entry's earliest day (an open start sorts by its end), ties
    broken by id. Filters combine: an entry must pass every option given, and
    repeating an option (--org cis --org cica) accepts any of its values. Names
    match ids, names and aliases whatever the case and diacritics.

    With a date filter, each entry says whether it certainly or only possibly
    falls in the asked dates (see below); possible ones are marked in the table's
    Match column and left out by --certain.

    With --chart, each entry counts once, in the year of its earliest day,
    whatever its precision (1993, 1993-09 and 1993-09-24 all count in 1993; an
    interval in the year it starts; one with no earliest day such as
    [..1993-09-24] in the year of its latest; one whose year no source gives
    in a last row). Entries not placed for sure (dated ?, ~, on or before, with
    an unspecified digit, or only possibly in the asked dates) are counted in
    their year and shown as "(N uncertain)".
    """
    from cislog import query

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
        limit=limit,
        reverse=reverse,
    )
    if chart:
        from cislog.cli.stats_cmd import CHART_KEYS, emit_chart
        from cislog.stats import entries_per_year

        emit_chart(
            entries_per_year(query.iter_timeline(dataset, want), reverse=reverse),
            as_json=as_json,
            fields=fields,
            keys=CHART_KEYS,
            chart="per_year",
            empty="no events match",
        )
        return
    emit(
        lambda: query.iter_timeline(dataset, want),
        as_json=as_json,
        fields=fields,
        keys=query.TIMELINE_KEYS,
        table="timeline",
        empty="no events match",
        notes=certain_note(want.period),
    )


def timeline_filter(
    dataset: Dataset,
    *,
    org: Many = None,
    country: Many = None,
    body: Many = None,
    person: Many = None,
    document: Many = None,
    kind: Many = None,
    record: Many = None,
    tag: Many = None,
    from_: str | None = None,
    to: str | None = None,
    on: str | None = None,
    certain: bool = False,
    search: str | None = None,
    limit: int | None = None,
    reverse: bool = False,
) -> "TimelineFilter":
    """The filter the timeline options ask for, names resolved to ids: shared by every
    command that selects timeline entries (``timeline``, ``export``)."""
    from cislog import query
    from cislog.kinds import TIMELINE_KINDS, TIMELINE_RECORDS

    return query.TimelineFilter(
        orgs=resolve_all(dataset, "org", org),
        countries=resolve_all(dataset, "country", country),
        bodies=resolve_all(dataset, "body", body),
        people=resolve_all(dataset, "person", person),
        documents=resolve_all(dataset, "document", document),
        kinds=check_choices("kind", kind, TIMELINE_KINDS),
        records=check_choices("record type", record, TIMELINE_RECORDS),
        tags=_tags(dataset, tag),
        period=period(from_, to, on, certain),
        search=search,
        limit=limit,
        reverse=reverse,
    )


def _tags(dataset: Dataset, tags: Many) -> tuple[str, ...]:
    """Tags to filter by: any slug the data format accepts. One the data does not use
    finds nothing, and a note says so, with the nearest tag in use."""
    if not tags:
        return ()
    from cislog.kinds import SLUG_PATTERN
    from cislog.query import timeline_tags
    from cislog.suggest import did_you_mean

    for tag in tags:
        if not re.fullmatch(SLUG_PATTERN, tag):
            fail(f"'{tag}' is not a tag: tags are slugs of lower-case letters, digits and hyphens")
    used = timeline_tags(dataset)  # reads every event: only when a tag is asked for
    for tag in tags:
        if tag not in used:
            typer.echo(f"note: no entry has the tag '{tag}'{did_you_mean(tag, used)}", err=True)
    return tuple(tags)
