"""Consistency checks across records, as a careful editor of a chronology makes them.

``cislog validate`` checks each record against the format; these rules check
records against each other: dates against foundings and memberships,
signatures against membership, declared counts against what is recorded,
terms of office against each other, sources against their use. Each finding
has a stable rule name, so that a record can silence one with a reason
(``[[kind.check_ignore]]``), and a severity: an error is a contradiction, a
warning something an editor should look at.

Each rule is defined once, in :data:`RULES`: its name, severity, what it finds
and the function that finds it (:func:`rule` registers a function as one).
``cislog check`` runs what is registered; its help, ``cislog check --rules``
and the README's table of rules are made from the same entries.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from itertools import combinations, pairwise
from typing import Any, Literal

from cislog.dataset import Dataset, MemoryDataset, Origin
from cislog.dates import EdtfDate, terms_overlap
from cislog.errors import Problem
from cislog.folding import fold
from cislog.kinds import SLUG_PATTERN, Reference
from cislog.loading import LazyLineIndex, collector_paused
from cislog.pipeline import read_dataset, read_in_parts
from cislog.query import Period
from cislog.records import Cited, Event, Membership, Office, Record
from cislog.validation import named_count

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """One inconsistency, placed on the line of the record or entry concerned."""

    file: str
    line: int
    id: str
    rule: str
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.id}: {self.rule}: {self.severity}: {self.message}"

    @property
    def code(self) -> str:
        """A finding's code is its rule's name: a script reads ``code`` from a finding
        as from a validation problem (:class:`cislog.errors.Problem`)."""
        return self.rule

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "code": self.code}


# The keys of a finding as data, in order: what ``cislog check --fields`` may keep.
FINDING_KEYS: tuple[str, ...] = (*(f.name for f in fields(Finding)), "code")


@dataclass
class CheckResult:
    """Validation problems (if any, no rule ran), findings, and silenced findings."""

    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    silenced: list[tuple[Finding, str]] = field(default_factory=list)

    def failed(self, strict: bool = False) -> bool:
        severities = {"error", "warning"} if strict else {"error"}
        return bool(self.problems) or any(f.severity in severities for f in self.findings)


@dataclass(frozen=True, slots=True)
class Found:
    """What a rule's function reports: the record, and the field or entry of it (a path
    as in the record's TOML) where the finding is placed. :func:`check` adds the rest."""

    record: Record
    message: str
    path: Path = ()


