"""The JSON Schema of a data file: kept in the repository, accepted by the bundled data,
and strict enough to catch what an editor should flag."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from cislog.cli import app
from cislog.datadir import bundled_data_dir
from cislog.schema import DIRECTIVE, SCHEMA_FILE, file_schema, schema_text

DATA = bundled_data_dir()
runner = CliRunner()


def _validator() -> Draft202012Validator:
    return Draft202012Validator(file_schema())


def _errors(document: dict[str, Any]) -> list[str]:
    return sorted(error.message for error in _validator().iter_errors(document))


def _event(**changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": "cis-summit-2024",
        "date": "2024-10-08",
        "title": "A summit",
        "kind": "summit",
        "orgs": ["cis"],
        "countries": ["az"],
        "sources": ["azerbaijan-cis-page"],
    }
    event.update(changes)
    return {key: value for key, value in event.items() if value is not None}


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = file_schema()

    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_repository_keeps_the_schema_that_cislog_schema_prints() -> None:
    kept = DATA / SCHEMA_FILE
    if os.environ.get("CISLOG_UPDATE_GOLDEN"):
        kept.write_text(schema_text(), encoding="utf-8")

    assert kept.read_text(encoding="utf-8") == schema_text(), (
        "data/cislog.schema.json is out of date: run CISLOG_UPDATE_GOLDEN=1 pytest "
        "tests/test_schema.py, or cislog schema --out data/"
    )


def test_the_schema_text_is_the_same_on_every_run() -> None:
    assert schema_text() == schema_text()
    assert list(json.loads(schema_text())) == sorted(json.loads(schema_text()))


@pytest.mark.parametrize("path", sorted(DATA.glob("*.toml")), ids=lambda p: p.name)
def test_every_bundled_file_names_the_schema_and_validates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")

    assert text.splitlines()[0] == DIRECTIVE
    assert (path.parent / "cislog.schema.json").is_file()
    assert _errors(tomllib.loads(text)) == []


def test_a_well_formed_record_passes() -> None:
    assert _errors({"event": [_event()]}) == []


def test_an_unknown_key_is_rejected() -> None:
    assert _errors({"event": [_event(sumary="typo")]}) == [
        "Additional properties are not allowed ('sumary' was unexpected)"
    ]


def test_an_unknown_record_kind_is_rejected() -> None:
    assert _errors({"events": [_event()]}) == [
        "Additional properties are not allowed ('events' was unexpected)"
    ]


def test_a_missing_required_field_is_rejected() -> None:
    assert _errors({"event": [_event(title=None)]}) == ["'title' is a required property"]


@pytest.mark.parametrize(
    "date",
    ["24 September 1993", "1993-9-24", "1993//", "/", "../..", "..", "1993-13", "1993-09-32"],
)
def test_a_malformed_date_is_rejected(date: str) -> None:
    errors = _errors({"event": [_event(date=date)]})

    assert len(errors) == 1
    assert errors[0].startswith(f"'{date}' does not match")


@pytest.mark.parametrize(
    "date", ["1993", "1993-09", "1993-09-24", "2023-10-11?", "1995~", "2011-04-20/2011-04-21",
             "../1993-09-23", "2023-01-01/..", "/1993", "1993/", "XXXX-10-11", "199X", "1993-XX",
             "19X5-X1-3X", "[..1993-09-24]", "[1993-09-24..]", "[1667, 1668, 1670..1672]",
             "[..1990, 1995, 2000..]", "[1993-09-24?]", "199X/2003"],
)  # fmt: skip
def test_every_date_form_validation_accepts_passes_the_schema(date: str) -> None:
    from cislog import dates

    dates.parse(date)  # the loader's own parser: the schema must not be stricter
    assert _errors({"event": [_event(date=date)]}) == []


@pytest.mark.parametrize(
    "date", ["[1993, ..1995]", "[1993.., 1995]", "[]", "{1993, 1994}", "1993-2X"]
)
def test_a_set_open_in_its_middle_and_other_malformed_forms_are_rejected(date: str) -> None:
    from cislog import dates

    with pytest.raises(dates.DateError):
        dates.parse(date)
    assert len(_errors({"event": [_event(date=date)]})) == 1


def test_a_term_end_is_one_day_never_an_interval() -> None:
    office = {"title": "President", "from": "../2015-10-16", "sources": ["s"]}
    person = {"id": "p", "name": "P", "offices": [office], "sources": ["s"]}

    (error,) = _errors({"person": [person]})
    assert error.startswith("'../2015-10-16' does not match")
    assert (
        _errors({"person": [{**person, "offices": [{**office, "from": "[..2015-10-16]"}]}]}) == []
    )


def test_a_term_may_end_with_dot_dot_but_an_event_date_may_not() -> None:
    office = {"title": "Secretary General", "from": "2023-01-01", "to": "..", "sources": ["s"]}
    person = {"id": "p", "name": "P", "offices": [office], "sources": ["s"]}

    assert _errors({"person": [person]}) == []
    assert _errors({"event": [_event(date="..")]}) == [
        "'..' does not match "
        + repr(file_schema()["$defs"]["Event"]["properties"]["date"]["pattern"])
    ]


def test_a_record_or_entry_citing_no_source_is_rejected_but_a_source_may() -> None:
    assert _errors({"event": [_event(sources=None)]}) == ["'sources' is a required property"]
    assert _errors({"event": [_event(sources=[])]}) == ["[] should be non-empty"]
    signatory = {"country": "az", "status": "signed"}
    document = {"id": "d", "title": "D", "kind": "act", "sources": ["s"]}
    assert _errors({"document": [{**document, "signatories": [signatory]}]}) == [
        "'sources' is a required property"
    ]
    assert _errors({"source": [{"id": "s", "title": "S", "kind": "book"}]}) == []


def test_a_blank_reason_to_silence_a_check_is_rejected() -> None:
    ignore = {"rule": "unused-source", "reason": " "}
    source = {"id": "s", "title": "S", "kind": "book", "check_ignore": [ignore]}

    assert _errors({"source": [source]}) == ["' ' does not match '\\\\S'"]


def test_wrong_types_are_rejected() -> None:
    assert _errors({"event": [_event(orgs="cis")]}) == ["'cis' is not of type 'array'"]
    assert _errors({"event": _event()}) != []
    body = {"id": "b", "org": "cis", "name": "B", "supreme": "yes", "sources": ["s"]}
    assert _errors({"body": [body]}) == ["'yes' is not of type 'boolean'"]


def test_ids_and_references_must_have_the_shape_of_an_id() -> None:
    assert _errors({"event": [_event(id="Summit 2024")]}) != []
    assert _errors({"event": [_event(countries=["AZ"])]}) == ["'AZ' does not match '^[a-z]{2}$'"]
    assert _errors({"country": [{"id": "aze", "name": "Azerbaijan", "sources": ["s"]}]}) == [
        "'aze' does not match '^[a-z]{2}$'"
    ]


def test_a_value_outside_an_enumeration_is_rejected() -> None:
    errors = _errors({"event": [_event(kind="party")]})

    assert len(errors) == 1
    assert errors[0].startswith("'party' is not one of ['founding', 'accession',")


def test_fields_carry_descriptions_for_editor_hovers() -> None:
    definitions = file_schema()["$defs"]
    event = definitions["Event"]["properties"]

    assert "EDTF" in event["date"]["description"]
    assert event["sources"]["items"]["description"] == "The id of a source."
    assert "unknown" in definitions["Document"]["properties"]["signatories"]["description"]
    # TOML has no null: optional fields are offered with their real type.
    assert event["summary"] == {
        "description": "What happened or what the document says, in a sentence or two.",
        "title": "summary",
        "type": "string",
        # Prose: tabs and line breaks, but no other control character.
        "pattern": "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$",
        "maxLength": 200_000,
    }


def test_cislog_schema_prints_the_schema_on_stdout() -> None:
    result = runner.invoke(app, ["schema"])

    assert result.exit_code == 0
    assert result.stdout == schema_text()


def test_cislog_schema_out_writes_a_file_or_into_a_directory(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "--out", "my.json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "my.json").read_text(encoding="utf-8") == schema_text()
    assert result.stdout == ""

    (tmp_path / "dataset").mkdir()
    result = runner.invoke(app, ["schema", "--out", "dataset"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dataset" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()

    result = runner.invoke(app, ["schema", "--out", "new-dataset/"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"cislog: wrote new-dataset/{SCHEMA_FILE}\n"
    assert (tmp_path / "new-dataset" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()


def test_cislog_schema_never_writes_over_a_data_file(tmp_path: Path) -> None:
    (tmp_path / "events.toml").write_text("[[event]]\n", encoding="utf-8")

    result = runner.invoke(app, ["schema", "--out", "events.toml"])

    assert result.exit_code == 1
    assert "refusing to write the schema over a .toml file" in result.stderr
    assert (tmp_path / "events.toml").read_text(encoding="utf-8") == "[[event]]\n"


def test_cislog_schema_reports_an_unwritable_path_without_a_traceback() -> None:
    result = runner.invoke(app, ["schema", "--out", "missing-dir/schema.json"])

    assert result.exit_code == 1
    assert result.stderr.startswith("cislog: missing-dir/schema.json: cannot write the schema")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_installed_cislog_prints_the_kept_schema(tmp_path: Path) -> None:
    executable = shutil.which("cislog", path=str(Path(sys.executable).parent))
    assert executable, "the cislog console script is not installed next to this Python"

    result = subprocess.run(
        [executable, "schema"], cwd=tmp_path, capture_output=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == (DATA / SCHEMA_FILE).read_text(encoding="utf-8")
