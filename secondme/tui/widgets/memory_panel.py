"""Beside the chat: the memories used for the current answer, each with pin and forget."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from secondme.tui.messages import ForgetRequested, PinToggled, PrivacyToggled

if TYPE_CHECKING:  # keep numpy and the store out of the first paint
    from secondme.memory.recall import Hit


class MemoryCard(Vertical):
    def __init__(self, hit: Hit) -> None:
        super().__init__(classes="memory-card", id=f"memory-{hit.memory.id}")
        self.hit = hit

    def compose(self) -> ComposeResult:
        memory, hit = self.hit.memory, self.hit
        self.border_title = f"#{memory.id} · {memory.kind} · {memory.source}"
        relevance = "always used" if hit.score == 0 else f"score {hit.score:.2f}"
        private = "" if memory.sensitivity == "normal" else f" · {memory.sensitivity.replace('_', ' ')}"
        self.border_subtitle = f"{relevance} · trust {memory.trust:.2f} · R {hit.retention:.2f}{private}"
        yield Static(memory.content, classes="memory-content", markup=False)
        with Horizontal(classes="memory-actions"):
            yield Button("unpin" if memory.pinned else "pin", classes="pin", compact=True)
            yield Button("normal" if memory.sensitivity != "normal" else "private", classes="privacy", compact=True)
            yield Button("forget", classes="forget", variant="error", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        memory = self.hit.memory
        if event.button.has_class("pin"):
            self.post_message(PinToggled(memory.id, not memory.pinned))
        elif event.button.has_class("privacy"):
            self.post_message(PrivacyToggled(memory.id, memory.sensitivity == "normal"))
        else:
            self.post_message(ForgetRequested(memory.id))


class MemoryPanel(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.hits: list[Hit] = []
        self.title = "Memories used"

    def compose(self) -> ComposeResult:
        yield Label(self.title, id="memory-panel-title")
        yield Static("", id="held-back", markup=False)
        yield VerticalScroll(id="memory-cards")

    def on_mount(self) -> None:
        self.query_one("#held-back", Static).display = False

    async def show(self, hits: list[Hit], title: str = "Memories used", held_back: list | None = None) -> None:
        """``held_back``: sensitive memories kept out of this answer (sensitivity.Held), shown
        as a count with each reason, so that nothing is withheld silently."""
        self.hits, self.title = hits, title
        self.query_one("#memory-panel-title", Label).update(f"{title} ({len(hits)})")
        held = self.query_one("#held-back", Static)
        held.display = bool(held_back)
        if held_back:
            held.update(f"{len(held_back)} held back:\n" + "\n".join(f"#{entry.memory.id} {entry.reason}" for entry in held_back))
        cards = self.query_one("#memory-cards", VerticalScroll)
        await cards.remove_children()
        if hits:
            await cards.mount_all(MemoryCard(hit) for hit in hits)
        else:
            await cards.mount(Static("Nothing recalled for this message.", classes="memory-empty"))

    def highlight(self, memory_ids: list[int]) -> None:
        """Mark the memories an answer cites (it was read out of them)."""
        for card in self.query(MemoryCard):
            cited = card.hit.memory.id in memory_ids
            card.set_class(cited, "cited")
            if cited and not str(card.border_title).endswith("· cited"):
                card.border_title = f"{card.border_title} · cited"

    async def drop(self, memory_id: int) -> None:
        await self.show([hit for hit in self.hits if hit.memory.id != memory_id], self.title)
