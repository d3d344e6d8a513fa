"""The cache is never stale, never needed, and never an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cislog import cache
from cislog.cli import app
from cislog.datadir import DataDirError, resolve_data_dir
from cislog.pipeline import load
from tests.conftest import MakeDataset

runner = CliRunner()

EVENT = '[[event]]\nid = "{id}"\ndate = "2000"\ntitle = "{title}"\nkind = "meeting"\nsources = ["src-a"]\n'


def titles(*extra: str) -> list[str]:
    result = runner.invoke(app, ["--data", "data", *extra, "timeline", "--json"])
    assert result.exit_code == 0, result.output
    return [row["title"] for row in json.loads(result.stdout)]


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*.sqlite"))


def test_the_first_run_builds_the_cache_and_the_next_uses_it(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    make_dataset()

    first = titles()
    built = cache_files(tmp_path)
    dataset = cache.read(Path("data"))

    assert first == ["Accession"] and len(built) == 1
    assert isinstance(dataset, cache.CachedDataset) and dataset["accession"].label == "Accession"
    assert titles() == first


@pytest.mark.parametrize("change", ["edit", "add", "delete", "rename"])
def test_any_change_to_the_files_is_seen_on_the_next_run(
    change: str, make_dataset: MakeDataset
) -> None:
    data = make_dataset({"more.toml": EVENT.format(id="more", title="More")})
    assert titles() == ["Accession", "More"]

    if change == "edit":
        (data / "more.toml").write_text(EVENT.format(id="more", title="Edited"))
        expected = ["Accession", "Edited"]
    elif change == "add":
        (data / "extra.toml").write_text(EVENT.format(id="extra", title="Extra"))
        expected = ["Accession", "Extra", "More"]
    elif change == "delete":
        (data / "more.toml").unlink()
        expected = ["Accession"]
    else:
        (data / "more.toml").rename(data / "renamed.toml")
        expected = ["Accession", "More"]

    assert titles() == expected
    shown = runner.invoke(app, ["--data", "data", "show", "more", "--json"])
    if change == "rename":
        assert json.loads(shown.stdout)["origin"] == "data/renamed.toml:1"


def test_a_change_within_the_same_second_keeping_size_and_time_is_seen(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset({"more.toml": EVENT.format(id="more", title="Aaaa")})
    target = data / "more.toml"
    assert titles()[-1] == "Aaaa"
    stat = target.stat()

    target.write_text(EVENT.format(id="more", title="Bbbb"))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    assert target.stat().st_size == stat.st_size
    assert titles()[-1] == "Bbbb"


PEOPLE = """\
[[person]]
id = "envoy"
name = "An Envoy"
sources = ["src-a"]
"""
MENTION = (
    '[[event]]\nid = "visit"\ndate = "2001"\ntitle = "Visit"\nkind = "meeting"\n'
    'people = ["envoy"]\nsources = ["src-a"]\n'
)


def files_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the data files cislog parses from now on."""
    from cislog import loading

    names: list[str] = []
    real = loading._read_file

    def spy(path: Path, *args: Any, **kwargs: Any) -> None:
        names.append(path.name)
        real(path, *args, **kwargs)

    monkeypatch.setattr(loading, "_read_file", spy)
    return names


def test_after_a_change_only_the_changed_file_is_read_again(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_dataset({"more.toml": EVENT.format(id="more", title="More")})
    titles()
    read = files_read(monkeypatch)

    (data / "more.toml").write_text(EVENT.format(id="more", title="Edited"))

    assert titles() == ["Accession", "Edited"]
    assert read == ["more.toml"]
    assert [r.id for r in cache.load(data)] == [r.id for r in load(data)]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("remove the person a kept event names", "no person with id 'envoy'"),
        ("reuse a kept id", "duplicate id: 'accession' is already used by the event at"),
        ("refer to a missing record", "no person with id 'nobody'"),
    ],
)
def test_a_change_that_breaks_the_dataset_is_reported_as_a_full_read_reports_it(
    change: str, expected: str, make_dataset: MakeDataset
) -> None:
    data = make_dataset({"people.toml": PEOPLE, "visits.toml": MENTION})
    titles()

    if change.startswith("remove"):
        (data / "people.toml").write_text(PEOPLE.replace("envoy", "someone"))
    elif change.startswith("reuse"):
        (data / "people.toml").write_text(PEOPLE + EVENT.format(id="accession", title="Again"))
    else:
        (data / "people.toml").write_text(
            PEOPLE + MENTION.replace("visit", "tour").replace('"envoy"', '"nobody"')
        )

    cached = runner.invoke(app, ["--data", "data", "timeline"])
    uncached = runner.invoke(app, ["--data", "data", "--no-cache", "timeline"])
    assert cached.exit_code == uncached.exit_code == 1
    assert expected in cached.stderr
    assert cached.stderr == uncached.stderr


