"""The command tree as Click sees it, every command and sub-command with its context.

Groups are asked for their commands by name (``list_commands``/``get_command``)
rather than read from a dict, so the ``add`` group, built only when used, and
any command added later are found like the others.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import typer

PROG = "cislog"


@dataclass(frozen=True, slots=True)
class Entry:
    """A command with the context Click would give it, and its path (``"add event"``)."""

    path: str
    command: Any
    ctx: typer.Context


def _context(command: Any, name: str, parent: typer.Context | None) -> typer.Context:
    return typer.Context(command, info_name=name, parent=parent, **command.context_settings)


def walk(app: typer.Typer) -> Iterator[Entry]:
    """Every command, the app itself first, then each in ``--help`` order, depth first."""
    root = typer.main.get_command(app)

    def visit(command: Any, path: str, ctx: typer.Context) -> Iterator[Entry]:
        yield Entry(path, command, ctx)
        if not hasattr(command, "list_commands"):
            return
        for name in command.list_commands(ctx):
            child = command.get_command(ctx, name)
            child_path = f"{path} {name}".strip()
            yield from visit(child, child_path, _context(child, name, ctx))

    yield from visit(root, "", _context(root, PROG, None))
