"""The questions cislog answers, as functions from a dataset to plain data.

Every function returns JSON-ready lists and dicts (the JSON contract in the
README); rendering as tables or JSON happens elsewhere. References in the
results are ids, and every row carries the sources that state it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from cislog.dataset import Dataset
from cislog.dates import EdtfDate
from cislog.kinds import SIGNATORY_STATUSES
from cislog.matching import fold, matches_all_words, matches_folded, names_of, query_words

if TYPE_CHECKING:
    from cislog.model import Cited, Document, Event, Membership, Office, Org, Person, Record

Json = dict[str, Any]
UNKNOWN = "unknown"
NOT_A_MEMBER = "not a member"


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of days asked for; ``None`` leaves that side open."""

    earliest: dt.date | None = None
    latest: dt.date | None = None

    def overlaps(self, date: EdtfDate | None) -> bool:
        """Whether a record's date may fall in this period; an undated record only if unbounded."""
        if date is None:
            return self.earliest is None and self.latest is None
        return date.overlaps(self.earliest, self.latest)

    def covers_term(self, start: EdtfDate | None, end: EdtfDate | None) -> bool | None:
        """Whether a term (from, to) overlaps this period; None when the sources leave it open.

        An end of ``..`` means the term was still running when the sources were
        written; a missing end or start means no source gives it.
        """
        if end is not None and _ends_before(end, self.earliest):
            return False
        if start is not None and _starts_after(start, self.latest):
            return False
        if start is None:
            return None
        if end is None:
            # Known to hold the office on its first day; after that, unknown.
            reaches_start = self.earliest is None or (
                start.latest is not None and self.earliest <= start.latest
            )
            return True if reaches_start else None
        return True


def _ends_before(end: EdtfDate, day: dt.date | None) -> bool:
    return day is not None and end.latest is not None and end.latest < day


def _starts_after(start: EdtfDate, day: dt.date | None) -> bool:
    return day is not None and start.earliest is not None and start.earliest > day


def _title(record: Record, width: int = 100) -> str:
    """A record's name or title; a fact's, which is its whole text, shortened for listings."""
    label = record.label
    if record.KIND != "fact" or len(label) <= width:
        return label
    return label[: label.rfind(" ", 0, width - 1)] + "…"


def _text(date: EdtfDate | None) -> str | None:
    return None if date is None else str(date)


def _sort_day(date: EdtfDate | None) -> dt.date:
    """The day a record sorts by (see :attr:`EdtfDate.sort_day`); undated ones last."""
    return dt.date.max if date is None else date.sort_day


# --- timeline -----------------------------------------------------------------


# The keys of a timeline entry (``timeline --json``, an export's timeline), in order.
TIMELINE_KEYS = (
    "id",
    "date",
    "title",
    "kind",
    "summary",
    "place",
    "orgs",
    "bodies",
    "countries",
    "people",
    "documents",
    "tags",
    "sources",
    "record",
)


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    """What to keep. Values within one option are alternatives; options combine with AND."""

    orgs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    period: Period = Period()
    search: str | None = None
    limit: int | None = None
    reverse: bool = False


def _event_entry(event: Event) -> Json:
    return {
        "id": event.id,
        "date": str(event.date),
        "title": event.title,
        "kind": event.kind,
        "summary": event.summary,
        "place": event.place,
        "orgs": list(event.orgs),
        "bodies": list(event.bodies),
        "countries": list(event.countries),
        "people": list(event.people),
        "documents": list(event.documents),
        "tags": list(event.tags),
        "sources": list(event.sources),
        "record": "event",
    }


def _document_entry(document: Document) -> Json:
    return {
        "id": document.id,
        "date": _text(document.date),
        "title": document.title,
        "kind": document.kind,
        "summary": document.summary,
        "place": document.place,
        "orgs": [document.org] if document.org else [],
        "bodies": [document.body] if document.body else [],
        "countries": [s.country for s in document.signatories],
        "people": [],
        "documents": [document.id],
        "tags": [],
        "sources": list(document.sources),
        "record": "document",
    }


def timeline_kinds(dataset: Dataset) -> list[str]:
    """The kinds a timeline entry can have: event kinds and document kinds in use."""
    kinds: set[str] = {e.kind for e in dataset.events.values()}
    kinds |= {d.kind for d in dataset.documents.values() if d.date is not None}
    return sorted(kinds)


def timeline_tags(dataset: Dataset) -> list[str]:
    return sorted({tag for e in dataset.events.values() for tag in e.tags})


def _any(wanted: tuple[str, ...], present: Iterable[str]) -> bool:
    return not wanted or not set(wanted).isdisjoint(present)


