"""The memory layer's one door: every use case is one method of ``Memories``.

The CLI, the TUI, the Assistant and the MCP server touch memory only through it, so the same
action behaves the same everywhere: remembering settles at once what a new statement changes,
pinning adds trust evidence, approving a held memory settles it, a prompt and an agent see the
same gated memories. The store (store.py) and the life-cycle modules are its internals. The
heavy embedder is loaded only when a call needs it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, reduce
from pathlib import Path
from typing import TYPE_CHECKING

import apsw
import numpy as np

from secondme.times import iso
from secondme.config import Paths, paths as default_paths
from secondme.errors import SecondmeError, UsageError
from secondme.memory import extract, forgetting, keys, poisoning, sensitivity, trust
from secondme.memory.recall import CONTEXT_RELATION, Hit, Recaller, Weigher, Weights, fts_query
from secondme.memory.store import Store
from secondme.memory.types import CannotUnlock, Filters, Memory, NewMemory, NoStoreYet, clean_content, content_hash
from secondme.words import sentences

if TYPE_CHECKING:  # imported where used: `secondme recall` needs neither (30 ms of start-up)
    from secondme.memory import consolidate, repair, transfer

PASSPHRASE_ENV = "SECONDME_PASSPHRASE"


@dataclass
class Prepared:
    digests: list[str]
    existing: dict[str, int]
    position: dict[str, int]
    fresh: list[NewMemory]
    vectors: np.ndarray


@dataclass
class Remembered:
    ids: list[int]  # in the order given; a duplicate maps to the memory it repeats
    new: int
    duplicates: int
    fresh: list[int] = field(default_factory=list)  # the ids of the memories stored now


@dataclass
class Exchange:
    """One turn of a chat, as the Assistant hands it over to be remembered."""

    user_text: str
    answer: str
    facts: list  # extract.Fact drawn from the user's words
    model: str
    stats: dict
    used_ids: list[int]  # memories the answer used (reinforced)
    revealed: list[Memory]  # sensitive memories the answer was read out of (the reply inherits their level)
    asked: bool = False  # the user's words were a lookup memory answered ("hannah bday"): a question, whatever they read like


def store_key(where: Paths, passphrase: str | None) -> bytes:
    """The database key; creates a device key on the very first run."""
    key_file = keys.read_key_file(where.key_file)
    if key_file is None:
        if where.database.exists() and where.database.stat().st_size > 0:
            raise CannotUnlock(f"the key file {where.key_file} is missing: {where.database} cannot be opened without it")
        where.ensure()
        return keys.create_device_key(where.key_file)
    return keys.unlock(key_file, passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV))


class LifeCycleWeigher(Weigher):
    """Recall ranks by trust and by retention (both mild: doubtful or faded memories sink, but
    stay findable)."""

    def weights(self, memory: Memory, now: float) -> Weights:
        retention = forgetting.retention(memory, now)
        return Weights(trust.ranking_weight(memory), retention, forgetting.ranking_weight(retention))


class Memories:
    def __init__(self, store: Store, where: Paths, store_key: bytes, weigher: Weigher | None = None):
        self.store = store
        self.paths = where
        self.store_key = store_key
        self.weigher = weigher or LifeCycleWeigher()
        self.embed_progress: Callable[[str], None] | None = None

    @classmethod
    def open(cls, where: Paths | None = None, passphrase: str | None = None, *, create: bool = True, key: bytes | None = None) -> Memories:
        """The store at ``where``, unlocked by its key file (and ``passphrase`` if it has one), or
        by ``key`` itself when it is already known."""
        where = where or default_paths()
        if not create and not where.database.exists():
            raise NoStoreYet(f"no memories yet: nothing has been remembered in {where.data_dir} (`secondme remember TEXT` starts)")
        key = key or store_key(where, passphrase)
        where.ensure()
        store = Store.open(where.database, key, create=create)
        os.chmod(where.database, 0o600)
        return cls(store, where, key)

    @staticmethod
    def must_ask_passphrase(where: Paths) -> bool:
        """The store at ``where`` is locked by a passphrase that SECONDME_PASSPHRASE does not give:
        the user has to type it. Raises keys.UnlockError for an unreadable key file."""
        key_file = keys.read_key_file(where.key_file)
        return key_file is not None and key_file.needs_passphrase and not os.environ.get(PASSPHRASE_ENV)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Memories:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @cached_property
    def embedder(self):
        from secondme.memory.embed import Embedder

        return Embedder(self.paths.cache_dir, progress=self.embed_progress)

    @cached_property
    def recaller(self) -> Recaller:
        return Recaller(self.store, self.embedder.embed_one, self.weigher)

    def set_passphrase(self, passphrase: str | None) -> None:
        """Wrap the store's key with ``passphrase`` (None: the device key file alone opens it).
        The database is not rewritten: only its key file changes."""
        keys.protect(self.paths.key_file, self.store_key, passphrase)

    def warm(self, vectors: bool = True) -> None:
        """Start the embedder loading (it loads in the background) and, with ``vectors``, mirror
        every vector in memory now, so the first search does not wait for either."""
        self.embedder
        if vectors:
            self.recaller.vectors.warm()

    # -- remembering -----------------------------------------------------------------------------

    def remember(
        self,
        items: Sequence[NewMemory],
        progress: Callable[[int], None] | None = None,
        link_sequence: bool = False,
        settle: bool = True,
        known_to: Callable[[Memory], bool] | None = None,
    ) -> Remembered:
        """Embed, scan and store ``items`` atomically (see ``prepare``), then (``settle``) let
        them change what they change at once: "I moved to Berlin" closes "I live in Paris".

        With ``link_sequence`` consecutive items are linked as conversation neighbours. Bulk
        loads that settle later (a sleep) pass ``settle=False``. ``known_to``: which stored
        memories the writer may be told it repeats (an agent: only those it may read; else
        "duplicate" would confirm a guessed PIN).
        """
        from secondme.memory import consolidate

        result = self.commit(self.prepare(items, progress, known_to), link_sequence)
        if settle and result.fresh:
            consolidate.absorb(self, result.fresh, duplicates=False)
        return result

    def prepare(self, items: Sequence[NewMemory], progress: Callable[[int], None] | None = None,
                known_to: Callable[[Memory], bool] | None = None) -> Prepared:
        """Dedupe and embed, before any write lock is taken.

        An item repeating a live memory word for word is not stored twice (episodes excepted:
        saying "thanks!" twice is two events, unless it is the same message at the same moment,
        as a chat export imported again holds it: ChatGPT's exports hold every older chat).
        Memories restored from an export are each their own, even when two say the same (one
        forgotten, the same said again later): only a live memory already in the store stands
        for one, or the very memory restored again (its words at its moment, forgotten or not).
        """
        moments = [_said_then(item) for item in items]
        hashes = [_digest(i, item, said) for i, (item, said) in enumerate(zip(items, moments))]
        live = self.store.ids_for_hashes(hashes)
        said_then = self.store.ids_for_episodes([said for said in moments if said is not None])
        live.update({_episode_digest(*said): memory_id for said, memory_id in said_then.items()})
        if known_to is not None:
            visible = self.store.get_many(list(live.values()))
            live = {hashed: memory_id for hashed, memory_id in live.items() if memory_id in visible and known_to(visible[memory_id])}
        digests = [f"{digest} restored {i}" if item.restored else digest for i, (item, digest) in enumerate(zip(items, hashes))]
        existing = {digest: live[hashed] for digest, hashed in zip(digests, hashes) if hashed in live}
        restored = {i: (content_hash(item.content), item.created_at) for i, item in enumerate(items) if item.restored and item.created_at is not None}
        held = self.store.ids_for_restored(list(restored.values()))
        existing.update({digests[i]: held[said] for i, said in restored.items() if said in held})  # the same memory, restored again
        fresh: list[NewMemory] = []
        position: dict[str, int] = {}
        for item, digest in zip(items, digests):
            if digest not in existing and digest not in position:
                position[digest] = len(fresh)
                fresh.append(item)
        vectors = self.embed_texts([item.content for item in fresh], progress)
        verdicts = poisoning.scan_batch([item.content for item in fresh], [item.source for item in fresh], vectors, self.embed_texts)
        for item, verdict, vector in zip(fresh, verdicts, vectors):
            if item.speech is None:
                item.speech = "reply" if item.source == "assistant" and item.kind == "episodic" else extract.speech_act(item.content)
            if item.categories is None:
                assessment = sensitivity.classify(item.content, vector, self.embedder)
                item.categories = list(assessment.categories)
                item.sensitivity = sensitivity.stricter(item.sensitivity, assessment.level)
                if assessment.about:
                    item.provenance = {**item.provenance, "confidence_about": list(assessment.about)}
            trust.intake(item, self.store, verdict)
            forgetting.intake(item)
            if item.kind in {"note", "fact", "preference"} and item.source in {"user", "chat_user", "import"}:
                item.provenance = extract.annotate(item.content, item.provenance)
        return Prepared(digests, existing, position, fresh, vectors)

    def commit(self, prepared: Prepared, link_sequence: bool = False) -> Remembered:
        with self.store.transaction():
            new_ids = self.store.add(prepared.fresh, prepared.vectors)
            ids = [
                prepared.existing[d] if d in prepared.existing else new_ids[prepared.position[d]]
                for d in prepared.digests
            ]
            if link_sequence:
                self.link_in_order(ids)
        return Remembered(ids=ids, new=len(new_ids), duplicates=len(ids) - len(new_ids), fresh=list(new_ids))

    def link_in_order(self, ids: Sequence[int]) -> None:
        """Link memories as conversation neighbours, each to the one before it."""
        pairs = [(before, after) for before, after in zip(ids, ids[1:]) if before != after]
        self.store.add_links((before, after, CONTEXT_RELATION, 1.0) for before, after in pairs)

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored embeddings of ``ids`` (of their whole text, as remembered or last edited)."""
        return self.store.vectors(ids) if ids else {}

    def embed_texts(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        if not texts:
            return np.empty((0, self.embedder.dim), dtype=np.float32)
        return self.embedder.embed(texts, progress)

    # -- recalling -------------------------------------------------------------------------------

    def recall(self, query: str, k: int = 10, filters: Filters = Filters(), now: float | None = None) -> list[Hit]:
        return self.recaller.recall(query, k=k, filters=filters, now=now or time.time())

    def look_up(self, query: str, k: int = 10, filters: Filters = Filters()) -> tuple[list[Hit], list[sensitivity.Held]]:
        """What the user sees when they search their memories (`secondme recall`, /recall in the
        chat): recall, minus the sensitive memories the query is not about (held back, with why)."""
        return self.gate(query, self.recall(query, k=k, filters=filters), to_model=False)

    def gate(self, request: str, hits: Sequence[Hit], mode: str = "normal", to_model: bool = True) -> tuple[list[Hit], list[sensitivity.Held]]:
        """Split ``hits`` into what may answer ``request`` and the sensitive memories held back
        (with why): a prompt for a model (``to_model``) or what the user is shown."""
        admitted, held = [], []
        for hit, match in zip(hits, sensitivity.Match.placing(hits)):
            reason = sensitivity.hold_back(hit.memory, request, match, mode, to_model)
            if reason is None:
                admitted.append(hit)
            else:
                held.append(sensitivity.Held(hit.memory, reason))
        return admitted, held

    def browse(
        self, query: str = "", kinds: Sequence[str] = (), statuses: Sequence[str] = ("active",), limit: int = 200, words_only: bool = False
    ) -> list[Memory]:
        """Newest first without a query; best match first with one (``words_only``: no embedding,
        for when the model is generating)."""
        filters = Filters(kinds=frozenset(kinds), statuses=frozenset(statuses))
        if query.strip() and not words_only:
            return [hit.memory for hit in self.recall(query, k=limit, filters=filters)]
        if not query.strip():
            return self.store.newest(filters, limit)
        match = fts_query(query)
        return [] if match is None else self.store.newest(filters, limit, match)

    def edit(self, memory_id: int, text: str, reason: str = "edited by you") -> None:
        """Replace a memory's text; the old text stays in its version history."""
        text = clean_content(text)
        self.store.update_content(memory_id, text, self.embedder.embed_one(text), reason=reason)

    def profile(self, limit: int = 24) -> list[Memory]:
        """Stable facts for every prompt: the profile memory and what the user pinned."""
        return self.store.profile_and_pinned(limit)

    def reinforce(self, ids: Sequence[int], now: float | None = None, wait: bool = True) -> bool:
        """Memories that were used: recalled once more, just now (spacing effect)."""
        found = self.store.get_many(list(ids))
        return forgetting.reinforce(self.store, list(found.values()), now, wait)

    def get(self, memory_id: int) -> Memory | None:
        return self.store.get(memory_id)

    def stats(self) -> dict:
        summary = self.store.summary()
        sizes = self.store.file_sizes()
        key_file = keys.read_key_file(self.paths.key_file)
        return {
            **summary,
            "oldest": iso(summary["oldest"]),
            "newest": iso(summary["newest"]),
            "path": str(self.store.path),
            "bytes": sum(sizes.values()),
            "key_mode": key_file.mode if key_file else "missing",
            "retention": forgetting.zones(self.store.iter_memories(), time.time()).as_dict(),
            "pending_review": len(self.pending_review()),
        }

    def pending_review(self) -> list[Memory]:
        """Quarantined memories, then active ones the assistant would not use (low trust)."""
        return [memory for memory in self.store.review_candidates() if trust.needs_review(memory)]

    def history(self, memory_id: int) -> list[dict]:
        """Every version of the fact ``memory_id`` belongs to: edits, and the supersede chain."""
        chain, seen, frontier = [], set(), [memory_id]
        while frontier:
            current = frontier.pop()
            if current in seen:
                continue
            seen.add(current)
            memory = self.get(current)
            if memory is None:
                continue
            for version in self.store.versions(current):
                chain.append({"id": current, "version": version["version"], "status": "edited", "content": version["content"],
                              "valid_from": memory.valid_from, "valid_to": version["changed_at"]})
            chain.append({"id": current, "version": memory.version, "status": memory.status, "content": memory.content,
                          "valid_from": memory.valid_from, "valid_to": memory.valid_to})
            frontier += [link["dst_id"] if link["src_id"] == current else link["src_id"]
                         for link in self.store.links(current) if link["relation"] in {"supersedes", "duplicate_of"}]
        return sorted(chain, key=lambda entry: (entry["valid_from"] or 0, entry["id"], entry["version"]))

    def replaced(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """What each of ``ids`` changed: the whole text it superseded, or the sentences of a
        statement it updated ("I drive a silver Mondeo" for "I sold the Mondeo, now we have a Corolla").
        A memory restored, forgotten or quarantined since is no longer what it changed."""
        links = self.store.replacements_made_by(ids)
        older = self.store.get_many([old for _, old, _ in links])
        changed: dict[int, list[str]] = {}
        for new, old, relation in links:
            memory = older.get(old)
            if memory is None:
                continue
            if relation == "supersedes" and memory.status == "superseded" and memory.superseded_by == new:
                changed.setdefault(new, []).append(memory.content)
            elif relation == "updates" and memory.status == "active":
                stale = memory.provenance.get("stale", [])
                changed.setdefault(new, []).extend(sentence for sentence in sentences(memory.content) if any(part in sentence for part in stale))
        return changed

    def standing_in(self, hits: Sequence[Hit]) -> list[Hit]:
        """``hits`` with what replaced them: a superseded memory stands for the active memory that
        replaced it (at its place, without its cosine), an updated one brings its update in at its
        place. A question that matches "I work at Paysetu" is then also read from "I quit
        Paysetu! Started at Kitestring", which never says "work". Each memory once, at its best place."""
        placed = {hit.memory.id: hit for hit in hits if hit.memory.status != "superseded"}
        successors = self._successors([hit.memory for hit in hits])
        for hit in hits:
            newer = successors.get(hit.memory.id)
            if newer is None:
                continue
            own = placed.get(newer.id)
            if own is None:
                placed[newer.id] = Hit(newer, hit.score)
            elif own.score < hit.score:
                placed[newer.id] = replace(own, score=hit.score)
        return sorted(placed.values(), key=lambda hit: -hit.score)

    def _successors(self, memories: Sequence[Memory], longest_chain: int = 8) -> dict[int, Memory]:
        """The active memory that replaced each of ``memories``, chains followed (a few queries,
        not one per memory: this runs before every answer)."""
        updated = self.store.latest_updates_of([memory.id for memory in memories if memory.status != "superseded"])
        pointing = {memory.id: memory.superseded_by if memory.status == "superseded" else updated.get(memory.id) for memory in memories}
        pointing = {origin: target for origin, target in pointing.items() if target is not None}
        found: dict[int, Memory] = {}
        for _ in range(longest_chain):
            if not pointing:
                break
            fetched = self.store.get_many(sorted(set(pointing.values())))
            following = {}
            for origin, target in pointing.items():
                memory = fetched.get(target)
                if memory is not None and memory.status == "active":
                    found[origin] = memory
                elif memory is not None and memory.superseded_by not in (None, origin):
                    following[origin] = memory.superseded_by
            pointing = following
        return found

    def mark(self, ids: Sequence[int], level: str) -> list[int]:
        """Set how sensitive memories are (normal, private, never_inject). Returns the unknown ids."""
        found = self.store.get_many(ids)
        for memory_id in found:
            self.store.set_sensitivity(memory_id, level)
        return [i for i in ids if i not in found]

    def forget(self, ids: Sequence[int]) -> list[int]:
        """Mark memories forgotten (out of recall; erased for good later). Returns the unknown ids."""
        found = self.store.get_many(ids)
        self.store.set_status([i for i in ids if i in found], "forgotten")
        return [i for i in ids if i not in found]

    def restore(self, ids: Sequence[int]) -> tuple[list[int], list[int]]:
        """Bring archived or forgotten memories back, as if just used: (restored, not restorable)."""
        found = self.store.get_many(ids)
        restored = [i for i in ids if i in found and found[i].status in {"archived", "forgotten"}]
        for memory_id in restored:
            forgetting.restore(self.store, found[memory_id])
        return restored, [i for i in ids if i not in restored]

    def pin(self, memory_id: int, pinned: bool = True) -> Memory | None:
        """Pin (never fades, always in the prompt's profile) or unpin; pinning is the user
        vouching for it, so it gains trust. None: no such memory."""
        memory = self.store.get(memory_id)
        if memory is None:
            return None
        self.store.set_pinned(memory_id, pinned)
        if pinned and not memory.pinned:
            trust.pinned(self.store, memory_id)
        return self.store.get(memory_id)

    def judge(self, memory_id: int, approve: bool) -> Memory | None:
        """The user's verdict on a held or doubtful memory: approved, it becomes active and
        trusted and settles what it changes; rejected, it is forgotten. None: no such memory."""
        from secondme.memory import consolidate

        memory = self.store.get(memory_id)
        if memory is None:
            return None
        if approve:
            trust.approve(self.store, memory)
            consolidate.absorb(self, [memory_id], duplicates=False)
        else:
            trust.reject(self.store, memory)
        return self.store.get(memory_id)

    def rate_answer(self, memory_ids: Sequence[int], good: bool, reply_id: int | None = None) -> None:
        """The user rated an answer: good, the memories behind it gain trust and the answer itself
        (``reply_id``) becomes a statement they vouch for."""
        trust.used_in_answer(self.store, list(memory_ids), good)
        if good and reply_id is not None:
            trust.confirm_reply(self.store, reply_id)

    def count(self, status: str | None = None) -> int:
        return self.store.count(status)

    def versions(self, memory_id: int) -> list[dict]:
        return self.store.versions(memory_id)

    def links(self, memory_id: int) -> list[dict]:
        return self.store.links(memory_id)

    # -- sessions ----------------------------------------------------------------------------------

    def sessions(self, limit: int | None = None) -> list[dict]:
        """Chat sessions, newest first."""
        return self.store.sessions(limit)

    def session(self, session_id: int) -> dict | None:
        return self.store.session(session_id)

    def messages(self, session_id: int) -> list[dict]:
        return self.store.messages(session_id)

    def latest_session(self) -> int | None:
        found = self.store.sessions(limit=1)
        return found[0]["id"] if found else None

    def remember_exchange(self, exchange: Exchange, session_id: int | None, after_id: int | None, now: float) -> tuple[list[int], int]:
        """Store both sides of a chat turn and the facts drawn from the user's words, in one
        transaction (a new session when ``session_id`` is None), link it after ``after_id``,
        reinforce what the answer used, and settle what the user's words change. Returns the
        ids (user turn, reply if any, facts) and the session id."""
        from secondme.memory import consolidate

        where = {"time": now, "model": exchange.model}
        items = [NewMemory(exchange.user_text, kind="episodic", source="chat_user", session_id=session_id,
                           provenance={**where, "role": "user"}, created_at=now, event_time=now,
                           speech="question" if exchange.asked else None)]
        if exchange.answer:
            level = reduce(sensitivity.stricter, (memory.sensitivity for memory in exchange.revealed), "normal")
            categories = sorted({category for memory in exchange.revealed for category in memory.categories}) or None
            items.append(NewMemory(exchange.answer, kind="episodic", source="assistant", session_id=session_id,
                                   provenance={**where, "role": "assistant"}, created_at=now, event_time=now,
                                   sensitivity=level, categories=categories))
        items += [
            NewMemory(fact.content, kind=fact.kind, source="chat_user", session_id=session_id, created_at=now,
                      provenance={**where, "extracted": fact.provenance(), "from": exchange.user_text[:500]})
            for fact in exchange.facts
        ]
        store = self.store
        prepared = self.prepare(items)
        with store.transaction():
            if session_id is None:
                session_id = store.create_session(title=_title(exchange.user_text), model=exchange.model, started_at=now)
                for item in prepared.fresh:
                    item.session_id = session_id
            result = self.commit(prepared)
            turn_ids = result.ids[: 2 if exchange.answer else 1]
            self.link_in_order(([after_id] if after_id else []) + turn_ids)
            store.add_links((fact_id, turn_ids[0], "derived_from", 1.0) for fact_id in result.ids[len(turn_ids):])
            store.add_message(session_id, "user", exchange.user_text, memory_id=turn_ids[0], created_at=now)
            if exchange.answer:
                store.add_message(session_id, "assistant", exchange.answer, memory_id=turn_ids[1], stats=exchange.stats, created_at=now)
            store.update_session(session_id, ended_at=now)
            self.reinforce(exchange.used_ids, now)
        # What the user said supersedes what it changes now (the facts drawn from it, and the turn
        # itself: "I sold the Skoda, now I drive a Volvo"); the reply changes nothing.
        consolidate.absorb(self, [turn_ids[0], *result.ids[len(turn_ids):]])
        return result.ids, session_id

    # -- the life cycle ----------------------------------------------------------------------------

    def sleep(self, progress=None, interrupt=None, summarize=None, now: float | None = None) -> consolidate.SleepReport:
        """Consolidate: supersede, merge, link, summarise, refresh the profile, let memories fade."""
        from secondme.memory import consolidate

        return consolidate.sleep(self, now=now, progress=progress, interrupt=interrupt, summarize=summarize)

    def last_sleep(self) -> float:
        """When the memory last slept (0: never)."""
        return float(self.store.meta("sleep.last_at", "0") or 0)

    # -- moving data -------------------------------------------------------------------------------

    def export(self, markdown: bool = False, passphrase: str | None = None) -> bytes:
        """Everything, losslessly (JSONL), or readable and re-importable (Markdown); encrypted
        with ``passphrase`` if given."""
        from secondme.memory import transfer

        data = transfer.export_markdown(self.store) if markdown else transfer.export_jsonl(self.store)
        return data if passphrase is None else transfer.encrypt(data, passphrase, "markdown" if markdown else "jsonl")

    def export_to(self, target: Path, markdown: bool = False, passphrase: str | None = None) -> int:
        """Write the export to ``target``, a new private file replaced atomically; returns how
        many memories it holds."""
        from secondme.files import write_private_file

        self.check_export_target(target, self.paths)
        write_private_file(target, self.export(markdown, passphrase))
        return self.count()

    @staticmethod
    def check_export_target(target: Path, where: Paths | None = None) -> None:
        """Refuse a target an export must not replace (secondme's own files, a folder, a link),
        before anyone is asked for a passphrase."""
        from secondme.memory import transfer

        transfer.check_export_target(target, where or default_paths())

    @staticmethod
    def read_import(path: Path, passphrase: Callable[[], str], include_assistant: bool = False) -> transfer.ImportPlan:
        """Parse a file to import (refused whole, in one line, if malformed) before the store opens."""
        from secondme.memory import transfer

        return transfer.read_import(path, passphrase, include_assistant)

    def import_plan(self, plan: transfer.ImportPlan, progress: Callable[[int], None] | None = None,
                    writing: Callable[[int], None] = lambda count: None) -> transfer.ImportReport:
        """Write a parsed import in one transaction, then settle what it changes."""
        from secondme.memory import consolidate, transfer

        report = transfer.apply_import(self, plan, progress, writing)
        consolidate.absorb(self, report.ids)
        return report

    def select(self, ids: Sequence[int] | None = None, query: str | None = None, before: float | None = None) -> list[Memory]:
        """The memories to erase: by id (all must exist), by every word of ``query`` (any
        status), or created before ``before``."""
        if ids:
            found = self.store.get_many(ids)
            missing = [i for i in ids if i not in found]
            if missing:
                raise SecondmeError(f"no memory {', '.join(f'#{i}' for i in missing)}: nothing was erased")
            return [found[i] for i in ids]
        if query is not None:
            match = fts_query(query, every_word=True)
            if match is None:
                raise UsageError("--query needs at least one word")
            return self.store.memories_matching(match)
        if before is not None:
            return self.store.created_before(before)
        raise UsageError("say which memories: ids, --query or --before")

    def erase(self, targets: list[Memory] | None, progress: Callable[[str], None] = lambda _: None) -> transfer.EraseReport:
        """Delete for good (``None``: everything), rewrite the file, check the text is gone. The
        damaged file a repair kept still holds what it held: while there is one, the erase is not
        verified, and the report says where it is."""
        from secondme.memory import repair, transfer

        report = transfer.erase(self, targets, progress)
        kept = [f"{path} (a damaged copy an earlier repair kept) is not erased: delete it once nothing in it is needed"
                for path in repair.damaged_copies(self.paths.database)]
        return replace(report, verified=report.verified and not kept, leaks=report.leaks + kept) if kept else report

    def health(self) -> dict:
        """What `secondme doctor` checks of the store itself (``count`` None: unreadable)."""
        problems = self.store.integrity_problems()
        try:
            count = self.store.count()
        except apsw.Error:
            count = None
        return {"problems": problems, "count": count, "cipher": self.store.cipher()}

    def repair(self, progress: Callable[[int], None] | None = None, writing: Callable[[int], None] = lambda count: None) -> repair.RepairReport:
        """Move what a damaged store still holds into a new store in its place (the damaged file
        is kept beside it); this store is closed after. A sound store is left alone."""
        from secondme.memory import repair

        return repair.repair(self, progress, writing)

    # -- what reaches a model or an agent ----------------------------------------------------------

    def shareable(self, memory: Memory, mode: str = "normal") -> bool:
        """May ``memory`` reach a model or another tool at all (trusted, active, not a secret)?"""
        return trust.admissible(memory, mode)

    def shared_recall(self, query: str, k: int = 10, mode: str = "normal", writer: str | None = None) -> tuple[list[Hit], list[sensitivity.Held]]:
        """What a model or another AI tool may be given for ``query``: recall minus what is not
        shareable, then the sensitivity gate; and the sensitive memories held back, with why.
        ``writer``: an MCP client also gets back what it wrote itself (active, not yet trusted
        enough for the chat's prompts), so that its own notes do not vanish."""
        hits = [hit for hit in self.recall(query, k=k) if self.shareable(hit.memory, mode) or _written_by(hit.memory, writer)]
        admitted, held = self.gate(query, [hit for hit in hits if not _written_by(hit.memory, writer)], mode, to_model=True)
        own = {hit.memory.id for hit in hits if _written_by(hit.memory, writer)}  # it knows what it wrote
        admitted_ids = own | {hit.memory.id for hit in admitted}
        return [hit for hit in hits if hit.memory.id in admitted_ids], held

    def why_not_shared(self, memory: Memory, mode: str = "normal", writer: str | None = None, topic_asked: bool = False) -> str | None:
        """Why ``memory`` cannot be handed out by id (None: it can). ``topic_asked``: a search
        about its topic has just returned it, so its sensitivity does not hold it back."""
        if memory.status == "quarantined":
            return f"memory #{memory.id} is quarantined (held for the user's review)"
        if memory.status != "active":
            return f"memory #{memory.id} is {memory.status}"
        if not self.shareable(memory, mode) and not _written_by(memory, writer):
            return f"memory #{memory.id} is not trusted enough to share" if memory.sensitivity != "never_inject" else f"memory #{memory.id} is never shared"
        if sensitivity.is_sensitive(memory) and not topic_asked and not _written_by(memory, writer):
            return f"memory #{memory.id} is private ({', '.join(memory.categories) or 'marked by the user'}): ask about its topic"
        return None




def _digest(index: int, item: NewMemory, said: tuple[str, float] | None) -> str:
    """What makes ``item`` the same memory as another: its words; an imported episode's, at its
    moment (``said``); a chat turn's, nothing (saying "thanks!" again is another event)."""
    if item.kind != "episodic":
        return content_hash(item.content)
    return _episode_digest(*said) if said is not None else f"episode {index}"


def _said_then(item: NewMemory) -> tuple[str, float] | None:
    """An episode brought in from an export, by its words and the moment the export gives it."""
    if item.kind == "episodic" and item.created_at is not None and (item.source == "import" or item.restored):
        return content_hash(item.content), item.created_at
    return None


def _episode_digest(hashed: str, created_at: float) -> str:
    return f"episode {hashed} at {float(created_at)!r}"  # 1700000100 as given, 1700000100.0 as stored


def _written_by(memory: Memory, writer: str | None) -> bool:
    return writer is not None and memory.source == "tool" and memory.status == "active" and memory.provenance.get("client") == writer


def _title(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 60 else line[:57].rstrip() + "…"
