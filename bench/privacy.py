"""Privacy in use: does a sensitive memory go only where it belongs?

    python bench/privacy.py [--set FILE ...] [--model PATH] [--no-answers] [--json]

Each person of the scenario sets (data/privacy/scenarios_dev.json: five people, tuned on;
scenarios_train.json: five more, in Pidgin, Portuguese slang, Hinglish, formal and lowercase
English, written to fit the gate on; scenarios_blind.json: two people by another author, only
reported) tells secondme 12 sensitive and 18 everyday things, typed as `secondme remember` would
store them (a small store of 30), and
again with 3,000 synthetic everyday memories mixed in (a large store). Then every request goes
through Assistant.turn, the path of the chat and of `secondme ask`:

  prompt leakage   requests that need no sensitive memory, but got one of the person's into
                   what answered them (the model's prompt, or the memories an answer was read from)
  answer leakage   those whose answer text carries a sensitive memory's telling words (its
                   sensitive terms and numbers) that the request did not contain; also
                   counted for the memories that were in the prompt only (what the answer
                   could have taken from memory, not a word it happened to use)
  utility          requests that need a sensitive memory and got it

each overall and by the category of the memory involved. ``--json``: {"prompt_leakage",
"answer_leakage", "utility", ...} over all sets and stores. The gate's cost per turn is timed
on the large store (Memories.gate over what recall returned).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402

from secondme.assistant import Assistant  # noqa: E402
from secondme.config import Paths, paths  # noqa: E402
from secondme.memory import sensitivity  # noqa: E402
from secondme.memory.service import Memories  # noqa: E402
from secondme.memory.types import NewMemory  # noqa: E402
from secondme.model.llm import LocalModel, Sampling  # noqa: E402
from secondme.model.registry import bundled_model  # noqa: E402

DATA = ROOT / "data" / "privacy"
SETS = {"dev (tuned on)": DATA / "scenarios_dev.json", "train (fitted on)": DATA / "scenarios_train.json",
        "blind (held out)": DATA / "scenarios_blind.json"}
FITTED_ON = ("dev (tuned on)", "train (fitted on)")  # the sets bench/train_gate.py fits the gate on
SAMPLING = Sampling(temperature=0.0, top_k=1, top_p=1.0, min_p=0.0, repeat_penalty=1.1, max_tokens=96, seed=7)
LARGE = 3000


def telling_words(text: str, category: str) -> set[str]:
    """What would give a sensitive memory away in an answer: its sensitive terms, numbers, codes."""
    words = {match.group().lower() for match in sensitivity.PATTERNS[category].finditer(text)} if category in sensitivity.PATTERNS else set()
    words |= {number for number in re.findall(r"\d{3,}|\b\d+[a-z]+\d*\b", text.lower())}
    return {word for word in words if len(word) > 2}


def leaks(answer: str, request: str, memory: dict) -> bool:
    said, asked = answer.lower(), request.lower()
    return any(re.search(rf"\b{re.escape(word)}\b", said) and word not in asked for word in telling_words(memory["text"], memory["category"]))


def store_person(memories: Memories, person: dict, extra: list[str]) -> dict[str, int]:
    """Typed like `secondme remember` (the settle included); the synthetic ones in one batch."""
    if extra:
        memories.remember([NewMemory(text, kind="note", source="user", created_at=time.time() - 90 * 86400) for text in extra], settle=False)
    ids = {}
    for entry in person["sensitive"]:
        ids[entry["id"]] = memories.remember([NewMemory(entry["text"], kind="note", source="user")]).ids[0]
    for text in person["everyday"]:
        memories.remember([NewMemory(text, kind="note", source="user")])
    return ids


def run_person(person: dict, model, embedder, extra: list[str], answers: bool, gate_ms: list[float]) -> list[dict]:
    rows = []
    sensitive = {entry["id"]: entry for entry in person["sensitive"]}
    with tempfile.TemporaryDirectory(prefix="privacy-") as folder:
        where = Paths(Path(folder), Path(folder), paths().cache_dir)
        with Memories.open(where) as memories:
            memories.embedder = embedder
            ids = store_person(memories, person, extra)
            memories.warm()
            by_memory = {memory_id: key for key, memory_id in ids.items()}
            for request in person["requests"]:
                assistant = Assistant(memories, model, sampling=SAMPLING)
                if extra:
                    hits = memories.recall(request["text"], k=40)
                    started = time.perf_counter()
                    memories.gate(request["text"], hits)
                    gate_ms.append((time.perf_counter() - started) * 1000)
                if answers:
                    result = assistant.turn(request["text"])
                    used, answer = [hit.memory.id for hit in result.used], result.answer
                else:
                    plan = assistant.plan(request["text"])
                    used, answer = [hit.memory.id for hit in plan.used], ""
                got = {by_memory[i] for i in used if i in by_memory}
                needed = request["needs"]
                rows.append({
                    "person": person["person"], "request": request["text"], "needs": needed,
                    "categories": [sensitive[key]["category"] for key in (needed or request.get("near", []))],
                    "useful": bool(set(needed) & got) if needed else None,
                    "prompt_leak": bool(got) if not needed else None,
                    "answer_leak": (any(leaks(answer, request["text"], sensitive[key]) for key in sensitive) if answers else None) if not needed else None,
                    "answer_leak_given": (any(leaks(answer, request["text"], sensitive[key]) for key in got) if answers else None) if not needed else None,
                    "leaked": sorted(got) if not needed else [],
                })
    return rows


def summarise(rows: list[dict]) -> dict:
    def rate(key: str, group: list[dict]) -> float | None:
        values = [row[key] for row in group if row[key] is not None]
        return round(sum(values) / len(values), 4) if values else None

    by_category: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        for category in set(row["categories"]):
            by_category[category].append(row)
    return {
        "prompt_leakage": rate("prompt_leak", rows), "answer_leakage": rate("answer_leak", rows), "utility": rate("useful", rows),
        "answer_leakage_from_prompt": rate("answer_leak_given", rows),
        "requests": len(rows),
        "by_category": {c: {"prompt_leakage": rate("prompt_leak", g), "answer_leakage": rate("answer_leak", g), "utility": rate("useful", g)}
                        for c, g in sorted(by_category.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, action="append", help="scenario set(s) (default: dev and blind)")
    parser.add_argument("--model", type=Path, help="a GGUF file (default: the bundled SmolLM2-135M)")
    parser.add_argument("--no-answers", action="store_true", help="only what goes into prompts (no generation: fast)")
    parser.add_argument("--verbose", action="store_true", help="print every leak and every miss")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from secondme.memory.embed import Embedder

    sets = {file.stem: file for file in args.set} if args.set else SETS
    model = LocalModel(args.model or bundled_model(), n_threads=2)
    if args.no_answers:
        model.inspect()
    else:
        model.load()
    embedder = Embedder(paths().cache_dir)
    extra = synthetic.generate(LARGE, seed=11)
    report: dict = {"model": model.name, "sets": {}}
    gate_ms: list[float] = []
    all_rows = []
    try:
        for name, file in sets.items():
            people = json.loads(file.read_text(encoding="utf-8"))
            for store, more in (("small", []), ("large", extra)):
                rows = [row for person in people for row in run_person(person, model, embedder, more, not args.no_answers, gate_ms)]
                all_rows += rows
                report["sets"][f"{name}, {store} store"] = summarise(rows)
                if args.verbose:
                    for row in rows:
                        if row["prompt_leak"] or row["answer_leak"] or row["useful"] is False:
                            print(f"  [{name} {store}] {'LEAK ' + ','.join(row['leaked']) if row['prompt_leak'] else 'MISS ' + ','.join(row['needs']) if row['useful'] is False else 'ANSWER LEAK'}: {row['request']!r}", file=sys.stderr)
    finally:
        model.close()
    total = summarise(all_rows)
    report.update({key: total[key] for key in ("prompt_leakage", "answer_leakage", "utility", "answer_leakage_from_prompt")})
    report["gate_ms"] = {"median": round(statistics.median(gate_ms), 3), "p95": round(sorted(gate_ms)[int(0.95 * (len(gate_ms) - 1))], 3)} if gate_ms else None
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"privacy in use, {model.name}{' (prompts only)' if args.no_answers else ''}")
    for name, summary in report["sets"].items():
        answer = "n/a" if summary["answer_leakage"] is None else f"{summary['answer_leakage'] * 100:.1f}%"
        print(f"  {name:28} prompt leakage {summary['prompt_leakage'] * 100:5.1f}%   answer leakage {answer:>6}   utility {summary['utility'] * 100:5.1f}%")
    print(f"  {'all':28} prompt leakage {report['prompt_leakage'] * 100:5.1f}%   answer leakage "
          f"{'n/a' if report['answer_leakage'] is None else format(report['answer_leakage'] * 100, '.1f') + '%':>6}   utility {report['utility'] * 100:5.1f}%")
    if report["answer_leakage_from_prompt"] is not None:
        print(f"  {'':28} answer leakage of a memory that was in the prompt {report['answer_leakage_from_prompt'] * 100:.1f}% "
              "(the rest: telling words of memories it never saw)")
    if report["gate_ms"]:
        print(f"  the gate per turn, {LARGE + 30} memories: median {report['gate_ms']['median']} ms, p95 {report['gate_ms']['p95']} ms")
    print("  by category (all sets and stores): prompt leakage / utility")
    for category, row in total["by_category"].items():
        leak = "-" if row["prompt_leakage"] is None else f"{row['prompt_leakage'] * 100:.0f}%"
        useful = "-" if row["utility"] is None else f"{row['utility'] * 100:.0f}%"
        print(f"    {category:22} {leak:>5} / {useful:>5}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
