"""A cache of the validated dataset that can never be stale.

Reading and validating TOML is the slow part of every command. The cache
keeps the validated records of a dataset directory in one SQLite file under
the user's cache directory, with each data file's name, size, modification
time and SHA-256. It is used only when every data file still matches: any
change to any file (edited, added, removed, renamed) is seen on the next run.
A file modified within two seconds of the cache's building is hashed again,
because a second change in the same clock tick leaves size and time alike.

The cache is an optimisation and nothing more: a missing, corrupt, truncated,
outdated or unwritable cache is rebuilt or skipped, never an error and never
a wrong answer. It is written to a temporary file and renamed into place, so
two processes building it at once each leave a whole file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from cislog import dates
from cislog.datadir import resolve_data_dir
from cislog.dataset import Dataset, Origin
from cislog.kinds import RecordKind, Reference
from cislog.stored import StoredRecord

if TYPE_CHECKING:
    from cislog.model import Document, Record

FORMAT = 8
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


def cache_file(directory: Path) -> Path:
    key = hashlib.sha256(str(directory.resolve()).encode("utf-8")).hexdigest()[:24]
    return cache_dir() / f"{key}.sqlite"


@functools.cache
def _code_stamp() -> str:
    """Changes whenever cislog's own code does, so a new version never reads an old cache.

    Taken once a process: an outdated cache asks for it up to three times (read,
    refresh, read again), and the code does not change under a running command.
    """
    package = Path(__file__).parent
    parts = []
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        parts.append(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


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


def _data_files(directory: Path) -> dict[str, Path]:
    return {p.name: p for p in directory.glob("*.toml") if p.is_file()}


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


def read(directory: Path) -> Dataset | None:
    """The cached dataset, if the cache exists and matches every data file; else None."""
    location = cache_file(directory)
    if not location.is_file():
        return None
    db = None
    try:
        db = sqlite3.connect(f"file:{location}?mode=ro", uri=True)
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("format") != str(FORMAT) or meta.get("code") != _code_stamp():
            db.close()
            return None
        built = int(meta["built_ns"])
        stored = {row[0]: row[1:] for row in db.execute("SELECT * FROM files")}
        files = _data_files(directory)
        if set(stored) != set(files):
            db.close()
            return None
        if not all(_matches(path, stored[name], built) for name, path in files.items()):
            db.close()
            return None
        return CachedDataset(directory, db, meta.get("fts") == "1")
    except (sqlite3.Error, OSError, KeyError, ValueError, TypeError):
        if db is not None:
            db.close()
        return None


_COLUMNS = "id, kind, file, idx, data"
# The order the records were read in: files by name, then as each file lists them.
_ORDER = "ORDER BY file, seq"


class CachedDataset(Dataset):
    """A dataset read from the cache record by record, as queries ask for them.

    At 100,000 events, decoding every record costs more than the query; here
    ids, kinds and the prefilters run in SQL and only the records a query
    touches are decoded. The cache file is only read: a damaged one fails
    inside SQLite, and the caller then reads the data files instead.
    """

    def __init__(self, directory: Path, db: sqlite3.Connection, fts: bool) -> None:
        super().__init__(directory, [])
        self._db = db
        self._fts = fts
        self._lines: dict[str, _FileLines] = {}
        self._everything: list[Record] | None = None
        self._texts: dict[str, str] = {}

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._db.close()

    def _decode(self, rows: Iterable[tuple[str, str, str, int, str]]) -> list[Record]:
        records: list[Record] = []
        for record_id, kind, file, index, data in rows:
            if record_id not in self._records:
                # A stored view stands in for the model it was dumped from.
                stored = cast("Record", StoredRecord(kind, json.loads(data)))
                lines = self._lines.setdefault(file, _FileLines(self.directory / file))
                self._records[record_id] = stored
                self._origins[record_id] = Origin(str(self.directory / file), lines, (kind, index))
            records.append(self._records[record_id])
        return records

    def _select(self, where: str = "", parameters: Sequence[Any] = ()) -> list[Record]:
        query = f"SELECT {_COLUMNS} FROM records {where} {_ORDER}"
        return self._decode(self._db.execute(query, parameters))

    def get(self, record_id: str) -> Record | None:
        if record_id not in self._records:
            self._select("WHERE id = ?", (record_id,))
        return self._records.get(record_id)

    def __getitem__(self, record_id: str) -> Record:
        record = self.get(record_id)
        if record is None:
            raise KeyError(record_id)
        return record

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self.get(record_id) is not None

    def __iter__(self) -> Iterator[Record]:
        if self._everything is None:
            self._everything = self._select()
        return iter(self._everything)

    def __len__(self) -> int:
        (count,) = self._db.execute("SELECT count(*) FROM records").fetchone()
        return int(count)

    def origin(self, record_id: str) -> Origin:
        self.get(record_id)
        return self._origins[record_id]

    def _typed(self, kind: RecordKind) -> dict[str, Any]:
        return {record.id: record for record in self._select("WHERE kind = ?", (kind,))}

    def references(self, record: Record) -> list[Reference]:
        row = self._db.execute("SELECT refs FROM records WHERE id = ?", (record.id,)).fetchone()
        return [Reference(tuple(p), tuple(k), t) for p, k, t in json.loads(row[0])] if row else []

    def referrers(self, record_id: str) -> list[tuple[Record, Reference]]:
        if self._referrers is None:
            index: dict[str, list[tuple[Record, Reference]]] = {}
            for record in self:
                for ref in self.references(record):
                    index.setdefault(ref.target, []).append((record, ref))
            self._referrers = index
        return self._referrers.get(record_id, [])

    def dated_candidates(
        self,
        earliest: dt.date | None,
        latest: dt.date | None,
        words: Sequence[str] = (),
        reverse: bool = False,
    ) -> Iterator[Any]:
        """Streamed in chronological order from SQL, decoded one by one and not kept:
        a timeline of 100,000 events never holds them all."""
        where = ["dated = 1"]
        parameters: list[Any] = []
        if latest is not None:
            where.append("(earliest IS NULL OR earliest <= ?)")
            parameters.append(latest.toordinal())
        if earliest is not None:
            where.append("(latest IS NULL OR latest >= ?)")
            parameters.append(earliest.toordinal())
        join = ""
        if words and self._fts:
            # The folded text to match comes with each candidate, in the same query.
            join = "JOIN search ON search.rowid = records.rowid"
            # FTS5 tokenises as Python does only for plain ASCII words; any other word
            # leaves the text test to Python alone, so the prefilter never drops a match.
            if all(re.fullmatch(r"[a-z0-9]+", w) for w in words):
                where.append("search MATCH ?")
                parameters.append(" AND ".join(f'"{w}"*' for w in words))
        order = "DESC" if reverse else "ASC"
        query = (
            f"SELECT records.kind, records.data{', search.text' if join else ''} "
            f"FROM records {join} WHERE {' AND '.join(where)} "
            f"ORDER BY records.sortday {order}, records.id {order}"
        )
        for kind, data, *text in self._db.execute(query, parameters):
            record = StoredRecord(kind, json.loads(data))
            if text:
                self._texts[record.id] = text[0]
            yield record

    def search_text(self, record: Record) -> str:
        if not self._fts:
            return super().search_text(record)
        text = self._texts.pop(record.id, None)
        return text if text is not None else super().search_text(record)

    def signing_candidates(self, countries: Sequence[str]) -> list[Any]:
        """Light views of the documents, read from the signatories table alone: each
        holds only the fields a signature row shows (id, title, date, org), and only
        the signatories of ``countries``. No document is decoded, and the table is
        kept in country order, so one country's rows are read from adjacent pages."""
        marks = ", ".join("?" for _ in countries)
        rows = self._db.execute(
            "SELECT id, title, date, org, country, status, note, sources FROM signatories "
            f"WHERE country IN ({marks})",
            countries,
        )
        documents: dict[str, SimpleNamespace] = {}
        for record_id, title, date, org, country, status, note, sources in rows:
            document = documents.get(record_id)
            if document is None:
                parsed = dates.parse(date) if date is not None else None
                document = SimpleNamespace(
                    KIND="document", id=record_id, title=title, date=parsed, org=org
                )
                document.signatories = []
                documents[record_id] = document
            document.signatories.append(
                SimpleNamespace(country=country, status=status, note=note, sources=sources.split())
            )
        return list(documents.values())


