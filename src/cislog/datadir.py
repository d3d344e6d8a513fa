"""Which dataset directory to read: an argument, $CISLOG_DATA, or the bundled data."""

from __future__ import annotations

import os
from pathlib import Path

from cislog.errors import CislogError

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

    An empty ``path`` or ``$CISLOG_DATA`` is a :class:`DataDirError`: ``Path("")`` is
    the current directory, and an empty variable is what ``CISLOG_DATA=$DIR`` gives
    when DIR is unset, so either would read (or write) a dataset nobody meant.
    """
    if path is not None:
        if isinstance(path, str | bytes) and not path:
            raise DataDirError("an empty path names no dataset directory")
        return _no_loop(Path(path))
    from_env = os.environ.get(ENV_VAR)
    if from_env == "":
        raise DataDirError(
            f"${ENV_VAR} is set but empty; set it to a dataset directory, "
            "or unset it for the bundled data"
        )
    if from_env:
        return _no_loop(Path(from_env))
    return bundled_data_dir()


def _no_loop(path: Path) -> Path:
    """``path``, unless it is a loop of symbolic links, which no directory can be read
    through (and which every later ``resolve`` would fail on)."""
    try:
        path.resolve()
    except (RuntimeError, OSError):  # RuntimeError up to Python 3.12, OSError after
        raise DataDirError(f"{path} is a loop of symbolic links, not a directory") from None
    return path
