"""The pre-commit hooks a dataset repository can use: declared as pre-commit reads
them, and each hook's entry really passes good data and fails bad data."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cislog.datadir import bundled_data_dir
from tests.conftest import MakeDataset

REPO = Path(__file__).resolve().parents[1]
# What pre-commit requires of every hook in .pre-commit-hooks.yaml.
REQUIRED = {"id", "name", "entry", "language"}


def _hooks() -> dict[str, dict[str, Any]]:
    loaded = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, list)
    return {hook["id"]: hook for hook in loaded}


def _run_entry(hook: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the hook's entry the way pre-commit does: split like a shell, args appended,
    from the repository's root, with the cislog installed into the hook's environment."""
    command = shlex.split(_hooks()[hook]["entry"])
    executable = shutil.which(command[0], path=str(Path(sys.executable).parent))
    assert executable, f"{command[0]} is not installed next to this Python"
    environment = {k: v for k, v in os.environ.items() if k != "CISLOG_DATA"}
    return subprocess.run(
        [executable, *command[1:], *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_hooks_are_declared_with_what_pre_commit_needs() -> None:
    hooks = _hooks()

    assert sorted(hooks) == ["cislog-fmt", "cislog-validate"]
    for hook in hooks.values():
        assert set(hook) >= REQUIRED
        assert hook["language"] == "python"
        # The whole dataset is checked once: a reference may break from another file.
        assert hook["pass_filenames"] is False
        files = re.compile(hook["files"])
        assert files.search("data/events.toml")
        assert not files.search("README.md")
        assert not files.search("data/cislog.schema.json")
    assert hooks["cislog-validate"]["entry"].split()[-1] == "validate"
    assert hooks["cislog-fmt"]["entry"].split()[-2:] == ["fmt", "--check"]


@pytest.mark.parametrize("hook", ["cislog-validate", "cislog-fmt"])
def test_each_hook_passes_the_bundled_data_at_the_repository_root(
    hook: str, tmp_path: Path
) -> None:
    repository = tmp_path / "repository"
    shutil.copytree(bundled_data_dir(), repository)

    result = _run_entry(hook, repository)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("hook", ["cislog-validate", "cislog-fmt"])
def test_each_hook_checks_a_dataset_given_in_args(hook: str, tmp_path: Path) -> None:
    shutil.copytree(bundled_data_dir(), tmp_path / "repository" / "data")

    result = _run_entry(hook, tmp_path / "repository", "data")

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validate_hook_fails_on_a_broken_dataset(make_dataset: MakeDataset) -> None:
    directory = make_dataset(
        {"events.toml": '[[event]]\nid = "x"\ndate = "1993-13"\ntitle = "X"\nkind = "other"\n'}
    )

    result = _run_entry("cislog-validate", directory.resolve())

    assert result.returncode == 1
    assert "events.toml:3: x: date: '1993-13': there is no month 13" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_fmt_hook_fails_on_a_file_out_of_layout(make_dataset: MakeDataset) -> None:
    directory = make_dataset(
        {"more.toml": '[[source]]\ntitle = "B"\nid = "src-b"\nkind = "book"\n'}
    )

    result = _run_entry("cislog-fmt", directory.resolve())

    assert result.returncode == 1
    assert result.stdout.strip().endswith("more.toml")
    assert "1 file would be reformatted" in result.stderr
