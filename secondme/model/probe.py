"""Can llama.cpp run on this CPU? Asked once, in a child process, before the first generation.

A llama.cpp compiled for another CPU (a venv moved to another machine, a wheel built with forced
ISA flags) does not fail politely: the first decode executes an instruction the CPU lacks and
the process dies with SIGILL, taking a chat or a half-typed answer with it. No Python code can
catch that, so a child loads the model and decodes a few tokens first; a signal there becomes a
one-line error with the fix. The verdict is cached on disk per llama.cpp build, CPU and model
file, so it costs one child process (~1 s) the first time and nothing afterwards.

Run as ``python -m secondme.model.probe MODEL`` it is that child: it prints the build's CPU
features first (so they are known even when the decode then crashes), then what the decode cost.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from secondme.model import bindings

CACHE_FILE = "llama-probe.json"
REBUILD_HINT = "run ./install.sh --rebuild"
CACHE_ENTRIES = 32
TIMEOUT_S = 120.0
TIMEOUT_S_PER_GIB = 30.0  # a first read of a big model from a slow disk
PROBE_TOKENS = 4
INFO_PREFIX, RESULT_PREFIX, ERROR_PREFIX = "system_info ", "result ", "error "
# llama.cpp's names for what it was compiled with -> /proc/cpuinfo's names for what the CPU has.
CPUINFO_FLAGS = {
    "SSE3": "pni", "SSSE3": "ssse3", "AVX": "avx", "AVX2": "avx2", "F16C": "f16c", "FMA": "fma",
    "BMI2": "bmi2", "AVX_VNNI": "avx_vnni", "AVX512": "avx512f", "AVX512_VBMI": "avx512vbmi",
    "AVX512_VNNI": "avx512_vnni", "AVX512_BF16": "avx512_bf16", "AMX_INT8": "amx_int8",
    "NEON": "asimd", "DOTPROD": "asimddp", "MATMUL_INT8": "i8mm", "SVE": "sve", "FP16_VA": "asimdhp", "SME": "sme",
}

_verified: set[str] = set()  # keys that ran in this process's lifetime (no file read needed)


@dataclass
class ProbeResult:
    ok: bool
    detail: str  # one line: what ran, or what went wrong and what to do
    features: list[str] = field(default_factory=list)  # CPU features the build uses
    load_s: float = 0.0
    tok_s: float = 0.0
    cached: bool = False

    @property
    def missing_features(self) -> list[str]:
        """Features the build uses that this CPU does not report (Linux x86 only; else empty)."""
        have = cpu_flags()
        if not have:
            return []
        return [name for name in self.features if name in CPUINFO_FLAGS and CPUINFO_FLAGS[name] not in have]


def check(model_path: Path, cache_file: Path | None, fresh: bool = False, threads: int = 1, tokens: int = PROBE_TOKENS) -> ProbeResult:
    """The verdict for this build, CPU and model: from the cache unless ``fresh``."""
    key = probe_key(model_path)
    if not fresh:
        if key in _verified:
            return ProbeResult(True, "verified in this process", cached=True)
        cached = _read_cache(cache_file).get(key)
        if cached is not None:
            result = ProbeResult(**{**cached, "cached": True})
            if result.ok:
                _verified.add(key)
            return result
    result = run_child(model_path, threads, tokens)
    if result is None:  # inconclusive (timed out): let the real load try, ask again next time
        return ProbeResult(True, "the probe did not finish in time")
    if result.ok:
        _verified.add(key)
    _write_cache(cache_file, key, result)
    return result


def run_child(model_path: Path, threads: int, tokens: int) -> ProbeResult | None:
    try:
        size_gib = model_path.stat().st_size / 2**30
    except OSError as exc:
        return ProbeResult(False, f"cannot read {model_path}: {exc.strerror}")
    try:
        done = subprocess.run(
            child_command(model_path, threads, tokens),
            capture_output=True, text=True, timeout=TIMEOUT_S + TIMEOUT_S_PER_GIB * size_gib, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return None
    return interpret(model_path, done.returncode, done.stdout, done.stderr)


def child_command(model_path: Path, threads: int, tokens: int) -> list[str]:
    return [sys.executable, "-m", "secondme.model.probe", str(model_path), "--threads", str(threads), "--tokens", str(tokens)]


def interpret(model_path: Path, returncode: int, stdout: str, stderr: str) -> ProbeResult:
    """What the child's exit and output mean for the user."""
    features: list[str] = []
    report: dict = {}
    error = ""
    for line in stdout.splitlines():
        if line.startswith(INFO_PREFIX):
            features = parse_features(line[len(INFO_PREFIX) :])
        elif line.startswith(RESULT_PREFIX):
            report = json.loads(line[len(RESULT_PREFIX) :])
        elif line.startswith(ERROR_PREFIX):
            error = line[len(ERROR_PREFIX) :]
    name = model_path.name
    if returncode < 0:
        return ProbeResult(False, crash_message(-returncode, name, features), features)
    if returncode != 0 or not report:
        last = error or (stderr.strip().splitlines() or ["no output"])[-1]
        return ProbeResult(False, f"llama.cpp cannot run {name}: {last}", features)
    return ProbeResult(
        True, f"{name} runs: load {report['load_s']:.2f} s, {report['tok_s']:.0f} tok/s", features, report["load_s"], report["tok_s"]
    )


