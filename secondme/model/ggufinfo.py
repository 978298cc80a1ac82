"""Reading a GGUF file's header: metadata and tensor layout, without loading any weights.

``gguf.GGUFReader`` parses every tokenizer array into numpy (2 s for SmolLM2); this reader skips
the arrays it does not need and takes ~50 ms. It is also how a missing, foreign or truncated file
is told apart before llama.cpp gets to see it.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path

from secondme.errors import SecondmeError

GGUF_MAGIC = b"GGUF"
DEFAULT_ALIGNMENT = 32

# value type -> struct format of one scalar
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
_STRING, _ARRAY = 8, 9
_KEEP_ARRAYS_UP_TO = 64  # longer arrays (vocabularies, merges) are skipped, only their length kept


class ModelFileError(SecondmeError):
    """The file cannot be used as a model; the message is one line."""


@dataclass
class TensorInfo:
    name: str
    shape: tuple[int, ...]
    type_id: int
    offset: int  # absolute, in the file
    n_bytes: int

    @property
    def n_elements(self) -> int:
        count = 1
        for dim in self.shape:
            count *= dim
        return count


@dataclass
class GGUFInfo:
    path: Path
    version: int
    metadata: dict
    tensors: list[TensorInfo] = field(default_factory=list)
    data_offset: int = 0
    file_size: int = 0

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name") or self.path.stem)

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return int(value) if value is not None else None

    @property
    def block_count(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.block_count")
        return int(value) if value is not None else None

    @property
    def parameters(self) -> int:
        return sum(tensor.n_elements for tensor in self.tensors)

    @property
    def quantization(self) -> str:
        from gguf.constants import LlamaFileType

        file_type = self.metadata.get("general.file_type")
        try:
            return LlamaFileType(int(file_type)).name.removeprefix("MOSTLY_") if file_type is not None else "unknown"
        except ValueError:
            return f"type {file_type}"

    @property
    def chat_template(self) -> str | None:
        return self.metadata.get("tokenizer.chat_template")


def read(path: Path) -> GGUFInfo:
    """Parse the header and check that every tensor's bytes are in the file."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ModelFileError(f"{path} does not exist")
    if not path.is_file():
        raise ModelFileError(f"{path} is not a file")
    size = path.stat().st_size
    with open(path, "rb") as handle:
        if handle.read(4) != GGUF_MAGIC:
            raise ModelFileError(f"{path} is not a GGUF model file")
        if size < 24:
            raise ModelFileError(f"{path} is truncated (only {size} bytes)")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            try:
                info = _parse(view, path, size)
            except (struct.error, IndexError, UnicodeDecodeError, OverflowError):
                raise ModelFileError(f"{path} is truncated or damaged (bad GGUF header)") from None
    end = max((tensor.offset + tensor.n_bytes for tensor in info.tensors), default=info.data_offset)
    if end > size:
        raise ModelFileError(f"{path} is truncated: its tensors need {end:,} bytes, the file has {size:,}")
    return info


def _parse(view: mmap.mmap, path: Path, size: int) -> GGUFInfo:
    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    reader = _Reader(view, 4)
    version = reader.scalar("I")
    if version < 2:
        raise ModelFileError(f"{path} is GGUF version {version}; only 2 and later are supported")
    tensor_count, kv_count = reader.scalar("Q"), reader.scalar("Q")
    if tensor_count > 1_000_000 or kv_count > 1_000_000:
        raise ModelFileError(f"{path} has an implausible GGUF header")
    metadata = {}
    for _ in range(kv_count):
        key = reader.string()
        metadata[key] = reader.value(reader.scalar("I"))
    raw_tensors = []
    for _ in range(tensor_count):
        name = reader.string()
        dims = tuple(reader.scalar("Q") for _ in range(reader.scalar("I")))
        raw_tensors.append((name, dims, reader.scalar("I"), reader.scalar("Q")))
    alignment = int(metadata.get("general.alignment", DEFAULT_ALIGNMENT))
    data_offset = -(-reader.position // alignment) * alignment
    tensors = []
    for name, dims, type_id, offset in raw_tensors:
        try:
            block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(type_id)]
        except (ValueError, KeyError):
            raise ModelFileError(f"{path}: tensor {name} has an unknown type {type_id}") from None
        elements = 1
        for dim in dims:
            elements *= dim
        tensors.append(TensorInfo(name, dims, type_id, data_offset + offset, elements // block * type_size))
    return GGUFInfo(path, version, metadata, tensors, data_offset, size)


class _Reader:
    def __init__(self, view: mmap.mmap, position: int):
        self.view = view
        self.position = position

    def scalar(self, fmt: str):
        (value,) = struct.unpack_from("<" + fmt, self.view, self.position)
        self.position += struct.calcsize(fmt)
        return value

    def string(self) -> str:
        length = self.scalar("Q")
        if self.position + length > len(self.view):
            raise IndexError("string past the end")
        text = self.view[self.position : self.position + length].decode("utf-8")
        self.position += length
        return text

    def value(self, type_id: int):
        if type_id in _SCALARS:
            return self.scalar(_SCALARS[type_id])
        if type_id == _STRING:
            return self.string()
        if type_id == _ARRAY:
            item_type, count = self.scalar("I"), self.scalar("Q")
            if count <= _KEEP_ARRAYS_UP_TO:
                return [self.value(item_type) for _ in range(count)]
            self._skip(item_type, count)
            return f"<{count} items>"
        raise ValueError(f"unknown GGUF value type {type_id}")

    def _skip(self, item_type: int, count: int) -> None:
        if item_type in _SCALARS:
            self.position += struct.calcsize(_SCALARS[item_type]) * count
        elif item_type == _STRING:
            for _ in range(count):
                self.position += 8 + struct.unpack_from("<Q", self.view, self.position)[0]
        else:
            for _ in range(count):
                self.value(item_type)
        if self.position > len(self.view):
            raise IndexError("array past the end")
