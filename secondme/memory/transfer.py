"""Moving memories out (export), in (import) and away for good (erase).

Exports are JSONL (lossless: memories with their versions, links, sessions and messages) or
Markdown (readable, and still re-importable), optionally encrypted with a passphrase. Imports
read secondme's own exports, JSONL, plain-text or Markdown notes, a folder of Markdown notes (an
Obsidian vault: front-matter dates and tags, wiki-links kept as links), and the chat exports of
ChatGPT and Claude.ai (``conversations.json``); a whole import is one transaction, so a bad line
or a kill leaves nothing half-imported. Erase deletes, rewrites the file, then checks the
decrypted pages.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from secondme.config import Paths
from secondme.errors import SecondmeError, UsageError
from secondme.memory.schema import KINDS, SCHEMA_VERSION
from secondme.memory.store import Store
from secondme.memory.types import MAX_CONTENT_CHARS, ContentError, Memory, NewMemory, is_moment
from secondme.times import iso

if TYPE_CHECKING:
    from secondme.memory.service import Memories

EXPORT_FORMAT = "secondme-export"
ENCRYPTED_MAGIC = b"SECONDME-ENCRYPTED-EXPORT v1\n"
MAX_IMPORT_BYTES = 512 * 1024 * 1024
NOTE_SUFFIXES = {".md", ".markdown", ".txt", ".text"}  # read as notes whatever their first character
_SCRYPT = {"n": 2**17, "r": 8, "p": 1}
_MARKDOWN_META = re.compile(r"^<!-- secondme (\{.*\}) -->$")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_EXPORT_GROUP = re.compile(r"## (?:" + "|".join(kind.capitalize() for kind in KINDS) + r")|# secondme export .*")  # export_markdown's headings


class TransferError(SecondmeError):
    """An export or import that cannot proceed; the message is one line."""


# -- export --------------------------------------------------------------------------------------


def export_records(store: Store) -> Iterator[dict]:
    return records_of(store.iter_memories(), store.sessions(), store.all_versions(), store.all_links(), store.messages())


def records_of(memories: list[Memory], sessions: list[dict], versions: dict[int, list[dict]],
               links: Iterable[tuple], messages: list[dict]) -> Iterator[dict]:
    """An export's records: a header, then sessions, memories (with their versions), links and
    chat messages."""
    yield {
        "type": "header",
        "format": EXPORT_FORMAT,
        "version": 1,
        "schema": SCHEMA_VERSION,
        "exported_at": iso(time.time()),
        "memories": len(memories),
        "sessions": len(sessions),
    }
    for session in sessions:
        yield {"type": "session", **{k: v for k, v in session.items() if k != "message_count"}}
    for memory in memories:
        yield {"type": "memory", **memory.to_dict(), "versions": versions.get(memory.id, [])}
    for src, dst, relation, weight, created_at in links:
        yield {"type": "link", "src_id": src, "dst_id": dst, "relation": relation, "weight": weight, "created_at": created_at}
    for message in messages:
        yield {"type": "message", **message}


def export_jsonl(store: Store) -> bytes:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in export_records(store)).encode("utf-8")


def export_markdown(store: Store) -> bytes:
    """Readable, grouped by kind; each memory carries its fields in an HTML comment, so that
    importing the file back restores them."""
    memories = list(store.iter_memories())
    lines = [f"# secondme export · {iso(time.time())} · {len(memories)} memories", ""]
    for kind in KINDS:
        group = [m for m in memories if m.kind == kind]
        if not group:
            continue
        lines += [f"## {kind.capitalize()}", ""]
        for memory in group:
            fields = {k: v for k, v in memory.to_dict().items() if k != "content"}
            lines += [f"<!-- secondme {json.dumps(fields, ensure_ascii=False)} -->", memory.content, ""]
    return "\n".join(lines).encode("utf-8")


def check_export_target(output: Path, where: Paths) -> None:
    """An export replaces its target whole: never secondme's own files (the store, its key, the
    settings), nor a device, a link or a folder, which would be replaced rather than written."""
    own = {where.database, *(where.database.with_name(f"{where.database.name}{suffix}") for suffix in ("-wal", "-shm", "-lock")),
           where.key_file, where.settings_file}
    if output.resolve() in {path.resolve() for path in own}:
        raise UsageError(f"refusing to overwrite {output}: it is secondme's own file; choose another")
    if output.is_symlink() or (output.exists() and not output.is_file()):
        raise UsageError(f"{output} is not a plain file; export writes a new file (choose another path)")
    if not output.parent.is_dir():
        raise UsageError(f"{output.parent} is not a folder")


def encrypt(data: bytes, passphrase: str, content_format: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from secondme.memory.keys import derive_key

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header = json.dumps(
        {"kdf": "scrypt", "salt": _b64(salt), **_SCRYPT, "cipher": "aes-256-gcm", "nonce": _b64(nonce), "format": content_format}
    ).encode() + b"\n"
    key = derive_key(passphrase, salt, **_SCRYPT)
    return ENCRYPTED_MAGIC + header + AESGCM(key).encrypt(nonce, data, ENCRYPTED_MAGIC + header)


def decrypt(blob: bytes, passphrase: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from secondme.memory.keys import derive_key

    try:
        header_line, ciphertext = blob[len(ENCRYPTED_MAGIC) :].split(b"\n", 1)
        header = json.loads(header_line)
        key = derive_key(passphrase, base64.b64decode(header["salt"]), header["n"], header["r"], header["p"])
        nonce = base64.b64decode(header["nonce"])
    except (ValueError, KeyError, TypeError):
        raise TransferError("the encrypted export is damaged (bad header)") from None
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, ENCRYPTED_MAGIC + header_line + b"\n")
    except InvalidTag:
        raise TransferError("wrong passphrase for this export, or the file was altered") from None


# -- import --------------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    description: str
    memories: list[NewMemory] = field(default_factory=list)
    old_ids: list[int | None] = field(default_factory=list)  # per memory: its id in the export
    sequences: list[list[int]] = field(default_factory=list)  # memory indexes to link as neighbours
    sessions: list[dict] = field(default_factory=list)
    versions: dict[int, list[dict]] = field(default_factory=dict)
    links: list[dict] = field(default_factory=list)
    messages: list[dict] = field(default_factory=list)
    superseded_by: dict[int, int] = field(default_factory=dict)  # old id -> old id
    related: list[tuple[int, int]] = field(default_factory=list)  # memory indexes to link as related (wiki-links)
    skipped: dict[str, int] = field(default_factory=dict)  # what was left out, and how many ("attachments": 3)

    def add(self, memory: NewMemory, old_id: int | None = None) -> int:
        self.memories.append(memory)
        self.old_ids.append(old_id)
        return len(self.memories) - 1

    def add_chat_message(self, text: str, role: str, when: float | None, provenance: dict) -> list[int]:
        """A message of an exported chat, cut to memory size; the model's words keep a neutral
        prior (they are not the user's). Its memories' indexes, in order."""
        added = []
        for piece in split_long(text):
            memory = NewMemory(piece, kind="episodic", source="import", provenance=provenance, created_at=when, event_time=when)
            if role == "assistant":
                memory.trust_alpha, memory.trust_beta = 1.0, 1.0
            added.append(self.add(memory))
        return added


@dataclass
class ImportReport:
    description: str
    new: int
    duplicates: int
    sessions: int
    messages: int
    quarantined: int
    ids: list[int]
    skipped: dict[str, int] = field(default_factory=dict)


def read_import(path: Path, passphrase: Callable[[], str], include_assistant: bool = False) -> ImportPlan:
    """Parse ``path`` into an import plan; raises TransferError with a one-line reason."""
    if path.is_dir():
        return read_vault(path)
    if path.exists() and not path.is_file():
        raise TransferError(f"{path} is not a plain file (a device or a pipe has no end to read to)")
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise TransferError(f"{path} is {size / 2**20:.0f} MiB; imports are limited to {MAX_IMPORT_BYTES // 2**20} MiB")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TransferError(f"{path} does not exist") from None
    except PermissionError:
        raise TransferError(f"{path} cannot be read (permission denied)") from None
    encrypted = raw.startswith(ENCRYPTED_MAGIC)
    if encrypted:
        raw = decrypt(raw, passphrase())
    text = _decode(raw, path)
    stripped = text.lstrip()
    try:
        if path.suffix.lower() in NOTE_SUFFIXES and not encrypted:
            return _from_notes(text, path)  # "[TODO] call the plumber" is a note, not JSON
        if stripped.startswith("["):
            return _from_json_list(_load_json(text, path), path, include_assistant)
        if stripped.startswith("{"):
            return _from_jsonl(text, path)
        if path.suffix.lower() in {".json", ".jsonl"}:
            raise TransferError(f"{path} is not JSON (it does not start with [ or {{)")
        return _from_notes(text, path)
    except ContentError as exc:
        raise TransferError(f"{path}: {exc}") from None
    except (AttributeError, TypeError, KeyError, IndexError, RecursionError, OverflowError, ValueError) as exc:
        # A chat export or JSON file whose parts are not what its kind holds (a message that is
        # a string, a list where an object belongs): refused whole, in one line.
        raise TransferError(f"{path} is not in a shape secondme can import ({type(exc).__name__}: {exc})") from None


def apply_import(
    memories: Memories,
    plan: ImportPlan,
    progress: Callable[[int], None] | None = None,
    writing: Callable[[int], None] = lambda count: None,
) -> ImportReport:
    """Embed first (no lock held), then write everything in one transaction."""
    store = memories.store
    prepared = memories.prepare(plan.memories, progress)
    writing(len(prepared.fresh))
    with store.transaction():
        held_sessions = {session["id"] for session in plan.sessions if _held_already(store, session)}
        session_ids = {session["id"]: session["id"] if session["id"] in held_sessions else _new_session(store, session) for session in plan.sessions}
        already_said = {(message["session_id"], message["role"], message["content"], message["created_at"])
                        for session_id in held_sessions for message in store.messages(session_id)}
        for session in plan.sessions:
            if session.get("ended_at") or session.get("summary_id"):
                store.update_session(session_ids[session["id"]], ended_at=session.get("ended_at"))
        for memory in plan.memories:
            if memory.session_id is not None:
                memory.session_id = session_ids.get(memory.session_id)
        result = memories.commit(prepared)
        new_id = {old: new for old, new in zip(plan.old_ids, result.ids) if old is not None}
        for old_id, versions in plan.versions.items():
            for version in versions:
                store.add_version(new_id[old_id], version["version"], version["content"], version["changed_at"], version.get("reason", ""))
        store.add_links(
            (new_id[link["src_id"]], new_id[link["dst_id"]], link["relation"], link.get("weight", 1.0))
            for link in plan.links
            if link["src_id"] in new_id and link["dst_id"] in new_id
        )
        for sequence in plan.sequences:
            memories.link_in_order([result.ids[i] for i in sequence])
        new_messages = [message for message in plan.messages if message["session_id"] in session_ids and (
            session_ids[message["session_id"]], message["role"], message["content"], message.get("created_at")) not in already_said]
        for message in new_messages:
            store.add_message(
                session_ids[message["session_id"]], message["role"], message["content"],
                new_id.get(message.get("memory_id")), message.get("stats"), message.get("created_at"),
            )
        _restore_memory_references(store, plan, new_id, session_ids)
        store.add_links((result.ids[a], result.ids[b], "related", 1.0) for a, b in plan.related if result.ids[a] != result.ids[b])
    quarantined = sum(item.status == "quarantined" for item in prepared.fresh)
    return ImportReport(plan.description, result.new, result.duplicates, len(plan.sessions) - len(held_sessions), len(new_messages), quarantined,
                        result.ids, dict(plan.skipped))


def _new_session(store: Store, session: dict) -> int:
    """The exported session, under its id when that is free."""
    return store.create_session(session.get("title", ""), session.get("model", ""), session.get("started_at"), session_id=session["id"])


def _held_already(store: Store, session: dict) -> bool:
    """The store holds this session already: an export restored again into the store it came
    from (the same id, title and start); its messages are not added twice."""
    held = store.session(session["id"])
    return held is not None and held["title"] == session.get("title", "") and held["started_at"] == session.get("started_at")


def _restore_memory_references(store: Store, plan: ImportPlan, new_id: dict[int, int], session_ids: dict[int, int]) -> None:
    for session in plan.sessions:
        if session.get("summary_id") in new_id:
            store.update_session(session_ids[session["id"]], summary_id=new_id[session["summary_id"]])
    for old_id, newer in plan.superseded_by.items():
        if old_id in new_id and newer in new_id:
            store.set_superseded_by(new_id[old_id], new_id[newer])


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark (Windows' Notepad "Unicode")
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise TransferError(f"{path} is not UTF-16 text, though it starts as such") from None
    if b"\x00" in raw[:8192]:
        raise TransferError(f"{path} is binary, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TransferError(f"{path} is not UTF-8 text (bad byte at offset {exc.start})") from None


def _load_json(text: str, path: Path):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TransferError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise TransferError(f"{path} nests its JSON too deep to be an export") from None


def _from_json_list(data: list, path: Path, include_assistant: bool) -> ImportPlan:
    if data and all(isinstance(item, dict) and "mapping" in item for item in data):
        return _from_chatgpt(data, include_assistant)
    if data and all(isinstance(item, dict) and "chat_messages" in item for item in data):
        return _from_claude(data, include_assistant)
    plan = ImportPlan("JSON list")
    for number, item in enumerate(data, 1):
        plan.add(_memory_from_record(item, f"item {number}"))
    if not data:
        raise TransferError(f"{path} holds an empty list: nothing to import")
    return plan


def _from_jsonl(text: str, path: Path) -> ImportPlan:
    plan: ImportPlan | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TransferError(f"{path}, line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise TransferError(f"{path}, line {number}: expected a JSON object")
        if plan is None:
            if record.get("type") == "header" and record.get("format") == EXPORT_FORMAT:
                plan = ImportPlan("secondme export")
                continue
            plan = ImportPlan("JSONL")
        where = f"line {number}"
        if plan.description == "secondme export":
            _add_export_record(plan, record, where)
        else:
            plan.add(_memory_from_record(record, where))
    if plan is None or not plan.memories and not plan.sessions:
        raise TransferError(f"{path} holds no memories")
    return plan


def plan_of_records(records: Iterable[dict], description: str) -> ImportPlan:
    """An import of export records read straight from a store (a repair), not from a file."""
    plan = ImportPlan(description)
    for number, record in enumerate(records, 1):
        if record.get("type") != "header":
            _add_export_record(plan, record, f"record {number}")
    return plan


def _add_export_record(plan: ImportPlan, record: dict, where: str) -> None:
    kind = record.get("type")
    try:
        if kind == "memory":
            memory = NewMemory(
                record["content"], kind=record["kind"], source=record["source"], provenance=record.get("provenance", {}),
                tags=record.get("tags", []), pinned=record.get("pinned", False), importance=record.get("importance", 0.5),
                sensitivity=record.get("sensitivity", "normal"), categories=record.get("categories"),  # the user's `mark` kept
                created_at=record.get("created_at"),
                event_time=record.get("event_time"), valid_from=record.get("valid_from"), valid_to=record.get("valid_to"),
                session_id=record.get("session_id"), trust_alpha=record.get("trust_alpha"), trust_beta=record.get("trust_beta"),
                status=record.get("status", "active"), id=record.get("id"),
                strength=record.get("strength", 1.0), recall_count=record.get("recall_count", 0),
                last_recalled_at=record.get("last_recalled_at"), version=record.get("version", 1), restored=True,
                speech=record.get("speech"),
            )
            plan.add(memory, record["id"])
            if record.get("superseded_by") is not None:
                plan.superseded_by[record["id"]] = record["superseded_by"]
            if record.get("versions"):
                plan.versions[record["id"]] = _checked_versions(record["versions"], where)
        elif kind in _RECORD_FIELDS:
            _check_record(record, kind, where)
            {"session": plan.sessions, "link": plan.links, "message": plan.messages}[kind].append(record)
        else:
            raise TransferError(f"{where}: unknown record type {kind!r}")
    except KeyError as exc:
        raise TransferError(f"{where}: missing field {exc}") from None
    except (ContentError, TypeError) as exc:
        raise TransferError(f"{where}: {exc}") from None


# What the other records of an export must hold, and of what type (memories are checked by NewMemory).
_RECORD_FIELDS = {
    "session": {"id": int},
    "link": {"src_id": int, "dst_id": int, "relation": str},
    "message": {"session_id": int, "role": str, "content": str},
}


def _checked_versions(versions: object, where: str) -> list[dict]:
    """A memory's earlier versions: objects with a version number, the text and when it changed."""
    if not isinstance(versions, list):
        raise TransferError(f"{where}: versions must be a list")
    for version in versions:
        if not isinstance(version, dict) or not isinstance(version.get("content"), str) \
                or not (isinstance(version.get("version"), int) and not isinstance(version.get("version"), bool) and version["version"] >= 1):
            raise TransferError(f"{where}: each version needs a version number and its text")
        version["changed_at"] = _timestamp(version.get("changed_at"), f"{where}, a version") or 0.0
        if not isinstance(version.get("reason", ""), str):
            raise TransferError(f"{where}: a version's reason must be text")
    return versions


def _check_record(record: dict, kind: str, where: str) -> None:
    """Fields of the wanted types; its moments as numbers (a date written as text is read)."""
    for name, wanted in _RECORD_FIELDS[kind].items():
        if name not in record:
            raise KeyError(name)
        if not isinstance(record[name], wanted) or isinstance(record[name], bool):
            raise TypeError(f"{name} must be {'a whole number' if wanted is int else 'text'}")
    for name in ("started_at", "ended_at", "created_at"):
        if name in record:
            record[name] = _timestamp(record[name], f"{where}, {name}")


def _memory_from_record(record: object, where: str) -> NewMemory:
    if not isinstance(record, dict):
        raise TransferError(f"{where}: expected an object with a 'content' field")
    content = record.get("content", record.get("text", record.get("memory")))
    if not isinstance(content, str):
        raise TransferError(f"{where}: no 'content' text")
    try:
        return NewMemory(
            content,
            kind=record.get("kind", "note"),
            source="import",
            tags=[_tag(tag) for tag in _list(record.get("tags", []), "tags")],
            pinned=record.get("pinned", False),  # "false" as text is refused, not read as pinned
            created_at=_timestamp(record.get("created_at"), where),
            event_time=_timestamp(record.get("event_time"), where),
            provenance={"imported_from": where, **({"origin": record["source"]} if "source" in record else {})},
        )
    except (ContentError, TypeError) as exc:
        raise TransferError(f"{where}: {exc}") from None


def _tag(value: object) -> str:
    """A tag: text, or a number written as one (2024); not an object or a list."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError("tags must be text")
    return str(value)


def _list(value: object, name: str) -> list:
    if not isinstance(value, list):
        raise TypeError(f"{name} must be a list")
    return value


def _timestamp(value: object, where: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not is_moment(value):
            raise TransferError(f"{where}: {value!r} is not a moment in time")
        return float(value)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise TransferError(f"{where}: {value!r} is not a date") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).timestamp()


def _from_notes(text: str, path: Path) -> ImportPlan:
    """One memory per paragraph; headings become a 'section' in the provenance. Blocks written by
    ``export_markdown`` (an HTML comment with fields, then the text) come back with their fields."""
    plan = ImportPlan("notes")
    section = ""
    pending_fields: dict | None = None
    pending_text: list[str] = []

    def flush() -> None:
        nonlocal pending_fields, pending_text
        if pending_fields is not None and pending_text:
            _add_export_record(plan, {"type": "memory", **pending_fields, "content": "\n\n".join(pending_text)}, "a memory")
        pending_fields, pending_text = None, []

    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        block = block.strip()
        if not block:
            continue
        lines = block.split("\n")
        meta = _MARKDOWN_META.match(lines[0])
        heading = _HEADING.match(lines[0])
        if meta:
            flush()
            try:
                pending_fields = json.loads(meta.group(1))
            except json.JSONDecodeError:
                raise TransferError(f"{path}: a '<!-- secondme ... -->' line holds no valid JSON ({lines[0][:60]})") from None
            if not isinstance(pending_fields, dict):
                raise TransferError(f"{path}: a '<!-- secondme ... -->' line must hold an object")
            body = "\n".join(lines[1:]).strip()
            if body:
                pending_text.append(body)
        elif pending_fields is not None and not (heading and len(lines) == 1 and _EXPORT_GROUP.fullmatch(lines[0])):
            pending_text.append(block)  # an exported memory's own heading ("## Clothes") is its text
        elif heading and len(lines) == 1:
            flush()
            section = heading.group(1).strip()
        else:
            for piece in split_long(block):
                provenance = {"file": path.name, **({"section": section} if section else {})}
                plan.add(NewMemory(piece, kind="note", source="import", provenance=provenance))
    flush()
    if not plan.memories:
        raise TransferError(f"{path} holds no text to import")
    return plan


def split_long(text: str, limit: int = MAX_CONTENT_CHARS) -> list[str]:
    """Cut text longer than a memory may be at line, then sentence, then hard boundaries."""
    if len(text) <= limit:
        return [text]
    pieces, current = [], ""
    for unit in re.split(r"(?<=\n)|(?<=[.!?]\s)", text):
        while len(unit) > limit:
            pieces.append(unit[:limit])
            unit = unit[limit:]
        if len(current) + len(unit) > limit:
            pieces.append(current)
            current = ""
        current += unit
    pieces.append(current)
    return [piece.strip() for piece in pieces if piece.strip()]


def _from_chatgpt(conversations: list[dict], include_assistant: bool) -> ImportPlan:
    roles = {"user", "assistant"} if include_assistant else {"user"}
    plan = ImportPlan("ChatGPT export")
    for conversation in conversations:
        title = str(conversation.get("title") or "untitled")
        sequence = []
        for message in _chatgpt_branch(conversation):
            role = (message.get("author") or {}).get("role")
            text = _chatgpt_text(message)
            if role not in roles or not text or (message.get("metadata") or {}).get("is_visually_hidden_from_conversation"):
                continue
            when = message.get("create_time")
            provenance = {
                "conversation": title,
                "conversation_id": conversation.get("conversation_id") or conversation.get("id"),
                "message_id": message.get("id"),
                "time": iso(when) if when else None,
                "role": role,
            }
            sequence += plan.add_chat_message(text, role, when, provenance)
        if len(sequence) > 1:
            plan.sequences.append(sequence)
    if not plan.memories:
        raise TransferError("the ChatGPT export holds no messages to import")
    return plan


def _chatgpt_branch(conversation: dict) -> list[dict]:
    """The messages of the branch the user last saw, oldest first (edits create side branches)."""
    mapping = conversation.get("mapping")
    if not isinstance(mapping, dict):
        raise TransferError(f"conversation {conversation.get('title')!r} has no message mapping")
    node_id, branch, seen = conversation.get("current_node"), [], set()
    if node_id not in mapping:
        nodes = [node.get("message") for node in mapping.values() if isinstance(node, dict) and node.get("message")]
        return sorted(nodes, key=lambda message: message.get("create_time") or 0)
    while node_id in mapping and node_id not in seen:
        seen.add(node_id)
        node = mapping[node_id]
        if node.get("message"):
            branch.append(node["message"])
        node_id = node.get("parent")
    return branch[::-1]


def _chatgpt_text(message: dict) -> str:
    content = message.get("content") or {}
    parts = content.get("parts")
    if parts is None and isinstance(content.get("text"), str):
        parts = [content["text"]]
    if isinstance(parts, str):
        parts = [parts]  # one part given as text: not one line per character
    return "\n".join(part for part in parts or [] if isinstance(part, str)).strip()


def _from_claude(conversations: list[dict], include_assistant: bool) -> ImportPlan:
    """Claude.ai's export: conversations with ``chat_messages`` (sender human/assistant, the text
    in ``text`` or in ``content`` blocks). Attachments and files are not imported, only counted."""
    senders = {"human", "assistant"} if include_assistant else {"human"}
    plan = ImportPlan("Claude export")
    for number, conversation in enumerate(conversations, 1):
        title = str(conversation.get("name") or "untitled")
        messages = conversation.get("chat_messages")
        if not isinstance(messages, list):
            raise TransferError(f"conversation {number} ({title!r}): chat_messages is not a list")
        sequence = []
        for message in messages:
            if not isinstance(message, dict):
                raise TransferError(f"conversation {number} ({title!r}): a message is not an object")
            attached = len(message.get("attachments") or []) + len(message.get("files") or [])
            if attached:
                plan.skipped["attachments"] = plan.skipped.get("attachments", 0) + attached
            sender = message.get("sender")
            text = _claude_text(message)
            if sender not in senders or not text:
                continue
            when = _timestamp(message.get("created_at"), f"conversation {number} ({title!r})")
            role = "user" if sender == "human" else "assistant"
            provenance = {"conversation": title, "conversation_id": conversation.get("uuid"), "message_id": message.get("uuid"),
                          "time": iso(when) if when else None, "role": role, "from": "claude.ai"}
            sequence += plan.add_chat_message(text, role, when, provenance)
        if len(sequence) > 1:
            plan.sequences.append(sequence)
    if not plan.memories:
        raise TransferError("the Claude export holds no messages to import")
    return plan


def _claude_text(message: dict) -> str:
    blocks = message.get("content")
    if isinstance(blocks, list):
        texts = [block.get("text", "") for block in blocks if isinstance(block, dict) and block.get("type") == "text"]
        if any(texts):
            return "\n".join(text for text in texts if isinstance(text, str)).strip()
    text = message.get("text")
    return text.strip() if isinstance(text, str) else ""


# -- a folder of Markdown notes (an Obsidian vault) ---------------------------------------------

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)
_WIKI_LINK = re.compile(r"!?\[\[([^\]|#^]+)(?:[#^][^\]|]*)?(?:\|([^\]]*))?\]\]")
_INLINE_TAG = re.compile(r"(?<![\w/#&])#([A-Za-z][\w/-]*)")
_SKIPPED_DIRS = {".obsidian", ".trash", ".git", ".stfolder"}
MAX_VAULT_NOTES = 50_000


def read_vault(root: Path) -> ImportPlan:
    """Every Markdown note under ``root``: one memory per paragraph, with the note's front-matter
    date and tags (and its inline #tags); a note's wiki-links ([[Other note]]) become links between
    the notes' memories. Obsidian's own folder (.obsidian) and its trash are left out."""
    notes = sorted(path for path in root.rglob("*.md") if not _SKIPPED_DIRS & set(path.relative_to(root).parts[:-1]) and path.is_file())
    if not notes:
        raise TransferError(f"{root} is a folder with no Markdown notes (.md) in it")
    if len(notes) > MAX_VAULT_NOTES:
        raise TransferError(f"{root} holds {len(notes)} notes; a vault import is limited to {MAX_VAULT_NOTES}")
    plan = ImportPlan(f"notes folder ({len(notes)} notes)")
    first_memory: dict[str, int] = {}
    links: list[tuple[int, str]] = []
    for path in notes:
        relative = path.relative_to(root).as_posix()
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise TransferError(f"{relative} cannot be read ({exc.strerror})") from None
        text = _decode(raw, path)
        fields, body = front_matter(text, relative)
        tags = sorted({*fields.get("tags", []), *(tag.lower() for tag in _INLINE_TAG.findall(body))})
        when = _note_date(fields, relative) or path.stat().st_mtime
        targets = [match.group(1).strip() for match in _WIKI_LINK.finditer(body)]
        body = _WIKI_LINK.sub(lambda match: (match.group(2) or match.group(1)).strip(), body)
        first = None
        for block in re.split(r"\n\s*\n", body.replace("\r\n", "\n")):
            block = block.strip()
            if not block or _HEADING.match(block) and "\n" not in block:
                continue
            for piece in split_long(block):
                index = plan.add(NewMemory(piece, kind="note", source="import", tags=tags, created_at=when,
                                           provenance={"file": relative, "vault": root.name, **({"title": fields["title"]} if "title" in fields else {})}))
                first = index if first is None else first
        if first is not None:
            first_memory[Path(relative).stem.lower()] = first
            links += [(first, target) for target in targets]
    plan.related = [(source, first_memory[Path(target).stem.lower()]) for source, target in links if Path(target).stem.lower() in first_memory]
    if not plan.memories:
        raise TransferError(f"{root} holds no text to import")
    return plan


def front_matter(text: str, where: str) -> tuple[dict, str]:
    """A note's YAML front matter, the simple kind notes use (``key: value``, ``key: [a, b]``,
    ``- item`` lists, and indented block values: ``key: >`` folded, ``key: |`` literal, a nested
    map kept as its text), and the text after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields: dict = {}
    key, block = None, None  # block: how the indented lines under ``key`` join ("\n" for "|", else " ")
    for line in match.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s*-\s+(.*)$", line)
        if item and key is not None and block is None:
            fields.setdefault(key, [])
            if isinstance(fields[key], list):
                fields[key].append(_scalar(item.group(1)))
            continue
        if line[:1].isspace() and key is not None and not isinstance(fields.get(key), list):
            block = block or " "
            fields[key] = f"{fields[key]}{block}{line.strip()}" if fields.get(key) else line.strip()
            continue
        pair = re.match(r"^([\w -]+):\s*(.*)$", line)
        if not pair:
            raise TransferError(f"{where}: the front matter line {line.strip()!r} is not key: value")
        key, value = pair.group(1).strip().lower(), pair.group(2).strip()
        block = "\n" if value.startswith("|") else " " if value.startswith(">") else None
        if block:
            fields[key] = ""
        elif value.startswith("[") and value.endswith("]"):
            fields[key] = [_scalar(part) for part in value[1:-1].split(",") if part.strip()]
        elif value:
            fields[key] = _scalar(value)
    if isinstance(fields.get("tags"), str):
        fields["tags"] = [tag for tag in re.split(r"[,\s]+", fields["tags"]) if tag]
    fields["tags"] = [str(tag).lstrip("#").lower() for tag in fields.get("tags", []) if str(tag).strip()]
    return fields, text[match.end():]


