"""The listing commands (facts, documents, people, orgs, bodies, countries) through the
CLI: every filter, exactly on a small dataset, against the library's records on the
bundled one, and for random combinations of filters; errors; tables that keep ids whole."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

import cislog
from cislog import dates
from cislog.cli.app import app
from cislog.dataset import Dataset
from cislog.kinds import DOCUMENT_KINDS, FACT_KINDS
from tests.conftest import MakeDataset

runner = CliRunner()

FACT_KEYS = ["id", "text", "kind", "subjects", "date", "date_bounds", "match", "sources", "note"]
DOCUMENT_KEYS = [
    "id", "title", "kind", "date", "date_bounds", "match", "org", "body", "signatories",
    "sources", "note",
]  # fmt: skip

SMALL: dict[str, str | bytes | None] = {
    "sources.toml": """\
        [[source]]
        id = "src-a"
        title = "A source"
        kind = "article"

        [[source]]
        id = "src-b"
        title = "Another source"
        kind = "book"
        """,
    "countries.toml": """\
        [[country]]
        id = "az"
        name = "Azerbaijan"
        aliases = ["AZE"]
        sources = ["src-a"]

        [[country]]
        id = "am"
        name = "Armenia"
        sources = ["src-b"]
        """,
    "orgs.toml": """\
        [[org]]
        id = "cis"
        name = "Commonwealth of Independent States"
        aliases = ["CIS"]
        founded = "1991-12-08"
        sources = ["src-a"]

        [[org]]
        id = "cica"
        name = "Conference on Interaction"
        seat = "Astana"
        sources = ["src-b"]

        [[body]]
        id = "council"
        org = "cis"
        name = "Council"
        category = "statutory"
        sources = ["src-a"]

        [[body]]
        id = "summit"
        org = "cica"
        name = "Summit"
        category = "decision_making"
        sources = ["src-b"]

        [[body]]
        id = "secretariat"
        org = "cica"
        name = "Secretariat"
        sources = ["src-b"]
        """,
    "people.toml": """\
        [[person]]
        id = "lebedev"
        name = "Sergei Lebedev"
        sources = ["src-a"]

        [[person.offices]]
        title = "Chairman of the Executive Committee"
        org = "cis"
        from = "2007-10-05"
        to = "2022-12-31"
        sources = ["src-a"]

        [[person.offices]]
        title = "Secretary General"
        renamed_from = "Chairman of the Executive Committee"
        org = "cis"
        from = "2023-01-01"
        to = ".."
        sources = ["src-a"]

        [[person]]
        id = "aliyev"
        name = "Ilham Aliyev"
        sources = ["src-b"]

        [[person.offices]]
        title = "President of Azerbaijan"
        country = "az"
        sources = ["src-b"]
        """,
    "documents.toml": """\
        [[document]]
        id = "charter"
        title = "Charter"
        kind = "charter"
        date = "1993"
        org = "cis"
        sources = ["src-a"]

        [[document.signatories]]
        country = "az"
        status = "signed"
        sources = ["src-a"]

        [[document]]
        id = "free-trade"
        title = "Free trade agreement"
        kind = "agreement"
        date = "2011-10-18"
        org = "cis"
        body = "council"
        sources = ["src-a"]
        note = "A note."

        [[document.signatories]]
        country = "az"
        status = "not_signed"
        sources = ["src-a"]

        [[document.signatories]]
        country = "am"
        status = "signed"
        sources = ["src-b"]

        [[document]]
        id = "rules"
        title = "Rules of procedure"
        kind = "rules"
        org = "cica"
        sources = ["src-b"]
        """,
    "facts.toml": """\
        [[fact]]
        id = "fact-a"
        text = "Azerbaijan takes part in the CIS."
        kind = "position"
        subjects = ["az", "cis"]
        sources = ["src-a"]

        [[fact]]
        id = "fact-b"
        text = "The CIS counts many treaties."
        kind = "figure"
        subjects = ["cis"]
        date = "2005"
        sources = ["src-b"]
        note = "Counted in 2005."

        [[fact]]
        id = "fact-c"
        text = "Lebedev assessed the free trade agreement."
        kind = "assessment"
        subjects = ["lebedev", "free-trade"]
        date = "[..2010]"
        sources = ["src-a", "src-b"]

        [[fact]]
        id = "fact-d"
        text = "A position about nothing in particular."
        kind = "position"
        date = "2015-06"
        sources = ["src-b"]

        [[fact]]
        id = "fact-e"
        text = "Armenia made a statement."
        kind = "statement"
        subjects = ["am"]
        date = "2012"
        sources = ["src-a", "src-b"]
        """,
}


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def listed(*args: str) -> list[dict[str, Any]]:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def ids(rows: Iterable[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


@pytest.fixture
def small(make_dataset: MakeDataset) -> Path:
    return make_dataset(SMALL)


def on(data: Path, *args: str) -> list[str]:
    return ids(listed("--data", str(data), *args))


# --- facts --------------------------------------------------------------------


def test_facts_lists_every_fact_with_its_fields(small: Path) -> None:
    rows = listed("--data", str(small), "facts")
    # Dated ones by their earliest day ([..2010] has none: it sorts by its latest), undated last.
    assert ids(rows) == ["fact-b", "fact-c", "fact-e", "fact-d", "fact-a"]
    assert all(list(row) == FACT_KEYS for row in rows)
    by_id = {row["id"]: row for row in rows}
    assert by_id["fact-a"] == {
        "id": "fact-a",
        "text": "Azerbaijan takes part in the CIS.",
        "kind": "position",
        "subjects": ["az", "cis"],
        "date": None,
        "date_bounds": None,
        "match": "certain",
        "sources": ["src-a"],
        "note": None,
    }
    assert by_id["fact-b"]["date"] == "2005"
    assert by_id["fact-b"]["date_bounds"]["earliest"] == "2005-01-01"
    assert by_id["fact-b"]["note"] == "Counted in 2005."
    assert by_id["fact-c"]["sources"] == ["src-a", "src-b"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--subject", "az"], ["fact-a"]),
        (["--subject", "AZE"], ["fact-a"]),
        (["--subject", "azerbaijan"], ["fact-a"]),
        (["--subject", "CIS"], ["fact-b", "fact-a"]),
        (["--subject", "lebedev"], ["fact-c"]),  # a person
        (["--subject", "Free trade agreement"], ["fact-c"]),  # a document, by its title
        (["--subject", "cis", "--subject", "lebedev"], ["fact-b", "fact-c", "fact-a"]),
        (["--kind", "position"], ["fact-d", "fact-a"]),
        (["--kind", "position", "--kind", "figure"], ["fact-b", "fact-d", "fact-a"]),
        (["--source", "src-b"], ["fact-b", "fact-c", "fact-e", "fact-d"]),
        (["--source", "Another source"], ["fact-b", "fact-c", "fact-e", "fact-d"]),
        (["--subject", "am", "--source", "src-a"], ["fact-e"]),
        (["--source", "src-a", "--kind", "position"], ["fact-a"]),
        (["--subject", "cis", "--kind", "figure", "--source", "src-b"], ["fact-b"]),
        (["--subject", "cis", "--kind", "assessment"], []),
        (["--from", "2000", "--to", "2011"], ["fact-b", "fact-c", "fact-a"]),
        (["--from", "2000", "--to", "2011", "--certain"], ["fact-b"]),
        (["--from", "2012-12-31", "--to", "2012-12-31"], ["fact-e", "fact-a"]),
        (["--from", "2015-06-10"], ["fact-d", "fact-a"]),
        (["--from", "2015-06-10", "--certain"], []),
        (["--to", "1999"], ["fact-c", "fact-a"]),
        (
            ["--certain"],
            ["fact-b", "fact-c", "fact-e", "fact-d", "fact-a"],
        ),  # no dates: all certain
    ],
)
def test_facts_filters(small: Path, args: list[str], expected: list[str]) -> None:
    assert on(small, "facts", *args) == expected


def test_facts_rows_say_how_they_match_the_dates(small: Path) -> None:
    rows = listed("--data", str(small), "facts", "--from", "2000", "--to", "2011")
    assert {row["id"]: row["match"] for row in rows} == {
        "fact-a": "possible",  # undated: it may hold then
        "fact-b": "certain",
        "fact-c": "possible",
    }


def test_an_undated_fact_is_a_possible_match_for_any_dates(small: Path) -> None:
    """No source dates it, so it may hold at any date: shown and marked, as an undated
    document is in `signed`, never silently dropped nor counted as certain."""
    rows = listed("--data", str(small), "facts", "--from", "2030")
    assert {row["id"]: row["match"] for row in rows} == {"fact-a": "possible"}
    certain = listed("--data", str(small), "facts", "--from", "1900", "--certain")
    assert "fact-a" not in ids(certain)
    table = run("--data", str(small), "facts", "--from", "2030")
    assert "fact-a" in table.stdout and "possible" in table.stdout


# --- documents ----------------------------------------------------------------


def test_documents_lists_every_document_with_its_signatories(small: Path) -> None:
    rows = listed("--data", str(small), "documents")
    assert ids(rows) == ["charter", "free-trade", "rules"]
    assert all(list(row) == DOCUMENT_KEYS for row in rows)
    by_id = {row["id"]: row for row in rows}
    assert by_id["free-trade"] == {
        "id": "free-trade",
        "title": "Free trade agreement",
        "kind": "agreement",
        "date": "2011-10-18",
        "date_bounds": by_id["free-trade"]["date_bounds"],
        "match": "certain",
        "org": "cis",
        "body": "council",
        "signatories": [
            {"country": "az", "status": "not_signed"},
            {"country": "am", "status": "signed"},
        ],
        "sources": ["src-a"],
        "note": "A note.",
    }
    assert by_id["free-trade"]["date_bounds"]["latest"] == "2011-10-18"
    assert by_id["rules"]["date"] is None and by_id["rules"]["date_bounds"] is None
    assert by_id["rules"]["body"] is None and by_id["rules"]["signatories"] == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--org", "cica"], ["rules"]),
        (["--org", "CIS"], ["charter", "free-trade"]),
        (["--org", "cis", "--org", "cica"], ["charter", "free-trade", "rules"]),
        (["--kind", "agreement"], ["free-trade"]),
        (["--kind", "agreement", "--kind", "rules"], ["free-trade", "rules"]),
        # Listed, whatever the status: not_signed is listed too.
        (["--country", "AZE"], ["charter", "free-trade"]),
        (["--country", "am"], ["free-trade"]),
        (["--country", "am", "--kind", "charter"], []),
        (["--country", "az", "--from", "2000"], ["free-trade"]),
        (["--org", "cica", "--from", "2000"], ["rules"]),  # undated: possible
        (["--from", "1993-06", "--to", "1993-06"], ["charter", "rules"]),
        (["--from", "1993-06", "--to", "1993-06", "--certain"], []),
    ],
)
def test_documents_filters(small: Path, args: list[str], expected: list[str]) -> None:
    assert on(small, "documents", *args) == expected


def test_an_undated_document_is_a_possible_match_for_any_dates(small: Path) -> None:
    rows = listed("--data", str(small), "documents", "--to", "2020")
    assert {row["id"]: row["match"] for row in rows}.get("rules") == "possible"
    certain = listed("--data", str(small), "documents", "--to", "2020", "--certain")
    assert "rules" not in ids(certain)


def test_documents_help_says_an_unlisted_country_is_not_not_signed() -> None:
    text = " ".join(run("documents", "--help").stdout.split())
    assert "it is not 'not signed', only not listed" in text


# --- people, orgs, bodies, countries -----------------------------------------


def test_people_lists_everyone_with_offices_and_orgs(small: Path) -> None:
    rows = listed("--data", str(small), "people")
    assert rows == [
        {
            "id": "aliyev",
            "name": "Ilham Aliyev",
            "aliases": [],
            "offices": ["President of Azerbaijan"],
            "orgs": [],
            "sources": ["src-b"],
            "note": None,
        },
        {
            "id": "lebedev",
            "name": "Sergei Lebedev",
            "aliases": [],
            "offices": ["Chairman of the Executive Committee", "Secretary General"],
            "orgs": ["cis"],
            "sources": ["src-a"],
            "note": None,
        },
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--office", "president"], ["aliyev"]),
        (["--office", "SECRETARY general"], ["lebedev"]),
        # The post's former title finds its holder too, as person --office does.
        (["--office", "chairman executive"], ["lebedev"]),
        (["--office", "president", "--office", "secretary"], ["aliyev", "lebedev"]),
        (["--org", "cis"], ["lebedev"]),
        (["--office", "president", "--org", "cis"], []),
        (["--office", "secretary", "--org", "cica"], []),
        (["--office", "treasurer"], []),
    ],
)
def test_people_filters(small: Path, args: list[str], expected: list[str]) -> None:
    assert on(small, "people", *args) == expected


def test_orgs_lists_every_org_with_its_named_bodies(small: Path) -> None:
    rows = listed("--data", str(small), "orgs")
    assert ids(rows) == ["cica", "cis"]
    assert rows[0] == {
        "id": "cica",
        "name": "Conference on Interaction",
        "aliases": [],
        "founded": None,
        "founded_bounds": None,
        "seat": "Astana",
        "bodies": 2,
        "sources": ["src-b"],
        "note": None,
    }
    assert rows[1]["founded"] == "1991-12-08" and rows[1]["bodies"] == 1


def test_bodies_lists_every_body_and_a_missing_category_as_null(small: Path) -> None:
    rows = listed("--data", str(small), "bodies")
    assert ids(rows) == ["council", "secretariat", "summit"]
    assert rows[1] == {
        "id": "secretariat",
        "name": "Secretariat",
        "aliases": [],
        "org": "cica",
        "category": None,
        "parent": None,
        "supreme": False,
        "sources": ["src-b"],
        "note": None,
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--org", "cica"], ["secretariat", "summit"]),
        (["--category", "statutory"], ["council"]),
        (["--category", "statutory", "--category", "decision_making"], ["council", "summit"]),
        (["--org", "cica", "--category", "statutory"], []),
    ],
)
def test_bodies_filters(small: Path, args: list[str], expected: list[str]) -> None:
    assert on(small, "bodies", *args) == expected


@pytest.mark.parametrize("value", ["", "none", "None", "null", "uncategorised"])
def test_no_category_cannot_be_asked_for_as_a_category(small: Path, value: str) -> None:
    result = run("--data", str(small), "bodies", "--category", value)
    assert result.exit_code == 1
    assert "known: decision_making, statutory" in result.stderr


def test_countries_lists_every_country(small: Path) -> None:
    assert listed("--data", str(small), "countries") == [
        {"id": "am", "name": "Armenia", "aliases": [], "sources": ["src-b"], "note": None},
        {"id": "az", "name": "Azerbaijan", "aliases": ["AZE"], "sources": ["src-a"], "note": None},
    ]


def test_fields_keeps_only_the_keys_asked(small: Path) -> None:
    result = run("--data", str(small), "documents", "--fields", "id,signatories")
    assert json.loads(result.stdout)[0] == {
        "id": "charter",
        "signatories": [{"country": "az", "status": "signed"}],
    }
    result = run("--data", str(small), "orgs", "--fields", "id,members")
    assert result.exit_code == 2 and "valid fields: id, name, aliases" in result.stderr


def test_an_empty_listing_is_an_empty_array(small: Path) -> None:
    result = run("--data", str(small), "facts", "--kind", "official_position", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []


# --- errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["facts", "--subject", "azerbajan"], "did you mean 'az'?"),
        (["facts", "--subject", "lebedef"], "did you mean 'lebedev'?"),
        (["facts", "--source", "src-c"], "did you mean"),
        (["documents", "--org", "cus"], "did you mean 'cis'?"),
        (["documents", "--country", "azerbaijn"], "did you mean 'az'?"),
        (["people", "--org", "cica2"], "did you mean 'cica'?"),
        (["bodies", "--org", "cica2"], "did you mean 'cica'?"),
    ],
)
def test_an_unknown_name_is_an_error_with_a_hint(small: Path, args: list[str], hint: str) -> None:
    result = run("--data", str(small), *args, "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert hint in result.stderr


@pytest.mark.parametrize(
    ("command", "known"),
    [("facts", FACT_KINDS), ("documents", DOCUMENT_KINDS)],
)
def test_an_unknown_kind_is_an_error_listing_the_known_ones(
    small: Path, command: str, known: tuple[str, ...]
) -> None:
    result = run("--data", str(small), command, "--kind", "positoin")
    assert result.exit_code == 1
    assert f"known: {', '.join(known)}" in result.stderr


# --- the bundled data, against the library's records --------------------------


@cache
def bundled() -> Dataset:
    return cislog.load()


def test_every_bundled_fact_is_reachable() -> None:
    assert sorted(ids(listed("facts"))) == sorted(bundled().facts)
    assert len(bundled().facts) == 44


def test_facts_about_az_are_those_whose_subjects_include_it() -> None:
    rows = listed("facts", "--subject", "az")
    assert rows and all("az" in row["subjects"] for row in rows)
    expected = {f.id for f in bundled().facts.values() if "az" in f.subjects}
    assert set(ids(rows)) == expected


@pytest.mark.parametrize("kind", FACT_KINDS)
def test_facts_of_a_kind_are_exactly_those_of_the_library(kind: str) -> None:
    expected = {f.id for f in bundled().facts.values() if f.kind == kind}
    assert set(ids(listed("facts", "--kind", kind))) == expected


def test_every_bundled_record_of_each_kind_is_listed() -> None:
    dataset = bundled()
    assert ids(listed("orgs")) == sorted(dataset.orgs)
    assert ids(listed("bodies")) == sorted(dataset.bodies)
    assert ids(listed("people")) == sorted(dataset.people)
    assert ids(listed("countries")) == sorted(dataset.countries)
    assert sorted(ids(listed("documents"))) == sorted(dataset.documents)


# --- random combinations of filters -------------------------------------------

RANGES = [(None, None), ("1993", None), (None, "2000"), ("1991-12", "2011"), ("2020", "2030")]


def _date_kept(
    date: dates.EdtfDate | None, when: tuple[str | None, str | None], certain: bool
) -> str | None:
    """By hand: whether a record dated ``date`` is kept for the asked dates, and how."""
    start, end = when
    if start is None and end is None:
        return "certain"
    if date is None:  # no source dates it: it may fall in any dates
        return None if certain else "possible"
    earliest = dates.parse_query(start)[0] if start else None
    latest = dates.parse_query(end)[1] if end else None
    match = dates.match(date, earliest, latest)
    return None if match is None or (certain and match != "certain") else match


def _date_args(when: tuple[str | None, str | None], certain: bool) -> list[str]:
    args = []
    if when[0]:
        args += ["--from", when[0]]
    if when[1]:
        args += ["--to", when[1]]
    return [*args, "--certain"] if certain else args


def _options(name: str, values: Iterable[str]) -> list[str]:
    return [part for value in values for part in (name, value)]


def _some(data: st.DataObject, values: Iterable[str], most: int = 2) -> list[str]:
    return data.draw(st.lists(st.sampled_from(sorted(values)), max_size=most, unique=True))


@pytest.fixture(params=["bundled", "small"])
def chosen(request: pytest.FixtureRequest, make_dataset: MakeDataset) -> tuple[Dataset, list[str]]:
    """A dataset and the global options that select it: the bundled one, or the small
    one, where a fact cites several sources and a document lists several countries."""
    if request.param == "bundled":
        return bundled(), []
    directory = make_dataset(SMALL)
    return cislog.load(directory), ["--data", str(directory)]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), when=st.sampled_from(RANGES), certain=st.booleans())
def test_facts_filters_drop_or_invent_nothing(
    chosen: tuple[Dataset, list[str]],
    data: st.DataObject,
    when: tuple[str | None, str | None],
    certain: bool,
) -> None:
    dataset, options = chosen
    # Any id a subject may be, named or not by a fact (a subject no fact names finds none).
    subjects = _some(data, [*dataset.countries, *dataset.orgs, *dataset.people, *dataset.bodies])
    kinds = _some(data, FACT_KINDS)
    sources = _some(data, dataset.sources)
    expected = {}
    for fact in dataset.facts.values():
        match = _date_kept(fact.date, when, certain)
        if (
            (not subjects or set(subjects) & set(fact.subjects))
            and (not kinds or fact.kind in kinds)
            and (not sources or set(sources) & set(fact.sources))
            and match is not None
        ):
            expected[fact.id] = match
    args = [
        *_options("--subject", subjects),
        *_options("--kind", kinds),
        *_options("--source", sources),
        *_date_args(when, certain),
    ]
    rows = listed(*options, "facts", *args)
    assert {row["id"]: row["match"] for row in rows} == expected
    assert len(rows) == len(expected)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), when=st.sampled_from(RANGES), certain=st.booleans())
def test_documents_filters_drop_or_invent_nothing(
    chosen: tuple[Dataset, list[str]],
    data: st.DataObject,
    when: tuple[str | None, str | None],
    certain: bool,
) -> None:
    dataset, options = chosen
    orgs = _some(data, dataset.orgs)
    kinds = _some(data, DOCUMENT_KINDS, most=3)
    countries = _some(data, dataset.countries)
    expected = {}
    for document in dataset.documents.values():
        match = _date_kept(document.date, when, certain)
        listed_countries = {s.country for s in document.signatories}
        if (
            (not orgs or document.org in orgs)
            and (not kinds or document.kind in kinds)
            and (not countries or set(countries) & listed_countries)
            and match is not None
        ):
            expected[document.id] = match
    args = [
        *_options("--org", orgs),
        *_options("--kind", kinds),
        *_options("--country", countries),
        *_date_args(when, certain),
    ]
    rows = listed(*options, "documents", *args)
    assert {row["id"]: row["match"] for row in rows} == expected
    assert len(rows) == len(expected)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_bodies_filters_drop_or_invent_nothing(
    chosen: tuple[Dataset, list[str]], data: st.DataObject
) -> None:
    dataset, options = chosen
    orgs = _some(data, dataset.orgs)
    categories = _some(data, {b.category for b in dataset.bodies.values() if b.category})
    expected = sorted(
        body.id
        for body in dataset.bodies.values()
        if (not orgs or body.org in orgs)
        and (not categories or (body.category is not None and body.category in categories))
    )
    args = [*_options("--org", orgs), *_options("--category", categories)]
    assert ids(listed(*options, "bodies", *args)) == expected


# --- tables -------------------------------------------------------------------

COMMANDS = ["facts", "documents", "people", "orgs", "bodies", "countries"]


def _whole_on_a_line(token: str, lines: list[str]) -> bool:
    pattern = re.compile(rf"(?<![\w-]){re.escape(token)}(?![\w-])")
    return any(pattern.search(line) for line in lines)


@pytest.mark.parametrize("width", [40, 80, 200])
@pytest.mark.parametrize("command", COMMANDS)
def test_tables_keep_every_id_whole_on_one_line(
    monkeypatch: pytest.MonkeyPatch, command: str, width: int
) -> None:
    rows = listed(command)
    monkeypatch.setenv("COLUMNS", str(width))
    result = run(command)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for row in rows:
        for token in [row["id"], *row["sources"]]:
            assert _whole_on_a_line(token, lines), (command, width, token)
    if width == 200 and command != "facts":
        # Wide enough for the table itself, not one block per record.
        assert not any(line.startswith("── 1 ") for line in lines)


def test_a_table_of_a_dated_listing_marks_possible_matches(small: Path) -> None:
    result = run("--data", str(small), "facts", "--from", "2000", "--to", "2012")
    text = " ".join(result.stdout.split())
    assert "possible" in text and "Match: possible = the fact may" in text


def test_a_body_with_no_category_shows_none_and_says_why(small: Path) -> None:
    result = run("--data", str(small), "bodies")
    assert "No category shown: no source states the body's category." in result.stdout


@pytest.mark.parametrize(("one", "every"), [(["person"], ["people"]), (["country"], ["countries"])])
@pytest.mark.parametrize("output", [[], ["--json"], ["--fields", "id,name"]])
def test_a_command_for_one_record_lists_them_all_when_none_is_named(
    one: list[str], every: list[str], output: list[str]
) -> None:
    """`cislog person` was an error; now it lists, exactly as the listing command does."""
    bare = run(*one, *output)
    listed_all = run(*every, *output)

    assert bare.exit_code == listed_all.exit_code == 0, bare.output
    assert bare.stdout == listed_all.stdout and bare.stdout
