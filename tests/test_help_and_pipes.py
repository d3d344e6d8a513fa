"""Help that guides, the output contract, and pipes (issue #14).

Usage errors say what to type instead; every command's help speaks only of the
options it has; ``--fields`` is wherever ``--json`` is; and a reader that stops
reading (``| head``) ends a command quietly with exit 0, every time.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import shlex
import shutil
import subprocess
import sys
import textwrap
from inspect import signature
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from hypothesis import assume, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cislog.cli import app
from cislog.cli.app import _Command, main_options
from cislog.cli.common import date_help
from cislog.cli.examples import examples_in
from cislog.cli.tree import walk
from cislog.suggest import did_you_mean
from tests.conftest import MINIMAL_FILES, MakeDataset

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


# --- help speaks only of the options a command has ------------------------------------------

OPTION_NAME = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
# A global option named as such may be spoken of anywhere: "the global option --data".
NAMED_GLOBAL = re.compile(r"global options? ((?:--[a-z][a-z0-9-]*(?:,? (?:and |or )?)?)+)")
GLOBAL_NAMES = {name for option in ROOT.params for name in option.opts}


def _options_of(command: Any, ctx: Any) -> set[str]:
    return {
        name
        for param in command.get_params(ctx)
        if param.param_type_name == "option"
        for name in [*param.opts, *param.secondary_opts]
    }


def _spoken_of(entry: Any) -> set[str]:
    """The options a command's help may name: its own, and a group's its commands'."""
    names = _options_of(entry.command, entry.ctx)
    for other in ENTRIES:
        if other.path.startswith(f"{entry.path} ".lstrip()) and other.path != entry.path:
            names |= _options_of(other.command, other.ctx)
    return names


QUOTED_COMMAND = re.compile(r"'(cislog [^']*)'")


def _quoted_references_hold(prose: str) -> str:
    """The prose without its quoted command lines ('cislog person --office TITLE'),
    each checked on its own: its options must be those of the command it names."""
    for match in QUOTED_COMMAND.finditer(prose):
        words = match.group(1).split()[1:]
        runs = _command_run_by(words)
        used = set(OPTION_NAME.findall(match.group(1)))
        assert used <= _options_of(runs.command, runs.ctx) | GLOBAL_NAMES, match.group(1)
    return QUOTED_COMMAND.sub("", prose)


def _command_run_by(words: list[str]) -> Any:
    """The entry of the command a command line (without 'cislog') runs."""
    while words and words[0] in GLOBAL_NAMES:
        words = words[2:] if words[0] == "--data" else words[1:]
    runs = [e for e in ENTRIES if e.path and words[: len(e.path.split())] == e.path.split()]
    return max(runs, key=lambda e: len(e.path)) if runs else ENTRIES[0]


def _prose(entry: Any) -> str:
    """A command's help text and the paragraphs of its epilog that are not examples."""
    epilog = entry.command.epilog or ""
    paragraphs = [part for part in epilog.split("\n\n") if not part.startswith(("\b", "Examples:"))]
    return "\n\n".join([entry.command.help or "", *paragraphs])


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.path or "cislog")
def test_a_commands_help_names_only_options_it_has(entry: Any) -> None:
    prose = _quoted_references_hold(_prose(entry))
    named_global = {
        name for m in NAMED_GLOBAL.finditer(prose) for name in OPTION_NAME.findall(m.group(1))
    }

    unknown = set(OPTION_NAME.findall(prose)) - _spoken_of(entry) - (named_global & GLOBAL_NAMES)

    assert not unknown, f"'cislog {entry.path} --help' speaks of options it does not have"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.path or "cislog")
def test_every_option_of_an_example_is_one_of_the_command_it_runs(entry: Any) -> None:
    for example in examples_in(entry.command.epilog):
        words = shlex.split(example)[1:]
        runs = _command_run_by(words)
        used = {word.partition("=")[0] for word in words if word.startswith("--")}
        assert used <= _options_of(runs.command, runs.ctx) | GLOBAL_NAMES, example


def test_the_date_help_speaks_of_the_date_options_the_command_has() -> None:
    helps = {
        entry.path: runner.invoke(
            app, [*entry.path.split(), "--help"], env={"COLUMNS": "200"}
        ).stdout
        for entry in ENTRIES
        if entry.path in ("timeline", "signed", "org", "country", "person", "stats")
    }

    assert "--from 1993-06 --to 1993-12" in helps["timeline"]
    assert "--on 1993-09 is the same as --from 1993-09 --to 1993-09" in helps["timeline"]
    assert "--from 1993-06 --to 1993-12" in helps["signed"]
    assert "--on 1993-09" not in helps["signed"]
    for command in ("org", "country", "person"):
        assert "The date of --on may be partial" in helps[command]
        assert "--from" not in helps[command] and "--to " not in helps[command]
        assert "--certain leaves them out" in helps[command]
    assert "Dates may be" not in helps["stats"] and "--on" not in helps["stats"]


@given(options=st.sets(st.sampled_from(["--from", "--to", "--on", "--certain", "--json", "--org"])))
def test_the_date_help_names_only_the_options_it_is_given(options: set[str]) -> None:
    text = date_help(options)

    assert set(OPTION_NAME.findall(text)) <= options
    assert bool(text) == bool(options & {"--from", "--to", "--on"})


