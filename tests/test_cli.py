"""The command line as a user meets it: version, data selection, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cislog
from cislog import cli, pipeline
from cislog.cli import app
from tests.conftest import MakeDataset

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def test_version_comes_from_the_package_metadata() -> None:
    result = runner.invoke(app, ["--version"])

    assert result.exit_code == 0
    assert result.stdout == f"cislog {version('cislog')}\n"


def test_validate_accepts_the_bundled_dataset() -> None:
    result = runner.invoke(app, ["validate"])

    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("ok: ")


def test_validate_json_of_a_valid_dataset_is_an_empty_array() -> None:
    result = runner.invoke(app, ["validate", "--json"])

    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_data_option_and_environment_select_another_dataset(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_dataset({"events.toml": '[[event]]\nid = "e"\n'})

    by_option = runner.invoke(app, ["--data", "data", "validate"])
    monkeypatch.setenv("CISLOG_DATA", "data")
    by_environment = runner.invoke(app, ["validate"])

    for result in (by_option, by_environment):
        assert result.exit_code == 1
        assert result.stdout.startswith("data/events.toml:1: e: date: required field is missing")
        assert result.stderr == "4 problems in data\n"


def test_a_directory_argument_wins_over_the_option(make_dataset: MakeDataset) -> None:
    make_dataset()

    result = runner.invoke(app, ["--data", "elsewhere", "validate", "data"])

    assert result.exit_code == 0
    assert result.stderr == "ok: 5 records in data\n"


def test_a_missing_directory_is_a_problem_not_a_crash() -> None:
    result = runner.invoke(app, ["validate", "no-such-dir"])

    assert result.exit_code == 1
    assert result.stdout == "no-such-dir: dataset directory does not exist\n"


def test_a_usage_error_exits_2() -> None:
    result = runner.invoke(app, ["validate", "--no-such-option"])

    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_an_unexpected_error_gives_a_message_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "read_in_parts", broken)
    monkeypatch.setattr(sys, "argv", ["cislog", "validate"])

    with pytest.raises(SystemExit) as exit_info:
        cli.main()

    assert exit_info.value.code == cli.ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("cislog: internal error: RuntimeError: boom\n")
    assert "Traceback" not in err


def _run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "CISLOG_DATA"}
    environment.update(env or {})
    return subprocess.run(
        args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=60, check=False
    )


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    result = _run(sys.executable, "-m", "cislog", "--version", cwd=tmp_path)

    assert result.returncode == 0
    assert result.stdout == f"cislog {version('cislog')}\n"


def test_the_installed_command_works_from_an_unrelated_directory(tmp_path: Path) -> None:
    executable = shutil.which("cislog", path=str(Path(sys.executable).parent))
    assert executable, "the cislog console script is not installed next to this Python"

    result = _run(executable, "validate", cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.startswith("ok: ")


def test_broken_data_through_the_installed_command_gives_no_traceback(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    make_dataset({"events.toml": b"\xff\xfe[[event]]"})

    result = _run(
        sys.executable, "-m", "cislog", "validate", cwd=tmp_path, env={"CISLOG_DATA": "data"}
    )

    assert result.returncode == 1
    assert result.stdout == (
        "data/events.toml:1: not valid UTF-8: byte 0xff at column 1; save the file as UTF-8\n"
    )
    assert "Traceback" not in result.stderr


def test_the_installed_package_ships_the_repository_dataset() -> None:
    from cislog.datadir import bundled_data_dir

    shipped = bundled_data_dir()
    source = REPO / "data"
    names = sorted(p.name for p in source.glob("*.toml"))

    assert names, "the repository has no data files"
    assert sorted(p.name for p in shipped.glob("*.toml")) == names
    for name in names:
        assert (shipped / name).read_bytes() == (source / name).read_bytes(), name


def test_the_installed_command_answers_queries_as_json(tmp_path: Path) -> None:
    executable = shutil.which("cislog", path=str(Path(sys.executable).parent))
    assert executable

    result = _run(executable, "signed", "--status", "not_signed", "--json", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert [(r["document"], r["country"]) for r in json.loads(result.stdout)] == [
        ("cis-free-trade-zone-agreement", "az")
    ]
    assert result.stderr == ""


def test_the_library_loads_the_bundled_data_from_an_unrelated_directory(tmp_path: Path) -> None:
    code = "import cislog; d = cislog.load(); print(len(d), d['cis'].founded)"

    result = _run(sys.executable, "-c", code, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    count, founded = result.stdout.split()
    assert int(count) > 100 and founded == "1991-12-08"


def test_the_installed_command_adds_a_record(tmp_path: Path) -> None:
    from cislog.datadir import bundled_data_dir

    executable = shutil.which("cislog", path=str(Path(sys.executable).parent))
    assert executable
    shutil.copytree(bundled_data_dir(), tmp_path / "copy")

    result = _run(
        executable, "--data", "copy", "add", "country", "--id", "tm", "--name", "Turkmenistan",
        "--alias", "TKM", "--source", "azerbaijan-cis-page", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout == "tm\n"
    assert "tm" in cislog.load(tmp_path / "copy")
