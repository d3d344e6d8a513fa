"""``sqlite``: a database Datasette serves as it is.

- one table per record kind (``events``, ``documents``, ...), ``id`` the
  primary key; a reference to one record (``bodies.org``) is a column with a
  foreign key, and a list of plain values (``aliases``, ``tags``) a JSON array;
- one join table per list of references, ``{table}_{field}`` (``events_orgs``,
  ``events_sources``, ...) with a column per side, both foreign keys, and the
  position in the list;
- one table per nested list (``signatories``, ``offices``, ``counts``,
  ``memberships``, ``check_ignore``) with an integer ``id``, the owning record
  and the position, and join tables of their own for their sources;
- beside each date column (``date``, ``from``, ...) its bounds, as the JSON
  gives them: ``date_earliest`` and ``date_latest`` (ISO days, NULL on a side
  with no bound), ``date_precision``, and ``date_uncertain``,
  ``date_approximate`` and ``date_interval`` as 0 or 1;
- ``timeline``: the chronology, an entry (event or dated document) a row in
  order (``position``), with ``match``: ``possible`` for an entry a date filter
  only possibly kept, else ``certain``;
- ``records``: every record's id, kind, title and text, and the title and text
  folded as ``cislog search`` folds them (``title_folded``, ``text_folded``:
  :func:`cislog.folding.fold`), with the FTS5 index ``records_fts`` over the
  folded two (Datasette finds it through ``content="records"``). A MATCH of the
  words of a folded query, each as a prefix (:func:`match_query`), finds the
  records that ``cislog search`` finds: ``azerbaycan`` and ``Azərbaycan``
  alike. A query typed into Datasette as it is written reaches the index through
  SQLite's tokenizer alone, which lowers case and drops accents but leaves
  ``ə``, ``ł`` or ``ø`` as they are: type those as ``e``, ``l``, ``o``.

A reference that may point at several kinds (a fact's subjects) points at
``records``. The file is built beside the target and renamed over it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from cislog.export import Export, Json
from cislog.export.schema import (
    Field,
    bound_columns,
    bound_values,
    fields,
    nested_owners,
    record_fields,
)
from cislog.folding import fold
from cislog.kinds import PLURALS, RECORD_KINDS
from cislog.matching import query_words

# The full-text index's tokenizer: words split where cislog's search splits them
# (its ``\w+``: letters and digits of any script, and ``_``), so that a word of the
# folded text is a token of the index. The folded text has no accents left; removing
# them here too lets a query typed as it is written in Datasette find most words.
TOKENIZE = "unicode61 remove_diacritics 2 categories 'L* N*' tokenchars '_'"


def _too_large(value: int) -> bool:
    return not -(2**63) <= value < 2**63


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name[:-1] if name.endswith("s") else name


def _target(field: Field) -> tuple[str, str]:
    """The table a reference points at and the column name naming it."""
    assert field.ref is not None
    if len(field.ref) == 1:
        return PLURALS[field.ref[0]], field.ref[0]
    return "records", "record"


class _Builder:
    """Creates and fills the tables of an owner (a record kind or a nested list).

    ``name`` is the owner's table and ``one`` what a row of it is called, which
    names the owner's column in its join tables (``people`` and ``person``).
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def table(self, name: str, columns: list[str]) -> None:
        self.db.execute(f"CREATE TABLE {_quote(name)} ({', '.join(columns)})")

    def insert(self, name: str, row: dict[str, Any]) -> int:
        keys = ", ".join(_quote(k) for k in row)
        marks = ", ".join("?" for _ in row)
        try:
            cursor = self.db.execute(
                f"INSERT INTO {_quote(name)} ({keys}) VALUES ({marks})", list(row.values())
            )
        except OverflowError:
            # The model bounds every integer (model.MAX_INTEGER); a record built
            # without it still gets a message, not a traceback.
            from cislog.export import ExportError

            key = next(k for k, v in row.items() if isinstance(v, int) and _too_large(v))
            raise ExportError(
                f"{name}.{key}: a number of {row[key].bit_length()} bits, larger than an "
                "SQLite integer (64 bits) holds"
            ) from None
        return int(cursor.lastrowid or 0)

    def owner_tables(
        self, name: str, one: str, owned: tuple[Field, ...], owner: tuple[str, str] | None
    ) -> None:
        """The owner's table and its join tables; ``owner`` (column, table) is the record a
        nested list belongs to, whose rows get an integer id of their own."""
        if owner is None:
            columns = ['"id" TEXT PRIMARY KEY']
        else:
            column, table = owner
            columns = ['"id" INTEGER PRIMARY KEY']
            columns += [f"{_quote(column)} TEXT REFERENCES {_quote(table)}(id)"]
            columns += ['"position" INTEGER']
        for field in owned:
            if field.key == "id" or field.nested is not None:
                continue
            if field.many and field.ref:
                self._join_table(name, one, field, "TEXT" if owner is None else "INTEGER")
            elif field.ref:
                table, _ = _target(field)
                columns.append(f"{_quote(field.key)} TEXT REFERENCES {_quote(table)}(id)")
            else:
                columns.append(f"{_quote(field.key)} {'INTEGER' if field.integer else 'TEXT'}")
            if field.date:
                # Bounds as SQL compares them: ISO days as TEXT, flags as 0 or 1.
                for column in bound_columns(field.key):
                    flag = column.endswith(("_uncertain", "_approximate", "_interval"))
                    columns.append(f"{_quote(column)} {'INTEGER' if flag else 'TEXT'}")
        self.table(name, columns)

    def _join_table(self, name: str, one: str, field: Field, id_type: str) -> None:
        mine, theirs = self.join_columns(one, field)
        table, _ = _target(field)
        self.table(
            f"{name}_{field.key}",
            [
                f"{_quote(mine)} {id_type} NOT NULL REFERENCES {_quote(name)}(id)",
                f"{_quote(theirs)} TEXT NOT NULL REFERENCES {_quote(table)}(id)",
                '"position" INTEGER NOT NULL',
                f'PRIMARY KEY ({_quote(mine)}, "position")',
            ],
        )

    @staticmethod
    def join_columns(one: str, field: Field) -> tuple[str, str]:
        mine = one
        _, theirs = _target(field)
        return mine, (f"cited_{theirs}" if theirs == mine else theirs)

    def fill(self, name: str, one: str, owned: tuple[Field, ...], data: Json, extra: Json) -> int:
        row = dict(extra)
        joins = []
        for field in owned:
            value = data.get(field.key)
            if field.nested is not None:
                continue
            if field.many and field.ref:
                joins.append((field, value or []))
            elif field.many:
                row[field.key] = json.dumps(value or [], ensure_ascii=False)
            else:
                row[field.key] = value
            if field.date:
                row.update(zip(bound_columns(field.key), bound_values(value), strict=True))
        rowid = self.insert(name, row)
        own_id: Any = data["id"] if "id" in row else rowid
        for field, targets in joins:
            mine, theirs = self.join_columns(one, field)
            for position, target in enumerate(targets):
                self.insert(
                    f"{name}_{field.key}", {mine: own_id, theirs: target, "position": position}
                )
        return rowid


