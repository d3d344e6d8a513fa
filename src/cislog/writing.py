"""Changing a dataset safely: validated first, serialised, atomic, never blind.

Every change runs as one transaction:

1. take the dataset's lock file, so concurrent writers queue instead of racing;
2. read the files and compute their new text (with :mod:`cislog.tomlfile`,
   which leaves every byte it does not need to change untouched);
3. validate the whole dataset as it would be, refusing with the same problems
   ``cislog validate`` reports, before anything is written;
4. check that no file changed on disk since it was read, then write each one
   to a temporary file in the same directory, fsync it and rename it over the
   original, so that a process killed at any moment leaves the old file or
   the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cislog import tomlfile
from cislog.atomic import Target, data_file_target, leftover_temporaries, replace_all
from cislog.datadir import resolve_data_dir
from cislog.datafiles import scan
from cislog.dataset import Dataset
from cislog.errors import CislogError, Problem
from cislog.folding import fold
from cislog.inert import is_visible, visible
from cislog.kinds import DEFAULT_FILES, RecordKind
from cislog.loading import format_field
from cislog.locate import split_lines
from cislog.model import MODELS
from cislog.pipeline import read_dataset
from cislog.render import plural

LOCK_NAME = ".cislog.lock"
LOCK_TIMEOUT = 60.0
_BOM = "\ufeff"
_BOM_BYTES = _BOM.encode("utf-8")


class WriteError(CislogError):
    """A change that was not made; nothing was written."""


class Refused(WriteError):
    """The dataset would be invalid after the change (or is already); ``problems`` says why."""

    def __init__(self, problems: list[Problem], already: bool = False, why: str = "") -> None:
        self.problems = problems
        self.already = already
        count = plural(len(problems), "problem")
        reason = (
            f"the dataset already has {count}; fix them first"
            if already
            else f"the change would leave {count} in the dataset{why}"
        )
        super().__init__(f"refused: {reason}; nothing was written")


@dataclass
class Change:
    """What a transaction changed (or, in a dry run, would change)."""

    directory: Path
    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)
    written: bool = False
    new_ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # What else the change does besides its target (references a forced removal takes).
    also: list[str] = field(default_factory=list)

    @property
    def changed_files(self) -> list[str]:
        return sorted(name for name in self.after if self.after[name] != self.before.get(name))

    def diff(self) -> str:
        """The change as a unified diff, file by file."""
        out: list[str] = []
        for name in self.changed_files:
            out.extend(
                difflib.unified_diff(
                    split_lines(self.before.get(name, ""), keepends=True),
                    split_lines(self.after[name], keepends=True),
                    fromfile=f"a/{name}",
                    tofile=f"b/{name}",
                )
            )
        return "".join(line if line.endswith("\n") else line + "\n" for line in out)


# --- files ----------------------------------------------------------------------


def _open_lock(path: Path) -> tuple[int, bool]:
    """The lock file, opened without following a link (a dataset's ``.cislog.lock`` that
    is a link would otherwise create or lock a file anywhere), and whether this call
    created it: only a lock cislog created is removed afterwards."""
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    while True:
        try:
            flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | nofollow
            return _checked_lock(os.open(path, flags, 0o600), path), True
        except FileExistsError:
            pass
        except OSError as error:
            raise _lock_error(path, error) from None
        try:
            return _checked_lock(os.open(path, os.O_RDWR | os.O_NONBLOCK | nofollow), path), False
        except FileNotFoundError:
            continue  # removed in between: create it
        except OSError as error:
            raise _lock_error(path, error) from None


def _checked_lock(handle: int, path: Path) -> int:
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise WriteError(f"{path} is not a regular file: remove it; nothing was written")
    return handle


def _lock_error(path: Path, error: OSError) -> WriteError:
    if error.errno == errno.ELOOP:
        return WriteError(
            f"{path} is a symbolic link; cislog locks only a file of its own there: "
            "remove the link; nothing was written"
        )
    return WriteError(f"cannot write to {path.parent}: {error.strerror}; nothing was written")


@contextlib.contextmanager
def dataset_lock(directory: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the dataset's lock file: one writer at a time, others wait their turn.

    A lock file this writer created is removed before the lock is released, so a
    write leaves the directory as it found it (one that was there before stays).
    A waiter that then gets the lock of the removed file sees that the name no
    longer leads to it, and starts again.
    """
    import fcntl

    path = directory / LOCK_NAME
    deadline = time.monotonic() + timeout
    while True:
        handle, created = _open_lock(path)
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as error:
                    if error.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() > deadline:
                        raise WriteError(
                            f"another cislog has been writing to {directory} for over "
                            f"{timeout:.0f} seconds ({path}); nothing was written"
                        ) from None
                    time.sleep(0.02)
            try:
                current = path.lstat()
            except FileNotFoundError:
                continue  # the holder removed it: take a new one
            held = os.fstat(handle)
            if (current.st_dev, current.st_ino) != (held.st_dev, held.st_ino):
                continue
            try:
                yield
            finally:
                if created:
                    with contextlib.suppress(OSError):
                        path.unlink()
            return
        finally:
            os.close(handle)  # closing releases the lock


