"""Reading a dataset directory into records, reporting every problem with its place.

Loading never stops at the first problem: a researcher fixing a file by hand
wants the whole list at once. Each stage (finding files, decoding, parsing
TOML, checking each record against its model) adds problems and carries on
with what it could read; :mod:`cislog.validation` then checks records against
each other, and :mod:`cislog.pipeline` runs the two in turn.

Every problem carries a code (:data:`cislog.errors.ProblemCode`) chosen where the
problem is found: from the stage that found it, or from the code of the model's
refusal, never from the wording of a message.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
import tomllib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from cislog import tomlparse
from cislog.datafiles import scan
from cislog.dataset import MemoryDataset, Origin
from cislog.errors import InvalidValue, Problem, ProblemCode
from cislog.kinds import RECORD_KINDS, Reference
from cislog.locate import LineIndex, UnreadableLayout
from cislog.model import MODELS, Record, entry_model
from cislog.suggest import did_you_mean

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


@dataclass(slots=True)
class RawRecord:
    """A record as read from TOML, before or after its model accepted it."""

    kind: str
    raw: dict[str, Any]
    origin: Origin
    record: Record | None = None
    # The fields its model refused, by path: other checks leave them to that message.
    refused: frozenset[tuple[str | int, ...]] = frozenset()
    # Its references, once the check of references has listed them (a valid record's
    # are the dataset's too: listing them is a walk of every field of every record).
    references: list[Reference] | None = None

    def was_refused(self, path: tuple[str | int, ...]) -> bool:
        """Whether the model refused this field or one that holds it."""
        return any(path[: len(refused)] == refused for refused in self.refused)

    @property
    def path(self) -> tuple[str | int, ...]:
        return self.origin.path

    @property
    def id(self) -> str | None:
        value = self.raw.get("id")
        return value if isinstance(value, str) else None

    def problem(
        self, field_path: tuple[str | int, ...], code: ProblemCode, message: str
    ) -> Problem:
        """A problem about a field of this record, placed on the line that sets it."""
        return Problem(
            file=self.origin.file,
            line=self.origin.lines.line_of((*self.path, *field_path)),
            id=self.id,
            field=format_field(field_path) or None,
            message=message,
            code=code,
        )


@dataclass(slots=True)
class ReadResult:
    """Everything read from a directory: records, problems, and whether all files parsed."""

    directory: Path
    records: list[RawRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    complete: bool = True
    # Entries named *.toml that are not data files, with the reason (see datafiles).
    skipped: dict[str, str] = field(default_factory=dict)

    def dataset(self) -> MemoryDataset:
        """The records its models accepted, as a dataset, with the references the
        check of references listed already (see :attr:`RawRecord.references`)."""
        valid = [(r.record, r.origin) for r in self.records if r.record is not None]
        listed = {
            r.record.id: r.references
            for r in self.records
            if r.record is not None and r.references is not None
        }
        return MemoryDataset(self.directory, valid, listed)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block without Python's cyclic garbage collector, as it was before after.

    Reading a dataset makes millions of objects and keeps them all, and no cycles: the
    collector, run every few hundred allocations, walks the ever larger heap again
    each time it reaches the oldest generation, and took half the time of reading
    100,000 records. Reference counting still frees what is dropped meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # What the block made and kept goes to the oldest generation at once (a
            # list moved twice), as it would after surviving the young collections;
            # else the first of them walks every object read, a second at 100,000
            # records. Garbage in cycles, if any, waits for the next full collection.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _file_problem(name: str, line: int | None, code: ProblemCode, message: str) -> Problem:
    """A problem with a file or directory as a whole, not with one record."""
    return Problem(file=name, line=line, id=None, field=None, message=message, code=code)


def format_field(path: tuple[str | int, ...]) -> str:
    """``('signatories', 0, 'status')`` as ``signatories[0].status``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def read_directory(
    directory: Path,
    overrides: Mapping[str, bytes] | None = None,
    only: Collection[str] | None = None,
) -> ReadResult:
    """Read and model-check every ``*.toml`` file in ``directory``.

    ``overrides`` maps file names to contents to use instead of what is on
    disk (or as new files): how a write is validated before it is made.
    ``only`` names the files to read, when the others are known to be valid.
    """
    overrides = overrides or {}
    result = ReadResult(directory)
    if not directory.exists():
        result.problems.append(
            _file_problem(str(directory), None, "no-directory", "dataset directory does not exist")
        )
        result.complete = False
        return result
    if not directory.is_dir():
        result.problems.append(
            _file_problem(
                str(directory),
                None,
                "not-a-directory",
                "not a directory: give a dataset directory",
            )
        )
        result.complete = False
        return result
    found = scan(directory)
    result.skipped = found.skipped
    files = sorted({*found.files.values(), *(directory / name for name in overrides)})
    if not files:
        result.problems.append(
            _file_problem(
                str(directory), None, "no-data-files", "no *.toml files: the dataset is empty"
            )
        )
        result.complete = False
    for path in files:
        if only is None or path.name in only:
            _read_file(path, result, overrides.get(path.name))
    return result


