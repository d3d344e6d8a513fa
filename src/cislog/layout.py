"""Laying text out in columns: tables that fit the width they are given and never
split an id, a date, a kind or a status.

A table's cells are lines of two sorts (:class:`Span`): *whole* ones (an id, a
date, a kind, a status, a number), which are never broken, and prose (titles,
summaries, notes), which wraps at spaces. Each column is as wide as its widest
whole line; the prose columns share what is left. When the whole lines and a
readable minimum of prose cannot fit side by side, the table is laid out one
record a block instead (``psql``'s expanded mode), a field a line, so that no
column is ever dropped or shredded. A whole line wider than the screen stays
whole and runs past the edge: a terminal wraps it for the eye, but ``grep`` and
a copy see it on one line.

Lines are produced one at a time, so that a table of a million rows is never
held as text; no line ends in spaces. Styling (bold, dim, colours) is a few
ANSI codes added only for a terminal that wants them (:func:`output_settings`).
This module knows nothing of records: :mod:`cislog.tables` builds its blocks.
"""

from __future__ import annotations

import contextlib
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO

GAP = "  "
# The narrowest a prose column is squeezed to before a table goes to blocks: narrower,
# a title reads a word or two a line.
MIN_PROSE = 20
# A word of prose longer than this may be folded across lines in a table column rather
# than widen the column (a long URL in a title); words up to it are never cut.
LONGEST_UNBROKEN_WORD = 30
# The narrowest value column beside its names in a block (and in fields): on a
# narrower screen, values go below their names.
MIN_VALUE = 10

_SGR = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
}


# Categories that take no column: non-spacing and enclosing marks, format characters.
_ZERO_WIDTH = frozenset(("Mn", "Me", "Cf"))


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: two for a wide (East Asian) character,
    none for a combining mark or a format character."""
    if text.isascii():
        return len(text)
    width = 0
    for character in text:
        if unicodedata.combining(character) or unicodedata.category(character) in _ZERO_WIDTH:
            continue
        width += 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1
    return width


def styled(text: str, style: str, on: bool) -> str:
    """``text`` in ``style`` (``"bold red"``: words of :data:`_SGR`) when ``on``."""
    if not (on and style and text):
        return text
    codes = ";".join(_SGR[word] for word in style.split() if word in _SGR)
    return f"\x1b[{codes}m{text}\x1b[0m" if codes else text


@dataclass(frozen=True, slots=True)
class Span:
    """One line of a cell: ``whole`` is never split; prose wraps at spaces."""

    text: str
    style: str = ""
    whole: bool = True


Cell = str | Span | Sequence[Span]


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, whether its text is prose, its style and alignment.

    The cells of a column that is not ``prose`` are whole lines: each line of a
    cell (``"a\\nb"``, a source id a line) is one token. An ``optional`` column
    is left out when none of its cells has text (a Match column where every row
    is certain), so that a table of rows it cannot know in advance need not be
    read twice to decide.
    """

    header: str
    prose: bool = False
    style: str = ""
    right: bool = False
    optional: bool = False


class Block(Protocol):
    """Anything :func:`render` lays out: it yields its lines for a width."""

    def lines(self, width: int, on: bool) -> Iterator[str]: ...


SECTION = None  # a row of a table that is a rule between sections


Row = list[list[Span]]


