"""``cislog export``: every format read back by its own ecosystem's parser."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import icalendar
import pytest
from typer.testing import CliRunner, Result

import cislog
from cislog.cli import app
from cislog.export import markdown, select
from cislog.export.csvfmt import SEPARATOR, cell
from cislog.export.ics import escape, fold
from cislog.kinds import RECORD_KINDS
from cislog.query import TimelineFilter
from tests.conftest import MakeDataset

runner = CliRunner()

# Events whose dates exercise every precision and qualifier, and whose text
# holds what spreadsheets, iCalendar, HTML and Markdown each treat specially.
EDGE_EVENTS = """\
    [[event]]
    id = "month-event"
    date = "2001-05"
    title = "=HYPERLINK(\\"http://example.com\\"; \\"click\\")"
    kind = "meeting"
    summary = "A summary with a comma, a semicolon; and a backslash \\\\ in it."
    place = "Baku"
    orgs = ["cis"]
    tags = ["first", "second"]
    sources = ["src-a"]

    [[event]]
    id = "interval-event"
    date = "2011-04-20/2011-04-21"
    title = "Two days of <b>talks</b> *not bold*"
    kind = "conference"
    orgs = ["cis"]
    sources = ["src-a"]

    [[event]]
    id = "open-end-event"
    date = "2023-01-01/.."
    title = "-1 Something still running"
    kind = "other"
    sources = ["src-a"]

    [[event]]
    id = "open-start-event"
    date = "../1993-09-23"
    title = "@Before the accession"
    kind = "other"
    sources = ["src-a"]

    [[event]]
    id = "uncertain-event"
    date = "2023-10-11?"
    title = "A reception on an inferred day"
    kind = "reception"
    note = "The year is inferred."
    sources = ["src-a"]

    [[event]]
    id = "year-event"
    date = "1999"
    title = "A year-long matter"
    kind = "other"
    sources = ["src-a"]

    [[event]]
    id = "on-or-before-event"
    date = "[..1993-09-23]"
    title = "A decision on some day before the accession"
    kind = "other"
    sources = ["src-a"]

    [[event]]
    id = "decade-event"
    date = "199X"
    title = "In some year of the 1990s"
    kind = "other"
    sources = ["src-a"]

    [[event]]
    id = "no-year-event"
    date = "XXXX-10-11"
    title = "On 11 October of a year no source gives"
    kind = "reception"
    sources = ["src-a"]
    """


def cislog_cli(*args: str) -> Result:
    return runner.invoke(app, list(args))


def exported(*args: str) -> str:
    result = cislog_cli("export", *args)
    assert result.exit_code == 0, result.output
    # The one entry with no year has no place in a calendar, and the command says so.
    options = dict(itertools.pairwise(args))
    fmt = options.get("--format") or options.get("-f")
    assert result.stderr == (NO_YEAR_NOTE.format(fmt=fmt) if fmt in ("ics", "timelinejs") else "")
    return result.stdout


NO_YEAR_NOTE = (
    "cislog: note: aliyev-receives-cis-security-chiefs is left out: its date, XXXX-10-11, "
    "gives no year, so it has no place in {fmt}\n"
)


@pytest.fixture
def edge_data(make_dataset: MakeDataset) -> Path:
    return make_dataset({"edge.toml": EDGE_EVENTS})


# --- json and ndjson ----------------------------------------------------------------


def test_json_holds_every_record_as_show_json_gives_it() -> None:
    data = json.loads(exported("--format", "json"))

    assert list(data) == list(RECORD_KINDS)
    assert sum(len(records) for records in data.values()) == len(cislog.load())
    for kind, records in data.items():
        for record in records:
            shown = json.loads(cislog_cli("show", record["id"], "--json").stdout)
            assert shown.pop("record") == kind
            del shown["origin"], shown["referenced_by"]
            assert record == shown
            assert list(record) == list(shown)  # the same order of keys: id first


def test_ndjson_is_one_record_a_line_with_its_kind(edge_data: Path) -> None:
    result = cislog_cli("--data", str(edge_data), "export", "--format", "ndjson")
    text = result.stdout
    lines = text.splitlines()
    whole = json.loads(cislog_cli("--data", str(edge_data), "export", "-f", "json").stdout)

    assert result.exit_code == 0 and text.endswith("\n")
    assert len(lines) == sum(len(records) for records in whole.values())
    for line in lines:
        record = json.loads(line)
        kind = record.pop("record")
        assert record in whole[kind]
        shown = json.loads(
            cislog_cli("--data", str(edge_data), "show", record["id"], "--json").stdout
        )
        assert {k: v for k, v in shown.items() if k not in ("origin", "referenced_by")} == {
            "record": kind,
            **record,
        }


def test_a_filtered_export_holds_every_record_its_entries_lead_to() -> None:
    data = json.loads(exported("--format", "json", "--org", "cica"))
    ids = {record["id"] for records in data.values() for record in records}
    dataset = cislog.load()

    assert {e["id"] for e in data["event"]} == {
        e["id"] for e in json.loads(cislog_cli("timeline", "--org", "cica", "--json").stdout)
    } & set(dataset.events)
    assert "cis" not in ids and data["fact"] == []
    for record_id in ids:
        for reference in dataset.references(dataset[record_id]):
            assert reference.target in ids, (record_id, reference)


def test_select_without_a_filter_keeps_even_undated_and_unreferenced_records() -> None:
    dataset = cislog.load()
    everything = select(dataset, TimelineFilter())
    narrowed = select(dataset, TimelineFilter(orgs=("cica",)))

    assert sum(len(r) for r in everything.records.values()) == len(dataset)
    assert len(everything.records["fact"]) == len(dataset.facts) > 0
    assert 0 < len(narrowed.timeline) < len(everything.timeline)


# --- csv ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_compute_is_neutralised(value: str) -> None:
    assert cell(value) == "'" + value
    assert cell([value, "b"]) == "'" + value + SEPARATOR + "b"


def test_plain_cells_are_kept_and_lists_joined() -> None:
    assert cell("Baku") == "Baku"
    assert cell(["a", "=b"]) == "a; =b"
    assert cell(None) == "" and cell(True) == "true" and cell(3) == "3"


def test_csv_to_stdout_is_the_timeline_and_reads_back(edge_data: Path) -> None:
    result = cislog_cli("--data", str(edge_data), "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    timeline = json.loads(cislog_cli("--data", str(edge_data), "timeline", "--json").stdout)

    assert result.exit_code == 0
    assert [row["id"] for row in rows] == [entry["id"] for entry in timeline]
    by_id = {row["id"]: row for row in rows}
    assert by_id["month-event"]["title"] == '\'=HYPERLINK("http://example.com"; "click")'
    assert by_id["open-end-event"]["title"] == "'-1 Something still running"
    assert by_id["open-start-event"]["title"] == "'@Before the accession"
    assert by_id["month-event"]["tags"].split(SEPARATOR) == ["first", "second"]
    (month,) = [entry for entry in timeline if entry["id"] == "month-event"]
    assert by_id["month-event"]["summary"] == month["summary"]


def test_csv_to_a_directory_writes_a_file_per_kind_and_nested_table(
    edge_data: Path, tmp_path: Path
) -> None:
    result = cislog_cli("--data", str(edge_data), "export", "-f", "csv", "--out", "tables")
    out = tmp_path / "tables"
    data = json.loads(cislog_cli("--data", str(edge_data), "export", "-f", "json").stdout)

    assert result.exit_code == 0, result.output
    assert "wrote 13 files to tables" in result.stderr
    plural = {"source": "sources", "country": "countries", "org": "orgs", "body": "bodies",
              "person": "people", "document": "documents", "event": "events", "fact": "facts"}  # fmt: skip
    for kind, name in plural.items():
        with (out / f"{name}.csv").open(newline="", encoding="utf-8") as stream:
            rows = list(csv.DictReader(stream))
        assert [row["id"] for row in rows] == [r["id"] for r in data[kind]]
    with (out / "events.csv").open(newline="", encoding="utf-8") as stream:
        events = {row["id"]: row for row in csv.DictReader(stream)}
    assert events["month-event"]["title"].startswith("'=HYPERLINK")
    assert events["accession"]["countries"] == "az" and events["accession"]["orgs"] == "cis"
    with (out / "counts.csv").open(newline="", encoding="utf-8") as stream:
        counts = list(csv.DictReader(stream))
    assert counts == [
        {"org": "cis", "of": "bodies", "category": "statutory", "value": "1",
         "qualifier": "exactly", "as_of": "", "as_of_earliest": "", "as_of_latest": "",
         "as_of_precision": "", "as_of_uncertain": "", "as_of_approximate": "",
         "as_of_interval": "", "sources": "src-a", "note": ""}
    ]  # fmt: skip


def test_csv_directory_of_the_bundled_data_has_its_signatories(tmp_path: Path) -> None:
    result = cislog_cli("export", "-f", "csv", "-o", "out/")
    assert result.exit_code == 0 and result.stdout == ""
    with (tmp_path / "out" / "signatories.csv").open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    dataset = cislog.load()

    assert len(rows) == sum(len(d.signatories) for d in dataset.documents.values())
    fta = [r for r in rows if r["document"] == "cis-free-trade-zone-agreement"]
    assert {"country": "az", "status": "not_signed"}.items() <= fta[0].items()


# --- ics --------------------------------------------------------------------------------


def _calendar(text: str) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(text)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_ics_is_read_by_icalendar_and_matches_the_data(edge_data: Path) -> None:
    result = cislog_cli("--data", str(edge_data), "export", "--format", "ics")
    events = _calendar(result.stdout)

    assert result.exit_code == 0
    timeline = json.loads(cislog_cli("--data", str(edge_data), "timeline", "--json").stdout)
    placed = {entry["id"] for entry in timeline} - {"no-year-event"}
    assert set(events) == {f"{entry_id}@cislog" for entry_id in placed}
    assert "no-year-event is left out: its date, XXXX-10-11, gives no year" in result.stderr

    def span(uid: str) -> tuple[dt.date, dt.date | None]:
        event = events[f"{uid}@cislog"]
        end = event.get("DTEND")
        return event["DTSTART"].dt, end.dt if end else None

    assert span("accession") == (dt.date(1993, 9, 24), dt.date(1993, 9, 25))
    assert span("month-event") == (dt.date(2001, 5, 1), dt.date(2001, 6, 1))
    assert span("year-event") == (dt.date(1999, 1, 1), dt.date(2000, 1, 1))
    assert span("interval-event") == (dt.date(2011, 4, 20), dt.date(2011, 4, 22))
    assert span("open-end-event") == (dt.date(2023, 1, 1), None)
    assert span("open-start-event") == (dt.date(1993, 9, 23), dt.date(1993, 9, 24))
    assert span("on-or-before-event") == (dt.date(1993, 9, 23), dt.date(1993, 9, 24))
    assert span("decade-event") == (dt.date(1990, 1, 1), dt.date(2000, 1, 1))
    assert str(events["uncertain-event@cislog"]["SUMMARY"]).endswith("(date uncertain)")
    assert str(events["open-end-event@cislog"]["SUMMARY"]).endswith("(end open)")
    assert str(events["open-start-event@cislog"]["SUMMARY"]).endswith("(start open)")
    before = events["on-or-before-event@cislog"]
    assert str(before["SUMMARY"]).endswith("(on or before 1993-09-23)")
    # DTSTART alone would say the day is known: the bounds say it is only the last possible.
    assert str(before["X-CISLOG-DATE"]) == "[..1993-09-23]"
    assert "X-CISLOG-EARLIEST" not in before
    assert before["X-CISLOG-LATEST"].dt == dt.date(1993, 9, 23)
    assert before.decoded("X-CISLOG-UNCERTAIN") is False
    assert before.decoded("X-CISLOG-INTERVAL") is False
    assert events["interval-event@cislog"].decoded("X-CISLOG-INTERVAL") is True
    assert str(events["decade-event@cislog"]["X-CISLOG-PRECISION"]) == "year"
    assert "year not fully given" in str(events["decade-event@cislog"]["SUMMARY"])
    month = events["month-event@cislog"]
    assert str(month["SUMMARY"]) == '=HYPERLINK("http://example.com"; "click")'
    description = str(month["DESCRIPTION"])
    assert "a semicolon; and a backslash \\ in it." in description
    assert "A source [src-a]" in description
    assert str(month["LOCATION"]) == "Baku"


def test_ics_lines_are_crlf_folded_and_the_same_every_time() -> None:
    # The runner's text output turns CRLF into LF: the bytes are what was written.
    raw = cislog_cli("export", "--format", "ics").stdout_bytes
    first = raw.decode("utf-8")

    assert raw == cislog_cli("export", "--format", "ics").stdout_bytes
    assert raw.endswith(b"END:VCALENDAR\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    entries = json.loads(cislog_cli("timeline", "--json").stdout)
    assert len(_calendar(first)) == len(entries) - 1  # less the entry with no year


def test_folding_keeps_utf8_characters_whole_and_unfolds_to_the_line() -> None:
    line = "SUMMARY:" + "Azərbaycan – СНГ " * 12
    folded = fold(line).encode("utf-8")

    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.decode("utf-8").replace("\r\n ", "") == line + "\r\n"
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


# --- timelinejs ---------------------------------------------------------------------------


def _check_date(date: dict[str, Any]) -> None:
    assert set(date) <= {"year", "month", "day"} and "year" in date
    assert all(isinstance(value, int) for value in date.values())
    assert 1 <= date.get("month", 1) <= 12 and 1 <= date.get("day", 1) <= 31


def test_timelinejs_follows_the_format_rules(edge_data: Path) -> None:
    data = json.loads(exported_from(edge_data, "timelinejs"))

    assert set(data) == {"title", "events"}
    assert data["title"]["text"]["headline"] == "Chronology: Commonwealth of Independent States"
    ids = [slide["unique_id"] for slide in data["events"]]
    assert len(ids) == len(set(ids)) == 9
    assert "no-year-event" not in ids
    for slide in data["events"]:
        _check_date(slide["start_date"])
        if "end_date" in slide:
            _check_date(slide["end_date"])
        assert isinstance(slide["text"]["headline"], str) and slide["text"]["headline"]
    slides = {slide["unique_id"]: slide for slide in data["events"]}
    assert slides["month-event"]["start_date"] == {"year": 2001, "month": 5}
    assert "end_date" not in slides["month-event"] and "display_date" not in slides["month-event"]
    assert slides["interval-event"]["end_date"] == {"year": 2011, "month": 4, "day": 21}
    assert slides["interval-event"]["text"]["headline"] == (
        "Two days of &lt;b&gt;talks&lt;/b&gt; *not bold*"
    )
    assert slides["uncertain-event"]["display_date"] == "2023-10-11? (date uncertain)"
    assert slides["open-start-event"]["start_date"] == {"year": 1993, "month": 9, "day": 23}
    assert "start open" in slides["open-start-event"]["display_date"]
    assert slides["on-or-before-event"]["start_date"] == {"year": 1993, "month": 9, "day": 23}
    assert "end_date" not in slides["on-or-before-event"]
    assert slides["on-or-before-event"]["display_date"] == (
        "[..1993-09-23] (on or before 1993-09-23)"
    )
    assert slides["decade-event"]["start_date"] == {"year": 1990}
    assert slides["decade-event"]["end_date"] == {"year": 1999}
    assert slides["accession"]["group"] == "Commonwealth of Independent States"
    assert "group" not in slides["year-event"]


def exported_from(data: Path, fmt: str, *args: str) -> str:
    result = cislog_cli("--data", str(data), "export", "--format", fmt, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


# --- sqlite --------------------------------------------------------------------------------


def test_sqlite_has_tables_join_tables_and_a_full_text_index(tmp_path: Path) -> None:
    result = cislog_cli("export", "--format", "sqlite", "--out", "cislog.db")
    dataset = cislog.load()

    assert result.exit_code == 0, result.output
    db = sqlite3.connect(tmp_path / "cislog.db")
    found = db.execute(
        "SELECT records.id FROM records_fts JOIN records ON records.rowid = records_fts.rowid "
        "WHERE records_fts MATCH ?",
        ("azerbaycan",),
    ).fetchall()
    assert ("az",) in found
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # How Datasette finds a table's full-text index (datasette.utils.detect_fts_sql).
    fts = db.execute(
        "SELECT name FROM sqlite_master WHERE rootpage = 0 "
        "AND sql LIKE '%VIRTUAL TABLE%USING FTS%content=\"records\"%'"
    ).fetchall()
    assert fts == [("records_fts",)]
    people = db.execute("SELECT person, source FROM people_sources").fetchall()
    assert set(people) == {(p.id, s) for p in dataset.people.values() for s in p.sources}
    (events,) = db.execute("SELECT count(*) FROM events").fetchone()
    assert events == len(dataset.events)
    orgs = db.execute(
        "SELECT orgs.name FROM events_orgs JOIN orgs ON orgs.id = events_orgs.org "
        "WHERE events_orgs.event = 'azerbaijan-accession-to-cis'"
    ).fetchall()
    assert orgs == [("Commonwealth of Independent States",)]
    status = db.execute(
        "SELECT status FROM signatories WHERE document = ? AND country = 'az'",
        ("cis-free-trade-zone-agreement",),
    ).fetchone()
    assert status == ("not_signed",)
    cited = db.execute(
        "SELECT count(*) FROM signatories_sources JOIN signatories "
        "ON signatories.id = signatories_sources.signatory"
    ).fetchone()
    assert cited[0] == sum(
        len(s.sources) for d in dataset.documents.values() for s in d.signatories
    )


def test_sqlite_needs_out_and_never_writes_binary_to_stdout() -> None:
    result = cislog_cli("export", "--format", "sqlite")

    assert result.exit_code == 2
    assert "--out" in result.stderr and result.stdout == ""


# --- markdown -------------------------------------------------------------------------------


def test_markdown_has_years_entries_and_each_footnote_defined_once(edge_data: Path) -> None:
    text = exported_from(edge_data, "markdown")
    used = set(re.findall(r"\[\^([a-z0-9-]+)\](?!:)", text))
    defined = re.findall(r"^\[\^([a-z0-9-]+)\]: ", text, flags=re.M)

    assert used == set(defined) == {"src-a"} and len(defined) == 1
    assert "[^src-a]: *A source*." in text
    years = re.findall(r"^## (\d{4})$", text, flags=re.M)
    assert years == sorted(years) and "1999" in years and "2001" in years
    assert '### 2001-05: =HYPERLINK("http://example.com"; "click")' in text
    assert "### 2011-04-20/2011-04-21: Two days of \\<b\\>talks\\</b\\> \\*not bold\\*" in text
    assert "### 2023-10-11? (date uncertain): A reception on an inferred day" in text


def test_markdown_never_carries_a_terminal_escape_sequence() -> None:
    # Control characters never validate; a text that skipped the model still shows them.
    assert markdown.escape("Red \x1b[31mtext") == "Red \\x1b\\[31mtext"


# --- where the output goes ------------------------------------------------------------------


def test_a_file_of_the_dataset_is_never_written_over(edge_data: Path) -> None:
    target = edge_data / "events.toml"
    before = target.read_bytes()

    result = cislog_cli("--data", str(edge_data), "export", "-f", "json", "-o", str(target))

    assert result.exit_code == 1
    assert "is in the dataset's own directory, which export never writes to" in result.stderr
    assert target.read_bytes() == before


def test_a_new_toml_file_in_the_dataset_directory_is_refused(edge_data: Path) -> None:
    result = cislog_cli("--data", str(edge_data), "export", "-f", "json", "-o", "data/x.toml")

    assert result.exit_code == 1
    assert not (edge_data / "x.toml").exists()


def test_the_schema_beside_the_data_files_is_never_written_over(edge_data: Path) -> None:
    schema = edge_data / "cislog.schema.json"
    schema.write_text("{}", encoding="utf-8")

    result = cislog_cli("--data", str(edge_data), "export", "-f", "json", "-o", str(schema))

    assert result.exit_code == 1 and "export never writes to" in result.stderr
    assert schema.read_text(encoding="utf-8") == "{}"


def test_out_dash_is_stdout(tmp_path: Path) -> None:
    result = cislog_cli("export", "-f", "markdown", "-o", "-")

    assert result.exit_code == 0
    assert result.stdout == exported("-f", "markdown")
    assert not (tmp_path / "-").exists()


def test_a_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()

    result = cislog_cli("export", "-f", "markdown", "-o", str(fifo))
    reader.join(timeout=30)

    assert result.exit_code == 0, result.output
    assert b"".join(received).decode("utf-8") == exported("-f", "markdown")
    assert fifo.is_fifo()


def test_through_a_symbolic_link_the_target_is_replaced_and_the_link_kept(
    tmp_path: Path,
) -> None:
    (tmp_path / "real.json").write_text("{}", encoding="utf-8")
    (tmp_path / "link.json").symlink_to("real.json")

    result = cislog_cli("export", "-f", "json", "-o", "link.json")

    assert result.exit_code == 0, result.output
    assert (tmp_path / "link.json").is_symlink()
    assert (tmp_path / "real.json").read_text(encoding="utf-8") == exported("-f", "json")


def test_csv_tables_are_not_written_into_the_dataset_directory(edge_data: Path) -> None:
    before = sorted(p.name for p in edge_data.iterdir())

    result = cislog_cli("--data", str(edge_data), "export", "-f", "csv", "-o", "data/")

    assert result.exit_code == 1 and "the dataset's own directory" in result.stderr
    assert sorted(p.name for p in edge_data.iterdir()) == before


def test_an_existing_output_file_is_replaced_whole(tmp_path: Path) -> None:
    (tmp_path / "out.md").write_text("old text that is much longer " * 1000, encoding="utf-8")

    result = cislog_cli("export", "-f", "markdown", "-o", "out.md")

    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == exported("-f", "markdown")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_csv_to_a_file_ending_in_csv_is_the_timeline_table(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("mine", encoding="utf-8")

    written = cislog_cli("export", "-f", "csv", "-o", "entries.csv")
    onto_a_file = cislog_cli("export", "-f", "csv", "-o", "notes")
    nowhere = cislog_cli("export", "-f", "ics", "-o", "missing/cal.ics")

    assert written.exit_code == 0 and written.stderr == "cislog: wrote entries.csv\n"
    assert (tmp_path / "entries.csv").read_bytes() == (
        cislog_cli("export", "-f", "csv").stdout_bytes
    )
    assert onto_a_file.exit_code == 1 and "notes is a file" in onto_a_file.stderr
    assert (tmp_path / "notes").read_text(encoding="utf-8") == "mine"
    assert nowhere.exit_code == 1 and "missing is not a directory" in nowhere.stderr


def test_a_place_the_system_refuses_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("not a directory", encoding="utf-8")

    result = cislog_cli("export", "-f", "csv", "-o", "plain/tables")

    assert result.exit_code == 1
    assert result.stderr.startswith("cislog: cannot write plain/tables: ")
    assert (tmp_path / "plain").read_text(encoding="utf-8") == "not a directory"


def test_an_unknown_format_or_name_is_a_clear_error() -> None:
    bad_format = cislog_cli("export", "--format", "xml")
    bad_org = cislog_cli("export", "--format", "json", "--org", "nato")

    assert bad_format.exit_code == 2 and "'xml' is not one of" in bad_format.stderr
    assert bad_org.exit_code == 1 and "nato" in bad_org.stderr and bad_org.stdout == ""


def test_the_installed_command_exports_a_calendar(tmp_path: Path) -> None:
    executable = shutil.which("cislog", path=str(Path(sys.executable).parent))
    assert executable, "the cislog console script is not installed next to this Python"

    result = subprocess.run(
        [executable, "export", "--format", "ics", "--org", "cica"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    events = _calendar(result.stdout.decode("utf-8"))
    timeline = json.loads(cislog_cli("timeline", "--org", "cica", "--json").stdout)
    assert set(events) == {f"{entry['id']}@cislog" for entry in timeline}


def test_a_timelinejs_group_is_html_escaped_like_the_headlines(make_dataset: MakeDataset) -> None:
    data = make_dataset(
        {
            "orgs.toml": """\
                [[org]]
                id = "cis"
                name = "<b>Bold</b> & co"
                sources = ["src-a"]
                """
        }
    )

    slides = json.loads(exported_from(data, "timelinejs"))["events"]

    assert {slide["group"] for slide in slides} == {"&lt;b&gt;Bold&lt;/b&gt; &amp; co"}


# --- the registry of formats -------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def _readme_format_rows() -> list[str]:
    """The formats the README's table under "Exporting" names, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Exporting\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.MULTILINE)


