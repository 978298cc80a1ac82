"""Every test gets its own SECONDME_HOME (config, key, data) in a temp dir.

The embedder's ONNX export is a derived artifact in the cache dir: it is made once per test run
in a temp cache shared by all tests (the export itself is tested in test_embed.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secondme.config import Paths


@pytest.fixture(scope="session")
def cache_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, cache_root: Path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("SECONDME_HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_root))
    for name in ("SECONDME_PASSPHRASE", "SECONDME_NEW_PASSPHRASE", "SECONDME_EXPORT_PASSPHRASE", "SECONDME_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def where(home: Path, cache_root: Path) -> Paths:
    from secondme.config import paths

    return paths()


@pytest.fixture
def memories(where: Paths):
    from secondme.memory.service import Memories

    with Memories.open(where) as opened:
        yield opened


@pytest.fixture
def cli():
    """Run the CLI in-process: cli("recall", "x") -> click Result."""
    from typer.testing import CliRunner

    from secondme.cli import app

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict | None = None):
        return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


