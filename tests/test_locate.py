"""Line numbers for nested TOML values, which tomllib does not give."""

import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from cislog.datadir import bundled_data_dir
from cislog.locate import LineIndex, header_lines
from tests.toml_forms import data_file, document, event

FIXTURE = Path(__file__).parent / "fixture"

TEXT = '''\
# a comment with [[event]] in it
[[document]]
id = "a"
summary = """
[[document]]
id = "not a key"
"""
list = [
  "x = 1",
  { country = "az" },
]

[[document.signatories]]
country = "az"

[[document]]
id = "b"
"quoted key" = 1
[[document.signatories]]
country = "by"
[[document.signatories]]
status = "signed"
'''


def test_keys_of_arrays_of_tables_get_their_own_lines() -> None:
    index = LineIndex(TEXT)

    assert index.line_of(("document", 0, "id")) == 3
    assert index.line_of(("document", 1, "id")) == 17
    assert index.line_of(("document", 1, "quoted key")) == 18
    assert index.line_of(("document", 0, "signatories", 0, "country")) == 14
    assert index.line_of(("document", 1, "signatories", 1, "status")) == 22


def test_multiline_strings_and_arrays_hide_nothing_and_invent_nothing() -> None:
    index = LineIndex(TEXT)

    assert index.line_of(("document", 2)) == 1  # only two documents exist
    # An inline table in an array is placed on its own line, not on the array's key.
    assert index.line_of(("document", 0, "list", 1, "country")) == 10
    assert index.line_of(("document", 0, "list", 7)) == 8


def test_a_missing_field_falls_back_to_its_table() -> None:
    assert LineIndex(TEXT).line_of(("document", 1, "signatories", 0, "status")) == 19


# --- the headers' shortcut ----------------------------------------------------


def test_the_headers_shortcut_declines_text_it_cannot_read_by_lines() -> None:
    # A multi-line string may hold a line that looks like a header (as TEXT does).
    assert header_lines(TEXT, "document", 2) is None
    plain = '[[event]]\nid = "a"\n\n  [[ event ]]\nid = "b"\n[[event.check_ignore]]\n'
    assert header_lines(plain, "event", 2) == [1, 4]
    # A count the scan does not find: a table written another way (here quoted).
    assert header_lines(plain + '[["event"]]\nid = "c"\n', "event", 3) is None


@given(st.data())
def test_the_headers_shortcut_gives_the_lines_the_grammar_gives_or_none(
    data: st.DataObject,
) -> None:
    records = [("event", data.draw(event(i))) for i in range(data.draw(st.integers(1, 4)))]
    records += [("document", data.draw(document(i))) for i in range(data.draw(st.integers(0, 3)))]
    drawn = data.draw(data_file(data.draw(st.permutations(records))))
    index = LineIndex(drawn.text)

    for kind, tables in drawn.data.items():
        lines = header_lines(drawn.text, kind, len(tables))
        if lines is not None:
            assert lines == [index.line_of((kind, i)) for i in range(len(tables))]


@given(st.data())
def test_the_headers_shortcut_reads_every_file_written_as_tomli_w_writes(
    data: st.DataObject,
) -> None:
    """The files cislog writes (tomli-w's layout: headers bare, strings on one line)
    are read by the shortcut, unless a string holds three quotes in a row, which
    makes it decline (and the line be found by the grammar), never guess."""
    records = [("event", data.draw(event(i))) for i in range(data.draw(st.integers(1, 4)))]
    records += [("document", data.draw(document(i))) for i in range(data.draw(st.integers(0, 3)))]
    tables: dict[str, list[dict[str, object]]] = {}
    for kind, record in data.draw(st.permutations(records)):
        tables.setdefault(kind, []).append(record)
    text = tomli_w.dumps(tables)
    index = LineIndex(text)

    for kind, written in tables.items():
        lines = [index.line_of((kind, i)) for i in range(len(written))]
        found = header_lines(text, kind, len(written))
        if '"""' in text or "'''" in text:
            assert found in (None, lines)
        else:
            assert found == lines


@pytest.mark.parametrize("directory", [FIXTURE, bundled_data_dir()])
def test_the_headers_shortcut_reads_the_shipped_files(directory: Path) -> None:
    """The shortcut is taken for files written as cislog writes them, not only correct."""
    for path in sorted(directory.glob("*.toml")):
        text = path.read_text(encoding="utf-8-sig")
        index = LineIndex(text)
        for kind, tables in tomllib.loads(text).items():
            if '"""' in text or "'''" in text:
                continue
            lines = header_lines(text, kind, len(tables))
            assert lines == [index.line_of((kind, i)) for i in range(len(tables))], path.name
