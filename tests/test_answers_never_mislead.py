"""Answers that never mislead: each view exact about what is known, possible or unknown.

Each test here runs a command a new user ran on the bundled data and got a misleading
answer from; the rest check the same rule on datasets made for it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from cislog.cli import app
from tests.conftest import MakeDataset

runner = CliRunner()


def cislog(*args: str) -> Result:
    return runner.invoke(app, list(args))


def as_json(*args: str) -> Any:
    result = cislog(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _row(text: str, start: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.strip().startswith(start))
    return line.split()


# --- a filter never turns a known status into "unknown" ---------------------------------


def test_signed_status_unknown_on_a_terminal_marks_known_cells_not_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # Rich then treats stdout as a terminal
    monkeypatch.setenv("COLUMNS", "120")

    result = cislog("signed", "--status", "unknown")

    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Legend" in text  # the matrix, not the rows
    # by, ru and ua signed the 1991 agreement; az did not sign the 2011 one: known
    # statuses the filter leaves out, never shown as unknown (·).
    founding = _row(text, "1991-12-08")
    assert founding[-4:] == ["·", "–", "–", "–"]  # az, by, ru, ua
    assert _row(text, "2011-10-18")[-4:] == ["–", "·", "·", "·"]
    legend = " ".join(text.split())
    assert "– not shown: left out by --status unknown" in legend
    assert "· unknown (no source says)" in legend
    assert "Sources: none (no source lists these countries as signatories)" in legend


def test_the_matrix_shows_notes_as_the_row_view_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")

    matrix = cislog("signed").stdout
    rows = cislog("signed", "--country", "az").stdout

    assert "The special opinion sets out the main principles" in matrix
    assert "The special opinion sets out the main principles" in rows
    assert "✔* [" in matrix  # the cell points at its note


def test_without_a_status_filter_an_unlisted_country_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")

    text = cislog("signed").stdout

    assert "–" not in text
    assert _row(text, "2011-10-18")[-4:] == ["✘", "·", "·", "·"]


# --- dates that say exactly what the sources say ------------------------------------


def test_the_reception_is_on_11_october_of_no_stated_year() -> None:
    reception = as_json("show", "aliyev-receives-cis-security-chiefs")

    assert reception["date"] == "XXXX-10-11"
    assert reception["date_bounds"] == {
        "earliest": None,
        "latest": None,
        "precision": "day",
        "uncertain": False,
        "approximate": False,
        "interval": False,
    }
    # It falls on an 11 October, whatever the year, and on no other day.
    assert "aliyev-receives-cis-security-chiefs" in {
        row["id"] for row in as_json("on-this-day", "10-11")
    }
    assert as_json("on-this-day", "10-11")[-1]["years_ago"] is None
    assert "aliyev-receives-cis-security-chiefs" not in {
        row["id"] for row in as_json("timeline", "--from", "2023-03", "--to", "2023-09")
    }


def test_no_bundled_date_is_inferred_from_outside_the_texts() -> None:
    # The reception's year came from outside the texts; 2023 appears in no text about it.
    for record in as_json("search", "53rd"):
        shown = as_json("show", record["id"])
        assert "2023" not in (shown.get("date") or "")


# --- terms: an open bound is never a known one --------------------------------------------


def test_ilham_aliyev_is_president_on_the_days_the_texts_place_him_there() -> None:
    holders = as_json("person", "--office", "president", "--on", "2022-10-14")

    by_id = {row["id"]: row for row in holders}
    assert by_id["ilham-aliyev"]["match"] == "certain"
    (held,) = by_id["ilham-aliyev"]["held"]
    assert (held["from"], held["to"]) == ("[..2015-10-16]", "[2022-10-14..]")
    assert held["to_bounds"]["earliest"] == "2022-10-14" and held["to_bounds"]["latest"] is None
    # Heydar Aliyev and Nazarbayev: terms no text ends, so only possibly.
    assert by_id["heydar-aliyev"]["match"] == by_id["nursultan-nazarbayev"]["match"] == "possible"
    assert holders[0]["id"] == "ilham-aliyev"  # certain holders first


@pytest.mark.parametrize("on", ["1980", "2030"])
def test_a_term_known_only_by_days_in_office_is_not_certain_beyond_them(on: str) -> None:
    holders = {
        row["id"]: row["match"] for row in as_json("person", "--office", "president", "--on", on)
    }

    assert holders.get("ilham-aliyev") == "possible"
    certain = as_json("person", "--office", "president", "--on", on, "--certain")
    assert "ilham-aliyev" not in {row["id"] for row in certain}


def test_an_interval_as_a_term_end_is_refused_with_what_to_write(
    make_dataset: MakeDataset,
) -> None:
    make_dataset(
        {
            "people.toml": """\
                [[person]]
                id = "p"
                name = "P"
                sources = ["src-a"]

                [[person.offices]]
                title = "President"
                from = "../2015-10-16"
                to = "2022-10-14/.."
                sources = ["src-a"]
                """
        }
    )

    result = cislog("--data", "data", "validate")

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/people.toml:8: p: offices[0].from: '../2015-10-16': the start or end of a term is "
        "one day, not an interval: write [..2015-10-16] for on or before 2015-10-16",
        "data/people.toml:9: p: offices[0].to: '2022-10-14/..': the start or end of a term is "
        "one day, not an interval: write [2022-10-14..] for on or after 2022-10-14",
    ]


def test_the_secretary_general_post_keeps_its_holder_before_the_renaming() -> None:
    (holder,) = as_json("person", "--office", "secretary general", "--on", "2020-01-01")

    assert holder["id"] == "sergei-lebedev"
    (held,) = holder["held"]
    assert held["title"] == "Chairman of the CIS Executive Committee - Executive Secretary"
    assert held["post_titles"][-1] == "CIS Secretary General"


def test_a_renaming_links_the_post_for_every_holder_not_only_the_renamed_one(
    make_dataset: MakeDataset,
) -> None:
    # An earlier holder under the old title is found by the new title, and the other way
    # round; a post of the same title elsewhere (another org) is not.
    make_dataset(
        {
            "people.toml": """\
                [[person]]
                id = "early"
                name = "Early Holder"
                sources = ["src-a"]

                [[person.offices]]
                title = "Executive Secretary"
                org = "cis"
                from = "1995"
                to = "2000"
                sources = ["src-a"]

                [[person]]
                id = "late"
                name = "Late Holder"
                sources = ["src-a"]

                [[person.offices]]
                title = "Secretary General"
                renamed_from = "Executive Secretary"
                org = "cis"
                from = "2010"
                to = ".."
                sources = ["src-a"]

                [[person]]
                id = "elsewhere"
                name = "Someone Else"
                sources = ["src-a"]

                [[person.offices]]
                title = "Executive Secretary"
                country = "az"
                from = "1990"
                to = "2020"
                sources = ["src-a"]
                """
        }
    )

    def holders(title: str, on: str) -> list[str]:
        return [
            row["id"] for row in as_json("--data", "data", "person", "--office", title, "--on", on)
        ]

    assert holders("secretary general", "1997") == ["early"]
    assert holders("executive secretary", "2010") == ["late", "elsewhere"]
    assert holders("secretary general", "2015") == ["late"]


# --- "on or before" is one day, not an interval since for ever -------------------------------


def test_on_or_before_is_possible_in_1800_and_says_so() -> None:
    entries = as_json("timeline", "--from", "1800", "--to", "1801")
    table = cislog("timeline", "--from", "1800", "--to", "1801")

    transfer = next(e for e in entries if e["id"] == "heydar-aliyev-presidential-powers")
    assert transfer["date"] == "[..1993-09-24]" and transfer["match"] == "possible"
    assert {e["match"] for e in entries} == {"possible"}
    assert "Match" in table.stdout and "possible" in table.stdout
    assert as_json("timeline", "--from", "1800", "--to", "1801", "--certain") == []


def _sort_key(entry: dict[str, Any]) -> tuple[str, str]:
    """The documented sort key, as a jq user writes it:
    sort_by([.date_bounds | .earliest // .latest // "9999-12-31"], .id)."""
    bounds = entry["date_bounds"]
    return (bounds["earliest"] or bounds["latest"] or "9999-12-31", entry["id"])


def test_the_documented_sort_key_reproduces_the_timeline_order() -> None:
    entries = as_json("timeline")

    assert entries == sorted(entries, key=_sort_key)
    assert entries[-1]["id"] == "aliyev-receives-cis-security-chiefs"  # no bound: last
    reverse = as_json("timeline", "--reverse")
    assert reverse == sorted(entries, key=_sort_key, reverse=True)


def test_sql_users_get_the_same_order_from_the_bound_columns(tmp_path: Path) -> None:
    result = cislog("export", "--format", "sqlite", "--out", str(tmp_path / "c.db"))
    assert result.exit_code == 0, result.output
    timeline = [e["id"] for e in as_json("timeline") if e["record"] == "event"]

    with sqlite3.connect(tmp_path / "c.db") as db:
        ordered = [
            row[0]
            for row in db.execute(
                "SELECT id FROM events ORDER BY "
                "COALESCE(date_earliest, date_latest, '9999-12-31'), id"
            )
        ]
        bounds = db.execute(
            "SELECT date_earliest, date_latest, date_precision, date_uncertain, date_interval "
            "FROM events WHERE id = 'heydar-aliyev-presidential-powers'"
        ).fetchone()
        terms = db.execute(
            "SELECT from_earliest, from_latest, to_earliest, to_latest FROM offices "
            "WHERE person = 'ilham-aliyev'"
        ).fetchone()

    assert ordered == timeline
    assert bounds == (None, "1993-09-24", "day", 0, 0)
    assert terms == (None, "2015-10-16", "2022-10-14", None)


# --- every problem at once ---------------------------------------------------------------


def test_a_bad_date_does_not_hide_broken_references(make_dataset: MakeDataset) -> None:
    make_dataset(
        {
            "events.toml": """\
                [[event]]
                id = "e"
                date = "2001-02-30"
                title = "E"
                kind = "meeting"
                orgs = ["nowhere"]
                people = ["nobody"]
                sources = ["src-a"]
                """
        }
    )

    result = cislog("--data", "data", "validate")

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "data/events.toml:3: e: date: '2001-02-30': February 2001 has no day 30",
        "data/events.toml:6: e: orgs[0]: no org with id 'nowhere'",
        "data/events.toml:7: e: people[0]: no person with id 'nobody'",
    ]


def test_a_refused_field_is_not_reported_twice(make_dataset: MakeDataset) -> None:
    # A list written as a string is the model's to report; the reference check does not
    # add "no org with id" for the same value.
    make_dataset(
        {
            "events.toml": """\
                [[event]]
                id = "e"
                date = "1993"
                title = "E"
                kind = "nonsense"
                orgs = "nowhere"
                countries = ["xx"]
                sources = ["src-a"]
                """
        }
    )

    lines = cislog("--data", "data", "validate").stdout.splitlines()

    assert len(lines) == 3
    assert lines[0].startswith("data/events.toml:5: e: kind: a string ('nonsense') is not allowed")
    assert (
        lines[1] == "data/events.toml:6: e: orgs: expected a valid list, got a string ('nowhere')"
    )
    assert lines[2] == "data/events.toml:7: e: countries[0]: no country with id 'xx'"


def test_a_document_refused_by_its_model_still_has_repeated_signatories_found(
    make_dataset: MakeDataset,
) -> None:
    make_dataset(
        {
            "documents.toml": """\
                [[document]]
                id = "d"
                title = "D"
                kind = "agreement"
                date = "1993-13"
                sources = ["src-a"]

                [[document.signatories]]
                country = "az"
                status = "signed"
                sources = ["src-a"]

                [[document.signatories]]
                country = "az"
                status = "not_signed"
                sources = ["src-a"]
                """
        }
    )

    lines = cislog("--data", "data", "validate").stdout.splitlines()

    assert lines == [
        "data/documents.toml:5: d: date: '1993-13': there is no month 13",
        "data/documents.toml:14: d: signatories[1].country: "
        "country 'az' is listed twice among the signatories",
    ]


# --- filters accept every value the data format accepts ---------------------------------------


@pytest.mark.parametrize("kind", ["speech", "treaty", "charter", "other"])
def test_every_kind_of_the_format_is_a_valid_filter(kind: str) -> None:
    result = cislog("timeline", "--kind", kind, "--json")

    assert result.exit_code == 0, result.output
    assert all(entry["kind"] == kind for entry in json.loads(result.stdout))


def test_a_kind_outside_the_format_is_still_refused_with_a_hint() -> None:
    result = cislog("timeline", "--kind", "speach")

    assert result.exit_code == 1
    assert "unknown kind 'speach' (did you mean 'speech'?)" in result.stderr


def test_the_record_type_is_its_own_filter() -> None:
    events = as_json("timeline", "--record", "event")
    documents = as_json("timeline", "--record", "document")
    everything = as_json("timeline")

    assert {e["record"] for e in events} == {"event"}
    assert {e["record"] for e in documents} == {"document"}
    assert len(events) + len(documents) == len(everything)
    assert cislog("timeline", "--record", "fact").exit_code == 1


def test_an_unused_tag_finds_nothing_and_says_so() -> None:
    result = cislog("timeline", "--tag", "corridor", "--json")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "no entry has the tag 'corridor' (did you mean 'corridors'?)" in result.stderr
    assert cislog("timeline", "--tag", "Not A Slug").exit_code == 1


# --- --certain everywhere a date filter is --------------------------------------------------


def test_certain_keeps_only_certain_matches_in_every_dated_command() -> None:
    signed = as_json("signed", "--from", "2007", "--to", "2011")
    members = as_json("org", "cis", "--members", "--on", "1995")
    export = json.loads(
        cislog("export", "-f", "json", "--from", "1993", "--to", "1993", "--certain").stdout
    )

    assert {r["match"] for r in signed} >= {"certain"}
    assert all(
        r["match"] == "certain"
        for r in as_json("signed", "--from", "2007", "--to", "2011", "--certain")
    )
    assert {m["country"]: m["match"] for m in members} == {
        "by": "possible", "ru": "possible", "ua": "possible", "az": "certain", "am": "possible",
    }  # fmt: skip
    certain_members = as_json("org", "cis", "--members", "--on", "1995", "--certain")
    assert [m["country"] for m in certain_members] == ["az"]
    assert {e["id"] for e in export["event"]} == {
        "azerbaijan-accession-to-cis",
        "heydar-aliyev-inauguration",
    }
    table = cislog("timeline", "--on", "1993", "--certain")
    assert "Only what certainly falls in the asked dates is shown (--certain)" in table.stdout
    nothing = cislog("timeline", "--from", "1800", "--to", "1801", "--certain")
    assert nothing.stdout == ""
    assert nothing.stderr == (
        "no events match\nOnly what certainly falls in the asked dates is shown (--certain); "
        "what only may is left out.\n"
    )


# --- the same rules, found again by an attacker's datasets ------------------------------------

ODD_DATES = """\
    [[event]]
    id = "about-1995"
    date = "1995~"
    title = "About 1995"
    kind = "other"
    sources = ["src-a"]

    [[event]]
    id = "last-year-digit"
    date = "XXX9"
    title = "A year ending in 9"
    kind = "other"
    sources = ["src-a"]

    [[event]]
    id = "early-year"
    date = "0993-05-01"
    title = "Before the year 1000"
    kind = "other"
    sources = ["src-a"]

    [[event]]
    id = "two-24-septembers"
    date = "[1993-09-24, 1994-09-24]"
    title = "On 24 September of 1993 or 1994"
    kind = "other"
    sources = ["src-a"]

    [[event]]
    id = "some-year-of-a-century"
    date = "19XX"
    title = "In the 20th century"
    kind = "other"
    sources = ["src-a"]

    [[document]]
    id = "undated-signed"
    title = "An undated agreement"
    kind = "agreement"
    sources = ["src-a"]

    [[document.signatories]]
    country = "az"
    status = "signed"
    sources = ["src-a"]
    """


@pytest.fixture
def odd(make_dataset: MakeDataset) -> Path:
    return make_dataset({"odd.toml": ODD_DATES})


def test_a_qualified_date_is_possible_a_unit_beyond_its_bounds_never_certainly_not(
    make_dataset: MakeDataset,
) -> None:
    make_dataset(
        {
            "odd.toml": ODD_DATES,
            "orgs.toml": """\
                [[org]]
                id = "cis"
                name = "Commonwealth of Independent States"
                sources = ["src-a"]

                [[org.memberships]]
                country = "az"
                role = "member"
                from = "1995~"
                to = ".."
                sources = ["src-a"]
                """,
        }
    )

    (standing,) = as_json("--data", "data", "country", "az", "--on", "1994-12")["standing"]
    entries = {
        e["id"]: e["match"] for e in as_json("--data", "data", "timeline", "--on", "1994-12")
    }

    assert (standing["status"], standing["match"]) == ("member", "possible")
    assert entries["about-1995"] == "possible"
    assert "about-1995" not in {
        e["id"] for e in as_json("--data", "data", "timeline", "--on", "1993-06")
    }


def test_an_undated_document_may_fall_in_any_range(odd: Path) -> None:
    rows = as_json("--data", str(odd), "signed", "--from", "2000")

    assert [(r["document"], r["match"]) for r in rows] == [("undated-signed", "possible")]
    assert as_json("--data", str(odd), "signed", "--from", "2000", "--certain") == []


def test_country_on_a_date_filters_its_documents_and_events_too() -> None:
    profile = as_json("country", "az", "--on", "1993")

    events = {e["id"]: e["match"] for e in profile["events"]}
    assert events["azerbaijan-accession-to-cis"] == "certain"
    assert events["heydar-aliyev-presidential-powers"] == "possible"
    assert "cis-chs-astana-2022" not in events
    assert profile["documents"] == []  # no document listing az is dated 1993
    # Without --on, today's date is the standing's alone: every part is listed.
    assert "cis-chs-astana-2022" in {e["id"] for e in as_json("country", "az")["events"]}


def test_a_date_filtered_export_says_which_entries_are_only_possible(
    odd: Path, tmp_path: Path
) -> None:
    data = str(odd)
    whole = json.loads(cislog("--data", data, "export", "-f", "json", "--on", "1995").stdout)
    lines = cislog("--data", data, "export", "-f", "ndjson", "--on", "1995").stdout.splitlines()
    markdown = cislog("--data", data, "export", "-f", "markdown", "--on", "1995").stdout
    calendar = cislog("--data", data, "export", "-f", "ics", "--on", "1995").stdout
    assert (
        cislog(
            "--data", data, "export", "-f", "sqlite", "--on", "1995", "-o", str(tmp_path / "x.db")
        ).exit_code
        == 0
    )

    assert {e["id"]: e["match"] for e in whole["event"]} == {
        "about-1995": "possible", "some-year-of-a-century": "possible",
    }  # fmt: skip
    assert all("match" not in record for record in whole["source"])
    assert {json.loads(line).get("match") for line in lines} == {"possible", None}
    assert "About 1995 (date approximate, possibly in the asked dates)" not in markdown
    assert "### 1995\\~ (date approximate, possibly in the asked dates): About 1995" in markdown
    assert markdown.index("## Year not given") < markdown.index("In the 20th century")
    assert "X-CISLOG-MATCH:possible" in calendar
    with sqlite3.connect(tmp_path / "x.db") as db:
        timeline = db.execute("SELECT id, match FROM timeline ORDER BY position").fetchall()
    assert ("about-1995", "possible") in timeline
    # Without a date filter, nothing is marked.
    unfiltered = json.loads(cislog("--data", data, "export", "-f", "json").stdout)
    assert all("match" not in record for record in unfiltered["event"])


def test_ics_writes_early_years_in_four_digits_and_leaves_out_the_calendars_last_day(
    odd: Path,
) -> None:
    result = cislog("--data", str(odd), "export", "-f", "ics")

    assert result.exit_code == 0, result.output
    assert "DTSTART;VALUE=DATE:09930501" in result.stdout
    assert "X-CISLOG-EARLIEST;VALUE=DATE:09930501" in result.stdout
    assert "last-year-digit@cislog" not in result.stdout
    assert "last-year-digit is left out: its date, XXX9, reaches the last day" in result.stderr


def test_every_date_key_has_its_bounds_key_even_when_no_source_gives_the_date() -> None:
    shown = as_json("show", "cis")
    counts = as_json("org", "cis")["counts"]

    armenia = next(m for m in shown["memberships"] if m["country"] == "am")
    assert (armenia["from_bounds"], armenia["to_bounds"]) == (None, None)
    assert all("as_of_bounds" in count and count["as_of_bounds"] is None for count in counts)


def test_a_post_renamed_twice_lists_its_titles_in_the_order_of_the_renamings(
    make_dataset: MakeDataset,
) -> None:
    make_dataset(
        {
            "people.toml": """\
                [[person]]
                id = "p"
                name = "P"
                sources = ["src-a"]

                [[person.offices]]
                title = "Zeta Secretary"
                org = "cis"
                from = "1990"
                to = "1999"
                sources = ["src-a"]

                [[person.offices]]
                title = "Alpha Secretary"
                renamed_from = "Zeta Secretary"
                org = "cis"
                from = "2000"
                to = "2009"
                sources = ["src-a"]

                [[person.offices]]
                title = "Mid Secretary"
                renamed_from = "Alpha Secretary"
                org = "cis"
                from = "2010"
                to = ".."
                sources = ["src-a"]
                """
        }
    )

    (holder,) = as_json("--data", "data", "person", "--office", "mid secretary", "--on", "1995")

    assert holder["held"][0]["title"] == "Zeta Secretary"
    assert holder["held"][0]["post_titles"] == [
        "Zeta Secretary",
        "Alpha Secretary",
        "Mid Secretary",
    ]


def test_a_set_whose_members_all_fall_on_a_day_is_on_that_day(odd: Path) -> None:
    found = {
        row["id"]: row["years_ago"] for row in as_json("--data", str(odd), "on-this-day", "09-24")
    }

    # Two years it may be: not one number of years ago.
    assert found == {"accession": 33, "two-24-septembers": None}


def test_a_year_a_digit_leaves_open_stays_off_the_chart_and_out_of_decades(odd: Path) -> None:
    chart = as_json("--data", str(odd), "timeline", "--chart")
    stats = as_json("--data", str(odd), "stats")

    assert chart[-1] == {"year": None, "count": 2, "uncertain": 2}  # XXX9 and 19XX
    assert len(chart) < 1100  # not a row for every year from 9 to 9999
    assert stats["no_year"] == 2 and "0s" not in {row["decade"] for row in stats["decades"]}


def test_check_reports_a_contradiction_only_where_a_qualified_date_cannot_escape_it(
    make_dataset: MakeDataset,
) -> None:
    # Dated 1990? against a founding of 1991-12-08: the year may be 1991, so no error;
    # dated 1989? it cannot reach the founding even a year later.
    make_dataset(
        {
            "events.toml": """\
                [[event]]
                id = "maybe-after"
                date = "1990?"
                title = "Maybe after"
                kind = "meeting"
                orgs = ["cis"]
                sources = ["src-a"]
                note = "Inferred."

                [[event]]
                id = "surely-before"
                date = "1989?"
                title = "Surely before"
                kind = "meeting"
                orgs = ["cis"]
                sources = ["src-a"]
                note = "Inferred."
                """
        }
    )

    result = cislog("--data", "data", "check", "--json")
    findings = {f["id"]: f["rule"] for f in json.loads(result.stdout)}

    assert findings.get("surely-before") == "dated-before-founding"
    assert "maybe-after" not in findings


def test_add_office_records_a_renaming_that_queries_then_follow(
    make_dataset: MakeDataset,
) -> None:
    make_dataset(
        {
            "people.toml": """\
                [[person]]
                id = "p"
                name = "P"
                sources = ["src-a"]

                [[person.offices]]
                title = "Executive Secretary"
                org = "cis"
                from = "2000"
                to = "2009"
                sources = ["src-a"]
                """
        }
    )
    added = cislog(
        "--data", "data", "add", "office", "p", "--title", "Secretary General",
        "--renamed-from", "Executive Secretary", "--org", "cis", "--from", "2010",
        "--to", "..", "--source", "src-a",
    )  # fmt: skip
    refused = cislog(
        "--data", "data", "add", "office", "p", "--title", "X", "--from", "../2010",
        "--source", "src-a",
    )  # fmt: skip

    assert added.exit_code == 0, added.output
    (holder,) = as_json("--data", "data", "person", "--office", "secretary general", "--on", "2005")
    assert holder["held"][0]["title"] == "Executive Secretary"
    assert refused.exit_code == 1
    assert "write [..2010] for on or before 2010" in refused.stderr


def test_every_table_of_a_country_on_a_date_marks_its_possible_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "160")

    text = cislog("country", "az", "--on", "1993").stdout
    events = text[text.index("Events") :]

    lines = events.splitlines()

    def row_of(record_id: str) -> str:
        # The id stands under the title, one line below the row's first line.
        index = next(i for i, line in enumerate(lines) if record_id in line)
        return lines[index - 1]

    transfer = row_of("heydar-aliyev-presidential")
    accession = row_of("azerbaijan-accession-to-cis")
    assert "possible" in transfer and "possible" not in accession
    assert "Match: possible = the event may" in " ".join(events.split())
