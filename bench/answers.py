"""Are the answers right? Persona sets through the same path as `secondme remember` and the chat.

    python bench/answers.py [--model PATH] [--set FILE ...] [--only TYPE] [--json] [--verbose] [--reading-only]

For each persona, in a fresh encrypted store: the facts typed (Memories.remember plus the
immediate settle, as `secondme remember` does), the chat messages said in chat turns
(Assistant.turn with the real model, so its replies are stored too), the updates typed later,
then a sleep; then every question through Assistant.turn, as `secondme ask --json` does (each
question is remembered as well, so later questions meet earlier ones). Each answer is judged:

  right              holds an expected value (as words; a value of six letters or more also as the
                     start of a word, for the stems the sets' writers gave: "agronom" in "agronomie")
                     and, for suggestions, none of the forbidden words
  outdated           holds the old value of an updated fact instead of the new one
  invented           states something that is not the expected value
  missed             says it does not know, but memory held the answer
  correctly unknown  says it does not know, and memory could not answer

plus two checks on every answer: citations naming a memory that was not given to the answer
(invented ids), and citations of a memory that is an earlier answer or question.

--reading-only measures the reader alone in about a minute (all eight sets): no model is loaded, a stand-in
takes the model's turns (chat replies are stored as its fixed text), and the preference questions,
which only a model answers, are left out. With the bundled model every other question is answered
by the reader, so these verdicts are the full run's, give or take the chat replies stored.
--only TYPE asks one type of question (with --reading-only, `--only preference` measures the
suggestions read out of memory; those left to the model count as the stand-in's fixed line).

Sets: data/answers/personas_dev.json (five people, tuned on), personas_blind.json (three
people by another author, run only to report), personas_fresh.json (three more, written on
2 December 2026 by a helper that read no code and no other set: a retired bus driver in Glasgow,
a nursing student in Quezon City typing Taglish, a sound engineer in Montréal; held out for one
sitting, tuned on since 3 December), personas_dec3.json (written on 3 December the same way:
a truck dispatcher in Texas dictating by voice, a retired teacher in Jyväskylä, a student in
Nairobi mixing English and Sheng; held out for one sitting, tuned on since 4 December) and
personas_dec4.json (written on 4 December the same way: a fisherman's wife in Chiloé writing
English with Spanish, a teenage gamer in Davao typing Taglish, a retired surveyor in Hobart
writing long formal sentences; only its totals were looked at, but its writer's summary, which
names its people and a few of their facts, was read before the reader was changed for it, so it
is not a clean held-out set: blind is). personas_dec5a.json (written on the evening of 4 December the
same way, to be tuned on from its first run: a Nigerian nurse in Manchester writing Pidgin, a
Korean-American developer in Seattle typing terse abbreviations, a retired dairy farmer in Quebec
writing English in French word order). personas_dec5b.json (written the same evening by another
helper that chose its own three people and reported only counts; held out: only its totals are
looked at, so it is, with blind, the set that says how the reader does on people nobody here read).
personas_dec6.json (written on 4 December at night the same way, after the update statements of
two of dec5b's people were seen by accident: the cleanest held-out set).
personas_dec7.json (written on 5 December by a helper that read only the format and reported
counts; held out).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from secondme import answer as answers  # noqa: E402
from secondme.assistant import Assistant  # noqa: E402
from secondme.config import Paths, paths  # noqa: E402
from secondme.memory import consolidate  # noqa: E402
from secondme.memory.service import Memories  # noqa: E402
from secondme.memory.types import NewMemory  # noqa: E402
from secondme.model.llm import GenerationStats, LocalModel, Sampling  # noqa: E402
from secondme.model.registry import bundled_model  # noqa: E402

DATA = ROOT / "data" / "answers"
SETS = {"dev (tuned on)": DATA / "personas_dev.json", "blind (held out)": DATA / "personas_blind.json",
        "fresh (2 Dec, tuned on since 3 Dec)": DATA / "personas_fresh.json", "dec3 (3 Dec, tuned on since 4 Dec)": DATA / "personas_dec3.json",
        "dec4 (4 Dec, partly seen)": DATA / "personas_dec4.json", "dec5a (4 Dec evening, tuned on)": DATA / "personas_dec5a.json",
        "dec5b (4 Dec evening, held out)": DATA / "personas_dec5b.json", "dec6 (4 Dec night, held out)": DATA / "personas_dec6.json",
        "dec7 (5 Dec, held out)": DATA / "personas_dec7.json", "dec8 (5 Dec evening, tuned on)": DATA / "personas_dec8.json",
        "dec9 (6 Dec, tuned on)": DATA / "personas_dec9.json"}
# The sets nobody here may read: --verbose never prints their questions or answers (nor does
# bench/updates.py print their statements), whatever --set says; only their totals are shown.
HELD_OUT = frozenset(file.name for name, file in SETS.items() if "held out" in name) | {"personas_likes_c.json"}  # see data/answers/README.md
SAMPLING = Sampling(temperature=0.0, top_k=1, top_p=1.0, min_p=0.0, repeat_penalty=1.1, max_tokens=160, seed=7)
VERDICTS = ("right", "outdated", "invented", "missed", "correctly unknown")
QUESTION_TYPES = ("fact", "chat", "updated", "other_person", "preference", "unknown")


class StandIn:
    """Takes the model's turns in --reading-only runs: says one fixed line, costs nothing."""

    name = "stand-in (reading only)"
    info = None
    n_ctx = 2048

    def __init__(self) -> None:
        self.last_stats = GenerationStats()

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def stream(self, messages, sampling=None, cancel=None):
        yield "Sure, here is an idea."

    def close(self) -> None:
        pass


