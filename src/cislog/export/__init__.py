"""Exports of a dataset, or of a timeline selection, into formats other tools read.

:func:`select` decides what goes out (every record, or the timeline entries a
filter keeps plus every record they lead to); each format has a module of its
own that turns an :class:`Export` into text or a file. :mod:`cislog.export.files`
writes the result to a path without ever damaging the dataset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from cislog.errors import CislogError
from cislog.kinds import RECORD_KINDS, RecordKind

if TYPE_CHECKING:
    from cislog.dataset import Dataset
    from cislog.dates import EdtfDate
    from cislog.model import Record, Source
    from cislog.query import TimelineFilter

Json = dict[str, Any]


class ExportError(CislogError):
    """An export that cannot be made, or written where it was asked to go."""


FORMATS = ("json", "ndjson", "csv", "ics", "timelinejs", "sqlite", "markdown")

# The plural a table or a file of each kind is named by (``events.csv``, ``events`` table).
PLURALS: dict[RecordKind, str] = {
    "source": "sources",
    "country": "countries",
    "org": "orgs",
    "body": "bodies",
    "person": "people",
    "document": "documents",
    "event": "events",
    "fact": "facts",
}


@dataclass(frozen=True, slots=True)
class Export:
    """What an export holds: records by kind, and the timeline entries among them.

    ``records`` keeps every kind, empty ones included, in the dataset's order;
    ``timeline`` holds the chronology (``query.timeline`` entries) that the
    calendar-like formats show.
    """

    dataset: Dataset
    records: dict[RecordKind, list[Record]]
    timeline: list[Json]
    # How a date filter kept each entry (certain or possible), when one chose them.
    matches: dict[str, str] = field(default_factory=dict)

    def record(self, record_id: str) -> Record:
        return self.dataset[record_id]

    def date(self, entry: Json) -> EdtfDate:
        """The parsed date of a timeline entry (every entry has one)."""
        return cast("EdtfDate", getattr(self.dataset[entry["id"]], "date"))  # noqa: B009

    def source(self, source_id: str) -> Source:
        return cast("Source", self.dataset[source_id])

    def citation(self, source_id: str) -> str:
        """A source as one line of plain text: title, author, date, url, then its id."""
        source = self.source(source_id)
        parts = [source.title, source.author, str(source.date) if source.date else None]
        parts.append(source.url)
        return ", ".join(p for p in parts if p) + f" [{source_id}]"

    def all_records(self) -> Iterator[Record]:
        for kind in RECORD_KINDS:
            yield from self.records[kind]

    def source_ids(self) -> set[str]:
        return {record.id for record in self.records["source"]}


def select(dataset: Dataset, want: TimelineFilter | None = None) -> Export:
    """Every record when ``want`` filters nothing; otherwise the events and documents
    it keeps plus every record they refer to, directly or through others, so that
    every reference in the export resolves."""
    from cislog.query import TimelineFilter, timeline

    want = want or TimelineFilter()
    entries = timeline(dataset, want)
    if want == TimelineFilter():
        kept = None
    else:
        kept = _closure(dataset, [entry["id"] for entry in entries])
    records: dict[RecordKind, list[Record]] = {kind: [] for kind in RECORD_KINDS}
    for record in dataset:
        if kept is None or record.id in kept:
            records[record.KIND].append(record)
    matches = {e["id"]: e["match"] for e in entries} if want.period.bounded else {}
    return Export(dataset, records, entries, matches)


def _closure(dataset: Dataset, start: list[str]) -> set[str]:
    """The ids in ``start`` and every id reachable from them through references."""
    seen = set(start)
    todo = list(start)
    while todo:
        record = dataset[todo.pop()]
        for reference in dataset.references(record):
            if reference.target not in seen:
                seen.add(reference.target)
                todo.append(reference.target)
    return seen
