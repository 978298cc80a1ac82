"""The ``secondme`` command (and ``python -m secondme``).

Every command turns a Ctrl-C into one line and exit code 130 (cli/output.py). Two moments lie
outside any command: loading the command line (about 0.1 s of typer, rich and the command
modules) and the interpreter's shutdown after the command has finished. A Ctrl-C in either
printed a traceback; here the first ends with a line and the second just ends the process.
"""

from __future__ import annotations

import os
import signal
import sys

from secondme.errors import EXIT_INTERRUPTED


def main() -> None:
    try:
        from secondme.cli import main as run

        run()
    except KeyboardInterrupt:
        print("interrupted before anything was done", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    finally:
        signal.signal(signal.SIGINT, _end_now)


def _end_now(_signal: int, _frame: object) -> None:
    """The command is over and its output written: a Ctrl-C now only cuts the shutdown short."""
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
