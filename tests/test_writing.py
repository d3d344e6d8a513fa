"""Writing: add, edit, remove and fmt keep every byte they need not change, refuse bad
records with files untouched, and survive concurrent writers and kills."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import cislog
from cislog import writing
from cislog.cli import app
from cislog.pipeline import read_dataset
from tests.conftest import MakeDataset

runner = CliRunner()

COMMENTED_EVENTS = """\
    # Events, with comments that must survive.

    [[event]]
    id = "accession"
    # the day of the decision
    date = "1993-09-24"   # stated by the source
    title = "Accession"
    kind = "accession"
    orgs = ["cis"]
    countries = ["az"]
    sources = ["src-a"]

    # a comment about the next one
    [[event]]
    id = "summit"
    date = "2011-10-18"
    title = "Summit"
    kind = "meeting"
    sources = ["src-a"]
    """


def cislog_cli(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, ["--data", "data", *args], input=stdin)


def snapshot(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.glob("*.toml"))
    }


# --- add ------------------------------------------------------------------------------


def test_add_appends_and_keeps_every_existing_byte(make_dataset: MakeDataset) -> None:
    data = make_dataset({"events.toml": COMMENTED_EVENTS})
    before = (data / "events.toml").read_bytes()

    result = cislog_cli(
        "add", "event", "--title", "CIS summit in Astana", "--date", "2022-10-14",
        "--kind", "meeting", "--org", "cis", "--country", "az", "--source", "src-a",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert result.stdout == "cis-summit-in-astana-2022\n"
    after = (data / "events.toml").read_bytes()
    assert after.startswith(before)
    added = cislog.load("data")["cis-summit-in-astana-2022"]
    assert isinstance(added, cislog.records.Event)
    assert (str(added.date), added.orgs, added.countries) == ("2022-10-14", ["cis"], ["az"])


def test_generated_ids_stay_unique(make_dataset: MakeDataset) -> None:
    make_dataset()
    args = ["add", "event", "--title", "Accession", "--date", "1993", "--kind", "other"]

    first = cislog_cli(*args, "--source", "src-a")
    second = cislog_cli(*args, "--source", "src-a")

    assert (first.stdout, second.stdout) == ("accession-1993\n", "accession-1993-2\n")


def test_add_from_json_array_and_stdin(make_dataset: MakeDataset, tmp_path: Path) -> None:
    make_dataset()
    records = [
        {"title": "First", "date": "2001", "kind": "meeting", "sources": ["src-a"]},
        {
            "id": "second",
            "title": "Second",
            "date": "2002-02",
            "kind": "summit",
            "sources": ["src-a"],
        },
    ]
    (tmp_path / "new.json").write_text(json.dumps(records), encoding="utf-8")

    from_file = cislog_cli("add", "event", "--from-json", "new.json")
    from_stdin = cislog_cli(
        "add", "fact", "--from-json", "-",
        stdin='{"id": "f1", "text": "A figure.", "kind": "figure", "sources": ["src-a"]}',
    )  # fmt: skip

    assert from_file.exit_code == from_stdin.exit_code == 0, from_file.output + from_stdin.output
    assert from_file.stdout.split() == ["first-2001", "second"]
    assert (tmp_path / "data" / "facts.toml").exists()
    assert cislog.load("data")["f1"].KIND == "fact"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["add", "event", "--title", "Bad", "--date", "1993-13", "--kind", "meeting", "--source", "src-a"],
            "data/events.toml:12: bad-1993: date: '1993-13': there is no month 13\n",
        ),
        (
            ["add", "event", "--title", "Bad", "--date", "1993", "--kind", "meeting", "--org", "cs", "--source", "src-a"],
            "data/events.toml:15: bad-1993: orgs[0]: no org with id 'cs' (did you mean 'cis'?)\n",
        ),
        (
            ["add", "event", "--id", "accession", "--title", "Dup", "--date", "1993", "--kind", "meeting", "--source", "src-a"],
            "data/events.toml:11: accession: id: duplicate id: 'accession' is already used by the event at data/events.toml:1\n",
        ),
        (
            ["add", "event", "--title", "No source", "--date", "1993", "--kind", "meeting"],
            "data/events.toml:10: no-source-1993: sources: cites no source: every record needs at least one source id in 'sources'\n",
        ),
        (
            ["add", "signatory", "accession", "--country", "az", "--status", "signed", "--source", "src-a"],
            None,  # an event has no signatories
        ),
    ],
)  # fmt: skip
def test_an_invalid_record_is_refused_and_nothing_changes(
    make_dataset: MakeDataset, args: list[str], expected: str | None
) -> None:
    data = make_dataset()
    before = snapshot(data)

    result = cislog_cli(*args)

    assert result.exit_code == 1
    assert snapshot(data) == before
    assert "Traceback" not in result.output
    if expected:
        assert result.stderr.startswith(expected)
        assert result.stderr.endswith("nothing was written\n")


def test_a_dataset_with_problems_takes_no_new_record(make_dataset: MakeDataset) -> None:
    data = make_dataset({"bad.toml": '[[event]]\nid = "x"\n'})
    before = snapshot(data)

    result = cislog_cli("add", "country", "--id", "ge", "--name", "Georgia", "--source", "src-a")

    assert result.exit_code == 1
    assert "refused: the dataset already has 4 problems; fix them first" in result.stderr
    assert snapshot(data) == before


def test_dry_run_prints_a_diff_and_writes_nothing(make_dataset: MakeDataset) -> None:
    data = make_dataset()
    before = snapshot(data)

    result = cislog_cli(
        "add", "country", "--id", "ge", "--name", "Georgia", "--alias", "GEO", "--source", "src-a",
        "--dry-run",
    )  # fmt: skip

    assert result.exit_code == 0
    assert snapshot(data) == before
    assert result.stdout.splitlines()[:2] == ["--- a/countries.toml", "+++ b/countries.toml"]
    assert '+id = "ge"' in result.stdout and '+aliases = ["GEO"]' in result.stdout


@pytest.mark.parametrize("command", [["fmt", "--check"], ["remove", "accession", "--dry-run"]])
def test_a_dry_run_leaves_no_lock_file_behind(
    command: list[str], make_dataset: MakeDataset
) -> None:
    data = make_dataset()

    result = cislog_cli(*command)

    assert result.exit_code in (0, 1), result.output
    assert sorted(p.name for p in data.iterdir()) == sorted(
        ["countries.toml", "events.toml", "orgs.toml", "sources.toml"]
    )


def test_file_option_picks_or_creates_the_data_file(make_dataset: MakeDataset) -> None:
    data = make_dataset()

    ok = cislog_cli(
        "add",
        "country",
        "--id",
        "ge",
        "--name",
        "Georgia",
        "--source",
        "src-a",
        "--file",
        "more.toml",
    )
    bad = cislog_cli(
        "add",
        "country",
        "--id",
        "ua",
        "--name",
        "Ukraine",
        "--source",
        "src-a",
        "--file",
        "../x.toml",
    )

    assert ok.exit_code == 0 and (data / "more.toml").read_text().startswith(
        '[[country]]\nid = "ge"'
    )
    assert bad.exit_code == 1 and "not a data file name" in bad.stderr


def test_add_signatory_and_office_insert_lines_and_change_none(make_dataset: MakeDataset) -> None:
    data = make_dataset(
        {
            "documents.toml": """\
                [[document]]
                id = "fta"
                title = "Agreement on the CIS free trade zone"
                kind = "agreement"
                sources = ["src-a"]

                # the next record
                [[document]]
                id = "other"
                title = "Other"
                kind = "decision"
                sources = ["src-a"]
                """,
            "people.toml": '[[person]]\nid = "lebedev"\nname = "Sergei Lebedev"\nsources = ["src-a"]\n',
        }
    )
    documents_before = (data / "documents.toml").read_text().splitlines()
    people_before = (data / "people.toml").read_text()

    signed = cislog_cli(
        "add", "signatory", "fta", "--country", "az", "--status", "not_signed", "--source", "src-a"
    )
    office = cislog_cli(
        "add", "office", "lebedev", "--title", "CIS Secretary General", "--org", "cis",
        "--from", "2023-01-01", "--to", "..", "--source", "src-a",
    )  # fmt: skip

    assert signed.exit_code == office.exit_code == 0, signed.output + office.output
    documents_after = (data / "documents.toml").read_text().splitlines()
    assert documents_after[:5] == documents_before[:5]
    assert documents_after[5:11] == [
        "", "[[document.signatories]]", 'country = "az"', 'status = "not_signed"', 'sources = ["src-a"]', "",
    ]  # fmt: skip
    assert documents_after[11:] == documents_before[6:]
    assert (data / "people.toml").read_text().startswith(people_before)
    loaded = cislog.load("data")
    assert loaded.documents["fta"].signatories[0].status == "not_signed"
    assert str(loaded.people["lebedev"].offices[0].to) == ".."


# --- edit -------------------------------------------------------------------------------


def test_edit_changes_only_the_lines_of_the_values(make_dataset: MakeDataset) -> None:
    data = make_dataset({"events.toml": COMMENTED_EVENTS})
    before = (data / "events.toml").read_text().splitlines()

    result = cislog_cli(
        "edit", "accession", "--set", "title=Azerbaijan joins the CIS", "--set", "tags=cis,accession",
        "--set", "countries=", "--set", "place=Moscow",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    after = (data / "events.toml").read_text().splitlines()
    removed = [line for line in before if line not in after]
    added = [line for line in after if line not in before]
    assert removed == ['title = "Accession"', 'countries = ["az"]']
    assert added == [
        'title = "Azerbaijan joins the CIS"',
        'place = "Moscow"',
        'tags = ["cis", "accession"]',
    ]
    assert (
        "# the day of the decision" in after
        and 'date = "1993-09-24"   # stated by the source' in after
    )
    event = cislog.load("data").events["accession"]
    assert (event.title, event.place, event.tags, event.countries) == (
        "Azerbaijan joins the CIS", "Moscow", ["cis", "accession"], [],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            "date=1993-02-30",
            "data/events.toml:6: accession: date: '1993-02-30': February 1993 has no day 30",
        ),
        ("kind=meating", "did you mean 'meeting'?"),
        ("titel=x", "cislog: a event has no field 'titel' (did you mean 'title'?)"),
        ("id=new-id", "cislog: an id cannot be edited"),
        ("orgs=cs", "orgs[0]: no org with id 'cs' (did you mean 'cis'?)"),
    ],
)
def test_a_bad_edit_is_refused_and_nothing_changes(
    make_dataset: MakeDataset, assignment: str, message: str
) -> None:
    data = make_dataset({"events.toml": COMMENTED_EVENTS})
    before = snapshot(data)

    result = cislog_cli("edit", "accession", "--set", assignment)

    assert result.exit_code == 1
    assert message in result.stderr
    assert snapshot(data) == before


# --- remove -----------------------------------------------------------------------------


def test_remove_refuses_while_referred_to_and_lists_the_referrers(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset()
    before = snapshot(data)

    result = cislog_cli("remove", "cis")

    assert result.exit_code == 1
    assert result.stderr == (
        "cislog: cis is referred to by 2 records: body council, event accession; "
        "remove those references first, or use --force to remove them with it "
        "(--dry-run shows what would change)\n"
    )
    assert snapshot(data) == before


def test_remove_force_takes_the_references_with_it_and_says_so(make_dataset: MakeDataset) -> None:
    data = make_dataset()
    dry = cislog_cli("remove", "az", "--force", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert '-countries = ["az"]' in dry.stdout
    assert "would have also: accession: removed the reference to az from countries" in dry.stderr

    result = cislog_cli("remove", "az", "--force")

    assert result.exit_code == 0, result.output
    assert "also: accession: removed the reference to az from countries" in result.stderr
    dataset, problems = read_dataset(data)
    assert problems == []
    assert "az" not in dataset
    assert dataset.events["accession"].countries == []


def test_remove_force_refuses_when_a_referrer_cannot_do_without_the_record(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset()
    before = snapshot(data)

    for options in (["--dry-run"], []):
        result = cislog_cli("remove", "cis", "--force", *options)

        assert result.exit_code == 1
        assert "council: org: a body needs" in result.stderr or "council" in result.stderr
        assert "refused" in result.stderr
        assert snapshot(data) == before


def test_remove_deletes_only_the_record_and_its_comments(make_dataset: MakeDataset) -> None:
    data = make_dataset({"events.toml": COMMENTED_EVENTS})
    before = (data / "events.toml").read_text()

    result = cislog_cli("remove", "summit")

    assert result.exit_code == 0, result.output
    assert (data / "events.toml").read_text() == before.split("\n\n# a comment about")[0] + "\n"
    assert [e.id for e in cislog.load("data").events.values()] == ["accession"]


# --- fmt --------------------------------------------------------------------------------

BADLY_LAID_OUT = """\
    # People.
    [[person]]
    sources=['src-a']
    name   =   "Sergei Lebedev"   # the name as the source spells it
    id="lebedev"
    [[person.offices]]
    to = ".."
    title = 'CIS Secretary General'
    from = "2023-01-01"
    sources = [ "src-a" ]
    [[country]]
    sources = ["src-a"]
    # Georgia
    id = "ge"
    name = "Georgia"
    """


def test_fmt_check_flags_a_badly_laid_out_file_and_changes_nothing(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset({"people.toml": BADLY_LAID_OUT})
    before = snapshot(data)

    result = cislog_cli("fmt", "--check")

    assert result.exit_code == 1
    assert result.stdout == "data/people.toml\n"
    assert snapshot(data) == before


def test_fmt_lays_out_canonically_keeps_comments_and_is_idempotent(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset({"people.toml": BADLY_LAID_OUT})
    parsed_before = cislog.load("data")

    first = cislog_cli("fmt")
    once = (data / "people.toml").read_text()
    second = cislog_cli("fmt")

    assert first.exit_code == second.exit_code == 0, first.output
    assert (data / "people.toml").read_text() == once
    assert cislog_cli("fmt", "--check").exit_code == 0
    assert once == (
        "[[country]]\n"
        "# Georgia\n"
        'id = "ge"\n'
        'name = "Georgia"\n'
        'sources = ["src-a"]\n'
        "\n"
        "# People.\n"
        "[[person]]\n"
        'id = "lebedev"\n'
        'name = "Sergei Lebedev"  # the name as the source spells it\n'
        'sources = ["src-a"]\n'
        "\n"
        "[[person.offices]]\n"
        'title = "CIS Secretary General"\n'
        'from = "2023-01-01"\n'
        'to = ".."\n'
        'sources = ["src-a"]\n'
    )
    after = cislog.load("data")
    assert {r.id: r.to_json() for r in after} == {r.id: r.to_json() for r in parsed_before}


def test_the_bundled_data_is_formatted(tmp_path: Path) -> None:
    import shutil

    from cislog.datadir import bundled_data_dir

    shutil.copytree(bundled_data_dir(), tmp_path / "copy")

    result = runner.invoke(app, ["fmt", "--check", str(tmp_path / "copy")])

    assert result.exit_code == 0, result.output


# --- safety: conflicts, concurrency, kills ---------------------------------------------


def test_a_file_changed_on_disk_meanwhile_is_not_overwritten(make_dataset: MakeDataset) -> None:
    data = make_dataset()
    target = data / "events.toml"

    def build(texts: dict[str, str], dataset: object) -> tuple[dict[str, str], list[str]]:
        target.write_text(texts["events.toml"] + "\n# edited by someone else\n")
        return {"events.toml": texts["events.toml"] + "\n# mine\n"}, []

    with pytest.raises(writing.WriteError, match="changed on disk while cislog was writing"):
        writing.transaction("data", build)  # type: ignore[arg-type]

    assert target.read_text().endswith("# edited by someone else\n")


def test_the_bundled_data_of_an_installed_cislog_is_not_edited_in_place() -> None:
    installed = Path(writing.__file__).parent / "data"
    if not installed.is_dir():
        pytest.skip("running from a source checkout: the bundled data is the repository's")

    with pytest.raises(writing.WriteError, match="part of the installed package"):
        writing.add_records(None, "country", [{"id": "ge", "name": "Georgia", "sources": ["x"]}])


def _cislog_process(data: Path, *args: str, output: int = subprocess.PIPE) -> subprocess.Popen[str]:
    environment = {**os.environ, "CISLOG_DATA": str(data)}
    return subprocess.Popen(
        [sys.executable, "-m", "cislog", *args],
        env=environment,
        stdout=output,
        stderr=output,
        text=True,
    )


def test_twenty_concurrent_adds_all_land(make_dataset: MakeDataset) -> None:
    data = make_dataset().resolve()

    processes = [
        _cislog_process(data, "add", "event", "--id", f"concurrent-{n}", "--title", f"Event {n}",
                        "--date", f"20{n:02d}", "--kind", "meeting", "--source", "src-a")
        for n in range(20)
    ]  # fmt: skip
    outcomes = [(p.communicate(timeout=120)[1], p.returncode) for p in processes]

    assert [code for _, code in outcomes] == [0] * 20, outcomes
    assert cislog.validate(data) == []
    events = cislog.load(data).events
    assert {f"concurrent-{n}" for n in range(20)} <= set(events)


def test_writers_killed_at_random_moments_leave_a_valid_dataset(make_dataset: MakeDataset) -> None:
    data = make_dataset().resolve()
    chance = random.Random(20261125)
    landed_or_not = []

    for n in range(12):
        process = _cislog_process(
            data, "add", "event", "--id", f"killed-{n}", "--title", f"Killed {n}",
            "--date", "2000", "--kind", "meeting", "--source", "src-a", output=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(chance.uniform(0.0, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert cislog.validate(data) == [], f"after killing writer {n}"
        landed_or_not.append(f"killed-{n}" in cislog.load(data))

    complete = cislog.load(data)
    assert all(
        isinstance(complete[f"killed-{n}"], cislog.records.Event)
        for n, landed in enumerate(landed_or_not)
        if landed
    )


QUIRKY = (
    b'\xef\xbb\xbf[[event]]\r\nid = "a"\r\ndate = "1993"  # stated\r\n'
    b'title = "A"\r\nsummary = """multi # not a comment\r\nline"""\r\nkind = "meeting"\r\n'
    b'tags = [\r\n  "x",  # why x\r\n  "y",\r\n]\r\nsources = ["src-a"]\r\n'
)


