"""``csv``: tables a spreadsheet opens as they are.

A directory gets one file per record kind (``events.csv``, ...) and one per
nested table (``signatories.csv``, ``offices.csv``, ``counts.csv``,
``memberships.csv``, ``check_ignore.csv``), whose first column names the
record each row belongs to: a spreadsheet user filters or pivots a flat
table, and cannot do either with JSON in a cell. A single file (or stdout)
holds the timeline entries, with the columns of ``timeline --json``.

Lists are joined with :data:`SEPARATOR`. A cell a spreadsheet would read as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is prefixed with a single quote, as OWASP advises. A control character
other than a tab or a line end (a NUL, which stops CSV readers, an escape, a
C1 control) is written as an escape (``\x1b``), as the tables show it; bidi
marks and other letters stay as written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from cislog.export import Export
from cislog.export.schema import (
    Field,
    bound_columns,
    bound_values,
    fields,
    nested_owners,
    record_fields,
)
from cislog.inert import controls_visible
from cislog.kinds import PLURALS, RECORD_KINDS
from cislog.query import TIMELINE_KEYS

SEPARATOR = "; "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """One value as spreadsheet-safe text: lists joined, booleans as true/false, None empty,
    control characters but tabs and line ends as escapes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = SEPARATOR.join(map(str, value)) if isinstance(value, list) else str(value)
    text = controls_visible(text, lines=True)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    # RFC 4180 line ends; every field that needs it quoted.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(name) for name in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


_BOUNDS = "_bounds"


def render_timeline(export: Export) -> str:
    """The timeline entries as one table, the columns of ``timeline --json``; the date's
    bounds, an object there, are a column each (``date_earliest``, ...)."""
    header: list[str] = []
    for key in TIMELINE_KEYS:
        bounds = key.endswith(_BOUNDS)
        header += bound_columns(key.removesuffix(_BOUNDS)) if bounds else [key]

    def row(entry: dict[str, Any]) -> list[Any]:
        values: list[Any] = []
        for key in TIMELINE_KEYS:
            if key.endswith(_BOUNDS):
                values += bound_values(entry[key.removesuffix(_BOUNDS)])
            else:
                values.append(entry.get(key))
        return values

    return _table(header, (row(entry) for entry in export.timeline))


def _header(columns: Iterable[Field]) -> list[str]:
    """Each field's column, and after a date the columns of its bounds."""
    return [name for f in columns for name in [f.key, *(bound_columns(f.key) if f.date else [])]]


def _values(columns: Iterable[Field], data: dict[str, Any]) -> list[Any]:
    values: list[Any] = []
    for f in columns:
        values.append(data.get(f.key))
        if f.date:
            values += bound_values(data.get(f.key))
    return values


def render_tables(export: Export) -> dict[str, str]:
    """File name -> CSV text: one file per record kind and one per nested table."""
    files: dict[str, str] = {}
    owners = nested_owners()
    nested_rows: dict[str, list[list[Any]]] = {name: [] for name in owners}
    nested_header: dict[str, list[str]] = {}
    for kind in RECORD_KINDS:
        columns = [f for f in record_fields(kind) if f.nested is None]
        rows = []
        for record in export.records[kind]:
            data = record.to_json()
            rows.append(_values(columns, data))
        files[f"{PLURALS[kind]}.csv"] = _table(_header(columns), rows)
        for field in record_fields(kind):
            if field.nested is None:
                continue
            inner = fields(field.nested)
            # A table only documents have (signatories) names its owner by kind;
            # one every kind has (check_ignore) by kind and id.
            shared = len(owners[field.key]) > 1
            nested_header[field.key] = (["record", "id"] if shared else [kind]) + _header(inner)
            for record in export.records[kind]:
                data = record.to_json()
                for entry in data.get(field.key) or []:
                    owner = [kind, record.id] if shared else [record.id]
                    nested_rows[field.key].append(owner + _values(inner, entry))
    for name in sorted(owners):
        files[f"{name}.csv"] = _table(nested_header[name], nested_rows[name])
    return files
