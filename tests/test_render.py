"""Streamed JSON is byte for byte the JSON of the whole list."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cislog import render

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.lists(json_values, max_size=5))
def test_a_streamed_array_equals_the_dumped_list(items: list[Any]) -> None:
    written: list[str] = []

    render.write_json_array(iter(items), written.append)

    assert "".join(written) == render.to_json(items)


def test_a_long_stream_written_in_chunks_is_still_the_dumped_list() -> None:
    items = [{"id": f"event-{n}", "title": "x" * (n % 300), "n": n} for n in range(3000)]
    written: list[str] = []

    render.write_json_array(iter(items), written.append)

    assert len(written) > 5  # written as it was read, not held whole
    assert "".join(written) == render.to_json(items)


def test_an_empty_stream_is_an_empty_array() -> None:
    written: list[str] = []

    render.write_json_array(iter(()), written.append)

    assert "".join(written) == "[]\n"


# Every JSON type cislog writes, and what orjson refuses (keys that are not strings,
# integers beyond 64 bits, lone surrogates), which go to the json module.
any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text() | st.integers() | st.booleans(), inner, max_size=3)
    ),
    max_leaves=12,
)


# The json module's text, with the characters it leaves raw that cislog escapes (DEL,
# C1 controls, U+2028, U+2029, lone surrogates: see render.inert_json).
def _json_modules_text(value: Any) -> str:
    return render.inert_json(json.dumps(value, ensure_ascii=False, indent=2)) + "\n"


@given(any_json)
def test_json_text_is_exactly_the_json_modules_indented_text(value: Any) -> None:
    assert render.to_json(value) == _json_modules_text(value)


@given(st.lists(any_json, max_size=4))
def test_a_streamed_array_is_exactly_the_json_modules_text(items: list[Any]) -> None:
    written: list[str] = []

    render.write_json_array(iter(items), written.append)

    assert "".join(written) == _json_modules_text(items)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=4))
def test_a_float_reads_back_as_the_same_number(numbers: list[float]) -> None:
    assert json.loads(render.to_json(numbers)) == numbers


def test_a_number_json_has_no_word_for_is_null_not_invalid_json() -> None:
    assert json.loads(render.to_json([math.nan, math.inf, -math.inf])) == [None, None, None]


class _Tag(str):
    """A subclass of str, as an enumeration's value may be."""


def test_what_orjson_would_write_by_its_own_rules_is_left_to_the_json_module() -> None:
    value = {"tag": _Tag("a"), "big": 2**70, "name": "bad \udcff byte"}

    assert render.to_json(value) == _json_modules_text(value)
