"""The database schema, as an ordered list of migrations.

``PRAGMA user_version`` is the schema version: migration ``i`` takes a store from version ``i`` to
``i + 1``. Never edit a migration that has shipped; append a new one.
"""

from __future__ import annotations

EMBEDDING_DIM = 384

KINDS = ("episodic", "fact", "preference", "profile", "summary", "note")
SOURCES = ("user", "chat_user", "assistant", "import", "tool")
OWNER_SOURCES = frozenset({"user", "chat_user"})  # the user speaking, not a file they brought in
STATUSES = ("active", "archived", "quarantined", "superseded", "forgotten")
# What a memory's text does: states something, asks, asks for something, or is the assistant's
# own reply. Only statements are read for facts (assistant.py, answer.py).
SPEECH = ("statement", "question", "request", "reply")
SENSITIVITY_LEVELS = ("normal", "private", "never_inject")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


V1 = f"""
CREATE TABLE memories (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL CHECK (kind IN ({_in(KINDS)})),
    content          TEXT    NOT NULL,
    content_hash     TEXT    NOT NULL,
    created_at       REAL    NOT NULL,
    updated_at       REAL    NOT NULL,
    event_time       REAL,
    valid_from       REAL,
    valid_to         REAL,
    source           TEXT    NOT NULL CHECK (source IN ({_in(SOURCES)})),
    provenance       TEXT    NOT NULL DEFAULT '{{}}' CHECK (json_valid(provenance)),
    session_id       INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
    trust_alpha      REAL    NOT NULL DEFAULT 1.0 CHECK (trust_alpha > 0),
    trust_beta       REAL    NOT NULL DEFAULT 1.0 CHECK (trust_beta > 0),
    importance       REAL    NOT NULL DEFAULT 0.5 CHECK (importance BETWEEN 0 AND 1),
    strength         REAL    NOT NULL DEFAULT 1.0,
    recall_count     INTEGER NOT NULL DEFAULT 0,
    last_recalled_at REAL,
    status           TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ({_in(STATUSES)})),
    superseded_by    INTEGER REFERENCES memories(id) ON DELETE SET NULL,
    pinned           INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    sensitivity      TEXT    NOT NULL DEFAULT 'normal' CHECK (sensitivity IN ('normal', 'private', 'never_inject')),
    tags             TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX memories_status_created ON memories(status, created_at);
CREATE INDEX memories_hash ON memories(content_hash);
CREATE INDEX memories_session ON memories(session_id);
CREATE INDEX memories_superseded_by ON memories(superseded_by);

CREATE TABLE memory_versions (
    memory_id  INTEGER NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    content    TEXT    NOT NULL,
    changed_at REAL    NOT NULL,
    reason     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (memory_id, version)
) WITHOUT ROWID;

CREATE TABLE memory_links (
    src_id     INTEGER NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
    dst_id     INTEGER NOT NULL REFERENCES memories(id) ON DELETE CASCADE,
    relation   TEXT    NOT NULL,
    weight     REAL    NOT NULL DEFAULT 1.0,
    created_at REAL    NOT NULL,
    PRIMARY KEY (src_id, dst_id, relation)
) WITHOUT ROWID;
CREATE INDEX memory_links_dst ON memory_links(dst_id);

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    title      TEXT    NOT NULL DEFAULT '',
    started_at REAL    NOT NULL,
    ended_at   REAL,
    model      TEXT    NOT NULL DEFAULT '',
    summary_id INTEGER REFERENCES memories(id) ON DELETE SET NULL
);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content    TEXT    NOT NULL,
    created_at REAL    NOT NULL,
    memory_id  INTEGER REFERENCES memories(id) ON DELETE SET NULL,
    stats      TEXT    NOT NULL DEFAULT '{{}}' CHECK (json_valid(stats))
);
CREATE INDEX messages_session ON messages(session_id, id);
CREATE INDEX messages_memory ON messages(memory_id);

CREATE VIRTUAL TABLE memory_fts USING fts5(
    content,
    content = 'memories',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
-- Deleted rows leave no tokens behind in the index (needed for verifiable erase).
INSERT INTO memory_fts(memory_fts, rank) VALUES ('secure-delete', 1);

CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
    INSERT INTO memory_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
    INSERT INTO memory_fts(memory_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER memories_fts_update AFTER UPDATE OF content ON memories BEGIN
    INSERT INTO memory_fts(memory_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO memory_fts(rowid, content) VALUES (new.id, new.content);
END;

CREATE VIRTUAL TABLE memory_vectors USING vec0(embedding float[{EMBEDDING_DIM}]);
CREATE TRIGGER memories_vec_delete AFTER DELETE ON memories BEGIN
    DELETE FROM memory_vectors WHERE rowid = old.id;
END;
"""

# Life cycle: trust per source, bookkeeping for the sleep passes.
V2 = """
CREATE TABLE source_trust (
    source TEXT PRIMARY KEY,
    alpha  REAL NOT NULL CHECK (alpha > 0),
    beta   REAL NOT NULL CHECK (beta > 0)
);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE INDEX memory_links_relation ON memory_links(relation, src_id);
CREATE INDEX memories_attribute ON memories(json_extract(provenance, '$.extracted.attribute'))
    WHERE json_extract(provenance, '$.extracted.attribute') IS NOT NULL;
"""

# Speech acts: the assistant's replies and the user's questions are kept, but are not facts.
# Sensitivity categories (sensitivity.py): what a private memory is about, for the prompt gate.
V3 = f"""
ALTER TABLE memories ADD COLUMN speech TEXT NOT NULL DEFAULT 'statement' CHECK (speech IN ({_in(SPEECH)}));
ALTER TABLE memories ADD COLUMN categories TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(categories));
UPDATE memories SET speech = 'reply' WHERE source = 'assistant' AND kind = 'episodic';
UPDATE memories SET speech = 'question' WHERE source = 'chat_user' AND kind = 'episodic' AND rtrim(content) LIKE '%?';
"""

MIGRATIONS: list[str] = [V1, V2, V3]
SCHEMA_VERSION = len(MIGRATIONS)
