"""Checks that need more than one record: ids, references, sources, terms and counts.

Each check takes the records as read (valid or not) and returns problems
placed on the line of the offending field. Records that failed their model
still count as existing, so a typo in one record does not make every reference
to it look broken too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Protocol

from pydantic import BaseModel

from cislog.errors import Problem
from cislog.kinds import RecordKind, Reference
from cislog.loading import RawRecord, ReadResult
from cislog.model import (
    MODELS,
    Body,
    Cited,
    Membership,
    Office,
    Org,
    Record,
    Source,
    raw_references,
    references,
)
from cislog.suggest import Suggester

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class RecordsRule:
    """A check across records, and what it reads besides each record itself.

    ``reads`` names the kinds whose records the rule follows from one to another
    (a body's parent, an organisation's declared counts of bodies): a change to
    any record of those kinds can change its findings anywhere, so the cache's
    refresh, which reads only the changed files, validates such a change with
    the whole dataset. A rule that reads only each record, and the ids and kinds
    of the others (which the refresh checks against the ids it stores), reads
    no kind.
    """

    name: str
    check: Callable[[list[RawRecord]], Iterator[Problem]]
    reads: tuple[RecordKind, ...] = ()


def check_records(result: ReadResult, others: Mapping[str, str] | None = None) -> list[Problem]:
    """Every cross-record problem in what was read.

    ``others`` gives the kind of each record by id outside ``result``: records
    already validated that references may name, when only changed files are read.
    """
    entries = result.records
    checks = [rule.check for rule in RULES]
    # With a file that could not be parsed, its records are unknown, so every
    # reference to them would be reported falsely: skip reference checks then.
    if result.complete:
        checks.append(partial(_references, others=others or {}))
    return [problem for check in checks for problem in check(entries)]


class Screen:
    """Whether :func:`check_records` would find nothing, told file by file, keeping only
    what the checks across files need: each record's id and kind, the distinct
    targets and kinds its references name, and the records of the kinds some rule
    follows across records (organisations, bodies, sources: a few in any dataset).

    A dataset of any size is screened in the memory of its largest file. It says only
    whether there is a problem, never which: a caller told of one reads the whole
    dataset again, for every problem with its place, as :func:`check_records` gives
    them. Rules that read nothing across records (each record's sources, terms,
    signatories; ids repeated within a file) run on each file's records as read.
    """

    def __init__(self) -> None:
        self._kinds: dict[str, str] = {}
        self._named: set[tuple[str, tuple[str, ...]]] = set()
        self._together: list[RawRecord] = []
        self._follows = kinds_read_together()
        self._alone = [rule.check for rule in RULES if not rule.reads]
        self.passed = True

    def add(self, result: ReadResult) -> bool:
        """Screen one file's records (or any part of a dataset, read whole); whether
        every part added so far passed."""
        if not self.passed or result.problems or not result.complete:
            self.passed = False
            return False
        entries = result.records
        for entry in entries:
            # With no problem, every record passed its model, and has an id.
            if entry.id is None or entry.id in self._kinds:
                self.passed = False
                return False
            self._kinds[entry.id] = entry.kind
            if entry.kind in self._follows:
                self._together.append(entry)
            self._named.update((ref.target, ref.kinds) for ref in _references_of(entry))
        if any(next(check(entries), None) is not None for check in self._alone):
            self.passed = False
        return self.passed

    def finish(self) -> bool:
        """Whether the whole dataset passes, once every part has been added."""
        if self.passed:
            kinds = self._kinds
            if any(kinds.get(target) not in wanted for target, wanted in self._named) or any(
                next(rule.check(self._together), None) is not None for rule in RULES if rule.reads
            ):
                self.passed = False
        return self.passed


def kinds_read_together() -> frozenset[RecordKind]:
    """The kinds some rule follows across records: a change to one of them is
    validated with the whole dataset (see :class:`RecordsRule`)."""
    return frozenset(kind for rule in RULES for kind in rule.reads)


def _valid(entries: list[RawRecord]) -> Iterator[tuple[RawRecord, Record]]:
    for entry in entries:
        if entry.record is not None:
            yield entry, entry.record


def _duplicate_ids(entries: list[RawRecord]) -> Iterator[Problem]:
    first: dict[str, RawRecord] = {}
    for entry in entries:
        if entry.id is None:
            continue
        earlier = first.setdefault(entry.id, entry)
        if earlier is not entry:
            yield entry.problem(
                ("id",),
                "duplicate-id",
                f"duplicate id: '{entry.id}' is already used by "
                f"the {earlier.kind} at {earlier.origin}",
            )


def _kinds_text(kinds: tuple[str, ...]) -> str:
    return " or ".join(kinds)


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def _references(entries: list[RawRecord], others: Mapping[str, str]) -> Iterator[Problem]:
    kind_of: dict[str, str] = dict(others)
    for entry in entries:
        if entry.id is not None:
            kind_of.setdefault(entry.id, entry.kind)
    # One index of the ids of each kind a reference may name, built when first needed:
    # a "did you mean" for each of thousands of broken references stays bounded.
    suggesters: dict[tuple[str, ...], Suggester] = {}
    for entry in entries:
        for ref in _references_of(entry):
            found = kind_of.get(ref.target)
            if found is None:
                suggester = suggesters.get(ref.kinds)
                if suggester is None:
                    same_kind = (i for i, k in kind_of.items() if k in ref.kinds)
                    suggester = suggesters[ref.kinds] = Suggester(same_kind)
                yield entry.problem(
                    ref.path,
                    "unknown-reference",
                    f"no {_kinds_text(ref.kinds)} with id '{ref.target}'"
                    f"{suggester.did_you_mean(ref.target)}",
                )
            elif found not in ref.kinds:
                yield entry.problem(
                    ref.path,
                    "wrong-reference-kind",
                    f"'{ref.target}' is {_a(found)}, not {_a(_kinds_text(ref.kinds))}",
                )


def _references_of(entry: RawRecord) -> list[Reference]:
    """A record's references, kept on it for the dataset; for one its model refused,
    those in the fields it did not refuse, so that one run reports a broken
    reference beside a bad date."""
    if entry.record is not None:
        entry.references = list(references(entry.record))
        return entry.references
    found = raw_references(MODELS[entry.kind], entry.raw)
    return [ref for ref in found if not entry.was_refused(ref.path)]


@cache
def _nested_lists(model_type: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(attribute, key) of each field holding a list of nested entries."""
    return tuple(
        (name, field.alias or name)
        for name, field in model_type.model_fields.items()
        if any(
            isinstance(arg, type) and issubclass(arg, BaseModel)
            for arg in getattr(field.annotation, "__args__", ())
        )
    )


