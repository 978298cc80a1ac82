"""Reading LoCoMo conversations (snap-research/locomo) and loading them into a fresh store.

Accepted layouts: one conversation per file as in shared/benchmarks/locomo (speaker_a,
session_N, session_N_date_time, qa at the top level), the same nested under "conversation"
with "qa" beside it (locomo10.json's entries), or a JSON list of either.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from secondme.memory.service import Memories
from secondme.memory.types import NewMemory


@dataclass
class Turn:
    dia_id: str
    session: int
    speaker: str
    text: str
    when: float | None

    @property
    def content(self) -> str:
        return f"{self.speaker}: {self.text}"


@dataclass
class Question:
    text: str
    category: int
    evidence: list[str]


@dataclass
class Conversation:
    name: str
    turns: list[Turn]
    questions: list[Question]


def load(files: list[Path]) -> list[Conversation]:
    conversations = []
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        entries = data if isinstance(data, list) else [data]
        for index, entry in enumerate(entries):
            name = entry.get("sample_id") or (file.stem if len(entries) == 1 else f"{file.stem}#{index}")
            conversations.append(_conversation(name, entry.get("conversation", entry), entry.get("qa", [])))
    return conversations


def _conversation(name: str, body: dict, qa: list[dict]) -> Conversation:
    turns = []
    sessions = sorted(int(m.group(1)) for key in body if (m := re.fullmatch(r"session_(\d+)", key)))
    for number in sessions:
        when = parse_session_time(body.get(f"session_{number}_date_time", ""))
        for turn in body[f"session_{number}"]:
            text = turn.get("text", "")
            if turn.get("blip_caption"):
                text += f" [shares a photo: {turn['blip_caption']}]"
            turns.append(Turn(turn["dia_id"], number, turn["speaker"], text, when))
    questions = [
        Question(str(q["question"]), int(q.get("category", 0)), evidence_ids(q.get("evidence", [])))
        for q in qa
    ]
    return Conversation(name, turns, questions)


def evidence_ids(evidence: list[str]) -> list[str]:
    """Evidence entries are usually 'D3:5'; a few hold several ids or stray spaces."""
    ids = []
    for entry in evidence:
        ids.extend(re.findall(r"D\d+:\d+", str(entry).replace(" ", "")))
    return ids


def parse_session_time(text: str) -> float | None:
    for pattern in ("%I:%M %p on %d %B, %Y", "%I:%M %p on %d %b, %Y"):
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            continue
    return None


def ingest(memories: Memories, conversation: Conversation) -> dict[int, str]:
    """Store every turn as an episodic memory, turns of a session linked in order; id -> dia_id."""
    id_to_dia: dict[int, str] = {}
    for session in sorted({turn.session for turn in conversation.turns}):
        turns = [turn for turn in conversation.turns if turn.session == session]
        items = [
            NewMemory(
                turn.content,
                kind="episodic",
                source="import",
                event_time=turn.when,
                created_at=turn.when,
                provenance={"conversation": conversation.name, "dia_id": turn.dia_id, "session": session},
            )
            for turn in turns
        ]
        result = memories.remember(items, link_sequence=True, settle=False)
        for memory_id, turn in zip(result.ids, turns):
            id_to_dia.setdefault(memory_id, turn.dia_id)
    return id_to_dia
