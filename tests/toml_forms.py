"""Hypothesis strategies for datasets written in every syntactic form TOML allows.

The same records can be written many ways: headers and keys quoted, escaped
(``[["ev\\u0065nt"]]``) or spaced; strings basic, literal, multi-line basic
(an escaped quote before two plain ones) or multi-line literal; arrays on one line or
across lines with comments inside; nested entries as ``[[document.signatories]]``
tables or inline; comments holding three quotes, ``[[event]]`` or ``key = value``;
LF or CRLF line ends. Each strategy draws a file's text together with the data
``tomllib`` must read from it, so a test can check both the generator and
whatever edits the text.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

# Characters that trip scanners: quotes, escapes, brackets, comment and key marks.
TRICKY = "\"'\\#[]{}=.,"
LETTERS = string.ascii_letters + string.digits + " -_" + "əŞçБжيه"
TEXT = st.text(alphabet=LETTERS + TRICKY, min_size=1, max_size=24).filter(lambda t: t.strip())
PROSE = st.text(alphabet=LETTERS + TRICKY + "\n", min_size=1, max_size=40).filter(
    lambda t: t.strip()
)
COMMENT_TEXT = st.sampled_from(
    ['"""', "'''", "[[event]]", 'id = "x"', "# twice", "[event]", '\\"""', "plain"]
)


def _basic(value: str, draw: st.DrawFn) -> str:
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char.isascii() and char.isalpha() and draw(st.integers(0, 9)) == 0:
            out.append(f"\\u{ord(char):04x}")  # an escape where none is needed
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _multiline_basic(value: str, draw: st.DrawFn) -> str:
    # Every quote escaped, so that content quotes can never close the string early;
    # an escaped quote followed by two plain ones is the \""" a scanner trips on.
    body = value.replace("\\", "\\\\").replace('"', '\\"')
    if draw(st.booleans()):
        body = body.replace('\\"\\"\\"', '\\"""')
    return _opening('"""', value, draw) + body + '"""'


def _opening(delimiter: str, value: str, draw: st.DrawFn) -> str:
    """A multi-line string's opening, with the line end TOML trims after it when the
    value starts with a line end of its own (it would be trimmed instead) or by chance."""
    return delimiter + "\n" if value.startswith("\n") or draw(st.booleans()) else delimiter


def string_value(value: str, draw: st.DrawFn) -> str:
    """``value`` as a TOML string in a style drawn from those that can hold it."""
    styles = ["basic", "multiline_basic"]
    if "'" not in value and "\n" not in value:
        styles.append("literal")
    if "'''" not in value and not value.endswith("'") and "\r" not in value:
        styles.append("multiline_literal")
    style = draw(st.sampled_from(styles))
    if style == "basic":
        return _basic(value, draw)
    if style == "literal":
        return f"'{value}'"
    if style == "multiline_literal":
        return _opening("'''", value, draw) + value + "'''"
    return _multiline_basic(value, draw)


def key(name: str, draw: st.DrawFn) -> str:
    style = draw(st.sampled_from(["bare", "bare", "basic", "literal", "escaped"]))
    if style == "basic":
        return f'"{name}"'
    if style == "literal":
        return f"'{name}'"
    if style == "escaped":
        return '"' + "".join(f"\\u{ord(c):04x}" if c == name[0] else c for c in name) + '"'
    return name


def header(path: str, draw: st.DrawFn, array: bool = True) -> str:
    parts = [key(part, draw) for part in path.split(".")]
    inner = ".".join(parts)
    if draw(st.booleans()):
        inner = f" {inner} "
    return f"[[{inner}]]" if array else f"[{inner}]"


def value_text(value: Any, draw: st.DrawFn, multiline_ok: bool = True) -> str:
    if isinstance(value, str):
        return string_value(value, draw) if multiline_ok else _basic(value, draw)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        pairs = ", ".join(
            f"{key(k, draw)} = {value_text(v, draw, multiline_ok=False)}" for k, v in value.items()
        )
        return "{" + pairs + "}"
    assert isinstance(value, list)
    items = [value_text(item, draw, multiline_ok) for item in value]
    if not items or not multiline_ok or not draw(st.booleans()):
        return "[" + ", ".join(items) + "]"
    lines = ["["]
    for item in items:
        comment = f"  # {draw(COMMENT_TEXT)}" if draw(st.booleans()) else ""
        lines.append(f"  {item},{comment}")
    lines.append("]")
    return "\n".join(lines)


