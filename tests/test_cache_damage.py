"""A damaged cache never answers: every answer is the files' own, and the cache is rebuilt.

Each test builds a dataset and its cache, damages the cache (a zeroed page, a
truncated file, a garbage or forged row, a row gone, the header gone, random
bytes or cells), and checks that commands answer exactly as ``--no-cache``
does, exit code, output and messages alike, and that the next run finds a
sound cache again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
import os
import shutil
import sqlite3
import subprocess
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cislog import cache, query
from cislog.cli import app
from cislog.pipeline import load
from tests.conftest import MakeDataset, as_another_user, write_minimal
from tests.test_cache import files_read

runner = CliRunner()

# Every form of date, so that the cache holds records of many tiers and wide ones.
DATES = [
    "1995-03-04",
    "1995-03",
    "1996",
    "1996?",
    "1997-05~",
    "1995/1997",
    "199X",
    "19XX",
    "[1994, 1998]",
    "1998-03-04/1998-03-10",
    "1999-06-1X",
    "2001-02-03%",
    "2003-11-XX",
]
WORDS = ["railway", "summit", "customs", "energy", "treaty", "border", "youth", "pipeline"]
COUNTRIES = {"by": "Belarus", "ru": "Russia", "kz": "Kazakhstan", "am": "Armenia"}
STATUSES = ["signed", "not_signed", "signed_with_reservation"]


def _toml(text: str) -> str:
    return textwrap.dedent(text)


def damage_dataset(events: int = 36, documents: int = 10) -> dict[str, str | bytes | None]:
    """The minimal dataset with more countries, people, events and documents: enough
    records for a cache of many pages, with dates of every form and signatories."""
    countries = "".join(
        f'[[country]]\nid = "{code}"\nname = "{name}"\nsources = ["src-a"]\n\n'
        for code, name in COUNTRIES.items()
    )
    people = "".join(
        f'[[person]]\nid = "envoy-{n}"\nname = "Envoy Number {n}"\nsources = ["src-a"]\n\n'
        for n in range(4)
    )
    event_text = []
    for n in range(events):
        words = " ".join(WORDS[(n * k) % len(WORDS)] for k in (1, 3, 5))
        event_text.append(
            f'[[event]]\nid = "event-{n:03d}"\ndate = "{DATES[n % len(DATES)]}"\n'
            f'title = "Event {n} on {words}"\nkind = "meeting"\n'
            f'summary = "A meeting about {words} and more."\n'
            f'countries = ["{list(COUNTRIES)[n % 4]}"]\npeople = ["envoy-{n % 4}"]\n'
            + ('documents = ["doc-05"]\n' if n % 6 == 0 else "")  # what 'show doc-05' lists
            + 'sources = ["src-a"]\n\n'
        )
    document_text = []
    for n in range(documents):
        date = "" if n % 5 == 4 else f'date = "{DATES[(n * 2) % len(DATES)]}"\n'
        signers = ["az", *list(COUNTRIES)[: n % 4]] if n % 3 else list(COUNTRIES)[:2]
        signatories = "".join(
            f'[[document.signatories]]\ncountry = "{code}"\n'
            f'status = "{STATUSES[(n + i) % 3]}"\nsources = ["src-a"]\n'
            for i, code in enumerate(signers)
        )
        document_text.append(
            f'[[document]]\nid = "doc-{n:02d}"\ntitle = "Agreement {n} on {WORDS[n % 8]}"\n'
            f'kind = "agreement"\norg = "cis"\n{date}sources = ["src-a"]\n\n{signatories}\n'
        )
    return {
        "more-countries.toml": countries,
        "people.toml": people,
        "more-events.toml": "".join(event_text),
        "documents.toml": "".join(document_text),
    }


# The commands of the issue, and a few that read the cache other ways: a range of
# days, words, latest first, an id that is not there.
COMMANDS = [
    ["timeline", "--json"],
    ["show", "doc-05", "--json"],
    ["search", "summit"],
    ["signed", "--country", "az", "--json"],
    ["stats"],
]
MORE_COMMANDS = [
    ["timeline", "--from", "1996", "--to", "1997-06", "--json"],
    ["timeline", "--search", "railway", "--reverse", "--json"],
    ["show", "event-007", "--json"],
    ["show", "no-such-record"],
]
# And a few more for the property test, which samples them.
OTHER_COMMANDS = [["sources", "--json"], ["org", "cis", "--json"]]

Answer = tuple[int, str, str]


def answer(command: list[str], *options: str) -> Answer:
    result = runner.invoke(app, ["--data", "data", *options, *command])
    return result.exit_code, result.stdout, result.stderr


class Built:
    """A dataset and its cache, with the answers the files give."""

    def __init__(self, make_dataset: MakeDataset, commands: list[list[str]]) -> None:
        self.data = make_dataset(damage_dataset())
        self.commands = commands
        self.expected = {tuple(c): expected(c) for c in commands}
        cache.load(self.data)  # builds the cache
        self.location = cache.cache_file(self.data)
        self.pristine = self.location.read_bytes()
        assert cache.read(self.data) is not None

    def restore(self) -> None:
        self.location.write_bytes(self.pristine)

    def damaged(self, damage: Callable[[Path], None]) -> bytes:
        self.restore()
        damage(self.location)
        return self.location.read_bytes()

    def check(self, damage: Callable[[Path], None]) -> int:
        """Every command, each on a freshly damaged cache, answers as the files do.

        A command that met the damage leaves a rebuilt cache, which the next run
        uses as it is; a command the damage did not touch leaves the cache as it
        was. Returns how many commands met the damage.
        """
        met = 0
        for command in self.commands:
            bad = self.damaged(damage)
            assert answer(command) == self.expected[tuple(command)], command
            if self.location.exists() and self.location.read_bytes() == bad:
                continue
            met += 1
            if met == 1:
                assert_sound(self.data)
                rebuilt = self.location.read_bytes()
                assert answer(command) == self.expected[tuple(command)], command
                assert self.location.read_bytes() == rebuilt, "the rebuilt cache was used"
        return met


# The answers of the files, the same in every test (the paths shown are relative).
_EXPECTED: dict[tuple[str, ...], Answer] = {}


def expected(command: list[str]) -> Answer:
    if tuple(command) not in _EXPECTED:
        code, out, err = _EXPECTED[tuple(command)] = answer(command, "--no-cache")
        assert code == 0 or (command[0] == "show" and code == 1 and not out), err
    return _EXPECTED[tuple(command)]


def assert_sound(data: Path) -> None:
    """The cache for ``data`` is read without finding any damage: every record comes
    from the cache, none from the files."""
    dataset = cache.read(data)
    assert isinstance(dataset, cache.CachedDataset)
    records: list[Any] = list(dataset)
    dated: list[Any] = list(dataset.dated_candidates(None, None))
    signing = dataset.signing_candidates(["az", *COUNTRIES])
    assert records and dated and signing
    assert dataset.get("no-such-record") is None
    again: list[Any] = list(dataset)
    assert again == records and not dataset.fell_back, "no fallback"


@pytest.fixture
def built(make_dataset: MakeDataset) -> Built:
    return Built(make_dataset, COMMANDS + MORE_COMMANDS)


# --- the damage --------------------------------------------------------------------


def open_cache(location: Path) -> sqlite3.Connection:
    """A connection to write damage into the cache with. A dataset reads in one
    transaction (see ``cache.read``), which holds off writers until it is gone; an
    exception's traceback can keep one alive in a cycle, so where one reads, the
    collector runs first."""
    with contextlib.closing(sqlite3.connect(location, timeout=0)) as probe:
        try:
            probe.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:
            gc.collect()
    return sqlite3.connect(location)


def page_size(location: Path) -> int:
    with open_cache(location) as db:
        size: int = db.execute("PRAGMA page_size").fetchone()[0]
    return size


def zero_page(number: int) -> Callable[[Path], None]:
    def damage(location: Path) -> None:
        size = page_size(location)
        with location.open("r+b") as stream:
            stream.seek((number - 1) * size)
            stream.write(b"\0" * size)

    return damage


def truncate_to(fraction: float) -> Callable[[Path], None]:
    def damage(location: Path) -> None:
        with location.open("r+b") as stream:
            stream.truncate(int(location.stat().st_size * fraction))

    return damage


def sql(statement: str, *parameters: Any) -> Callable[[Path], None]:
    def damage(location: Path) -> None:
        with open_cache(location) as db:
            changed = db.execute(statement, parameters).rowcount
        assert changed != 0, statement

    return damage


def both(*damages: Callable[[Path], None]) -> Callable[[Path], None]:
    def damage(location: Path) -> None:
        for one in damages:
            one(location)

    return damage


def test_a_sound_cache_answers_from_itself(built: Built) -> None:
    built.restore()
    for command in built.commands:
        assert answer(command) == built.expected[tuple(command)]
    assert built.location.read_bytes() == built.pristine, "no run rebuilt it"
    assert_sound(built.data)


def pages(location: Path) -> list[int]:
    """The first page of every table and index, and the page in the middle."""
    with open_cache(location) as db:
        roots = [page for (page,) in db.execute("SELECT rootpage FROM sqlite_master") if page]
        count = db.execute("PRAGMA page_count").fetchone()[0]
    return sorted({*roots, count // 2, count - 1})


def test_a_zeroed_page_anywhere_is_never_used(make_dataset: MakeDataset) -> None:
    built = Built(make_dataset, COMMANDS)
    met = [built.check(zero_page(page)) for page in pages(built.location)]
    assert sum(met) >= len(met), "most zeroed pages were met by some command"


def test_zeroed_pages_in_the_middle_are_never_used(built: Built) -> None:
    count = len(built.pristine) // page_size(built.location)
    assert built.check(both(*(zero_page(count // 2 + n) for n in range(3)))) > 0


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_a_truncated_cache_is_never_used(built: Built, fraction: float) -> None:
    met = built.check(truncate_to(fraction))
    # A few bytes off the end may take only a page no command reads.
    assert met == len(built.commands) if fraction < 0.5 else met > 0 or fraction > 0.99


WHERE_EVENT = "WHERE id = 'event-007'"
EVENT_ROW = f"FROM records {WHERE_EVENT}"


@pytest.mark.parametrize(
    "damage",
    [
        sql(f"UPDATE records SET data = 'not json at all' {WHERE_EVENT}"),
        sql(f"UPDATE records SET data = '[1, 2, 3]' {WHERE_EVENT}"),
        sql(f"UPDATE records SET data = 12345 {WHERE_EVENT}"),
        sql(f"UPDATE records SET data = NULL {WHERE_EVENT}"),
        sql(f"UPDATE records SET data = x'00ff' {WHERE_EVENT}"),
        sql(f"UPDATE records SET kind = 'person' {WHERE_EVENT}"),
        sql(f"UPDATE records SET kind = 'nonsense' {WHERE_EVENT}"),
        sql(f"UPDATE records SET sortday = 'soon' {WHERE_EVENT}"),
        sql(f"UPDATE records SET sortday = sortday + 4000 {WHERE_EVENT}"),
        sql(f"UPDATE records SET earliest = 1, latest = 2 {WHERE_EVENT}"),
        sql(f"UPDATE records SET tier = NULL {WHERE_EVENT}"),
        sql(f"UPDATE records SET tier = 11 {WHERE_EVENT}"),
        sql(f"UPDATE records SET id = 'event-997' {WHERE_EVENT}"),
        sql(f"UPDATE records SET idx = idx + 1 {WHERE_EVENT}"),
        sql(f"UPDATE records SET refs = '[]' {WHERE_EVENT}"),
        sql(f"UPDATE records SET idb = idb + 1 {WHERE_EVENT}"),
        sql(f"UPDATE records SET line = line + 1 {WHERE_EVENT}"),
        sql(f"UPDATE records SET chk = x'00' {WHERE_EVENT}"),
        # The pages of texts a search reads: an edited body, id list or end, a page
        # gone, one copied from another file, or a text moved to another record.
        sql(
            "UPDATE texts SET body = CAST(replace(CAST(body AS TEXT), 'summit', 'railway') AS BLOB)"
        ),
        sql("UPDATE texts SET body = CAST(body AS TEXT)"),
        sql("UPDATE texts SET ids = replace(ids, 'event-007', 'event-001')"),
        sql("UPDATE texts SET ends = replace(ends, ',', ',1')"),
        sql("DELETE FROM texts WHERE rowid IN (SELECT rowid FROM texts LIMIT 1)"),
        sql("INSERT INTO texts SELECT * FROM texts LIMIT 1"),
        sql("UPDATE texts SET seq = seq + 1"),
        sql("UPDATE texts SET chk = NULL"),
        sql("UPDATE texts SET kinds = replace(kinds, 'event', 'person')"),
        sql("UPDATE signatories SET status = 'signed' WHERE id = 'doc-05' AND country = 'az'"),
        sql("UPDATE signatories SET country = 'ru' WHERE id = 'doc-02' AND country = 'az'"),
        sql("UPDATE signatories SET title = 'Forged' WHERE id = 'doc-02'"),
        # What the pages say their records cite: the referrers of an id.
        sql("UPDATE texts SET targets = replace(targets, 'doc-05', 'doc-04')"),
        sql("UPDATE texts SET targets = replace(targets, 'doc-05', '')"),
        sql("UPDATE texts SET targets = replace(targets, char(30), char(31))"),
        sql("UPDATE texts SET tchk = NULL WHERE targets LIKE '%doc-05%'"),
        sql("UPDATE texts SET ids = replace(ids, 'event-006', 'event-007')"),
        sql("UPDATE counts SET body = '[]' WHERE space = 'ids'"),
        sql("UPDATE counts SET body = 'nonsense' WHERE space LIKE 'tier%'"),
        sql("UPDATE meta SET value = value || '0' WHERE key = 'built_ns'"),
        sql("UPDATE meta SET value = '{}' WHERE key = 'kinds'"),
        sql("UPDATE files SET size = size + 1"),
        # The generations that key the rows of each file, and the counts.
        sql("UPDATE files SET generation = generation || '0'"),
        sql("UPDATE meta SET value = value || '0' WHERE key = 'generation'"),
        sql("UPDATE signatories SET file = 'people.toml' WHERE id = 'doc-05'"),
        sql("UPDATE records SET file = 'people.toml' WHERE id = 'doc-05'"),
    ],
    ids=lambda damage: "",
)
def test_a_garbage_cell_is_never_used(built: Built, damage: Callable[[Path], None]) -> None:
    assert built.check(damage) > 0


def _forge(location: Path) -> None:
    """Change an event's title, keeping its old digest: a forged row."""
    with open_cache(location) as db:
        (data,) = db.execute(f"SELECT data {EVENT_ROW}").fetchone()
        forged = data.replace(b'"title":"', b'"title":"Forged ')
        assert forged != data
        db.execute("UPDATE records SET data = ? WHERE id = 'event-007'", (forged,))


