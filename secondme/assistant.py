"""One chat turn: recall -> gate -> prompt -> stream -> remember -> reinforce.

This is the only place where memory and model meet. The TUI and the CLI both call ``turn()``.
Memory work happens before the first token and after the last one, never while tokens stream:
on a 2-core machine an embedding beside the decoder halves its speed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from secondme.memory import consolidate, extract, trust
from secondme.memory.recall import Hit
from secondme.memory.service import Memories
from secondme.memory.store import NewMemory
from secondme.model import prompt as prompts
from secondme.model.llm import GenerationStats, Sampling

MEMORY_MODES = ("off", "normal", "strict")
STRICT_KINDS = {"fact", "preference", "profile", "note"}
MIN_COSINE = 0.3  # a memory that shares no word with the message must at least mean something close
RECALL_K = 8
SMALL_STORE = 40  # below this many memories, offer the model all of them (no retrieval needed)
ANSWER_TOKENS = 400


class ChatModel(Protocol):
    """What the assistant needs from a model (LocalModel, or a fake one in UI tests)."""

    name: str
    n_ctx: int
    last_stats: GenerationStats

    def count_tokens(self, text: str) -> int: ...

    def stream(self, messages: list[dict], sampling: Sampling = ..., cancel: threading.Event | None = None): ...


@dataclass
class TurnResult:
    answer: str
    used: list[Hit]  # the memories that went into the prompt (profile ones first, score 0)
    prompt: prompts.Prompt
    stats: GenerationStats
    memory_ms: float  # recall + gating + prompt packing, before the first token
    remember_ms: float  # storing the turn, extraction, reinforcement, after the last token
    remembered: list[int] = field(default_factory=list)  # ids of new memories (turns and facts)
    facts: list[str] = field(default_factory=list)


class Assistant:
    def __init__(self, memories: Memories, model: ChatModel, mode: str = "normal", sampling: Sampling = Sampling()):
        if mode not in MEMORY_MODES:
            raise ValueError(f"memory mode must be one of {', '.join(MEMORY_MODES)}")
        self.memories = memories
        self.model = model
        self.mode = mode
        self.sampling = sampling
        self.session_id: int | None = None
        self.history: list[dict] = []
        self._last_memory_id: int | None = None  # the previous turn, to link conversation neighbours
        self.last_prompt: prompts.Prompt | None = None

    # -- sessions --------------------------------------------------------------------------------

    def new_session(self) -> None:
        """Start afresh; the session is stored with its first turn (never when memory is off)."""
        self.session_id, self.history, self._last_memory_id = None, [], None

    def resume(self, session_id: int) -> list[dict]:
        if self.memories.store.session(session_id) is None:
            raise LookupError(f"no session #{session_id}")
        messages = self.memories.store.messages(session_id)
        self.session_id = session_id
        self.history = [{"role": m["role"], "content": m["content"]} for m in messages]
        self._last_memory_id = next((m["memory_id"] for m in reversed(messages) if m["memory_id"]), None)
        return messages

    # -- the turn --------------------------------------------------------------------------------

    def turn(
        self,
        text: str,
        on_recalled: Callable[[list[Hit]], None] | None = None,
        on_token: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> TurnResult:
        started = time.perf_counter()
        hits = self.recall_for(text)
        profile = [] if self.mode == "off" else self.memories.profile()
        built = self.build_prompt(text, hits, profile)
        in_profile = {memory.id for memory in profile}
        used = [Hit(memory, 0.0) for memory in profile] + [
            hit for hit in hits if f"#{hit.memory.id}" in built.memory_refs and hit.memory.id not in in_profile
        ]
        self.last_prompt = built
        memory_ms = (time.perf_counter() - started) * 1000
        if on_recalled:
            on_recalled(used)

        pieces = []
        for piece in self.model.stream(built.messages, self.sampling, cancel):
            pieces.append(piece)
            if on_token:
                on_token(piece)
        answer = "".join(pieces).strip()
        stats = self.model.last_stats

        started = time.perf_counter()
        remembered, facts = self.remember_turn(text, answer, stats, [hit.memory.id for hit in used])
        self.history += [{"role": "user", "content": text}, {"role": "assistant", "content": answer}]
        remember_ms = (time.perf_counter() - started) * 1000
        return TurnResult(answer, used, built, stats, memory_ms, remember_ms, remembered, facts)

    def recall_for(self, text: str) -> list[Hit]:
        """Memories fit to show the model for ``text``, by the memory mode's rules."""
        if self.mode == "off":
            return []
        active = self.memories.store.count("active")
        if active == 0:
            return []
        k = max(RECALL_K, active) if active <= SMALL_STORE else RECALL_K
        hits = self.memories.recall(text, k=k)
        small = active <= SMALL_STORE
        return [hit for hit in hits if self._admissible(hit, small)]

    def _admissible(self, hit: Hit, small_store: bool) -> bool:
        memory = hit.memory
        if not trust.admissible(memory, self.mode):
            return False
        if self.mode == "strict" and (memory.kind not in STRICT_KINDS or memory.source == "assistant"):
            return False
        relevant = hit.words_rank is not None or (hit.cosine or 0.0) >= MIN_COSINE or hit.context_from is not None
        return relevant or small_store

    def build_prompt(self, text: str, hits: list[Hit], profile: list) -> prompts.Prompt:
        in_profile = {memory.id for memory in profile}
        items = [prompts.ContextItem(f"#{hit.memory.id}", hit.memory.content) for hit in hits if hit.memory.id not in in_profile]
        budget = self.model.n_ctx - min(self.sampling.max_tokens, ANSWER_TOKENS)
        return prompts.build(
            text, self.model.count_tokens, budget, profile=[memory.content for memory in profile], memories=items, history=self.history
        )

    def remember_turn(self, text: str, answer: str, stats: GenerationStats, used_ids: list[int]) -> tuple[list[int], list[str]]:
        """Store both sides of the turn, the facts in the user's words, and reinforce what was used."""
        if self.mode == "off":
            return [], []
        now = time.time()
        where = {"time": now, "model": self.model.name}
        facts = extract.extract(text)
        items = [NewMemory(text, kind="episodic", source="chat_user", session_id=self.session_id, provenance={**where, "role": "user"}, created_at=now, event_time=now)]
        if answer:
            items.append(NewMemory(answer, kind="episodic", source="assistant", session_id=self.session_id, provenance={**where, "role": "assistant"}, created_at=now, event_time=now))
        items += [
            NewMemory(fact.content, kind=fact.kind, source="chat_user", session_id=self.session_id, created_at=now,
                      provenance={**where, "extracted": fact.provenance(), "from": text[:500]})
            for fact in facts
        ]
        store = self.memories.store
        prepared = self.memories.prepare(items)
        session_id = self.session_id
        with store.transaction():
            if session_id is None:
                session_id = store.create_session(title=_title(text), model=self.model.name, started_at=now)
                for item in prepared.fresh:
                    item.session_id = session_id
            result = self.memories.commit(prepared)
            turn_ids = result.ids[: 2 if answer else 1]
            self.memories.link_in_order(([self._last_memory_id] if self._last_memory_id else []) + turn_ids)
            store.add_links((fact_id, turn_ids[0], "derived_from", 1.0) for fact_id in result.ids[len(turn_ids):])
            store.add_message(session_id, "user", text, memory_id=turn_ids[0], created_at=now)
            if answer:
                store.add_message(session_id, "assistant", answer, memory_id=turn_ids[1], stats=stats.as_dict(), created_at=now)
            store.update_session(session_id, ended_at=now)
            self.memories.reinforce(used_ids, now)
        self.session_id, self._last_memory_id = session_id, turn_ids[-1]
        consolidate.absorb(self.memories, result.ids[len(turn_ids) :])  # new facts supersede old ones now
        return result.ids, [fact.content for fact in facts]


def summarizer(model: ChatModel) -> Callable[[list[dict]], str] | None:
    """A session summariser backed by the model, when it is big enough to be worth it."""
    from secondme.memory.consolidate import CAPABLE_PARAMETERS

    info = getattr(model, "info", None)
    if info is None or info.parameters < CAPABLE_PARAMETERS:
        return None

    def summarize(messages: list[dict]) -> str:
        transcript = "\n".join(f"{m['role']}: {m['content']}" for m in messages)[-6000:]
        prompt = [
            {"role": "system", "content": "Summarise the conversation in 2-3 sentences: what the user said about themselves, their plans and requests. No preamble."},
            {"role": "user", "content": transcript},
        ]
        return "".join(model.stream(prompt, Sampling(temperature=0.2, max_tokens=160))).strip()

    return summarize


def _title(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 60 else line[:57].rstrip() + "..."
