"""The chat: messages on the left, the memories behind the current answer on the right."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from rich.markup import escape
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from secondme.tui import commands
from secondme.tui.messages import (
    AnswerFinished, AnswerRated, AnswerStreamed, ForgetRequested, MemoriesRecalled, MemoryChanged, MemoryModeChosen, ModelChosen,
    PinToggled, PrivacyToggled, PromptSubmitted, SleepRequested, SuggestionsChanged,
)
from secondme.tui.widgets.memory_panel import MemoryCard, MemoryPanel
from secondme.tui.widgets.message import ChatMessage
from secondme.tui.widgets.prompt_input import PromptInput
from secondme.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from secondme.memory.service import Memories

WELCOME = (
    "Hi. I'm secondme: I run on this computer and remember what you tell me, in one encrypted file. "
    "The memories I use for an answer appear on the right. Type `/help` for commands."
)


class ChatScreen(Screen):
    BINDINGS = [
        Binding("escape", "stop", "Stop answer"),
        Binding("ctrl+y", "copy_last", "Copy answer", priority=True),
        Binding("ctrl+n", "new_session", "New session"),
    ]

    def __init__(self) -> None:
        super().__init__(id="chat-screen")
        self.answering: ChatMessage | None = None
        self.pending: str | None = None  # sent before the model was ready
        self.cancel = threading.Event()

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="chat-column"):
                yield Static(id="model-banner")
                yield VerticalScroll(id="messages")
                yield OptionList(id="completions")
                yield PromptInput(id="prompt", placeholder="Message secondme…  (Enter sends, Ctrl+J new line, /help)")
            yield MemoryPanel(id="memory-panel")
        yield StatusBar(id="status-bar")
        yield Footer()

    async def on_mount(self) -> None:
        self.query_one("#completions", OptionList).display = False
        self.query_one("#model-banner", Static).display = False
        self.prompt.focus()
        status = self.status
        status.state = "loading model"
        status.memory_mode = self.app.memory_mode
        await self.add_message("notice", WELCOME)

    # -- shortcuts -------------------------------------------------------------------------------

    @property
    def prompt(self) -> PromptInput:
        return self.query_one("#prompt", PromptInput)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def panel(self) -> MemoryPanel:
        return self.query_one("#memory-panel", MemoryPanel)

    async def add_message(self, role: str, text: str = "", meta: str = "") -> ChatMessage:
        return await self.mount_message(ChatMessage(role, text, meta))

    async def mount_message(self, message: ChatMessage) -> ChatMessage:
        container = self.query_one("#messages", VerticalScroll)
        await container.mount(message)
        container.scroll_end(animate=False)
        return message

    def set_activity(self, activity: str) -> None:
        self.status.activity = activity

    # -- readiness (called by the app) ---------------------------------------------------------------

    def on_screen_resume(self) -> None:
        """Back from the browser or review, where memories may have been forgotten or approved."""
        if self.app.memories is not None:
            self.status.memory_count = self.app.memories.count("active")

    def memory_ready(self) -> None:
        memories = self.app.memories
        self.status.memory_count = memories.count("active")
        request = self.app.resume_request
        if request:
            session_id = request if isinstance(request, int) and request is not True else memories.latest_session()
            if session_id:
                self.resume_session(session_id)
        self._send_pending()

    def model_ready(self) -> None:
        self.query_one("#model-banner", Static).display = False
        model = self.app.model
        self.status.model, self.status.state = model.name, "ready"
        self.status.context_size = model.n_ctx
        self._send_pending()

    def model_unavailable(self, error: str) -> None:
        self.status.model, self.status.state = "no model", "choose one with /model PATH"
        banner = self.query_one("#model-banner", Static)
        banner.update(
            f"[b]The model cannot answer:[/b] {escape(error)}\n"
            "Your memories are all here: Ctrl+B browses them, /recall searches, /export saves them. "
            "/model PATH tries another model."
        )
        banner.display = True

    def _send_pending(self) -> None:
        if self.pending and self.app.model is not None and self.app.assistant is not None:
            text, self.pending = self.pending, None
            self.call_later(self.start_turn, text, False)

    # -- input -----------------------------------------------------------------------------------

    @on(SuggestionsChanged)
    def show_suggestions(self, event: SuggestionsChanged) -> None:
        listing = self.query_one("#completions", OptionList)
        listing.clear_options()
        listing.add_options(Option(f"{c.usage}  [dim]{c.help}[/]") for c in event.suggestions)
        listing.display = bool(event.suggestions)
        if event.suggestions:
            listing.highlighted = event.highlighted

    @on(PromptSubmitted)
    async def submitted(self, event: PromptSubmitted) -> None:
        try:
            invocation = commands.parse(event.text)
        except commands.CommandError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        if invocation is not None:
            await self.run_command(invocation)
        else:
            await self.send(commands.message_text(event.text))

    async def send(self, text: str) -> None:
        if self.answering is not None:
            self.notify("Still answering: press Esc to stop it first.", severity="warning")
            return
        if self.app.model is None or self.app.assistant is None:
            if self.app.model_error:
                self.notify("There is no model to answer: choose one with /model PATH.", severity="error")
                return
            self.pending = text
            await self.add_message("user", text)
            await self.add_message("notice", "The model is still loading; your message goes out as soon as it is ready.")
            return
        await self.start_turn(text)

    async def start_turn(self, text: str, echo: bool = True) -> None:
        # Busy from this moment, not from when the message is mounted: a second Enter (or a
        # pending message) during the mount would otherwise start a second turn.
        self.answering = ChatMessage("assistant", meta="thinking…")
        if echo:
            await self.add_message("user", text)
        await self.mount_message(self.answering)
        self.status.state = "thinking"
        self.cancel = threading.Event()
        self.run_turn(text)

    # -- the turn (in a thread) --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="turn", exit_on_error=False)
    def run_turn(self, text: str) -> None:
        with self.app.turn_running:
            self.app.quiet_for_generation()
            result = self.app.assistant.turn(
                text,
                on_recalled=lambda hits, held: self.post_message(MemoriesRecalled(hits, held_back=held)),
                on_token=lambda piece: self.post_message(AnswerStreamed(piece)),
                cancel=self.cancel,
            )
        self.post_message(AnswerFinished(result))

    @on(MemoriesRecalled)
    async def memories_recalled(self, event: MemoriesRecalled) -> None:
        await self.panel.show(event.hits, event.title, event.held_back)
        if self.answering is not None and self.status.state == "thinking":
            self.answering.set_meta(f"{len(event.hits)} memories")

    @on(AnswerStreamed)
    async def answer_streamed(self, event: AnswerStreamed) -> None:
        if self.answering is None:
            return
        self.status.state = "answering"
        await self.answering.append(event.piece)
        self.query_one("#messages", VerticalScroll).scroll_end(animate=False)

    @on(AnswerFinished)
    async def answer_finished(self, event: AnswerFinished) -> None:
        result = event.result
        stats = result.stats
        if stats.finish == "memory":
            cited = ", ".join(f"#{memory_id}" for memory_id in result.citations)
            meta = (f"from memory {cited}" if result.grounded else f"not known · closest {cited}") if cited \
                else f"not in memory · {len(result.used)} memories read"
        else:
            meta = f"{stats.completion_tokens} tokens · {stats.decode_tok_s:.0f} tok/s · {len(result.used)} memories"
        if stats.finish == "cancelled":
            meta += " · stopped"
        elif stats.finish == "loop":
            meta += " · stopped repeating itself"
        if self.answering is not None:
            hint_only = stats.finish == "memory" and not result.grounded  # "I don't know for sure. The closest ..."
            self.answering.used_ids = [] if hint_only else [hit.memory.id for hit in result.used]
            self.answering.reply_id = result.reply_id
            await self.answering.finish(result.answer or "_(no answer)_", meta)
        self.panel.highlight(result.citations)
        self.answering = None
        status = self.status
        status.state = "ready"
        if stats.finish != "memory":  # an answer read out of memory used no model
            status.tok_s = stats.decode_tok_s
            status.context_used = stats.prompt_tokens + stats.completion_tokens
        status.memory_count = self.app.memories.count("active")
        if result.facts:
            self.notify("Noted: " + " ".join(result.facts), timeout=4, markup=False)  # the user's words

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "turn" and event.state == WorkerState.ERROR:
            self.call_later(self._turn_failed, event.worker.error)
        elif event.worker.group in ("memory-task", "panel-write") and event.state == WorkerState.ERROR:
            self.notify(str(event.worker.error), severity="error", markup=False)

    async def _turn_failed(self, error: BaseException) -> None:
        from secondme.tui.screens.dialogs import ErrorDialog

        if self.answering is not None:
            await self.answering.finish(self.answering.text or "_(no answer)_", "failed")
        self.answering = None
        self.status.state = "ready"
        self.app.push_screen(ErrorDialog("The answer failed", str(error)))

    # -- actions ---------------------------------------------------------------------------------

    def action_stop(self) -> None:
        if self.answering is not None:
            self.cancel.set()
        elif self.query_one("#completions", OptionList).display:
            self.prompt.clear()

    def action_copy_last(self) -> None:
        answers = self.query("ChatMessage.assistant")
        if answers:
            answers.last().action_copy()

    async def action_new_session(self) -> None:
        if self.answering is not None:
            self.notify("Still answering: press Esc to stop it first.", severity="warning")
            return
        if self.app.assistant is not None:
            ended = self.app.assistant.session_id is not None
            self.app.assistant.new_session()
            if ended:
                self.post_message(SleepRequested())  # the session is over: consolidate while the user reads
        await self.query_one("#messages", VerticalScroll).remove_children()
        await self.panel.show([], "Memories used")
        self.status.tok_s, self.status.context_used = 0.0, 0  # they described the last answer
        await self.add_message("notice", "New session.")

    def resume_session(self, session_id: int | None) -> None:
        if session_id is not None:
            self.run_worker(self._resume(session_id), exclusive=True, group="resume")

    async def _resume(self, session_id: int) -> None:
        try:
            messages = self.app.assistant.resume(session_id)
        except LookupError:  # `chat --session 999`, or a session erased elsewhere since the list was shown
            await self.add_message("notice", f"There is no session #{session_id}; this is a new one.")
            return
        container = self.query_one("#messages", VerticalScroll)
        await container.remove_children()
        await container.mount_all(ChatMessage(m["role"], m["content"]) for m in messages)
        session = self.app.memories.session(session_id)
        await self.add_message("notice", f"Resumed “{session['title'] or 'untitled'}” ({len(messages)} messages).")

    # -- memory panel ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="panel-write", exit_on_error=False)
    def write_memory(self, write: Callable[[Memories], object], notice: str) -> None:
        """A write asked for from the panel or an answer: off the app's thread, since it may wait
        up to 10 s for another process's write to end."""
        write(self.app.memories)
        self.post_message(MemoryChanged(notice))

    @on(AnswerRated)
    def answer_rated(self, event: AnswerRated) -> None:
        self.write_memory(lambda memories: memories.rate_answer(event.memory_ids, event.good, event.reply_id),
                          "Thanks: the answer is kept as true, and its memories gain trust." if event.good else "Noted.")

    @on(PinToggled)
    def pin_toggled(self, event: PinToggled) -> None:
        self.write_memory(lambda memories: memories.pin(event.memory_id, event.pinned),
                          ("Pinned" if event.pinned else "Unpinned") + f" #{event.memory_id}.")
        for card in self.query(MemoryCard):
            if card.hit.memory.id == event.memory_id:
                card.hit.memory.pinned = event.pinned
                card.query_one(".pin").label = "unpin" if event.pinned else "pin"

    @on(PrivacyToggled)
    def privacy_toggled(self, event: PrivacyToggled) -> None:
        level = "private" if event.private else "normal"
        self.write_memory(lambda memories: memories.mark([event.memory_id], level), f"#{event.memory_id} is {level} now.")
        for card in self.query(MemoryCard):
            if card.hit.memory.id == event.memory_id:
                card.hit.memory.sensitivity = level
                card.query_one(".privacy").label = "normal" if event.private else "private"

    @on(ForgetRequested)
    def forget_requested(self, event: ForgetRequested) -> None:
        from secondme.tui.screens.dialogs import forget_dialog

        memory = self.app.memories.get(event.memory_id)
        if memory is None:
            return

        async def confirmed(yes: bool | None) -> None:
            if yes:
                self.write_memory(lambda memories: memories.forget([memory.id]), f"Forgot #{memory.id}.")
                await self.panel.drop(memory.id)

        self.app.push_screen(forget_dialog(memory), confirmed)

    # -- slash commands ----------------------------------------------------------------------------

    async def run_command(self, invocation: commands.Invocation) -> None:
        name, argument = invocation.command.name, invocation.argument
        if name in {"remember", "forget", "recall", "export"} and self.app.memories is None:
            self.notify("The memory store is not open yet.", severity="warning")
            return
        if name == "help":
            self.app.action_help()
        elif name == "browse":
            self.app.action_browse()
        elif name == "sessions":
            self.app.action_sessions()
        elif name == "review":
            self.app.action_review()
        elif name == "sleep":
            if self.answering is not None:
                self.notify("Wait until the answer is written (or press Esc).", severity="warning")
            elif self.app.memories is not None:
                self.post_message(SleepRequested())
        elif name == "clear":
            await self.action_new_session()
        elif name == "memory":
            self.set_memory_mode(argument)
        elif name == "model":
            self.choose_model(argument)
        elif not argument and name != "export":
            self.notify(f"Usage: {invocation.command.usage}", severity="warning")
        elif self.answering is not None:
            self.notify("Wait until the answer is written (or press Esc).", severity="warning")
        else:
            self.memory_task(name, argument)

    def set_memory_mode(self, mode: str) -> None:
        from secondme.config import MEMORY_MODES

        if mode not in MEMORY_MODES:
            self.notify(f"Memory mode is {self.app.memory_mode}; choose off, normal or strict.")
            return
        self.post_message(MemoryModeChosen(mode))
        self.status.memory_mode = mode
        self.notify({"off": "Memory off: nothing is recalled or kept.", "normal": "Memory normal.", "strict": "Memory strict: only trusted facts go into prompts."}[mode])

    def choose_model(self, choice: str) -> None:
        if not choice:
            model = self.app.model
            self.notify(f"Model: {model.name} ({model.path})" if model is not None else f"No model: {self.app.model_error}")
            return
        if self.answering is not None:
            self.notify("Wait until the answer is written (or press Esc).", severity="warning")
            return
        self.status.state = "loading model"
        self.post_message(ModelChosen(choice))

    @work(thread=True, exclusive=True, group="memory-task", exit_on_error=False)
    def memory_task(self, name: str, argument: str) -> None:
        """Commands that embed or write: off the UI thread, and never while an answer streams."""
        memories = self.app.memories
        if name == "remember":
            from secondme.memory.types import NewMemory

            result = memories.remember([NewMemory(argument, kind="note", source="user")])
            self.post_message(MemoryChanged(f"Remembered #{result.ids[0]}." if result.new else f"Already remembered as #{result.ids[0]}."))
        elif name == "forget":
            ids = [int(part.lstrip("#")) for part in argument.replace(",", " ").split() if part.lstrip("#").isdigit()]
            if not ids:
                self.post_message(MemoryChanged(f"No memory id in {argument!r}: /forget takes ids, as in /forget 12 15."))
                return
            unknown = memories.forget(ids)
            known = [i for i in ids if i not in unknown]
            self.post_message(MemoryChanged((f"Forgot {', '.join(f'#{i}' for i in known)}. " if known else "") + (f"No memory {', '.join(f'#{i}' for i in unknown)}." if unknown else "")))
        elif name == "recall":
            hits, held = memories.look_up(argument, k=10)
            self.post_message(MemoriesRecalled(hits, f"Recall: {argument[:30]}", held))
        elif name == "export":
            self.post_message(MemoryChanged(_export(memories, argument)))

    @on(MemoryChanged)
    def memory_changed(self, event: MemoryChanged) -> None:
        self.status.memory_count = self.app.memories.count("active")
        self.notify(event.notice, timeout=4, markup=False)


def _export(memories, argument: str) -> str:
    target = Path(argument).expanduser() if argument else Path.home() / f"secondme-export-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"
    return f"Exported {memories.export_to(target)} memories to {target}."
