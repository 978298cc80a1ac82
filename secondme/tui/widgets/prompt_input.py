"""The chat input: Enter sends, Ctrl+J (or Shift+Enter) breaks the line, ↑/↓ walk the history,
Tab completes a slash command.

These keys are handled in the widget's own key handler, in the order they arrive, not by priority
bindings: the app runs a priority binding the moment the key reaches it, while the characters
typed just before it may still wait in this widget's queue. A burst ("hello" + Enter from a fast
typist on a busy machine, a terminal without bracketed paste, `tmux send-keys`) then sent half a
message and left the rest in the box.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import TextArea

from secondme.tui import commands
from secondme.tui.messages import PromptSubmitted, SuggestionsChanged


class PromptInput(TextArea):
    BINDINGS = [  # shown in the footer; ``_on_key`` runs them in order (see above)
        Binding("enter", "submit", "Send"),
        Binding("ctrl+j,shift+enter", "newline", "New line", key_display="^J"),
    ]
    KEY_ACTIONS = {
        "enter": "submit",
        "ctrl+j": "newline",
        "shift+enter": "newline",
        "up": "history_previous",
        "down": "history_next",
        "tab": "complete",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self.sent: list[str] = []
        self._history_index: int | None = None
        self._draft = ""
        self.suggestions: list[commands.SlashCommand] = []
        self.highlighted = 0

    async def _on_key(self, event: events.Key) -> None:
        action = self.KEY_ACTIONS.get(event.key)
        if action is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        getattr(self, f"action_{action}")()

    def action_submit(self) -> None:
        chosen = self._chosen_completion()
        if chosen is not None and self.text.strip() != f"/{chosen.name}":
            self._show(f"/{chosen.name} ")
            return
        text = self.text
        if not text.strip():
            return
        if not self.sent or self.sent[-1] != text:
            self.sent.append(text)
        self._history_index = None
        self.clear()
        self.post_message(PromptSubmitted(text))

    def action_newline(self) -> None:
        self.insert("\n")

    def action_history_previous(self) -> None:
        if self.suggestions:
            self._highlight(-1)
        elif self.cursor_location[0] == 0 and self.sent:
            if self._history_index is None:
                self._draft, self._history_index = self.text, len(self.sent)
            self._history_index = max(0, self._history_index - 1)
            self._show(self.sent[self._history_index])
        else:
            self.action_cursor_up()

    def action_history_next(self) -> None:
        if self.suggestions:
            self._highlight(+1)
        elif self._history_index is not None and self.cursor_location[0] == self.document.line_count - 1:
            self._history_index += 1
            if self._history_index >= len(self.sent):
                self._history_index = None
                self._show(self._draft)
            else:
                self._show(self.sent[self._history_index])
        else:
            self.action_cursor_down()

    def action_complete(self) -> None:
        chosen = self._chosen_completion()
        if chosen is not None:
            self._show(f"/{chosen.name} ")
        else:
            self.app.action_focus_next()

    def _chosen_completion(self) -> commands.SlashCommand | None:
        """The command the text would complete to now. The list shown may lag the text by a
        burst of keys (it follows the Changed message, which waits behind them): "/forget abc"
        and Enter sent together was completed back to "/forget " by the list of "/forget"."""
        current = commands.completions(self.text)
        if not current:
            return None
        return current[self.highlighted] if current == self.suggestions else current[0]

    def _show(self, text: str) -> None:
        self.text = text
        self.move_cursor(self.document.end)

    def _highlight(self, step: int) -> None:
        self.highlighted = (self.highlighted + step) % len(self.suggestions)
        self.post_message(SuggestionsChanged(self.suggestions, self.highlighted))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        suggestions = commands.completions(self.text)
        if suggestions != self.suggestions:
            self.suggestions, self.highlighted = suggestions, 0
            self.post_message(SuggestionsChanged(suggestions, 0))