# --- usage lines --------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.path or "cislog")
def test_a_usage_line_reads_naturally(entry: Any) -> None:
    usage = runner.invoke(app, [*entry.path.split(), "--help"]).stdout.splitlines()[0]

    assert usage.startswith(f"Usage: cislog {entry.path}".rstrip())
    assert "[[" not in usage and "{" not in usage and "}" not in usage, usage
    assert usage == usage.rstrip() and "  " not in usage


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (["signed"], "cislog signed [OPTIONS] [DOCUMENT]"),
        (["org"], "cislog org [OPTIONS] ORG"),
        (["show"], "cislog show [OPTIONS] ID"),
        (["sources"], "cislog sources [OPTIONS] [ID]"),
        (["person"], "cislog person [OPTIONS] [NAME]"),
        (["search"], "cislog search [OPTIONS] TEXT"),
        (["validate"], "cislog validate [OPTIONS] [DIRECTORY]"),
        (["add", "office"], "cislog add office [OPTIONS] PERSON"),
    ],
)
def test_usage_lines(args: list[str], usage: str) -> None:
    assert runner.invoke(app, [*args, "--help"]).stdout.splitlines()[0] == f"Usage: {usage}"


def test_a_variadic_argument_reads_as_many() -> None:
    sample = typer.Typer(add_completion=False, rich_markup_mode=None)

    @sample.command(cls=_Command)
    def words(
        first: Annotated[str, typer.Argument()],
        text: Annotated[list[str] | None, typer.Argument(metavar="TEXT")] = None,
    ) -> None:
        """Words."""

    usage = CliRunner().invoke(sample, ["--help"], prog_name="words").stdout.splitlines()[0]

    assert usage == "Usage: words [OPTIONS] FIRST [TEXT]..."

    @sample.command(cls=_Command)
    def more(text: Annotated[list[str], typer.Argument(metavar="TEXT")]) -> None:
        """More words."""

    usage = CliRunner().invoke(sample, ["more", "--help"], prog_name="words").stdout
    assert usage.splitlines()[0] == "Usage: words more [OPTIONS] TEXT..."


# --- --fields wherever --json is -------------------------------------------------------------

README = (REPO / "README.md").read_text(encoding="utf-8")
OUTPUT = " ".join(README.split("**Output.**", 1)[1].split("\n\n", 1)[0].split())


def _documented_without_json() -> set[str]:
    """The commands the README's Output paragraph names as taking neither --json nor
    --fields: the backticked names of its sentence that lists them."""
    sentence = OUTPUT.split("Every command but", 1)[1].split(" takes ", 1)[0]
    return set(re.findall(r"`([a-z-]+)`", sentence))


def test_every_command_with_json_has_fields_too() -> None:
    for entry in ENTRIES:
        options = _options_of(entry.command, entry.ctx)
        if "--json" in options:
            assert "--fields" in options, f"'cislog {entry.path}' has --json but no --fields"
        if "--fields" in options:
            assert "--json" in options, entry.path


def test_the_readme_names_exactly_the_commands_without_json() -> None:
    without = {
        entry.path.split()[0]
        for entry in ENTRIES
        if entry.path
        and not hasattr(entry.command, "list_commands")
        and "--json" not in _options_of(entry.command, entry.ctx)
    }

    assert _documented_without_json() == without
    assert "--fields" in OUTPUT and "--json" in OUTPUT


VALIDATE_KEYS = ["file", "line", "id", "field", "message", "code"]
CHECK_KEYS = ["file", "line", "id", "rule", "severity", "message", "code"]


@pytest.mark.parametrize(("command", "keys"), [("validate", VALIDATE_KEYS), ("check", CHECK_KEYS)])
def test_an_unknown_field_is_a_usage_error_listing_the_valid_ones(
    command: str, keys: list[str]
) -> None:
    result = runner.invoke(app, [command, "--fields", "file,rules"])

    assert result.exit_code == 2
    assert (
        f"Invalid value for --fields: unknown field 'rules'; valid fields: {', '.join(keys)}"
        in result.stderr
    )
    assert result.stdout == ""


def test_validate_fields_keeps_those_keys_of_each_problem(make_dataset: MakeDataset) -> None:
    make_dataset({"events.toml": MINIMAL_FILES["events.toml"].replace('"az"', '"zz"')})

    whole = runner.invoke(app, ["validate", "data", "--json"])
    result = runner.invoke(app, ["validate", "data", "--fields", "message,line"])

    assert result.exit_code == whole.exit_code == 1
    problems = json.loads(whole.stdout)
    assert problems and json.loads(result.stdout) == [
        {"message": problem["message"], "line": problem["line"]} for problem in problems
    ]


def test_validate_fields_on_a_valid_dataset_is_an_empty_array(make_dataset: MakeDataset) -> None:
    make_dataset()

    result = runner.invoke(app, ["validate", "data", "--fields", "file"])

    assert result.exit_code == 0
    assert result.stdout == "[]\n"
    assert result.stderr == ""


def test_check_fields_keeps_those_keys_of_each_finding(make_dataset: MakeDataset) -> None:
    unused = '\n[[source]]\nid = "src-b"\ntitle = "Cited by nothing"\nkind = "article"\n'
    make_dataset({"sources.toml": textwrap.dedent(MINIMAL_FILES["sources.toml"]) + unused})

    whole = runner.invoke(app, ["check", "data", "--json"])
    result = runner.invoke(app, ["check", "data", "--fields", "rule,id"])

    assert result.exit_code == whole.exit_code == 0
    findings = json.loads(whole.stdout)
    assert {"rule": "unused-source", "id": "src-b"} in json.loads(result.stdout)
    assert json.loads(result.stdout) == [
        {"rule": finding["rule"], "id": finding["id"]} for finding in findings
    ]


@given(keys=st.lists(st.sampled_from(CHECK_KEYS), min_size=1, unique=True))
def test_check_fields_keeps_any_keys_in_the_order_asked(keys: list[str]) -> None:
    result = runner.invoke(app, ["check", "--strict", "--fields", ",".join(keys)])

    assert result.exit_code == 0
    assert all(list(row) == keys for row in json.loads(result.stdout))
