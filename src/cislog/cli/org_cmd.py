"""``cislog org``: an organisation, its bodies by category, its members over time."""

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
    handles_errors,
    load_data,
    period,
)

ORG_KEYS = (
    "id",
    "name",
    "aliases",
    "description",
    "founded",
    "founded_bounds",
    "founded_place",
    "seat",
    "purpose",
    "areas",
    "tasks",
    "counts",
    "bodies",
    "sources",
    "note",
)
BODIES_KEYS = ("org", "categories", "total", "declared_total", "uncategorised", "sources")
MEMBER_KEYS = (
    "country",
    "role",
    "from",
    "from_bounds",
    "to",
    "to_bounds",
    "match",
    "sources",
    "note",
)


@handles_errors
def org(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="ORG", help="Id, name or alias (CIS, СНГ, MDB).", autocompletion=complete.orgs
        ),
    ],
    bodies: Annotated[bool, typer.Option("--bodies", help="Its bodies by category.")] = False,
    members: Annotated[bool, typer.Option("--members", help="Its members over time.")] = False,
    on: OnOption = None,
    certain: CertainOption = False,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """An organisation: names, founding, seat, purpose, areas and declared counts.

    With --bodies: its bodies grouped by category, each with the count a source
    declares, how many the dataset names, and the total. Bodies whose category
    no source states are listed apart. With --members: who belonged and in what
    role; --on keeps the memberships that certainly or possibly cover that date,
    marking the possible ones (a start or end no source gives bounds nothing),
    and --certain only the certain ones.
    """
    from cislog import query
    from cislog.matching import resolve

    if bodies and members:
        raise typer.BadParameter("give --bodies or --members, not both", param_hint="--bodies")
    if (on is not None or certain) and not members:
        raise typer.BadParameter("--on and --certain go with --members", param_hint="--on")
    dataset = load_data(ctx)
    found = dataset.orgs[resolve(dataset, ("org",), name).id]
    if bodies:
        emit(
            query.org_bodies(dataset, found),
            as_json=as_json,
            fields=fields,
            keys=BODIES_KEYS,
            table="org_bodies",
        )
    elif members:
        when = period(None, None, on, certain)
        emit(
            query.org_members(found, when),
            as_json=as_json,
            fields=fields,
            keys=MEMBER_KEYS,
            table="members",
            empty="no memberships match",
            notes=certain_note(when),
        )
    else:
        emit(
            query.org_summary(dataset, found),
            as_json=as_json,
            fields=fields,
            keys=ORG_KEYS,
            table="org",
        )