Fingerprints = dict[str, tuple[int, int, str]]


def write(directory: Path, dataset: Dataset, taken_ns: int, fingerprints: Fingerprints) -> None:
    """Store a validated dataset; any failure just leaves no cache.

    ``taken_ns`` is when the fingerprints were taken, before the files were
    read: files modified within two seconds of it are hashed on every read.
    """
    location = cache_file(directory)
    try:
        location.parent.mkdir(parents=True, exist_ok=True)
        with (
            _replacing(location) as temporary,
            contextlib.closing(sqlite3.connect(temporary)) as db,
        ):
            _fill(db, dataset, taken_ns, fingerprints)
    except (sqlite3.Error, OSError):
        return


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
CREATE TABLE files (name TEXT PRIMARY KEY, size INT, mtime INT, sha256 TEXT);
CREATE TABLE records (
    id TEXT, kind TEXT, file TEXT, idx INT, seq INT, data TEXT, refs TEXT,
    dated INT, earliest INT, latest INT, sortday INT
);
CREATE TABLE signatories (
    id TEXT, position INT, country TEXT, status TEXT, note TEXT, sources TEXT,
    title TEXT, date TEXT, org TEXT,
    PRIMARY KEY (country, id, position)
) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX records_id ON records (id);
CREATE INDEX records_kind ON records (kind, file, seq);
CREATE INDEX records_order ON records (file, seq);
CREATE INDEX records_dates ON records (dated, earliest, latest);
CREATE INDEX records_chronology ON records (sortday, id);
CREATE INDEX signatories_id ON signatories (id);
"""


def _fill(db: sqlite3.Connection, dataset: Dataset, taken_ns: int, prints: Fingerprints) -> None:
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(_SCHEMA)
    try:
        db.execute("CREATE VIRTUAL TABLE search USING fts5(id UNINDEXED, text)")
        fts = True
    except sqlite3.OperationalError:  # an SQLite built without FTS5
        fts = False
    meta = {"format": FORMAT, "code": _code_stamp(), "built_ns": taken_ns, "fts": int(fts)}
    db.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])
    _set_files(db, prints)
    _insert(db, dataset, fts)
    db.executescript(_INDEXES)
    db.commit()


def _set_files(db: sqlite3.Connection, prints: Fingerprints) -> None:
    db.execute("DELETE FROM files")
    rows = [(name, *values) for name, values in prints.items()]
    db.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", rows)


def _insert(db: sqlite3.Connection, dataset: Dataset, fts: bool) -> None:
    """Store every record of ``dataset``, keeping each file's records in reading order."""
    from cislog.query import searchable_text

    position_in_file: dict[str, int] = {}
    for record in dataset:
        row = _row(dataset, record)
        seq = position_in_file[row[2]] = position_in_file.get(row[2], -1) + 1
        cursor = db.execute(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*row[:4], seq, *row[4:]),
        )
        if record.KIND == "document":
            db.executemany(
                "INSERT INTO signatories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _signatory_rows(cast("Document", record)),
            )
        if fts:
            # The same rowid as the record, so that a query joins the two cheaply.
            db.execute(
                "INSERT INTO search (rowid, id, text) VALUES (?, ?, ?)",
                (cursor.lastrowid, record.id, searchable_text(record)),
            )


