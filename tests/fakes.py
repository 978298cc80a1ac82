"""A stand-in for the language model in fast UI tests (the real one is exercised in test_chat_real.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from secondme.model.llm import GenerationStats, Sampling


class FakeModel:
    """Streams a canned answer word by word; remembers the prompts it was given."""

    def __init__(self, path: Path | None = None, answer: str = "Noted, I will remember that.", delay: float = 0.0, load_delay: float = 0.0):
        self.path = Path(path or "fake.gguf")
        self.name = "fake-model"
        self.n_ctx = 2048
        self.answer = answer
        self.delay = delay
        self.load_delay = load_delay
        self.prompts: list[list[dict]] = []
        self.last_stats = GenerationStats()
        self.loaded = False

    def load(self) -> None:
        time.sleep(self.load_delay)
        self.loaded = True

    def close(self) -> None:
        self.loaded = False

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def stream(self, messages, sampling: Sampling = Sampling(), cancel: threading.Event | None = None):
        self.prompts.append(list(messages))
        stats = GenerationStats(prompt_tokens=sum(self.count_tokens(m["content"]) for m in messages), ttft_s=0.01, decode_tok_s=42.0)
        self.last_stats = stats
        for word in self.answer.split(" "):
            if cancel is not None and cancel.is_set():
                stats.finish = "cancelled"
                return
            time.sleep(self.delay)
            stats.completion_tokens += 1
            yield word + " "
