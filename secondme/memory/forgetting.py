"""Forgetting: retention R = exp(-Δt / S), the way human memory fades, and what follows from it.

* S (stored as ``strength``, in days) starts from the memory's importance: small talk fades in
  months, a fact about the user lasts years. Δt runs from the last time the memory was used.
* Every recall reinforces: S grows, more so when the memory had started to fade (spacing effect),
  and Δt restarts. MemoryBank's code writes exp(-t/5*S), which makes strong memories fade faster;
  here S divides, as intended.
* Zones by R: active (>= 0.5), fading (weighted down in recall), archived (< 0.05: out of recall,
  `secondme restore` brings it back), forgotten (archived and < 0.01, or forgotten by the user),
  erased with secure delete after a 30-day grace period.
* Small talk ("thanks!", "ok cool", "Noted.") starts with a week of strength: it is what keeps a
  store that hears a chat every day from growing without bound.
* Pinned and profile memories never fade.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secondme.memory.store import Store
    from secondme.memory.types import Memory, NewMemory

DAY = 86400.0
BASE_DAYS = 30.0
IMPORTANCE_GAIN = 3.5  # S0 = 30 d x e^(3.5 x importance): 0.3 -> 86 d, 0.45 -> 144 d, 0.75 -> 415 d
SMALL_TALK_DAYS = 7.0  # "ok cool", "thanks!", "Noted.": archived after 3 weeks, erased after ~2 months
SMALL_TALK_IMPORTANCE = 0.05
FADING_R = 0.5
ARCHIVE_R = 0.05
FORGET_R = 0.01
GRACE_DAYS = 30.0
RETENTION_FLOOR = 0.85  # a faded memory still keeps 85 % of its recall score

KIND_IMPORTANCE = {"profile": 1.0, "fact": 0.75, "preference": 0.75, "note": 0.6, "summary": 0.6, "episodic": 0.45}
SOURCE_FACTOR = {"assistant": 0.6, "tool": 0.7}
_SMALL_TALK = re.compile(
    r"^\W*(?:hi|hey|hello|morning|thanks?|thank you|ok(?:ay)?|cool|nice|great|lol|haha+|hmm+|alright|bye|"
    r"good (?:morning|night|evening)|see you|cheers|awesome|wow|perfect|no worries|noted|glad|happy to help|sounds good|"
    r"anything else|sleep well|i'll remember that|what's up)\b[\W\w]{0,25}$",
    re.I,
)
_SPECIFIC = re.compile(r"\d|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}")


@dataclass
class Zones:
    active: int = 0
    fading: int = 0
    archived: int = 0
    forgotten: int = 0
    exempt: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def estimate_importance(item: NewMemory) -> float:
    """How much a new memory is worth keeping, from its kind, source and content."""
    if item.pinned:
        return 1.0
    importance = KIND_IMPORTANCE.get(item.kind, 0.5) * SOURCE_FACTOR.get(item.source, 1.0)
    text = item.content.strip()
    if is_small_talk(text):
        return SMALL_TALK_IMPORTANCE
    if len(text) < 25:
        importance -= 0.1
    if _SPECIFIC.search(text):
        importance += 0.1
    if _PROPER.search(text):
        importance += 0.1
    return max(0.05, min(1.0, importance))


def is_small_talk(text: str) -> bool:
    return bool(_SMALL_TALK.match(text.strip()))


def initial_strength(importance: float) -> float:
    if importance <= SMALL_TALK_IMPORTANCE:
        return SMALL_TALK_DAYS
    return BASE_DAYS * math.exp(IMPORTANCE_GAIN * importance)


def intake(item: NewMemory) -> None:
    """Give a new memory its importance and starting strength (unless restored from an export)."""
    if item.restored:
        return
    item.importance = estimate_importance(item)
    item.strength = initial_strength(item.importance)


def exempt(memory: Memory) -> bool:
    return memory.pinned or memory.kind == "profile"


def retention(memory: Memory, now: float) -> float:
    if exempt(memory):
        return 1.0
    since = max(memory.created_at, memory.last_recalled_at or 0.0)
    elapsed_days = max(0.0, now - since) / DAY
    return math.exp(-elapsed_days / max(memory.strength, 1e-6))


def ranking_weight(retention: float) -> float:
    """What a memory's retention R does to its recall score: faded memories sink, never vanish."""
    return RETENTION_FLOOR + (1 - RETENTION_FLOOR) * retention


def reinforced_strength(memory: Memory, now: float) -> float:
    """Strength after one more use: x1.5, plus up to x1 more the more it had faded."""
    return memory.strength * (1.5 + (1.0 - retention(memory, now)))


def reinforce(store: Store, memories: list[Memory], now: float | None = None, wait: bool = True) -> bool:
    """Record that these memories were used just now. With ``wait=False`` (one-shot recall beside
    another writer) the update is skipped rather than wait for the write lock; returns success."""
    now = now or time.time()
    updates = [(reinforced_strength(memory, now), now, memory.id) for memory in memories]
    return store.reinforce(updates, wait=wait)


def zones(memories: list[Memory], now: float) -> Zones:
    counts = Zones()
    for memory in memories:
        if memory.status == "archived":
            counts.archived += 1
        elif memory.status == "forgotten":
            counts.forgotten += 1
        elif exempt(memory):
            counts.exempt += 1
        elif retention(memory, now) >= FADING_R:
            counts.active += 1
        else:
            counts.fading += 1
    return counts


@dataclass
class ForgettingReport:
    archived: int = 0
    forgotten: int = 0
    erased: int = 0


def forget_pass(store: Store, now: float | None = None) -> ForgettingReport:
    """Archive what has faded, forget what is gone, erase what was forgotten long enough ago."""
    now = now or time.time()
    report = ForgettingReport()
    to_archive, to_forget = [], []
    for memory in (memory for memory in store.fading_candidates() if not exempt(memory)):
        r = retention(memory, now)
        if memory.status == "active" and r < ARCHIVE_R:
            to_archive.append(memory.id)
        elif memory.status == "archived" and r < FORGET_R:
            to_forget.append(memory.id)
    store.set_status(to_archive, "archived", when=now)
    store.set_status(to_forget, "forgotten", when=now)
    report.archived, report.forgotten = len(to_archive), len(to_forget)
    expired = store.forgotten_before(now - GRACE_DAYS * DAY)
    if expired:
        report.erased = store.delete(expired)
        store.compact()
    return report


def restore(store: Store, memory: Memory, now: float | None = None) -> None:
    """Bring an archived or forgotten memory back, as if just used."""
    now = now or time.time()
    store.set_status([memory.id], "active", when=now)
    store.reinforce([(reinforced_strength(memory, now), now, memory.id)])
