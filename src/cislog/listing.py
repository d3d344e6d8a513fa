"""The records of one kind, filtered: what ``cislog facts``, ``documents``, ``people``,
``orgs``, ``bodies`` and ``countries`` list, as plain data.

Each function returns JSON-ready rows (the JSON contract in the README), a row a
record, with its id and the sources that state it; rendering happens elsewhere.
Filters are given as ids (names are resolved before). Values within one filter
are alternatives; different filters combine with AND.

Dates match as everywhere else (:meth:`query.Period.match`): each row carries
``match``. A record no source dates may fall in any asked dates, so it is a
possible match, as an undated document is in ``signed``: shown and marked, and
left out by ``--certain``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from cislog import dates
from cislog.dataset import Dataset
from cislog.dates import EdtfDate, Match
from cislog.query import Json, Period, _any, _Posts, _sort_day, _text, _unique

if TYPE_CHECKING:
    from cislog.records import Document, Fact, Office, Person, Record

R = TypeVar("R", bound="Record")
Dated = TypeVar("Dated", "Fact", "Document")

FACT_KEYS = (
    "id",
    "text",
    "kind",
    "subjects",
    "date",
    "date_bounds",
    "match",
    "sources",
    "note",
)
DOCUMENT_KEYS = (
    "id",
    "title",
    "kind",
    "date",
    "date_bounds",
    "match",
    "org",
    "body",
    "signatories",
    "sources",
    "note",
)
PERSON_KEYS = ("id", "name", "aliases", "offices", "orgs", "sources", "note")
ORG_KEYS = (
    "id",
    "name",
    "aliases",
    "founded",
    "founded_bounds",
    "seat",
    "bodies",
    "sources",
    "note",
)
BODY_KEYS = ("id", "name", "aliases", "org", "category", "parent", "supreme", "sources", "note")
COUNTRY_KEYS = ("id", "name", "aliases", "sources", "note")


def _dated(records: Iterable[Dated], period: Period) -> list[tuple[Dated, Match]]:
    """The records the period keeps, each with its match, in date order (undated last,
    ties by id)."""
    kept: list[tuple[Dated, Match]] = []
    for record in records:
        date: EdtfDate | None = record.date
        match = period.match(date)
        if match is not None and period.keeps(match):
            kept.append((record, match))
    kept.sort(key=lambda pair: (_sort_day(pair[0].date), pair[0].id))
    return kept


def _by_id(records: Iterable[R]) -> list[R]:
    return sorted(records, key=lambda record: record.id)


# --- facts ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FactFilter:
    subjects: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    period: Period = field(default_factory=Period)


def _fact_row(fact: Fact, match: Match) -> Json:
    return {
        "id": fact.id,
        "text": fact.text,
        "kind": fact.kind,
        "subjects": list(fact.subjects),
        "date": _text(fact.date),
        "date_bounds": dates.bounds(fact.date),
        "match": match,
        "sources": list(fact.sources),
        "note": fact.note,
    }


def facts(dataset: Dataset, want: FactFilter = FactFilter()) -> list[Json]:
    """Facts about any of ``subjects``, of any of ``kinds``, citing any of ``sources``,
    in the period; in date order, undated ones last."""
    chosen = (
        fact
        for fact in dataset.facts.values()
        if _any(want.subjects, fact.subjects)
        and _any(want.kinds, [fact.kind])
        and _any(want.sources, fact.sources)
    )
    return [_fact_row(fact, match) for fact, match in _dated(chosen, want.period)]


# --- documents -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    orgs: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    # Countries the document lists among its signatories, whatever their status.
    countries: tuple[str, ...] = ()
    period: Period = field(default_factory=Period)


def _document_row(document: Document, match: Match) -> Json:
    return {
        "id": document.id,
        "title": document.title,
        "kind": document.kind,
        "date": _text(document.date),
        "date_bounds": dates.bounds(document.date),
        "match": match,
        "org": document.org,
        "body": document.body,
        "signatories": [{"country": s.country, "status": s.status} for s in document.signatories],
        "sources": list(document.sources),
        "note": document.note,
    }


def documents(dataset: Dataset, want: DocumentFilter = DocumentFilter()) -> list[Json]:
    """Documents of any of ``orgs``, of any of ``kinds``, listing any of ``countries``
    as a signatory (a country a document does not list is unknown, not "not signed":
    such a document is not kept), in the period; in date order, undated ones last."""
    chosen = (
        document
        for document in dataset.documents.values()
        if _any(want.orgs, [document.org] if document.org else [])
        and _any(want.kinds, [document.kind])
        and _any(want.countries, (s.country for s in document.signatories))
    )
    return [_document_row(d, match) for d, match in _dated(chosen, want.period)]


# --- people --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeopleFilter:
    # Words of an office title, matched as ``person --office`` matches them (across a
    # post's renamings); with ``orgs`` too, one office must pass both.
    offices: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()


def _person_row(person: Person) -> Json:
    return {
        "id": person.id,
        "name": person.name,
        "aliases": list(person.aliases),
        "offices": [office.title for office in person.offices],
        "orgs": _unique(office.org for office in person.offices if office.org),
        "sources": list(person.sources),
        "note": person.note,
    }


def people(dataset: Dataset, want: PeopleFilter = PeopleFilter()) -> list[Json]:
    """People with an office whose title (or a title of the same post before or after a
    renaming) holds every word of any of ``offices``, of any of ``orgs``; by id."""
    posts = _Posts(dataset) if want.offices else None
    wanted = set().union(*(posts.matching(title) for title in want.offices)) if posts else set()

    def passes(office: Office) -> bool:
        if want.orgs and office.org not in want.orgs:
            return False
        return posts is None or posts.of(office) in wanted

    chosen = [
        person
        for person in dataset.people.values()
        if not (want.offices or want.orgs) or any(passes(office) for office in person.offices)
    ]
    return [_person_row(person) for person in _by_id(chosen)]


# --- organisations, bodies, countries ------------------------------------------


def orgs(dataset: Dataset) -> list[Json]:
    """Every organisation, with how many bodies the data names for it; by id."""
    bodies: dict[str, int] = {}
    for body in dataset.bodies.values():
        bodies[body.org] = bodies.get(body.org, 0) + 1
    return [
        {
            "id": org.id,
            "name": org.name,
            "aliases": list(org.aliases),
            "founded": _text(org.founded),
            "founded_bounds": dates.bounds(org.founded),
            "seat": org.seat,
            "bodies": bodies.get(org.id, 0),
            "sources": list(org.sources),
            "note": org.note,
        }
        for org in _by_id(dataset.orgs.values())
    ]


@dataclass(frozen=True, slots=True)
class BodyFilter:
    orgs: tuple[str, ...] = ()
    # Categories as the data writes them: a body no source gives one has none, and
    # no value of this filter keeps it.
    categories: tuple[str, ...] = ()


def body_categories(dataset: Dataset) -> list[str]:
    """The categories the data's bodies have, sorted: what ``--category`` accepts."""
    return sorted({b.category for b in dataset.bodies.values() if b.category is not None})


def bodies(dataset: Dataset, want: BodyFilter = BodyFilter()) -> list[Json]:
    """Bodies of any of ``orgs``, of any of ``categories``; by id."""
    chosen = [
        body
        for body in dataset.bodies.values()
        if _any(want.orgs, [body.org])
        and _any(want.categories, [body.category] if body.category is not None else [])
    ]
    return [
        {
            "id": body.id,
            "name": body.name,
            "aliases": list(body.aliases),
            "org": body.org,
            "category": body.category,
            "parent": body.parent,
            "supreme": body.supreme,
            "sources": list(body.sources),
            "note": body.note,
        }
        for body in _by_id(chosen)
    ]


def countries(dataset: Dataset) -> list[Json]:
    """Every country; by id."""
    return [
        {
            "id": country.id,
            "name": country.name,
            "aliases": list(country.aliases),
            "sources": list(country.sources),
            "note": country.note,
        }
        for country in _by_id(dataset.countries.values())
    ]
