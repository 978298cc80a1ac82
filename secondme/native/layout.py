"""Where a model's weights sit in its GGUF file, layer by layer, and how to stream them.

* ``read_layout``: each transformer block's byte ranges in execution order, the tensors outside
  the blocks (embeddings, final norm, output head; a missing output head means the embeddings
  are tied to it, so they are needed twice per token);
* ``relayout``: rewrite a GGUF with its tensors in execution order (lossless: metadata bytes and
  tensor bytes are copied unchanged, only their order and offsets change), so that streaming
  reads one contiguous run per layer, in order;
* ``plan``: under a RAM budget, what to pin (non-block tensors first, then as many blocks as
  fit beside the look-ahead window) and what to stream.
"""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from secondme.model import ggufinfo
from secondme.model.ggufinfo import TensorInfo

_BLOCK = re.compile(r"^blk\.(\d+)\.")
COPY_CHUNK = 16 * 1024 * 1024


class BudgetError(ValueError):
    pass


@dataclass
class Layer:
    index: int
    tensors: list[TensorInfo]

    @property
    def start(self) -> int:
        return min(t.offset for t in self.tensors)

    @property
    def end(self) -> int:
        return max(t.offset + t.n_bytes for t in self.tensors)

    @property
    def span(self) -> int:
        """Bytes from the first tensor to the end of the last (what a prefetch reads)."""
        return self.end - self.start

    @property
    def bytes(self) -> int:
        return sum(t.n_bytes for t in self.tensors)

    @property
    def contiguous(self) -> bool:
        return self.span <= self.bytes + 64 * len(self.tensors)  # alignment padding only


@dataclass
class Layout:
    path: Path
    layers: list[Layer]
    globals: list[TensorInfo]
    data_offset: int
    file_size: int
    tied_output: bool

    @property
    def global_bytes(self) -> int:
        return sum(t.n_bytes for t in self.globals)

    @property
    def in_execution_order(self) -> bool:
        """Blocks are contiguous and follow each other in the file in the order they run."""
        starts = [layer.start for layer in self.layers]
        return all(layer.contiguous for layer in self.layers) and starts == sorted(starts)


def read_layout(path: Path) -> Layout:
    return layout_of(ggufinfo.read(path))


def layout_of(info: ggufinfo.GGUFInfo) -> Layout:
    blocks: dict[int, list[TensorInfo]] = {}
    globals_: list[TensorInfo] = []
    for tensor in info.tensors:
        match = _BLOCK.match(tensor.name)
        if match:
            blocks.setdefault(int(match.group(1)), []).append(tensor)
        else:
            globals_.append(tensor)
    layers = [Layer(index, sorted(blocks[index], key=lambda t: t.offset)) for index in sorted(blocks)]
    names = {tensor.name for tensor in globals_}
    return Layout(info.path, layers, globals_, info.data_offset, info.file_size, tied_output="output.weight" not in names)


# -- relayout -------------------------------------------------------------------------------------


def execution_order(layout: Layout) -> list[TensorInfo]:
    """Embeddings and other inputs first, then block 0, 1, ..., then the output head."""
    head = [t for t in layout.globals if t.name.startswith(("output", "result"))]
    inputs = [t for t in layout.globals if t not in head]
    ordered = sorted(inputs, key=lambda t: t.offset)
    for layer in layout.layers:
        ordered += layer.tensors
    return ordered + sorted(head, key=lambda t: t.offset)


def relayout(source: Path, target: Path) -> Layout:
    """Write ``target``: the same GGUF with tensors stored in execution order."""
    source, target = Path(source), Path(target)
    if source.resolve() == target.resolve():
        raise ValueError("relayout needs a different target file")
    layout = read_layout(source)
    info = ggufinfo.read(source)
    alignment = int(info.metadata.get("general.alignment", ggufinfo.DEFAULT_ALIGNMENT))
    ordered = execution_order(layout)
    with open(source, "rb") as src:
        src.seek(0)
        header = src.read(_tensor_infos_start(src))  # magic, version, counts, key-values: verbatim
        infos, placement, offset = bytearray(), {}, 0
        for tensor in ordered:
            offset = -(-offset // alignment) * alignment
            placement[tensor.name] = offset
            offset += tensor.n_bytes
        for tensor in ordered:
            infos += _tensor_info(tensor, placement[tensor.name])
        prefix = header + infos
        data_start = -(-len(prefix) // alignment) * alignment
        tmp = target.with_name(target.name + ".partial")
        with open(tmp, "wb") as dst:
            dst.write(prefix)
            dst.write(b"\x00" * (data_start - len(prefix)))
            for tensor in ordered:
                dst.write(b"\x00" * (data_start + placement[tensor.name] - dst.tell()))
                _copy(src, dst, tensor.offset, tensor.n_bytes)
            dst.flush()
            os.fsync(dst.fileno())
        tmp.replace(target)
    return read_layout(target)


def _tensor_infos_start(src) -> int:
    import mmap

    view = mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        reader = ggufinfo._Reader(view, 4)
        reader.scalar("I")
        reader.scalar("Q")
        kv_count = reader.scalar("Q")
        for _ in range(kv_count):
            reader.string()
            reader.value(reader.scalar("I"))
        return reader.position
    finally:
        view.close()


def _tensor_info(tensor: TensorInfo, new_offset: int) -> bytes:
    encoded = tensor.name.encode("utf-8")
    dims = tensor.shape
    return (
        struct.pack("<Q", len(encoded)) + encoded + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        + struct.pack("<I", tensor.type_id) + struct.pack("<Q", new_offset)
    )


def _copy(src, dst, offset: int, length: int) -> None:
    src.seek(offset)
    while length:
        block = src.read(min(COPY_CHUNK, length))
        if not block:
            raise ggufinfo.ModelFileError("the source model ended early while copying")
        dst.write(block)
        length -= len(block)


# -- planning -------------------------------------------------------------------------------------


@dataclass
class Plan:
    budget: int
    lookahead: int
    pinned: list[bool]  # per layer
    pinned_bytes: int  # globals + pinned layers
    window_bytes: int  # streamed layers resident at once, at most

    @property
    def peak_bytes(self) -> int:
        return self.pinned_bytes + self.window_bytes


def plan(layout: Layout, budget: int, lookahead: int = 6) -> Plan:
    """Pin the non-block tensors, keep room for ``lookahead`` + 1 streamed blocks, and pin as many
    blocks as the rest of the budget holds (from the first: they are needed soonest)."""
    largest = max(layer.span for layer in layout.layers)
    for ahead in range(lookahead, 0, -1):
        window = (ahead + 1) * largest
        room = budget - layout.global_bytes - window
        if room >= 0:
            break
    else:
        needed = layout.global_bytes + 2 * largest
        raise BudgetError(f"a RAM budget of {budget / 2**20:.0f} MiB cannot hold this model's fixed part and a layer window ({needed / 2**20:.0f} MiB needed)")
    pinned, used = [], 0
    for layer in layout.layers:
        fits = used + layer.span <= room
        pinned.append(fits)
        used += layer.span if fits else 0
    if all(pinned):
        window = 0
    return Plan(budget, ahead, pinned, layout.global_bytes + used, window)
