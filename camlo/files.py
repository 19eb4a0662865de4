"""Writing files so that nothing is lost: atomic replacement and an advisory lock.

A file camlo writes is never rewritten in place. :func:`write_atomic` writes the new bytes to a
temporary file in the target's folder, flushes them to disk (``fsync``) and renames the
temporary file over the target (``os.replace``, atomic on POSIX file systems): a write cut short
(a full disk, a killed process, an exception) leaves the old file as it was, and a reader sees
the old bytes or the new ones, never a mix. :func:`replace_together` does the same for a data
file and its sidecar: if the second rename fails, the first is undone. :func:`locked` serialises
the processes that read, check and rewrite the same file (``fcntl.flock`` on a hidden lock file
beside it), so that two ``record`` runs cannot both read the old sidecar and each write their
own version of it.

This module sits below every other: it imports only the standard library, and raises
``OSError`` (the callers say which file and what to do, as a ``DataError``).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

#: How long :func:`locked` waits for another process to release a file before it gives up
#: (seconds): a ``record`` takes well under a second, so a longer wait means a process hangs.
LOCK_TIMEOUT = 60.0
LOCK_SUFFIX = ".lock"


def lock_path(path: str | Path) -> Path:
    """The hidden lock file beside ``path`` (``.<name>.lock``).

    Examples:
        >>> lock_path("data/raw/observed_reviews.csv.provenance.json").name
        '.observed_reviews.csv.provenance.json.lock'
    """
    path = Path(path)
    return path.with_name(f".{path.name}{LOCK_SUFFIX}")


def check_writable(path: str | Path) -> None:
    """Refuse to replace a file that is read-only (for everyone, or for this user).

    A rename would replace it regardless of its mode (the folder is what counts), and a
    process running as root may write any file: a file without a write bit is taken as a
    deliberate "do not change", whoever runs.

    Raises:
        PermissionError: naming the file.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename) to disk, where the platform allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _write_temporary(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path`` (flushed to disk); return its path.

    The temporary file takes the mode of the file it will replace (or the usual mode for a new
    file). On any failure it is removed and the error raised.
    """
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_atomic(path: str | Path, data: bytes) -> None:
    """Replace the file ``path`` with ``data``, all at once: the old bytes or the new, never a mix.

    The folder must exist (it is never created here). A read-only target is refused
    (:func:`check_writable`).

    Raises:
        OSError: from the file system (the folder missing, a full disk, …); the target is then
            as it was, and no temporary file is left behind.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     target = Path(folder) / "a.json"
        ...     write_atomic(target, b"{}")
        ...     write_atomic(target, b'{"b": 1}')
        ...     target.read_bytes(), sorted(p.name for p in Path(folder).iterdir())
        (b'{"b": 1}', ['a.json'])
    """
    path = Path(path)
    check_writable(path)
    temporary = _write_temporary(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def replace_together(files: dict[Path, bytes]) -> None:
    """Replace several files in one folder (a data file and its sidecar), as one change.

    Every new file is written and flushed first; then each is renamed over its target in
    order. If a rename fails, the targets already replaced get their old bytes back (kept as
    hard links until the end), so that an exception leaves the old files or the new ones,
    never the new data file with the old sidecar. (A power cut between two renames can still
    leave a mix, which the sidecar's sha256 then shows.)

    Raises:
        OSError: from the file system; the targets are then as they were.
    """
    paths = [Path(p) for p in files]
    for path in paths:
        check_writable(path)
    staged: dict[Path, Path] = {}
    backups: dict[Path, Path | None] = {}
    try:
        for path in paths:
            staged[path] = _write_temporary(path, files[path])
        for path in paths:
            backup = None
            if path.exists():
                backup = path.with_name(f".{path.name}.{os.getpid()}.old")
                backup.unlink(missing_ok=True)
                os.link(path, backup)
            backups[path] = backup
            os.replace(staged[path], path)
            del staged[path]
    except BaseException:
        for path, backup in backups.items():
            with contextlib.suppress(OSError):
                if backup is None:
                    path.unlink(missing_ok=True)
                else:
                    os.replace(backup, path)
        raise
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
        for backup in backups.values():
            if backup is not None:
                backup.unlink(missing_ok=True)
    _fsync_folder(paths[0].parent)


@contextlib.contextmanager
def locked(path: str | Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (on its lock file, :func:`lock_path`).

    Processes that lock the same path run their ``with`` blocks one after the other. The lock
    file is left in place (removing it would let a third process lock a file the second no
    longer sees); it is hidden, and empty.

    Raises:
        TimeoutError: if another process holds the lock for more than ``timeout`` seconds.
        OSError: if the lock file cannot be created (a read-only folder).
    """
    handle = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(errno.ETIMEDOUT, f"another process has held the lock for over "
                                       f"{timeout:g} s", str(path)) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
