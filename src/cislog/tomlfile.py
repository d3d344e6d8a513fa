"""Data files edited as text, so that everything a person wrote stays as written.

Writing a whole file back from parsed data would drop comments and re-lay
every record. Instead, each operation here works on lines: ``append`` adds a
record after the last byte, ``set_fields`` replaces only the lines of the
values it changes, ``remove_record`` deletes only the lines of one record, and
``format_text`` lays a file out canonically while carrying every comment along.
Values are written by tomli-w, so quoting and escaping follow one TOML writer.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import tomli_w
from pydantic import BaseModel

from cislog import tomlparse
from cislog.errors import CislogError
from cislog.kinds import RECORD_KINDS
from cislog.locate import LineIndex, UnreadableLayout, split_lines
from cislog.model import MODELS

Path = tuple[str | int, ...]


class LayoutError(CislogError):
    """A file cannot be changed as asked without losing something a person wrote."""


# --- canonical values and records --------------------------------------------


def _submodel(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model of a list-of-tables field (signatories, offices, ...), if it is one."""
    field_info = next((f for n, f in model.model_fields.items() if (f.alias or n) == name), None)
    if field_info is None:
        return None
    for arg in getattr(field_info.annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def key_order(model: type[BaseModel]) -> list[str]:
    """Keys as a person reads them: id first, the model's own fields, then sources and note."""
    keys = [f.alias or n for n, f in model.model_fields.items()]
    body = [k for k in keys if k not in ("id", "sources", "note")]
    return [k for k in ("id",) if k in keys] + body + ["sources", "note"]


def _scalar(value: Any) -> str:
    return tomli_w.dumps({"v": value})[len("v = ") : -1]


def dump_value(value: Any) -> str:
    """One value in canonical TOML, arrays on one line: a key and its whole value
    stay on the line that names them, which is what line-based tools (grep, diff,
    the copy checker's exemption of name lines) expect."""
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    return _scalar(value)


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _scalar(name)


@dataclass
class Comments:
    """Comment lines found in a file, keyed by the path of what follows them."""

    before: dict[Path, list[str]] = field(default_factory=dict)
    inline: dict[Path, str] = field(default_factory=dict)
    trailing: list[str] = field(default_factory=list)

    def take_before(self, path: Path) -> list[str]:
        return self.before.pop(path, [])


def _table_lines(
    header: str, path: Path, model: type[BaseModel], data: Mapping[str, Any], comments: Comments
) -> list[str]:
    lines = [*comments.take_before(path), header]
    nested: list[tuple[str, type[BaseModel], list[Mapping[str, Any]]]] = []
    order = key_order(model)
    for key in sorted(data, key=lambda k: order.index(k) if k in order else len(order)):
        value = data[key]
        sub = _submodel(model, key)
        if sub is not None and isinstance(value, list) and value and isinstance(value[0], dict):
            nested.append((key, sub, value))
            continue
        lines.extend(comments.take_before((*path, key)))
        line = f"{_key(key)} = {dump_value(value)}"
        inline = comments.inline.pop((*path, key), None)
        lines.append(f"{line}  {inline}" if inline else line)
    for key, sub, items in nested:
        # Comments written on or in an inline array of entries go above its first table.
        inline = comments.inline.pop((*path, key), None)
        above = [*comments.take_before((*path, key)), *([inline] if inline else [])]
        for index, item in enumerate(items):
            lines.append("")
            if index == 0:
                lines.extend(above)
            lines.extend(
                _table_lines(f"[[{header[2:-2]}.{key}]]", (*path, key, index), sub, item, comments)
            )
    return lines


def render_record(kind: str, data: Mapping[str, Any], comments: Comments | None = None) -> str:
    """A record as canonical TOML text: ``[[kind]]``, its keys, then its sub-tables."""
    lines = _table_lines(f"[[{kind}]]", (kind, -1), MODELS[kind], data, comments or Comments())
    return "\n".join(lines) + "\n"


# --- finding records in text ----------------------------------------------------


def index_of(text: str) -> LineIndex:
    """The layout of a data file, or a refusal when it cannot be followed."""
    try:
        return LineIndex(text)
    except UnreadableLayout as error:
        raise LayoutError(f"{error}; nothing was written") from None


@dataclass(frozen=True)
class Span:
    """The lines of one table (0-based, end exclusive), without the comments above it."""

    start: int
    end: int
    body_end: int  # where the table's own keys end and its first sub-table begins


def _table_span(index: LineIndex, line_count: int, path: Path) -> Span:
    """Where the table whose header resolves to ``path`` lies, sub-tables included."""
    headers = index.headers
    position = next((i for i, (_, p) in enumerate(headers) if p == path), None)
    if position is None:
        raise KeyError(path)
    start = headers[position][0] - 1
    later = [n - 1 for n, p in headers[position + 1 :] if p[: len(path)] != path]
    end = later[0] if later else line_count
    while end > start + 1 and index.is_comment_or_blank(end):
        end -= 1
    subs = [
        n - 1 for n, p in headers[position + 1 :] if len(p) > len(path) and p[: len(path)] == path
    ]
    body_end = min(subs) if subs else end
    while body_end > start + 1 and index.is_comment_or_blank(body_end):
        body_end -= 1
    return Span(start, end, body_end)


def record_span(text: str, kind: str, position: int, index: LineIndex | None = None) -> Span:
    """Where record ``position`` of ``kind`` lies, or a refusal naming why it cannot be edited."""
    index = index or index_of(text)
    try:
        span = _table_span(index, len(split_lines(text)), (kind, position))
    except KeyError:
        written_inline = index.key_lines.get((kind,))
        where = f" (line {written_inline[0]})" if written_inline else ""
        raise LayoutError(
            f"the {kind} records of this file are written as an inline array{where}, "
            f"not as [[{kind}]] tables, and cannot be edited in place; "
            "run 'cislog fmt' to lay them out as tables first"
        ) from None
    # TOML lets a record's entries follow other records ([[document]], [[event]],
    # [[document.signatories]]); its lines are then not one block to edit.
    apart = [n for n, p in index.headers if p[:2] == (kind, position) and n - 1 >= span.end]
    if apart:
        raise LayoutError(
            f"an entry of this {kind} (line {apart[0]}) is written after other records, "
            "apart from the record, so it cannot be edited in place; run 'cislog fmt' "
            "to put each record's entries with it first"
        )
    return span


def _leading_comments(lines: list[str], index: LineIndex, start: int) -> int:
    """The first line of the comment block directly above ``start`` (no blank between),
    never reaching into the file's header (see :func:`header_length`)."""
    floor = header_length(lines)
    while start > floor and start in index.comments and not index.starts_inside_string(start):
        if not lines[start - 1].lstrip().startswith("#"):
            break
        start -= 1
    return start


def header_length(lines: list[str]) -> int:
    """How many lines at the top of a file belong to the file rather than to a record.

    A file that starts with a directive such as ``#:schema ./cislog.schema.json``
    (Taplo's convention: it only counts at the top) keeps it first, whatever is
    removed or reordered. The comment block the directive opens stays with it
    when a blank line ends the block (a file description); a block that runs
    straight into a table describes that table, and only its directives stay.
    """
    if not lines or not lines[0].startswith("#:"):
        return 0
    block = 0
    while block < len(lines) and lines[block].lstrip().startswith("#"):
        block += 1
    if block == len(lines) or not lines[block].strip():
        return block
    directives = 0
    while lines[directives].startswith("#:"):
        directives += 1
    return directives


def new_file_header(texts: Mapping[str, str]) -> str:
    """The start of a data file cislog creates: the ``#:schema`` directive the dataset's
    other files use, so that an editor checks the new file the same way (nothing when
    no file has one: a directive naming a schema that is not there helps no one)."""
    for name in sorted(texts):
        first = split_lines(texts[name])[:1]
        if first and first[0].startswith("#:schema "):
            return first[0].rstrip() + "\n"
    return ""


def _line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _splice(text: str, start: int, end: int, new: list[str]) -> str:
    """Replace lines ``start:end`` with ``new``; every other byte stays as it was."""
    ending = _line_ending(text)
    lines = split_lines(text, keepends=True)
    if new and start == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += ending
    return "".join(lines[:start] + [line + ending for line in new] + lines[end:])


# --- edits ------------------------------------------------------------------------
#
# Each edit checks its own result: the old and the new text are parsed, and the
# new data must be the old data with exactly the intended change. A layout the
# tokenizer misread can then cost a refusal, never a change to another record.


def _parsed(text: str) -> dict[str, Any]:
    try:
        return tomlparse.loads(text)
    except tomlparse.TOMLDecodeError as error:
        raise LayoutError(
            f"the edit would leave invalid TOML ({error}); nothing was written"
        ) from None


def _verified(before: str, after: str, expect: Callable[[dict[str, Any]], None]) -> str:
    """``after``, once its data is checked to be ``before``'s with ``expect`` applied."""
    wanted = _parsed(before)
    expect(wanted)
    if _parsed(after) != wanted:
        raise LayoutError(
            "the edit would change more than its target (the file's layout was misread); "
            "nothing was written: please report this, with the file"
        )
    return after


def _records(data: dict[str, Any], kind: str) -> list[Any]:
    records = data.get(kind)
    if not isinstance(records, list):
        raise LayoutError(f"this file holds no [[{kind}]] records; nothing was written")
    return records


def append(text: str, rendered: Iterable[str]) -> str:
    """``text`` unchanged, followed by a blank line and each rendered record."""
    rendered = list(rendered)
    layout = index_of(text)
    for record in rendered:
        for kind in _parsed(record):
            if (kind,) in layout.key_lines:
                raise LayoutError(
                    f"the {kind} records of this file are written as an inline array "
                    f"(line {layout.key_lines[(kind,)][0]}), which a [[{kind}]] table "
                    "cannot extend; run 'cislog fmt' to lay them out as tables first"
                )
    count = len(split_lines(text))
    new: list[str] = []
    for record in rendered:
        if count or new:
            new.append("")
        new.extend(split_lines(record))

    def expect(data: dict[str, Any]) -> None:
        for record in rendered:
            for kind, items in _parsed(record).items():
                existing = data.setdefault(kind, [])
                if not isinstance(existing, list):
                    raise LayoutError(
                        f"this file sets '{kind}' as something other than [[{kind}]] "
                        "records; nothing was written"
                    )
                existing.extend(items)

    return _verified(text, _splice(text, count, count, new), expect)


def append_subtable(text: str, kind: str, index: int, key: str, item: Mapping[str, Any]) -> str:
    """Add one ``[[kind.key]]`` entry at the end of a record, touching no other line."""
    sub = _submodel(MODELS[kind], key)
    if sub is None:
        raise LayoutError(f"a {kind} has no list of entries named '{key}'")
    span = record_span(text, kind, index)
    block = _table_lines(f"[[{kind}.{key}]]", (kind, index, key, -1), sub, item, Comments())

    def expect(data: dict[str, Any]) -> None:
        _records(data, kind)[index].setdefault(key, []).append(copy.deepcopy(dict(item)))

    return _verified(text, _splice(text, span.end, span.end, ["", *block]), expect)


Entry = tuple[str, int]


def set_fields(
    text: str,
    kind: str,
    index: int,
    changes: Mapping[str, Any],
    entry: Entry | None = None,
) -> str:
    """Change keys of one record, or of one of its entries (``("signatories", 2)``);
    ``None`` removes a key. Every other line stays as it was."""
    layout = index_of(text)
    lines = split_lines(text)
    table: Path = (kind, index, *(entry or ()))
    try:
        span = (
            _table_span(layout, len(lines), table)
            if entry
            else record_span(text, kind, index, layout)
        )
    except KeyError:
        raise LayoutError(
            f"{entry[0] if entry else kind} entries of this record are written inline "
            "and cannot be edited in place; run 'cislog fmt' to lay them out as tables first"
        ) from None
    located = layout.key_lines
    model = MODELS[kind] if entry is None else _submodel(MODELS[kind], entry[0])
    assert model is not None
    order = key_order(model)
    edits: list[tuple[int, int, list[str]]] = []
    for key, value in changes.items():
        where = located.get((*table, key))
        rendered = [] if value is None else f"{_key(key)} = {dump_value(value)}".split("\n")
        if where is not None:
            first, last = where
            # Comments written on the old value's lines stay: on the key's line
            # inline, from the lines inside a multi-line value above the key.
            inline = layout.comments_on(first, first)
            inner = layout.comments_on(first + 1, last)
            if rendered and inline:
                rendered[0] += f"  {inline[0]}"
            elif inline:
                inner = inline + inner
            edits.append((first - 1, last, inner + rendered))
        elif rendered:
            at = _insert_position(located, table, key, order, span)
            edits.append((at, at, rendered))
    # From the bottom up, so that earlier line numbers stay true.
    result = text
    for start, end, new in sorted(edits, key=lambda edit: (edit[0], edit[1]), reverse=True):
        result = _splice(result, start, end, new)

    def expect(data: dict[str, Any]) -> None:
        target = _records(data, kind)[index]
        if entry is not None:
            target = target[entry[0]][entry[1]]
        for key, value in changes.items():
            if value is None:
                target.pop(key, None)
            else:
                target[key] = copy.deepcopy(value)

    return _verified(text, result, expect)


def _insert_position(
    located: Mapping[Path, tuple[int, int]],
    table: Path,
    key: str,
    order: list[str],
    span: Span,
) -> int:
    """After the nearest key that comes before ``key`` in canonical order, else at the end."""
    before = order[: order.index(key)] if key in order else order
    ends = [located[(*table, k)][1] for k in before if (*table, k) in located]
    return max(ends) if ends else span.body_end


def remove_record(text: str, kind: str, index: int) -> str:
    """Delete one record, the comments directly above it, and one blank line."""
    lines = split_lines(text)
    layout = index_of(text)
    span = record_span(text, kind, index, layout)
    start = _leading_comments(lines, layout, span.start)
    end = span.end
    if start > 0 and not lines[start - 1].strip():
        start -= 1
    elif end < len(lines) and not lines[end].strip():
        end += 1

    def expect(data: dict[str, Any]) -> None:
        records = _records(data, kind)
        records.pop(index)
        if not records:
            del data[kind]

    return _verified(text, _splice(text, start, end, []), expect)


# --- canonical layout -------------------------------------------------------------


def collect_comments(text: str) -> Comments:
    """Every comment of a file, attached to the header or key that follows it."""
    comments = Comments()
    index = index_of(text)
    starts: dict[int, Path] = {n - 1: p for n, p in index.headers}
    starts.update({first - 1: path for path, (first, _) in index.key_lines.items()})
    lines = split_lines(text)
    pending: list[str] = []  # comment lines, with "" for a blank line between them
    inside_value: set[int] = {
        n for first, last in index.key_lines.values() for n in range(first, last)
    }
    for number, line in enumerate(lines):
        stripped = line.strip()
        if number in inside_value and number not in starts:
            continue  # its comments were taken with the key that starts the value
        if stripped.startswith("#"):
            pending.append(stripped)
        elif not stripped:
            if pending and pending[-1] != "":
                pending.append("")
        elif number in starts:
            path = starts[number]
            if pending:
                # A trailing "" keeps a comment block detached from what follows it.
                comments.before.setdefault(path, []).extend(pending)
                pending = []
            inline = index.comments.get(number + 1)
            if inline and not stripped.startswith("["):
                comments.inline[path] = inline
            elif inline:
                comments.before.setdefault(path, []).append(inline)
            first, last = index.key_lines.get(path, (number + 1, number + 1))
            if last > first:
                # Comments inside a multi-line value go above its key: the value
                # itself is laid out on one line again.
                comments.before.setdefault(path, []).extend(index.comments_on(first + 1, last))
    while pending and pending[-1] == "":
        pending.pop()
    comments.trailing = pending
    return comments


def format_text(text: str) -> str:
    """The file laid out canonically: records grouped by kind in the model's order,
    keys in canonical order, tomli-w quoting, one blank line between tables, every
    comment kept above what it described. The parsed data is unchanged."""
    data = tomlparse.loads(text)
    unknown = [kind for kind in data if kind not in MODELS]
    if unknown:
        raise LayoutError(f"unknown record kind '{unknown[0]}': run 'cislog validate' first")
    lines = split_lines(text, keepends=True)
    head = header_length(split_lines(text))
    # The header stays first; blank lines in its place keep the rest's line numbers.
    comments = collect_comments("\n" * head + "".join(lines[head:]))
    blocks: list[str] = []
    if head:
        blocks.append("".join(line.rstrip() + "\n" for line in lines[:head]))
    for kind in sorted(data, key=RECORD_KINDS.index):
        for position, record in enumerate(data[kind]):
            blocks.append(
                "\n".join(
                    _table_lines(f"[[{kind}]]", (kind, position), MODELS[kind], record, comments)
                )
                + "\n"
            )
    if comments.trailing:
        blocks.append("\n".join(comments.trailing) + "\n")
    result = "\n".join(blocks).replace("\n", _line_ending(text))
    _check_same(text, result)
    return result


def _comment_lines(text: str) -> list[str]:
    return sorted(index_of(text).comments.values())


def _check_same(before: str, after: str) -> None:
    """Refuse a layout that would change the data or drop a comment."""
    if tomlparse.loads(before) != tomlparse.loads(after):
        raise LayoutError("laying the file out again would change its data; nothing was written")
    if _comment_lines(before) != _comment_lines(after):
        raise LayoutError("laying the file out again would lose a comment; nothing was written")
