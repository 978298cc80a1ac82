"""Commands on the store as a whole and its life cycle: stats, doctor, passwd, sleep, review."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from secondme.cli.output import (
    NEW_PASSPHRASE_ENV, ask_new_passphrase, command, console, embed_notice, not_found, open_memories, plain, print_json, progress_bar, say,
)
from secondme.errors import UsageError


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
    table.add_row("store", f"{plain(report['path'])} ({report['bytes'] / 2**20:.1f} MiB, encrypted: {report['cipher']})")
    table.add_row("key", report["key_mode"])
    console().print(table)


@command()
def doctor(
    repair: Annotated[bool, typer.Option("--repair", help="Move what a damaged store still holds into a new store in its place (the damaged file is kept beside it).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Check the key, the permissions, the store's integrity, the embedding model, and that the model runs on this CPU (--repair: rescue a damaged store)."""
    from secondme import doctor as checks

    if repair:
        repair_store(as_json)
        return
    results = checks.run(open_memories)
    if as_json:
        print_json([result.__dict__ for result in results])
    else:
        for result in results:
            mark = "[green]ok[/]  " if result.ok else "[red]FAIL[/]"
            console().print(f"{mark} {result.name}: {plain(result.detail)}")
    if not all(result.ok for result in results):
        raise typer.Exit(1)


def repair_store(as_json: bool) -> None:
    with open_memories(create=False) as memories:
        embed_notice(memories)
        bar, advance = progress_bar(None, "Rescuing memories", hidden=as_json)
        with bar:
            report = memories.repair(advance, lambda count: say(f"[dim]writing {count} memories...[/]") if not as_json else None)
    if as_json:
        print_json(report.__dict__)
    elif not report.problems:
        say("The store checks out: nothing to repair.")
    else:
        unreadable = f"; {report.unreadable} sat on damaged pages and could not be read" if report.unreadable else ""
        lost = f"; lost with the damage: {', '.join(report.lost)}" if report.lost else ""
        say(f"Rescued {report.rescued} memories into a new store{unreadable}{lost}. The damaged file is kept as {plain(report.damaged_copy)}.")


@command()
def passwd(
    remove: Annotated[bool, typer.Option("--remove", help="Go back to a device key (no passphrase).")] = False,
) -> None:
    """Protect the store with a passphrase, change it, or remove it.

    The database key is wrapped with the passphrase (scrypt + AES-GCM); the database itself is not rewritten. Scripts can pass SECONDME_PASSPHRASE (current) and SECONDME_NEW_PASSPHRASE (new)."""
    with open_memories(create=False) as memories:
        if remove:
            memories.set_passphrase(None)
            say("The store is now unlocked by the device key file alone.")
            return
        memories.set_passphrase(ask_new_passphrase(NEW_PASSPHRASE_ENV, "the store"))
    say("Passphrase set. You will be asked for it (or SECONDME_PASSPHRASE) to open the store.")


@command()
def sleep(as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False) -> None:
    """Consolidate: supersede, merge, flag contradictions, link, summarise, let unused memories fade.

    Newer facts supersede older ones, duplicates merge, contradictions wait in `secondme review`, related memories are linked, sessions summarised, the profile refreshed, and memories nobody uses fade on the retention curve (pinned ones never do)."""
    from rich.progress import BarColumn, Progress, TextColumn

    with open_memories(create=False) as memories:
        embed_notice(memories)
        memories.warm()
        with Progress(TextColumn("{task.description}"), BarColumn(), console=console(stderr=True), transient=True, disable=as_json) as progress:
            task = progress.add_task("sleeping", total=None)
            report = memories.sleep(progress=lambda name, number, total: progress.update(task, total=total, completed=number - 1, description=name))
    if as_json:
        print_json(report.as_dict())
        return
    say(
        f"Slept {report.seconds:.1f} s: {report.superseded} superseded, {report.merged} merged, {report.contradictions} contradictions, "
        f"{report.linked} links, {report.summaries} summaries, profile {'updated' if report.profile_updated else 'unchanged'}, "
        f"{report.archived} archived, {report.forgotten} forgotten, {report.erased} erased."
    )
    for note in report.notes[:10]:
        say(f"  {plain(note)}")


@command()
def review(
    approve: Annotated[Optional[list[int]], typer.Option("--approve", help="Vouch for this memory (repeatable).")] = None,
    reject: Annotated[Optional[list[int]], typer.Option("--reject", help="Reject this memory (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="List as JSON, change nothing.")] = False,
) -> None:
    """Quarantined and low-trust memories: approve or reject them (interactively at a terminal)."""
    both = set(approve or []) & set(reject or [])
    if both:
        raise UsageError(f"#{min(both)} cannot be both approved and rejected")
    with open_memories(create=False) as memories:
        if approve or reject:
            for memory_id, good in [(i, True) for i in approve or []] + [(i, False) for i in reject or []]:
                if memories.judge(memory_id, approve=good) is None:
                    raise not_found(f"no memory #{memory_id}")
                say(f"{'Approved' if good else 'Rejected'} #{memory_id}.")
            return
        pending = memories.pending_review()
        if as_json:
            print_json([{**memory.as_json(), "reasons": memory.provenance.get("quarantine", [])} for memory in pending])
            return
        if not pending:
            say("Nothing to review: no quarantined or low-trust memories.")
            return
        if not sys.stdin.isatty():
            for memory in pending:
                console().print(f"#{memory.id} [{memory.status}, trust {memory.trust:.2f}] {memory.content[:120]}", markup=False)
            say("Approve or reject with --approve ID / --reject ID.")
            return
        for memory in pending:
            reasons = ", ".join(memory.provenance.get("quarantine", [])) or "low trust"
            console().print(f"\n#{memory.id} · {memory.status} · trust {memory.trust:.2f} · {memory.source} · {reasons}", markup=False)
            console().print(memory.content, markup=False)
            choice = typer.prompt("[a]pprove, [r]eject, [s]kip, [q]uit", default="s", err=True).strip().lower()[:1]
            if choice == "q":
                break
            if choice in {"a", "r"}:
                memories.judge(memory.id, approve=choice == "a")
