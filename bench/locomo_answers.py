"""LoCoMo answers (not recall): what the assistant says, scored with token F1 as in the LoCoMo paper.

    python bench/locomo_answers.py --data FILE... [--model PATH] [--json] [--limit N] [--verbose]

Every turn of a conversation becomes a memory in a fresh encrypted store (as `secondme import`
would bring a chat in: source import, dated with its session), then each question of categories
1 (multi-hop), 2 (temporal), 4 (single-hop) and 5 (adversarial: not answerable) goes through
Assistant.turn, the path of the chat and of `secondme ask`. Scoring follows LoCoMo's
task_eval/evaluation.py: answers normalised (lower case, no punctuation, no articles, Porter
stems), token F1 for categories 2 and 4, F1 per comma-separated part for category 1, and for
category 5 a 1 when the answer says the information is not there ("not mentioned", "no
information available", or secondme's "I don't know"). An answer that says so scores 0 in the
other categories, even when it quotes the closest memory beside ("I don't know for sure. The
closest thing in memory: ..."). ``contains_gold``: share of answers of categories 1, 2, 4
holding the whole normalised gold answer, plus category 5 answered unknown.

Prints {"f1": x, "by_category": {...}, "contains_gold": y} with --json.
"""

from __future__ import annotations

import argparse
import json
import re
import string
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import locomo  # noqa: E402

from secondme import answer as answers  # noqa: E402
from secondme.assistant import Assistant  # noqa: E402
from secondme.config import Paths, paths  # noqa: E402
from secondme.memory.service import Memories  # noqa: E402
from secondme.model.llm import LocalModel, Sampling  # noqa: E402
from secondme.model.registry import bundled_model  # noqa: E402

CATEGORIES = (1, 2, 4, 5)
NAMES = {1: "multi-hop", 2: "temporal", 4: "single-hop", 5: "adversarial"}
SAMPLING = Sampling(temperature=0.0, top_k=1, top_p=1.0, min_p=0.0, repeat_penalty=1.1, max_tokens=48, seed=7)

try:
    from nltk.stem import PorterStemmer

    _stem = PorterStemmer().stem
except ImportError:  # the bench extra brings nltk; without it, F1 runs on unstemmed tokens
    _stem = None


def normalise(text: str) -> str:
    text = text.replace(",", "").lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the|and)\b", " ", text)
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    words = normalise(text).split()
    return [_stem(word) for word in words] if _stem else words


def f1(prediction: str, gold: str) -> float:
    predicted, expected = tokens(prediction), tokens(gold)
    common = sum((Counter(predicted) & Counter(expected)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def score(category: int, prediction: str, gold: str) -> float:
    lowered = prediction.lower()
    unknown = "no information available" in lowered or "not mentioned" in lowered or answers.says_unknown(prediction)
    if category == 5 or unknown:  # an answer that says it does not know scores 0, whatever memory it shows beside
        return float(category == 5 and unknown)
    if category == 1:
        parts = [part.strip() for part in prediction.split(",")]
        golds = [part.strip() for part in gold.split(",")]
        return sum(max(f1(part, g) for part in parts) for g in golds) / len(golds)
    return f1(prediction, gold)


def contains(category: int, prediction: str, gold: str) -> bool:
    if category == 5:
        return score(5, prediction, gold) == 1.0
    wanted = normalise(gold)
    return bool(wanted) and f" {wanted} " in f" {normalise(prediction)} " and not answers.says_unknown(prediction)


def gold_answers(file: Path) -> dict[str, list]:
    """Question text -> [category, answer] from the raw files (locomo.py keeps no answers)."""
    data = json.loads(file.read_text(encoding="utf-8"))
    entries = data if isinstance(data, list) else [data]
    return {str(q["question"]): [int(q.get("category", 0)), str(q.get("answer", q.get("adversarial_answer", "")))] for entry in entries for q in entry.get("qa", [])}


def run(files: list[Path], model, embedder, limit: int | None, verbose: bool) -> list[dict]:
    rows = []
    for file in files:
        golds = gold_answers(file)
        for conversation in locomo.load([file]):
            with tempfile.TemporaryDirectory(prefix="locomo-answers-") as folder:
                where = Paths(Path(folder), Path(folder), paths().cache_dir)
                with Memories.open(where) as memories:
                    memories.embedder = embedder
                    locomo.ingest(memories, conversation)
                    memories.warm()
                    questions = [q for q in conversation.questions if q.category in CATEGORIES][:limit]
                    for question in questions:
                        category, gold = golds[question.text]
                        result = Assistant(memories, model, sampling=SAMPLING).turn(question.text)
                        row = {"conversation": conversation.name, "category": category, "question": question.text, "gold": gold,
                               "answer": result.answer, "f1": score(category, result.answer, gold),
                               "contains": contains(category, result.answer, gold), "grounded": result.grounded}
                        rows.append(row)
                        if verbose:
                            print(f"  {row['f1']:.2f} c{category} {question.text!r} -> {result.answer[:80]!r} (gold {gold!r})", file=sys.stderr)
    return rows


def summarise(rows: list[dict]) -> dict:
    by_category: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_category[row["category"]].append(row)
    return {
        "f1": round(sum(row["f1"] for row in rows) / max(1, len(rows)), 4),
        "by_category": {NAMES[c]: round(sum(r["f1"] for r in group) / len(group), 4) for c, group in sorted(by_category.items())},
        "contains_gold": round(sum(row["contains"] for row in rows) / max(1, len(rows)), 4),
        "questions": len(rows),
        "questions_by_category": {NAMES[c]: len(group) for c, group in sorted(by_category.items())},
        "by_conversation": {name: round(sum(r["f1"] for r in rows if r["conversation"] == name) / sum(r["conversation"] == name for r in rows), 4)
                            for name in dict.fromkeys(row["conversation"] for row in rows)},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+", default=sorted((ROOT.parent / "shared/benchmarks/locomo").glob("conv-*.json")))
    parser.add_argument("--model", type=Path, help="a GGUF file (default: the bundled SmolLM2-135M)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, help="questions per conversation (for a quick look)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    from secondme.memory.embed import Embedder

    model = LocalModel(args.model or bundled_model(), n_threads=args.threads)
    model.load()
    started = time.perf_counter()
    try:
        rows = run(args.data, model, Embedder(paths().cache_dir), args.limit, args.verbose)
    finally:
        model.close()
    summary = summarise(rows)
    if args.json:
        print(json.dumps({key: summary[key] for key in ("f1", "by_category", "contains_gold")}))
        return 0
    print(f"LoCoMo answers, {model.name}, {summary['questions']} questions of categories 1, 2, 4, 5 "
          f"({len(args.data)} conversations, {time.perf_counter() - started:.0f} s){'' if _stem else ' [no nltk: unstemmed F1]'}")
    print(f"  F1 {summary['f1']:.3f}   contains gold {summary['contains_gold']:.3f}")
    for name, value in summary["by_category"].items():
        print(f"  {name:12} F1 {value:.3f}  ({summary['questions_by_category'][name]} questions)")
    print("  by conversation: " + ", ".join(f"{name} {value:.3f}" for name, value in summary["by_conversation"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
