"""``cislog check``: validation, then consistency across records.

The rules are those registered in :data:`cislog.checks.RULES`: this command's help,
its ``--rules`` listing and the README's table of rules (:func:`rules_markdown`)
are made from them, so a rule added there is documented everywhere at once.
"""

import sys
from dataclasses import fields as dataclass_fields
from typing import Annotated

import typer

from cislog import checks, render
from cislog.cli.common import (
    DirectoryArgument,
    ExitCode,
    FieldsOption,
    JsonOption,
    data_dir,
    fields_wanted,
    handles_errors,
    problems_json,
)
from cislog.errors import Problem

# The keys of a rule in the --rules listing's JSON, in order.
RULE_KEYS = ("name", "severity", "description")
_PROBLEM_KEYS = tuple(field.name for field in dataclass_fields(Problem))


@handles_errors
def check(
    ctx: typer.Context,
    directory: DirectoryArgument = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors (exit 1).")
    ] = False,
    rules: Annotated[
        bool,
        typer.Option(
            "--rules", help="List the rules, with their severity and what each finds, and exit."
        ),
    ] = False,
) -> None:
    # The help is made from the registered rules, below.
    if rules:
        _list_rules(as_json, fields)
        return
    wanted = fields_wanted(fields, checks.FINDING_KEYS)
    as_json = as_json or wanted is not None
    result = checks.check(data_dir(ctx, directory))
    if result.problems:
        if as_json:
            # The problems of 'cislog validate --json', with the asked keys they have.
            kept = None if wanted is None else [key for key in wanted if key in _PROBLEM_KEYS]
            sys.stdout.write(problems_json(result.problems, kept))
        else:
            sys.stdout.write(render.problems_text(result.problems))
        typer.echo(
            f"{render.plural(len(result.problems), 'problem')}: fix them (cislog validate) "
            "before the checks can run",
            err=True,
        )
        raise typer.Exit(ExitCode.PROBLEMS)
    if as_json:
        sys.stdout.write(problems_json(result.findings, wanted))
    else:
        sys.stdout.write(render.problems_text(result.findings))
    errors = sum(f.severity == "error" for f in result.findings)
    warnings = len(result.findings) - errors
    typer.echo(
        f"{render.plural(errors, 'error')}, {render.plural(warnings, 'warning')}, "
        f"{len(result.silenced)} silenced with a reason",
        err=True,
    )
    if result.failed(strict):
        raise typer.Exit(ExitCode.PROBLEMS)


check.__doc__ = f"""Check records against each other, one finding a line as
    FILE:LINE: ID: rule: severity: message.

    Runs 'cislog validate' first. Rules: {", ".join(checks.RULES)}; --rules
    says what each finds. A record silences a rule with a [[KIND.check_ignore]]
    entry giving the rule and a reason. Exits 1 on an error (or, with --strict,
    a warning). With --json, prints an array of {{{", ".join(checks.FINDING_KEYS)}}},
    where code is the rule (or, when the dataset is invalid, the problems of
    'cislog validate --json'); --fields keeps only the keys it names.
    """


def _list_rules(as_json: bool, fields: str | None) -> None:
    """The registered rules: ``name: severity: description`` a line, or JSON."""
    wanted = fields_wanted(fields, RULE_KEYS)
    rows = [
        {"name": rule.name, "severity": rule.severity, "description": rule.description}
        for rule in checks.RULES.values()
    ]
    if as_json or wanted is not None:
        keys = wanted or RULE_KEYS
        sys.stdout.write(render.to_json([{key: row[key] for key in keys} for row in rows]))
    else:
        lines = (f"{row['name']}: {row['severity']}: {row['description']}\n" for row in rows)
        sys.stdout.write(render.visible("".join(lines), lines=True))


def rules_markdown() -> str:
    """The README's table of rules, one row a registered rule."""
    rows = [
        f"| `{rule.name}` | {rule.severity} | {rule.description} |"
        for rule in checks.RULES.values()
    ]
    return "\n".join(["| rule | severity | finds |", "|---|---|---|", *rows]) + "\n"
