"""The reproductions of #14, through the CLI on the bundled data."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from cislog.cli import app

runner = CliRunner()


def cli(*args: str, columns: int = 80) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_piped_timeline_has_each_source_id_on_as_many_lines_as_the_json_cites_it() -> None:
    """`cislog timeline | grep -c pages-from-history` counted 0 while the JSON held 9."""
    rows = json.loads(cli("timeline", "--json"))
    for columns in (60, 80, 120):
        lines = cli("timeline", columns=columns).splitlines()
        for source in {s for row in rows for s in row["sources"]}:
            cited = sum(source in row["sources"] for row in rows)
            pattern = re.compile(rf"(?<![\w-]){re.escape(source)}(?![\w-])")
            assert sum(bool(pattern.search(line)) for line in lines) == cited, (columns, source)


def test_a_very_narrow_screen_keeps_every_column_of_signed() -> None:
    """At COLUMNS=20 only the Note column was printed."""
    text = cli("signed", "--country", "az", columns=20)
    for shown in ("2011-10-18", "cis-free-trade-zone-agreement", "✘ not signed", "Status"):
        assert any(shown in line for line in text.splitlines()), shown


def test_footnote_numbers_run_on_through_a_whole_country_view() -> None:
    text = cli("country", "az", "--on", "2007", columns=200)
    numbers = re.findall(r"^\[(\d+)\] ", text, re.M)
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and len(numbers) >= 2


def test_country_json_events_and_facts_carry_kind_and_sources() -> None:
    profile = json.loads(cli("country", "az", "--json"))
    assert profile["events"] and profile["facts"]
    for entry in profile["events"] + profile["facts"]:
        assert entry["kind"] and entry["sources"] and entry["match"] == "certain"
