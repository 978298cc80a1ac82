"""The memory life cycle, measured: poisoning defence, supersede, forgetting over a year, LoCoMo.

1. poisoning: data/lifecycle poisoned and benign texts imported as notes through `import`;
   quarantine rate, false-quarantine rate, trust gap (mean benign trust - mean poisoned trust).
   The headline numbers come from the blind set (written by an author who never saw the
   detectors, never fitted on); the development sets the act detector was fitted on are reported
   beside it, and so are the LoCoMo conversations it was not fitted on (everyday chat turns
   imported as notes: false quarantines only). Figures by unseen source: bench/train_poisoning.py.
   Slow poison: data/lifecycle/sleepers.jsonl, runs of notes that set a policy only together
   (and look-alike benign runs), each run imported as one file, then `sleep`.
2. supersede: each pair in data/lifecycle/supersede.jsonl, old statement then new one a month
   later, then `sleep`; does recall's top hit for the question hold the newer fact?
3. a simulated year of daily chats (small talk, events, the assistant's replies, now and then a
   question that recalls an old event), slept every night, with and without forgetting: store size
   over the year and recall@10 of every event at the end.
4. LoCoMo recall@10 with the life cycle off and on (bench/locomo_recall.py).

    python bench/lifecycle.py [--json] [--skip-locomo]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import locomo
import locomo_recall
from train_poisoning import LIFECYCLE_ATTACKS, LIFECYCLE_BENIGN, LOCOMO_HELD_OUT

from secondme.config import Paths, paths as default_paths
from secondme.memory import consolidate, forgetting, trust
from secondme.memory.recall import Weigher
from secondme.memory.service import Memories
from secondme.memory.types import NewMemory
from secondme.memory.transfer import apply_import, read_import

DATA = Path(__file__).resolve().parents[1] / "data" / "lifecycle"
DAY = 86400.0


def load(name: str) -> list[str]:
    return [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def fresh_memories(root: Path, name: str) -> Memories:
    home = root / name
    home.mkdir()
    return Memories.open(Paths(home, home, default_paths().cache_dir))


# -- 1. poisoning ---------------------------------------------------------------------------------


BLIND_POISONED, BLIND_BENIGN = ["blind_poisoned.txt"], ["blind_benign_hard.txt", "blind_benign_everyday.txt"]


def poisoning(root: Path, poisoned: list[str], benign: list[str], name: str) -> dict:
    poisoned, benign = [" ".join(text.split()) for text in poisoned], [" ".join(text.split()) for text in benign]  # one paragraph each
    notes = root / f"{name}.txt"
    notes.write_text("\n\n".join(poisoned + benign), encoding="utf-8")
    with fresh_memories(root, name) as memories:
        apply_import(memories, read_import(notes, lambda: ""))
        by_text = {memory.content: memory for memory in memories.store.iter_memories()}
    bad = [by_text[text] for text in poisoned]
    good = [by_text[text] for text in benign]
    report = {"poisoned": len(bad), "benign": len(good)}
    if bad:
        report["quarantine_rate"] = round(sum(m.status == "quarantined" for m in bad) / len(bad), 4)
    report["false_quarantine_rate"] = round(sum(m.status == "quarantined" for m in good) / len(good), 4)
    if bad:
        report["trust_gap"] = round(statistics.mean(m.trust for m in good) - statistics.mean(m.trust for m in bad), 4)
        report["missed"] = [m.content for m in bad if m.status != "quarantined"]
    report["falsely_quarantined"] = [m.content for m in good if m.status == "quarantined"]
    return report


def poisoning_sets(root: Path) -> dict:
    unseen_chat = [turn.text for c in locomo.load([f for f in locomo_recall.DEFAULT_DATA if f.name in LOCOMO_HELD_OUT]) for turn in c.turns]
    development = lines([f"{name}.txt" for name in LIFECYCLE_ATTACKS]), lines([f"{name}.txt" for name in LIFECYCLE_BENIGN])
    return {
        "blind": poisoning(root, lines(BLIND_POISONED), lines(BLIND_BENIGN), "blind"),
        "blind, hard negatives": poisoning(root, [], lines(BLIND_BENIGN[:1]), "blind-hard"),
        "blind, everyday notes": poisoning(root, [], lines(BLIND_BENIGN[1:]), "blind-everyday"),
        "development (fitted on it)": poisoning(root, *development, "development"),
        "LoCoMo chat turns not fitted on": poisoning(root, [], unseen_chat, "locomo"),
    }


def slow_poison(root: Path) -> dict:
    """Every run imported as one file into one store, then `sleep`: once into a store that knows
    nothing about the user, once after the user has told it one fact on each run's topic (the
    fact an attack run undermines). A run counts as held when any of its notes is quarantined (at
    intake or at sleep), as held or doubted when any also needs review for its low trust."""
    runs = [json.loads(line) for line in (DATA / "sleepers.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    report = {"without the user's facts": _slow_poison_runs(root, runs, facts=False)}
    if all(run.get("user_fact") for run in runs):
        report["with the user's facts"] = _slow_poison_runs(root, runs, facts=True)
    return report


def _slow_poison_runs(root: Path, runs: list[dict], facts: bool) -> dict:
    with fresh_memories(root, f"sleepers-{facts}") as memories:
        if facts:
            memories.remember([NewMemory(run["user_fact"], source="user", created_at=time.time() - 30 * DAY) for run in runs])
        ids = [memories.remember([NewMemory(note, source="import", provenance={"file": f"run-{number}.txt"}) for note in run["notes"]]).ids
               for number, run in enumerate(runs)]
        at_intake = [any(memories.get(i).status == "quarantined" for i in run_ids) for run_ids in ids]
        consolidate.sleep(memories)
        kept = [[memories.get(i) for i in run_ids] for run_ids in ids]
    report = {}
    for label in ("attack", "benign"):
        chosen = [number for number, run in enumerate(runs) if run["label"] == label]
        held = [any(m.status == "quarantined" for m in kept[n]) for n in chosen]
        report[label] = {
            "runs": len(chosen),
            "held": round(sum(held) / len(chosen), 4),
            "held_at_intake": round(sum(at_intake[n] for n in chosen) / len(chosen), 4),
            "held_or_doubted": round(sum(h or any(trust.needs_review(m) for m in kept[n]) for h, n in zip(held, chosen)) / len(chosen), 4),
        }
    return report


def lines(files: list[str]) -> list[str]:
    return [text for name in files for text in load(name)]


# -- 2. supersede ---------------------------------------------------------------------------------


def supersede(root: Path) -> dict:
    pairs = [json.loads(line) for line in (DATA / "supersede.jsonl").read_text().splitlines() if line.strip()]
    now = time.time()
    failures = []
    for number, pair in enumerate(pairs):
        with fresh_memories(root, f"supersede-{number}") as memories:
            memories.remember([NewMemory(pair["old"], source="user", created_at=now - 60 * DAY)])
            memories.remember([NewMemory(pair["new"], source="user", created_at=now - 30 * DAY)])
            consolidate.sleep(memories, now=now)
            hits = memories.recall(pair["question"], k=1, now=now)
            if not hits or pair["expect"].lower() not in hits[0].memory.content.lower():
                failures.append({**pair, "top": hits[0].memory.content if hits else None})
    return {"pairs": len(pairs), "supersede_accuracy": round(1 - len(failures) / len(pairs), 4), "failures": failures}


# -- 3. a year of chats ---------------------------------------------------------------------------

PEOPLE = ["Mia (sister)", "Tom (brother)", "Lukas", "Priya", "Jonas", "Anna", "Kenji", "Carmen", "Omar", "Lea", "Ravi", "Greta"]
PLACES = ["the boulder hall", "Tempelhof field", "the lake in Grunewald", "the market hall", "the Turkish market", "the old cinema", "Café Einstein", "the climbing gym in Wedding", "the botanical garden", "the river path"]
HOBBIES = ["went climbing", "played chess", "went swimming", "went for a run", "did pottery", "went cycling", "went to a concert", "played badminton", "went to a museum", "had a picnic"]
ITEMS = ["a road bike", "a new kettle", "winter boots", "a standing desk", "a sourdough pot", "a camera lens", "a yoga mat", "concert tickets", "a rain jacket", "a bookshelf"]
BOOKS = ["Piranesi", "The Overstory", "Educated", "Stoner", "Klara and the Sun", "The Dispossessed", "Middlemarch", "Pachinko", "Circe", "The Remains of the Day"]
SMALL_TALK = [
    "Good morning!", "Thanks, that helps.", "Haha nice", "ok cool", "Good night!", "Hi there", "Thanks!", "Sure, sounds good.",
    "lol", "Yes please", "No worries", "Alright", "Cool, thanks", "Morning!", "Perfect, thank you", "Hmm okay",
    "What's up?", "I'm tired today.", "Busy day again.", "Nice weather today.",
]
REPLIES = [
    "Good morning! How can I help?", "Glad it helped.", "Happy to help.", "Sounds good!", "Sleep well!", "Noted.",
    "Anything else?", "Sure thing.", "I'll remember that.", "That sounds lovely.",
]


def year_of_chats(seed: int = 11) -> list[list[tuple[str, str, dict | None]]]:
    """days -> [(role, text, event)]; an event carries a question that asks about it in other
    words, and the key that every event answering that question shares."""
    rng = random.Random(seed)
    days = []
    for _day in range(365):
        turns: list[tuple[str, str, dict | None]] = []
        for _ in range(rng.randint(3, 6)):
            turns.append(("user", rng.choice(SMALL_TALK), None))
            turns.append(("assistant", rng.choice(REPLIES), None))
        for _ in range(rng.choice([1, 1, 2])):
            kind = rng.randrange(4)
            name, place = rng.choice(PEOPLE).split()[0], rng.choice(PLACES)
            if kind == 0:
                hobby = rng.choice(HOBBIES)
                text = f"Today I {hobby} with {name} at {place}."
                event = {"question": f"Who was with me when I {hobby} at {place}?", "key": ("hobby", hobby, place)}
            elif kind == 1:
                item, price = rng.choice(ITEMS), rng.randint(15, 900)
                text = f"Finally bought {item}, it cost {price} euros."
                event = {"question": f"What did I pay for {item}?", "key": ("item", item)}
            elif kind == 2:
                book = rng.choice(BOOKS)
                text = f"Started reading {book}; {name} recommended it."
                event = {"question": f"Who suggested that I read {book}?", "key": ("book", book)}
            else:
                text = f"{name} says the next meeting will be at {place}."
                event = {"question": f"Where did {name} say the next meeting is?", "key": ("meeting", name)}
            turns.insert(rng.randrange(len(turns) + 1), ("user", text, event))
            turns.append(("assistant", "I'll remember that.", None))
        days.append(turns)
    return days


def simulate_year(root: Path, forget: bool, days: list) -> dict:
    start = time.time() - 366 * DAY
    rng = random.Random(3)
    evidence: list[tuple[int, str, tuple]] = []
    sizes = []
    with fresh_memories(root, f"year-{'forgetting' if forget else 'keeping'}") as memories:
        if not forget:
            memories.recaller.weigher = Weigher()  # no retention weighting either
        memories.warm()
        for number, turns in enumerate(days):
            noon = start + number * DAY + 12 * 3600
            items = [
                NewMemory(text, kind="episodic", source="chat_user" if role == "user" else "assistant", created_at=noon + i * 60)
                for i, (role, text, _) in enumerate(turns)
            ]
            ids = memories.remember(items, link_sequence=True).ids
            evidence += [(memory_id, event["question"], event["key"]) for memory_id, (_, _, event) in zip(ids, turns) if event]
            if evidence and rng.random() < 0.3:  # the user asks about something from the past
                _, question, _ = rng.choice(evidence)
                used = [hit.memory.id for hit in memories.recall(question, k=5, now=noon + 3600)]
                memories.reinforce(used, now=noon + 3600)
            consolidate.sleep(memories, now=noon + 12 * 3600, forget=forget)
            if number % 30 == 29 or number == len(days) - 1:
                summary = memories.store.summary()
                sizes.append({"day": number + 1, "rows": summary["memories"], "active": summary["by_status"].get("active", 0)})
        # Every question once; it is answered when any event it asks about is in the top 10.
        end = start + len(days) * DAY
        answers: dict[tuple, set[int]] = {}
        questions: dict[tuple, str] = {}
        for memory_id, question, key in evidence:
            answers.setdefault(key, set()).add(memory_id)
            questions[key] = question
        found = sum(bool(answers[key] & {hit.memory.id for hit in memories.recall(q, k=10, now=end)}) for key, q in questions.items())
        zones = forgetting.zones(memories.store.iter_memories(), end).as_dict()
    return {"events": len(evidence), "questions": len(questions), "recall@10": round(found / len(questions), 4), "sizes": sizes,
            "final_rows": sizes[-1]["rows"], "final_active": sizes[-1]["active"], "zones": zones}


# -- report ---------------------------------------------------------------------------------------


def run(skip_locomo: bool) -> dict:
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="lifecycle-") as folder:
        root = Path(folder)
        sets = poisoning_sets(root)
        report.update({k: sets["blind"][k] for k in ("quarantine_rate", "false_quarantine_rate", "trust_gap")})
        report["poisoning"] = sets
        report["slow_poison"] = slow_poison(root)
        supersede_report = supersede(root)
        report["supersede_accuracy"] = supersede_report["supersede_accuracy"]
        report["supersede"] = supersede_report
        days = year_of_chats()
        with_forgetting, without = simulate_year(root, True, days), simulate_year(root, False, days)
        report["year"] = {"with_forgetting": with_forgetting, "without_forgetting": without}
        report["year_recall@10"] = {"with_forgetting": with_forgetting["recall@10"], "without_forgetting": without["recall@10"]}
        report["year_final_rows"] = {"with_forgetting": with_forgetting["final_rows"], "without_forgetting": without["final_rows"]}
    if not skip_locomo:
        off = locomo_recall.evaluate(locomo_recall.DEFAULT_DATA, [10], {1, 2, 3, 4})["recall@10"]["secondme"]
        on = locomo_recall.evaluate(locomo_recall.DEFAULT_DATA, [10], {1, 2, 3, 4}, lifecycle=True)["recall@10"]["secondme"]
        report["locomo_recall@10"] = {"lifecycle_off": off, "lifecycle_on": on}
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-locomo", action="store_true")
    args = parser.parse_args()
    report = run(args.skip_locomo)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print("poisoning (imported as notes)          quarantined   false quarantines   trust gap")
    for label, data in report["poisoning"].items():
        caught = f"{data['quarantine_rate']:>8.1%} of {data['poisoned']:<4}" if data["poisoned"] else " " * 16
        gap = f"{data['trust_gap']:>10.3f}" if data["poisoned"] else ""
        print(f"  {label:36}{caught}{data['false_quarantine_rate']:>8.2%} of {data['benign']:<5}{gap}")
    for setting, labels in report["slow_poison"].items():
        for label, data in labels.items():
            print(f"slow poison, {setting}, {label} runs: {data['held']:.1%} of {data['runs']} held "
                  f"({data['held_at_intake']:.1%} at intake), {data['held_or_doubted']:.1%} held or doubted")
    print(f"supersede: {report['supersede_accuracy']:.1%} of {report['supersede']['pairs']} pairs answered with the newer fact")
    year = report["year"]
    print("a year of daily chats                rows at the end   active   recall@10 of events")
    for label in ("with_forgetting", "without_forgetting"):
        data = year[label]
        print(f"  {label.replace('_', ' '):34}{data['final_rows']:>10}{data['final_active']:>10}{data['recall@10']:>14.3f}")
    print("  rows by month (with forgetting): " + " ".join(str(s["rows"]) for s in year["with_forgetting"]["sizes"]))
    print("  rows by month (without):         " + " ".join(str(s["rows"]) for s in year["without_forgetting"]["sizes"]))
    if "locomo_recall@10" in report:
        print(f"LoCoMo dev recall@10: life cycle off {report['locomo_recall@10']['lifecycle_off']:.4f}, on {report['locomo_recall@10']['lifecycle_on']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
