"""Fit the learned half of the privacy gate (sensitivity.needed: does this request need this
sensitive memory?) and judge it on people it never saw.

    python bench/train_gate.py [--write] [--json]

Examples are (request, sensitive memory) pairs from the scenarios fitted on (bench/privacy.py's
FITTED_ON: data/privacy/scenarios_dev.json and scenarios_train.json, ten people who write in
different ways: tidy English, lowercase shorthand, formal Welsh English, Pidgin, Portuguese slang,
Hinglish): each person's store is built as bench/privacy.py builds it, small and with 3,000
everyday memories mixed in, and every request is recalled; each sensitive memory recall returned
is an example, needed or not. The figure that counts is leave-one-person-out: for each person the
model is fitted on the others and judges that person's requests, as the gate would (a request
counts as served when a memory it needs would pass the gate in recall's first three, as leaking
when one it does not need would; leakage is over every request that needs none, as
bench/privacy.py counts it). The threshold is the lowest cut whose out-of-fold leakage stays
within MAX_LEAKAGE. The blind scenarios are never fitted on: bench/privacy.py reports them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import privacy  # noqa: E402
import synthetic  # noqa: E402

from secondme.config import Paths, paths  # noqa: E402
from secondme.memory import sensitivity  # noqa: E402
from secondme.memory.embed import Embedder  # noqa: E402
from secondme.memory.service import Memories  # noqa: E402

L2 = 1.0  # a few hundred examples and twenty features: keep the weights modest
MAX_LEAKAGE = 0.04  # out-of-fold share of requests needing no sensitive memory that would get one (the target is 5 %; the bench counts paths this does not)
PROMPT_PLACES = 3  # what a small model's prompt takes (assistant.SMALL_MODEL_MEMORIES)
CUTS = np.round(np.arange(0.50, 0.99, 0.01), 2)


def examples(embedder: Embedder) -> tuple[list[dict], int]:
    """Every (request, sensitive memory) pair recall brings up, with the rules' verdict; and how
    many requests (in both stores) need no sensitive memory."""
    extra = synthetic.generate(privacy.LARGE, seed=11)
    people = [person for name in privacy.FITTED_ON for person in json.loads(privacy.SETS[name].read_text(encoding="utf-8"))]
    found, needing_none = [], 0
    for person in people:
        for store, more in (("small", []), ("large", extra)):
            with tempfile.TemporaryDirectory(prefix="gate-") as folder, Memories.open(Paths(Path(folder), Path(folder), paths().cache_dir)) as memories:
                memories.embedder = embedder
                ids = privacy.store_person(memories, person, more)
                keys = {memory_id: key for key, memory_id in ids.items()}
                for number, request in enumerate(person["requests"]):
                    needing_none += not request["needs"]
                    hits = memories.recall(request["text"], k=40)
                    for hit, match in zip(hits, sensitivity.Match.placing(hits)):
                        memory = hit.memory
                        if memory.id not in keys or not sensitivity.is_sensitive(memory) or "credentials" in memory.categories:
                            continue
                        found.append({
                            "person": person["person"], "request": (store, number), "needy": bool(request["needs"]),
                            "needed": keys[memory.id] in request["needs"], "rank": match.rank,
                            "final": sensitivity.held_by_rules(memory, request["text"], match.cosine)[1],
                            "x": sensitivity.need_features(memory, request["text"], match,
                                                           sensitivity.about_topic(memory, request["text"], match.cosine, list(memory.categories) or ["private"])),
                        })
    return found, needing_none


def served_and_leaked(rows: list[dict], probabilities: np.ndarray, cut: float, needing_none: int) -> tuple[float, float]:
    """(utility, leakage) by request, for the gate at ``cut``: the share of the requests that need a
    sensitive memory recall brought up, and of all ``needing_none`` requests that need none (as
    bench/privacy.py counts leakage)."""
    passed: dict[tuple, list[dict]] = defaultdict(list)
    needy: dict[tuple, bool] = {}
    for row, probability in zip(rows, probabilities):
        key = (row["person"], row["request"])
        needy[key] = row["needy"]
        if row["rank"] < PROMPT_PLACES and not row["final"] and probability >= cut:
            passed[key].append(row)
    served = [any(row["needed"] for row in passed[key]) for key, wanted in needy.items() if wanted]
    leaked = sum(bool(passed[key]) for key, wanted in needy.items() if not wanted)
    return float(np.mean(served)), leaked / needing_none


def fit(x: np.ndarray, y: np.ndarray, l2: np.ndarray, iterations: int = 25) -> np.ndarray:
    """Class-balanced logistic regression with an L2 penalty per feature (Newton's method)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    positive, negative = y.sum(), len(y) - y.sum()
    weights = np.where(y == 1, len(y) / (2 * positive), len(y) / (2 * negative))
    penalty = np.r_[l2, 0.0]
    w = np.zeros(xb.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -30, 30)))
        gradient = xb.T @ (weights * (p - y)) + penalty * w
        hessian = (xb * (weights * p * (1 - p))[:, None]).T @ xb + np.diag(penalty)
        w -= np.linalg.solve(hessian, gradient)
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x @ w[:-1] + w[-1], -30, 30)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"save the model to {sensitivity.NEED_WEIGHTS_FILE.name}")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    rows, needing_none = examples(Embedder(paths().cache_dir))
    x = np.array([row["x"] for row in rows])
    y = np.array([row["needed"] for row in rows], dtype=float)
    person = np.array([row["person"] for row in rows])
    asked = np.array([not row["final"] for row in rows])  # the gate asks the model only where the rules are not final
    penalty = np.full(x.shape[1], L2)
    out_of_fold = np.zeros(len(rows))
    for name in sorted(set(person)):
        test = person == name
        out_of_fold[test] = predict(fit(x[~test & asked], y[~test & asked], l2=penalty), x[test])
    table = {float(cut): served_and_leaked(rows, out_of_fold, cut, needing_none) for cut in CUTS}
    threshold = next((cut for cut, (_, leaked) in table.items() if leaked <= MAX_LEAKAGE), 1.1)
    rules_only = served_and_leaked(rows, x[:, sensitivity.NEED_FEATURES.index("rules_let_in")], 0.5, needing_none)
    w = fit(x[asked], y[asked], l2=penalty)
    report = {
        "examples": len(rows), "needed": int(y.sum()), "people": len(set(person)), "threshold": threshold,
        "rules only": {"utility": round(rules_only[0], 3), "leakage": round(rules_only[1], 3)},
        "leave one person out": {str(cut): {"utility": round(served, 3), "leakage": round(leaked, 3)} for cut, (served, leaked) in table.items()},
    }
    if args.write:
        model = {
            "trained": date.today().isoformat(), "by": "bench/train_gate.py", "threshold": threshold,
            "weights": {name: round(float(value), 5) for name, value in zip(sensitivity.NEED_FEATURES, w[:-1])},
            "bias": round(float(w[-1]), 5), "report": report,
        }
        sensitivity.NEED_WEIGHTS_FILE.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"the privacy gate's learned half: {len(rows)} pairs ({int(y.sum())} needed) from {len(set(person))} people, small and large stores")
    print(f"  rules only                 utility {rules_only[0] * 100:5.1f}%   leakage {rules_only[1] * 100:5.1f}%")
    for cut, (served, leaked) in table.items():
        if round(cut * 100) % 5 and cut != threshold:
            continue
        mark = "  <- threshold" if cut == threshold else ""
        print(f"  leave one person out, {cut:.2f}  utility {served * 100:5.1f}%   leakage {leaked * 100:5.1f}%{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
