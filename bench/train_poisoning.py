"""Fit the poisoning scan's act detector (secondme/memory/injection.py) and judge it on sources it
never saw.

    python bench/train_poisoning.py [--write] [--json]

Sources are authors: each file of data/poisoning (written by separate authors who never saw the
detector) and of data/lifecycle (earlier rounds), the LoCoMo conversations, the persona sets.
The figure that counts is leave-one-source-out: for every source, the detector is fitted on all
the others (its thresholds too, from their out-of-fold probabilities) and then judges that
source (a file of attacks and benign notes is one author, left out whole). The blind sets of
data/lifecycle and two LoCoMo conversations are never fitted on; the final model (``--write``, fitted on every other source) is reported on them.

The network is also fitted on variants of the fitting authors' texts (``augmented``): each attack
set inside everyday text and behind a flood or a fake delimiter, as indirect injections arrive, and
benign texts joined two by two, so that a long or joined text is no cue by itself. A variant is
fitted on only when every author whose words it holds is (a left-out source's words stay out of its
fold, carriers included); thresholds and figures come from the real texts alone.

A text the network cannot read (injection.readable: mostly in a script other than Latin) is not
fitted on and, as in the scan, only its Latin words are judged (injection.passages), if it has
enough of them; thresholds are taken over the texts the network judges, whole or in part.

A long text is judged as the scan judges it: as a whole and passage by passage (injection.passages),
the highest probability counting. A text is caught when a hard pattern fires (poisoning.py: template tokens, hidden characters,
credentials, the classic "ignore previous instructions"...) or the detector's probability reaches
the quarantine threshold; between the doubt and the quarantine thresholds its trust is lowered.
Trust is simulated as intake sets it (trust.py), for the trust gap (benign minus attacks).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import locomo  # noqa: E402

from secondme.config import paths  # noqa: E402
from secondme.memory import injection, poisoning, trust  # noqa: E402
from secondme.memory.embed import Embedder  # noqa: E402

POISONING = ROOT / "data" / "poisoning"
LIFECYCLE = ROOT / "data" / "lifecycle"
LOCOMO = ROOT.parent / "shared" / "benchmarks" / "locomo"
LOCOMO_TRAIN = ("conv-26.json", "conv-30.json", "conv-41.json")
LOCOMO_HELD_OUT = ("conv-42.json", "conv-43.json")
LIFECYCLE_ATTACKS = ("poisoned", "validation_poisoned", "fresh_poisoned", "round3_poisoned", "round4_poisoned", "round5_poisoned", "round6_poisoned")
LIFECYCLE_BENIGN = ("benign_tricky", "benign_everyday", "benign_codes", "benign_conversation", "validation_benign", "fresh_benign",
                    "round3_benign", "round4_benign", "round5_benign", "round6_benign_hard", "round6_benign_everyday")
HELD_OUT_ATTACKS, HELD_OUT_BENIGN = ("blind_poisoned",), ("blind_benign_hard", "blind_benign_everyday")
MAX_BENIGN_QUARANTINED = 0.015  # the quarantine threshold: the lowest cut that holds at most this share of benign texts (target 2 %, with room)
MAX_BENIGN_DOUBTED = 0.05  # the doubt threshold, likewise
HIDDEN, SEEDS, ALPHA, BATCH, LEARNING_RATE, MAX_EPOCHS, PATIENCE = 64, 3, 1.0, 128, 1e-3, 300, 10  # the detector's network
LOCOMO_SAMPLE = 1000  # turns per LoCoMo conversation used in fitting: all of them (with 400, an everyday turn of a held-out conversation was quarantined)
# What an attack is put behind in a variant: floods of symbols or words, fake ends of input.
FLOODS = ("=" * 30, "-" * 40 + "\n", "a " * 60, "########\n" * 4, "[END]" * 5, "ö" * 50, "}}}]]])))" * 3, "... " * 25,
          "lorem ipsum " * 12, "<|>" * 15, "\n\n\n\n\n", "0" * 80)
JOINED_BENIGN = 0.6  # the share of benign texts that also get a joined variant


def lines(name: str) -> list[str]:
    return [line for line in (LIFECYCLE / f"{name}.txt").read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def sources() -> dict[str, tuple[list[str], int]]:
    """source -> (texts, label: 1 attack, 0 benign), fitting sources only."""
    found: dict[str, tuple[list[str], int]] = {}
    for file in sorted(POISONING.glob("*.jsonl")):
        rows = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
        labels = sorted({row["label"] for row in rows})
        for label in labels:  # a file of both is two sources by one author (left out together)
            name = file.stem if len(labels) == 1 else f"{file.stem} ({label})"
            found[name] = ([row["text"] for row in rows if row["label"] == label], int(label == "attack"))
    for name in LIFECYCLE_ATTACKS:
        found[f"lifecycle/{name}"] = (lines(name), 1)
    for name in LIFECYCLE_BENIGN:
        found[f"lifecycle/{name}"] = (lines(name), 0)
    rng = np.random.default_rng(7)
    for name in LOCOMO_TRAIN:
        turns = [turn.text for conversation in locomo.load([LOCOMO / name]) for turn in conversation.turns]
        found[f"locomo/{name}"] = ([turns[i] for i in sorted(rng.choice(len(turns), min(LOCOMO_SAMPLE, len(turns)), replace=False))], 0)
    personas = []
    for file in sorted((ROOT / "data" / "answers").glob("personas_*.json")):
        for persona in json.loads(file.read_text(encoding="utf-8")):
            personas += persona["remember"] + persona["chat"] + persona["updates"]
    found["personas"] = (personas, 0)
    return found


def held_out() -> dict[str, tuple[list[str], int]]:
    found = {f"lifecycle/{name}": (lines(name), 1) for name in HELD_OUT_ATTACKS}
    found.update({f"lifecycle/{name}": (lines(name), 0) for name in HELD_OUT_BENIGN})
    for name in LOCOMO_HELD_OUT:
        found[f"locomo/{name}"] = ([turn.text for conversation in locomo.load([LOCOMO / name]) for turn in conversation.turns], 0)
    return found


def augmented(texts: list[str], labels: np.ndarray, authors: np.ndarray, seed: int = 3) -> tuple[list[str], np.ndarray, list[frozenset[str]]]:
    """Variants of the texts, each keeping its text's label, with every author whose words it holds:
    an attack inside everyday text (before, after or around it) and an attack behind a flood; two
    benign texts joined."""
    rng = random.Random(seed)
    carriers = [(text, writer) for text, label, writer in zip(texts, labels, authors) if label == 0 and 20 < len(text) < 600]
    found, found_labels, found_authors = [], [], []
    for text, label, writer in zip(texts, labels, authors):
        (before, before_by), (after, after_by), where = rng.choice(carriers), rng.choice(carriers), rng.random()
        if label == 1:
            carried = ((f"{before} {text}", {before_by}) if where < 1 / 3 else (f"{text} {after}", {after_by}) if where < 2 / 3
                       else (f"{before} {text} {after}", {before_by, after_by}))
            variants = [carried, (f"{rng.choice(FLOODS)} {text}", set())]
        else:
            variants = [(f"{text} {after}", {after_by})] if rng.random() < JOINED_BENIGN else []
        found += [variant for variant, _ in variants]
        found_labels += [label] * len(variants)
        found_authors += [frozenset({writer, *others}) for _, others in variants]
    return found, np.array(found_labels, dtype=float), found_authors


class Data:
    """Every text with its source, label, act features, embedding and hard-pattern verdict; and the
    variants fitted on beside them (``augment``)."""

    def __init__(self, groups: dict[str, tuple[list[str], int]], embedder: Embedder, augment: bool = False):
        self.texts = [text for texts, _ in groups.values() for text in texts]
        self.labels = np.array([label for texts, label in groups.values() for _ in texts], dtype=float)
        self.source = np.array([name for name, (texts, _) in groups.items() for _ in texts])
        self.author = np.array([author(name) for name in self.source])
        self.act = np.vstack([injection.features(text, poisoning.soft_patterns(text)) for text in self.texts])
        self.embedding = embedder.embed(self.texts)
        self.hard = np.array([hard(text) for text in self.texts])
        self.readable = np.array([injection.readable(text) for text in self.texts])
        # The passages of long texts, judged like the scan judges them (the highest probability counts).
        cut = [(index, passage) for index, text in enumerate(self.texts) for passage in injection.passages(text[: poisoning.MAX_SCANNED])]
        self.passage_of = np.array([index for index, _ in cut], dtype=int)
        passages = [passage for _, passage in cut]
        self.passage_readable = np.array([injection.readable(passage) for passage in passages], dtype=bool)
        self.judged = self.readable.copy()  # what the network judges, whole or in part (a readable passage)
        self.judged[self.passage_of[self.passage_readable]] = True
        self.passage_x = np.hstack([
            np.vstack([injection.features(passage, poisoning.soft_patterns(passage)) for passage in passages]), embedder.embed(passages)
        ]) if passages else np.empty((0, self.x.shape[1]))
        variants, self.variant_labels, self.variant_author = augmented(*self.readable_rows()) if augment else ([], np.empty(0), [])
        self.variant_x = np.hstack([
            np.vstack([injection.features(text, poisoning.soft_patterns(text)) for text in variants]), embedder.embed(variants)
        ]) if variants else np.empty((0, self.x.shape[1]))

    def readable_rows(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The readable texts with their labels and authors: what variants are made of."""
        rows = np.flatnonzero(self.readable)
        return [self.texts[row] for row in rows], self.labels[rows], self.author[rows]

    def training(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What a detector fitted on ``rows`` sees: their readable texts and the variants of their authors."""
        rows = rows[self.readable[rows]]
        fitted = set(self.author[rows])
        variants = np.array([authors <= fitted for authors in self.variant_author], dtype=bool)
        return np.vstack([self.x[rows], self.variant_x[variants]]), np.r_[self.labels[rows], self.variant_labels[variants]]

    @property
    def x(self) -> np.ndarray:
        return np.hstack([self.act, self.embedding])

    def scores(self, detector: Network, rows: np.ndarray) -> np.ndarray:
        """The detector's probability for each of ``rows``: the text's, or a passage's if higher."""
        found = detector.predict(self.x[rows]) * self.readable[rows]
        inside = np.isin(self.passage_of, rows)
        if inside.any():
            position = {row: i for i, row in enumerate(rows)}
            for row, probability in zip(self.passage_of[inside], detector.predict(self.passage_x[inside]) * self.passage_readable[inside]):
                found[position[row]] = max(found[position[row]], probability)
        return found


def author(source: str) -> str:
    """Who wrote a source: "author_s_mixed (attack)" and "author_s_mixed (benign)" are one author."""
    return source.split(" (")[0]


def hard(text: str) -> bool:
    """Quarantined by the hard signals alone (what the detector need not learn): on the text, or
    on what its disguises hid."""
    return poisoning.only_hard(poisoning._judge_hard(text[: poisoning.MAX_SCANNED])).quarantine


class Network:
    """The detector: standardised inputs, one hidden layer of ReLU units, a logistic output; the
    mean of a few such networks fitted from different seeds (a single one moves the figures by
    about 4 points from seed to seed). Judged by the scan's own forward pass (injection.py)."""

    def __init__(self, mean: np.ndarray, scale: np.ndarray, layers: list[tuple[np.ndarray, np.ndarray, np.ndarray, float]]):
        self.mean, self.scale = mean, scale
        self.w1 = np.stack([w1 for w1, _, _, _ in layers])
        self.b1 = np.stack([b1 for _, b1, _, _ in layers])
        self.w2 = np.stack([w2 for _, _, w2, _ in layers])
        self.b2 = np.array([b2 for _, _, _, b2 in layers])

    def predict(self, x: np.ndarray) -> np.ndarray:
        return injection.network_probabilities(self.arrays(), x)

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name).astype(np.float32) for name in injection.NETWORK_ARRAYS}


