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
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cislog import tomlfile
from cislog.atomic import atomic_write
from cislog.datadir import resolve_data_dir
from cislog.dataset import Dataset
from cislog.errors import CislogError, Problem
from cislog.kinds import DEFAULT_FILES, RecordKind
from cislog.loading import read_dataset
from cislog.locate import split_lines
from cislog.matching import fold
from cislog.model import MODELS
from cislog.render import plural

LOCK_NAME = ".cislog.lock"
LOCK_TIMEOUT = 60.0
_BOM = "\ufeff"
_BOM_BYTES = _BOM.encode("utf-8")


class WriteError(CislogError):
    """A change that was not made; nothing was written."""


class Refused(WriteError):
    """The dataset would be invalid after the change (or is already); ``problems`` says why."""

    def __init__(self, problems: list[Problem], already: bool = False) -> None:
        self.problems = problems
        count = plural(len(problems), "problem")
        reason = (
            f"the dataset already has {count}; fix them first"
            if already
            else f"the change would leave {count} in the dataset"
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


@contextlib.contextmanager
def dataset_lock(directory: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the dataset's lock file: one writer at a time, others wait their turn."""
    import fcntl

    path = directory / LOCK_NAME
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + timeout
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
        yield
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


def transaction(
    path: str | os.PathLike[str] | None,
    build: Callable[[Mapping[str, str], Dataset], tuple[dict[str, str], list[str]]],
    *,
    dry_run: bool = False,
    allowed: Callable[[Problem], bool] = lambda problem: False,
) -> Change:
    """Lock, read, build new file texts, validate, then write atomically.

    ``build`` gets the current texts by file name and the dataset they hold
    (read once, to check it is valid), and returns the new texts of the files
    it changes, and the ids it created. Problems for which
    ``allowed`` is true do not refuse the change (``remove --force``).
    """
    directory = resolve_data_dir(path)
    _check_writable(directory)
    # A dry run (fmt --check, --dry-run) writes nothing, so it takes no lock and
    # leaves no lock file in a dataset it only reads.
    with contextlib.nullcontext() if dry_run else dataset_lock(directory):
        dataset, existing = read_dataset(directory)
        if existing:
            raise Refused(existing, already=True)
        raw = {p.name: p.read_bytes() for p in sorted(directory.glob("*.toml")) if p.is_file()}
        # Edits work on text without a byte-order mark; a file that had one keeps it.
        marked = {name for name, data in raw.items() if data.startswith(_BOM_BYTES)}
        texts = {name: data.decode("utf-8-sig") for name, data in raw.items()}
        after, new_ids = build(texts, dataset)
        after = {name: (_BOM if name in marked else "") + text for name, text in after.items()}
        texts = {name: (_BOM if name in marked else "") + text for name, text in texts.items()}
        change = Change(directory, before=texts, after=after, new_ids=new_ids)
        overrides = {name: text.encode("utf-8") for name, text in after.items()}
        _, problems = read_dataset(directory, overrides)
        blocking = [p for p in problems if not allowed(p)]
        if blocking:
            raise Refused(blocking)
        change.warnings = [str(p) for p in problems]
        if dry_run:
            return change
        for name in change.changed_files:
            target = directory / name
            current = target.read_bytes() if target.exists() else None
            if current != raw.get(name):
                raise WriteError(
                    f"{target} changed on disk while cislog was writing; nothing was written to it"
                )
            atomic_write(target, after[name])
        change.written = True
    return change


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
    return name


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
    allowed: Callable[[Problem], bool] = lambda problem: False,
) -> Change:
    """A transaction that changes the text of the one file holding ``record_id``."""

    def build(texts: Mapping[str, str], dataset: Dataset) -> tuple[dict[str, str], list[str]]:
        name, kind, index = _where(dataset, record_id)
        return {name: edit(texts[name], kind, index)}, []

    return transaction(path, build, dry_run=dry_run, allowed=allowed)


def add_entry(
    path: str | os.PathLike[str] | None,
    record_id: str,
    key: str,
    item: Mapping[str, Any],
    *,
    dry_run: bool = False,
) -> Change:
    """Add a nested entry (a signatory, an office, a membership) to an existing record."""
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
    if "id" in changes:
        raise WriteError("an id cannot be edited: other records refer to it by that id")
    return _edit_in_place(
        path,
        record_id,
        lambda text, kind, index: tomlfile.set_fields(text, kind, index, changes),
        dry_run=dry_run,
    )


def remove_record(
    path: str | os.PathLike[str] | None,
    record_id: str,
    *,
    force: bool = False,
    dry_run: bool = False,
) -> Change:
    """Remove a record. With ``force``, references to it may be left pointing nowhere."""
    quoted = f"'{record_id}'"

    def dangling(problem: Problem) -> bool:
        return force and problem.message.startswith("no ") and quoted in problem.message

    return _edit_in_place(
        path, record_id, tomlfile.remove_record, dry_run=dry_run, allowed=dangling
    )


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
            return name, value
        return name, [part.strip() for part in text.split(",") if part.strip()]
    if bool in kinds:
        if text.lower() not in ("true", "false"):
            raise WriteError(f"{name}: expected true or false, got '{text}'")
        return name, text.lower() == "true"
    if int in kinds:
        try:
            return name, int(text)
        except ValueError:
            raise WriteError(f"{name}: expected a whole number, got '{text}'") from None
    return name, text