def _cited_parts(model: BaseModel, path: Path = ()) -> Iterator[tuple[Path, Cited]]:
    """The record and each nested part that states a fact of its own."""
    if isinstance(model, Cited):
        yield path, model
    for name, key in _nested_lists(type(model)):
        for index, item in enumerate(getattr(model, name)):
            yield from _cited_parts(item, (*path, key, index))


def _uncited(entries: list[RawRecord]) -> Iterator[Problem]:
    for entry in entries:
        # A source is its own evidence; its `sources` only says where it was found.
        if entry.record is None:
            # Still worth saying for a record that failed its model: all problems at once.
            cited = entry.kind == "source" or bool(entry.raw.get("sources"))
            parts: list[tuple[Path, bool]] = [((), cited)]
        else:
            parts = [
                (path, bool(part.sources) or (path == () and isinstance(entry.record, Source)))
                for path, part in _cited_parts(entry.record)
            ]
        for path, cited in parts:
            if not cited:
                what = "record" if path == () else "entry"
                yield entry.problem(
                    (*path, "sources"),
                    "uncited",
                    f"cites no source: every {what} needs at least one source id in 'sources'",
                )


def _terms_in_order(entries: list[RawRecord]) -> Iterator[Problem]:
    for entry, record in _valid(entries):
        for path, part in _cited_parts(record):
            if not isinstance(part, Membership | Office):
                continue
            start, end = part.from_, part.to
            if start is None or end is None or start.earliest is None or end.latest is None:
                continue
            if start.earliest > end.latest:
                yield entry.problem(
                    (*path, "to"), "ends-before-start", f"ends ({end}) before it starts ({start})"
                )


def _repeated_signatories(entries: list[RawRecord]) -> Iterator[Problem]:
    for entry in entries:
        if entry.kind != "document":
            continue
        # As read, so that a document its model refused is checked too.
        signatories = entry.raw.get("signatories")
        seen: set[str] = set()
        for index, signatory in enumerate(signatories if isinstance(signatories, list) else []):
            country = signatory.get("country") if isinstance(signatory, dict) else None
            if not isinstance(country, str) or entry.was_refused(("signatories", index, "country")):
                continue
            if country in seen:
                yield entry.problem(
                    ("signatories", index, "country"),
                    "duplicate-signatory",
                    f"country '{country}' is listed twice among the signatories",
                )
            seen.add(country)


class _Count(Protocol):
    @property
    def of(self) -> str: ...
    @property
    def category(self) -> str | None: ...


class _Body(Protocol):
    @property
    def org(self) -> str: ...
    @property
    def category(self) -> str | None: ...


class _Member(Protocol):
    @property
    def country(self) -> str: ...
    @property
    def role(self) -> str: ...