def _signatory_rows(document: Document) -> list[tuple[Any, ...]]:
    """A row a signatory, with the document's own fields a signature row shows, so
    that 'signed --country' never decodes a document (see signing_candidates).
    Source ids are slugs, so a space separates them."""
    shown = (document.title, None if document.date is None else str(document.date), document.org)
    return [
        (document.id, i, s.country, s.status, s.note, " ".join(s.sources), *shown)
        for i, s in enumerate(document.signatories)
    ]


def _row(dataset: Dataset, record: Any) -> tuple[Any, ...]:
    origin = dataset.origin(record.id)
    refs = [[list(r.path), list(r.kinds), r.target] for r in dataset.references(record)]
    date = getattr(record, "date", None) if record.KIND in ("event", "document") else None
    # The prefilter keeps every record that may fall in a range: the days a date may
    # fall on (its reach, one unit wider where it is marked ? or ~), not its bounds.
    first, last = date.reach if date is not None else (None, None)
    return (
        record.id,
        record.KIND,
        Path(origin.file).name,
        int(origin.path[1]),
        json.dumps(record.model_dump(mode="json", by_alias=True), ensure_ascii=False),
        json.dumps(refs, ensure_ascii=False),
        int(date is not None),
        first.toordinal() if first else None,
        last.toordinal() if last else None,
        date.sort_day.toordinal() if date is not None else None,
    )


def _fingerprints(directory: Path) -> tuple[int, Fingerprints]:
    """When the fingerprints were taken, and each data file's size, mtime and hash."""
    taken_ns = time.time_ns()
    prints = {}
    for name, path in _data_files(directory).items():
        stat = path.stat()
        prints[name] = (stat.st_size, stat.st_mtime_ns, _digest(path))
    return taken_ns, prints


# Kinds whose records other checks count across files (declared counts of bodies):
# a change to one of them is validated with the whole dataset.
_COUNTED_KINDS = ("org", "body")


