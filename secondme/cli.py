"""The ``secondme`` command line. Every command is thin: it parses, calls into the packages, prints.

Exit codes: 0 ok, 1 nothing found or the operation failed, 2 bad usage, the store cannot be
unlocked, or the model cannot run on this CPU, 130 interrupted. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

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

EXPORT_PASSPHRASE_ENV = "SECONDME_EXPORT_PASSPHRASE"
NEW_PASSPHRASE_ENV = "SECONDME_NEW_PASSPHRASE"


class Failure(Exception):
    """Stop the command with a one-line message and an exit code."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _console(stderr: bool = False):
    from rich.console import Console

    # Messages on stderr are never wrapped: an error stays one line, whatever the terminal width.
    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def say(message: str) -> None:
    _console(stderr=True).print(message)


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def command(*args, on: typer.Typer | None = None, **kwargs):
    """Register a command whose errors become one line and an exit code."""

    def register(function):
        @functools.wraps(function)
        def guarded(*call_args, **call_kwargs):
            try:
                return function(*call_args, **call_kwargs)
            except (typer.Exit, typer.Abort):
                raise
            except Exception as exc:  # noqa: BLE001 - every error becomes one line
                message, code = describe_error(exc)
                _console(stderr=True).print(f"[red]error:[/] {message}", markup=True, highlight=False)
                raise typer.Exit(code) from None
            except KeyboardInterrupt:
                _console(stderr=True).print("interrupted: nothing was half-written")
                raise typer.Exit(130) from None

        return (on or app).command(*args, **kwargs)(guarded)

    return register


def describe_error(exc: Exception) -> tuple[str, int]:
    import apsw

    from secondme.config import SettingsError
    from secondme.memory.embed import EmbedderError
    from secondme.memory.keys import UnlockError
    from secondme.memory.store import CannotUnlock, ContentError, StoreError
    from secondme.memory.transfer import TransferError
    from secondme.model.ggufinfo import ModelFileError
    from secondme.model.llm import ModelCannotRun, ModelError

    if isinstance(exc, Failure):
        return str(exc), exc.code
    if isinstance(exc, (UnlockError, CannotUnlock, ContentError, SettingsError, ModelCannotRun)):
        return str(exc), 2
    if isinstance(exc, (StoreError, TransferError, EmbedderError, ModelFileError, ModelError)):
        return str(exc), 1
    if isinstance(exc, apsw.FullError) or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
        return "the disk is full: nothing was changed", 1
    if isinstance(exc, apsw.BusyError):
        return "the store is busy (another secondme is writing); try again", 1
    if isinstance(exc, (apsw.CorruptError, apsw.NotADBError)):
        return f"the store is damaged: {exc}; run `secondme doctor`", 1
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), 1
    return f"{type(exc).__name__}: {exc}", 1


# -- opening the store ---------------------------------------------------------------------------


def open_memories(create: bool = True) -> Memories:
    """Unlock the store, asking for the passphrase at a terminal when one is needed."""
    from secondme.memory.keys import PassphraseRequired, UnlockError
    from secondme.memory.service import Memories

    try:
        return Memories.open(create=create)
    except PassphraseRequired:
        if not sys.stdin.isatty():
            raise Failure("this store is protected by a passphrase: set SECONDME_PASSPHRASE or run in a terminal", 2) from None
    for attempt in range(3):
        passphrase = typer.prompt("Passphrase", hide_input=True, err=True)
        try:
            return Memories.open(passphrase=passphrase, create=create)
        except UnlockError as exc:
            if attempt == 2:
                raise
            say(f"{exc}; try again")
    raise AssertionError("unreachable")


def _embed_notice(memories: Memories) -> None:
    memories.embed_progress = lambda message: say(f"[dim]{message}[/]")


# -- parsing helpers -----------------------------------------------------------------------------


def parse_when(text: str, option: str) -> float:
    from secondme.times import parse_when as parse

    try:
        return parse(text)
    except ValueError as exc:
        raise Failure(f"{option}: {exc}", 2) from None


def read_text_argument(text: str) -> str:
    if text != "-":
        return text
    data = sys.stdin.buffer.read()
    if b"\x00" in data:
        raise Failure("stdin holds binary data, not text", 2)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Failure("stdin is not UTF-8 text", 2) from None


class Kind(str, Enum):
    episodic = "episodic"
    fact = "fact"
    preference = "preference"
    profile = "profile"
    summary = "summary"
    note = "note"


class Status(str, Enum):
    active = "active"
    archived = "archived"
    quarantined = "quarantined"
    superseded = "superseded"
    forgotten = "forgotten"


