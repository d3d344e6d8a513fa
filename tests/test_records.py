"""The typed records every query reads: the same from the files and from the cache,
field for field what the models validated."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from pydantic import BaseModel

import cislog
from cislog import records
from cislog.model import MODELS, entry_model
from tests.test_writing_properties import edtf_dates, events

FIXTURE = Path(__file__).parent / "fixture"


def _pairs() -> list[tuple[type[BaseModel], type[records.Entry]]]:
    """Every model with its record class, nested entries included."""
    found: list[tuple[type[BaseModel], type[records.Entry]]] = []
    waiting: list[tuple[type[BaseModel], type[records.Entry]]] = [
        (MODELS[kind], records.RECORDS[kind]) for kind in records.RECORDS
    ]
    while waiting:
        model, record = waiting.pop()
        found.append((model, record))
        nested = {name: how for name, _, how in record.fields() if isinstance(how, type)}
        for name, field in model.model_fields.items():
            inner = entry_model(field.annotation)
            if inner is not None:
                waiting.append((inner, nested[name]))
    return found


@pytest.mark.parametrize(("model", "record"), _pairs(), ids=lambda c: c.__name__)
def test_each_record_class_has_exactly_its_models_fields_in_order(
    model: type[BaseModel], record: type[records.Entry]
) -> None:
    """A field added to a model and not to its record class fails here, named."""
    expected = [(name, field.alias or name) for name, field in model.model_fields.items()]

    assert [(name, key) for name, key, _ in record.fields()] == expected
    assert record.__name__ == model.__name__


def test_the_pairs_cover_every_kind_and_every_kind_of_entry() -> None:
    names = {record.__name__ for _, record in _pairs()}

    assert {"Signatory", "Office", "Membership", "DeclaredCount", "CheckIgnore"} <= names
    assert set(records.RECORDS) == set(MODELS)


@pytest.mark.parametrize("data", [FIXTURE, None], ids=["fixture", "bundled"])
def test_a_record_read_from_its_model_or_from_its_json_is_the_same(data: Path | None) -> None:
    """The files' path (from the model) and the cache's (from the JSON the model
    dumped) give equal records, which dump back to exactly the model's JSON."""
    from cislog.datadir import resolve_data_dir
    from cislog.loading import read_directory

    result = read_directory(resolve_data_dir(data))
    models = [entry.record for entry in result.records if entry.record is not None]
    assert len(models) > 50

    for model in models:
        dumped = model.model_dump(mode="json", by_alias=True)
        from_model = records.from_model(model)
        from_json = records.from_json(model.KIND, dumped)

        assert from_model == from_json and hash(from_model) == hash(from_json)
        assert from_model.to_json() == dumped and list(from_model.to_json()) == list(dumped)
        assert type(from_model) is records.RECORDS[model.KIND]


@given(events(), edtf_dates())
def test_generated_events_read_back_the_same(event: dict[str, Any], note_date: str) -> None:
    model = MODELS["event"].model_validate({**event, "date": note_date})
    dumped = model.model_dump(mode="json", by_alias=True)

    record = records.from_model(model)

    assert record.to_json() == dumped
    again = records.from_json("event", dumped)
    assert again == record and hash(again) == hash(record)
    assert str(getattr(record, "date")) == note_date  # noqa: B009


@pytest.mark.parametrize(
    "change",
    [
        lambda d: {k: v for k, v in d.items() if k != "title"},
        lambda d: {**d, "unknown": 1},
        lambda d: {**d, "signatories": "az"},
        lambda d: {**d, "date": "not a date"},
        lambda d: [d],
    ],
    ids=["missing", "extra", "not a list", "bad date", "not an object"],
)
def test_json_that_is_not_a_records_shape_is_refused(change: Any) -> None:
    """What the cache's digest let through never reaches a query: the row is damage."""
    document = next(r for r in cislog.load(FIXTURE) if r.KIND == "document")
    damaged = change(document.to_json())

    with pytest.raises(ValueError, match="not a document record"):
        records.from_json("document", damaged)
    with pytest.raises(ValueError, match="not a kind of record"):
        records.from_json("treaty", document.to_json())


def test_records_are_read_only_and_replace_makes_a_changed_copy() -> None:
    source = next(iter(cislog.load(FIXTURE).sources.values()))

    with pytest.raises(AttributeError, match="read-only"):
        source.title = "Another"
    changed = source.replace(pages=12)
    with pytest.raises(TypeError, match="no field 'pagez'"):
        source.replace(pagez=12)

    assert changed.pages == 12 and changed.title == source.title and source.pages != 12
    assert changed != source and source.replace() == source
