"""Every message the TUI's parts send each other, named for what happened, with typed fields.

Attributes down, messages up: workers and widgets post these; the screen or the app that owns
the state handles them and pushes the new state down into widgets (never a widget reaching up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from secondme.assistant import TurnResult
    from secondme.memory.consolidate import SleepReport
    from secondme.memory.recall import Hit
    from secondme.memory.sensitivity import Held
    from secondme.memory.service import Memories
    from secondme.memory.types import Memory
    from secondme.tui.commands import SlashCommand


# -- from the app's workers ----------------------------------------------------------------------


@dataclass
class ModelLoaded(Message):
    model: Any  # a LocalModel (or a test's stand-in): the model layer's type stays out of the first paint
    choice: str = ""  # what was asked for (a path, a name, "bundled")


@dataclass
class ModelFailed(Message):
    error: str
    choice: str = ""


@dataclass
class MemoryOpened(Message):
    memories: Memories


@dataclass
class MemoryWarmed(Message):
    pass


@dataclass
class MemorySlept(Message):
    report: SleepReport


# -- from the chat screen up to the app ------------------------------------------------------------


@dataclass
class ModelChosen(Message):
    choice: str  # a path, a listed name, ollama:NAME, or "bundled"


@dataclass
class MemoryModeChosen(Message):
    mode: str  # off | normal | strict


@dataclass
class SleepRequested(Message):
    """A session ended, or /sleep: consolidate now (the app waits for the model to be idle)."""


# -- a chat turn, from its worker ------------------------------------------------------------------


@dataclass
class MemoriesRecalled(Message):
    hits: list[Hit]
    title: str = "Memories used"
    held_back: list[Held] = field(default_factory=list)  # sensitive memories kept out, with why


@dataclass
class AnswerStreamed(Message):
    piece: str


@dataclass
class AnswerFinished(Message):
    result: TurnResult


@dataclass
class MemoryChanged(Message):
    notice: str


# -- from widgets ------------------------------------------------------------------------------------


@dataclass
class PromptSubmitted(Message):
    text: str


@dataclass
class SuggestionsChanged(Message):
    suggestions: list[SlashCommand]
    highlighted: int


@dataclass
class AnswerRated(Message):
    memory_ids: list[int] = field(default_factory=list)
    good: bool = True
    reply_id: int | None = None  # the answer itself, kept as a memory: a good rating confirms it


@dataclass
class PinToggled(Message):
    memory_id: int
    pinned: bool


@dataclass
class PrivacyToggled(Message):
    memory_id: int
    private: bool


@dataclass
class ForgetRequested(Message):
    memory_id: int


@dataclass
class MemoriesFound(Message):
    memories: list[Memory]


@dataclass
class ReviewLoaded(Message):
    pending: list[Memory]  # waiting for a verdict, after those just written (if any)
    verdict: str = ""  # "Approved #12. Rejected #13." for the verdicts just written