@dataclass(slots=True)
class Table:
    """Rows of cells under headers, or one block a row when they cannot fit.

    The columns' widths depend on every row, so a table is read twice: once to
    measure (:class:`_Measure` keeps a few numbers a column, never the rows),
    once to lay out. Rows added with :meth:`add` are kept as their lines; a table
    made with :meth:`streamed` asks its source for the rows on each reading and
    keeps none, so that a table of a million rows takes no more memory than one.
    """

    columns: Sequence[Column]
    rows: list[Row | None] = field(default_factory=list)
    title: str | None = None
    source: Callable[[], Iterable[Sequence[Cell] | None]] | None = None

    @classmethod
    def streamed(
        cls,
        columns: Sequence[Column],
        source: Callable[[], Iterable[Sequence[Cell] | None]],
        title: str | None = None,
    ) -> Table:
        """A table whose rows ``source`` gives anew each time it is called (the same
        rows each time; ``None`` for a rule between sections)."""
        return cls(columns, title=title, source=source)

    def add(self, *cells: Cell) -> None:
        self.rows.append(self._row(cells))

    def section(self) -> None:
        self.rows.append(SECTION)

    def _row(self, cells: Sequence[Cell]) -> Row:
        if len(cells) != len(self.columns):
            raise ValueError(f"a row of {len(cells)} cells in a table of {len(self.columns)}")
        return [_as_spans(cell, column) for cell, column in zip(cells, self.columns, strict=True)]

    def _read(self) -> Iterator[Row | None]:
        """The rows, as lines, from the start: the ones kept, or the source's anew."""
        if self.source is None:
            yield from self.rows
            return
        for cells in self.source():
            yield SECTION if cells is None else self._row(cells)

    def lines(self, width: int, on: bool) -> Iterator[str]:
        measure = _Measure(len(self.columns))
        for row in self._read():
            if row is not SECTION:
                measure.add(row)
        # An optional column that no row fills is left out.
        shown = [
            index
            for index, column in enumerate(self.columns)
            if not column.optional or measure.filled[index]
        ]
        columns = [self.columns[index] for index in shown]
        if self.title:
            yield styled(self.title, "bold", on)
        widths = _fit(columns, measure.only(shown), width)
        if widths is None:
            yield from self._blocks(columns, shown, width, on)
            return
        total = sum(widths) + len(GAP) * (len(widths) - 1)
        headers = [
            [Span(line, "bold") for line in _wrap(column.header, w, fold=False)]
            for column, w in zip(columns, widths, strict=True)
        ]
        yield from _row_lines(headers, widths, columns, on)
        yield "─" * total
        for row in self._read():
            if row is SECTION:
                yield "─" * total
                continue
            laid = [_laid_out(row[i], w, fold=True) for i, w in zip(shown, widths, strict=True)]
            yield from _row_lines(laid, widths, columns, on)

    def _blocks(
        self, columns: Sequence[Column], shown: list[int], width: int, on: bool
    ) -> Iterator[str]:
        labels = [column.header for column in columns]
        # Every block's values start in the same column, whichever fields it leaves out.
        label = max(map(cell_width, labels), default=0)
        rows = (row for row in self._read() if row is not SECTION)
        for number, row in enumerate(rows, start=1):
            mark = f"── {number} "
            yield mark + "─" * max(2, min(width, 60) - cell_width(mark))
            cells = [row[index] for index in shown]
            yield from _pairs(list(zip(labels, cells, strict=True)), width, on, label)


class _Measure:
    """What a table's column widths are decided from, gathered a row at a time: for
    each column its widest whole line, widest prose line and longest prose word,
    and whether any row fills it."""

    def __init__(self, count: int) -> None:
        self.whole = [0] * count
        self.prose = [0] * count
        self.word = [0] * count
        self.filled = [False] * count

    def add(self, row: Row) -> None:
        for index, cell in enumerate(row):
            if not cell:
                continue
            self.filled[index] = True
            for span in cell:
                w = cell_width(span.text)
                if span.whole:
                    self.whole[index] = max(self.whole[index], w)
                    continue
                self.prose[index] = max(self.prose[index], w)
                # No word is wider than its line: a line no wider than the longest
                # word yet cannot hold a longer one, and is not split to look.
                if w > self.word[index]:
                    longest = max((cell_width(x) for x in span.text.split()), default=0)
                    self.word[index] = max(self.word[index], longest)

    def only(self, shown: list[int]) -> _Measure:
        kept = _Measure(len(shown))
        for name in ("whole", "prose", "word", "filled"):
            values = getattr(self, name)
            setattr(kept, name, [values[index] for index in shown])
        return kept


