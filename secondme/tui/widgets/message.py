"""One chat message: a header line and a Markdown body that can be streamed into."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Markdown
from textual.widgets.markdown import MarkdownStream

from secondme.tui.messages import AnswerRated

ROLE_LABELS = {"user": "you", "assistant": "secondme", "notice": ""}


class ChatMessage(Vertical, can_focus=True):
    """Focus a message (Tab or click): c copies it; on an answer, + and - rate it."""

    BINDINGS = [
        Binding("c", "copy", "Copy message"),
        Binding("plus", "rate(True)", "Good answer"),
        Binding("minus", "rate(False)", "Bad answer"),
    ]

    def __init__(self, role: str, text: str = "", meta: str = "", **kwargs) -> None:
        super().__init__(classes=f"message {role}", **kwargs)
        self.role = role
        self.text = text
        self.meta = meta
        self.used_ids: list[int] = []  # the memories behind an answer
        self.reply_id: int | None = None  # the answer as a memory (a model's answer, not one read from memory)
        self._stream: MarkdownStream | None = None

    def compose(self) -> ComposeResult:
        header = Label(self._header(), classes="message-header")
        header.display = self.role != "notice"
        yield header
        yield Markdown(as_typed(self.text) if self.role == "user" else self.text, classes="message-body")

    def _header(self) -> str:
        label = ROLE_LABELS.get(self.role, self.role)
        return f"{label}  [dim]{self.meta}[/]" if self.meta else label

    @property
    def body(self) -> Markdown:
        return self.query_one(".message-body", Markdown)

    async def append(self, fragment: str) -> None:
        if self._stream is None:
            self._stream = Markdown.get_stream(self.body)
        self.text += fragment
        await self._stream.write(fragment)

    async def finish(self, text: str | None = None, meta: str = "") -> None:
        """End streaming; ``text`` replaces the body (the stripped final answer)."""
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
        if text is not None and text != self.text:
            self.text = text
            await self.body.update(text)
        self.set_meta(meta)

    def set_meta(self, meta: str) -> None:
        self.meta = meta
        self.query_one(".message-header", Label).update(self._header())

    def action_rate(self, good: bool) -> None:
        if self.role == "assistant" and (self.used_ids or self.reply_id):
            self.post_message(AnswerRated(list(self.used_ids), good, self.reply_id))

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.app.notify("Message copied to the clipboard.", timeout=2)


def as_typed(text: str) -> str:
    """What the user typed, its line breaks kept: Markdown joins lines that a single newline
    separates, so a pasted three-line note showed as one line."""
    return "\n".join(line + "  " if line.strip() else line for line in text.split("\n"))
