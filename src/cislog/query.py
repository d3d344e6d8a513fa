"""The questions cislog answers, as functions from a dataset to plain data.

Every function returns JSON-ready lists and dicts (the JSON contract in the
README); rendering as tables or JSON happens elsewhere. References in the
results are ids, and every row carries the sources that state it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from cislog import dates
from cislog.dataset import Dataset
from cislog.dates import EdtfDate, Match
from cislog.folding import fold
from cislog.kinds import DATE_FIELDS, SIGNATORY_STATUSES
from cislog.matching import matches_folded, names_of, query_words
from cislog.recordtext import record_texts

if TYPE_CHECKING:
    from cislog.records import (
        Cited,
        Document,
        Event,
        Fact,
        Membership,
        Office,
        Org,
        Person,
        Record,
        SigningDocument,
    )

Json = dict[str, Any]
UNKNOWN = "unknown"
NOT_A_MEMBER = "not a member"


class Period(NamedTuple):
    """An inclusive range of days asked for (``None`` leaves that side open), and
    whether only what certainly falls in it is wanted (``--certain``)."""

    earliest: dt.date | None = None
    latest: dt.date | None = None
    certain: bool = False

    @property
    def bounded(self) -> bool:
        return self.earliest is not None or self.latest is not None

    def match(self, date: EdtfDate | None) -> Match | None:
        """Whether a record dated ``date`` falls in the period (see :func:`dates.match`);
        an undated record (a document no source dates) may fall in any period."""
        if date is None:
            return "possible" if self.bounded else "certain"
        return dates.match(date, self.earliest, self.latest)

    def term(self, start: EdtfDate | None, end: EdtfDate | None) -> Match | None:
        """Whether a term from ``start`` to ``end`` covers a day of the period (see
        :func:`dates.term_match`): a missing or open end is never taken as known."""
        return dates.term_match(start, end, self.earliest, self.latest)

    def keeps(self, match: Match | None) -> bool:
        """Whether a match is shown: every match, or with ``certain`` the certain ones."""
        return match is not None and (match == "certain" or not self.certain)


# A period that leaves both sides open, as a default.
ALL_TIME = Period()


def _title(record: Record, width: int = 100) -> str:
    """A record's name or title; a fact's, which is its whole text, shortened for listings."""
    label = record.label
    if record.KIND != "fact" or len(label) <= width:
        return label
    return label[: label.rfind(" ", 0, width - 1)] + "…"


def _text(date: EdtfDate | None) -> str | None:
    return None if date is None else str(date)


def with_bounds(data: Json) -> Json:
    """``data`` (a record or entry as its file holds it) with the bounds of each date
    beside it, at every depth: ``date`` is followed by ``date_bounds``, ``from`` by
    ``from_bounds`` (see :meth:`EdtfDate.bounds`), so that no script parses EDTF."""
    shaped: Json = {}
    for key, value in data.items():
        if isinstance(value, list):
            value = [with_bounds(item) if isinstance(item, dict) else item for item in value]
        shaped[key] = value
        if key in DATE_FIELDS and (value is None or isinstance(value, str)):
            shaped[f"{key}_bounds"] = (
                None if value is None else dates.parse(value, allow_open=True).bounds()
            )
    return shaped


def _sort_day(date: EdtfDate | None) -> dt.date:
    """The day a record sorts by (see :attr:`EdtfDate.sort_day`); undated ones last."""
    return dt.date.max if date is None else date.sort_day


# --- timeline -----------------------------------------------------------------


# The keys of a timeline entry (``timeline --json``, an export's timeline), in order.
TIMELINE_KEYS = (
    "id",
    "date",
    "date_bounds",
    "match",
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


class TimelineFilter(NamedTuple):
    """What to keep. Values within one option are alternatives; options combine with AND."""

    orgs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    records: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    period: Period = ALL_TIME
    search: str | None = None
    limit: int | None = None
    reverse: bool = False


# A filter that keeps every timeline entry, as a default.
EVERYTHING = TimelineFilter()


def _event_entry(event: Event, match: Match | None) -> Json:
    return {
        "id": event.id,
        "date": str(event.date),
        "date_bounds": event.date.bounds(),
        "match": match,
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


def _document_entry(document: Document, match: Match | None) -> Json:
    return {
        "id": document.id,
        "date": _text(document.date),
        "date_bounds": dates.bounds(document.date),
        "match": match,
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


def timeline_tags(dataset: Dataset) -> list[str]:
    """The tags the data uses, for completion and for a hint when a filter's tag is unused."""
    return sorted({tag for e in dataset.events.values() for tag in e.tags})


def _any(wanted: tuple[str, ...], present: Iterable[str]) -> bool:
    return not wanted or not set(wanted).isdisjoint(present)


