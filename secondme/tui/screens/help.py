"""Keys and slash commands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from secondme.tui.commands import COMMANDS

KEYS = """\
| key | does |
| --- | --- |
| Enter | send the message |
| Ctrl+J (or Shift+Enter) | new line in the message |
| ↑ / ↓ | earlier / later messages you sent |
| Tab | complete a /command |
| Esc | stop the answer being written |
| Ctrl+Y | copy the last answer |
| c (on a focused message) | copy that message |
| + / - (on a focused answer) | rate it: memories behind a good answer gain trust |
| Ctrl+R | review quarantined and low-trust memories |
| Ctrl+B | memory browser |
| Ctrl+S | past sessions |
| Ctrl+N | new session |
| F1 | this help |
| Ctrl+Q | quit |
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(help_text())


def help_text() -> str:
    commands = "\n".join(f"| `{_cell(command.usage)}` | {_cell(command.help)} |" for command in COMMANDS)
    return f"# secondme\n\n## Keys\n\n{KEYS}\n## Commands\n\n| command | does |\n| --- | --- |\n{commands}\n"


def _cell(text: str) -> str:
    """A table cell: "/memory off|normal|strict" keeps its bars (a bare one starts a new cell)."""
    return text.replace("|", "\\|")