def _texts(value: Any) -> list[str]:
    """Every piece of text of a record, nested entries included, ids and sources left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in ("id", "sources") for t in _texts(v)]
    return []


def match_query(query: str) -> str:
    """The FTS5 MATCH expression for ``records_fts`` that finds what ``cislog search
    query`` finds: every word of the folded query, each as the start of a word.

    A query with no word in it, or too many or too long ones, is a
    :class:`cislog.matching.QueryError`, as for the search.
    """
    # A word is letters and digits only, so quoting it needs no escape.
    return " ".join(f'"{word}"*' for word in query_words(query))


def build(export: Export, db: sqlite3.Connection) -> None:
    """Create and fill every table in an empty database."""
    builder = _Builder(db)
    builder.table(
        "records",
        [
            '"id" TEXT PRIMARY KEY',
            '"kind" TEXT NOT NULL',
            '"title" TEXT',
            '"text" TEXT',
            '"title_folded" TEXT',
            '"text_folded" TEXT',
        ],
    )
    db.execute(
        'CREATE VIRTUAL TABLE "records_fts" USING fts5(title_folded, text_folded, '
        f'content="records", tokenize="{TOKENIZE}")'
    )
    owners = nested_owners()
    for kind in RECORD_KINDS:
        builder.owner_tables(PLURALS[kind], kind, record_fields(kind), None)
    for name, kinds in owners.items():
        model = next(f.nested for f in record_fields(kinds[0]) if f.key == name)
        assert model is not None
        owner = ("record", "records") if len(kinds) > 1 else (kinds[0], PLURALS[kinds[0]])
        builder.owner_tables(name, _singular(name), fields(model), owner)

    for record in export.all_records():
        data = record.to_json()
        text = " ".join(_texts(data))
        builder.insert(
            "records",
            {
                "id": record.id,
                "kind": record.KIND,
                "title": record.label,
                "text": text,
                "title_folded": fold(record.label),
                # What the search matches (recordtext.searchable_text), from this dump.
                "text_folded": fold(text),
            },
        )
        kind_fields = record_fields(record.KIND)
        builder.fill(PLURALS[record.KIND], record.KIND, kind_fields, data, {})
        for field in kind_fields:
            if field.nested is None:
                continue
            owner_column = "record" if len(owners[field.key]) > 1 else record.KIND
            for position, entry in enumerate(data.get(field.key) or []):
                builder.fill(
                    field.key,
                    _singular(field.key),
                    fields(field.nested),
                    entry,
                    {owner_column: record.id, "position": position},
                )
    db.execute("INSERT INTO records_fts(records_fts) VALUES ('rebuild')")
    builder.table(
        "timeline",
        [
            '"id" TEXT PRIMARY KEY REFERENCES "records"(id)',
            '"record" TEXT NOT NULL',
            '"position" INTEGER NOT NULL',
            '"match" TEXT NOT NULL',
        ],
    )
    for position, entry in enumerate(export.timeline):
        builder.insert(
            "timeline",
            {
                "id": entry["id"],
                "record": entry["record"],
                "position": position,
                "match": entry["match"],
            },
        )


def write(export: Export, path: Path) -> None:
    """Build the database in a temporary file that takes ``path``'s place when complete."""
    from cislog.atomic import replacing

    with replacing(path) as temporary:
        db = sqlite3.connect(temporary)
        try:
            with db:
                build(export, db)
        finally:
            db.close()
