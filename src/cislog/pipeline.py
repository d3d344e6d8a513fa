"""Read and check a dataset in one call: the files, each record, then records together.

:mod:`cislog.loading` reads files and checks each record against its model;
:mod:`cislog.validation` checks records against each other. Neither knows of the
other's caller: this module runs the two in turn, for the library's ``load`` and
``validate``, ``cislog validate``, ``cislog check`` and the writer, which refuses a
change with the problems this returns.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from cislog.datadir import resolve_data_dir
from cislog.datafiles import DataFiles
from cislog.dataset import Dataset
from cislog.errors import DatasetError, Problem
from cislog.loading import collector_paused, read_directory
from cislog.validation import check_records


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


def load(path: str | os.PathLike[str] | None = None) -> Dataset:
    """Load a dataset, raising :class:`DatasetError` if it has any problem.

    ``path`` defaults to ``$CISLOG_DATA``, then to the bundled dataset.
    """
    dataset, problems = read_dataset(path)
    if problems:
        raise DatasetError(problems)
    return dataset


def validate(path: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Every problem in a dataset, sorted by file and line; empty when it is valid."""
    return read_dataset(path)[1]
