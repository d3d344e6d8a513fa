"""``cislog stats``, ``timeline --chart`` and ``on-this-day``: the counts, the charts, the days."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import cislog
from cislog import charts, stats
from cislog.cli import app, stats_cmd
from tests.conftest import MakeDataset

runner = CliRunner()

# Events and documents whose dates test every way a date can be partial or open.
DATED_FILES: dict[str, str | bytes | None] = {
    "events.toml": """\
        [[event]]
        id = "day"
        date = "1993-09-24"
        title = "A day"
        kind = "accession"
        orgs = ["cis"]
        sources = ["src-a"]

        [[event]]
        id = "month"
        date = "1993-09"
        title = "A month"
        kind = "meeting"
        sources = ["src-a"]

        [[event]]
        id = "uncertain-day"
        date = "2010-09-24?"
        title = "An uncertain day"
        kind = "meeting"
        note = "Inferred."
        orgs = ["cis"]
        sources = ["src-a"]

        [[event]]
        id = "approximate-year"
        date = "1995~"
        title = "An approximate year"
        kind = "meeting"
        sources = ["src-a"]

        [[event]]
        id = "interval-across-decades"
        date = "1999-09-24/2001-01-02"
        title = "An interval starting on the day"
        kind = "conference"
        sources = ["src-a"]

        [[event]]
        id = "interval-ending-on-the-day"
        date = "2003-09-20/2003-09-24"
        title = "An interval ending on the day"
        kind = "conference"
        sources = ["src-a"]

        [[event]]
        id = "open-start"
        date = "../1997-09-24"
        title = "On or before a day"
        kind = "other"
        sources = ["src-a"]

        [[event]]
        id = "on-or-before"
        date = "[..1997-09-24]"
        title = "On some day before a day"
        kind = "other"
        sources = ["src-a"]

        [[event]]
        id = "no-year"
        date = "XXXX-09-24"
        title = "On a 24 September of a year no source gives"
        kind = "meeting"
        sources = ["src-a"]

        [[event]]
        id = "leap-day"
        date = "2004-02-29"
        title = "A leap day"
        kind = "meeting"
        sources = ["src-a"]

        [[event]]
        id = "this-year"
        date = "2026-09-24"
        title = "This year"
        kind = "meeting"
        sources = ["src-a"]
        """,
    "documents.toml": """\
        [[document]]
        id = "dated-document"
        title = "A dated document"
        kind = "agreement"
        date = "2011-09-24"
        org = "cis"
        sources = ["src-a"]

        [[document]]
        id = "undated-document"
        title = "An undated document"
        kind = "agreement"
        org = "cis"
        sources = ["src-a"]
        """,
}


def cislog_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), env=env)


def as_json(*args: str) -> Any:
    result = cislog_cli(*args, "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return json.loads(result.stdout)


# --- stats ------------------------------------------------------------------------


def test_stats_counts_kinds_orgs_decades_and_sources(make_dataset: MakeDataset) -> None:
    data = stats.dataset_stats(cislog.load(make_dataset(DATED_FILES)))

    kinds = {row["kind"]: row["count"] for row in data["kinds"]}
    assert kinds == {
        "source": 1, "country": 1, "org": 1, "body": 1,
        "person": 0, "document": 2, "event": 11, "fact": 0,
    }  # fmt: skip
    assert data["orgs"] == [
        {
            "org": "cis",
            "name": "Commonwealth of Independent States",
            "events": 2,
            "documents": 2,
            "count": 4,
        }
    ]
    # By earliest day: the interval from 1999 counts in the 1990s only; the open
    # start, the day on or before another, the day of no year and the undated
    # document are in no decade.
    assert data["decades"] == [
        {"decade": "1990s", "count": 4},
        {"decade": "2000s", "count": 2},
        {"decade": "2010s", "count": 2},
        {"decade": "2020s", "count": 1},
    ]
    assert (data["open_start"], data["no_year"], data["undated"]) == (2, 1, 1)
    assert sum(row["count"] for row in data["decades"]) + 4 == kinds["event"] + kinds["document"]
    assert data["sources"] == [{"source": "src-a", "title": "A source", "count": 16}]


def test_stats_json_is_the_library_result_and_fields_pick_sections() -> None:
    expected = stats.dataset_stats(cislog.load())

    assert as_json("stats") == expected
    assert as_json("stats", "--fields", "undated,open_start") == {
        "undated": expected["undated"],
        "open_start": expected["open_start"],
    }
    # Largest first, every organisation and source listed, zeros included.
    counts = [row["count"] for row in expected["sources"]]
    assert counts == sorted(counts, reverse=True) and 0 in counts


def test_stats_charts_are_plain_characters_that_fit_the_width() -> None:
    narrow = cislog_cli("stats", env={"COLUMNS": "50"})
    wide = cislog_cli("stats", env={"COLUMNS": "140"})

    for result, width in ((narrow, 50), (wide, 140)):
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= width
        assert "Records citing each source" in lines
    # Labels take at most half the width: a longer one stands whole on a line of its
    # own, with its bar on the next, and is never split.
    assert any(line.startswith("pages-from-history ") for line in wide.stdout.splitlines())
    narrow_lines = narrow.stdout.splitlines()
    first = narrow_lines.index("presidential-secretariat-2001")
    assert narrow_lines[first + 1].strip() == "0"
    assert "…" not in narrow.stdout
    apart = " ".join(narrow.stdout.split())
    assert "Not in any decade: 1 with no earliest day (on or before a date); 1 whose year" in apart

    def longest_bar(output: str) -> int:
        return max(line.count(charts.FULL) for line in output.splitlines())

    assert longest_bar(wide.stdout) > longest_bar(narrow.stdout) * 2


def test_a_bar_chart_shows_labels_literally_and_scales_to_the_largest() -> None:
    chart = charts.BarChart(
        [charts.Bar("[bold]x[/bold]", 10), charts.Bar("a\x1b[31m", 5), charts.Bar("none", 0)],
        title="T",
    )

    lines = list(chart.lines(60, on=False))
    assert lines[0] == "T"
    assert lines[1].startswith("[bold]x[/bold] ") and lines[1].endswith(" 10")
    assert lines[2].startswith("a\\x1b[31m")
    assert lines[3].rstrip().endswith("0") and charts.FULL not in lines[3]
    assert all(len(line) <= 60 for line in lines)
    assert lines[1].count(charts.FULL) == 2 * lines[2].count(charts.FULL)


@pytest.mark.parametrize(
    ("value", "largest", "width", "expected"),
    [(0, 10, 8, ""), (10, 10, 8, "█" * 8), (1, 1000, 8, "▏"), (5, 10, 3, "█▌")],
)
def test_bar_text_keeps_eighths_and_never_hides_a_non_zero_value(
    value: int, largest: int, width: int, expected: str
) -> None:
    assert charts.bar_text(value, largest, width) == expected


# --- timeline --chart ---------------------------------------------------------------


def test_entries_per_year_counts_each_entry_once_where_it_starts() -> None:
    entries = [
        {"date": d}
        for d in (
            "1993", "1993-09", "1993-09-24?", "1995~", "1996-12-30/1998-01-02", "../1997-05",
            "[..1997-06]", "199X", "XXXX-05-01",
        )
    ]  # fmt: skip

    # A year a digit leaves open (199X) and a day of no year are in no single year: they
    # share a row of their own, last, rather than stretch the chart over their years.
    assert stats.entries_per_year(entries) == [
        {"year": 1993, "count": 3, "uncertain": 1},
        {"year": 1994, "count": 0, "uncertain": 0},
        {"year": 1995, "count": 1, "uncertain": 1},
        {"year": 1996, "count": 1, "uncertain": 0},
        {"year": 1997, "count": 2, "uncertain": 2},
        {"year": None, "count": 2, "uncertain": 2},
    ]
    # A digit left open anywhere in the year keeps even the last year 9999 off the chart.
    assert [row["year"] for row in stats.entries_per_year([{"date": "XXX9"}])] == [None]
    backward = stats.entries_per_year(entries, reverse=True)
    assert [row["year"] for row in backward[:2]] == [1997, 1996]
    assert backward[-1]["year"] is None
    assert stats.entries_per_year([{"date": "1993", "match": "possible"}]) == [
        {"year": 1993, "count": 1, "uncertain": 1}
    ]
    assert stats.entries_per_year([]) == []


def test_timeline_chart_json_counts_the_filtered_timeline() -> None:
    entries = as_json("timeline", "--org", "cica")
    counts = as_json("timeline", "--org", "cica", "--chart")

    assert sum(row["count"] for row in counts) == len(entries)
    by_year = {row["year"]: row["count"] for row in counts if row["count"]}
    assert by_year == {2011: 1, 2018: 1, 2021: 1, 1992: 1, 1999: 1, 2002: 1}
    assert as_json("timeline", "--org", "cica", "--chart", "--from", "2011")[0]["year"] == 2011
    assert cislog_cli("timeline", "--chart", "--fields", "year").exit_code == 0


def test_timeline_chart_draws_years_and_marks_uncertain_ones() -> None:
    # The frozen fixture, so that a fact added to data/ changes no count here.
    fixture = str(Path(__file__).parent / "fixture")
    result = cislog_cli("--data", fixture, "timeline", "--chart", env={"COLUMNS": "80"})

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Timeline entries per year (13 in all)"
    assert next(line for line in lines if line.startswith("2022")).endswith(" 2 (1 uncertain)")
    assert next(line for line in lines if line.startswith("1994")).split() == ["1994", "0"]


def test_timeline_chart_of_nothing_says_so() -> None:
    chart = cislog_cli("timeline", "--chart", "--kind", "accession", "--from", "2020")
    counts = cislog_cli("timeline", "--chart", "--json", "--kind", "accession", "--from", "2020")

    assert (chart.exit_code, chart.stdout, chart.stderr) == (0, "", "no events match\n")
    assert (counts.exit_code, json.loads(counts.stdout)) == (0, [])


# --- on-this-day ----------------------------------------------------------------------


def test_only_day_precision_dates_and_interval_starts_match(make_dataset: MakeDataset) -> None:
    dataset = cislog.load(make_dataset(DATED_FILES))

    found = stats.on_this_day(dataset, 9, 24, today=dt.date(2026, 9, 24))

    assert [(row["id"], row["years_ago"], row["uncertain"]) for row in found] == [
        ("day", 33, False),
        ("interval-across-decades", 27, False),
        ("uncertain-day", 16, True),
        ("dated-document", 15, False),
        ("no-year", None, False),  # a 24 September of a year no source gives
    ]
    assert found[2]["date"] == "2010-09-24?"
    later = stats.on_this_day(dataset, 9, 24, today=dt.date(2027, 1, 1))
    assert "this-year" in [row["id"] for row in later]
    leap = stats.on_this_day(dataset, 2, 29, today=dt.date(2026, 1, 1))
    assert [row["id"] for row in leap] == ["leap-day"]


def test_on_this_day_defaults_to_the_clock(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_dataset(DATED_FILES)
    monkeypatch.setattr(stats_cmd, "today", lambda: dt.date(2004, 2, 29))

    result = runner.invoke(app, ["--data", "data", "on-this-day", "--json"])
    table = runner.invoke(app, ["--data", "data", "on-this-day", "09-24"], env={"COLUMNS": "120"})

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []  # 2004-02-29 is this year, not an earlier one
    assert result.stderr == ""
    assert table.exit_code == 0, table.output
    assert "1993-09-24" in table.stdout and "2010-09-24?" not in table.stdout  # after 2004


def test_on_this_day_json_has_the_timeline_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats_cmd, "today", lambda: dt.date(2025, 1, 1))
    timeline = {row["id"]: row for row in as_json("timeline")}

    rows = as_json("on-this-day", "10-14")

    assert [row["date"] for row in rows] == ["2022-10-14", "2022-10-14", "2022-10-14?"]
    for row in rows:
        assert row == {
            **timeline[row["id"]],
            "uncertain": row["date"].endswith("?"),
            "years_ago": 3,
        }


def test_on_this_day_with_nothing_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats_cmd, "today", lambda: dt.date(2025, 1, 1))

    result = cislog_cli("on-this-day", "01-02")

    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "nothing happened on 01-02 in earlier years\n"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("02-30", "'02-30': month 02 has no day 30"),
        ("13-01", "'13-01': there is no month 13"),
        ("00-10", "'00-10': there is no month 00"),
        ("04-31", "'04-31': month 04 has no day 31"),
        ("9-24", "'9-24' is not a day of the year: use MM-DD, such as 09-24"),
        ("garbage", "'garbage' is not a day of the year: use MM-DD, such as 09-24"),
        ("09-24-1993", "'09-24-1993' is not a day of the year: use MM-DD, such as 09-24"),
        ("٠٩-٢٤", "'٠٩-٢٤' is not a day of the year: use MM-DD, such as 09-24"),
    ],
)
def test_a_bad_day_is_a_usage_error(day: str, message: str) -> None:
    result = cislog_cli("on-this-day", day)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"Invalid value for MM-DD: {message}" in result.stderr
    assert "Traceback" not in result.output


def test_february_29_is_a_day() -> None:
    assert stats.day_of_year("02-29") == (2, 29)
    assert cislog_cli("on-this-day", "02-29").exit_code == 0


# --- the installed command ------------------------------------------------------------


def test_stats_and_on_this_day_through_the_installed_command(tmp_path: Path) -> None:
    executable = shutil.which("cislog", path=str(Path(sys.executable).parent))
    assert executable, "the cislog console script is not installed next to this Python"
    environment = {k: v for k, v in os.environ.items() if k != "CISLOG_DATA"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [executable, *args],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    counted = run("stats", "--json")
    day = run("on-this-day", "09-24", "--fields", "id,years_ago")
    chart = run("timeline", "--chart")

    assert counted.returncode == 0, counted.stderr
    assert json.loads(counted.stdout) == stats.dataset_stats(cislog.load())
    assert day.returncode == 0, day.stderr
    this_year = dt.date.today().year
    assert {"id": "azerbaijan-accession-to-cis", "years_ago": this_year - 1993} in json.loads(
        day.stdout
    )
    assert chart.returncode == 0 and chart.stdout.startswith("Timeline entries per year")
