"""A file read a part at a time reads as it reads whole, or says it cannot."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cislog import loading, pipeline
from cislog.loading import LazyLineIndex, ReadResult, read_file, read_file_in_parts
from cislog.locate import LineIndex
from tests.toml_forms import data_file, document, event

FIXTURE = Path(__file__).parent / "fixture"


def _records(results: list[ReadResult]) -> list[tuple[Any, ...]]:
    return [
        (entry.kind, entry.path, entry.raw, entry.record)
        for result in results
        for entry in result.records
    ]


def _compare(path: Path, per_part: int) -> bool:
    """Check the parts against the whole; whether the file was read in parts."""
    whole = read_file(path)
    parts = list(read_file_in_parts(path, per_part))
    refused = [not p.complete and not p.problems and not p.records for p in parts]
    if any(refused):
        # Only the last part says so, and the ones before it are whole.
        assert refused[-1] and all(part.complete for part in parts[:-1])
        return False
    if len(parts) == 1:  # read whole
        assert _records(parts) == _records([whole]) and parts[0].problems == whole.problems
        return False
    assert _records(parts) == _records([whole])
    assert [p for part in parts for p in part.problems] == whole.problems
    if not whole.complete:  # the file does not parse: no line to compare
        return len(parts) > 1
    lines = LineIndex(path.read_text(encoding="utf-8-sig"))
    for part in parts:
        for entry in part.records:
            assert entry.origin.line == lines.line_of(entry.path)
    return len(parts) > 1


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data(), st.integers(1, 3))
def test_a_file_in_parts_reads_as_the_whole_file(
    tmp_path: Path, data: st.DataObject, per_part: int
) -> None:
    records = [("event", data.draw(event(i))) for i in range(data.draw(st.integers(1, 6)))]
    records += [("document", data.draw(document(i))) for i in range(data.draw(st.integers(0, 3)))]
    if data.draw(st.booleans()):
        records = data.draw(st.permutations(records))
    path = tmp_path / "events.toml"
    path.write_text(data.draw(data_file(records)).text, encoding="utf-8")
    _compare(path, per_part)


CUT_TEXTS = [
    # A nested entry whose record is in the part before: refers to the last document.
    '[[document]]\nid = "a"\n[[event]]\nid = "e"\n[[document.signatories]]\ncountry = "az"\n',
    # A table of the last event, after a document.
    '[[event]]\nid = "e"\n[[document]]\nid = "a"\n[event.more]\nx = 1\n',
    # A table header before any record.
    '[meta]\nx = 1\n[[event]]\nid = "e"\n[[event]]\nid = "f"\n',
    # A static array the headers append to: TOML refuses it.
    'event = [1]\n[[event]]\nid = "e"\n[[event]]\nid = "f"\n',
    # A header in a string, and one indented.
    '[[event]]\nid = "e"\nnote = "[[event]]"\n[[event]]\nid = "f"\n',
    '[[event]]\nid = "e"\n  [[event]]\nid = "f"\n[[event]]\nid = "g"\n',
    # Broken TOML in the second part.
    '[[event]]\nid = "e"\n[[event]]\nid = = "f"\n',
]


@pytest.mark.parametrize("text", CUT_TEXTS)
def test_a_cut_that_would_read_otherwise_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "events.toml"
    path.write_text(text, encoding="utf-8")
    assert not _compare(path, 1)


def test_a_file_as_cislog_writes_it_is_read_in_parts(tmp_path: Path) -> None:
    path = tmp_path / "events.toml"
    shutil.copyfile(FIXTURE / "events.toml", path)
    assert _compare(path, 2)
    parts = list(read_file_in_parts(path, 2))
    assert all(len(part.records) <= 2 for part in parts)
    index = parts[0].records[0].origin.lines
    assert isinstance(index, LazyLineIndex)
    assert index.known_line(parts[-1].records[-1].path) is not None  # the line from the cut


def test_a_dataset_read_in_parts_is_valid_exactly_when_it_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that cannot be cut sends the caller to the whole dataset, and a problem
    anywhere is found either way."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data, ignore=shutil.ignore_patterns("*.md"))
    monkeypatch.setattr("cislog.loading.RECORDS_PER_PART", 1)
    assert pipeline.read_in_parts(data).valid and pipeline.validate(data) == []
    events = data / "events.toml"
    text = events.read_text(encoding="utf-8")
    first = text[text.index("[[event]]") : text.index("[[event]]", text.index("[[event]]") + 1)]
    events.write_text(text + "\n" + first, encoding="utf-8")  # its id twice, parts apart
    assert not pipeline.read_in_parts(data).valid
    assert pipeline.validate(data) == pipeline.read_dataset(data)[1] != []


# --- the line of a key inside a record ------------------------------------------------


def _fresh_index(path: Path, per_part: int, released: bool) -> LazyLineIndex | None:
    """The line index of ``path`` read in parts, released if asked; None if the file
    was not read in parts."""
    parts = list(read_file_in_parts(path, per_part))
    if len(parts) < 2 or not all(part.complete and part.records for part in parts):
        return None
    index = parts[0].records[0].origin.lines
    assert isinstance(index, LazyLineIndex) and index.cut
    if index._index is not None:  # a problem's line was asked for: the file is indexed
        return None
    if released:
        index.release(str(path))
    return index


def _paths(lines: LineIndex) -> list[tuple[str | int, ...]]:
    """Every key and table of a file, and a key inside each table that is not there."""
    found = [*lines.key_lines, *(path for _, path in lines.headers)]
    return found + [(*path, "no-such-key") for _, path in lines.headers]


_DOCUMENT = '[[document]]\nid = "a"\ntitle = "A"\nkind = "agreement"\nsources = ["s"]\n'
_EVENT = '[[event]]\nid = "{id}"\ndate = "1992"\ntitle = "E"\nkind = "summit"\nsources = ["s"]\n'
_ENTRY = '[[document.signatories]]\ncountry = "az"\nstatus = "signed"\nsources = ["s"]\n'


@st.composite
def cut_file(draw: st.DrawFn) -> str:
    """A data file cislog reads in parts: documents with signatories and events, in any
    order, with comments, blank lines and keys spread over lines; some of a
    document's entries after the events that follow it (TOML adds them to it)."""
    blocks: list[list[str]] = []
    owner: int | None = None  # the block of the last document
    for number in range(draw(st.integers(3, 9))):
        filler = draw(st.sampled_from(["", "\n", "# a comment [x]\n", "  \n"]))
        if draw(st.booleans()):
            blocks.append([_DOCUMENT.replace('"a"', f'"d{number}"') + filler])
            owner = len(blocks) - 1
            for _ in range(draw(st.integers(0, 3))):
                entry = _ENTRY.replace("sources", draw(st.sampled_from(["sources", "  sources"])))
                if draw(st.booleans()):
                    entry = entry.replace('["s"]', '[\n  "s", # why\n]')
                blocks[owner].append(entry)
        else:
            event = _EVENT.format(id=f"e{number}") + filler
            blocks.append([event])
            if owner is not None and len(blocks[owner]) > 1 and draw(st.booleans()):
                blocks[-1].append(blocks[owner].pop())  # an entry after the event
    text = "".join("".join(block) for block in blocks)
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut_file(), st.integers(1, 3), st.booleans(), st.data())
def test_a_line_inside_a_record_is_the_line_the_whole_file_gives(
    tmp_path: Path, text: str, per_part: int, released: bool, data: st.DataObject
) -> None:
    """Each lookup on a fresh index, so that none is answered by a whole-file index an
    earlier one built."""
    path = tmp_path / "events.toml"
    path.write_bytes(text.encode("utf-8"))
    whole = LineIndex(text)
    # Every key inside an entry, and some others.
    paths = _paths(whole)
    asked = [key for key in paths if len(key) > 3]
    asked += data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=6))
    for key in asked:
        index = _fresh_index(path, per_part, released)
        if index is None:
            return
        assert index.line_of(key) == whole.line_of(key), key


