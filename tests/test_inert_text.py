"""Text from a dataset is inert wherever it goes: a terminal shows control and bidi
characters as escapes, the model refuses control characters, unsafe links and integers
no export holds, and every export escapes for its own format.

Each class of character is generated (every C0 and C1 control, DEL, the bidi
controls, U+2028/U+2029, lone surrogates of undecodable bytes) besides the
reproductions of issue 13.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
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
from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from typer.rich_utils import rich_render_text
from typer.testing import CliRunner, Result

import cislog
from cislog import inert, layout, render, tables
from cislog.cli import app, complete
from cislog.errors import Problem
from cislog.export import ExportError, csvfmt, files, ics, markdown, select, sqlitefmt, timelinejs
from cislog.model import MAX_INTEGER, Source
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
    row = {
        "id": "odd",
        "date": "2001",
        "kind": "meeting",
        "title": title,
        "place": place,
        "sources": sources,
    }

    text = "\n".join(layout.render(tables.timeline([row]), 100))

    assert inert.is_visible(_utf8(text).replace("\n", ""))


def test_a_bidi_override_in_a_title_is_shown_as_an_escape_in_tables() -> None:
    """The reproduction: bidi overrides were printed raw in tables."""
    title = "Invoice \u202etxt.exe\u202c for Bakı"
    with _dataset({"odd.toml": _event_file(title=title, place="[b]Baku[/b]")}) as data:
        result = cli("--data", str(data), "timeline")

    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.stdout and "\u202c" not in result.stdout
    assert "Invoice" in result.stdout and "\\u202etxt.exe\\u202c" in result.stdout
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
    text = "\n".join(layout.render(parts, 80))

    assert "Bodies of [red]X\\x1b[2J\\u202e" in text


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
    problem = Problem(file, 3, record_id or None, field or None, message, code="invalid-value")

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


# --- the model ------------------------------------------------------------------------


LINE_FIELDS = ["title", "place"]


PROSE_FIELDS = ["summary", "note"]


def _problems(files: dict[str, str]) -> list[Problem]:
    with _dataset(files) as data:
        return cislog.validate(data)


@given(
    st.sampled_from(CONTROLS + SEPARATORS),
    st.sampled_from(LINE_FIELDS),
    st.text(max_size=5),
    st.sampled_from(SCRIPTS),
)
def test_one_line_of_text_refuses_every_control_character_naming_the_field(
    char: str, field: str, before: str, after: str
) -> None:
    assume(inert.first_control(before) is None)

    (problem,) = _problems({"odd.toml": _event_file(**{field: before + char + after})})

    assert problem.field == field
    assert problem.message.startswith(f"'{field}' holds ")
    assert f"U+{ord(char):04X}" in problem.message
    assert f"at character {len(before) + 1}:" in problem.message


@given(st.sampled_from(CONTROLS), st.sampled_from(PROSE_FIELDS), st.sampled_from(SCRIPTS))
def test_prose_holds_tabs_and_line_breaks_but_no_other_control_character(
    char: str, field: str, text: str
) -> None:
    problems = _problems({"odd.toml": _event_file(**{field: f"{text}{char}{text}"})})

    if char in "\t\n":
        assert problems == []
    else:
        (problem,) = problems
        assert problem.field == field and problem.message.startswith(f"'{field}' holds ")


def test_aliases_names_and_nested_titles_refuse_control_characters_too() -> None:
    person = {
        "id": "p",
        "name": "P\x00",
        "aliases": ["ok", "\x1b[2J"],
        "offices": [{"title": "Chair\x85", "sources": ["src-a"]}],
        "sources": ["src-a"],
    }

    problems = _problems({"people.toml": tomli_w.dumps({"person": [person]})})

    assert [(p.field, p.message.split(" at ")[0]) for p in problems] == [
        ("name", "'name' holds the control character U+0000"),
        ("aliases[1]", "'aliases' holds the control character U+001B"),
        ("offices[0].title", "'title' holds the control character U+0085"),
    ]


def test_bidi_marks_and_separators_in_prose_are_data_kept_exactly_in_json() -> None:
    title = "قمة \u200fبغداد \u202eok\u202c"  # noqa: RUF001
    summary = "one\u2028two\u2029three"
    with _dataset({"odd.toml": _event_file(title=title, summary=summary)}) as data:
        result = cli("--data", str(data), "timeline", "--json")

    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.stdout) if r["id"] == "odd")
    assert (row["title"], row["summary"]) == (title, summary)
    assert "\u200f" in result.stdout and "\u2028" not in result.stdout


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "www.example.org",
        "http:/example.org",
        "https://",
        "mailto:",
        'https://example.org/"onmouseover="alert(1)',
        "https://example.org/\u202etxt",
        "https://example.org/a b",
    ],
)
def test_a_url_other_than_a_whole_web_or_mail_address_is_refused(url: str) -> None:
    source = {"id": "src-b", "title": "B", "kind": "article", "url": url}

    (problem,) = _problems({"more.toml": tomli_w.dumps({"source": [source]})})

    assert (problem.field, problem.id) == ("url", "src-b")
    assert problem.message == inert.url_problem(url) != None  # noqa: E711


@given(st.from_regex(r"[a-zA-Z][a-zA-Z0-9+.-]{0,9}", fullmatch=True))
def test_any_other_scheme_is_refused(scheme: str) -> None:
    assume(scheme.lower() not in inert.SAFE_SCHEMES)

    assert inert.url_problem(f"{scheme}:alert(1)") == (
        f"'{scheme.lower()}:' addresses are not allowed: a url starts with https://, "
        "http:// or mailto:"
    )
    assert not inert.safe_link(f"{scheme}://example.org/")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c#d",
        "http://example.org",
        "HTTPS://EXAMPLE.ORG/",
        "https://президент.рф/news",
        "mailto:press@example.org",
    ],
)
def test_web_and_mail_addresses_are_accepted(url: str) -> None:
    source = {"id": "src-b", "title": "B", "kind": "article", "url": url}

    assert _problems({"more.toml": tomli_w.dumps({"source": [source]})}) == []


def test_a_javascript_url_is_refused_before_any_export() -> None:
    """The reproduction: it became a live link in TimelineJS and Markdown."""
    source = {"id": "src-b", "title": "B", "kind": "article", "url": "javascript:alert(1)"}
    with _dataset({"more.toml": tomli_w.dumps({"source": [source]})}) as data:
        validated = cli("validate", str(data))
        exported = cli("--data", str(data), "export", "--format", "timelinejs")

    assert validated.exit_code == exported.exit_code == 1
    assert "src-b: url: 'javascript:' addresses are not allowed" in validated.stdout
    assert "javascript" not in exported.stdout


@pytest.mark.parametrize(
    ("value", "fine"),
    [(MAX_INTEGER, True), (MAX_INTEGER + 1, False), (123456789012345678901234567890, False)],
)
def test_integers_are_at_most_what_every_export_holds(value: int, fine: bool) -> None:
    source = {"id": "src-b", "title": "B", "kind": "book", "pages": value}
    org = {
        "id": "o",
        "name": "O",
        "counts": [{"of": "bodies", "value": value, "sources": ["src-a"]}],
        "sources": ["src-a"],
    }

    problems = _problems({"more.toml": tomli_w.dumps({"source": [source], "org": [org]})})

    if fine:
        assert problems == []
    else:
        assert [p.field for p in problems] == ["pages", "counts[0].value"]
        assert all(f"less than or equal to {MAX_INTEGER}" in p.message for p in problems)


def test_sqlite_export_of_a_30_digit_count_is_a_message(tmp_path: Path) -> None:
    """The reproduction: it was an OverflowError, exit 70."""
    source = {"id": "src-b", "title": "B", "kind": "book", "pages": 10**29}
    data = _write(tmp_path / "data", {"more.toml": tomli_w.dumps({"source": [source]})})

    result = cli("--data", str(data), "export", "--format", "sqlite", "--out", "x.db")

    assert result.exit_code == 1
    assert "more.toml:" in result.stderr
    assert f"src-b: pages: expected less than or equal to {MAX_INTEGER}" in result.stderr


def test_sqlite_holds_the_largest_integer_exactly_and_refuses_a_larger_one(
    tmp_path: Path,
) -> None:
    source = {"id": "src-b", "title": "B", "kind": "book", "pages": MAX_INTEGER}
    data = _write(tmp_path / "data", {"more.toml": tomli_w.dumps({"source": [source]})})
    export = select(cislog.load(data))

    sqlitefmt.write(export, tmp_path / "fine.db")
    db = sqlite3.connect(tmp_path / "fine.db")
    assert db.execute("SELECT pages FROM sources WHERE id = 'src-b'").fetchone() == (MAX_INTEGER,)
    db.close()
    # A record that never met the model (the bound) still gets a message.
    sources = export.records["source"]
    sources[:] = [s.replace(pages=2**70) if s.id == "src-b" else s for s in sources]
    with pytest.raises(ExportError, match=r"sources\.pages: a number of 71 bits"):
        sqlitefmt.write(export, tmp_path / "big.db")
    assert not (tmp_path / "big.db").exists()


def test_control_characters_never_reach_a_csv_export() -> None:
    """The reproduction: a NUL and an escape validated and reached the CSV raw."""
    with _dataset({"odd.toml": _event_file(title="a\x00b", summary="\x1b[2J")}) as data:
        result = cli("--data", str(data), "export", "--format", "csv")
        problems = cislog.validate(data)

    assert result.exit_code == 1 and "\x00" not in result.stdout + result.stderr
    assert [p.field for p in problems] == ["title", "summary"]


# --- exports --------------------------------------------------------------------------


@given(hostile)
def test_a_csv_cell_holds_no_control_character_but_tabs_and_line_ends(text: str) -> None:
    cell = csvfmt.cell(text)

    assert inert.controls_visible(_utf8(cell), lines=True) == cell
    assert not set(cell) - {"\t", "\n", "\r"} & set(CONTROLS)
    assert all(char in cell for char in BIDI + SEPARATORS if char in text)  # they are data


@given(st.lists(hostile, min_size=1, max_size=4))
def test_csv_rows_read_back_as_their_cells(values: list[str]) -> None:
    cells = [csvfmt.cell(value) for value in values]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)

    assert next(csv.reader(io.StringIO(out.getvalue(), newline=""))) == cells


_MD = MarkdownIt("commonmark")


_BREAKS = re.compile("[ \t\r\n\u2028\u2029]+")


@given(st.lists(plain | st.sampled_from([" ", "\t", "\n", "\r\n", "\u2028", "\\", "&amp;", "<b>", "[x](y)", "<javascript:x>", "`", "*", "_", "$x$", "#", "|", "~~"])).map("".join))  # fmt: skip
def test_markdown_text_renders_exactly_as_written(text: str) -> None:
    html = _MD.render(f"### 2001: «{markdown.escape(text)}»")

    shown = _BREAKS.sub(" ", text).strip(" ")
    assert html == f"<h3>2001: «{escapeHtml(shown)}»</h3>\n"


@given(hostile)
def test_markdown_text_holds_no_control_character(text: str) -> None:
    escaped = _utf8(markdown.escape(text))

    assert "\n" not in escaped
    assert inert.controls_visible(escaped) == escaped


def _with_url(url: str) -> Any:
    return Source(id="src-a", title="A source", kind="article").model_copy(update={"url": url})


@given(st.sampled_from(["javascript:alert(1)", "data:text/html,x", "JAVASCRIPT:x", "vbscript:x", "https://x.org/\"><script>", "https://ok.example/a"]))  # fmt: skip
def test_exports_link_only_a_safe_url_even_one_the_model_never_saw(url: str) -> None:
    dataset = cislog.load()
    export = select(dataset)
    entry = next(e for e in export.timeline if e["sources"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(export), "source", lambda self, source_id: _with_url(url))
        cited = timelinejs._cite(export, entry["sources"][0])
        footnote = markdown._footnote(export, entry["sources"][0])

    if inert.safe_link(url):
        assert cited.startswith(f'<a href="{url}">') and footnote.endswith(f"<{url}>.")
    else:
        assert "href" not in cited and "<" not in cited.replace("&lt;", "")
        assert "<" not in footnote.replace("\\<", "")


def test_timelinejs_escapes_every_text_it_gives_as_html() -> None:
    html = "<img src=x onerror=alert(1)>"
    event = _event_file(title=html, summary=html, note=html, place=html)
    with _dataset({"odd.toml": event}) as data:
        slides = timelinejs.render(select(cislog.load(data)))["events"]

    (slide,) = [s for s in slides if s["unique_id"] == "odd"]
    assert "<img" not in json.dumps(slide)
    assert slide["text"]["headline"] == "&lt;img src=x onerror=alert(1)&gt;"


DAYS = [
    "9999",
    "9999-12",
    "9999-12-31",
    "9999-12-30",
    "9999-12-31?",
    "9999~",
    "999X",
    "9999-XX-XX",
    "9998/9999",
    "9999/..",
    "../9999-12-31",
    "[9999-12-31..]",
    "[..9999-12-31]",
    "0001",
    "0001-01-01",
    "0001?",
    "000X",
    "../0001-01-01",
    "[..0001-01-01]",
    "0001/9999",
]


@given(st.lists(st.sampled_from(DAYS), min_size=1, max_size=4, unique=True))
def test_every_export_writes_dates_at_the_ends_of_the_calendar(days: list[str]) -> None:
    """The reproduction: an ICS export of a date in year 9999 was an exit 70."""
    events = [
        {"id": f"e{i}", "date": day, "title": day, "kind": "meeting", "sources": ["src-a"]}
        for i, day in enumerate(days)
    ]
    with _dataset({"odd.toml": tomli_w.dumps({"event": events})}) as data:
        export = select(cislog.load(data))
        for fmt in ("json", "ndjson", "csv", "ics", "timelinejs", "markdown"):
            assert files.render(export, fmt)
        sqlitefmt.write(export, data.parent / "x.db")
        result = cli("--data", str(data), "export", "--format", "ics")

    assert result.exit_code == 0, result.output
    calendar = result.stdout
    assert calendar.count("BEGIN:VEVENT") == len(
        [e for e in export.timeline if ics.fits(export.date(e))]
    )
