"""A loaded dataset: every record by id, by kind, and where it was read from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from cislog.kinds import RecordKind, Reference

if TYPE_CHECKING:
    from cislog.model import Body, Country, Document, Event, Fact, Org, Person, Record, Source


class Lines(Protocol):
    """Something that can tell the line of a key path in one file."""

    def line_of(self, path: tuple[str | int, ...]) -> int: ...


@dataclass(frozen=True, slots=True)
class Origin:
    """The file and line where a record starts.

    The line is looked up only when asked for: indexing the lines of a large
    file costs more than parsing it, and most runs never need a line number.
    """

    file: str
    lines: Lines
    path: tuple[str | int, ...]

    @property
    def line(self) -> int:
        return self.lines.line_of(self.path)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Dataset:
    """Validated records with lookups by id and by kind.

    Ids are unique across all kinds, so ``dataset["az"]`` needs no kind.
    """

    def __init__(
        self,
        directory: Path,
        records: list[tuple[Record, Origin]],
        references: dict[str, list[Reference]] | None = None,
    ) -> None:
        self.directory = directory
        # What the reader left out and the user should hear of (skipped entries).
        self.notes: list[str] = []
        self._records: dict[str, Record] = {}
        self._origins: dict[str, Origin] = {}
        # Given when the records come from the cache, where no model is at hand.
        self._references = references
        self._referrers: dict[str, list[tuple[Record, Reference]]] | None = None
        # Each kind's records by id, built on first use: rules and queries read
        # ``dataset.events`` in loops, and rebuilding it each time made ``check`` quadratic.
        self._kinds: dict[RecordKind, dict[str, Any]] = {}
        for record, origin in records:
            self._records[record.id] = record
            self._origins[record.id] = origin

    def __getitem__(self, record_id: str) -> Record:
        return self._records[record_id]

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._records

    def __iter__(self) -> Iterator[Record]:
        return iter(self._records.values())

    def __len__(self) -> int:
        return len(self._records)

    def get(self, record_id: str) -> Record | None:
        return self._records.get(record_id)

    def origin(self, record_id: str) -> Origin:
        """Where the record with this id was read from."""
        return self._origins[record_id]

    def referrers(self, record_id: str) -> list[tuple[Record, Reference]]:
        """The records that refer to ``record_id``, each with the reference it makes."""
        if self._referrers is None:
            index: dict[str, list[tuple[Record, Reference]]] = {}
            for record in self._records.values():
                for ref in self.references(record):
                    index.setdefault(ref.target, []).append((record, ref))
            self._referrers = index
        return self._referrers.get(record_id, [])

    def references(self, record: Record) -> list[Reference]:
        """Every reference a record makes (see :func:`cislog.model.references`)."""
        if self._references is not None:
            return self._references.get(record.id, [])
        from cislog.model import references

        return list(references(record))

    def of_kind(self, kind: RecordKind) -> list[Record]:
        return list(self._kind(kind).values())

    # Prefilters: a superset of what a query keeps, which the query then filters
    # exactly. In memory they keep everything; the cache narrows them with SQL.

    def dated_candidates(
        self,
        earliest: dt.date | None,
        latest: dt.date | None,
        words: Sequence[str] = (),
        reverse: bool = False,
    ) -> Iterable[Event | Document]:
        """Dated events and documents that may fall in the range and hold the words,
        in chronological order (by :attr:`EdtfDate.sort_day`, then id)."""
        dated: list[Event | Document] = [*self.events.values(), *self.documents.values()]
        dated = [record for record in dated if record.date is not None]
        dated.sort(key=lambda r: (r.date.sort_day, r.id), reverse=reverse)  # type: ignore[union-attr]
        return dated

    def search_text(self, record: Record) -> str:
        """All of a record's text, folded: what searches match."""
        from cislog.recordtext import searchable_text

        return searchable_text(record)

    def signing_candidates(self, countries: Sequence[str]) -> list[Document]:
        """Documents that may list one of ``countries`` among their signatories.

        Each has at least its id, title, date and org, and every signatory of
        ``countries`` (the cache gives only those): enough for a signature row,
        and all that a caller may read.
        """
        return list(self.documents.values())

    def _kind(self, kind: RecordKind) -> dict[str, Any]:
        known = self._kinds.get(kind)
        if known is None:
            known = self._kinds[kind] = self._typed(kind)
        return known

    def _typed(self, kind: RecordKind) -> dict[str, Any]:
        # By KIND, not isinstance: records read from the cache are not model instances,
        # but offer the same attributes (see cislog.stored).
        return {rid: rec for rid, rec in self._records.items() if kind == rec.KIND}

    @property
    def sources(self) -> dict[str, Source]:
        return cast("dict[str, Source]", self._kind("source"))

    @property
    def countries(self) -> dict[str, Country]:
        return cast("dict[str, Country]", self._kind("country"))

    @property
    def orgs(self) -> dict[str, Org]:
        return cast("dict[str, Org]", self._kind("org"))

    @property
    def bodies(self) -> dict[str, Body]:
        return cast("dict[str, Body]", self._kind("body"))

    @property
    def people(self) -> dict[str, Person]:
        return cast("dict[str, Person]", self._kind("person"))

    @property
    def documents(self) -> dict[str, Document]:
        return cast("dict[str, Document]", self._kind("document"))

    @property
    def events(self) -> dict[str, Event]:
        return cast("dict[str, Event]", self._kind("event"))

    @property
    def facts(self) -> dict[str, Fact]:
        return cast("dict[str, Fact]", self._kind("fact"))
