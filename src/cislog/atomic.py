"""Writing files whole or not at all, and only where cislog may write.

Every file cislog writes (data files, exports, the schema) is built in a
temporary file beside its target, synced, and renamed over it, so that a
crash or a full disk leaves the old file or the new one, never half of
either. The replaced file keeps its permissions and owner.

Data files get a stricter boundary than exports (:func:`data_file_target`):
a dataset may come from anyone, so cislog writes only regular files inside
the dataset's directory, never through a link that leads outside it or to
nothing, never into a pipe or device, and never over a file its permissions
say is not to be written. An export goes where the user named, which may be
a device or pipe (``/dev/stdout``, a FIFO): that is written into, not replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cislog.datafiles import describe
from cislog.errors import CislogError

# ".events.toml.1f2e3d4c.tmp": the name of a temporary file, so that one a killed
# writer left behind can be told apart from anything a person put there.
TEMPORARY_NAME = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{8}\.tmp")


class UnsafeTarget(CislogError):
    """A file cislog will not write; nothing was written."""


def _check_may_write(
    path: Path, status: os.stat_result, advice: str, shown: Path | None = None
) -> None:
    """Refuse a file whose permissions say it is not to be written: root passes
    ``os.access`` everywhere, yet a file made read-only (``chmod 444``) says it is
    not to be changed, whoever runs cislog."""
    if not (status.st_mode & 0o222 and os.access(path, os.W_OK)):
        raise UnsafeTarget(f"{path} is read-only (mode {stat.S_IMODE(status.st_mode):o}); {advice}")


def _dangling(path: Path, ending: str = "") -> UnsafeTarget:
    """The refusal of a link to nothing, which a write would create a file through."""
    return UnsafeTarget(
        f"{path} is a symbolic link to {path.readlink()}, which does not exist; "
        f"cislog does not create files through a link{ending}"
    )


@dataclass(frozen=True)
class Target:
    """A file to write: where its bytes go, and the file it replaces (if any)."""

    path: Path
    replaces: os.stat_result | None


def data_file_target(directory: Path, name: str) -> Target:
    """Where data file ``name`` of ``directory`` may be written, or a refusal saying why.

    A symbolic link is followed only to a regular file inside the dataset's
    directory (or a directory below it), and the link is kept.
    """
    path = directory / name
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return Target(path, None)
    except OSError as error:
        raise UnsafeTarget(f"{path}: cannot write: {error.strerror}; nothing was written") from None
    if stat.S_ISLNK(status.st_mode):
        resolved = Path(os.path.realpath(path))
        inside = resolved.is_relative_to(Path(os.path.realpath(directory)))
        if not resolved.exists():
            raise _dangling(path, "; nothing was written")
        if not inside:
            raise UnsafeTarget(
                f"{path} is a symbolic link to {resolved}, outside the dataset's directory; "
                "cislog writes only inside the dataset; nothing was written"
            )
        path, status = resolved, resolved.stat()
    if not stat.S_ISREG(status.st_mode):
        raise UnsafeTarget(
            f"{path} is {describe(status.st_mode)}, not a data file; nothing was written"
        )
    _check_may_write(path, status, "make it writable to change it (chmod u+w); nothing was written")
    return Target(path, status)


def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new, empty file beside ``target``, created by this process alone.

    Its mode comes from the system's umask (the mode ``0o666`` asks for, as any
    new file gets), without reading or changing the umask of the process.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    while True:
        temporary = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue


def _settle(handle: int, replaces: os.stat_result | None, target: Path) -> None:
    """Give a filled temporary file the replaced file's mode and owner, and sync it."""
    if replaces is not None:
        os.fchmod(handle, stat.S_IMODE(replaces.st_mode))
        if (replaces.st_uid, replaces.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.fchown(handle, replaces.st_uid, replaces.st_gid)
            except PermissionError:
                raise UnsafeTarget(
                    f"{target} belongs to another user, and replacing it would make it "
                    "yours; nothing was written"
                ) from None
    os.fsync(handle)


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def replace_all(files: Sequence[tuple[Target, bytes]]) -> None:
    """Write every file, or none: all temporary files are written and synced before
    the first rename, so a full disk or a refusal changes nothing."""
    prepared: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            handle, temporary = _create_temporary(target.path)
            prepared.append((temporary, target.path))
            try:
                with open(handle, "wb", closefd=False) as stream:
                    stream.write(data)
                _settle(handle, target.replaces, target.path)
            finally:
                os.close(handle)
        for temporary, path in prepared:
            temporary.replace(path)
    except OSError as error:
        where = next((path for _, path in prepared[-1:]), files[0][0].path if files else "")
        raise UnsafeTarget(f"cannot write {where}: {error.strerror}; nothing was written") from None
    finally:
        for temporary, _ in prepared:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
    for directory in {path.parent for _, path in prepared}:
        _sync_directory(directory)


def leftover_temporaries(directory: Path) -> list[Path]:
    """Temporary files a killed writer left in ``directory`` (regular files only)."""
    found = []
    with contextlib.suppress(OSError), os.scandir(directory) as entries:
        for entry in entries:
            if TEMPORARY_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
    return sorted(found)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file to fill; when the block succeeds it takes ``path``'s place.

    For exports and the schema, which go where the user named: through a
    symbolic link, the link's target is replaced; a device or pipe gets the
    temporary file's bytes written into it; a regular file keeps its mode and
    owner, and one made read-only is refused.
    """
    try:
        status: os.stat_result | None = path.stat()
    except FileNotFoundError:
        status = None
        if path.is_symlink():
            raise _dangling(path) from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if status is not None and not stat.S_ISREG(status.st_mode):
        handle, name = tempfile.mkstemp(prefix="cislog-", suffix=".tmp")
        os.close(handle)
        try:
            yield Path(name)
            with Path(name).open("rb") as source, path.open("wb") as sink:
                shutil.copyfileobj(source, sink)
        finally:
            Path(name).unlink(missing_ok=True)
        return
    target = Path(os.path.realpath(path))
    if status is not None:
        _check_may_write(
            target, status, "make it writable to replace it, or write elsewhere", shown=path
        )
    handle, temporary = _create_temporary(target)
    os.close(handle)
    try:
        yield temporary
        descriptor = os.open(temporary, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        try:
            _settle(descriptor, status, target)
        finally:
            os.close(descriptor)
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    _sync_directory(target.parent)


def atomic_write(path: Path, text: str | bytes) -> None:
    """Replace ``path`` with ``text`` (UTF-8), whole or not at all (see :func:`replacing`)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    with replacing(path) as temporary:
        temporary.write_bytes(data)
