"""Consolidation ("sleep"): what the memory does between conversations.

* supersede: a newer value for the same subject and attribute closes the old memory (valid_to,
  superseded_by) and keeps the chain ("I live in Paris" -> "I moved to Berlin");
* contradictions: conflicting values that are not an update (a doubtful newcomer against a
  trusted memory, liking and disliking the same thing) are linked and cost the weaker side trust;
  one that contradicts several trusted memories (a sleeper) pays per contradiction;
* slow poison: notes that arrived together from one outside source (a file, a tool) and each
  passed the intake scan are judged again as one text, a few at a time, because a policy can be
  spread over harmless-looking lines ("X keeps coming up." "X has a standard answer." "The
  answer is Y."). A run the scan would have quarantined as one note is held for review, and so is
  a run that lays down a standing rule (poisoning.sets_policy) and either is doubted by the scan
  or speaks about what a trusted memory of the user's own says; a run only doubted loses trust;
* near-duplicates merge into the older memory, which counts the repeat as a confirmation;
* related memories are linked, and recall follows those links;
* sessions get summaries (the model's when it is capable, extractive otherwise);
* a profile memory keeps the stable, trusted facts about the user current; it goes in every prompt;
* the forgetting pass (forgetting.py) archives, forgets and erases.

``absorb`` runs the cheap, incremental part right after new memories arrive; ``sleep`` runs all
passes. Both stop early when ``interrupt`` is set (the user started typing to the model).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from secondme import kinship, words
from secondme.memory import forgetting, poisoning, trust, updates
from secondme.memory.extract import MULTI_VALUED
from secondme.memory.recall import fts_query
from secondme.memory.schema import OWNER_SOURCES
from secondme.memory.types import Memory, NewMemory

if TYPE_CHECKING:
    from secondme.memory.service import Memories

DUPLICATE_COSINE = 0.92
DUPLICATE_JACCARD = 0.6
RELATED_COSINE = 0.75
RELATED_PER_MEMORY = 3
CHANGE_NEIGHBOURS = 8  # older statements closest in meaning, judged by updates.replaces
SWAPPED_SEARCHED = 8  # statements naming what a change swaps away, judged too
MAX_REPLACED = 3
REPLACEABLE_EPISODE_CHARS = 200
# A change is said in a statement or a diary entry, not a document: the updates judge reads every
# word of both texts, and a 100 kB chunk of an imported diary took 2 s per neighbour (eight per
# memory); 16 kB takes about 0.1 s per neighbour.
CHANGE_CHARS = 16_000
# Who may overrule whom: the owner's own words outrank imported notes (an old notes file must not
# replace what the user said last week), which outrank what the model or a tool produced.
SOURCE_RANK = {"user": 2, "chat_user": 2, "import": 1, "assistant": 0, "tool": 0}
SUMMARY_MIN_MESSAGES = 4
SESSION_IDLE = 15 * 60.0  # a session untouched this long is over
CAPABLE_PARAMETERS = 1_000_000_000  # below this, a model's summaries garble more than they help
RUN_NOTES = 4  # consecutive notes from one outside source judged together for slow poison
RUN_KINDS = {"note", "fact", "preference"}  # imported conversations are history, not rules
TOPIC_COSINE = 0.5  # a doubted run this close to a trusted memory of the user speaks about it

Summarizer = Callable[[list[dict]], str]


@dataclass
class SleepReport:
    merged: int = 0
    superseded: int = 0
    contradictions: int = 0
    linked: int = 0
    summaries: int = 0
    profile_updated: bool = False
    archived: int = 0
    forgotten: int = 0
    erased: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def add(self, other: SleepReport) -> None:
        for name in ("merged", "superseded", "contradictions", "linked", "summaries", "archived", "forgotten", "erased"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.profile_updated |= other.profile_updated
        self.interrupted |= other.interrupted
        self.notes += other.notes


def absorb(memories: Memories, ids: list[int], interrupt: threading.Event | None = None, duplicates: bool = True) -> SleepReport:
    """Supersede, flag contradictions and (``duplicates``) merge near-duplicates for new memories."""
    report = SleepReport()
    for memory in memories.store.get_many(ids).values():
        if interrupt is not None and interrupt.is_set():
            report.interrupted = True
            break
        current = memories.get(memory.id)
        if current is None or current.status != "active":
            continue
        if "extracted" in current.provenance:
            _settle_fact(memories, current, report)
            current = memories.get(memory.id)
        # An update that already closed what it changes is not judged again (at a sleep): against
        # the neighbours left it would close the next closest ("futsal moved to thursdays" closed the move).
        if current.status == "active" and _may_replace(current) and not _has_replaced(memories, current):
            _settle_change(memories, current, report)
        if duplicates and current.kind != "episodic" and "extracted" not in current.provenance:
            _merge_duplicate(memories, current, report)
    return report


def sleep(
    memories: Memories,
    now: float | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    interrupt: threading.Event | None = None,
    summarize: Summarizer | None = None,
    forget: bool = True,
) -> SleepReport:
    """Every pass, over what arrived since the last sleep (links, facts) or over everything
    (forgetting, profile)."""
    started = time.perf_counter()
    now = now or time.time()
    store = memories.store
    since = int(store.meta("sleep.last_id", "0"))
    new_ids = store.ids_after(since)
    report = SleepReport()
    steps: list[tuple[str, Callable[[], SleepReport]]] = [
        ("facts and duplicates", lambda: absorb(memories, new_ids, interrupt)),
        ("slow poison", lambda: _slow_poison(memories, new_ids)),
        ("links", lambda: _link_related(memories, new_ids, interrupt)),
        ("summaries", lambda: _summarize_sessions(memories, now, summarize)),
        ("profile", lambda: _refresh_profile(memories)),
        ("forgetting", lambda: _forget(memories, now) if forget else SleepReport()),
    ]
    for number, (name, step) in enumerate(steps, 1):
        if interrupt is not None and interrupt.is_set():
            report.interrupted = True
            break
        if progress:
            progress(name, number, len(steps))
        report.add(step())
    if not report.interrupted and new_ids:
        store.set_meta("sleep.last_id", str(max(new_ids)))
    store.set_meta("sleep.last_at", str(now))
    report.seconds = round(time.perf_counter() - started, 3)
    return report


# -- facts: supersede, confirm, contradict ---------------------------------------------------------


def _settle_fact(memories: Memories, memory: Memory, report: SleepReport) -> None:
    store = memories.store
    extracted = memory.provenance["extracted"]
    attribute, value = extracted["attribute"], _normal(extracted["value"])
    others = [m for m in store.memories_with_attribute(extracted.get("subject", "user"), attribute) if m.id != memory.id]
    if attribute.split(".")[-1] in MULTI_VALUED:
        _flag_opposites(memories, memory, attribute, value, report)
        return
    contradicted: dict[int, list[int]] = {}
    for other in others:
        if _normal(other.provenance["extracted"]["value"]) == value:
            _merge(memories, keep=min(memory, other, key=_age_key), drop=max(memory, other, key=_age_key), report=report)
            if max(memory, other, key=_age_key).id == memory.id:
                return
            continue
        newer, older = (memory, other) if _age_key(memory) >= _age_key(other) else (other, memory)
        if _rank(newer) >= _rank(older) and trust.may_supersede(newer, older):
            store.supersede(older.id, newer.id, valid_to=_when(newer))
            report.superseded += 1
        else:
            store.add_links([(newer.id, older.id, "contradicts", 1.0)])
            report.contradictions += 1
            if trust.profile_worthy(older):
                contradicted.setdefault(newer.id, []).append(older.id)
            else:
                trust.contradict(store, newer.id)
    for doubtful, trusted in contradicted.items():
        # A weaker source overruling trusted memories: hold it for the user's verdict (review).
        trust.contradict(store, doubtful, len(trusted))
        _hold(memories, doubtful, "contradicts " + ", ".join(f"#{i}" for i in trusted), report)


def _hold(memories: Memories, memory_id: int, reason: str, report: SleepReport) -> None:
    """Quarantine ``memory_id`` for the user's verdict in `secondme review`, saying why."""
    store = memories.store
    store.set_status([memory_id], "quarantined")
    current = store.get(memory_id)
    store.set_provenance(memory_id, {**current.provenance, "quarantine": [*current.provenance.get("quarantine", []), reason]})
    report.notes.append(f"#{memory_id} {reason}: held for review")


