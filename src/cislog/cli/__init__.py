"""The ``cislog`` command: parses arguments, calls the library, prints the result.

Each command lives in a module of its own; this is the one place that puts
them on the app, in the order ``cislog --help`` lists them.
"""

from collections.abc import Callable

from cislog.cli import (
    check_cmd,
    lookup_cmd,
    org_cmd,
    people_cmd,
    signed_cmd,
    stats_cmd,
    timeline_cmd,
    validate_cmd,
    write_cmd,
)
from cislog.cli.app import app, main
from cislog.cli.common import DATE_HELP, ExitCode

# Commands that take --from/--to/--on end their help with how dates match.
dated: tuple[Callable[..., None], ...] = (
    timeline_cmd.timeline,
    signed_cmd.signed,
    org_cmd.org,
    people_cmd.country,
    people_cmd.person,
)
undated: tuple[Callable[..., None], ...] = (
    lookup_cmd.show,
    lookup_cmd.search,
    lookup_cmd.sources,
    validate_cmd.validate,
    check_cmd.check,
    write_cmd.edit,
    write_cmd.remove,
    write_cmd.fmt,
    stats_cmd.stats,
)
for command in dated:
    app.command(epilog=DATE_HELP)(command)
for command in undated:
    app.command()(command)
app.command(name="on-this-day")(stats_cmd.on_this_day)
# `add` is built on demand: see cislog.cli.app._Commands.

__all__ = ["ExitCode", "app", "main"]