def read_file(path: Path) -> ReadResult:
    """One data file read and model-checked, as :func:`read_directory` reads each."""
    result = ReadResult(path.parent)
    _read_file(path, result)
    return result


# A file of more records than this is read that many at a time (read_file_in_parts).
RECORDS_PER_PART = 1000
# Headers as cislog writes them, at the start of a line. Each pattern begins with the
# literal [[, which a search skips to at C speed; the start of the line is checked after.
_TOP_HEADER = re.compile(r"\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]")
_NESTED_HEADER = re.compile(r"\[\[[ \t]*[A-Za-z0-9_-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_-]+)+[ \t]*\]\]")


def _at_line_start(text: str, matches: Iterator[re.Match[str]]) -> list[re.Match[str]]:
    return [m for m in matches if m.start() == 0 or text[m.start() - 1] == "\n"]


def read_file_in_parts(path: Path, per_part: int | None = None) -> Iterator[ReadResult]:
    """A data file read and model-checked ``per_part`` records at a time (by default
    :data:`RECORDS_PER_PART`), so that the records of a large file, as read and as
    models, are held a part at a time: how a dataset is read in parts (see
    :func:`cislog.pipeline.read_in_parts`).

    The text is cut at the bare headers ``[[kind]]`` of its records, and each part
    parsed alone. That reads as the whole file reads where every ``[[`` in it
    begins a line as the bare header of a record or of a nested entry, and there
    is no multi-line string (see :func:`cislog.locate.header_lines`): a file
    otherwise is read whole, in one part. Should a part fail to parse, or hold
    anything but its own records, the last part yielded is incomplete, without
    records or problems: the caller reads the file whole (with
    :func:`read_directory`) for what it holds. Each record's line is its
    header's, known from the cut.
    """
    per_part = per_part or RECORDS_PER_PART
    result = ReadResult(path.parent)
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError:
        yield read_file(path)  # which says why, in its words
        return
    text = _decode(name, data, result)
    if text is None:
        result.complete = False
        yield result
        return
    del data
    headers = _at_line_start(text, _TOP_HEADER.finditer(text))
    if (
        len(headers) <= per_part
        or '"""' in text
        or "'''" in text
        # Every [[ in the file begins a line as a bare header, of a record or an entry.
        or text.count("[[")
        != len(headers) + len(_at_line_start(text, _NESTED_HEADER.finditer(text)))
    ):
        _read_text(name, text, result)
        yield result
        return
    index = LazyLineIndex(text)
    index.cut = True
    starts = [header.start() for header in headers] + [len(text)]
    if _parses_to(text[: starts[0]]) != {}:  # what comes before the first record
        _read_text(name, text, result)
        yield result
        return
    taken: dict[str, int] = {}
    line, position = 1, 0
    for first in range(0, len(headers), per_part):
        part = ReadResult(path.parent)
        cut = headers[first : first + per_part]
        named: dict[str, int] = {}
        for header in cut:
            kind = header.group(1)
            line += text.count("\n", position, header.start())
            position = header.start()
            index.known[(kind, taken.get(kind, 0) + named.get(kind, 0))] = line
            named[kind] = named.get(kind, 0) + 1
        document = _parses_to(text[starts[first] : starts[first + len(cut)]])
        if (
            document is None
            or {k: len(v) if isinstance(v, list) else -1 for k, v in document.items()} != named
        ):
            part.complete = False  # the caller reads the file whole
            yield part
            return
        try:
            for kind, items in document.items():
                _read_kind(name, index, kind, items, part, taken.get(kind, 0))
                taken[kind] = taken.get(kind, 0) + len(items)
        except UnreadableLayout:  # a problem's line, in a file that fails further on
            yield ReadResult(path.parent, complete=False)
            return
        yield part