def _swap_digests(location: Path) -> None:
    """Give two events each other's content, each with its own digest."""
    with open_cache(location) as db:
        rows = dict(
            db.execute("SELECT id, data FROM records WHERE id IN ('event-007', 'event-008')")
        )
        for record_id, other in (("event-007", "event-008"), ("event-008", "event-007")):
            db.execute("UPDATE records SET data = ? WHERE id = ?", (rows[other], record_id))


@pytest.mark.parametrize("damage", [_forge, _swap_digests], ids=["forged", "swapped"])
def test_a_forged_row_is_never_served(built: Built, damage: Callable[[Path], None]) -> None:
    assert built.check(damage) > 0


@pytest.mark.parametrize(
    "damage",
    [
        sql(f"DELETE {EVENT_ROW}"),
        sql("DELETE FROM records WHERE id = 'doc-05'"),
        sql("DELETE FROM records WHERE id = 'src-a'"),
        sql("DELETE FROM records WHERE kind = 'country' AND id = 'kz'"),
        sql("DELETE FROM records WHERE rowid = (SELECT max(rowid) FROM records)"),
        sql("DELETE FROM signatories WHERE id = 'doc-05' AND country = 'az'"),
        sql("DELETE FROM signatories WHERE country = 'az'"),
        sql("DELETE FROM counts WHERE space = 'ids'"),
        sql("DELETE FROM counts"),
        sql("DELETE FROM files"),
        sql("DELETE FROM meta WHERE key = 'wide'"),
        sql(f"INSERT INTO records SELECT * {EVENT_ROW}"),
        sql(
            "INSERT INTO signatories SELECT id, position + 10, country, status, note, sources,"
            " title, date, org, file, chk FROM signatories WHERE id = 'doc-05'"
        ),
    ],
    ids=lambda damage: "",
)
def test_a_row_gone_or_added_is_noticed(built: Built, damage: Callable[[Path], None]) -> None:
    assert built.check(damage) > 0