COMMANDS = [
    ["timeline", "--json"],
    ["timeline", "--org", "cis", "--from", "1993", "--search", "accession", "--json"],
    ["timeline", "--search", "Azərbaycan summit", "--json"],
    ["timeline", "--search", "secur", "--to", "2023", "--json"],
    ["timeline", "--on", "1993", "--json"],
    ["signed", "--json"],
    ["signed", "--country", "az", "--country", "by", "--json"],
    ["signed", "--country", "az", "--status", "unknown", "--json"],
    ["org", "cis", "--json"],
    ["org", "cis", "--bodies", "--json"],
    ["org", "cis", "--members", "--on", "2000", "--json"],
    ["country", "az", "--on", "2000", "--json"],
    ["person", "sergei lebedev", "--json"],
    ["person", "--office", "secretary general", "--on", "2024", "--json"],
    ["show", "cis", "--json"],
    ["show", "azerbaijan-accession-to-cis", "--json"],
    ["search", "free trade", "--json"],
    ["sources", "--json"],
    ["sources", "pages-from-history", "--json"],
    ["sources", "--unused", "--json"],
    ["timeline"],
    ["org", "cis", "--bodies"],
    ["show", "az"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_answers_are_identical_with_and_without_the_cache(command: list[str]) -> None:
    uncached = runner.invoke(app, ["--no-cache", *command])
    building = runner.invoke(app, command)
    cached = runner.invoke(app, command)

    assert uncached.exit_code == building.exit_code == cached.exit_code == 0, uncached.output
    assert uncached.stdout == building.stdout == cached.stdout
    assert cache.read(resolve_data_dir(None)) is not None


@pytest.mark.parametrize(
    "damage", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\xff" * 100]
)
def test_a_corrupt_cache_is_rebuilt_silently(
    damage: bytes, make_dataset: MakeDataset, tmp_path: Path
) -> None:
    make_dataset()
    expected = titles()
    (location,) = cache_files(tmp_path)

    location.write_bytes(damage)
    result = runner.invoke(app, ["--data", "data", "timeline", "--json"])

    assert result.exit_code == 0 and result.stderr == ""
    assert [row["title"] for row in json.loads(result.stdout)] == expected
    assert cache.read(Path("data")) is not None, "the cache was rebuilt"


def test_an_unwritable_cache_is_skipped(
    make_dataset: MakeDataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_dataset()
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory should be")
    monkeypatch.setenv("CISLOG_CACHE_DIR", str(blocked))

    assert titles() == ["Accession"]
    assert titles() == ["Accession"]


def test_invalid_data_is_reported_and_never_cached(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    make_dataset({"bad.toml": '[[event]]\nid = "x"\n'})

    result = runner.invoke(app, ["--data", "data", "timeline"])

    assert result.exit_code == 1
    assert cache_files(tmp_path) == []


def test_a_warm_command_imports_neither_pydantic_models_nor_the_loader(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    make_dataset()
    # Nor the modules of the commands it does not run.
    unwanted = ("cislog.model", "cislog.loading", "rich", "cislog.cli.write_cmd", "cislog.export")
    probe = (
        "import sys\n"
        "from cislog.cli import main\n"
        "sys.argv = ['cislog', '--data', 'data', 'timeline', '--json']\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        f"print(sorted(m for m in {unwanted!r} if m in sys.modules), file=sys.stderr)\n"
    )
    environment = {**os.environ}

    cold = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=True,
    )
    warm = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        check=True,
    )

    assert cold.stderr.strip() == "['cislog.loading', 'cislog.model']"
    assert warm.stderr.strip() == "[]"
    assert warm.stdout == cold.stdout


def test_two_processes_building_the_cache_at_once_are_safe(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    make_dataset()
    command = [sys.executable, "-m", "cislog", "--data", "data", "timeline", "--json"]

    processes = [
        subprocess.Popen(
            command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]

    assert all(process.returncode == 0 for process in processes), outputs
    assert len({out for out, _ in outputs}) == 1
    assert cache.read(Path("data")) is not None
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".build-")] == []


def test_a_cycle_a_refreshed_file_closes_with_a_kept_file_is_not_cached_as_valid(
    make_dataset: MakeDataset,
) -> None:
    filler = "".join(
        f'[[source]]\nid = "f{n}"\ntitle = "F{n}"\nkind = "book"\nnote = "{"x" * 200}"\n\n'
        for n in range(8)
    )  # most of the data stays unchanged, so the cache refreshes rather than rebuilds
    data = make_dataset(
        {
            "more.toml": '[[source]]\nid = "a"\ntitle = "A"\nkind = "book"\npart_of = "b"\n',
            "other.toml": '[[source]]\nid = "b"\ntitle = "B"\nkind = "book"\n',
            "filler.toml": filler,
        }
    )
    assert runner.invoke(app, ["--data", str(data), "stats"]).exit_code == 0
    other = data / "other.toml"
    other.write_text(other.read_text() + 'part_of = "a"\n', encoding="utf-8")
    os.utime(other, ns=(other.stat().st_atime_ns, other.stat().st_mtime_ns + 5_000_000_000))

    cached = runner.invoke(app, ["--data", str(data), "stats"])
    uncached = runner.invoke(app, ["--data", str(data), "--no-cache", "stats"])

    assert uncached.exit_code == 1
    assert (cached.exit_code, cached.stderr) == (uncached.exit_code, uncached.stderr)


@pytest.mark.parametrize(
    ("value", "cached"),
    [("1", False), ("true", False), ("Yes", False), ("0", True), ("false", True), ("off", True)],
)
def test_cislog_no_cache_means_the_same_to_the_library_and_the_cli(
    make_dataset: MakeDataset,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    cached: bool,
) -> None:
    """``CISLOG_NO_CACHE=0`` once turned the cache off in the library while the CLI,
    reading it as Click reads a flag, kept it on."""
    make_dataset()
    monkeypatch.setenv("CISLOG_NO_CACHE", value)

    titles()
    from_cli = bool(cache_files(tmp_path))
    library = cache.load(Path("data"))

    assert from_cli is cached
    assert (type(library).__name__ == "CachedDataset") is cached


def test_a_cislog_no_cache_that_is_no_yes_or_no_is_refused(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_dataset()
    monkeypatch.setenv("CISLOG_NO_CACHE", "maybe")

    with pytest.raises(DataDirError, match=r"\$CISLOG_NO_CACHE is 'maybe'"):
        cache.load(Path("data"))
    result = runner.invoke(app, ["--data", "data", "timeline"])
    assert result.exit_code == 2 and "CISLOG_NO_CACHE" in result.output


def test_the_cache_gives_each_records_line_without_reading_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``show`` prints where a record starts: the cache stores the line, so one record's
    line does not cost indexing a file that may hold 10,000 of them."""
    import shutil

    import cislog.locate

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixture", data)
    from_files = load(data)
    cache.load(data)  # builds the cache
    cached = cache.load(data)
    assert isinstance(cached, cache.CachedDataset)

    def no_index(text: str) -> None:
        raise AssertionError("a file was indexed for a line the cache holds")

    monkeypatch.setattr(cislog.locate, "LineIndex", no_index)
    assert {record.id: str(cached.origin(record.id)) for record in from_files} == {
        record.id: str(from_files.origin(record.id)) for record in from_files
    }


def _filler(tmp_path: Path) -> Path:
    """The fixture dataset and 200 more events, of which three name a railway and are
    named by none, and one is named by two others."""
    import shutil

    import tomli_w

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixture", data)
    source = "azerbaijan-cis-page"
    events = [
        {
            "id": f"filler-{n}",
            "date": "2001-05-05",
            "title": f"Railway summit {n}" if n in (7, 70, 170) else f"Filler meeting {n}",
            "kind": "meeting",
            "orgs": ["cis"],
            "sources": [source],
        }
        for n in range(200)
    ]
    (data / "filler.toml").write_text(tomli_w.dumps({"event": events}), encoding="utf-8")
    return data


def _cached_filler(tmp_path: Path) -> tuple[Path, cache.CachedDataset]:
    """The filler dataset, and the dataset its cache gives once it is built."""
    data = _filler(tmp_path)
    cache.load(data)
    cached = cache.load(data)
    assert isinstance(cached, cache.CachedDataset)
    return data, cached


def _decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    decoded: list[str] = []
    real = cache.decode_record

    def counting(kind: str, data: bytes, record_id: str) -> Any:
        decoded.append(record_id)
        return real(kind, data, record_id)

    monkeypatch.setattr(cache, "decode_record", counting)
    return decoded


def test_a_search_decodes_only_the_records_holding_its_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cislog import query

    data, cached = _cached_filler(tmp_path)
    decoded = _decodes(monkeypatch)

    found = query.search(cached, "railway summit")

    assert [hit["id"] for hit in found] == [
        hit["id"] for hit in query.search(load(data), "railway summit")
    ]
    assert {"filler-7", "filler-70", "filler-170"} <= {hit["id"] for hit in found}
    assert sorted(decoded) == sorted(hit["id"] for hit in found)


def test_show_decodes_the_record_and_its_referrers_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cislog import query
    from cislog.matching import resolve

    data, cached = _cached_filler(tmp_path)
    decoded = _decodes(monkeypatch)

    shown = query.record_detail(cached, resolve(cached, ("source",), "azerbaijan-cis-page"))

    from_files = load(data)
    assert shown == query.record_detail(from_files, from_files["azerbaijan-cis-page"])
    referrers = {entry["id"] for entry in shown["referenced_by"]}
    assert len(referrers) > 200
    assert set(decoded) == {"azerbaijan-cis-page", *referrers}
