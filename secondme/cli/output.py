"""What every command shares: the Typer app, errors as one line and an exit code, the console,
JSON out, opening the store (asking for the passphrase at a terminal), and reading arguments."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from secondme.errors import EXIT_INTERRUPTED, EXIT_NOTHING_FOUND, SecondmeError, UsageError, describe

if TYPE_CHECKING:
    from secondme.memory.service import Memories

app = typer.Typer(
    name="secondme",
    help="A private second me in the terminal: a local model that remembers, in one encrypted file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        print(f"secondme {version('secondme')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    pass

EXPORT_PASSPHRASE_ENV = "SECONDME_EXPORT_PASSPHRASE"
NEW_PASSPHRASE_ENV = "SECONDME_NEW_PASSPHRASE"


def console(stderr: bool = False):
    from rich.console import Console

    # Messages on stderr are never wrapped: an error stays one line, whatever the terminal width.
    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def say(message: str) -> None:
    """A message on stderr, in rich markup: what it quotes of the user's (a memory, a path, a
    name) goes through ``plain`` first, or "[/]" in a note would end the command in a traceback."""
    console(stderr=True).print(message)


def plain(text: object) -> str:
    """User text made safe to print inside rich markup."""
    from rich.markup import escape

    return escape(str(text))


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def nothing_found(message: str = "Nothing found.", quiet: bool = False) -> None:
    """End a search that found nothing: a distinct exit code, so that a script can tell."""
    if not quiet:
        say(message)
    raise typer.Exit(EXIT_NOTHING_FOUND)


def command(*args, on: typer.Typer | None = None, **kwargs):
    """Register a command whose errors become one line and an exit code (errors.py)."""

    def register(function):
        @functools.wraps(function)
        def guarded(*call_args, **call_kwargs):
            try:
                check_arguments(call_kwargs)
                return function(*call_args, **call_kwargs)
            except typer.Exit:
                raise
            except typer.Abort:  # Ctrl-C or Ctrl-D at a prompt (review, erase): click's "Aborted!", exit 1
                console(stderr=True).print("interrupted: nothing more was changed")
                raise typer.Exit(EXIT_INTERRUPTED) from None
            except Exception as exc:  # noqa: BLE001 - every error becomes one line
                message, code = describe(exc)
                console(stderr=True).print(f"[red]error:[/] {plain(message)}", markup=True, highlight=False)
                raise typer.Exit(code) from None
            except KeyboardInterrupt:
                console(stderr=True).print("interrupted: what was finished is kept, and nothing was half-written")
                raise typer.Exit(EXIT_INTERRUPTED) from None

        return (on or app).command(*args, **kwargs)(guarded)

    return register


def check_arguments(arguments: dict) -> None:
    """Refuse what the shell can pass but nothing downstream can keep: bytes that are not UTF-8
    (Python holds them as lone surrogates, which fail later on encoding) and whole numbers beyond
    what SQLite stores (an id of 10**20)."""
    from secondme.memory.types import is_unicode

    for name, value in arguments.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str) and not is_unicode(item):
                raise UsageError(f"{name.replace('_', ' ')}: not UTF-8 text")
            if isinstance(item, int) and not isinstance(item, bool) and not -(2**63) <= item < 2**63:
                raise UsageError(f"{name.replace('_', ' ')}: {item} is out of range")


def open_memories(create: bool = True) -> Memories:
    """Unlock the store, asking for the passphrase at a terminal when one is needed."""
    from secondme.memory.keys import PassphraseRequired, UnlockError
    from secondme.memory.service import Memories

    try:
        return Memories.open(create=create)
    except PassphraseRequired:
        if not sys.stdin.isatty():
            raise UsageError("this store is protected by a passphrase: set SECONDME_PASSPHRASE or run in a terminal") from None
    for attempt in range(3):
        passphrase = typer.prompt("Passphrase", hide_input=True, err=True)
        try:
            return Memories.open(passphrase=passphrase, create=create)
        except UnlockError as exc:
            if attempt == 2:
                raise
            say(f"{plain(exc)}; try again")
    raise AssertionError("unreachable")


def embed_notice(memories: Memories) -> None:
    """Say so when the embedder has to be prepared first (once, after an install)."""
    memories.embed_progress = lambda message: say(f"[dim]{plain(message)}[/]")


def parse_when(text: str, option: str) -> float:
    from secondme.times import parse_when as parse

    try:
        return parse(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def read_text_argument(text: str, what: str) -> str:
    """The argument itself, or stdin for '-' (text only); ``what`` it is names it in the error
    when there is nothing in it (an empty question would still have run the model)."""
    if text == "-":
        data = sys.stdin.buffer.read()
        if b"\x00" in data:
            raise UsageError("stdin holds binary data, not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError("stdin is not UTF-8 text") from None
    if not text.strip():
        raise UsageError(f"the {what} is empty")
    return text


def ask_new_passphrase(env: str, what: str) -> str:
    passphrase = _passphrase_from(env)
    if passphrase is None:
        if not sys.stdin.isatty():
            raise UsageError(f"{what} needs a passphrase: set {env} or run in a terminal")
        passphrase = typer.prompt(f"Passphrase for {what}", hide_input=True, confirmation_prompt=True, err=True)
    if len(passphrase) < 8:
        raise UsageError("choose a passphrase of at least 8 characters")
    return passphrase


def ask_existing_passphrase(env: str, what: str) -> str:
    passphrase = _passphrase_from(env)
    if passphrase is None:
        if not sys.stdin.isatty():
            raise UsageError(f"{what} is encrypted: set {env} or run in a terminal")
        passphrase = typer.prompt(f"Passphrase for {what}", hide_input=True, err=True)
    return passphrase


def _passphrase_from(env: str) -> str | None:
    """The variable's passphrase; refused if its bytes are not UTF-8 (the store's own passphrase
    is checked where it unlocks the key, keys.unlock)."""
    from secondme.memory.types import is_unicode

    passphrase = os.environ.get(env)
    if passphrase is not None and not is_unicode(passphrase):
        raise UsageError(f"{env} is not UTF-8 text")
    return passphrase


def progress_bar(total: int | None, description: str, hidden: bool) -> tuple[object, Callable[[int], None]]:
    """A rich progress bar on stderr (and the function that advances it); hidden for --json."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=console(stderr=True), transient=True, disable=hidden)
    task = bar.add_task(description, total=total)
    return bar, lambda count: bar.advance(task, count)


def fail(message: str) -> SecondmeError:
    """An error the command could not get past (exit 1)."""
    return SecondmeError(message)


def not_found(message: str) -> SecondmeError:
    """What was asked for does not exist (exit 3, as an empty recall)."""
    return SecondmeError(message, EXIT_NOTHING_FOUND)