def timeline(dataset: Dataset, want: TimelineFilter = TimelineFilter()) -> list[Json]:
    """Events and dated documents, chronological by earliest day, ties broken by id."""
    return list(iter_timeline(dataset, want))


def iter_timeline(dataset: Dataset, want: TimelineFilter = TimelineFilter()) -> Iterator[Json]:
    """:func:`timeline` one entry at a time, so that a long one need not be held whole."""
    words = query_words(want.search) if want.search else []
    candidates = dataset.dated_candidates(
        want.period.earliest, want.period.latest, words, reverse=want.reverse
    )
    kept = 0
    for record in candidates:
        if want.limit is not None and kept >= want.limit:
            return
        date = record.date
        # The date first: it is the cheapest test and the one that rules most out.
        if date is None or not want.period.overlaps(date):
            continue
        entry = (
            _event_entry(cast("Event", record))
            if record.KIND == "event"
            else _document_entry(cast("Document", record))
        )
        if not (
            _any(want.orgs, entry["orgs"])
            and _any(want.countries, entry["countries"])
            and _any(want.bodies, entry["bodies"])
            and _any(want.people, entry["people"])
            and _any(want.documents, entry["documents"])
            and _any(want.kinds, [entry["kind"]])
            and _any(want.tags, entry["tags"])
        ):
            continue
        if words and not matches_folded(words, dataset.search_text(record)):
            continue
        kept += 1
        yield entry


# --- organisations ------------------------------------------------------------


def _cited_dict(part: Cited) -> Json:
    return part.model_dump(mode="json", by_alias=True)


def org_summary(dataset: Dataset, org: Org) -> Json:
    """The organisation itself: names, founding, seat, purpose, areas, declared counts."""
    return {
        "id": org.id,
        "name": org.name,
        "aliases": list(org.aliases),
        "description": org.description,
        "founded": _text(org.founded),
        "founded_place": org.founded_place,
        "seat": org.seat,
        "purpose": org.purpose,
        "areas": list(org.areas),
        "tasks": list(org.tasks),
        "counts": [_cited_dict(c) for c in org.counts],
        "bodies": sorted(b.id for b in dataset.bodies.values() if b.org == org.id),
        "sources": list(org.sources),
        "note": org.note,
    }


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def org_bodies(dataset: Dataset, org: Org) -> Json:
    """Bodies by category, each with its declared count, how many are named, and the total.

    Bodies whose category no source states are listed apart: counting them into
    the total would add them on top of the categories they may belong to.
    """
    bodies = sorted(
        (b for b in dataset.bodies.values() if b.org == org.id), key=lambda b: (b.name, b.id)
    )
    declared = {c.category: c for c in org.counts if c.of == "bodies" and c.category}
    order = list(declared) + sorted({b.category for b in bodies if b.category} - set(declared))
    categories = []
    for category in order:
        named = [{"id": b.id, "name": b.name} for b in bodies if b.category == category]
        count = declared.get(category)
        categories.append(
            {
                "category": category,
                "count": count.value if count else len(named),
                "declared": count is not None,
                "qualifier": count.qualifier if count else "exactly",
                "named": len(named),
                "bodies": named,
            }
        )
    overall = next((c for c in org.counts if c.of == "bodies" and c.category is None), None)
    sources = [s for c in org.counts if c.of == "bodies" for s in c.sources]
    sources += [s for b in bodies for s in b.sources]
    return {
        "org": org.id,
        "categories": categories,
        "total": sum(c["count"] for c in categories),
        "declared_total": (
            {"value": overall.value, "qualifier": overall.qualifier} if overall else None
        ),
        "uncategorised": [{"id": b.id, "name": b.name} for b in bodies if not b.category],
        "sources": _unique(sources),
    }


def _membership(membership: Membership) -> Json:
    return {
        "country": membership.country,
        "role": membership.role,
        "from": _text(membership.from_),
        "to": _text(membership.to),
        "sources": list(membership.sources),
        "note": membership.note,
    }


def org_members(org: Org, period: Period | None = None) -> list[Json]:
    """Memberships over time; with a period, those that may cover it (unknown starts included)."""
    kept = [
        m
        for m in org.memberships
        if period is None or period.covers_term(m.from_, m.to) is not False
    ]
    kept.sort(key=lambda m: (_sort_day(m.from_), m.country))
    return [_membership(m) for m in kept]


# --- signatures ---------------------------------------------------------------


