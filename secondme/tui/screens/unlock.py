"""Asks for the passphrase when the store is protected by one."""

from __future__ import annotations

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from secondme.config import Paths
from secondme.tui.messages import MemoryOpened


class UnlockScreen(ModalScreen[None]):
    def __init__(self, where: Paths) -> None:
        super().__init__(classes="dialog-screen")
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="unlock"):
            yield Label("Unlock your memories", classes="dialog-title")
            yield Static("This store is protected by a passphrase.", classes="dialog-body")
            yield Input(password=True, placeholder="passphrase", id="passphrase")
            yield Label("", id="unlock-error")

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.query_one("#unlock-error", Label).update("unlocking…")
        event.input.disabled = True
        self.unlock(event.value)

    @work(thread=True, exclusive=True, group="unlock-attempt", exit_on_error=False)
    def unlock(self, passphrase: str) -> None:
        from secondme.memory.keys import UnlockError
        from secondme.memory.service import Memories
        from secondme.memory.types import CannotUnlock

        try:
            memories = Memories.open(self.where, passphrase)
        except (UnlockError, CannotUnlock) as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.post_message(MemoryOpened(memories))
        self.app.call_from_thread(self.dismiss)

    def failed(self, message: str) -> None:
        field = self.query_one("#passphrase", Input)
        field.disabled, field.value = False, ""
        field.focus()
        self.query_one("#unlock-error", Label).update(f"[red]{escape(message)}[/]")
