"""Streamed JSON is byte for byte the JSON of the whole list."""

from __future__ import annotations

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


def test_an_empty_stream_is_an_empty_array() -> None:
    written: list[str] = []

    render.write_json_array(iter(()), written.append)

    assert "".join(written) == "[]\n"