def _as_list(value: str | list[str]) -> list[str]:
    """An entry's value as the values a filter compares: a kind is one."""
    return [value] if isinstance(value, str) else value


def timeline(dataset: Dataset, want: TimelineFilter = EVERYTHING) -> list[Json]:
    """Events and dated documents, chronological by earliest day, ties broken by id."""
    return list(iter_timeline(dataset, want))


def iter_timeline(dataset: Dataset, want: TimelineFilter = EVERYTHING) -> Iterator[Json]:
    """:func:`timeline` one entry at a time, so that a long one need not be held whole.

    A search text that cannot be searched for (see :func:`matching.query_words`) is
    refused here, before the first entry is asked for, not midway through the output.
    """
    words = query_words(want.search) if want.search is not None else []
    return _timeline_entries(dataset, want, words)


def _timeline_entries(dataset: Dataset, want: TimelineFilter, words: list[str]) -> Iterator[Json]:
    candidates = dataset.dated_candidates(
        want.period.earliest, want.period.latest, words, reverse=want.reverse
    )
    # The filters given, each as the entry key it looks at and the values it keeps
    # (values within one filter are alternatives; filters combine with AND).
    wanted = [
        (key, set(values))
        for key, values in (
            ("orgs", want.orgs),
            ("countries", want.countries),
            ("bodies", want.bodies),
            ("people", want.people),
            ("documents", want.documents),
            ("kind", want.kinds),
            ("record", want.records),
            ("tags", want.tags),
        )
        if values
    ]
    kept = 0
    for record in candidates:
        if want.limit is not None and kept >= want.limit:
            return
        # The date first: it is the cheapest test and the one that rules most out.
        match = want.period.match(record.date)
        if record.date is None or not want.period.keeps(match):
            continue
        entry = (
            _event_entry(cast("Event", record), match)
            if record.KIND == "event"
            else _document_entry(cast("Document", record), match)
        )
        if wanted and not all(
            not values.isdisjoint(_as_list(entry[key])) for key, values in wanted
        ):
            continue
        if words and not matches_folded(words, dataset.search_text(record)):
            continue
        kept += 1
        yield entry


# --- organisations ------------------------------------------------------------


def _cited_dict(part: Cited) -> Json:
    return with_bounds(part.to_json())


