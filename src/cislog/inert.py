"""Text from a dataset made inert wherever it goes.

A dataset is other people's text, and a text can hold characters that act
instead of showing: a terminal runs an escape sequence (``\\x1b[2J`` clears the
screen, OSC 8 writes a link), a bidirectional override reorders what follows it
(``\\u202e``: the "Trojan Source" trick), a lone surrogate (a file name's
undecodable byte, read with ``surrogateescape``) cannot be written as UTF-8 at
all. The rules, one place for all of them:

- the model refuses control characters in text (:func:`first_control`), so
  that such text never enters a dataset;
- what goes to a terminal (messages, tables, completion descriptions) shows
  every *active* character as an escape (:func:`visible`): the control
  characters (Unicode category Cc: C0, DEL, C1, NEL among them), the
  bidirectional formatting characters (the Bidi_Control property: ALM, LRM,
  RLM, the embeddings, overrides and isolates), the line and paragraph
  separators U+2028 and U+2029, and lone surrogates;
- what goes into a file another program reads (CSV, Markdown) shows its
  control characters and surrogates as escapes and keeps the rest as written,
  bidi marks included: they are part of right-to-left text
  (:func:`controls_visible`);
- a url is a whole web or mail address, the only kind an export writes as a
  link (:func:`url_problem`, :func:`safe_link`).

An escape reads as Python writes it: ``\\n``, ``\\x1b``, ``\\u202e``, and a byte a
file name could not decode as ``\\xe9``. A backslash itself is left alone, so that a
Windows path or a regular expression reads as written: the escapes are for a
reader, not for reading back.
"""

from __future__ import annotations

import functools
import os
import re

_CONTROLS = "\x00-\x1f\x7f-\x9f"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SEPARATORS = "\u2028\u2029"
_SURROGATES = "\ud800-\udfff"
# All but tab and newline, which a table cell or a file's multi-line text holds as they
# are (and a file its carriage returns, which end lines there too).
_LINE_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_FILE_LINE_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A character class compiled when first used: compiling them all costs a few
    milliseconds of every command's start, most of which never need them."""
    return re.compile(pattern)


_ACTIVE = f"[{_CONTROLS}{_BIDI}{_SEPARATORS}{_SURROGATES}]"
_ACTIVE_BUT_LINES = f"[{_LINE_CONTROLS}{_BIDI}{_SEPARATORS}{_SURROGATES}]"
_CONTROL = f"[{_CONTROLS}{_SURROGATES}]"
_CONTROL_BUT_LINES = f"[{_FILE_LINE_CONTROLS}{_SURROGATES}]"

# What the model refuses: every control character in one line of text, every one
# but tab and newline in prose, U+2028/U+2029 in one line (they are line breaks),
# and lone surrogates anywhere (no file can hold them as UTF-8).
_NOT_IN_A_LINE = f"[{_CONTROLS}{_SEPARATORS}{_SURROGATES}]"
_NOT_IN_PROSE = f"[{_LINE_CONTROLS}{_SURROGATES}]"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as surrogateescape keeps it
        return f"\\x{code - 0xDC00:02x}"
    return ascii(char)[1:-1]  # \\n, \\x1b, \\u202e: as Python writes the character


def visible(text: str, *, lines: bool = False) -> str:
    """Text for a terminal: every active character written as an escape (``\\x1b``,
    ``\\u202e``, ``\\xe9`` for an undecodable byte); with ``lines``, tab and newline are
    kept, as a table cell shows several lines."""
    pattern = _compiled(_ACTIVE_BUT_LINES if lines else _ACTIVE)
    return pattern.sub(_escape, text)


def is_visible(text: str) -> bool:
    """Whether a terminal shows ``text`` as it is (:func:`visible` would change nothing)."""
    return _compiled(_ACTIVE).search(text) is None


def controls_visible(text: str, *, lines: bool = False) -> str:
    """Text for a file another program reads: control characters and lone surrogates as
    escapes, everything else (bidi marks of right-to-left text too) as written; with
    ``lines``, tabs and line ends (newline, carriage return) are kept."""
    pattern = _compiled(_CONTROL_BUT_LINES if lines else _CONTROL)
    return pattern.sub(_escape, text)


def first_control(text: str, *, prose: bool = False) -> tuple[int, str] | None:
    """The first character (position from 0, and the character) that text in a dataset
    may not hold, or None: in one line of text any control character, U+2028 or U+2029;
    in ``prose`` (a summary, a note) any control character but tab and newline. A lone
    surrogate is never text."""
    found = _compiled(_NOT_IN_PROSE if prose else _NOT_IN_A_LINE).search(text)
    return None if found is None else (found.start(), found.group())


def describe(char: str) -> str:
    """A character the model refuses, in words: ``the control character U+001B``."""
    code = ord(char)
    if char == "\n":
        return "a line break (U+000A)"
    if char == "\t":
        return "a tab (U+0009)"
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate (U+{code:04X})"
    if char == "\u2028":
        return "a line separator (U+2028)"
    if char == "\u2029":
        return "a paragraph separator (U+2029)"
    return f"the control character U+{code:04X}"


SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# What RFC 3986 keeps out of a URL (it is written %-encoded): brackets that would end
# a Markdown autolink or an HTML attribute, and the rest of its list.
_NOT_IN_A_URL = frozenset('<>"{}|\\^`')


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an address cislog writes as a link, or None: it must be whole
    (``http://`` or ``https://`` with a host, or ``mailto:`` with an address) and hold no
    space, control or bidirectional character, nor a character RFC 3986 wants
    %-encoded (``<``, ``>``, a quote, ...). Any other scheme (``javascript:``,
    ``data:``, ``file:``) could run or read something where an export shows it."""
    if any(c.isspace() or c in _NOT_IN_A_URL for c in url) or not is_visible(url):
        return (
            'a url may not hold spaces, invisible characters or any of < > " { } | \\ ^ `: '
            "write them %-encoded"
        )
    scheme = _SCHEME.match(url)
    if scheme is None:
        return "give the whole address, starting with https://, http:// or mailto:"
    name = scheme.group(1).lower()
    if name not in SAFE_SCHEMES:
        return (
            f"'{name}:' addresses are not allowed: a url starts with https://, http:// or mailto:"
        )
    rest = url[scheme.end() :]
    if name == "mailto":
        return None if rest else "give the address after mailto:"
    try:
        from urllib.parse import urlsplit  # only a URL needs it: 4 ms at start-up

        host = urlsplit(url).netloc
    except ValueError as error:
        return f"not a valid address: {error}"
    if not rest.startswith("//") or not host:
        return f"give the host after {name}://, like {name}://example.org/page"
    return None


def safe_link(url: str | None) -> bool:
    """Whether an export may write ``url`` as a live link (see :func:`url_problem`)."""
    return url is not None and url_problem(url) is None


def not_utf8(text: str) -> str | None:
    """What is wrong with ``text`` if it came from bytes that are not UTF-8 (which
    Python decodes to lone surrogates), shown with those bytes escaped; else None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(text).decode("utf-8", "backslashreplace")
        return f"'{shown}' is not UTF-8 text"
    return None
