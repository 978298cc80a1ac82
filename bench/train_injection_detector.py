"""Train the semantic half of the poisoning scan: logistic regression on MiniLM embeddings.

The regular expressions in memory/trust.py catch known forms; this catches paraphrases (on text
written after all tuning it lifted the catch rate from 6/25 to ~20/25). Training data: the
poisoned and benign sets in data/lifecycle/ except the holdout files. Thresholds come from 5-fold
out-of-fold probabilities: p_high is the lowest cut with at most 1 % of benign texts above it.

    python bench/train_injection_detector.py   # writes secondme/memory/injection_model.json
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import numpy as np

from secondme.config import paths
from secondme.memory.embed import Embedder
from secondme.memory.trust import SEMANTIC_MODEL, addresses_someone, scan

DATA = Path(__file__).resolve().parents[1] / "data" / "lifecycle"
POISONED = ["poisoned.txt", "validation_poisoned.txt", "fresh_poisoned.txt"]
BENIGN = ["benign_tricky.txt", "benign_everyday.txt", "benign_codes.txt", "benign_conversation.txt", "validation_benign.txt", "fresh_benign.txt"]
L2 = 0.01
P_LOW = 0.3  # with a soft signal from the patterns (score >= 0.5), this much is enough
MAX_BENIGN_FLAGGED = 0.01


def load(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = 30) -> np.ndarray:
    """Class-balanced, L2-regularised logistic regression by Newton's method (IRLS)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    weights = np.where(y == 1, len(y) / (2 * y.sum()), len(y) / (2 * (len(y) - y.sum())))
    w = np.zeros(xb.shape[1])
    penalty = l2 * np.r_[np.ones(x.shape[1]), 0.0]
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-xb @ w))
        gradient = xb.T @ (weights * (p - y)) + penalty * w
        hessian = (xb * (weights * p * (1 - p))[:, None]).T @ xb + np.diag(penalty)
        w -= np.linalg.solve(hessian, gradient)
    return w


def probability(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(x @ w[:-1] + w[-1])))


def main() -> int:
    poisoned = [text for name in POISONED for text in load(name)]
    benign = [text for name in BENIGN for text in load(name)]
    embedder = Embedder(paths().cache_dir)
    x = embedder.embed(poisoned + benign)
    y = np.r_[np.ones(len(poisoned)), np.zeros(len(benign))]

    out_of_fold = np.zeros(len(y))
    order = np.random.default_rng(0).permutation(len(y))
    for fold in np.array_split(order, 5):
        rest = np.setdiff1d(order, fold)
        out_of_fold[fold] = probability(fit(x[rest], y[rest]), x[fold])
    benign_scores = np.sort(out_of_fold[y == 0])
    p_high = float(max(0.5, benign_scores[int(np.ceil(len(benign_scores) * (1 - MAX_BENIGN_FLAGGED))) - 1] + 1e-6))

    pattern_scores = np.array([scan(text).score for text in poisoned + benign])
    cue = np.array([addresses_someone(text) for text in poisoned + benign])
    flagged = (pattern_scores >= 1) | (cue & (out_of_fold >= p_high)) | ((pattern_scores >= 0.5) & (out_of_fold >= P_LOW))
    w = fit(x, y)
    SEMANTIC_MODEL.write_text(
        json.dumps(
            {
                "about": "logistic regression on MiniLM-L6 sentence embeddings; see bench/train_injection_detector.py",
                "trained": date.today().isoformat(),
                "examples": {"poisoned": len(poisoned), "benign": len(benign)},
                "out_of_fold": {
                    "poisoned_caught": round(float(flagged[y == 1].mean()), 4),
                    "benign_flagged": round(float(flagged[y == 0].mean()), 4),
                },
                "p_high": round(p_high, 4),
                "p_low": P_LOW,
                "weights": [round(float(v), 6) for v in w[:-1]],
                "bias": round(float(w[-1]), 6),
            },
            indent=1,
        )
    )
    print(f"p_high {p_high:.3f}; out of fold: {flagged[y == 1].mean():.1%} caught, {flagged[y == 0].mean():.2%} benign flagged")
    print(f"wrote {SEMANTIC_MODEL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
