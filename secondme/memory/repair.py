"""`secondme doctor --repair`: what a damaged store still holds, moved into a new one.

Every page of the store carries its own MAC (SQLite3 Multiple Ciphers), so a page changed by a
failing disk, a bad copy or a stray write is never read as data: SQLite reports it as damage, and
every command that reaches that page fails. Measured on a 61-memory store with one 4 KiB page
zeroed: depending on the page, remember, recall or doctor itself failed, while the memories on
the other pages could all still be read.

So a repair reads every record it can (each table whole, the memories one by one when their
table is hit), writes them into a new store under the same key (vectors and the full-text index
are built again from the text, as an import builds them), checks that store, and only then puts
it in the old one's place. The damaged file is kept beside it under a new name, never deleted:
whatever the repair could not read may still matter to the user.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import apsw

from secondme.config import Paths
from secondme.errors import SecondmeError
from secondme.memory import transfer

if TYPE_CHECKING:
    from secondme.memory.service import Memories


class RepairError(SecondmeError):
    """The repair could not finish; the store was left as it was."""


@dataclass
class RepairReport:
    problems: list[str]  # what the check found before the repair
    rescued: int = 0  # memories now in the new store
    unreadable: int = 0  # memory ids that sat on damaged pages
    lost: list[str] = field(default_factory=list)  # parts that could not be read at all ("links")
    damaged_copy: str = ""  # where the damaged file is kept


def repair(damaged: Memories, progress: Callable[[int], None] | None = None,
           writing: Callable[[int], None] = lambda count: None) -> RepairReport:
    """Rescue what ``damaged`` holds into a new store in its place; ``damaged`` is closed after.
    A sound store is left alone (the report's ``problems`` is empty)."""
    report = RepairReport(damaged.store.integrity_problems())
    if not report.problems:
        return report
    if damaged.store.open_elsewhere():
        # It would go on writing to the damaged file once the new one has taken its name.
        raise RepairError("the store is open in another process (a chat, an MCP server?): close it first; nothing was changed")
    records = _readable_records(damaged, report)
    if report.rescued == 0:
        raise RepairError("no memory of the damaged store could be read: nothing was changed; restore an export with `secondme import`")
    database = damaged.paths.database
    with tempfile.TemporaryDirectory(prefix=".repair-", dir=database.parent) as folder:
        rescued_at = Paths(damaged.paths.config_dir, Path(folder), damaged.paths.cache_dir)
        _write_new_store(damaged, rescued_at, records, report, progress, writing)
        damaged.close()
        report.damaged_copy = str(_swap(database, rescued_at.database))
    return report


def _readable_records(damaged: Memories, report: RepairReport) -> list[dict]:
    store = damaged.store
    memories, report.unreadable = store.readable_memories()
    report.rescued = len(memories)

    def readable(name: str, read: Callable, empty):
        try:
            return read()
        except apsw.Error:
            report.lost.append(name)
            return empty

    return list(transfer.records_of(
        memories,
        readable("chat sessions", store.sessions, []),
        readable("earlier versions", store.all_versions, {}),
        readable("links", lambda: list(store.all_links()), []),
        readable("chat messages", store.messages, []),
    ))


def _write_new_store(damaged: Memories, where: Paths, records: list[dict], report: RepairReport,
                     progress: Callable[[int], None] | None, writing: Callable[[int], None]) -> None:
    from secondme.memory.service import Memories

    plan = transfer.plan_of_records(records, "the damaged store")
    with Memories.open(where, create=True, key=damaged.store_key) as rescued:
        rescued.embedder = damaged.embedder
        transfer.apply_import(rescued, plan, progress, writing)
        problems, count = rescued.store.integrity_problems(), rescued.store.count()
    if problems or count != report.rescued:
        raise RepairError(f"the new store did not check out ({'; '.join(problems[:2]) or f'{count} of {report.rescued} memories'}): nothing was changed")


def damaged_copies(database: Path) -> list[Path]:
    """The damaged files earlier repairs kept beside ``database`` (an erase cannot reach them)."""
    return sorted(path for path in database.parent.glob(f"{database.name}.damaged-*") if not path.name.endswith(("-wal", "-shm")))


def _swap(database: Path, rescued: Path) -> Path:
    """Put ``rescued`` where ``database`` is. The damaged file first gets its second name (a hard
    link), then its WAL moves along with it, then the rescued file replaces it in one rename: at
    every moment the store's path holds a whole store, and the damaged one is never lost."""
    kept = database.with_name(f"{database.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    os.link(database, kept)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{database}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{kept}{suffix}"))
    os.replace(rescued, database)
    directory = os.open(database.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return kept