INTERLEAVED = [
    # An entry of the document after the event's header: TOML adds it to the document.
    _DOCUMENT + _EVENT.format(id="e") + _ENTRY + _EVENT.format(id="f"),
    _DOCUMENT + _ENTRY + _EVENT.format(id="e") + _ENTRY + _EVENT.format(id="f"),
    _DOCUMENT
    + _EVENT.format(id="e")
    + _EVENT.format(id="f")
    + _ENTRY.replace("az", "kz")
    + _EVENT.format(id="g"),
]
# Two events more, so that the file is cut after its first three records.
INTERLEAVED = [text + _EVENT.format(id="y") + _EVENT.format(id="z") for text in INTERLEAVED]


INTO = ("signatories",)


@pytest.mark.parametrize("text", INTERLEAVED)
@pytest.mark.parametrize("released", [False, True])
def test_an_entry_after_another_record_has_the_line_it_is_on(
    tmp_path: Path, text: str, released: bool
) -> None:
    path = tmp_path / "events.toml"
    path.write_text(text, encoding="utf-8")
    whole = LineIndex(text)
    # The entries added after the event, and the keys in them.
    nested = [key for key in _paths(whole) if key[:3] in [("document", 0, e) for e in INTO]]
    assert nested
    for key in nested:
        index = _fresh_index(path, 3, released)
        assert index is not None, "read in parts"
        assert index.line_of(key) == whole.line_of(key) > 2, key


