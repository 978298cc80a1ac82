"""Past chats; Enter resumes one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from secondme import times


class SessionsScreen(ModalScreen[int | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Back"), Binding("enter", "choose", "Resume", priority=True)]

    def __init__(self, memories) -> None:
        super().__init__(classes="dialog-screen")
        self.memories = memories

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="sessions"):
            yield Label("Sessions: Enter resumes, Esc goes back", classes="dialog-title")
            yield DataTable(id="session-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("session", "last message", "messages", "model")
        for session in self.memories.sessions(limit=500):
            table.add_row(
                Text(session["title"] or "untitled"),  # the user's words: never read as markup
                times.local(session["ended_at"] or session["started_at"]),
                str(session["message_count"]),
                Text(session["model"] or ""),
                key=str(session["id"]),
            )
        if not table.row_count:
            self.query_one(Label).update("No sessions yet: they appear after your first message. Esc goes back.")
        table.focus()

    def action_choose(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.dismiss(int(key))
        else:
            self.dismiss(None)
