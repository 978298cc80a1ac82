"""Real processes: a reader beside an importer, an import killed mid-way, no torch at recall time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from secondme.memory.service import Memories
from secondme.memory.types import NewMemory

SECONDME = str(Path(sys.executable).with_name("secondme"))


def env_for(home: Path) -> dict:
    return {**os.environ, "SECONDME_HOME": str(home)}


def write_notes(path: Path, count: int) -> None:
    path.write_text("\n\n".join(f"Note {i}: the plant on shelf {i % 17} needs water every {i % 5 + 2} days." for i in range(count)))


def count_memories(where) -> int:
    with Memories.open(where) as memories:
        return memories.store.count()


def test_recall_in_a_loop_never_fails_while_another_process_imports(where, home, tmp_path):
    with Memories.open(where) as memories:
        memories.remember([NewMemory("The plant on the balcony is a fig tree")])
    notes = tmp_path / "notes.txt"
    write_notes(notes, 3000)
    importer = subprocess.Popen([SECONDME, "import", str(notes)], env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    failures, runs = [], 0
    while importer.poll() is None or runs < 3:
        done = subprocess.run([SECONDME, "recall", "which plant needs water", "--json"], env=env_for(home), capture_output=True)
        runs += 1
        if done.returncode != 0:
            failures.append(done.stderr.decode())
        else:
            json.loads(done.stdout)
    out, err = importer.communicate()
    assert importer.returncode == 0, err.decode()
    assert failures == []
    assert runs >= 3
    assert count_memories(where) == 3001


def test_import_killed_midway_leaves_nothing_half_in(where, home, tmp_path):
    with Memories.open(where) as memories:
        memories.remember([NewMemory("A memory from before the import")])
    notes = tmp_path / "notes.txt"
    write_notes(notes, 6000)
    # Once while embedding, once as soon as it starts writing (the single transaction).
    for kill_when in ("embedding", "writing"):
        importer = subprocess.Popen([SECONDME, "import", str(notes)], env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if kill_when == "embedding":
            time.sleep(1.5)
        else:
            for line in importer.stderr:
                if b"writing" in line:
                    break
        importer.send_signal(signal.SIGKILL)
        importer.wait()
        assert count_memories(where) == 1, "nothing of a killed import may land"
        with Memories.open(where) as memories:
            assert memories.store.integrity_problems() == []


def test_ctrl_c_during_import_says_so_and_imports_nothing(where, home, tmp_path):
    with Memories.open(where) as memories:
        memories.remember([NewMemory("A memory from before the import")])
    notes = tmp_path / "notes.txt"
    write_notes(notes, 6000)
    # A child inherits an ignored SIGINT (and Python then never turns it into KeyboardInterrupt):
    # give it the default a user's shell gives, whatever the test runner left behind.
    importer = subprocess.Popen([SECONDME, "import", str(notes)], env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(2.0)
    importer.send_signal(signal.SIGINT)
    _, err = importer.communicate(timeout=60)
    if importer.returncode == 0:
        return  # the machine was fast enough to finish first: nothing to interrupt
    assert importer.returncode == 130, err.decode()
    assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    assert count_memories(where) == 1


def test_ctrl_c_while_the_command_line_loads_ends_in_one_line(home):
    # The Ctrl-C lands while secondme.cli is being imported, before any command guards itself.
    interrupted_load = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'secondme.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from secondme.__main__ import main\n"
        "sys.argv = ['secondme', 'list']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", interrupted_load], env=env_for(home), capture_output=True, text=True, timeout=60)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "interrupted before anything was done"


def test_recall_never_imports_torch(where, home):
    with Memories.open(where) as memories:
        memories.remember([NewMemory("Torch is only for the one-time export")])
    probe = (
        "import sys\n"
        "from secondme.cli import app\n"
        "try:\n"
        "    app(['recall', 'export'], standalone_mode=False)\n"
        "finally:\n"
        "    print('HEAVY:' + ','.join(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env_for(home), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "HEAVY:\n" in done.stdout


WRITER = """
import sys
from secondme.config import paths
from secondme.memory.service import Memories
from secondme.memory.types import NewMemory
failures = 0
with Memories.open(paths()) as memories:
    for i in range(int(sys.argv[1])):
        try:
            memories.remember([NewMemory(f"Errand {i}: pick up parcel number {i} from the post office on Elm Street", source="user")])
        except Exception as exc:
            failures += 1
            print(f"write {i}: {exc}", file=sys.stderr)
print(failures)
"""

READER = """
import sys
from secondme.config import paths
from secondme.memory.service import Memories
failures = 0
with Memories.open(paths(), create=False) as memories:
    for i in range(int(sys.argv[1])):
        try:
            hits, _ = memories.look_up(f"which parcel is number {i}", k=5)
            memories.reinforce([hit.memory.id for hit in hits], wait=False)  # a recall reinforces, so it writes too
        except Exception as exc:
            failures += 1
            print(f"read {i}: {exc}", file=sys.stderr)
print(failures)
"""


def test_one_writer_four_readers_and_an_mcp_client_never_fail(where, home):
    """The chat, an MCP client and scripts on one store: every write lands, no read fails."""
    import asyncio

    from mcp import Client, StdioServerParameters

    operations = 200
    with Memories.open(where) as memories:
        memories.remember([NewMemory("The post office on Elm Street opens at nine.", source="user")])
    environment = {**env_for(home), "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    workers = [subprocess.Popen([sys.executable, "-c", WRITER, str(operations)], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    workers += [subprocess.Popen([sys.executable, "-c", READER, str(operations)], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(4)]

    async def agent() -> list[str]:
        errors = []
        parameters = StdioServerParameters(command=sys.executable, args=["-m", "secondme", "mcp"], env=environment)
        async with Client(parameters) as client:
            for i in range(operations):
                if i % 4 == 0:
                    result = await client.call_tool("add_memory", {"text": f"My locker at the gym is number {i}."})
                else:
                    result = await client.call_tool("search_memories", {"query": f"parcel {i}"})
                if result.is_error:
                    errors.append(" ".join(getattr(block, "text", "") for block in result.content))
        return errors

    agent_errors = asyncio.run(asyncio.wait_for(agent(), timeout=600))
    outcomes = [(worker.communicate(timeout=600), worker.returncode) for worker in workers]
    assert agent_errors == []
    for (out, err), code in outcomes:
        assert code == 0 and out.strip() == "0", err[-2000:]
    with Memories.open(where) as memories:
        errands = [m for m in memories.store.iter_memories() if m.content.startswith("Errand ")]
        lockers = [m for m in memories.store.iter_memories() if m.content.startswith("My locker")]
    assert len(errands) == operations and len(lockers) == operations // 4
