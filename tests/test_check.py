"""`cislog check`: each rule proven by a dataset that triggers it and one that does not."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cislog import checks
from cislog.cli import app
from cislog.cli.check_cmd import rules_markdown
from cislog.dataset import Dataset
from cislog.model import CHECK_RULES
from tests.conftest import MakeDataset

runner = CliRunner()


def event(event_id: str, date: str, extra: str = "", kind: str = "meeting") -> str:
    return (
        f'[[event]]\nid = "{event_id}"\ndate = "{date}"\ntitle = "T"\nkind = "{kind}"\n'
        f'orgs = ["cis"]\ncountries = ["az"]\nsources = ["src-a"]\n{extra}\n'
    )


def orgs(membership: str = "", count: int = 1) -> str:
    return (
        '[[org]]\nid = "cis"\nname = "CIS"\nfounded = "1991-12-08"\nsources = ["src-a"]\n\n'
        f'[[org.counts]]\nof = "bodies"\ncategory = "statutory"\nvalue = {count}\nsources = ["src-a"]\n\n'
        f"{membership}"
        '[[body]]\nid = "council"\norg = "cis"\nname = "Council"\ncategory = "statutory"\nsources = ["src-a"]\n'
    )


def member(start: str, end: str | None = None) -> str:
    to = f'to = "{end}"\n' if end else ""
    return f'[[org.memberships]]\ncountry = "az"\nrole = "member"\nfrom = "{start}"\n{to}sources = ["src-a"]\n\n'


def document(date: str, status: str = "signed") -> str:
    return (
        f'[[document]]\nid = "doc"\ntitle = "D"\nkind = "agreement"\ndate = "{date}"\norg = "cis"\n'
        f'sources = ["src-a"]\n\n[[document.signatories]]\ncountry = "az"\nstatus = "{status}"\n'
        'sources = ["src-a"]\n'
    )


def office(title: str, start: str, end: str, single: bool = True, body: str | None = None) -> str:
    lines = f'[[person.offices]]\ntitle = "{title}"\norg = "cis"\nfrom = "{start}"\nto = "{end}"\n'
    lines += "single_holder = true\n" if single else ""
    lines += f'body = "{body}"\n' if body else ""
    return lines + 'sources = ["src-a"]\n\n'


def person(person_id: str, *offices: str) -> str:
    return (
        f'[[person]]\nid = "{person_id}"\nname = "{person_id}"\nsources = ["src-a"]\n\n'
        + "".join(offices)
    )


OP_ED = '\n[[source]]\nid = "op"\ntitle = "Opinion"\nkind = "op_ed"\n'


def fact(sources: str) -> str:
    return f'[[fact]]\nid = "stance"\ntext = "A stance."\nkind = "official_position"\nsources = [{sources}]\n'


@dataclass(frozen=True)
class Case:
    rule: str
    triggered: dict[str, str]
    expected: str
    clean: dict[str, str]


CASES = [
    Case(
        "dated-before-founding",
        {"events.toml": event("early", "1990")},
        "data/events.toml:3: early: dated-before-founding: error: dated 1990, before cis was founded (1991-12-08)",
        {"events.toml": event("early", "1991-12")},
    ),
    Case(
        "dated-after-leaving",
        {"orgs.toml": orgs(member("1993-09-24", "2000")), "events.toml": event("accession", "1993-09-24", kind="accession") + event("late", "2005")},
        "data/events.toml:12: late: dated-after-leaving: error: dated 2005 and naming az and cis, but az left cis on 2000-12-31",
        {"orgs.toml": orgs(member("1993-09-24", "2000")), "events.toml": event("accession", "1993-09-24", kind="accession") + event("late", "1999")},
    ),
    Case(
        "signed-by-non-member",
        {"orgs.toml": orgs(member("1993-09-24")), "documents.toml": document("1992")},
        "data/documents.toml:9: doc: signed-by-non-member: warning: az signed on 1992, when it was not a member of cis (membership found: member 1993-09-24 to end not given)",
        {"orgs.toml": orgs(member("1993-09-24")), "documents.toml": document("1994")},
    ),
    Case(
        "membership-event-mismatch",
        {"orgs.toml": orgs(member("1993-09-25"))},
        "data/orgs.toml:16: cis: membership-event-mismatch: warning: the membership of az starts 1993-09-25, but the accession event accession is dated 1993-09-24",
        {"orgs.toml": orgs(member("1993-09-24"))},
    ),
    Case(
        "overlapping-holders",
        {"people.toml": person("a", office("Secretary General", "2000", "2010")) + person("b", office("Secretary general", "2005", ".."))},
        "data/people.toml:6: a: overlapping-holders: error: holds 'Secretary General' (2000 to 2010) while b holds it (2005 to ..); only one person holds it at a time",
        {"people.toml": person("a", office("Secretary General", "2000", "2010")) + person("b", office("Secretary general", "2011", ".."))},
    ),
    Case(
        "office-order",
        {"people.toml": person("a", office("Chair", "2010", "2012", False, "council"), office("Deputy", "2000", "2005", False, "council"))},
        "data/people.toml:9: a: office-order: error: 'Chair' starts 2010, after the next office in council, 'Deputy', ended (2005)",
        {"people.toml": person("a", office("Deputy", "2000", "2005", False, "council"), office("Chair", "2010", "2012", False, "council"))},
    ),
    Case(
        "event-document-date",
        {"documents.toml": document("1993-09-20"), "events.toml": event("accession", "1993-09-24", 'documents = ["doc"]', kind="accession")},
        "data/events.toml:9: accession: event-document-date: warning: dated 1993-09-24, but the document it names, doc, is dated 1993-09-20",
        {"documents.toml": document("1993-09"), "events.toml": event("accession", "1993-09-24", 'documents = ["doc"]', kind="accession")},
    ),
    Case(
        "count-mismatch",
        {"orgs.toml": orgs(count=3)},
        "data/orgs.toml:7: cis: count-mismatch: warning: declares 3 statutory bodies; the dataset has 1 (2 not recorded)",
        {"orgs.toml": orgs(count=1)},
    ),
    Case(
        "unused-source",
        {"more.toml": OP_ED},
        "data/more.toml:2: op: unused-source: warning: no record cites this source",
        {"more.toml": OP_ED + fact('"op"') .replace("official_position", "assessment")},
    ),
    Case(
        "single-op-ed-source",
        {"more.toml": OP_ED + fact('"op"')},
        "data/more.toml:10: stance: single-op-ed-source: warning: states an official position on the word of opinion pieces alone; it needs a second, official source",
        {"more.toml": OP_ED + fact('"op", "src-a"')},
    ),
    Case(
        "inferred-date-without-note",
        {"events.toml": event("guess", "1993-09-24?", kind="accession")},
        "data/events.toml:3: guess: inferred-date-without-note: error: date 1993-09-24? is marked as inferred (?) but no note says how",
        {"events.toml": event("guess", "1993-09-24?", 'note = "The year is read from the context."', kind="accession")},
    ),
]  # fmt: skip


def test_every_rule_has_a_case_and_a_name_records_can_use() -> None:
    assert [case.rule for case in CASES] == list(CHECK_RULES) == list(checks.RULES)


@pytest.mark.parametrize("case", CASES, ids=[case.rule for case in CASES])
def test_each_rule_reports_its_finding(case: Case, make_dataset: MakeDataset) -> None:
    make_dataset(case.triggered)

    result = runner.invoke(app, ["--data", "data", "check", "--strict"])

    assert result.exit_code == 1
    assert result.stdout == case.expected + "\n"
    severity = case.expected.split(": ")[3]
    errors, warnings = (1, 0) if severity == "error" else (0, 1)
    assert result.stderr == (
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}, "
        "0 silenced with a reason\n"
    )


@pytest.mark.parametrize("case", CASES, ids=[case.rule for case in CASES])
def test_each_rule_stays_quiet_when_the_records_agree(
    case: Case, make_dataset: MakeDataset
) -> None:
    make_dataset(case.clean)

    result = runner.invoke(app, ["--data", "data", "check", "--strict"])

    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_warnings_fail_only_with_strict(make_dataset: MakeDataset) -> None:
    make_dataset({"more.toml": OP_ED})

    plain = runner.invoke(app, ["--data", "data", "check"])
    strict = runner.invoke(app, ["--data", "data", "check", "--strict"])

    assert (plain.exit_code, strict.exit_code) == (0, 1)


def test_a_finding_silenced_with_a_reason_is_counted_apart(make_dataset: MakeDataset) -> None:
    silenced = (
        OP_ED
        + '\n[[source.check_ignore]]\nrule = "unused-source"\nreason = "Kept for the bibliography."\n'
    )
    make_dataset({"more.toml": silenced})

    result = runner.invoke(app, ["--data", "data", "check", "--strict"])
    report = checks.check("data")

    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "0 errors, 0 warnings, 1 silenced with a reason\n"
    assert [(f.rule, reason) for f, reason in report.silenced] == [
        ("unused-source", "Kept for the bibliography.")
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('rule = "unused-source"\nreason = " "', "data/more.toml:9: op: check_ignore[0].reason: say why the finding is silenced: the reason may not be empty"),
        ('rule = "unused-sources"\nreason = "x"', "data/more.toml:8: op: check_ignore[0].rule: a string ('unused-sources') is not allowed (did you mean 'unused-source'?): expected"),
    ],
)  # fmt: skip
def test_a_silencing_needs_a_known_rule_and_a_reason(
    entry: str, message: str, make_dataset: MakeDataset
) -> None:
    make_dataset({"more.toml": OP_ED + f"\n[[source.check_ignore]]\n{entry}\n"})

    result = runner.invoke(app, ["--data", "data", "check"])

    assert result.exit_code == 1
    assert result.stdout.startswith(message)


def test_json_findings(make_dataset: MakeDataset) -> None:
    make_dataset({"more.toml": OP_ED})

    result = runner.invoke(app, ["--data", "data", "check", "--json"])

    assert json.loads(result.stdout) == [
        {
            "file": "data/more.toml",
            "line": 2,
            "id": "op",
            "rule": "unused-source",
            "severity": "warning",
            "message": "no record cites this source",
            "code": "unused-source",
        }
    ]


def test_the_bundled_dataset_passes_strict_checks_with_every_silencing_explained() -> None:
    result = runner.invoke(app, ["check", "--strict"])
    report = checks.check()

    assert result.exit_code == 0, result.output
    assert report.findings == []
    assert report.silenced and all(len(reason) > 20 for _, reason in report.silenced)


def test_an_invalid_dataset_gets_its_problems_as_json_and_no_rule_runs(
    make_dataset: MakeDataset,
) -> None:
    make_dataset(
        {"more.toml": OP_ED + '\n[[source.check_ignore]]\nrule = "unused-sources"\nreason = "x"\n'}
    )

    result = runner.invoke(app, ["--data", "data", "check", "--json"])
    kept = runner.invoke(app, ["--data", "data", "check", "--fields", "rule,code,line"])

    assert result.exit_code == kept.exit_code == 1
    (problem,) = json.loads(result.stdout)
    assert (problem["code"], problem["field"]) == ("unknown-value", "check_ignore[0].rule")
    assert json.loads(kept.stdout) == [{"code": "unknown-value", "line": 8}]
    assert result.stderr == "1 problem: fix them (cislog validate) before the checks can run\n"


# --- the registry of rules ----------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]


def _readme_rules() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text.split("| rule | severity | finds |\n")[1].split("\n\n")[0]
    return re.findall(r"^\| `([^`]+)` \|", table, flags=re.M)


def _reference_rules() -> list[str]:
    text = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    section = text.split("\n## `cislog check`\n")[1].split("\n## ")[0]
    listed = section.split("Rules: ")[1].split(";")[0]
    return [name.strip() for name in listed.split(",")]


def test_the_readme_and_the_reference_name_every_registered_rule_and_no_other() -> None:
    registered = list(checks.RULES)

    assert _readme_rules() == registered
    assert _reference_rules() == registered
    silenced = re.findall(r'^rule = "([^"]+)"', (REPO / "README.md").read_text("utf-8"), flags=re.M)
    assert silenced and set(silenced) <= set(registered)


def test_the_readme_table_of_rules_is_made_from_the_registry() -> None:
    """Regenerate the table with CISLOG_UPDATE_DOCS=1 after a deliberate change."""
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    start = text.index("| rule | severity | finds |\n")
    end = text.index("\n\n", start) + 1
    if os.environ.get("CISLOG_UPDATE_DOCS"):
        readme.write_text(text[:start] + rules_markdown() + text[end:], encoding="utf-8")
        return

    assert text[start:end] == rules_markdown(), (
        "README.md's table of rules is out of date: run CISLOG_UPDATE_DOCS=1 "
        "python -m pytest tests/test_check.py"
    )


def test_the_rules_listing_shows_each_rule_with_its_severity_and_description() -> None:
    text = runner.invoke(app, ["check", "--rules"])
    data = runner.invoke(app, ["check", "--rules", "--json"])
    names = runner.invoke(app, ["check", "--rules", "--fields", "name"])

    assert text.exit_code == data.exit_code == names.exit_code == 0
    assert text.stdout.splitlines() == [
        f"{rule.name}: {rule.severity}: {rule.description}" for rule in checks.RULES.values()
    ]
    assert json.loads(data.stdout) == [
        {"name": rule.name, "severity": rule.severity, "description": rule.description}
        for rule in checks.RULES.values()
    ]
    assert json.loads(names.stdout) == [{"name": name} for name in checks.RULES]
    assert text.stderr == ""


TOY = '[[event]]\nid = "toy"\ndate = "2001"\ntitle = "Toy"\nkind = "meeting"\nsources = ["src-a"]\n'


@pytest.fixture
def toy_rule() -> Iterator[checks.Rule]:
    """A rule registered from the test suite, as a plug-in would: events titled Toy."""

    def toys(dataset: Dataset) -> Iterator[checks.Found]:
        for event in dataset.events.values():
            if event.title == "Toy":
                yield checks.Found(event, "a toy event", ("title",))

    rule = checks.register(checks.Rule("toy-title", "error", "an event titled Toy", toys))
    try:
        yield rule
    finally:
        checks.unregister(rule.name)


def test_a_rule_registered_in_one_place_is_run_reported_and_listed(
    toy_rule: checks.Rule, make_dataset: MakeDataset
) -> None:
    make_dataset({"toys.toml": TOY})

    result = runner.invoke(app, ["--data", "data", "check"])
    as_json = runner.invoke(app, ["--data", "data", "check", "--json"])
    listed = runner.invoke(app, ["check", "--rules"])

    assert result.exit_code == as_json.exit_code == 1
    assert result.stdout == "data/toys.toml:4: toy: toy-title: error: a toy event\n"
    assert result.stderr == "1 error, 0 warnings, 0 silenced with a reason\n"
    assert [(f["rule"], f["code"], f["severity"]) for f in json.loads(as_json.stdout)] == [
        ("toy-title", "toy-title", "error")
    ]
    assert listed.stdout.splitlines()[-1] == "toy-title: error: an event titled Toy"
    assert rules_markdown().splitlines()[-1] == "| `toy-title` | error | an event titled Toy |"


def test_unregistering_a_rule_stops_it_running(make_dataset: MakeDataset) -> None:
    make_dataset({"toys.toml": TOY})
    before = list(checks.RULES)

    @checks.rule("toy-title", "warning", "an event titled Toy")
    def toys(dataset: Dataset) -> Iterator[checks.Found]:
        yield checks.Found(dataset["toy"], "a toy event")

    try:
        assert [f.rule for f in checks.check("data").findings] == ["toy-title"]
    finally:
        checks.unregister("toy-title")

    assert checks.check("data").findings == [] and list(checks.RULES) == before


@pytest.mark.parametrize(
    ("name", "description", "refusal"),
    [
        ("unused-source", "again", "a rule named 'unused-source' is registered already"),
        ("Toy Rule", "x", "a rule's name is lower-case words and hyphens, not 'Toy Rule'"),
        ("toy", "two\nlines", "rule 'toy': the description is one line saying what it finds"),
        ("toy", " ", "rule 'toy': the description is one line saying what it finds"),
    ],
)
def test_a_rule_needs_a_new_name_and_a_one_line_description(
    name: str, description: str, refusal: str
) -> None:
    before = dict(checks.RULES)

    with pytest.raises(ValueError) as raised:
        checks.register(checks.Rule(name, "error", description, lambda dataset: iter(())))

    assert str(raised.value) == refusal
    assert before == checks.RULES


def _whole(path: Path | None) -> checks.CheckResult:
    """What check finds when the dataset is read whole, as it is read with a problem."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checks, "read_in_parts", lambda *args, **kwargs: _Invalid())
        return checks.check(path)


class _Invalid:
    valid = False


@pytest.mark.parametrize("case", CASES, ids=[case.rule for case in CASES])
def test_read_in_parts_the_rules_find_what_they_find_in_the_whole_dataset(
    case: Case, make_dataset: MakeDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rule's finding and silence, with its line, from a dataset read in parts of
    two records (kept as records, without the text and models they were read from)."""
    monkeypatch.setattr("cislog.loading.RECORDS_PER_PART", 2)
    for files in (case.triggered, case.clean):
        data = make_dataset(files)
        in_parts = checks.check(data)
        assert in_parts.problems == [] and in_parts == _whole(data)
    assert checks.check(make_dataset(case.triggered)).findings


def test_the_bundled_data_is_checked_alike_in_parts_and_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("cislog.loading.RECORDS_PER_PART", 3)
    in_parts = checks.check(None)
    assert in_parts == _whole(None)
    assert in_parts.silenced  # the bundled data silences some findings, with reasons