class Source(str, Enum):
    user = "user"
    chat_user = "chat_user"
    assistant = "assistant"
    imported = "import"
    tool = "tool"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    markdown = "markdown"


def memory_json(memory, extra: dict | None = None) -> dict:
    from secondme.times import iso

    data = memory.to_dict()
    for name in ("created_at", "updated_at", "event_time", "valid_from", "valid_to", "last_recalled_at"):
        data[name] = iso(data[name])
    data["trust"] = round(memory.trust, 4)
    return {**data, **(extra or {})}


# -- commands: memories --------------------------------------------------------------------------


@command()
def remember(
    text: Annotated[str, typer.Argument(help="What to remember; '-' reads stdin.")],
    kind: Annotated[Kind, typer.Option("--kind", help="What sort of memory this is.")] = Kind.note,
    pin: Annotated[bool, typer.Option("--pin", help="Never let it fade.")] = False,
    private: Annotated[bool, typer.Option("--private", help="Sensitive: only where a request is about it.")] = False,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", help="A tag (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored memory as JSON.")] = False,
) -> None:
    """Remember something you type."""
    from secondme.memory.store import NewMemory

    item = NewMemory(read_text_argument(text), kind=kind.value, source="user", pinned=pin, tags=tag or [],
                     sensitivity="private" if private else "normal")
    with open_memories() as memories:
        _embed_notice(memories)
        result = memories.remember([item])
        absorb(memories, result.ids)
        memory = memories.get(result.ids[0])
        if pin and not memory.pinned:
            memories.store.set_pinned(memory.id, True)
            memory = memories.get(memory.id)
    if as_json:
        print_json(memory_json(memory, {"duplicate": bool(result.duplicates)}))
    elif result.duplicates:
        say(f"Already remembered as #{memory.id}.")
    elif memory.status == "quarantined":
        say(f"Remembered #{memory.id}, but quarantined ({', '.join(memory.provenance.get('quarantine', []))}): see `secondme review`.")
    else:
        say(f"Remembered #{memory.id}.")


def absorb(memories: Memories, ids: list[int]) -> None:
    """New facts supersede older values at once; the rest of consolidation waits for `sleep`."""
    from secondme.memory import consolidate

    consolidate.absorb(memories, ids, duplicates=False)


@command()
def recall(
    query: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    k: Annotated[int, typer.Option("-k", "--top", min=1, max=1000, help="How many memories.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print hits as JSON.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Say why each memory matched.")] = False,
    kind: Annotated[Optional[list[Kind]], typer.Option("--kind", help="Only this kind (repeatable).")] = None,
    source: Annotated[Optional[list[Source]], typer.Option("--source", help="Only this source (repeatable).")] = None,
    status: Annotated[Optional[list[Status]], typer.Option("--status", help="Statuses to search (default: active).")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only from this date or age (e.g. 2024-05-01, 30d).")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Only before this date or age.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="What was true at that date (superseded and archived memories included).")] = None,
) -> None:
    """Answer from memory: the memories that best match QUERY, by meaning and by words."""
    from secondme.memory.store import AS_OF_STATUSES, Filters

    filters = Filters(
        kinds=frozenset(k.value for k in kind or []),
        sources=frozenset(s.value for s in source or []),
        statuses=frozenset(s.value for s in status) if status else (AS_OF_STATUSES if as_of else frozenset({"active"})),
        since=parse_when(since, "--since") if since else None,
        until=parse_when(until, "--until") if until else None,
        as_of=parse_when(as_of, "--as-of") if as_of else None,
    )
    with open_memories(create=False) as memories:
        _embed_notice(memories)
        memories.embedder  # starts loading the model in the background
        render = print_hits_json if as_json else hits_renderer(explain)  # imports overlap the load
        hits, held = memories.gate(query, memories.recall(query, k=k, filters=filters), to_model=False)
        # Spacing effect; skipped (not waited for) if another process is writing right now.
        memories.reinforce([hit.memory.id for hit in hits], wait=False)
    render(hits)
    if held and not as_json:
        say(f"[dim]{len(held)} sensitive {'memory' if len(held) == 1 else 'memories'} held back: the query is not about {'it' if len(held) == 1 else 'them'}.[/]")
    if not hits:
        if not as_json:
            say("Nothing found.")
        raise typer.Exit(1)


def print_hits_json(hits) -> None:
    from secondme.times import iso

    print_json([{**hit.to_dict(), "created_at": iso(hit.memory.created_at), "event_time": iso(hit.memory.event_time)} for hit in hits])


def hits_renderer(explain: bool):
    from rich.table import Table

    from secondme import times

    def render(hits) -> None:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column("id", justify="right", style="cyan", no_wrap=True)
        table.add_column("score", justify="right", no_wrap=True)
        table.add_column("memory", overflow="fold")
        table.add_column("kind", style="dim", no_wrap=True)
        table.add_column("when", style="dim", no_wrap=True)
        if explain:
            table.add_column("why", style="dim", overflow="fold")
        for hit in hits:
            memory = hit.memory
            row = [f"#{memory.id}", f"{hit.score:.2f}", memory.content, memory.kind, times.local(memory.event_time or memory.created_at)]
            if explain:
                row.append(hit.explain())
            table.add_row(*row)
        if hits:
            _console().print(table)

    return render


@command()
def show(
    memory_id: Annotated[int, typer.Argument(metavar="ID", help="A memory id, as printed by recall.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show one memory with its provenance, versions and links."""
    with open_memories(create=False) as memories:
        memory = memories.get(memory_id)
        if memory is None:
            raise Failure(f"no memory #{memory_id}", 1)
        versions, links = memories.store.versions(memory_id), memories.store.links(memory_id)
    if as_json:
        print_json(memory_json(memory, {"versions": versions, "links": links}))
        return
    from rich.table import Table

    from secondme import times

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("memory", f"#{memory.id}")
    table.add_row("content", memory.content)
    table.add_row("kind", memory.kind)
    table.add_row("status", memory.status + (f" (by #{memory.superseded_by})" if memory.superseded_by else ""))
    table.add_row("source", memory.source)
    table.add_row("provenance", json.dumps(memory.provenance, ensure_ascii=False) if memory.provenance else "")
    table.add_row("created", times.local(memory.created_at))
    if memory.event_time:
        table.add_row("happened", times.local(memory.event_time))
    table.add_row("trust", f"{memory.trust:.2f} (α {memory.trust_alpha:g}, β {memory.trust_beta:g})")
    table.add_row("pinned", "yes" if memory.pinned else "no")
    table.add_row("sensitivity", memory.sensitivity + (f" ({', '.join(memory.categories)})" if memory.categories else ""))
    if memory.tags:
        table.add_row("tags", ", ".join(memory.tags))
    table.add_row("recalled", f"{memory.recall_count} times" + (f", last {times.local(memory.last_recalled_at)}" if memory.last_recalled_at else ""))
    for version in versions:
        table.add_row(f"version {version['version']}", f"{version['content']}  [dim]({version['reason']}, {times.local(version['changed_at'])})[/]")
    for link in links:
        other = link["dst_id"] if link["src_id"] == memory_id else link["src_id"]
        table.add_row("link", f"{link['relation']} #{other}")
    _console().print(table)


@command()
def forget(
    memory_ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Memory ids.")],
) -> None:
    """Forget memories: they leave recall at once and are erased for good after a grace period.

    Use `secondme erase` to remove them right now, verifiably."""
    with open_memories(create=False) as memories:
        unknown = memories.forget(memory_ids)
    forgotten = [i for i in memory_ids if i not in unknown]
    if forgotten:
        say(f"Forgot {', '.join(f'#{i}' for i in forgotten)}.")
    if unknown:
        raise Failure(f"no memory {', '.join(f'#{i}' for i in unknown)}", 1)


class Level(str, Enum):
    private = "private"
    never = "never"
    normal = "normal"


@command()
def mark(
    memory_id: Annotated[int, typer.Argument(metavar="ID", help="A memory id.")],
    level: Annotated[Level, typer.Argument(help="private: only where a request is about it; never: never sent to a model; normal.")],
) -> None:
    """Say how sensitive a memory is (the classifier's guess at intake is only a start)."""
    with open_memories(create=False) as memories:
        if memories.mark([memory_id], "never_inject" if level is Level.never else level.value):
            raise Failure(f"no memory #{memory_id}", 1)
    say(f"Marked #{memory_id} {level.value}.")


# -- commands: moving data -----------------------------------------------------------------------


def ask_new_passphrase(env: str, what: str) -> str:
    passphrase = os.environ.get(env)
    if passphrase is None:
        if not sys.stdin.isatty():
            raise Failure(f"{what} needs a passphrase: set {env} or run in a terminal", 2)
        passphrase = typer.prompt(f"Passphrase for {what}", hide_input=True, confirmation_prompt=True, err=True)
    if len(passphrase) < 8:
        raise Failure("choose a passphrase of at least 8 characters", 2)
    return passphrase


def ask_existing_passphrase(env: str, what: str) -> str:
    passphrase = os.environ.get(env)
    if passphrase is None:
        if not sys.stdin.isatty():
            raise Failure(f"{what} is encrypted: set {env} or run in a terminal", 2)
        passphrase = typer.prompt(f"Passphrase for {what}", hide_input=True, err=True)
    return passphrase


@command()
def export(
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="File to write (default: stdout).")] = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl is lossless; markdown is for reading.")] = ExportFormat.jsonl,
    encrypt: Annotated[bool, typer.Option("--encrypt", help=f"Protect the file with a passphrase (or ${EXPORT_PASSPHRASE_ENV}).")] = False,
) -> None:
    """Export every memory, with versions, links and chat sessions."""
    from secondme.files import write_private_file
    from secondme.memory import transfer

    if encrypt and output is None and sys.stdout.isatty():
        raise Failure("refusing to write encrypted bytes to a terminal: use -o FILE", 2)
    passphrase = ask_new_passphrase(EXPORT_PASSPHRASE_ENV, "the export") if encrypt else None
    with open_memories(create=False) as memories:
        data = transfer.export_jsonl(memories.store) if fmt is ExportFormat.jsonl else transfer.export_markdown(memories.store)
        count = memories.store.count()
    if passphrase is not None:
        data = transfer.encrypt(data, passphrase, fmt.value)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_private_file(output, data)
    say(f"Exported {count} memories to {output}" + (" (encrypted)." if encrypt else "."))


@command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A secondme export, JSONL, text/Markdown notes, a folder of notes (an Obsidian vault), or ChatGPT's or Claude's conversations.json.")],
    with_assistant: Annotated[bool, typer.Option("--with-assistant", help="Chat exports: keep the assistant's replies too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a summary as JSON.")] = False,
) -> None:
    """Import memories. Everything lands in one transaction: on any error nothing is imported."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from secondme.memory import transfer

    plan = transfer.read_import(file, lambda: ask_existing_passphrase(EXPORT_PASSPHRASE_ENV, str(file)), with_assistant)
    with open_memories() as memories:
        _embed_notice(memories)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=_console(stderr=True), transient=True, disable=as_json,
        ) as progress:
            task = progress.add_task(f"Embedding {plan.description}", total=len(plan.memories))
            report = transfer.apply_import(
                memories, plan, lambda n: progress.advance(task, n), lambda n: say(f"[dim]writing {n} memories...[/]")
            )
        absorb(memories, report.ids)
    if as_json:
        print_json({k: v for k, v in report.__dict__.items() if k != "ids"})
        return
    extra = f", {report.duplicates} already known" if report.duplicates else ""
    skipped = "".join(f", {count} {what} skipped" for what, count in report.skipped.items())
    quarantined = f"; {report.quarantined} quarantined, see `secondme review`" if report.quarantined else ""
    say(f"Imported {report.new} memories from {file} ({report.description}{extra}{skipped}{quarantined}).")


@command()
def erase(
    memory_ids: Annotated[Optional[list[int]], typer.Argument(metavar="[ID]...", help="Memory ids.")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Every memory, session and message.")] = False,
    query: Annotated[Optional[str], typer.Option("--query", help="Memories containing all these words.")] = None,
    before: Annotated[Optional[str], typer.Option("--before", help="Memories created before this date or age.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Erase memories for good, then verify the text is gone from the decrypted file."""
    from secondme.memory import transfer

    chosen = sum([bool(memory_ids), everything, query is not None, before is not None])
    if chosen != 1:
        raise Failure("say what to erase: --all, --query Q, --before DATE, or IDs (one of them)", 2)
    with open_memories(create=False) as memories:
        targets = None if everything else select_targets(memories, memory_ids, query, before)
        count = memories.store.count() if targets is None else len(targets)
        if count == 0 and targets is not None:
            raise Failure("nothing matches: nothing was erased", 1)
        if not yes:
            confirm_erase(targets, count)
        report = transfer.erase(memories, targets, lambda step: say(f"[dim]{step}...[/]") if not as_json else None)
    if as_json:
        print_json(report.__dict__)
    elif report.verified:
        say(f"Erased {report.erased} memories. Verified: the erased text no longer appears in the decrypted database, and the WAL is empty.")
    else:
        say(f"Erased {report.erased} memories, but verification found traces: {'; '.join(report.leaks[:3])}")
    if not report.verified:
        raise typer.Exit(1)


def select_targets(memories: Memories, ids: list[int] | None, query: str | None, before: str | None):
    store = memories.store
    if ids:
        found = store.get_many(ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise Failure(f"no memory {', '.join(f'#{i}' for i in missing)}: nothing was erased", 1)
        return [found[i] for i in ids]
    if query is not None:
        from secondme.memory.recall import fts_query

        match = fts_query(query, every_word=True)
        if match is None:
            raise Failure("--query needs at least one word", 2)
        return store.memories_matching(match)
    return list(store.iter_memories("created_at < ?", (parse_when(before, "--before"),)))


def confirm_erase(targets, count: int) -> None:
    if not sys.stdin.isatty():
        raise Failure("erase needs --yes when not run in a terminal", 2)
    if targets is None:
        say(f"This erases ALL {count} memories, every chat session and message.")
    else:
        for memory in targets[:10]:
            say(f"  #{memory.id} {memory.content[:100]}")
        if len(targets) > 10:
            say(f"  ... and {len(targets) - 10} more")
    if not typer.confirm(f"Erase {count} memories for good?", err=True):
        raise Failure("nothing was erased", 1)


# -- commands: the store itself ------------------------------------------------------------------


@command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """How many memories there are, of which kinds, and how big the store is."""
    with open_memories(create=False) as memories:
        report = memories.stats()
    if as_json:
        print_json(report)
        return
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("memories", str(report["memories"]))
    for group in ("by_status", "by_kind", "by_source"):
        table.add_row(group.replace("_", " "), ", ".join(f"{name} {count}" for name, count in report[group].items()) or "-")
    table.add_row("retention", ", ".join(f"{zone} {count}" for zone, count in report["retention"].items()))
    table.add_row("to review", str(report["pending_review"]))
    table.add_row("sessions", str(report["sessions"]))
    table.add_row("oldest", report["oldest"] or "-")
    table.add_row("newest", report["newest"] or "-")
    table.add_row("store", f"{report['path']} ({report['bytes'] / 2**20:.1f} MiB, encrypted: {report['cipher']})")
    table.add_row("key", report["key_mode"])
    _console().print(table)


@command()
def doctor(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """Check the key, the permissions, the store's integrity, the embedding model, and that the model runs on this CPU."""
    from secondme import doctor as checks

    results = checks.run(open_memories)
    if as_json:
        print_json([result.__dict__ for result in results])
    else:
        for result in results:
            mark = "[green]ok[/]  " if result.ok else "[red]FAIL[/]"
            _console().print(f"{mark} {result.name}: {result.detail}")
    if not all(result.ok for result in results):
        raise typer.Exit(1)


@command()
def passwd(
    remove: Annotated[bool, typer.Option("--remove", help="Go back to a device key (no passphrase).")] = False,
) -> None:
    """Protect the store with a passphrase, change it, or remove it.

    The database key is wrapped with the passphrase (scrypt + AES-GCM); the database itself is not rewritten. Scripts can pass SECONDME_PASSPHRASE (current) and SECONDME_NEW_PASSPHRASE (new)."""
    from secondme.memory import keys

    with open_memories(create=False) as memories:
        key = memories.store_key
        path = memories.paths.key_file
    if remove:
        keys.protect(path, key, None)
        say("The store is now unlocked by the device key file alone.")
        return
    keys.protect(path, key, ask_new_passphrase(NEW_PASSPHRASE_ENV, "the store"))
    say("Passphrase set. You will be asked for it (or SECONDME_PASSPHRASE) to open the store.")


# -- commands: the life cycle --------------------------------------------------------------------


@command()
def sleep(as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False) -> None:
    """Consolidate: supersede, merge, flag contradictions, link, summarise, let unused memories fade.

    Newer facts supersede older ones, duplicates merge, contradictions wait in `secondme review`, related memories are linked, sessions summarised, the profile refreshed, and memories nobody uses fade on the retention curve (pinned ones never do)."""
    from rich.progress import BarColumn, Progress, TextColumn

    from secondme.memory import consolidate

    with open_memories(create=False) as memories:
        _embed_notice(memories)
        memories.recaller.vectors.warm()
        with Progress(TextColumn("{task.description}"), BarColumn(), console=_console(stderr=True), transient=True, disable=as_json) as progress:
            task = progress.add_task("sleeping", total=5)
            report = consolidate.sleep(memories, progress=lambda name, number, total: progress.update(task, completed=number - 1, description=name))
    if as_json:
        print_json(report.as_dict())
        return
    say(
        f"Slept {report.seconds:.1f} s: {report.superseded} superseded, {report.merged} merged, {report.contradictions} contradictions, "
        f"{report.linked} links, {report.summaries} summaries, profile {'updated' if report.profile_updated else 'unchanged'}, "
        f"{report.archived} archived, {report.forgotten} forgotten, {report.erased} erased."
    )
    for note in report.notes[:10]:
        say(f"  {note}")


@command()
def review(
    approve: Annotated[Optional[list[int]], typer.Option("--approve", help="Vouch for this memory (repeatable).")] = None,
    reject: Annotated[Optional[list[int]], typer.Option("--reject", help="Reject this memory (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="List as JSON, change nothing.")] = False,
) -> None:
    """Quarantined and low-trust memories: approve or reject them (interactively at a terminal)."""
    from secondme.memory import trust

    with open_memories(create=False) as memories:
        if approve or reject:
            for memory_id, good in [(i, True) for i in approve or []] + [(i, False) for i in reject or []]:
                memory = memories.get(memory_id)
                if memory is None:
                    raise Failure(f"no memory #{memory_id}", 1)
                (trust.approve if good else trust.reject)(memories.store, memory)
                if good:
                    absorb(memories, [memory_id])
                say(f"{'Approved' if good else 'Rejected'} #{memory_id}.")
            return
        pending = memories.pending_review()
        if as_json:
            print_json([{"id": m.id, "content": m.content, "status": m.status, "trust": round(m.trust, 4), "source": m.source,
                         "reasons": m.provenance.get("quarantine", [])} for m in pending])
            return
        if not pending:
            say("Nothing to review: no quarantined or low-trust memories.")
            return
        if not sys.stdin.isatty():
            for memory in pending:
                _console().print(f"#{memory.id} [{memory.status}, trust {memory.trust:.2f}] {memory.content[:120]}", markup=False)
            say("Approve or reject with --approve ID / --reject ID.")
            return
        for memory in pending:
            reasons = ", ".join(memory.provenance.get("quarantine", [])) or "low trust"
            _console().print(f"\n#{memory.id} · {memory.status} · trust {memory.trust:.2f} · {memory.source} · {reasons}", markup=False)
            _console().print(memory.content, markup=False)
            choice = typer.prompt("[a]pprove, [r]eject, [s]kip, [q]uit", default="s", err=True).strip().lower()[:1]
            if choice == "q":
                break
            if choice in {"a", "r"}:
                (trust.approve if choice == "a" else trust.reject)(memories.store, memory)
                if choice == "a":
                    absorb(memories, [memory.id])


@command()
def restore(memory_ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Archived or forgotten memories.")]) -> None:
    """Bring archived or forgotten memories back into recall."""
    from secondme.memory import forgetting

    with open_memories(create=False) as memories:
        for memory_id in memory_ids:
            memory = memories.get(memory_id)
            if memory is None:
                raise Failure(f"no memory #{memory_id} (erased memories cannot come back)", 1)
            if memory.status not in {"archived", "forgotten"}:
                raise Failure(f"#{memory_id} is {memory.status}, not archived or forgotten", 1)
            forgetting.restore(memories.store, memory)
            say(f"Restored #{memory_id}.")


@command()
def history(
    memory_id: Annotated[int, typer.Argument(metavar="ID", help="Any memory in the chain.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """How a memory changed: its edits, and the memories it superseded or that superseded it."""
    from secondme import times

    with open_memories(create=False) as memories:
        if memories.get(memory_id) is None:
            raise Failure(f"no memory #{memory_id}", 1)
        chain = memories.history(memory_id)
    if as_json:
        print_json(chain)
        return
    for entry in chain:
        until = f" until {times.local(entry['valid_to'])}" if entry["valid_to"] else ""
        _console().print(f"#{entry['id']} v{entry['version']} · {entry['status']} · from {times.local(entry['valid_from'])}{until}: {entry['content']}", markup=False)


# -- commands: talking ---------------------------------------------------------------------------


class MemoryMode(str, Enum):
    off = "off"
    normal = "normal"
    strict = "strict"


@command()
def chat(
    resume: Annotated[bool, typer.Option("--resume", help="Continue the most recent session.")] = False,
    session: Annotated[Optional[int], typer.Option("--session", help="Continue this session (see /sessions).")] = None,
    model: Annotated[Optional[str], typer.Option("--model", help="A GGUF path or model name for this chat.")] = None,
    memory: Annotated[Optional[MemoryMode], typer.Option("--memory", help="Memory mode for this chat.")] = None,
    ram_budget: Annotated[Optional[str], typer.Option("--ram-budget", help="RAM the model's weights may use, e.g. 2G: the rest streams from disk layer by layer.")] = None,
) -> None:
    """Chat with your second me in the terminal (the bundled model unless you chose another)."""
    from secondme.tui.app import SecondMeApp

    budget = configured_budget(ram_budget)
    app_ = SecondMeApp(
        model_choice=model, memory_mode=memory.value if memory else None, resume=session or resume,
        model_factory=lambda path: _local_model(path, budget),
    )
    code = app_.run()
    if code:
        raise typer.Exit(code)


@command()
def ask(
    question: Annotated[str, typer.Argument(help="What to ask; '-' reads stdin.")],
    no_memory: Annotated[bool, typer.Option("--no-memory", help="Neither recall nor remember anything.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"answer", "citations", "grounded", "held_back", "memories", "stats"} as JSON.')] = False,
) -> None:
    """Ask one question; the answer streams to stdout, informed by your memories."""
    import threading

    from secondme.assistant import Assistant
    from secondme.config import load_settings
    from secondme.model.registry import resolve

    question = read_text_argument(question)
    settings = load_settings()
    model = _local_model(resolve(str(settings["model"])), configured_budget(None))
    with open_memories() as memories:
        _embed_notice(memories)
        model.load()
        mode = "off" if no_memory else str(settings["memory_mode"])
        assistant = Assistant(memories, model, mode=mode)
        cancel = threading.Event()
        write = None if as_json else lambda piece: (sys.stdout.write(piece), sys.stdout.flush())
        try:
            result = assistant.turn(question, on_token=write, cancel=cancel)
        except KeyboardInterrupt:
            cancel.set()
            raise
        finally:
            model.close()
    if as_json:
        print_json({
            "answer": result.answer,
            "citations": result.citations,
            "grounded": result.grounded,
            "held_back": [held.to_dict() for held in result.held_back],
            "memories": [{"id": hit.memory.id, "content": hit.memory.content, "score": round(hit.score, 4), "trust": round(hit.memory.trust, 4)} for hit in result.used],
            "stats": {**result.stats.as_dict(), "memory_ms": round(result.memory_ms, 2), "remember_ms": round(result.remember_ms, 2), "model": model.name},
        })
    else:
        sys.stdout.write("\n")
        if result.citations:
            say(f"[dim]from memory {', '.join(f'#{memory_id}' for memory_id in result.citations)}[/]")


@command()
def context(
    message: Annotated[str, typer.Argument(help="A message as you would send it; '-' reads stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help='Print {"route", "memories", "held_back", "messages"} as JSON.')] = False,
) -> None:
    """What a message would bring along: the memories an answer would use, the prompt, and each sensitive memory held back and why."""
    from secondme.assistant import Assistant
    from secondme.config import load_settings
    from secondme.model.registry import resolve

    message = read_text_argument(message)
    settings = load_settings()
    model = _local_model(resolve(str(settings["model"])), None)
    model.inspect()  # the header says how big the model is; the weights stay on disk
    with open_memories(create=False) as memories:
        _embed_notice(memories)
        plan = Assistant(memories, model, mode=str(settings["memory_mode"])).plan(message)
        used = [memory_json(hit.memory) for hit in plan.used]
        held = [{**entry.to_dict(), "content": entry.memory.content} for entry in plan.held_back]
    route = "memory" if plan.reading is not None else "model"
    if as_json:
        print_json({"route": route, "memories": used, "held_back": held, "messages": plan.prompt.messages if plan.prompt else []})
        return
    _console().print(
        "[bold]Answered from memory[/] (a question about you; nothing goes to the model)" if route == "memory"
        else f"[bold]The model's prompt[/] ({model.name})"
    )
    for memory in used:
        _console().print(f"  #{memory['id']} {memory['content']}", markup=False, highlight=False)
    if not used:
        _console().print("  no memories")
    if held:
        _console().print(f"[bold]Held back[/] ({len(held)})")
        for entry in held:
            _console().print(f"  #{entry['id']} {entry['reason']}", markup=False, highlight=False)
    for prompt_message in plan.prompt.messages if plan.prompt else []:
        _console().print(f"[bold]{prompt_message['role']}:[/]")
        _console().print(prompt_message["content"], markup=False, highlight=False)


def configured_budget(option: str | None) -> int | None:
    """--ram-budget, else the ram_budget setting, else None (the model layer decides)."""
    from secondme.config import load_settings
    from secondme.native.streamer import parse_size

    text = option if option is not None else str(load_settings()["ram_budget"])
    if not text:
        return None
    try:
        return parse_size(text)
    except ValueError as exc:
        raise Failure(f"--ram-budget: {exc}", 2) from None


def _local_model(path, budget: int | None):
    from secondme.config import load_settings
    from secondme.model.llm import LocalModel

    return LocalModel(path, n_threads=int(load_settings()["n_threads"]) or None, ram_budget=budget)


# -- commands: models ----------------------------------------------------------------------------

model_app = typer.Typer(help="Models: which there are, which one to use, what one is.", no_args_is_help=True)
app.add_typer(model_app, name="model")


@command("list", on=model_app)
def model_list(as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False) -> None:
    """The bundled model, the one you chose, Ollama's models, and GGUF files found in the usual places."""
    from secondme.config import load_settings
    from secondme.model import registry

    configured = str(load_settings()["model"])
    current = registry.resolve(configured).resolve() if configured else registry.bundled_model().resolve()
    listed = registry.entries(configured)
    if as_json:
        print_json([{"name": e.name, "path": str(e.path), "origin": e.origin, "bytes": e.size, "current": e.path.resolve() == current} for e in listed])
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for column in ("", "name", "origin", "size", "path"):
        table.add_column(column)
    for entry in listed:
        table.add_row("*" if entry.path.resolve() == current else "", entry.name, entry.origin, f"{entry.size / 2**20:.0f} MiB", str(entry.path))
    _console().print(table)


@command("use", on=model_app)
def model_use(choice: Annotated[str, typer.Argument(metavar="PATH|NAME", help="A .gguf file, a listed name, ollama:NAME[:TAG], or 'bundled'.")]) -> None:
    """Use this model from now on (checked before it is saved)."""
    from secondme.config import save_setting
    from secondme.model import registry
    from secondme.model.llm import describe

    path = registry.resolve(choice)
    info = describe(path)
    bundled = choice.lower() in registry.BUNDLED_NAMES
    # An Ollama model is kept by name: `ollama pull` of a newer version moves its blob.
    save_setting("model", "" if bundled else choice if choice.startswith(registry.OLLAMA_PREFIX) else str(path))
    say(f"Using {info.name} ({info.quantization}, {info.parameters / 1e6:.0f}M parameters) from {path}.")


@command("info", on=model_app)
def model_info(
    choice: Annotated[Optional[str], typer.Argument(metavar="[PATH|NAME]", help="Default: the model in use.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Architecture, parameters, quantisation, context length and size of a model."""
    from secondme.config import load_settings
    from secondme.model import registry
    from secondme.model.llm import describe

    info = describe(registry.resolve(choice if choice is not None else str(load_settings()["model"])))
    if as_json:
        print_json(info.as_dict())
        return
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("name", info.name)
    table.add_row("architecture", info.architecture)
    table.add_row("parameters", f"{info.parameters:,}")
    table.add_row("quantisation", info.quantization)
    table.add_row("context length", f"{info.context_length:,}" if info.context_length else "unknown")
    table.add_row("file size", f"{info.file_size / 2**20:.1f} MiB")
    table.add_row("chat template", "yes" if info.chat_template else "no (a plain fallback is used)")
    table.add_row("path", str(info.path))
    _console().print(table)


@command("relayout", on=model_app)
def model_relayout(
    source: Annotated[Path, typer.Argument(help="A GGUF model.")],
    target: Annotated[Path, typer.Argument(help="Where to write the copy.")],
) -> None:
    """Copy a GGUF with its tensors in execution order (lossless), for streaming under a RAM budget."""
    from secondme.native.layout import read_layout, relayout

    before = read_layout(source)
    if target.exists():
        raise Failure(f"{target} exists; choose a new file", 2)
    after = relayout(source, target)
    say(f"Wrote {target}: {len(after.layers)} layers in execution order ({before.file_size / 2**20:.1f} MiB -> {after.file_size / 2**20:.1f} MiB).")


@command("bench", on=model_app)
def model_bench(
    choice: Annotated[Optional[str], typer.Argument(metavar="[PATH|NAME]", help="Default: the model in use.")] = None,
    ram_budget: Annotated[Optional[str], typer.Option("--ram-budget", help="Stream the weights under this budget, e.g. 50M, 2G.")] = None,
    tokens: Annotated[int, typer.Option("--tokens", min=8, max=2048, help="Tokens to generate.")] = 64,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Load time, time to first token, tok/s, peak RSS, bytes read per token, largest residency."""
    from secondme.config import load_settings
    from secondme.model import registry
    from secondme.model.bench import bench

    path = registry.resolve(choice if choice is not None else str(load_settings()["model"]))
    report = bench(_local_model(path, configured_budget(ram_budget)), tokens)
    if as_json:
        print_json(report)
        return
    say(
        f"{report['model']}: load {report['load_s']:.2f} s, first token {report['ttft_s'] * 1000:.0f} ms, {report['tok_s']:.1f} tok/s, "
        f"peak RSS {report['peak_rss_bytes'] / 2**20:.0f} MiB, {report['read_bytes_per_token'] / 2**20:.2f} MiB read per token, "
        f"largest residency {report['max_resident_bytes'] / 2**20:.1f} MiB"
        + (f" (budget {report['budget_bytes'] / 2**20:.1f} MiB, {report['streaming']['stall_s']:.2f} s stalled)" if report["streaming"] else " (not streaming)")
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