def org_summary(dataset: Dataset, org: Org) -> Json:
    """The organisation itself: names, founding, seat, purpose, areas, declared counts."""
    return {
        "id": org.id,
        "name": org.name,
        "aliases": list(org.aliases),
        "description": org.description,
        "founded": _text(org.founded),
        "founded_bounds": dates.bounds(org.founded),
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


def _term(term: Membership | Office | None) -> Json:
    """The start and end of a term, each with its bounds (all null without a term)."""
    start, end = (term.from_, term.to) if term else (None, None)
    return {
        "from": _text(start),
        "from_bounds": dates.bounds(start),
        "to": _text(end),
        "to_bounds": dates.bounds(end),
    }


def _membership(membership: Membership, match: Match | None = "certain") -> Json:
    return {
        "country": membership.country,
        "role": membership.role,
        **_term(membership),
        "match": match,
        "sources": list(membership.sources),
        "note": membership.note,
    }


def org_members(org: Org, period: Period = ALL_TIME) -> list[Json]:
    """Memberships over time; with a period, those that certainly or possibly cover it,
    each with its ``match``."""
    kept = [(m, period.term(m.from_, m.to)) for m in org.memberships]
    kept = [(m, match) for m, match in kept if period.keeps(match)]
    kept.sort(key=lambda pair: (_sort_day(pair[0].from_), pair[0].country))
    return [_membership(m, match) for m, match in kept]


# --- signatures ---------------------------------------------------------------


def signatures(
    dataset: Dataset,
    documents: Sequence[str] = (),
    countries: Sequence[str] = (),
    statuses: Sequence[str] = (),
    orgs: Sequence[str] = (),
    period: Period = ALL_TIME,
) -> list[Json]:
    """One row per document and country, as the sources record it.

    ``unknown`` in ``statuses`` adds a row for each asked country (or each
    country that signs anything) that a document does not list: unknown is
    reported as unknown, never as not signed. With a period, each row says
    whether its document is certainly or only possibly dated within it.
    """
    chosen: list[tuple[Document | SigningDocument, Match | None]] = []
    for document in (
        dataset.signing_candidates(countries)
        if countries and UNKNOWN not in statuses
        else dataset.documents.values()
    ):
        if (documents and document.id not in documents) or (orgs and document.org not in orgs):
            continue
        match = period.match(document.date)
        if period.keeps(match):
            chosen.append((document, match))
    chosen.sort(key=lambda pair: (_sort_day(pair[0].date), pair[0].id))
    wanted = set(statuses)
    unknown_for: Sequence[str] = ()
    if UNKNOWN in wanted:
        unknown_for = countries or sorted({s.country for d, _ in chosen for s in d.signatories})
    rows = []
    for document, match in chosen:
        base = {
            "document": document.id,
            "title": document.title,
            "date": _text(document.date),
            "date_bounds": dates.bounds(document.date),
            "match": match,
        }
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


def _standing(org: Org, country: str, period: Period) -> Json | None:
    """Member (or founder, ...) when a recorded term covers the period, with ``match``
    saying whether certainly or possibly; not a member when every recorded term
    certainly misses it; unknown when no membership is recorded, never a guess.
    None when ``--certain`` leaves a possible standing out."""
    coverage = [(m, period.term(m.from_, m.to)) for m in org.memberships if m.country == country]
    certain = [m for m, covered in coverage if covered == "certain"]
    possible = [m for m, covered in coverage if covered == "possible"]
    chosen: Membership | None
    match: Match | None
    status: str
    if certain or possible:
        chosen, match = (certain[0], "certain") if certain else (possible[0], "possible")
        if not period.keeps(match):
            return None
        status = chosen.role
    elif coverage:
        status, chosen, match = NOT_A_MEMBER, coverage[0][0], "certain"
    else:
        status, chosen, match = UNKNOWN, None, None
    return {
        "org": org.id,
        "status": status,
        "role": chosen.role if chosen else None,
        **_term(chosen),
        "match": match,
        "sources": list(chosen.sources) if chosen else [],
        "note": chosen.note if chosen else None,
    }


def _brief(record: Event | Fact, match: Match | None = "certain") -> Json:
    """An event or fact as a part of another record's view: enough to tell what it is,
    when, and who says so, and its id to ``cislog show`` it whole."""
    brief = {
        "id": record.id,
        "date": _text(record.date),
        "date_bounds": dates.bounds(record.date),
        "match": match,
        "kind": record.kind,
    }
    if record.KIND == "fact":
        brief["text"] = cast("Fact", record).text
    else:
        brief["title"] = cast("Event", record).title
    return {**brief, "sources": list(record.sources)}


def country_profile(
    dataset: Dataset, country_id: str, period: Period, dated: Period = ALL_TIME
) -> Json:
    """A country's standing in every organisation in ``period``, and the documents it is
    listed in, the events naming it and the facts about it that fall in ``dated``
    (everything by default), each with its ``match``. A fact no source dates may
    hold at any date: asked for one, it is a possible match, as an undated document is."""
    country = dataset.countries[country_id]
    events = [
        (e, dated.match(e.date)) for e in dataset.events.values() if country_id in e.countries
    ]
    events.sort(key=lambda pair: (_sort_day(pair[0].date), pair[0].id))
    facts = [(f, dated.match(f.date)) for f in dataset.facts.values() if country_id in f.subjects]
    standing = [_standing(org, country_id, period) for org in dataset.orgs.values()]
    return {
        **record_fields(country),
        "standing": [row for row in standing if row is not None],
        "documents": signatures(dataset, countries=[country_id], period=dated),
        "events": [_brief(e, match) for e, match in events if dated.keeps(match)],
        "facts": [_brief(f, match) for f, match in facts if dated.keeps(match)],
    }


# --- people -------------------------------------------------------------------


def _office(office: Office) -> Json:
    return {
        "title": office.title,
        "renamed_from": office.renamed_from,
        "org": office.org,
        "body": office.body,
        "country": office.country,
        **_term(office),
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


PostKey = tuple[str, str | None, str | None]


def _post_key(title: str, office: Office) -> PostKey:
    """A post is named by its title (folded) within its organisation or country."""
    return fold(title), office.org, office.country


class _Posts:
    """Posts across their renamings: each office's title and the title it was renamed
    from (``renamed_from``) name one post, so that a renamed post keeps its holders."""

    def __init__(self, dataset: Dataset) -> None:
        self._parent: dict[PostKey, PostKey] = {}
        self._former: dict[PostKey, PostKey] = {}  # a title's key -> its former title's
        self.titles: dict[PostKey, dict[str, dt.date]] = {}
        for person in dataset.people.values():
            for office in person.offices:
                key = self._add(office.title, office, _sort_day(office.from_))
                if office.renamed_from:
                    # The former title was in use before this term began.
                    old = self._add(office.renamed_from, office, dt.date.min)
                    self._former.setdefault(key, old)
                    self._parent[self.find(old)] = self.find(key)

    def _add(self, title: str, office: Office, since: dt.date) -> PostKey:
        key = _post_key(title, office)
        self._parent.setdefault(key, key)
        known = self.titles.setdefault(key, {})
        known[title] = min(since, known.get(title, dt.date.max))
        return key

    def find(self, key: PostKey) -> PostKey:
        while self._parent[key] != key:
            key = self._parent[key]
        return key

    def of(self, office: Office) -> PostKey:
        return self.find(_post_key(office.title, office))

    def matching(self, words: str) -> set[PostKey]:
        """The posts any of whose titles, present or former, holds every word."""
        wanted = query_words(words)
        return {
            self.find(key)
            for key, titles in self.titles.items()
            if any(matches_folded(wanted, fold(title)) for title in titles)
        }

    def history(self, post: PostKey) -> list[str]:
        """The titles of a post, oldest first: a former title before the title it was
        renamed to, and otherwise by the first term held under each."""
        keys = [key for key in self.titles if self.find(key) == post]

        def since(key: PostKey) -> tuple[dt.date, str]:
            return min(self.titles[key].values()), key[0]

        ordered: list[PostKey] = []
        waiting = sorted(keys, key=since)
        while waiting:
            # The first title whose former title is not still waiting to be placed.
            ready = next((k for k in waiting if self._former.get(k) not in waiting), waiting[0])
            ordered.append(ready)
            waiting.remove(ready)
        return [title for key in ordered for title in self.titles[key]]


def office_holders(
    dataset: Dataset, title: str, period: Period, orgs: Sequence[str] = ()
) -> list[Json]:
    """People who held an office whose title, or a title the same post had before or
    after a renaming, holds every word of ``title`` (folded), in the period.

    Each holder's profile gains ``held``: the matching offices, each with the title in
    force during that term, the post's titles across renamings (``post_titles``)
    and ``match``; and ``match`` itself, certain when any term certainly covers the
    period. Certain holders come first.
    """
    posts = _Posts(dataset)
    wanted = posts.matching(title)
    found: list[tuple[int, Json]] = []
    for person in dataset.people.values():
        held = []
        for office in person.offices:
            post = posts.of(office)
            if post not in wanted or (orgs and office.org not in orgs):
                continue
            match = period.term(office.from_, office.to)
            if period.keeps(match):
                held.append({**_office(office), "post_titles": posts.history(post), "match": match})
        if held:
            best = "certain" if any(h["match"] == "certain" for h in held) else "possible"
            profile = {**person_profile(dataset, person), "held": held, "match": best}
            found.append((0 if best == "certain" else 1, profile))
    found.sort(key=lambda pair: pair[0])
    return [profile for _, profile in found]


# --- any record ---------------------------------------------------------------


def record_fields(record: Record) -> Json:
    """A record's fields as its data file holds them, in the order a reader wants them:
    its own fields first (id leading), then what every record has: sources, note and
    the checks it silences."""
    fields = with_bounds(record.to_json())
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

    A match in a name, title or alias weighs more than one in a summary or note. A
    query with no word in it, or too many or too long ones, is a
    :class:`matching.QueryError` (see :func:`matching.query_words`).
    """
    wanted = query_words(query)  # refuses what cannot be searched for
    # What ranks a match: each different word as typed (bounded by query_words), and
    # the words together, as a name may hold them (a word typed twice counts once).
    words = list(dict.fromkeys(fold(query).split()))
    phrase = " ".join(words)
    scored = []
    for record in dataset.search_candidates(wanted):
        if not matches_folded(wanted, dataset.search_text(record)):
            continue
        texts = record_texts(record)
        folded_names = [fold(n) for n in names_of(record)]
        names = " ".join(folded_names)
        score = sum(3 for w in words if w in names) + (5 if phrase in names else 0)
        # Among equal scores, the shortest name holding every word is the closest match.
        closeness = min((len(n) for n in folded_names if all(w in n for w in words)), default=999)
        others = [t for t in texts if t not in names_of(record)]
        snippet = _snippet(others, words) or _snippet(texts, words)
        # The entry, not the record: a search that matches every record holds no record.
        entry = {"kind": record.KIND, "id": record.id, "title": _title(record), "snippet": snippet}
        scored.append((-score, closeness, record.KIND, record.id, entry))
    scored.sort(key=lambda row: row[:4])
    return [entry for *_, entry in scored]


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
                "date_bounds": dates.bounds(source.date),
                "url": source.url,
                "cited_by": cited_by,
            }
        )
    return rows


def citing_records(dataset: Dataset, source_id: str) -> list[Json]:
    """The records that cite a source, directly or in a nested entry."""
    return [{"kind": r.KIND, "id": r.id, "title": _title(r)} for r in _citing(dataset, source_id)]
