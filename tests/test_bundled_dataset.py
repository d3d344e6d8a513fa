"""Questions a reader of the five source texts would ask, answered through the library API."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

import cislog
from cislog.dataset import Dataset
from cislog.records import Document, Event, Fact, Source

# What the bundled data states: these fail, rightly, when a fact is added or corrected.
pytestmark = pytest.mark.facts

REPO = Path(__file__).resolve().parents[1]
THREE_TEXTS = {"azerbaijan-cis-page", "pages-from-history", "no-internal-threats"}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return cislog.load()


def test_the_bundled_dataset_has_no_problems() -> None:
    assert cislog.validate() == []


def test_accession_is_one_event_citing_the_three_texts_that_state_it(data: Dataset) -> None:
    accessions = [e for e in data.events.values() if e.kind == "accession"]

    assert len(accessions) == 1
    accession = accessions[0]
    assert str(accession.date) == "1993-09-24"
    assert set(accession.sources) == THREE_TEXTS
    assert "az" in accession.countries and "cis" in accession.orgs


def test_cis_founding_date_place_and_founders(data: Dataset) -> None:
    cis = data.orgs["cis"]

    assert str(cis.founded) == "1991-12-08"
    assert cis.founded_place == "Minsk"
    founders = {m.country for m in cis.memberships if m.role == "founder"}
    assert founders == {"by", "ru", "ua"}


def test_declared_bodies_of_the_cis(data: Dataset) -> None:
    counts = {(c.of, c.category): (c.value, c.qualifier) for c in data.orgs["cis"].counts}

    assert counts[("bodies", "statutory")] == (8, "exactly")
    assert counts[("bodies", "sectoral")] == (69, "exactly")
    assert counts[("bodies", "other")] == (15, "exactly")
    assert counts[("bodies", None)] == (90, "more_than")
    assert counts[("areas", None)] == (9, "exactly")


def _signatory(data: Dataset, document_id: str, country: str) -> str | None:
    document = data.documents[document_id]
    return next((s.status for s in document.signatories if s.country == country), None)


def _document_dated(data: Dataset, day: str) -> Document:
    (found,) = [d for d in data.documents.values() if d.date and str(d.date) == day]
    return found


def test_azerbaijan_signed_the_2007_concept_with_a_special_opinion(data: Dataset) -> None:
    concept = _document_dated(data, "2007-10-05")

    assert "concept of the future development" in concept.title
    assert _signatory(data, concept.id, "az") == "signed_with_special_opinion"


def test_azerbaijan_did_not_sign_the_2011_free_trade_zone_agreement(data: Dataset) -> None:
    agreement = _document_dated(data, "2011-10-18")

    assert agreement.place == "St. Petersburg"
    assert _signatory(data, agreement.id, "az") == "not_signed"
    assert [s.country for s in agreement.signatories] == ["az"], "other signers are unknown"


def test_not_signed_appears_only_where_a_text_says_so(data: Dataset) -> None:
    not_signed = [
        (d.id, s.country)
        for d in data.documents.values()
        for s in d.signatories
        if s.status == "not_signed"
    ]

    assert not_signed == [(_document_dated(data, "2011-10-18").id, "az")]


def test_no_signatory_is_recorded_for_the_2022_anti_corruption_agreement(data: Dataset) -> None:
    agreement = _document_dated(data, "2022-10-14")

    assert agreement.place == "Astana"
    assert agreement.signatories == []


def test_lebedev_offices_follow_the_2023_renaming(data: Dataset) -> None:
    lebedev = data.people["sergei-lebedev"]
    terms = [(o.title, str(o.from_), str(o.to) if o.to else None) for o in lebedev.offices]
    old_title = "Chairman of the CIS Executive Committee - Executive Secretary"

    # The old title's last day is the day before the renaming the text dates.
    assert terms == [
        (old_title, "2007-10-05", "2022-12-31"),
        ("CIS Secretary General", "2023-01-01", ".."),
    ]
    assert lebedev.offices[1].renamed_from == old_title
    assert [o.renamed_from for o in lebedev.offices] == [None, old_title]


def test_presidents_have_the_bounds_the_texts_give_and_no_more(data: Dataset) -> None:
    # Ilham Aliyev is president at the meetings of 2015-10-16 and 2022-10-14;
    # Nazarbayev on 1992-10-05. No text gives either term's start or end.
    terms = {
        person.id: (str(office.from_), str(office.to))
        for person in data.people.values()
        for office in person.offices
        if office.title.startswith("President of")
    }

    assert terms["ilham-aliyev"] == ("[..2015-10-16]", "[2022-10-14..]")
    assert terms["nursultan-nazarbayev"] == ("[..1992-10-05]", "[1992-10-05..]")


def test_cica_structure_and_membership(data: Dataset) -> None:
    cica = data.orgs["cica"]
    bodies = {b.name: b for b in data.bodies.values() if b.org == "cica"}

    assert [(c.of, c.value) for c in cica.counts] == [("members", 27)]
    assert cica.seat == "Nur-Sultan"
    summit = bodies["Meeting of Heads of State and Government"]
    assert summit.supreme and summit.meets == "every 4 years"
    assert bodies["Meeting of Foreign Ministers"].meets.startswith("every 2 years")  # type: ignore[union-attr]
    assert bodies["Senior Officials Committee"].meets == "at least once a year"
    assert bodies["Secretariat"].category == "administrative"


def test_cica_events_in_baku(data: Dataset) -> None:
    by_date = {str(e.date): e for e in data.events.values()}

    assert by_date["1992-10-05"].people == ["nursultan-nazarbayev"]
    assert by_date["2011-04-20/2011-04-21"].place == "Baku"
    assert by_date["2018-04-13/2018-04-14"].place == "Baku"
    assert "virtual" in (by_date["2021-09-23"].note or "")


def test_the_reading_list_keeps_titles_in_their_own_script(data: Dataset) -> None:
    books = [s for s in data.sources.values() if s.sources == ["pages-from-history"]]

    assert len(books) == 7
    assert {b.language for b in books} == {"az", "ru"}
    titles = {b.title for b in books}
    assert "Müstəqil Dövlətlər Birliyi müasir beynəlxalq münasibətlərdə" in titles
    assert "Азербайджанская Республика в Содружестве Независимых Государств" in titles
    assert all(isinstance(b, Source) and b.kind in ("book", "chapter") for b in books)


def test_every_inferred_date_is_explained(data: Dataset) -> None:
    unexplained = []
    for record in data:
        for name in ("date", "founded"):
            value = getattr(record, name, None)
            if value is not None and value.uncertain and not record.note:
                unexplained.append(record.id)
    assert unexplained == []


def test_the_undated_reception_keeps_its_inference_visible(data: Dataset) -> None:
    reception = next(e for e in data.events.values() if e.kind == "reception")

    # 11 October, year not stated: the op-ed gives no year, so the data gives none.
    assert str(reception.date) == "XXXX-10-11"
    assert (reception.date.earliest, reception.date.latest) == (None, None)
    assert (reception.date.start.month, reception.date.start.day) == ("10", "11")  # type: ignore[union-attr]
    assert "no year" in (reception.note or "")


def test_the_transfer_of_powers_is_on_or_before_the_accession(data: Dataset) -> None:
    transfer = data.events["heydar-aliyev-presidential-powers"]

    # One day on or before 24 September 1993, not an interval lasting since for ever.
    assert str(transfer.date) == "[..1993-09-24]"
    assert not transfer.date.is_interval
    assert (transfer.date.earliest, transfer.date.latest) == (None, dt.date(1993, 9, 24))


def test_the_op_ed_official_position_says_it_has_a_single_source(data: Dataset) -> None:
    stance = [f for f in data.facts.values() if f.kind == "official_position"]

    assert stance and all(f.sources == ["azerbaijan-cis-summit-op-ed"] for f in stance)
    assert all("only" in (f.note or "") for f in stance)


def test_events_and_facts_cite_only_sources_that_exist(data: Dataset) -> None:
    for record in data:
        if isinstance(record, Event | Fact):
            assert record.sources and all(s in data.sources for s in record.sources)


def test_no_sentence_is_copied_from_the_source_texts() -> None:
    tool = REPO.parent / "shared" / "tools" / "copied-from-seeds"
    if not tool.exists() or shutil.which("python3") is None:
        pytest.skip("the shared copy checker is not beside this checkout")

    result = subprocess.run(
        ["python3", str(tool), str(REPO / "data")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout == ""


def test_the_wheel_ships_exactly_the_data_files() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    data_files = sorted(
        f"data/{p.name}" for p in (REPO / "data").iterdir() if p.suffix in (".toml", ".json")
    )

    assert sorted(shipped) == data_files
    assert all(target == f"cislog/{source}" for source, target in shipped.items())


def test_the_package_tells_type_checkers_it_is_typed() -> None:
    """PEP 561: without py.typed, mypy treats ``import cislog`` in a user's code as
    untyped, and the library's annotations help nobody who calls it."""
    from importlib.resources import files

    assert (files("cislog") / "py.typed").is_file()
