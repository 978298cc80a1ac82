"""The embedder: exported once from the bundled model, checksummed, re-exported when damaged."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from secondme.memory.embed import Embedder, cache_is_valid, ensure_exported


def test_export_is_cached_checked_and_repaired(tmp_path):
    messages: list[str] = []
    model = ensure_exported(tmp_path, messages.append)
    assert messages and "missing" in messages[0]
    assert cache_is_valid(tmp_path)
    messages.clear()
    assert ensure_exported(tmp_path, messages.append) == model and messages == []

    data = bytearray(model.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)  # same size, damaged weights
    model.write_bytes(bytes(data))
    assert not cache_is_valid(tmp_path)
    embedder = Embedder(tmp_path, messages.append)
    assert messages and "corrupt" in messages[0]
    assert cache_is_valid(tmp_path)

    vectors = embedder.embed(["My sister is called Mia", "Mia is my sister's name", "The boiler is broken"])
    assert vectors.shape == (3, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3
    single = embedder.embed_one("My sister is called Mia")
    # int8 activations are quantised per batch, so padding moves a vector very slightly
    assert float(single @ vectors[0]) > 0.98, "batched and single embeddings agree"


def test_a_process_that_exits_while_the_model_opens_exits_cleanly(where):
    """An error or Ctrl-C right after a command starts the embedder must not end in SIGABRT."""
    opening = "from secondme.config import paths; from secondme.memory.embed import Embedder; Embedder(paths().cache_dir)"
    done = subprocess.run([sys.executable, "-c", opening], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-300:]
