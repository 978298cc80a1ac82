"""Commands that move memories: export, import, erase."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from secondme.cli.output import (
    EXPORT_PASSPHRASE_ENV, ask_existing_passphrase, ask_new_passphrase, command, embed_notice, fail, not_found, open_memories,
    parse_when, plain, print_json, progress_bar, say,
)
from secondme.errors import UsageError


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    markdown = "markdown"


@command()
def export(
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="File to write (default, or '-': stdout).")] = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl is lossless; markdown is for reading.")] = ExportFormat.jsonl,
    encrypt: Annotated[bool, typer.Option("--encrypt", help=f"Protect the file with a passphrase (or ${EXPORT_PASSPHRASE_ENV}).")] = False,
) -> None:
    """Export every memory, with versions, links and chat sessions."""
    from secondme.memory.service import Memories

    if output == Path("-"):
        output = None  # "-o -" means stdout, as it does for every tool that takes a file
    if encrypt and output is None and sys.stdout.isatty():
        raise UsageError("refusing to write encrypted bytes to a terminal: use -o FILE")
    if output is not None:
        Memories.check_export_target(output)  # before asking for a passphrase
    passphrase = ask_new_passphrase(EXPORT_PASSPHRASE_ENV, "the export") if encrypt else None
    markdown = fmt is ExportFormat.markdown
    with open_memories(create=False) as memories:
        if output is not None:
            count = memories.export_to(output, markdown, passphrase)
            say(f"Exported {count} memories to {plain(output)}" + (" (encrypted)." if encrypt else "."))
            return
        data = memories.export(markdown, passphrase)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


@command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A secondme export, JSONL, text/Markdown notes, a folder of notes (an Obsidian vault), or ChatGPT's or Claude's conversations.json.")],
    with_assistant: Annotated[bool, typer.Option("--with-assistant", help="Chat exports: keep the assistant's replies too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a summary as JSON.")] = False,
) -> None:
    """Import memories. Everything lands in one transaction: on any error nothing is imported."""
    from secondme.memory.service import Memories

    plan = Memories.read_import(file, lambda: ask_existing_passphrase(EXPORT_PASSPHRASE_ENV, str(file)), with_assistant)
    with open_memories() as memories:
        embed_notice(memories)
        bar, advance = progress_bar(len(plan.memories), f"Embedding {plan.description}", hidden=as_json)
        with bar:
            report = memories.import_plan(plan, advance, lambda n: say(f"[dim]writing {n} memories...[/]"))
    if as_json:
        print_json({k: v for k, v in report.__dict__.items() if k != "ids"})
        return
    extra = f", {report.duplicates} already known" if report.duplicates else ""
    skipped = "".join(f", {count} {what} skipped" for what, count in report.skipped.items())
    quarantined = f"; {report.quarantined} quarantined, see `secondme review`" if report.quarantined else ""
    say(f"Imported {report.new} memories from {plain(file)} ({plain(report.description)}{extra}{skipped}{quarantined}).")


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
    chosen = sum([bool(memory_ids), everything, query is not None, before is not None])
    if chosen != 1:
        raise UsageError("say what to erase: --all, --query Q, --before DATE, or IDs (one of them)")
    with open_memories(create=False) as memories:
        targets = None if everything else memories.select(memory_ids, query, parse_when(before, "--before") if before else None)
        count = memories.count() if targets is None else len(targets)
        if count == 0 and targets is not None:
            raise not_found("nothing matches: nothing was erased")
        if not yes:
            confirm_erase(targets, count)
        report = memories.erase(targets, lambda step: say(f"[dim]{plain(step)}...[/]") if not as_json else None)
    if as_json:
        print_json(report.__dict__)
    elif report.verified:
        say(f"Erased {report.erased} memories. Verified: the erased text no longer appears in the decrypted database, and the WAL is empty.")
    else:
        say(f"Erased {report.erased} memories, but verification found traces: {plain('; '.join(report.leaks[:3]))}")
    if not report.verified:
        raise typer.Exit(1)


def confirm_erase(targets, count: int) -> None:
    if not sys.stdin.isatty():
        raise UsageError("erase needs --yes when not run in a terminal")
    if targets is None:
        say(f"This erases ALL {count} memories, every chat session and message.")
    else:
        for memory in targets[:10]:
            say(f"  #{memory.id} {plain(memory.content[:100])}")
        if len(targets) > 10:
            say(f"  ... and {len(targets) - 10} more")
    if not typer.confirm(f"Erase {count} memories for good?", err=True):
        raise fail("nothing was erased")
