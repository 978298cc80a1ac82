"""SecondMeApp: unlocks the memory store, loads the model in the background, hosts the screens.

Long work runs in thread workers that report back with messages named for what happened
(``ModelLoaded``, ``MemoryWarmed``...); widgets are only touched on the app's own thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from textual import on, work
from textual.app import App
from textual.binding import Binding

from secondme.config import Paths, load_settings, paths, save_setting
from secondme.model.llm import LocalModel
from secondme.tui.messages import (
    MemoryModeChosen, MemoryOpened, MemorySlept, MemoryWarmed, ModelChosen, ModelFailed, ModelLoaded, SleepRequested,
)


SLEEP_EVERY = 12 * 3600.0  # at start-up, consolidate if the last sleep is older than this
QUIT_WAIT = 10.0  # seconds quitting waits for a stopped answer or sleep to let go of the model and store


class SecondMeApp(App):
    CSS_PATH = Path(__file__).with_name("secondme.tcss")  # absolute: subclasses (tests) live elsewhere
    TITLE = "secondme"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("ctrl+b", "browse", "Memories"),
        Binding("ctrl+s", "sessions", "Sessions"),
        Binding("ctrl+r", "review", "Review"),
    ]

    def __init__(
        self,
        where: Paths | None = None,
        model_choice: str | None = None,
        memory_mode: str | None = None,
        resume: int | bool | None = None,
        model_factory: Callable[[Path], object] = LocalModel,
    ) -> None:
        super().__init__()
        self.where = where or paths()
        self.settings = load_settings(self.where)
        self.model_choice = self.settings.model if model_choice is None else model_choice
        self.memory_mode = memory_mode or self.settings.memory_mode
        self.resume_request = resume
        self.model_factory = model_factory
        self.memories = None
        self.model = None
        self.model_error: str | None = None
        self.assistant = None
        # Consolidation never runs beside generation: a turn sets the interrupt and waits.
        self.sleep_done = threading.Event()
        self.sleep_done.set()
        self.sleep_interrupt = threading.Event()
        # Held by a turn while it uses the model and the store: quitting waits for it before
        # closing them (closing llama.cpp under a decoding thread crashed the process).
        self.turn_running = threading.Lock()
        self.switching_to: str | None = None  # a model chosen with /model, until it loads or fails

    # -- start-up ---------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from secondme.tui.screens.chat import ChatScreen

        self.chat = ChatScreen()
        self.push_screen(self.chat)
        # Heavy imports (llama.cpp, numpy, the store) wait for the first paint: the input box
        # must accept keys at once, and background threads importing modules hold the GIL.
        self.call_after_refresh(self.start_background_work)

    def start_background_work(self) -> None:
        from secondme.memory.keys import UnlockError
        from secondme.memory.service import Memories

        from secondme.tui.screens.unlock import UnlockScreen

        self.load_model(self.model_choice)
        try:
            locked = Memories.must_ask_passphrase(self.where)
        except UnlockError as exc:
            self.fail_to_open(str(exc))
            return
        if locked:
            self.push_screen(UnlockScreen(self.where))
        else:
            self.open_memories(None)

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def open_memories(self, passphrase: str | None) -> None:
        from secondme.memory.service import Memories

        memories = Memories.open(self.where, passphrase)
        self.post_message(MemoryOpened(memories))

    @on(MemoryOpened)
    def memory_opened(self, event: MemoryOpened) -> None:
        from secondme.assistant import Assistant

        self.memories = event.memories
        self.assistant = Assistant(self.memories, self.model, mode=self.memory_mode)
        self.warm_memory()
        self.chat.memory_ready()

    @work(thread=True, exclusive=True, group="warm", exit_on_error=False)
    def warm_memory(self) -> None:
        """Load the embedder and mirror the vectors now, so the first message does not wait."""
        self.call_from_thread(self.chat.set_activity, "preparing memory search")
        self.memories.warm()
        self.post_message(MemoryWarmed())

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def load_model(self, choice: str) -> None:
        from secondme.model.ggufinfo import ModelFileError
        from secondme.model.llm import ModelError
        from secondme.model.registry import resolve

        try:
            model = self.model_factory(resolve(choice))
            model.load()
        except (ModelFileError, ModelError) as exc:
            self.post_message(ModelFailed(str(exc), choice))
            return
        self.post_message(ModelLoaded(model, choice))

    @on(ModelLoaded)
    def model_loaded(self, event: ModelLoaded) -> None:
        if self.model is not None and self.model is not event.model and hasattr(self.model, "close"):
            self.model.close()
        self.model, self.model_error = event.model, None
        if self.assistant is not None:
            self.assistant.model = event.model
        if event.choice == self.switching_to:
            self.switching_to = None
            self.remember_setting("model", event.choice)  # only a model that loaded becomes the default
        self.chat.model_ready()

    @on(ModelFailed)
    def model_failed(self, event: ModelFailed) -> None:
        """No modal: the chat stays usable for everything but answers (a banner says why). A
        switch that fails keeps the model already loaded, and says so."""
        if event.choice == self.switching_to:
            self.switching_to = None
            if self.model is not None:
                self.notify(f"Could not switch to {event.choice}: {event.error}. Still using {self.model.name}.",
                            severity="error", timeout=10, markup=False)
                self.chat.model_ready()
                return
        self.model_error = event.error
        self.chat.model_unavailable(event.error)

    def fail_to_open(self, message: str) -> None:
        from secondme.tui.screens.dialogs import ErrorDialog

        self.push_screen(ErrorDialog("The memory store cannot be opened", f"{message}\n\nsecondme will close."), lambda _: self.exit(return_code=2))

    @on(MemoryWarmed)
    def memory_warmed(self) -> None:
        self.chat.set_activity("")
        if time.time() - self.memories.last_sleep() > SLEEP_EVERY:
            self.run_sleep()

    @work(thread=True, exclusive=True, group="sleep", exit_on_error=False)
    def run_sleep(self) -> None:
        """Consolidate in the background; a message to the model interrupts it."""
        from secondme.assistant import summarizer

        self.sleep_done.clear()
        try:
            self.call_from_thread(self.chat.set_activity, "sleeping: consolidating memories")
            summarize = summarizer(self.model) if self.model is not None else None
            report = self.memories.sleep(interrupt=self.sleep_interrupt, summarize=summarize)
            self.post_message(MemorySlept(report))
        finally:
            self.sleep_done.set()

    @on(MemorySlept)
    def memory_slept(self, event: MemorySlept) -> None:
        self.chat.set_activity("")
        self.chat.status.memory_count = self.memories.count("active")
        report = event.report
        changes = report.superseded + report.merged + report.summaries + report.archived + report.forgotten
        if changes and not report.interrupted:
            self.notify(
                f"Slept: {report.superseded} superseded, {report.merged} merged, {report.summaries} summaries, {report.archived} archived.",
                timeout=4,
            )

    @on(ModelChosen)
    def model_chosen(self, event: ModelChosen) -> None:
        self.model_choice = self.switching_to = event.choice
        self.load_model(event.choice)

    @on(MemoryModeChosen)
    def memory_mode_chosen(self, event: MemoryModeChosen) -> None:
        self.memory_mode = event.mode
        if self.assistant is not None:
            self.assistant.mode = event.mode
        self.remember_setting("memory_mode", event.mode)

    @on(SleepRequested)
    def sleep_requested(self) -> None:
        self.run_sleep()

    def quiet_for_generation(self) -> None:
        """Called from the turn's thread: stop any consolidation and wait until it has."""
        self.sleep_interrupt.set()
        self.sleep_done.wait(timeout=60)
        self.sleep_interrupt.clear()

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "unlock":
            self.fail_to_open(str(event.worker.error))
        elif event.worker.group == "warm":
            self.chat.set_activity("")
            self.notify(f"Memory search is unavailable: {event.worker.error}", severity="error", timeout=10, markup=False)
        elif event.worker.group == "sleep":
            self.chat.set_activity("")
            self.notify(f"Consolidation failed: {event.worker.error}", severity="warning", timeout=10, markup=False)

    # -- actions ---------------------------------------------------------------------------------

    def action_help(self) -> None:
        from secondme.tui.screens.help import HelpScreen

        self.toggle_screen(HelpScreen, HelpScreen)

    def action_browse(self) -> None:
        from secondme.tui.screens.browser import MemoryBrowserScreen

        if self.memories is not None:
            self.toggle_screen(MemoryBrowserScreen, lambda: MemoryBrowserScreen(self.memories))

    def action_review(self) -> None:
        from secondme.tui.screens.review import ReviewScreen

        if self.memories is not None:
            self.toggle_screen(ReviewScreen, lambda: ReviewScreen(self.memories))

    def action_sessions(self) -> None:
        from secondme.tui.screens.sessions import SessionsScreen

        if self.memories is not None:
            self.toggle_screen(SessionsScreen, lambda: SessionsScreen(self.memories), self.chat.resume_session)

    def toggle_screen(self, kind: type, make: Callable[[], object], callback: Callable | None = None) -> None:
        """Open a screen of ``kind``, or close it when its key is pressed again on it. One of
        each at a time: a second browser on top of the first would collide with it."""
        if isinstance(self.screen, kind):
            self.pop_screen()
        elif not any(isinstance(screen, kind) for screen in self.screen_stack):
            self.push_screen(make(), callback)

    def remember_setting(self, key: str, value: str) -> None:
        try:
            save_setting(key, value, self.where)
        except OSError as exc:
            self.notify(f"Could not save the setting: {exc}", severity="warning", markup=False)

    def on_unmount(self) -> None:
        """Stop a running answer and consolidation, then close the model and the store. A turn
        still stuck in a long prompt after QUIT_WAIT keeps them: the process ends around it."""
        self.chat.cancel.set()
        self.sleep_interrupt.set()
        if not (self.turn_running.acquire(timeout=QUIT_WAIT) and self.sleep_done.wait(timeout=QUIT_WAIT)):
            return
        if self.model is not None and hasattr(self.model, "close"):
            self.model.close()
        if self.memories is not None:
            self.memories.close()
