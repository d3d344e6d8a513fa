"""``cislog validate``: every problem of a dataset, one a line.

Each problem's code (:data:`cislog.errors.PROBLEM_CODES`) is given in the JSON, and
the README's table of codes is made from the same entries (:func:`codes_markdown`).
"""

import sys
from dataclasses import fields as dataclass_fields

import typer

from cislog import render
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
from cislog.errors import PROBLEM_CODES, Problem

# The keys of a problem in JSON, in order: what --fields may keep.
KEYS = tuple(field.name for field in dataclass_fields(Problem))


@handles_errors
def validate(
    ctx: typer.Context,
    directory: DirectoryArgument = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
) -> None:
    """Check a dataset and list every problem as FILE:LINE: ID: FIELD: message.

    Exits 0 when the dataset is valid and 1 when it has problems. With --json,
    prints an array of {file, line, id, field, message, code}, where code names
    the kind of problem (duplicate-id, unknown-reference, bad-date, ...) for a
    script to act on; --fields keeps only the keys it names.
    """
    from cislog.pipeline import read_dataset, read_in_parts

    wanted = fields_wanted(fields, KEYS)
    as_json = as_json or wanted is not None
    # A valid dataset is read a file at a time; one with problems whole, to list them.
    parts = read_in_parts(data_dir(ctx, directory))
    problems: list[Problem] = []
    if not parts.valid:
        dataset, problems = read_dataset(parts.directory)
        parts.notes, parts.records = dataset.notes, len(dataset)
    for note in parts.notes:
        typer.echo(f"cislog: note: {note}", err=True)
    if as_json:
        sys.stdout.write(problems_json(problems, wanted))
    else:
        sys.stdout.write(render.problems_text(problems))
    if problems:
        typer.echo(f"{render.plural(len(problems), 'problem')} in {parts.directory}", err=True)
        raise typer.Exit(ExitCode.PROBLEMS)
    if not as_json:
        typer.echo(f"ok: {render.plural(parts.records, 'record')} in {parts.directory}", err=True)


def codes_markdown() -> str:
    """The README's table of problem codes, one row a code."""
    rows = [f"| `{code}` | {meaning} |" for code, meaning in PROBLEM_CODES.items()]
    return "\n".join(["| code | the problem |", "|---|---|", *rows]) + "\n"
