"""Flash streaming: GGUF layout, relayout, residency control (checked with mincore), and the
streamer on the real bundled model."""

from __future__ import annotations

import dataclasses
import json
import mmap
import os
from pathlib import Path

import numpy as np
import pytest

from secondme.model.bindings import no_weight_repacking
from secondme.model.llm import GREEDY, LocalModel
from secondme.model.registry import bundled_model
from secondme.native import _flash
from secondme.native.layout import BudgetError, plan, read_layout, relayout
from secondme.native.streamer import FOLIO, Sampler, automatic_budget, eviction_ranges, evict_file, file_resident, find_mapping, parse_size

PROMPT = [{"role": "user", "content": "Write a short story about a dragon who learns to cook."}]


def tiny_gguf(path: Path, layers: int = 4, tied: bool = True, order: str = "lexicographic") -> dict[str, np.ndarray]:
    """A llama-shaped GGUF with random tensors, its blocks stored as gguf writers usually sort them."""
    import gguf

    rng = np.random.default_rng(1)
    tensors = {"token_embd.weight": rng.standard_normal((64, 32)).astype(np.float32), "output_norm.weight": np.ones(32, np.float32)}
    if not tied:
        tensors["output.weight"] = rng.standard_normal((64, 32)).astype(np.float32)
    for block in range(layers):
        for part, shape in (("attn_q", (32, 32)), ("attn_k", (16, 32)), ("ffn_up", (64, 32)), ("attn_norm", (32,))):
            tensors[f"blk.{block}.{part}.weight"] = rng.standard_normal(shape).astype(np.float32)
    names = sorted(tensors) if order == "lexicographic" else list(tensors)
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(layers)
    writer.add_context_length(128)
    writer.add_string("general.name", "tiny")
    for name in names:
        writer.add_tensor(name, tensors[name])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return tensors


def tensor_bytes(path: Path) -> dict[str, bytes]:
    from secondme.model import ggufinfo

    data = path.read_bytes()
    return {t.name: data[t.offset : t.offset + t.n_bytes] for t in ggufinfo.read(path).tensors}


# -- layout ---------------------------------------------------------------------------------------


def test_layout_of_a_tiny_model(tmp_path):
    path = tmp_path / "tiny.gguf"
    tiny_gguf(path, layers=12)
    layout = read_layout(path)
    assert [layer.index for layer in layout.layers] == list(range(12))
    assert all(layer.contiguous for layer in layout.layers)
    assert layout.tied_output and {t.name for t in layout.globals} == {"token_embd.weight", "output_norm.weight"}
    assert not layout.in_execution_order, "blk.10 and blk.11 sort before blk.2"
    assert layout.layers[0].bytes == (32 * 32 + 16 * 32 + 64 * 32 + 32) * 4


def test_untied_output_head(tmp_path):
    path = tmp_path / "untied.gguf"
    tiny_gguf(path, tied=False)
    assert not read_layout(path).tied_output


def test_relayout_is_lossless_and_in_execution_order(tmp_path):
    source, target = tmp_path / "tiny.gguf", tmp_path / "ordered.gguf"
    tiny_gguf(source, layers=12)
    layout = relayout(source, target)
    assert layout.in_execution_order
    assert tensor_bytes(source) == tensor_bytes(target)
    from secondme.model import ggufinfo

    assert ggufinfo.read(source).metadata == ggufinfo.read(target).metadata
    with pytest.raises(ValueError):
        relayout(source, source)


def test_plan_pins_what_fits(tmp_path):
    path = tmp_path / "tiny.gguf"
    tiny_gguf(path, layers=12)
    layout = read_layout(path)
    everything = plan(layout, layout.file_size * 2)
    assert all(everything.pinned) and everything.window_bytes == 0
    largest = max(layer.span for layer in layout.layers)
    tight = plan(layout, layout.global_bytes + 6 * largest, lookahead=4)
    assert not all(tight.pinned) and tight.peak_bytes <= tight.budget
    with pytest.raises(BudgetError):
        plan(layout, layout.global_bytes)


def test_sizes_and_automatic_budget():
    assert parse_size("2G") == 2 * 2**30 and parse_size("512M") == 512 * 2**20 and parse_size("1.5GiB") == int(1.5 * 2**30)
    with pytest.raises(ValueError):
        parse_size("lots")
    assert automatic_budget(100, 10) is None  # a tiny model always fits
    assert automatic_budget(2**50, 2**20) is not None


# -- residency control on a plain file ---------------------------------------------------------------


