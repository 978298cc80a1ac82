"""Commands that talk: chat (the TUI), ask (one answer), context (what a message would bring),
and mcp (the memory served to the user's other AI tools)."""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from secondme.cli.output import command, console, embed_notice, open_memories, print_json, read_text_argument, say
from secondme.errors import UsageError

if TYPE_CHECKING:
    from secondme.config import Settings


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
        model_factory=lambda path: local_model(path, budget),
    )
    app_.run()
    if app_.return_code:  # 2: the store could not be opened; 1: the app failed
        raise typer.Exit(app_.return_code)


@command()
def ask(
    question: Annotated[str, typer.Argument(help="What to ask; '-' reads stdin.")],
    no_memory: Annotated[bool, typer.Option("--no-memory", help="Neither recall nor remember anything.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"answer", "citations", "grounded", "held_back", "memories", "stats"} as JSON (citations of an answer not grounded: the closest memories).')] = False,
) -> None:
    """Ask one question; the answer streams to stdout, informed by your memories."""
    import threading

    from secondme.assistant import Assistant
    from secondme.config import load_settings
    from secondme.model.registry import resolve

    question = read_text_argument(question, "question")
    settings = load_settings()
    model = local_model(resolve(settings.model), configured_budget(None, settings), settings)
    with open_memories() as memories:
        embed_notice(memories)
        model.load()
        assistant = Assistant(memories, model, mode="off" if no_memory else settings.memory_mode)
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
            "memories": [hit.as_json() for hit in result.used],
            "stats": {**result.stats.as_dict(), "memory_ms": round(result.memory_ms, 2), "remember_ms": round(result.remember_ms, 2), "model": model.name},
        })
    else:
        sys.stdout.write("\n")
        if result.citations:
            say(f"[dim]{'from memory' if result.grounded else 'closest in memory'} {', '.join(f'#{memory_id}' for memory_id in result.citations)}[/]")


@command()
def context(
    message: Annotated[str, typer.Argument(help="A message as you would send it; '-' reads stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help='Print {"route", "memories", "held_back", "messages"} as JSON.')] = False,
) -> None:
    """What a message would bring along: the memories an answer would use, the prompt, and each sensitive memory held back and why."""
    from secondme.assistant import Assistant
    from secondme.config import load_settings
    from secondme.model.registry import resolve

    message = read_text_argument(message, "message")
    settings = load_settings()
    model = local_model(resolve(settings.model), None, settings)
    model.inspect()  # the header says how big the model is; the weights stay on disk
    with open_memories(create=False) as memories:
        embed_notice(memories)
        plan = Assistant(memories, model, mode=settings.memory_mode).plan(message)
    used = [hit.memory.as_json() for hit in plan.used]
    held = [{**entry.to_dict(), "content": entry.memory.content} for entry in plan.held_back]
    route = "memory" if plan.reading is not None else "model"
    if as_json:
        print_json({"route": route, "memories": used, "held_back": held, "messages": plan.prompt.messages if plan.prompt else []})
        return
    out = console()
    out.print("[bold]Answered from memory[/] (a question about you; nothing goes to the model)" if route == "memory"
              else f"[bold]The model's prompt[/] ({model.name})")
    for memory in used:
        out.print(f"  #{memory['id']} {memory['content']}", markup=False, highlight=False)
    if not used:
        out.print("  no memories")
    if held:
        out.print(f"[bold]Held back[/] ({len(held)})")
        for entry in held:
            out.print(f"  #{entry['id']} {entry['reason']}", markup=False, highlight=False)
    for prompt_message in plan.prompt.messages if plan.prompt else []:
        out.print(f"[bold]{prompt_message['role']}:[/]")
        out.print(prompt_message["content"], markup=False, highlight=False)


@command()
def mcp(
    read_only: Annotated[bool, typer.Option("--read-only", help="Offer no tools that write (also: mcp_read_only = true in the config).")] = False,
) -> None:
    """Serve your memory to other AI tools (Claude Desktop, Cursor...) over MCP, on stdin/stdout.

    Agents' writes are checked like imports (poisoning scan, sensitivity) and kept as coming from a tool; their reads pass the same trust and privacy gates as the chat's model. mcp_clients and mcp_writers in the config name the clients allowed to connect and to write."""
    from secondme.config import load_settings, paths
    from secondme.mcp import Access, serve

    settings = load_settings()
    if sys.stdin.isatty():
        say("[dim]secondme mcp speaks MCP on stdin/stdout: start it from an MCP client (see the README). Ctrl-C stops it.[/]")
    serve(paths(), Access.from_settings(settings, read_only=read_only), mode=settings.memory_mode)


def configured_budget(option: str | None, settings: Settings | None = None) -> int | None:
    """--ram-budget, else the ram_budget setting, else None (the model layer decides)."""
    from secondme.config import load_settings
    from secondme.native.streamer import parse_size

    text = option if option is not None else (settings or load_settings()).ram_budget
    if not text:
        return None
    try:
        return parse_size(text)
    except ValueError as exc:
        raise UsageError(f"--ram-budget: {exc}") from None


def local_model(path, budget: int | None, settings: Settings | None = None):
    from secondme.config import load_settings
    from secondme.model.llm import LocalModel

    return LocalModel(path, n_threads=(settings or load_settings()).n_threads or None, ram_budget=budget)