# -- slow poison: a policy spread over several harmless notes -----------------------------------


def _slow_poison(memories: Memories, new_ids: list[int]) -> SleepReport:
    report = SleepReport()
    runs = _runs(memories, new_ids)
    held: set[int] = set()
    # Each newcomer alone: intake scanned it, but not against what the user has said.
    singles = [memory for run in runs for memory in run if poisoning.sets_policy(memory.content)]
    stored = memories.store.vectors([memory.id for memory in singles])
    for memory in singles:
        about = _trusted_topic(memories, stored[memory.id], {memory.id}) if memory.id in stored else None
        if about is not None:
            _hold_doubted(memories, memory.id, f"sets a rule about what #{about} says", 0.0, report)
            held.add(memory.id)
    windows = [window for run in runs for window in _windows(run)]
    if not windows:
        return report
    texts = [" ".join(memory.content for memory in window) for window in windows]
    vectors = memories.embed_texts(texts)
    verdicts = poisoning.scan_batch(texts, [window[0].source for window in windows], vectors, memories.embed_texts)
    doubted: dict[int, float] = {}
    for window, text, verdict, vector in zip(windows, texts, verdicts, vectors):
        ids = [memory.id for memory in window]
        together = "together with " + ", ".join(f"#{i}" for i in ids)
        policy = poisoning.sets_policy(text)
        about = _trusted_topic(memories, vector, set(ids)) if policy else None
        if verdict.quarantine or (policy and verdict.doubtful):
            reason = f"{together}: reads as orders to the assistant"
        elif about is not None:
            reason = f"{together}: sets a rule about what #{about} says"
        else:
            if verdict.doubtful:
                doubted.update({memory_id: max(verdict.act, doubted.get(memory_id, 0.0)) for memory_id in ids})
            continue
        for memory_id in [i for i in ids if i not in held]:
            _hold_doubted(memories, memory_id, reason, verdict.act, report)
        held.update(ids)
    for memory_id, probability in doubted.items():
        if memory_id not in held:
            trust.doubted_with_others(memories.store, memory_id, probability)
    return report


