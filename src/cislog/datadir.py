"""Which dataset directory to read: an argument, $CISLOG_DATA, or the bundled data."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "CISLOG_DATA"


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
    """The directory to read: ``path``, else ``$CISLOG_DATA``, else the bundled data."""
    if path is not None:
        return Path(path)
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env)
    return bundled_data_dir()
