"""Edits on text touch their target only, whatever TOML syntax the file is written in.

The files are drawn by :mod:`tests.toml_forms` in every form the spec allows;
each test first checks that ``tomllib`` reads the drawn data (so the generator
is honest), then edits the text and compares the parsed result with the data
changed by hand.
"""

from __future__ import annotations

import copy
import tomllib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cislog import tomlfile
from cislog.locate import LineIndex, split_lines
from tests.toml_forms import BASE_RECORDS, DataFile, data_file, document, event


@st.composite
def file_with_records(draw: st.DrawFn) -> DataFile:
    records = [("event", draw(event(i))) for i in range(draw(st.integers(1, 4)))]
    records += [("document", draw(document(i))) for i in range(draw(st.integers(0, 2)))]
    return draw(data_file(draw(st.permutations(BASE_RECORDS + records))))


def _read(drawn: DataFile) -> dict[str, Any]:
    data = tomllib.loads(drawn.text)
    assert data == drawn.data  # the generator wrote what it meant to
    return data


def _pick(draw: st.DataObject, data: dict[str, Any]) -> tuple[str, int]:
    targets = [(kind, i) for kind, records in data.items() for i in range(len(records))]
    return draw.draw(st.sampled_from(targets))


@given(file_with_records())
def test_every_key_is_found_on_the_lines_that_set_it(drawn: DataFile) -> None:
    data = _read(drawn)
    lines = split_lines(drawn.text)
    index = LineIndex(drawn.text)
    for kind, records in data.items():
        for position, record in enumerate(records):
            header = index.line_of((kind, position))
            assert tomllib.loads(lines[header - 1]) == {kind: [{}]}
            for name, value in record.items():
                if (kind, position, name) not in index.key_lines:
                    assert isinstance(value, list)  # entries written as tables
                    continue
                first, last = index.key_lines[(kind, position, name)]
                # The located lines alone read as exactly that key and value.
                assert tomllib.loads("\n".join(lines[first - 1 : last])) == {name: value}


@given(file_with_records(), st.data())
def test_remove_takes_out_exactly_one_record(drawn: DataFile, draw: st.DataObject) -> None:
    data = _read(drawn)
    kind, position = _pick(draw, data)

    after = tomllib.loads(tomlfile.remove_record(drawn.text, kind, position))

    expected = copy.deepcopy(data)
    del expected[kind][position]
    assert after == {k: v for k, v in expected.items() if v}


VALUES = st.one_of(
    st.text(alphabet="ab\"\\#[]\n'é", max_size=12),
    st.lists(st.sampled_from(["x", 'y"', "#z"]), max_size=3),
    st.none(),
)


@given(file_with_records(), st.data())
def test_set_fields_changes_exactly_the_keys_asked(drawn: DataFile, draw: st.DataObject) -> None:
    data = _read(drawn)
    kind, position = _pick(draw, data)
    record = data[kind][position]
    names = [k for k in record if k != "id" and not isinstance(record[k], list | dict)]
    names += ["place", "note", "tags"]
    changes = draw.draw(st.dictionaries(st.sampled_from(names), VALUES, min_size=1, max_size=3))

    after = tomllib.loads(tomlfile.set_fields(drawn.text, kind, position, changes))

    expected = copy.deepcopy(data)
    for name, value in changes.items():
        if value is None:
            expected[kind][position].pop(name, None)
        else:
            expected[kind][position][name] = value
    assert after == expected


@given(file_with_records(), st.data())
def test_an_entry_is_added_to_its_record_alone(drawn: DataFile, draw: st.DataObject) -> None:
    data = _read(drawn)
    if "document" not in data:
        return
    position = draw.draw(st.integers(0, len(data["document"]) - 1))
    item = {"country": "az", "status": "not_signed", "sources": ["s"]}
    inline = data["document"][position]["id"] in drawn.inline

    try:
        text = tomlfile.append_subtable(drawn.text, "document", position, "signatories", item)
    except tomlfile.LayoutError:
        assert inline  # TOML cannot add a table to an inline array: a refusal, not damage
        return

    expected = copy.deepcopy(data)
    expected["document"][position]["signatories"].append(item)
    assert tomllib.loads(text) == expected


@given(file_with_records())
def test_fmt_keeps_the_data_and_every_comment(drawn: DataFile) -> None:
    data = _read(drawn)

    formatted = tomlfile.format_text(drawn.text)

    assert tomllib.loads(formatted) == data
    before = sorted(LineIndex(drawn.text).comments.values())
    assert sorted(LineIndex(formatted).comments.values()) == before
    assert tomlfile.format_text(formatted) == formatted


@pytest.mark.parametrize(
    ("text", "kind", "position"),
    [
        # An escaped table header: a line scanner saw no record here.
        (
            '[[event]]\nid = "ev-a"\n\n[["ev\\u0065nt"]]\nid = "ev-b"\n\n[[event]]\nid = "ev-c"\n',
            "event",
            1,
        ),
        # An escaped quote before two plain ones, then a comment holding three quotes.
        (
            '[[event]]\nid = "ev-a"\nnote = """a \\""" b"""\n\n[[event]]\nid = "ev-b"\n# """ here\n\n[[event]]\nid = "ev-c"\n',
            "event",
            1,
        ),
        # A multi-line literal string holding a header and a comment mark.
        (
            "[[event]]\nid = 'ev-a'\nnote = '''\n[[event]]\n# id = \"x\"\n'''\n\n[[event]]\nid = 'ev-b'\n",
            "event",
            1,
        ),
        # A quoted key with a dot inside, and a dotted key.
        ('[[event]]\n"a.b" = 1\nid = "ev-a"\n\n[[event]]\nid = "ev-b"\nx.y = 2\n', "event", 1),
    ],
)
def test_the_reported_layouts_edit_their_target(text: str, kind: str, position: int) -> None:
    data = tomllib.loads(text)
    removed = tomllib.loads(tomlfile.remove_record(text, kind, position))
    assert removed[kind] == data[kind][:position] + data[kind][position + 1 :]

    edited = tomllib.loads(tomlfile.set_fields(text, kind, position, {"place": "Baku"}))
    assert edited[kind][position] == {**data[kind][position], "place": "Baku"}
    assert [r for i, r in enumerate(edited[kind]) if i != position] == [
        r for i, r in enumerate(data[kind]) if i != position
    ]


def test_records_written_as_an_inline_array_are_refused_not_missed() -> None:
    text = 'event = [{id = "ev-a"}, {id = "ev-b"}]\n'

    with pytest.raises(tomlfile.LayoutError, match=r"inline array \(line 1\).*cislog fmt"):
        tomlfile.remove_record(text, "event", 1)
    with pytest.raises(tomlfile.LayoutError, match="inline array"):
        tomlfile.set_fields(text, "event", 0, {"place": "Baku"})
