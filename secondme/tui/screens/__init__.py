"""The TUI's screens, and what several of them share."""

from __future__ import annotations

from textual.worker import Worker, WorkerState


class FailuresNoticed:
    """A screen whose workers' failures are told in a notice (they never end the app)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(str(event.worker.error), severity="error", markup=False)
