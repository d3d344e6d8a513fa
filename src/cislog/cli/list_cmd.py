"""``cislog facts``, ``documents``, ``people``, ``orgs``, ``bodies`` and ``countries``:
the records of one kind, filtered (see :mod:`cislog.listing`)."""

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
from cislog.dataset import Dataset

Many = list[str] | None
SubjectFilter = Annotated[
    Many,
    typer.Option(
        "--subject",
        metavar="NAME",
        help="About this organisation, country, body, person or document.",
        autocompletion=complete.subjects,
    ),
]
SourceFilter = Annotated[
    Many,
    typer.Option(
        "--source", metavar="ID", help="Citing this source.", autocompletion=complete.sources
    ),
]
OrgFilter = Annotated[
    Many,
    typer.Option(
        "--org", metavar="ORG", help="Of this organisation.", autocompletion=complete.orgs
    ),
]


def _body_categories(dataset: Dataset) -> list[str]:
    from cislog.listing import body_categories

    return body_categories(dataset)


@handles_errors
def facts(
    ctx: typer.Context,
    subject: SubjectFilter = None,
    kind: Annotated[
        Many,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Of this kind (position, assessment, figure, ...).",
            autocompletion=complete.field_values("fact", "kind"),
        ),
    ] = None,
    source: SourceFilter = None,
    from_: FromOption = None,
    to: ToOption = None,
    certain: CertainOption = False,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """The facts (positions, assessments, figures, relations, ...), with their
    subjects and sources, in date order (undated ones last).

    Filters combine: a fact must pass every option given, and repeating an
    option accepts any of its values. Names match ids, names and aliases
    whatever the case and diacritics.

    With --from/--to, each dated fact says whether it certainly or only possibly
    falls in the asked dates (see below). A fact no source dates may fall in any
    dates: it is a possible match, which --certain leaves out.
    """
    from cislog import listing
    from cislog.kinds import FACT_KINDS, SUBJECT_KINDS
    from cislog.matching import resolve

    dataset = load_data(ctx)
    want = listing.FactFilter(
        subjects=tuple(resolve(dataset, SUBJECT_KINDS, value).id for value in subject or ()),
        kinds=check_choices("fact kind", kind, FACT_KINDS),
        sources=resolve_all(dataset, "source", source),
        period=period(from_, to, None, certain),
    )
    emit(
        listing.facts(dataset, want),
        as_json=as_json,
        fields=fields,
        keys=listing.FACT_KEYS,
        table="fact_list",
        empty="no fact matches",
        notes=certain_note(want.period),
    )


@handles_errors
def documents(
    ctx: typer.Context,
    org: OrgFilter = None,
    kind: Annotated[
        Many,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Of this kind (agreement, decision, treaty, ...).",
            autocompletion=complete.field_values("document", "kind"),
        ),
    ] = None,
    country: Annotated[
        Many,
        typer.Option(
            "--country",
            metavar="COUNTRY",
            help="Listing this country among its signatories, whatever its status (signed "
            "or not_signed). A document that does not list a country says nothing of it: "
            "it is not 'not signed', only not listed, and is left out.",
            autocompletion=complete.countries,
        ),
    ] = None,
    from_: FromOption = None,
    to: ToOption = None,
    certain: CertainOption = False,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """The documents (agreements, decisions, charters, ...), dated or not, in date
    order (undated ones last), with the countries each lists as signatories.

    Filters combine: a document must pass every option given, and repeating an
    option accepts any of its values. Names match ids, names and aliases
    whatever the case and diacritics. 'cislog signed' shows each listed
    country's status, and 'cislog signed --status unknown' the countries a
    document does not list.

    With --from/--to, each dated document says whether it certainly or only
    possibly falls in the asked dates (see below). A document no source dates
    may fall in any dates: it is a possible match, which --certain leaves out.
    """
    from cislog import listing
    from cislog.kinds import DOCUMENT_KINDS

    dataset = load_data(ctx)
    want = listing.DocumentFilter(
        orgs=resolve_all(dataset, "org", org),
        kinds=check_choices("document kind", kind, DOCUMENT_KINDS),
        countries=resolve_all(dataset, "country", country),
        period=period(from_, to, None, certain),
    )
    emit(
        listing.documents(dataset, want),
        as_json=as_json,
        fields=fields,
        keys=listing.DOCUMENT_KEYS,
        table="document_list",
        empty="no document matches",
        notes=certain_note(want.period),
    )


@handles_errors
def people(
    ctx: typer.Context,
    office: Annotated[
        Many,
        typer.Option(
            "--office",
            metavar="TITLE",
            help="With an office whose title holds every word of TITLE, under any title "
            "the post had (as person --office matches it), at any time.",
        ),
    ] = None,
    org: Annotated[
        Many,
        typer.Option(
            "--org",
            metavar="ORG",
            help="With an office in this organisation; with --office, the same office.",
            autocompletion=complete.orgs,
        ),
    ] = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """The people, with the offices they held, by id.

    Filters combine: a person must pass every option given, and repeating an
    option accepts any of its values. 'cislog person --office TITLE --on DATE'
    tells who held an office on a date.
    """
    from cislog import listing

    dataset = load_data(ctx)
    want = listing.PeopleFilter(offices=tuple(office or ()), orgs=resolve_all(dataset, "org", org))
    emit(
        listing.people(dataset, want),
        as_json=as_json,
        fields=fields,
        keys=listing.PERSON_KEYS,
        table="person_list",
        empty="no person matches",
    )


@handles_errors
def orgs(ctx: typer.Context, as_json: JsonOption = False, fields: FieldsOption = None) -> None:
    """The organisations, with how many bodies the data names for each, by id.

    'cislog org ORG' shows one in full, 'cislog org ORG --bodies' its bodies and
    'cislog org ORG --members' its members.
    """
    from cislog import listing

    emit(
        listing.orgs(load_data(ctx)),
        as_json=as_json,
        fields=fields,
        keys=listing.ORG_KEYS,
        table="org_list",
        empty="the dataset holds no organisation",
    )


@handles_errors
def bodies(
    ctx: typer.Context,
    org: OrgFilter = None,
    category: Annotated[
        Many,
        typer.Option(
            "--category",
            metavar="CATEGORY",
            help="Of this category, as the data writes it (statutory, decision_making, ...). "
            "A body whose category no source states has none, and no --category keeps it.",
            autocompletion=complete.choices(_body_categories),
        ),
    ] = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """The bodies of the organisations, by id.

    Filters combine: a body must pass every option given, and repeating an
    option accepts any of its values. Names match ids, names and aliases
    whatever the case and diacritics.
    """
    from cislog import listing

    dataset = load_data(ctx)
    want = listing.BodyFilter(
        orgs=resolve_all(dataset, "org", org),
        categories=check_choices("body category", category, listing.body_categories(dataset)),
    )
    emit(
        listing.bodies(dataset, want),
        as_json=as_json,
        fields=fields,
        keys=listing.BODY_KEYS,
        table="body_list",
        empty="no body matches",
    )


@handles_errors
def countries(ctx: typer.Context, as_json: JsonOption = False, fields: FieldsOption = None) -> None:
    """The countries, with their aliases, by id.

    'cislog country COUNTRY' shows one's standing in every organisation.
    """
    from cislog import listing

    emit(
        listing.countries(load_data(ctx)),
        as_json=as_json,
        fields=fields,
        keys=listing.COUNTRY_KEYS,
        table="country_list",
        empty="the dataset holds no country",
    )
