"""``cislog schema``: the JSON Schema of a data file, for editors that check TOML."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from cislog.cli.common import fail


def schema(
    out_text: Annotated[
        str | None,
        typer.Option(
            "--out",
            metavar="PATH",
            help="Write the schema to PATH (a directory gets cislog.schema.json) "
            "instead of stdout.",
        ),
    ] = None,
) -> None:
    """The JSON Schema (draft 2020-12) of a dataset file, generated from the record models.

    Editors that read the #:schema directive (Taplo, Even Better TOML) then check and
    complete records as they are typed: start a data file with '#:schema
    ./cislog.schema.json' and keep the schema beside it. References between records
    and unique ids are left to 'cislog validate'.
    """
    from cislog.schema import SCHEMA_FILE, schema_text

    text = schema_text()
    if out_text is None:
        sys.stdout.write(text)
        return
    # A directory, or a name written as one (ending in a slash), gets the schema's file name.
    # (Read as text: a Path would drop the slash.)
    out = Path(out_text)
    as_directory = out.is_dir() or out_text.endswith(("/", "\\"))
    target = out / SCHEMA_FILE if as_directory else out
    if target.suffix == ".toml":
        # A slip of the tab key must not replace a data file with JSON.
        fail(f"{target}: refusing to write the schema over a .toml file; give a .json path")
    from cislog.atomic import atomic_write

    try:
        if as_directory:
            out.mkdir(parents=True, exist_ok=True)
        atomic_write(target, text)
    except OSError as error:
        fail(f"{target}: cannot write the schema: {error.strerror or error}")
    typer.echo(f"cislog: wrote {target}", err=True)
