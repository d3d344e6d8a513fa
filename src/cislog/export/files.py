"""Where an export goes: stdout, one file, or a directory of CSV files.

Every file is written whole or not at all (see :mod:`cislog.atomic`), and
nothing is ever written in the dataset's own directory: not over a data file,
not as a new ``*.toml`` file the loader would read as data, not over the
schema its data files point to.
"""

from __future__ import annotations

from pathlib import Path

from cislog.export import FORMATS, Export, ExportError, Format


def render(export: Export, fmt: str) -> str:
    """A text format's whole output; CSV gives the timeline as one table."""
    chosen = _format(fmt)
    if chosen.binary:
        raise ExportError(f"'{fmt}' is not a text format: give --out FILE")
    return chosen.renderer()(export)


def _format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ExportError(f"'{name}' is not an export format") from None


def csv_to_directory(out: Path) -> bool:
    """Whether ``--out`` names a directory of CSV files rather than one CSV file: it is a
    directory, ends with a slash, or does not end in ``.csv``."""
    return out.is_dir() or str(out).endswith(("/", "\\")) or out.suffix.lower() != ".csv"


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # a loop of symbolic links
        raise ExportError(f"{path} is a loop of symbolic links; give another name") from None


def check_target(dataset_directory: Path, target: Path) -> None:
    """Refuse a target in the dataset's directory (or below it): a data file, a file
    the loader would read as one, or a file the data files point to (the schema)."""
    check_outside(dataset_directory, target)
    if target.is_dir():
        raise ExportError(f"{target} is a directory; give a file name")
    if not target.parent.is_dir():
        raise ExportError(f"{target.parent} is not a directory")


def check_outside(dataset_directory: Path, target: Path) -> None:
    """Refuse a target (file or directory) in or below the dataset's directory, or a
    data file reached through a link."""
    from cislog.datafiles import scan

    data = _resolved(dataset_directory)
    resolved = _resolved(target)
    if resolved == data:
        raise ExportError(f"{target} is the dataset's own directory; export somewhere else")
    if resolved.is_relative_to(data):
        raise ExportError(
            f"{target} is in the dataset's own directory, which export never writes to; "
            "export somewhere else"
        )
    # A data file may be a link to a file elsewhere: that file is the data file too.
    if resolved in {_resolved(path) for path in scan(dataset_directory).files.values()}:
        raise ExportError(
            f"{target} is a data file of the dataset (through a link); export somewhere else"
        )


def write(export: Export, fmt: str, out: Path) -> list[Path]:
    """Write the export to ``out`` (a file, or for CSV maybe a directory); the files
    written, in order. A system refusal (permissions, a full disk) is an ExportError."""
    try:
        return _write(export, fmt, out)
    except OSError as error:
        # The user's path, not the temporary file beside it that the system refused.
        raise ExportError(f"cannot write {out}: {error.strerror or error}") from None


def _write(export: Export, fmt: str, out: Path) -> list[Path]:
    from cislog.atomic import atomic_write

    directory = export.dataset.directory
    if fmt == "csv" and csv_to_directory(out):
        if out.exists() and not out.is_dir():
            raise ExportError(f"{out} is a file; give a directory or a name ending in .csv")
        # Checked before the directory is made, so that nothing appears in the dataset.
        check_outside(directory, out)
        from cislog.export.csvfmt import render_tables

        tables = render_tables(export)
        out.mkdir(parents=True, exist_ok=True)
        for name in tables:
            check_target(directory, out / name)
        written = []
        for name, text in tables.items():
            atomic_write(out / name, text)
            written.append(out / name)
        return written
    check_target(directory, out)
    chosen = _format(fmt)
    if chosen.binary:
        chosen.writer()(export, out)
    else:
        atomic_write(out, chosen.renderer()(export))
    return [out]
