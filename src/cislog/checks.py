"""Consistency checks across records, as a careful editor of a chronology makes them.

``cislog validate`` checks each record against the format; these rules check
records against each other: dates against foundings and memberships,
signatures against membership, declared counts against what is recorded,
terms of office against each other, sources against their use. Each finding
has a stable rule name, so that a record can silence one with a reason
(``[[kind.check_ignore]]``), and a severity: an error is a contradiction, a
warning something an editor should look at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import combinations, pairwise
from typing import Any, Literal

from cislog.dataset import Dataset
from cislog.dates import EdtfDate, terms_overlap
from cislog.errors import Problem
from cislog.folding import fold
from cislog.model import Cited, Membership, Office, Record
from cislog.pipeline import read_dataset
from cislog.query import Period

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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckResult:
    """Validation problems (if any, no rule ran), findings, and silenced findings."""

    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    silenced: list[tuple[Finding, str]] = field(default_factory=list)

    def failed(self, strict: bool = False) -> bool:
        severities = {"error", "warning"} if strict else {"error"}
        return bool(self.problems) or any(f.severity in severities for f in self.findings)


def _finding(
    dataset: Dataset, record: Record, rule: str, severity: Severity, message: str, path: Path = ()
) -> Finding:
    origin = dataset.origin(record.id)
    line = origin.lines.line_of((*origin.path, *path))
    return Finding(origin.file, line, record.id, rule, severity, message)


# --- the rules ------------------------------------------------------------------


def _dated_records(dataset: Dataset) -> Iterator[tuple[Record, EdtfDate, list[str], list[str]]]:
    """Events and dated documents, with the orgs and countries they name."""
    for event in dataset.events.values():
        yield event, event.date, list(event.orgs), list(event.countries)
    for document in dataset.documents.values():
        if document.date is not None:
            countries = [s.country for s in document.signatories]
            yield document, document.date, [document.org] if document.org else [], countries


def dated_before_founding(dataset: Dataset) -> Iterator[Finding]:
    for record, date, orgs, _ in _dated_records(dataset):
        for org_id in orgs:
            founded = dataset.orgs[org_id].founded
            # Certainly before: even a ? or ~ date's reach (see dates.Day.reach) is.
            first, last = (founded.reach[0] if founded else None), date.reach[1]
            if first and last and last < first:
                yield _finding(
                    dataset, record, "dated-before-founding", "error",
                    f"dated {date}, before {org_id} was founded ({founded})", ("date",),
                )  # fmt: skip


def dated_after_leaving(dataset: Dataset) -> Iterator[Finding]:
    for record, date, orgs, countries in _dated_records(dataset):
        for org_id in orgs:
            for country in countries:
                terms = [m for m in dataset.orgs[org_id].memberships if m.country == country]
                # Left only if every membership has an end a source gives, not "..",
                # nor "on or after" (which may never have come).
                ends = [m.to.reach[1] if m.to else None for m in terms]
                if not terms or None in ends:
                    continue
                last = max(end for end in ends if end is not None)
                if date.reach[0] and date.reach[0] > last:
                    yield _finding(
                        dataset, record, "dated-after-leaving", "error",
                        f"dated {date} and naming {country} and {org_id}, "
                        f"but {country} left {org_id} on {last.isoformat()}",
                        ("date",),
                    )  # fmt: skip


def signed_by_non_member(dataset: Dataset) -> Iterator[Finding]:
    for document in dataset.documents.values():
        if document.date is None or document.org is None:
            continue
        period = Period(*document.date.reach)
        org = dataset.orgs[document.org]
        for index, signatory in enumerate(document.signatories):
            if not signatory.status.startswith("signed"):
                continue
            terms = [m for m in org.memberships if m.country == signatory.country]
            if terms and all(period.term(m.from_, m.to) is None for m in terms):
                found = "; ".join(_term_text(m) for m in terms)
                yield _finding(
                    dataset, document, "signed-by-non-member", "warning",
                    f"{signatory.country} {signatory.status} on {document.date}, when it was not a "
                    f"member of {org.id} (membership found: {found})",
                    ("signatories", index),
                )  # fmt: skip


def _term_text(membership: Membership) -> str:
    start = membership.from_ or "start not given"
    end = membership.to or "end not given"
    return f"{membership.role} {start} to {end}"


def membership_event_mismatch(dataset: Dataset) -> Iterator[Finding]:
    joining = {"accession": ("member",), "founding": ("founder",)}
    for org in dataset.orgs.values():
        for index, membership in enumerate(org.memberships):
            if membership.from_ is None:
                continue
            for event in dataset.events.values():
                roles = joining.get(event.kind, ())
                if (
                    membership.role in roles
                    and org.id in event.orgs
                    and membership.country in event.countries
                    and not event.date.meets(*membership.from_.reach)
                ):
                    yield _finding(
                        dataset, org, "membership-event-mismatch", "warning",
                        f"the membership of {membership.country} starts {membership.from_}, but "
                        f"the {event.kind} event {event.id} is dated {event.date}",
                        ("memberships", index, "from"),
                    )  # fmt: skip


def overlapping_holders(dataset: Dataset) -> Iterator[Finding]:
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
                yield _finding(
                    dataset, first, "overlapping-holders", "error",
                    f"holds '{office.title}' ({office.from_} to {office.to}) while {second.id} "
                    f"holds it ({other.from_} to {other.to}); only one person holds it at a time",
                    ("offices", index),
                )  # fmt: skip


def office_order(dataset: Dataset) -> Iterator[Finding]:
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
                    yield _finding(
                        dataset, person, "office-order", "error",
                        f"'{office.title}' starts {start}, after the next office in "
                        f"{office.body}, '{following.title}', ended ({end})",
                        ("offices", index, "from"),
                    )  # fmt: skip


def event_document_date(dataset: Dataset) -> Iterator[Finding]:
    for event in dataset.events.values():
        for index, document_id in enumerate(event.documents):
            date = dataset.documents[document_id].date
            if date is not None and not event.date.meets(*date.reach):
                yield _finding(
                    dataset, event, "event-document-date", "warning",
                    f"dated {event.date}, but the document it names, {document_id}, "
                    f"is dated {date}",
                    ("documents", index),
                )  # fmt: skip


def count_mismatch(dataset: Dataset) -> Iterator[Finding]:
    from cislog.validation import named_count

    bodies = list(dataset.bodies.values())
    for org in dataset.orgs.values():
        for index, count in enumerate(org.counts):
            named, what = named_count(count, org, bodies)
            if count.qualifier == "exactly" and named != count.value:
                difference = count.value - named
                gap = f"{difference} not recorded" if difference > 0 else f"{-difference} too many"
                yield _finding(
                    dataset, org, "count-mismatch", "warning",
                    f"declares {count.value} {what}; the dataset has {named} ({gap})",
                    ("counts", index),
                )  # fmt: skip


def unused_source(dataset: Dataset) -> Iterator[Finding]:
    for source in dataset.sources.values():
        if not dataset.referrers(source.id):
            yield _finding(
                dataset, source, "unused-source", "warning",
                "no record cites this source",
            )  # fmt: skip


def single_op_ed_source(dataset: Dataset) -> Iterator[Finding]:
    for fact in dataset.facts.values():
        kinds = {dataset.sources[s].kind for s in fact.sources}
        if fact.kind == "official_position" and kinds == {"op_ed"}:
            yield _finding(
                dataset, fact, "single-op-ed-source", "warning",
                "states an official position on the word of opinion pieces alone; "
                "it needs a second, official source",
                ("sources",),
            )  # fmt: skip


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


def inferred_date_without_note(dataset: Dataset) -> Iterator[Finding]:
    for record in dataset:
        for path, date, part in _dated_parts(record):
            if date.uncertain and not (part.note or record.note):
                yield _finding(
                    dataset, record, "inferred-date-without-note", "error",
                    f"{path[-1]} {date} is marked as inferred (?) but no note says how",
                    path,
                )  # fmt: skip


Rule = Callable[[Dataset], Iterator[Finding]]
RULES: dict[str, Rule] = {
    "dated-before-founding": dated_before_founding,
    "dated-after-leaving": dated_after_leaving,
    "signed-by-non-member": signed_by_non_member,
    "membership-event-mismatch": membership_event_mismatch,
    "overlapping-holders": overlapping_holders,
    "office-order": office_order,
    "event-document-date": event_document_date,
    "count-mismatch": count_mismatch,
    "unused-source": unused_source,
    "single-op-ed-source": single_op_ed_source,
    "inferred-date-without-note": inferred_date_without_note,
}


def check(path: str | os.PathLike[str] | None = None) -> CheckResult:
    """Validate a dataset, then run every rule; silenced findings are kept apart."""
    dataset, problems = read_dataset(path)
    if problems:
        return CheckResult(problems=problems)
    result = CheckResult()
    for rule in RULES.values():
        for finding in rule(dataset):
            record = dataset[finding.id]
            reason = next((i.reason for i in record.check_ignore if i.rule == finding.rule), None)
            if reason is None:
                result.findings.append(finding)
            else:
                result.silenced.append((finding, reason))
    result.findings.sort(key=lambda f: (f.file, f.line, f.rule))
    return result
