"""A loaded dataset: every record by id, by kind, and where it was read from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from cislog.kinds import RecordKind
from cislog.model import (
    Body,
    Country,
    Document,
    Event,
    Fact,
    Org,
    Person,
    Record,
    Reference,
    Source,
    references,
)

R = TypeVar("R", bound=Record)


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

    def __init__(self, directory: Path, records: list[tuple[Record, Origin]]) -> None:
        self.directory = directory
        self._records: dict[str, Record] = {}
        self._origins: dict[str, Origin] = {}
        self._referrers: dict[str, list[tuple[Record, Reference]]] | None = None
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
                for ref in references(record):
                    index.setdefault(ref.target, []).append((record, ref))
            self._referrers = index
        return self._referrers.get(record_id, [])

    def of_kind(self, kind: RecordKind) -> list[Record]:
        return [record for record in self._records.values() if kind == record.KIND]

    def _typed(self, model: type[R]) -> dict[str, R]:
        return {rid: rec for rid, rec in self._records.items() if isinstance(rec, model)}

    @property
    def sources(self) -> dict[str, Source]:
        return self._typed(Source)

    @property
    def countries(self) -> dict[str, Country]:
        return self._typed(Country)

    @property
    def orgs(self) -> dict[str, Org]:
        return self._typed(Org)

    @property
    def bodies(self) -> dict[str, Body]:
        return self._typed(Body)

    @property
    def people(self) -> dict[str, Person]:
        return self._typed(Person)

    @property
    def documents(self) -> dict[str, Document]:
        return self._typed(Document)

    @property
    def events(self) -> dict[str, Event]:
        return self._typed(Event)

    @property
    def facts(self) -> dict[str, Fact]:
        return self._typed(Fact)
