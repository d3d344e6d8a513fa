"""Questions a reader of the five source texts asks, answered through the JSON contract.

Each question was written from the texts before looking at the dataset; the
comment above each says, in other words, what the text states.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from cislog.cli import app

# What the bundled data states: these fail, rightly, when a fact is added or corrected.
pytestmark = pytest.mark.facts

runner = CliRunner()


def ask(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_when_and_where_was_the_cis_founded_and_by_whom() -> None:
    # 001: the heads of state of Belarus, Russia and Ukraine signed the founding agreement, Minsk, 8 December 1991
    cis = ask("org", "Commonwealth of Independent States")
    founders = ask("org", "cis", "--members", "--on", "1991-12-08")

    assert (cis["founded"], cis["founded_place"]) == ("1991-12-08", "Minsk")
    assert {m["country"] for m in founders if m["role"] == "founder"} == {"by", "ru", "ua"}


def test_when_did_azerbaijan_join_the_cis() -> None:
    # 000, 001, 003: a decision of the Council of Heads of State on 24 September 1993
    (event,) = ask("timeline", "--country", "Azerbaijan", "--kind", "accession")

    assert event["date"] == "1993-09-24"
    assert event["bodies"] == ["cis-council-of-heads-of-state"]
    assert len(event["sources"]) == 3


def test_what_did_azerbaijan_sign_with_a_special_opinion() -> None:
    # 000: the 2007 decision on the CIS development concept (5 October 2007), with a special opinion
    rows = ask("signed", "--country", "AZE", "--status", "signed_with_special_opinion")

    assert [(r["date"], r["document"]) for r in rows] == [
        ("2007-10-05", "cis-future-development-concept-decision")
    ]


def test_which_agreement_did_azerbaijan_not_sign() -> None:
    # 000: the CIS free trade zone agreement, St. Petersburg, 18 October 2011
    (row,) = ask("signed", "--status", "not_signed")
    (document,) = [d for d in ask("timeline", "--on", "2011-10-18") if d["record"] == "document"]

    assert (row["country"], row["date"]) == ("az", "2011-10-18")
    assert document["place"] == "St. Petersburg"


def test_who_signed_the_2022_anti_corruption_agreement_is_not_known() -> None:
    # 000: "The heads of State signed an agreement" but it names none
    rows = ask("signed", "Agreement on cooperation in the fight against corruption")
    unknown = ask(
        "signed", "cis-anti-corruption-agreement", "--country", "az", "--status", "unknown"
    )

    assert rows == []
    assert [r["status"] for r in unknown] == ["unknown"]


def test_how_many_bodies_does_the_cis_have() -> None:
    # 000 and 001: 8 charter (statutory) bodies, 69 sectoral, 15 other, over 90 in all
    bodies = ask("org", "СНГ", "--bodies")

    counts = {c["category"]: c["count"] for c in bodies["categories"]}
    assert counts == {"statutory": 8, "sectoral": 69, "other": 15}
    assert bodies["declared_total"] == {"value": 90, "qualifier": "more_than"}


def test_what_is_the_supreme_body_of_the_cis() -> None:
    # 001: "The supreme body ... is the CIS Council of Heads of State"
    body = ask("show", "CIS Council of Heads of State")

    assert body["supreme"] is True and body["org"] == "cis"


def test_who_led_the_cis_executive_committee_and_when() -> None:
    # 001: Lebedev, Chairman - Executive Secretary since 5 October 2007, Secretary General since 1 January 2023
    in_2008 = ask("person", "--office", "Executive Secretary", "--on", "2008")
    in_2023 = ask("person", "--office", "Secretary General", "--on", "2023-01-01")

    assert [p["name"] for p in in_2008] == [p["name"] for p in in_2023] == ["Sergei Lebedev"]
    assert in_2008[0]["offices"][0]["from"] == "2007-10-05"


def test_who_proposed_cica_and_when() -> None:
    # 004: Nursultan Nazarbayev, 5 October 1992, 47th session of the UN General Assembly
    (event,) = ask("timeline", "--org", "CICA", "--kind", "initiative")

    assert event["date"] == "1992-10-05"
    assert event["people"] == ["nursultan-nazarbayev"]
    assert "47th session" in event["summary"]


def test_how_many_members_has_cica_and_where_is_its_secretariat() -> None:
    # 004: 27 members; the Secretariat in Nur-Sultan
    cica = ask("org", "cica")

    assert [(c["of"], c["value"]) for c in cica["counts"]] == [("members", 27)]
    assert cica["seat"] == "Nur-Sultan"


def test_how_often_do_cica_bodies_meet() -> None:
    # 004: summit every 4 years, ministerial every 2 years, SOC at least once a year
    meets = {
        b["id"]: ask("show", b["id"])["meets"]
        for b in ask("org", "cica", "--bodies")["categories"][1]["bodies"]
    }

    assert meets == {
        "cica-ministerial-meeting": "every 2 years, under the Rules of procedure",
        "cica-summit": "every 4 years",
        "cica-senior-officials-committee": "at least once a year",
    }


def test_what_cica_events_did_azerbaijan_host() -> None:
    # 004: experts in Baku 20-21 April 2011; virtual experts meeting 23 September 2021; Youth Council in Baku 13-14 April 2018
    rows = ask("timeline", "--org", "cica", "--country", "az")

    assert [r["date"] for r in rows] == [
        "2011-04-20/2011-04-21",
        "2018-04-13/2018-04-14",
        "2021-09-23",
    ]


def test_what_does_the_op_ed_say_is_azerbaijans_official_stance() -> None:
    # 002: Azerbaijan denies the CIS and its executive organs legal personality in international law
    hits = ask("search", "international legal personality")

    assert [h["id"] for h in hits] == ["az-official-stance-on-cis"]
    assert ask("show", hits[0]["id"])["sources"] == ["azerbaijan-cis-summit-op-ed"]


def test_when_did_aliyev_receive_the_cis_security_chiefs() -> None:
    # 003: "On October 11" with no year: the dataset gives the day and no year
    (event,) = ask("timeline", "--search", "53rd")

    assert event["date"] == "XXXX-10-11"
    assert event["date_bounds"]["earliest"] is None and event["date_bounds"]["latest"] is None
    assert "no year" in ask("show", event["id"])["note"]
