"""One chat turn: recall -> gate -> read or prompt -> stream -> remember -> reinforce.

This is the only place where memory and model meet. The TUI and the CLI both call ``turn()``.
Memory work happens before the first token and after the last one, never while tokens stream:
on a 2-core machine an embedding beside the decoder halves its speed.

A question about the user's life is answered from memory (answer.py) when the model is too
small to be trusted with facts (below CAPABLE_PARAMETERS): the answer is read out of the recalled
statements and cites the memory it came from, or says it is not known; a request for a
suggestion is answered with what memory says it must keep to (suggest.py) or says is loved,
quoted (loves.py).
Everything else (a task, a general question, small talk) goes to the model, with a prompt shaped
for its size: few memories for a small model, the most relevant last, next to the request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from secondme import answer as answers
from secondme import kinship
from secondme import suggest as suggestions
from secondme.config import MEMORY_MODES
from secondme.memory import consolidate, extract, sensitivity, trust
from secondme.memory.recall import Hit
from secondme.memory.sensitivity import Held
from secondme.memory.service import Exchange, Memories
from secondme.memory.types import Filters, Memory
from secondme.model import prompt as prompts
from secondme.model.llm import GenerationStats, Sampling

STRICT_KINDS = {"fact", "preference", "profile", "note"}
MIN_COSINE = 0.3  # a memory that shares no word with the message must at least mean something close
RECALL_K = 8
READ_K = 24  # statements the reader weighs (it ranks them itself, clause by clause)
SMALL_STORE = 40  # below this many memories, offer the model all of them (no retrieval needed)
ANSWER_TOKENS = 400
SMALL_MODEL_MEMORIES = 3  # a small model loses the thread with more
CAPABLE_PARAMETERS = consolidate.CAPABLE_PARAMETERS
# What a question is answered from: statements, the replaced ones too (they lead to what replaced them).
STATEMENTS_THEN_AND_NOW = Filters(speech=frozenset({"statement"}), statuses=frozenset({"active", "superseded"}))
PROMPT_SPEECH = frozenset({"statement", "request"})  # what may go into a prompt


class ChatModel(Protocol):
    """What the assistant needs from a model (LocalModel, or a fake one in UI tests)."""

    name: str
    n_ctx: int
    last_stats: GenerationStats

    def count_tokens(self, text: str) -> int: ...

    def stream(self, messages: list[dict], sampling: Sampling = ..., cancel: threading.Event | None = None): ...


@dataclass
class Plan:
    """What memory brings to a turn (``Assistant.plan``; `secondme context` prints it)."""

    text: str
    used: list[Hit]  # the memories an answer read out of memory cites, or those in the prompt (the profile first, score 0)
    held_back: list[Held]
    reading: answers.Reading | None = None  # the answer read out of memory
    prompt: prompts.Prompt | None = None  # or the prompt the model gets
    suggestion: bool = False  # the reading says what a suggestion keeps to; the request may still tell facts


@dataclass
class TurnResult:
    answer: str
    used: list[Hit]  # the memories the answer was read from, or that went into the prompt
    prompt: prompts.Prompt | None  # None when the answer was read out of memory
    stats: GenerationStats
    memory_ms: float  # recall + gating + reading or prompt packing, before the first token
    remember_ms: float  # storing the turn, extraction, reinforcement, after the last token
    remembered: list[int] = field(default_factory=list)  # ids of new memories (turns and facts)
    facts: list[str] = field(default_factory=list)
    held_back: list[Held] = field(default_factory=list)  # sensitive memories kept out, with why
    citations: list[int] = field(default_factory=list)  # memories the answer rests on, or (not grounded) came closest; all in ``used``
    reply_id: int | None = None  # the model's answer as a memory (kept as conversation, not as a fact)
    grounded: bool = False  # the answer rests on memories it cites (read out of them, or cited by the model and checked)


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
        if self.memories.session(session_id) is None:
            raise LookupError(f"no session #{session_id}")
        messages = self.memories.messages(session_id)
        self.session_id = session_id
        self.history = [{"role": m["role"], "content": m["content"]} for m in messages]
        self._last_memory_id = next((m["memory_id"] for m in reversed(messages) if m["memory_id"]), None)
        return messages

    # -- the turn --------------------------------------------------------------------------------

    def plan(self, text: str) -> Plan:
        """Everything memory contributes to a turn, decided before the first token: the answer
        read out of memory, or the prompt for the model; the memories used; those held back."""
        # "wetin I fit watch tonight?" reads like a question, but asks for a film, not for one a
        # memory names: what is loved answers it first, and the reader only when nothing is
        taste = suggestions.asks_a_taste(text)
        if taste and (suggested := self._suggestion_plan(text)) is not None:
            return suggested
        reading, read_from, held = self.read(text)
        if (reading is None or reading.unknown) and not taste and (suggested := self._suggestion_plan(text)) is not None:
            return suggested  # "which is the best way to reach me?" is asked, and memory may say
        if reading is not None:
            return Plan(text, read_from, held, reading=reading)
        hits, held = self.recall_for(text)
        profile = self.profile()
        built = self.build_prompt(text, hits, profile)
        in_profile = {memory.id for memory in profile}
        used = [Hit(memory, 0.0) for memory in profile] + [
            hit for hit in hits if f"#{hit.memory.id}" in built.memory_refs and hit.memory.id not in in_profile
        ]
        return Plan(text, used, held, prompt=built)

    def turn(
        self,
        text: str,
        on_recalled: Callable[[list[Hit], list[Held]], None] | None = None,
        on_token: Callable[[str], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> TurnResult:
        started = time.perf_counter()
        plan = self.plan(text)
        self.last_prompt = plan.prompt
        memory_ms = (time.perf_counter() - started) * 1000
        if on_recalled:
            on_recalled(plan.used, plan.held_back)
        if plan.reading is not None:
            answer, stats = self._say(plan.reading.answer, on_token)
            citations, grounded = plan.reading.citations, plan.reading.grounded
            reinforced = citations if grounded else []  # a memory shown as the closest, not as the answer, earns nothing
        else:
            pieces = []
            for piece in self.model.stream(plan.prompt.messages, self.sampling, cancel):
                pieces.append(piece)
                if on_token:
                    on_token(piece)
            stats = self.model.last_stats
            answer, citations = answers.checked_citations("".join(pieces).strip(), {hit.memory.id for hit in plan.used})
            grounded, reinforced = bool(citations), [hit.memory.id for hit in plan.used]

        started = time.perf_counter()
        # An answer read out of a sensitive memory is as sensitive as that memory: kept so, and a
        # secret (never sent to a model) stays out of the conversation the model sees next.
        revealed = [hit.memory for hit in plan.used if plan.reading is not None and sensitivity.is_sensitive(hit.memory)]
        asked = plan.reading is not None and not plan.suggestion and not answers.is_question(text)  # a lookup memory answered ("hannah bday") states nothing
        remembered, facts = self.remember_turn(text, answer, stats, reinforced, revealed, asked)
        secret = any(sensitivity.never_for_model(memory) for memory in revealed)
        shown = f"(read out of memory {', '.join(f'#{memory.id}' for memory in revealed)}; not for the model)" if secret else answer
        self.history += [{"role": "user", "content": text}, {"role": "assistant", "content": shown}]
        remember_ms = (time.perf_counter() - started) * 1000
        reply_id = remembered[1] if plan.prompt is not None and answer and len(remembered) > 1 else None
        return TurnResult(answer, plan.used, plan.prompt, stats, memory_ms, remember_ms, remembered, facts,
                          held_back=plan.held_back, citations=citations, reply_id=reply_id, grounded=grounded)

    @property
    def reads_answers(self) -> bool:
        """Whether questions about the user are answered from memory rather than by the model."""
        info = getattr(self.model, "info", None)
        return info is None or info.parameters < CAPABLE_PARAMETERS

    def read(self, text: str) -> tuple[answers.Reading | None, list[Hit], list[Held]]:
        """The answer memory gives, when ``text`` is a question about the user's life and the
        model is small (else None: the model answers); the memories read; those held back."""
        hits = self.hits_to_read(text)
        if hits is None:
            return None, [], []
        kept, held = self.gate(text, hits, to_model=False)
        vectors = self._vectors_of(hits)
        reading = self._read_from(text, kept, vectors)
        if reading.unknown and held and answers.parse_question(text).wants in answers.CRISP:
            past = self._read_past_held(text, hits, held, vectors)
            if past is not None:  # every memory it cites was kept, or is read past its hold
                reading, kept, held = past, hits, [one for one in held if one.memory.id not in past.citations]
        if reading.unknown and any(sensitivity.is_sensitive(hit.memory) for hit in kept if hit.memory.id in reading.citations):
            reading = answers.Reading(answers.UNKNOWN_ANSWER, [], True, reading.clauses, reading.confidence)  # a hint is no reason to show a secret
        if not answers.is_question(text) and not answers.answers_lookup(text, reading) and not (reading.unknown and answers.asks_attribute(text)):
            return None, [], []  # a lookup memory does not answer ("pasta recipe", "my knee hurts") is for the model
        cited = set(reading.citations)
        return reading, [hit for hit in kept if hit.memory.id in cited], held

    def _suggestion_plan(self, text: str) -> Plan | None:
        suggestion, suggested_from, held = self.suggest(text)
        return None if suggestion is None else Plan(text, suggested_from, held, reading=suggestion, suggestion=True)

    def suggest(self, text: str) -> tuple[answers.Reading | None, list[Hit], list[Held]]:
        """A small model's suggestion read out of what memory says it must keep to ("Something
        vegetarian") or says is loved (quoted), when ``text`` asks for one and memory says either
        (suggest.py, loves.py); else None: the model suggests. A memory the gate holds back is
        read only when the suggestion keeps its sensitive words out ("Something nut-free", not
        the allergy)."""
        asked = suggestions.domains_asked(text) if self.mode != "off" and self.reads_answers else frozenset()
        if not asked:
            return None, [], []
        hits = {hit.memory.id: hit for query in (text, *suggestions.queries(asked))
                for hit in self._statements(query) if hit.memory.status == "active"}
        kept, held = self.gate(text, list(hits.values()), to_model=False)
        readable = [Hit(one.memory, 0.0) for one in held if sensitivity.answer_keeps_it(one.memory, "")]  # never a secret or a confidence
        stored = self._vectors_of(kept + readable)  # a memory quoted whole ("I love jazz") is not embedded again, nor a piece twice

        def keep_to(hits: list[Hit]) -> suggestions.Suggestion | None:
            return suggestions.keep_to(text, [(hit.memory.id, hit.memory.content, hit.memory.created_at) for hit in hits],
                                       lambda request, texts: self.similarity(request, texts, stored))

        found = keep_to(kept + readable)
        while found is not None and (told := {hit.memory.id for hit in readable if hit.memory.id in found.citations
                                               and not sensitivity.answer_keeps_it(hit.memory, found.answer)}):
            readable = [hit for hit in readable if hit.memory.id not in told]
            found = keep_to(kept + readable)
        if found is None:
            return None, [], held
        return (answers.Reading(found.answer, found.citations, False), [hits[memory_id] for memory_id in found.citations],
                [one for one in held if one.memory.id not in found.citations])

    def _vectors_of(self, hits: list[Hit]) -> dict[str, np.ndarray]:
        """The stored vectors of the recalled memories, by their text (see similarity)."""
        stored = self.memories.vectors([hit.memory.id for hit in hits])
        return {hit.memory.content: stored[hit.memory.id] for hit in hits if hit.memory.id in stored}

    def _read_from(self, text: str, hits: list[Hit], vectors: dict[str, np.ndarray]) -> answers.Reading:
        replaced = self.memories.replaced([hit.memory.id for hit in hits])
        return answers.read(text, [recalled(hit, replaced.get(hit.memory.id, ())) for hit in hits],
                            lambda question, texts: self.similarity(question, texts, vectors))

    def _read_past_held(self, text: str, hits: list[Hit], held: list[Held], vectors: dict[str, np.ndarray]) -> answers.Reading | None:
        """A name, place, time or number the memories held back give, when each one cited says it
        clearly (its best sentence scores CLEAR_ANSWER and says what is asked in words, not only
        by meaning) and the answer leaves out what made it sensitive (sensitivity.answer_keeps_it);
        None: the answer stays "not known". Answers read by kinship, breed or secret carry no
        sentence scores, so they never come this way."""
        reading = self._read_from(text, hits, vectors)
        answered_from = [one.memory for one in held if one.memory.id in reading.citations]
        if reading.unknown or not answered_from:
            return None
        for memory in answered_from:
            best = max((clause for clause in reading.clauses if clause.memory.id == memory.id), key=lambda clause: clause.score, default=None)
            if best is None or best.score < answers.CLEAR_ANSWER or not answers.says_in_words(text, best) \
                    or not sensitivity.answer_keeps_it(memory, reading.answer):
                return None
        return reading

    def similarity(self, question: str, texts: Sequence[str], stored: dict[str, np.ndarray] | None = None) -> list[float]:
        """Cosines of ``texts`` to ``question`` by the embedder (the reader's sense of meaning).
        A text with a vector in ``stored`` (a one-sentence memory without a speaker, as the store
        holds it) is not embedded again; those embedded are added to it, for a second reading.
        The embedder was most of what a question read out of memory cost."""
        stored = {} if stored is None else stored
        fresh = list(dict.fromkeys(text for text in texts if text not in stored))
        vectors = self.memories.embed_texts([question, *fresh])
        stored.update(zip(fresh, vectors[1:]))
        return [float(stored[text] @ vectors[0]) for text in texts]

    def gate(self, text: str, hits: list[Hit], to_model: bool) -> tuple[list[Hit], list[Held]]:
        return self.memories.gate(text, hits, self.mode, to_model)

    def profile(self) -> list:
        """The profile and what the user pinned, minus what may never reach a model."""
        if self.mode == "off":
            return []
        return [memory for memory in self.memories.profile()
                if not sensitivity.never_for_model(memory) and not (self.mode == "strict" and sensitivity.is_sensitive(memory))]

    def hits_to_read(self, text: str) -> list[Hit] | None:
        """The statements a question about the user is answered from, best first; None when the
        model answers instead (memory off, a capable model, not a question about the user).
        Names that stand for a relation the question asks about join the search ("my husband"
        -> "Chidi", when a memory says "my husband Chidi"), as do those of the first step to a
        relation whose name is asked ("my sister-in-law" -> "Arjun", a brother)."""
        if self.mode == "off" or not self.reads_answers or not (answers.is_question(text) or answers.is_lookup(text)):
            return None
        hits = self._statements(text)
        if not answers.is_personal(text, [hit.memory.content for hit in hits]):
            return None
        steps = kinship.first_steps(text) if answers.parse_question(text).wants in ("person", "name") else set()
        if steps:
            forms = {form for step in steps for form in kinship.RELATIONS.get(step, {step})}
            hits = _merged(hits, self._statements(f"{text} {' '.join(sorted(forms))}"))
        asked = steps or answers.relations_asked(text)
        names = {name for hit in hits for relation, name in kinship.relation_names(hit.memory.content) if relation in asked}
        if names:
            hits = _merged(hits, self._statements(f"{text} {' '.join(sorted(names))}"))
        return hits

    def _statements(self, text: str) -> list[Hit]:
        """Trusted statements, however loosely they match (the reader weighs how well); a
        statement that was replaced stands for what replaced it."""
        hits = self.memories.standing_in(self.memories.recall(text, k=READ_K, filters=STATEMENTS_THEN_AND_NOW))
        return [hit for hit in hits if STATEMENTS_THEN_AND_NOW.accepts(hit.memory) and self._admissible(hit, small_store=True, to_model=False)]

    def _say(self, text: str, on_token: Callable[[str], None] | None) -> tuple[str, GenerationStats]:
        """Deliver an answer that did not come from the model, word by word like one that did."""
        if on_token:
            words = text.split(" ")
            for index, word in enumerate(words):
                on_token(word + (" " if index < len(words) - 1 else ""))
        return text, GenerationStats(completion_tokens=len(text.split()), finish="memory")

    def recall_for(self, text: str) -> tuple[list[Hit], list[Held]]:
        """Memories fit to show the model for ``text`` by the memory mode's rules, and the
        sensitive ones held back. A small store goes in whole, but for what is sensitive."""
        if self.mode == "off":
            return [], []
        active = self.memories.count("active")
        if active == 0:
            return [], []
        k = max(RECALL_K, active) if active <= SMALL_STORE else RECALL_K
        hits = self.memories.recall(text, k=k)
        small = active <= SMALL_STORE
        admitted, held = self.gate(text, [hit for hit in hits if self._admissible(hit, small) and hit.memory.speech in PROMPT_SPEECH], to_model=True)
        return (admitted[:SMALL_MODEL_MEMORIES] if self.reads_answers else admitted), held

    def _admissible(self, hit: Hit, small_store: bool, to_model: bool = True) -> bool:
        memory = hit.memory
        if not trust.admissible(memory, self.mode, to_model):
            return False
        if self.mode == "strict" and (memory.kind not in STRICT_KINDS or memory.source == "assistant"):
            return False
        relevant = hit.words_rank is not None or (hit.cosine or 0.0) >= MIN_COSINE or hit.context_from is not None
        return relevant or small_store

    def build_prompt(self, text: str, hits: list[Hit], profile: list) -> prompts.Prompt:
        """A small model gets its few memories most relevant last (next to the request), without
        ids it would only copy, and only the last exchange of the conversation."""
        in_profile = {memory.id for memory in profile}
        items = [prompts.ContextItem(f"#{hit.memory.id}", hit.memory.content) for hit in hits if hit.memory.id not in in_profile]
        budget = self.model.n_ctx - min(self.sampling.max_tokens, ANSWER_TOKENS)
        small = self.reads_answers
        return prompts.build(
            text, self.model.count_tokens, budget, profile=[memory.content for memory in profile],
            memories=list(reversed(items)) if small else items, history=self.history[-2:] if small else self.history,
            show_refs=not small,
        )

    def remember_turn(self, text: str, answer: str, stats: GenerationStats, used_ids: list[int],
                      revealed: Sequence[Memory] = (), asked: bool = False) -> tuple[list[int], list[str]]:
        """Store both sides of the turn, the facts in the user's words, and reinforce what was used.
        A reply that ``revealed`` sensitive memories carries their sensitivity."""
        if self.mode == "off":
            return [], []
        facts = [] if asked else extract.extract(text)
        exchange = Exchange(text, answer, facts, self.model.name, stats.as_dict(), used_ids, list(revealed), asked)
        ids, self.session_id = self.memories.remember_exchange(exchange, self.session_id, self._last_memory_id, time.time())
        self._last_memory_id = ids[1 if answer else 0]
        return ids, [fact.content for fact in facts]


def _merged(hits: list[Hit], more: list[Hit]) -> list[Hit]:
    """Two searches' hits, each memory once at its better score, best first."""
    merged = {hit.memory.id: hit for hit in more}
    for hit in hits:
        if hit.memory.id not in merged or merged[hit.memory.id].score < hit.score:
            merged[hit.memory.id] = hit
    return sorted(merged.values(), key=lambda hit: -hit.score)


def recalled(hit: Hit, replaced: Sequence[str] = ()) -> answers.Recalled:
    memory = hit.memory
    return answers.Recalled(memory.id, memory.content, hit.score, hit.cosine, memory.event_time or memory.created_at,
                            memory.provenance.get("stale", ()), replaced, turn=memory.kind == "episodic" and memory.source == "import")


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