def test_residency_eviction_and_prefetch_with_mincore(tmp_path):
    path = tmp_path / "weights.bin"
    size = 16 * 2**20
    path.write_bytes(os.urandom(size))
    assert evict_file(path) == 0, "POSIX_FADV_DONTNEED on an unmapped file empties its cache"
    fd = os.open(path, os.O_RDONLY)
    view = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    try:
        address, length, offset = find_mapping(path)
        assert length >= size and offset == 0
        assert _flash.resident(address, size) == 0
        _flash.prefetch(address, 4 * 2**20, 512 * 1024)
        assert _flash.resident(address, 4 * 2**20) == 4 * 2**20
        assert _flash.resident(address + 8 * 2**20, 4 * 2**20) == 0, "nothing beyond the range"
        view.read(size)  # fault everything in
        assert _flash.resident(address, size) == size
        freed = _flash.evict(address + FOLIO, 4 * FOLIO, fd, FOLIO)
        assert freed == 4 * FOLIO
        assert _flash.resident(address + FOLIO, 4 * FOLIO) == 0
        assert _flash.resident(address, FOLIO) == FOLIO, "the neighbours stay"
        assert file_resident(path) == size - 4 * FOLIO
    finally:
        view.close()
        os.close(fd)


def test_eviction_ranges_reach_back_only_into_the_previous_layer(tmp_path):
    path = tmp_path / "ordered.gguf"
    tiny_gguf(tmp_path / "tiny.gguf", layers=6)
    layout = relayout(tmp_path / "tiny.gguf", path)
    ranges = eviction_ranges(layout, [True, False, False, False, False, False])
    (start0, _, evict0, _), (start1, _, evict1, _) = ranges[0], ranges[1]
    assert evict0 == start0, "layer 0's predecessor is not a layer"
    assert evict1 == start1, "layer 1 must not reach into pinned layer 0"
    assert all(evict >= layout.layers[i - 1].start for i, (_, _, evict, _) in enumerate(ranges) if i > 1)


# -- the streamer on the bundled model --------------------------------------------------------------


@pytest.fixture(scope="module")
def ordered_model(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("models") / "smollm2-ordered.gguf"
    relayout(bundled_model(), target)
    return target


def generate(path: Path, budget: int | None, tokens: int = 24) -> tuple[str, LocalModel, list[int]]:
    model = LocalModel(path, n_threads=2, ram_budget=budget)
    model.load()
    try:
        samples: list[int] = []
        if model.streamer:
            with Sampler(model.streamer) as sampler:
                text = model.generate(PROMPT, dataclasses.replace(GREEDY, max_tokens=tokens))
            samples = sampler.samples
        else:
            text = model.generate(PROMPT, dataclasses.replace(GREEDY, max_tokens=tokens))
        return text, model, samples
    finally:
        model.close()


def test_streaming_under_half_the_model_gives_identical_output(ordered_model):
    size = ordered_model.stat().st_size
    plain, _, _ = generate(ordered_model, None)
    budget = size // 2
    streamed, model, samples = generate(ordered_model, budget)
    assert model.streamer is not None and streamed == plain
    stats = model.streamer.stats()
    assert stats["tokens"] >= 20 and stats["evicted_bytes"] > 0 and stats["prefetched_bytes"] > 0
    assert max(samples) <= budget + model.streamer.plan.window_bytes


def test_relayout_gives_identical_logits(ordered_model):
    from llama_cpp import Llama

    logits = []
    for path in (bundled_model(), ordered_model):
        with no_weight_repacking():
            llm = Llama(model_path=str(path), n_ctx=256, n_threads=2, logits_all=True, verbose=False)
        tokens = llm.tokenize(b"The lighthouse keeper watched the storm", add_bos=True)
        llm.eval(tokens)
        logits.append(np.array(llm.scores[: len(tokens)], copy=True))
        llm.close()
    assert np.array_equal(logits[0], logits[1])


def test_a_budget_too_small_is_a_clear_error(ordered_model):
    from secondme.model.llm import ModelError

    with pytest.raises(ModelError, match="cannot hold"):
        LocalModel(ordered_model, ram_budget=2**20).load()


def test_model_bench_and_relayout_commands(cli, tmp_path):
    target = tmp_path / "ordered.gguf"
    assert cli("model", "relayout", str(bundled_model()), str(target)).exit_code == 0
    assert read_layout(target).in_execution_order
    assert cli("model", "relayout", str(bundled_model()), str(target)).exit_code == 2, "never overwrites"
    plain = json.loads(cli("model", "bench", str(target), "--tokens", "16", "--json").stdout)
    assert plain["streaming"] is None and plain["tok_s"] > 0 and plain["peak_rss_bytes"] > 0
    budget = target.stat().st_size // 2
    streamed = json.loads(cli("model", "bench", str(target), "--tokens", "16", "--ram-budget", str(budget), "--json").stdout)
    assert streamed["streaming"]["tokens"] >= 8 and streamed["budget_bytes"] == budget
    assert streamed["max_resident_bytes"] <= budget + streamed["streaming"]["window_bytes"]
    assert streamed["read_bytes_per_token"] >= 0
    bad = cli("model", "bench", "--ram-budget", "lots")
    assert bad.exit_code == 2 and "not a size" in bad.output
