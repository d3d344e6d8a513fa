"""Which entries of a dataset directory are its data files, and which are skipped, and why.

Every reader (loading, the cache, the writer) lists a dataset through this one
function, so that all of them agree on what the dataset is. An entry named
``*.toml`` that is not a regular file (a directory, a pipe, a link to nothing
or a link loop) is never opened, since opening a pipe would wait forever, and
it is named in ``skipped`` so that the user learns why it was not read.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

SUFFIX = ".toml"
_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


def describe(mode: int) -> str:
    """What a file of this mode is, in words, for a note or a refusal."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


@dataclass(slots=True)
class DataFiles:
    """The data files of a directory, by name, and the entries left out with the reason."""

    files: dict[str, Path] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def notes(self, directory: Path) -> list[str]:
        """One line per skipped entry, for stderr."""
        return [
            f"skipped {directory / name}: {reason}, not a data file"
            for name, reason in sorted(self.skipped.items())
        ]


def scan(directory: Path) -> DataFiles:
    """The ``*.toml`` entries of ``directory`` (not below it), sorted by name."""
    found = DataFiles()
    try:
        with os.scandir(directory) as entries:
            named = sorted((e.name, Path(e.path)) for e in entries if e.name.endswith(SUFFIX))
    except OSError:
        return found  # the loader reports a directory it cannot list
    for name, path in named:
        try:
            status = path.stat()
        except FileNotFoundError:
            found.skipped[name] = "a symbolic link to nothing"
            continue
        except OSError as error:
            found.skipped[name] = (
                "a symbolic link loop"
                if error.errno == errno.ELOOP
                else error.strerror or "unreadable"
            )
            continue
        if stat.S_ISREG(status.st_mode):
            found.files[name] = path
        else:
            found.skipped[name] = describe(status.st_mode)
    return found