_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
_WEEKDAYS = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s\b")


def normal(text: str) -> str:
    """Lower case, words only: "(Dr. Sousa)" holds "dr sousa", "Eileen's" holds "eileen"; a date
    or day said either way is the same ("August 14th" holds "August 14", "Tuesdays" "Tuesday")."""
    words = re.sub(r"[^\w]+", " ", text.lower().replace("’", "'"))
    return " ".join(_WEEKDAYS.sub(r"\1", _ORDINAL.sub(r"\1", words)).split())


def contains(text: str, value: str) -> bool:
    """``value`` as words of ``text``."""
    return f" {normal(value)} " in f" {normal(text)} "


def holds(text: str, value: str) -> bool:
    """An expected ``value`` in ``text``: as words, or as the start of a word when it is a stem the
    set's writer gave ("agronom" in "agronomie", "kinesiolog" in "kinesiología", "sábado" in
    "sábados"): six letters or more, with at most four more after it ("eight" is not in
    "eighteen", "nurse" not in "nursery", "grandpa" not in "grandparents")."""
    value = normal(value)
    if contains(text, value):
        return True
    return value.isalpha() and len(value) >= 6 and re.search(rf"(?<!\w){re.escape(value)}\w{{1,4}}(?!\w)", normal(text)) is not None


def judge(question: dict, said: str) -> str:
    if answers.says_unknown(said):
        return "correctly unknown" if question["type"] == "unknown" else "missed"
    if question["type"] == "unknown":
        return "invented"
    new = any(holds(said, value) for value in question["expect"])
    old = any(contains(said, value) for value in question.get("outdated", []))
    if old and not new:
        return "outdated"
    if new and not any(contains(said, word) for word in question.get("forbid", [])):
        return "right"
    return "invented"


def store_persona(memories: Memories, persona: dict, model) -> None:
    """Facts typed (with the settle `secondme remember` does) forty days ago, chat messages said in
    chat turns, then the updates typed after them (as the sets' README orders), then a sleep."""
    start = time.time() - 40 * 86400

    def typed(texts: list[str], when: float) -> None:
        for offset, text in enumerate(texts):
            memories.remember([NewMemory(text, kind="note", source="user", created_at=when + offset)])

    typed(persona["remember"], start)
    chat = Assistant(memories, model, sampling=SAMPLING)
    for text in persona["chat"]:
        chat.turn(text)
    typed(persona["updates"], time.time())  # after the chat turns, which are said now
    consolidate.sleep(memories)