def _refresh(directory: Path) -> Dataset | None:
    """Bring an outdated cache up to date by reading only the data files that changed.

    The changed files are read and validated, then checked against the ids the
    cache holds for the others: ids stay unique, references resolve, and no
    kept record refers to a record that is gone. Anything this cannot decide
    alone (a problem, a change to organisations or bodies, most of the data
    changed) returns None, and the caller reads and validates every file. The
    cache is copied, updated and renamed into place, as a full build is.
    """
    location = cache_file(directory)
    try:
        with contextlib.closing(sqlite3.connect(f"file:{location}?mode=ro", uri=True)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta"))
            stored = {row[0]: row[1:] for row in db.execute("SELECT * FROM files")}
        if meta.get("format") != str(FORMAT) or meta.get("code") != _code_stamp():
            return None
        built, fts = int(meta["built_ns"]), meta.get("fts") == "1"
        taken_ns = time.time_ns()
        prints: Fingerprints = {}
        changed: list[str] = []
        for name, path in _data_files(directory).items():
            old = stored.get(name)
            if old is not None and _matches(path, old, built):
                prints[name] = old
            else:
                changed.append(name)
                stat = path.stat()
                prints[name] = (stat.st_size, stat.st_mtime_ns, _digest(path))
        touched = sorted({*changed, *(set(stored) - set(prints))})
        changed_bytes = sum(prints[name][0] for name in changed)
        if not touched or changed_bytes * 2 > sum(size for size, _, _ in prints.values()):
            return None
        with _replacing(location) as temporary:
            shutil.copyfile(location, temporary)
            with contextlib.closing(sqlite3.connect(temporary)) as db:
                if not _update(db, directory, changed, touched, fts):
                    return None
                db.execute("UPDATE meta SET value = ? WHERE key = 'built_ns'", (str(taken_ns),))
                _set_files(db, prints)
                db.commit()
    except (sqlite3.Error, OSError, KeyError, ValueError, TypeError):
        return None
    # Read back through the same checks as any run: another process may have renamed
    # its own build into place since, and only a cache that matches the files will do.
    return read(directory)


def _update(
    db: sqlite3.Connection, directory: Path, changed: list[str], touched: list[str], fts: bool
) -> bool:
    """Replace the records of the touched files with those read from the changed ones;
    False, with nothing to keep, when the change needs the whole dataset validated."""
    from cislog.loading import read_directory
    from cislog.validation import check_records

    result = read_directory(directory, only=changed)
    if result.problems or not result.complete:
        return False
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("CREATE TEMP TABLE touched (file TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO touched VALUES (?)", [(name,) for name in touched])
    inside = "file IN (SELECT file FROM touched)"
    kept = dict(db.execute(f"SELECT id, kind FROM records WHERE NOT {inside}"))
    before = dict(db.execute(f"SELECT id, kind FROM records WHERE {inside}"))
    after = {entry.id: entry.kind for entry in result.records if entry.id is not None}
    if any(kind in _COUNTED_KINDS for kind in (*before.values(), *after.values())):
        return False
    if any(record_id in kept for record_id in after) or check_records(result, others=kept):
        return False
    lost = [(record_id,) for record_id, kind in before.items() if after.get(record_id) != kind]
    if lost:
        db.execute("CREATE TEMP TABLE lost (id TEXT PRIMARY KEY)")
        db.executemany("INSERT INTO lost VALUES (?)", lost)
        # A kept record naming a record that is gone, or is now of another kind.
        referring = db.execute(
            "SELECT 1 FROM records, json_each(records.refs) AS ref "
            f"WHERE NOT {inside} AND json_extract(ref.value, '$[2]') IN (SELECT id FROM lost) "
            "LIMIT 1"
        ).fetchone()
        if referring is not None:
            return False
    gone = f"SELECT id FROM records WHERE {inside}"
    db.execute(f"DELETE FROM signatories WHERE id IN ({gone})")
    if fts:
        db.execute(f"DELETE FROM search WHERE rowid IN (SELECT rowid FROM records WHERE {inside})")
    db.execute(f"DELETE FROM records WHERE {inside}")
    records = [(entry.record, entry.origin) for entry in result.records if entry.record]
    _insert(db, Dataset(directory, records), fts)
    return True


def load(path: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> Dataset:
    """Like :func:`cislog.load`, answered from the cache when it matches the files.

    The files are fingerprinted before they are read, so a change made while
    they are being read makes the stored fingerprints stale, never the data.
    """
    directory = resolve_data_dir(path)
    use_cache = use_cache and not os.environ.get(ENV_OFF)
    cached = read(directory) if use_cache else None
    if cached is not None:
        return cached
    from cislog.loading import load as load_files

    if not use_cache:
        return load_files(directory)
    refreshed = _refresh(directory)
    if refreshed is not None:
        return refreshed
    taken_ns, fingerprints = _fingerprints(directory) if directory.is_dir() else (0, {})
    dataset = load_files(directory)
    write(directory, dataset, taken_ns, fingerprints)
    return dataset
