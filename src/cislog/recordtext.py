"""A record's text as searches see it: every string it holds, nested entries included.

Kept apart from the queries so that the dataset and the cache, which store each
record's folded text, need nothing of the query layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cislog.folding import fold

if TYPE_CHECKING:
    from cislog.records import Record


def record_texts(record: Record) -> list[str]:
    """Every piece of text of a record, nested entries included; ids and source ids
    left out, as a search for words should not find them."""
    return dumped_texts(record.to_json())


def dumped_texts(dumped: Any) -> list[str]:
    """:func:`record_texts` of a record's JSON (``record.to_json()``), for a caller that
    holds it already: the cache stores the JSON and the text of each record."""
    texts: list[str] = []
    _gather(dumped, texts)
    return texts


def _gather(value: Any, texts: list[str]) -> None:
    # A function of the module, not a closure calling itself: that would be a reference
    # cycle a record, which a build, run without the cyclic collector, never frees.
    # The strings of a dict or list are taken where they stand, without a call each:
    # a record's JSON is mostly strings and lists of them (ids, tags), and a call a
    # value was a tenth of a build.
    if isinstance(value, str):
        texts.append(value)
    elif isinstance(value, list):
        _gather_items(value, texts)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in ("sources", "id"):
                continue
            if isinstance(item, str):
                texts.append(item)
            elif isinstance(item, list):
                _gather_items(item, texts)
            else:
                _gather(item, texts)


def _gather_items(items: list[Any], texts: list[str]) -> None:
    for item in items:
        if isinstance(item, str):
            texts.append(item)
        else:
            _gather(item, texts)


def searchable_text(record: Record) -> str:
    """All of a record's text, folded, as one string: what a search is matched against."""
    return dumped_text(record.to_json())


def dumped_text(dumped: Any) -> str:
    """:func:`searchable_text` of a record's JSON, for a caller that holds it already."""
    return fold(" ".join(dumped_texts(dumped)))
