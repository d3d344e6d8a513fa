"""Read and check a dataset in one call: the files, each record, then records together.

:mod:`cislog.loading` reads files and checks each record against its model;
:mod:`cislog.validation` checks records against each other. Neither knows of the
other's caller: this module runs the two in turn, for the library's ``load`` and
``validate``, ``cislog validate``, ``cislog check`` and the writer, which refuses a
change with the problems this returns.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cislog.datadir import resolve_data_dir
from cislog.datafiles import DataFiles, scan
from cislog.dataset import Dataset
from cislog.errors import DatasetError, Problem
from cislog.loading import collector_paused, read_directory, read_file_in_parts
from cislog.validation import Screen, check_records


def read_dataset(
    path: str | os.PathLike[str] | None = None, overrides: Mapping[str, bytes] | None = None
) -> tuple[Dataset, list[Problem]]:
    """Read and validate a dataset; the records that passed, and every problem.

    ``overrides`` maps file names to contents to use instead of what is on disk (or
    as new files): how a write is validated before it is made.
    """
    directory = resolve_data_dir(path)
    with collector_paused():
        result = read_directory(directory, overrides)
        problems = result.problems + check_records(result)
        dataset = result.dataset()
    problems.sort(key=lambda p: (p.file, p.line or 0, p.id or "", p.field or "", p.message))
    dataset.notes = DataFiles(skipped=result.skipped).notes(directory)
    return dataset, problems


@dataclass(slots=True)
class Parts:
    """What reading a dataset one file at a time found: whether it is valid, and if so
    how many records it holds."""

    directory: Path
    valid: bool = True
    records: int = 0
    notes: list[str] = field(default_factory=list)


def read_in_parts(
    path: str | os.PathLike[str] | None = None,
    store: Callable[[Dataset], None] | None = None,
) -> Parts:
    """Read and validate a dataset a part at a time (a file, or a thousand records of
    a large one), handing each part's records to ``store``, as a dataset, once they
    passed, and keeping no more of them than the checks across files need (see
    :class:`cislog.validation.Screen`): a dataset of any size is read in the memory
    of its largest part and its ids.

    It tells whether the dataset is valid, not what is wrong with it: it stops at
    the first problem, and a caller that needs the problems reads the whole dataset
    with :func:`read_dataset`. ``store`` may have been given some files by then.
    """
    directory = resolve_data_dir(path)
    parts = Parts(directory)
    screen = Screen()
    with collector_paused():
        # The directory's own problems (none, not a directory, no data files).
        screen.add(read_directory(directory, only=()))
        found = scan(directory) if screen.passed else DataFiles()
        for _, file in sorted(found.files.items()):
            if not _read_file(file, screen, parts, store):
                break
        parts.valid = screen.finish()
    parts.notes = found.notes(directory)
    return parts


def _read_file(
    path: Path, screen: Screen, parts: Parts, store: Callable[[Dataset], None] | None
) -> bool:
    """Read, screen and store one file, a part at a time; whether it passed. The records
    as read are dropped before a part's dataset is stored, which holds their models."""
    for part in read_file_in_parts(path):
        if not screen.add(part):
            return False
        parts.records += len(part.records)
        if store is not None:
            dataset = part.dataset()
            del part
            store(dataset)
    return True


def load(path: str | os.PathLike[str] | None = None) -> Dataset:
    """Load a dataset, raising :class:`DatasetError` if it has any problem.

    ``path`` defaults to ``$CISLOG_DATA``, then to the bundled dataset.
    """
    dataset, problems = read_dataset(path)
    if problems:
        raise DatasetError(problems)
    return dataset


def validate(path: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem in a dataset, sorted by file and line; empty when it is valid.

    A valid dataset is read one file at a time, in the memory of its largest file;
    only one with problems is read whole, for every problem with its place.
    """
    if read_in_parts(path).valid:
        return []
    return read_dataset(path)[1]
