"""The encrypted memory store: one SQLite file, encrypted page by page with SQLite3 Multiple Ciphers.

FTS5 and sqlite-vec tables live in the same file, so the full-text index, the vectors, the WAL and
temporary files are all ciphertext on disk. This module owns every SQL statement on memories;
other modules call its methods.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import apsw
import numpy as np

from secondme.memory.schema import EMBEDDING_DIM, MIGRATIONS, SCHEMA_VERSION, SENSITIVITY_LEVELS, SPEECH, STATUSES
from secondme.memory.types import MEMORY_COLUMNS, CannotUnlock, Filters, Memory, NewMemory, StoreError, clean_content, content_hash

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
# The key is already 256 random bits (or scrypt-derived), so PBKDF2 stretching adds nothing but
# 30 ms to every open. sqlite3mc does not store this parameter: every open must set it.
KDF_ITERATIONS = 1


SESSION_FIELDS = ("id", "title", "started_at", "ended_at", "model", "summary_id", "message_count")
_SESSION_SELECT = (
    "SELECT s.id, s.title, s.started_at, s.ended_at, s.model, s.summary_id, count(m.id)"
    " FROM sessions s LEFT JOIN messages m ON m.session_id = s.id"
)
MESSAGE_FIELDS = ("id", "session_id", "role", "content", "created_at", "memory_id", "stats")
_SELECT = "SELECT " + ", ".join(MEMORY_COLUMNS) + " FROM memories"


_PROVENANCE, _PINNED, _TAGS, _CATEGORIES = (MEMORY_COLUMNS.index(name) for name in ("provenance", "pinned", "tags", "categories"))


def _row_to_memory(row: Sequence) -> Memory:
    values = list(row)
    # Most rows carry empty JSON; recall materialises hundreds of rows per query.
    values[_PROVENANCE] = {} if values[_PROVENANCE] == "{}" else json.loads(values[_PROVENANCE])
    values[_TAGS] = [] if values[_TAGS] == "[]" else json.loads(values[_TAGS])
    values[_CATEGORIES] = [] if values[_CATEGORIES] == "[]" else json.loads(values[_CATEGORIES])
    values[_PINNED] = bool(values[_PINNED])
    return Memory(*values)


class _Rows(list):
    """A statement's rows, fetched while the connection lock was held."""

    def fetchone(self):
        return self[0] if self else None

    def fetchall(self) -> list:
        return list(self)


class SerializedConnection:
    """One apsw connection shared by the UI thread and worker threads.

    apsw raises ThreadingViolationError when two threads use a connection at once, and a
    transaction spans several calls, so every statement (with its rows) and every transaction
    as a whole run under one re-entrant lock.

    ``with connection:`` is a write transaction that takes the write lock up front (BEGIN
    IMMEDIATE), waiting up to the busy timeout for another process to finish; nested, it is a
    savepoint. A deferred transaction (apsw's default) reads first and then fails at once with
    SQLITE_BUSY when another process wrote meanwhile: with one chat, an MCP client and scripts
    on one store, 2 writes in 180 failed that way.
    """

    def __init__(self, connection: apsw.Connection):
        self._con = connection
        self.lock = threading.RLock()
        self._outer: list[bool] = []  # per open `with`: whether it began the transaction

    def execute(self, sql: str, params: Sequence | dict = ()) -> _Rows:
        with self.lock:
            return _Rows(self._con.execute(sql, params).fetchall())

    def executemany(self, sql: str, params: Iterable) -> None:
        with self.lock:
            self._con.executemany(sql, params).fetchall()

    def __enter__(self):
        self.lock.acquire()
        try:
            if self._con.in_transaction:
                self._con.__enter__()  # a savepoint inside the open transaction
                self._outer.append(False)
            else:
                self._con.execute("BEGIN IMMEDIATE")
                self._outer.append(True)
        except BaseException:
            self.lock.release()
            raise
        return self

    def __exit__(self, exc_type, exc, traceback):
        try:
            if not self._outer.pop():
                return self._con.__exit__(exc_type, exc, traceback)
            if exc_type is None:
                try:
                    self._con.execute("COMMIT")
                    return False
                except BaseException:
                    if self._con.in_transaction:
                        self._con.execute("ROLLBACK")
                    raise
            if self._con.in_transaction:
                self._con.execute("ROLLBACK")
            return False
        finally:
            self.lock.release()

    def __getattr__(self, name: str):
        attribute = getattr(self._con, name)
        if not callable(attribute):
            return attribute

        def locked(*args, **kwargs):
            with self.lock:
                return attribute(*args, **kwargs)

        return locked


_SAID_AT = "(content_hash, created_at) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?)) GROUP BY content_hash, created_at"
_LIVE_EPISODES_SAID_AT = f"SELECT content_hash, created_at, min(id) FROM memories WHERE kind = 'episodic' AND status != 'forgotten' AND {_SAID_AT}"
_MEMORIES_SAID_AT = f"SELECT content_hash, created_at, min(id) FROM memories WHERE {_SAID_AT}"


