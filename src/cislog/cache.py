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
import hashlib
import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from cislog.datadir import resolve_data_dir
from cislog.dataset import Dataset, Origin
from cislog.kinds import Reference
from cislog.stored import StoredRecord

FORMAT = 2
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


def _code_stamp() -> str:
    """Changes whenever cislog's own code does, so a new version never reads an old cache."""
    package = Path(__file__).parent
    parts = []
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        parts.append(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    try:
        with contextlib.closing(sqlite3.connect(f"file:{location}?mode=ro", uri=True)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if meta.get("format") != str(FORMAT) or meta.get("code") != _code_stamp():
                return None
            built = int(meta["built_ns"])
            stored = {row[0]: row[1:] for row in db.execute("SELECT * FROM files")}
            files = _data_files(directory)
            if set(stored) != set(files):
                return None
            for name, path in files.items():
                size, mtime, digest = stored[name]
                stat = path.stat()
                if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
                    return None
                if mtime >= built - RACY_NANOSECONDS and _digest(path) != digest:
                    return None
            rows = db.execute("SELECT id, kind, file, idx, data, refs FROM records ORDER BY rowid")
            return _dataset(directory, rows)
    except (sqlite3.Error, OSError, KeyError, ValueError, TypeError):
        return None


class _References(dict[str, list[Reference]]):
    """References by record id, decoded from their JSON the first time they are asked for."""

    def __init__(self, encoded: dict[str, str]) -> None:
        super().__init__()
        self._encoded = encoded

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self:
            encoded = self._encoded.get(key)
            if encoded is None:
                return default
            self[key] = [Reference(tuple(p), tuple(k), t) for p, k, t in json.loads(encoded)]
        return self[key]


def _dataset(directory: Path, rows: Any) -> Dataset:
    lines: dict[str, _FileLines] = {}
    records = []
    encoded: dict[str, str] = {}
    for record_id, kind, file, index, data, refs in rows:
        name = str(directory / file)
        origin = Origin(name, lines.setdefault(file, _FileLines(directory / file)), (kind, index))
        records.append((StoredRecord(kind, json.loads(data)), origin))
        encoded[record_id] = refs
    return Dataset(directory, records, _References(encoded))  # type: ignore[arg-type]


def write(directory: Path, dataset: Dataset, fingerprints: dict[str, tuple[int, int, str]]) -> None:
    """Store a validated dataset; any failure just leaves no cache."""
    location = cache_file(directory)
    try:
        location.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=location.parent, prefix=".build-", suffix=".sqlite")
        os.close(handle)
        temporary = Path(name)
        try:
            with contextlib.closing(sqlite3.connect(temporary)) as db:
                db.execute("PRAGMA journal_mode = OFF")
                db.execute("PRAGMA synchronous = OFF")
                db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
                db.execute(
                    "CREATE TABLE files (name TEXT PRIMARY KEY, size INT, mtime INT, sha256 TEXT)"
                )
                db.execute(
                    "CREATE TABLE records "
                    "(id TEXT, kind TEXT, file TEXT, idx INT, data TEXT, refs TEXT)"
                )
                db.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [
                        ("format", str(FORMAT)),
                        ("code", _code_stamp()),
                        ("built_ns", str(time.time_ns())),
                    ],
                )
                db.executemany(
                    "INSERT INTO files VALUES (?, ?, ?, ?)",
                    [(name, *values) for name, values in fingerprints.items()],
                )
                db.executemany(
                    "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)",
                    (_row(dataset, record) for record in dataset),
                )
                db.commit()
            temporary.replace(location)
        finally:
            temporary.unlink(missing_ok=True)
    except (sqlite3.Error, OSError):
        return


def _row(dataset: Dataset, record: Any) -> tuple[str, str, str, int, str, str]:
    origin = dataset.origin(record.id)
    refs = [[list(r.path), list(r.kinds), r.target] for r in dataset.references(record)]
    return (
        record.id,
        record.KIND,
        Path(origin.file).name,
        int(origin.path[1]),
        json.dumps(record.model_dump(mode="json", by_alias=True), ensure_ascii=False),
        json.dumps(refs, ensure_ascii=False),
    )


def _fingerprints(directory: Path) -> dict[str, tuple[int, int, str]]:
    prints = {}
    for name, path in _data_files(directory).items():
        stat = path.stat()
        prints[name] = (stat.st_size, stat.st_mtime_ns, _digest(path))
    return prints


def load(path: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> Dataset:
    """Like :func:`cislog.load`, answered from the cache when it matches the files.

    The files are fingerprinted before they are read, so a change made while
    they are being read makes the stored fingerprints stale, never the data.
    """
    directory = resolve_data_dir(path)
    if not use_cache or os.environ.get(ENV_OFF):
        from cislog.loading import load as load_files

        return load_files(directory)
    cached = read(directory)
    if cached is not None:
        return cached
    fingerprints = _fingerprints(directory) if directory.is_dir() else {}
    from cislog.loading import load as load_files

    dataset = load_files(directory)
    write(directory, dataset, fingerprints)
    return dataset
