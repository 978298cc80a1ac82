"""The CPU probe: a llama.cpp that would die on this CPU is an error with the fix, not a crash."""

from __future__ import annotations

import json
import sys

import pytest

from secondme.model import probe
from secondme.model.registry import bundled_model
from secondme.tui.app import SecondMeApp
from secondme.tui.screens.browser import MemoryBrowserScreen

from test_tui import SIZE, banner_text, until


def dying_child(signal_name: str):
    """A child that reports its build like the real one, then dies as a wrong build does."""
    code = (
        "import os, signal; print('system_info CPU : SSE3 = 1 | AVX2 = 1 | AVX512 = 1 | OPENMP = 1 |', flush=True);"
        f" os.kill(os.getpid(), signal.{signal_name})"
    )
    return lambda model_path, threads, tokens: [sys.executable, "-c", code]


@pytest.fixture
def fresh_probe(monkeypatch, tmp_path):
    """No verdict cached, neither in this process nor on disk."""
    monkeypatch.setattr(probe, "_verified", set())
    monkeypatch.setattr(probe, "CACHE_FILE", f"llama-probe-{tmp_path.name}.json")


def test_the_real_build_runs_here_and_the_verdict_is_cached(tmp_path, fresh_probe):
    cache = tmp_path / "probe.json"
    result = probe.check(bundled_model(), cache, fresh=True, tokens=8)
    assert result.ok and not result.cached, result.detail
    assert result.tok_s > 0 and result.load_s > 0
    assert "SmolLM2" in result.detail and "tok/s" in result.detail
    assert result.features, "the build describes the CPU features it uses"
    assert result.missing_features == [], "the build must not use what this CPU lacks"
    again = probe.check(bundled_model(), cache)
    assert again.ok and again.cached


def test_sigill_in_the_child_becomes_the_fix(monkeypatch, tmp_path, fresh_probe):
    monkeypatch.setattr(probe, "child_command", dying_child("SIGILL"))
    result = probe.check(bundled_model(), tmp_path / "probe.json")
    assert not result.ok
    assert result.detail.startswith("llama.cpp was built for another CPU")
    assert "./install.sh --rebuild" in result.detail and "\n" not in result.detail
    assert result.features == ["SSE3", "AVX2", "AVX512", "OPENMP"]
    cached = probe.check(bundled_model(), tmp_path / "probe.json")
    assert cached.cached and not cached.ok, "a crash is remembered until the build changes"


def test_a_segfault_is_reported_too(monkeypatch, tmp_path, fresh_probe):
    monkeypatch.setattr(probe, "child_command", dying_child("SIGSEGV"))
    result = probe.check(bundled_model(), tmp_path / "probe.json")
    assert not result.ok and "crashed (SIGSEGV)" in result.detail and "--rebuild" in result.detail


def test_ask_exits_2_with_one_line_instead_of_dying(cli, monkeypatch, fresh_probe):
    monkeypatch.setattr(probe, "child_command", dying_child("SIGILL"))
    result = cli("ask", "What is my sister called?")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "built for another CPU" in lines[0] and "./install.sh --rebuild" in lines[0]
    assert "Traceback" not in result.output


def test_doctor_shows_the_model_check_and_the_cpu_features(cli, fresh_probe):
    checks = {check["name"]: check for check in json.loads(cli("doctor", "--json").stdout)}
    assert checks["model"]["ok"] and "tok/s" in checks["model"]["detail"]
    assert checks["cpu"]["ok"] and checks["cpu"]["detail"].startswith("llama.cpp uses")


def test_doctor_with_a_wrong_build_says_what_to_do(cli, monkeypatch, fresh_probe):
    monkeypatch.setattr(probe, "child_command", dying_child("SIGILL"))
    result = cli("doctor")
    assert result.exit_code == 1
    assert "FAIL model: llama.cpp was built for another CPU" in result.output and "--rebuild" in result.output


async def test_the_tui_stays_open_with_a_banner(where, monkeypatch, fresh_probe):
    monkeypatch.setattr(probe, "child_command", dying_child("SIGILL"))
    async with SecondMeApp(where=where).run_test(size=SIZE) as pilot:
        app = pilot.app
        await until(pilot, lambda: banner_text(app))
        assert "built for another CPU" in banner_text(app) and "--rebuild" in banner_text(app)
        assert app.model is None and app.screen is app.chat
        await until(pilot, lambda: app.memories is not None)
        await pilot.press("ctrl+b")
        assert isinstance(app.screen, MemoryBrowserScreen), "memory browsing still works"
