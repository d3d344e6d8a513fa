"""The cache's refresh, which reads only the files that changed, against a full read:
random edits (add, change, remove, move between files, break a reference, repeat
an id, change an organisation's body) give the same records, places and problems."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cislog import cache, pipeline, validation
from cislog.dataset import Dataset
from cislog.errors import DatasetError, Problem
from cislog.loading import RawRecord
from tests.conftest import MINIMAL_FILES

EDITED = ("a.toml", "b.toml")
# Records no edit touches, so that an edit changes a small part of the data and the
# cache is refreshed rather than rebuilt (a change to most of the data rebuilds it).
PADDING = 60


def _event(record_id: str, title: str, org: str = "cis") -> dict[str, Any]:
    return {
        "id": record_id,
        "date": "2001-05-05",
        "title": title,
        "kind": "meeting",
        "orgs": [org],
        "countries": ["az"],
        "sources": ["src-a"],
    }


class Files:
    """The edited files as data, written whole after each edit."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.events: dict[str, list[dict[str, Any]]] = {name: [] for name in EDITED}
        self.category = "statutory"
        self.serial = 0

    def write(self) -> None:
        """Write the files whose text changed, and only those: a file rewritten as it
        was is a change to the cache too (its time changes), and would hide the
        refresh of the others behind a full read."""
        for name, events in self.events.items():
            self._put(name, tomli_w.dumps({"event": events}))
        orgs = {
            "org": [
                {
                    "id": "cis",
                    "name": "Commonwealth of Independent States",
                    "founded": "1991-12-08",
                    "sources": ["src-a"],
                    "counts": [
                        {"of": "bodies", "category": "statutory", "value": 1, "sources": ["src-a"]}
                    ],
                }
            ],
            "body": [
                {
                    "id": "council",
                    "org": "cis",
                    "name": "Council",
                    "category": self.category,
                    "sources": ["src-a"],
                }
            ],
        }
        self._put("orgs.toml", tomli_w.dumps(orgs))

    def _put(self, name: str, text: str) -> None:
        path = self.data / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")

    def all(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for name, events in self.events.items():
            for event in events:
                yield name, event

    def apply(self, edit: tuple[str, int, int]) -> None:
        action, pick, where = edit
        existing = list(self.all())
        target = EDITED[where % len(EDITED)]
        self.serial += 1
        if action == "add" or (not existing and action in ("retitle", "remove", "move")):
            self.events[target].append(_event(f"ev-{self.serial}", f"Meeting {self.serial}"))
        elif action == "retitle":
            _, event = existing[pick % len(existing)]
            event["title"] = f"Renamed {self.serial}"
        elif action == "remove":
            name, event = existing[pick % len(existing)]
            self.events[name].remove(event)
        elif action == "move":
            name, event = existing[pick % len(existing)]
            self.events[name].remove(event)
            self.events[target].append(event)
        elif action == "repeat-id":
            repeated = existing[pick % len(existing)][1]["id"] if existing else "accession"
            self.events[target].append(_event(repeated, "A second record of the same id"))
        elif action == "break-reference":
            self.events[target].append(_event(f"ev-{self.serial}", "Of no known body", "nato"))
        elif action == "body":
            # The body's category: read with the declared counts of its organisation.
            self.category = "other" if self.category == "statutory" else "statutory"


edits = st.lists(
    st.tuples(
        st.sampled_from(
            ["add", "add", "retitle", "remove", "move", "repeat-id", "break-reference", "body"]
        ),
        st.integers(0, 50),
        st.integers(0, 1),
    ),
    min_size=1,
    max_size=8,
)


def _padded(data: Path) -> None:
    padding = [_event(f"pad-{n}", f"Padding meeting {n}") for n in range(PADDING)]
    (data / "padding.toml").write_text(tomli_w.dumps({"event": padding}), encoding="utf-8")


State = dict[str, tuple[Any, str, list[tuple[str, tuple[str | int, ...]]]]]


def _state(dataset: Dataset) -> State:
    """Every record's data, the place it was read from, and the records naming it."""
    return {
        record.id: (
            record.to_json(),
            str(dataset.origin(record.id)),
            [(other.id, ref.path) for other, ref in dataset.referrers(record.id)],
        )
        for record in dataset
    }


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    return [problem.to_dict() for problem in problems]


def _through_the_cache(data: Path) -> tuple[State | None, list[Any]]:
    try:
        dataset = cache.load(data, use_cache=True)
    except DatasetError as error:
        return None, _problems(error.problems)
    return _state(dataset), []


def _from_the_files(data: Path) -> tuple[State | None, list[Any]]:
    dataset, problems = pipeline.read_dataset(data)
    if problems:
        return None, _problems(problems)
    return _state(dataset), []


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(edits)
def test_a_refreshed_cache_answers_as_a_full_read_after_any_edits(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, steps: Any
) -> None:
    root = tmp_path_factory.mktemp("refresh")
    monkeypatch.setenv("CISLOG_CACHE_DIR", str(root / "cache"))
    # Files read in parts of two records: a build stores each part as it is read.
    monkeypatch.setattr("cislog.loading.RECORDS_PER_PART", 2)
    data = root / "data"
    data.mkdir()
    for name, text in MINIMAL_FILES.items():
        (data / name).write_text(textwrap.dedent(text), encoding="utf-8")
    _padded(data)
    files = Files(data)
    files.write()
    assert _through_the_cache(data) == _from_the_files(data)

    for step in steps:
        files.apply(step)
        files.write()

        assert _through_the_cache(data) == _from_the_files(data), step
        # Read in parts, the dataset is valid exactly when read whole it has no problem.
        assert pipeline.read_in_parts(data).valid == (pipeline.read_dataset(data)[1] == [])


def _same_titles(entries: list[RawRecord]) -> Iterator[Problem]:
    """A toy rule that follows events across files: two events may not share a title."""
    seen: dict[str, RawRecord] = {}
    for entry in entries:
        title = getattr(entry.record, "title", None)
        if entry.kind != "event" or not isinstance(title, str):
            continue
        if title in seen:
            yield entry.problem(("title",), "invalid-value", f"the title of {seen[title].id}")
        seen.setdefault(title, entry)


def test_a_rule_that_reads_a_kind_across_files_has_the_refresh_read_it_whole(
    make_dataset: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refresh validates only the changed files unless a rule declares that it
    reads their kind across records: then the whole dataset, and the problem a
    kept file holds the other half of is found."""
    data = make_dataset()
    _padded(data)
    cache.load(data)  # built
    rules = validation.RULES

    def refreshed(reads: tuple[Any, ...], name: str) -> Any:
        toy = validation.RecordsRule("same titles", _same_titles, reads=reads)
        monkeypatch.setattr(validation, "RULES", (*rules, toy))
        clash = _event(f"in-{name[0]}", "Padding meeting 3")
        (data / name).write_text(tomli_w.dumps({"event": [clash]}), encoding="utf-8")
        return _through_the_cache(data), _from_the_files(data)

    # Undeclared, the rule is run on the changed file alone, and misses the clash:
    # what the declaration is for.
    (blind, _), (_, wanted) = refreshed((), "a.toml")
    (cached, problems), full = refreshed(("event",), "b.toml")

    assert blind is not None and [p["message"] for p in wanted] == ["the title of in-a"]
    assert cached is None and (cached, problems) == full
    assert [p["message"] for p in problems] == ["the title of in-a"] * 2
