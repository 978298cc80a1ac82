"""The ``secondme`` command line, one module per command group (memories, transfer, the life
cycle, talking, models) and one for what they share (output.py). Every command is thin: it
parses, makes one call into ``Memories`` (or the Assistant, or the model registry), prints.

Exit codes: 0 ok, 1 the operation could not complete, 2 bad usage, a store that cannot be
unlocked or a model that cannot run on this CPU, 3 nothing found (no such memory, no memories
yet), 130 interrupted. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

# Each module registers its commands, in the order `secondme --help` lists them.
from secondme.cli import memories  # noqa: F401, I001
from secondme.cli import transfer  # noqa: F401
from secondme.cli import lifecycle  # noqa: F401
from secondme.cli import talk  # noqa: F401
from secondme.cli import models  # noqa: F401
from secondme.cli.output import app

__all__ = ["app", "main"]


def main() -> None:
    app()
