"""``cislog country`` and ``cislog person``: a country's standing, a person's offices."""

import datetime as dt
from typing import Annotated

import typer

from cislog.cli import complete
from cislog.cli.common import (
    FieldsOption,
    JsonOption,
    OnOption,
    emit,
    fail,
    handles_errors,
    load_data,
    period,
    resolve_all,
)

PERSON_KEYS = ("id", "name", "aliases", "offices", "events", "sources", "note")


@handles_errors
def country(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="COUNTRY",
            help="Code, name or alias (az, AZE, Azərbaycan).",
            autocompletion=complete.countries,
        ),
    ],
    on: OnOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """A country's standing in every organisation on a date (default: today),
    with its documents and events.

    Standing is the role (founder, member, ...) when a recorded term covers the
    date, "not a member" when every recorded term misses it, and "unknown"
    otherwise: no membership recorded, or a membership whose start no source
    gives.
    """
    from cislog import query
    from cislog.matching import resolve

    dataset = load_data(ctx)
    when = period(None, None, on or dt.date.today().isoformat())
    profile = query.country_profile(dataset, resolve(dataset, ("country",), name).id, when)
    emit(profile, as_json=as_json, fields=fields, keys=list(profile), table="country")


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
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """A person, their offices with terms, and their events.

    With --office TITLE [--org ORG] --on DATE: who held that office on that
    date (default: today). A term whose end is ".." was still running when the
    sources were written; people whose terms the sources do not date well
    enough are named on stderr, not counted as holders.
    """
    from cislog import query
    from cislog.matching import resolve

    if (name is None) == (office is None):
        raise typer.BadParameter("give a NAME or --office TITLE", param_hint="NAME")
    dataset = load_data(ctx)
    if name is not None:
        if on is not None or org:
            raise typer.BadParameter("--on and --org go with --office", param_hint="--on")
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
    when = period(None, None, on or dt.date.today().isoformat())
    found_holders = query.office_holders(dataset, office, when, resolve_all(dataset, "org", org))
    for profile in found_holders.undated:
        typer.echo(
            f"note: {profile['name']} ({profile['id']}) may have held a matching office then; "
            "the sources do not date the term well enough to say",
            err=True,
        )
    emit(
        found_holders.holders,
        as_json=as_json,
        fields=fields,
        keys=PERSON_KEYS,
        table="people",
        empty="no holder of that office on that date is recorded",
    )
