"""The ``cislog`` command: parses arguments, calls the library, prints the result.

Each command lives in a module of its own; this is the one place that puts
them on the app, in the order ``cislog --help`` lists them.
"""

from collections.abc import Callable

from cislog.cli import (
    check_cmd,
    export_cmd,
    lookup_cmd,
    org_cmd,
    people_cmd,
    schema_cmd,
    signed_cmd,
    stats_cmd,
    timeline_cmd,
    validate_cmd,
    write_cmd,
)
from cislog.cli.app import app, main
from cislog.cli.common import ExitCode
from cislog.cli.examples import epilog

# Commands that take --from/--to/--on end their help with how dates match.
dated: tuple[Callable[..., None], ...] = (
    timeline_cmd.timeline,
    signed_cmd.signed,
    org_cmd.org,
    people_cmd.country,
    people_cmd.person,
    export_cmd.export,
)
undated: tuple[Callable[..., None], ...] = (
    lookup_cmd.show,
    lookup_cmd.search,
    lookup_cmd.sources,
    stats_cmd.stats,
    stats_cmd.on_this_day,
    validate_cmd.validate,
    check_cmd.check,
    schema_cmd.schema,
    write_cmd.edit,
    write_cmd.remove,
    write_cmd.fmt,
)
# Each help ends with the command's examples (kept in cislog.cli.examples), then,
# for a dated command, how dates match.
for command in (*dated, *undated):
    name = command.__name__.replace("_", "-")
    app.command(name=name, epilog=epilog(name, dates=command in dated))(command)
# `add` is built on demand: see cislog.cli.app._Commands.

__all__ = ["ExitCode", "app", "main"]
