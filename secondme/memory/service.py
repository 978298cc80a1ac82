"""The memory layer's front door: unlock the store, remember, recall, forget.

The CLI, the TUI and the assistant all go through ``Memories``; the heavy embedder is loaded only
when a command needs it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from secondme.times import iso
from secondme.config import Paths, paths as default_paths
from secondme.memory import extract, forgetting, keys, poisoning, sensitivity, trust
from secondme.memory.recall import CONTEXT_RELATION, Hit, Recaller, Weigher, Weights
from secondme.memory.store import CannotUnlock, Filters, Memory, NewMemory, Store, clean_content, content_hash

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
    def open(cls, where: Paths | None = None, passphrase: str | None = None, *, create: bool = True) -> Memories:
        where = where or default_paths()
        if not create and not where.database.exists():
            raise CannotUnlock(f"no memory store at {where.database} yet")
        key = store_key(where, passphrase)
        where.ensure()
        store = Store.open(where.database, key, create=create)
        os.chmod(where.database, 0o600)
        return cls(store, where, key)

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

    # -- remembering -----------------------------------------------------------------------------

    def remember(
        self,
        items: Sequence[NewMemory],
        progress: Callable[[int], None] | None = None,
        link_sequence: bool = False,
    ) -> Remembered:
        """Embed and store ``items`` atomically (see ``prepare``).

        With ``link_sequence`` consecutive items are linked as conversation neighbours.
        """
        return self.commit(self.prepare(items, progress), link_sequence)

    def prepare(self, items: Sequence[NewMemory], progress: Callable[[int], None] | None = None) -> Prepared:
        """Dedupe and embed, before any write lock is taken.

        An item repeating a live memory word for word is not stored twice (episodes excepted:
        saying "thanks!" twice is two events).
        """
        digests = [f"episode {i}" if item.kind == "episodic" else content_hash(item.content) for i, item in enumerate(items)]
        existing = self.store.ids_for_hashes(digests)
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
        return Remembered(ids=ids, new=len(new_ids), duplicates=len(ids) - len(new_ids))

    def link_in_order(self, ids: Sequence[int]) -> None:
        """Link memories as conversation neighbours, each to the one before it."""
        pairs = [(before, after) for before, after in zip(ids, ids[1:]) if before != after]
        self.store.add_links((before, after, CONTEXT_RELATION, 1.0) for before, after in pairs)

    def embed_texts(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        if not texts:
            return np.empty((0, self.embedder.dim), dtype=np.float32)
        return self.embedder.embed(texts, progress)

    # -- recalling -------------------------------------------------------------------------------

    def recall(self, query: str, k: int = 10, filters: Filters = Filters(), now: float | None = None) -> list[Hit]:
        return self.recaller.recall(query, k=k, filters=filters, now=now or time.time())

    def gate(self, request: str, hits: Sequence[Hit], mode: str = "normal", to_model: bool = True) -> tuple[list[Hit], list[sensitivity.Held]]:
        """Split ``hits`` into what may answer ``request`` and the sensitive memories held back
        (with why): a prompt for a model (``to_model``) or what the user is shown."""
        admitted, held = [], []
        for hit in hits:
            reason = sensitivity.hold_back(hit.memory, request, hit.cosine, mode, to_model)
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
        where, params = filters.sql()
        if query.strip():
            from secondme.memory.recall import fts_query

            match = fts_query(query)
            if match is None:
                return []
            where += " AND id IN (SELECT rowid FROM memory_fts WHERE memory_fts MATCH ?)"
            params.append(match)
        return list(self.store.iter_memories(f"{where} ORDER BY created_at DESC, id DESC LIMIT ?", (*params, limit), ordered=False))

    def edit(self, memory_id: int, text: str, reason: str = "edited by you") -> None:
        """Replace a memory's text; the old text stays in its version history."""
        text = clean_content(text)
        self.store.update_content(memory_id, text, self.embedder.embed_one(text), reason=reason)

    def profile(self, limit: int = 24) -> list[Memory]:
        """Stable facts for every prompt: the profile memory and what the user pinned."""
        return list(
            self.store.iter_memories(
                "status = 'active' AND (kind = 'profile' OR (pinned = 1 AND kind IN ('fact', 'preference', 'note')))"
                " ORDER BY kind = 'profile' DESC, updated_at DESC LIMIT ?",
                (limit,),
                ordered=False,
            )
        )

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
        return self.store.iter_memories(
            "status = 'quarantined' OR (status = 'active' AND trust_alpha / (trust_alpha + trust_beta) < ? AND source != 'assistant')"
            " ORDER BY status = 'quarantined' DESC, created_at DESC",
            (trust.LOW_TRUST,),
            ordered=False,
        )

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


