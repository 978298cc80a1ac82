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
from secondme.memory.store import NewMemory

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
    importer = subprocess.Popen([SECONDME, "import", str(notes)], env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(2.0)
    importer.send_signal(signal.SIGINT)
    _, err = importer.communicate(timeout=60)
    if importer.returncode == 0:
        return  # the machine was fast enough to finish first: nothing to interrupt
    assert importer.returncode == 130, err.decode()
    assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    assert count_memories(where) == 1


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
