"""Hybrid recall: words (FTS5 bm25) + meaning (vector KNN), fused, spread along links, weighted.

How a score is made (tuned on the LoCoMo dev half; see bench/locomo_recall.py):

1. words: bm25 over the user's words, each quoted (user text is never FTS5 syntax), stopwords
   dropped, any word may match. Normalised by the best bm25 of the query. The query's words in the
   languages users mix in (words.said_abroad) are a second query, its normalised bm25 times
   ``ABROAD_WEIGHT``; a memory keeps the better of the two.
2. meaning: cosine similarity of unit vectors, rescaled so that ``COSINE_FLOOR`` maps to 0 and the
   best hit to 1 (MiniLM gives unrelated texts ~0.1-0.2, so raw cosines would flatten the mix).
3. fusion: ``WORDS_WEIGHT * words + (1 - WORDS_WEIGHT) * meaning``. Plain reciprocal-rank fusion
   scores *below* bm25 alone here; a convex mix of normalised scores keeps the score margins.
4. context: a memory gains ``CONTEXT_WEIGHT`` x the best fused score among the memories it is
   linked to as conversation neighbours (the turn before or after it). Answers in a conversation
   often sit next to the words that match the question.
5. weights: the result is multiplied by a trust weight and a retention weight (``Weigher``), and
   halved for questions and requests (``SPEECH_WEIGHTS``).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from secondme.memory.store import Store
from secondme.memory.types import Filters, Memory
from secondme.words import said_abroad

WORDS_WEIGHT = 0.5
COSINE_FLOOR = 0.2
CONTEXT_WEIGHT = 0.4
CONTEXT_RELATION = "next"  # src said just before dst, in the same conversation
RELATED_WEIGHT = 0.1  # LoCoMo dev: 0.7165 without related links, 0.718 with (0.2 is too much: 0.7146)
LINK_WEIGHTS = {CONTEXT_RELATION: CONTEXT_WEIGHT, "related": RELATED_WEIGHT}
# A question or a request holds the words of what the user wants to know, not the answer: it must
# not outrank the statement that answers it ("where does my sister live?" vs "Mia lives in Lund").
SPEECH_WEIGHTS = {"statement": 1.0, "question": 0.5, "request": 0.5, "reply": 0.5}
CANDIDATES = 200  # per signal
NARROW_FILTER_LIMIT = 20_000  # above this, a narrow filter is applied after ranking instead
MAX_QUERY_CHARS = 2000
MIN_SCORE = 1e-6
MAX_QUERY_TERMS = 32
ABROAD_WEIGHT = 0.5  # a memory found by the query's words in another language: half a match

_WORD = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being do does did
    done have has had i you he she it we they me him her us them my your his its our their what which who whom
    whose when where why how that this these those there here not no yes can could would should will shall may
    might must about into over after before than then so too very just also any all some each other such only
    own same s t don im ive""".split()
)


def fts_query(text: str, every_word: bool = False) -> str | None:
    """A safe FTS5 expression for free text: every word quoted (never parsed as FTS5 syntax).

    For ranking any word may match; ``every_word`` requires them all (used to select for erase).
    """
    if every_word:
        return _quoted(_WORD.findall(text[:MAX_QUERY_CHARS].casefold()), " AND ")
    return _quoted(_ranking_terms(text), " OR ")


def abroad_query(text: str) -> str | None:
    """The words of the query in the other languages users mix in, as an FTS5 expression: "where
    do I live" finds "Moro em Campinas", "escola" finds "school" (None when it has none)."""
    return _abroad(_ranking_terms(text))


def _ranking_terms(text: str) -> list[str]:
    words = _WORD.findall(text[:MAX_QUERY_CHARS].casefold())
    return [w for w in words if w not in STOPWORDS] or words


def _abroad(terms: list[str]) -> str | None:
    return _quoted([other for term in terms for other in said_abroad(term) if other not in terms], " OR ")


def _quoted(terms: list[str], joiner: str) -> str | None:
    unique = list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]
    if not unique:
        return None
    return joiner.join('"' + term.replace('"', '""') + '"' for term in unique)


class Weights(NamedTuple):
    trust: float  # multiplies the score
    retention: float  # R, shown with the hit
    retention_weight: float  # multiplies the score


class Weigher:
    """Trust and retention weights for ranking. Identity here; the life cycle plugs in its own."""

    def weights(self, memory: Memory, now: float) -> Weights:
        return Weights(1.0, 1.0, 1.0)


