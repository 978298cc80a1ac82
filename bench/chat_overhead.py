"""What memory costs a chat turn: Assistant.turn() on a 10k-memory store vs bare llama-cpp-python.

Turns alternate a request the model answers ("write me a note about what happened in Paris")
and a question about the user, which the bundled model's Assistant reads out of memory (no model
at all: answer.py). For each request, Assistant.turn() runs (recall, gate, prompt, stream,
remember), then bare llama-cpp-python streams the very same messages with the same model file,
threads and greedy sampling: decode speed and time to first token are compared turn by turn.
Memory work is the time a turn spends outside the model (before the first token and after the
last one); for a question read out of memory it is the whole turn (recall, reading, remembering).
Requests for a suggestion (suggest.py) are timed as memory's work before the answer or the prompt.

    python bench/chat_overhead.py [--memories 10000] [--turns 20] [--threads 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import synthetic

from secondme.assistant import Assistant
from secondme.config import Paths, paths as default_paths
from secondme.memory.service import Memories
from secondme.model.llm import LocalModel, Sampling
from secondme.model.registry import bundled_model

SAMPLING = Sampling(temperature=0.0, top_k=1, top_p=1.0, min_p=0.0, repeat_penalty=1.0, max_tokens=64)


def bare_turn(llm, messages: list[dict]) -> tuple[float, float, int]:
    """(ttft_s, decode tok/s, tokens) for plain create_chat_completion."""
    started = time.perf_counter()
    first = last = None
    tokens = 0
    for chunk in llm.create_chat_completion(
        messages, stream=True, max_tokens=SAMPLING.max_tokens, temperature=0.0, top_k=1, top_p=1.0, min_p=0.0, repeat_penalty=1.0
    ):
        if chunk["choices"][0]["delta"].get("content"):
            last = time.perf_counter()
            first = first or last
            tokens += 1
    decode = (tokens - 1) / (last - first) if tokens > 1 and last > first else 0.0
    return (first or time.perf_counter()) - started, decode, tokens


def run(memory_count: int, turns: int, threads: int, repack: bool) -> dict:
    from llama_cpp import Llama

    model_path = bundled_model()
    cache_dir = default_paths().cache_dir
    with tempfile.TemporaryDirectory(prefix="chat-bench-") as home:
        synthetic.build_store(Path(home), cache_dir, memory_count)
        where = Paths(Path(home), Path(home), cache_dir)
        with Memories.open(where, create=False) as memories:
            memories.warm()
            model = LocalModel(model_path, n_ctx=4096, n_threads=threads)
            model.load()
            bare = Llama(model_path=str(model_path), n_ctx=4096, n_threads=threads, n_threads_batch=threads, n_batch=512, verbose=False)
            if not repack:
                bare.close()
                from secondme.model.bindings import no_weight_repacking

                with no_weight_repacking():
                    bare = Llama(model_path=str(model_path), n_ctx=4096, n_threads=threads, n_threads_batch=threads, n_batch=512, verbose=False)
            assistant = Assistant(memories, model, sampling=SAMPLING)
            rows = []
            read_rows = []
            for number, query in enumerate(synthetic.queries(turns + 2, seed=5)[:turns]):
                if number % 2:  # a question about the user: read out of memory, no model
                    result = assistant.turn(query)
                    read_rows.append((result.memory_ms + result.remember_ms, result.memory_ms))
                    continue
                request = f"Write me a short note about this: {query}"
                first = started = None

                def on_token(_piece: str) -> None:
                    nonlocal first
                    first = first or time.perf_counter()

                def assistant_turn():
                    nonlocal started
                    started = time.perf_counter()
                    return assistant.turn(request, on_token=on_token)

                if number % 4 == 2:  # alternate who goes first, so that neither always runs on a warmer cache
                    expected = assistant.build_prompt(request, assistant.recall_for(request)[0], assistant.profile()).messages
                    ttft, decode, tokens = bare_turn(bare, expected)
                    result = assistant_turn()
                else:
                    result = assistant_turn()
                    ttft, decode, tokens = bare_turn(bare, assistant.last_prompt.messages)
                rows.append(
                    {
                        "assistant_ttft_s": (first or time.perf_counter()) - started,
                        "model_ttft_s": result.stats.ttft_s,
                        "assistant_decode": result.stats.decode_tok_s,
                        "bare_ttft_s": ttft,
                        "bare_decode": decode,
                        "memory_ms": result.memory_ms + result.remember_ms,
                        "before_ms": result.memory_ms,
                        "after_ms": result.remember_ms,
                        "memories_in_prompt": len(result.used),
                        "prompt_tokens": result.stats.prompt_tokens,
                    }
                )
            suggesting = [timed_plan(assistant, request) for _ in range(2) for request in SUGGESTIONS]
            bare.close()
            model.close()
    median = lambda key: statistics.median(row[key] for row in rows)  # noqa: E731
    read = [whole for whole, _ in read_rows]
    return {
        "read_turn_ms_p50": round(statistics.median(read), 2),
        "read_turn_ms_p95": p95(read),
        "read_before_answer_ms_p95": p95([before for _, before in read_rows]),
        "suggestion_plan_ms_p50": round(statistics.median(suggesting), 2),
        "suggestion_plan_ms_p95": p95(suggesting),
        "decode_ratio": round(median("assistant_decode") / median("bare_decode"), 3),
        "ttft_ratio": round(median("assistant_ttft_s") / median("bare_ttft_s"), 3),
        "memory_ms_p50": round(median("memory_ms"), 2),
        "memory_ms_p95": p95([row["memory_ms"] for row in rows]),
        "model_ttft_ratio": round(median("model_ttft_s") / median("bare_ttft_s"), 3),
        "assistant_decode_tok_s": round(median("assistant_decode"), 1),
        "bare_decode_tok_s": round(median("bare_decode"), 1),
        "assistant_ttft_ms": round(median("assistant_ttft_s") * 1000, 1),
        "bare_ttft_ms": round(median("bare_ttft_s") * 1000, 1),
        "before_first_token_ms_p50": round(median("before_ms"), 2),
        "before_first_token_ms_p95": p95([row["before_ms"] for row in rows]),
        "after_last_token_ms_p50": round(median("after_ms"), 2),
        "memories_in_prompt_p50": median("memories_in_prompt"),
        "prompt_tokens_p50": median("prompt_tokens"),
        "turns": turns,
        "memories": memory_count,
        "threads": threads,
        "bare_repacks_weights": repack,
        "load_average": round(os.getloadavg()[0], 2),
    }


# Requests for a suggestion: memory looks for what it must keep to (suggest.py) and what is loved
# (loves.py, each part it may quote scored by the embedder) before the model would be asked, with
# one more recall per kind of suggestion.
SUGGESTIONS = ("Suggest a dinner I could cook tonight", "what drinks should I buy for the party?", "what's the best way to travel to Leeds?",
               "what time should I propose for the meeting?", "give me an idea for a dessert for Sunday", "snack ideas for the kids' football team",
               "pick a film for tonight", "gift ideas for my sister?", "what music should I put on for my run?")


def timed_plan(assistant: Assistant, request: str) -> float:
    """Memory's work for a suggestion before anything is shown: the plan (read, suggested or prompted)."""
    started = time.perf_counter()
    assistant.plan(request)
    return (time.perf_counter() - started) * 1000


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memories", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--bare-repack", action="store_true", help="let bare llama.cpp repack weights (its default)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run(args.memories, args.turns, args.threads, args.bare_repack)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"chat overhead: {args.turns} turns (half requests, half questions), {args.memories} memories, {args.threads} threads, SmolLM2-135M, greedy, 64 tokens")
    print(f"{'':34}{'Assistant.turn':>16}{'bare':>10}")
    print(f"{'decode tok/s (median)':34}{report['assistant_decode_tok_s']:>16}{report['bare_decode_tok_s']:>10}   ratio {report['decode_ratio']}")
    print(f"{'time to first token ms (median)':34}{report['assistant_ttft_ms']:>16}{report['bare_ttft_ms']:>10}   ratio {report['ttft_ratio']}")
    print(f"memory work per model turn: p50 {report['memory_ms_p50']} ms, p95 {report['memory_ms_p95']} ms "
          f"(before first token p50 {report['before_first_token_ms_p50']} ms, p95 {report['before_first_token_ms_p95']} ms; "
          f"after last p50 {report['after_last_token_ms_p50']} ms)")
    print(f"a question read out of memory (the whole turn): p50 {report['read_turn_ms_p50']} ms, p95 {report['read_turn_ms_p95']} ms "
          f"(before the answer shows: p95 {report['read_before_answer_ms_p95']} ms)")
    print(f"a request for a suggestion (memory's work before an answer or a prompt): p50 {report['suggestion_plan_ms_p50']} ms, "
          f"p95 {report['suggestion_plan_ms_p95']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
