"""No input crashes cislog: generated TOML, raw bytes and damaged copies of the bundled files.

Each example is a dataset directory. ``load``, ``validate``, ``check`` and a few
queries must either succeed or report problems placed in a file (and on a line,
for a file's content); never raise anything else, never hang, never write to
the dataset. The default budget is small; CISLOG_HYPOTHESIS=long runs it at
length (see the README).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import cislog
from cislog import checks, query
from cislog.cli import app
from cislog.datadir import bundled_data_dir
from cislog.kinds import RECORD_KINDS
from cislog.model import MODELS
from tests.conftest import MINIMAL_FILES

BUNDLED = {p.name: p.read_bytes() for p in sorted(bundled_data_dir().glob("*.toml"))}
# Generated files join a small valid dataset, so that each example stays quick.
MINIMAL = {name: textwrap.dedent(text).encode("utf-8") for name, text in MINIMAL_FILES.items()}
FIELD_NAMES = sorted(
    {f.alias or n for model in MODELS.values() for n, f in model.model_fields.items()}
)
FIVE_SECONDS = dt.timedelta(seconds=5)


def _snapshot(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in directory.iterdir()}


def _survives(files: dict[str, bytes]) -> None:
    """Run the library and the CLI on a dataset made of ``files``; only clean outcomes pass."""
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary) / "data"
        directory.mkdir()
        for name, content in files.items():
            (directory / name).write_bytes(content)
        before = _snapshot(directory)

        result = checks.check(directory)
        for problem in result.problems:
            assert problem.file and problem.message
            if problem.file != str(directory):
                assert problem.line is not None and problem.line >= 1, problem
        if not result.problems:
            dataset = cislog.load(directory)
            query.timeline(dataset)
            query.search(dataset, "a council")
            query.signatures(dataset)
            for record in list(dataset)[:20]:
                query.record_detail(dataset, record)
        cli = CliRunner().invoke(app, ["--data", str(directory), "check"])
        assert cli.exit_code in (0, 1), cli.output
        assert "Traceback" not in cli.output

        assert _snapshot(directory) == before, "the dataset was written to"


# --- generated TOML --------------------------------------------------------------------

scalars = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates(),
    st.sampled_from(
        ["1993", "1993-09-24", "1993-13", "2001-02-30", "../1993", "..", "1993?", "az", "cis"]
    ),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=12))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
records = st.dictionaries(keys, values, max_size=8)
documents = st.dictionaries(
    st.one_of(st.sampled_from(RECORD_KINDS), st.text(min_size=1, max_size=8)),
    st.one_of(st.lists(records, max_size=4), values),
    max_size=4,
)


@settings(deadline=FIVE_SECONDS)
@given(documents)
def test_generated_toml_documents(document: dict[str, Any]) -> None:
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return  # not every Python structure is TOML
    _survives({**MINIMAL, "generated.toml": text.encode("utf-8")})


@settings(deadline=FIVE_SECONDS)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data: bytes) -> None:
    _survives({**MINIMAL, "bytes.toml": data})


# --- damaged copies of the bundled files -----------------------------------------------


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(BUNDLED)))
    data = bytearray(BUNDLED[name])
    mutation = draw(
        st.sampled_from(
            ["truncate", "flip", "encoding", "nesting", "integer", "long", "nul", "duplicate",
             "table", "array", "delete-line"]
        )
    )  # fmt: skip
    at = draw(st.integers(0, len(data)))
    lines = bytes(data).split(b"\n")
    line = draw(st.integers(0, len(lines) - 1))
    if mutation == "truncate":
        data = data[:at]
    elif mutation == "flip":
        for _ in range(draw(st.integers(1, 8))):
            index = draw(st.integers(0, len(data) - 1))
            data[index] ^= 1 << draw(st.integers(0, 7))
    elif mutation == "encoding":
        encoding = draw(st.sampled_from(["utf-16", "latin-1", "cp1251", "utf-32"]))
        data = bytearray(bytes(data).decode("utf-8").encode(encoding, errors="replace"))
    elif mutation == "nesting":
        depth = draw(st.integers(10, 3000))
        data[at:at] = b"\ndeep = " + b"[" * depth + b"]" * depth + b"\n"
    elif mutation == "integer":
        data[at:at] = b"\npages = " + b"9" * draw(st.integers(20, 6000)) + b"\n"
    elif mutation == "long":
        data[at:at] = b'\nsummary = "' + b"x" * draw(st.integers(1000, 200_000)) + b'"\n'
    elif mutation == "nul":
        data[at:at] = b"\x00"
    elif mutation == "duplicate":
        lines.insert(line, lines[line])
        data = bytearray(b"\n".join(lines))
    elif mutation == "table":
        data = bytearray(bytes(data).replace(b"[[", b"[", draw(st.integers(1, 3))))
    elif mutation == "array":
        lines[line] = b"sources = " + draw(st.sampled_from([b"[[1]]", b"{a = 1}", b"[]", b"42"]))
        data = bytearray(b"\n".join(lines))
    else:
        del lines[line]
        data = bytearray(b"\n".join(lines))
    return name, bytes(data)


@settings(deadline=FIVE_SECONDS)
@given(damaged())
def test_damaged_bundled_files(damage: tuple[str, bytes]) -> None:
    name, data = damage
    _survives({**BUNDLED, name: data})


def test_the_known_hard_cases_are_problems_with_a_place() -> None:
    deep = b"x = 1\ny = " + b"[" * 5000 + b"]" * 5000 + b"\n"
    huge = b'[[event]]\nid = "e"\nn = ' + b"9" * 5000 + b"\n"
    for name, data, expected in (
        ("deep.toml", deep, ":2: invalid TOML: arrays or tables nested too deeply to read"),
        ("huge.toml", huge, ":3: invalid TOML: a number too long to read (thousands of digits)"),
    ):
        with tempfile.TemporaryDirectory() as temporary:
            (Path(temporary) / name).write_bytes(data)
            (problem,) = cislog.validate(temporary)
            assert str(problem) == f"{Path(temporary) / name}{expected}"
