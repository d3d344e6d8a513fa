"""``json`` and ``ndjson``: the records exactly as ``show --json`` gives their fields.

``json`` is one object keyed by record kind, every kind present (an empty one
as ``[]``); ``ndjson`` is one record a line, each carrying its kind under
``record`` as ``show --json`` does, for tools that stream (``jq -c``, pandas).
With a date filter, each event and document it kept also has ``match``.

Both are UTF-8 with the data as written, bidi marks included, but for the few
characters :func:`cislog.render.inert_json` escapes: an ``ndjson`` line ends at
its newline for every reader, also one that splits lines at U+2028, U+2029 or
U+0085 as Python's ``splitlines`` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from cislog.export import Export, Json
from cislog.render import inert_json, to_json

if TYPE_CHECKING:
    from cislog.records import Record


def _dump(export: Export, record: Record) -> Json:
    """A record as ``show --json`` gives its fields; with a date filter, an entry it kept
    also says whether certainly or only possibly (``match``)."""
    from cislog.query import record_fields

    fields = record_fields(record)
    if record.id in export.matches:
        fields["match"] = export.matches[record.id]
    return fields


def render_json(export: Export) -> str:
    return to_json(
        {kind: [_dump(export, r) for r in records] for kind, records in export.records.items()}
    )


def ndjson_lines(export: Export) -> Iterator[str]:
    for record in export.all_records():
        line = json.dumps({"record": record.KIND, **_dump(export, record)}, ensure_ascii=False)
        yield inert_json(line) + "\n"


def render_ndjson(export: Export) -> str:
    return "".join(ndjson_lines(export))
