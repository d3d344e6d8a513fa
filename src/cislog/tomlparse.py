"""Parsing TOML: tomli's compiled parser for speed, tomllib's word on what fails.

Parsing is most of what reading a dataset costs, and tomli, compiled, parses in
about a third of tomllib's time. It is the project tomllib was taken from, and
the versions cislog accepts (below 2.3) read TOML 1.0, as tomllib does; 2.3 and
later read TOML 1.1, which tomllib refuses. Text tomli cannot parse, for any
reason, is parsed again by tomllib, so that an invalid file gets tomllib's error
and message, as it always did.
"""

from __future__ import annotations

import tomllib
from typing import Any

import tomli

TOMLDecodeError = tomllib.TOMLDecodeError


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, the same data, by tomli when it can parse the text."""
    try:
        data: dict[str, Any] = tomli.loads(text)
    except Exception:  # whatever it is, tomllib raises what it raises
        return tomllib.loads(text)
    return data