def _hold_doubted(memories: Memories, memory_id: int, reason: str, probability: float, report: SleepReport) -> None:
    trust.doubted_with_others(memories.store, memory_id, probability)
    _hold(memories, memory_id, reason, report)


def _runs(memories: Memories, new_ids: list[int]) -> list[list[Memory]]:
    """New active notes from outside sources, by where they came from, in arrival order."""
    runs: dict[tuple, list[Memory]] = {}
    for memory in sorted(memories.store.get_many(new_ids).values(), key=lambda m: m.id):
        if memory.status == "active" and memory.source not in OWNER_SOURCES and memory.kind in RUN_KINDS:
            origin = tuple(str(memory.provenance.get(key, "")) for key in ("file", "client", "imported_from", "vault"))
            runs.setdefault((memory.source, origin), []).append(memory)
    return list(runs.values())


def _windows(run: list[Memory]) -> list[list[Memory]]:
    """Consecutive notes, RUN_NOTES at a time (none for a note that came alone)."""
    if len(run) < 2:
        return []
    return [run[start : start + RUN_NOTES] for start in range(max(1, len(run) - RUN_NOTES + 1))]


def _trusted_topic(memories: Memories, vector, exclude: set[int]) -> int | None:
    """The trusted memory of the user's own that ``vector`` is about, if any."""
    for memory_id, cosine in memories.recaller.vectors.search(vector, 8):
        if cosine < TOPIC_COSINE:
            break
        memory = memories.get(memory_id)
        if memory_id not in exclude and memory is not None and memory.source in OWNER_SOURCES and trust.profile_worthy(memory):
            return memory_id
    return None


def _may_replace(memory: Memory) -> bool:
    """Statements the user made (typed, said in chat, or notes brought in) can replace older ones;
    imported conversations are history, what the model or a tool said replaces nothing, and a
    document (over CHANGE_CHARS) is not a change of one thing."""
    if memory.speech != "statement" or memory.source in {"assistant", "tool"} or len(memory.content) > CHANGE_CHARS:
        return False
    return memory.kind in {"note", "fact", "preference"} or (memory.kind == "episodic" and memory.source != "import")


def _replaceable(old: Memory, new: Memory) -> bool:
    """``old`` is an earlier statement about one thing: a long message that also says other
    things is not closed by an update of one of them."""
    return (
        old.status == "active"
        and old.speech == "statement"
        and old.source not in {"assistant", "tool"}
        and old.kind in {"note", "fact", "preference", "episodic"}
        and _age_key(old) < _age_key(new)
        and (old.kind != "episodic" or len(old.content) <= REPLACEABLE_EPISODE_CHARS)
    )


