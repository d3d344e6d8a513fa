"""Line numbers for values in a TOML file.

``tomllib`` returns plain dicts with no positions, yet every problem must name
its file and line. This module scans the text once and maps each key path,
with array-of-tables indices resolved (``("document", 3, "signatories", 0,
"status")``), to the line that sets it. It only runs on text that ``tomllib``
has already accepted, so it can be simple about the grammar.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_BARE_OR_QUOTED_KEY = re.compile(r"\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)\s*")
_KEY_AT_LINE_START = re.compile(
    r"\s*((?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)"
    r"(?:\s*\.\s*(?:\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="
)


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """Lines as TOML counts them, ended by LF or CRLF only.

    ``str.splitlines`` also breaks at NEL, LINE SEPARATOR and other characters
    that are ordinary text inside a TOML string; using it would misplace lines.
    """
    parts = text.split("\n")
    last = parts.pop()
    if keepends:
        return [part + "\n" for part in parts] + ([last] if last else [])
    return [part.removesuffix("\r") for part in parts] + ([last] if last else [])


def split_key(dotted: str) -> list[str]:
    """Split ``a."b.c".d`` into its parts, unquoting them."""
    parts = []
    position = 0
    while position < len(dotted):
        match = _BARE_OR_QUOTED_KEY.match(dotted, position)
        if not match:
            break
        part = match.group(1)
        if part[0] in "\"'":
            part = part[1:-1]
        parts.append(part)
        position = match.end()
        if position < len(dotted) and dotted[position] == ".":
            position += 1
    return parts


def _scan(line: str, open_string: str | None) -> tuple[int, str | None, int | None]:
    """Walk one line as TOML reads it: how much it opens or closes brackets outside
    strings, which multi-line string (if any) is still open at its end, and where
    a ``#`` comment starts."""
    depth = 0
    index = 0
    while index < len(line):
        if open_string:
            end = line.find(open_string, index)
            if end < 0:
                return depth, open_string, None
            index = end + 3
            open_string = None
            continue
        char = line[index]
        if line.startswith(('"""', "'''"), index):
            open_string = line[index : index + 3]
            index += 3
        elif char == '"':
            index += 1
            while index < len(line) and line[index] != '"':
                index += 2 if line[index] == "\\" else 1
            index += 1
        elif char == "'":
            end = line.find("'", index + 1)
            index = len(line) if end < 0 else end + 1
        elif char == "#":
            return depth, open_string, index
        else:
            depth += (char in "[{") - (char in "]}")
            index += 1
    return depth, open_string, None


def nesting_change(line: str, open_string: str | None) -> tuple[int, str | None]:
    """How much a line opens or closes brackets outside strings, and which
    multi-line string (if any) is still open at its end."""
    depth, still_open, _ = _scan(line, open_string)
    return depth, still_open


def comment_start(line: str) -> int | None:
    """Where a ``#`` comment starts on a line that begins outside any string, if any."""
    return _scan(line, None)[2]


def comments_in(lines: list[str]) -> list[str]:
    """The ``#`` comments on the lines of one value (an array, a multi-line string),
    skipping any ``#`` that is text inside a string."""
    found = []
    open_string: str | None = None
    for line in lines:
        rest = line
        if open_string:
            end = line.find(open_string)
            if end < 0:
                continue
            rest, open_string = line[end + 3 :], None
        start = comment_start(rest)
        if start is not None:
            found.append(rest[start:].rstrip())
            rest = rest[:start]
        _, open_string = nesting_change(rest, None)
    return found


class LineIndex:
    """Where each key path of one TOML document is set, and where each table starts.

    ``headers`` lists every table header as (line, resolved path); ``key_lines``
    maps each key path to the (first, last) lines of its value, so a writer can
    replace a value that spans several lines.
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[Path, int] = {}
        self._array_lengths: dict[Path, int] = {}
        self.headers: list[tuple[int, Path]] = []
        self.key_lines: dict[Path, tuple[int, int]] = {}
        table: Path = ()
        depth = 0
        open_string: str | None = None
        current_key: Path | None = None
        for number, line in enumerate(split_lines(text), start=1):
            at_top = depth == 0 and open_string is None
            if at_top:
                stripped = line.strip()
                if stripped.startswith("["):
                    table = self._header(stripped, number) or table
                    continue
                match = _KEY_AT_LINE_START.match(line)
                if match:
                    current_key = (*table, *split_key(match.group(1)))
                    self._lines.setdefault(current_key, number)
                    self.key_lines.setdefault(current_key, (number, number))
            elif current_key is not None and current_key in self.key_lines:
                first, _ = self.key_lines[current_key]
                self.key_lines[current_key] = (first, number)
            change, open_string = nesting_change(line, open_string)
            depth = max(0, depth + change)

    def _resolve(self, keys: list[str]) -> Path:
        """A table path with the current index of every array of tables on it."""
        path: Path = ()
        for key in keys:
            path = (*path, key)
            length = self._array_lengths.get(path)
            if length:
                path = (*path, length - 1)
        return path

    def _header(self, stripped: str, number: int) -> Path | None:
        is_array = stripped.startswith("[[")
        close = stripped.find("]]" if is_array else "]")
        if close < 0:
            return None
        keys = split_key(stripped[2 if is_array else 1 : close])
        if not keys:
            return None
        if is_array:
            parent = self._resolve(keys[:-1])
            array: Path = (*parent, keys[-1])
            index = self._array_lengths.get(array, 0)
            self._array_lengths[array] = index + 1
            path: Path = (*array, index)
        else:
            path = self._resolve(keys)
        self._lines.setdefault(path, number)
        self.headers.append((number, path))
        return path

    def line_of(self, path: Path) -> int:
        """The line of ``path``, or of the nearest enclosing key or table that has one."""
        for end in range(len(path), 0, -1):
            line = self._lines.get(path[:end])
            if line is not None:
                return line
        return 1
