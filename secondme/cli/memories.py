"""Commands on memories one by one: remember, recall, show, forget, restore, mark, history."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Optional

import typer

from secondme.cli.output import (
    command, console, embed_notice, fail, not_found, nothing_found, open_memories, parse_when, plain, print_json, read_text_argument, say,
)
from secondme.errors import UsageError


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


class Level(str, Enum):
    private = "private"
    never = "never"
    normal = "normal"


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
    from secondme.memory.types import NewMemory

    if any(not one.strip() for one in tag or []):
        raise UsageError("--tag needs a word")
    item = NewMemory(read_text_argument(text, "memory"), kind=kind.value, source="user", tags=[one.strip() for one in tag or []],
                     sensitivity="private" if private else "normal")
    with open_memories() as memories:
        embed_notice(memories)
        result = memories.remember([item])
        memory = memories.pin(result.ids[0]) if pin else memories.get(result.ids[0])
    if as_json:
        print_json({**memory.as_json(), "duplicate": bool(result.duplicates)})
    elif result.duplicates:
        say(f"Already remembered as #{memory.id}.")
    elif memory.status == "quarantined":
        say(f"Remembered #{memory.id}, but quarantined ({plain(', '.join(memory.provenance.get('quarantine', [])))}): see `secondme review`.")
    else:
        say(f"Remembered #{memory.id}.")


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
    from secondme.memory.types import AS_OF_STATUSES, Filters

    filters = Filters(
        kinds=frozenset(k.value for k in kind or []),
        sources=frozenset(s.value for s in source or []),
        statuses=frozenset(s.value for s in status) if status else (AS_OF_STATUSES if as_of else frozenset({"active"})),
        since=parse_when(since, "--since") if since else None,
        until=parse_when(until, "--until") if until else None,
        as_of=parse_when(as_of, "--as-of") if as_of else None,
    )
    with open_memories(create=False) as memories:
        embed_notice(memories)
        memories.warm(vectors=False)
        render = print_hits_json if as_json else hits_renderer(explain)  # imports overlap the load
        hits, held = memories.look_up(query, k=k, filters=filters)
        # Spacing effect; skipped (not waited for) if another process is writing right now.
        memories.reinforce([hit.memory.id for hit in hits], wait=False)
    render(hits)
    if held and not as_json:
        say(f"[dim]{len(held)} sensitive {'memory' if len(held) == 1 else 'memories'} held back: the query is not about {'it' if len(held) == 1 else 'them'}.[/]")
    if not hits:
        nothing_found(quiet=as_json)


def print_hits_json(hits) -> None:
    print_json([hit.as_json() for hit in hits])


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
            row = [f"#{memory.id}", f"{hit.score:.2f}", plain(memory.content), memory.kind, times.local(memory.event_time or memory.created_at)]
            if explain:
                row.append(plain(hit.explain()))
            table.add_row(*row)
        if hits:
            console().print(table)

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
            raise not_found(f"no memory #{memory_id}")
        versions, links = memories.versions(memory_id), memories.links(memory_id)
    if as_json:
        print_json({**memory.as_json(), "versions": versions, "links": links})
        return
    from rich.table import Table

    from secondme import times

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("memory", f"#{memory.id}")
    table.add_row("content", plain(memory.content))
    table.add_row("kind", memory.kind)
    table.add_row("status", memory.status + (f" (by #{memory.superseded_by})" if memory.superseded_by else ""))
    table.add_row("source", memory.source)
    table.add_row("provenance", plain(json.dumps(memory.provenance, ensure_ascii=False)) if memory.provenance else "")
    table.add_row("created", times.local(memory.created_at))
    if memory.event_time:
        table.add_row("happened", times.local(memory.event_time))
    table.add_row("trust", f"{memory.trust:.2f} (α {memory.trust_alpha:g}, β {memory.trust_beta:g})")
    table.add_row("pinned", "yes" if memory.pinned else "no")
    table.add_row("sensitivity", memory.sensitivity + (f" ({', '.join(memory.categories)})" if memory.categories else ""))
    if memory.tags:
        table.add_row("tags", plain(", ".join(memory.tags)))
    table.add_row("recalled", f"{memory.recall_count} times" + (f", last {times.local(memory.last_recalled_at)}" if memory.last_recalled_at else ""))
    for version in versions:
        table.add_row(f"version {version['version']}", f"{plain(version['content'])}  [dim]({plain(version['reason'])}, {times.local(version['changed_at'])})[/]")
    for link in links:
        other = link["dst_id"] if link["src_id"] == memory_id else link["src_id"]
        table.add_row("link", f"{link['relation']} #{other}")
    console().print(table)


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
        raise not_found(f"no memory {', '.join(f'#{i}' for i in unknown)}")


@command()
def restore(memory_ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Archived or forgotten memories.")]) -> None:
    """Bring archived or forgotten memories back into recall."""
    with open_memories(create=False) as memories:
        restored, refused = memories.restore(memory_ids)
        reasons = []
        for memory_id in refused:
            memory = memories.get(memory_id)
            reasons.append(f"no memory #{memory_id} (erased memories cannot come back)" if memory is None
                           else f"#{memory_id} is {memory.status}, not archived or forgotten")
    if restored:
        say(f"Restored {', '.join(f'#{i}' for i in restored)}.")
    if reasons:
        raise fail("; ".join(reasons))


@command()
def mark(
    memory_id: Annotated[int, typer.Argument(metavar="ID", help="A memory id.")],
    level: Annotated[Level, typer.Argument(help="private: only where a request is about it; never: never sent to a model; normal.")],
) -> None:
    """Say how sensitive a memory is (the classifier's guess at intake is only a start)."""
    with open_memories(create=False) as memories:
        if memories.mark([memory_id], "never_inject" if level is Level.never else level.value):
            raise not_found(f"no memory #{memory_id}")
    say(f"Marked #{memory_id} {level.value}.")


@command()
def history(
    memory_id: Annotated[int, typer.Argument(metavar="ID", help="Any memory in the chain.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """How a memory changed: its edits, and the memories it superseded or that superseded it."""
    from secondme import times

    with open_memories(create=False) as memories:
        if memories.get(memory_id) is None:
            raise not_found(f"no memory #{memory_id}")
        chain = memories.history(memory_id)
    if as_json:
        print_json(chain)
        return
    for entry in chain:
        until = f" until {times.local(entry['valid_to'])}" if entry["valid_to"] else ""
        console().print(f"#{entry['id']} v{entry['version']} · {entry['status']} · from {times.local(entry['valid_from'])}{until}: {entry['content']}", markup=False)
