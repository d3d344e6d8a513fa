"""``cislog validate``: every problem of a dataset, one a line."""

import sys

import typer

from cislog import render
from cislog.cli.common import DirectoryArgument, ExitCode, JsonOption, data_dir


def validate(
    ctx: typer.Context,
    directory: DirectoryArgument = None,
    as_json: JsonOption = False,
) -> None:
    """Check a dataset and list every problem as FILE:LINE: ID: FIELD: message.

    Exits 0 when the dataset is valid and 1 when it has problems. With --json,
    prints an array of {file, line, id, field, message}.
    """
    from cislog.loading import read_dataset

    dataset, problems = read_dataset(data_dir(ctx, directory))
    for note in dataset.notes:
        typer.echo(f"cislog: note: {note}", err=True)
    if as_json:
        sys.stdout.write(render.problems_json(problems))
    else:
        sys.stdout.write(render.problems_text(problems))
    if problems:
        typer.echo(f"{render.plural(len(problems), 'problem')} in {dataset.directory}", err=True)
        raise typer.Exit(ExitCode.PROBLEMS)
    if not as_json:
        typer.echo(f"ok: {render.plural(len(dataset), 'record')} in {dataset.directory}", err=True)
