"""Random sequences of writes on datasets written in unusual TOML, with hostile values.

After every command: it never exits 70; a refusal (exit 1 or 2) leaves every
entry of the data directory as it was; a success leaves a valid dataset in
which exactly the target changed (compared as parsed data, file by file) and
every other file is byte for byte the same. ``CISLOG_HYPOTHESIS=long`` runs
thousands of sequences (see the README).
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cislog.cli import app
from cislog.pipeline import read_dataset
from tests.test_write_boundary import entries
from tests.toml_forms import DataFile, dataset_files

runner = CliRunner()

# Values a user or a shared dataset may hold: quotes, escapes, TOML syntax, control
# and bidi characters, line ends TOML does not count, a lone surrogate.
HOSTILE = st.text(
    alphabet=st.sampled_from(
        [*"ab Zə\"'\\#[]{}=,\n\t", "\x1b", "\x00", "\u202e", "\u2028", "\x85", "\ud800"]
    ),
    max_size=12,
)
FIELDS = {
    "place": HOSTILE,
    "note": HOSTILE,
    "title": st.one_of(HOSTILE, st.just("A plain title")),
    "date": st.sampled_from(["1995", "1995-13-01", "١٩٩٣", "[..1996]", "", "199X"]),
    "tags": st.sampled_from(["a,b", '["x"]', "", "[1]", "[", "A B"]),
    "kind": st.sampled_from(["summit", "no-such-kind"]),
}


@st.composite
def operation(draw: st.DrawFn, ids: list[str]) -> tuple[Any, ...]:
    choice = draw(st.sampled_from(["edit", "edit", "remove", "add", "fmt", "signatory"]))
    target = draw(st.sampled_from([*ids, "no-such-id"]))
    if choice == "edit":
        name = draw(st.sampled_from(sorted(FIELDS)))
        return ("edit", target, name, draw(FIELDS[name]))
    if choice == "remove":
        return ("remove", target, draw(st.booleans()))
    if choice == "add":
        file = draw(st.sampled_from(["b.toml", "new.toml", "a.toml", "../out.toml", "x.txt"]))
        return ("add", draw(FIELDS["title"]), draw(FIELDS["date"]), file)
    if choice == "signatory":
        status = draw(st.sampled_from(["signed", "not_signed", "maybe"]))
        return ("signatory", target, status)
    return ("fmt",)


def _arguments(op: tuple[Any, ...]) -> list[str]:
    if op[0] == "edit":
        return ["edit", op[1], "--set", f"{op[2]}={op[3]}"]
    if op[0] == "remove":
        return ["remove", op[1], *(["--force"] if op[2] else [])]
    if op[0] == "add":
        return ["add", "event", "--title", op[1], "--date", op[2], "--kind", "summit",
                "--source", "s", "--file", op[3]]  # fmt: skip
    if op[0] == "signatory":
        return ["add", "signatory", op[1], "--country", "az", "--status", op[2],
                "--source", "s"]  # fmt: skip
    return ["fmt"]


def _parsed(directory: Path) -> dict[str, dict[str, Any]]:
    return {
        path.name: tomllib.loads(path.read_text(encoding="utf-8-sig"))
        for path in sorted(directory.glob("*.toml"))
    }


def _locate(data: dict[str, dict[str, Any]], record_id: str) -> tuple[str, str, int]:
    for name, document in data.items():
        for kind, records in document.items():
            for position, record in enumerate(records):
                if record.get("id") == record_id:
                    return name, kind, position
    raise AssertionError(f"{record_id} is in no file")


def _expected(
    op: tuple[Any, ...], before: dict[str, dict[str, Any]], stdout: str
) -> dict[str, dict[str, Any]] | None:
    """The parsed files a successful ``op`` must leave; None where only validity is checked."""
    expected = copy.deepcopy(before)
    if op[0] == "edit":
        from cislog.writing import parse_assignment

        name, kind, position = _locate(before, op[1])
        field, value = parse_assignment(kind, f"{op[2]}={op[3]}")
        record = expected[name][kind][position]
        if value is None:
            record.pop(field, None)
        else:
            record[field] = value
        return expected
    if op[0] == "remove" and not op[2]:
        name, kind, position = _locate(before, op[1])
        del expected[name][kind][position]
        expected[name] = {k: v for k, v in expected[name].items() if v}
        return expected
    if op[0] == "add":
        new_id = stdout.strip()
        fields = {"id": new_id, "date": op[2], "title": op[1], "kind": "summit"}
        added = expected.setdefault(op[3], {}).setdefault("event", [])
        added.append({**fields, "sources": ["s"]})
        return expected
    if op[0] == "signatory":
        name, kind, position = _locate(before, op[1])
        entry = {"country": "az", "status": op[2], "sources": ["s"]}
        expected[name][kind][position].setdefault("signatories", []).append(entry)
        return expected
    return None  # fmt keeps the data (checked below); --force also drops references


@st.composite
def scenario(draw: st.DrawFn) -> tuple[dict[str, DataFile], list[tuple[Any, ...]]]:
    files = draw(dataset_files())
    ids = [
        record["id"]
        for file in files.values()
        for records in file.data.values()
        for record in records
    ]
    return files, draw(st.lists(operation(ids), min_size=1, max_size=5))


@given(scenario())
def test_write_sequences_change_their_target_or_nothing(
    case: tuple[dict[str, DataFile], list[tuple[Any, ...]]],
) -> None:
    files, operations = case
    root = Path(tempfile.mkdtemp(prefix="cislog-sequence-"))
    try:
        directory = root / "data"
        directory.mkdir()
        for name, file in files.items():
            (directory / name).write_bytes(file.text.encode("utf-8"))
        for op in operations:
            _check_one(directory, op)
        assert not (root / "out.toml").exists()
    finally:
        shutil.rmtree(root)


def _check_one(directory: Path, op: tuple[Any, ...]) -> None:
    before_entries = entries(directory)
    before = _parsed(directory)

    result = runner.invoke(app, ["--data", str(directory), *_arguments(op)])

    event(f"{op[0]}: exit {result.exit_code}")  # how often each kind lands or is refused
    assert result.exit_code in (0, 1, 2), (op, result.output, result.exception)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert entries(directory) == before_entries, op
        return
    after = _parsed(directory)
    assert read_dataset(directory)[1] == [], op
    expected = _expected(op, before, result.stdout)
    if expected is not None:
        assert after == expected, (op, json.dumps(after, ensure_ascii=False))
    elif op[0] == "fmt":
        assert after == before
        return  # fmt lays out every file again: only the data must stay
    changed = {name for name in after if after[name] != before.get(name)}
    if op[0] in ("edit", "signatory", "remove"):
        changed.add(_locate(before, op[1])[0])  # its lines may be written again
    for name, (_, _, content) in before_entries.items():
        if name.endswith(".toml") and name not in changed:
            assert (directory / name).read_bytes() == content, (op, name)