@dataclass(slots=True)
class Fields:
    """A record's fields, a name and its value a line; empty values left out."""

    pairs: Sequence[tuple[str, Cell]]
    title: str | None = None

    def lines(self, width: int, on: bool) -> Iterator[str]:
        if self.title:
            yield styled(self.title, "bold", on)
        column = Column("", prose=True)
        yield from _pairs(
            [(name, _as_spans(value, column)) for name, value in self.pairs], width, on
        )


@dataclass(slots=True)
class Text:
    """Prose wrapped at spaces; ``hang`` starts its first line (``"• "``), and its
    width of spaces the others. A word longer than the width stays whole."""

    text: str
    style: str = ""
    hang: str = ""

    def lines(self, width: int, on: bool) -> Iterator[str]:
        indent = " " * cell_width(self.hang)
        room = max(MIN_VALUE, width - len(indent))
        first = True
        for paragraph in self.text.split("\n"):
            for line in _wrap(paragraph, room, fold=False):
                yield (self.hang if first else indent) + styled(line, self.style, on)
                first = False


@dataclass(slots=True)
class Group:
    """Blocks printed one after another, with no blank line between them."""

    blocks: Sequence[Block]

    def lines(self, width: int, on: bool) -> Iterator[str]:
        for block in self.blocks:
            yield from block.lines(width, on)


def render(blocks: Iterable[Block], width: int, on: bool = False) -> Iterator[str]:
    """The lines of ``blocks`` (without line ends), a blank line between two blocks;
    a block with no lines (a legend with nothing to explain) takes none."""
    first = True
    for block in blocks:
        lines = iter(block.lines(width, on))
        line = next(lines, None)
        if line is None:
            continue
        if not first:
            yield ""
        first = False
        yield line
        yield from lines


def write(blocks: Iterable[Block], stream: TextIO | None = None) -> None:
    """Print ``blocks`` on ``stream`` (standard output), laid out as it wants."""
    out = stream or sys.stdout
    width, on = output_settings(out)
    buffer: list[str] = []
    for line in render(blocks, width, on):
        buffer.append(line)
        if len(buffer) >= 512:
            out.write("\n".join(buffer) + "\n")
            buffer.clear()
    if buffer:
        out.write("\n".join(buffer) + "\n")


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal, or ``FORCE_COLOR`` says to take it for one."""
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def output_settings(stream: TextIO) -> tuple[int, bool]:
    """The width to lay out for, and whether to style, as Rich and most tools decide:
    ``COLUMNS`` if set, else the terminal's width, else 80 columns; styles only for a
    terminal (:func:`is_terminal`), never with ``NO_COLOR`` or ``TERM=dumb``."""
    terminal = is_terminal(stream)
    width = 80
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and columns.isascii() and int(columns) > 0:
        width = int(columns)
    else:
        with contextlib.suppress(AttributeError, ValueError, OSError):
            if stream.isatty():
                width = os.get_terminal_size(stream.fileno()).columns or 80
    on = terminal and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return width, on


def _as_spans(cell: Cell, column: Column) -> list[Span]:
    if isinstance(cell, str):
        return [Span(line, column.style, not column.prose) for line in cell.split("\n") if line]
    if isinstance(cell, Span):
        return [cell] if cell.text else []
    return [span for span in cell if span.text]


def _fit(columns: Sequence[Column], measure: _Measure, width: int) -> list[int] | None:
    """Each column's width, or None when the table cannot fit ``width``.

    A column needs its widest whole line and its header's longest word, and
    wants its widest line; prose needs :data:`MIN_PROSE` (or less, if that is
    all it has), and the room that is left goes to prose in proportion to what
    each column lacks.
    """
    needs, wants = [], []
    for index, column in enumerate(columns):
        whole, prose, word = measure.whole[index], measure.prose[index], measure.word[index]
        header = max((cell_width(x) for x in column.header.split()), default=0)
        unbroken = min(word, LONGEST_UNBROKEN_WORD)
        needs.append(max(header, whole, min(prose, max(MIN_PROSE, unbroken))))
        wants.append(max(cell_width(column.header), whole, prose))
    room = width - len(GAP) * (len(columns) - 1)
    if sum(needs) > room:
        return None
    spare = room - sum(needs)
    lacking = [want - need for need, want in zip(needs, wants, strict=True)]
    if sum(lacking) <= spare:
        return wants
    widths = [
        need + spare * lack // sum(lacking) for need, lack in zip(needs, lacking, strict=True)
    ]
    left = room - sum(widths)
    for index in sorted(range(len(widths)), key=lambda i: widths[i] - wants[i])[:left]:
        widths[index] += 1
    return widths


def _wrap(text: str, width: int, fold: bool) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces; a word wider
    than that is cut only when ``fold`` (else it stands alone on its line)."""
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        w = cell_width(word)
        if fold and w > width:
            if line:
                lines.append(line)
            pieces = _fold(word, width)
            lines.extend(pieces[:-1])
            line, used = pieces[-1], cell_width(pieces[-1])
        elif not line:
            line, used = word, w
        elif used + 1 + w <= width:
            line, used = f"{line} {word}", used + 1 + w
        else:
            lines.append(line)
            line, used = word, w
    if line or not lines:
        lines.append(line)
    return lines


