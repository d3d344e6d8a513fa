"""``cislog country`` and ``cislog person``: a country's standing, a person's offices."""

import datetime as dt
from typing import Annotated

import typer

from cislog.cli import complete
from cislog.cli.common import (
    CertainOption,
    FieldsOption,
    JsonOption,
    OnOption,
    certain_note,
    emit,
    fail,
    handles_errors,
    load_data,
    period,
    resolve_all,
)

PERSON_KEYS = ("id", "name", "aliases", "offices", "events", "sources", "note")
HOLDER_KEYS = (*PERSON_KEYS, "held", "match")


@handles_errors
def country(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[COUNTRY]",
            help="Code, name or alias (az, AZE, Azərbaycan); without it, every country.",
            autocompletion=complete.countries,
        ),
    ] = None,
    on: OnOption = None,
    certain: CertainOption = False,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """A country's standing in every organisation on a date (default: today),
    with its documents, events and facts (with --on, those that fall on that date);
    without COUNTRY, every country (as 'cislog countries').

    Standing is the role (founder, member, ...) when a recorded term covers the
    date, certainly or possibly (a start or end no source gives bounds nothing:
    the Match column says "possible", and --certain leaves such standings out);
    "not a member" when every recorded term certainly misses it; "unknown"
    when no membership is recorded.
    """
    from cislog import query
    from cislog.matching import resolve

    if name is None:
        if on is not None or certain:
            raise typer.BadParameter("--on and --certain go with a COUNTRY", param_hint="--on")
        from cislog.cli.list_cmd import countries

        countries(ctx, as_json=as_json, fields=fields)
        return
    dataset = load_data(ctx)
    when = period(None, None, on or dt.date.today().isoformat(), certain)
    # An asked date applies to every part; today's, the default, to the standing alone.
    dated = when if on is not None else query.Period()
    profile = query.country_profile(dataset, resolve(dataset, ("country",), name).id, when, dated)
    emit(
        profile,
        as_json=as_json,
        fields=fields,
        keys=list(profile),
        table="country",
        table_options={"on": on or dt.date.today().isoformat(), "dated": on is not None},
        notes=certain_note(when),
    )


@handles_errors
def person(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]", help="Id, name or alias of a person.", autocompletion=complete.people
        ),
    ] = None,
    office: Annotated[
        str | None,
        typer.Option("--office", metavar="TITLE", help="Who held an office with these words."),
    ] = None,
    org: Annotated[
        list[str] | None,
        typer.Option(
            "--org", metavar="ORG", help="With --office: of this org.", autocompletion=complete.orgs
        ),
    ] = None,
    on: OnOption = None,
    certain: CertainOption = False,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """A person, their offices with terms, and their events; without NAME or
    --office, everyone (as 'cislog people').

    With --office TITLE [--org ORG] --on DATE: who held that office on that
    date (default: today), under that title or another the same post had
    before or after a renaming; the answer gives the title in force then.
    Each holder is certain or possible: a term whose start or end no source
    gives, or whose end is ".." (still running when the undated sources were
    written), bounds nothing on that side, so it is only possibly held beyond
    what the sources date. --certain keeps the certain holders.
    """
    from cislog import query
    from cislog.matching import resolve

    if name is not None and office is not None:
        raise typer.BadParameter("give a NAME or --office TITLE, not both", param_hint="NAME")
    if name is None and office is None:
        if on is not None or org or certain:
            raise typer.BadParameter(
                "--on, --org and --certain go with --office", param_hint="--on"
            )
        from cislog.cli.list_cmd import people

        people(ctx, as_json=as_json, fields=fields)
        return
    dataset = load_data(ctx)
    if name is not None:
        if on is not None or org or certain:
            raise typer.BadParameter(
                "--on, --org and --certain go with --office", param_hint="--on"
            )
        found = dataset.people[resolve(dataset, ("person",), name).id]
        emit(
            query.person_profile(dataset, found),
            as_json=as_json,
            fields=fields,
            keys=PERSON_KEYS,
            table="person",
        )
        return
    assert office is not None
    if not office.strip():
        fail("--office needs the words of a title")
    asked = on or dt.date.today().isoformat()
    when = period(None, None, asked, certain)
    emit(
        query.office_holders(dataset, office, when, resolve_all(dataset, "org", org)),
        as_json=as_json,
        fields=fields,
        keys=HOLDER_KEYS,
        table="holders",
        table_options={"title": f"Holders of '{office}' on {asked}"},
        empty="no holder of that office on that date is recorded",
        notes=certain_note(when),
    )
