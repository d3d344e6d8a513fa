"""The README's two opening commands are the ones CI really runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shell_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S)]


def test_readme_opens_with_the_install_and_test_commands() -> None:
    blocks = _shell_blocks((REPO / "README.md").read_text(encoding="utf-8"))

    install, tests = blocks[0], blocks[1]
    assert "pip install ." in install and "cislog" in install.split("&&")[-1]
    assert "pytest" in tests


def test_ci_runs_exactly_the_readme_test_command() -> None:
    tests = _shell_blocks((REPO / "README.md").read_text(encoding="utf-8"))[1]
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()

    assert tests in ci_lines


def test_the_readme_writing_examples_work_on_a_copy_of_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex
    import shutil

    from typer.testing import CliRunner

    import cislog
    from cislog.cli import app
    from cislog.datadir import bundled_data_dir

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Adding and changing records")[1].split("\n## ")[0]
    commands = [
        line
        for block in _shell_blocks(section)
        for line in block.splitlines()
        if line.startswith(("cislog ", "echo "))
    ]
    shutil.copytree(bundled_data_dir(), tmp_path / "mydata")
    monkeypatch.setenv("CISLOG_DATA", str(tmp_path / "mydata"))
    runner = CliRunner()

    for command in commands:
        stdin = None
        if command.startswith("echo "):
            quoted, command = command.split(" | ")
            stdin = shlex.split(quoted)[1]
        result = runner.invoke(app, shlex.split(command)[1:], input=stdin)
        assert result.exit_code == 0, f"{command}\n{result.output}"

    assert len(commands) == 7
    data = cislog.load(tmp_path / "mydata")
    assert "cis-summit-in-moscow-2024" in data and "cis-example-agreement" not in data
    assert str(data.people["sergei-lebedev"].offices[-1].to) == ".."