def signatures(
    dataset: Dataset,
    documents: Sequence[str] = (),
    countries: Sequence[str] = (),
    statuses: Sequence[str] = (),
    orgs: Sequence[str] = (),
    period: Period = Period(),
) -> list[Json]:
    """One row per document and country, as the sources record it.

    ``unknown`` in ``statuses`` adds a row for each asked country (or each
    country that signs anything) that a document does not list: unknown is
    reported as unknown, never as not signed.
    """
    chosen = sorted(
        (
            d
            for d in (
                dataset.signing_candidates(countries)
                if countries and UNKNOWN not in statuses
                else dataset.documents.values()
            )
            if (not documents or d.id in documents)
            and (not orgs or d.org in orgs)
            and period.overlaps(d.date)
        ),
        key=lambda d: (_sort_day(d.date), d.id),
    )
    wanted = set(statuses)
    unknown_for: Sequence[str] = ()
    if UNKNOWN in wanted:
        unknown_for = countries or sorted({s.country for d in chosen for s in d.signatories})
    rows = []
    for document in chosen:
        base = {"document": document.id, "title": document.title, "date": _text(document.date)}
        for signatory in document.signatories:
            if countries and signatory.country not in countries:
                continue
            if wanted and signatory.status not in wanted:
                continue
            rows.append(
                {
                    **base,
                    "country": signatory.country,
                    "status": signatory.status,
                    "note": signatory.note,
                    "sources": list(signatory.sources),
                }
            )
        if unknown_for:
            listed = {s.country for s in document.signatories}
            for country in unknown_for:
                if country not in listed:
                    rows.append(
                        {**base, "country": country, "status": UNKNOWN, "note": None, "sources": []}
                    )
    return rows


SIGNED_STATUSES = (*SIGNATORY_STATUSES, UNKNOWN)


# --- countries ----------------------------------------------------------------


def _standing(org: Org, country: str, period: Period) -> Json:
    """Member (or founder, ...) when a known term covers the period; not a member when
    every recorded term is known to miss it; unknown otherwise, never a guess."""
    coverage = [(m, period.covers_term(m.from_, m.to)) for m in org.memberships]
    coverage = [(m, covered) for m, covered in coverage if m.country == country]
    chosen = next((m for m, covered in coverage if covered), None)
    status: str
    if chosen is not None:
        status = chosen.role
    elif coverage and all(covered is False for _, covered in coverage):
        status, chosen = NOT_A_MEMBER, coverage[0][0]
    else:
        status = UNKNOWN
        chosen = next((m for m, covered in coverage if covered is None), None)
    return {
        "org": org.id,
        "status": status,
        "role": chosen.role if chosen else None,
        "from": _text(chosen.from_) if chosen else None,
        "to": _text(chosen.to) if chosen else None,
        "sources": list(chosen.sources) if chosen else [],
        "note": chosen.note if chosen else None,
    }


def _brief(record: Record) -> Json:
    date = getattr(record, "date", None)
    return {"id": record.id, "date": _text(date), "title": _title(record)}


def country_profile(dataset: Dataset, country_id: str, period: Period) -> Json:
    """A country's standing in every organisation, its documents, events and facts."""
    country = dataset.countries[country_id]
    events = sorted(
        (e for e in dataset.events.values() if country_id in e.countries),
        key=lambda e: (_sort_day(e.date), e.id),
    )
    return {
        **country.model_dump(mode="json", by_alias=True),
        "standing": [_standing(org, country_id, period) for org in dataset.orgs.values()],
        "documents": signatures(dataset, countries=[country_id]),
        "events": [_brief(e) for e in events],
        "facts": [
            {"id": f.id, "text": f.text} for f in dataset.facts.values() if country_id in f.subjects
        ],
    }


# --- people -------------------------------------------------------------------


def _office(office: Office) -> Json:
    return {
        "title": office.title,
        "org": office.org,
        "body": office.body,
        "country": office.country,
        "from": _text(office.from_),
        "to": _text(office.to),
        "sources": list(office.sources),
        "note": office.note,
    }


def person_profile(dataset: Dataset, person: Person) -> Json:
    events = sorted(
        (e for e in dataset.events.values() if person.id in e.people),
        key=lambda e: (_sort_day(e.date), e.id),
    )
    return {
        "id": person.id,
        "name": person.name,
        "aliases": list(person.aliases),
        "offices": [_office(o) for o in person.offices],
        "events": [_brief(e) for e in events],
        "sources": list(person.sources),
        "note": person.note,
    }


@dataclass(frozen=True, slots=True)
class OfficeHolders:
    """Who held an office in a period, and who held it at dates no source gives."""

    holders: list[Json]
    undated: list[Json]


