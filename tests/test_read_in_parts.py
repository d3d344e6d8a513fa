"""A file read a part at a time reads as it reads whole, or says it cannot."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cislog import pipeline
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
