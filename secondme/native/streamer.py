"""Streaming a memory-mapped model's weights under a RAM budget, around llama.cpp.

llama.cpp maps the GGUF file and reads it all at load. When the model fits, nothing else is
needed. When it does not, the kernel evicts whatever it likes, usually the layers needed next,
and every token re-reads the model (thrash). The ``FlashStreamer`` keeps the non-layer tensors and
as many layers as fit pinned, evicts each streamed layer once it has run, and prefetches the next
ones from a helper thread, driven by llama.cpp's per-node eval callback (native/_flash.c).
"""

from __future__ import annotations

import ctypes
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from secondme.native import _flash
from secondme.native.layout import Layout, Plan, plan, read_layout

HEADROOM = 512 * 2**20  # left for everything that is not the model: Python, the store, the UI
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.I)


def parse_size(text: str) -> int:
    """'2G', '512M', '1.5GiB', '300000' -> bytes."""
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a size (use e.g. 512M or 2G)")
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * 1024 ** " kmgt".index(unit or " "))


def read_ahead_bytes(path: Path) -> int:
    """The block device's read-ahead window: WILLNEED calls larger than this are cut short."""
    try:
        device = os.stat(path).st_dev
        major, minor = os.major(device), os.minor(device)
        sys_dir = Path(f"/sys/dev/block/{major}:{minor}")
        for candidate in (sys_dir / "queue" / "read_ahead_kb", sys_dir.resolve().parent / "queue" / "read_ahead_kb"):
            if candidate.exists():
                return max(4096, int(candidate.read_text()) * 1024)
    except (OSError, ValueError):
        pass
    return 128 * 1024


def available_memory() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 2**62


