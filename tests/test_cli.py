"""The CLI through typer's CliRunner: exit codes, JSON shapes, bad input as one line."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest


def remember(cli, text: str, *args: str) -> dict:
    result = cli("remember", text, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_remember_then_recall_json(cli):
    stored = remember(cli, "My sister is called Mia", "--kind", "fact", "--tag", "family")
    assert stored["status"] == "active" and isinstance(stored["id"], int)
    remember(cli, "I'm vegetarian since 2019", "--kind", "preference")
    result = cli("recall", "what is my sister's name", "--json")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == stored["id"]
    for field in ("id", "content", "score", "kind", "source", "status", "created_at", "trust", "retention"):
        assert field in hits[0]
    assert hits[0]["source"] == "user" and hits[0]["trust"] > 0.8


def test_recall_explain_and_nothing_found(cli):
    remember(cli, "The boiler was repaired on Tuesday")
    explained = cli("recall", "boiler repaired", "--explain")
    assert explained.exit_code == 0 and "words #1" in explained.stdout
    missing = cli("recall", "zzxqv qqwwee", "--json")
    assert missing.exit_code == 3 and json.loads(missing.stdout) == [], "nothing found has its own exit code"


def test_duplicate_is_not_stored_twice(cli):
    first = remember(cli, "I like green tea")
    again = remember(cli, "  I like green tea ")
    assert again["id"] == first["id"] and again["duplicate"] is True


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "AND OR NOT", "NEAR(a b)", "col:value*", "^start -minus +plus", "'); DROP TABLE memories; --", "🙂🎉", "x" * 5000],
)
def test_fts_syntax_in_queries_is_just_text(cli, query):
    remember(cli, 'She said "AND OR NOT" out loud 🙂 🎉')
    result = cli("recall", query, "--json")
    assert result.exit_code in (0, 3), result.output
    json.loads(result.stdout)


def test_emoji_and_quotes_round_trip(cli):
    stored = remember(cli, 'Mia\'s "favourite" cake: 🍰 with ümlauts')
    shown = json.loads(cli("show", str(stored["id"]), "--json").stdout)
    assert shown["content"] == 'Mia\'s "favourite" cake: 🍰 with ümlauts'
    hits = json.loads(cli("recall", "🍰 cake", "--json").stdout)
    assert hits[0]["id"] == stored["id"]


def test_huge_input_is_refused_in_one_line(cli):
    result = cli("remember", "-", input="x" * (10 * 1024 * 1024))
    assert result.exit_code == 2
    assert "limited to" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 2


def test_binary_stdin_is_refused(cli):
    result = cli("remember", "-", input="abc\x00\x01\x02")
    assert result.exit_code == 2 and "binary" in result.output


def test_show_and_forget(cli):
    stored = remember(cli, "The spare key is under the blue pot")
    shown = cli("show", str(stored["id"]))
    assert shown.exit_code == 0 and "blue pot" in shown.stdout
    assert cli("forget", str(stored["id"])).exit_code == 0
    assert cli("recall", "spare key", "--json").exit_code == 3
    assert cli("forget", "99999").exit_code == 3
    assert cli("show", "99999").exit_code == 3
    assert cli("history", "99999").exit_code == 3


def test_recall_filters(cli):
    remember(cli, "Tom likes chess", "--kind", "fact")
    remember(cli, "I like chess openings", "--kind", "preference")
    hits = json.loads(cli("recall", "chess", "--kind", "preference", "--json").stdout)
    assert [hit["kind"] for hit in hits] == ["preference"]
    assert cli("recall", "chess", "--since", "2000-01-01", "--json").exit_code == 0
    assert cli("recall", "chess", "--until", "2000-01-01", "--json").exit_code == 3
    bad = cli("recall", "chess", "--since", "last tuesday")
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_commands_that_read_find_nothing_before_anything_is_remembered(cli):
    for args in (("recall", "anything"), ("stats",), ("show", "1"), ("export", "-o", "out.jsonl")):
        result = cli(*args)
        assert result.exit_code == 3 and "no memories yet" in result.output, args


def test_reading_or_asking_nothing_is_refused_before_any_work(cli):
    for args in (("ask", ""), ("ask", "   "), ("context", ""), ("remember", " ")):
        result = cli(*args)
        assert result.exit_code == 2 and "is empty" in result.output, args


def test_stats_and_doctor(cli):
    remember(cli, "Stats need something to count")
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["memories"] == 1 and stats["cipher"] == "chacha20" and stats["key_mode"] == "device"
    doctor = cli("doctor")
    assert doctor.exit_code == 0, doctor.output
    assert "FAIL" not in doctor.output


def test_passphrase_mode(cli, where, monkeypatch):
    remember(cli, "Protected by a passphrase")
    assert cli("passwd", env={"SECONDME_NEW_PASSPHRASE": "correct horse battery"}).exit_code == 0
    assert json.loads(where.key_file.read_text())["mode"] == "passphrase"
    assert stat.S_IMODE(where.key_file.stat().st_mode) == 0o600
    locked = cli("recall", "passphrase")
    assert locked.exit_code == 2 and "SECONDME_PASSPHRASE" in locked.output
    wrong = cli("recall", "passphrase", env={"SECONDME_PASSPHRASE": "wrong one"})
    assert wrong.exit_code == 2 and "wrong passphrase" in wrong.output
    right = cli("recall", "passphrase", "--json", env={"SECONDME_PASSPHRASE": "correct horse battery"})
    assert right.exit_code == 0 and json.loads(right.stdout)[0]["content"] == "Protected by a passphrase"
    changed = cli("passwd", env={"SECONDME_PASSPHRASE": "correct horse battery", "SECONDME_NEW_PASSPHRASE": "another good one"})
    assert changed.exit_code == 0
    assert cli("recall", "passphrase", env={"SECONDME_PASSPHRASE": "correct horse battery"}).exit_code == 2
    removed = cli("passwd", "--remove", env={"SECONDME_PASSPHRASE": "another good one"})
    assert removed.exit_code == 0
    assert cli("recall", "passphrase").exit_code == 0


def test_bad_usage_exits_2(cli):
    assert cli("recall").exit_code == 2
    assert cli("erase", "--all", "--query", "x", "--yes").exit_code == 2
    assert cli("remember", "x", "--kind", "nonsense").exit_code == 2
    assert cli("remember", "x y z", "--tag", " ").exit_code == 2
    assert cli("review", "--approve", "1", "--reject", "1").exit_code == 2
    assert cli("model", "use", "").exit_code == 2
    assert cli("show", str(10**20)).exit_code == 2
    assert cli("remember", "a\udcffb").exit_code == 2  # a byte that is not UTF-8, as Python holds it
    refused = cli("export", "--encrypt", "-o", "out.jsonl", env={"SECONDME_EXPORT_PASSPHRASE": "long enough \udcff"})
    assert refused.exit_code == 2 and "SECONDME_EXPORT_PASSPHRASE is not UTF-8" in refused.output


def test_text_that_looks_like_markup_is_shown_as_written(cli):
    text = "see [/] here and [bold]this[/bold] too"
    stored = remember(cli, text)
    for result in (cli("recall", "here"), cli("show", str(stored["id"]))):
        assert result.exit_code == 0 and "Traceback" not in result.output
        assert text in result.output


def test_small_conveniences_of_a_command_line(cli):
    assert cli("--version").stdout.startswith("secondme ")
    remember(cli, "The spare key is under the blue pot")
    to_stdout = cli("export", "-o", "-")
    assert to_stdout.exit_code == 0 and "blue pot" in to_stdout.stdout and not Path("-").exists()
