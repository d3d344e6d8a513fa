"""A row from before a refresh is never used after it.

A refresh keeps the build's salt and the rows of the files it did not read. So a
row of a file it did read, as it was before (a write SQLite lost, or a copy of the
old cache's rows put back), would pass its digest unless something in the digest
changes with each refresh: each file's generation, drawn again whenever its rows
are written, and the counts' own, drawn with each header.

Each example builds a cache, keeps a copy, changes one file, lets a run refresh
the cache (reading only that file), then puts back the copy's rows of that file
in some tables, and checks that every command answers as the files do.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cislog import cache
from cislog.cli import app
from tests.conftest import MakeDataset
from tests.test_cache import files_read
from tests.test_cache_damage import (
    COMMANDS,
    MORE_COMMANDS,
    Answer,
    damage_dataset,
    open_cache,
    runner,
)

# Tables whose rows belong to a file, and the one that counts them all.
TABLES = ["records", "texts", "signatories", "counts"]

NEW_EVENT = """
[[event]]
id = "event-new"
date = "2004-07-08"
title = "A zeppelin summit"
kind = "summit"
sources = ["src-a"]
"""


def _edit_documents(text: str) -> str:
    """doc-05 gets a new word in its title, and Azerbaijan a new status in it."""
    start = text.index('id = "doc-05"')
    end = text.index("[[document]]", start)
    block = text[start:end]
    assert 'status = "signed_with_reservation"' in block
    block = block.replace("Agreement 5 on", "Agreement 5 on zeppelin").replace(
        'status = "signed_with_reservation"', 'status = "not_signed"', 1
    )
    return text[:start] + block + text[end:]


def _edit_events(text: str) -> str:
    """event-007 gets a new word in its title, and the file one more event."""
    assert "Event 7 on" in text
    return text.replace("Event 7 on", "Event 7 on zeppelin") + NEW_EVENT


EDITS = {"documents.toml": _edit_documents, "more-events.toml": _edit_events}
EDITED = {"documents.toml": "doc-05", "more-events.toml": "event-007"}
STALE_COMMANDS = [
    *COMMANDS,
    *MORE_COMMANDS,
    ["search", "zeppelin", "--json"],
    ["search", "border", "--json"],
    ["timeline", "--search", "zeppelin", "--json"],
    ["show", "event-new", "--json"],
    ["signed", "--country", "by", "--json"],
]


class Refreshed:
    """A dataset whose cache was refreshed after ``file`` changed, with the cache from
    before the change and the answers of the files after it."""

    def __init__(self, make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch, file: str):
        # Each file's dataset apart, as make_dataset always writes to ./data.
        self.data = make_dataset(damage_dataset(events=12)).rename(f"data-{Path(file).stem}")
        self.file = file
        cache.load(self.data)
        self.location = cache.cache_file(self.data)
        self.before = self.location.with_name("before.sqlite")
        shutil.copyfile(self.location, self.before)
        path = self.data / file
        path.write_text(EDITS[file](path.read_text(encoding="utf-8")), encoding="utf-8")
        with monkeypatch.context() as patch:
            read = files_read(patch)
            assert self.answer(["stats"])[0] == 0
        assert read == [file], "a refresh, reading only the changed file"
        self.refreshed = self.location.read_bytes()
        self.expected: dict[tuple[str, ...], Answer] = {
            tuple(command): self.answer(command, "--no-cache") for command in STALE_COMMANDS
        }

    def answer(self, command: list[str], *options: str) -> Answer:
        result = runner.invoke(app, ["--data", str(self.data), *options, *command])
        return result.exit_code, result.stdout, result.stderr

    def splice(self, tables: set[str], one: bool) -> None:
        """The refreshed cache with the old rows of the changed file (or, with ``one``,
        of its changed record alone) in ``tables`` in place of the new ones."""
        self.location.write_bytes(self.refreshed)
        record = EDITED[self.file]
        with open_cache(self.location) as db:
            db.execute("ATTACH DATABASE ? AS old", (str(self.before),))
            for table in sorted(tables):
                parameters: tuple[str, ...]
                if table == "counts":
                    where, parameters = "1", ()
                elif one and table != "texts":  # a page holds a file's texts together
                    where, parameters = "file = ? AND id = ?", (self.file, record)
                else:
                    where, parameters = "file = ?", (self.file,)
                db.execute(f"DELETE FROM main.{table} WHERE {where}", parameters)
                db.execute(
                    f"INSERT INTO main.{table} SELECT * FROM old.{table} WHERE {where}", parameters
                )
            db.commit()
            db.execute("DETACH DATABASE old")


_REFRESHED: dict[tuple[Path, str], Refreshed] = {}


def refreshed(make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch, file: str) -> Refreshed:
    """One refreshed dataset a file and test, shared by the test's examples."""
    key = (Path.cwd(), file)
    if key not in _REFRESHED:
        if all(cwd != Path.cwd() for cwd, _ in _REFRESHED):
            _REFRESHED.clear()
        _REFRESHED[key] = Refreshed(make_dataset, monkeypatch, file)
    return _REFRESHED[key]


def test_the_refreshed_cache_answers_as_the_files(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The baseline: with nothing put back, the refreshed cache answers from itself,
    as the files do, and the words and statuses changed."""
    for file in EDITS:
        state = refreshed(make_dataset, monkeypatch, file)
        state.location.write_bytes(state.refreshed)
        for command in STALE_COMMANDS:
            assert state.answer(command) == state.expected[tuple(command)], command
        assert state.location.read_bytes() == state.refreshed, "no run rebuilt it"
    found = refreshed(make_dataset, monkeypatch, "documents.toml").expected
    assert "doc-05" in found[("search", "zeppelin", "--json")][1]
    assert '"not_signed"' in found[("show", "doc-05", "--json")][1]
    assert (
        "event-new"
        in refreshed(make_dataset, monkeypatch, "more-events.toml").expected[
            ("timeline", "--search", "zeppelin", "--json")
        ][1]
    )


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    file=st.sampled_from(sorted(EDITS)),
    tables=st.sets(st.sampled_from(TABLES), min_size=1),
    one=st.booleans(),
    commands=st.lists(st.sampled_from(STALE_COMMANDS), min_size=1, max_size=4),
)
@example(file="documents.toml", tables=set(TABLES), one=False, commands=STALE_COMMANDS)
@example(file="more-events.toml", tables=set(TABLES), one=False, commands=STALE_COMMANDS)
@example(file="documents.toml", tables={"texts"}, one=False, commands=STALE_COMMANDS[-7:])
@example(file="documents.toml", tables={"records"}, one=True, commands=STALE_COMMANDS)
@example(file="documents.toml", tables={"signatories"}, one=True, commands=STALE_COMMANDS)
@example(file="more-events.toml", tables={"texts"}, one=False, commands=STALE_COMMANDS)
@example(file="more-events.toml", tables={"counts"}, one=False, commands=STALE_COMMANDS)
def test_a_row_from_before_a_refresh_is_never_used(
    make_dataset: MakeDataset,
    monkeypatch: pytest.MonkeyPatch,
    file: str,
    tables: set[str],
    one: bool,
    commands: list[list[str]],
) -> None:
    state = refreshed(make_dataset, monkeypatch, file)
    for command in commands:
        state.splice(tables, one)
        assert state.answer(command) == state.expected[tuple(command)], (command, tables, one)