def _fold(word: str, width: int) -> list[str]:
    pieces, piece, used = [], "", 0
    for character in word:
        w = cell_width(character)
        if piece and used + w > width:
            pieces.append(piece)
            piece, used = "", 0
        piece += character
        used += w
    pieces.append(piece)
    return pieces


def _laid_out(spans: list[Span], width: int, fold: bool) -> list[Span]:
    """A cell's lines for a column ``width`` wide: whole spans as they are, prose wrapped."""
    lines: list[Span] = []
    for span in spans:
        if span.whole:
            lines.append(span)
        else:
            lines.extend(Span(line, span.style) for line in _wrap(span.text, width, fold))
    return lines


def _row_lines(
    cells: list[list[Span]],
    widths: list[int],
    columns: Sequence[Column],
    on: bool,
) -> Iterator[str]:
    height = max((len(cell) for cell in cells), default=0)
    for index in range(max(height, 1)):
        parts = []
        for cell, w, column in zip(cells, widths, columns, strict=True):
            span = cell[index] if index < len(cell) else Span("")
            pad = " " * max(0, w - cell_width(span.text))
            text = styled(span.text, span.style, on)
            parts.append(pad + text if column.right else text + pad)
        yield GAP.join(parts).rstrip(" ")


def _pairs(
    pairs: list[tuple[str, list[Span]]], width: int, on: bool, label: int = 0
) -> Iterator[str]:
    """Names and their values, values wrapped beside their names (at least ``label``
    columns from the left); on a screen too narrow for both, each value below its
    name, indented."""
    shown = [(name, spans) for name, spans in pairs if spans]
    if not shown:
        return
    label = max(label, *(cell_width(name) for name, _ in shown))
    stacked = label + len(GAP) + MIN_VALUE > width
    indent = len(GAP) if stacked else label + len(GAP)
    room = max(1, width - indent)
    for name, spans in shown:
        laid = _laid_out(spans, room, fold=False)
        if stacked:
            yield styled(name, "bold", on)
            yield from (f"{GAP}{styled(s.text, s.style, on)}".rstrip(" ") for s in laid)
            continue
        pad = " " * (label - cell_width(name))
        for index, span in enumerate(laid):
            line = styled(span.text, span.style, on)
            if cell_width(span.text) > room:
                # A token too wide to stand beside the names takes a line of its own,
                # from as far left as it needs, so that it fits whole if it can.
                if index == 0:
                    yield styled(name, "bold", on)
                fits = cell_width(span.text) + len(GAP) <= width
                yield f"{GAP}{line}" if fits else line
                continue
            head = styled(name, "bold", on) + pad if index == 0 else " " * label
            yield f"{head}{GAP}{line}".rstrip(" ")
