"""Tables as a reader sees them: golden text from a frozen fixture dataset at every
width, ids, dates and statuses never split, data shown literally."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import cislog
from cislog import layout, query, tables
from cislog.cli import app
from tests.conftest import MakeDataset

GOLDEN = Path(__file__).parent / "golden"
# A small copy of the bundled data, frozen: adding a fact to data/ changes no golden.
FIXTURE = Path(__file__).parent / "fixture"
WIDTHS = (40, 60, 80, 120, 200)
runner = CliRunner()


def render(parts: list[Any], width: int = 80) -> str:
    return "".join(f"{line}\n" for line in layout.render(parts, width))


# Every command that prints a table, with arguments that fill it; the name of its
# golden folder. `signed` twice: rows when piped, the matrix on a terminal.
TABLE_COMMANDS: dict[str, list[str]] = {
    "timeline": ["timeline"],
    "timeline_cica": ["timeline", "--org", "cica"],
    "timeline_possible": ["timeline", "--from", "2022-10", "--to", "2022-12"],
    "signed": ["signed"],
    "signed_az": ["signed", "--country", "az"],
    "org_cis": ["org", "cis"],
    "org_cis_bodies": ["org", "cis", "--bodies"],
    "org_cis_members": ["org", "cis", "--members", "--on", "2000"],
    "country_az_2000": ["country", "az", "--on", "2000"],
    "person_lebedev": ["person", "lebedev"],
    "holders_2020": ["person", "--office", "secretary general", "--on", "2020"],
    "show_fta": ["show", "cis-free-trade-zone-agreement"],
    "search": ["search", "free trade"],
    "sources": ["sources"],
    "sources_citing": ["sources", "cica-azerbaijan-page"],
    "on_this_day": ["on-this-day", "10-14"],
    "facts": ["facts"],
    "facts_dated": ["facts", "--subject", "az", "--from", "2000"],
    "documents": ["documents"],
    "people": ["people"],
    "orgs": ["orgs"],
    "bodies": ["bodies"],
    "countries": ["countries"],
}
ANSI = re.compile("\x1b\\[[0-9;]*m")


def table_output(data: Path | None, args: list[str], width: int, terminal: bool) -> str:
    """What a command prints at ``width`` columns, piped or on a terminal (styles
    removed); ``data`` None for the bundled data. The fixture is named by a path
    relative to the tests' folder, so that no golden holds this machine's paths."""
    env = {"COLUMNS": str(width)}
    if terminal:
        env |= {"FORCE_COLOR": "1", "NO_COLOR": None}  # type: ignore[dict-item]
    result = runner.invoke(app, [*_data_option(data), *args], env=env)
    assert result.exit_code == 0, result.output
    return ANSI.sub("", result.stdout)


def _data_option(data: Path | None) -> list[str]:
    if data is None:
        return []
    if data == FIXTURE:
        os.chdir(FIXTURE.parent)
        return ["--data", FIXTURE.name]
    return ["--data", str(data)]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(TABLE_COMMANDS))
def test_golden_tables(name: str, width: int) -> None:
    rendered = table_output(FIXTURE, TABLE_COMMANDS[name], width, terminal=False)
    golden = GOLDEN / name / f"{width}.txt"

    if os.environ.get("CISLOG_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_the_golden_folders_are_exactly_the_table_commands() -> None:
    """A golden left behind by a renamed case would never be compared again."""
    folders = {path.name for path in GOLDEN.iterdir() if path.is_dir()}
    loose = sorted(path.name for path in GOLDEN.iterdir() if path.is_file())

    assert folders == set(TABLE_COMMANDS) and loose == []
    for name in TABLE_COMMANDS:
        assert sorted(p.name for p in (GOLDEN / name).iterdir()) == sorted(
            f"{width}.txt" for width in WIDTHS
        )


# Keys of the JSON whose values a table shows as tokens: never to be split.
TOKEN_KEYS = (
    *("id", "date", "kind", "document", "country", "org", "body", "role", "from", "to"),
    *("sources", "origin", "subjects"),
)


# Parts of a command's JSON that its table leaves to other commands, on purpose: the
# holders of an office are shown with the offices that cover the date ("held"), not
# every office they ever held nor their events (`cislog person NAME` shows those).
NOT_IN_TABLE = {"holders_2020": {"offices", "events"}}


def _tokens(data: Any, skip: set[str] = set()) -> Iterator[str]:  # noqa: B006
    if isinstance(data, list):
        for item in data:
            yield from _tokens(item, skip)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in skip:
                continue
            if key in TOKEN_KEYS and isinstance(value, str) and value != "..":
                yield value
            elif key in TOKEN_KEYS and isinstance(value, list):
                yield from (item for item in value if isinstance(item, str))
            elif isinstance(value, list | dict) and key not in ("date_bounds", "aliases"):
                yield from _tokens(value, skip)
            if key == "status" and value in tables.STATUS_SYMBOLS:
                yield "STATUS:" + value


def _whole_on_a_line(token: str, lines: list[str]) -> bool:
    pattern = re.compile(f"(?<![\\w-]){re.escape(token)}(?![\\w-])")
    return any(pattern.search(line) for line in lines)


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("data", [FIXTURE, None], ids=["fixture", "bundled"])
@pytest.mark.parametrize("name", sorted(TABLE_COMMANDS))
def test_every_id_date_and_status_stays_whole_on_one_line(
    name: str, data: Path | None, terminal: bool
) -> None:
    args = TABLE_COMMANDS[name]
    shown = runner.invoke(app, [*_data_option(data), *args, "--json"])
    assert shown.exit_code == 0, shown.output
    tokens = set(_tokens(json.loads(shown.stdout), NOT_IN_TABLE.get(name, set())))
    assert tokens

    labels = {f"{symbol} {label}" for symbol, label, _ in tables.STATUS_SYMBOLS.values()}
    wholes = {token for token in tokens if not token.startswith("STATUS:")} | labels
    for width in WIDTHS:
        lines = table_output(data, args, width, terminal).splitlines()
        matrix = any(line.startswith("Legend") for line in lines)
        for token in sorted(tokens):
            if token.startswith("STATUS:"):
                symbol, label, _ = tables.STATUS_SYMBOLS[token.removeprefix("STATUS:")]
                wanted = symbol if matrix else f"{symbol} {label}"
                assert any(wanted in line for line in lines), (width, token)
            else:
                assert _whole_on_a_line(token, lines), (name, width, token)
        for line in lines:
            assert line == line.rstrip(), (width, line)
            # Only a whole token too wide for the room beside its label may run past
            # the edge: it ends the line, and what comes before it fits.
            if layout.cell_width(line) > width:
                ending = line.rstrip("(),;:.")
                assert any(
                    ending.endswith(whole)
                    and layout.cell_width(ending) - layout.cell_width(whole) < width
                    for whole in wholes
                ), (width, line)


def test_the_matrix_tells_unknown_from_not_signed() -> None:
    text = render(tables.signed_matrix(query.signatures(cislog.load(FIXTURE))), 120)

    legend = {" ".join(line.split()) for line in text.splitlines()}
    assert "✘ not signed (a source says so)" in legend
    assert "· unknown (no source says)" in legend
    fta_row = next(line for line in text.splitlines() if "Agreement on the CIS free" in line)
    assert "✘" in fta_row and "·" in fta_row
    assert "–" not in text  # no filter: nothing is left out


MARKUP_EVENT = """\
    [[event]]
    id = "odd"
    date = "2000"
    title = "[bold red]Not bold[/bold red] [link=http://x]y[/link]"
    kind = "meeting"
    summary = "RLO here: \\u202eevil\\u202c and a mark \\u200f"
    place = "[i]Baku[/i]"
    sources = ["src-a"]
    """


def test_markup_and_escape_sequences_from_data_are_shown_literally(
    make_dataset: MakeDataset,
) -> None:
    make_dataset({"events.toml": MARKUP_EVENT})

    table = runner.invoke(app, ["--data", "data", "timeline"])
    shown = runner.invoke(app, ["--data", "data", "show", "odd"])

    assert table.exit_code == shown.exit_code == 0
    assert "[bold red]Not bold[/bold red]" in " ".join(table.stdout.split())
    assert "[i]Baku[/i]" in table.stdout
    # Bidi controls are data (control characters never validate), shown as escapes.
    assert "\u202e" not in table.stdout + shown.stdout
    assert "\u200f" not in shown.stdout
    assert "\\u202eevil\\u202c" in "".join(shown.stdout.split())


def test_json_keeps_data_exactly(make_dataset: MakeDataset) -> None:
    make_dataset({"events.toml": MARKUP_EVENT})

    result = runner.invoke(app, ["--data", "data", "timeline", "--json"])

    (row,) = json.loads(result.stdout)
    assert row["summary"] == "RLO here: \u202eevil\u202c and a mark \u200f"


def test_no_colour_codes_when_piped_or_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    piped = runner.invoke(app, ["signed"])
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    no_color = runner.invoke(app, ["signed"])

    assert piped.exit_code == no_color.exit_code == 0
    assert "\x1b[" not in piped.stdout
    assert "\x1b[3" not in no_color.stdout  # NO_COLOR wins over colours
    assert "✘" in piped.stdout


def test_a_terminal_gets_the_matrix_and_a_pipe_gets_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = runner.invoke(app, ["signed"])
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")  # stdout is then taken for a terminal
    terminal = runner.invoke(app, ["signed"])

    assert "Legend" in terminal.stdout and "Legend" not in piped.stdout
    assert "Status" in piped.stdout and "Status" not in terminal.stdout


def test_a_table_read_from_an_iterator_reads_it_once_and_matches_the_list() -> None:
    """The timeline streams its rows into the table (never holding them as records);
    the table must be the one a list of the same rows gives, Match column and all."""
    dataset = cislog.load(FIXTURE)
    for want in (
        query.TimelineFilter(),
        query.TimelineFilter(period=query.Period(dt.date(2022, 10, 1), dt.date(2022, 12, 31))),
    ):
        rows = list(query.iter_timeline(dataset, want))
        read: list[str] = []

        streamed = render(tables.timeline(_counted(rows, read)), 80)

        assert streamed == render(tables.timeline(rows), 80)
        assert ("possible" in streamed) == any(row["match"] == "possible" for row in rows)
        assert read == [row["id"] for row in rows]


def _counted(rows: list[Any], read: list[str]) -> Iterator[Any]:
    """``rows`` as a one-shot iterator that notes each id it gives."""
    for row in rows:
        read.append(row["id"])
        yield row


def test_the_timeline_given_its_query_runs_it_twice_and_draws_the_same_table() -> None:
    """A function that gives the entries anew (the query) is read twice, to measure and
    to lay out, so that the table never holds the entries; the table is the one a
    list of the same entries gives, Match column and legend included."""
    dataset = cislog.load(FIXTURE)
    want = query.TimelineFilter(period=query.Period(dt.date(2022, 10, 1), dt.date(2022, 12, 31)))
    rows = list(query.iter_timeline(dataset, want))
    runs: list[int] = []

    def again() -> Iterator[Any]:
        runs.append(1)
        return query.iter_timeline(dataset, want)

    streamed = render(tables.timeline(again), 60)

    assert streamed == render(tables.timeline(rows), 60)
    assert "Match: possible" in streamed and len(runs) == 2


@pytest.mark.parametrize(("options", "runs"), [([], 2), (["--json"], 1)], ids=["table", "json"])
def test_the_timeline_command_runs_its_query_twice_for_a_table_and_once_for_json(
    monkeypatch: pytest.MonkeyPatch, options: list[str], runs: int
) -> None:
    """The table's first reading goes on with the query begun to see whether anything
    matched; only its second runs the query again."""
    real = query.iter_timeline
    started: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Iterator[Any]:
        started.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(query, "iter_timeline", counted)

    result = runner.invoke(app, [*_data_option(FIXTURE), "timeline", *options])

    assert result.exit_code == 0, result.output
    assert "cis-founding" in result.stdout and len(started) == runs
