"""Help that guides, the output contract, and pipes (issue #14).

Usage errors say what to type instead; every command's help speaks only of the
options it has; ``--fields`` is wherever ``--json`` is; and a reader that stops
reading (``| head``) ends a command quietly with exit 0, every time.
"""

from __future__ import annotations

import os
import runpy
import shlex
import shutil
import subprocess
import sys
from inspect import signature
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cislog.cli import app
from cislog.cli.app import main_options
from cislog.cli.tree import walk
from cislog.suggest import did_you_mean

REPO = Path(__file__).resolve().parents[1]
CISLOG = shutil.which("cislog", path=str(Path(sys.executable).parent))


# --- pipes ----------------------------------------------------------------------------


def _shell(script: str, *, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``script`` under bash with pipefail, the installed cislog first on the PATH."""
    assert CISLOG, "the cislog console script is not installed next to this Python"
    environment = {k: v for k, v in os.environ.items() if k != "CISLOG_DATA"}
    environment["PATH"] = f"{Path(CISLOG).parent}{os.pathsep}{environment.get('PATH', '')}"
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _head_loop(args: list[str], times: int = 20) -> subprocess.CompletedProcess[str]:
    """``cislog ARGS | head -1``, ``times`` times: the status of each run, one a line."""
    command = shlex.join(["cislog", *args])
    return _shell(
        f"for i in $(seq {times}); do {command} | head -1 >/dev/null; echo $?; done",
    )


@pytest.fixture(scope="module")
def large_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset whose timeline, as a table and as JSON, is far larger than a
    pipe's buffer (64 KiB)."""
    generate = runpy.run_path(str(REPO / "bench" / "generate.py"))["generate"]
    directory = tmp_path_factory.mktemp("large") / "data"
    generate(directory, events=600, documents=20)
    return directory


@pytest.mark.parametrize("args", [["stats"], ["timeline", "--json"]], ids=" ".join)
def test_a_reader_that_stops_reading_ends_the_command_with_exit_0_every_time(
    args: list[str],
) -> None:
    # The commands of the issue, which exited 1 (now and then 0) under pipefail.
    result = _head_loop(args, times=20)

    assert result.stdout.split() == ["0"] * 20
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["timeline"],
        ["stats", "--json"],
        ["show", "cis"],
        ["show", "cis", "--json"],
        ["sources", "--fields", "id"],
        ["--version"],
        ["validate", "--json"],
        ["export", "--format", "csv"],
        ["export", "--format", "json"],
        ["timeline", "--help"],
        ["add", "event", "--help"],
    ],
    ids=" ".join,
)
def test_every_kind_of_output_ends_with_exit_0_when_its_reader_stops(args: list[str]) -> None:
    result = _head_loop(args, times=3)

    assert result.stdout.split() == ["0"] * 3
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["timeline"],
        ["timeline", "--json"],
        ["search", "council", "--json"],
        ["export", "--format", "json"],
        ["export", "--format", "ndjson"],
        ["export", "--format", "csv"],
        ["export", "--format", "markdown"],
    ],
    ids=" ".join,
)
def test_a_reader_that_stops_reading_a_large_output_ends_it_with_exit_0(
    args: list[str], large_dataset: Path
) -> None:
    size = _shell(shlex.join(["cislog", "--data", str(large_dataset), *args]) + " | wc -c")
    assert size.returncode == 0, size.stderr
    assert int(size.stdout) > 64 * 1024, "the output must be larger than a pipe's buffer"

    result = _head_loop(["--data", str(large_dataset), *args], times=3)

    assert result.stdout.split() == ["0"] * 3
    assert result.stderr == ""


def test_a_reader_that_goes_away_before_anything_is_written_is_still_exit_0() -> None:
    # The reader has exited before cislog starts: the very first write meets a closed pipe.
    result = _shell(
        "for i in $(seq 10); do { sleep 0.2; cislog timeline --json; } | true; echo $?; done"
    )

    assert result.stdout.split() == ["0"] * 10
    assert result.stderr == ""


def test_a_stdout_that_cannot_be_written_is_still_exit_1_with_its_message() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for args in (["timeline"], ["timeline", "--json"], ["stats"], ["export", "--format", "csv"]):
        result = _shell(shlex.join(["cislog", *args]) + " > /dev/full")

        assert result.returncode == 1, args
        assert result.stderr == "cislog: cannot write to standard output: No space left on device\n"


# --- global options after a command -----------------------------------------------------

