"""Horizontal bar charts drawn with Rich, for ``cislog stats`` and ``timeline --chart``.

A chart is a renderable that measures itself when printed, so that its bars
fill the width of the console it lands on: the terminal's, ``COLUMNS``, or
Rich's 80 columns in a pipe. It is made of characters only (block elements),
so it reads the same with ``NO_COLOR`` and in a file. Labels come from the
dataset and go through :func:`cislog.tables.literal`, as titles do, so that no
control or bidi character in them reaches the terminal as it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text

from cislog.tables import literal

Json = dict[str, Any]

FULL = "█"
# Eighths of a block, so that bars of close values still differ on a narrow screen.
_PARTS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")


@dataclass(frozen=True, slots=True)
class Bar:
    """One row: a label, the value its bar shows, and words after the value."""

    label: str
    value: int
    remark: str = ""


def bar_text(value: int, largest: int, width: int) -> str:
    """A bar of ``value`` on a scale where ``largest`` fills ``width`` cells.

    A non-zero value always shows at least a sliver: a bar is never the same
    for one entry as for none.
    """
    if value <= 0 or largest <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value * width * 8 / largest))
    return FULL * (eighths // 8) + _PARTS[eighths % 8]


class BarChart:
    """Bars with their labels on the left and their values on the right."""

    def __init__(self, bars: Sequence[Bar], title: str | None = None) -> None:
        self.bars = list(bars)
        self.title = title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if self.title:
            yield literal(self.title, "bold")
        if not self.bars:
            yield Text("(nothing to count)", style="dim")
            return
        labels = [literal(bar.label) for bar in self.bars]
        # Labels are ids and names: a long one folds onto more lines, never loses a letter.
        label_width = max(1, min(max(label.cell_len for label in labels), width // 2))
        values = [f"{bar.value}{' ' + bar.remark if bar.remark else ''}" for bar in self.bars]
        value_width = max(len(value) for value in values)
        bar_width = max(1, width - label_width - value_width - 2)
        largest = max(bar.value for bar in self.bars)
        for bar, label, value in zip(self.bars, labels, values, strict=True):
            first, *rest = label.wrap(console, label_width, overflow="fold", no_wrap=False)
            first.pad_right(label_width - first.cell_len)
            line = Text()
            line.append_text(first)
            line.append(" ")
            line.append(bar_text(bar.value, largest, bar_width), style="cyan")
            line.append(" ")
            line.append(value)
            line.no_wrap = True
            yield line
            yield from rest


def _chart(title: str, rows: Sequence[Json], label: str, remark: str | None = None) -> BarChart:
    bars = [
        Bar(
            "year not given" if row[label] is None else str(row[label]),
            row["count"],
            f"({row[remark]} {remark})" if remark and row[remark] else "",
        )
        for row in rows
    ]
    return BarChart(bars, title)


def stats(data: Json) -> Iterator[RenderableType]:
    """The charts of ``cislog stats``, one a section, with how the decades were counted."""
    yield _chart("Records by kind", data["kinds"], "kind")
    yield Text("")
    yield _chart("Events and documents by organisation", data["orgs"], "org")
    yield Text("")
    yield _chart(
        "Events and dated documents by decade (of their earliest day)", data["decades"], "decade"
    )
    apart = []
    if data["open_start"]:
        apart.append(f"{data['open_start']} with no earliest day (on or before a date)")
    if data["no_year"]:
        apart.append(f"{data['no_year']} whose year no source gives")
    if data["undated"]:
        apart.append(f"{data['undated']} undated")
    if apart:
        yield Text(f"Not in any decade: {'; '.join(apart)}.", style="dim")
    yield Text("")
    yield _chart("Records citing each source", data["sources"], "source")


def per_year(rows: Sequence[Json]) -> Iterator[RenderableType]:
    """The chart of ``timeline --chart``."""
    total = sum(row["count"] for row in rows)
    yield _chart(f"Timeline entries per year ({total} in all)", rows, "year", "uncertain")