def run_persona(persona: dict, model, embedder, verbose: bool) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="answers-") as folder:
        where = Paths(Path(folder), Path(folder), paths().cache_dir)
        with Memories.open(where) as memories:
            memories.embedder = embedder
            store_persona(memories, persona, model)
            for question in persona["questions"]:
                asker = Assistant(memories, model, sampling=SAMPLING)  # one `secondme ask` each
                result = asker.turn(question["q"])
                given = {hit.memory.id for hit in result.used}
                cited = memories.store.get_many(result.citations)
                verdict = judge(question, result.answer)
                rows.append({
                    "person": persona["person"], "type": question["type"], "question": question["q"], "answer": result.answer,
                    "verdict": verdict, "grounded": result.grounded,
                    "invented_ids": [i for i in result.citations if i not in given],
                    "cited_non_statements": [i for i, m in cited.items() if m.speech != "statement"],
                })
                if verbose and verdict not in ("right", "correctly unknown"):
                    print(f"  [{verdict}] {question['type']}: {question['q']!r} -> {result.answer[:100]!r} (want {question['expect'][:2]})", file=sys.stderr)
    return rows


def summarise(rows: list[dict]) -> dict:
    counts = Counter(row["verdict"] for row in rows)
    by_type: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        by_type[row["type"]][row["verdict"]] += 1
    unknown = [row for row in rows if row["type"] == "unknown"]
    return {
        "questions": len(rows),
        "right": round(counts["right"] / max(1, len(rows) - len(unknown)), 4),
        "unknown_said": round(counts["correctly unknown"] / max(1, len(unknown)), 4),
        "outdated": counts["outdated"],
        "invented_ids": sum(len(row["invented_ids"]) for row in rows),
        "cited_non_statements": sum(len(row["cited_non_statements"]) for row in rows),
        "counts": {verdict: counts[verdict] for verdict in VERDICTS},
        "by_type": {kind: {verdict: row[verdict] for verdict in VERDICTS if row[verdict]} for kind, row in sorted(by_type.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a GGUF file (default: the bundled SmolLM2-135M)")
    parser.add_argument("--set", type=Path, action="append", help="persona set(s) to run (default: dev and blind)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print every answer that is not right (not for a held-out set)")
    parser.add_argument("--reading-only", action="store_true", help="no model: measure the reader alone (preference questions left out, unless --only asks for them)")
    parser.add_argument("--only", choices=QUESTION_TYPES, help="ask only the questions of this type")
    args = parser.parse_args()

    from secondme.memory.embed import Embedder

    sets = {file.stem: file for file in args.set} if args.set else SETS
    if args.reading_only:
        model = StandIn()
    else:
        model = LocalModel(args.model or bundled_model(), n_threads=args.threads)
        model.load()
    embedder = Embedder(paths().cache_dir)
    started = time.perf_counter()
    report = {"model": model.name, "sets": {}}
    try:
        for name, file in sets.items():
            personas = json.loads(file.read_text(encoding="utf-8"))
            if args.only or args.reading_only:
                wanted = (lambda q: q["type"] == args.only) if args.only else (lambda q: q["type"] != "preference")
                personas = [{**persona, "questions": [q for q in persona["questions"] if wanted(q)]} for persona in personas]
            verbose = args.verbose and file.name not in HELD_OUT
            rows = [row for persona in personas for row in run_persona(persona, model, embedder, verbose)]
            report["sets"][name] = summarise(rows)
    finally:
        model.close()
    report["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"answers about the user, {model.name} ({report['seconds']:.0f} s)")
    for name, summary in report["sets"].items():
        counts = summary["counts"]
        print(f"  {name}: {summary['questions']} questions: right {summary['right'] * 100:.1f}% of answerable, "
              f"'I don't know' {summary['unknown_said'] * 100:.1f}% of unanswerable; "
              f"outdated {counts['outdated']}, invented {counts['invented']}, missed {counts['missed']}; "
              f"invented ids {summary['invented_ids']}, cited questions/answers {summary['cited_non_statements']}")
        for kind, row in summary["by_type"].items():
            print(f"      {kind:13} " + ", ".join(f"{verdict} {count}" for verdict, count in row.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