class _Org(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def memberships(self) -> Sequence[_Member]: ...
    @property
    def areas(self) -> Sequence[str]: ...


def named_count(count: _Count, org: _Org, bodies: Sequence[_Body]) -> tuple[int, str]:
    """How many records the dataset holds for a declared count, and what they are: of
    validated models here, and of a dataset's records in ``cislog check``."""
    if count.of == "bodies":
        named = [b for b in bodies if b.org == org.id and count.category in (None, b.category)]
        what = f"{count.category} bodies" if count.category else "bodies"
        return len(named), what
    if count.of == "members":
        members = {m.country for m in org.memberships if count.category in (None, m.role)}
        return len(members), f"{count.category} members" if count.category else "members"
    return len(org.areas), "areas"


def _declared_counts(entries: list[RawRecord]) -> Iterator[Problem]:
    bodies = [r for _, r in _valid(entries) if isinstance(r, Body)]
    for entry, record in _valid(entries):
        if not isinstance(record, Org):
            continue
        for index, count in enumerate(record.counts):
            named, what = named_count(count, record, bodies)
            if count.qualifier == "exactly" and named > count.value:
                yield entry.problem(
                    ("counts", index, "value"),
                    "count-too-small",
                    f"the declared count of {what} is {count.value}, but the dataset has {named}",
                )


def _text_field(entry: RawRecord, key: str) -> str | None:
    """A string field as read, unless its model refused it (that message suffices)."""
    value = entry.raw.get(key)
    return value if isinstance(value, str) and not entry.was_refused((key,)) else None


def _cycles(entries: list[RawRecord]) -> Iterator[Problem]:
    """Bodies that are their own ancestors (through ``parent``) and sources that are
    part of themselves (through ``part_of``): each cycle once, on the member read first.

    A body's ``parent`` names a body by id. A source's ``part_of`` is the title of the
    work it belongs to, which may be a source itself: it names the source with that
    id, else the one other source with that title.
    """
    bodies: dict[str, RawRecord] = {}
    sources: dict[str, RawRecord] = {}
    titles: dict[str, list[RawRecord]] = {}
    for entry in entries:
        if entry.id is not None and entry.kind == "body":
            bodies.setdefault(entry.id, entry)
        elif entry.id is not None and entry.kind == "source":
            sources.setdefault(entry.id, entry)
            title = _text_field(entry, "title")
            if title is not None:
                titles.setdefault(title, []).append(entry)

    def parent(entry: RawRecord) -> RawRecord | None:
        target = _text_field(entry, "parent")
        return bodies.get(target) if target is not None else None

    def whole(entry: RawRecord) -> RawRecord | None:
        target = _text_field(entry, "part_of")
        if target is None:
            return None
        if target in sources:
            return sources[target]
        named = [other for other in titles.get(target, []) if other is not entry]
        return named[0] if len(named) == 1 else None

    for members, step, field, what in (
        (bodies, parent, "parent", "is its own ancestor"),
        (sources, whole, "part_of", "is part of itself"),
    ):
        for cycle in _cycles_of(list(members.values()), step):
            first = min(range(len(cycle)), key=lambda i: (cycle[i].origin.file, _line(cycle[i])))
            ordered = cycle[first:] + cycle[:first]
            chain = " → ".join(str(member.id) for member in [*ordered, ordered[0]])
            head = ordered[0]
            yield head.problem((field,), "cycle", f"{head.kind} '{head.id}' {what}: {chain}")


def _line(entry: RawRecord) -> int:
    return entry.origin.lines.line_of(entry.path)


def _cycles_of(
    nodes: list[RawRecord], step: Callable[[RawRecord], RawRecord | None]
) -> Iterator[list[RawRecord]]:
    """Each cycle of a graph where every node leads to at most one other, once, in
    the order its members are followed: one walk over the nodes, each visited once."""
    done: set[int] = set()
    for start in nodes:
        path: list[RawRecord] = []
        on_path: dict[int, int] = {}
        node: RawRecord | None = start
        while node is not None and id(node) not in done and id(node) not in on_path:
            on_path[id(node)] = len(path)
            path.append(node)
            node = step(node)
        if node is not None and id(node) in on_path:
            yield path[on_path[id(node)] :]
        done.update(on_path)


# Every check across records but the references' (which need to know whether each
# file was read whole), with what each reads; ids and references are checked
# against the ids of the records outside what was read.
RULES: tuple[RecordsRule, ...] = (
    RecordsRule("duplicate ids", _duplicate_ids),
    RecordsRule("uncited parts", _uncited),
    RecordsRule("terms in order", _terms_in_order),
    RecordsRule("repeated signatories", _repeated_signatories),
    RecordsRule("declared counts", _declared_counts, reads=("org", "body")),
    RecordsRule("cycles", _cycles, reads=("body", "source")),
)