@pytest.mark.parametrize(
    "damage",
    [
        sql("DROP TABLE meta"),
        sql("DROP TABLE counts"),
        sql("DROP TABLE signatories"),
        sql("DROP INDEX records_chronology"),
        sql("DELETE FROM meta"),
    ],
    ids=lambda damage: "",
)
def test_a_table_or_index_gone_is_noticed(built: Built, damage: Callable[[Path], None]) -> None:
    assert built.check(damage) > 0


@pytest.mark.parametrize("index", ["records_id", "records_kind", "records_idb"])
def test_an_index_gone_changes_no_answer(built: Built, index: str) -> None:
    """SQLite reads the table instead: slower, and the same answers."""
    built.check(sql(f"DROP INDEX {index}"))


def test_an_index_that_points_at_the_wrong_rows_is_noticed(built: Built) -> None:
    """Tell SQLite that the index of kinds holds ids, and the index of ids kinds: a
    lookup by id then searches the index of kinds and finds nothing, which the
    bucket of the id shows to be wrong."""

    def damage(location: Path) -> None:
        with open_cache(location) as db:
            db.execute("PRAGMA writable_schema = ON")
            for name, columns in (("records_kind", "id, file, seq"), ("records_id", "kind")):
                db.execute(
                    "UPDATE sqlite_master SET sql = ? WHERE name = ?",
                    (f"CREATE INDEX {name} ON records ({columns})", name),
                )

    assert built.check(damage) > 0


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """An SQLite varint at ``at``: its value and where the next field starts."""
    value = 0
    for n in range(9):
        byte = data[at + n]
        if n == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + n + 1
    raise AssertionError("unreachable")