def _check_writable(directory: Path) -> None:
    installed = Path(__file__).parent / "data"
    if installed.is_dir() and directory.resolve() == installed.resolve():
        raise WriteError(
            "the bundled dataset is part of the installed package and is not edited in place; "
            "copy it (cislog --data DIR) and write there"
        )
    if not directory.is_dir():
        raise WriteError(f"{directory}: dataset directory does not exist")


def _read_files(files: Mapping[str, Path]) -> dict[str, bytes]:
    try:
        return {name: path.read_bytes() for name, path in files.items()}
    except OSError as error:
        raise WriteError(f"cannot read {error.filename}: {error.strerror}") from None


def _remove_leftovers(directory: Path, data_files: Iterable[Path]) -> list[str]:
    """Remove the temporary files of writes that were killed before their rename; under
    the lock, no other writer can be filling one. A file a data file links to is
    data, whatever its name."""
    linked = {os.path.realpath(path) for path in data_files}
    notes = []
    for leftover in leftover_temporaries(directory):
        if os.path.realpath(leftover) in linked:
            continue
        with contextlib.suppress(OSError):
            leftover.unlink()
            notes.append(f"removed {leftover}, left by an interrupted write")
    return notes


def transaction(
    path: str | os.PathLike[str] | None,
    build: Callable[[Mapping[str, str], Dataset], tuple[dict[str, str], list[str]]],
    *,
    dry_run: bool = False,
) -> Change:
    """Lock, read, build new file texts, validate, then write atomically.

    ``build`` gets the current texts by file name and the dataset they hold
    (read once, to check it is valid), and returns the new texts of the files
    it changes, and the ids it created. A dry run makes every check a real run
    makes, and writes nothing.
    """
    directory = resolve_data_dir(path)
    _check_writable(directory)
    # A dry run (fmt --check, --dry-run) writes nothing, so it takes no lock and
    # leaves no lock file in a dataset it only reads.
    with contextlib.nullcontext() if dry_run else dataset_lock(directory):
        dataset, existing = read_dataset(directory)
        if existing:
            raise Refused(existing, already=True)
        files = scan(directory).files
        raw = _read_files(files)
        # Edits work on text without a byte-order mark; a file that had one keeps it.
        marked = {name for name, data in raw.items() if data.startswith(_BOM_BYTES)}
        texts = {name: data.decode("utf-8-sig") for name, data in raw.items()}
        try:
            after, new_ids = build(texts, dataset)
        except tomlfile.LayoutError as error:
            raise WriteError(str(error)) from None
        after = {name: (_BOM if name in marked else "") + text for name, text in after.items()}
        texts = {name: (_BOM if name in marked else "") + text for name, text in texts.items()}
        change = Change(directory, before=texts, after=after, new_ids=new_ids)
        overrides = {name: text.encode("utf-8") for name, text in after.items()}
        _, problems = read_dataset(directory, overrides)
        if problems:
            raise Refused(problems)
        targets = {name: data_file_target(directory, name) for name in change.changed_files}
        if dry_run:
            return change
        for name in change.changed_files:
            if _current_bytes(targets[name]) != raw.get(name):
                raise WriteError(
                    f"{directory / name} changed on disk while cislog was writing; "
                    "nothing was written"
                )
        replace_all([(targets[name], overrides[name]) for name in change.changed_files])
        change.written = True
        change.warnings.extend(_remove_leftovers(directory, files.values()))
    return change


def _current_bytes(target: Target) -> bytes | None:
    """What the file holds now (None if there is none), to compare with what was read."""
    try:
        return target.path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise WriteError(f"cannot read {target.path}: {error.strerror}") from None


# --- ids ---------------------------------------------------------------------------


