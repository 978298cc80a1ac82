"""The encrypted store: ciphertext on disk, wrong keys touch nothing, schema and permissions."""

from __future__ import annotations

import hashlib
import secrets
import stat
from pathlib import Path

import apsw
import numpy as np
import pytest

from secondme.memory.schema import SCHEMA_VERSION
from secondme.memory.service import Memories
from secondme.memory.store import Store
from secondme.memory.types import CannotUnlock, NewMemory, StoreError

CANARY = "CANARY-7f3a9 my bank PIN is 4921"


def unit_vectors(count: int) -> np.ndarray:
    vectors = np.random.default_rng(0).standard_normal((count, 384)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_canary_is_ciphertext_in_db_and_wal(tmp_path: Path):
    path = tmp_path / "memory.db"
    store = Store.open(path, secrets.token_bytes(32))
    store.add([NewMemory(CANARY)], unit_vectors(1))
    wal = Path(str(path) + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the write should sit in the WAL before a checkpoint"
    on_disk = path.read_bytes() + wal.read_bytes()
    assert b"CANARY-7f3a9" not in on_disk and b"4921" not in on_disk
    store.checkpoint()
    assert b"CANARY-7f3a9" not in path.read_bytes()
    assert CANARY.encode() in store.decrypted_image(), "the decrypted view must hold it (the check is meaningful)"
    store.close()


def test_wrong_key_touches_nothing(tmp_path: Path):
    path = tmp_path / "memory.db"
    key = secrets.token_bytes(32)
    with Store.open(path, key) as store:
        store.add([NewMemory("something private")], unit_vectors(1))
    before = digests(tmp_path)
    with pytest.raises(CannotUnlock):
        Store.open(path, secrets.token_bytes(32))
    assert digests(tmp_path) == before


def test_a_store_cut_short_is_called_damaged_not_a_wrong_key(tmp_path: Path):
    path = tmp_path / "memory.db"
    key = secrets.token_bytes(32)
    with Store.open(path, key) as store:
        store.add([NewMemory("something private")], unit_vectors(1))
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(CannotUnlock, match="cut short"):
        Store.open(path, key)


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64, b"not a database at all, just text\n" * 100],
    ids=["binary", "text"],
)
def test_foreign_file_is_refused_untouched(tmp_path: Path, content: bytes):
    path = tmp_path / "memory.db"
    path.write_bytes(content)
    with pytest.raises(CannotUnlock):
        Store.open(path, secrets.token_bytes(32))
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memory.db"]


def test_plaintext_sqlite_is_refused(tmp_path: Path):
    path = tmp_path / "memory.db"
    con = apsw.Connection(str(path))
    con.execute("CREATE TABLE t(x)")
    con.close()
    with pytest.raises(CannotUnlock, match="unencrypted SQLite"):
        Store.open(path, secrets.token_bytes(32))


def test_newer_schema_is_refused(tmp_path: Path):
    path = tmp_path / "memory.db"
    key = secrets.token_bytes(32)
    with Store.open(path, key) as store:
        assert store.schema_version() == SCHEMA_VERSION
        store.con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer secondme"):
        Store.open(path, key)


def test_store_and_key_are_private(memories: Memories, where):
    assert stat.S_IMODE(where.key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(where.database.stat().st_mode) == 0o600
    assert stat.S_IMODE(where.config_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(where.data_dir.stat().st_mode) == 0o700


def test_missing_key_file_never_creates_a_new_key(memories: Memories, where):
    memories.remember([NewMemory("kept safe")])
    memories.close()
    where.key_file.unlink()
    with pytest.raises(CannotUnlock, match="key file"):
        Memories.open(where)
    assert not where.key_file.exists()


def test_delete_scrubs_text_and_vector(tmp_path: Path):
    store = Store.open(tmp_path / "memory.db", secrets.token_bytes(32))
    vectors = unit_vectors(2)
    ids = store.add([NewMemory(CANARY), NewMemory("an ordinary memory")], vectors)
    store.delete([ids[0]])
    store.compact()
    image = store.decrypted_image()
    assert CANARY.encode() not in image
    assert vectors[0].tobytes()[:64] not in image
    assert vectors[1].tobytes()[:64] in image
    assert store.integrity_problems() == []
    store.close()


def test_versions_keep_old_text(memories: Memories):
    memory_id = memories.remember([NewMemory("I live in Paris", kind="fact")]).ids[0]
    memories.store.update_content(memory_id, "I live in Berlin", memories.embedder.embed_one("I live in Berlin"))
    memory = memories.get(memory_id)
    assert memory.content == "I live in Berlin" and memory.version == 2
    assert [v["content"] for v in memories.store.versions(memory_id)] == ["I live in Paris"]
    assert [hit.memory.id for hit in memories.recall("Berlin")][:1] == [memory_id]
    assert not any(hit.memory.id == memory_id for hit in memories.recall("Paris") if hit.words_rank)


def test_a_full_disk_is_called_full_though_sqlite_says_io_error(monkeypatch):
    import shutil

    from secondme.errors import describe

    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9, 0))
    assert describe(apsw.IOError("disk I/O error"))[0] == "the disk is full: nothing was changed"


def test_a_key_file_with_an_absurd_scrypt_cost_is_damaged_not_a_memory_error(where):
    import json

    from secondme.memory import keys

    keys.write_key_file(where.key_file, {"mode": "passphrase", **keys._wrap(secrets.token_bytes(32), "correct horse")})
    with pytest.raises(keys.UnlockError, match="not valid UTF-8"):
        keys.unlock(keys.read_key_file(where.key_file), "bad \udcff byte")
    fields = json.loads(where.key_file.read_text())
    fields["kdf"]["n"] = 10**30
    where.key_file.write_text(json.dumps(fields))
    with pytest.raises(keys.UnlockError, match="damaged"):
        keys.unlock(keys.read_key_file(where.key_file), "correct horse")


def test_a_memory_mode_the_config_cannot_mean_names_where_it_was_set(where, monkeypatch):
    from secondme.config import SettingsError, load_settings

    where.ensure()
    where.settings_file.write_text('memory_mode = "loud"\n')
    with pytest.raises(SettingsError, match=r"config\.toml: memory_mode must be one of off, normal, strict"):
        load_settings(where)
    where.settings_file.write_text('memory_mode = "strict"\n')
    monkeypatch.setenv("SECONDME_MEMORY_MODE", "silent")
    with pytest.raises(SettingsError, match="SECONDME_MEMORY_MODE"):
        load_settings(where)