def crash_message(signal_number: int, model_name: str, features: list[str]) -> str:
    try:
        name = signal.Signals(signal_number).name
    except ValueError:
        name = f"signal {signal_number}"
    if signal_number == signal.SIGILL:
        missing = ProbeResult(False, "", features).missing_features
        lacking = f": this CPU lacks {', '.join(missing)}" if missing else ""
        return f"llama.cpp was built for another CPU (illegal instruction running {model_name}{lacking}): {REBUILD_HINT}"
    return f"llama.cpp crashed ({name}) running {model_name}: {REBUILD_HINT}, or try another model"


def parse_features(system_info: str) -> list[str]:
    """'CPU : SSE3 = 1 | AVX = 1 | AVX512 = 0 | ...' -> ['SSE3', 'AVX']."""
    features = []
    for part in system_info.replace("CPU :", "|").split("|"):
        name, _, value = part.partition("=")
        if value.strip() == "1" and name.strip():
            features.append(name.strip())
    return features


# -- what the verdict depends on -------------------------------------------------------------------


def probe_key(model_path: Path) -> str:
    """One key per llama.cpp build (its libraries' sizes and times), CPU and model file."""
    parts = [build_identity(), cpu_identity()]
    try:
        info = model_path.stat()
        parts.append(f"{model_path.resolve()}:{info.st_size}:{info.st_mtime_ns}")
    except OSError:
        parts.append(str(model_path))
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def build_identity() -> str:
    try:
        distribution = metadata.distribution("llama-cpp-python")
    except metadata.PackageNotFoundError:
        return "llama-cpp-python missing"
    libraries = []
    for file in distribution.files or ():
        if file.suffix in {".so", ".dylib", ".dll"}:
            path = Path(distribution.locate_file(file))
            try:
                stat = path.stat()
            except OSError:
                continue
            libraries.append(f"{file}:{stat.st_size}:{stat.st_mtime_ns}")
    return distribution.version + "|" + "|".join(sorted(libraries))


def cpu_identity() -> str:
    return "|".join([platform.machine(), platform.processor(), " ".join(sorted(cpu_flags()))])


def cpu_flags() -> set[str]:
    """The CPU's feature flags as Linux reports them (empty elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                if line.startswith(("flags", "Features")):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


# -- the cache -------------------------------------------------------------------------------------


def _read_cache(cache_file: Path | None) -> dict:
    if cache_file is None:
        return {}
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(cache_file: Path | None, key: str, result: ProbeResult) -> None:
    if cache_file is None:
        return
    entries = _read_cache(cache_file)
    entries.pop(key, None)
    entries[key] = {name: value for name, value in asdict(result).items() if name != "cached"}
    kept = dict(list(entries.items())[-CACHE_ENTRIES:])
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_name(f".{cache_file.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(kept, indent=1), encoding="utf-8")
        os.replace(tmp, cache_file)
    except OSError:
        pass  # a cache that cannot be written only costs another probe next time


# -- the child -------------------------------------------------------------------------------------


def _child(argv: list[str]) -> int:
    """Load the model as LocalModel does (no weight repacking) and decode a few tokens greedily."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m secondme.model.probe")
    parser.add_argument("model", type=Path)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tokens", type=int, default=PROBE_TOKENS)
    args = parser.parse_args(argv)

    print(INFO_PREFIX + bindings.system_info(), flush=True)
    from llama_cpp import Llama

    bindings.silence_logs()
    started = time.perf_counter()
    try:
        with bindings.no_weight_repacking():
            llm = Llama(model_path=str(args.model), n_ctx=256, n_threads=args.threads, n_threads_batch=args.threads, verbose=False)
    except (ValueError, RuntimeError, OSError) as exc:
        print(ERROR_PREFIX + " ".join(str(exc).split()), flush=True)
        return 1
    load_s = time.perf_counter() - started
    stamps = []
    for _chunk in llm.create_completion("Hello, my name is", max_tokens=args.tokens, temperature=0.0, top_k=1, stream=True):
        stamps.append(time.perf_counter())
    tok_s = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 and stamps[-1] > stamps[0] else 0.0
    llm.close()
    print(RESULT_PREFIX + json.dumps({"load_s": load_s, "tok_s": tok_s}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