def make_id(title: str, date: str | None, taken: set[str]) -> str:
    """A readable, unique slug from a title and the year of its date."""
    words = re.findall(r"[a-z0-9]+", fold(title))
    year = re.match(r"\d{4}", date or "")
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 50:
            break
        slug = f"{slug}-{word}" if slug else word
    if year and year.group() not in slug.split("-"):
        slug = f"{slug}-{year.group()}" if slug else year.group()
    slug = slug or "record"
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def _where(dataset: Dataset, record_id: str) -> tuple[str, str, int]:
    """The file name, kind and index of the record with ``record_id``."""
    if record_id not in dataset:
        raise WriteError(f"no record has the id '{record_id}'")
    origin = dataset.origin(record_id)
    kind, index = origin.path
    return Path(origin.file).name, str(kind), int(index)


def _check_file_name(name: str) -> str:
    if Path(name).name != name or not name.endswith(".toml") or name.startswith("."):
        raise WriteError(f"'{name}' is not a data file name: give a name like 'events.toml'")
    if not is_visible(name):
        raise WriteError(
            f"'{visible(name)}' holds control or bidi characters; give a plain file name"
        )
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:
        raise WriteError(
            "the file name is not valid UTF-8 text; give a name like 'events.toml'"
        ) from None
    if len(encoded) > 255:
        raise WriteError(
            f"the file name is {len(encoded)} bytes long; file systems allow 255 at most"
        )
    return name


# TOML integers are 64-bit.
_LARGEST_INTEGER = 2**63 - 1


def check_fields(fields: Mapping[Any, Any], where: str = "", entries: bool = True) -> None:
    """Refuse, naming the field, what no record can hold. A record is fields whose
    values are plain (text, a number, true or false), lists of plain values, or,
    in a record (``entries``) rather than an entry, lists of entries (signatories,
    offices), each again plain fields. Null, text that is not valid Unicode (a lone
    surrogate: bytes that were not UTF-8), a number beyond 64 bits or not a number
    (NaN), a list mixing entries and plain values, an object where a value belongs
    and lists nested in lists are each refused."""
    for key, value in fields.items():
        _check_plain(key, where or "a field name")
        label = f"{where}.{key}" if where else str(key)
        if isinstance(value, list) and any(isinstance(item, Mapping) for item in value):
            if not entries:
                raise WriteError(f"{label}: entries cannot hold entries of their own")
            for position, item in enumerate(value):
                if not isinstance(item, Mapping):
                    raise WriteError(
                        f"{label}[{position}]: expected an entry (an object) like the others"
                    )
                check_fields(item, f"{label}[{position}]", entries=False)
        elif isinstance(value, list):
            for position, item in enumerate(value):
                if isinstance(item, list):
                    raise WriteError(f"{label}[{position}]: nested too deeply for a field")
                _check_plain(item, f"{label}[{position}]")
        elif isinstance(value, Mapping):
            raise WriteError(f"{label}: an object is not a value this field holds")
        else:
            _check_plain(value, label)


def _check_plain(value: Any, label: str) -> None:
    if value is None:
        raise WriteError(f"{label}: null is not a value a data file can hold; leave the field out")
    if isinstance(value, bool):
        return
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise WriteError(f"{label}: {value} is not a number a field can hold")
        return
    if isinstance(value, int):
        if abs(value) > _LARGEST_INTEGER:
            raise WriteError(f"{label}: the number is too large for a data file (64 bits)")
        return
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise WriteError(
                f"{label}: text that is not valid Unicode (a lone surrogate: "
                "were the bytes given UTF-8?)"
            ) from None
        return
    if isinstance(value, Mapping | list):
        raise WriteError(f"{label}: nested too deeply for a field")
    raise WriteError(f"{label}: a {type(value).__name__} is not a value a data file can hold")


# --- the operations ----------------------------------------------------------------


def add_records(
    path: str | os.PathLike[str] | None,
    kind: RecordKind,
    records: Sequence[Mapping[str, Any]],
    *,
    file: str | None = None,
    dry_run: bool = False,
) -> Change:
    """Append new records of one kind to a data file, giving an id to those without."""
    name = _check_file_name(file or DEFAULT_FILES[kind])
    for record in records:
        check_fields(record)

    def build(texts: Mapping[str, str], dataset: Dataset) -> tuple[dict[str, str], list[str]]:
        taken = {record.id for record in dataset}
        rendered, ids = [], []
        for record in records:
            data = dict(record)
            if not data.get("id"):
                title = next((str(data[k]) for k in ("title", "name", "text") if data.get(k)), "")
                data["id"] = make_id(title, str(data.get("date") or ""), taken)
            taken.add(str(data["id"]))
            ids.append(str(data["id"]))
            rendered.append(tomlfile.render_record(kind, data))
        old = texts[name] if name in texts else tomlfile.new_file_header(texts)
        return {name: tomlfile.append(old, rendered)}, ids

    return transaction(path, build, dry_run=dry_run)


