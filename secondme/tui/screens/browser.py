"""The memory browser: search as you type, filter, read provenance and history, edit, pin, forget."""

from __future__ import annotations

import json

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static
from textual.worker import get_current_worker

from secondme import times
from secondme.memory.schema import KINDS, STATUSES
from secondme.tui.messages import MemoriesFound
from secondme.tui.screens import FailuresNoticed

ALL = "all"
NEXT_LEVEL = {"normal": "private", "private": "never_inject", "never_inject": "normal"}
LEVEL_NAMES = {"normal": "normal", "private": "private (only where a request is about it)", "never_inject": "never sent to a model"}


class MemoryBrowserScreen(FailuresNoticed, Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("e", "edit", "Edit"),
        Binding("p", "pin", "Pin/unpin"),
        Binding("s", "sensitivity", "Privacy"),
        Binding("d", "forget", "Forget"),
        Binding("slash", "focus_search", "Search", show=False),
    ]

    def __init__(self, memories) -> None:
        super().__init__(id="browser-screen")
        self.memories = memories
        self.rows: dict[int, object] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="browser-filters"):
            yield Input(placeholder="search your memories (words or meaning)…", id="search")
            yield Select([(kind, kind) for kind in (ALL, *KINDS)], value=ALL, allow_blank=False, id="kind-filter")
            yield Select([(status, status) for status in (ALL, *STATUSES)], value="active", allow_blank=False, id="status-filter")
        with Horizontal(id="browser-body"):
            yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail"):
                yield Label("", id="detail-title")
                yield Static("", id="detail-body", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#results", DataTable)
        table.add_columns("id", "memory", "kind", "status", "trust")
        self.refresh_results()
        self.query_one("#search", Input).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def criteria_changed(self) -> None:
        self.refresh_results()

    def refresh_results(self) -> None:
        """Search with what the filters say now (read here, on the app's thread)."""
        kind, status = self.query_one("#kind-filter", Select).value, self.query_one("#status-filter", Select).value
        answering = getattr(getattr(self.app, "chat", None), "answering", None) is not None
        self.search(self.query_one("#search", Input).value, () if kind == ALL else (kind,), () if status == ALL else (status,), answering)

    @work(thread=True, exclusive=True, group="browse", exit_on_error=False)
    def search(self, query: str, kinds: tuple[str, ...], statuses: tuple[str, ...], words_only: bool) -> None:
        # words_only while the model is writing: no embedding beside it
        found = self.memories.browse(query, kinds=kinds, statuses=statuses, words_only=words_only)
        if not get_current_worker().is_cancelled:  # a newer search replaced this one
            self.post_message(MemoriesFound(found))

    @on(MemoriesFound)
    def show_found(self, event: MemoriesFound) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        self.rows = {memory.id: memory for memory in event.memories}
        room = max(20, table.size.width - 38)  # what the other columns leave for the text
        for memory in event.memories:
            table.add_row(
                f"#{memory.id}", Text(_one_line(memory.content, room)), memory.kind, memory.status, f"{memory.trust:.2f}", key=str(memory.id)
            )
        if not event.memories:
            self.show_detail(None)

    @on(DataTable.RowHighlighted)
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self.show_detail(self.memories.get(int(event.row_key.value)))

    def show_detail(self, memory) -> None:
        title, body = self.query_one("#detail-title", Label), self.query_one("#detail-body", Static)
        if memory is None:
            title.update("Nothing found" if not self.rows else "")
            body.update("")
            return
        title.update(f"#{memory.id} · {memory.kind} · {memory.status}" + (" · pinned" if memory.pinned else ""))
        lines = [
            memory.content,
            "",
            f"source      {memory.source}",
            f"sensitivity {memory.sensitivity}" + (f" ({', '.join(memory.categories)})" if memory.categories else ""),
            f"trust       {memory.trust:.2f} (α {memory.trust_alpha:g}, β {memory.trust_beta:g})",
            f"created     {times.local(memory.created_at)}",
            f"recalled    {memory.recall_count} times",
        ]
        if memory.tags:
            lines.append(f"tags        {', '.join(memory.tags)}")
        if memory.provenance:
            lines.append(f"provenance  {json.dumps(memory.provenance, ensure_ascii=False, indent=1)}")
        versions = self.memories.versions(memory.id)
        if versions:
            lines += ["", "earlier versions:"] + [f"  v{v['version']} ({times.local(v['changed_at'])}): {v['content']}" for v in versions]
        links = self.memories.links(memory.id)
        if links:
            lines += ["", "links:"] + [
                f"  {link['relation']} #{link['dst_id'] if link['src_id'] == memory.id else link['src_id']}" for link in links
            ]
        body.update("\n".join(lines))

    def selected(self):
        table = self.query_one("#results", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.memories.get(int(key))

    def action_pin(self) -> None:
        memory = self.selected()
        if memory is not None:
            self.memories.pin(memory.id, not memory.pinned)
            self.notify(("Unpinned" if memory.pinned else "Pinned") + f" #{memory.id}.", timeout=2)
            self.show_detail(self.memories.get(memory.id))

    def action_sensitivity(self) -> None:
        """normal -> private -> never (sent to a model) -> normal."""
        memory = self.selected()
        if memory is not None:
            level = NEXT_LEVEL[memory.sensitivity]
            self.memories.mark([memory.id], level)
            self.notify(f"#{memory.id} is {LEVEL_NAMES[level]} now.", timeout=2)
            self.show_detail(self.memories.get(memory.id))

    def action_forget(self) -> None:
        from secondme.tui.screens.dialogs import forget_dialog

        memory = self.selected()
        if memory is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.memories.forget([memory.id])
                self.notify(f"Forgot #{memory.id}.", timeout=2)
                self.refresh_results()

        self.app.push_screen(forget_dialog(memory), confirmed)

    def action_edit(self) -> None:
        from secondme.tui.screens.dialogs import EditDialog

        memory = self.selected()
        if memory is None:
            return

        def edited(text: str | None) -> None:
            if text is not None and text.strip() and text.strip() != memory.content:
                self.save_edit(memory.id, text)

        self.app.push_screen(EditDialog(f"Edit #{memory.id}", memory.content), edited)

    @work(thread=True, exclusive=True, group="edit", exit_on_error=False)
    def save_edit(self, memory_id: int, text: str) -> None:
        self.memories.edit(memory_id, text)
        self.app.call_from_thread(self.notify, f"Saved #{memory_id}; the old text is in its history.", timeout=3)
        self.app.call_from_thread(self.refresh_results)


def _one_line(text: str, width: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"
