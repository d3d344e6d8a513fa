"""``docs/commands.md`` is generated from the app and kept current by this test.

Run with CISLOG_UPDATE_DOCS=1 to regenerate it after a deliberate change (or run
``python -m cislog.cli.reference docs/commands.md``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cislog.cli import app
from cislog.cli.examples import examples_in
from cislog.cli.reference import main, markdown
from cislog.cli.tree import walk

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "commands.md"


def test_the_command_reference_is_current() -> None:
    generated = markdown(app)

    if os.environ.get("CISLOG_UPDATE_DOCS"):
        REFERENCE.write_text(generated, encoding="utf-8")
        return
    assert REFERENCE.read_text(encoding="utf-8") == generated, (
        "docs/commands.md is out of date: run CISLOG_UPDATE_DOCS=1 python -m pytest "
        "tests/test_reference.py"
    )


def test_the_reference_has_a_section_for_every_command_with_its_examples() -> None:
    text = markdown(app)

    for entry in walk(app):
        title = f"cislog {entry.path}".strip()
        assert f"\n## `{title}`\n" in text
        section = text.split(f"\n## `{title}`\n")[1].split("\n## ")[0]
        assert f"Usage: {title}" in section
        for example in examples_in(entry.command.epilog):
            assert f"\n{example}\n" in section
    assert "\b" not in text


def test_the_reference_does_not_depend_on_the_terminal_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    narrow = markdown(app)
    monkeypatch.setenv("COLUMNS", "200")

    assert markdown(app) == narrow


def test_the_module_writes_the_file_and_refuses_bad_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out" / "commands.md"

    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == markdown(app)
    assert main(["a", "b"]) == 2
    assert capsys.readouterr().err == "usage: python -m cislog.cli.reference [PATH]\n"
    assert [p.name for p in target.parent.iterdir()] == ["commands.md"]


def test_python_dash_m_prints_the_reference(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cislog.cli.reference"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == markdown(app)
