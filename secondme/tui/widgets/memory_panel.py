"""Beside the chat: the memories used for the current answer, each with pin and forget."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Label, Static

if TYPE_CHECKING:  # keep numpy and the store out of the first paint
    from secondme.memory.recall import Hit


class MemoryCard(Vertical):
    @dataclass
    class PinToggled(Message):
        memory_id: int
        pinned: bool

    @dataclass
    class ForgetRequested(Message):
        memory_id: int

    def __init__(self, hit: Hit) -> None:
        super().__init__(classes="memory-card", id=f"memory-{hit.memory.id}")
        self.hit = hit

    def compose(self) -> ComposeResult:
        memory, hit = self.hit.memory, self.hit
        self.border_title = f"#{memory.id} · {memory.kind} · {memory.source}"
        relevance = "always used" if hit.score == 0 else f"score {hit.score:.2f}"
        self.border_subtitle = f"{relevance} · trust {memory.trust:.2f} · R {hit.retention:.2f}"
        yield Static(memory.content, classes="memory-content", markup=False)
        with Horizontal(classes="memory-actions"):
            yield Button("unpin" if memory.pinned else "pin", classes="pin", compact=True)
            yield Button("forget", classes="forget", variant="error", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.has_class("pin"):
            self.post_message(self.PinToggled(self.hit.memory.id, not self.hit.memory.pinned))
        else:
            self.post_message(self.ForgetRequested(self.hit.memory.id))


class MemoryPanel(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.hits: list[Hit] = []
        self.title = "Memories used"

    def compose(self) -> ComposeResult:
        yield Label(self.title, id="memory-panel-title")
        yield VerticalScroll(id="memory-cards")

    async def show(self, hits: list[Hit], title: str = "Memories used") -> None:
        self.hits, self.title = hits, title
        self.query_one("#memory-panel-title", Label).update(f"{title} ({len(hits)})")
        cards = self.query_one("#memory-cards", VerticalScroll)
        await cards.remove_children()
        if hits:
            await cards.mount_all(MemoryCard(hit) for hit in hits)
        else:
            await cards.mount(Static("Nothing recalled for this message.", classes="memory-empty"))

    async def drop(self, memory_id: int) -> None:
        await self.show([hit for hit in self.hits if hit.memory.id != memory_id], self.title)
