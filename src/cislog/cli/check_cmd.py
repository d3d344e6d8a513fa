"""``cislog check``: validation, then consistency across records."""

import sys
from dataclasses import fields as dataclass_fields
from typing import Annotated

import typer

from cislog import render
from cislog.cli.common import (
    DirectoryArgument,
    ExitCode,
    FieldsOption,
    JsonOption,
    data_dir,
    fields_wanted,
    problems_json,
)


def check(
    ctx: typer.Context,
    directory: DirectoryArgument = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors (exit 1).")
    ] = False,
) -> None:
    """Check records against each other, one finding a line as
    FILE:LINE: ID: rule: severity: message.

    Runs 'cislog validate' first. Rules: dated-before-founding,
    dated-after-leaving, signed-by-non-member, membership-event-mismatch,
    overlapping-holders, office-order, event-document-date, count-mismatch,
    unused-source, single-op-ed-source, inferred-date-without-note. A record
    silences a rule with a [[KIND.check_ignore]] entry giving the rule and a
    reason. Exits 1 on an error (or, with --strict, a warning). With --json,
    prints an array of {file, line, id, rule, severity, message}; --fields
    keeps only the keys it names.
    """
    from cislog.checks import Finding
    from cislog.checks import check as run_checks

    # The keys of a finding in JSON, in order: what --fields may keep.
    wanted = fields_wanted(fields, [field.name for field in dataclass_fields(Finding)])
    as_json = as_json or wanted is not None
    result = run_checks(data_dir(ctx, directory))
    if result.problems:
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
