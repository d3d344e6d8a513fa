"""The fast TOML parser reads exactly what tomllib reads, and fails as tomllib fails."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
import rtoml
import tomli
from hypothesis import given
from hypothesis import strategies as st

from cislog import tomlparse
from tests.toml_forms import data_file, document, event


def _outcome(parse: Any, text: str) -> tuple[str, Any]:
    """What a parser made of the text; data as its repr, in which a NaN equals a NaN
    (and a value's type shows, as ``==`` would not show it)."""
    try:
        return "data", repr(parse(text))
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
     "\\e", "\\x41", "\\u00e9", "é", "a", "id", ".", "\t", "\ufeff", "_", "+", "-", "\x7f",
     "nan", "1e400", "T", "Z", "00:00:00", "+05:30"]
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


def _refuse(name: str) -> Any:
    def refuse(text: str) -> dict[str, Any]:
        raise AssertionError(f"{name} parsed text a faster parser could parse")

    return refuse


def test_text_as_cislog_writes_it_is_parsed_by_rtoml_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = '[[event]]\nid = "a"\ndate = "1991-12-21"\nnote = "x: y"\n'
    expected = tomllib.loads(text)
    monkeypatch.setattr(tomllib, "loads", _refuse("tomllib"))
    monkeypatch.setattr(tomli, "loads", _refuse("tomli"))
    assert tomlparse.loads(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'a = "\\e"\n',
        'a = "\\x41"\n',
        "a = { x = 1 }\n",
        "a = 07:32:00\n",
        "a = 1979-05-27T07:32:00+05:30\n",
        "\ufeffa = 1\n",
        'a = """one\r\ntwo"""\r\n',  # tomllib gives "one\ntwo"
        'a = "ends 10:30" # a time in a string is screened too\n',
    ],
)
def test_what_rtoml_may_read_otherwise_goes_to_tomli(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """rtoml reads TOML 1.1's escapes, times and inline tables, a byte-order mark, and
    offsets with a time zone class of its own: such text never reaches it."""
    expected = _outcome(tomllib.loads, text)
    monkeypatch.setattr(rtoml, "loads", _refuse("rtoml"))
    assert _outcome(tomlparse.loads, text) == expected


@given(st.lists(TOML_PIECES, max_size=30).map("".join))
def test_screened_text_reads_with_rtoml_exactly_as_with_tomllib(text: str) -> None:
    """rtoml alone, on the text it is given: the same data, or a failure (which sends
    the text on to tomllib)."""
    if not tomlparse._rtoml_reads_as_tomllib(text):
        return
    expected = _outcome(tomllib.loads, text)
    got = _outcome(rtoml.loads, text)
    if expected[0] == "data":
        assert got == expected or got[0] != "data"
    else:
        assert got[0] != "data", f"rtoml accepts what tomllib refuses: {got}"
