"""A cache of the validated dataset that can never be stale and never lie.

Reading and validating TOML is the slow part of every command. The cache
keeps the validated records of a dataset directory in one SQLite file under
the user's cache directory, with each data file's name, size, modification
time and SHA-256. It is used only when every data file still matches and can
still be read: any change to any file (edited, added, removed, renamed, made
unreadable) is seen on the next run. A file modified within two seconds of
the cache's building is hashed again, because a second change in the same
clock tick leaves size and time alike.

The cache is an optimisation and nothing more: a missing, corrupt, truncated,
outdated or unwritable cache is rebuilt or skipped, never an error and never
a wrong answer. It is written to a temporary file and renamed into place, so
two processes building it at once each leave a whole file. A refresh after a
change updates it in one transaction instead, which waits for its readers,
each of which reads in one transaction of its own.

A readable file can still be damaged (a zeroed page, a garbage row, a row
gone), and SQLite does not notice most of that. So everything the cache
answers is checked as it is read:

- every row carries a digest of its columns, keyed by a random salt drawn
  for each build and by its file's generation, drawn again whenever a
  refresh rewrites that file's rows (a row from another build or from
  before a refresh, or edited in place, fails it); the header (``meta``,
  the files' fingerprints and generations) carries one of its own;
- every answer proves it is whole: the header counts the records of each
  kind, of each bucket of ids and of days, and each country's signatories,
  and a query that reads a set of rows checks it read them all, once, in
  order. A lookup that finds nothing reads the id's bucket to prove the id
  is not there. A search reads the folded texts alone, kept apart a page of
  records at a time, and counts the records the pages hold; a lookup of who
  names a record reads what the pages say their records cite, the same way.

Any failure (an SQLite error, a row that fails its digest or does not decode,
a count that does not add up) is damage: the cache is deleted, the dataset is
read from the files and the cache rebuilt, once, and the answer goes on from
the files, where a streamed one left off. The caller never sees the damage.

The digests detect damage, not a forger who has read the salt from the file:
whoever can rewrite the user's cache can also rewrite the user's files.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import os
import shutil
import sqlite3
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any, Concatenate, Literal, NamedTuple, ParamSpec, TypeVar, cast

import orjson

from cislog import dates
from cislog.datadir import DataDirError, resolve_data_dir
from cislog.datafiles import scan
from cislog.dataset import ByKind, Dataset, Origin
from cislog.kinds import SIGNATORY_STATUSES, RecordKind, Reference
from cislog.records import Document, Record, Signatory, SigningDocument, from_json

FORMAT = 19
RACY_NANOSECONDS = 2_000_000_000
ENV_DIR = "CISLOG_CACHE_DIR"
ENV_OFF = "CISLOG_NO_CACHE"


def cache_dir() -> Path:
    """``$CISLOG_CACHE_DIR``, else ``$XDG_CACHE_HOME/cislog``, else ``~/.cache/cislog``."""
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cislog"


# The words $CISLOG_NO_CACHE takes, as Click reads a flag's environment variable:
# read here only, for the library and the CLI's --no-cache alike.
_TRUE = frozenset(("1", "true", "t", "yes", "y", "on"))
_FALSE = frozenset(("", "0", "false", "f", "no", "n", "off"))


def cache_disabled() -> bool:
    """Whether ``$CISLOG_NO_CACHE`` turns the cache off: ``1``, ``true``, ``yes``, ``on``
    do, ``0``, ``false``, ``no``, ``off`` and unset do not, as for ``--no-cache``."""
    value = os.environ.get(ENV_OFF, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise DataDirError(f"${ENV_OFF} is {value!r}: give 1 or 0 (true or false, yes or no)")


def _compact(value: Any) -> str:
    """JSON text for a column: compact, UTF-8, written at C speed (one dump a record
    is most of what building rows costs)."""
    return orjson.dumps(value).decode()


def cache_file(directory: Path) -> Path:
    key = hashlib.sha256(str(directory.resolve()).encode("utf-8")).hexdigest()[:24]
    return cache_dir() / f"{key}.sqlite"


@functools.cache
def _code_stamp() -> str:
    """Changes whenever cislog's own code does, so a new version never reads an old cache.

    Taken once a process: an outdated cache asks for it up to three times (read,
    refresh, read again), and the code does not change under a running command.
    """
    parts = []
    pending = [(str(Path(__file__).parent), "")]
    while pending:  # os.scandir, not Path.rglob: every run takes the stamp
        directory, prefix = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir() and entry.name != "__pycache__":
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.name.endswith(".py"):
                    stat = entry.stat()
                    parts.append(f"{prefix}{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(parts)).encode("utf-8")).hexdigest()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _matches(path: Path, fingerprint: tuple[int, int, str], built: int) -> bool:
    """Whether a data file is still the one fingerprinted for a cache built at ``built``:
    the same size and mtime, and, if it was modified within two seconds of the
    build (a second change in the same clock tick keeps both), the same SHA-256."""
    size, mtime, digest = fingerprint
    stat = path.stat()
    if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
        return False
    return mtime < built - RACY_NANOSECONDS or _digest(path) == digest


def _readable(path: Path) -> bool:
    """Whether this process may read the file now: a file the user can no longer read
    is left to the loader, whose message says so, rather than answered from the cache.

    Opened rather than tested with ``os.access``, which asks for the real user and
    not the effective one; non-blocking, so that a pipe put in its place cannot hang.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    os.close(handle)
    return True


def _data_files(directory: Path) -> dict[str, Path]:
    """The data files, as every reader lists them (see :mod:`cislog.datafiles`)."""
    return scan(directory).files


