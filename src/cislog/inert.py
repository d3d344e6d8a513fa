"""Text from a dataset made inert wherever it goes.

A dataset is other people's text, and a text can hold characters that act
instead of showing: a terminal runs an escape sequence (``\\x1b[2J`` clears the
screen, OSC 8 writes a link), a bidirectional override reorders what follows it
(``\\u202e``: the "Trojan Source" trick), a lone surrogate (a file name's
undecodable byte, read with ``surrogateescape``) cannot be written as UTF-8 at
all. What goes to a terminal (messages, tables, completion descriptions) shows
every *active* character as an escape (:func:`visible`): the control characters
(Unicode category Cc: C0, DEL, C1, NEL among them), the bidirectional formatting
characters (the Bidi_Control property: ALM, LRM, RLM, the embeddings, overrides
and isolates), the line and paragraph separators U+2028 and U+2029, and lone
surrogates.

An escape reads as Python writes it: ``\\n``, ``\\x1b``, ``\\u202e``, and a byte a
file name could not decode as ``\\xe9``. A backslash itself is left alone, so that a
Windows path or a regular expression reads as written: the escapes are for a
reader, not for reading back.
"""

from __future__ import annotations

import re

_CONTROLS = "\x00-\x1f\x7f-\x9f"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SEPARATORS = "\u2028\u2029"
_SURROGATES = "\ud800-\udfff"
# All but tab and newline, which a table cell or a text's lines hold as they are.
_LINE_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"

_ACTIVE = re.compile(f"[{_CONTROLS}{_BIDI}{_SEPARATORS}{_SURROGATES}]")
_ACTIVE_BUT_LINES = re.compile(f"[{_LINE_CONTROLS}{_BIDI}{_SEPARATORS}{_SURROGATES}]")


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
    pattern = _ACTIVE_BUT_LINES if lines else _ACTIVE
    return pattern.sub(_escape, text)


def is_visible(text: str) -> bool:
    """Whether a terminal shows ``text`` as it is (:func:`visible` would change nothing)."""
    return _ACTIVE.search(text) is None
