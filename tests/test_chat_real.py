"""End to end on the real bundled model (SmolLM2-135M through llama.cpp)."""

from __future__ import annotations

import json

from secondme.model.llm import GREEDY, LocalModel, is_looping
from secondme.model.registry import bundled_model
from secondme.tui.app import SecondMeApp
from secondme.tui.widgets.memory_panel import MemoryCard

from test_tui import SIZE, ready, say


async def test_a_fact_told_in_one_session_is_recalled_in_the_next(where):
    async with SecondMeApp(where=where).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        assert app.model.name == "SmolLM2-135M-Instruct.Q4_1"
        await say(pilot, "My sister is called Mia.")
        assert app.chat.query("ChatMessage.assistant").last().text.strip()

    async with SecondMeApp(where=where).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await say(pilot, "What is my sister called?")
        answer = app.chat.query("ChatMessage.assistant").last()
        assert answer.text.strip() == "Mia", "read out of memory, not garbled by the 135M model"
        assert answer.meta.startswith("from memory #")
        cited = [card.hit.memory for card in app.chat.query(MemoryCard) if card.has_class("cited")]
        assert cited and all("Mia" in memory.content for memory in cited), "the panel highlights the memory it came from"
        assert app.assistant.session_id != 1


def test_streaming_cancel_count_and_stats():
    model = LocalModel(bundled_model(), n_threads=1)
    model.load()
    try:
        messages = [{"role": "user", "content": "Count from one to twenty in words."}]
        assert model.count_tokens("hello world") >= 2
        assert "Count from one" in model.render(messages)
        text = model.generate(messages, GREEDY)
        stats = model.last_stats
        assert text and stats.completion_tokens > 3 and stats.ttft_s > 0 and stats.decode_tok_s > 0
        assert stats.prompt_tokens == len(model.prompt_tokens(messages))
        again = model.generate(messages, GREEDY)
        assert again == text, "greedy decoding is deterministic"

        import threading

        cancel = threading.Event()
        pieces = []
        for piece in model.stream(messages, GREEDY, cancel):
            pieces.append(piece)
            if len(pieces) == 3:
                cancel.set()
        assert model.last_stats.finish == "cancelled" and len(pieces) == 3
    finally:
        model.close()


def test_loop_guard():
    assert is_looping("and then " + "I am here. " * 5)
    assert not is_looping("A perfectly ordinary sentence that does not repeat itself at all.")


def test_ask_cli(cli):
    told = cli("ask", "I moved to Berlin last year.", "--json")
    assert told.exit_code == 0, told.output
    result = cli("ask", "Where do I live?", "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"answer", "citations", "grounded", "held_back", "memories", "stats"}
    assert data["answer"] == "Berlin" and data["grounded"]
    cited = [memory for memory in data["memories"] if memory["id"] in data["citations"]]
    assert cited and all("Berlin" in memory["content"] for memory in cited)
    unknown = json.loads(cli("ask", "What is my dentist called?", "--json").stdout)
    assert unknown["answer"].startswith("I don't know") and unknown["citations"] == [] and not unknown["grounded"]
    task = json.loads(cli("ask", "Write a two-line poem about the sea.", "--json").stdout)
    assert task["stats"]["completion_tokens"] > 0 and task["stats"]["finish"] != "memory", "tasks go to the model"
    private = json.loads(cli("ask", "Where do I live?", "--no-memory", "--json").stdout)
    assert private["memories"] == []


def test_model_commands(cli, tmp_path):
    info = json.loads(cli("model", "info", "--json").stdout)
    assert info["architecture"] == "llama" and info["quantization"] == "Q4_1"
    assert info["context_length"] == 8192 and 130e6 < info["parameters"] < 140e6
    listed = json.loads(cli("model", "list", "--json").stdout)
    assert listed[0]["origin"] == "bundled" and listed[0]["current"]

    truncated = tmp_path / "cut.gguf"
    truncated.write_bytes(bundled_model().read_bytes()[: 5_000_000])
    refused = cli("model", "use", str(truncated))
    assert refused.exit_code == 1 and "truncated" in refused.output
    foreign = tmp_path / "notes.gguf"
    foreign.write_text("hello")
    assert "not a GGUF" in cli("model", "info", str(foreign)).output
    assert "does not exist" in cli("model", "use", str(tmp_path / "missing.gguf")).output

    copy = tmp_path / "MyModel.gguf"
    copy.write_bytes(bundled_model().read_bytes())
    assert cli("model", "use", str(copy)).exit_code == 0
    assert json.loads(cli("model", "info", "--json").stdout)["path"] == str(copy)
    assert cli("model", "use", "bundled").exit_code == 0
