"""Slash commands typed in the chat input: what exists, what it does, and parsing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SlashCommand:
    name: str
    usage: str
    help: str


COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand("remember", "/remember TEXT", "Remember TEXT as a note, typed by you (high trust)."),
    SlashCommand("forget", "/forget ID...", "Forget memories by id (they leave recall; erased after a grace period)."),
    SlashCommand("recall", "/recall QUERY", "Show what memory finds for QUERY in the memory panel."),
    SlashCommand("memory", "/memory off|normal|strict", "Memory mode: off (nothing recalled or kept), normal, strict (trusted facts only)."),
    SlashCommand("model", "/model [PATH|NAME]", "Show the model, or switch to another GGUF."),
    SlashCommand("export", "/export [FILE]", "Export every memory as JSONL (default: a file in your home folder)."),
    SlashCommand("sessions", "/sessions", "Past chats: pick one to resume it."),
    SlashCommand("browse", "/browse", "The memory browser: search, filter, edit, pin, delete."),
    SlashCommand("review", "/review", "Quarantined and low-trust memories: approve or reject them."),
    SlashCommand("sleep", "/sleep", "Consolidate now: supersede, merge, link, summarise, let unused memories fade."),
    SlashCommand("help", "/help", "Keys and commands."),
    SlashCommand("clear", "/clear", "Start a new chat session."),
)
BY_NAME = {command.name: command for command in COMMANDS}


@dataclass(frozen=True)
class Invocation:
    command: SlashCommand
    argument: str


class CommandError(ValueError):
    pass


def parse(text: str) -> Invocation | None:
    """``/name rest`` -> Invocation; None when the text is not a command (a message to the model).
    A leading double slash sends the text as a message: "//etc/hosts is..."."""
    stripped = text.strip()
    if not stripped.startswith("/") or stripped.startswith("//"):
        return None
    name, _, argument = stripped[1:].partition(" ")
    command = BY_NAME.get(name.lower())
    if command is None:
        raise CommandError(f"unknown command /{name} (try /help)")
    return Invocation(command, argument.strip())


def completions(text: str) -> list[SlashCommand]:
    """Commands that complete what has been typed so far (only while typing the name)."""
    if not text.startswith("/") or " " in text or "\n" in text:
        return []
    prefix = text[1:].lower()
    return [command for command in COMMANDS if command.name.startswith(prefix)]


def message_text(text: str) -> str:
    """What is sent to the model for a non-command text (drops the escaping slash)."""
    stripped = text.strip()
    return stripped[1:] if stripped.startswith("//") else stripped
