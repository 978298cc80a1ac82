"""Updates in the user's own words: is the old fact superseded, and only when it should be?

    python bench/updates.py [--json] [--verbose] [--chat]

Each pair goes into a fresh encrypted store the way `secondme remember` puts it there: the first
statement, then the second, which is settled at once (consolidate.absorb). An update counts when
the first memory ends superseded by the second; a look-alike (two cars, two friends, a plan, a
question) counts as wrong when the first one is superseded.

Sets: data/answers/updates.json (pairs written for this: tuned on), updates_fresh.json (written by
the same hand after the rules of the third sitting, run once to report, not tuned on) and the updates of the persona
sets (data/answers/personas_*.json, other authors; each update is paired with the persona's
statements it changes, found by the expected old value). The persona sets are reported in two
groups: those tuned on (their misses were read from the sixteenth sitting on) and those the
answers bench holds out (answers.HELD_OUT), of which only totals are printed, --verbose or not.

Pairs alone cannot show an update closing a statement about something else, so each persona is
also stored whole, in one store, as a user would build it: the typed facts, the chat messages (as
the chat stores them) and then the updates, each settled as it arrives, then a sleep. There an update must close
the statements holding the old values its questions name (supersede them, or mark the changed part
stale when they say more), and nothing else may be closed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from secondme.config import Paths, paths  # noqa: E402
from secondme.memory import consolidate  # noqa: E402
from secondme.memory.service import Memories  # noqa: E402
from secondme.memory.types import NewMemory  # noqa: E402

from answers import HELD_OUT  # noqa: E402  (bench/answers.py: the persona sets nobody here may read)

DATA = ROOT / "data" / "answers"


def settle(first: str, second: str, embedder, source: str = "user") -> tuple[bool, str]:
    """(was the first superseded by the second, or the part it changed marked stale; the reason noted)."""
    with tempfile.TemporaryDirectory(prefix="updates-") as folder:
        where = Paths(Path(folder), Path(folder), paths().cache_dir)
        with Memories.open(where) as memories:
            memories.embedder = embedder
            now = time.time()
            kind = "episodic" if source == "chat_user" else "note"
            old = memories.remember([NewMemory(first, kind="note", source="user", created_at=now - 86400)]).ids[0]
            new = memories.remember([NewMemory(second, kind=kind, source=source, created_at=now, event_time=now if kind == "episodic" else None)], settle=False).ids[0]
            report = consolidate.absorb(memories, [new], duplicates=False)
            memory = memories.get(old)
            return memory.status == "superseded" or bool(memory.provenance.get("stale")), "; ".join(report.notes)


def persona_store(persona: dict, embedder) -> dict:
    """One persona stored whole: which statements were closed, and which should have been."""
    with tempfile.TemporaryDirectory(prefix="updates-") as folder:
        where = Paths(Path(folder), Path(folder), paths().cache_dir)
        with Memories.open(where) as memories:
            memories.embedder = embedder
            start = time.time() - 40 * 86400
            said = [(text, "note", "user") for text in persona["remember"]] + [(text, "episodic", "chat_user") for text in persona["chat"]]
            said += [(text, "note", "user") for text in persona["updates"]]
            for offset, (text, kind, source) in enumerate(said):
                when = start + offset * 3600
                item = NewMemory(text, kind=kind, source=source, created_at=when, event_time=when if kind == "episodic" else None)
                memories.remember([item])
            consolidate.sleep(memories)  # as a user's store would be: a sleep must close nothing more
            closed_by = {m.content: memories.get(m.superseded_by or m.provenance.get("updated_by")).content
                         for m in memories.store.iter_memories() if m.status == "superseded" or m.provenance.get("stale")}
            closed = set(closed_by)
    outdated = [value.lower() for q in persona["questions"] if q["type"] == "updated" for value in q["outdated"]]
    earlier = persona["remember"] + persona["chat"]
    expected = {text for text in earlier if any(value in text.lower() for value in outdated)}
    return {"expected": len(expected), "closed": len(expected & closed), "missed": sorted(expected - closed),
            "wrong": sorted(f"{text!r} by {closed_by[text]!r}" for text in closed - expected),
            "statements": len(earlier)}


def persona_pairs(file: Path) -> list[dict]:
    """Each persona update with the earlier statements holding the value it replaces."""
    pairs = []
    for persona in json.loads(file.read_text(encoding="utf-8")):
        earlier = persona["remember"] + persona["chat"]
        for question in persona["questions"]:
            if question["type"] != "updated":
                continue
            new = next((text for text in persona["updates"] if any(value.lower() in text.lower() for value in question["expect"])), None)
            old = next((text for text in earlier if any(value.lower() in text.lower() for value in question["outdated"])), None)
            if new and old:
                pairs.append({"before": old, "after": new, "question": question["q"]})
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--chat", action="store_true", help="say the second statement in a chat turn instead of typing it")
    args = parser.parse_args()

    from secondme.memory.embed import Embedder

    embedder = Embedder(paths().cache_dir)
    source = "chat_user" if args.chat else "user"
    written = json.loads((DATA / "updates.json").read_text(encoding="utf-8"))
    fresh = json.loads((DATA / "updates_fresh.json").read_text(encoding="utf-8"))
    personas = sorted(DATA.glob("personas_*.json"))
    tuned, held_out = [f for f in personas if f.name not in HELD_OUT], [f for f in personas if f.name in HELD_OUT]
    sets = {
        "updates (tuned on)": [(p["before"], p["after"], True, "") for p in written["updates"]],
        "look-alikes (tuned on)": [(p["first"], p["second"], False, "") for p in written["non_updates"]],
        "updates, written later": [(p["before"], p["after"], True, "") for p in fresh["updates"]],
        "look-alikes, written later": [(p["first"], p["second"], False, "") for p in fresh["non_updates"]],
        "persona updates (sets tuned on)": [(p["before"], p["after"], True, f.name) for f in tuned for p in persona_pairs(f)],
        "persona updates (held-out sets)": [(p["before"], p["after"], True, f.name) for f in held_out for p in persona_pairs(f)],
    }
    report = {}
    for name, pairs in sets.items():
        hits = 0
        for first, second, should, file in pairs:
            superseded, notes = settle(first, second, embedder, source)
            hits += superseded
            if args.verbose and superseded != should and file not in HELD_OUT:
                print(f"  {'MISSED' if should else 'WRONG'}: {first!r} -> {second!r} {notes}", file=sys.stderr)
        report[name] = {"pairs": len(pairs), "superseded": hits, "rate": round(hits / max(1, len(pairs)), 4)}
    for group, files in (("sets tuned on", tuned), ("held-out sets", held_out)):
        stores = [persona_store(persona, embedder) for f in files for persona in json.loads(f.read_text(encoding="utf-8"))]
        report[f"persona stores ({group})"] = {
            "personas": len(stores), "statements": sum(s["statements"] for s in stores),
            "expected": sum(s["expected"] for s in stores), "closed": sum(s["closed"] for s in stores),
            "wrongly_closed": sum(len(s["wrong"]) for s in stores),
        }
        if args.verbose and files is tuned:
            for store in stores:
                for text in store["wrong"]:
                    print(f"  WRONGLY CLOSED: {text}", file=sys.stderr)
                for text in store["missed"]:
                    print(f"  NOT CLOSED: {text!r}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"supersede on the user's own words ({'said in chat' if args.chat else 'typed with remember'}):")
    stores = {name: report.pop(name) for name in list(report) if name.startswith("persona stores")}
    for name, row in report.items():
        print(f"  {name:33} {row['superseded']:4} of {row['pairs']:4} superseded ({row['rate'] * 100:.1f}%)")
    for name, row in stores.items():
        print(f"  {name}: {row['personas']} people, {row['statements']} statements before the updates: "
              f"{row['closed']} of {row['expected']} old values closed, {row['wrongly_closed']} other statements wrongly closed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
