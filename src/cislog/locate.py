"""Where things are in a TOML file: the line of every key and table, and every comment.

``tomllib`` returns plain dicts with no positions, yet every problem must name
its line, and every write must change the lines of one record and no other.
This module reads the text with a tokenizer that follows the TOML 1.0 grammar
(escapes in quoted keys and table headers, multi-line strings holding escaped
quotes or line-ending backslashes, arrays spanning lines with comments inside,
inline tables), so that a ``#``, a ``[`` or a ``\"""`` inside a string never
moves a boundary. It maps each key path, with array-of-tables indices resolved
(``("document", 3, "signatories", 0, "status")``), to the line that sets it.

It runs on text ``tomllib`` has accepted and checks no syntax of its own; on
text it cannot follow it raises :class:`UnreadableLayout`, and a writer then
refuses rather than guesses.
"""

from __future__ import annotations

import bisect
import re

Path = tuple[str | int, ...]


class UnreadableLayout(ValueError):
    """Text whose layout the tokenizer cannot follow (it is not TOML ``tomllib`` accepts)."""


_WHITESPACE = re.compile(r"[ \t]*")
_COMMENT = re.compile(r"#[^\n]*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]++|\\.)*+"')
_LITERAL = re.compile(r"'[^'\n]*'")
# Up to two quotes may end a multi-line string's content right before its delimiter.
_MULTILINE_BASIC = re.compile(r'"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"""(?:"{1,2})?')
_MULTILINE_LITERAL = re.compile(r"'''(?:[^']++|'(?!''))*+'''(?:'{1,2})?")
# Numbers, booleans, dates and times; a date-time may hold one space before its time.
_SCALAR = re.compile(r"[0-9A-Za-z_+.:-]+(?: [0-9][0-9A-Za-z_+.:-]*)?")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


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


def _unescape(body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _SIMPLE_ESCAPES.get(match.group(3), match.group(0))

    return _ESCAPE.sub(replace, body)


class LineIndex:
    """Where each key path of one TOML document is set, where each table starts, and
    which lines hold comments.

    ``headers`` lists every table header as (line, resolved path); ``key_lines``
    maps the path of each key set at the top of a table to the (first, last)
    lines of its value, so a writer can replace a value that spans several
    lines; ``comments`` maps a line to the ``#`` comment on it. Lines are 1-based.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines = [match.start() for match in re.finditer("\n", text)]
        self._lines: dict[Path, int] = {}
        self._array_lengths: dict[Path, int] = {}
        # (first, last): lines that begin inside a multi-line string.
        self._inside_strings: list[tuple[int, int]] = []
        self.headers: list[tuple[int, Path]] = []
        self.key_lines: dict[Path, tuple[int, int]] = {}
        self.comments: dict[int, str] = {}
        try:
            self._read()
        except (IndexError, RecursionError) as error:
            raise UnreadableLayout("the file's layout cannot be followed") from error

    # --- queries -------------------------------------------------------------------

    def line_of(self, path: Path) -> int:
        """The line of ``path``, or of the nearest enclosing key or table that has one."""
        for end in range(len(path), 0, -1):
            line = self._lines.get(path[:end])
            if line is not None:
                return line
        return 1

    def starts_inside_string(self, line: int) -> bool:
        """Whether ``line`` begins inside a multi-line string (so a ``#`` there is text)."""
        position = bisect.bisect_right(self._inside_strings, (line, float("inf"))) - 1
        return (
            position >= 0
            and self._inside_strings[position][0] <= line <= (self._inside_strings[position][1])
        )

    def is_comment_or_blank(self, line: int) -> bool:
        """Whether ``line`` holds nothing but white space or a comment."""
        if self.starts_inside_string(line):
            return False
        start = self._newlines[line - 2] + 1 if line > 1 else 0
        stop = self._newlines[line - 1] if line - 1 < len(self._newlines) else len(self._text)
        stripped = self._text[start:stop].strip()
        return not stripped or (stripped.startswith("#") and line in self.comments)

    def comments_on(self, first: int, last: int) -> list[str]:
        """The comments on lines ``first`` to ``last``, inclusive, top to bottom."""
        return [self.comments[n] for n in range(first, last + 1) if n in self.comments]

    # --- the tokenizer ------------------------------------------------------------

    def _line(self, position: int) -> int:
        return bisect.bisect_left(self._newlines, position) + 1

    def _fail(self, position: int) -> UnreadableLayout:
        return UnreadableLayout(f"line {self._line(position)}: unexpected text")

    def _skip(self, position: int) -> int:
        match = _WHITESPACE.match(self._text, position)
        assert match is not None  # matches the empty string
        return match.end()

    def _end_of_line(self, position: int) -> int:
        text = self._text
        if text.startswith("\r\n", position):
            return position + 2
        if position < len(text) and text[position] == "\n":
            return position + 1
        if position >= len(text):
            return position
        raise self._fail(position)

    def _comment(self, position: int) -> int:
        match = _COMMENT.match(self._text, position)
        assert match is not None
        self.comments[self._line(position)] = match.group().rstrip()
        return match.end()

    def _read(self) -> None:
        text = self._text
        table: Path = ()
        position = 0
        while position < len(text):
            position = self._skip(position)
            if position >= len(text):
                break
            char = text[position]
            if char in "\r\n":
                position = self._end_of_line(position)
                continue
            if char == "#":
                position = self._comment(position)
            elif char == "[":
                table, position = self._header(position)
            else:
                position = self._key_value(position, table, statement=True)
            position = self._skip(position)
            if position < len(text) and text[position] == "#":
                position = self._comment(position)
            position = self._end_of_line(position)

    def _key(self, position: int) -> tuple[list[str], int]:
        """A simple or dotted key, unquoted and unescaped."""
        text = self._text
        keys: list[str] = []
        while True:
            position = self._skip(position)
            char = text[position]
            if char == '"':
                match = _BASIC.match(text, position)
                if match is None:
                    raise self._fail(position)
                keys.append(_unescape(match.group()[1:-1]))
            elif char == "'":
                match = _LITERAL.match(text, position)
                if match is None:
                    raise self._fail(position)
                keys.append(match.group()[1:-1])
            else:
                match = _BARE_KEY.match(text, position)
                if match is None:
                    raise self._fail(position)
                keys.append(match.group())
            position = self._skip(match.end())
            if text[position] != ".":
                return keys, position
            position += 1

    def _header(self, position: int) -> tuple[Path, int]:
        text = self._text
        line = self._line(position)
        is_array = text.startswith("[[", position)
        keys, position = self._key(position + (2 if is_array else 1))
        close = "]]" if is_array else "]"
        if not text.startswith(close, position):
            raise self._fail(position)
        if is_array:
            parent = self._resolve(keys[:-1])
            array: Path = (*parent, keys[-1])
            index = self._array_lengths.get(array, 0)
            self._array_lengths[array] = index + 1
            path: Path = (*array, index)
        else:
            path = self._resolve(keys)
        self._lines.setdefault(path, line)
        self.headers.append((line, path))
        return path, position + len(close)

    def _resolve(self, keys: list[str]) -> Path:
        """A table path with the current index of every array of tables on it."""
        path: Path = ()
        for key in keys:
            path = (*path, key)
            length = self._array_lengths.get(path)
            if length:
                path = (*path, length - 1)
        return path

    def _key_value(self, position: int, table: Path, statement: bool) -> int:
        """``key = value``; a statement (not inside an inline table) also gets its lines."""
        line = self._line(position)
        keys, position = self._key(position)
        if self._text[position] != "=":
            raise self._fail(position)
        path = (*table, *keys)
        self._lines.setdefault(path, line)
        end = self._value(self._skip(position + 1), path)
        if statement:
            self.key_lines.setdefault(path, (line, self._line(end - 1)))
        return end

    def _value(self, position: int, path: Path) -> int:
        text = self._text
        char = text[position]
        if char == '"' or char == "'":
            multiline = text.startswith(char * 3, position)
            if multiline:
                pattern = _MULTILINE_BASIC if char == '"' else _MULTILINE_LITERAL
            else:
                pattern = _BASIC if char == '"' else _LITERAL
            match = pattern.match(text, position)
            if match is None:
                raise self._fail(position)
            first, last = self._line(position), self._line(match.end() - 1)
            if last > first:
                self._inside_strings.append((first + 1, last))
            return match.end()
        if char == "[":
            return self._array(position + 1, path)
        if char == "{":
            return self._inline_table(position + 1, path)
        match = _SCALAR.match(text, position)
        if match is None:
            raise self._fail(position)
        return match.end()

    def _gap(self, position: int) -> int:
        """White space, line ends and comments between the items of an array."""
        text = self._text
        while True:
            position = self._skip(position)
            if position >= len(text):
                return position
            if text[position] == "#":
                position = self._comment(position)
            elif text[position] in "\r\n":
                position = self._end_of_line(position)
            else:
                return position

    def _array(self, position: int, path: Path) -> int:
        text = self._text
        index = 0
        while True:
            position = self._gap(position)
            if text[position] == "]":
                return position + 1
            item = (*path, index)
            self._lines.setdefault(item, self._line(position))
            position = self._gap(self._value(position, item))
            index += 1
            if text[position] == ",":
                position += 1
            elif text[position] == "]":
                return position + 1
            else:
                raise self._fail(position)

    def _inline_table(self, position: int, path: Path) -> int:
        text = self._text
        while True:
            position = self._skip(position)
            if text[position] == "}":
                return position + 1
            position = self._skip(self._key_value(position, path, statement=False))
            if text[position] == ",":
                position += 1
            elif text[position] == "}":
                return position + 1
            else:
                raise self._fail(position)


def header_lines(text: str, kind: str, count: int) -> list[int] | None:
    """The line of each of the ``count`` tables ``[[kind]]`` of a file, in order, when
    a scan for their headers can tell (None when it cannot).

    :class:`LineIndex` follows the whole grammar and costs as much as parsing the
    file; this is the shortcut a cache takes to store every record's line at once.
    A line that begins with the bare header ``[[kind]]`` is that header unless it
    stands inside a multi-line string (a single-line string or comment cannot begin
    a line, and no array may hold a bare word), so the scan is trusted only in text
    with no multi-line string, and only if it finds exactly ``count`` headers: a
    table written another way (a quoted header, an inline array) makes it fail.
    """
    if '"""' in text or "'''" in text:
        return None
    header = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(kind)}[ \t]*\]\]", re.MULTILINE)
    starts = [match.start() for match in header.finditer(text)]
    if len(starts) != count:
        return None
    lines = []
    line, position = 1, 0
    for start in starts:
        line += text.count("\n", position, start)
        position = start
        lines.append(line)
    return lines
