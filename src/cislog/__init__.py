"""cislog: an offline, citation-first chronology of states and international organisations.

The library API::

    import cislog
    dataset = cislog.load()          # the bundled data, or $CISLOG_DATA
    problems = cislog.validate("my-data/")

Records are validated by Pydantic models (:mod:`cislog.model`) and read as the
typed records of :mod:`cislog.records`; every fact cites its sources. The
heavier parts are imported on first use, so that a command answered from the
cache never imports Pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cislog.errors import CislogError, DatasetError, Problem

if TYPE_CHECKING:
    from cislog.dataset import Dataset
    from cislog.pipeline import load, validate

__all__ = ["CislogError", "Dataset", "DatasetError", "Problem", "__version__", "load", "validate"]


def __getattr__(name: str) -> Any:
    if name in ("load", "validate"):
        from cislog import pipeline

        return getattr(pipeline, name)
    if name == "Dataset":
        from cislog.dataset import Dataset

        return Dataset
    if name == "__version__":
        from importlib.metadata import version

        return version("cislog")
    raise AttributeError(f"module 'cislog' has no attribute {name!r}")
