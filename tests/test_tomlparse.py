"""The fast TOML parser reads exactly what tomllib reads, and fails as tomllib fails."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cislog import tomlparse
from tests.toml_forms import data_file, document, event


def _outcome(parse: Any, text: str) -> tuple[str, Any]:
    try:
        return "data", parse(text)
    except Exception as error:
        return type(error).__name__, str(error)


@given(st.data())
def test_a_data_file_reads_as_tomllib_reads_it(data: st.DataObject) -> None:
    records = [("event", data.draw(event(i))) for i in range(data.draw(st.integers(1, 3)))]
    records += [("document", data.draw(document(i))) for i in range(data.draw(st.integers(0, 2)))]
    text = data.draw(data_file(records)).text

    assert tomlparse.loads(text) == tomllib.loads(text)


TOML_PIECES = st.sampled_from(
    ["[[event]]", "[a.b]", "x = ", '"', "'", '"""', "'''", "{", "}", "[", "]", ",", "\n",
     "\r\n", " ", "#", "=", "1979-05-27", "07:32", "1e3", "0x1F", "inf", "true", "\\",
     "\\e", "\\u00e9", "é", "a", "id", ".", "\t"]
)  # fmt: skip


@given(st.lists(TOML_PIECES, max_size=30).map("".join) | st.text(max_size=40))
def test_any_text_reads_or_fails_exactly_as_with_tomllib(text: str) -> None:
    assert _outcome(tomlparse.loads, text) == _outcome(tomllib.loads, text)


@pytest.mark.parametrize(
    "text",
    [
        "a = { x = 1, }\n",  # TOML 1.1: a trailing comma in an inline table
        "a = {\n  x = 1\n}\n",  # TOML 1.1: an inline table over lines
        'a = "\\e"\n',  # TOML 1.1: the escape \e
        "a = 07:32\n",  # TOML 1.1: a time without seconds
    ],
)
def test_toml_1_1_is_refused_as_tomllib_refuses_it(text: str) -> None:
    """A tomli reading TOML 1.1 (2.3 and later) would accept files that every other
    reader of the dataset, tomllib among them, refuses."""
    with pytest.raises(tomllib.TOMLDecodeError) as refused:
        tomlparse.loads(text)
    assert _outcome(tomlparse.loads, text) == _outcome(tomllib.loads, text)
    assert str(refused.value)


def test_valid_text_is_parsed_by_tomli_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(text: str) -> dict[str, Any]:
        raise AssertionError("tomllib parsed text tomli could parse")

    monkeypatch.setattr(tomllib, "loads", slow)
    assert tomlparse.loads('[[event]]\nid = "a"\n') == {"event": [{"id": "a"}]}
