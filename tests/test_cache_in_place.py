"""A refresh updates the cache in place, in one transaction, unless a reader holds it.

Every dataset read from the cache reads in one transaction of its own, so that a
refresh committing meanwhile never shows it rows of two states: the refresh
waits for it, and then updates a copy and renames it into place instead.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from cislog import cache
from cislog.dataset import Dataset
from cislog.pipeline import load
from tests.conftest import MakeDataset
from tests.test_cache import EVENT, files_read

# Three files, so that the one that changes is less than half the data.
FILES = {
    "more.toml": EVENT.format(id="more", title="More"),
    "other.toml": EVENT.format(id="other", title="Other"),
}


def _inode(data: Path) -> int:
    return cache.cache_file(data).stat().st_ino


def _titles(dataset: Dataset) -> dict[str, str]:
    return {event.id: event.title for event in dataset.events.values()}


def test_a_refresh_updates_the_cache_in_place(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_dataset(FILES)
    cache.load(data)
    before = _inode(data)
    read = files_read(monkeypatch)

    (data / "more.toml").write_text(EVENT.format(id="more", title="Edited"), encoding="utf-8")
    refreshed = cache.load(data)

    assert read == ["more.toml"]
    assert isinstance(refreshed, cache.CachedDataset)
    assert _inode(data) == before, "updated in place, not copied"
    assert _titles(refreshed) == _titles(load(data))
    assert _titles(refreshed)["more"] == "Edited"
    assert not refreshed.fell_back


def test_a_refresh_while_a_dataset_reads_updates_a_copy(make_dataset: MakeDataset) -> None:
    """The reader keeps answering from the cache as it was when it began, whole and
    without meeting damage; the refresh renames a new cache into place."""
    data = make_dataset(FILES)
    cache.load(data)
    reader = cache.read(data)
    assert isinstance(reader, cache.CachedDataset)
    assert reader.get("more") is not None  # its transaction has begun
    before = _inode(data)

    (data / "more.toml").write_text(EVENT.format(id="more", title="Edited"), encoding="utf-8")
    refreshed = cache.load(data)

    assert isinstance(refreshed, cache.CachedDataset)
    assert _inode(data) != before, "a copy renamed into place"
    assert _titles(refreshed)["more"] == "Edited"
    assert _titles(reader)["more"] == "More"
    assert reader.get("other") is not None and not reader.fell_back


@pytest.mark.parametrize("memory", [cache._WRITE_CACHE_KIB, 1], ids=["in memory", "spilled"])
def test_a_refresh_that_fails_leaves_the_cache_as_it_was(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch, memory: int
) -> None:
    """A failure half way through rolls the transaction back: not a byte of the cache
    changes, and the next run refreshes it. With almost no memory to change pages
    in, they are written to the file before the failure, and put back after it."""
    monkeypatch.setattr(cache, "_WRITE_CACHE_KIB", memory)
    data = make_dataset(FILES)
    cache.load(data)
    location = cache.cache_file(data)
    pristine = location.read_bytes()
    (data / "more.toml").write_text(EVENT.format(id="more", title="Edited"), encoding="utf-8")
    real = cache._set_header

    def failing(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise sqlite3.OperationalError("disk I/O error")

    with monkeypatch.context() as patch:
        patch.setattr(cache, "_set_header", failing)
        assert cache._refresh(data) is None

    assert location.read_bytes() == pristine
    assert _titles(cache.load(data))["more"] == "Edited"


def test_a_refresh_waits_for_another_and_uses_its_work(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs after the same edit: the second waits for the first's transaction,
    finds the cache refreshed, and reads no file again (it would otherwise update a
    copy of its own)."""
    data = make_dataset(FILES)
    cache.load(data)
    (data / "more.toml").write_text(EVENT.format(id="more", title="Edited"), encoding="utf-8")
    real = cache._update
    both = threading.Barrier(2)

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)  # holds the cache while the other run comes
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "_update", slow)
    read = files_read(monkeypatch)
    results: list[dict[str, str]] = []

    def run() -> None:
        both.wait()
        results.append(_titles(cache.load(data)))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [titles["more"] for titles in results] == ["Edited", "Edited"]
    assert read == ["more.toml"]
