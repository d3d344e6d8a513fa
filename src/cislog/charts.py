"""Horizontal bar charts, for ``cislog stats`` and ``timeline --chart``.

A chart is a block of :mod:`cislog.layout`, drawn for the width it is given,
so that its bars fill the terminal's width, ``COLUMNS``, or 80 columns in a
pipe. It is made of characters only (block elements),
so it reads the same with ``NO_COLOR`` and in a file. Labels come from the
dataset and go through :func:`cislog.tables.literal`, as titles do, so that no
control or bidi character in them reaches the terminal as it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from cislog.layout import Block, Group, Text, cell_width, styled
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
    """Bars with their labels on the left and their values on the right.

    Labels are ids and names, never split: a label wider than half the width
    takes a line of its own, and its bar starts on the next.
    """

    def __init__(self, bars: Sequence[Bar], title: str | None = None) -> None:
        self.bars = list(bars)
        self.title = title

    def lines(self, width: int, on: bool) -> Iterator[str]:
        if self.title:
            yield from Text(literal(self.title), "bold").lines(width, on)
        if not self.bars:
            yield styled("(nothing to count)", "dim", on)
            return
        labels = [literal(bar.label) for bar in self.bars]
        fitting = [cell_width(label) for label in labels if cell_width(label) <= width // 2]
        label_width = max(fitting, default=1)
        values = [f"{bar.value}{' ' + bar.remark if bar.remark else ''}" for bar in self.bars]
        value_width = max(len(value) for value in values)
        bar_width = max(1, width - label_width - value_width - 2)
        largest = max(bar.value for bar in self.bars)
        for bar, label, value in zip(self.bars, labels, values, strict=True):
            if cell_width(label) > label_width:
                yield label
                label = ""
            pad = " " * (label_width - cell_width(label))
            drawn = styled(bar_text(bar.value, largest, bar_width), "cyan", on)
            yield f"{label}{pad} {drawn} {value}"


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


def stats(data: Json) -> Iterator[Block]:
    """The charts of ``cislog stats``, one a section, with how the decades were counted."""
    yield _chart("Records by kind", data["kinds"], "kind")
    yield _chart("Events and documents by organisation", data["orgs"], "org")
    decades = _chart(
        "Events and dated documents by decade (of their earliest day)", data["decades"], "decade"
    )
    apart = []
    if data["open_start"]:
        apart.append(f"{data['open_start']} with no earliest day (on or before a date)")
    if data["no_year"]:
        apart.append(f"{data['no_year']} whose year no source gives")
    if data["undated"]:
        apart.append(f"{data['undated']} undated")
    notes = [Text(f"Not in any decade: {'; '.join(apart)}.", "dim")] if apart else []
    yield Group([decades, *notes])
    yield _chart("Records citing each source", data["sources"], "source")


def per_year(rows: Sequence[Json]) -> Iterator[Block]:
    """The chart of ``timeline --chart``."""
    total = sum(row["count"] for row in rows)
    yield _chart(f"Timeline entries per year ({total} in all)", rows, "year", "uncertain")