def kv_cache_bytes(metadata: dict, n_ctx: int) -> int:
    arch = metadata.get("general.architecture", "")
    layers = int(metadata.get(f"{arch}.block_count", 0))
    heads = int(metadata.get(f"{arch}.attention.head_count", 1) or 1)
    kv_heads = int(metadata.get(f"{arch}.attention.head_count_kv", heads) or heads)
    embedding = int(metadata.get(f"{arch}.embedding_length", 0))
    head_dim = int(metadata.get(f"{arch}.attention.key_length", embedding // max(heads, 1)))
    return n_ctx * layers * 2 * kv_heads * head_dim * 2  # K and V, f16


def automatic_budget(file_size: int, kv_bytes: int) -> int | None:
    """A budget when the model, its KV cache and some headroom do not fit in available memory."""
    available = available_memory()
    if file_size + kv_bytes + HEADROOM <= available:
        return None
    return max(available - kv_bytes - HEADROOM, 0)


def find_mapping(path: Path) -> tuple[int, int, int]:
    """(address, length, file offset) of this process's mapping of ``path`` (llama.cpp's)."""
    target = os.stat(path)
    best = None
    for line in Path("/proc/self/maps").read_text().splitlines():
        parts = line.split()
        if len(parts) < 6:
            continue
        device, inode = parts[3], int(parts[4])
        if inode != target.st_ino or int(device.split(":")[0], 16) != os.major(target.st_dev):
            continue
        start, end = (int(x, 16) for x in parts[0].split("-"))
        if best is None or end - start > best[1]:
            best = (start, end - start, int(parts[2], 16))
    if best is None:
        raise RuntimeError(f"{path} is not memory-mapped by this process (was the model loaded with mmap?)")
    return best


def ggml_get_name_address() -> int:
    """Address of ggml_get_name in the ggml library llama-cpp-python loaded."""
    import llama_cpp

    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    for name in ("libggml-base.so", "libggml.so"):
        candidate = lib_dir / name
        if candidate.exists():
            library = ctypes.CDLL(str(candidate))
            if hasattr(library, "ggml_get_name"):
                return ctypes.cast(library.ggml_get_name, ctypes.c_void_p).value
    raise RuntimeError("ggml_get_name was not found in llama-cpp-python's libraries")


@dataclass
class Sampler:
    """Samples the model's resident bytes every ``interval`` seconds while running."""

    streamer: FlashStreamer
    interval: float = 0.005
    samples: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self._run, daemon=True, name="residency-sampler")
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            if self.streamer.tokens >= 1:  # the first token is still clearing the load's residency
                self.samples.append(self.streamer.resident())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(self.streamer.resident())


class FlashStreamer:
    """Created before the model loads (its callback goes into the context), attached after."""

    def __init__(self, path: Path, budget: int, lookahead: int = 6, layout: Layout | None = None):
        self.path = Path(path)
        self.layout = layout or read_layout(self.path)
        self.plan: Plan = plan(self.layout, budget, lookahead)
        self.chunk = read_ahead_bytes(self.path)
        self._native = _flash.Streamer(
            eviction_ranges(self.layout, self.plan.pinned),
            self.plan.pinned,
            self.plan.lookahead,
            self.chunk,
            ggml_get_name_address(),
        )
        self._fd: int | None = None
        self._warm_up: threading.Thread | None = None
        self.mapping: tuple[int, int, int] | None = None

    @contextmanager
    def hooked(self):
        """While llama.cpp builds its context, give it our eval callback."""
        import llama_cpp.llama_cpp as bindings

        original = bindings.llama_context_default_params
        callback = bindings.ggml_backend_sched_eval_callback(self._native.callback_address)
        self._callback = callback  # keep the ctypes object alive as long as the context

        def defaults():
            params = original()
            params.cb_eval = callback
            params.cb_eval_user_data = ctypes.c_void_p(self._native.user_data_address)
            return params

        bindings.llama_context_default_params = defaults
        try:
            yield
        finally:
            bindings.llama_context_default_params = original

    def attach(self) -> None:
        """After the load: find llama.cpp's mapping and start managing it. The budget holds from
        the end of the first token on (the load itself reads the whole file)."""
        self.mapping = find_mapping(self.path)
        address, length, offset = self.mapping
        self._fd = os.open(self.path, os.O_RDONLY)
        os.fsync(self._fd)  # dirty pages (a freshly written file) cannot be dropped from the cache
        self._native.attach(address, length, offset, self._fd)
        self._native.settle()
        if self.pinned_resident() < self.plan.pinned_bytes:
            self._warm_up = threading.Thread(target=self.warm_up, daemon=True, name="flash-warm-up")
            self._warm_up.start()

    @property
    def tokens(self) -> int:
        return self._native.stats()["tokens"]

    def warm_up(self) -> None:
        """Bring the pinned part in, in the background (the load reads the whole file, but on a
        machine short of memory the kernel may already have let some of it go)."""
        address, _, offset = self.mapping
        for tensor in self.layout.globals:
            _flash.prefetch(address + tensor.offset - offset, tensor.n_bytes, self.chunk)
        for layer, pinned in zip(self.layout.layers, self.plan.pinned):
            if pinned:
                _flash.prefetch(address + layer.start - offset, layer.span, self.chunk)

    def pinned_resident(self) -> int:
        address, _, offset = self.mapping
        ranges = [(t.offset, t.n_bytes) for t in self.layout.globals]
        ranges += [(layer.start, layer.span) for layer, pinned in zip(self.layout.layers, self.plan.pinned) if pinned]
        return sum(_flash.resident(address + start - offset, size) for start, size in ranges)

    def resident(self) -> int:
        if self.mapping is None:
            return 0
        address, length, _ = self.mapping
        return _flash.resident(address, length)

    def set_enabled(self, enabled: bool) -> None:
        self._native.set_enabled(enabled)

    def stats(self) -> dict:
        return {**self._native.stats(), "pinned_bytes": self.plan.pinned_bytes, "window_bytes": self.plan.window_bytes,
                "budget": self.plan.budget, "lookahead": self.plan.lookahead}

    def close(self) -> None:
        """Stop touching the mapping; call before llama.cpp unmaps the model."""
        if self._warm_up is not None:
            self._warm_up.join()
        self._native.shutdown()
        self.mapping = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


FOLIO = 2 << 20  # page-cache folios grow up to 2 MiB (PMD size); a partly covered one is never dropped


def eviction_ranges(layout: Layout, pinned: list[bool]) -> list[tuple[int, int, int, int]]:
    """(start, span, evict start, evict span) per layer. The page cache keeps files in folios of
    up to 2 MiB, and POSIX_FADV_DONTNEED leaves any folio the range only partly covers: a layer
    would leak its edges every token. So eviction reaches back to the folio boundary before the
    layer when what lies there is the previous layer in execution order (done, not pinned); the
    edge shared with the next layer goes when that one is evicted."""
    ranges = []
    previous_end: dict[int, int] = {layer.end: layer.index for layer in layout.layers}
    for layer in layout.layers:
        start = layer.start
        before = previous_end.get(_last_end_before(layout, layer.start))
        if layer.index > 0 and before == layer.index - 1 and not pinned[before]:
            start = max(layout.layers[before].start, layer.start - layer.start % FOLIO)
        ranges.append((layer.start, layer.span, start, layer.end - start))
    return ranges


def _last_end_before(layout: Layout, offset: int) -> int:
    ends = [layer.end for layer in layout.layers if layer.end <= offset]
    return max(ends) if ends else -1


def evict_file(path: Path) -> int:
    """Drop a file (not mapped by anyone) from the page cache; returns bytes still resident."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        os.fsync(fd)  # dirty pages cannot be dropped
        _flash.drop_file_cache(fd, 0, size)
        return _flash.file_resident(fd, 0, size)
    finally:
        os.close(fd)


def file_resident(path: Path) -> int:
    fd = os.open(path, os.O_RDONLY)
    try:
        return _flash.file_resident(fd, 0, os.fstat(fd).st_size)
    finally:
        os.close(fd)


def read_bytes() -> int:
    """Bytes this process made the kernel fetch from storage (/proc/self/io)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("read_bytes:"):
            return int(line.split()[1])
    return 0
