"""`secondme model bench`: what a model costs on this machine, streaming or not."""

from __future__ import annotations

import dataclasses
import resource
from contextlib import nullcontext

from secondme.model.llm import GREEDY, LocalModel

PROMPT = [{"role": "user", "content": "Tell me a long story about a lighthouse keeper and a storm."}]


def bench(model: LocalModel, tokens: int = 64) -> dict:
    from secondme.native.streamer import Sampler, read_bytes

    model.load()
    try:
        sampler = Sampler(model.streamer) if model.streamer else nullcontext()
        before = read_bytes()
        with sampler:
            model.generate(PROMPT, dataclasses.replace(GREEDY, max_tokens=tokens))
        stats = model.last_stats
        read = read_bytes() - before
        resident = max(sampler.samples) if model.streamer else _file_resident(model)
        return {
            "model": model.name,
            "load_s": round(model.load_s, 4),
            "ttft_s": round(stats.ttft_s, 4),
            "tok_s": round(stats.decode_tok_s, 2),
            "tokens": stats.completion_tokens,
            "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "read_bytes_per_token": int(read / max(stats.completion_tokens, 1)),
            "max_resident_bytes": resident,
            "budget_bytes": model.streamer.plan.budget if model.streamer else None,
            "streaming": model.streamer.stats() if model.streamer else None,
        }
    finally:
        model.close()


def _file_resident(model: LocalModel) -> int:
    from secondme.native.streamer import file_resident

    return file_resident(model.path)
