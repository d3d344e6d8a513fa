"""Tables as a reader sees them: golden text at a fixed width, data shown literally."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

import cislog
from cislog import query, tables
from cislog.cli import app
from tests.conftest import MakeDataset

GOLDEN = Path(__file__).parent / "golden"
runner = CliRunner()


def render(parts: list[Any], width: int = 80) -> str:
    buffer = io.StringIO()
    console = Console(width=width, file=buffer, color_system=None, force_terminal=False)
    for part in parts:
        console.print(part)
    return buffer.getvalue()


def _cases() -> dict[str, Callable[[cislog.Dataset], list[Any]]]:
    import datetime as dt

    on_2000 = query.Period(dt.date(2000, 1, 1), dt.date(2000, 12, 31))
    return {
        "timeline_cica": lambda d: tables.timeline(
            query.timeline(d, query.TimelineFilter(orgs=("cica",)))
        ),
        "org_cis_bodies": lambda d: tables.org_bodies(query.org_bodies(d, d.orgs["cis"])),
        "signed_matrix": lambda d: tables.signed_matrix(query.signatures(d)),
        "signed_az": lambda d: tables.signed(query.signatures(d, countries=["az"])),
        "country_az_2000": lambda d: tables.country(query.country_profile(d, "az", on_2000)),
        "person_lebedev": lambda d: tables.person(
            query.person_profile(d, d.people["sergei-lebedev"])
        ),
    }


@pytest.mark.parametrize("name", sorted(_cases()))
def test_golden_tables(name: str) -> None:
    rendered = render(_cases()[name](cislog.load()))
    golden = GOLDEN / f"{name}.txt"

    if os.environ.get("CISLOG_UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_the_matrix_tells_unknown_from_not_signed() -> None:
    text = render(tables.signed_matrix(query.signatures(cislog.load())))

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
    monkeypatch.setenv("FORCE_COLOR", "1")  # Rich then treats stdout as a terminal
    terminal = runner.invoke(app, ["signed"])

    assert "Legend" in terminal.stdout and "Legend" not in piped.stdout
    assert "Status" in piped.stdout and "Status" not in terminal.stdout


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_a_narrow_table_folds_and_never_drops_a_letter(width: int) -> None:
    rows = query.timeline(cislog.load())
    headers = "Date Kind Title Place Sources"

    text = render(tables.timeline(rows), width)

    def letters(value: str) -> int:
        return sum(char.isalnum() for char in value)

    written = letters(headers) + sum(
        letters(" ".join(str(row[key] or "") for key in ("date", "kind", "title", "place")))
        + letters(" ".join(row["sources"]))
        for row in rows
    )
    assert letters(text) == written
    assert max(len(line) for line in text.splitlines()) <= width
