"""A damaged store: every command says so in one line, and `doctor --repair` moves what can still
be read into a new store, keeping the damaged file. The damage is real: a page of the encrypted
file overwritten with zeros, as a failing disk or a bad copy leaves it."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from secondme.memory.repair import RepairError
from secondme.memory.service import Memories
from secondme.memory.store import Store
from secondme.memory.types import CannotUnlock, NewMemory, StoreError

FACTS = [f"Note {i}: my cousin number {i} lives in town {i} and plays the {('oboe', 'drums', 'harp')[i % 3]}" for i in range(120)]


@pytest.fixture
def stored(where) -> list[int]:
    with Memories.open(where) as memories:
        return memories.remember([NewMemory(fact) for fact in FACTS], settle=False).ids


def pages_of(where, table: str, kind: str) -> list[int]:
    with Memories.open(where, create=False) as memories:
        return [row[0] for row in memories.store.con.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno", (table, kind))]


def zero_page(database: Path, number: int) -> None:
    """Overwrite page ``number`` (1-based) with zeros, as it lies on disk (encrypted)."""
    with open(database, "r+b") as file:
        file.seek((number - 1) * 4096)
        file.write(bytes(4096))


def test_a_damaged_leaf_loses_its_rows_only_and_the_rest_moves_to_a_sound_store(where, stored):
    leaf = pages_of(where, "memories", "leaf")[1]
    zero_page(where.database, leaf)
    with Memories.open(where, create=False) as memories:
        report = memories.repair()
    assert report.problems and report.unreadable > 0
    assert report.rescued + report.unreadable == len(FACTS)
    kept = Path(report.damaged_copy)
    assert kept.exists() and kept.parent == where.database.parent
    assert not list(where.database.parent.glob(".repair-*")), "the work folder is gone"
    with Memories.open(where, create=False) as memories:
        assert memories.health()["problems"] == []
        rescued = memories.store.iter_memories()
        assert len(rescued) == report.rescued
        assert {memory.id: memory.content for memory in rescued}.items() <= dict(zip(stored, FACTS)).items(), "ids and texts kept"
        assert memories.recall("who plays the harp", k=3)[0].memory.content in FACTS


def test_a_sound_store_is_left_alone(where, stored):
    before = where.database.read_bytes()
    with Memories.open(where, create=False) as memories:
        report = memories.repair()
    assert report.problems == [] and report.damaged_copy == ""
    assert where.database.read_bytes() == before


def test_a_lost_table_root_changes_nothing_and_says_what_to_do(where, stored):
    root = pages_of(where, "memories", "internal")[0]
    zero_page(where.database, root)
    before = where.database.read_bytes()
    with Memories.open(where, create=False) as memories, pytest.raises(RepairError, match="nothing was changed"):
        memories.repair()
    assert where.database.read_bytes() == before
    assert [path.name for path in where.database.parent.iterdir() if "damaged" in path.name or path.name.startswith(".repair")] == []


def test_the_cli_names_the_damage_in_one_line_and_repairs_it(cli, where, stored):
    zero_page(where.database, pages_of(where, "memories", "leaf")[0])
    broken = cli("recall", "harp")
    assert broken.exit_code == 1
    assert broken.stderr.strip().splitlines() == [
        "error: the store is damaged (a page of the file fails its check): `secondme doctor --repair` moves what can still be read into a new store"
    ]
    checked = cli("doctor", "--json")
    integrity = next(check for check in json.loads(checked.stdout) if check["name"] == "integrity")
    assert not integrity["ok"] and "doctor --repair" in integrity["detail"]
    repaired = cli("doctor", "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert "Rescued" in repaired.stderr and "could not be read" in repaired.stderr and "damaged file is kept" in repaired.stderr
    assert cli("recall", "harp").exit_code == 0
    assert "nothing to repair" in cli("doctor", "--repair").stderr
    kept = next(check for check in json.loads(cli("doctor", "--json").stdout) if check["name"] == "repair")
    assert "damaged file is kept" in kept["detail"] and kept["ok"]


def test_no_repair_while_another_process_has_the_store_open(where, stored, home):
    zero_page(where.database, pages_of(where, "memories", "leaf")[0])
    holding = ("import time\nfrom secondme.memory.service import Memories\n"
               "with Memories.open(create=False):\n    print('open', flush=True)\n    time.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", holding], env={**os.environ, "SECONDME_HOME": str(home)}, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"open"
        with Memories.open(where, create=False) as memories, pytest.raises(RepairError, match="open in another process"):
            memories.repair()
    finally:
        holder.kill()
        holder.wait()
    assert not [path for path in where.database.parent.iterdir() if "damaged" in path.name]
    with Memories.open(where, create=False) as memories:
        assert memories.repair().rescued > 0, "once the other process has closed it, the repair goes ahead"


def test_a_store_being_repaired_is_not_opened_meanwhile(where, stored):
    with Memories.open(where, create=False) as repairing:
        assert not repairing.store.open_elsewhere()  # it holds the store alone now
        with pytest.raises(StoreError, match="being repaired"):
            Memories.open(where, create=False)


def test_an_erase_after_a_repair_names_the_damaged_copy_it_cannot_reach(where, stored):
    zero_page(where.database, pages_of(where, "memories", "leaf")[0])
    with Memories.open(where, create=False) as memories:
        kept = memories.repair().damaged_copy
    with Memories.open(where, create=False) as memories:
        report = memories.erase(memories.select(query="harp"))
    assert report.erased > 0 and not report.verified
    assert any(kept in leak and "not erased" in leak for leak in report.leaks)
    Path(kept).unlink()
    with Memories.open(where, create=False) as memories:
        assert memories.erase(memories.select(query="oboe")).verified


def test_a_damaged_list_of_tables_is_not_called_a_wrong_key(where, stored):
    schema_leaf = pages_of(where, "sqlite_schema", "leaf")[0]
    with Memories.open(where, create=False) as memories:
        key = memories.store_key
    zero_page(where.database, schema_leaf)
    with pytest.raises(CannotUnlock, match=r"damaged \(not a wrong key\)"):
        Store.open(where.database, key)
    with pytest.raises(CannotUnlock, match="wrong key or passphrase"):
        Store.open(where.database, secrets.token_bytes(32))


def test_damage_met_inside_a_transaction_is_named_as_damage():
    import apsw

    from secondme.errors import describe

    try:
        try:
            raise apsw.CorruptError("database disk image is malformed")
        except apsw.CorruptError:
            raise apsw.SQLError("You have done transaction control ... no such savepoint: _apsw-0")  # noqa: B904 - as APSW does
    except apsw.SQLError as exc:
        message, code = describe(exc)
    assert message.startswith("the store is damaged") and code == 1
    assert describe(apsw.SQLError('near "x": syntax error'))[0].startswith("SQLError")