def _parses_to(text: str) -> dict[str, Any] | None:
    try:
        return tomlparse.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None


def _read_file(path: Path, result: ReadResult, data: bytes | None = None) -> None:
    name = str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            result.problems.append(
                _file_problem(name, None, "unreadable", f"cannot read: {error.strerror}")
            )
            result.complete = False
            return
    text = _decode(name, data, result)
    if text is None:
        result.complete = False
        return
    _read_text(name, text, result)


def _read_text(name: str, text: str, result: ReadResult) -> None:
    """Parse and model-check a file's text, into ``result``."""
    try:
        document = tomlparse.loads(text)
    except tomllib.TOMLDecodeError as error:
        result.problems.append(_toml_problem(name, text, error))
        result.complete = False
        return
    except RecursionError:
        line = _first_line(text, _DEEP_NESTING)
        result.problems.append(
            _file_problem(
                name, line, "too-deep", "invalid TOML: arrays or tables nested too deeply to read"
            )
        )
        result.complete = False
        return
    except ValueError:  # tomllib's int() refuses numbers of over 4300 digits
        line = _first_line(text, _LONG_NUMBER)
        result.problems.append(
            _file_problem(
                name,
                line,
                "toml-syntax",
                "invalid TOML: a number too long to read (thousands of digits)",
            )
        )
        result.complete = False
        return
    index = LazyLineIndex(text)
    for kind, items in document.items():
        if isinstance(items, list):
            index.tables[kind] = len(items)
        _read_kind(name, index, kind, items, result)


_DEEP_NESTING = re.compile(r"[\[{](\s*[\[{]){49}")
_LONG_NUMBER = re.compile(r"\d{1000}")