@dataclass
class Hit:
    memory: Memory
    score: float
    words: float = 0.0
    words_rank: int | None = None
    cosine: float | None = None
    meaning_rank: int | None = None
    context: float = 0.0
    context_from: int | None = None
    trust_weight: float = 1.0
    retention: float = 1.0

    def explain(self) -> str:
        parts = []
        if self.words_rank is not None:
            parts.append(f"words #{self.words_rank} ({self.words:.2f})")
        if self.meaning_rank is not None:
            parts.append(f"meaning #{self.meaning_rank} (cos {self.cosine:.2f})")
        elif self.cosine is not None:
            parts.append(f"cos {self.cosine:.2f}")
        if self.context_from is not None:
            parts.append(f"next to #{self.context_from} (+{self.context:.2f})")
        if self.trust_weight != 1.0:
            parts.append(f"trust x{self.trust_weight:.2f}")
        if self.retention != 1.0:
            parts.append(f"retention {self.retention:.2f}")
        return ", ".join(parts) or "no signal"

    def as_json(self) -> dict:
        """The memory's one JSON shape, with how it was found: score, retention, why."""
        return {**self.memory.as_json(), "score": round(self.score, 4), "retention": round(self.retention, 4), "explain": self.explain()}


class VectorIndex:
    """Exact nearest neighbours by cosine.

    Cold (one-shot commands) it asks sqlite-vec. ``warm()`` mirrors every vector into one numpy
    matrix, which long-running processes (chat, benchmarks) use: a scan of 100k encrypted vec0
    rows costs ~250 ms of page decryption, the mirror ~7 ms. Both are exact, so results agree.
    This connection's own writes are applied to the mirror as they happen; a write by another
    process (seen through PRAGMA data_version) reloads it.
    """

    def __init__(self, store: Store):
        self.store = store
        self._lock = threading.Lock()
        self._ids: np.ndarray | None = None  # -1 marks a free or removed row
        self._matrix: np.ndarray | None = None
        self._rows: dict[int, int] = {}
        self._used = 0
        self._seen_version: int | None = None
        store.vector_listeners.append(self._apply)

    def warm(self) -> None:
        ids, matrix = self.store.all_vectors()
        capacity = max(1024, len(ids) + len(ids) // 4)
        with self._lock:
            self._matrix = np.zeros((capacity, matrix.shape[1]), dtype=np.float32)
            self._matrix[: len(ids)] = matrix
            self._ids = np.full(capacity, -1, dtype=np.int64)
            self._ids[: len(ids)] = ids
            self._rows = {int(memory_id): row for row, memory_id in enumerate(ids)}
            self._used = len(ids)
            self._seen_version = self.store.data_version()

    def _apply(self, upserted: dict[int, np.ndarray], removed: list[int] | None) -> None:
        with self._lock:
            if self._ids is None:
                return
            if removed is None:
                self._ids[:], self._matrix[:], self._rows, self._used = -1, 0.0, {}, 0
                return
            for memory_id in removed:
                row = self._rows.pop(memory_id, None)
                if row is not None:
                    self._ids[row], self._matrix[row] = -1, 0.0
            for memory_id, vector in upserted.items():
                row = self._rows.get(memory_id)
                if row is None:
                    row = self._next_free_row()
                    self._rows[memory_id] = row
                    self._ids[row] = memory_id
                self._matrix[row] = vector

    def _next_free_row(self) -> int:
        if self._used == len(self._ids):
            grow = max(1024, len(self._ids) // 2)
            self._matrix = np.concatenate([self._matrix, np.zeros((grow, self._matrix.shape[1]), dtype=np.float32)])
            self._ids = np.concatenate([self._ids, np.full(grow, -1, dtype=np.int64)])
        self._used += 1
        return self._used - 1

    def search(self, vector: np.ndarray, limit: int) -> list[tuple[int, float]]:
        if self._ids is None:
            return self.store.vector_search(vector, limit)
        if self.store.data_version() != self._seen_version:
            self.warm()
        with self._lock:
            hits = _top_k(self._ids[: self._used], self._matrix[: self._used], vector, limit + 8)
        return [hit for hit in hits if hit[0] >= 0][:limit]


def exact_neighbours(vectors: dict[int, np.ndarray], vector: np.ndarray, limit: int) -> list[tuple[int, float]]:
    if not vectors:
        return []
    return _top_k(np.fromiter(vectors, dtype=np.int64), np.stack(list(vectors.values())), vector, limit)


def _top_k(ids: np.ndarray, matrix: np.ndarray, vector: np.ndarray, limit: int) -> list[tuple[int, float]]:
    if not len(ids):
        return []
    similarities = matrix @ vector
    limit = min(limit, len(similarities))
    top = np.argpartition(-similarities, limit - 1)[:limit]
    top = top[np.argsort(-similarities[top], kind="stable")]
    return [(int(ids[i]), float(similarities[i])) for i in top]


class Recaller:
    def __init__(self, store: Store, embed: Callable[[str], np.ndarray], weigher: Weigher | None = None):
        self.store = store
        self.embed = embed
        self.weigher = weigher or Weigher()
        self.vectors = VectorIndex(store)

    def recall(self, query: str, k: int = 10, filters: Filters = Filters(), now: float | None = None) -> list[Hit]:
        now = time.time() if now is None else now
        # Narrow filters (a kind, a date range...) are applied before ranking, so that they never
        # starve the candidate pools; the default (active memories only) is applied after.
        eligible = self.store.filtered_ids(filters, limit=NARROW_FILTER_LIMIT) if filters.narrow else None
        words = self._word_scores(query, eligible)
        meaning = self._meaning_scores(query, eligible)
        fused = {
            memory_id: WORDS_WEIGHT * words.get(memory_id, (0.0, 0))[0]
            + (1 - WORDS_WEIGHT) * meaning.get(memory_id, (0.0, 0, 0.0))[0]
            for memory_id in words.keys() | meaning.keys()
        }
        context = self._context_scores(fused)
        memories = self.store.get_many(list(fused.keys() | context.keys()))
        hits = []
        for memory_id, memory in memories.items():
            if not filters.accepts(memory):
                continue
            boost, neighbour = context.get(memory_id, (0.0, None))
            weights = self.weigher.weights(memory, now)
            word_score, word_rank = words.get(memory_id, (0.0, None))
            _, meaning_rank, cosine = meaning.get(memory_id, (0.0, None, None))
            score = (fused.get(memory_id, 0.0) + boost) * weights.trust * weights.retention_weight * SPEECH_WEIGHTS[memory.speech]
            if score <= MIN_SCORE:  # neither its words nor its meaning (cosine > floor) matched
                continue
            hits.append(
                Hit(memory, score, word_score, word_rank, cosine, meaning_rank, boost, neighbour, weights.trust, weights.retention)
            )
        hits.sort(key=lambda hit: (-hit.score, -hit.memory.id))
        return hits[:k]

    def _word_scores(self, query: str, eligible: list[int] | None) -> dict[int, tuple[float, int]]:
        terms = _ranking_terms(query)  # once per turn, for both queries
        scores = self._bm25_scores(_quoted(terms, " OR "), eligible, 1.0)
        for memory_id, (score, rank) in self._bm25_scores(_abroad(terms), eligible, ABROAD_WEIGHT).items():
            if score > scores.get(memory_id, (0.0, 0))[0]:
                scores[memory_id] = (score, rank)
        return scores

    def _bm25_scores(self, match: str | None, eligible: list[int] | None, weight: float) -> dict[int, tuple[float, int]]:
        rows = self.store.fts_search(match, CANDIDATES, among=eligible) if match else []
        if not rows:
            return {}
        best = -rows[0][1] or 1.0
        return {memory_id: (weight * -bm25 / best, rank) for rank, (memory_id, bm25) in enumerate(rows, 1)}

    def _meaning_scores(self, query: str, eligible: list[int] | None) -> dict[int, tuple[float, int, float]]:
        if not query.strip():
            return {}
        vector = self.embed(query[:MAX_QUERY_CHARS])
        if eligible is None:
            rows = self.vectors.search(vector, CANDIDATES)
        else:
            rows = exact_neighbours(self.store.vectors(eligible), vector, CANDIDATES)
        if not rows:
            return {}
        span = max(rows[0][1] - COSINE_FLOOR, 1e-9)
        return {
            memory_id: (max(0.0, (cosine - COSINE_FLOOR) / span), rank, cosine)
            for rank, (memory_id, cosine) in enumerate(rows, 1)
        }

    def _context_scores(self, fused: dict[int, float]) -> dict[int, tuple[float, int]]:
        """Each memory's boost from its best-scoring linked memory (conversation neighbour, or a
        related memory found by consolidation)."""
        best: dict[int, tuple[float, int]] = {}
        for origin, neighbour, relation in self.store.neighbours(list(fused), list(LINK_WEIGHTS)):
            boost = LINK_WEIGHTS[relation] * fused[origin]
            if boost > best.get(neighbour, (0.0, None))[0]:
                best[neighbour] = (boost, origin)
        return best