def _settle_change(memories: Memories, memory: Memory, report: SleepReport) -> None:
    """Supersede the older statements ``memory`` replaces in the user's own words (updates.py).
    A change read from meaning alone counts only when no shared word names another one."""
    judged = []
    closest = True  # below SAME_TOPIC, only the closest older statement may be replaced, or one whose value it names gone
    worded = False  # a change of an older statement named by a shared word, allowed or not: meaning alone decides nothing then
    for other, cosine in _older_neighbours(memories, memory):
        judgement = updates.replaces(memory.content, other.content, cosine)
        allowed = closest or cosine >= updates.SAME_TOPIC or (judgement.names_gone and cosine >= updates.CUED_TOPIC) or judgement.swapped
        closest = False
        worded = worded or (judgement.replaces and not judgement.by_meaning and cosine >= updates.CUED_TOPIC)
        if allowed and judgement.replaces and _rank(memory) >= _rank(other) and trust.may_supersede(memory, other):
            judged.append((other, cosine, judgement))
    if worded or any(not judgement.by_meaning for _, _, judgement in judged):
        judged = [entry for entry in judged if not entry[2].by_meaning]
    elif judged and _closest_statement(memories, judged[0][0]) != memory.id:  # only the closest is judged by meaning
        judged = []
    for other, cosine, judgement in judged[:MAX_REPLACED]:
        if _holds_more(other, memory, judgement, cosine):
            _amend(memories, other, memory, judgement)
            report.notes.append(f"#{memory.id} updates part of #{other.id} ({judgement.reason})")
        else:
            memories.store.supersede(other.id, memory.id, valid_to=_when(memory))
            report.notes.append(f"#{memory.id} replaces #{other.id} ({judgement.reason})")
        report.superseded += 1


def _has_replaced(memories: Memories, memory: Memory) -> bool:
    """``memory`` already superseded or amended an older statement."""
    return any(link["src_id"] == memory.id and link["relation"] in {"supersedes", "updates"} for link in memories.store.links(memory.id))


def _neighbours(memories: Memories, memory: Memory) -> list[tuple[Memory, float]]:
    """The other memories closest in meaning to ``memory``, closest first."""
    vector = memories.store.vectors([memory.id]).get(memory.id)
    if vector is None:
        return []
    found = ((memories.get(other_id), cosine) for other_id, cosine in memories.recaller.vectors.search(vector, CHANGE_NEIGHBOURS + 1) if other_id != memory.id)
    return [(other, cosine) for other, cosine in found if other is not None]


def _older_neighbours(memories: Memories, memory: Memory) -> list[tuple[Memory, float]]:
    """The older statements closest in meaning to ``memory`` that it could replace, closest first,
    then those holding what it swaps away, however far in meaning (a note in another language)."""
    lowest = min(updates.NAMED_TOPIC, updates.CUED_TOPIC, updates.SLOT_TOPIC)
    close = [(other, cosine) for other, cosine in _neighbours(memories, memory) if cosine >= lowest]
    found = close + [entry for entry in _holding_swapped(memories, memory) if entry[0].id not in {other.id for other, _ in close}]
    return [(other, cosine) for other, cosine in found if _replaceable(other, memory) and updates.could_change(memory.content, other.content)]


def _holding_swapped(memories: Memories, memory: Memory) -> list[tuple[Memory, float]]:
    """The statements that name what ``memory`` swaps for something else ("Troquei o Fit por um
    BYD": those saying "Fit"), with their cosine to it."""
    found = []
    for value in updates.swapped_away(memory.content):
        match = fts_query(value)
        ids = [memory_id for memory_id, _ in memories.store.fts_search(match, SWAPPED_SEARCHED)] if match else []
        vectors = memories.store.vectors([memory.id, *ids])
        mine = vectors.get(memory.id)
        for other_id in ids:
            other = memories.get(other_id)
            if other is not None and other_id != memory.id and mine is not None and other_id in vectors:
                found.append((other, float(mine @ vectors[other_id])))
    return found


def _closest_statement(memories: Memories, memory: Memory) -> int | None:
    """The active statement closest in meaning to ``memory`` (another one)."""
    return next((other.id for other, _ in _neighbours(memories, memory) if other.status == "active" and other.speech == "statement"), None)