class _FileLines:
    """Line numbers of a data file, indexed only if a line is asked for."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._index: Any = None

    def line_of(self, path: tuple[str | int, ...]) -> int:
        if self._index is None:
            from cislog.locate import LineIndex

            self._index = LineIndex(self._path.read_text(encoding="utf-8-sig"))
        line: int = self._index.line_of(path)
        return line


class _KnownLine:
    """The line of a record as the cache stored it."""

    def __init__(self, line: int) -> None:
        self._line = line

    def line_of(self, path: tuple[str | int, ...]) -> int:
        return self._line


# --- checks -------------------------------------------------------------------------


class Damage(Exception):
    """The cache does not hold what was stored in it: a row fails its digest or does not
    decode, or an answer is missing rows its counts say it has."""


# What reading a damaged cache can raise: SQLite's errors, JSON's (a ValueError), a
# check that failed, and a cell of the wrong type or length meeting the code that
# reads it.
_DAMAGE = (sqlite3.Error, Damage, ValueError, TypeError, IndexError)


class _Seal:
    """The digests of stored rows: BLAKE2b of their values, keyed by the build's salt.

    A row of a data file is keyed by that file's generation too, a nonce the header
    holds beside the file's fingerprint and draws again whenever the file's rows
    are written, as the counts are by a nonce drawn with each header. A refresh
    keeps the salt, so without the generations a row from before it (left by a
    lost write, or copied back) would pass in place of its successor.

    ``repr`` of the tuple tells a number from a string and NULL from "None", so a
    cell that changed type fails as surely as one that changed value.
    """

    def __init__(self, salt: bytes, generations: dict[str, str], counts: str) -> None:
        self.salt = salt
        self.generations = generations
        self.counts = counts
        self._keyed = hashlib.blake2b(key=salt, digest_size=16)
        self._by_file: dict[str, hashlib.blake2b] = {}
        self._counted = self._derived(("counts", counts))

    @classmethod
    def drawn(cls, files: Iterable[str]) -> _Seal:
        """The seal of a new build of ``files``."""
        return cls(os.urandom(16), {name: _nonce() for name in files}, _nonce())

    def renewed(self, files: Iterable[str], touched: Iterable[str]) -> _Seal:
        """The seal of a refresh: the same salt, the generations of ``files`` kept but
        for those ``touched``, drawn again, and new counts."""
        again = set(touched)
        return _Seal(
            self.salt,
            {name: _nonce() if name in again else self.generations[name] for name in files},
            _nonce(),
        )

    def _derived(self, values: tuple[str, str]) -> hashlib.blake2b:
        key = hashlib.blake2b(repr(values).encode("utf-8", "surrogatepass"), key=self.salt)
        return hashlib.blake2b(key=key.digest(), digest_size=16)

    def _of(self, file: Any) -> hashlib.blake2b:
        """The keyed digest for the rows of ``file``; Damage for a file not in the header."""
        keyed = self._by_file.get(file)
        if keyed is None:
            generation = self.generations.get(file) if isinstance(file, str) else None
            if generation is None:
                raise Damage(f"a row of a file the cache does not hold: {file!r}")
            keyed = self._by_file[file] = self._derived((file, generation))
        return keyed.copy()

    def __call__(self, values: tuple[Any, ...]) -> bytes:
        """The digest of the header, which holds the generations."""
        digest = self._keyed.copy()
        digest.update(repr(values).encode("utf-8"))
        return digest.digest()

    def space(self, space: str, body: str) -> bytes:
        """The digest of a row of ``counts``."""
        digest = self._counted.copy()
        digest.update(repr((space, body)).encode("utf-8"))
        return digest.digest()

    # A record's row has two digests, so that a timeline reads only the columns it
    # shows and sorts on: one of its content (``_CONTENT``), one of where it was read
    # from and what it refers to (``_PLACE``). Both are made without ``repr`` of the
    # long columns, which would cost as much as the digest: the text columns are
    # joined by a control character that ids, kinds and file names cannot hold, the
    # numbers and the ids go through ``repr`` (an id may be all digits, as a number
    # read back reads), and the record's JSON, stored as bytes, goes in as it is. A
    # text cell read back as a number or NULL still fails: no kind or file name
    # reads "None" or a bare number, and a JSON cell of any other type than bytes
    # cannot be digested at all.

    def content(self, row: Sequence[Any]) -> bytes:
        """The digest of a content row (``_CONTENT`` without ``chk``); its file picks the key."""
        digest = self._of(row[7])
        head = f"{row[0]!r}\x1f{row[1]}\x1f{row[3]!r},{row[4]!r},{row[5]!r},{row[6]!r}\x1f"
        digest.update(head.encode("utf-8", "surrogatepass"))
        digest.update(row[2])  # the JSON, stored as bytes: a cell of another type fails here
        return digest.digest()

    def place(self, record_id: str, kind: str, row: Sequence[Any]) -> bytes:
        """The digest of a record's place: ``row`` is its file, then ``_PLACE`` without
        ``pchk``."""
        digest = self._of(row[0])
        text = (
            f"{record_id!r}\x1f{kind}\x1f{row[0]}\x1f{row[3]}\x1f"
            f"{row[1]!r},{row[2]!r},{row[4]!r},{row[5]!r}"
        )
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def page(self, file: str, seq: int, ids: str, kinds: str, ends: str, body: bytes) -> bytes:
        """The digest of a page of texts (``_PAGE`` without ``chk``): read whole by every
        search, so made without ``repr`` of the texts, which would escape them first.
        The ids, kinds and ends (``repr``, so that one read back as a number fails)
        hold no separator, and the body comes last, so no two pages join into the
        same bytes."""
        digest = self._of(file)
        head = f"page\x1f{file}\x1f{seq!r}\x1f{ids!r}\x1f{kinds!r}\x1f{ends!r}\x1f"
        digest.update(head.encode("utf-8", "surrogatepass"))
        digest.update(body)  # bytes: a cell of another type fails here
        return digest.digest()

    def cited(self, file: str, seq: int, ids: str, targets: str) -> bytes:
        """The digest of what a page's records cite (``_CITED`` without ``tchk``), apart
        from its texts, so that a lookup of referrers reads no text. The targets,
        the long part, go in last and as they are (``repr`` would escape every
        separator first): a cell of another type than text fails here."""
        if not isinstance(targets, str):
            raise Damage("a page of citations that is not text")
        digest = self._of(file)
        digest.update(f"cited\x1f{file}\x1f{seq!r}\x1f{ids!r}\x1f".encode("utf-8", "surrogatepass"))
        digest.update(targets.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def signatory(self, row: Sequence[Any]) -> bytes:
        """The digest of a row of ``signatories`` (``_SIGNATORY`` without ``chk``)."""
        digest = self._of(row[9])
        digest.update(repr(tuple(row)).encode("utf-8", "surrogatepass"))
        return digest.digest()

    def verify_signatory(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """A row of ``signatories`` without its digest, which must be that of the others."""
        values = row[:-1]
        if self.signatory(values) != row[-1]:
            raise Damage("a signatory fails its digest")
        return values

    def verify_content(self, row: Sequence[Any]) -> None:
        """Check the first columns of a row selected as ``_CONTENT``."""
        if self.content(row) != row[8]:
            raise Damage("a record's content fails its digest")

    def verify_place(self, row: Sequence[Any]) -> None:
        """Check the columns of a row selected as ``_RECORD`` that follow its content."""
        if self.place(row[0], row[1], (row[7], *row[9:14])) != row[14]:
            raise Damage("a record's place fails its digest")


def _nonce() -> str:
    return os.urandom(8).hex()


# Each dated record sits in the first tier whose reach (days from the first to the
# last day its date may fall on) holds its own, or among the wide ones. A query for a
# range of days reads each tier only within its reach of the range, so a day-precise
# event is read only if it falls in the range and a year-precise one within a year.
TIERS = (0, 1, 3, 7, 31, 92, 366, 731, 1462, 3653, 36525)
WIDE = len(TIERS)
# Counts are kept for up to this many buckets of ids, and of days.
_MAX_BUCKETS = 4096
_ROWS_PER_ID_BUCKET = 16
_ROWS_PER_DAY_BUCKET = 8


def _tier(first: int | None, last: int | None, day: int) -> int:
    """The tier of a date that may fall from ``first`` to ``last`` and sorts on ``day``."""
    if first is None or last is None or not first <= day <= last:
        return WIDE
    span = last - first
    return next((i for i, reach in enumerate(TIERS) if span <= reach), WIDE)


def _id_bucket(record_id: str, buckets: int) -> int:
    return zlib.crc32(record_id.encode("utf-8", "surrogatepass")) % buckets


class _Days(NamedTuple):
    """Buckets of days: ``buckets`` buckets of ``width`` days from day ``first``, the
    same for every tier, so that one chronological stream passes the buckets of all
    tiers together."""

    first: int = 0
    width: int = 1
    buckets: int = 0

    def bucket(self, day: int) -> int:
        return (day - self.first) // self.width

    def holds(self, day: int) -> bool:
        return 0 <= self.bucket(day) < self.buckets


_NO_DAYS = _Days()


class _Tally:
    """How many rows the cache holds, by every grouping an answer is checked against.

    Kept in the header and checked there; rebuilt from the rows when a refresh
    reads them all, so a refresh never carries a damaged cache forward. (A plain
    class: a dataclass would cost more to create at every start than it saves.)
    """

    __slots__ = ("days", "id_buckets", "ids", "kinds", "records", "signatories", "tiers", "wide")

    def __init__(
        self,
        id_buckets: int,
        days: _Days = _NO_DAYS,
        records: int = 0,
        wide: int = 0,
        kinds: Counter[str] | None = None,
        ids: list[int] | None = None,
        tiers: dict[int, list[int]] | None = None,
        signatories: Counter[str] | None = None,
    ) -> None:
        self.id_buckets = id_buckets
        self.days = days
        self.records = records
        self.wide = wide
        self.kinds: Counter[str] = Counter() if kinds is None else kinds
        self.ids: list[int] = ids or [0] * id_buckets
        # Each tier's records by bucket of days.
        self.tiers: dict[int, list[int]] = {} if tiers is None else tiers
        self.signatories: Counter[str] = Counter() if signatories is None else signatories

    def add(self, kind: str, tier: int | None, day: int | None, idb: int, by: int = 1) -> None:
        """Count a record of ``kind`` in id bucket ``idb``, dated in ``tier`` (None if
        undated) and sorting on ``day`` (or, with ``by=-1``, count it no more)."""
        self.records += by
        self.kinds[kind] += by
        self.ids[idb] += by
        if tier == WIDE:
            self.wide += by
        elif tier is not None:
            if day is None or not self.days.holds(day) or tier not in range(WIDE):
                raise Damage("a record outside the buckets of days")
            counts = self.tiers.get(tier)
            if counts is None:
                counts = self.tiers[tier] = [0] * self.days.buckets
            counts[self.days.bucket(day)] += by

    def copy(self) -> _Tally:
        return _Tally(
            self.id_buckets,
            self.days,
            self.records,
            self.wide,
            Counter(self.kinds),
            list(self.ids),
            {tier: list(counts) for tier, counts in self.tiers.items()},
            Counter(self.signatories),
        )

    def placed(self, first: int | None, last: int | None, day: int) -> int:
        """The tier of a record, or WIDE if the buckets of days do not hold its day (a
        refresh adding a day later than any before)."""
        tier = _tier(first, last, day)
        return tier if self.days.holds(day) else WIDE

    def meta(self) -> dict[str, str]:
        return {
            "records": str(self.records),
            "wide": str(self.wide),
            "kinds": _compact(dict(sorted((k, n) for k, n in self.kinds.items() if n))),
            "signatories": _compact(dict(sorted((c, n) for c, n in self.signatories.items() if n))),
            "id_buckets": str(self.id_buckets),
            "days": _compact([self.days.first, self.days.width, self.days.buckets]),
            "tiers": _compact(sorted(t for t, counts in self.tiers.items() if any(counts))),
        }

    def spaces(self) -> dict[str, str]:
        """The counts too long for the header, stored a row each and read when needed."""
        spaces = {"ids": _compact(self.ids)}
        for tier, counts in self.tiers.items():
            if any(counts):
                spaces[f"tier{tier}"] = _compact(counts)
        return spaces

    def negative(self) -> bool:
        """Whether a count fell below zero: rows were taken away that were not counted."""
        counts = [self.records, self.wide, *self.kinds.values(), *self.ids]
        counts += [*self.signatories.values(), *(n for c in self.tiers.values() for n in c)]
        return min(counts) < 0


class _Deferred(_Tally):
    """The tally of a build that stores each file as it is read, before the dates of
    the files after it are known. A record's tier is its own date's, as in a build
    from all the records (whose buckets of days hold every date short of the wide);
    its count waits for the buckets of days, planned once every file is stored."""

    __slots__ = ("_pending",)

    def __init__(self, id_buckets: int) -> None:
        super().__init__(id_buckets)
        self._pending: list[tuple[str, int | None, int | None, int]] = []

    def placed(self, first: int | None, last: int | None, day: int) -> int:
        return _tier(first, last, day)

    def add(self, kind: str, tier: int | None, day: int | None, idb: int, by: int = 1) -> None:
        self._pending.append((kind, tier, day, idb))

    def planned(self) -> _Tally:
        """The tally of every record added, with buckets of days for their dates."""
        narrow = [day for _, tier, day, _ in self._pending if tier not in (None, WIDE)]
        tally = _plan(self.id_buckets, cast("list[int]", narrow))
        tally.signatories = self.signatories
        for counted in self._pending:
            tally.add(*counted)
        return tally


def _id_buckets(records: int) -> int:
    """How many buckets of ids suit ``records`` records."""
    return min(_MAX_BUCKETS, max(1, records // _ROWS_PER_ID_BUCKET))


def _plan(ids: int, narrow: Sequence[int]) -> _Tally:
    """An empty tally with ``ids`` buckets of ids, and buckets of days sized for the
    records that sort on the ``narrow`` days (those of a tier short of the wide)."""
    if not narrow:
        return _Tally(ids)
    low, high = min(narrow), max(narrow)
    wanted = min(_MAX_BUCKETS, max(1, len(narrow) // _ROWS_PER_DAY_BUCKET))
    width = -(-(high - low + 1) // wanted)
    return _Tally(ids, _Days(low, width, -(-(high - low + 1) // width)))


# --- reading ------------------------------------------------------------------------


class _Header(NamedTuple):
    """The checked header of a cache: its salt and counts."""

    seal: _Seal
    built_ns: int
    # The counts in the header itself; those of ids and tiers are read when needed.
    tally: _Tally
    tiers: list[int]
    files: dict[str, tuple[int, int, str]]


def _header_seal(seal: _Seal, meta: dict[str, str], files: Iterable[tuple[Any, ...]]) -> bytes:
    values = tuple(sorted((k, v) for k, v in meta.items() if k != "check"))
    return seal(("meta", values, tuple(sorted(files))))


def _read_header(db: sqlite3.Connection) -> _Header | None:
    """The header, or None for a cache of another format or version of cislog.
    Raises Damage (or an SQLite or value error) for a header that fails its check."""
    meta = dict(db.execute("SELECT key, value FROM meta"))
    if meta.get("format") != str(FORMAT) or meta.get("code") != _code_stamp():
        return None
    query = "SELECT name, size, mtime, sha256, generation FROM files"
    files = [tuple(row) for row in db.execute(query)]
    generations = {name: generation for name, *_, generation in files}
    seal = _Seal(bytes.fromhex(meta["salt"]), generations, meta["generation"])
    if _header_seal(seal, meta, files).hex() != meta["check"]:
        raise Damage("the header fails its digest")
    days = _Days(*(int(n) for n in orjson.loads(meta["days"])))
    tally = _Tally(int(meta["id_buckets"]), days, int(meta["records"]), int(meta["wide"]))
    tally.kinds.update(orjson.loads(meta["kinds"]))
    tally.signatories.update(orjson.loads(meta["signatories"]))
    tiers = [int(tier) for tier in orjson.loads(meta["tiers"])]
    stored = {str(name): (int(size), int(mtime), str(sha)) for name, size, mtime, sha, _ in files}
    return _Header(seal, int(meta["built_ns"]), tally, tiers, stored)


def _read_space(db: sqlite3.Connection, seal: _Seal, space: str) -> Any:
    row = db.execute("SELECT body, chk FROM counts WHERE space = ?", (space,)).fetchone()
    if row is None:
        raise Damage(f"the counts of {space} are gone")
    if seal.space(space, row[0]) != row[1]:
        raise Damage(f"the counts of {space} fail their digest")
    return orjson.loads(row[0])


def read(directory: Path) -> Dataset | None:
    """The cached dataset, if the cache exists, its header is whole and it matches every
    data file, each of which can still be read; else None."""
    location = cache_file(directory)
    db = None
    try:
        status = location.stat()
        db = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
        # One read transaction for the life of the dataset: every row it reads is of
        # the state its header describes, whatever a refresh commits meanwhile.
        db.execute("BEGIN")
        header = _read_header(db)
        found = scan(directory)
        files = found.files
        if (
            header is None
            or set(header.files) != set(files)
            or not all(_matches(p, header.files[n], header.built_ns) for n, p in files.items())
            or not all(_readable(path) for path in files.values())
        ):
            db.close()
            return None
        dataset = CachedDataset(directory, db, header, (status.st_dev, status.st_ino))
        # What the loader would say of the entries it skips, which no cache holds.
        dataset.notes = found.notes(directory)
        return dataset
    except (*_DAMAGE, OSError, KeyError):
        if db is not None:
            db.close()
        return None


# The columns of a record's row, in the order its digest covers them.
_CONTENT = "id, kind, data, tier, earliest, latest, sortday, file, chk"
_PLACE = "idx, seq, refs, idb, line, pchk"
_RECORD = f"{_CONTENT}, {_PLACE}"
# What a place's digest covers: the record's id, kind and file, and its place.
_PLACED = f"id, kind, file, {_PLACE}"
# A page of texts: the folded texts of up to _ROWS_AT_ONCE records of one file, the
# first at ``seq``, as UTF-8 one after the other; ``ends`` is where each one ends
# in the body, ``ids`` the records' ids, joined by _SEPARATOR, and ``kinds`` their
# kinds, joined by commas. A refresh reads the ids and kinds of every record from
# them, a page at a time.
_PAGE = "file, seq, ids, kinds, ends, body, chk"
# What the records of a page cite: for each record, the ids it refers to, in the order
# of its references, joined by _SEPARATOR, and the records' lists by _RECORD_END. The
# referrers of an id are found among them, without reading a text.
_CITED = "file, seq, ids, targets, tchk"
_RECORD_END = "\x1e"
# A page as it is stored (see _Page.row), both digests before the body.
_PAGE_ROW = "file, seq, ids, kinds, targets, tchk, ends, body, chk"
_SEPARATOR = "\x1f"
# How many ids one statement asks for (SQLite allows 32,766 parameters).
_IDS_AT_ONCE = 500
_SIGNATORY = "id, position, country, status, note, sources, title, date, org, file, chk"
# The order the records were read in: files by name, then as each file lists them.
_ORDER = "ORDER BY file, seq"

P = ParamSpec("P")
T = TypeVar("T")


def _guarded(
    method: Callable[Concatenate[CachedDataset, P], T],
) -> Callable[Concatenate[CachedDataset, P], T]:
    """Answer from the cache, or, once it is found damaged, from the files."""
    name = method.__name__

    @functools.wraps(method)
    def guarded(self: CachedDataset, /, *args: P.args, **kwargs: P.kwargs) -> T:
        if self._fallback is None:
            try:
                return method(self, *args, **kwargs)
            except _DAMAGE:
                pass
        return cast("T", getattr(self._fall_back(), name)(*args, **kwargs))

    return guarded


ChronologyKey = tuple[int, str]
# A chronology key and the row it sorts; the range of days asked for.
_Keyed = tuple[ChronologyKey, tuple[Any, ...]]
_Prefilter = tuple[int | None, int | None]


def _chronology_key(record: Any) -> ChronologyKey:
    """Where a dated record sorts, as :meth:`Dataset.dated_candidates` sorts them."""
    return (record.date.sort_day.toordinal(), record.id)


def decode_record(kind: str, data: bytes, record_id: str) -> Record:
    """The record a cache row holds, or ValueError if the row cannot be that record.

    A row's digest is checked before it gets here; this is the check that the row
    is the shape a record is (a known kind, a JSON object holding exactly the
    fields of its kind, with the row's own id), so that no damage the digest let
    through meets the code that reads records later, where it could only end in
    a crash.
    """
    record = from_json(kind, orjson.loads(data))
    if record.id != record_id:
        raise ValueError(f"a cache row that is no {kind} record: {record_id!r}")
    return record


def _decoded(row: tuple[Any, ...]) -> Record:
    """The record of a content row (``_CONTENT``), checked before."""
    return decode_record(row[1], row[2], row[0])


class CachedDataset(ByKind):
    """A dataset read from the cache record by record, as queries ask for them.

    At 100,000 events, decoding every record costs more than the query; here
    ids, kinds and the prefilters run in SQL and only the records a query
    touches are decoded. Every row read is checked, and every set of rows
    counted (see the module's docstring); the first failure hands the rest of
    the process to the dataset read from the files.
    """

    def __init__(
        self, directory: Path, db: sqlite3.Connection, header: _Header, identity: tuple[int, int]
    ) -> None:
        super().__init__()
        self.directory = directory
        self.notes: list[str] = []
        # The records decoded so far, where each was read from, and who refers to whom.
        self._records: dict[str, Record] = {}
        self._origins: dict[str, Origin] = {}
        self._db = db
        self._header = header
        self._seal = header.seal
        self._identity = identity
        self._fallback: Dataset | None = None
        self._files: dict[str, tuple[str, _FileLines]] = {}
        self._refs: dict[str, str] = {}
        self._everything: list[Record] | None = None
        self._texts: dict[str, str] = {}
        self._spaces: dict[str, Any] = {}

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._db.close()

    @property
    def fell_back(self) -> bool:
        """Whether damage was found, so that the files answer from now on."""
        return self._fallback is not None

    def _fall_back(self) -> Dataset:
        """The dataset read from the files, which answers from now on. The first call
        (the cache is damaged) deletes the cache, reads the files and rebuilds it."""
        if self._fallback is not None:
            return self._fallback
        with contextlib.suppress(Exception):
            self._db.close()
        location = cache_file(self.directory)
        with contextlib.suppress(OSError):
            status = location.stat()
            # Only the file read: another process may have renamed a new one into place.
            if (status.st_dev, status.st_ino) == self._identity:
                location.unlink()
        self._fallback = _rebuild(self.directory)
        return self._fallback

    # Rows, each checked as it is decoded.

    def _space(self, space: str) -> Any:
        if space not in self._spaces:
            self._spaces[space] = _read_space(self._db, self._seal, space)
        return self._spaces[space]

    def _origin(self, file: str, index: int, kind: str, line: int | None) -> Origin:
        """Where a record starts: its line as stored, else as found in its file."""
        known = self._files.get(file)
        if known is None:
            path = self.directory / file
            known = self._files[file] = (str(path), _FileLines(path))
        return Origin(known[0], known[1] if line is None else _KnownLine(line), (kind, index))

    def _decode(self, rows: Iterable[tuple[Any, ...]]) -> list[Record]:
        """Check each row and decode it, once an id."""
        records: list[Record] = []
        seen: set[str] = set()
        for row in rows:
            self._seal.verify_content(row)
            self._seal.verify_place(row)
            record_id, kind, data, *_ = row
            file = row[7]
            index, _, refs, _, line = row[9:14]
            if record_id in seen:
                raise Damage(f"two rows for {record_id!r}")
            seen.add(record_id)
            record = self._records.get(record_id)
            if record is None:
                record = decode_record(kind, data, record_id)
                self._records[record_id] = record
                self._origins[record_id] = self._origin(file, index, kind, line)
                self._refs[record_id] = refs
            records.append(record)
        return records

    def _ordered(self, where: str, parameters: Sequence[Any], count: int) -> list[Record]:
        """The records ``where`` selects, in reading order, which must be ``count``."""
        query = f"SELECT {_RECORD} FROM records {where} {_ORDER}"
        rows = self._db.execute(query, parameters).fetchall()
        if len(rows) != count:
            raise Damage(f"{len(rows)} rows where {count} were stored")
        place = itemgetter(7, 10)  # file, seq
        if any(place(a) >= place(b) for a, b in itertools.pairwise(rows)):
            raise Damage("rows out of their reading order")
        return self._decode(rows)

    def _lookup(self, record_id: str) -> Record | None:
        known = self._records.get(record_id)
        if known is not None:
            return known
        rows = self._db.execute(f"SELECT {_RECORD} FROM records WHERE id = ?", (record_id,))
        found = self._decode(rows)
        if len(found) > 1 or any(record.id != record_id for record in found):
            raise Damage(f"a lookup of {record_id!r} found another row")
        if not found:
            self._prove_absent(record_id)
            return None
        return found[0]

    def _prove_absent(self, record_id: str) -> None:
        """Read the bucket ``record_id`` would sit in: all of it, and it without the id.

        What makes "no record with this id" an answer, and not a row lost to damage.
        """
        tally = self._header.tally
        bucket = _id_bucket(record_id, tally.id_buckets)
        counts = self._space("ids")
        if len(counts) != tally.id_buckets:
            raise Damage("the buckets of ids do not add up")
        query = f"SELECT {_PLACED} FROM records WHERE idb = ?"
        ids = []
        for row in self._db.execute(query, (bucket,)):
            if self._seal.place(row[0], row[1], row[2:8]) != row[8] or row[6] != bucket:
                raise Damage(f"a row of another bucket than {record_id!r}'s")
            ids.append(row[0])
        if len(ids) != counts[bucket] or len(set(ids)) != len(ids) or record_id in ids:
            raise Damage(f"the bucket of {record_id!r} does not hold what was stored")

    def _all(self) -> list[Record]:
        if self._everything is None:
            self._everything = self._ordered("", (), self._header.tally.records)
        return self._everything

    def _of(self, kind: RecordKind) -> dict[str, Any]:
        count = self._header.tally.kinds.get(kind, 0)
        records = self._ordered("WHERE kind = ?", (kind,), count)
        if any(kind != record.KIND for record in records):
            raise Damage(f"a row of another kind among the {kind}s")
        return {record.id: record for record in records}

    def _refs_of(self, record: Record) -> list[Reference]:
        refs = self._refs.get(record.id)
        if refs is None:
            if self._lookup(record.id) is None:
                return []
            refs = self._refs[record.id]
        return [Reference(tuple(p), tuple(k), t) for p, k, t in orjson.loads(refs)]

    # The Dataset interface, each answer from the cache or, once damaged, the files.

    @_guarded
    def get(self, record_id: str) -> Record | None:
        return self._lookup(record_id)

    def __getitem__(self, record_id: str) -> Record:
        record = self.get(record_id)
        if record is None:
            raise KeyError(record_id)
        return record

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self.get(record_id) is not None

    @_guarded
    def __iter__(self) -> Iterator[Record]:
        return iter(self._all())

    @_guarded
    def __len__(self) -> int:
        return self._header.tally.records

    @_guarded
    def origin(self, record_id: str) -> Origin:
        self._lookup(record_id)
        return self._origins[record_id]

    @_guarded
    def _typed(self, kind: RecordKind) -> dict[str, Any]:
        return self._of(kind)

    @_guarded
    def references(self, record: Record) -> list[Reference]:
        return self._refs_of(record)

    @_guarded
    def referrers(self, record_id: str) -> list[tuple[Record, Reference]]:
        """The records naming ``record_id``, found in what the pages of texts say each
        record cites: every page is read, checked and counted, and each referrer
        decoded, with its references, which must be those its page lists, so that
        none is missing or invented."""
        found: list[tuple[Record, Reference]] = []
        pages = _read_pages(self._db, self._header, _CITED, self._seal.cited, _ORDER)
        for names, (_, _, _, targets) in pages:
            if record_id not in targets:
                continue
            lists = targets.split(_RECORD_END)
            if len(lists) != len(names):
                raise Damage("a page of citations that does not add up")
            for referrer_id, listed in zip(names, lists, strict=True):
                cited = listed.split(_SEPARATOR) if listed else []
                if record_id not in cited:
                    continue
                referrer = self._lookup(referrer_id)
                refs = [] if referrer is None else self._refs_of(referrer)
                if referrer is None or [ref.target for ref in refs] != cited:
                    raise Damage(
                        f"a referrer of {record_id!r} that does not cite what its page says"
                    )
                found += [(referrer, ref) for ref in refs if ref.target == record_id]
        return found

    def dated_candidates(
        self,
        earliest: dt.date | None,
        latest: dt.date | None,
        words: Sequence[str] = (),
        reverse: bool = False,
    ) -> Iterator[Any]:
        """Streamed in chronological order, decoded one by one and not kept: a timeline
        of 100,000 events never holds them all. Should the cache turn out damaged
        on the way, the stream goes on from the files after the last record given."""
        if self._fallback is not None:
            yield from self._fallback.dated_candidates(earliest, latest, words, reverse)
            return
        last: ChronologyKey | None = None
        try:
            for key, record in self._chronology(earliest, latest, words, reverse):
                last = key
                yield record
        except _DAMAGE:
            pass
        else:
            return
        # Damaged (maybe found by another method, which closed the cache under this
        # stream): go on from the files after the last record given.
        for dated in self._fall_back().dated_candidates(earliest, latest, words, reverse):
            key = _chronology_key(dated)
            if last is None or (key < last if reverse else key > last):
                yield dated

    def _chronology(
        self,
        earliest: dt.date | None,
        latest: dt.date | None,
        words: Sequence[str],
        reverse: bool,
    ) -> Iterator[tuple[ChronologyKey, Record]]:
        """The rows the prefilter keeps, the tiers' and the wide ones merged, decoded;
        where words are asked for, the rows of the records whose text holds them."""
        prefilter = (
            None if earliest is None else earliest.toordinal(),
            None if latest is None else latest.toordinal(),
        )
        if words:
            yield from self._searched(prefilter, words, reverse)
            return
        wide = self._wide(prefilter, reverse)
        waiting = 0
        for key, row in self._narrow(prefilter, reverse):
            while waiting < len(wide) and (
                wide[waiting][0] > key if reverse else wide[waiting][0] < key
            ):
                yield wide[waiting][0], _decoded(wide[waiting][1])
                waiting += 1
            if waiting < len(wide) and wide[waiting][0] == key:
                raise Damage("a record both in a tier and among the wide")
            yield key, _decoded(row)
        for key, row in wide[waiting:]:
            yield key, _decoded(row)

    def _searched(
        self, prefilter: _Prefilter, words: Sequence[str], reverse: bool
    ) -> Iterator[tuple[ChronologyKey, Record]]:
        """The dated records in the range whose text holds the words, in chronological
        order: found by their texts, sorted by the keys of their rows, and decoded
        one by one as they are given (read again, so that none is held)."""
        found = self._holding(words, keep=False)
        kept: list[ChronologyKey] = []
        for rows in self._rows_of(found):
            kept.extend((row[6], row[0]) for row in rows if self._kept(row, prefilter))
        kept.sort(reverse=reverse)
        for key in kept:
            [rows] = self._rows_of([key[1]])
            [row] = rows
            if (row[6], row[0]) != key:
                raise Damage("a record's row changed under a search")
            yield key, _decoded(row)

    def _rows_of(self, ids: Sequence[str]) -> Iterator[list[tuple[Any, ...]]]:
        """The content rows of ``ids``, a batch at a time, each checked, one an id."""
        for start in range(0, len(ids), _IDS_AT_ONCE):
            batch = ids[start : start + _IDS_AT_ONCE]
            marks = ", ".join("?" for _ in batch)
            query = f"SELECT {_CONTENT} FROM records WHERE id IN ({marks})"
            rows = self._db.execute(query, batch).fetchall()
            for row in rows:
                self._seal.verify_content(row)
            if sorted(row[0] for row in rows) != sorted(batch):
                raise Damage("the rows of the records a search found do not add up")
            yield rows

    def _kept(self, row: tuple[Any, ...], prefilter: _Prefilter) -> bool:
        """Whether the prefilter keeps a dated row (checked first): the days it may fall
        on meet the range, a superset of what the query keeps."""
        low, high = prefilter
        self._seal.verify_content(row)
        if row[3] is None:  # no tier: undated
            return False
        first, last = row[4], row[5]
        return not (
            (high is not None and first is not None and first > high)
            or (low is not None and last is not None and last < low)
        )

    def _query(self, where: str, reverse: bool) -> str:
        order = "DESC" if reverse else "ASC"
        return f"SELECT {_CONTENT} FROM records {where} ORDER BY sortday {order}, id {order}"

    def _wide(self, prefilter: _Prefilter, reverse: bool) -> list[_Keyed]:
        """The wide rows the prefilter keeps, all read and counted."""
        query = self._query("WHERE tier = ?", reverse)
        kept: list[_Keyed] = []
        count = 0
        for row in self._db.execute(query, (WIDE,)):
            count += 1
            if self._kept(row, prefilter):
                if row[3] != WIDE:
                    raise Damage("a row of a tier among the wide")
                kept.append(((row[6], row[0]), row))
        keys = [key for key, _ in kept]
        if count != self._header.tally.wide or keys != sorted(set(keys), reverse=reverse):
            raise Damage("the wide rows do not add up")
        return kept

    def _narrow(self, prefilter: _Prefilter, reverse: bool) -> Iterator[_Keyed]:
        """The rows of the tiers the prefilter keeps, in one chronological stream over
        the buckets of days that lie within each tier's reach of the range.

        A bucket's rows are given only once all of them were read and counted in
        every tier, so a row is never given while an earlier one may be missing,
        and the wide rows merged in never go before a lost one either.
        """
        low, high = prefilter
        days = self._header.tally.days
        windows: dict[int, tuple[int, int]] = {}
        counts: dict[int, list[int]] = {}
        for tier in self._header.tiers:
            reach = TIERS[tier]
            start = 0 if low is None else max(0, days.bucket(low - reach))
            end = (
                days.buckets - 1
                if high is None
                else min(days.buckets - 1, days.bucket(high + reach))
            )
            if start <= end:
                windows[tier] = (start, end)
                counts[tier] = self._space(f"tier{tier}")
                if len(counts[tier]) != days.buckets:
                    raise Damage("the buckets of a tier do not add up")
        if not windows:
            return
        start = min(window[0] for window in windows.values())
        end = max(window[1] for window in windows.values())
        parameters: list[Any] = [
            days.first + start * days.width,
            days.first + (end + 1) * days.width - 1,
        ]
        for tier, (first, last) in windows.items():
            parameters += [
                tier,
                days.first + first * days.width,
                days.first + (last + 1) * days.width - 1,
            ]
        either = " OR ".join("(tier = ? AND sortday BETWEEN ? AND ?)" for _ in windows)
        where = f"INDEXED BY records_chronology WHERE sortday BETWEEN ? AND ? AND ({either})"

        def close(bucket: int | None, tallied: dict[int, int]) -> None:
            if bucket is None or any(
                first <= bucket <= last and tallied.get(tier, 0) != counts[tier][bucket]
                for tier, (first, last) in windows.items()
            ):
                raise Damage("a bucket of days does not add up")

        pending = iter(range(end, start - 1, -1) if reverse else range(start, end + 1))
        current: int | None = next(pending)
        tallied: dict[int, int] = {}
        waiting: list[_Keyed] = []
        previous: ChronologyKey | None = None
        for row in self._db.execute(self._query(where, reverse), parameters):
            key = (row[6], row[0])
            if previous is not None and (key >= previous if reverse else key <= previous):
                raise Damage("rows out of chronological order")
            previous = key
            bucket = days.bucket(key[0])
            while bucket != current:
                close(current, tallied)
                yield from waiting
                waiting, tallied = [], {}
                current = next(pending, None)
            tier = row[3]
            if tier not in windows:
                raise Damage("a row outside the tiers asked for")
            tallied[tier] = tallied.get(tier, 0) + 1
            if self._kept(row, prefilter):
                waiting.append((key, row))
        for remaining in (current, *pending):
            close(remaining, tallied)
            tallied = {}
        yield from waiting

    def search_text(self, record: Record) -> str:
        if self._fallback is not None:
            return self._fallback.search_text(record)
        text = self._texts.pop(record.id, None)
        if text is not None:
            return text
        from cislog.recordtext import searchable_text

        return searchable_text(record)

    def search_candidates(self, words: Sequence[str]) -> Iterator[Record]:
        """The records whose stored text holds every word, found by reading the texts
        alone, and only those decoded, a batch at a time and not kept: a search
        that matches every record never holds them all. Should the cache turn out
        damaged on the way, the files give the records not given yet."""
        if self._fallback is not None:
            yield from self._fallback.search_candidates(words)
            return
        given: set[str] = set()
        try:
            for rows in self._rows_of(self._holding(words, keep=True)):
                for row in rows:
                    given.add(row[0])
                    yield _decoded(row)
        except _DAMAGE:
            pass
        else:
            return
        for record in self._fall_back().search_candidates(words):
            if record.id not in given:
                yield record

    def _holding(self, words: Sequence[str], keep: bool) -> list[str]:
        """The ids of the records whose folded text holds each of ``words`` somewhere,
        read from the pages of texts: each page checked against its digest, all of
        them counted, none read twice. ``keep`` keeps the texts found, for :meth:`search_text`.

        A page is searched at C speed: one that lacks a word is passed over whole,
        and in the others only the records holding the longest word are looked at.
        """
        wanted = [word.encode("utf-8", "surrogatepass") for word in words]
        found: list[str] = []
        pages = _read_pages(self._db, self._header, _PAGE, self._seal.page)
        for names, (_, _, _, _, ends, body) in pages:
            if not all(word in body for word in wanted):
                continue
            offsets = [int(end) for end in ends.split(",")]
            if len(offsets) != len(names) or offsets[-1] != len(body):
                raise Damage("a page of texts that does not add up")
            # The longest word, as likely the rarest: counting each would cost a scan.
            rarest = max(wanted, key=len)
            at = body.find(rarest)
            while at != -1:
                index = bisect.bisect_right(offsets, at)
                text = body[offsets[index - 1] if index else 0 : offsets[index]]
                if all(word in text for word in wanted):
                    found.append(names[index])
                    if keep:
                        self._texts[names[index]] = text.decode("utf-8", "surrogatepass")
                at = body.find(rarest, offsets[index])
        return found

    @_guarded
    def signing_candidates(self, countries: Sequence[str]) -> list[SigningDocument]:
        """The documents, read from the signatories table alone: each with only the
        fields a signature row shows (id, title, date, org), and only the
        signatories of ``countries``. No document is decoded, and the table is
        kept in country order, so one country's rows are read from adjacent pages."""
        asked = sorted(set(countries))
        marks = ", ".join("?" for _ in asked)
        rows = [
            self._seal.verify_signatory(row)
            for row in self._db.execute(
                f"SELECT {_SIGNATORY} FROM signatories WHERE country IN ({marks})", asked
            )
        ]
        rows.sort(key=itemgetter(2, 0, 1))
        found = Counter(row[2] for row in rows)
        expected = self._header.tally.signatories
        if any(found[c] != expected.get(c, 0) for c in asked) or set(found) - set(asked):
            raise Damage("the signatories of a country do not add up")
        if len({row[:3] for row in rows}) != len(rows):
            raise Damage("a signatory stored twice")
        documents: dict[str, SigningDocument] = {}
        for record_id, _, country, status, note, sources, title, date, org, _ in rows:
            if status not in SIGNATORY_STATUSES:
                raise Damage(f"a signatory of {record_id!r} with no status a source gives")
            document = documents.get(record_id)
            if document is None:
                parsed = dates.parse(date) if date is not None else None
                document = documents[record_id] = SigningDocument(record_id, title, parsed, org, [])
            document.signatories.append(
                Signatory.from_json(
                    {"sources": sources.split(), "note": note, "country": country, "status": status}
                )
            )
        return list(documents.values())


def _rebuild(directory: Path) -> Dataset:
    """The cache built again from the files, and the dataset read from it; the dataset
    read from the files alone where no cache can be written, or the files change
    while it is built. A dataset with problems raises them, as the loader does."""
    from cislog.pipeline import load as load_files

    try:
        taken_ns, fingerprints = _fingerprints(directory) if directory.is_dir() else (0, {})
    except OSError:  # a file that cannot be read: the loader says so, in its own words
        return load_files(directory)
    if not _build(directory, taken_ns, fingerprints):
        return load_files(directory)  # for its problems, or without a cache
    return read(directory) or load_files(directory)


def _build(directory: Path, taken_ns: int, fingerprints: Fingerprints) -> bool:
    """Store the dataset one file at a time as it is read and validated, holding no
    more of it than its largest file (see :func:`cislog.pipeline.read_in_parts`);
    whether it was valid and stored. Any failure to store leaves no cache."""
    from cislog.pipeline import read_in_parts

    location = cache_file(directory)
    # Sized before any record is read: every [[ header is a record or a nested entry.
    headers = sum(_count_headers(directory / name) for name in fingerprints)
    tally = _Deferred(_id_buckets(headers))
    seal = _Seal.drawn(fingerprints)
    try:
        location.parent.mkdir(parents=True, exist_ok=True)
        with (
            _replacing(location) as temporary,
            contextlib.closing(sqlite3.connect(temporary)) as db,
        ):
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.executescript(_SCHEMA)
            positions: dict[str, int] = {}
            parts = read_in_parts(directory, lambda part: _insert(db, part, seal, tally, positions))
            if not parts.valid:
                raise _Invalid  # out of the block, which keeps what it built otherwise
            _set_header(db, seal, taken_ns, fingerprints, tally.planned())
            db.executescript(_INDEXES)
            db.commit()
    # ValueError: text SQLite refuses; Damage: a file read that was not fingerprinted.
    except (_Invalid, Damage, sqlite3.Error, OSError, ValueError):
        return False
    return True


class _Invalid(Exception):
    """The dataset being stored has a problem: nothing of it is kept."""


def _count_headers(path: Path) -> int:
    try:
        return path.read_bytes().count(b"[[")
    except OSError:
        return 0


# --- writing ------------------------------------------------------------------------

Fingerprints = dict[str, tuple[int, int, str]]


@contextlib.contextmanager
def _replacing(location: Path) -> Iterator[Path]:
    """A temporary file beside ``location`` that replaces it if the block succeeds, so
    that readers and concurrent builders only ever see a whole cache.

    Not :func:`cislog.atomic.replacing`, which syncs the data to disk and gives the
    file the user's usual permissions: a cache is rebuilt rather than recovered
    (a torn one is skipped), so it stays private (mode 0600) and a refresh after
    an edit does not wait for hundreds of megabytes to reach the disk.
    """
    handle, name = tempfile.mkstemp(dir=location.parent, prefix=".build-", suffix=".sqlite")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.replace(location)
    finally:
        temporary.unlink(missing_ok=True)


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files (name TEXT PRIMARY KEY, size INT, mtime INT, sha256 TEXT, generation TEXT);
CREATE TABLE counts (space TEXT PRIMARY KEY, body TEXT, chk BLOB);
CREATE TABLE records (
    id TEXT, kind TEXT, data BLOB, tier INT, earliest INT, latest INT, sortday INT, chk BLOB,
    file TEXT, idx INT, seq INT, refs TEXT, idb INT, line INT, pchk BLOB
);
CREATE TABLE texts (
    file TEXT, seq INT, ids TEXT, kinds TEXT, targets TEXT, tchk BLOB,
    ends TEXT, body BLOB, chk BLOB
);
CREATE TABLE signatories (
    id TEXT, position INT, country TEXT, status TEXT, note TEXT, sources TEXT,
    title TEXT, date TEXT, org TEXT, file TEXT, chk BLOB,
    PRIMARY KEY (country, id, position)
) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX records_id ON records (id);
CREATE INDEX records_kind ON records (kind, file, seq);
CREATE INDEX records_order ON records (file, seq);
CREATE INDEX records_chronology ON records (sortday, id, tier);
CREATE INDEX records_tier ON records (tier, sortday, id);
CREATE INDEX records_idb ON records (idb);
CREATE INDEX signatories_file ON signatories (file);
"""


def _read_pages(
    db: sqlite3.Connection,
    header: _Header,
    columns: str,
    digest: Callable[..., bytes],
    order: str = "",
) -> Iterator[tuple[list[str], tuple[Any, ...]]]:
    """Each page of texts, as ``columns`` (``_PAGE`` or ``_CITED``: file, seq and ids
    first, and last the digest that ``digest`` makes of the others), with the ids
    of its records; Damage for a page that fails its digest or is there twice, or
    pages that do not hold every record the header counts (checked once the last
    is read)."""
    counted = 0
    # Each page once: one there twice could make up the count of one gone.
    pages: set[tuple[str, int]] = set()
    for *values, stored in db.execute(f"SELECT {columns} FROM texts {order}"):
        file, seq, ids = values[:3]
        if digest(*values) != stored or (file, seq) in pages:
            raise Damage("a page of texts fails its digest, or is there twice")
        pages.add((file, seq))
        names = ids.split(_SEPARATOR)
        counted += len(names)
        yield names, tuple(values)
    if counted != header.tally.records:
        raise Damage(f"{counted} texts where {header.tally.records} were stored")


def _reach(record: Any) -> tuple[int | None, int | None, int] | None:
    """The first and last day a record's date may fall on, and the day it sorts on.

    The prefilter keeps every record that may fall in a range: the days a date may
    fall on (its reach, one unit wider where it is marked ? or ~), not its bounds.
    """
    date = getattr(record, "date", None) if record.KIND in ("event", "document") else None
    if date is None:
        return None
    first, last = date.reach
    return (
        first.toordinal() if first else None,
        last.toordinal() if last else None,
        date.sort_day.toordinal(),
    )


def _set_header(
    db: sqlite3.Connection, seal: _Seal, taken_ns: int, prints: Fingerprints, tally: _Tally
) -> None:
    """Write the header (meta, files, counts), each part with its digest."""
    meta = {
        "format": str(FORMAT),
        "code": _code_stamp(),
        "built_ns": str(taken_ns),
        "salt": seal.salt.hex(),
        "generation": seal.counts,
        **tally.meta(),
    }
    files = [(name, *values, seal.generations[name]) for name, values in prints.items()]
    meta["check"] = _header_seal(seal, meta, files).hex()
    db.execute("DELETE FROM meta")
    db.execute("DELETE FROM files")
    db.execute("DELETE FROM counts")
    db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?)", files)
    db.executemany(
        "INSERT INTO counts VALUES (?, ?, ?)",
        [(space, body, seal.space(space, body)) for space, body in tally.spaces().items()],
    )


def _insert(
    db: sqlite3.Connection,
    dataset: Dataset,
    seal: _Seal,
    tally: _Tally,
    position_in_file: dict[str, int] | None = None,
) -> None:
    """Store every record of ``dataset``, keeping each file's records in reading order,
    and count them in ``tally``. ``position_in_file`` carries each file's last
    position from a call before, for a file stored in parts."""
    from cislog.recordtext import dumped_text

    if position_in_file is None:
        position_in_file = {}
    names: dict[str, str] = {}  # each file's name, by the path its records name
    rows: list[tuple[Any, ...]] = []
    signatory_rows: list[tuple[Any, ...]] = []
    page = _Page(seal)
    for record in dataset:
        record_id, kind = record.id, record.KIND
        origin = dataset.origin(record_id)
        file = names.get(origin.file)
        if file is None:
            file = names[origin.file] = Path(origin.file).name
        seq = position_in_file[file] = position_in_file.get(file, -1) + 1
        if not page.takes(file):  # a page holds one file's texts
            _store_rows(db, rows, signatory_rows, page)
        references = dataset.references(record)
        refs = [[list(r.path), list(r.kinds), r.target] for r in references]
        reach = _reach(record)
        first: int | None = None
        last: int | None = None
        day: int | None = None
        tier: int | None = None  # undated
        if reach is not None:
            first, last, day = reach
            # Beyond its tier's buckets (a refresh adding later days), with the wide.
            tier = tally.placed(first, last, day)
        idb = _id_bucket(record_id, tally.id_buckets)
        dumped = record.to_json()  # once, for the row's JSON and its text
        content = (record_id, kind, orjson.dumps(dumped), tier, first, last, day, file)
        place = (int(origin.path[1]), seq, _compact(refs), idb, _stored_line(origin))
        pchk = seal.place(record_id, kind, (file, *place))
        rows.append((*content, seal.content(content), *place, pchk))
        cited = _SEPARATOR.join([r.target for r in references])
        page.add(file, seq, record_id, kind, cited, dumped_text(dumped))
        tally.add(kind, tier, day, idb)
        if kind == "document":
            signatories = _signatory_rows(cast("Document", record), file)
            signatory_rows += [(*row, seal.signatory(row)) for row in signatories]
            tally.signatories.update(row[2] for row in signatories)
        if len(rows) >= _ROWS_AT_ONCE:
            _store_rows(db, rows, signatory_rows, page)
    _store_rows(db, rows, signatory_rows, page)


def _stored_line(origin: Origin) -> int | None:
    """The line a record's row stores, where the file as read tells it cheaply; else
    None, and a reader finds the line in the file when asked (a ``_FileLines``)."""
    from cislog.loading import LazyLineIndex

    return origin.lines.known_line(origin.path) if isinstance(origin.lines, LazyLineIndex) else None


# Rows are stored a thousand at a time: one statement a row costs more than the row,
# and a whole file's rows at once would hold its records' JSON and text twice over.
_ROWS_AT_ONCE = 1000


class _Page:
    """The page of texts being filled (see ``_PAGE``): one file's, as its records come."""

    def __init__(self, seal: _Seal) -> None:
        self._seal = seal
        self._file = ""
        self._first = 0
        self._ids: list[str] = []
        self._kinds: list[str] = []
        self._cited: list[str] = []
        self._texts: list[bytes] = []
        self._ends: list[int] = []

    def takes(self, file: str) -> bool:
        """Whether a text of ``file`` may go on this page."""
        return not self._ids or file == self._file

    def add(self, file: str, seq: int, record_id: str, kind: str, cited: str, text: str) -> None:
        if not self._ids:
            self._file, self._first = file, seq
        encoded = text.encode("utf-8", "surrogatepass")
        self._ids.append(record_id)
        self._kinds.append(kind)
        self._cited.append(cited)
        self._texts.append(encoded)
        self._ends.append((self._ends[-1] if self._ends else 0) + len(encoded))

    def row(self) -> tuple[Any, ...] | None:
        """The page as a row, and a new page begun; None for a page with nothing in it."""
        if not self._ids:
            return None
        file, seq = self._file, self._first
        ids = _SEPARATOR.join(self._ids)
        kinds = ",".join(self._kinds)
        targets = _RECORD_END.join(self._cited)
        ends = ",".join(map(str, self._ends))
        body = b"".join(self._texts)
        self._ids, self._kinds, self._cited, self._texts, self._ends = [], [], [], [], []
        tchk = self._seal.cited(file, seq, ids, targets)
        chk = self._seal.page(file, seq, ids, kinds, ends, body)
        return (file, seq, ids, kinds, targets, tchk, ends, body, chk)


def _store_rows(
    db: sqlite3.Connection,
    rows: list[tuple[Any, ...]],
    signatory_rows: list[tuple[Any, ...]],
    page: _Page,
) -> None:
    """Insert the rows made so far and the page of their texts, and empty the lists
    for the next ones."""
    db.executemany(
        f"INSERT INTO records ({_RECORD}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    texts = page.row()
    if texts is not None:
        db.execute(f"INSERT INTO texts ({_PAGE_ROW}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", texts)
    db.executemany(
        f"INSERT INTO signatories ({_SIGNATORY}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        signatory_rows,
    )
    rows.clear()
    signatory_rows.clear()


def _signatory_rows(document: Document, file: str) -> list[tuple[Any, ...]]:
    """A row a signatory, with the document's own fields a signature row shows, so
    that 'signed --country' never decodes a document (see signing_candidates), and
    the file it was read from, whose generation keys its digest. Source ids are
    slugs, so a space separates them."""
    shown = (document.title, None if document.date is None else str(document.date), document.org)
    return [
        (document.id, i, s.country, s.status, s.note, " ".join(s.sources), *shown, file)
        for i, s in enumerate(document.signatories)
    ]


def _fingerprints(directory: Path) -> tuple[int, Fingerprints]:
    """When the fingerprints were taken, and each data file's size, mtime and hash."""
    taken_ns = time.time_ns()
    prints = {}
    for name, path in _data_files(directory).items():
        stat = path.stat()
        prints[name] = (stat.st_size, stat.st_mtime_ns, _digest(path))
    return taken_ns, prints


# --- refreshing ---------------------------------------------------------------------


def _refresh(directory: Path, again: bool = True) -> Dataset | None:
    """Bring an outdated cache up to date by reading only the data files that changed.

    The changed files are read and validated, then checked against the ids the
    cache holds for the others: ids stay unique, references resolve, and no
    kept record refers to a record that is gone. Anything this cannot decide
    alone (a problem, a change to organisations or bodies, most of the data
    changed, a cache that fails its checks) returns None, and the caller reads
    and validates every file. The cache is updated in place, in one transaction
    (see :func:`_refresh_in_place`), or, where a reader holds it, copied, updated
    and renamed into place, as a full build is. Where another refresh stored a
    change first, the cache is read again, and refreshed ``again`` if it still
    does not match the files.
    """
    location = cache_file(directory)
    try:
        with contextlib.closing(sqlite3.connect(f"file:{location}?mode=ro", uri=True)) as db:
            header = _read_header(db)
        if header is None:
            return None
        taken_ns = time.time_ns()
        prints: Fingerprints = {}
        changed: list[str] = []
        for name, path in _data_files(directory).items():
            old = header.files.get(name)
            if old is not None and _matches(path, old, header.built_ns):
                prints[name] = old
            else:
                changed.append(name)
                stat = path.stat()
                prints[name] = (stat.st_size, stat.st_mtime_ns, _digest(path))
        touched = sorted({*changed, *(set(header.files) - set(prints))})
        changed_bytes = sum(prints[name][0] for name in changed)
        if not touched or changed_bytes * 2 > sum(size for size, _, _ in prints.values()):
            return None
        # The touched files' rows, and the counts, are of a new generation.
        seal = header.seal.renewed(prints, touched)
        done = _refresh_in_place(
            location, directory, header, seal, changed, touched, prints, taken_ns
        )
        if done == "whole":
            return None
        if done == "moved":  # the same change, stored by another process, or a newer one
            return read(directory) or (_refresh(directory, again=False) if again else None)
        if done == "copy":  # a reader holds the cache: update a copy, and rename it into place
            with _replacing(location) as temporary:
                _copy_whole(location, temporary)
                with contextlib.closing(sqlite3.connect(temporary)) as db:
                    db.execute("PRAGMA journal_mode = OFF")
                    db.execute("PRAGMA synchronous = OFF")
                    if not _store_change(
                        db, directory, header, seal, changed, touched, prints, taken_ns
                    ):
                        return None
                    db.commit()
    except (*_DAMAGE, OSError, KeyError):
        return None
    # Read back through the same checks as any run: another process may have renamed
    # its own build into place since, and only a cache that matches the files will do.
    return read(directory)


def _copy_whole(location: Path, copy: Path) -> None:
    """Copy the cache inside a read transaction of its own, so that no refresh in place
    commits while it is copied (see :func:`_refresh_in_place`)."""
    with contextlib.closing(sqlite3.connect(f"file:{location}?mode=ro", uri=True)) as db:
        db.execute("BEGIN")
        db.execute("SELECT count(*) FROM meta").fetchone()  # takes the shared lock
        shutil.copyfile(location, copy)


# How long a refresh waits for the readers of the cache to finish before it updates a
# copy instead, and how much of the cache it may change in memory before it must
# write pages to the file, which would wait for the readers then.
_WRITE_WAIT = 0.5
# How long it waits for another refresh, which holds the cache for as long as it reads
# and stores the files that changed.
_ANOTHER_REFRESH_WAIT = 60.0
_WRITE_CACHE_KIB = 64 * 1024


def _refresh_in_place(
    location: Path,
    directory: Path,
    header: _Header,
    seal: _Seal,
    changed: list[str],
    touched: list[str],
    prints: Fingerprints,
    taken_ns: int,
) -> Literal["done", "copy", "moved", "whole"]:
    """Update the cache itself in one transaction: "done"; "copy" where a reader still
    holds it at the commit (the caller updates a copy); "moved" where another
    refresh changed it first, which this one waited for (the caller reads it
    again); "whole" where the change needs the whole dataset read.

    Every reader holds a read transaction from its first row to its last (see
    :func:`read`), so the commit waits for them, and a reader never meets rows of
    two states. The rollback journal is kept in memory: a failure rolls back, and
    a crash in the middle of the commit leaves rows of both generations, which
    fail their digests or their counts, as any damage does.
    """
    db = sqlite3.connect(location, timeout=_WRITE_WAIT, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = MEMORY")
        db.execute("PRAGMA synchronous = OFF")
        db.execute(f"PRAGMA cache_size = -{_WRITE_CACHE_KIB}")
        # Another refresh holding the cache is doing this one's work: wait for it.
        db.execute(f"PRAGMA busy_timeout = {int(_ANOTHER_REFRESH_WAIT * 1000)}")
        try:
            db.execute("BEGIN IMMEDIATE")
            again = _read_header(db)
        except sqlite3.OperationalError:
            return "copy"
        db.execute(f"PRAGMA busy_timeout = {int(_WRITE_WAIT * 1000)}")
        if again is None or (again.seal.generations, again.files, again.built_ns) != (
            header.seal.generations,
            header.files,
            header.built_ns,
        ):
            return "moved"
        try:
            if not _store_change(db, directory, header, seal, changed, touched, prints, taken_ns):
                return "whole"
            db.execute("COMMIT")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            return "copy"
        return "done"
    finally:
        db.close()  # which rolls back what was not committed


def _store_change(
    db: sqlite3.Connection,
    directory: Path,
    header: _Header,
    seal: _Seal,
    changed: list[str],
    touched: list[str],
    prints: Fingerprints,
    taken_ns: int,
) -> bool:
    """Replace the touched files' rows (see :func:`_update`) and write the new header,
    in ``db``, the cache or its copy; whether the change could be stored alone."""
    from cislog.loading import collector_paused

    with collector_paused():
        tally = _update(db, directory, header, seal, changed, touched)
    if tally is None:
        return False
    _set_header(db, seal, taken_ns, prints, tally)
    return True


def _update(
    db: sqlite3.Connection,
    directory: Path,
    header: _Header,
    renewed: _Seal,
    changed: list[str],
    touched: list[str],
) -> _Tally | None:
    """Replace the records of the touched files with those read from the changed ones,
    stored under the ``renewed`` seal, and return the new counts; None, with nothing
    to keep, when the change needs the whole dataset validated.

    The ids and kinds of every record are read from the pages of texts, checked and
    counted against the header first: a change is validated against the ids
    stored, and a cache missing a record is rebuilt rather than carried forward
    (a row missing behind a page that is whole fails the counts of the next read).
    The rows replaced are checked whole, and their counts taken from the header's;
    what else the header counts is carried over, for the reads to check.
    """
    from cislog.loading import read_directory
    from cislog.validation import check_records, kinds_read_together

    result = read_directory(directory, only=changed)
    if result.problems or not result.complete:
        return None
    seal, stored = header.seal, header.tally
    stored.ids = _read_space(db, seal, "ids")
    for tier in header.tiers:
        stored.tiers[tier] = _read_space(db, seal, f"tier{tier}")
    inside = set(touched)
    kept: dict[str, str] = {}
    gone: dict[str, str] = {}
    kinds: Counter[str] = Counter()
    ids = [0] * stored.id_buckets
    for names, (file, _, _, kinds_of, _, _) in _read_pages(db, header, _PAGE, seal.page):
        page_kinds = kinds_of.split(",")
        if len(page_kinds) != len(names):
            return None
        side = gone if file in inside else kept
        for record_id, kind in zip(names, page_kinds, strict=True):
            if record_id in kept or record_id in gone:
                return None
            side[record_id] = kind
            ids[_id_bucket(record_id, stored.id_buckets)] += 1
        kinds.update(page_kinds)
    if kinds != +stored.kinds or ids != stored.ids or len(kept) + len(gone) != stored.records:
        return None
    db.execute("CREATE TEMP TABLE touched (file TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO touched VALUES (?)", [(name,) for name in touched])
    within = "file IN (SELECT file FROM touched)"
    after = stored.copy()
    for row in db.execute(f"SELECT {_RECORD} FROM records WHERE {within}"):
        seal.verify_content(row)
        seal.verify_place(row)
        after.add(row[1], row[3], row[6], row[12], by=-1)
    for row in db.execute(f"SELECT {_SIGNATORY} FROM signatories WHERE {within}"):
        after.signatories[seal.verify_signatory(row)[2]] -= 1
    records = {entry.id: entry.kind for entry in result.records if entry.id is not None}
    # A kind some rule follows across records is validated with the whole dataset.
    together = kinds_read_together()
    if any(kind in together for kind in (*gone.values(), *records.values())):
        return None
    if any(record_id in kept for record_id in records) or check_records(result, others=kept):
        return None
    lost = [(record_id,) for record_id, kind in gone.items() if records.get(record_id) != kind]
    if lost:
        db.execute("CREATE TEMP TABLE lost (id TEXT PRIMARY KEY)")
        db.executemany("INSERT INTO lost VALUES (?)", lost)
        # A kept record naming a record that is gone, or is now of another kind.
        referring = db.execute(
            "SELECT 1 FROM records, json_each(records.refs) AS ref "
            f"WHERE NOT {within} AND json_extract(ref.value, '$[2]') IN (SELECT id FROM lost) "
            "LIMIT 1"
        ).fetchone()
        if referring is not None:
            return None
    db.execute(f"DELETE FROM signatories WHERE {within}")
    db.execute(f"DELETE FROM records WHERE {within}")
    db.execute(f"DELETE FROM texts WHERE {within}")
    _insert(db, result.dataset(), renewed, after)
    return None if after.negative() else after


def load(path: str | os.PathLike[str] | None = None, *, use_cache: bool | None = None) -> Dataset:
    """Like :func:`cislog.load`, answered from the cache when it matches the files;
    ``use_cache`` None leaves it to ``$CISLOG_NO_CACHE`` (see :func:`cache_disabled`).

    The files are fingerprinted before they are read, so a change made while
    they are being read makes the stored fingerprints stale, never the data.
    """
    directory = resolve_data_dir(path)
    if use_cache is None:
        use_cache = not cache_disabled()
    cached = read(directory) if use_cache else None
    if cached is not None:
        return cached
    from cislog.pipeline import load as load_files

    if not use_cache:
        return load_files(directory)
    refreshed = _refresh(directory)
    if refreshed is not None:
        return refreshed
    return _rebuild(directory)