def _scalar(value: str) -> str:
    return value.strip().strip("'\"")


def _note_date(fields: dict, where: str) -> float | None:
    for key in ("created", "date", "created_at", "creation date"):
        if isinstance(fields.get(key), str) and fields[key]:
            return _timestamp(fields[key], f"{where} ({key})")
    return None


# -- erase ---------------------------------------------------------------------------------------


@dataclass
class EraseReport:
    erased: int
    verified: bool
    leaks: list[str]


def erase(memories: Memories, targets: list[Memory] | None, progress: Callable[[str], None] = lambda _: None) -> EraseReport:
    """Delete ``targets`` (None: everything), scrub the file, then prove the text is gone.

    Proof: the erased texts (memory, earlier versions, chat messages) are searched for in every
    decrypted page of the rewritten database; the WAL must be empty. Text that still legitimately
    exists in a memory that was kept is not counted as a leak.
    """
    store = memories.store
    texts = _texts_of(store, targets)
    progress("deleting")
    erased = store.delete_everything() if targets is None else store.delete([memory.id for memory in targets])
    progress("rewriting the store")
    try:
        store.compact()
    except Exception as exc:  # noqa: BLE001 - the deletion stands: say so, whatever stopped the rewrite
        from secondme.errors import describe

        raise TransferError(f"{erased} {'memory was' if erased == 1 else 'memories were'} deleted, but rewriting the file failed ({describe(exc)[0]}): "
                            "their text may remain in free pages; run `secondme doctor`") from None
    progress("verifying")
    image = store.decrypted_image()
    leaks = [
        probe
        for text in texts
        for probe in _probes(text)
        if probe.encode("utf-8") in image and not store.text_occurs(probe)
    ]
    wal = Path(str(store.path) + "-wal")
    if wal.exists() and wal.stat().st_size:
        leaks.append(f"write-ahead log still holds {wal.stat().st_size} bytes")
    return EraseReport(erased=erased, verified=not leaks, leaks=leaks)


def _texts_of(store: Store, targets: list[Memory] | None) -> list[str]:
    if targets is None:
        memories = list(store.iter_memories())
        messages = store.messages()
        versions = store.all_versions()
    else:
        memories = targets
        ids = {memory.id for memory in targets}
        messages = [message for message in store.messages() if message["memory_id"] in ids]
        versions = {memory.id: store.versions(memory.id) for memory in targets}
    texts = [memory.content for memory in memories]
    texts += [message["content"] for message in messages]
    texts += [version["content"] for history in versions.values() for version in history]
    return texts


def _probes(text: str, width: int = 48) -> list[str]:
    """Short windows of the text: a long text is split across overflow pages, so the whole of it
    would never be found contiguously even when it is still there."""
    if len(text) <= width:
        return [text]
    last = len(text) - width
    return list(dict.fromkeys(text[start : start + width] for start in (0, last // 2, last)))


# -- helpers -------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
