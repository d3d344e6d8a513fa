"""The README's tour shows real output: each ``$ cislog ...`` block is run and compared.

Run with CISLOG_UPDATE_README=1 to rewrite the blocks after a deliberate change.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cislog.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```console\n\$ (cislog [^\n]*)\n(.*?)```", re.S)


def _run(command: str) -> str:
    """The output as an 80-column terminal shows it (colours aside: NO_COLOR)."""
    terminal = {"COLUMNS": "80", "FORCE_COLOR": "1", "NO_COLOR": "1"}
    result = CliRunner().invoke(app, shlex.split(command)[1:], env=terminal)
    assert result.exit_code == 0, result.output
    return "".join(line.rstrip() + "\n" for line in result.stdout.splitlines()).lstrip("\n")


def test_the_readme_has_a_tour() -> None:
    assert len(BLOCK.findall(README.read_text(encoding="utf-8"))) >= 6


@pytest.mark.parametrize(
    "command", [m.group(1) for m in BLOCK.finditer(README.read_text(encoding="utf-8"))]
)
@pytest.mark.facts  # the tour shows the bundled data: a new fact changes what it shows
def test_each_readme_example_shows_its_real_output(command: str) -> None:
    text = README.read_text(encoding="utf-8")
    (shown,) = [m.group(2) for m in BLOCK.finditer(text) if m.group(1) == command]
    actual = _run(command)

    if os.environ.get("CISLOG_UPDATE_README"):
        README.write_text(
            text.replace(f"$ {command}\n{shown}```", f"$ {command}\n{actual}```"), encoding="utf-8"
        )
        return
    assert shown == actual
