"""Shared fixtures: every test runs away from the user's data and environment."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests run a short budget by default; CISLOG_HYPOTHESIS=long runs thousands
# of examples on demand (see the README).
settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("CISLOG_HYPOTHESIS", "default"))

MINIMAL_FILES: dict[str, str] = {
    "sources.toml": """\
        # sources
        [[source]]
        id = "src-a"
        title = "A source"
        kind = "article"
        """,
    "countries.toml": """\
        [[country]]
        id = "az"
        name = "Azerbaijan"
        aliases = ["AZE"]
        sources = ["src-a"]
        """,
    "orgs.toml": """\
        [[org]]
        id = "cis"
        name = "Commonwealth of Independent States"
        founded = "1991-12-08"
        sources = ["src-a"]

        [[org.counts]]
        of = "bodies"
        category = "statutory"
        value = 1
        sources = ["src-a"]

        [[body]]
        id = "council"
        org = "cis"
        name = "Council"
        category = "statutory"
        sources = ["src-a"]
        """,
    "events.toml": """\
        [[event]]
        id = "accession"
        date = "1993-09-24"
        title = "Accession"
        kind = "accession"
        orgs = ["cis"]
        countries = ["az"]
        sources = ["src-a"]
        """,
}

MakeDataset = Callable[..., Path]


def write_minimal(parent: Path) -> Path:
    """The minimal valid dataset written to ``parent/data``, which is returned: for tests
    that need it outside pytest's own temporary folder (another user, a tmpfs)."""
    data = parent / "data"
    data.mkdir()
    for name, text in MINIMAL_FILES.items():
        (data / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return data


def as_another_user() -> list[str]:
    """The command that runs cislog as user 'nobody' (for whom permission bits count:
    root reads and writes any file), or a skip where that cannot work: not root, no
    setpriv, or a Python environment 'nobody' cannot reach (CI's private venv)."""
    import shutil
    import subprocess
    import sys

    import pytest

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("running as another user needs root and setpriv")
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import cislog"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user 'nobody' cannot reach this Python environment")
    return [*prefix, sys.executable, "-m", "cislog"]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's CISLOG_DATA or cache, and relative paths start in a
    fresh folder."""
    monkeypatch.delenv("CISLOG_DATA", raising=False)
    monkeypatch.delenv("CISLOG_NO_CACHE", raising=False)
    monkeypatch.setenv("CISLOG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def make_dataset(tmp_path: Path) -> MakeDataset:
    """Write a dataset to ``./data``: the minimal valid one, with files replaced or added.

    A value of ``None`` removes that file; ``bytes`` are written as they are.
    """

    def make(files: dict[str, str | bytes | None] | None = None, *, base: bool = True) -> Path:
        directory = tmp_path / "data"
        directory.mkdir(exist_ok=True)
        contents: dict[str, str | bytes | None] = dict(MINIMAL_FILES) if base else {}
        contents.update(files or {})
        for name, content in contents.items():
            if content is None:
                continue
            target = directory / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(textwrap.dedent(content), encoding="utf-8")
        return Path("data")

    return make
