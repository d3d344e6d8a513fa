"""A search through the cache's pages of texts finds what a search of the files finds.

The pages join many records' texts into one body, so a word may run across the
end of one text into the next, hold in one record and not in its neighbour, or
start a page or end it. Texts made of a few short syllables meet each of those
often; pages of three records put a boundary every few texts.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cislog import cache, query
from cislog.pipeline import load
from tests.conftest import MINIMAL_FILES, MakeDataset, write_minimal

SYLLABLES = ["ra", "il", "way", "é", "e", "a", "Ra", "-", " ", "ıl", "Ä"]
texts = st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=8).map("".join)
words = st.lists(st.sampled_from(["ra", "il", "way", "rail", "railway", "e", "a", "ä", "il ra"]))


def _people(names: list[str]) -> str:
    # A person's text begins with the name: a word can start a text, and so a page.
    return "".join(
        f'[[person]]\nid = "p{n}"\nname = {name!r}\nsources = ["src-a"]\n\n'
        for n, name in enumerate(names)
    )


def _cached(data: Path) -> cache.CachedDataset:
    """The dataset the cache of ``data`` gives, once it is built."""
    cache.load(data)
    cached = cache.load(data)
    assert isinstance(cached, cache.CachedDataset)
    return cached


def _events(titles: list[str], first_year: int) -> str:
    return "".join(
        f'[[event]]\nid = "e{first_year}-{n}"\ndate = "{first_year + n}"\n'
        f'title = {title!r}\nkind = "meeting"\nsources = ["src-a"]\n\n'
        for n, title in enumerate(titles)
    )


@given(
    first=st.lists(texts.filter(str.strip), min_size=1, max_size=9),
    second=st.lists(texts.filter(str.strip), max_size=5),
    names=st.lists(texts.filter(str.strip), max_size=9),
    asked=words.filter(lambda w: bool(w)).map(" ".join),
)
def test_a_search_of_the_pages_finds_what_a_search_of_the_files_finds(
    first: list[str], second: list[str], names: list[str], asked: str
) -> None:
    with pytest.MonkeyPatch.context() as patch, tempfile.TemporaryDirectory() as temporary:
        patch.setattr(cache, "_ROWS_AT_ONCE", 3)
        patch.setenv("CISLOG_CACHE_DIR", str(Path(temporary) / "cache"))
        data = write_minimal(Path(temporary))
        (data / "events.toml").write_text(
            MINIMAL_FILES["events.toml"].replace("        ", "") + _events(first, 1900),
            encoding="utf-8",
        )
        (data / "later.toml").write_text(_events(second, 2000), encoding="utf-8")
        (data / "people.toml").write_text(_people(names), encoding="utf-8")
        cached = _cached(data)
        files = load(data)

        assert query.search(cached, asked) == query.search(files, asked)
        assert not cached.fell_back
        searched = query.TimelineFilter(search=asked)
        assert query.timeline(cached, searched) == query.timeline(files, searched)
        assert not cached.fell_back


def test_a_word_across_two_texts_of_a_page_is_found_in_neither(
    make_dataset: MakeDataset,
) -> None:
    # A person's text is the name alone: the page's body reads "ends with railway out".
    data = make_dataset({"people.toml": _people(["ends with rail", "way out"])})
    cached = _cached(data)

    assert [hit["id"] for hit in query.search(cached, "rail")] == ["p0"]
    assert query.search(cached, "railway") == []
    # Not even a candidate for the query's own check to rule out.
    assert list(cached.search_candidates(["railway"])) == []
    assert [hit["id"] for hit in query.search(cached, "way")] == ["p1"]
    assert not cached.fell_back


def test_a_refresh_of_one_file_keeps_the_pages_of_the_others(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page holds one file's texts, so that a refresh replaces the pages of the
    files it reads and keeps the rest, even after a refresh that read two files."""
    many = _events([f"meeting {n}" for n in range(40)], 1900)
    data = make_dataset({"many.toml": many, "later.toml": _events(["rail"], 2000)})
    (data / "people.toml").write_text(_people(["Way"]), encoding="utf-8")
    cache.load(data)
    monkeypatch.setattr(cache, "_rebuild", lambda directory: pytest.fail("rebuilt"))

    (data / "later.toml").write_text(_events(["railway"], 2000), encoding="utf-8")
    (data / "people.toml").write_text(_people(["Way", "Railway Pat"]), encoding="utf-8")
    cache.load(data)
    (data / "people.toml").write_text(_people(["Railway Pat"]), encoding="utf-8")
    cached = cache.load(data)  # refreshed, not rebuilt

    assert isinstance(cached, cache.CachedDataset)
    assert sorted(hit["id"] for hit in query.search(cached, "railway")) == ["e2000-0", "p0"]
    assert not cached.fell_back


def test_a_page_stored_twice_in_place_of_another_is_damage(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages count as many texts as records, yet one page is there twice and
    another of as many records gone: every page must be there once."""
    import sqlite3

    monkeypatch.setattr(cache, "_ROWS_AT_ONCE", 3)
    data = make_dataset({"many.toml": _events([f"summit w{n}" for n in range(9)], 1900)})
    cache.load(data)
    with sqlite3.connect(cache.cache_file(data)) as db:
        pages = db.execute("SELECT rowid, ids FROM texts WHERE file = 'many.toml'").fetchall()
        assert len(pages) == 3 and all(ids.count("\x1f") == 2 for _, ids in pages)
        db.execute("INSERT INTO texts SELECT * FROM texts WHERE rowid = ?", (pages[0][0],))
        db.execute("DELETE FROM texts WHERE rowid = ?", (pages[1][0],))
    cached = cache.load(data)
    assert isinstance(cached, cache.CachedDataset)

    # The word of a record on the page gone, and of none on the page there twice.
    found = query.search(cached, "w4")

    assert found == query.search(load(data), "w4")
    assert [hit["id"] for hit in found] == ["e1900-4"] and cached.fell_back