def test_every_registered_format_is_documented_and_every_documented_one_registered() -> None:
    from cislog.export import FORMATS

    reference = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    export_help = reference.split("## `cislog export`", 1)[1].split("\n## ", 1)[0]

    assert _readme_format_rows() == list(FORMATS)
    assert all(f"`{name}`" in _readme_commands_row() for name in FORMATS)
    assert f"What to write: {', '.join(FORMATS)}." in export_help


def _readme_commands_row() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if line.startswith("| `cislog export "))


def toy_render(export: Any) -> str:
    """A format registered by the tests: one line an entry, its id and date."""
    return "".join(f"{entry['id']} {entry['date']}\n" for entry in export.timeline)


def test_a_format_registered_in_one_place_is_a_choice_of_the_cli() -> None:
    """CONTRIBUTING's recipe for a new format, followed: one entry in the registry
    makes it a --format choice, completed, and written to stdout or a file."""
    from cislog.cli.export_cmd import _complete_format
    from cislog.export import FORMATS, Format, register, unregister

    register(Format("toy", "ids and dates", render=f"{__name__}:toy_render"))
    try:
        result = cislog_cli("export", "--format", "TOY", "--org", "cica")
        expected = toy_render(select(cislog.load(), TimelineFilter(orgs=("cica",))))
        completed = _complete_format("to")
        with pytest.raises(ValueError, match="registered already"):
            register(Format("toy", "again", render=f"{__name__}:toy_render"))
    finally:
        unregister("toy")

    assert result.exit_code == 0, result.output
    assert result.stdout == expected and "cica" in result.stdout
    assert completed == [("toy", "ids and dates")]
    assert "toy" not in FORMATS
    gone = cislog_cli("export", "--format", "toy")
    assert gone.exit_code == 2 and "'toy' is not one of" in gone.stderr


def test_a_mistyped_format_gets_the_choices_and_a_suggestion() -> None:
    result = cislog_cli("export", "--format", "markdwn")

    assert result.exit_code == 2
    assert "'markdwn' is not one of 'json'," in result.stderr
    assert "did you mean 'markdown'?" in result.stderr
