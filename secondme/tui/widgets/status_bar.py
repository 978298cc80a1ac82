"""The line at the bottom: model and its state, speed, context used, memories, memory mode."""

from __future__ import annotations

from rich.markup import escape
from textual.reactive import reactive
from textual.widgets import Static


class StatusBar(Static):
    model = reactive("no model")
    state = reactive("starting")  # loading | ready | thinking | answering | error | ...
    tok_s = reactive(0.0)
    context_used = reactive(0)
    context_size = reactive(0)
    memory_count: reactive[int | None] = reactive(None)  # None: the store is not open yet
    memory_mode = reactive("normal")
    activity = reactive("")  # background work, e.g. "embedding", "sleeping"

    def render(self) -> str:
        parts = [f"[b]{escape(self.model)}[/] {self.state}"]  # a file name may hold "[...]"
        if self.tok_s:
            parts.append(f"{self.tok_s:.0f} tok/s")
        if self.context_size:
            parts.append(f"ctx {self.context_used}/{self.context_size}")
        parts.append(f"{self.memory_count} memories" if self.memory_count is not None else "memory locked")
        parts.append(f"memory {self.memory_mode}")
        if self.activity:
            parts.append(f"[i]{self.activity}[/]")
        return "  │  ".join(parts)