_WIDTHS = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}


def repoint(index: str, from_id: str, to_id: str) -> Callable[[Path], None]:
    """Make the entry of ``index`` for the row of ``from_id`` point at the row of
    ``to_id``, the index's keys and the rows themselves left as they are: an index
    damaged as a flipped byte would damage it. The index must fit one leaf page."""

    def damage(location: Path) -> None:
        with open_cache(location) as db:
            (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,))
            rowids = dict(db.execute("SELECT id, rowid FROM records"))
        size, start = page_size(location), (root[0] - 1) * page_size(location)
        raw = bytearray(location.read_bytes())
        page = bytes(raw[start : start + size])
        assert page[0] == 0x0A, "a single leaf page"
        for cell in range(int.from_bytes(page[3:5], "big")):
            at = int.from_bytes(page[8 + 2 * cell : 10 + 2 * cell], "big")
            _, at = _varint(page, at)  # the payload's size
            header_size, body = _varint(page, at)
            types, field = [], body
            while field < at + header_size:
                kind, field = _varint(page, field)
                types.append(kind)
            value = at + header_size
            for kind in types[:-1]:
                value += _WIDTHS.get(kind, (kind - 12) // 2 if kind >= 12 else 0)
            width = _WIDTHS[types[-1]]
            if width and int.from_bytes(page[value : value + width], "big") == rowids[from_id]:
                raw[start + value : start + value + width] = rowids[to_id].to_bytes(width, "big")
                location.write_bytes(bytes(raw))
                return
        raise AssertionError(f"no entry of {index} for {from_id}")

    return damage


@pytest.mark.parametrize(
    ("index", "from_id", "to_id"),
    [
        ("records_id", "doc-05", "doc-06"),
        ("records_id", "event-007", "event-008"),
        ("records_kind", "doc-05", "event-007"),
        ("records_kind", "event-007", "event-008"),
        ("records_order", "event-007", "event-009"),
        ("records_chronology", "event-007", "event-008"),
        ("records_chronology", "event-010", "doc-05"),
        ("records_tier", "event-007", "event-008"),
        ("records_tier", "event-019", "event-007"),
        ("records_idb", "event-007", "event-008"),
    ],
)
def test_an_index_entry_pointing_at_another_row_is_noticed(
    built: Built, index: str, from_id: str, to_id: str
) -> None:
    """Every row read is genuine, but not the one asked for, or not in its place (a
    command that looks the record up another way never meets the damage)."""
    built.check(repoint(index, from_id, to_id))


def test_an_index_entry_pointing_at_another_row_is_noticed_by_each_method(
    make_dataset: MakeDataset,
) -> None:
    data = make_dataset(damage_dataset())
    files = load(data)
    cache.load(data)
    location = cache.cache_file(data)
    pristine = location.read_bytes()
    for index in ("records_id", "records_kind", "records_order", "records_idb"):
        for name, view in VIEWS.items():
            location.write_bytes(pristine)
            repoint(index, "event-007", "doc-05")(location)
            dataset = cache.read(data)
            assert dataset is not None
            assert view(dataset) == view(files), (index, name)


# --- a stream that meets the damage halfway ----------------------------------------


def test_a_timeline_damaged_halfway_goes_on_from_the_files(make_dataset: MakeDataset) -> None:
    """The first records come from the cache, the rest from the files, each once, in
    order: a damaged row late in the chronology is met after many were given."""
    data = make_dataset(damage_dataset())
    expected = [(r.id, str(r.date)) for r in load(data).dated_candidates(None, None)]
    answer(["timeline", "--json"])
    location = cache.cache_file(data)
    with open_cache(location) as db:
        (late,) = db.execute("SELECT id FROM records WHERE tier IS NOT NULL "
                             "ORDER BY sortday DESC, id DESC LIMIT 1 OFFSET 3").fetchone()  # fmt: skip
    for reverse in (False, True):
        _forge_title(location, late)
        dataset = cache.read(data)
        assert isinstance(dataset, cache.CachedDataset)
        stream = iter(dataset.dated_candidates(None, None, reverse=reverse))
        first = next(stream)
        first_from_cache = not dataset.fell_back
        given_records = [first, *stream]
        wanted = list(reversed(expected)) if reverse else expected
        assert [(r.id, str(r.date)) for r in given_records] == wanted
        assert dataset.fell_back
        if not reverse:
            # The first records came from the cache, the rest from the files.
            assert first_from_cache
        assert_sound(data)
        # A dataset reads in one transaction, which would hold off the next forgery.
        del stream, dataset


def _forge_title(location: Path, record_id: str) -> None:
    with open_cache(location) as db:
        (data,) = db.execute("SELECT data FROM records WHERE id = ?", (record_id,)).fetchone()
        forged = data.replace(b'"title":"', b'"title":"F ').replace(b'"name":"', b'"name":"F ')
        assert forged != data
        db.execute("UPDATE records SET data = ? WHERE id = ?", (forged, record_id))


PERIOD = (dt.date(1996, 1, 1), dt.date(1997, 6, 30))
VIEWS: dict[str, Callable[[Any], Any]] = {
    "get": lambda d: d.get("doc-05").to_json(),
    "missing": lambda d: d.get("no-such-record"),
    "contains": lambda d: "event-007" in d,
    "getitem": lambda d: d["event-008"].title,
    "len": len,
    "iter": lambda d: [record.id for record in d],
    "events": lambda d: sorted(d.events),
    "of kind": lambda d: [record.id for record in d.of_kind("document")],
    "origin": lambda d: str(d.origin("event-007")),
    "references": lambda d: [r.target for r in d.references(d["event-007"])],
    "referrers": lambda d: sorted(r.id for r, _ in d.referrers("src-a")),
    "dated": lambda d: [r.id for r in d.dated_candidates(None, None)],
    "dated range": lambda d: query.timeline(
        d, query.TimelineFilter(period=query.Period(*PERIOD), search="summit")
    ),
    "latest first": lambda d: [r.id for r in d.dated_candidates(None, None, reverse=True)],
    "signing": lambda d: query.signatures(d, countries=["az"]),
}


@pytest.mark.parametrize("first", list(VIEWS))
def test_every_method_answers_as_the_files_after_damage(
    make_dataset: MakeDataset, first: str
) -> None:
    """Through the library: whichever method meets the damage first, it and every other
    answer as the dataset loaded from the files does."""
    data = make_dataset(damage_dataset())
    files = load(data)
    answer(["timeline", "--json"])
    location = cache.cache_file(data)
    pristine = location.read_bytes()
    damages: list[Callable[[Path], None]] = [
        *(functools.partial(_forge_title, record_id=r) for r in ("event-007", "doc-05", "kz")),
        *(sql(f"DELETE FROM records WHERE id = '{r}'") for r in ("event-007", "doc-05", "kz")),
    ]
    for damage in damages:
        location.write_bytes(pristine)
        damage(location)
        dataset = cache.read(data)
        assert dataset is not None
        assert VIEWS[first](dataset) == VIEWS[first](files), (first, damage)
        assert {name: view(dataset) for name, view in VIEWS.items()} == {
            name: view(files) for name, view in VIEWS.items()
        }
        assert_sound(data)
        del dataset  # its read transaction would hold off the next damage


# --- a refresh reads the rows it keeps ----------------------------------------------

LATER = """\
[[event]]
id = "later"
date = "2031-05-06"
title = "A later railway summit"
kind = "summit"
sources = ["src-a"]
"""


def test_a_refresh_keeps_answering_as_the_files(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new file with a day later than any before: only it is read, and the cache
    that results holds it (among the wide records, beyond the buckets of days)."""
    data = make_dataset(damage_dataset())
    cache.load(data)
    read = files_read(monkeypatch)
    (data / "later.toml").write_text(LATER, encoding="utf-8")
    commands = [*COMMANDS, *MORE_COMMANDS, ["timeline", "--from", "2030", "--json"]]

    answers = [answer(command) for command in commands]

    assert read == ["later.toml"]
    assert answers == [answer(command, "--no-cache") for command in commands]
    assert '"id": "later"' in answers[-1][1]
    assert_sound(data)


@pytest.mark.parametrize("forged", ["doc-05", "kz", "event-007"])
def test_a_refresh_never_serves_a_damaged_row_it_kept(
    make_dataset: MakeDataset, forged: str
) -> None:
    """A refresh keeps the rows of the files that did not change, digests and all: a
    forged one among them is found when it is read, as in any cache."""
    data = make_dataset(damage_dataset())
    cache.load(data)
    _forge_title(cache.cache_file(data), forged)
    (data / "later.toml").write_text(LATER, encoding="utf-8")

    answers = [answer(command) for command in [*COMMANDS, *MORE_COMMANDS]]

    assert answers == [answer(command, "--no-cache") for command in [*COMMANDS, *MORE_COMMANDS]]
    assert_sound(data)


GHOST = LATER.replace('sources = ["src-a"]', 'people = ["{ghost}"]\nsources = ["src-a"]')


def ghost_beside(location: Path, record_id: str) -> str:
    """An id in the same bucket of ids as ``record_id``, so that a cache renaming one
    to the other keeps every count the header holds."""
    with open_cache(location) as db:
        (buckets,) = db.execute("SELECT value FROM meta WHERE key = 'id_buckets'").fetchone()
    wanted = cache._id_bucket(record_id, int(buckets))
    names = (f"ghost-{n}" for n in itertools.count())
    return next(name for name in names if cache._id_bucket(name, int(buckets)) == wanted)


@pytest.mark.parametrize(
    "damage",
    [
        # A person who is not in any file, made from a real one.
        "INSERT INTO records SELECT '{ghost}', kind, data, tier, earliest, latest, sortday, chk,"
        " file, idx, seq, refs, idb, line, pchk FROM records WHERE id = 'envoy-1'",
        "UPDATE records SET id = '{ghost}' WHERE id = 'envoy-1'",
        # Or on the pages of texts, where a refresh reads the ids and kinds stored.
        "UPDATE texts SET ids = replace(ids, 'envoy-1', '{ghost}')",
        "UPDATE texts SET kinds = replace(kinds, 'person', 'event') WHERE file = 'people.toml'",
        "INSERT INTO texts SELECT file, seq + 100, '{ghost}', 'person', targets, tchk, ends,"
        " body, chk"
        " FROM texts WHERE file = 'people.toml'",
        "DELETE FROM texts WHERE file = 'people.toml'",
    ],
    ids=["added", "renamed", "page renamed", "page of another kind", "page added", "page gone"],
)
def test_a_refresh_validates_against_the_ids_stored_not_forged_ones(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """The new file names a person only the damaged cache holds: a refresh that took
    the cache's word for its ids would call the dataset valid. The ghost sits in the
    bucket of the person it replaces, so that only the digests can tell."""
    data = make_dataset(damage_dataset())
    cache.load(data)
    ghost = ghost_beside(cache.cache_file(data), "envoy-1")
    sql(damage.format(ghost=ghost))(cache.cache_file(data))
    read = files_read(monkeypatch)
    (data / "later.toml").write_text(GHOST.format(ghost=ghost), encoding="utf-8")

    cached, uncached = answer(["timeline", "--json"]), answer(["timeline", "--json"], "--no-cache")

    assert cached == uncached
    assert cached[0] == 1 and f"no person with id '{ghost}'" in cached[2]
    assert sorted(set(read)) == sorted(p.name for p in data.glob("*.toml"))


# --- files the user can no longer read ---------------------------------------------


def test_a_data_file_that_became_unreadable_is_reported_as_without_the_cache() -> None:
    """Run as a user for whom permission bits count (root reads any file)."""
    command = as_another_user()
    base = Path(tempfile.mkdtemp(prefix="cislog-unreadable-"))
    try:
        base.chmod(0o755)
        data, cached = write_minimal(base), base / "cache"
        cached.mkdir()
        an_hour_ago = time.time() - 3600
        for path in (data, cached, *data.iterdir()):
            os.chown(path, 65534, 65534)
            # Older than the cache by far, so that no read of it hashes the files again
            # (which would find the file unreadable by chance).
            os.utime(path, (an_hour_ago, an_hour_ago))
        environment = {**os.environ, "CISLOG_CACHE_DIR": str(cached), "NO_COLOR": "1"}
        environment.pop("CISLOG_DATA", None)

        def run(*arguments: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*command, "--data", str(data), *arguments],
                capture_output=True, text=True, env=environment, cwd=base, timeout=120,
            )  # fmt: skip

        first = run("timeline", "--json")
        if first.returncode != 0 and "Permission denied" in first.stderr:
            pytest.skip(f"cislog cannot run as another user here: {first.stderr[-200:]}")
        assert first.returncode == 0, first.stderr
        assert list(cached.glob("*.sqlite")), "the cache was built"

        (data / "events.toml").chmod(0)
        with_cache, without = run("timeline", "--json"), run("--no-cache", "timeline", "--json")

        assert with_cache.returncode == without.returncode == 1
        assert "cannot read: Permission denied" in with_cache.stderr
        assert (with_cache.stdout, with_cache.stderr) == (without.stdout, without.stderr)
        # And with no cache at all, as after the cache directory was cleared.
        for stale in cached.glob("*.sqlite"):
            stale.unlink()
        fresh = run("timeline", "--json")
        assert (fresh.returncode, fresh.stdout, fresh.stderr) == (
            without.returncode, without.stdout, without.stderr,
        )  # fmt: skip
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --- any damage at all -------------------------------------------------------------


def _cells(location: Path) -> list[tuple[str, str, str, tuple[Any, ...]]]:
    """Every cell of every table: table, column, and the condition that finds its row."""
    cells = []
    with open_cache(location) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master "
                                                  "WHERE type = 'table'")]  # fmt: skip
        for table in tables:
            columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
            if table == "signatories":
                keys = db.execute("SELECT country, id, position FROM signatories").fetchall()
                where = "country = ? AND id = ? AND position = ?"
            else:
                keys = db.execute(f"SELECT rowid FROM {table}").fetchall()
                where = "rowid = ?"
            cells += [(table, column, where, tuple(key)) for key in keys for column in columns]
    return cells


VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.text(max_size=20),
    st.binary(max_size=20),
    st.sampled_from(["{}", "[]", '{"id": "doc-05"}', "event", "document", "1"]),
)
DAMAGE = st.one_of(
    st.tuples(st.just("page"), st.floats(min_value=0, max_value=1)),
    st.tuples(
        st.just("bytes"),
        st.lists(
            st.tuples(st.floats(min_value=0, max_value=1), st.binary(min_size=1, max_size=16)),
            min_size=1,
            max_size=6,
        ),
    ),
    st.tuples(st.just("truncate"), st.floats(min_value=0, max_value=1, exclude_max=True)),
    st.tuples(st.just("cell"), st.floats(min_value=0, max_value=1), VALUES),
    st.tuples(st.just("delete"), st.floats(min_value=0, max_value=1)),
)


def _apply(damage: tuple[Any, ...], location: Path, cells: list[Any]) -> None:
    kind, where, *rest = damage
    size = location.stat().st_size
    if kind == "page":
        zero_page(1 + int(where * (size // page_size(location) - 1)))(location)
    elif kind == "bytes":
        with location.open("r+b") as stream:
            for at, junk in where:
                stream.seek(int(at * (size - 1)))
                stream.write(junk)
    elif kind == "truncate":
        truncate_to(where)(location)
    else:
        table, column, condition, key = cells[int(where * (len(cells) - 1))]
        with open_cache(location) as db:
            if kind == "cell":
                db.execute(f"UPDATE {table} SET {column} = ? WHERE {condition}", (*rest, *key))
            else:
                db.execute(f"DELETE FROM {table} WHERE {condition}", key)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    damage=DAMAGE,
    commands=st.lists(
        st.sampled_from(COMMANDS + MORE_COMMANDS + OTHER_COMMANDS), min_size=1, max_size=3
    ),
)
def test_any_damage_gives_the_answers_of_the_files(
    make_dataset: MakeDataset, damage: tuple[Any, ...], commands: list[list[str]]
) -> None:
    built = _shared(make_dataset)
    cells = _cells(built.location) if damage[0] in ("cell", "delete") else []
    for command in commands:
        built.restore()
        try:
            _apply(damage, built.location, cells)
        except sqlite3.Error:
            return  # SQLite refused to make the change (a constraint), so no damage
        assert answer(command) == built.expected[tuple(command)], (command, damage)
    built.restore()


_BUILT: dict[Path, Built] = {}


def _shared(make_dataset: MakeDataset) -> Built:
    """One dataset and cache for all the examples of a test (they restore the cache)."""
    key = Path.cwd()
    if key not in _BUILT:
        _BUILT.clear()
        _BUILT[key] = Built(make_dataset, COMMANDS + MORE_COMMANDS + OTHER_COMMANDS)
    return _BUILT[key]


# A dataset whose ids are all digits, as slugs may be: a number read back in place of
# one must fail its row's digest, as any cell of another type does.
DIGIT_IDS = {
    "lone.toml": '[[person]]\nid = "1234"\nname = "Railway Pat"\nsources = ["src-a"]\n',
    "digits.toml": (
        '[[event]]\nid = "1993"\ndate = "1993-05-01"\ntitle = "Railway talks"\n'
        'kind = "meeting"\npeople = ["1234"]\nsources = ["src-a"]\n'
    ),
}


def loosen(table: str, column: str, where: str) -> Callable[[Path], None]:
    """``table`` made again with no type for any column (as a tool copying it may), its
    indexes as they were, and ``column`` made a number where ``where`` holds."""

    def damage(location: Path) -> None:
        with open_cache(location) as db:
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            indexes = [
                sql
                for (sql,) in db.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                    "AND sql IS NOT NULL",
                    (table,),
                )
            ]
            db.executescript(
                f"CREATE TABLE loose ({', '.join(columns)});"
                f"INSERT INTO loose SELECT * FROM {table}; DROP TABLE {table};"
                f"ALTER TABLE loose RENAME TO {table};" + ";".join(indexes)
            )
            changed = db.execute(
                f"UPDATE {table} SET {column} = CAST({column} AS INTEGER) WHERE {where}"
            ).rowcount
        assert changed == 1, (table, column)

    return damage


@pytest.mark.parametrize(
    "damage",
    [
        loosen("texts", "ids", "file = 'lone.toml'"),
        loosen("texts", "ends", "file = 'lone.toml'"),
        loosen("records", "id", "id = '1234'"),
        loosen("records", "id", "id = '1993'"),
        loosen("texts", "targets", "file = 'digits.toml'"),
    ],
    ids=["page ids", "page ends", "person id", "event id", "targets"],
)
def test_an_id_read_back_as_a_number_is_never_used(
    make_dataset: MakeDataset, damage: Callable[[Path], None]
) -> None:
    data = make_dataset(DIGIT_IDS)
    commands = [
        ["search", "railway", "--json"],
        ["timeline", "--search", "railway", "--json"],
        ["timeline", "--json"],
        ["show", "1234", "--json"],
        ["show", "1993", "--json"],
    ]
    wanted = [answer(command, "--no-cache") for command in commands]
    assert all(code == 0 for code, _, _ in wanted)
    cache.load(data)
    damage(cache.cache_file(data))

    assert [answer(command) for command in commands] == wanted
