"""``cislog signed``: who signed what, and with what status; unknown stays unknown."""

from typing import Annotated

import typer

from cislog.cli import complete
from cislog.cli.common import (
    CertainOption,
    FieldsOption,
    FromOption,
    JsonOption,
    ToOption,
    certain_note,
    check_choices,
    emit,
    handles_errors,
    load_data,
    period,
    resolve_all,
)

SIGNED_KEYS = (
    "document",
    "title",
    "date",
    "date_bounds",
    "match",
    "country",
    "status",
    "note",
    "sources",
)


@handles_errors
def signed(
    ctx: typer.Context,
    document: Annotated[
        str | None,
        typer.Argument(
            metavar="[DOCUMENT]",
            help="Id, title or alias of a document.",
            autocompletion=complete.documents,
        ),
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country", metavar="COUNTRY", help="This country.", autocompletion=complete.countries
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="signed, signed_with_special_opinion, signed_with_reservation, not_signed, "
            "or unknown (documents that do not list the country).",
            autocompletion=complete.signed_statuses,
        ),
    ] = None,
    org: Annotated[
        list[str] | None,
        typer.Option(
            "--org", metavar="ORG", help="Documents of this org.", autocompletion=complete.orgs
        ),
    ] = None,
    from_: FromOption = None,
    to: ToOption = None,
    certain: CertainOption = False,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """Who signed which document, one row per document and country.

    A country a document does not list is unknown, never "not signed":
    --status unknown lists those pairs. On a terminal, several documents and
    countries are shown as a matrix with a legend; with --status, the cells
    the filter leaves out are marked "not shown", never "unknown".
    """
    from cislog import query

    dataset = load_data(ctx)
    statuses = check_choices("status", status, query.SIGNED_STATUSES)
    when = period(from_, to, certain=certain)
    rows = query.signatures(
        dataset,
        documents=resolve_all(dataset, "document", [document] if document else None),
        countries=resolve_all(dataset, "country", country),
        statuses=statuses,
        orgs=resolve_all(dataset, "org", org),
        period=when,
    )
    several = len({r["document"] for r in rows}) > 1 and len({r["country"] for r in rows}) > 1
    matrix = several and not as_json and fields is None and _is_terminal()
    shown_only = " ".join(f"--status {s}" for s in statuses) or None
    emit(
        rows,
        as_json=as_json,
        fields=fields,
        keys=SIGNED_KEYS,
        table="signed_matrix" if matrix else "signed",
        table_options={"filtered": shown_only} if matrix else {},
        empty="no signatures match",
        notes=certain_note(when),
    )


def _is_terminal() -> bool:
    import sys

    from cislog.layout import is_terminal

    return is_terminal(sys.stdout)
