"""Recall latency on a store of N synthetic memories: in-process p50/p95 (query embedding included),
`secondme recall` as a fresh process, the same store unencrypted side by side, and ingest speed.

    python bench/recall_latency.py --n 10000 [--queries 200] [--cli-runs 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import synthetic

from secondme.config import Paths, paths as default_paths
from secondme.memory.service import Memories
from secondme.memory.store import Store
from secondme.memory.types import NewMemory


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_recalls(memories: Memories, queries: list[str], warm: bool) -> list[float]:
    recaller = memories.recaller
    if warm:
        recaller.vectors.warm()
    for query in queries[:5]:  # first calls pay one-off costs (thread pools, page cache)
        recaller.recall(query, k=10)
    timings = []
    for query in queries:
        started = time.perf_counter()
        recaller.recall(query, k=10)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def open_at(home: Path, cache_dir: Path, encrypted: bool) -> Memories:
    where = Paths(config_dir=home, data_dir=home, cache_dir=cache_dir)
    if encrypted:
        return Memories.open(where, create=False)
    return Memories(Store.open(where.database, None), where, b"")


def cli_walls(home: Path, queries: list[str], runs: int) -> list[float]:
    env = {**os.environ, "SECONDME_HOME": str(home)}
    secondme = Path(sys.executable).with_name("secondme")
    walls = []
    for query in queries[:runs]:
        started = time.perf_counter()
        done = subprocess.run([str(secondme), "recall", query, "--json"], env=env, capture_output=True)
        walls.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):
            raise RuntimeError(done.stderr.decode())
    return walls


def ingest_rate(home: Path, cache_dir: Path, count: int) -> float:
    texts = [f"{text} (ingest {i})" for i, text in enumerate(synthetic.generate(count, seed=1234))]
    with open_at(home, cache_dir, True) as memories:
        memories.embedder  # loading the model is not ingest
        started = time.perf_counter()
        memories.remember([NewMemory(text, source="import") for text in texts], settle=False)
        return count / (time.perf_counter() - started)


def run(n: int, query_count: int, cli_runs: int) -> dict:
    cache_dir = default_paths().cache_dir
    queries = synthetic.queries(query_count)
    report: dict = {"n": n, "queries": query_count}
    with tempfile.TemporaryDirectory(prefix="recall-bench-") as root:
        for encrypted in (True, False):
            home = Path(root) / ("encrypted" if encrypted else "plain")
            home.mkdir()
            synthetic.build_store(home, cache_dir, n, encrypted=encrypted)
            with open_at(home, cache_dir, encrypted) as memories:
                warm = time_recalls(memories, queries, warm=True)
            with open_at(home, cache_dir, encrypted) as memories:
                cold = time_recalls(memories, queries[:50], warm=False)
            prefix = "" if encrypted else "plain_"
            report[f"{prefix}p50_ms"] = round(statistics.median(warm), 2)
            report[f"{prefix}p95_ms"] = round(percentile(warm, 0.95), 2)
            report[f"{prefix}sqlite_vec_p50_ms"] = round(statistics.median(cold), 2)
            if encrypted:
                walls = cli_walls(home, queries, cli_runs)
                report["cli_wall_s"] = round(statistics.median(walls), 3)
                report["cli_wall_min_s"] = round(min(walls), 3)
                report["ingest_per_s"] = round(ingest_rate(home, cache_dir, 1000), 1)
    report["encryption_overhead"] = round(report["p50_ms"] / report["plain_p50_ms"], 2)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="memories in the store")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cli-runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run(args.n, args.queries, args.cli_runs)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"recall latency, {args.n} memories, {args.queries} distinct queries, k=10 (query embedding included)")
    print(f"{'':28}{'encrypted':>12}{'plain':>12}")
    print(f"{'in-process p50 (ms)':28}{report['p50_ms']:>12}{report['plain_p50_ms']:>12}")
    print(f"{'in-process p95 (ms)':28}{report['p95_ms']:>12}{report['plain_p95_ms']:>12}")
    print(f"{'p50 via sqlite-vec (ms)':28}{report['sqlite_vec_p50_ms']:>12}{report['plain_sqlite_vec_p50_ms']:>12}")
    print(f"`secondme recall` fresh process: median {report['cli_wall_s']} s, min {report['cli_wall_min_s']} s")
    print(f"ingest: {report['ingest_per_s']} memories/s (embedding included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
