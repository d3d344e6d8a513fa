"""The examples that end every command's ``--help``, in one place.

Keyed by command path (``""`` for ``cislog`` itself, ``"add event"`` for a
sub-command). Every example is a real command that works on the bundled data:
a test runs each one, and another fails when a command has none. Writing
commands show ``--dry-run``, so that trying an example changes nothing.

This module is imported when the app is built, so it holds strings only.
"""

from collections.abc import Collection

from cislog.cli.common import date_help

EXAMPLES: dict[str, tuple[str, ...]] = {
    "": (
        "cislog timeline --country Azərbaycan --kind accession",
        "cislog org cica --bodies",
        "cislog --no-cache search 'free trade' --json",
    ),
    "timeline": (
        "cislog timeline --org cica --from 2011 --to 2021",
        "cislog timeline --country az --kind accession --kind decision",
        "cislog timeline --search summit --reverse --limit 3",
        "cislog timeline --org cis --fields date,kind,title",
        "cislog timeline --chart",
        "cislog timeline --org cica --chart --json",
    ),
    "signed": (
        "cislog signed --country az",
        "cislog signed cis-free-trade-zone-agreement",
        "cislog signed --org cis --status not_signed --json",
        "cislog signed --country az --status unknown --from 2000",
    ),
    "org": (
        "cislog org cis",
        "cislog org MDB --bodies",
        "cislog org cica --members --on 2018",
    ),
    "country": (
        "cislog country az",
        "cislog country Азербайджан --on 1992",
        "cislog country AZE --fields id,standing",
    ),
    "person": (
        "cislog person lebedev",
        "cislog person --office 'secretary general' --on 2024 --fields id,name",
    ),
    "show": (
        "cislog show cis-free-trade-zone-agreement",
        "cislog show СНГ --json",
    ),
    "search": (
        "cislog search 'free trade'",
        "cislog search azerbaycan --fields kind,id,title",
    ),
    "sources": (
        "cislog sources",
        "cislog sources pages-from-history",
        "cislog sources --unused --fields id,title",
    ),
    "facts": (
        "cislog facts --subject az --kind position",
        "cislog facts --source pages-from-history --fields id,kind,subjects",
        "cislog facts --from 2020 --to 2030",
    ),
    "documents": (
        "cislog documents --org cis --kind agreement",
        "cislog documents --country Azərbaycan --from 2000",
        "cislog documents --fields id,date,signatories",
    ),
    "people": (
        "cislog people",
        "cislog people --office 'secretary general' --org cis --json",
    ),
    "orgs": (
        "cislog orgs",
        "cislog orgs --fields id,name,bodies",
    ),
    "bodies": (
        "cislog bodies --org cica",
        "cislog bodies --category decision_making --fields id,name",
    ),
    "countries": (
        "cislog countries",
        "cislog countries --fields id,name",
    ),
    "validate": (
        "cislog validate",
        "cislog validate --json",
    ),
    "check": (
        "cislog check",
        "cislog check --strict --json",
        "cislog check --rules",
    ),
    "edit": (
        "cislog edit cis-free-trade-zone-agreement --set place='Saint Petersburg' --dry-run",
        "cislog edit cis --set aliases='CIS,СНГ,MDB,SNG' --dry-run",
    ),
    "remove": (
        "cislog remove shakirzade-2007 --dry-run",
        "cislog remove cis-free-trade-zone-agreement --force --dry-run",
    ),
    "fmt": (
        "cislog fmt --check",
        "cislog fmt --dry-run",
    ),
    "export": (
        "cislog export --format markdown --org cica",
        "cislog export --format ics --country az --out azerbaijan.ics",
        "cislog export --format csv --out tables/",
        "cislog export --format sqlite --out cislog.db",
        "cislog export --format ndjson --from 2000 --to 2010",
    ),
    "schema": (
        "cislog schema",
        "cislog schema --out cislog.schema.json",
    ),
    "stats": (
        "cislog stats",
        "cislog stats --fields decades,undated,open_start",
    ),
    "on-this-day": (
        "cislog on-this-day",
        "cislog on-this-day 09-24",
        "cislog on-this-day 10-14 --fields date,title,uncertain,years_ago",
    ),
    "add": (
        "cislog add event --title 'An example summit' --date 2024-10 --kind summit"
        " --org cis --source azerbaijan-cis-summit-op-ed --dry-run",
        "cislog add event --help",
    ),
    "add source": (
        "cislog add source --title 'An example article' --kind article"
        " --set url=https://example.org/article --dry-run",
    ),
    "add country": (
        "cislog add country --id zz --name 'An example country' --alias ZZZ"
        " --source pages-from-history --dry-run",
    ),
    "add org": (
        "cislog add org --id example-org --name 'An example organisation'"
        " --source pages-from-history --dry-run",
    ),
    "add body": (
        "cislog add body --name 'An example council' --org cis"
        " --source pages-from-history --dry-run",
    ),
    "add person": (
        "cislog add person --name 'An Example Person' --alias 'A. Example'"
        " --source pages-from-history --dry-run",
    ),
    "add document": (
        "cislog add document --id cis-example-agreement --title 'Agreement on an example'"
        " --kind agreement --date 2024-10-08 --org cis --source azerbaijan-cis-page --dry-run",
    ),
    "add event": (
        "cislog add event --title 'An example summit' --date 2024-10 --kind summit"
        " --org cis --country az --place 'A city' --source azerbaijan-cis-summit-op-ed --dry-run",
        "cislog add event --title 'A meeting' --date 2024-11? --kind meeting"
        " --source azerbaijan-cis-page --note 'The month is inferred.' --dry-run",
    ),
    "add fact": (
        "cislog add fact --text 'An example statement about the CIS.' --kind statement"
        " --subject cis --source pages-from-history --dry-run",
    ),
    "add signatory": (
        "cislog add signatory cis-free-trade-zone-agreement --country ru --status signed"
        " --source azerbaijan-cis-page --dry-run",
    ),
    "add office": (
        "cislog add office sergei-lebedev --title 'An example office' --org cis"
        " --from 2020 --to 2021 --source pages-from-history --dry-run",
    ),
}


def epilog(path: str, options: Collection[str] = ()) -> str:
    """The end of a command's ``--help``: how dates match, for a command whose
    ``options`` (its option names) ask for dates (see :func:`date_help`); then its
    examples, last, where a reader looks for them.

    Click rewraps every paragraph of an epilog to the terminal's width; the
    ``\b`` line keeps the examples one a line, as they must be typed.
    """
    lines = EXAMPLES.get(path, ())
    dates = date_help(options)
    parts = [dates] if dates else []
    if any("--dry-run" in line for line in lines):
        parts.append(
            "In the examples, --dry-run writes nothing, and the values are illustrations, "
            "not facts from the sources: cite a source only for what it states."
        )
    if lines:
        parts.append("Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines))
    return "\n\n".join(parts)


def examples_in(epilog: str | None) -> list[str]:
    """The example commands of an epilog, as :func:`epilog` writes them: one a line."""
    if not epilog or "Examples:" not in epilog:
        return []
    block = epilog.split("Examples:", 1)[1].split("\n\n", 2)
    lines = block[1].splitlines() if len(block) > 1 else []
    return [line.strip() for line in lines if line.strip().startswith("cislog ")]
