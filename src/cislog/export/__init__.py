"""Exports of a dataset, or of a timeline selection, into formats other tools read.

:func:`select` decides what goes out (every record, or the timeline entries a
filter keeps plus every record they lead to); each format has a module of its
own that turns an :class:`Export` into text or a file, and one entry in
:data:`FORMATS`, from which the CLI's choices, its help and the documentation's
checks are all taken. :mod:`cislog.export.files` writes the result to a path
without ever damaging the dataset.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from cislog.errors import CislogError
from cislog.kinds import RECORD_KINDS, RecordKind

if TYPE_CHECKING:
    from cislog.dataset import Dataset
    from cislog.dates import EdtfDate
    from cislog.query import TimelineFilter
    from cislog.records import Record, Source

Json = dict[str, Any]


class ExportError(CislogError):
    """An export that cannot be made, or written where it was asked to go."""


@dataclass(frozen=True, slots=True)
class Format:
    """An export format, defined once: its name, a line saying what it holds, and its
    code as ``"module:function"`` names, imported only when the format is used.

    ``render`` gives the whole export as text (``""`` for a binary format, which
    has ``write`` instead, taking the export and a path). ``left_out``, if given,
    names the timeline entries the format has no place for, each with the reason
    (a calendar cannot hold a date with no year), for the CLI to say so.
    """

    name: str
    summary: str
    render: str = ""
    write: str = ""
    left_out: str = ""

    @property
    def binary(self) -> bool:
        return not self.render

    def renderer(self) -> Callable[[Export], str]:
        return cast("Callable[[Export], str]", _function(self.render))

    def writer(self) -> Callable[[Export, Any], None]:
        return cast("Callable[[Export, Any], None]", _function(self.write))

    def omissions(self, export: Export) -> list[tuple[Json, str]]:
        if not self.left_out:
            return []
        found = _function(self.left_out)(export)
        return cast("list[tuple[Json, str]]", found)


def _function(name: str) -> Callable[..., Any]:
    module, _, function = name.partition(":")
    return cast("Callable[..., Any]", getattr(importlib.import_module(module), function))


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format to :data:`FORMATS` (a name taken is an error: formats never shadow
    each other). The CLI, its completion and the documentation checks read it."""
    if fmt.name in FORMATS:
        raise ValueError(f"an export format named {fmt.name!r} is registered already")
    if not (fmt.render or fmt.write):
        raise ValueError(f"the export format {fmt.name!r} has neither render nor write")
    FORMATS[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    del FORMATS[name]


for _format in (
    Format("json", "every record, by kind", render="cislog.export.jsonfmt:render_json"),
    Format("ndjson", "one record a line", render="cislog.export.jsonfmt:render_ndjson"),
    Format(
        "csv",
        "the timeline as one table, or every kind a file in a directory",
        render="cislog.export.csvfmt:render_timeline",
    ),
    Format(
        "ics",
        "an iCalendar file, an all-day event per timeline entry",
        render="cislog.export.ics:render",
        left_out="cislog.export.ics:left_out",
    ),
    Format(
        "timelinejs",
        "the JSON a TimelineJS3 timeline loads",
        render="cislog.export.timelinejs:render_text",
        left_out="cislog.export.timelinejs:left_out",
    ),
    Format(
        "sqlite",
        "a database file for Datasette or any SQLite client",
        write="cislog.export.sqlitefmt:write",
    ),
    Format(
        "markdown",
        "a chronology by year with its sources as footnotes",
        render="cislog.export.markdown:render",
    ),
):
    register(_format)


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
