"""The layout of tables, generated: whole tokens are never split, prose loses no word,
no line ends in spaces, and a table too wide for the screen becomes blocks."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cislog import layout
from cislog.layout import Column, Span, Table

# Tokens as ids, dates and kinds are written, with wide and combining characters too.
tokens = st.from_regex(r"[a-z0-9][a-z0-9\-/?~.\[\]é漢]{0,44}", fullmatch=True)
words = st.from_regex(r"[A-Za-z0-9,.'é漢\u0301()]{1,12}", fullmatch=True)
prose = st.lists(words, min_size=0, max_size=25).map(" ".join)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    columns = [
        Column(
            draw(st.sampled_from(["Id", "Date", "Title", "Cited by", "Office held then"])),
            prose=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(1, 7)))
    ]
    table = Table(columns)
    for _ in range(draw(st.integers(1, 6))):
        row = []
        for column in columns:
            if column.prose:
                row.append(
                    [Span(draw(prose), whole=False), *draw(st.lists(tokens.map(Span), max_size=1))]
                )
            else:
                row.append([Span(t) for t in draw(st.lists(tokens, max_size=3))])
        table.add(*row)
    return table


def _spans(table: Table) -> list[list[list[Span]]]:
    """The generated rows, whose cells are all lists of spans."""
    return [list(row) for row in table.rows if row is not None]


def _lines(table: Table, width: int) -> list[str]:
    return list(layout.render([table], width))


@given(tables(), st.integers(20, 250))
def test_whole_tokens_stay_whole_and_prose_keeps_every_word(table: Table, width: int) -> None:
    lines = _lines(table, width)
    text = "\n".join(lines)

    for row in _spans(table):
        for cell in row:
            for span in cell:
                if span.whole:
                    assert any(span.text in line for line in lines), (span.text, width)
                else:
                    # Words up to the longest never folded appear whole somewhere.
                    for word in span.text.split():
                        if layout.cell_width(word) <= layout.LONGEST_UNBROKEN_WORD:
                            pattern = f"(?<!\\S){re.escape(word)}(?!\\S)"
                            assert re.search(pattern, text), (word, width)
    assert all(line == line.rstrip(" ") for line in lines)


@given(tables(), st.integers(20, 250))
def test_a_line_runs_past_the_edge_only_for_one_token_that_cannot_fit(
    table: Table, width: int
) -> None:
    for line in _lines(table, width):
        if layout.cell_width(line) > width:
            last = line.split()[-1]
            assert layout.cell_width(line) - layout.cell_width(last) < width, line
            wholes = {s.text for row in _spans(table) for cell in row for s in cell}
            assert last in wholes or any(last in w for w in wholes), line


@given(tables(), st.integers(20, 250))
def test_a_table_is_either_side_by_side_within_the_width_or_one_block_a_row(
    table: Table, width: int
) -> None:
    lines = _lines(table, width)
    blocks = [line for line in lines if re.fullmatch(r"── \d+ ─+", line)]

    if blocks:
        assert len(blocks) == len(table.rows)
        # Every field that has a value is named: no column is dropped.
        for index, column in enumerate(table.columns):
            if any(any(s.text for s in row[index]) for row in _spans(table)):
                assert any(line.startswith(column.header) for line in lines)
    else:
        assert all(layout.cell_width(line) <= width for line in lines)
        rule = next(line for line in lines if set(line) == {"─"})
        assert layout.cell_width(rule) <= width


def test_the_same_table_goes_to_blocks_only_when_it_must() -> None:
    table = Table([Column("Id"), Column("Title", prose=True)])
    table.add("a-rather-long-identifier-of-thirty", "A title of several words to wrap")

    wide = _lines(table, 80)
    narrow = _lines(table, 40)

    assert wide[0].split() == ["Id", "Title"] and set(wide[1]) == {"─"}
    assert wide[2] == "a-rather-long-identifier-of-thirty  A title of several words to wrap"
    assert narrow == [
        "── 1 ───────────────────────────────────",
        # Too wide beside its name (33 columns left), the id takes a line of its own.
        "Id",
        "  a-rather-long-identifier-of-thirty",
        "Title  A title of several words to wrap",
    ]


def test_wide_characters_take_two_columns() -> None:
    assert layout.cell_width("漢字") == 4
    assert layout.cell_width("e\u0301") == 1
    assert layout.cell_width("Azərbaycan") == 10


@pytest.mark.parametrize(
    ("env", "width", "styled"),
    [
        ({}, 80, False),
        ({"COLUMNS": "132"}, 132, False),
        ({"COLUMNS": "x"}, 80, False),
        ({"FORCE_COLOR": "1"}, 80, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, 80, False),
        ({"FORCE_COLOR": "1", "TERM": "dumb"}, 80, False),
    ],
)
def test_output_settings_follow_columns_and_colour_conventions(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], width: int, styled: bool
) -> None:
    for name in ("COLUMNS", "FORCE_COLOR", "NO_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert layout.output_settings(io.StringIO()) == (width, styled)


def test_styles_are_codes_around_the_text_and_never_pad_a_line() -> None:
    table = Table([Column("Kind", style="dim"), Column("Id")])
    table.add("meeting", "x")

    lines = list(layout.render([table], 80, on=True))

    assert lines[2] == "\x1b[2mmeeting\x1b[0m  x"
    assert all(not line.endswith(" ") for line in lines)


def test_a_large_table_is_written_without_holding_its_text() -> None:
    table = Table([Column("Id"), Column("Title", prose=True)])
    for number in range(20_000):
        table.add(f"record-{number}", "Title")
    out = io.StringIO()

    layout.write([table], out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 20_002 and lines[-1] == "record-19999  Title"


@given(
    st.lists(st.sampled_from(["", "possible"]), min_size=1, max_size=8),
    st.integers(20, 120),
)
def test_an_optional_column_is_shown_exactly_when_a_row_fills_it(
    marks: list[str], width: int
) -> None:
    table = Table([Column("Id"), Column("Match", optional=True), Column("Title", prose=True)])
    for number, mark in enumerate(marks):
        table.add(f"record-{number}", mark, "A title")

    lines = _lines(table, width)

    assert any("possible" in line for line in lines) == ("possible" in marks)
    assert any(line.startswith("Match") or " Match" in line for line in lines) == (
        "possible" in marks
    )
    # Every other column, and every row, is still there.
    assert all(any(f"record-{n}" in line for line in lines) for n in range(len(marks)))


def test_a_row_of_the_wrong_length_is_refused_when_added() -> None:
    table = Table([Column("Id"), Column("Title", prose=True)])

    with pytest.raises(ValueError, match="a row of 1 cells in a table of 2"):
        table.add("only-an-id")


@given(tables(), st.integers(20, 250))
def test_a_streamed_table_reads_its_source_twice_keeps_nothing_and_looks_the_same(
    table: Table, width: int
) -> None:
    """Measured on a first reading and laid out on a second: the same lines as the
    table that kept its rows, whether side by side or in blocks."""
    rows = _spans(table)
    readings: list[int] = []

    def source() -> list[list[list[Span]]]:
        readings.append(1)
        return [list(row) for row in rows]

    streamed = Table.streamed(table.columns, source)

    assert _lines(streamed, width) == _lines(table, width)
    assert len(readings) == 2 and streamed.rows == []
