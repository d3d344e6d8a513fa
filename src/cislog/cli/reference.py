"""The command reference in ``docs/commands.md``, generated from the app itself.

It walks the Click command tree that Typer builds, asking each group for its
commands by name, so the ``add`` group (built only when used) and any command
added later appear without a change here. Everything is read from the
commands' parameters, help and examples rather than from formatted ``--help``
output, so the text does not depend on the terminal's width.

Regenerate with ``python -m cislog.cli.reference docs/commands.md``.
"""

import sys
from pathlib import Path

import typer

from cislog.cli.examples import examples_in
from cislog.cli.tree import PROG, Entry, walk

HEADER = (
    "# Command reference\n\n"
    "Generated from the app by `python -m cislog.cli.reference docs/commands.md`;\n"
    "do not edit by hand. `cislog COMMAND --help` prints the same on a terminal.\n"
)


def _epilog_prose(epilog: str | None) -> list[str]:
    """The paragraphs of an epilog that are not the examples (how dates match, say)."""
    if not epilog:
        return []
    return [
        " ".join(part.split())
        for part in epilog.split("\n\n")
        if part.strip() and part.strip() != "Examples:" and not part.startswith("\b")
    ]


def _help_paragraphs(text: str | None) -> list[str]:
    """Help text as Markdown paragraphs: Click's ``\\b`` blocks keep their lines."""
    paragraphs = []
    for part in (text or "").split("\n\n"):
        if part.startswith("\b\n"):
            paragraphs.append("\n".join(f"    {line}" for line in part[2:].splitlines()))
        elif part.strip():
            paragraphs.append(" ".join(part.split()))
    return paragraphs


def _section(entry: Entry) -> str:
    command, ctx = entry.command, entry.ctx
    title = f"{PROG} {entry.path}".strip()
    out = [f"## `{title}`", ""]
    usage = " ".join([ctx.command_path, *command.collect_usage_pieces(ctx)])
    out += ["```", f"Usage: {usage}", "```", ""]
    for paragraph in _help_paragraphs(command.help):
        out += [paragraph, ""]
    arguments: list[str] = []
    options: list[str] = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, text = record
        line = f"- `{names}`" + (f": {' '.join(text.split())}" if text else "")
        (arguments if param.param_type_name == "argument" else options).append(line)
    if arguments:
        out += ["Arguments:", "", *arguments, ""]
    if options:
        out += ["Options:", "", *options, ""]
    if hasattr(command, "list_commands"):
        names = command.list_commands(ctx)
        subcommands = [
            f"- [`{title} {name}`](#{_anchor(f'{title} {name}')}): "
            f"{command.get_command(ctx, name).get_short_help_str(limit=200)}"
            for name in names
        ]
        out += ["Commands:", "", *subcommands, ""]
    examples = examples_in(command.epilog)
    if examples:
        out += ["Examples:", "", "```sh", *examples, "```", ""]
    for paragraph in _epilog_prose(command.epilog):
        out += [paragraph, ""]
    return "\n".join(out)


def _anchor(title: str) -> str:
    """GitHub's anchor of a ``## `cislog add event` `` heading."""
    return "".join(c for c in title.lower() if c.isalnum() or c in " -").replace(" ", "-")


def markdown(app: typer.Typer) -> str:
    """The whole reference, one section a command."""
    return HEADER + "\n" + "\n".join(_section(entry) for entry in walk(app)).rstrip() + "\n"


def _write(path: Path, text: str) -> None:
    """Write atomically, so that an interrupted run never leaves half a reference."""
    from cislog.atomic import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)


def main(argv: list[str] | None = None) -> int:
    """``python -m cislog.cli.reference [PATH]``: write the reference to PATH, else stdout."""
    from cislog.cli import app

    args = sys.argv[1:] if argv is None else argv
    text = markdown(app)
    if not args:
        sys.stdout.write(text)
        return 0
    if len(args) > 1 or args[0].startswith("-"):
        sys.stderr.write("usage: python -m cislog.cli.reference [PATH]\n")
        return 2
    _write(Path(args[0]), text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
