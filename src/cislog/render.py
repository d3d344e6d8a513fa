"""Turning results into text and JSON. The only module that decides how output looks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from cislog.errors import Problem


def to_json(data: Any) -> str:
    """JSON as scripts expect it: UTF-8 text (no ASCII escapes), indented, one trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json_array(items: Iterable[Any], write: Callable[[str], object]) -> None:
    """An array written item by item, exactly as :func:`to_json` would write the list,
    so that a long result is never held whole."""
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2)
        write(("[\n" if first else ",\n") + "\n".join("  " + line for line in text.split("\n")))
        first = False
    write("[]\n" if first else "\n]\n")


def problems_text(problems: Sequence[Problem]) -> str:
    """One problem a line, as ``FILE:LINE: ID: FIELD: message``."""
    return "".join(f"{problem}\n" for problem in problems)


def problems_json(problems: Sequence[Problem]) -> str:
    return to_json([problem.to_dict() for problem in problems])


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
