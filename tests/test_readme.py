"""The README's two opening commands are the ones CI really runs."""

from __future__ import annotations

import re
from pathlib import Path

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