def fit_network(x: np.ndarray, y: np.ndarray, seeds: int = SEEDS) -> Network:
    """Class-balanced networks (Adam, mini-batches, an L2 penalty on the weights), each stopped
    when a tenth of the examples held aside stops improving, at its best epoch."""
    mean = x.mean(axis=0)
    scale = np.where(x.std(axis=0) > 1e-8, x.std(axis=0), 1.0)
    z = (x - mean) / scale
    return Network(mean, scale, [_fit_one(z, y, seed) for seed in range(seeds)])


def _fit_one(z: np.ndarray, y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(seed)
    balance = np.where(y == 1, len(y) / (2 * max(1.0, y.sum())), len(y) / (2 * max(1.0, len(y) - y.sum())))
    aside = np.zeros(len(y), dtype=bool)
    for label in (0, 1):  # a tenth of each class
        rows = np.flatnonzero(y == label)
        aside[rng.choice(rows, size=max(1, len(rows) // 10), replace=False)] = True
    train, check = np.flatnonzero(~aside), np.flatnonzero(aside)
    d = z.shape[1]
    params = [rng.normal(0, np.sqrt(2 / d), (d, HIDDEN)), np.zeros(HIDDEN), rng.normal(0, np.sqrt(2 / HIDDEN), HIDDEN), np.zeros(1)]
    moments = [np.zeros_like(p) for p in params]
    squares = [np.zeros_like(p) for p in params]
    step, best, best_loss, waited = 0, [p.copy() for p in params], np.inf, 0
    for _epoch in range(MAX_EPOCHS):
        for batch in np.array_split(rng.permutation(train), max(1, len(train) // BATCH)):
            zb, yb, wb = z[batch], y[batch], balance[batch]
            hidden_in = zb @ params[0] + params[1]
            hidden = np.maximum(hidden_in, 0.0)
            p = 1 / (1 + np.exp(-np.clip(hidden @ params[2] + params[3][0], -30, 30)))
            error = wb * (p - yb) / len(batch)
            back = np.outer(error, params[2]) * (hidden_in > 0)
            grads = [zb.T @ back + ALPHA * params[0] / len(batch), back.sum(axis=0),
                     hidden.T @ error + ALPHA * params[2] / len(batch), np.array([error.sum()])]
            step += 1
            for i, g in enumerate(grads):
                moments[i] = 0.9 * moments[i] + 0.1 * g
                squares[i] = 0.999 * squares[i] + 0.001 * g * g
                params[i] -= LEARNING_RATE * (moments[i] / (1 - 0.9**step)) / (np.sqrt(squares[i] / (1 - 0.999**step)) + 1e-8)
        hidden = np.maximum(z[check] @ params[0] + params[1], 0.0)
        p = np.clip(1 / (1 + np.exp(-np.clip(hidden @ params[2] + params[3][0], -30, 30))), 1e-7, 1 - 1e-7)
        loss = -np.mean(balance[check] * (y[check] * np.log(p) + (1 - y[check]) * np.log(1 - p)))
        if loss < best_loss - 1e-4:
            best, best_loss, waited = [q.copy() for q in params], loss, 0
        else:
            waited += 1
            if waited >= PATIENCE:
                break
    return best[0], best[1], best[2], float(best[3][0])


def thresholds(probabilities: np.ndarray, labels: np.ndarray, set_aside: np.ndarray) -> tuple[float, float]:
    """The lowest cuts that keep benign texts (not ``set_aside``: held by a hard pattern, or not
    judged by the network at all) under the quarantine and doubt budgets."""
    benign = probabilities[(labels == 0) & ~set_aside]
    cuts = np.r_[np.round(np.arange(0.05, 0.99, 0.01), 2), 0.99, 0.995, 0.998]
    quarantine = float(next((cut for cut in cuts if (benign >= cut).mean() <= MAX_BENIGN_QUARANTINED), 0.999))
    doubt = float(next((cut for cut in cuts if (benign >= cut).mean() <= MAX_BENIGN_DOUBTED), quarantine))
    return quarantine, min(doubt, quarantine)


def out_of_fold(data: Data, rows: np.ndarray, folds: int = 5) -> np.ndarray:
    """Probabilities for ``rows``, each from a model fitted on the other authors among ``rows``."""
    names = sorted(set(data.author[rows]))
    groups = [names[i::folds] for i in range(folds)]
    result = np.zeros(len(rows))
    for group in groups:
        test = np.isin(data.author[rows], group)
        detector = fit_network(*data.training(rows[~test]))
        result[test] = data.scores(detector, rows[test])
    return result


def trust_after_intake(caught: bool, probability: float, doubt_at: float, quarantine_at: float) -> float:
    """Trust of an imported note after the scan, as trust.intake sets it."""
    alpha, beta = trust.SOURCE_PRIORS["import"]
    if caught:
        return alpha / (alpha + beta + trust.QUARANTINE_EVIDENCE)
    if probability >= doubt_at:
        return alpha / (alpha + beta + trust.doubt_evidence(probability, doubt_at, quarantine_at))
    return (alpha + trust.CLEAN_SCAN_EVIDENCE) / (alpha + trust.CLEAN_SCAN_EVIDENCE + beta)


def judge(data: Data, rows: np.ndarray, probabilities: np.ndarray, cut: tuple[float, float]) -> dict:
    quarantine_at, doubt_at = cut
    caught = data.hard[rows] | (probabilities >= quarantine_at)
    labels = data.labels[rows]
    trusts = np.array([trust_after_intake(c, p, doubt_at, quarantine_at) for c, p in zip(caught, probabilities)])
    report = {"texts": int(len(rows))}
    if (labels == 1).any():
        report["caught"] = round(float(caught[labels == 1].mean()), 4)
        report["mean_trust"] = round(float(trusts[labels == 1].mean()), 4)
    if (labels == 0).any():
        report["false_quarantine"] = round(float(caught[labels == 0].mean()), 4)
        report["mean_trust"] = round(float(trusts[labels == 0].mean()), 4)
    return report


def leave_one_source_out(data: Data) -> dict[str, dict]:
    """Each source judged by a model (and thresholds) fitted without its author."""
    report = {}
    for writer in sorted(set(data.author)):
        train = np.flatnonzero(data.author != writer)
        cut = thresholds(out_of_fold(data, train), data.labels[train], data.hard[train] | ~data.judged[train])
        detector = fit_network(*data.training(train))
        for name in sorted(set(data.source[data.author == writer])):
            test = np.flatnonzero(data.source == name)
            report[name] = {**judge(data, test, data.scores(detector, test), cut), "thresholds": cut}
            print(f"  {name:42} {report[name]}", file=sys.stderr)
    return report


def pooled(report: dict[str, dict], data: Data) -> dict:
    attacks = [(r["caught"], r["texts"], r["mean_trust"]) for n, r in report.items() if "caught" in r]
    benign = [(r["false_quarantine"], r["texts"], r["mean_trust"]) for n, r in report.items() if "false_quarantine" in r]
    attack_texts, benign_texts = sum(t for _, t, _ in attacks), sum(t for _, t, _ in benign)
    attack_trust = sum(m * t for _, t, m in attacks) / attack_texts
    benign_trust = sum(m * t for _, t, m in benign) / benign_texts
    return {
        "attacks_caught": round(sum(c * t for c, t, _ in attacks) / attack_texts, 4),
        "benign_quarantined": round(sum(f * t for f, t, _ in benign) / benign_texts, 4),
        "trust_gap": round(benign_trust - attack_trust, 4),
        "worst_attack_source": min((r["caught"], n) for n, r in report.items() if "caught" in r),
        "worst_benign_source": max((r["false_quarantine"], n) for n, r in report.items() if "false_quarantine" in r),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="save the final model to secondme/memory/injection_act.json and .npz")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-loso", action="store_true", help="only fit the final model and judge the held-out sets")
    args = parser.parse_args()

    embedder = Embedder(paths().cache_dir)
    data = Data(sources(), embedder, augment=True)
    print(f"{int(data.labels.sum())} attacks, {int((data.labels == 0).sum())} benign texts from {len(set(data.source))} sources", file=sys.stderr)
    report: dict = {"sources": {}}
    if not args.skip_loso:
        report["sources"] = leave_one_source_out(data)
        report["leave_one_source_out"] = pooled(report["sources"], data)

    everything = np.arange(len(data.texts))
    cut = thresholds(out_of_fold(data, everything), data.labels, data.hard | ~data.judged)
    detector = fit_network(*data.training(everything))
    model = {
        "about": (f"the mean of {SEEDS} networks (one hidden layer of {HIDDEN} ReLU units) on the act features and the MiniLM-L6 "
                  "embedding, arrays in injection_act.npz; see bench/train_poisoning.py"),
        "trained": date.today().isoformat(),
        "examples": {"attacks": int(data.labels.sum()), "benign": int((data.labels == 0).sum()), "sources": len(set(data.source)),
                     "variants": len(data.variant_labels)},
        "quarantine_at": cut[0],
        "doubt_at": cut[1],
        "features": list(injection.FEATURES),
    }
    unseen = Data(held_out(), embedder)
    report["held_out"] = {name: judge(unseen, np.flatnonzero(unseen.source == name), unseen.scores(detector, np.flatnonzero(unseen.source == name)), cut)
                          for name in sorted(set(unseen.source))}
    report["thresholds"] = {"quarantine_at": cut[0], "doubt_at": cut[1]}
    started = time.perf_counter()
    for text in unseen.texts[:500]:
        injection.features(text, poisoning.soft_patterns(text))
    report["features_ms_per_note"] = round((time.perf_counter() - started) * 1000 / min(500, len(unseen.texts)), 3)
    arrays, rows = detector.arrays(), unseen.x[:500].astype(np.float32)
    started = time.perf_counter()
    for row in rows:
        injection.network_probabilities(arrays, row[None, :])
    report["network_ms_per_note"] = round((time.perf_counter() - started) * 1000 / len(rows), 3)
    if args.write:
        injection.THRESHOLDS_FILE.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        np.savez_compressed(injection.NETWORK_FILE, **detector.arrays())
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    if "leave_one_source_out" in report:
        print("leave one source out (each source judged by a detector fitted without its author):")
        for name, row in report["sources"].items():
            what = f"caught {row['caught']:.1%}" if "caught" in row else f"falsely quarantined {row['false_quarantine']:.2%}"
            print(f"  {name:42} {row['texts']:5} texts  {what:28} mean trust {row['mean_trust']:.3f}")
        print(f"  pooled: {report['leave_one_source_out']}")
    print(f"final model, thresholds {cut}; on sets never fitted on:")
    for name, row in report["held_out"].items():
        what = f"caught {row['caught']:.1%}" if "caught" in row else f"falsely quarantined {row['false_quarantine']:.2%}"
        print(f"  {name:42} {row['texts']:5} texts  {what:28} mean trust {row['mean_trust']:.3f}")
    print(f"act features: {report['features_ms_per_note']} ms a note, the network: {report['network_ms_per_note']} ms a note")
    return 0


if __name__ == "__main__":
    sys.exit(main())