def _holds_more(old: Memory, new: Memory, judgement: updates.Judgement, cosine: float) -> bool:
    """``old`` says more than what changed ("I'm 28 and I live in Indiranagar" when the user moves):
    it stays, with the changed part marked stale, rather than taking its other facts with it. So
    does its life history, and who is who, however close the two are ("I grew up in Enugu. Mum
    still lives there."; "Husband = Chidi. He's a civil engineer at Dufferin.")."""
    if not judgement.stale:
        return False
    parts = updates.clauses(old.content)
    untouched = [part for part in parts if not any(stale in part for stale in judgement.stale)]
    if cosine >= updates.SAME_TOPIC:  # who is who is kept even when its own clause changed ("My brother Marek lives in Dublin")
        still = updates.still_held(new.content)  # "hayabusa na, jungler pa rin": "jungler ako lagi" stays
        return (any(updates.lasting(part) or words.content_stems(part) & still for part in untouched)
                or bool(kinship.relation_names(old.content)))
    return len(parts) > 1 and any(len(part.split()) >= 2 for part in untouched)


def _amend(memories: Memories, old: Memory, new: Memory, judgement: updates.Judgement) -> None:
    """What no longer holds in ``old`` is named in its provenance (the reader and the prompt leave
    it out); the two are linked, so that `secondme history` shows the change."""
    stale = sorted({*old.provenance.get("stale", []), *judgement.stale})
    memories.store.set_provenance(old.id, {**old.provenance, "stale": stale, "updated_by": new.id})
    memories.store.add_links([(new.id, old.id, "updates", 1.0)])


def _rank(memory: Memory) -> int:
    return SOURCE_RANK["user"] if memory.provenance.get("vouched") else SOURCE_RANK[memory.source]


def _flag_opposites(memories: Memories, memory: Memory, attribute: str, value: str, report: SleepReport) -> None:
    opposite = {"likes": "dislikes", "dislikes": "likes"}.get(attribute)
    if opposite is None:
        return
    for other in memories.store.memories_with_attribute("user", opposite):
        if _normal(other.provenance["extracted"]["value"]) == value:
            memories.store.add_links([(memory.id, other.id, "contradicts", 1.0)])
            weaker = min(memory, other, key=lambda m: (m.trust, _age_key(m)))
            trust.contradict(memories.store, weaker.id)
            report.contradictions += 1


def _merge(memories: Memories, keep: Memory, drop: Memory, report: SleepReport) -> None:
    """``drop`` repeats ``keep``: the older memory counts a confirmation and absorbs the tags."""
    store = memories.store
    trust.confirm(store, keep.id)
    if set(drop.tags) - set(keep.tags):
        store.set_tags(keep.id, sorted(set(keep.tags) | set(drop.tags)))
    store.supersede(drop.id, keep.id, valid_to=None, relation="duplicate_of")
    report.merged += 1


def _merge_duplicate(memories: Memories, memory: Memory, report: SleepReport) -> None:
    vector = memories.store.vectors([memory.id]).get(memory.id)
    if vector is None:
        return
    for other_id, cosine in memories.recaller.vectors.search(vector, 6):
        if other_id == memory.id or cosine < DUPLICATE_COSINE:
            continue
        other = memories.get(other_id)
        if other is None or other.status != "active" or other.kind != memory.kind or _jaccard(other.content, memory.content) < DUPLICATE_JACCARD:
            continue
        keep, drop = (other, memory) if _age_key(other) <= _age_key(memory) else (memory, other)
        _merge(memories, keep, drop, report)
        return


# -- links, summaries, profile, forgetting -----------------------------------------------------------


def _link_related(memories: Memories, ids: list[int], interrupt: threading.Event | None) -> SleepReport:
    report = SleepReport()
    store = memories.store
    vectors = store.vectors(ids)
    links = []
    for memory_id, vector in vectors.items():
        if interrupt is not None and interrupt.is_set():
            report.interrupted = True
            break
        close = [
            (other, cosine)
            for other, cosine in memories.recaller.vectors.search(vector, RELATED_PER_MEMORY + 1)
            if other != memory_id and RELATED_COSINE <= cosine < DUPLICATE_COSINE
        ]
        links += [(memory_id, other, "related", round(cosine, 3)) for other, cosine in close[:RELATED_PER_MEMORY]]
    store.add_links(links)
    report.linked = len(links)
    return report


