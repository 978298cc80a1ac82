"""Memories waiting for a verdict: quarantined ones and those with low trust."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static



class ReviewScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("a", "verdict(True)", "Approve"),
        Binding("r", "verdict(False)", "Reject"),
    ]

    def __init__(self, memories) -> None:
        super().__init__(id="review-screen")
        self.memories = memories
        self.pending: dict[int, object] = {}

    def compose(self) -> ComposeResult:
        yield Label("Review: a approves, r rejects (rejected memories are forgotten)", id="review-title")
        with Horizontal(id="browser-body"):
            yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail"):
                yield Static("", id="review-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("id", "status", "trust", "memory")
        self.reload()
        self.query_one(DataTable).focus()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.pending = {memory.id: memory for memory in self.memories.pending_review()}
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
        memory_id = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        self.memories.judge(memory_id, approve=good)
        self.notify(f"{'Approved' if good else 'Rejected'} #{memory_id}.", timeout=2)
        self.reload()
