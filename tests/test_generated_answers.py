"""On data shaped like the bundled records (bench/generate.py, at a small size), every
query command answers the same from the cache, built a part at a time, as from the
files: the benchmark's check at 100,000 events, made here at 1,500."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cislog.cli import app

BENCH = Path(__file__).resolve().parent.parent / "bench"
runner = CliRunner()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    sys.path.insert(0, str(BENCH))
    try:
        from generate import generate  # type: ignore[import-not-found,unused-ignore]
    finally:
        sys.path.remove(str(BENCH))
    data = tmp_path_factory.mktemp("generated") / "data"
    export = generate(data, 1500, 80, seed=7)
    yield data, json.loads(json.dumps(export))


def _commands(export: dict[str, Any]) -> list[list[str]]:
    document = export["documents"][0]
    org = export["orgs"][0]["id"]
    person = export["people"][0]
    country = document["signatories"][0]["country"]
    return [
        ["timeline", "--json"],
        ["timeline", "--from", "2001", "--to", "2005", "--json"],
        ["timeline", "--org", org, "--search", "summit", "--json"],
        ["search", "trade agreement", "--json"],
        ["show", document["id"], "--json"],
        ["show", org, "--json"],
        ["signed", "--country", country, "--json"],
        ["org", org, "--bodies", "--json"],
        ["org", org, "--members", "--on", "2000", "--json"],
        ["country", country, "--json"],
        ["person", person["name"], "--json"],
        ["sources", "--json"],
        ["timeline"],
    ]


def test_the_cache_answers_every_query_as_the_files_do(
    generated: tuple[Path, dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data, export = generated
    monkeypatch.setenv("CISLOG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("cislog.loading.RECORDS_PER_PART", 100)  # files of 1,500 in parts
    for command in _commands(export):
        uncached = runner.invoke(app, ["--data", str(data), "--no-cache", *command])
        cached = runner.invoke(app, ["--data", str(data), *command])
        assert uncached.exit_code == cached.exit_code == 0, (command, uncached.output)
        assert cached.stdout == uncached.stdout, command
        assert len(cached.stdout) > 10, command
    assert list((tmp_path / "cache").glob("*.sqlite"))  # answered from a cache built
