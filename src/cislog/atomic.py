"""Writing a file whole or not at all, wherever its path leads.

Every file cislog writes (data files, exports, the schema) is built in a
temporary file and renamed over its target, so that a crash or a full disk
leaves the old file or the new one, never half of either. Two kinds of path
need more care than a rename: a symbolic link, whose target is replaced and
the link kept, and a device or pipe (``/dev/null``, ``/dev/stdout``, a FIFO),
which is written into, never replaced by a plain file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file to fill; when the block succeeds it takes ``path``'s place.

    A regular file (or a new one) is replaced by a rename, keeping its
    permissions; through a symbolic link, the link's target is. A device or
    pipe gets the temporary file's bytes written into it.
    """
    special = path.exists() and not path.is_file() and not path.is_dir()
    target = path if special else Path(os.path.realpath(path))
    directory = Path(tempfile.gettempdir()) if special else target.parent
    handle, name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        if special:
            with temporary.open("rb") as source, path.open("wb") as sink:
                shutil.copyfileobj(source, sink)
            return
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        if target.exists():
            temporary.chmod(stat.S_IMODE(target.stat().st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            temporary.chmod(0o666 & ~umask)
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        descriptor = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def atomic_write(path: Path, text: str | bytes) -> None:
    """Replace ``path`` with ``text`` (UTF-8), whole or not at all (see :func:`replacing`)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    with replacing(path) as temporary:
        temporary.write_bytes(data)
