"""Every problem carries a code from one vocabulary, and every code is reached.

A script (or the writer, or ``cislog check``) tells kinds of problems apart by
code, never by message. Each code of :data:`cislog.errors.PROBLEM_CODES` has a
dataset here that gives exactly that problem; the README's table of codes is the
vocabulary itself; and a bad date says which way it is bad, as :class:`DateError`'s
code, without its message being read.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from typing import get_args

import pytest
from typer.testing import CliRunner

import cislog
from cislog import dates
from cislog.cli import app
from cislog.cli.validate_cmd import codes_markdown
from cislog.errors import PROBLEM_CODES, InvalidValue, Problem, ProblemCode
from tests.conftest import MakeDataset

runner = CliRunner()
README = Path(__file__).resolve().parents[1] / "README.md"

SOURCE = """\
    [[source]]
    id = "src-b"
    title = "Another source"
    kind = "article"
    {extra}
    """
EVENT = """\
    [[event]]
    id = "e1"
    date = "1993"
    title = "Something happened"
    kind = "meeting"
    sources = ["src-a"]
    {extra}
    """
SIGNED = """\
    [[document]]
    id = "fta"
    title = "Agreement"
    kind = "agreement"
    sources = ["src-a"]

    [[document.signatories]]
    country = "az"
    status = "signed"
    sources = ["src-a"]

    [[document.signatories]]
    country = "az"
    status = "signed"
    sources = ["src-a"]
    """
TERM = """\
    [[person]]
    id = "p1"
    name = "Someone"
    sources = ["src-a"]

    [[person.offices]]
    title = "Envoy"
    from = "2020"
    to = "2010"
    sources = ["src-a"]
    """
BODY_LOOP = """\
    [[body]]
    id = "b1"
    org = "cis"
    name = "One"
    parent = "b1"
    sources = ["src-a"]
    """

# A dataset (files added to the minimal valid one) giving exactly one problem, by code.
DATASETS: dict[ProblemCode, dict[str, str | bytes]] = {
    "not-utf8": {"more.toml": b'[[source]]\nid = "caf\xe9"\n'},
    "binary-file": {"more.toml": b"\x00\x01"},
    "toml-syntax": {"more.toml": '[[event]]\nid = "e1"\ntitle "no equals"\n'},
    "too-deep": {"more.toml": "x = " + "[" * 5000 + "]" * 5000 + "\n"},
    "unknown-kind": {"more.toml": "[[evnt]]\nid = 'e1'\n"},
    "not-array-of-tables": {"more.toml": "[event]\nid = 'e1'\n"},
    "missing-field": {
        "more.toml": EVENT.format(extra="").replace('title = "Something happened"', "")
    },
    "unknown-field": {"more.toml": EVENT.format(extra='titel = "x"')},
    "wrong-type": {"more.toml": EVENT.format(extra="").replace('"Something happened"', "1993")},
    "unknown-value": {"more.toml": EVENT.format(extra="").replace('"meeting"', '"meating"')},
    "out-of-range": {"more.toml": SOURCE.format(extra="pages = 0")},
    "bad-id": {"more.toml": EVENT.format(extra="").replace('"e1"', '"Event One"')},
    "bad-date": {"more.toml": EVENT.format(extra="").replace('"1993"', '"1993-02-30"')},
    "bad-url": {"more.toml": SOURCE.format(extra='url = "javascript:alert(1)"')},
    "too-long": {"more.toml": SOURCE.format(extra="").replace("Another source", "x" * 2001)},
    "control-character": {"more.toml": SOURCE.format(extra="").replace("Another", "A\\u0007")},
    "empty-reason": {
        "more.toml": SOURCE.format(extra="")
        + '\n[[source.check_ignore]]\nrule = "unused-source"\nreason = " "\n'
    },
    "invalid-value": {"more.toml": SOURCE.format(extra='language = "English"')},
    "duplicate-id": {"more.toml": SOURCE.format(extra="").replace("src-b", "src-a")},
    "unknown-reference": {"more.toml": EVENT.format(extra='orgs = ["cs"]')},
    "wrong-reference-kind": {"more.toml": EVENT.format(extra='orgs = ["az"]')},
    "uncited": {"more.toml": EVENT.format(extra="").replace('sources = ["src-a"]', "")},
    "ends-before-start": {"more.toml": TERM},
    "duplicate-signatory": {"more.toml": SIGNED},
    # orgs.toml declares exactly one statutory body: this is a second.
    "count-too-small": {"more.toml": BODY_LOOP.replace('parent = "b1"', 'category = "statutory"')},
    "cycle": {"more.toml": BODY_LOOP},
}


@pytest.mark.parametrize("code", list(DATASETS))
def test_each_code_names_its_problem(code: ProblemCode, make_dataset: MakeDataset) -> None:
    make_dataset(DATASETS[code])

    problems = cislog.validate("data")
    result = runner.invoke(app, ["validate", "data", "--json"])

    assert [problem.code for problem in problems] == [code], problems
    assert [row["code"] for row in json.loads(result.stdout)] == [code]


def test_the_codes_of_a_directory_that_is_not_a_dataset(
    make_dataset: MakeDataset, tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "file").write_text("", encoding="utf-8")

    assert [p.code for p in cislog.validate(tmp_path / "missing")] == ["no-directory"]
    assert [p.code for p in cislog.validate(tmp_path / "file")] == ["not-a-directory"]
    assert [p.code for p in cislog.validate(tmp_path / "empty")] == ["no-data-files"]


def test_a_file_that_cannot_be_read_is_unreadable(
    make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_dataset()
    real = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path.name == "events.toml":
            raise PermissionError(13, os.strerror(13), str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)

    assert [(p.code, p.message) for p in cislog.validate(data)] == [
        ("unreadable", "cannot read: Permission denied")
    ]


def test_every_code_is_reached_and_documented() -> None:
    reached = {*DATASETS, "no-directory", "not-a-directory", "no-data-files", "unreadable"}

    assert list(PROBLEM_CODES) == list(get_args(ProblemCode))
    assert reached == set(PROBLEM_CODES)
    assert all(meaning and "\n" not in meaning for meaning in PROBLEM_CODES.values())


def test_the_readme_table_of_codes_is_the_vocabulary() -> None:
    """Regenerate the table with CISLOG_UPDATE_DOCS=1 after a deliberate change."""
    text = README.read_text(encoding="utf-8")
    start = text.index("| code | the problem |\n")
    end = text.index("\n\n", start) + 1
    if os.environ.get("CISLOG_UPDATE_DOCS"):
        README.write_text(text[:start] + codes_markdown() + text[end:], encoding="utf-8")
        return

    assert text[start:end] == codes_markdown(), (
        "README.md's table of problem codes is out of date: run CISLOG_UPDATE_DOCS=1 "
        "python -m pytest tests/test_problem_codes.py"
    )


def test_a_code_is_json_and_library_alike_and_text_output_keeps_its_shape(
    make_dataset: MakeDataset,
) -> None:
    make_dataset(DATASETS["unknown-reference"])

    (problem,) = cislog.validate("data")
    text = runner.invoke(app, ["validate", "data"])
    rows = json.loads(runner.invoke(app, ["validate", "data", "--json"]).stdout)
    only = json.loads(runner.invoke(app, ["validate", "data", "--fields", "code,id"]).stdout)

    assert (
        text.stdout == "data/more.toml:7: e1: orgs[0]: no org with id 'cs' (did you mean 'cis'?)\n"
    )
    assert rows == [
        {
            "file": "data/more.toml",
            "line": 7,
            "id": "e1",
            "field": "orgs[0]",
            "message": "no org with id 'cs' (did you mean 'cis'?)",
            "code": "unknown-reference",
        }
    ]
    assert rows == [problem.to_dict()] and only == [{"code": "unknown-reference", "id": "e1"}]


def test_a_problem_is_made_with_a_code() -> None:
    with pytest.raises(TypeError):
        Problem("f.toml", 1, None, None, "no code")  # type: ignore[call-arg]

    problem = Problem("f.toml", 1, None, None, "m", code="toml-syntax")

    assert problem.code == "toml-syntax" and str(problem) == "f.toml:1: m"


def test_a_dataset_error_carries_the_codes(make_dataset: MakeDataset) -> None:
    make_dataset({"bodies.toml": BODY_LOOP, "more.toml": DATASETS["bad-url"]["more.toml"]})

    with pytest.raises(cislog.DatasetError) as raised:
        cislog.load("data")

    assert sorted(problem.code for problem in raised.value.problems) == ["bad-url", "cycle"]


# --- DateError -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "options"),
    [
        ("24.09.1993", "not-edtf", {}),
        (" 1993", "not-edtf", {}),
        ("[1993,,1994]", "not-edtf", {}),
        ("1993/1994/1995", "not-edtf", {}),
        ("0000", "unsupported", {}),
        ("{1993, 1994}", "unsupported", {}),
        ("1993-13", "impossible", {}),
        ("2001-02-30", "impossible", {}),
        ("1994/1993", "reversed", {}),
        ("[1994..1993]", "reversed", {}),
        ("1993/1994", "not-one-day", {"allow_interval": False}),
    ],
)
def test_a_date_error_says_what_is_wrong_by_its_code(
    text: str, code: str, options: dict[str, bool]
) -> None:
    with pytest.raises(dates.DateError) as raised:
        dates.parse(text, **options)

    assert raised.value.code == code
    assert isinstance(raised.value, ValueError)  # callers that catch ValueError still do


def test_a_date_to_ask_for_is_refused_with_its_own_code() -> None:
    with pytest.raises(dates.DateError) as raised:
        dates.parse_query("1993?")

    assert raised.value.code == "not-a-query"


def test_a_bad_date_in_a_record_keeps_the_date_error_it_came_from(
    make_dataset: MakeDataset,
) -> None:
    from pydantic import ValidationError

    from cislog.model import Event

    with pytest.raises(ValidationError) as raised:
        Event.model_validate(
            {"id": "e", "date": "1994/1993", "title": "T", "kind": "meeting", "sources": ["s"]}
        )

    error = raised.value.errors()[0]["ctx"]["error"]
    assert isinstance(error, InvalidValue) and error.code == "bad-date"
    assert isinstance(error.__cause__, dates.DateError) and error.__cause__.code == "reversed"


def test_coded_errors_survive_pickling() -> None:
    date_error = pickle.loads(pickle.dumps(dates.DateError("impossible", "no day 30")))
    invalid = pickle.loads(pickle.dumps(InvalidValue("bad-url", "not a link")))

    assert (date_error.code, str(date_error)) == ("impossible", "no day 30")
    assert (invalid.code, str(invalid)) == ("bad-url", "not a link")