def test_a_released_file_that_changed_gives_the_record_line_as_read(tmp_path: Path) -> None:
    """A line asked for after the file changed is never one of the new text: it is
    the line of the record's header, as read."""
    path = tmp_path / "events.toml"
    shutil.copyfile(FIXTURE / "documents.toml", path)
    text = path.read_text(encoding="utf-8")
    whole = LineIndex(text)
    nested = [key for key in whole.key_lines if len(key) > 3 and key[2] == "signatories"]
    assert nested
    key = nested[-1]
    index = _fresh_index(path, 1, released=True)
    assert index is not None
    path.write_text("# a line more\n" + text, encoding="utf-8")
    assert index.line_of(key) == whole.line_of(key[:2]) != whole.line_of(key)


def test_a_released_file_read_whole_still_knows_its_records_lines(tmp_path: Path) -> None:
    """A file read whole finds its records' lines from its headers when first asked:
    released, it has found them already, so that a change to the file after it was
    read moves no record's line."""
    path = tmp_path / "events.toml"
    shutil.copyfile(FIXTURE / "events.toml", path)
    text = path.read_text(encoding="utf-8")
    (part,) = read_file_in_parts(path)
    index = part.records[-1].origin.lines
    assert isinstance(index, LazyLineIndex) and not index.cut
    index.release(str(path))
    path.write_text("# a line more\n" + text, encoding="utf-8")
    whole = LineIndex(text)
    assert [index.line_of(entry.path) for entry in part.records] == [
        whole.line_of(entry.path) for entry in part.records
    ]


def test_the_lines_of_one_record_come_from_one_index_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record with many findings (an office each) is indexed once, not once a line:
    each index reads up to the next record of its kind, which may be the whole file."""
    offices = "".join(
        f'[[document.signatories]]\ncountry = "c{n}"\nstatus = "signed"\nsources = ["s"]\n'
        for n in range(40)
    )
    events = "".join(_EVENT.format(id=f"e{n}") for n in range(5))
    path = tmp_path / "events.toml"
    path.write_text(_DOCUMENT + offices + events, encoding="utf-8")
    whole = LineIndex(path.read_text(encoding="utf-8"))
    index = _fresh_index(path, 2, released=False)
    assert index is not None
    made: list[int] = []
    real = LineIndex

    def counted(text: str) -> LineIndex:
        made.append(len(text))
        return real(text)

    monkeypatch.setattr(loading, "LineIndex", counted)
    keys = [("document", 0, "signatories", n, "country") for n in range(40)]
    assert [index.line_of(key) for key in keys] == [whole.line_of(key) for key in keys]
    assert len(made) == 1 and made[0] < len(_DOCUMENT + offices) + 1


def test_a_file_whose_headers_do_not_tell_every_line_keeps_its_text(tmp_path: Path) -> None:
    """A multi-line string hides a file's headers from the scan that finds its records'
    lines: such a file keeps its text when released, so that a line asked for after
    the file changed is still the line of the text read, never line 1."""
    note = 'note = """A note\n[[document]]\nthat reads like a header."""\n'
    text = _DOCUMENT.replace('sources = ["s"]\n', 'sources = ["s"]\n' + note) + _ENTRY * 3
    path = tmp_path / "events.toml"
    path.write_text(text, encoding="utf-8")
    whole = LineIndex(text)
    (part,) = read_file_in_parts(path)
    index = part.records[0].origin.lines
    assert isinstance(index, LazyLineIndex) and not index.cut
    index.release(str(path))
    path.write_text("# a line more\n" + text, encoding="utf-8")
    key = ("document", 0, "signatories", 2, "status")
    assert index.line_of(key) == whole.line_of(key) > 10