runner = CliRunner()
ENTRIES = list(walk(app))
ROOT = ENTRIES[0].command
# The options of cislog's own callback (not those Typer adds, such as
# --install-completion, which a test must not run).
GLOBAL_OPTIONS = [
    param
    for param in ROOT.params
    if param.param_type_name == "option" and param.name in signature(main_options).parameters
]
COMMAND_PATHS = [entry.path.split() for entry in ENTRIES if entry.path]


def _global_tokens(option: Any, joined: bool) -> list[str]:
    name = option.opts[0]
    if option.is_flag:
        return [name]
    return [f"{name}=somewhere"] if joined else [name, "somewhere"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["timeline", "--data", "X"],
            "--data is a global option: put it before the command: cislog --data X timeline",
        ),
        (
            ["timeline", "--json", "--data=X"],
            "--data is a global option: put it before the command: cislog --data=X timeline --json",
        ),
        (
            ["add", "event", "--data", "X", "--title", "A summit"],
            "--data is a global option: put it before the command: "
            "cislog --data X add event --title 'A summit'",
        ),
        (
            ["add", "--no-cache", "event"],
            "--no-cache is a global option: put it before the command: cislog --no-cache add event",
        ),
        (
            ["--no-cache", "timeline", "--version", "--data", "X"],
            "--version and --data are global options: put them before the command: "
            "cislog --version --data X --no-cache timeline",
        ),
        (
            # A value that looks like a global option is the value, not the option.
            ["timeline", "--search", "--data", "--data", "X"],
            "--data is a global option: put it before the command: "
            "cislog --data X timeline --search --data",
        ),
        (
            ["timeline", "--data"],
            "--data is a global option: put it before the command: cislog --data DIR timeline",
        ),
    ],
)
def test_a_global_option_after_the_command_says_where_it_goes(
    args: list[str], message: str
) -> None:
    result = runner.invoke(app, args)

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"
    assert "No such option" not in result.stderr
    assert result.stdout == ""


def test_the_global_options_are_the_callbacks_own() -> None:
    names = {name for option in GLOBAL_OPTIONS for name in option.opts}

    assert names == {"--data", "--no-cache", "--version"}


@given(
    path=st.sampled_from(COMMAND_PATHS),
    option=st.sampled_from(GLOBAL_OPTIONS),
    joined=st.booleans(),
    where=st.integers(min_value=0),
)
def test_any_global_option_after_any_command_is_a_usage_error_with_the_line_to_type(
    path: list[str], option: Any, joined: bool, where: int
) -> None:
    # After the command's name, or among a sub-command's names (add --data X event).
    cut = 1 + where % len(path)
    tokens = _global_tokens(option, joined)
    args = [*path[:cut], *tokens, *path[cut:]]

    result = runner.invoke(app, args)

    assert result.exit_code == 2, result.output
    name = option.opts[0]
    corrected = shlex.join(["cislog", *tokens, *path])
    assert result.stderr.splitlines()[-1] == (
        f"Error: {name} is a global option: put it before the command: {corrected}"
    )
    # The line it gives is one where the option is where it belongs.
    assert "global option" not in runner.invoke(app, [*tokens, *path, "--help"]).stderr


# --- mistyped commands -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["timelin"], "No such command 'timelin' (did you mean 'timeline'?)."),
        (["add", "evnt"], "No such command 'evnt' (did you mean 'event'?)."),
        (["--no-cache", "serach", "x"], "No such command 'serach' (did you mean 'search'?)."),
        (["xyzzy"], "No such command 'xyzzy'."),
    ],
)
def test_a_mistyped_command_gets_a_did_you_mean(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"
    assert result.stdout == ""


GROUPS = [
    (entry.path.split(), entry.command)
    for entry in ENTRIES
    if hasattr(entry.command, "list_commands")
]


@given(data=st.data())
def test_any_near_miss_of_a_command_name_suggests_the_helpers_answer(data: st.DataObject) -> None:
    path, group = data.draw(st.sampled_from(GROUPS))
    names = group.list_commands(ENTRIES[0].ctx)
    name = data.draw(st.sampled_from(names))
    at = data.draw(st.integers(min_value=0, max_value=len(name) - 1))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz-"))
    typo = data.draw(
        st.sampled_from(
            [
                name[:at] + name[at + 1 :],
                name[:at] + letter + name[at + 1 :],
                name[:at] + letter + name[at:],
            ]
        )
    )
    assume(typo and typo not in names and not typo.startswith("-"))

    result = runner.invoke(app, [*path, typo])

    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[-1]
        == f"Error: No such command '{typo}'{did_you_mean(typo, names)}."
    )