def _summarize_sessions(memories: Memories, now: float, summarize: Summarizer | None) -> SleepReport:
    report = SleepReport()
    store = memories.store
    for session in store.sessions_to_summarize(idle_before=now - SESSION_IDLE, min_messages=SUMMARY_MIN_MESSAGES):
        messages = store.messages(session["id"])
        text = (summarize(messages) if summarize else "") or extractive_summary(messages)
        if not text:
            continue
        when = session["ended_at"] or session["started_at"]
        result = memories.remember(
            [NewMemory(text, kind="summary", source="assistant" if summarize else "chat_user", session_id=session["id"],
                       created_at=when, event_time=when, provenance={"summary_of_session": session["id"], "title": session["title"]})],
            settle=False,
        )
        store.update_session(session["id"], summary_id=result.ids[0])
        report.summaries += 1
    return report


def extractive_summary(messages: list[dict], sentences: int = 3) -> str:
    """The user's most informative sentences, in the order they were said."""
    from secondme.memory.extract import extract

    said = [part.strip() for m in messages if m["role"] == "user" for part in re.split(r"(?<=[.!?])\s+", m["content"]) if len(part.strip()) > 12]
    if not said:
        return ""

    def weight(sentence: str) -> float:
        return 2.0 * len(extract(sentence)) + len(re.findall(r"\d|\b[A-Z][a-z]+", sentence)) * 0.3 + min(len(sentence), 200) / 100

    best = sorted(range(len(said)), key=lambda i: -weight(said[i]))[:sentences]
    return "In this conversation: " + " ".join(said[i] for i in sorted(best))


def _refresh_profile(memories: Memories) -> SleepReport:
    """One memory of kind 'profile' that lists the current trusted facts about the user."""
    report = SleepReport()
    store = memories.store
    # What is sensitive stays out of the profile, which goes into every prompt (sensitivity.py).
    facts = [m for m in store.memories_with_attribute("user", None)
             if trust.profile_worthy(m) and m.kind != "episodic" and m.sensitivity == "normal" and _still_holds(m)]
    lines = sorted({_profile_line(m) for m in facts})
    # Only the profile a sleep wrote is rewritten: one the user wrote ("My name is Ola", --kind
    # profile) is theirs, and stays beside it.
    existing = next((m for m in store.of_kind("profile") if m.provenance.get("derived") == "profile"), None)
    if not lines:
        return report
    content = "About the user:\n" + "\n".join(f"- {line}" for line in lines)
    provenance = {"derived": "profile", "from": sorted(m.id for m in facts)}
    if existing is None:
        alpha, beta = trust.PROFILE_PRIOR
        memories.remember([NewMemory(content, kind="profile", source="user", provenance=provenance, trust_alpha=alpha, trust_beta=beta, restored=True)],
                          settle=False)
        report.profile_updated = True
    elif existing.content != content:
        memories.edit(existing.id, content, reason="profile refreshed")
        store.set_provenance(existing.id, provenance)
        report.profile_updated = True
    return report


def _still_holds(memory: Memory) -> bool:
    """The fact extracted from ``memory`` is not the part a later statement changed ("lives in:
    Indiranagar" once "We're in HSR Layout now" marked "I live in Indiranagar" stale)."""
    value = memory.provenance["extracted"]["value"].lower().strip()
    stale = [part.lower().strip() for part in memory.provenance.get("stale", [])]
    return not value or not any(len(part) >= 3 and (value in part or part in value) for part in stale)


def _profile_line(memory: Memory) -> str:
    extracted = memory.provenance["extracted"]
    label = extracted["attribute"].replace(".name", " name").replace("_", " ")
    return f"{label}: {extracted['value']}"[:160]


def _forget(memories: Memories, now: float) -> SleepReport:
    result = forgetting.forget_pass(memories.store, now)
    return SleepReport(archived=result.archived, forgotten=result.forgotten, erased=result.erased)


# -- helpers -----------------------------------------------------------------------------------------


def _age_key(memory: Memory) -> tuple[float, int]:
    return (_when(memory), memory.id)


def _when(memory: Memory) -> float:
    return memory.valid_from or memory.event_time or memory.created_at


def _normal(value: str) -> str:
    return " ".join(re.sub(r"[^\w\s@.]", " ", value.casefold()).replace("the ", "").split())


def _jaccard(a: str, b: str) -> float:
    words_a, words_b = set(re.findall(r"\w+", a.casefold())), set(re.findall(r"\w+", b.casefold()))
    return len(words_a & words_b) / max(1, len(words_a | words_b))
