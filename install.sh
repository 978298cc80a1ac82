#!/usr/bin/env bash
# Install secondme and everything it needs into ./.venv (Python >= 3.11).
#   ./install.sh          the app
#   ./install.sh --test   the app and the test tools
# llama-cpp-python is compiled here with explicit CPU flags: a default (native) build crashes in
# the AMX matmul on CPUs that advertise AMX (see DESIGN.md). torch is pinned to the local CPU wheel;
# it is used once, to export the bundled embedding model to ONNX.
set -euo pipefail
cd "$(dirname "$0")"

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "error: secondme needs Python 3.11 or newer ($("$python" --version) found); set PYTHON=..." >&2
    exit 2
}
extras=""
if [ "${1:-}" = "--test" ]; then extras="[test]"; fi

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
export CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON -DGGML_AVX_VNNI=ON"
echo "Installing secondme (the first time builds llama.cpp: about 5 minutes)..." >&2
.venv/bin/python -m pip install --quiet --editable ".${extras}"
# Byte-compile now: one-shot commands like `secondme recall` then start faster even where
# PYTHONDONTWRITEBYTECODE is set.
.venv/bin/python -m compileall -q secondme
echo "Installed. Run: .venv/bin/secondme chat" >&2
