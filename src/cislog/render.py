"""Turning results into text and JSON. The only module that decides how output looks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

import orjson

# Re-exported: every message the CLI prints (``cislog: ...`` on stderr) goes through it.
from cislog.inert import visible as visible

# Characters json.dumps(ensure_ascii=False) leaves raw that JSON text should not carry
# raw: DEL and the C1 controls (U+0085 among them), which a terminal may act on;
# U+2028 and U+2029, which readers that split lines as Unicode does (Python's
# splitlines, JavaScript before ES2019) take as line ends; and lone surrogates (a file
# name's undecodable bytes), which no UTF-8 can hold. Outside strings JSON is ASCII,
# so escaping them in the whole text touches strings alone. Bidi marks stay as
# written: they are part of right-to-left data.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def inert_json(text: str) -> str:
    """JSON text with the characters of :data:`_RAW_IN_JSON` escaped: the same data to a
    JSON reader, valid UTF-8, one line per line for any line reader."""
    if text.isascii() and "\x7f" not in text:  # the usual case, found at C speed
        return text
    return _RAW_IN_JSON.sub(_json_escape, text)


def to_json(data: Any) -> str:
    """JSON as scripts expect it: UTF-8 text, indented, one trailing newline.

    The text of ``json.dumps(data, ensure_ascii=False, indent=2)``, with the few
    characters :func:`inert_json` escapes escaped.
    """
    return inert_json(_indented(data) + "\n")


# How much text a streamed array gathers before it writes: one write an item cost more
# than encoding it, and this much is little to hold.
_CHUNK = 1 << 16


def write_json_array(items: Iterable[Any], write: Callable[[str], object]) -> None:
    """An array written as it is read, exactly as :func:`to_json` would write the list,
    so that a long result is never held whole (only the last few items' text)."""
    parts: list[str] = []
    size = 0
    separator = "[\n  "
    for item in items:
        text = inert_json(separator + _indented(item).replace("\n", "\n  "))
        parts.append(text)
        separator = ",\n  "
        size += len(text)
        if size > _CHUNK:
            write("".join(parts))
            parts, size = [], 0
    parts.append("[]\n" if separator == "[\n  " else "\n]\n")
    write("".join(parts))


# orjson writes the JSON types as the json module's indented text does, at C speed
# (the json module indents in pure Python, which took longer than the query behind a
# long timeline). What it would write otherwise, it is told to refuse: subclasses,
# dataclasses and dates, which the json module refuses or writes by its own rules.
_ORJSON = orjson.OPT_INDENT_2 | (
    orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)


def _indented(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, from orjson where it can.

    What orjson refuses goes to the json module: lone surrogates (a file name's
    undecodable bytes), integers beyond 64 bits, keys that are not strings, and the
    types above. Floats, which no record holds, are written as orjson writes them:
    the shortest text that reads back as the same number, and ``null`` for NaN and
    the infinities, which JSON has no word for.
    """
    try:
        return orjson.dumps(value, option=_ORJSON).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(value, ensure_ascii=False, indent=2)


class Reported(Protocol):
    """A problem or a check finding: a line for a person, a dict for a script."""

    def to_dict(self) -> dict[str, Any]: ...


def problems_text(problems: Sequence[Reported]) -> str:
    """One problem (or finding) a line, as ``FILE:LINE: ID: FIELD: message``, with the
    control and bidi characters of file names and values shown as escapes: a line
    never runs an escape sequence, reorders itself, or breaks in two."""
    return "".join(f"{visible(str(problem))}\n" for problem in problems)


def problems_json(problems: Sequence[Reported]) -> str:
    """An array of problems (or findings); every text but the file name, which a script
    opens, shows its control and bidi characters as :func:`problems_text` does."""
    rows = []
    for problem in problems:
        row = problem.to_dict()
        for key, value in row.items():
            if key != "file" and isinstance(value, str):
                row[key] = visible(value)
        rows.append(row)
    return to_json(rows)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
