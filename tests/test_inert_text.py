"""Text from a dataset is inert wherever it goes: a terminal shows control and bidi
characters as escapes, the model refuses control characters, unsafe links and integers
no export holds, and every export escapes for its own format.

Each class of character is generated (every C0 and C1 control, DEL, the bidi
controls, U+2028/U+2029, lone surrogates of undecodable bytes) besides the
reproductions of issue 13.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from typer.rich_utils import rich_render_text
from typer.testing import CliRunner, Result

from cislog import inert, render, tables
from cislog.cli import app, complete
from cislog.errors import Problem
from tests.conftest import MINIMAL_FILES

runner = CliRunner()


CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]


BIDI = [
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]


SEPARATORS = ["\u2028", "\u2029"]


ACTIVE = CONTROLS + BIDI + SEPARATORS
# A file name's undecodable bytes, as os.fsdecode keeps them (low surrogates, so that
# no two of them make a pair, which JSON would read as one character).


SURROGATES = [os.fsdecode(bytes([b])) for b in (0x80, 0xC3, 0xE9, 0xFF)] + ["\udfff"]
# Letters the data legitimately holds: Azerbaijani, Cyrillic, Arabic (with its marks).


SCRIPTS = ["Bakı", "Азәрбајҹан", "СНГ", "أذربيجان", "Ağdam", "İlham Əliyev"]


active = st.sampled_from(ACTIVE)


plain = st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]).filter(lambda c: c not in BIDI)


hostile = st.lists(
    st.one_of(plain, active, st.sampled_from(SURROGATES), st.sampled_from(SCRIPTS)), max_size=24
).map("".join)


def _utf8(text: str) -> str:
    """The text, after checking that it is valid UTF-8 as written to a file or a pipe."""
    text.encode("utf-8")
    return text


BAD_EVENT = """\
[[event]]
id = "bad"
date = "2001"
title = "Bad"
kind = "meetin"
sources = ["src-a"]
"""


def _write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(exist_ok=True)
    for name, content in {**MINIMAL_FILES, **files}.items():
        (directory / name).write_text(textwrap.dedent(content), encoding="utf-8")
    return directory


@contextmanager
def _dataset(files: dict[str, str]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as temporary:
        yield _write(Path(temporary) / "data", files)


def cli(*args: str) -> Result:
    return runner.invoke(app, ["--no-cache", *args])


def _inert_output(result: Result, *, as_json: bool = False) -> None:
    """stdout and stderr: valid UTF-8, no traceback, nothing active but line ends; JSON
    on stdout keeps bidi marks as data, but no raw control character or separator."""
    assert result.exit_code != 70, result.output
    for stream in (result.stdout_bytes, result.stderr_bytes):
        text = stream.decode("utf-8").replace("\n", "")
        if as_json and stream is result.stdout_bytes:
            assert not set(text) & set(CONTROLS + SEPARATORS), text
        else:
            assert inert.is_visible(text), text


def _event_file(**fields: Any) -> str:
    event: dict[str, Any] = {"id": "odd", "date": "2001", "title": "Odd", "kind": "meeting"}
    event.update(fields)
    event["sources"] = ["src-a"]
    return tomli_w.dumps({"event": [event]})


# --- the terminal sanitiser -----------------------------------------------------------


@pytest.mark.parametrize("char", [*ACTIVE, *SURROGATES, "\ud800"])
def test_every_active_character_is_shown_as_an_escape(char: str) -> None:
    shown = inert.visible(char)

    assert shown != char and shown.startswith("\\")
    assert inert.is_visible(shown) and shown.isascii()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31m", "\\x1b[31m"),
        ("a\nb\tc\rd", "a\\nb\\tc\\rd"),
        ("\x00\x07\x85\x9b\x7f", "\\x00\\x07\\x85\\x9b\\x7f"),
        ("Invoice \u202etxt.exe", "Invoice \\u202etxt.exe"),
        ("\u2028\u2029\u200f", "\\u2028\\u2029\\u200f"),
        (os.fsdecode(b"caf\xe9.toml"), "caf\\xe9.toml"),
        ("C:\\data\\x.toml", "C:\\data\\x.toml"),
    ],
)
def test_escapes_read_as_python_writes_them(text: str, shown: str) -> None:
    assert inert.visible(text) == shown


@given(st.lists(plain | st.sampled_from(SCRIPTS)).map("".join))
def test_ordinary_text_of_every_script_is_left_as_it_is(text: str) -> None:
    assert inert.visible(text) == text
    assert inert.is_visible(text)


@given(hostile, hostile)
def test_shown_text_is_inert_valid_utf8_and_built_piece_by_piece(a: str, b: str) -> None:
    shown = inert.visible(a + b)

    assert inert.is_visible(_utf8(shown))
    assert shown == inert.visible(a) + inert.visible(b)
    assert inert.visible(shown) == shown


@given(hostile)
def test_lines_keep_tab_and_newline_and_nothing_else_active(text: str) -> None:
    shown = inert.visible(text, lines=True)

    assert shown.count("\n") == text.count("\n") and shown.count("\t") == text.count("\t")
    assert inert.is_visible(_utf8(shown.replace("\n", "").replace("\t", "")))


# --- messages, tables and completion --------------------------------------------------


@given(active.filter(lambda c: c != "\x00"), st.sampled_from(["show", "person", "org"]))
def test_a_message_on_stderr_shows_a_hostile_argument_inert(char: str, command: str) -> None:
    result = cli(command, f"x{char}[2J")

    assert result.exit_code == 1
    _inert_output(result)
    assert f"x{inert.visible(char)}[2J" in result.stderr


def test_an_id_with_an_escape_sequence_is_reported_inert() -> None:
    with _dataset({"odd.toml": BAD_EVENT.replace('"bad"', '"a\\u001b]0;pwned\\u0007"')}) as data:
        result = cli("validate", str(data))

    assert result.exit_code == 1
    _inert_output(result)
    assert "'a\\x1b]0;pwned\\x07' is not a valid id" in result.stdout


@given(hostile, hostile, st.lists(hostile, max_size=2))
def test_a_table_shows_no_control_or_bidi_character_raw(
    title: str, place: str, sources: list[str]
) -> None:
    row = {"date": "2001", "kind": "meeting", "title": title, "place": place, "sources": sources}
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)

    for part in tables.timeline([row]):
        console.print(part)

    assert inert.is_visible(_utf8(out.getvalue()).replace("\n", ""))


def test_a_bidi_override_in_a_title_is_shown_as_an_escape_in_tables() -> None:
    """The reproduction: bidi overrides were printed raw in tables."""
    title = "Invoice \u202etxt.exe\u202c for Bakı"
    with _dataset({"odd.toml": _event_file(title=title, place="[b]Baku[/b]")}) as data:
        result = cli("--data", str(data), "timeline")

    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.stdout and "\u202c" not in result.stdout
    assert "Invoice \\u202etxt.exe\\u202c" in result.stdout and "for Bakı" in result.stdout
    assert "[b]Baku[/b]" in result.stdout


def test_a_table_title_from_the_data_is_literal() -> None:
    parts = tables.org_bodies(
        {
            "org": "[red]X\x1b[2J\u202e",
            "categories": [],
            "total": 0,
            "declared_total": None,
            "uncategorised": [],
            "sources": [],
        }
    )
    out = io.StringIO()
    for part in parts:
        Console(file=out, width=80, color_system=None).print(part)

    assert "Bodies of [red]X\\x1b[2J\\u202e" in out.getvalue()


@given(hostile, st.lists(hostile, max_size=3))
def test_completion_offers_only_inert_names_with_one_line_inert_help(
    label: str, aliases: list[str]
) -> None:
    candidates = complete.match([("odd", label, aliases)], "")

    assert candidates[0][0] == "odd"
    for value, help_text in candidates:
        assert inert.is_visible(value) and not any(c.isspace() for c in value)
        shown = rich_render_text(help_text)  # as Typer writes it for zsh and fish
        assert "\n" not in shown and inert.is_visible(shown)
        if len(label) < complete.HELP_WIDTH // 6:  # short enough never to be shortened
            assert shown == inert.visible(label)


def test_completion_help_shows_markup_as_written_and_long_names_shortened() -> None:
    ((_, short),) = complete.match([("odd", "[bold]СНГ[/bold] \u202e", [])], "o")
    ((_, long),) = complete.match([("odd", "word " * 40, [])], "o")

    assert rich_render_text(short) == "[bold]СНГ[/bold] \\u202e"
    assert len(rich_render_text(long)) <= complete.HELP_WIDTH
    assert rich_render_text(long).endswith("…")


# --- problems as JSON, and JSON text --------------------------------------------------


@given(hostile, hostile, hostile, hostile)
def test_a_problem_is_one_inert_line_and_its_json_keeps_the_file_exact(
    file: str, record_id: str, field: str, message: str
) -> None:
    problem = Problem(file, 3, record_id or None, field or None, message)

    line = str(problem)
    assert inert.is_visible(_utf8(line)) and "\n" not in line
    assert render.problems_text([problem]) == line + "\n"
    text = _utf8(render.problems_json([problem]))
    (data,) = json.loads(text)
    assert data["file"] == file
    assert data["message"] == inert.visible(message) == problem.to_dict()["message"]
    assert all(inert.is_visible(data[key] or "") for key in ("id", "field", "message"))


name_chars = st.sampled_from([c for c in ACTIVE if c != "\x00"] + SURROGATES[:4])


@given(name_chars)
def test_validate_shows_a_hostile_file_name_inert_and_its_json_names_the_file(
    char: str,
) -> None:
    with _dataset({f"ev{char}il.toml": BAD_EVENT}) as data:
        text = cli("validate", str(data))
        as_json = cli("validate", "--json", str(data))

        assert text.exit_code == as_json.exit_code == 1
        _inert_output(text)
        _inert_output(as_json, as_json=True)
        assert f"ev{inert.visible(char)}il.toml:5: bad: kind:" in text.stdout
        (problem,) = json.loads(as_json.stdout_bytes.decode("utf-8"))
        assert os.fsencode(problem["file"]) == os.fsencode(data / f"ev{char}il.toml")


def test_validate_json_is_utf8_for_a_file_name_that_is_not(tmp_path: Path) -> None:
    """The reproduction, through the installed command: its stdout is a real pipe."""
    data = _write(tmp_path / "data", {})
    (data / os.fsdecode(b"caf\xe9.toml")).write_text(BAD_EVENT, encoding="utf-8")
    environment = {**os.environ, "CISLOG_DATA": str(data), "LC_ALL": "C.UTF-8"}

    result = subprocess.run(
        [sys.executable, "-m", "cislog", "--no-cache", "validate", "--json"],
        capture_output=True,
        env=environment,
        check=False,
    )

    assert result.returncode == 1, result.stderr
    (problem,) = json.loads(result.stdout.decode("utf-8"))
    assert os.fsencode(problem["file"]).endswith(b"/caf\xe9.toml")
    assert b"\\udce9" in result.stdout


UNUSED_SOURCE = """\
[[source]]
id = "src-unused"
title = "Never cited"
kind = "article"
"""


@given(name_chars)
def test_check_findings_show_a_hostile_file_name_inert(char: str) -> None:
    with _dataset({f"s{char}.toml": UNUSED_SOURCE}) as data:
        text = cli("check", str(data))
        as_json = cli("check", "--json", str(data))

        _inert_output(text)
        _inert_output(as_json, as_json=True)
        assert f"s{inert.visible(char)}.toml:1: src-unused: unused-source:" in text.stdout
        (finding,) = json.loads(as_json.stdout_bytes.decode("utf-8"))
        assert os.fsencode(finding["file"]) == os.fsencode(data / f"s{char}.toml")


@given(st.recursive(st.none() | st.integers() | hostile, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile, inner, max_size=3), max_leaves=8))  # fmt: skip
def test_json_text_is_utf8_the_same_data_and_one_line_per_line(value: Any) -> None:
    text = _utf8(render.to_json(value))

    assert json.loads(text) == value
    assert text.splitlines() == text.split("\n")[:-1]
    assert not set(text) & (set(CONTROLS + SEPARATORS) - {"\n"})  # all written as escapes
    line = _utf8(render.inert_json(json.dumps(value, ensure_ascii=False)))
    assert json.loads(line) == value and len(line.splitlines()) == 1


def test_ndjson_lines_survive_splitlines() -> None:
    """The reproduction: U+2028 in a text broke a record's line for splitlines()."""
    summary = "one\u2028two\u2029three\nfour"
    with _dataset({"odd.toml": _event_file(summary=summary, note="a\u2028b")}) as data:
        result = cli("--data", str(data), "export", "--format", "ndjson")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(result.stdout.split("\n")) - 1 == 6
    odd = next(r for r in map(json.loads, lines) if r["id"] == "odd")
    assert (odd["summary"], odd["note"]) == (summary, "a\u2028b")