def _edit_in_place(
    path: str | os.PathLike[str] | None,
    record_id: str,
    edit: Callable[[str, str, int], str],
    *,
    dry_run: bool,
) -> Change:
    """A transaction that changes the text of the one file holding ``record_id``."""

    def build(texts: Mapping[str, str], dataset: Dataset) -> tuple[dict[str, str], list[str]]:
        name, kind, index = _where(dataset, record_id)
        return {name: edit(texts[name], kind, index)}, []

    return transaction(path, build, dry_run=dry_run)


def add_entry(
    path: str | os.PathLike[str] | None,
    record_id: str,
    key: str,
    item: Mapping[str, Any],
    *,
    dry_run: bool = False,
) -> Change:
    """Add a nested entry (a signatory, an office, a membership) to an existing record."""
    check_fields(item, key, entries=False)
    return _edit_in_place(
        path,
        record_id,
        lambda text, kind, index: tomlfile.append_subtable(text, kind, index, key, item),
        dry_run=dry_run,
    )


def edit_record(
    path: str | os.PathLike[str] | None,
    record_id: str,
    changes: Mapping[str, Any],
    *,
    dry_run: bool = False,
) -> Change:
    """Change top-level fields of one record (``None`` removes a field); nothing else moves."""
    _check_changes(changes)
    return _edit_in_place(
        path,
        record_id,
        lambda text, kind, index: tomlfile.set_fields(text, kind, index, changes),
        dry_run=dry_run,
    )


def edit_assignments(
    path: str | os.PathLike[str] | None,
    record_id: str,
    assignments: Sequence[str],
    *,
    dry_run: bool = False,
) -> Change:
    """:func:`edit_record` with the changes as typed (``FIELD=VALUE``), each value read
    by the type of its field in the record's kind, which the one read of the dataset
    the write makes tells (the command line knows only the id)."""

    def edit(text: str, kind: str, index: int) -> str:
        changes = dict(parse_assignment(kind, assignment) for assignment in assignments)
        _check_changes(changes)
        return tomlfile.set_fields(text, kind, index, changes)

    return _edit_in_place(path, record_id, edit, dry_run=dry_run)


def _check_changes(changes: Mapping[str, Any]) -> None:
    if "id" in changes:
        raise WriteError("an id cannot be edited: other records refer to it by that id")
    kept = {key: value for key, value in changes.items() if value is not None}
    if any(isinstance(v, list) and any(isinstance(i, Mapping) for i in v) for v in kept.values()):
        raise WriteError("entries (signatories, offices, ...) are added with 'cislog add'")
    check_fields(kept)


def remove_record(
    path: str | os.PathLike[str] | None,
    record_id: str,
    *,
    force: bool = False,
    dry_run: bool = False,
) -> Change:
    """Remove a record. Refused, naming them, when other records refer to it; with
    ``force``, every reference to it is removed too (a list loses the item, a single
    reference its field), and ``Change.also`` says where; if that leaves a record
    invalid (a fact with no source left), it is refused."""
    also: list[str] = []

    def build(texts: Mapping[str, str], dataset: Dataset) -> tuple[dict[str, str], list[str]]:
        name, kind, index = _where(dataset, record_id)
        changed = dict(texts)
        referring = _references_to(dataset, record_id)
        if referring and not force:
            listed = sorted(f"{dataset[r].KIND} {r}" for r in referring)
            shown = ", ".join(listed[:10]) + (
                f" and {len(listed) - 10} more" if len(listed) > 10 else ""
            )
            raise WriteError(
                f"{record_id} is referred to by {plural(len(listed), 'record')}: {shown}; "
                "remove those references first, or use --force to remove them with it "
                "(--dry-run shows what would change)"
            )
        if force:
            for referrer, fields in referring.items():
                file, referrer_kind, position = _where(dataset, referrer)
                for (entry, key), keep in fields.items():
                    changed[file] = _drop_reference(
                        changed[file], referrer_kind, position, entry, key, record_id, keep
                    )
                    shown = format_field((*entry, key)) if entry else key
                    also.append(f"{referrer}: removed the reference to {record_id} from {shown}")
        changed[name] = tomlfile.remove_record(changed[name], kind, index)
        return {n: t for n, t in changed.items() if t != texts.get(n)}, []

    try:
        change = transaction(path, build, dry_run=dry_run)
    except Refused as refused:
        if not also or refused.already:
            raise
        why = f" (--force removes the references to {record_id}, and these need them)"
        raise Refused(refused.problems, why=why) from None
    change.also = also
    return change


