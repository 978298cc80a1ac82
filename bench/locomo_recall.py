"""Turn-level evidence recall@k on LoCoMo: secondme's recall vs BM25 alone vs dense alone.

Every turn of a conversation becomes a memory (dated by its session) in a fresh encrypted store;
every question of categories 1-4 is asked through the real recall, and we count the share of its
evidence turns found in the top k. BM25-only and dense-only use the same index, the same query
words and the same embedder, so the three columns differ only in ranking.

    python bench/locomo_recall.py --data ../shared/benchmarks/locomo/*.json [--k 5 10 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import locomo

from secondme.config import Paths, paths as default_paths
from secondme.memory import consolidate
from secondme.memory.recall import Weigher, fts_query
from secondme.memory.service import Memories

SYSTEMS = ("secondme", "gated", "bm25", "dense")  # gated: after the privacy gate (sensitivity.py)
DEFAULT_DATA = sorted((Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "locomo").glob("*.json"))


def rank_ids(memories: Memories, system: str, question: str, k: int, now: float | None = None) -> list[int]:
    if system == "secondme":
        return [hit.memory.id for hit in memories.recall(question, k=k, now=now)]
    if system == "gated":
        admitted, _held = memories.gate(question, memories.recall(question, k=k, now=now), to_model=False)
        return [hit.memory.id for hit in admitted]
    if system == "bm25":
        match = fts_query(question)
        return [memory_id for memory_id, _ in memories.store.fts_search(match, k)] if match else []
    vector = memories.embedder.embed_one(question)
    return [memory_id for memory_id, _ in memories.recaller.vectors.search(vector, k)]


def evaluate(files: list[Path], ks: list[int], categories: set[int], progress=None, lifecycle: bool = False) -> dict:
    """``lifecycle``: questions are asked a day after the last session, after a `sleep`, with
    trust and retention weighting recall; without it, recall is plain (identity weights)."""
    conversations = locomo.load(files)
    totals = {k: defaultdict(float) for k in ks}
    per_category = {k: defaultdict(lambda: defaultdict(float)) for k in ks}
    counts: dict[int, int] = defaultdict(int)
    turns = questions = 0
    ingest_seconds = 0.0
    cache_dir = default_paths().cache_dir
    for conversation in conversations:
        with tempfile.TemporaryDirectory(prefix="locomo-") as home:
            where = Paths(config_dir=Path(home), data_dir=Path(home), cache_dir=cache_dir)
            with Memories.open(where) as memories:
                if not lifecycle:
                    memories.recaller.weigher = Weigher()
                started = time.perf_counter()
                id_to_dia = locomo.ingest(memories, conversation)
                ingest_seconds += time.perf_counter() - started
                turns += len(conversation.turns)
                memories.warm()
                now = max((t.when or 0) for t in conversation.turns) + 86400 if lifecycle else None
                if lifecycle:
                    consolidate.sleep(memories, now=now)
                for question in conversation.questions:
                    if question.category not in categories or not question.evidence:
                        continue
                    questions += 1
                    counts[question.category] += 1
                    for system in SYSTEMS:
                        ranked = [id_to_dia.get(i) for i in rank_ids(memories, system, question.text, max(ks), now)]
                        for k in ks:
                            found = set(ranked[:k])
                            share = sum(e in found for e in question.evidence) / len(question.evidence)
                            totals[k][system] += share
                            per_category[k][question.category][system] += share
        if progress:
            progress(conversation.name)
    report = {
        f"recall@{k}": {system: round(totals[k][system] / questions, 4) for system in SYSTEMS} for k in ks
    }
    report["by_category"] = {
        f"recall@{k}": {
            str(category): {system: round(per_category[k][category][system] / counts[category], 4) for system in SYSTEMS}
            for category in sorted(counts)
        }
        for k in ks
    }
    report.update(
        conversations=len(conversations),
        questions=questions,
        turns=turns,
        ingest_per_s=round(turns / ingest_seconds, 1),
        files=[str(f) for f in files],
    )
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="+", type=Path, default=DEFAULT_DATA, help="LoCoMo JSON files")
    parser.add_argument("--k", nargs="+", type=int, default=[5, 10, 20])
    parser.add_argument("--categories", nargs="+", type=int, default=[1, 2, 3, 4])
    parser.add_argument("--lifecycle", action="store_true", help="sleep before the questions; trust and retention weigh recall")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.data:
        parser.error("no LoCoMo files given (--data)")
    say = (lambda name: print(f"  {name} done", file=sys.stderr)) if not args.json else None
    report = evaluate(args.data, sorted(args.k), set(args.categories), say, args.lifecycle)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"LoCoMo turn-level evidence recall ({report['questions']} questions, {report['conversations']} conversations)")
    print(f"{'':12}" + "".join(f"{s:>10}" for s in SYSTEMS))
    for k in sorted(args.k):
        row = report[f"recall@{k}"]
        print(f"{'recall@' + str(k):12}" + "".join(f"{row[s]:>10.3f}" for s in SYSTEMS))
    print(f"ingest: {report['ingest_per_s']} turns/s (embedding included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