def office_holders(
    dataset: Dataset, title: str, period: Period, orgs: Sequence[str] = ()
) -> OfficeHolders:
    """People whose office matching ``title`` (all words, folded) covers the period."""
    holders, undated = [], []
    for person in dataset.people.values():
        offices = [
            o
            for o in person.offices
            if matches_all_words(title, [o.title]) and (not orgs or o.org in orgs)
        ]
        covers = [period.covers_term(o.from_, o.to) for o in offices]
        if any(covers):
            holders.append(person_profile(dataset, person))
        elif None in covers:
            undated.append(person_profile(dataset, person))
    return OfficeHolders(holders, undated)


# --- any record ---------------------------------------------------------------


def record_fields(record: Record) -> Json:
    """A record's fields as its data file holds them, in the order a reader wants them:
    its own fields first (id leading), then what every record has: sources, note and
    the checks it silences."""
    fields = record.model_dump(mode="json", by_alias=True)
    common = {key: fields.pop(key) for key in ("sources", "note", "check_ignore")}
    return {**fields, **common}


def record_detail(dataset: Dataset, record: Record) -> Json:
    """A record in full, with its record type (``record``; ``kind`` is the record's own
    field), where it is defined, and the records that refer to it."""
    referred = []
    for other, ref in dataset.referrers(record.id):
        field = ".".join(str(p) for p in ref.path if isinstance(p, str))
        referred.append(
            {"kind": other.KIND, "id": other.id, "title": _title(other), "field": field}
        )
    return {
        "record": record.KIND,
        **record_fields(record),
        "origin": str(dataset.origin(record.id)),
        "referenced_by": referred,
    }


def _searchable(record: Record) -> list[str]:
    """Every piece of text of a record, nested entries included."""
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("sources", "id"):
                    walk(item)

    walk(record.model_dump(mode="json", by_alias=True))
    return texts


def searchable_text(record: Record) -> str:
    """All of a record's text, folded, as one string: what a search is matched against."""
    return fold(" ".join(_searchable(record)))


def _snippet(texts: Sequence[str], words: list[str], width: int = 100) -> str:
    """The part of the text holding most query words, about ``width`` characters long."""
    found = [sum(w in fold(t) for w in words) for t in texts]
    ranked = sorted(range(len(texts)), key=lambda i: -found[i])
    for raw in (texts[i] for i in ranked if found[i]):
        text = " ".join(raw.split())
        folded = fold(text)
        positions = [folded.find(w) for w in words if w in folded]
        start = max(0, min(positions) - width // 4)
        if start:
            # Start at a word, not in the middle of one.
            start = text.rfind(" ", 0, start) + 1
        end = min(len(text), start + width)
        if end < len(text):
            end = max(text.rfind(" ", start, end), start + width // 2)
        return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return ""


def search(dataset: Dataset, query: str) -> list[Json]:
    """Records of every kind holding all the words of ``query``, best matches first.

    A match in a name, title or alias weighs more than one in a summary or note.
    """
    words = fold(query).split()
    if not words:
        return []
    scored = []
    for record in dataset:
        texts = _searchable(record)
        if not matches_all_words(query, texts):
            continue
        folded_names = [fold(n) for n in names_of(record)]
        names = " ".join(folded_names)
        score = sum(3 for w in words if w in names) + (5 if fold(query) in names else 0)
        # Among equal scores, the shortest name holding every word is the closest match.
        closeness = min((len(n) for n in folded_names if all(w in n for w in words)), default=999)
        others = [t for t in texts if t not in names_of(record)]
        snippet = _snippet(others, words) or _snippet(texts, words)
        scored.append((-score, closeness, record.KIND, record.id, record, snippet))
    scored.sort(key=lambda row: row[:4])
    return [
        {"kind": r.KIND, "id": r.id, "title": _title(r), "snippet": snippet}
        for *_, r, snippet in scored
    ]


# --- sources ------------------------------------------------------------------


def _citing(dataset: Dataset, source_id: str) -> list[Record]:
    return list({id(r): r for r, _ in dataset.referrers(source_id)}.values())


def sources_list(dataset: Dataset, unused: bool = False) -> list[Json]:
    """Each source with how many records cite it."""
    rows = []
    for source in dataset.sources.values():
        cited_by = len(_citing(dataset, source.id))
        if unused and cited_by:
            continue
        rows.append(
            {
                "id": source.id,
                "title": source.title,
                "kind": source.kind,
                "author": source.author,
                "publisher": source.publisher,
                "date": _text(source.date),
                "url": source.url,
                "cited_by": cited_by,
            }
        )
    return rows


def citing_records(dataset: Dataset, source_id: str) -> list[Json]:
    """The records that cite a source, directly or in a nested entry."""
    return [{"kind": r.KIND, "id": r.id, "title": _title(r)} for r in _citing(dataset, source_id)]
