"""A damaged store, page by page: what each command says, and what `doctor --repair` rescues.

    python bench/damage.py [--memories N] [--every K] [--json]

A store of N memories (synthetic notes) is built once; then for every K-th page of its file a copy
gets that page overwritten with zeros, as a failing disk or a bad copy leaves it, and the real
`secondme` commands run on it in a subprocess each: remember, recall, stats, show, export, sleep,
then `doctor --repair`, then recall again. Every command must either work or end in one line
starting "error:" with a non-zero exit; anything else (a traceback, a raw SQLite or sqlite-vec
message, several lines) is counted as a failure and printed. The repair is judged by how many of
the N memories the store holds after it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from secondme.config import Paths, paths  # noqa: E402
from secondme.memory.service import Memories  # noqa: E402
from secondme.memory.types import NewMemory  # noqa: E402

PAGE = 4096
COMMANDS = [["remember", "My aunt Rosa lives in Porto"], ["recall", "aunt"], ["stats"], ["show", "5"],
            ["export", "-o", "{home}/out.jsonl"], ["sleep"]]
RAW = ("Traceback", "SQLError", "CorruptError", "NotADBError", "IOError")  # what the user must never see


def build(home: Path, count: int) -> None:
    words = "apple river mountain sister brother Berlin Lisbon guitar violin doctor teacher garden bicycle coffee".split()
    chooser = random.Random(1)
    with Memories.open(Paths(home, home, paths().cache_dir)) as memories:
        memories.remember([NewMemory(f"Note {i}: " + " ".join(chooser.choice(words) for _ in range(30))) for i in range(count)], settle=False)


def run(home: Path, args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "SECONDME_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "secondme", *[a.format(home=home) for a in args]], env=env,
                          capture_output=True, text=True, timeout=300)


def verdict(done: subprocess.CompletedProcess) -> str:
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    if any(raw in done.stderr for raw in RAW):
        return "FAILED"
    if done.returncode == 0:
        return "works"
    return "one-line error" if len(errors) == 1 else "FAILED"


def held(home: Path) -> int:
    done = run(home, ["stats", "--json"])
    return json.loads(done.stdout)["memories"] if done.returncode == 0 else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memories", type=int, default=300)
    parser.add_argument("--every", type=int, default=9, help="damage every K-th page")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="damage-") as folder:
        pristine = Path(folder) / "pristine"
        build(pristine, args.memories)
        pages = (pristine / "memory.db").stat().st_size // PAGE
        outcomes: Counter = Counter()
        failures, repairs = [], Counter()
        rescued_share = []
        for page in range(2, pages + 1, args.every):  # page 1 holds the key check: damage there is "cannot unlock"
            home = Path(folder) / f"page-{page}"
            shutil.copytree(pristine, home)
            with open(home / "memory.db", "r+b") as file:
                file.seek((page - 1) * PAGE)
                file.write(bytes(PAGE))
            stored = args.memories
            for command in COMMANDS:
                done = run(home, command)
                result = verdict(done)
                outcomes[result] += 1
                stored += command[0] == "remember" and done.returncode == 0  # the store held one more before the repair
                if result == "FAILED":
                    failures.append(f"page {page}: {' '.join(command)}")
            repaired = run(home, ["doctor", "--repair"])
            if repaired.returncode == 0 and "Rescued" in repaired.stderr:
                repairs["rescued into a new store"] += 1
                rescued_share.append(held(home) / stored)
                if verdict(run(home, ["recall", "aunt"])) != "works":
                    failures.append(f"page {page}: recall after the repair")
            elif repaired.returncode == 0:
                repairs["nothing to repair (the page was free, or a write replaced it)"] += 1
            else:
                repairs[f"refused: {repaired.stderr.strip().splitlines()[-1][:100]}"] += 1
            shutil.rmtree(home)
    report = {"pages": pages, "damaged": len(range(2, pages + 1, args.every)), "commands": dict(outcomes), "failures": failures,
              "repairs": dict(repairs), "rescued_mean": round(sum(rescued_share) / max(1, len(rescued_share)), 4),
              "rescued_min": round(min(rescued_share, default=0.0), 4)}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"a damaged store: {args.memories} memories, {pages} pages, every {args.every}th zeroed ({report['damaged']} copies)")
    print("  commands on the damaged copy: " + ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items())))
    for failure in failures:
        print(f"    FAILED {failure}")
    print("  doctor --repair: " + "; ".join(f"{name}: {count}" for name, count in sorted(repairs.items())))
    print(f"  after a repair the store holds {report['rescued_mean']:.1%} of the memories on average (least {report['rescued_min']:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
