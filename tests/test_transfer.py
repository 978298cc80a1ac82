"""Export, import and erase, through the CLI against real encrypted stores."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from secondme.memory.service import Memories
from secondme.memory.types import NewMemory

FIXTURES = Path(__file__).parent / "fixtures"
CANARY = "CANARY-b71e my therapist is Dr Okafor"
PASSPHRASE = {"SECONDME_EXPORT_PASSPHRASE": "export passphrase 1"}


def seed(where) -> list[int]:
    with Memories.open(where) as memories:
        session = memories.store.create_session("a chat", "smollm2")
        first = memories.remember([NewMemory(CANARY, kind="fact", source="chat_user", session_id=session, tags=["health"])]).ids[0]
        memories.store.add_message(session, "user", CANARY, memory_id=first)
        ids = memories.remember(
            [NewMemory("I moved to Berlin", kind="fact"), NewMemory("Mia's birthday is 3 May", kind="fact", pinned=True)],
            link_sequence=True,
        ).ids
        memories.store.update_content(ids[0], "I moved to Berlin in 2021", memories.embedder.embed_one("I moved to Berlin in 2021"))
        memories.forget([ids[1]])
        return [first, *ids]


def snapshot(where) -> list[dict]:
    with Memories.open(where) as memories:
        rows = []
        for memory in memories.store.iter_memories():
            data = memory.to_dict()
            data.pop("updated_at")
            data["versions"] = [(v["version"], v["content"]) for v in memories.store.versions(memory.id)]
            data["links"] = sorted((link["src_id"], link["dst_id"], link["relation"]) for link in memories.store.links(memory.id))
            rows.append(data)
        rows.append({"messages": [(m["role"], m["content"], m["memory_id"]) for m in memories.store.messages()]})
        return rows


def test_export_erase_all_import_restores_the_same_memories(cli, where, tmp_path):
    seed(where)
    before = snapshot(where)
    export = tmp_path / "backup.jsonl"
    assert cli("export", "-o", str(export)).exit_code == 0
    assert stat.S_IMODE(export.stat().st_mode) == 0o600
    erased = cli("erase", "--all", "--yes", "--json")
    assert erased.exit_code == 0, erased.output
    assert json.loads(erased.stdout)["verified"] is True
    assert cli("stats", "--json").exit_code == 0 and json.loads(cli("stats", "--json").stdout)["memories"] == 0
    imported = cli("import", str(export), "--json")
    assert imported.exit_code == 0, imported.output
    assert snapshot(where) == before


def test_an_export_brings_back_the_users_secrets_and_privacy_choices_as_they_were(cli, where, tmp_path):
    # A PIN came back quarantined, and a memory the user marked normal came back private.
    pin = json.loads(cli("remember", "my bank PIN is 4821", "--json").stdout)["id"]
    therapy = json.loads(cli("remember", "My therapist Dr Lind sees me on Tuesdays", "--json").stdout)["id"]
    assert cli("mark", str(therapy), "normal").exit_code == 0
    before = {m["id"]: (m["status"], m["sensitivity"], m["categories"]) for m in (json.loads(cli("show", str(i), "--json").stdout) for i in (pin, therapy))}
    assert before[pin] == ("active", "never_inject", ["credentials"]) and before[therapy][1] == "normal"
    export = tmp_path / "backup.jsonl"
    assert cli("export", "-o", str(export)).exit_code == 0
    assert cli("erase", "--all", "--yes").exit_code == 0
    assert cli("import", str(export)).exit_code == 0
    after = {m["id"]: (m["status"], m["sensitivity"], m["categories"]) for m in (json.loads(cli("show", str(i), "--json").stdout) for i in (pin, therapy))}
    assert after == before


def test_a_memory_forgotten_then_said_again_comes_back_twice_from_an_export(cli, where, tmp_path):
    # The import kept the first of the two same texts (the forgotten one) and dropped the live one.
    assert cli("remember", "I like green tea").exit_code == 0
    assert cli("forget", "1").exit_code == 0
    assert cli("remember", "I like green tea").exit_code == 0
    export = tmp_path / "backup.jsonl"
    assert cli("export", "-o", str(export)).exit_code == 0
    assert cli("erase", "--all", "--yes").exit_code == 0
    assert cli("import", str(export)).exit_code == 0
    assert json.loads(cli("stats", "--json").stdout)["by_status"] == {"active": 1, "forgotten": 1}
    assert cli("import", str(export)).exit_code == 0, "and a second import adds nothing"
    assert json.loads(cli("stats", "--json").stdout)["memories"] == 2


def test_encrypted_export_hides_the_canary_and_round_trips(cli, where, tmp_path):
    seed(where)
    plain, sealed = tmp_path / "plain.jsonl", tmp_path / "sealed.bin"
    assert cli("export", "-o", str(plain)).exit_code == 0
    assert CANARY.encode() in plain.read_bytes()
    assert cli("export", "-o", str(sealed), "--encrypt", env=PASSPHRASE).exit_code == 0
    assert CANARY.encode() not in sealed.read_bytes() and b"Okafor" not in sealed.read_bytes()
    wrong = cli("import", str(sealed), env={"SECONDME_EXPORT_PASSPHRASE": "not the passphrase"})
    assert wrong.exit_code == 1 and "wrong passphrase" in wrong.output
    assert cli("erase", "--all", "--yes").exit_code == 0
    assert cli("import", str(sealed), env=PASSPHRASE).exit_code == 0
    assert json.loads(cli("recall", "therapist", "--json").stdout)[0]["content"] == CANARY


def test_markdown_export_reads_well_and_imports_back(cli, where, tmp_path):
    seed(where)
    before = {(m["content"], m["kind"], m["status"]) for m in snapshot(where)[:-1]}
    markdown = tmp_path / "memories.md"
    assert cli("export", "-o", str(markdown), "--format", "markdown").exit_code == 0
    text = markdown.read_text()
    assert "# secondme export" in text and "## Fact" in text and CANARY in text
    assert cli("erase", "--all", "--yes").exit_code == 0
    assert cli("import", str(markdown)).exit_code == 0
    assert {(m["content"], m["kind"], m["status"]) for m in snapshot(where)[:-1]} == before


def test_erase_by_query_removes_only_matches_and_verifies(cli, where):
    ids = seed(where)
    result = cli("erase", "--query", "therapist Okafor", "--yes", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report == {"erased": 1, "verified": True, "leaks": []}
    with Memories.open(where) as memories:
        assert memories.get(ids[0]) is None
        assert memories.get(ids[1]) is not None
        assert CANARY.encode() not in memories.store.decrypted_image()
        assert memories.store.messages() == []
        assert memories.store.integrity_problems() == []


def test_erase_by_id_and_before(cli, where):
    ids = seed(where)
    assert cli("erase", str(ids[1]), "--yes").exit_code == 0
    assert cli("show", str(ids[1])).exit_code == 3
    assert cli("erase", "--before", "2000-01-01", "--yes").exit_code == 3  # nothing that old
    assert cli("erase", "--before", "2999-01-01", "--yes").exit_code == 0
    assert json.loads(cli("stats", "--json").stdout)["memories"] == 0


def test_erase_needs_yes_when_not_interactive(cli, where):
    seed(where)
    result = cli("erase", "--all")
    assert result.exit_code == 2 and "--yes" in result.output
    assert json.loads(cli("stats", "--json").stdout)["memories"] == 3


def test_erase_keeps_text_still_used_by_a_kept_memory(cli, where):
    with Memories.open(where) as memories:
        ids = memories.remember([NewMemory("green tea"), NewMemory("I drink green tea every morning")]).ids
    result = cli("erase", str(ids[0]), "--yes", "--json")
    assert json.loads(result.stdout)["verified"] is True


def test_chatgpt_export(cli, where):
    result = cli("import", str(FIXTURES / "chatgpt" / "conversations.json"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new"] == 3
    with Memories.open(where) as memories:
        rows = list(memories.store.iter_memories())
    contents = [m.content for m in rows]
    assert "Mia is allergic to shellfish, so no prawns please. Here is the map of our hotel." in contents
    assert not any("draft I edited" in c for c in contents), "only the branch the user kept"
    assert not any("Taberna" in c for c in contents), "assistant replies only with --with-assistant"
    lisbon = next(m for m in rows if "Lisbon" in m.content)
    assert lisbon.provenance["conversation"] == "Planning the Lisbon trip"
    assert lisbon.provenance["message_id"] == "m-user-1"
    assert lisbon.provenance["time"] == "2024-06-01T09:01:00+00:00"
    assert lisbon.source == "import" and lisbon.kind == "episodic"
    hits = json.loads(cli("recall", "what is Mia allergic to", "--json").stdout)
    assert "shellfish" in hits[0]["content"]


def test_chatgpt_export_with_assistant(cli):
    result = cli("import", str(FIXTURES / "chatgpt" / "conversations.json"), "--with-assistant", "--json")
    assert json.loads(result.stdout)["new"] == 6


def test_claude_export(cli, where):
    result = cli("import", str(FIXTURES / "claude" / "conversations.json"), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["new"] == 3 and report["skipped"] == {"attachments": 2}
    with Memories.open(where) as memories:
        rows = {m.content: m for m in memories.store.iter_memories()}
    marathon = rows["I'm training for the Berlin marathon in September; my long runs are on Sundays."]
    assert marathon.provenance["conversation"] == "Marathon training" and marathon.provenance["message_id"] == "m-h-1"
    assert marathon.provenance["time"] == "2025-03-02T08:00:00+00:00" and marathon.kind == "episodic"
    assert "My resting heart rate is about 52." in rows, "plain `text` when there are no content blocks"
    assert not any("16-week plan" in content for content in rows), "assistant replies only with --with-assistant"


def test_claude_export_with_assistant(cli):
    result = cli("import", str(FIXTURES / "claude" / "conversations.json"), "--with-assistant", "--json")
    assert json.loads(result.stdout)["new"] == 4


def test_obsidian_vault(cli, where, tmp_path):
    vault = tmp_path / "Vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "workspace.md").write_text("not a note")
    (vault / "People").mkdir()
    (vault / "People" / "Mia.md").write_text(
        "---\ncreated: 2024-02-03\ntags: [family, sister]\n---\n# Mia\n\nMy sister Mia lives in Lund.\n\nShe loves [[Climbing|bouldering]] #outdoors\n"
    )
    (vault / "Climbing.md").write_text("---\ntags:\n  - sport\n---\nWe climb at Boulder Box on Thursdays, see [[People/Mia]].\n")
    result = cli("import", str(vault), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["new"] == 3
    with Memories.open(where) as memories:
        rows = {m.content: m for m in memories.store.iter_memories()}
        lund = rows["My sister Mia lives in Lund."]
        assert lund.tags == ["family", "outdoors", "sister"] and lund.provenance["file"] == "People/Mia.md"
        assert lund.created_at == pytest.approx(1706918400.0)
        assert "She loves bouldering #outdoors" in rows, "a wiki-link reads as its text"
        climbing = rows["We climb at Boulder Box on Thursdays, see People/Mia."]
        linked = {(src, dst) for src, dst, relation, *_ in memories.store.all_links() if relation == "related"}
        assert (climbing.id, lund.id) in linked and (lund.id, climbing.id) in linked
    assert "not a note" not in rows


def test_a_folder_without_notes_is_a_clear_error(cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("import", str(empty))
    assert result.exit_code == 1 and "no Markdown notes" in result.output


def test_notes_one_memory_per_paragraph(cli, where, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Health\n\nI see Dr Lee every March.\nShe is great.\n\n\n## Food\n\nNo coriander, ever.\n\n")
    result = cli("import", str(notes), "--json")
    assert json.loads(result.stdout)["new"] == 2
    with Memories.open(where) as memories:
        rows = {m.content: m for m in memories.store.iter_memories()}
    assert rows["I see Dr Lee every March.\nShe is great."].provenance == {"file": "notes.md", "section": "Health"}
    assert rows["No coriander, ever."].provenance["section"] == "Food"


def test_jsonl_import(cli, where, tmp_path):
    data = tmp_path / "mine.jsonl"
    data.write_text('{"content": "Buy oat milk", "kind": "note", "tags": ["shopping"]}\n{"text": "Tom is vegan", "created_at": "2024-01-02T10:00:00Z"}\n')
    assert cli("import", str(data)).exit_code == 0
    hits = json.loads(cli("recall", "vegan", "--json").stdout)
    assert hits[0]["content"] == "Tom is vegan" and hits[0]["created_at"] == "2024-01-02T10:00:00+00:00"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.jsonl", '{"content": "fine"}\n{"content": broken}\n', "line 2: not valid JSON"),
        ("bad.json", '[{"content": "ok"}, {"nothing": 1}]', "item 2: no 'content' text"),
        ("truncated.json", '[{"title": "x", "mapping": {', "not valid JSON"),
        ("kind.jsonl", '{"content": "x", "kind": "gossip"}\n', "unknown kind"),
        ("photo.jpg", "\xff\xd8\xff\xe0", "not UTF-8"),
        ("zeros.txt", "text\x00\x00\x00more", "binary"),
        ("empty.txt", "\n\n  \n", "no text"),
        ("foreign.json", '{"users": [1, 2, 3]}', "no 'content' text"),
        ("far.jsonl", '{"content": "x y", "created_at": 1e300}\n', "is not a moment in time"),
        ("tags.jsonl", '{"content": "x y", "tags": 5}\n', "tags must be a list"),
        ("surrogate.jsonl", '{"content": "x \\ud800 y"}\n', "not valid Unicode"),
        ("nested.json", "[" * 100_000, "too deep"),
        ("chat.json", '[{"title": "t", "mapping": {"a": {"message": "just a string"}}}]', "not in a shape secondme can import"),
        ("export.jsonl", '{"type": "header", "format": "secondme-export"}\n{"type": "memory", "id": 1, "content": "x y", '
                         '"kind": "note", "source": "user", "strength": "x"}\n', "strength must be a number"),
        ("links.jsonl", '{"type": "header", "format": "secondme-export"}\n{"type": "link", "dst_id": 2, "relation": "r"}\n',
         "missing field 'src_id'"),
    ],
)
def test_malformed_imports_fail_cleanly_and_import_nothing(cli, where, tmp_path, name, content, message):
    seed(where)
    before = snapshot(where)
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1") if name == "photo.jpg" else content.encode())
    result = cli("import", str(path))
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert snapshot(where) == before


def test_an_import_never_reads_a_file_without_end(cli, tmp_path):
    result = cli("import", "/dev/zero")
    assert result.exit_code == 1 and "not a plain file" in result.output


def test_an_export_never_replaces_the_store_its_key_or_a_device(cli, where, tmp_path):
    seed(where)
    before = snapshot(where)
    for target in (where.database, where.key_file, "/dev/null"):
        result = cli("export", "-o", str(target))
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert snapshot(where) == before


def test_import_of_a_missing_file(cli):
    result = cli("import", "/no/such/file.json")
    assert result.exit_code == 1 and "does not exist" in result.output


def test_huge_notes_file_is_split_not_refused(cli, where, tmp_path):
    big = tmp_path / "big.txt"
    lines = "".join(f"Diary line {i}: " + "nothing much happened today, " * 36 + "\n" for i in range(10000))
    big.write_text(lines)  # ~10 MB in a single paragraph
    assert big.stat().st_size > 10 * 1024 * 1024
    result = cli("import", str(big), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["new"] >= 100


def test_an_erase_whose_rewrite_fails_says_what_it_already_deleted(where, monkeypatch):
    import apsw

    from secondme.memory import transfer
    from secondme.memory.store import Store

    ids = seed(where)

    def broken(self):
        raise apsw.CorruptError("database disk image is malformed")

    monkeypatch.setattr(Store, "compact", broken)
    with Memories.open(where) as memories:
        with pytest.raises(transfer.TransferError, match="1 memory was deleted, but rewriting the file failed"):
            memories.erase([memories.get(ids[0])])
        assert memories.get(ids[0]) is None


def test_notes_that_start_like_json_and_utf16_text_are_notes(cli, tmp_path):
    todo = tmp_path / "todo.md"
    todo.write_text("[TODO] call the plumber\n\n{braces} are fine too\n")
    notepad = tmp_path / "notepad.txt"
    notepad.write_bytes("Hello from Notepad\n".encode("utf-16"))
    for path in (todo, notepad):
        result = cli("import", str(path))
        assert result.exit_code == 0, result.output
    assert cli("recall", "plumber").exit_code == 0 and cli("recall", "Notepad").exit_code == 0


@pytest.mark.parametrize("record,says", [
    ('{"content": "x", "pinned": "false"}', "pinned must be true or false"),
    ('{"content": "x", "tags": [{"a": 1}]}', "tags must be text"),
    ('{"type": "memory", "id": 1, "kind": "note", "content": "z", "source": "user", "importance": 1e308}', "importance must be a number from 0 to 1"),
    ('{"type": "memory", "id": 1, "kind": "note", "content": "z", "source": "user", "versions": ["v1"]}', "each version needs"),
])
def test_a_malformed_record_is_named_in_one_line_before_anything_is_written(cli, tmp_path, record, says):
    header = '{"type": "header", "format": "secondme-export", "version": 1}\n' if '"type"' in record else ""
    path = tmp_path / "bad.jsonl"
    path.write_text(header + record + "\n")
    result = cli("import", str(path))
    assert result.exit_code == 1 and says in result.output and "Error:" not in result.output, result.output


def test_a_chatgpt_message_whose_parts_are_one_text_stays_one_text(cli, tmp_path):
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([{"title": "t", "mapping": {"a": {"message": {
        "author": {"role": "user"}, "content": {"parts": "I drive a Volvo"}, "create_time": 1700000000}}}}]))
    assert cli("import", str(path)).exit_code == 0
    assert "I drive a Volvo" in cli("recall", "Volvo", "--json").stdout


def test_a_markdown_export_brings_back_a_memory_with_headings_whole(cli, tmp_path):
    assert cli("remember", "Packing list for Oslo\n\n## Clothes\n\nwool socks, rain jacket").exit_code == 0
    export = tmp_path / "notes.md"
    assert cli("export", "--format", "markdown", "-o", str(export)).exit_code == 0
    assert cli("erase", "--all", "--yes").exit_code == 0
    assert cli("import", str(export)).exit_code == 0
    memories = json.loads(cli("recall", "Oslo packing list", "--json").stdout)
    assert memories[0]["content"] == "Packing list for Oslo\n\n## Clothes\n\nwool socks, rain jacket"


def test_importing_a_newer_chatgpt_export_adds_only_what_is_new(cli, tmp_path):
    # ChatGPT's exports hold every older chat: importing this month's doubled last month's.
    def conversation(*messages):
        return {"title": "t", "mapping": {str(i): {"parent": str(i - 1) if i else None, "message": {
            "author": {"role": "user"}, "content": {"parts": [text]}, "create_time": when}} for i, (text, when) in enumerate(messages)}}

    older = [conversation(("I drive a Volvo", 1700000000), ("thanks!", 1700000100))]
    newer = older + [conversation(("thanks!", 1700009999.25))]
    for export in (older, newer, newer):
        path = tmp_path / "conversations.json"
        path.write_text(json.dumps(export))
        assert cli("import", str(path)).exit_code == 0
    assert json.loads(cli("stats", "--json").stdout)["memories"] == 3, "a thanks said again later is a new event"


def test_importing_an_export_into_the_store_it_came_from_adds_nothing(cli, where, tmp_path):
    seed(where)
    before = snapshot(where)
    export = tmp_path / "backup.jsonl"
    assert cli("export", "-o", str(export)).exit_code == 0
    for _ in range(2):
        imported = cli("import", str(export), "--json")
        assert imported.exit_code == 0, imported.output
    assert snapshot(where) == before
    with Memories.open(where) as memories:
        assert len(memories.store.sessions()) == 1, "a session restored twice is still one session"


def test_a_note_whose_front_matter_has_block_values_imports(cli, where, tmp_path):
    # A folded description refused the whole vault ("the front matter line ... is not key: value").
    vault = tmp_path / "Vault"
    vault.mkdir()
    (vault / "Trip.md").write_text(
        "---\nsummary: >\n  Two weeks in\n  the Azores\nauthor:\n  name: Ana\ncreated: 2024-02-03\ntags:\n  - travel\n---\n"
        "We hiked Pico at dawn.\n"
    )
    result = cli("import", str(vault), "--json")
    assert result.exit_code == 0, result.output
    with Memories.open(where) as memories:
        hiked = next(m for m in memories.store.iter_memories() if m.content == "We hiked Pico at dawn.")
    assert hiked.tags == ["travel"] and hiked.created_at == pytest.approx(1706918400.0)
