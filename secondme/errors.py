"""One base for the errors a user can meet, and how every front end says them.

Each error knows its exit code: 1 the operation could not complete (a damaged or busy store, a
full disk, a model that fails), 2 bad usage or a store that cannot be unlocked or a model that
cannot run on this CPU. "Nothing found" is not an error: the CLI exits 3 for it (documented in the
README), so that a script can tell an empty answer from a failure. ``describe`` turns any
exception into one line and a code: the CLI prints it, the MCP server returns it as a tool error,
the TUI shows it in a dialog.
"""

from __future__ import annotations

import errno
import re

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOTHING_FOUND = 3
EXIT_INTERRUPTED = 130


class SecondmeError(Exception):
    """An error with a one-line message meant for the user, and the exit code it maps to."""

    code = EXIT_FAILED

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code


class UsageError(SecondmeError):
    """The input cannot work (a bad option, a foreign file, a wrong passphrase)."""

    code = EXIT_USAGE


def describe(exc: BaseException) -> tuple[str, int]:
    """One line for the user and the exit code, for any exception."""
    import apsw

    if isinstance(exc, SecondmeError):
        return str(exc), exc.code
    if isinstance(exc, apsw.FullError) or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) \
            or (isinstance(exc, apsw.IOError) and _disk_full()):
        return "the disk is full: nothing was changed", EXIT_FAILED
    if isinstance(exc, apsw.BusyError):
        return "the store is busy (another secondme is writing) and stayed busy: nothing was changed; try again", EXIT_FAILED
    if any(isinstance(cause, (apsw.CorruptError, apsw.NotADBError)) or _damage_seen_late(cause) for cause in _chain(exc)):
        return "the store is damaged (a page of the file fails its check): `secondme doctor --repair` moves what can still be read into a new store", EXIT_FAILED
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), EXIT_FAILED
    return f"{type(exc).__name__}: {exc}", EXIT_FAILED


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it was raised while handling: a transaction that meets a damaged page is
    rolled back by SQLite itself, and APSW's context manager then fails on the savepoint it lost
    ("no such savepoint: _apsw-0"), with the damage as that error's context."""
    chain: list[BaseException] = []
    while exc is not None and exc not in chain and len(chain) < 8:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    return chain


def _damage_seen_late(exc: BaseException) -> bool:
    """Damage met where SQLite reports it as another error: sqlite-vec reading a vector chunk
    ("vectors blob read error for 1", "Could not fetch vector data for 10, reading from blob
    failed", "could not open vectors blob for chunk 1"), or a transaction whose commit failed on
    a damaged page ("... malformed")."""
    import apsw

    return isinstance(exc, apsw.SQLError) and _DAMAGE_SIGNS.search(str(exc)) is not None


# sqlite-vec names the blob or chunk it could not read ("chunks iter error", "vectors blob size
# doesn't match ..."); no statement of ours fails with those words otherwise.
_DAMAGE_SIGNS = re.compile(r"malformed|\bblob\b|\bchunks?\b.*\berror\b|internal sqlite-vec error", re.I)


def _disk_full() -> bool:
    """SQLite says only "disk I/O error" when some file systems (tmpfs) run out of room."""
    import shutil

    from secondme.config import paths

    try:
        return shutil.disk_usage(paths().data_dir).free < 2**20
    except OSError:
        return False
