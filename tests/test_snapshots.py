"""Snapshots of the screens that matter: the chat, the memory panel, the memory browser.

Update them after an intended change of look with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import time

import pytest

from secondme.memory.service import Memories
from secondme.memory.types import NewMemory
from secondme.tui.app import SecondMeApp

from fakes import FakeModel
from test_tui import ready, say, until

SIZE = (110, 32)
JAN_2025 = 1_736_000_000.0
SEEN_AT = JAN_2025 + 30 * 86400  # when the snapshots recall, whatever today's date


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def seeded_app(where) -> SecondMeApp:
    with Memories.open(where) as memories:
        memories.remember(
            [
                NewMemory("My sister is called Mia.", kind="fact", source="user", created_at=JAN_2025),
                NewMemory("Mia lives in Lisbon and works as a nurse.", kind="fact", source="import", created_at=JAN_2025 + 3600),
                NewMemory("I am vegetarian.", kind="preference", source="chat_user", created_at=JAN_2025 + 7200, pinned=True),
                NewMemory("The boiler was fixed on a Tuesday.", kind="note", source="user", created_at=JAN_2025 + 10800),
            ]
        )
    model = FakeModel(answer="Your sister is **Mia**. She lives in Lisbon.")
    return SecondMeApp(where=where, model_factory=lambda path: model)


@pytest.fixture(autouse=True)
def same_scores_on_every_cpu(monkeypatch):
    """The embedder's arithmetic differs in the last digits between CPUs (AVX2 and AVX-512
    kernels): a score of 0.475 shows as 0.47 on one and 0.48 on another. Scores are rounded to a
    tenth here, so that a snapshot is the same picture on every machine."""
    recall = Memories.recall

    def rounded(self, *args, **kwargs):
        kwargs["now"] = SEEN_AT  # retention fades day by day: a snapshot taken later would differ
        hits = recall(self, *args, **kwargs)
        for hit in hits:
            hit.score = round(hit.score, 1)
        return hits

    monkeypatch.setattr(Memories, "recall", rounded)


async def settle(pilot) -> None:
    pilot.app.clear_notifications()
    pilot.app.chat.prompt.cursor_blink = False  # a blinking cursor would make every snapshot a coin toss
    await pilot.pause(0.3)


def test_chat_screen(snap_compare, where):
    async def run_before(pilot):
        await ready(pilot)
        await say(pilot, "What is my sister called?")
        await settle(pilot)

    assert snap_compare(seeded_app(where), terminal_size=SIZE, run_before=run_before)


def test_memory_panel_after_recall(snap_compare, where):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press(*"/recall food", "enter")
        await until(pilot, lambda: pilot.app.chat.panel.title.startswith("Recall"))
        await settle(pilot)

    assert snap_compare(seeded_app(where), terminal_size=SIZE, run_before=run_before)


def test_memory_browser(snap_compare, where):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: len(getattr(pilot.app.screen, "rows", {})) == 5)  # 4 seeds and the profile
        pilot.app.screen.query_one("#results").focus()
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(seeded_app(where), terminal_size=SIZE, run_before=run_before)
