"""Reading, checking and storing a dataset run without the cyclic garbage collector,
and give it back as it was."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cislog import cache, checks, tomlparse
from cislog.dataset import Dataset
from cislog.loading import collector_paused
from cislog.pipeline import read_dataset

FIXTURE = Path(__file__).parent / "fixture"


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError), collector_paused():
            _ = 1 / 0
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def _noting(seen: list[bool], function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, noting whether the collector was on at each call."""

    def noted(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return function(*args, **kwargs)

    return noted


def test_every_file_is_parsed_with_the_collector_off(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(tomlparse, "loads", _noting(seen, tomlparse.loads))
    dataset, problems = read_dataset(FIXTURE)
    assert problems == [] and len(dataset) > 0
    assert seen and not any(seen)
    assert gc.isenabled()


@pytest.fixture
def rule_noting() -> Iterator[list[bool]]:
    seen: list[bool] = []

    def find(dataset: Dataset) -> Iterator[checks.Found]:
        seen.append(gc.isenabled())
        return iter(())

    checks.register(checks.Rule("collector-probe", "warning", "a probe", find))
    try:
        yield seen
    finally:
        checks.unregister("collector-probe")


def test_the_rules_run_with_the_collector_off(rule_noting: list[bool]) -> None:
    result = checks.check(FIXTURE)
    assert result.problems == []
    assert rule_noting == [False]
    assert gc.isenabled()


def test_the_cache_is_built_and_refreshed_with_the_collector_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CISLOG_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data"
    data.mkdir()
    for path in FIXTURE.glob("*.toml"):
        (data / path.name).write_bytes(path.read_bytes())
    seen: list[bool] = []
    monkeypatch.setattr(cache, "_insert", _noting(seen, cache._insert))
    assert len(cache.load(data, use_cache=True)) > 0
    assert len(seen) == len(list(data.glob("*.toml")))  # a build stores a file at a time
    assert cache.read(data) is not None
    events = data / "events.toml"
    events.write_text(events.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stored = len(seen)
    assert len(cache.load(data, use_cache=True)) > 0
    assert len(seen) == stored + 1  # the refresh stored the file that changed
    assert not any(seen)
    assert gc.isenabled()


def test_what_the_block_kept_is_not_walked_by_the_next_young_collection() -> None:
    """Objects made with the collector off and kept go to the oldest generation when
    it comes back on; left in the youngest, its first collection would walk every
    one of them (a second at 100,000 records)."""
    was = gc.isenabled()
    try:
        gc.enable()
        with collector_paused():
            kept = [[n] for n in range(50_000)]
        oldest = {id(item) for item in gc.get_objects(generation=2)}
        assert gc.isenabled()
        assert all(id(item) in oldest for item in kept[::1000])
    finally:
        gc.enable() if was else gc.disable()


def test_check_holds_no_file_text_once_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """``check`` keeps the whole dataset for its rules, but not the files' texts: each
    file's line index lets go of it once read, and reads the file again for a
    line it needs, which is the line it would have found."""
    from cislog.loading import LazyLineIndex

    dataset = checks._read_valid(FIXTURE)
    assert not isinstance(dataset, list)
    indexes = {id(o.lines): o.lines for o in (dataset.origin(r.id) for r in dataset)}
    lazy = [index for index in indexes.values() if isinstance(index, LazyLineIndex)]
    assert lazy and all(index._text is None for index in lazy)
    released = checks.check(FIXTURE)
    monkeypatch.setattr(checks, "_release", lambda indexes: None)
    held = checks.check(FIXTURE)
    assert released.silenced  # the fixture has no finding but what it silences
    assert (released.findings, released.silenced) == (held.findings, held.silenced)
