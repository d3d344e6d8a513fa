"""Property-based round trips: whatever a record holds, add writes it so that load reads
back the same record, and the file's earlier bytes never change."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any, get_args

from hypothesis import given
from hypothesis import strategies as st

import cislog
from cislog import writing
from cislog.kinds import EventKind
from tests.conftest import write_minimal

# Any text a researcher might paste: every script, quotes, backslashes; control
# characters and line breaks, which a title refuses (model.Line), and lone surrogates
# (not encodable in UTF-8) are left out.
texts = st.text(st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), max_size=60)
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)


@st.composite
def edtf_dates(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    text = {"year": f"{day.year:04d}", "month": f"{day:%Y-%m}", "day": day.isoformat()}[precision]
    return text + draw(st.sampled_from(["", "?", "~"]))


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": draw(slugs).replace("accession", "x") + "-e",
        "date": draw(edtf_dates()),
        "title": draw(texts),
        "kind": draw(st.sampled_from(get_args(EventKind))),
        "sources": ["src-a"],
    }
    for key, strategy in (("summary", texts), ("place", texts), ("note", texts)):
        if draw(st.booleans()):
            record[key] = draw(strategy)
    if draw(st.booleans()):
        record["tags"] = draw(st.lists(slugs, max_size=4))
    if draw(st.booleans()):
        record["orgs"] = ["cis"]
    return record


@given(st.lists(events(), min_size=1, max_size=3, unique_by=lambda e: e["id"]))
def test_added_records_load_back_unchanged(records: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        data = write_minimal(Path(temporary))
        before = (data / "events.toml").read_bytes()

        change = writing.add_records(data, "event", records)

        assert change.written and change.new_ids == [r["id"] for r in records]
        assert (data / "events.toml").read_bytes().startswith(before)
        loaded = cislog.load(data)
        for record in records:
            event = loaded.events[record["id"]]
            dumped = {k: v for k, v in event.to_json().items() if v not in ([], None)}
            assert dumped == {k: v for k, v in record.items() if v not in ([], None)}


@given(events(), st.sampled_from(["title", "summary", "place", "note"]), texts)
def test_an_edit_loads_back_and_changes_one_field(
    record: dict[str, Any], key: str, value: str
) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        data = write_minimal(Path(temporary))
        writing.add_records(data, "event", [record])
        others = {r.id: r for r in cislog.load(data) if r.id != record["id"]}

        writing.edit_record(data, record["id"], {key: value})

        loaded = cislog.load(data)
        assert getattr(loaded.events[record["id"]], key) == value
        assert {r.id: r for r in loaded if r.id != record["id"]} == others