def _first_line(text: str, pattern: re.Pattern[str]) -> int | None:
    """The line where ``pattern`` first matches, to place a problem tomllib cannot place."""
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _decode(name: str, data: bytes, result: ReadResult) -> str | None:
    if _looks_like_utf16(data):
        result.problems.append(
            _file_problem(
                name,
                1,
                "not-utf8",
                "UTF-16 text, but data files are UTF-8: save the file as UTF-8 "
                "(for instance: iconv -f UTF-16 -t UTF-8)",
            )
        )
        return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        result.problems.append(
            _file_problem(
                name, line, "binary-file", "binary file (contains a NUL byte), not TOML text"
            )
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        result.problems.append(
            _file_problem(
                name,
                line,
                "not-utf8",
                f"not valid UTF-8: byte 0x{byte:02x} at column {column}; save the file as UTF-8",
            )
        )
        return None


def _looks_like_utf16(data: bytes) -> bool:
    """Whether the bytes read as UTF-16 (with a byte-order mark or without): TOML's
    syntax is ASCII, which UTF-16 writes with a NUL in every other byte."""
    head = data[2:402] if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data[:400]
    if len(head) < 8:
        return False
    return max(head[1::2].count(0), head[::2].count(0)) > len(head) * 0.2


def _toml_problem(name: str, text: str, error: tomllib.TOMLDecodeError) -> Problem:
    message = str(error)
    line: int | None = None
    match = _TOML_POSITION.search(message)
    if match:
        line = int(match.group(1))
        message = f"{message[: match.start()]} (column {match.group(2)})"
    elif message.endswith("(at end of document)"):
        line = text.count("\n") + 1
        message = message.removesuffix(" (at end of document)") + " (at the end of the file)"
    return _file_problem(name, line, "toml-syntax", f"invalid TOML: {message}")


class LazyLineIndex:
    """A file's :class:`LineIndex`, built the first time a line number is needed that
    is not ``known`` (the lines of records, where reading in parts found them).

    In a file read in parts (``cut``), a line inside a record is found by indexing
    that record's text alone, from its header to the next record's. A dataset kept
    for long (``check``'s) releases each file's text (:meth:`release`) and reads
    the file again for a line it needs, if the file still holds the same text.
    """

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._index: LineIndex | None = None
        self.known: dict[tuple[str | int, ...], int] = {}
        # How many tables of each kind the file holds, where it was read whole: what
        # the scan of its headers must find (see known_line).
        self.tables: dict[str, int] = {}
        # Whether the file was cut into parts at its records' headers, each one at the
        # start of a line and none inside a multi-line string (see read_file_in_parts).
        self.cut = False
        self._file: str | None = None
        self._digest: bytes | None = None
        self._line_starts: list[int] | None = None
        # The index of each record a line was asked for in, by kind and header line.
        self._records: dict[tuple[str, int], LineIndex | None] = {}

    def known_line(self, path: tuple[str | int, ...]) -> int | None:
        """The line of ``path``, if it can be told without indexing the file: known from
        a cut into parts, from the index if it is built, or, for a record of a file
        read whole, from a scan of its headers (:func:`cislog.locate.header_lines`),
        which a cache takes to store every record's line."""
        known = self.known.get(path)
        if known is not None or len(path) != 2 or not isinstance(path[1], int):
            return known
        if self._index is not None:
            return self._index.line_of(path)
        kind = str(path[0])
        count = self.tables.pop(kind, None)
        text = self._text_as_read() if count is not None else None
        if count is not None and text is not None:
            from cislog.locate import header_lines

            for position, line in enumerate(header_lines(text, kind, count) or ()):
                self.known[(kind, position)] = line
        return self.known.get(path)

    def line_of(self, path: tuple[str | int, ...]) -> int:
        known = self.known.get(path)
        if known is not None:
            return known
        if self._index is None:
            start = self.known.get(path[:2]) if self.cut and len(path) > 2 else None
            in_record = None if start is None else self._line_in_record(path, start)
            if in_record is not None:
                return in_record
            text = self._text_as_read()
            if text is None:  # the file changed since it was read: the record's own line
                return self.known.get(path[:2], 1)
            self._index, self._text = LineIndex(text), None
        return self._index.line_of(path)

    def release(self, file: str) -> None:
        """Let go of the text, keeping a digest of it: ``file``, the file it was read
        from, is read again (and kept) the first time a line must be found in it."""
        if self._text is None or self._index is not None:
            return
        counts = dict(self.tables)
        for kind in counts:  # the records' lines, while the text is here
            self.known_line((kind, 0))
        if any((kind, n) not in self.known for kind, count in counts.items() for n in range(count)):
            return  # the headers do not tell them all (a multi-line string): keep the text
        self._file, self._digest = file, _text_digest(self._text)
        self._text = None

    def _text_as_read(self) -> str | None:
        """The file's text, as it was read; None if the file no longer holds it."""
        if self._text is None and self._file is not None:
            try:
                text: str | None = Path(self._file).read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = None
            if text is not None and _text_digest(text) != self._digest:
                text = None
            self._text, self._file = text, None  # read again once, whatever it held
        return self._text

    def _line_in_record(self, path: tuple[str | int, ...], start: int) -> int | None:
        """The line of ``path`` inside the record whose header is on line ``start``, from
        an index of the record's text alone (see :meth:`_record_index`); None where
        that would not be the line the whole file gives."""
        kind = str(path[0])
        if (kind, start) not in self._records:
            self._records[(kind, start)] = self._record_index(kind, start)
        index = self._records[(kind, start)]
        return None if index is None else start - 1 + index.line_of((kind, 0, *path[2:]))

    def _record_index(self, kind: str, start: int) -> LineIndex | None:
        """The index of the text of the record of ``kind`` whose header is on line
        ``start``, up to the next record's header, made once for all the lines asked
        for in it; None where the text holds a header of anything but the record and
        its entries, or a table that may be one of its entries follows, before the
        next record of its kind (TOML lets ``[[document.signatories]]`` after an
        ``[[event]]`` add to the document)."""
        text = self._text_as_read()
        if text is None:
            return None
        if self._line_starts is None:
            self._line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        if not 0 < start <= len(self._line_starts):
            return None
        begin = self._line_starts[start - 1]
        end = following = len(text)
        for header in _TOP_HEADER.finditer(text, begin + 1):
            if text[header.start() - 1] == "\n":
                end = min(end, header.start())
                if header.group(1) == kind:
                    following = header.start()
                    break
        for table in _TABLE_OPENING.finditer(text, end, following):
            if table.group(1) in (None, kind):
                return None
        try:
            index = LineIndex(text[begin:end])
        except UnreadableLayout:
            return None
        own = (kind, 0)
        if not index.headers or any(found[:2] != own for _, found in index.headers):
            return None
        return index


# A line opening with a table header (or an array of arrays), and its first key where
# that is bare: what may add to a record of that kind, wherever it stands.
_TABLE_OPENING = re.compile(r"^[ \t]*\[\[?[ \t]*([A-Za-z0-9_-]+)?", re.MULTILINE)


def _text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _read_kind(
    name: str, index: LazyLineIndex, kind: str, items: Any, result: ReadResult, taken: int = 0
) -> None:
    """Read the records of one kind; ``taken`` of them were read before, in parts."""
    if kind not in MODELS:
        hint = did_you_mean(kind, RECORD_KINDS)
        result.problems.append(
            _file_problem(
                name,
                index.line_of((kind,)),
                "unknown-kind",
                f"unknown record kind '{kind}'{hint}; known kinds: {', '.join(RECORD_KINDS)}",
            )
        )
        return
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        result.problems.append(
            _file_problem(
                name,
                index.line_of((kind,)),
                "not-array-of-tables",
                f"'{kind}' must be an array of tables, each record under a [[{kind}]] header",
            )
        )
        return
    for position, raw in enumerate(items, taken):
        path = (kind, position)
        entry = RawRecord(kind, raw, Origin(name, index, path))
        try:
            entry.record = MODELS[kind].model_validate(raw)
        except RecursionError:
            result.problems.append(
                entry.problem((), "too-deep", "values nested too deeply to check")
            )
        except ValidationError as error:
            details = error.errors(include_url=False)
            result.problems.extend(
                entry.problem(tuple(detail["loc"]), _code(detail), _describe(MODELS[kind], detail))
                for detail in details
            )
            entry.refused = frozenset(tuple(detail["loc"]) for detail in details)
        result.records.append(entry)


def _nested_model(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that holds the field at the end of ``loc``."""
    current: type[BaseModel] = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = {f.alias or n: f for n, f in current.model_fields.items()}
        found = fields.get(part)
        if found is None:
            return None
        inner = entry_model(found.annotation)
        if inner is None:
            return None
        current = inner
    return current


_TOML_TYPES = {
    str: "a string",
    int: "an integer",
    float: "a float",
    bool: "a boolean",
    list: "an array",
    dict: "a table",
}


def _describe_value(value: Any) -> str:
    kind = next((label for t, label in _TOML_TYPES.items() if type(value) is t), "a date or time")
    if isinstance(value, str | int | float | bool):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        return f"{kind} ({shown})"
    return kind


# Pydantic's error types, its stable codes, as cislog's; a value error carries its own.
_PYDANTIC_CODES: dict[str, ProblemCode] = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-field",
    "literal_error": "unknown-value",
    "less_than": "out-of-range",
    "less_than_equal": "out-of-range",
    "greater_than": "out-of-range",
    "greater_than_equal": "out-of-range",
    "int_from_float": "wrong-type",
}


def _code(detail: ErrorDetails) -> ProblemCode:
    """The code of the problem one Pydantic error becomes: from the code of the
    exception a validator raised (:class:`InvalidValue`), else from the error's type."""
    kind = detail["type"]
    if kind == "value_error":
        error = detail.get("ctx", {}).get("error")
        return error.code if isinstance(error, InvalidValue) else "invalid-value"
    if kind in _PYDANTIC_CODES:
        return _PYDANTIC_CODES[kind]
    # string_type, list_type, model_type, int_parsing, ...: a value of another type.
    if kind.endswith(("_type", "_parsing")):
        return "wrong-type"
    return "invalid-value"


def _describe(model: type[BaseModel], detail: ErrorDetails) -> str:
    """A plain-language message for one Pydantic error, with a hint where one helps."""
    kind = detail["type"]
    loc = tuple(detail["loc"])
    message = detail["msg"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        holder = _nested_model(model, loc)
        known = [f.alias or n for n, f in holder.model_fields.items()] if holder else []
        return f"unknown field '{loc[-1]}'{did_you_mean(str(loc[-1]), known)}"
    if kind == "value_error":
        # The validator's own exception, rather than Pydantic's "Value error, " text.
        error = detail.get("ctx", {}).get("error")
        return str(error) if error is not None else message
    if kind == "literal_error":
        value = detail["input"]
        allowed = detail.get("ctx", {}).get("expected", "")
        hint = (
            did_you_mean(value, re.findall(r"'([^']*)'", allowed)) if isinstance(value, str) else ""
        )
        return f"{_describe_value(value)} is not allowed{hint}: expected {allowed}"
    expectation = message.removeprefix("Input should be ")
    if expectation != message:
        return f"expected {expectation}, got {_describe_value(detail['input'])}"
    return message
