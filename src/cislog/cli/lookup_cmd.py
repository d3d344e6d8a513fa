"""``cislog show``, ``search`` and ``sources``: any record, any text, every source."""

from typing import Annotated

import typer

from cislog.cli import complete
from cislog.cli.common import FieldsOption, JsonOption, emit, handles_errors, load_data

SEARCH_KEYS = ("kind", "id", "title", "snippet")
SOURCE_KEYS = ("id", "title", "kind", "author", "publisher", "date", "url", "cited_by")
CITING_KEYS = ("kind", "id", "title")


@handles_errors
def show(
    ctx: typer.Context,
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Id, name or alias of a record.", autocompletion=complete.any_record
        ),
    ],
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """Any record in full, with where it is defined and the records that refer to it."""
    from cislog import query
    from cislog.kinds import RECORD_KINDS
    from cislog.matching import resolve

    dataset = load_data(ctx)
    detail = query.record_detail(dataset, resolve(dataset, RECORD_KINDS, record_id))
    emit(detail, as_json=as_json, fields=fields, keys=list(detail), table="record")


@handles_errors
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words that must all match.")],
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """Records of every kind holding all the words of TEXT, best matches first.

    Matching ignores case and diacritics (azerbaycan finds Azərbaycan); a match
    in a name, title or alias ranks above one in a summary or note.
    """
    from cislog import query

    emit(
        query.search(load_data(ctx), text),
        as_json=as_json,
        fields=fields,
        keys=SEARCH_KEYS,
        table="search",
        empty="no record matches",
    )


@handles_errors
def sources(
    ctx: typer.Context,
    source_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help="A source: list what cites it.", autocompletion=complete.sources
        ),
    ] = None,
    unused: Annotated[bool, typer.Option("--unused", help="Only sources nothing cites.")] = False,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """The sources, with how many records cite each; with an ID, the records citing it."""
    from cislog import query
    from cislog.matching import resolve

    dataset = load_data(ctx)
    if source_id is None:
        emit(
            query.sources_list(dataset, unused=unused),
            as_json=as_json,
            fields=fields,
            keys=SOURCE_KEYS,
            table="sources",
            empty="no source matches",
        )
        return
    if unused:
        raise typer.BadParameter("--unused lists all sources; give no ID", param_hint="--unused")
    found = resolve(dataset, ("source",), source_id)
    emit(
        query.citing_records(dataset, found.id),
        as_json=as_json,
        fields=fields,
        keys=CITING_KEYS,
        table="citing",
        empty="nothing cites this source",
    )
