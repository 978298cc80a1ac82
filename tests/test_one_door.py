"""The same action behaves the same from the CLI and from the TUI (both go through Memories).

Three actions used to differ: pinning (only the chat panel added trust), approving a held memory
(only the CLI settled it afterwards), and /remember in the chat (it did not settle at once what
`secondme remember` settles)."""

from __future__ import annotations

import json
import time

from secondme.memory import trust
from secondme.memory.service import Memories
from secondme.memory.types import NewMemory
from secondme.tui.screens.browser import MemoryBrowserScreen
from secondme.tui.screens.review import ReviewScreen
from secondme.tui.widgets.memory_panel import MemoryCard

from test_tui import SIZE, make_app, ready, say, seed, until


def alpha(where, memory_id: int) -> float:
    with Memories.open(where) as memories:
        return memories.get(memory_id).trust_alpha


def held_contradiction(where) -> tuple[int, int]:
    """A note the user typed, and an imported one contradicting it (held for review)."""
    with Memories.open(where) as memories:
        berlin = memories.remember([NewMemory("I live in Berlin.", source="user")]).ids[0]
        paris = memories.remember([NewMemory("I live in Paris.", source="import", created_at=time.time() + 5)]).ids[0]
        assert memories.get(paris).status == "quarantined"
    return berlin, paris


def test_pinning_adds_trust_from_the_cli(cli, where):
    plain = json.loads(cli("remember", "The spare key is under the blue pot.", "--json").stdout)
    pinned = json.loads(cli("remember", "The bike lock code is on a card in my wallet.", "--pin", "--json").stdout)
    assert pinned["pinned"] and alpha(where, pinned["id"]) == alpha(where, plain["id"]) + trust.PIN_EVIDENCE


async def test_pinning_adds_trust_from_the_chat_panel_and_the_browser(where):
    ids = seed(where, "The spare key is under the blue pot.", "The bike lock code is on a card in my wallet.")
    before = alpha(where, ids[0])
    async with make_app(where).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await say(pilot, "where is the spare key?")
        await pilot.click(app.chat.query_one(f"#memory-{ids[0]}", MemoryCard).query_one(".pin"))
        await until(pilot, lambda: app.memories.get(ids[0]).pinned)
        assert app.memories.get(ids[0]).trust_alpha == before + trust.PIN_EVIDENCE

        await pilot.press("ctrl+b")
        browser = app.screen
        assert isinstance(browser, MemoryBrowserScreen)
        await pilot.press(*"bike lock")
        await until(pilot, lambda: list(browser.rows)[:1] == [ids[1]])
        browser.query_one("#results").focus()
        await pilot.press("p")
        assert app.memories.get(ids[1]).pinned
        assert app.memories.get(ids[1]).trust_alpha == before + trust.PIN_EVIDENCE


def test_approving_settles_from_the_cli(cli, where):
    berlin, paris = held_contradiction(where)
    assert cli("review", "--approve", str(paris)).exit_code == 0
    with Memories.open(where) as memories:
        assert memories.get(paris).status == "active" and memories.get(berlin).status == "superseded"


async def test_approving_settles_from_the_review_screen(where):
    berlin, paris = held_contradiction(where)
    async with make_app(where).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReviewScreen) and paris in app.screen.pending
        await pilot.press("a")
        await until(pilot, lambda: app.memories.get(paris).status == "active")
        assert app.memories.get(berlin).status == "superseded"


def test_remember_settles_at_once_from_the_cli(cli, where):
    first = json.loads(cli("remember", "I live in Paris.", "--json").stdout)
    cli("remember", "I moved to Berlin last month.")
    with Memories.open(where) as memories:
        assert memories.get(first["id"]).status == "superseded"


async def test_remember_settles_at_once_from_the_chat(where):
    (paris,) = seed(where, "I live in Paris.")
    async with make_app(where).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press(*"/remember I moved to Berlin last month.", "enter")
        await until(pilot, lambda: app.memories.get(paris).status == "superseded")
