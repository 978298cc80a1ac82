"""A local GGUF model through llama-cpp-python: load, stream, cancel, count tokens, measure.

Knows nothing about memory: it turns chat messages into text with the model's own chat template.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from secondme.errors import EXIT_USAGE, SecondmeError
from secondme.model import bindings, ggufinfo
from secondme.model.ggufinfo import ModelFileError

DEFAULT_CONTEXT = 4096
FALLBACK_TEMPLATE = (
    "{% for message in messages %}{{ message['role'] | capitalize }}: {{ message['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}Assistant:{% endif %}"
)


class ModelError(SecondmeError):
    """The model cannot be loaded or cannot run; the message is one line."""


class ModelCannotRun(ModelError):
    """llama.cpp crashes on this CPU (built for another one): the fix is a rebuild, not a retry."""

    code = EXIT_USAGE


@dataclass(frozen=True)
class Sampling:
    """Defaults that keep a small model from looping: a repetition penalty over a long window,
    min-p to cut the tail, and a moderate temperature."""

    temperature: float = 0.6
    top_p: float = 0.9
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.15
    max_tokens: int = 400
    seed: int | None = None


GREEDY = Sampling(temperature=0.0, top_k=1, top_p=1.0, min_p=0.0, repeat_penalty=1.0)


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    ttft_s: float = 0.0
    decode_tok_s: float = 0.0
    total_s: float = 0.0
    finish: str = "stop"  # stop | length | cancelled | loop

    def as_dict(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in self.__dict__.items()}


@dataclass
class ModelInfo:
    path: Path
    name: str
    architecture: str
    parameters: int
    quantization: str
    context_length: int | None
    file_size: int
    chat_template: bool
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {**{k: str(v) if isinstance(v, Path) else v for k, v in self.__dict__.items() if k != "extra"}, **self.extra}


def display_name(path: Path, info: ModelInfo | None) -> str:
    """The file name says what users recognise (general.name is often odd: "Smollm2 135M 8k
    Lc100K Mix1 Ep2"), except for content-addressed blobs (Ollama's sha256-...), where only the
    header has a name."""
    if path.name.startswith("sha256-") and info is not None:
        return info.name
    return path.stem


def describe(path: Path) -> ModelInfo:
    """Header facts about a GGUF file; raises ModelFileError for missing, foreign, truncated files."""
    return _model_info(ggufinfo.read(path))


def _model_info(info: ggufinfo.GGUFInfo) -> ModelInfo:
    return ModelInfo(
        path=info.path,
        name=info.name,
        architecture=info.architecture,
        parameters=info.parameters,
        quantization=info.quantization,
        context_length=info.context_length,
        file_size=info.file_size,
        chat_template=info.chat_template is not None,
    )


def choose_threads(sample_s: float = 0.05) -> int:
    """Threads for decoding: every core that other work is not using right now (DESIGN: a busy
    second core drops 2-thread decode from ~84 to 1.6 tok/s, while 1 thread holds ~53). Measured
    over a short sample of /proc/stat rather than the load average, which remembers our own past
    minute of work."""
    cores = os.cpu_count() or 1
    try:
        machine_before, own_before = cpu_seconds()
        time.sleep(sample_s)
        machine_after, own_after = cpu_seconds()
    except (OSError, ValueError, IndexError):
        return cores
    others = max(0.0, (machine_after - machine_before) - (own_after - own_before)) / sample_s
    return max(1, min(cores, round(cores - others)))


def cpu_seconds() -> tuple[float, float]:
    """(CPU seconds the whole machine has been busy, steal included; this process's)."""
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    ticks = os.sysconf("SC_CLK_TCK")
    own = os.times()
    return (user + nice + system + irq + softirq + steal) / ticks, own.user + own.system


_LOAD_LOCK = threading.Lock()


class ChatTemplate:
    """The model's own chat template (Jinja, from the GGUF), tolerant of the templates that refuse
    a system message or insist that user and assistant alternate (Gemma 1-2, Mistral, some
    Llama 2 variants): those get the system text folded into the first user turn, and
    consecutive turns of one role joined."""

    def __init__(self, template: str, eos_token: str, bos_token: str, stop_token_ids: list[int]):
        import jinja2
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        try:
            self._formatter = Jinja2ChatFormatter(template=template, eos_token=eos_token, bos_token=bos_token, stop_token_ids=stop_token_ids)
        except jinja2.TemplateSyntaxError:  # a template jinja cannot parse: the plain one will do
            self._formatter = Jinja2ChatFormatter(template=FALLBACK_TEMPLATE, eos_token=eos_token, bos_token=bos_token, stop_token_ids=stop_token_ids)
        self._strict = False

    def __call__(self, *, messages: list[dict]):
        import jinja2

        if not self._strict:
            try:
                return self._formatter(messages=messages)
            except (ValueError, jinja2.TemplateError):
                self._strict = True
        try:
            return self._formatter(messages=alternating(messages))
        except (ValueError, jinja2.TemplateError) as exc:
            raise ModelError(f"the model's chat template refuses this conversation: {exc}") from None


def alternating(messages: list[dict]) -> list[dict]:
    """user/assistant turns only, alternating, starting with the user: the system text opens the
    first user turn, consecutive turns of one role are joined."""
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    turns: list[dict] = []
    for message in (m for m in messages if m["role"] != "system"):
        if turns and turns[-1]["role"] == message["role"]:
            turns[-1] = {"role": message["role"], "content": turns[-1]["content"] + "\n\n" + message["content"]}
        else:
            turns.append(dict(message))
    if not turns or turns[0]["role"] != "user":
        turns.insert(0, {"role": "user", "content": ""})
    if system:
        turns[0] = {"role": "user", "content": f"{system}\n\n{turns[0]['content']}".strip()}
    return turns


class LocalModel:
    """``ram_budget``: bytes the model's weights may occupy; None decides by itself (stream only
    when the model, its KV cache and some headroom do not fit in available memory)."""

    def __init__(self, path: Path, n_ctx: int | None = None, n_threads: int | None = None, ram_budget: int | None = None):
        self.path = Path(path)
        self.requested_ctx = n_ctx
        self.requested_threads = n_threads
        self.n_threads = self.n_threads_batch = n_threads or 0  # 0: chosen at load
        self.ram_budget = ram_budget
        self.info: ModelInfo | None = None
        self.streamer = None  # a FlashStreamer when the weights stream from flash
        self.load_s = 0.0
        self.last_stats = GenerationStats()
        self._llm = None
        self._formatter = None

    @property
    def name(self) -> str:
        return display_name(self.path, self.info)

    @property
    def loaded(self) -> bool:
        return self._llm is not None

    @property
    def n_ctx(self) -> int:
        return self._llm.n_ctx() if self._llm else (self.requested_ctx or DEFAULT_CONTEXT)

    def inspect(self) -> ModelInfo:
        """Read the file's header (what it is, how big) without loading the weights."""
        if self.info is None:
            self.info = describe(self.path)
        return self.info

    def load(self, probe: bool = True) -> None:
        """Check the file, make sure llama.cpp can run it on this CPU (``probe``: in a child
        process, once per build, CPU and model), then load it (blocking: call from a worker
        thread). Raises ModelError, or ModelCannotRun when llama.cpp would crash here."""
        try:
            header = ggufinfo.read(self.path)
        except ModelFileError as exc:
            raise ModelError(str(exc)) from None
        if probe:
            self._probe()
        self.info = _model_info(header)
        n_ctx = self.requested_ctx or min(self.info.context_length or DEFAULT_CONTEXT, DEFAULT_CONTEXT)
        self.streamer = self._streamer_for(header, n_ctx)
        if not self.requested_threads:
            self.n_threads = self.n_threads_batch = choose_threads()
        if self.streamer and not self.requested_threads:
            # Streaming is bound by storage; its prefetch thread needs a core more than the
            # decoder needs a second one (measured: 23 vs 17 tok/s for SmolLM2 at half its size).
            self.n_threads = max(1, self.n_threads - 1)  # prompts still use every core
        started = time.perf_counter()
        try:
            from llama_cpp import Llama

            bindings.silence_logs()
            with _LOAD_LOCK, bindings.no_weight_repacking(), (self.streamer.hooked() if self.streamer else nullcontext()):
                self._llm = Llama(
                    model_path=str(self.path),
                    n_ctx=n_ctx,
                    n_threads=self.n_threads,
                    n_threads_batch=self.n_threads_batch,
                    n_batch=512,
                    last_n_tokens_size=256,
                    use_mmap=True,
                    verbose=False,
                )
            if self.streamer:
                self.streamer.attach()
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"llama.cpp cannot load {self.path.name}: {exc}") from None
        self.load_s = time.perf_counter() - started
        self._formatter = self._make_formatter()

    def _probe(self) -> None:
        from secondme.config import paths
        from secondme.model import probe

        verdict = probe.check(self.path, paths().cache_dir / probe.CACHE_FILE)
        if not verdict.ok:
            raise ModelCannotRun(verdict.detail)

    def _streamer_for(self, header: ggufinfo.GGUFInfo, n_ctx: int):
        from secondme.native.layout import BudgetError, layout_of
        from secondme.native.streamer import FlashStreamer, automatic_budget, kv_cache_bytes

        budget = self.ram_budget
        if budget is None:
            budget = automatic_budget(header.file_size, kv_cache_bytes(header.metadata, n_ctx))
        if budget is None or budget >= header.file_size:
            return None
        try:
            return FlashStreamer(self.path, budget, layout=layout_of(header))
        except BudgetError as exc:
            raise ModelError(str(exc)) from None

    def _make_formatter(self):
        llm = self._llm
        eos, bos = llm.token_eos(), llm.token_bos()
        text_of = lambda token: llm.detokenize([token], special=True).decode("utf-8", "ignore") if token >= 0 else ""  # noqa: E731
        template = llm.metadata.get("tokenizer.chat_template") or FALLBACK_TEMPLATE
        return ChatTemplate(template, eos_token=text_of(eos), bos_token=text_of(bos), stop_token_ids=[eos])

    def close(self) -> None:
        if self.streamer is not None:
            self.streamer.close()  # first: its thread reads pages of llama.cpp's mapping
        if self._llm is not None:
            self._llm.close()
            self._llm = None

    # -- tokens ----------------------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        if self._llm is None:
            return len(text) // 4 + 1  # before loading: a rough estimate is all we need
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def prompt_tokens(self, messages: Sequence[dict]) -> list[int]:
        formatted = self._formatter(messages=list(messages))
        return self._llm.tokenize(formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special, special=True)

    def render(self, messages: Sequence[dict]) -> str:
        """The exact text the model will read."""
        return self._formatter(messages=list(messages)).prompt

    # -- generation ------------------------------------------------------------------------------

    def stream(
        self, messages: Sequence[dict], sampling: Sampling = Sampling(), cancel: threading.Event | None = None
    ) -> Iterator[str]:
        """Yield the answer piece by piece; ``last_stats`` is complete when the iterator ends.
        Setting ``cancel`` stops after the current token."""
        if self._llm is None:
            raise ModelError("the model is not loaded yet")
        formatted = self._formatter(messages=list(messages))
        tokens = self._llm.tokenize(formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special, special=True)
        room = self.n_ctx - len(tokens)
        if room < 16:
            raise ModelError(f"the prompt ({len(tokens)} tokens) does not fit the context ({self.n_ctx})")
        stats = GenerationStats(prompt_tokens=len(tokens))
        self.last_stats = stats
        started = time.perf_counter()
        first = last = None
        text = ""
        pieces = self._llm.create_completion(
            prompt=tokens,
            max_tokens=min(sampling.max_tokens, room),
            temperature=sampling.temperature,
            top_p=sampling.top_p,
            top_k=sampling.top_k,
            min_p=sampling.min_p,
            repeat_penalty=sampling.repeat_penalty,
            seed=sampling.seed,
            stop=formatted.stop,
            stopping_criteria=formatted.stopping_criteria,
            stream=True,
        )
        try:
            for chunk in pieces:
                choice = chunk["choices"][0]
                piece = choice.get("text") or ""
                if piece:
                    last = time.perf_counter()
                    first = first or last
                    stats.completion_tokens += 1
                    text += piece
                    yield piece
                if choice.get("finish_reason"):
                    stats.finish = choice["finish_reason"]
                if cancel is not None and cancel.is_set():
                    stats.finish = "cancelled"
                    break
                if stats.completion_tokens % 8 == 0 and is_looping(text):
                    stats.finish = "loop"
                    break
        finally:
            pieces.close()
            if first is not None:
                stats.ttft_s = first - started
                if stats.completion_tokens > 1 and last > first:
                    stats.decode_tok_s = (stats.completion_tokens - 1) / (last - first)
            stats.total_s = time.perf_counter() - started

    def generate(self, messages: Sequence[dict], sampling: Sampling = Sampling()) -> str:
        return "".join(self.stream(messages, sampling))


def is_looping(text: str, repeats: int = 3) -> bool:
    """The text ends with the same stretch (8-200 chars) said ``repeats`` times in a row."""
    tail = text[-600:]
    for width in range(8, min(200, len(tail) // repeats) + 1):
        unit = tail[-width:]
        if tail.endswith(unit * repeats):
            return True
    return False
