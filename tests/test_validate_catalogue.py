"""A catalogue of broken datasets: each must give exactly the expected message.

Every case goes through the CLI (``cislog --data data validate``) and the
library (``cislog.validate``), and asserts the whole line, place included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

import cislog
from cislog.cli import app
from tests.conftest import MakeDataset

runner = CliRunner()


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes | None]
    expected: list[str]
    base: bool = True


EVENT = """\
    [[event]]
    id = "e1"
    date = "{date}"
    title = "Something happened"
    kind = "meeting"
    sources = ["src-a"]
    """

CASES = [
    Case(
        "toml syntax",
        {"events.toml": '[[event]]\nid = "e1"\ntitle "no equals sign"\n'},
        [
            "data/events.toml:3: invalid TOML: Expected '=' after a key in a key/value pair "
            "(column 7)"
        ],
    ),
    Case(
        "unknown field with a near miss",
        {"events.toml": EVENT.format(date="1993") + '    titel = "typo"\n'},
        ["data/events.toml:7: e1: titel: unknown field 'titel' (did you mean 'title'?)"],
    ),
    Case(
        "a field given by its Python name, not its key",
        {
            "people.toml": """\
                [[person]]
                id = "p1"
                name = "Someone"
                sources = ["src-a"]

                [[person.offices]]
                title = "Envoy"
                from_ = "1993"
                sources = ["src-a"]
                """
        },
        ["data/people.toml:8: p1: offices[0].from_: unknown field 'from_' (did you mean 'from'?)"],
    ),
    Case(
        "wrong type",
        {"events.toml": EVENT.format(date="1993").replace('"Something happened"', "1993")},
        ["data/events.toml:4: e1: title: expected a valid string, got an integer (1993)"],
    ),
    Case(
        "value outside an enumeration",
        {"events.toml": EVENT.format(date="1993").replace('"meeting"', '"meating"')},
        [
            "data/events.toml:5: e1: kind: a string ('meating') is not allowed "
            "(did you mean 'meeting'?): expected 'founding', 'accession', 'meeting', 'summit', "
            "'speech', 'reception', 'initiative', 'conference', 'expert_meeting', 'inauguration', "
            "'appointment', 'reorganisation', 'transfer_of_power' or 'other'"
        ],
    ),
    Case(
        "malformed date",
        {"events.toml": EVENT.format(date="24.09.1993")},
        [
            "data/events.toml:3: e1: date: '24.09.1993' is not an EDTF date: use YYYY, YYYY-MM "
            "or YYYY-MM-DD (X for a digit no source gives), optionally followed by ? (uncertain) "
            "or ~ (approximate)"
        ],
    ),
    Case(
        "impossible day",
        {"events.toml": EVENT.format(date="2001-02-30")},
        ["data/events.toml:3: e1: date: '2001-02-30': February 2001 has no day 30"],
    ),
    Case(
        "impossible month",
        {"events.toml": EVENT.format(date="1993-13")},
        ["data/events.toml:3: e1: date: '1993-13': there is no month 13"],
    ),
    Case(
        "interval that starts after it ends",
        {"events.toml": EVENT.format(date="1993-09-25/1993-09-24")},
        [
            "data/events.toml:3: e1: date: '1993-09-25/1993-09-24': "
            "the interval starts after it ends"
        ],
    ),
    Case(
        "term that ends before it starts",
        {
            "people.toml": """\
                [[person]]
                id = "lebedev"
                name = "Sergei Lebedev"
                sources = ["src-a"]

                [[person.offices]]
                title = "Secretary General"
                org = "cis"
                from = "2023-01-01"
                to = "2007"
                sources = ["src-a"]
                """
        },
        ["data/people.toml:10: lebedev: offices[0].to: ends (2007) before it starts (2023-01-01)"],
    ),
    Case(
        "duplicate id across files",
        {
            "facts.toml": '[[fact]]\nid = "accession"\ntext = "x"\n'
            'kind = "figure"\nsources = ["src-a"]\n'
        },
        [
            "data/facts.toml:2: accession: id: duplicate id: 'accession' is already used by the "
            "event at data/events.toml:1"
        ],
    ),
    Case(
        "reference to a missing record, with a near miss",
        {"events.toml": EVENT.format(date="1993") + '    orgs = ["cs"]\n'},
        ["data/events.toml:7: e1: orgs[0]: no org with id 'cs' (did you mean 'cis'?)"],
    ),
    Case(
        "reference to a record of the wrong kind",
        {"events.toml": EVENT.format(date="1993") + '    orgs = ["az"]\n'},
        ["data/events.toml:7: e1: orgs[0]: 'az' is a country, not an org"],
    ),
    Case(
        "missing source in a nested entry",
        {
            "documents.toml": """\
                [[document]]
                id = "fta"
                title = "Agreement on the CIS free trade zone"
                kind = "agreement"
                sources = ["src-a"]

                [[document.signatories]]
                country = "az"
                status = "not_signed"
                """
        },
        [
            "data/documents.toml:7: fta: signatories[0].sources: cites no source: every entry "
            "needs at least one source id in 'sources'"
        ],
    ),
    Case(
        "record without sources",
        {"events.toml": EVENT.format(date="1993").replace('    sources = ["src-a"]\n', "")},
        [
            "data/events.toml:1: e1: sources: cites no source: every record needs at least one "
            "source id in 'sources'"
        ],
    ),
    Case(
        "declared count smaller than the records",
        {
            "bodies.toml": """\
                [[body]]
                id = "second-council"
                org = "cis"
                name = "Second Council"
                category = "statutory"
                sources = ["src-a"]
                """
        },
        [
            "data/orgs.toml:10: cis: counts[0].value: the declared count of statutory bodies is 1, "
            "but the dataset has 2"
        ],
    ),
    Case(
        "not UTF-8",
        {"events.toml": b'[[event]]\nid = "caf\xe9"\n'},
        ["data/events.toml:2: not valid UTF-8: byte 0xe9 at column 10; save the file as UTF-8"],
    ),
    Case(
        "binary file",
        {"events.toml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        ["data/events.toml:3: binary file (contains a NUL byte), not TOML text"],
    ),
    Case(
        "empty directory",
        {},
        ["data: no *.toml files: the dataset is empty"],
        base=False,
    ),
    Case(
        "unknown record kind",
        {"events.toml": EVENT.format(date="1993").replace("[[event]]", "[[evnt]]")},
        [
            "data/events.toml:1: unknown record kind 'evnt' (did you mean 'event'?); known kinds: "
            "source, country, org, body, person, document, event, fact"
        ],
    ),
    Case(
        "table where an array of tables is expected",
        {"events.toml": EVENT.format(date="1993").replace("[[event]]", "[event]")},
        [
            "data/events.toml:1: 'event' must be an array of tables, each record under a "
            "[[event]] header"
        ],
    ),
    Case(
        "missing required field",
        {"events.toml": EVENT.format(date="1993").replace('    date = "1993"\n', "")},
        ["data/events.toml:1: e1: date: required field is missing"],
    ),
    Case(
        "invalid id",
        {"events.toml": EVENT.format(date="1993").replace('"e1"', '"Event One"')},
        [
            "data/events.toml:2: Event One: id: 'Event One' is not a valid id: use lower-case "
            "letters, digits and single hyphens, like 'cis-accession-azerbaijan'"
        ],
    ),
    Case(
        "signatory status outside the enumeration",
        {
            "documents.toml": """\
                [[document]]
                id = "fta"
                title = "Agreement on the CIS free trade zone"
                kind = "agreement"
                sources = ["src-a"]

                [[document.signatories]]
                country = "az"
                status = "unsigned"
                sources = ["src-a"]
                """
        },
        [
            "data/documents.toml:9: fta: signatories[0].status: a string ('unsigned') is not "
            "allowed (did you mean 'not_signed'?): expected 'signed', "
            "'signed_with_special_opinion', 'signed_with_reservation' or 'not_signed'"
        ],
    ),
    Case(
        "several problems at once, in file order",
        {
            "events.toml": EVENT.format(date="1993-13").replace('"meeting"', "3")
            + '    countries = ["xx"]\n'
        },
        [
            "data/events.toml:3: e1: date: '1993-13': there is no month 13",
            "data/events.toml:5: e1: kind: an integer (3) is not allowed: expected 'founding', "
            "'accession', 'meeting', 'summit', 'speech', 'reception', 'initiative', 'conference', "
            "'expert_meeting', 'inauguration', 'appointment', 'reorganisation', "
            "'transfer_of_power' or 'other'",
            # Checked although the record's date and kind were refused.
            "data/events.toml:7: e1: countries[0]: no country with id 'xx'",
        ],
    ),
]

# The code of each case's problems: what a script tells them apart by.
CODES: dict[str, list[str]] = {
    "toml syntax": ["toml-syntax"],
    "unknown field with a near miss": ["unknown-field"],
    "a field given by its Python name, not its key": ["unknown-field"],
    "wrong type": ["wrong-type"],
    "value outside an enumeration": ["unknown-value"],
    "malformed date": ["bad-date"],
    "impossible day": ["bad-date"],
    "impossible month": ["bad-date"],
    "interval that starts after it ends": ["bad-date"],
    "term that ends before it starts": ["ends-before-start"],
    "duplicate id across files": ["duplicate-id"],
    "reference to a missing record, with a near miss": ["unknown-reference"],
    "reference to a record of the wrong kind": ["wrong-reference-kind"],
    "missing source in a nested entry": ["uncited"],
    "record without sources": ["uncited"],
    "declared count smaller than the records": ["count-too-small"],
    "not UTF-8": ["not-utf8"],
    "binary file": ["binary-file"],
    "empty directory": ["no-data-files"],
    "unknown record kind": ["unknown-kind"],
    "table where an array of tables is expected": ["not-array-of-tables"],
    "missing required field": ["missing-field"],
    "invalid id": ["bad-id"],
    "signatory status outside the enumeration": ["unknown-value"],
    "several problems at once, in file order": ["bad-date", "unknown-value", "unknown-reference"],
}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_cli_reports_the_whole_message(case: Case, make_dataset: MakeDataset) -> None:
    make_dataset(case.files, base=case.base)

    result = runner.invoke(app, ["--data", "data", "validate"])

    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == case.expected
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_library_and_json_agree(case: Case, make_dataset: MakeDataset) -> None:
    make_dataset(case.files, base=case.base)

    problems = cislog.validate("data")
    result = runner.invoke(app, ["validate", "data", "--json"])

    assert [str(problem) for problem in problems] == case.expected
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [problem.to_dict() for problem in problems]
    assert all(
        set(item) == {"file", "line", "id", "field", "message", "code"}
        for item in json.loads(result.stdout)
    )
    assert [problem.code for problem in problems] == CODES[case.name]