def key_value(name: str, value: Any, draw: st.DrawFn) -> list[str]:
    spacing = draw(st.sampled_from([" = ", "=", "  =  "]))
    line = f"{key(name, draw)}{spacing}{value_text(value, draw)}"
    if draw(st.integers(0, 3)) == 0:
        line += f"  # {draw(COMMENT_TEXT)}"
    lines = [line]
    if draw(st.integers(0, 4)) == 0:
        lines.insert(0, f"# {draw(COMMENT_TEXT)}")
    return lines


def table(kind: str, record: dict[str, Any], draw: st.DrawFn) -> tuple[list[str], bool]:
    """A record as TOML lines: its own keys, then its entries as tables or inline (and
    whether any were written inline)."""
    lines = [header(kind, draw)]
    inline = False
    nested: list[tuple[str, list[dict[str, Any]]]] = []
    for name, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            if draw(st.booleans()):
                nested.append((name, value))
                continue
            inline = True
        lines.extend(key_value(name, value, draw))
    for name, entries in nested:
        for entry in entries:
            if draw(st.booleans()):
                lines.append("")
            lines.append(header(f"{kind}.{name}", draw))
            for entry_key, entry_value in entry.items():
                lines.extend(key_value(entry_key, entry_value, draw))
    return lines, inline


@dataclass
class DataFile:
    """One file's text and the data tomllib must read from it."""

    text: str
    data: dict[str, list[dict[str, Any]]]
    inline: set[str]  # ids of the records whose entries are written inline


@st.composite
def data_file(draw: st.DrawFn, records: list[tuple[str, dict[str, Any]]]) -> DataFile:
    """``records`` written in drawn styles, records of one kind together or interleaved."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("#:schema ./cislog.schema.json")
    data: dict[str, list[dict[str, Any]]] = {}
    inline: set[str] = set()
    for kind, record in records:
        lines.extend([""] * draw(st.integers(0, 2)))
        if draw(st.integers(0, 4)) == 0:
            lines.append(f"# {draw(COMMENT_TEXT)}")
        record_lines, written_inline = table(kind, record, draw)
        lines.extend(record_lines)
        if written_inline:
            inline.add(record["id"])
        data.setdefault(kind, []).append(record)
    if draw(st.booleans()):
        lines.append(f"# {draw(COMMENT_TEXT)}")
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = ending.join(lines) + (ending if draw(st.booleans()) else "")
    return DataFile(text, data, inline)


@st.composite
def event(draw: st.DrawFn, number: int) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"ev-{number}",
        "date": draw(st.sampled_from(["1993", "1993-09-24", "1994-05?", "[..1995]", "199X"])),
        "title": draw(TEXT),
        "kind": draw(st.sampled_from(["accession", "meeting", "summit"])),
    }
    if draw(st.booleans()):
        record["note"] = draw(PROSE)
    if draw(st.booleans()):
        record["tags"] = draw(st.lists(st.sampled_from(["a", "b-c", "d"]), max_size=3, unique=True))
    record["sources"] = ["s"]
    return record


@st.composite
def document(draw: st.DrawFn, number: int) -> dict[str, Any]:
    signatories = [
        {
            "country": "az",
            "status": draw(st.sampled_from(["signed", "not_signed"])),
            "sources": ["s"],
        }
    ]
    return {
        "id": f"doc-{number}",
        "title": draw(TEXT),
        "kind": "agreement",
        "date": "2011-10-18",
        "signatories": signatories,
        "sources": ["s"],
    }


BASE_RECORDS: list[tuple[str, dict[str, Any]]] = [
    ("source", {"id": "s", "title": "A source", "kind": "article"}),
    ("country", {"id": "az", "name": "Azerbaijan", "sources": ["s"]}),
]


@st.composite
def dataset_files(draw: st.DrawFn) -> dict[str, DataFile]:
    """A small valid dataset: base records, then events and documents in drawn styles,
    in one file or spread over two."""
    events = [("event", draw(event(i))) for i in range(draw(st.integers(1, 4)))]
    documents = [("document", draw(document(i))) for i in range(draw(st.integers(0, 2)))]
    records = events + documents
    if draw(st.booleans()):
        records = draw(st.permutations(records))
    files = {"base.toml": draw(data_file(BASE_RECORDS))}
    split = draw(st.integers(0, len(records) - 1))
    if split:
        files["a.toml"] = draw(data_file(records[:split]))
    files["b.toml"] = draw(data_file(records[split:]))
    return files