Finder = Callable[[Dataset], Iterator[Found]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A consistency rule, defined once: the name records silence it by (stable, so a
    ``check_ignore`` keeps working), its severity, what it finds (one line of Markdown,
    for ``cislog check --rules`` and the README's table) and the function finding it."""

    name: str
    severity: Severity
    description: str
    find: Finder


# Every rule ``cislog check`` runs, by name, in the order they are listed.
RULES: dict[str, Rule] = {}
_NAME = re.compile(SLUG_PATTERN)


def register(new: Rule) -> Rule:
    """Add a rule to those ``cislog check`` runs. Its name must be a slug no other rule
    has, its description one line: what the listing and the README show.

    A record silences a rule by one of the names :data:`cislog.model.CHECK_RULES`
    lists (the JSON Schema's enumeration too), which a test keeps equal to the rules
    registered here; a rule registered at run time runs and is reported, but no
    record can silence it yet.
    """
    if not _NAME.fullmatch(new.name):
        raise ValueError(f"a rule's name is lower-case words and hyphens, not {new.name!r}")
    if new.name in RULES:
        raise ValueError(f"a rule named {new.name!r} is registered already")
    if not new.description.strip() or "\n" in new.description:
        raise ValueError(f"rule {new.name!r}: the description is one line saying what it finds")
    RULES[new.name] = new
    return new


def unregister(name: str) -> Rule:
    """Remove a registered rule (a plug-in's, a test's); the rule removed."""
    return RULES.pop(name)


def rule(name: str, severity: Severity, description: str) -> Callable[[Finder], Finder]:
    """Register the decorated function as the rule ``name`` (see :func:`register`)."""

    def decorate(find: Finder) -> Finder:
        register(Rule(name, severity, description, find))
        return find

    return decorate


def _finding(dataset: Dataset, found: Found, of: Rule) -> Finding:
    origin = dataset.origin(found.record.id)
    line = origin.lines.line_of((*origin.path, *found.path))
    return Finding(origin.file, line, found.record.id, of.name, of.severity, found.message)


# --- the rules ------------------------------------------------------------------


def _dated_records(dataset: Dataset) -> Iterator[tuple[Record, EdtfDate, list[str], list[str]]]:
    """Events and dated documents, with the orgs and countries they name."""
    for event in dataset.events.values():
        yield event, event.date, list(event.orgs), list(event.countries)
    for document in dataset.documents.values():
        if document.date is not None:
            countries = [s.country for s in document.signatories]
            yield document, document.date, [document.org] if document.org else [], countries


@rule(
    "dated-before-founding",
    "error",
    "an event or document dated before the founding of an organisation it names",
)
def dated_before_founding(dataset: Dataset) -> Iterator[Found]:
    for record, date, orgs, _ in _dated_records(dataset):
        for org_id in orgs:
            founded = dataset.orgs[org_id].founded
            # Certainly before: even a ? or ~ date's reach (see dates.Day.reach) is.
            first, last = (founded.reach[0] if founded else None), date.reach[1]
            if first and last and last < first:
                yield Found(
                    record,
                    f"dated {date}, before {org_id} was founded ({founded})",
                    ("date",),
                )


@rule(
    "dated-after-leaving",
    "error",
    "an event or document naming a country and an organisation after the country left it",
)
def dated_after_leaving(dataset: Dataset) -> Iterator[Found]:
    terms_of = _memberships_by_country(dataset)
    for record, date, orgs, countries in _dated_records(dataset):
        for org_id in orgs:
            for country in countries:
                terms = terms_of.get((org_id, country), [])
                # Left only if every membership has an end a source gives, not "..",
                # nor "on or after" (which may never have come).
                ends = [m.to.reach[1] if m.to else None for m in terms]
                if not terms or None in ends:
                    continue
                last = max(end for end in ends if end is not None)
                if date.reach[0] and date.reach[0] > last:
                    yield Found(
                        record,
                        f"dated {date} and naming {country} and {org_id}, "
                        f"but {country} left {org_id} on {last.isoformat()}",
                        ("date",),
                    )


@rule(
    "signed-by-non-member",
    "warning",
    "a signature (any `signed*` status) by a country that was not a member on the document's "
    "date; the membership found is shown",
)
def signed_by_non_member(dataset: Dataset) -> Iterator[Found]:
    terms_of = _memberships_by_country(dataset)
    for document in dataset.documents.values():
        if document.date is None or document.org is None:
            continue
        period = Period(*document.date.reach)
        org = dataset.orgs[document.org]
        for index, signatory in enumerate(document.signatories):
            if not signatory.status.startswith("signed"):
                continue
            terms = terms_of.get((org.id, signatory.country), [])
            if terms and all(period.term(m.from_, m.to) is None for m in terms):
                found = "; ".join(_term_text(m) for m in terms)
                yield Found(
                    document,
                    f"{signatory.country} {signatory.status} on {document.date}, when it was not a "
                    f"member of {org.id} (membership found: {found})",
                    ("signatories", index),
                )


def _memberships_by_country(dataset: Dataset) -> dict[tuple[str, str], list[Membership]]:
    """Each organisation's memberships by country, in their order: looked up for every
    record a rule reads, rather than sought among all of them each time."""
    terms: dict[tuple[str, str], list[Membership]] = {}
    for org in dataset.orgs.values():
        for membership in org.memberships:
            terms.setdefault((org.id, membership.country), []).append(membership)
    return terms


def _term_text(membership: Membership) -> str:
    start = membership.from_ or "start not given"
    end = membership.to or "end not given"
    return f"{membership.role} {start} to {end}"


@rule(
    "membership-event-mismatch",
    "warning",
    "a membership whose start differs from the date of the founding or accession event that "
    "records it",
)
def membership_event_mismatch(dataset: Dataset) -> Iterator[Found]:
    joining = {"accession": ("member",), "founding": ("founder",)}
    # The joining events of each organisation and country, in the dataset's order: one
    # pass over the events, not one for each membership.
    events_of: dict[tuple[str, str], list[Event]] = {}
    for event in dataset.events.values():
        if event.kind in joining:
            for org_id in dict.fromkeys(event.orgs):
                for country in dict.fromkeys(event.countries):
                    events_of.setdefault((org_id, country), []).append(event)
    for org in dataset.orgs.values():
        for index, membership in enumerate(org.memberships):
            if membership.from_ is None:
                continue
            for event in events_of.get((org.id, membership.country), []):
                if membership.role in joining[event.kind] and not event.date.meets(
                    *membership.from_.reach
                ):
                    yield Found(
                        org,
                        f"the membership of {membership.country} starts {membership.from_}, but "
                        f"the {event.kind} event {event.id} is dated {event.date}",
                        ("memberships", index, "from"),
                    )


@rule(
    "overlapping-holders",
    "error",
    "two holders of the same office marked `single_holder = true` whose terms certainly "
    "overlap (an open or unknown end never makes them)",
)
def overlapping_holders(dataset: Dataset) -> Iterator[Found]:
    holders: dict[
        tuple[str, str | None, str | None, str | None], list[tuple[Any, int, Office]]
    ] = {}
    for person in dataset.people.values():
        for index, office in enumerate(person.offices):
            if office.single_holder:
                key = (fold(office.title), office.org, office.body, office.country)
                holders.setdefault(key, []).append((person, index, office))
    for entries in holders.values():
        for (first, index, office), (second, _, other) in combinations(entries, 2):
            if first.id == second.id:
                continue
            if terms_overlap((office.from_, office.to), (other.from_, other.to)):
                yield Found(
                    first,
                    f"holds '{office.title}' ({office.from_} to {office.to}) while {second.id} "
                    f"holds it ({other.from_} to {other.to}); only one person holds it at a time",
                    ("offices", index),
                )


@rule(
    "office-order",
    "error",
    "an office that starts after the person's next office in the same body ended",
)
def office_order(dataset: Dataset) -> Iterator[Found]:
    for person in dataset.people.values():
        by_body: dict[str, list[tuple[int, Office]]] = {}
        for index, office in enumerate(person.offices):
            if office.body:
                by_body.setdefault(office.body, []).append((index, office))
        for entries in by_body.values():
            for (index, office), (_, following) in pairwise(entries):
                start, end = office.from_, following.to
                first, last = (start.reach[0] if start else None), (end.reach[1] if end else None)
                if first and last and first > last:
                    yield Found(
                        person,
                        f"'{office.title}' starts {start}, after the next office in "
                        f"{office.body}, '{following.title}', ended ({end})",
                        ("offices", index, "from"),
                    )


@rule(
    "event-document-date",
    "warning",
    "an event naming a document whose date it cannot share, given both dates' precision",
)
def event_document_date(dataset: Dataset) -> Iterator[Found]:
    for event in dataset.events.values():
        for index, document_id in enumerate(event.documents):
            date = dataset.documents[document_id].date
            if date is not None and not event.date.meets(*date.reach):
                yield Found(
                    event,
                    f"dated {event.date}, but the document it names, {document_id}, "
                    f"is dated {date}",
                    ("documents", index),
                )


@rule(
    "count-mismatch",
    "warning",
    "a declared count (bodies of a category, members, areas) that differs from the records, "
    "with the difference",
)
def count_mismatch(dataset: Dataset) -> Iterator[Found]:
    bodies = list(dataset.bodies.values())
    for org in dataset.orgs.values():
        for index, count in enumerate(org.counts):
            named, what = named_count(count, org, bodies)
            if count.qualifier == "exactly" and named != count.value:
                difference = count.value - named
                gap = f"{difference} not recorded" if difference > 0 else f"{-difference} too many"
                yield Found(
                    org,
                    f"declares {count.value} {what}; the dataset has {named} ({gap})",
                    ("counts", index),
                )


@rule("unused-source", "warning", "a source nothing cites")
def unused_source(dataset: Dataset) -> Iterator[Found]:
    # One pass over the references, rather than an index of who refers to what,
    # which would hold a pair for each of them (870,000 at 100,000 events).
    uncited = set(dataset.sources)
    for record in dataset:
        if uncited:
            uncited.difference_update(ref.target for ref in dataset.references(record))
    for source in dataset.sources.values():
        if source.id in uncited:
            yield Found(source, "no record cites this source")


@rule(
    "single-op-ed-source",
    "warning",
    "an official position resting on op-eds alone: it needs a second source",
)
def single_op_ed_source(dataset: Dataset) -> Iterator[Found]:
    for fact in dataset.facts.values():
        kinds = {dataset.sources[s].kind for s in fact.sources}
        if fact.kind == "official_position" and kinds == {"op_ed"}:
            yield Found(
                fact,
                "states an official position on the word of opinion pieces alone; "
                "it needs a second, official source",
                ("sources",),
            )


def _dated_parts(record: Record) -> Iterator[tuple[Path, EdtfDate, Cited]]:
    """Every date of a record and of its entries, with the part that holds it."""
    for name in ("date", "founded"):
        value = getattr(record, name, None)
        if isinstance(value, EdtfDate):
            yield (name,), value, record
    for key in ("offices", "memberships", "counts", "signatories"):
        for index, entry in enumerate(getattr(record, key, [])):
            for attribute, label in (("from_", "from"), ("to", "to"), ("as_of", "as_of")):
                value = getattr(entry, attribute, None)
                if isinstance(value, EdtfDate):
                    yield (key, index, label), value, entry


@rule(
    "inferred-date-without-note",
    "error",
    "a date marked `?` (inferred) on a record or entry that has no note saying how",
)
def inferred_date_without_note(dataset: Dataset) -> Iterator[Found]:
    for record in dataset:
        for path, date, part in _dated_parts(record):
            if date.uncertain and not (part.note or record.note):
                yield Found(
                    record,
                    f"{path[-1]} {date} is marked as inferred (?) but no note says how",
                    path,
                )


def _read_valid(path: str | os.PathLike[str] | None) -> Dataset | list[Problem]:
    """The dataset, read a part at a time and kept as records (without the text and
    models each part was read from), or, if it has any, its problems."""
    kept: list[tuple[Record, Origin, list[Reference]]] = []
    # The line indexes of the file being read, with its name: each lets go of its
    # file's text once the next file begins, so that one file's text is held at a time.
    reading: dict[Any, str] = {}

    def keep(part: Dataset) -> None:
        indexes: dict[Any, str] = {}
        for record in part:
            origin = part.origin(record.id)
            indexes[origin.lines] = origin.file
            kept.append((record, origin, part.references(record)))
        _release({lines: file for lines, file in reading.items() if lines not in indexes})
        reading.clear()
        reading.update(indexes)

    parts = read_in_parts(path, store=keep)
    _release(reading)
    if parts.valid:
        dataset = MemoryDataset.of_records(parts.directory, kept)
        dataset.notes = parts.notes
        return dataset
    kept.clear()
    whole, problems = read_dataset(path)  # every problem, with its place
    return problems or whole


def _release(indexes: dict[Any, str]) -> None:
    """Let each file's line index go of the file's text (see LazyLineIndex.release)."""
    for lines, file in indexes.items():
        if isinstance(lines, LazyLineIndex):
            lines.release(file)


def check(path: str | os.PathLike[str] | None = None) -> CheckResult:
    """Validate a dataset, then run every registered rule; silenced findings are kept
    apart."""
    dataset = _read_valid(path)
    if isinstance(dataset, list):
        return CheckResult(problems=dataset)
    result = CheckResult()
    with collector_paused():  # the rules walk every record: see collector_paused
        for registered in list(RULES.values()):
            for found in registered.find(dataset):
                finding = _finding(dataset, found, registered)
                record = found.record
                ignored = record.check_ignore
                reason = next((i.reason for i in ignored if i.rule == finding.rule), None)
                if reason is None:
                    result.findings.append(finding)
                else:
                    result.silenced.append((finding, reason))
    result.findings.sort(key=lambda f: (f.file, f.line, f.rule))
    return result
