"""Writing private files safely: owner-only permissions, atomic replace, fsync."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_private_file(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` atomically; the file is readable by its owner only.

    A crash or a full disk leaves either the old file or the new one, never a torn mix.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
