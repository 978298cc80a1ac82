#!/usr/bin/env bash
# Install secondme and everything it needs into ./.venv (Python >= 3.11).
#   ./install.sh            the app
#   ./install.sh --test     the app and the test tools
#   ./install.sh --rebuild  also rebuild llama.cpp now (e.g. after moving the disk to another machine)
#
# llama.cpp (llama-cpp-python) is compiled for the CPU it is installed on (GGML_NATIVE=ON): the
# fastest code for this CPU and nothing it lacks (forced ISA flags died with SIGILL on AMD CPUs
# without AVX-VNNI). pip caches built wheels by version, not by build flags, so llama-cpp-python
# is built without the wheel cache and what was built is recorded in .venv/llama-build.txt
# (version, CMAKE_ARGS, CPU): a re-run rebuilds only when one of them changed. Extra CMake
# options (e.g. a GPU backend) can be passed in CMAKE_ARGS. torch is pinned to the local CPU
# wheel; it is used once, to export the bundled embedding model to ONNX.
set -euo pipefail
cd "$(dirname "$0")"

extras="" rebuild=""
for argument in "$@"; do
    case "$argument" in
        --test) extras="[test]" ;;
        --rebuild) rebuild=1 ;;
        -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown option $argument (use --test, --rebuild)" >&2; exit 2 ;;
    esac
done

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "error: secondme needs Python 3.11 or newer ($("$python" --version) found); set PYTHON=..." >&2
    exit 2
}

cpu_identity() {
    uname -sm
    if [ -r /proc/cpuinfo ]; then
        grep -m1 -E '^(model name|CPU part)' /proc/cpuinfo || true
        grep -m1 -E '^(flags|Features)' /proc/cpuinfo || true
    else
        sysctl -n machdep.cpu.brand_string 2>/dev/null || true
    fi
}

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip

llama_version=$(sed -n 's/.*"llama-cpp-python==\([0-9][0-9.]*\)".*/\1/p' pyproject.toml)
[ -n "$llama_version" ] || { echo "error: pyproject.toml must pin llama-cpp-python==VERSION" >&2; exit 2; }
build_args="-DGGML_NATIVE=ON${CMAKE_ARGS:+ $CMAKE_ARGS}"
wanted=$(printf 'llama-cpp-python %s\nCMAKE_ARGS %s\n%s\n' "$llama_version" "$build_args" "$(cpu_identity)")
record=.venv/llama-build.txt
if [ -n "$rebuild" ] || [ ! -f "$record" ] || [ "$(cat "$record")" != "$wanted" ] \
    || ! .venv/bin/python -c 'import llama_cpp' 2>/dev/null; then
    echo "Building llama.cpp for this CPU (about 6 minutes on 2 cores)..." >&2
    rm -f "$record"
    CMAKE_ARGS="$build_args" .venv/bin/python -m pip install --quiet --no-cache-dir --force-reinstall --no-deps \
        "llama-cpp-python==$llama_version"
    printf '%s\n' "$wanted" > "$record"
fi

echo "Installing secondme..." >&2
.venv/bin/python -m pip install --quiet --editable ".${extras}"
# Byte-compile now: one-shot commands like `secondme recall` then start faster even where
# PYTHONDONTWRITEBYTECODE is set.
.venv/bin/python -m compileall -q secondme
echo "Installed. Run: .venv/bin/secondme chat   (.venv/bin/secondme doctor checks that the model runs here)" >&2