class Store:
    """An open, unlocked memory store. Use as a context manager or call ``close()``.
    Safe to share between threads (see SerializedConnection)."""

    def __init__(self, connection: apsw.Connection, path: Path):
        self.con = SerializedConnection(connection)
        self.path = path
        # Called as (upserted {id: vector}, removed ids or None for "all") after this connection
        # changes vectors, so that in-memory indexes stay current without reloading.
        self.vector_listeners: list[Callable[[dict[int, np.ndarray], list[int] | None], None]] = []
        self._presence: int | None = None  # a shared lock held while open (see _announce)

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, key: bytes | None, *, create: bool = True) -> Store:
        """Open (or create) the store at ``path``. ``key=None`` means no encryption at all: only the
        benchmarks use it, to measure what encryption costs."""
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise StoreError(f"no memory store at {path}")
        if exists and key is not None:
            _refuse_plaintext_sqlite(path)
        try:
            con = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READWRITE | apsw.SQLITE_OPEN_CREATE)
        except apsw.CantOpenError:
            raise StoreError(f"cannot open {path}") from None
        # Before the first read (the key check): without a busy handler, a read that meets the
        # last writer closing (it checkpoints the WAL under an exclusive lock) fails at once. A
        # recall beside an import failed so in CI; a reader opening beside a writer that opens,
        # writes and closes in a loop failed 6092 times in 12245 without it, 0 with it.
        con.set_busy_timeout(BUSY_TIMEOUT_MS)
        try:
            if key is not None:
                con.execute(f"PRAGMA kdf_iter={KDF_ITERATIONS}")
                con.execute(f"PRAGMA hexkey='{key.hex()}'")
            _check_unlocked(con, path)
            store = cls(con, path)
            store._configure()
            store._migrate()
        except BaseException:
            con.close()
            raise
        try:
            store._presence = _announce(path)
        except StoreError:
            store.close()
            raise
        return store

    def _configure(self) -> None:
        self.con.enable_load_extension(True)
        self.con.load_extension(_sqlite_vec_path())
        self.con.enable_load_extension(False)
        for pragma in ("foreign_keys=ON", "secure_delete=ON", "temp_store=MEMORY", "cache_size=-65536"):
            self.con.execute(f"PRAGMA {pragma}")
        self.con.execute("PRAGMA journal_mode=WAL")
        self.con.execute("PRAGMA synchronous=FULL")

    def schema_version(self) -> int:
        return self.con.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer secondme (schema {current}, this one knows {SCHEMA_VERSION}); "
                "upgrade secondme"
            )
        for version in range(current, SCHEMA_VERSION):
            with self.con:
                self.con.execute(MIGRATIONS[version])
                self.con.execute(f"PRAGMA user_version={version + 1}")

    def close(self) -> None:
        self.con.close()
        if self._presence is not None:
            os.close(self._presence)
            self._presence = None

    def open_elsewhere(self) -> bool:
        """Whether another process (a chat, an MCP server) has this store open. If not, this
        one holds it alone from now on: a process opening it meanwhile is told to wait."""
        if self._presence is None:
            return False  # the lock file could not be made (a read-only folder): nothing to tell by
        try:
            fcntl.flock(self._presence, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit: everything inside lands, or nothing does (also on Ctrl-C or a kill)."""
        with self.con:
            yield

    # -- writing -------------------------------------------------------------------------------

    def add(self, memories: Sequence[NewMemory], embeddings: np.ndarray) -> list[int]:
        """Insert memories with their embeddings; call inside ``transaction()`` for batches."""
        if len(memories) != len(embeddings):
            raise ValueError("one embedding per memory")
        now = time.time()
        ids = []
        with self.con:
            for memory, vector in zip(memories, embeddings):
                memory_id = memory.id if memory.id is not None and self.get(memory.id) is None else None
                self.con.execute(
                    "INSERT INTO memories (id, kind, content, content_hash, created_at, updated_at, event_time,"
                    " valid_from, valid_to, source, provenance, session_id, trust_alpha, trust_beta, importance,"
                    " status, pinned, sensitivity, tags, strength, recall_count, last_recalled_at, version, speech, categories)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        memory_id, memory.kind, memory.content, content_hash(memory.content),
                        memory.created_at or now, now, memory.event_time,
                        memory.valid_from if memory.valid_from is not None else memory.event_time or memory.created_at or now,
                        memory.valid_to, memory.source, json.dumps(memory.provenance, ensure_ascii=False),
                        memory.session_id, memory.trust_alpha, memory.trust_beta, memory.importance,
                        memory.status, int(memory.pinned), memory.sensitivity,
                        json.dumps(sorted(set(memory.tags)), ensure_ascii=False),
                        memory.strength, memory.recall_count, memory.last_recalled_at, memory.version,
                        memory.speech or "statement", json.dumps(memory.categories or []),
                    ),
                )
                new_id = self.con.last_insert_rowid()
                self.con.execute(
                    "INSERT INTO memory_vectors(rowid, embedding) VALUES (?, ?)",
                    (new_id, _vector_blob(vector)),
                )
                ids.append(new_id)
        self._vectors_changed(dict(zip(ids, embeddings)), [])
        return ids

    def update_content(self, memory_id: int, content: str, embedding: np.ndarray, reason: str = "edited") -> None:
        """Change a memory's text, keeping the previous text in its version history."""
        content = clean_content(content)
        with self.con:
            old = self.get(memory_id)
            if old is None:
                raise StoreError(f"no memory #{memory_id}")
            self.con.execute(
                "INSERT INTO memory_versions (memory_id, version, content, changed_at, reason) VALUES (?,?,?,?,?)",
                (memory_id, old.version, old.content, time.time(), reason),
            )
            self.con.execute(
                "UPDATE memories SET content = ?, content_hash = ?, version = version + 1, updated_at = ? WHERE id = ?",
                (content, content_hash(content), time.time(), memory_id),
            )
            self.con.execute("UPDATE memory_vectors SET embedding = ? WHERE rowid = ?", (_vector_blob(embedding), memory_id))
        self._vectors_changed({memory_id: embedding}, [])

    def set_status(self, ids: Iterable[int], status: str, when: float | None = None) -> int:
        if status not in STATUSES:
            raise ValueError(status)
        ids = list(ids)
        when = when or time.time()
        with self.con:
            self.con.executemany(
                "UPDATE memories SET status = ?, updated_at = ? WHERE id = ?", ((status, when, memory_id) for memory_id in ids)
            )
        return len(ids)

    def reinforce(self, updates: Iterable[tuple[float, float, int]], wait: bool = True) -> bool:
        """(strength, when, id): the memory was used at ``when``. With ``wait=False`` give up at
        once if another process holds the write lock (returns False)."""
        updates = list(updates)
        if not updates:
            return True
        with self.con.lock:
            if not wait:
                self.con.set_busy_timeout(0)
            try:
                with self.con:
                    self.con.executemany(
                        "UPDATE memories SET strength = ?, last_recalled_at = ?, recall_count = recall_count + 1 WHERE id = ?",
                        updates,
                    )
                return True
            except apsw.BusyError:
                return False
            finally:
                self.con.set_busy_timeout(BUSY_TIMEOUT_MS)

    def supersede(self, old_id: int, new_id: int, valid_to: float | None, relation: str = "supersedes") -> None:
        """``new_id`` replaces ``old_id``: the old one leaves recall but keeps its place in history."""
        now = time.time()
        with self.con:
            self.con.execute(
                "UPDATE memories SET status = 'superseded', superseded_by = ?, valid_to = coalesce(?, valid_to), updated_at = ? WHERE id = ?",
                (new_id, valid_to, now, old_id),
            )
            self.con.execute(
                "INSERT OR REPLACE INTO memory_links (src_id, dst_id, relation, weight, created_at) VALUES (?,?,?,1.0,?)",
                (new_id, old_id, relation, now),
            )

    def set_tags(self, memory_id: int, tags: list[str]) -> None:
        with self.con:
            self.con.execute("UPDATE memories SET tags = ? WHERE id = ?", (json.dumps(tags, ensure_ascii=False), memory_id))

    def set_provenance(self, memory_id: int, provenance: dict) -> None:
        with self.con:
            self.con.execute("UPDATE memories SET provenance = ? WHERE id = ?", (json.dumps(provenance, ensure_ascii=False), memory_id))

    def ids_after(self, memory_id: int) -> list[int]:
        return [row[0] for row in self.con.execute("SELECT id FROM memories WHERE id > ? ORDER BY id", (memory_id,))]

    def memories_with_attribute(self, subject: str, attribute: str | None) -> list[Memory]:
        """Active memories carrying an extracted fact about ``subject`` (and ``attribute``)."""
        where = "status = 'active' AND json_extract(provenance, '$.extracted.attribute') IS NOT NULL"
        where += " AND coalesce(json_extract(provenance, '$.extracted.subject'), 'user') = ?"
        params: list = [subject]
        if attribute is not None:
            where += " AND json_extract(provenance, '$.extracted.attribute') = ?"
            params.append(attribute)
        return self._select(where, params)

    def sessions_to_summarize(self, idle_before: float, min_messages: int) -> list[dict]:
        rows = self.con.execute(
            f"{_SESSION_SELECT} WHERE s.summary_id IS NULL AND coalesce(s.ended_at, s.started_at) < ? GROUP BY s.id HAVING count(m.id) >= ?",
            (idle_before, min_messages),
        )
        return [dict(zip(SESSION_FIELDS, row)) for row in rows]

    def set_superseded_by(self, memory_id: int, newer_id: int | None) -> None:
        with self.con:
            self.con.execute("UPDATE memories SET superseded_by = ? WHERE id = ?", (newer_id, memory_id))

    def add_trust_evidence(self, memory_id: int, alpha: float = 0.0, beta: float = 0.0) -> None:
        with self.con:
            self.con.execute(
                "UPDATE memories SET trust_alpha = trust_alpha + ?, trust_beta = trust_beta + ?, updated_at = ? WHERE id = ?",
                (alpha, beta, time.time(), memory_id),
            )

    def set_trust(self, memory_id: int, alpha: float, beta: float) -> None:
        with self.con:
            self.con.execute(
                "UPDATE memories SET trust_alpha = ?, trust_beta = ?, updated_at = ? WHERE id = ?",
                (alpha, beta, time.time(), memory_id),
            )

    def set_speech(self, memory_id: int, speech: str) -> None:
        if speech not in SPEECH:
            raise ValueError(speech)
        with self.con:
            self.con.execute("UPDATE memories SET speech = ?, updated_at = ? WHERE id = ?", (speech, time.time(), memory_id))

    def set_sensitivity(self, memory_id: int, sensitivity: str) -> None:
        if sensitivity not in SENSITIVITY_LEVELS:
            raise ValueError(sensitivity)
        with self.con:
            self.con.execute("UPDATE memories SET sensitivity = ?, updated_at = ? WHERE id = ?", (sensitivity, time.time(), memory_id))

    def source_trust(self, source: str) -> tuple[float, float] | None:
        return self.con.execute("SELECT alpha, beta FROM source_trust WHERE source = ?", (source,)).fetchone()

    def set_source_trust(self, source: str, alpha: float, beta: float) -> None:
        with self.con:
            self.con.execute("INSERT OR REPLACE INTO source_trust (source, alpha, beta) VALUES (?,?,?)", (source, alpha, beta))

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.con:
            self.con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def set_pinned(self, memory_id: int, pinned: bool) -> None:
        with self.con:
            self.con.execute(
                "UPDATE memories SET pinned = ?, updated_at = ? WHERE id = ?", (int(pinned), time.time(), memory_id)
            )

    def delete(self, ids: Iterable[int]) -> int:
        """Hard-delete memories with everything derived from them (index rows, vectors, versions,
        links, the chat messages they came from). Call ``compact()`` afterwards to scrub pages."""
        deleted = 0
        ids = list(ids)
        with self.con:
            for memory_id in ids:
                # Overwrite the vector first: vec0 only flags deleted slots, it does not clear them.
                self.con.execute(
                    "UPDATE memory_vectors SET embedding = ? WHERE rowid = ?",
                    (bytes(4 * EMBEDDING_DIM), memory_id),
                )
                self.con.execute("DELETE FROM messages WHERE memory_id = ?", (memory_id,))
                self.con.execute("DELETE FROM memories WHERE id = ?", (memory_id,))
                deleted += self.con.changes()
        self._vectors_changed({}, ids)
        return deleted

    def delete_everything(self) -> int:
        count = self.count()
        with self.con:
            self.con.execute("UPDATE memory_vectors SET embedding = ?", (bytes(4 * EMBEDDING_DIM),))
            for table in ("messages", "sessions", "memory_links", "memory_versions", "memories"):
                self.con.execute(f"DELETE FROM {table}")
        self._vectors_changed({}, None)
        return count

    def _vectors_changed(self, upserted: dict[int, np.ndarray], removed: list[int] | None) -> None:
        for listener in self.vector_listeners:
            listener(upserted, removed)

    def compact(self) -> None:
        """Rewrite the file so that deleted data is gone from every page, the WAL included."""
        self.con.execute("INSERT INTO memory_fts(memory_fts) VALUES ('optimize')")
        self.con.execute("VACUUM")
        self.checkpoint()

    def checkpoint(self) -> None:
        self.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def decrypted_image(self) -> bytes:
        """Every page of the database file, decrypted (used to verify erasure)."""
        self.checkpoint()
        return self.con.serialize("main")

    # -- reading -------------------------------------------------------------------------------

    def get(self, memory_id: int) -> Memory | None:
        row = self.con.execute(_SELECT + " WHERE id = ?", (memory_id,)).fetchone()
        return _row_to_memory(row) if row else None

    def get_many(self, ids: Sequence[int]) -> dict[int, Memory]:
        if not ids:
            return {}
        rows = self.con.execute(
            _SELECT + " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),)
        ).fetchall()
        return {row[0]: _row_to_memory(row) for row in rows}

    def _select(self, where: str = "", params: Sequence = (), ordered: bool = True) -> list[Memory]:
        """Memories matching a WHERE clause written in this module (``ordered=False``: the clause
        brings its own ORDER BY). Other modules call the named queries below."""
        sql = _SELECT + (f" WHERE {where}" if where else "") + (" ORDER BY id" if ordered else "")
        return [_row_to_memory(row) for row in self.con.execute(sql, params)]

    def iter_memories(self) -> list[Memory]:
        """Every memory, oldest first."""
        return self._select()

    def readable_memories(self) -> tuple[list[Memory], int]:
        """Every memory a damaged file still holds, and how many ids could not be read. The whole
        table in one scan stops at the first damaged page, so then each id up to the highest one
        given out is read alone: a damaged leaf loses the rows on it, not the rest."""
        try:
            return self.iter_memories(), 0
        except apsw.Error:
            pass
        found, unreadable = [], 0
        for memory_id in range(1, self._highest_memory_id() + 1):
            try:
                found.extend(self._select("id = ?", (memory_id,), ordered=False))
            except apsw.Error:
                unreadable += 1
        return found, unreadable

    def _highest_memory_id(self) -> int:
        """The highest memory id any readable part of the file knows: the table, or failing it
        its indexes and the full-text index, which live on pages of their own."""
        highest = 0
        for sql in (
            "SELECT max(id) FROM memories",
            "SELECT max(id) FROM memories INDEXED BY memories_hash",
            "SELECT max(id) FROM memories INDEXED BY memories_status_created",
            "SELECT max(rowid) FROM memory_fts",
        ):
            try:
                highest = max(highest, self.con.execute(sql).fetchone()[0] or 0)
            except apsw.Error:
                continue
        return highest

    def of_kind(self, kind: str, status: str = "active") -> list[Memory]:
        return self._select("kind = ? AND status = ?", (kind, status))

    def newest(self, filters: Filters, limit: int, fts_match: str | None = None) -> list[Memory]:
        """What ``filters`` accepts (and, with ``fts_match``, what matches those words), newest first."""
        where, params = _filters_where(filters)
        if fts_match is not None:
            where += " AND id IN (SELECT rowid FROM memory_fts WHERE memory_fts MATCH ?)"
            params.append(fts_match)
        return self._select(f"{where} ORDER BY created_at DESC, id DESC LIMIT ?", (*params, limit), ordered=False)

    def profile_and_pinned(self, limit: int) -> list[Memory]:
        """The active profile memory first, then the facts, preferences and notes the user pinned."""
        return self._select(
            "status = 'active' AND (kind = 'profile' OR (pinned = 1 AND kind IN ('fact', 'preference', 'note')))"
            " ORDER BY kind = 'profile' DESC, updated_at DESC LIMIT ?",
            (limit,),
            ordered=False,
        )

    def review_candidates(self) -> list[Memory]:
        """Quarantined memories, then active ones the user (or an import) brought, newest first:
        trust.py picks the doubtful ones among these."""
        return self._select(
            "status = 'quarantined' OR (status = 'active' AND source != 'assistant')"
            " ORDER BY status = 'quarantined' DESC, created_at DESC",
            ordered=False,
        )

    def fading_candidates(self) -> list[Memory]:
        """Memories that retention may move (active and archived ones; forgetting.py exempts some)."""
        return self._select("status IN ('active', 'archived')")

    def forgotten_before(self, when: float) -> list[int]:
        """Forgotten memories last changed before ``when``: their grace period is over."""
        return [row[0] for row in self.con.execute("SELECT id FROM memories WHERE status = 'forgotten' AND updated_at < ? ORDER BY id", (when,))]

    def created_before(self, when: float) -> list[Memory]:
        return self._select("created_at < ?", (when,))

    def ids_for_hashes(self, digests: Sequence[str]) -> dict[str, int]:
        """content hash -> id, for live (not forgotten) memories among ``digests``."""
        rows = self.con.execute(
            "SELECT content_hash, min(id) FROM memories WHERE status != 'forgotten'"
            " AND content_hash IN (SELECT value FROM json_each(?)) GROUP BY content_hash",
            (json.dumps(list(set(digests))),),
        )
        return dict(rows.fetchall())

    def ids_for_episodes(self, said: Sequence[tuple[str, float]]) -> dict[tuple[str, float], int]:
        """(content hash, moment) -> id, for live episodes said with those words at that moment."""
        return self._ids_said_at(_LIVE_EPISODES_SAID_AT, said)

    def ids_for_restored(self, said: Sequence[tuple[str, float]]) -> dict[tuple[str, float], int]:
        """(content hash, created_at) -> id, for memories of any status written with those words at
        that moment: a memory an export restores that the store already holds, forgotten or not."""
        return self._ids_said_at(_MEMORIES_SAID_AT, said)

    def _ids_said_at(self, statement: str, said: Sequence[tuple[str, float]]) -> dict[tuple[str, float], int]:
        if not said:
            return {}
        rows = self.con.execute(statement, (json.dumps([list(pair) for pair in set(said)]),))
        return {(hashed, moment): memory_id for hashed, moment, memory_id in rows}

    def count(self, status: str | None = None) -> int:
        if status is None:
            return self.con.execute("SELECT count(*) FROM memories").fetchone()[0]
        return self.con.execute("SELECT count(*) FROM memories WHERE status = ?", (status,)).fetchone()[0]

    def versions(self, memory_id: int) -> list[dict]:
        rows = self.con.execute(
            "SELECT version, content, changed_at, reason FROM memory_versions WHERE memory_id = ? ORDER BY version",
            (memory_id,),
        )
        return [dict(zip(("version", "content", "changed_at", "reason"), row)) for row in rows]

    def links(self, memory_id: int) -> list[dict]:
        rows = self.con.execute(
            "SELECT src_id, dst_id, relation, weight FROM memory_links WHERE src_id = ? OR dst_id = ?",
            (memory_id, memory_id),
        )
        return [dict(zip(("src_id", "dst_id", "relation", "weight"), row)) for row in rows]

    def add_links(self, links: Iterable[tuple[int, int, str, float]]) -> None:
        now = time.time()
        with self.con:
            self.con.executemany(
                "INSERT OR REPLACE INTO memory_links (src_id, dst_id, relation, weight, created_at) VALUES (?,?,?,?,?)",
                ((src, dst, relation, weight, now) for src, dst, relation, weight in links),
            )

    def all_links(self) -> Iterator[tuple[int, int, str, float, float]]:
        yield from self.con.execute("SELECT src_id, dst_id, relation, weight, created_at FROM memory_links")

    def neighbours(self, ids: Sequence[int], relations: Sequence[str]) -> list[tuple[int, int, str]]:
        """(from, to, relation) for links of ``relations`` touching ``ids``, in both directions."""
        if not ids:
            return []
        ids_json, relations_json = json.dumps(list(ids)), json.dumps(list(relations))
        return self.con.execute(
            "SELECT src_id, dst_id, relation FROM memory_links"
            " WHERE relation IN (SELECT value FROM json_each(?2)) AND src_id IN (SELECT value FROM json_each(?1))"
            " UNION ALL "
            "SELECT dst_id, src_id, relation FROM memory_links"
            " WHERE relation IN (SELECT value FROM json_each(?2)) AND dst_id IN (SELECT value FROM json_each(?1))",
            (ids_json, relations_json),
        ).fetchall()

    def replacements_made_by(self, ids: Sequence[int]) -> list[tuple[int, int, str]]:
        """(newer, older, relation): what each of ``ids`` superseded whole or updated in part."""
        if not ids:
            return []
        return self.con.execute(
            "SELECT src_id, dst_id, relation FROM memory_links"
            " WHERE relation IN ('supersedes', 'updates') AND src_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),),
        ).fetchall()

    def latest_updates_of(self, ids: Sequence[int]) -> dict[int, int]:
        """For each of ``ids`` that a later memory updated in part (it stays active): the newest such memory."""
        if not ids:
            return {}
        rows = self.con.execute(
            "SELECT dst_id, src_id FROM memory_links WHERE relation = 'updates' AND dst_id IN (SELECT value FROM json_each(?))"
            " ORDER BY created_at, src_id",
            (json.dumps(list(ids)),),
        ).fetchall()
        return {older: newer for older, newer in rows}

    # -- versions, sessions, messages --------------------------------------------------------------

    def add_version(self, memory_id: int, version: int, content: str, changed_at: float, reason: str = "") -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO memory_versions (memory_id, version, content, changed_at, reason) VALUES (?,?,?,?,?)",
            (memory_id, version, content, changed_at, reason),
        )

    def all_versions(self) -> dict[int, list[dict]]:
        versions: dict[int, list[dict]] = {}
        for memory_id, *row in self.con.execute(
            "SELECT memory_id, version, content, changed_at, reason FROM memory_versions ORDER BY memory_id, version"
        ):
            versions.setdefault(memory_id, []).append(dict(zip(("version", "content", "changed_at", "reason"), row)))
        return versions

    def create_session(self, title: str = "", model: str = "", started_at: float | None = None, session_id: int | None = None) -> int:
        if session_id is not None and self.session(session_id) is not None:
            session_id = None
        with self.con:
            self.con.execute(
                "INSERT INTO sessions (id, title, started_at, model) VALUES (?,?,?,?)",
                (session_id, title, started_at or time.time(), model),
            )
            return self.con.last_insert_rowid()

    def update_session(self, session_id: int, **fields) -> None:
        allowed = {"title", "ended_at", "model", "summary_id"}
        if not fields.keys() <= allowed:
            raise ValueError(f"unknown session fields {fields.keys() - allowed}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.con:
            self.con.execute(f"UPDATE sessions SET {assignments} WHERE id = ?", (*fields.values(), session_id))

    def session(self, session_id: int) -> dict | None:
        row = self.con.execute(f"{_SESSION_SELECT} WHERE s.id = ? GROUP BY s.id", (session_id,)).fetchone()
        return dict(zip(SESSION_FIELDS, row)) if row else None

    def sessions(self, limit: int | None = None) -> list[dict]:
        rows = self.con.execute(
            f"{_SESSION_SELECT} GROUP BY s.id ORDER BY coalesce(s.ended_at, s.started_at) DESC, s.id DESC LIMIT ?",
            (limit if limit is not None else -1,),
        )
        return [dict(zip(SESSION_FIELDS, row)) for row in rows]

    def add_message(
        self,
        session_id: int,
        role: str,
        content: str,
        memory_id: int | None = None,
        stats: dict | None = None,
        created_at: float | None = None,
    ) -> int:
        with self.con:
            self.con.execute(
                "INSERT INTO messages (session_id, role, content, created_at, memory_id, stats) VALUES (?,?,?,?,?,?)",
                (session_id, role, content, created_at or time.time(), memory_id, json.dumps(stats or {})),
            )
            return self.con.last_insert_rowid()

    def messages(self, session_id: int | None = None) -> list[dict]:
        where, params = ("WHERE session_id = ?", (session_id,)) if session_id is not None else ("", ())
        rows = self.con.execute(
            f"SELECT id, session_id, role, content, created_at, memory_id, stats FROM messages {where} ORDER BY id",
            params,
        )
        return [
            {**dict(zip(MESSAGE_FIELDS, row)), "stats": json.loads(row[-1])}
            for row in rows
        ]

    def text_occurs(self, needle: str) -> bool:
        """Whether ``needle`` is part of any stored memory, version, message or session title."""
        return bool(
            self.con.execute(
                "SELECT EXISTS (SELECT 1 FROM memories WHERE instr(content, ?1))"
                " OR EXISTS (SELECT 1 FROM memory_versions WHERE instr(content, ?1))"
                " OR EXISTS (SELECT 1 FROM messages WHERE instr(content, ?1))"
                " OR EXISTS (SELECT 1 FROM sessions WHERE instr(title, ?1))",
                (needle,),
            ).fetchone()[0]
        )

    # -- search primitives (ranking lives in recall.py) ------------------------------------------

    def fts_search(self, match: str, limit: int, among: Sequence[int] | None = None) -> list[tuple[int, float]]:
        """(id, bm25) best first; ``match`` must already be a safe FTS5 expression."""
        if among is None:
            return self.con.execute(
                "SELECT rowid, bm25(memory_fts) FROM memory_fts WHERE memory_fts MATCH ? ORDER BY rank LIMIT ?",
                (match, limit),
            ).fetchall()
        return self.con.execute(
            "SELECT rowid, bm25(memory_fts) FROM memory_fts WHERE memory_fts MATCH ?"
            " AND rowid IN (SELECT value FROM json_each(?)) ORDER BY rank LIMIT ?",
            (match, json.dumps(list(among)), limit),
        ).fetchall()

    def memories_matching(self, match: str) -> list[Memory]:
        """Every memory, whatever its status, whose text matches the FTS5 expression."""
        rows = self.con.execute(
            _SELECT + " WHERE id IN (SELECT rowid FROM memory_fts WHERE memory_fts MATCH ?) ORDER BY id", (match,)
        )
        return [_row_to_memory(row) for row in rows]

    def filtered_ids(self, filters: Filters, limit: int) -> list[int] | None:
        """Ids passing ``filters``, or None when there are more than ``limit`` of them."""
        where, params = _filters_where(filters)
        rows = self.con.execute(f"SELECT id FROM memories WHERE {where} LIMIT ?", (*params, limit + 1)).fetchall()
        return None if len(rows) > limit else [row[0] for row in rows]

    def vector_search(self, vector: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """(id, cosine similarity) best first, exact, through sqlite-vec."""
        rows = self.con.execute(
            "SELECT rowid, distance FROM memory_vectors WHERE embedding MATCH ? AND k = ? ORDER BY distance",
            (_vector_blob(vector), limit),
        ).fetchall()
        # vectors are unit length: cosine = 1 - L2^2 / 2
        return [(row_id, 1.0 - distance * distance / 2.0) for row_id, distance in rows]

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, matrix) of every stored vector, for an in-memory index."""
        rows = self.con.execute("SELECT rowid, embedding FROM memory_vectors").fetchall()
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.float32).reshape(len(rows), EMBEDDING_DIM)
        return ids, matrix

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        rows = self.con.execute(
            "SELECT rowid, embedding FROM memory_vectors WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),),
        ).fetchall()
        return {row_id: np.frombuffer(blob, dtype=np.float32) for row_id, blob in rows}

    def data_version(self) -> int:
        """Changes when another connection commits (cheap; used to refresh in-memory caches)."""
        return self.con.execute("PRAGMA data_version").fetchone()[0]

    # -- health ----------------------------------------------------------------------------------

    def summary(self) -> dict:
        def grouped(column: str) -> dict[str, int]:
            rows = self.con.execute(f"SELECT {column}, count(*) FROM memories GROUP BY {column} ORDER BY count(*) DESC")
            return dict(rows.fetchall())

        oldest, newest = self.con.execute("SELECT min(created_at), max(created_at) FROM memories").fetchone()
        return {
            "memories": self.count(),
            "by_status": grouped("status"),
            "by_kind": grouped("kind"),
            "by_source": grouped("source"),
            "sessions": self.con.execute("SELECT count(*) FROM sessions").fetchone()[0],
            "messages": self.con.execute("SELECT count(*) FROM messages").fetchone()[0],
            "oldest": oldest,
            "newest": newest,
            "schema": self.schema_version(),
            "cipher": self.cipher(),
        }

    def cipher(self) -> str:
        return self.con.execute("PRAGMA cipher").fetchone()[0]

    def integrity_problems(self) -> list[str]:
        """What is wrong with the file, its full-text index and its vectors (empty: nothing). A
        damaged page makes a check fail rather than report, so each failure is a problem too."""
        problems = []
        try:
            rows = self.con.execute("PRAGMA integrity_check")
            problems += [line for row in rows for line in row[0].splitlines() if line not in ("ok", "*** in database main ***")]
        except apsw.Error as exc:
            problems.append(f"the file: {exc}")
        try:
            self.con.execute("INSERT INTO memory_fts(memory_fts, rank) VALUES ('integrity-check', 1)")
        except apsw.Error as exc:
            problems.append(f"full-text index: {exc}")
        try:
            missing = self.con.execute(
                "SELECT count(*) FROM memories WHERE id NOT IN (SELECT rowid FROM memory_vectors)"
            ).fetchone()[0]
        except apsw.Error as exc:
            problems.append(f"vectors: {exc}")
        else:
            if missing:
                problems.append(f"{missing} memories have no vector")
        return problems

    def file_sizes(self) -> dict[str, int]:
        sizes = {}
        for suffix in ("", "-wal"):
            file = Path(str(self.path) + suffix)
            sizes[file.name] = file.stat().st_size if file.exists() else 0
        return sizes


def _sqlite_vec_path() -> str:
    """Where sqlite-vec's loadable extension is, found without importing the package (whose
    ``__init__`` imports numpy.typing: 100 ms of every one-shot command)."""
    spec = importlib.util.find_spec("sqlite_vec")
    if spec is None or not spec.submodule_search_locations:
        raise StoreError("the sqlite-vec package is not installed")
    return str(Path(spec.submodule_search_locations[0]) / "vec0")


def _vector_blob(vector: np.ndarray) -> bytes:
    vector = np.asarray(vector, dtype=np.float32)
    if vector.shape != (EMBEDDING_DIM,):
        raise ValueError(f"expected a {EMBEDDING_DIM}-d vector, got {vector.shape}")
    return vector.tobytes()


def _refuse_plaintext_sqlite(path: Path) -> None:
    with open(path, "rb") as handle:
        if handle.read(16) == SQLITE_MAGIC:
            raise CannotUnlock(f"{path} is an unencrypted SQLite database, not a secondme store")


def _announce(path: Path) -> int | None:
    """Take a shared lock on the file beside the store for as long as it is open: every process
    that has the store open holds one, so a repair can tell it is alone (flock, unlike SQLite's
    own POSIX locks, survives another descriptor of the file being closed)."""
    try:
        presence = os.open(f"{path}-lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(presence, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(presence)
        raise StoreError(f"{path} is being repaired (secondme doctor --repair): try again when it is done") from None
    return presence


def _check_unlocked(con: apsw.Connection, path: Path) -> None:
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (apsw.NotADBError, apsw.CorruptError):
        if path.stat().st_size % 512:  # every SQLite page size is a multiple of 512: it was cut short
            raise CannotUnlock(f"cannot open {path}: the file is cut short (damaged, not a wrong key); restore a backup or an export") from None
        if _first_page_opens(con):  # the key is right: a page listing the tables is damaged
            raise CannotUnlock(f"cannot open {path}: the pages that list its tables are damaged (not a wrong key), so nothing "
                               "in it can be found; restore a backup or an export") from None
        raise CannotUnlock(f"cannot unlock {path}: wrong key or passphrase, or not a secondme store") from None


def _first_page_opens(con: apsw.Connection) -> bool:
    """Page 1 decrypts and passes its check (a wrong key fails there): its header is readable."""
    try:
        con.execute("PRAGMA user_version").fetchone()
    except apsw.Error:
        return False
    return True


def _filters_where(filters: Filters) -> tuple[str, list]:
    """The WHERE clause a recall's filters stand for, with its parameters."""
    clauses, params = [], []
    for column, values in (("kind", filters.kinds), ("source", filters.sources), ("status", filters.statuses)):
        if values:
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(sorted(values))
    if filters.since is not None:
        clauses.append("coalesce(event_time, created_at) >= ?")
        params.append(filters.since)
    if filters.until is not None:
        clauses.append("coalesce(event_time, created_at) < ?")
        params.append(filters.until)
    if filters.as_of is not None:
        clauses.append("created_at <= ? AND coalesce(valid_from, created_at) <= ? AND (valid_to IS NULL OR valid_to > ?)")
        params.extend([filters.as_of] * 3)
    return " AND ".join(clauses) or "1", params