def test_byte_order_mark_and_crlf_survive_add_and_edit(make_dataset: MakeDataset) -> None:
    data = make_dataset({"events.toml": QUIRKY})

    added = cislog_cli(
        "add",
        "event",
        "--id",
        "b",
        "--title",
        "B",
        "--date",
        "2000",
        "--kind",
        "other",
        "--source",
        "src-a",
    )
    edited = cislog_cli("edit", "a", "--set", "date=1994", "--set", "tags=z")

    assert added.exit_code == edited.exit_code == 0, added.output + edited.output
    text = (data / "events.toml").read_bytes()
    assert text.startswith(b'\xef\xbb\xbf[[event]]\r\nid = "a"\r\ndate = "1994"  # stated\r\n')
    assert b'# why x\r\ntags = ["z"]\r\n' in text
    assert b"\n" not in text.replace(b"\r\n", b"")
    assert text.endswith(
        b'[[event]]\r\nid = "b"\r\ndate = "2000"\r\ntitle = "B"\r\nkind = "other"\r\nsources = ["src-a"]\r\n'
    )
    assert cislog.load("data").events["a"].summary == "multi # not a comment\nline"


def test_fmt_keeps_comments_from_inside_arrays_and_the_file_line_endings(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset({"events.toml": QUIRKY})

    result = cislog_cli("fmt")

    assert result.exit_code == 0, result.output
    text = (data / "events.toml").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf[[event]]\r\n")
    assert b'# why x\r\ntags = ["x", "y"]\r\n' in text
    assert b'summary = "multi # not a comment\\nline"\r\n' in text


@pytest.mark.parametrize(
    "command",
    [
        ["edit", "accession", "--set", "place=Baku"],
        ["remove", "accession"],
        [
            "add",
            "event",
            "--title",
            "Another",
            "--date",
            "2001",
            "--kind",
            "meeting",
            "--source",
            "src-a",
        ],
    ],
    ids=["edit", "remove", "add"],
)
def test_a_write_reads_the_dataset_once_before_and_once_after(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """Once to refuse an invalid dataset and find the record, once to validate the
    result: an edit used to read and validate everything a third time, in the CLI,
    only to learn the record's kind."""
    from cislog import loading, pipeline

    make_dataset()
    reads: list[object] = []
    real = loading.read_directory

    def counted(directory: Path, overrides: Any = None, only: Any = None) -> Any:
        reads.append(overrides)
        return real(directory, overrides, only)

    monkeypatch.setattr(pipeline, "read_directory", counted)

    result = runner.invoke(app, ["--data", "data", *command])

    assert result.exit_code == 0, result.output
    assert len(reads) == 2 and reads[0] is None and reads[1]
