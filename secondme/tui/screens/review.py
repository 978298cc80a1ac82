"""Memories waiting for a verdict: quarantined ones and those with low trust."""

from __future__ import annotations

from collections import deque

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from secondme.tui.messages import ReviewLoaded
from secondme.tui.screens import FailuresNoticed


class ReviewScreen(FailuresNoticed, Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("a", "verdict(True)", "Approve"),
        Binding("r", "verdict(False)", "Reject"),
    ]

    def __init__(self, memories) -> None:
        super().__init__(id="review-screen")
        self.memories = memories
        self.pending: dict[int, object] = {}
        self.verdicts: deque[tuple[int, bool]] = deque()  # given, not yet written: (memory id, approved)

    def compose(self) -> ComposeResult:
        yield Label("Review: a approves, r rejects (rejected memories are forgotten)", id="review-title")
        with Horizontal(id="browser-body"):
            yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail"):
                yield Static("", id="review-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("id", "status", "trust", "memory")
        self.load()
        self.query_one(DataTable).focus()

    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def load(self) -> None:
        """Write the verdicts given so far (an approved memory is absorbed: embedded, recalled,
        written), then read what still waits; off the app's thread, both. A newer load cancels
        one not yet started, so each takes every verdict waiting, not only its own."""
        said = []
        while self.verdicts:
            memory_id, good = self.verdicts.popleft()
            self.memories.judge(memory_id, approve=good)
            said.append(f"{'Approved' if good else 'Rejected'} #{memory_id}.")
        self.post_message(ReviewLoaded(self.memories.pending_review(), " ".join(said)))

    @on(ReviewLoaded)
    def show_pending(self, event: ReviewLoaded) -> None:
        if event.verdict:
            self.notify(event.verdict, timeout=2)
        table = self.query_one(DataTable)
        table.clear()
        self.pending = {memory.id: memory for memory in event.pending}
        for memory in self.pending.values():
            table.add_row(f"#{memory.id}", memory.status, f"{memory.trust:.2f}", Text(" ".join(memory.content.split())[:60]), key=str(memory.id))
        if not self.pending:
            self.query_one("#review-detail", Static).update("Nothing to review.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        memory = self.pending.get(int(event.row_key.value)) if event.row_key is not None else None
        if memory is not None:
            reasons = memory.provenance.get("quarantine") or ["low trust"]
            self.query_one("#review-detail", Static).update(
                f"{memory.content}\n\nwhy: {', '.join(reasons)}\nsource: {memory.source}\ntrust: {memory.trust:.2f}"
            )

    def action_verdict(self, good: bool) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        row = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        # Off the list at once: a second key pressed before the reload judges the next one.
        table.remove_row(row)
        self.pending.pop(int(row.value), None)
        self.verdicts.append((int(row.value), good))
        self.load()
