"""A loaded dataset: every record by id, by kind, and where it was read from.

:class:`Dataset` is the one interface every query, view, check and export reads
a dataset through (the record store). It has two implementations: records held
in memory (:class:`MemoryDataset`, what reading the files gives) and records
read from the SQLite cache as they are asked for (:class:`cislog.cache.CachedDataset`).
Both give the typed records of :mod:`cislog.records`, so that a query is written
once and type-checked for both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast

from cislog.kinds import RecordKind, Reference
from cislog.records import (
    Body,
    Country,
    Document,
    Event,
    Fact,
    Org,
    Person,
    Record,
    SigningDocument,
    Source,
    from_model,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from cislog import model


class Lines(Protocol):
    """Something that can tell the line of a key path in one file."""

    def line_of(self, path: tuple[str | int, ...]) -> int: ...


class Origin(NamedTuple):
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


class Dataset(Protocol):
    """A validated dataset, read-only: lookups by id and by kind, and the prefilters
    that let the cache answer a query without reading every record.

    Ids are unique across all kinds, so ``dataset["az"]`` needs no kind. The
    prefilters (``dated_candidates``, ``signing_candidates``) give a superset of
    what a query keeps, which the query then filters exactly.
    """

    directory: Path
    # What the reader left out and the user should hear of (skipped entries).
    notes: list[str]

    def __getitem__(self, record_id: str) -> Record: ...

    def __contains__(self, record_id: object) -> bool: ...

    def __iter__(self) -> Iterator[Record]: ...

    def __len__(self) -> int: ...

    def get(self, record_id: str) -> Record | None: ...

    def origin(self, record_id: str) -> Origin:
        """Where the record with this id was read from."""
        ...

    def references(self, record: Record) -> list[Reference]:
        """Every reference a record makes (see :func:`cislog.model.references`)."""
        ...

    def referrers(self, record_id: str) -> list[tuple[Record, Reference]]:
        """The records that refer to ``record_id``, each with the reference it makes."""
        ...

    def of_kind(self, kind: RecordKind) -> list[Record]: ...

    def dated_candidates(
        self,
        earliest: dt.date | None,
        latest: dt.date | None,
        words: Sequence[str] = (),
        reverse: bool = False,
    ) -> Iterable[Event | Document]:
        """Dated events and documents that may fall in the range and hold the words
        (folded), in chronological order (by :attr:`EdtfDate.sort_day`, then id)."""
        ...

    def search_text(self, record: Record) -> str:
        """All of a record's text, folded: what searches match."""
        ...

    def search_candidates(self, words: Sequence[str]) -> Iterable[Record]:
        """Records that may hold every one of ``words`` (folded), in no set order (a
        search ranks them): at least each record whose :meth:`search_text` holds
        each word somewhere."""
        ...

    def signing_candidates(self, countries: Sequence[str]) -> list[SigningDocument]:
        """Documents that may list one of ``countries`` among their signatories, as
        much of each as a signature row shows, with at least every signatory of
        ``countries``."""
        ...

    @property
    def sources(self) -> Mapping[str, Source]: ...

    @property
    def countries(self) -> Mapping[str, Country]: ...

    @property
    def orgs(self) -> Mapping[str, Org]: ...

    @property
    def bodies(self) -> Mapping[str, Body]: ...

    @property
    def people(self) -> Mapping[str, Person]: ...

    @property
    def documents(self) -> Mapping[str, Document]: ...

    @property
    def events(self) -> Mapping[str, Event]: ...

    @property
    def facts(self) -> Mapping[str, Fact]: ...


class ByKind:
    """Each kind's records by id, for both implementations: built on first use from
    ``_typed`` and kept, since rules and queries read ``dataset.events`` in loops
    (rebuilding it each time made ``check`` quadratic)."""

    def __init__(self) -> None:
        self._kinds: dict[RecordKind, dict[str, Any]] = {}

    def _typed(self, kind: RecordKind) -> dict[str, Any]:
        raise NotImplementedError

    def _kind(self, kind: RecordKind) -> dict[str, Any]:
        known = self._kinds.get(kind)
        if known is None:
            known = self._kinds[kind] = self._typed(kind)
        return known

    def of_kind(self, kind: RecordKind) -> list[Record]:
        return list(self._kind(kind).values())

    @property
    def sources(self) -> Mapping[str, Source]:
        return cast("dict[str, Source]", self._kind("source"))

    @property
    def countries(self) -> Mapping[str, Country]:
        return cast("dict[str, Country]", self._kind("country"))

    @property
    def orgs(self) -> Mapping[str, Org]:
        return cast("dict[str, Org]", self._kind("org"))

    @property
    def bodies(self) -> Mapping[str, Body]:
        return cast("dict[str, Body]", self._kind("body"))

    @property
    def people(self) -> Mapping[str, Person]:
        return cast("dict[str, Person]", self._kind("person"))

    @property
    def documents(self) -> Mapping[str, Document]:
        return cast("dict[str, Document]", self._kind("document"))

    @property
    def events(self) -> Mapping[str, Event]:
        return cast("dict[str, Event]", self._kind("event"))

    @property
    def facts(self) -> Mapping[str, Fact]:
        return cast("dict[str, Fact]", self._kind("fact"))


