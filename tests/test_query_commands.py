"""The query commands through the CLI: the JSON contract, every filter, matching, exit codes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from cislog.cli import app
from tests.conftest import MakeDataset

runner = CliRunner()

TIMELINE_KEYS = {
    "id", "date", "date_bounds", "match", "title", "kind", "summary", "place", "orgs",
    "bodies", "countries", "people", "documents", "tags", "sources", "record",
}  # fmt: skip
BOUNDS_KEYS = {"earliest", "latest", "precision", "uncertain", "approximate", "interval"}


# Dated "on or before" ([..DATE]): possibly in any earlier range, never certainly.
OPEN_START = {"heydar-aliyev-presidential-powers": "possible"}
# Dated 11 October with no year (XXXX-10-11): possibly in any range holding an 11 October.
NO_YEAR = {"aliyev-receives-cis-security-chiefs": "possible"}


def cislog(*args: str) -> Result:
    return runner.invoke(app, list(args))


def as_json(*args: str) -> Any:
    result = cislog(*args, "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return json.loads(result.stdout)


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


# --- the JSON contract ------------------------------------------------------------


def test_timeline_json_keys_and_order() -> None:
    rows = as_json("timeline")

    assert rows and all(set(row) == TIMELINE_KEYS for row in rows)
    assert all(set(row["date_bounds"]) == BOUNDS_KEYS for row in rows)
    assert {row["match"] for row in rows} == {"certain"}  # no date asked: all certain
    days = [(row["date"], row["id"]) for row in rows]
    assert days[0] == ("1991-12-08", "cis-establishment-agreement")
    assert ids(rows).index("azerbaijan-accession-to-cis") < ids(rows).index("cis-chs-astana-2022")


def test_timeline_references_are_ids_and_dates_edtf() -> None:
    (accession,) = as_json("timeline", "--kind", "accession")

    assert accession["date"] == "1993-09-24"
    assert accession["orgs"] == ["cis"] and accession["countries"] == ["az"]
    assert accession["bodies"] == ["cis-council-of-heads-of-state"]
    assert set(accession["sources"]) == {
        "azerbaijan-cis-page", "pages-from-history", "no-internal-threats",
    }  # fmt: skip


def test_org_json_keys() -> None:
    org = as_json("org", "cica")

    required = {"id", "name", "aliases", "founded", "founded_place", "seat", "purpose"}
    assert required | {"areas", "counts", "sources"} <= set(org)
    assert org["seat"] == "Nur-Sultan" and org["founded"] is None
    assert org["counts"][0]["value"] == 27


def test_org_bodies_json_contract() -> None:
    bodies = as_json("org", "cis", "--bodies")

    assert {"org", "categories", "total", "sources"} <= set(bodies)
    by_category = {c["category"]: c for c in bodies["categories"]}
    assert {c: by_category[c]["count"] for c in by_category} == {
        "statutory": 8, "sectoral": 69, "other": 15,
    }  # fmt: skip
    assert all(set(c) >= {"category", "count", "named", "bodies"} for c in bodies["categories"])
    assert bodies["total"] == 92
    assert bodies["declared_total"] == {"value": 90, "qualifier": "more_than"}
    assert "cis-council-of-heads-of-state" in ids(bodies["uncategorised"])


def test_org_bodies_counts_named_bodies_where_nothing_is_declared() -> None:
    bodies = as_json("org", "cica", "--bodies")

    decision = next(c for c in bodies["categories"] if c["category"] == "decision_making")
    assert decision["count"] == decision["named"] == 3
    assert {b["name"] for b in decision["bodies"]} >= {"Senior Officials Committee"}
    assert bodies["total"] == sum(c["count"] for c in bodies["categories"])


def test_org_members_json_keys_and_on_filter() -> None:
    members = as_json("org", "cis", "--members")
    in_1992 = as_json("org", "cis", "--members", "--on", "1992")

    keys = {"country", "role", "from", "from_bounds", "to", "to_bounds", "match"}
    assert all(set(m) == keys | {"sources", "note"} for m in members)
    assert {m["country"] for m in members} == {"by", "ru", "ua", "az", "am"}
    assert "az" not in {m["country"] for m in in_1992}
    assert {"by", "ru", "ua"} <= {m["country"] for m in in_1992}


def test_signed_json_keys() -> None:
    rows = as_json("signed")

    keys = {"document", "title", "date", "date_bounds", "match", "country", "status"}
    assert rows and all(set(row) == keys | {"note", "sources"} for row in rows)


def test_person_json_keys() -> None:
    person = as_json("person", "Сергей Лебедев")

    assert {"id", "name", "aliases", "offices", "events"} <= set(person)
    assert person["id"] == "sergei-lebedev"
    office_keys = {"title", "org", "body", "from", "to", "sources"}
    assert all(office_keys <= set(o) for o in person["offices"])
    assert "cis-secretary-general-renaming" in ids(person["events"])


def test_search_json_keys() -> None:
    rows = as_json("search", "free trade")

    assert rows and all(set(row) == {"kind", "id", "title", "snippet"} for row in rows)


def test_sources_json_keys_and_counts() -> None:
    rows = as_json("sources")

    keys = {"id", "title", "kind", "author", "publisher", "date", "date_bounds", "url"}
    assert all(set(row) == keys | {"cited_by"} for row in rows)
    by_id = {row["id"]: row for row in rows}
    assert len(by_id) == 12
    assert by_id["no-internal-threats"]["author"] == "Akif Rafiyev"
    assert by_id["pages-from-history"]["cited_by"] > by_id["cica-azerbaijan-page"]["cited_by"] > 0


def test_show_and_country_are_objects_with_references() -> None:
    shown = as_json("show", "cis-free-trade-zone-agreement")
    country = as_json("country", "az", "--on", "2000")

    assert shown["record"] == "document" and shown["kind"] == "agreement"
    assert {"kind": "event", "id": "cis-chs-st-petersburg-2011"} in [
        {"kind": r["kind"], "id": r["id"]} for r in shown["referenced_by"]
    ]
    assert shown["origin"].endswith("documents.toml:" + shown["origin"].rsplit(":", 1)[1])
    assert country["id"] == "az" and {"standing", "documents", "events", "facts"} <= set(country)


def test_fields_picks_keys_and_implies_json() -> None:
    result = cislog("timeline", "--kind", "accession", "--fields", "id,date")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {"id": "azerbaijan-accession-to-cis", "date": "1993-09-24"}
    ]


def test_an_unknown_field_lists_the_valid_ones() -> None:
    result = cislog("org", "cis", "--fields", "id,nmae")

    assert result.exit_code == 2
    assert "unknown field 'nmae'; valid fields: id, name, aliases," in result.stderr
    assert result.stdout == ""


def test_json_is_utf8_not_ascii_escaped() -> None:
    result = cislog("org", "cis", "--fields", "aliases")

    assert "СНГ" in result.stdout and "\\u" not in result.stdout


def test_an_empty_result_is_an_empty_array_and_exit_0() -> None:
    result = cislog("timeline", "--kind", "treaty", "--json")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_an_empty_table_says_so_on_stderr() -> None:
    result = cislog("timeline", "--kind", "treaty")

    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "no events match\n"


# --- filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--org", "cica", {"cica-initiative", "almaty-act", "cica-virtual-expert-meeting-2021"}),
        ("--country", "by", {"cis-founding", "cis-establishment-agreement"}),
        ("--body", "cica-youth-council", {"cica-youth-council-conference-2018"}),
        ("--person", "nursultan-nazarbayev", {"cica-initiative"}),
        ("--document", "cis-anti-corruption-agreement", {"cis-anti-corruption-agreement", "cis-chs-astana-2022"}),
        ("--kind", "expert_meeting", {"cica-baku-expert-meeting-2011", "cica-virtual-expert-meeting-2021"}),
        ("--tag", "lachin", {"cis-summit-aliyev-address"}),
        ("--search", "SECURITY chiefs 53rd", set()),
        ("--search", "53rd security", {"aliyev-receives-cis-security-chiefs"}),
    ],
)  # fmt: skip
def test_each_timeline_filter(option: str, value: str, expected: set[str]) -> None:
    found = set(ids(as_json("timeline", option, value)))

    if option == "--org":
        assert expected <= found and "cis-founding" not in found
    else:
        assert found == expected


def test_filters_combine_and_repeats_are_alternatives() -> None:
    both = set(
        ids(as_json("timeline", "--org", "cis", "--org", "cica", "--kind", "expert_meeting"))
    )
    narrowed = ids(as_json("timeline", "--country", "az", "--kind", "meeting", "--from", "2015"))

    assert both == {"cica-baku-expert-meeting-2011", "cica-virtual-expert-meeting-2021"}
    assert narrowed == ["cis-chs-meeting-2015", "cis-chs-astana-2022"]


def test_limit_and_reverse() -> None:
    forward = ids(as_json("timeline"))
    backward = ids(as_json("timeline", "--reverse", "--limit", "2"))

    assert backward == list(reversed(forward))[:2]
    assert ids(as_json("timeline", "--limit", "0")) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # year precision: the 1993 Charter may fall in any part of 1993
        (["--on", "1993-02"], {"cis-charter": "possible"} | OPEN_START),
        (["--from", "1993-06", "--to", "1993-09"], {
            "cis-charter": "possible",
            "azerbaijan-accession-to-cis": "certain",
            "azerbaijan-accession-decision": "certain",
        } | OPEN_START),
        # month precision: the whole of December is covered by --to 1991-12
        (["--from", "1991", "--to", "1991-12"], {
            "cis-founding": "certain", "cis-establishment-agreement": "certain",
        } | OPEN_START | NO_YEAR),
        (["--to", "1991-11"], OPEN_START | NO_YEAR),
        # day precision, and an interval that lasted into the asked day at one end
        (["--on", "2011-04-21"], {"cica-baku-expert-meeting-2011": "certain"}),
        (["--on", "2011-04-22"], {}),
        (["--from", "2018-04-14", "--to", "2018-04-14"], {
            "cica-youth-council-conference-2018": "certain",
        }),
        # an uncertain date is at most possible, even inside its own year
        (["--on", "2024"], {"cis-summit-aliyev-address": "possible"} | NO_YEAR),
        (["--on", "2022-10-14"], {
            "cis-anti-corruption-agreement": "certain",
            "cis-chs-astana-2022": "certain",
            "cis-counter-terrorism-programme-2023-2025": "possible",
        }),
        # a date marked ? may be a unit off: 2024? possibly in 2023, 2022-10-14? on the 13th
        (["--on", "2023-10-11"], NO_YEAR | {"cis-summit-aliyev-address": "possible"}),
        (["--on", "2022-10-13"], {"cis-counter-terrorism-programme-2023-2025": "possible"}),
        (["--on", "2021"], {"cica-virtual-expert-meeting-2021": "certain"} | NO_YEAR),
    ],
)  # fmt: skip
def test_date_ranges_are_inclusive_and_say_certain_or_possible(
    args: list[str], expected: dict[str, str]
) -> None:
    found = {row["id"]: row["match"] for row in as_json("timeline", *args)}
    certain = {row["id"] for row in as_json("timeline", *args, "--certain")}

    assert found == expected
    assert certain == {id for id, match in expected.items() if match == "certain"}


def test_an_open_start_is_possible_in_any_earlier_range_and_never_certain() -> None:
    # timeline --from 1800 --to 1801 once answered with the 1993 transfer of powers as if
    # it had lasted since for ever; it is now a possible match, marked as one.
    found = {
        row["id"]: row["match"] for row in as_json("timeline", "--from", "1800", "--to", "1801")
    }
    table = cislog("timeline", "--from", "1800", "--to", "1801")

    assert found == OPEN_START | NO_YEAR
    assert as_json("timeline", "--from", "1800", "--to", "1801", "--certain") == []
    assert "possible" in table.stdout and "--certain leaves it out" in " ".join(
        table.stdout.split()
    )


def test_signed_filters() -> None:
    by_status = as_json("signed", "--status", "not_signed")
    by_org = {r["document"] for r in as_json("signed", "--org", "cis", "--from", "2000")}
    unknown = as_json(
        "signed", "cis-anti-corruption-agreement", "--country", "az", "--status", "unknown"
    )

    assert [(r["document"], r["country"]) for r in by_status] == [
        ("cis-free-trade-zone-agreement", "az")
    ]
    assert by_org == {"cis-future-development-concept-decision", "cis-free-trade-zone-agreement"}
    assert unknown == [
        {
            "document": "cis-anti-corruption-agreement",
            "title": "Agreement on cooperation in the fight against corruption",
            "date": "2022-10-14",
            "date_bounds": {
                "earliest": "2022-10-14",
                "latest": "2022-10-14",
                "precision": "day",
                "uncertain": False,
                "approximate": False,
                "interval": False,
            },
            "match": "certain",
            "country": "az",
            "status": "unknown",
            "note": None,
            "sources": [],
        }
    ]


def test_who_held_an_office_on_a_date() -> None:
    in_2010 = as_json("person", "--office", "executive secretary", "--on", "2010")
    in_2024 = as_json("person", "--office", "secretary general", "--org", "СНГ", "--on", "2024-06")

    assert ids(in_2010) == ids(in_2024) == ["sergei-lebedev"]
    assert in_2010[0]["match"] == "certain"
    # Held since 2023-01-01 and still held when the undated text was written: in
    # 2024 possibly, not certainly.
    assert in_2024[0]["match"] == "possible"
    assert as_json("person", "--office", "secretary general", "--on", "2024-06", "--certain") == []


def test_a_renamed_post_keeps_its_holder_under_the_title_then_in_force() -> None:
    # The post was renamed Secretary General from 2023-01-01; in 2020 it had its old title.
    (holder,) = as_json("person", "--office", "secretary general", "--on", "2020-01-01")
    (then,) = holder["held"]
    # Asked by the old title after the renaming: the holder under the new one.
    (later,) = as_json("person", "--office", "executive secretary", "--on", "2023-01-01")
    (now,) = later["held"]
    table = cislog("person", "--office", "secretary general", "--on", "2020-01-01")

    assert holder["id"] == "sergei-lebedev" and holder["match"] == "certain"
    assert then["title"] == "Chairman of the CIS Executive Committee - Executive Secretary"
    assert then["post_titles"] == [then["title"], "CIS Secretary General"]
    assert now["title"] == "CIS Secretary General" and now["match"] == "certain"
    assert "Chairman of the CIS Executive Committee" in table.stdout
    assert "The post was renamed" in table.stdout


def test_a_term_known_only_by_days_in_office_is_certain_on_them_and_possible_beyond() -> None:
    def holders(on: str) -> dict[str, str]:
        found = as_json("person", "--office", "president", "--on", on)
        return {row["id"]: row["match"] for row in found if row["id"] == "ilham-aliyev"}

    # The texts show Ilham Aliyev as president on 2015-10-16 and 2022-10-14 and no
    # more: between those days he certainly held it, outside them only possibly.
    assert holders("2022-10-14") == {"ilham-aliyev": "certain"}
    assert holders("2018") == {"ilham-aliyev": "certain"}
    assert holders("1980") == {"ilham-aliyev": "possible"}
    assert holders("2030") == {"ilham-aliyev": "possible"}
    certain = as_json("person", "--office", "president", "--on", "2022-10-14", "--certain")
    assert ids(certain) == ["ilham-aliyev"]


def test_country_standing_on_a_date() -> None:
    def standing(on: str) -> dict[str, tuple[str, str | None]]:
        profile = as_json("country", "Azərbaycan", "--on", on)
        return {row["org"]: (row["status"], row["match"]) for row in profile["standing"]}

    # CICA membership is implied with no dates: possible on any day, certain on none.
    assert standing("1992") == {"cis": ("not a member", "certain"), "cica": ("member", "possible")}
    assert standing("1993-09-24") == {"cis": ("member", "certain"), "cica": ("member", "possible")}
    # Still a member when the undated texts were written: after that only possibly.
    assert standing("2030")["cis"] == ("member", "possible")
    assert as_json("country", "by", "--on", "1991-12-08")["standing"][0]["status"] == "founder"
    assert as_json("country", "ge", "--on", "2000")["standing"][0]["status"] == "unknown"
    certain = as_json("country", "az", "--on", "2030", "--certain")["standing"]
    assert [row["org"] for row in certain] == []


def test_search_ranks_name_matches_first_and_needs_every_word() -> None:
    rows = as_json("search", "council heads state")

    assert rows[0]["id"] == "cis-council-of-heads-of-state"
    assert as_json("search", "council zzzz") == []


def test_sources_with_an_id_and_unused() -> None:
    citing = as_json("sources", "cica-azerbaijan-page")
    unused = as_json("sources", "--unused")

    assert {
        "kind": "org",
        "id": "cica",
        "title": "Conference on Interaction and Confidence Building Measures in Asia",
    } in citing
    assert {row["kind"] for row in unused} == {"book", "chapter"}
    assert len(unused) == 7  # the reading list: listed by a text, cited by no record


# --- matching ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["az", "AZE", "Azerbaijan", "Azərbaycan", "azerbaycan", "Азербайджан"]
)
def test_every_name_of_a_country_finds_it(name: str) -> None:
    assert as_json("country", name, "--on", "2000")["id"] == "az"


@pytest.mark.parametrize(
    "name", ["CIS", "cis", "СНГ", "MDB", "Müstəqil Dövlətlər Birliyi", "mustakil"]
)
def test_every_name_of_an_org_finds_it(name: str) -> None:
    if name == "mustakil":
        result = cislog("org", name)
        assert result.exit_code == 1
        return
    assert as_json("org", name)["id"] == "cis"


def test_search_ignores_case_and_diacritics() -> None:
    plain = as_json("search", "musteqil dovletler")
    accented = as_json("search", "MÜSTƏQİL Dövlətlər")

    assert plain == accented and "cis" in ids(plain)


# --- errors and exit codes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["org", "cs"], "cislog: no org matches 'cs' (did you mean 'cis'?)\n"),
        (["timeline", "--country", "Azerbaijn"], "cislog: no country matches 'Azerbaijn' (did you mean 'az'?)\n"),
        (["person", "Lebedv"], "cislog: no person matches 'Lebedv' (did you mean 'sergei-lebedev'?)\n"),
        (["signed", "free trade agrement"], "cislog: no document matches 'free trade agrement' (did you mean 'cis-free-trade-zone-agreement'?)\n"),
        (["person", "aliyev"], "cislog: 'aliyev' matches several person records: heydar-aliyev, ilham-aliyev; give an id\n"),
        (["timeline", "--kind", "meting"], "cislog: unknown kind 'meting' (did you mean 'meeting'?); known: "),
    ],
)  # fmt: skip
def test_unknown_references_exit_1_with_a_hint(args: list[str], message: str) -> None:
    result = cislog(*args)

    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["timeline", "--from", "1993-13"],
        ["timeline", "--on", "1993", "--from", "1992"],
        ["timeline", "--from", "2000", "--to", "1999"],
        ["timeline", "--limit", "-1"],
        ["org", "cis", "--bodies", "--members"],
        ["person", "lebedev", "--office", "secretary"],
        ["person", "--on", "2000"],
        ["country", "--on", "2000"],
        ["signed", "--status", "signed", "--bogus"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = cislog(*args)

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_invalid_data_exits_1_with_the_validation_messages(make_dataset: MakeDataset) -> None:
    make_dataset({"events.toml": '[[event]]\nid = "e"\ndate = "1993-13"\n'})

    result = cislog("--data", "data", "timeline", "--json")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "data/events.toml:3: e: date: '1993-13': there is no month 13\n" in result.stderr
    assert result.stderr.endswith("run 'cislog validate' for details\n")


def test_dates_help_says_how_partial_dates_match() -> None:
    result = cislog("timeline", "--help")

    text = " ".join(result.stdout.split())
    assert "--from 1993-06 --to 1993-12 covers the whole of June to the whole of December" in text
    assert "matches certainly when every day its date can mean lies in the asked range" in text
    assert "--certain leaves them out" in text
