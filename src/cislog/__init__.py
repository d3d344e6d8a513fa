"""cislog: an offline, citation-first chronology of states and international organisations.

The library API::

    import cislog
    dataset = cislog.load()          # the bundled data, or $CISLOG_DATA
    problems = cislog.validate("my-data/")

Records are Pydantic models (:mod:`cislog.model`); every fact cites its sources.
"""

from __future__ import annotations

from typing import Any

from cislog.dataset import Dataset
from cislog.errors import CislogError, DatasetError, Problem
from cislog.loading import load, validate

__all__ = ["CislogError", "Dataset", "DatasetError", "Problem", "__version__", "load", "validate"]


def __getattr__(name: str) -> Any:
    # Resolved on demand so that importing cislog does not pay for package metadata.
    if name == "__version__":
        from importlib.metadata import version

        return version("cislog")
    raise AttributeError(f"module 'cislog' has no attribute {name!r}")
