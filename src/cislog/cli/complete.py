"""Shell completion of ids and names from the dataset (``autocompletion=`` callbacks).

A completion runs the whole ``cislog`` command once per TAB, so the dataset is
read through the cache, like a query, and the modules that read it are
imported only inside the callbacks: the commands import this module at start-up.

A completion answers in the user's shell: any error (invalid data, an unreadable
directory, a bug) gives no candidates rather than a message or a traceback.

Candidates are ids first, then names and aliases that contain no whitespace (a
candidate with a space would reach the command line as several words in bash).
Only candidates that start with what was typed are offered, case and all: Typer
keeps no others, and bash replaces the typed word with what the candidates have
in common. When none does, the names that start with it once both are folded as
every comparison folds them (:func:`cislog.folding.fold`) are offered, written as
typed and folded after: ``lod`` gives ``lodz`` for ``Łódź`` and ``azerb`` gives
``azerbaycan`` for ``Azərbaycan``, which the commands resolve as they resolve any
spelling of a name. Each comes with the record's name as help, which zsh and fish
show.

What reaches the shell is inert: a name holding a control or bidi character is
never a candidate (the shell would type it, and show it in its menu, as it is),
and a help text shows such characters as escapes (:func:`cislog.inert.visible`),
its markup brackets as written (Typer reads help as Rich markup), and fits on one
line (Typer wraps a long help at 80 columns, and fish would read the rest as
another candidate).
"""

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import typer

from cislog.inert import is_visible, visible

Candidates = list[tuple[str, str]]
# Cells of a help text, short enough that Typer's 80-column rendering never wraps it.
HELP_WIDTH = 60
Completer = Callable[[typer.Context, str], Candidates]


def _dataset(ctx: typer.Context) -> Any:
    """The dataset named by --data earlier on the command line, or $CISLOG_DATA, or the
    bundled one: from the cache when it matches the files."""
    from cislog.cache import load

    root = ctx.find_root()
    data = root.params.get("data")
    no_cache = bool(root.params.get("no_cache"))
    return load(Path(data) if data else None, use_cache=False if no_cache else None)


# What Rich reads as a markup tag, with the backslashes before it (rich.markup.RE_TAGS).
_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def help_text(label: str) -> str:
    """A record's label as a candidate's help: control and bidi characters as escapes,
    Rich markup escaped, shortened to :data:`HELP_WIDTH` cells with an ellipsis.

    Tags are escaped as rich.markup.escape does, but a final backslash is left alone:
    escape doubles it for text that markup follows, and none follows a help text.
    """
    from rich.text import Text

    shown = Text(visible(label))
    shown.truncate(HELP_WIDTH, overflow="ellipsis")
    return _TAG.sub(lambda tag: f"{tag[1]}{tag[1]}\\{tag[2]}", shown.plain)


def match(entries: Iterable[tuple[str, str, Sequence[str]]], incomplete: str) -> Candidates:
    """Candidates from ``(id, label, names)`` entries: ids starting with ``incomplete``,
    then names and aliases without whitespace, control or bidi characters that start
    with it and are not an id too; when there is none, :func:`folded_matches`. Each
    candidate is offered once, with the record's label as its help (:func:`help_text`)."""
    entries = list(entries)
    ids = [
        (record_id, help_text(label))
        for record_id, label, _ in entries
        if record_id.startswith(incomplete) and is_visible(record_id)
    ]
    seen = {record_id for record_id, _, _ in entries}
    names: Candidates = []
    for _, label, aliases in entries:
        for name in (label, *aliases):
            if name in seen or any(c.isspace() for c in name) or not is_visible(name):
                continue
            if name.startswith(incomplete):
                seen.add(name)
                names.append((name, help_text(label)))
    return sorted(ids) + sorted(names) if ids or names else folded_matches(entries, incomplete)


def folded_matches(
    entries: Iterable[tuple[str, str, Sequence[str]]], incomplete: str
) -> Candidates:
    """Ids, names and aliases that start with ``incomplete`` once both are folded, each
    as ``incomplete`` followed by the rest of its folded form: a candidate that starts
    with what was typed, as Typer requires, and folds to the name, so it resolves."""
    from cislog.folding import fold

    typed = fold(incomplete)
    if not typed or any(c.isspace() for c in incomplete):
        return []
    found: dict[str, str] = {}
    for record_id, label, aliases in entries:
        for name in (record_id, label, *aliases):
            folded = fold(name)
            if not folded.startswith(typed) or any(c.isspace() for c in folded):
                continue
            candidate = incomplete + folded[len(typed) :]
            if is_visible(candidate):
                found.setdefault(candidate, help_text(label))
    return sorted(found.items())


def records(*kinds: str) -> Completer:
    """A completer of the ids (and names) of records of ``kinds`` (every kind if none)."""

    def complete(ctx: typer.Context, incomplete: str) -> Candidates:
        try:
            dataset = _dataset(ctx)
            # By kind, so that the cache decodes only those records, not every event.
            chosen = [r for k in kinds for r in dataset.of_kind(k)] if kinds else list(dataset)
            return match(
                ((r.id, r.label, getattr(r, "aliases", None) or ()) for r in chosen), incomplete
            )
        except Exception:  # completion must never break the user's shell
            return []

    return complete


def choices(values: Callable[[Any], Sequence[str]]) -> Completer:
    """A completer of fixed words (kinds, statuses, tags): ``values(dataset)`` gives them."""

    def complete(ctx: typer.Context, incomplete: str) -> Candidates:
        try:
            return [(v, "") for v in values(_dataset(ctx)) if v.startswith(incomplete)]
        except Exception:  # completion must never break the user's shell
            return []

    return complete


def _timeline_kinds(dataset: Any) -> Sequence[str]:
    from cislog.kinds import TIMELINE_KINDS

    return TIMELINE_KINDS


def _timeline_records(dataset: Any) -> Sequence[str]:
    from cislog.kinds import TIMELINE_RECORDS

    return TIMELINE_RECORDS


def _timeline_tags(dataset: Any) -> Sequence[str]:
    from cislog.query import timeline_tags

    return timeline_tags(dataset)


def _signed_statuses(dataset: Any) -> Sequence[str]:
    from cislog.query import SIGNED_STATUSES

    return SIGNED_STATUSES


def _signatory_statuses(dataset: Any) -> Sequence[str]:
    from cislog.kinds import SIGNATORY_STATUSES

    return SIGNATORY_STATUSES


def field_values(kind: str, field: str) -> Completer:
    """A completer of the values a record's enumerated field allows (``add event --kind``)."""

    def values(dataset: Any) -> Sequence[str]:
        from typing import get_args

        from cislog.model import MODELS

        return [str(v) for v in get_args(MODELS[kind].model_fields[field].annotation)]

    return choices(values)


orgs = records("org")
countries = records("country")
bodies = records("body")
people = records("person")
documents = records("document")
sources = records("source")
any_record = records()
timeline_kinds = choices(_timeline_kinds)
timeline_records = choices(_timeline_records)
tags = choices(_timeline_tags)
signed_statuses = choices(_signed_statuses)
signatory_statuses = choices(_signatory_statuses)
subjects = records("org", "country", "body", "person", "document")
