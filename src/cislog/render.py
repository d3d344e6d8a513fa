"""Turning results into text and JSON. The only module that decides how output looks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from json.encoder import encode_basestring
from typing import Any, Protocol

# Re-exported: every message the CLI prints (``cislog: ...`` on stderr) goes through it.
from cislog.inert import visible as visible

_INDENT = "  "

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
    characters :func:`inert_json` escapes escaped, written without the json
    module's pure-Python indenting encoder, which takes longer than the query
    behind a large result.
    """
    parts: list[str] = []
    _encode(data, "\n", parts)
    parts.append("\n")
    return inert_json("".join(parts))


def write_json_array(items: Iterable[Any], write: Callable[[str], object]) -> None:
    """An array written item by item, exactly as :func:`to_json` would write the list,
    so that a long result is never held whole."""
    first = True
    for item in items:
        parts = ["[\n  " if first else ",\n  "]
        _encode(item, "\n  ", parts)
        write(inert_json("".join(parts)))
        first = False
    write("[]\n" if first else "\n]\n")


def _encode(value: Any, newline: str, parts: list[str]) -> None:
    """Append the indented JSON of ``value``; ``newline`` starts a line at its depth."""
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif type(value) is int:
        parts.append(int.__repr__(value))
    elif isinstance(value, dict) and all(type(key) is str for key in value):
        if not value:
            parts.append("{}")
            return
        inner = newline + _INDENT
        separator = "{" + inner
        for key, item in value.items():
            head = separator + encode_basestring(key) + ": "
            # Most values are strings, null or flags (a date's bounds): spare them the call.
            if type(item) is str:
                parts.append(head + encode_basestring(item))
            elif item is None:
                parts.append(head + "null")
            elif item is True or item is False:
                parts.append(head + ("true" if item else "false"))
            else:
                parts.append(head)
                _encode(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + _INDENT
        if all(type(item) is str for item in value):  # ids, names, tags: the usual list
            parts.append("[" + inner + ("," + inner).join(map(encode_basestring, value)))
            parts.append(newline + "]")
            return
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            if type(item) is str:
                parts.append(encode_basestring(item))
            else:
                _encode(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    else:  # floats, keys that are not strings, subclasses: the json module's own rules
        text = json.dumps(value, ensure_ascii=False, indent=2)
        parts.append(text.replace("\n", newline))


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
