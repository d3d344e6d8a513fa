"""Parsing TOML: the fastest parser that reads the text as tomllib does, and tomllib's
word on what fails.

Parsing is most of what reading a dataset costs. rtoml (Rust's ``toml`` crate)
parses in about a fifth of tomllib's time, tomli, compiled, in about two thirds;
both give tomllib's data for TOML 1.0 text. But the crate reads a little more
than TOML 1.0: ``\\e`` and ``\\x`` escapes, times without seconds and inline tables
over lines (TOML 1.1), and a leading byte-order mark, all of which tomllib
refuses; its dates carry a time zone class of its own, and its multi-line strings
keep the carriage return of a CRLF line end. So rtoml is given only text that
holds none of these: no backslash before ``e`` or ``x``, no colon between digits,
no brace, no byte-order mark and no carriage return, anywhere, strings and
comments included. That is what data files written by cislog look like; anything else
goes to tomli, which cislog pins below 2.3 (2.3 and later read TOML 1.1).

Text either cannot parse, for any reason, is parsed again by tomllib, so that an
invalid file gets tomllib's error and message, as it always did.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import rtoml
import tomli

TOMLDecodeError = tomllib.TOMLDecodeError

# What rtoml may read otherwise than tomllib: escapes and times of TOML 1.1, inline
# tables (over lines in TOML 1.1), dates with offsets (a time zone class of its own),
# a byte-order mark, and a carriage return (a multi-line string keeps it in CRLF,
# where tomllib gives a line feed alone). Deliberately wider than the syntax: a
# match only costs speed. Each is a search for one literal, at memchr's speed.
_BEYOND_RTOML = ("\\e", "\\x", "{", "\ufeff", "\r")
_TIME = re.compile(r":(?<=\d:)\d")  # the colon first: a literal the search skips to


def _rtoml_reads_as_tomllib(text: str) -> bool:
    return not any(piece in text for piece in _BEYOND_RTOML) and _TIME.search(text) is None


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, the same data, by the fastest parser that reads the text
    exactly as tomllib does."""
    parse = rtoml.loads if _rtoml_reads_as_tomllib(text) else tomli.loads
    try:
        data: dict[str, Any] = parse(text)
    except Exception:  # whatever it is, tomllib raises what it raises
        return tomllib.loads(text)
    return data
