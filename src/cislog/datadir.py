"""Which dataset directory to read: an argument, $CISLOG_DATA, or the bundled data."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from cislog.errors import CislogError
from cislog.inert import not_utf8

ENV_VAR = "CISLOG_DATA"


class DataDirError(CislogError):
    """No dataset directory can be told from what was given."""


def bundled_data_dir() -> Path:
    """The dataset shipped with cislog.

    In a wheel it sits inside the package; in a source checkout (editable
    install or tests) it is the repository's top-level ``data/``.
    """
    packaged = Path(__file__).parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def resolve_data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The directory to read: ``path``, else ``$CISLOG_DATA``, else the bundled data.

    Each is checked by :func:`named_directory`; this is the one place that reads
    ``$CISLOG_DATA``, for the library and the command line alike.
    """
    if path is not None:
        return named_directory(path)
    return environment_directory() or bundled_data_dir()


def environment_directory() -> Path | None:
    """The directory ``$CISLOG_DATA`` names, None when it is unset.

    Set but empty is a :class:`DataDirError`, not unset: it is what
    ``CISLOG_DATA=$DIR`` gives when DIR is unset, and reading (or writing) the
    bundled data instead of the one meant would go unnoticed.
    """
    value = os.environ.get(ENV_VAR)
    if value is None:
        return None
    if value == "":
        raise DataDirError(
            f"${ENV_VAR} is set but empty; set it to a dataset directory, "
            "or unset it for the bundled data"
        )
    try:
        return named_directory(value)
    except DataDirError as error:
        raise DataDirError(f"${ENV_VAR}: {error}") from None


def named_directory(value: str | os.PathLike[str]) -> Path:
    """``value`` as a dataset directory, or a :class:`DataDirError` saying why no
    directory can be read through it: empty (``Path("")`` is the current directory,
    which nobody meant), not UTF-8, a name too long for the system, or a loop of
    symbolic links. A name that is missing or a file is left to the reading, which
    reports it as a problem of the dataset (``no-directory``, ``not-a-directory``)."""
    if isinstance(value, str) and not value:
        raise DataDirError("an empty path names no dataset directory")
    text = os.fspath(value)
    if isinstance(text, str):
        bad = not_utf8(text)
        if bad is not None:
            raise DataDirError(f"{bad}; cislog reads directory names as UTF-8")
        shown = text if len(text) <= 80 else f"{text[:80]}…"
    else:
        shown = os.fsdecode(text)
    path = Path(value)
    try:
        path.is_file()
        path.resolve()
    except (RuntimeError, OSError) as error:  # RuntimeError: a loop, up to Python 3.12
        if isinstance(error, OSError) and error.errno != errno.ELOOP:
            raise DataDirError(f"'{shown}' cannot be a directory: {error.strerror}") from None
        raise DataDirError(f"{shown} is a loop of symbolic links, not a directory") from None
    return path
