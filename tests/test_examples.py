"""Every command's ``--help`` ends with examples, and every example works on the bundled data.

The commands are found by walking the app, so a command added later is checked
too: until it has examples, the first test fails for it, by design.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cislog.cli import app
from cislog.cli.examples import EXAMPLES, epilog, examples_in
from cislog.cli.tree import walk
from cislog.datadir import bundled_data_dir

runner = CliRunner()
ENTRIES = list(walk(app))
SHOWN = [
    (entry.path, example) for entry in ENTRIES for example in examples_in(entry.command.epilog)
]


@pytest.mark.parametrize("path", [entry.path for entry in ENTRIES])
def test_every_command_has_examples(path: str) -> None:
    (entry,) = [e for e in ENTRIES if e.path == path]

    assert examples_in(entry.command.epilog), f"'cislog {path}' has no examples in its --help"


def test_the_walk_finds_every_command_and_sub_command() -> None:
    paths = {entry.path for entry in ENTRIES}

    assert {"", "timeline", "stats", "on-this-day", "add", "add event", "add office"} <= paths
    assert set(EXAMPLES) <= paths, "examples kept for a command that does not exist"


@pytest.mark.parametrize(("path", "example"), SHOWN)
def test_each_example_works_on_a_copy_of_the_bundled_data(
    path: str, example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(bundled_data_dir(), tmp_path / "copy")
    monkeypatch.setenv("CISLOG_DATA", str(tmp_path / "copy"))
    before = {p.name: p.read_bytes() for p in (tmp_path / "copy").iterdir()}

    result = runner.invoke(app, shlex.split(example)[1:])

    assert result.exit_code == 0, f"{example}\n{result.output}"
    assert result.stdout or result.stderr
    # Examples of writing commands are dry runs: trying one changes nothing.
    assert {p.name: p.read_bytes() for p in (tmp_path / "copy").iterdir()} == before


def test_examples_stay_one_a_line_in_the_help_however_narrow() -> None:
    result = runner.invoke(app, ["timeline", "--help"], env={"COLUMNS": "40"})

    lines = [line.strip() for line in result.stdout.splitlines()]
    for example in EXAMPLES["timeline"]:
        assert example in lines
    assert lines.index("Examples:") < lines.index(EXAMPLES["timeline"][0])
    # The date help after them is prose, rewrapped to the width.
    assert any(line.startswith("Dates may be partial") for line in lines)
    assert max(len(line) for line in result.stdout.splitlines() if "cislog" not in line) <= 80


def test_the_epilog_ends_with_examples_after_date_help_for_dated_commands() -> None:
    dated = epilog("timeline", ["--from", "--to", "--on", "--certain", "--org"])

    assert dated.index("Dates may be") < dated.index("Examples:")
    for path in ("timeline", "add event", "stats", ""):
        last = epilog(path, ["--from"] if path == "timeline" else ()).split("\n\n")[-1]
        assert last.startswith("\b\n") and examples_in(epilog(path)) == [
            line.strip() for line in last.splitlines()[1:]
        ]
    assert "Dates may be" not in epilog("stats", ["--json", "--fields"])
    assert epilog("no such command") == ""
    for command in ("timeline", "signed"):
        assert "Dates may be partial" in (runner.invoke(app, [command, "--help"]).stdout)
    for command in ("org", "country", "person"):
        assert "The date of --on may be partial" in (runner.invoke(app, [command, "--help"]).stdout)
    assert "Dates may be partial" not in runner.invoke(app, ["stats", "--help"]).stdout