Path_ = tuple[str | int, ...]


def _references_to(dataset: Dataset, record_id: str) -> dict[str, dict[tuple[Path_, str], bool]]:
    """The fields that refer to ``record_id``, by referring record: for each (entry, key),
    whether it is a list (keep its other items) or a single reference (drop the field)."""
    found: dict[str, dict[tuple[Path_, str], bool]] = {}
    for referrer, reference in dataset.referrers(record_id):
        if referrer.id == record_id:
            continue  # removed with the record
        where = reference.path
        is_list = isinstance(where[-1], int)
        field_path = where[:-1] if is_list else where
        entry, key = tuple(field_path[:-1]), str(field_path[-1])
        found.setdefault(referrer.id, {})[(entry, key)] = is_list
    return found


def _drop_reference(
    text: str, kind: str, index: int, entry: Path_, key: str, target: str, is_list: bool
) -> str:
    from cislog import tomlparse

    data = tomlparse.loads(text)[kind][index]
    for step in entry:
        data = data[step]
    value: Any = None
    if is_list:
        value = [item for item in data.get(key, []) if item != target] or None
    if len(entry) not in (0, 2):
        raise WriteError(f"the reference in {format_field((*entry, key))} cannot be removed")
    at = (str(entry[0]), int(entry[1])) if entry else None
    return tomlfile.set_fields(text, kind, index, {key: value}, entry=at)


def format_files(path: str | os.PathLike[str] | None, *, dry_run: bool = False) -> Change:
    """Lay every data file out canonically (see :func:`tomlfile.format_text`)."""
    directory = resolve_data_dir(path)

    def build(texts: Mapping[str, str], _: Dataset) -> tuple[dict[str, str], list[str]]:
        formatted = {}
        for name, text in texts.items():
            try:
                formatted[name] = tomlfile.format_text(text)
            except tomlfile.LayoutError as error:
                raise WriteError(f"{directory / name}: {error}") from None
        return formatted, []

    return transaction(path, build, dry_run=dry_run)


# --- values typed on a command line ------------------------------------------------


def _field_type(kind: str, name: str) -> Any:
    model = MODELS[kind]
    for attribute, info in model.model_fields.items():
        if (info.alias or attribute) == name:
            return info.annotation
    from cislog.suggest import did_you_mean

    known = [info.alias or attribute for attribute, info in model.model_fields.items()]
    raise WriteError(f"a {kind} has no field '{name}'{did_you_mean(name, known)}")


def parse_assignment(kind: str, assignment: str) -> tuple[str, Any]:
    """``FIELD=VALUE`` as typed by a user, with VALUE read by the field's type.

    Lists take ``a,b,c`` or a JSON array; booleans ``true``/``false``; numbers
    digits; an empty VALUE removes the field. Dates stay EDTF strings and are
    checked with the rest of the record.
    """
    import json
    import typing

    name, equals, text = assignment.partition("=")
    name = name.strip()
    if not equals or not name:
        raise WriteError(f"'{assignment}' is not FIELD=VALUE")
    annotation = _field_type(kind, name)
    if text == "":
        return name, None
    kinds = {typing.get_origin(a) or a for a in (annotation, *typing.get_args(annotation))}
    if list in kinds:
        args = [a for a in typing.get_args(annotation) if typing.get_origin(a) is list] or [
            annotation
        ]
        inner = typing.get_args(args[0])
        if inner and isinstance(inner[0], type) and issubclass(inner[0], BaseModel):
            raise WriteError(
                f"'{name}' holds entries of their own: use 'cislog add' for them, not --set"
            )
        if text.lstrip().startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                raise WriteError(f"{name}: not a JSON array: {error.msg}") from None
            except (ValueError, RecursionError):
                raise WriteError(f"{name}: not a list a record can hold") from None
            if not isinstance(value, list):
                raise WriteError(f"{name}: expected a JSON array") from None
            return name, value
        return name, [part.strip() for part in text.split(",") if part.strip()]
    if bool in kinds:
        if text.lower() not in ("true", "false"):
            raise WriteError(f"{name}: expected true or false, got '{text}'")
        return name, text.lower() == "true"
    if int in kinds:
        # ASCII digits only: int() also reads other scripts' digits and underscores.
        if not re.fullmatch(r"[+-]?[0-9]{1,19}", text.strip()):
            shown = text if len(text) <= 40 else text[:40] + "..."
            raise WriteError(f"{name}: expected a whole number (digits 0-9), got '{shown}'")
        return name, int(text.strip())
    return name, text