class MemoryDataset(ByKind):
    """The records of a dataset read from its files, held in memory.

    Built from the validated models (their references are taken from the models'
    metadata then), and holding the typed records each converts to.
    """

    def __init__(
        self,
        directory: Path,
        models: Iterable[tuple[model.Record, Origin]],
        references: Mapping[str, list[Reference]] | None = None,
    ) -> None:
        """``references`` are those of the records by id, where they were listed already
        (by the check of references); the others are listed from the models."""
        super().__init__()
        from cislog.model import references as listed

        self.directory = directory
        self.notes: list[str] = []
        self._models: dict[str, model.Record] = {}
        self._converted: dict[str, Record] | None = None
        self._origins: dict[str, Origin] = {}
        self._references: dict[str, list[Reference]] = {}
        self._referrers: dict[str, list[tuple[Record, Reference]]] | None = None
        known = references or {}
        for validated, origin in models:
            self._models[validated.id] = validated
            self._origins[validated.id] = origin
            found = known.get(validated.id)
            self._references[validated.id] = list(listed(validated)) if found is None else found

    @classmethod
    def of_records(
        cls, directory: Path, entries: Iterable[tuple[Record, Origin, list[Reference]]]
    ) -> MemoryDataset:
        """A dataset of records converted already, each with its origin and references:
        the parts of a dataset read a part at a time, without their models."""
        dataset = cls(directory, ())
        converted: dict[str, Record] = {}
        for record, origin, references in entries:
            converted[record.id] = record
            dataset._origins[record.id] = origin
            dataset._references[record.id] = references
        dataset._converted = converted
        return dataset

    @property
    def _records(self) -> dict[str, Record]:
        """The typed records, converted from the models when first asked for: ``validate``
        counts a dataset and never reads a record, and converting 100,000 of them
        costs a fifth of reading them."""
        if self._converted is None:
            self._converted = {rid: from_model(m) for rid, m in self._models.items()}
        return self._converted

    def __getitem__(self, record_id: str) -> Record:
        return self._records[record_id]

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._origins

    def __iter__(self) -> Iterator[Record]:
        return iter(self._records.values())

    def __len__(self) -> int:
        return len(self._origins)

    def get(self, record_id: str) -> Record | None:
        return self._records.get(record_id)

    def origin(self, record_id: str) -> Origin:
        return self._origins[record_id]

    def references(self, record: Record) -> list[Reference]:
        return self._references.get(record.id, [])

    def referrers(self, record_id: str) -> list[tuple[Record, Reference]]:
        if self._referrers is None:
            self._referrers = referrer_index(self._records.values(), self.references)
        return self._referrers.get(record_id, [])

    def dated_candidates(
        self,
        earliest: dt.date | None,
        latest: dt.date | None,
        words: Sequence[str] = (),
        reverse: bool = False,
    ) -> Iterable[Event | Document]:
        # In memory every dated record is a candidate; the query filters exactly.
        dated: list[Event | Document] = [*self.events.values(), *self.documents.values()]
        dated = [record for record in dated if record.date is not None]
        dated.sort(key=_chronological, reverse=reverse)
        return dated

    def search_text(self, record: Record) -> str:
        from cislog.recordtext import searchable_text

        return searchable_text(record)

    def search_candidates(self, words: Sequence[str]) -> Iterable[Record]:
        # In memory every record is a candidate; the query matches exactly.
        return list(self)

    def signing_candidates(self, countries: Sequence[str]) -> list[SigningDocument]:
        return [SigningDocument.of(document) for document in self.documents.values()]

    def _typed(self, kind: RecordKind) -> dict[str, Any]:
        return {rid: rec for rid, rec in self._records.items() if kind == rec.KIND}


def referrer_index(
    records: Iterable[Record], references: Callable[[Record], list[Reference]]
) -> dict[str, list[tuple[Record, Reference]]]:
    """Who refers to each id: the records, each with the reference it makes."""
    index: dict[str, list[tuple[Record, Reference]]] = {}
    for record in records:
        for ref in references(record):
            index.setdefault(ref.target, []).append((record, ref))
    return index


def _chronological(record: Event | Document) -> tuple[dt.date, str]:
    # Only dated records are sorted; an undated one would go first.
    return (record.date.sort_day if record.date else dt.date.min), record.id
