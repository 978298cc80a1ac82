"""Train the semantic half of the poisoning scan: logistic regression on MiniLM embeddings.

The regular expressions in memory/poisoning.py catch known forms; this catches paraphrases. It
judges a text as a whole and, for longer texts, each sentence (poisoning.sentences), so an order
buried in an email counts on its own. Training data: the
poisoned and benign sets in data/lifecycle/ (never the blind_* files) and, as everyday
conversation, the turns of the first three LoCoMo conversations (bench/lifecycle.py measures false
quarantines on the others); the sentences of benign texts are negatives too.

The scan counts the detector as half a signal, beside at least one soft pattern signal (alone it
judges topic more than intent). Its threshold comes from 5-fold out-of-fold probabilities (by
text, the maximum over its pieces): the lowest cut at which it tips at most 0.2 % of the benign
texts into quarantine.

    python bench/train_injection_detector.py   # writes secondme/memory/injection_model.json
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import locomo
import numpy as np
from locomo_recall import DEFAULT_DATA

from secondme.config import paths
from secondme.memory.embed import Embedder
from secondme.memory.poisoning import SEMANTIC_MODEL, scan, sentences

DATA = Path(__file__).resolve().parents[1] / "data" / "lifecycle"
POISONED = [
    "poisoned.txt", "validation_poisoned.txt", "fresh_poisoned.txt",
    "round3_poisoned.txt", "round4_poisoned.txt", "round5_poisoned.txt", "round6_poisoned.txt",
]
BENIGN = [
    "benign_tricky.txt", "benign_everyday.txt", "benign_codes.txt", "benign_conversation.txt", "validation_benign.txt",
    "fresh_benign.txt", "round3_benign.txt", "round4_benign.txt", "round5_benign.txt",
    "round6_benign_hard.txt", "round6_benign_everyday.txt",
]
L2 = 0.01
PIECE_WEIGHT = 0.5  # a benign text's sentences together count about as much as the text
MAX_BENIGN_FLAGGED = 0.002
CUTS = np.round(np.arange(0.1, 0.96, 0.05), 2)
LOCOMO_FOR_TRAINING = 3  # conversations; the rest stay unseen


def load(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def fit(x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, l2: float = L2, iterations: int = 30) -> np.ndarray:
    """Class-balanced, L2-regularised, weighted logistic regression by Newton's method (IRLS)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    positive, negative = sample_weight[y == 1].sum(), sample_weight[y == 0].sum()
    weights = sample_weight * np.where(y == 1, (positive + negative) / (2 * positive), (positive + negative) / (2 * negative))
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


class Rows:
    """Training rows: every text, plus the pieces of benign texts; ``owner`` maps a row to its text."""

    def __init__(self, embedder: Embedder, poisoned: list[str], benign: list[str]):
        self.texts = poisoned + benign
        self.labels = np.r_[np.ones(len(poisoned)), np.zeros(len(benign))]
        pieces = [sentences(text) for text in self.texts]
        flat = [piece for text_pieces in pieces for piece in text_pieces]
        self.piece_owner = np.array([i for i, text_pieces in enumerate(pieces) for _ in text_pieces], dtype=int)
        self.text_vectors = embedder.embed(self.texts)
        self.piece_vectors = embedder.embed(flat) if flat else np.empty((0, self.text_vectors.shape[1]), np.float32)

    def training_set(self, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        chosen = np.zeros(len(self.texts), dtype=bool)
        chosen[texts] = True
        benign_pieces = chosen[self.piece_owner] & (self.labels[self.piece_owner] == 0)
        x = np.vstack([self.text_vectors[chosen], self.piece_vectors[benign_pieces]])
        y = np.r_[self.labels[chosen], np.zeros(benign_pieces.sum())]
        piece_weights = PIECE_WEIGHT / np.bincount(self.piece_owner)[self.piece_owner[benign_pieces]]
        return x, y, np.r_[np.ones(chosen.sum()), piece_weights]

    def max_probability(self, w: np.ndarray, texts: np.ndarray) -> np.ndarray:
        """Per text: the highest probability over the text and its pieces, as the scan judges it."""
        best = probability(w, self.text_vectors[texts])
        position = {text: i for i, text in enumerate(texts)}
        for row in np.flatnonzero(np.isin(self.piece_owner, texts)):
            i = position[self.piece_owner[row]]
            best[i] = max(best[i], probability(w, self.piece_vectors[row][None, :])[0])
        return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locomo", nargs="*", type=Path, default=DEFAULT_DATA[:LOCOMO_FOR_TRAINING], help="LoCoMo files whose turns are benign examples")
    args = parser.parse_args()
    poisoned = [text for name in POISONED for text in load(name)]
    conversation = [turn.text for c in locomo.load(args.locomo) for turn in c.turns]
    benign = [text for name in BENIGN for text in load(name)] + conversation
    rows = Rows(Embedder(paths().cache_dir), poisoned, benign)
    y = rows.labels

    out_of_fold = np.zeros(len(y))
    order = np.random.default_rng(0).permutation(len(y))
    for fold in np.array_split(order, 5):
        rest = np.setdiff1d(order, fold)
        out_of_fold[fold] = rows.max_probability(fit(*rows.training_set(rest)), fold)
    pattern_scores = np.array([scan(text).score for text in rows.texts])
    judged = (pattern_scores >= 0.5) & (pattern_scores < 1)

    threshold = float(next(cut for cut in CUTS if (judged & (out_of_fold >= cut))[y == 0].mean() <= MAX_BENIGN_FLAGGED))
    patterns_only = pattern_scores >= 1
    flagged = patterns_only | (judged & (out_of_fold >= threshold))
    w = fit(*rows.training_set(np.arange(len(y))))
    SEMANTIC_MODEL.write_text(
        json.dumps(
            {
                "about": "logistic regression on MiniLM-L6 sentence embeddings; see bench/train_injection_detector.py",
                "trained": date.today().isoformat(),
                "examples": {"poisoned": len(poisoned), "benign": len(benign), "benign_pieces": int((y[rows.piece_owner] == 0).sum())},
                "benign_locomo": sorted(path.name for path in args.locomo),
                "out_of_fold": {
                    "poisoned_caught": round(float(flagged[y == 1].mean()), 4),
                    "benign_flagged": round(float(flagged[y == 0].mean()), 4),
                    "patterns_alone_caught": round(float(patterns_only[y == 1].mean()), 4),
                },
                "threshold": threshold,
                "weights": [round(float(v), 6) for v in w[:-1]],
                "bias": round(float(w[-1]), 6),
            },
            indent=1,
        )
    )
    print(f"{len(poisoned)} poisoned, {len(benign)} benign texts ({len(conversation)} LoCoMo turns); threshold {threshold}")
    print(f"patterns alone catch {patterns_only[y == 1].mean():.1%} (built on these texts)")
    print(f"out of fold, patterns + detector: {flagged[y == 1].mean():.1%} caught, {flagged[y == 0].mean():.2%} benign flagged")
    print(f"wrote {SEMANTIC_MODEL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
