"""CONTRIBUTING.md's recipe for a kind of record, followed once.

A kind cannot be registered at run time (``RecordKind`` is a type mypy checks
wherever a kind is named), so the recipe is followed where a contributor follows
it: in the source. A copy of the package gets a toy kind, ``venue``, in exactly
the three modules the recipe names (``kinds``, ``model``, ``records``; the fourth
place is the README), and nothing else. The copy, run as ``python -m cislog``,
then reads, validates, shows, searches, exports and writes venues, from the
files and from its cache, and refuses a bad venue by file and line: the
one-place claim, proved by changing nothing else.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import cislog

FIXTURE = Path(__file__).parent / "fixture"

# The recipe, step by step: (module, what to add to it, the registry it goes in).
KIND = """    "venue": KindInfo("venues", "venues.toml", "Places where organisations meet."),"""
MODEL = '''

class Venue(Record):
    """A place where an organisation meets."""

    KIND: ClassVar[RecordKind] = "venue"
    name: Line
    city: Line | None = None
    org: OrgRef | None = None
'''
RECORD = """

class Venue(Record):
    KIND: ClassVar[RecordKind] = "venue"
    name: str
    city: str | None
    org: str | None
"""

VENUES = """\
[[venue]]
id = "palace-of-independence"
name = "Palace of Independence"
city = "Minsk"
org = "cis"
sources = ["pages-from-history"]
"""


def _add(path: Path, registry: str, entry: str, definition: str = "") -> None:
    """Add ``entry`` at the end of the dict ``registry`` in the module at ``path``, and
    ``definition`` (a class) just before the dict. The registry must be found once,
    so that a change moving it fails here rather than following a stale recipe."""
    text = path.read_text(encoding="utf-8")
    header = f"\n{registry}: dict["
    assert text.count(header) == 1, f"{path.name}: no single registry {registry}"
    start = text.index(header)
    end = text.index("\n}\n", start)
    text = text[:start] + definition + text[start:end] + "\n" + entry + text[end:]
    path.write_text(text, encoding="utf-8")


def _follow_recipe(package: Path) -> None:
    """CONTRIBUTING.md's steps 1 to 3, and nothing else."""
    kinds = package / "kinds.py"
    text = kinds.read_text(encoding="utf-8")
    anchor = '"document", "event", "fact"]'
    assert text.count(anchor) == 1, "kinds.py: RecordKind is no longer one Literal"
    kinds.write_text(text.replace(anchor, anchor[:-1] + ', "venue"]'), encoding="utf-8")
    _add(kinds, "KINDS", KIND)
    _add(package / "model.py", "MODELS", '    "venue": Venue,', MODEL)
    _add(package / "records.py", "RECORDS", '    "venue": Venue,', RECORD)


@dataclass(frozen=True)
class Copy:
    """The copied package with the toy kind, and the dataset it is run on."""

    source: Path
    data: Path
    cache: Path

    def __call__(
        self, *args: str, no_cache: bool = False, data: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            "PYTHONPATH": str(self.source),
            "CISLOG_CACHE_DIR": str(self.cache),
            "CISLOG_NO_CACHE": "1" if no_cache else "0",
        }
        return subprocess.run(
            [sys.executable, "-m", "cislog", "--data", str(data or self.data), *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


@pytest.fixture(scope="module")
def with_venues(tmp_path_factory: pytest.TempPathFactory) -> Copy:
    """The copy's CLI, on the fixture dataset plus one venue."""
    root = tmp_path_factory.mktemp("kind")
    shutil.copytree(
        Path(cislog.__file__).parent,
        root / "src" / "cislog",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    _follow_recipe(root / "src" / "cislog")
    shutil.copytree(FIXTURE, root / "data", ignore=shutil.ignore_patterns("README.md"))
    (root / "data" / "venues.toml").write_text(VENUES, encoding="utf-8")
    return Copy(root / "src", root / "data", root / "cache")


def _json(result: subprocess.CompletedProcess[str]) -> object:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_copy_runs_the_copy_not_the_installed_package(with_venues: Copy) -> None:
    result = with_venues("schema")  # the JSON Schema lists the kinds the code knows
    assert result.returncode == 0, result.stderr
    assert '"venue"' in result.stdout


@pytest.mark.parametrize("no_cache", [False, True])
def test_a_kind_added_by_the_recipe_is_read_shown_and_referred_to(
    with_venues: Copy, no_cache: bool
) -> None:
    validated = with_venues("validate", no_cache=no_cache)
    assert validated.returncode == 0, validated.stdout + validated.stderr

    venue = _json(with_venues("show", "palace-of-independence", "--json", no_cache=no_cache))
    assert isinstance(venue, dict)
    assert (venue["record"], venue["name"], venue["city"], venue["org"]) == (
        "venue",
        "Palace of Independence",
        "Minsk",
        "cis",
    )
    assert venue["sources"] == ["pages-from-history"]
    assert venue["origin"].endswith("venues.toml:1")

    cis = _json(with_venues("show", "cis", "--json", no_cache=no_cache))
    assert isinstance(cis, dict)
    assert "palace-of-independence" in json.dumps(cis["referenced_by"])


@pytest.mark.parametrize("no_cache", [False, True])
def test_a_kind_added_by_the_recipe_is_searched_and_exported(
    with_venues: Copy, no_cache: bool
) -> None:
    found = _json(with_venues("search", "palace independence", "--json", no_cache=no_cache))
    assert isinstance(found, list)
    assert [(hit["kind"], hit["id"]) for hit in found] == [("venue", "palace-of-independence")]

    exported = _json(with_venues("export", "--format", "json", no_cache=no_cache))
    assert isinstance(exported, dict)
    assert [venue["id"] for venue in exported["venue"]] == ["palace-of-independence"]


def test_a_kind_added_by_the_recipe_is_written_and_refused_by_line(
    with_venues: Copy, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(with_venues.data, data)

    added = with_venues(
        "add", "venue", "--id", "baku-congress-centre", "--name", "Baku Congress Centre",
        "--source", "cica-azerbaijan-page", data=data,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert 'id = "baku-congress-centre"' in (data / "venues.toml").read_text(encoding="utf-8")

    with (data / "venues.toml").open("a", encoding="utf-8") as venues:
        venues.write('\n[[venue]]\nid = "nowhere"\nname = "Nowhere"\norg = "no-such-org"\n')
    refused = with_venues("validate", data=data)
    assert refused.returncode == 1
    assert "venues.toml:" in refused.stdout and "no-such-org" in refused.stdout
    assert "Traceback" not in refused.stderr


def test_a_kind_added_by_the_recipe_type_checks(with_venues: Copy, tmp_path: Path) -> None:
    """Nothing typed against the kinds (a dict that must hold every kind, a match on
    them) needs a fifth edit: mypy --strict passes on the copy as on the package."""
    pytest.importorskip("mypy")
    result = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", "--no-incremental",
            "--config-file", str(Path(__file__).parents[1] / "pyproject.toml"),
            str(with_venues.source / "cislog"),
        ],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(with_venues.source)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    assert "Success: no issues found" in result.stdout
