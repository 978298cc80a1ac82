"""`secondme doctor`: checks a user can act on, each with a one-line verdict."""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass

from secondme.config import Paths, paths as default_paths


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def run(open_memories: Callable, where: Paths | None = None) -> list[Check]:
    where = where or default_paths()
    results = [_permissions(where)]
    results.append(_key_file(where))
    results.extend(_store(open_memories, where))
    results.append(_embedder(where))
    results.extend(_model(where))
    return results


def _permissions(where: Paths) -> Check:
    loose = []
    wanted_modes = {where.config_dir: 0o700, where.data_dir: 0o700, where.key_file: 0o600, where.database: 0o600}  # one home: one folder
    for path, wanted in wanted_modes.items():
        if path.exists() and stat.S_IMODE(path.stat().st_mode) & ~wanted:
            loose.append(f"{path} is {oct(stat.S_IMODE(path.stat().st_mode))}, should be {oct(wanted)} (chmod {wanted:o} {path})")
    return Check("permissions", not loose, "; ".join(loose) or "key and store readable by you only")


def _key_file(where: Paths) -> Check:
    from secondme.memory.keys import UnlockError, read_key_file

    try:
        key_file = read_key_file(where.key_file)
    except UnlockError as exc:
        return Check("key", False, str(exc))
    if key_file is None:
        if where.database.exists():
            return Check("key", False, f"{where.key_file} is missing: the store cannot be opened")
        return Check("key", True, "none yet (created on first use)")
    return Check("key", True, f"{key_file.mode} key in {where.key_file}")


def _store(open_memories: Callable, where: Paths) -> list[Check]:
    from secondme.memory import repair

    if not where.database.exists():
        return [Check("store", True, f"none yet at {where.database} (created on first use)")]
    try:
        memories = open_memories(create=False)
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return [Check("store", False, str(exc))]
    with memories:
        health = memories.health()
    problems, count, cipher = health["problems"], health["count"], health["cipher"]
    held = f"{count} memories" if count is not None else "memories uncounted (a damaged page)"
    checks = [
        Check("store", True, f"{where.database}: {held}, encrypted with {cipher}"),
        Check("integrity", not problems, _damage(problems) if problems else "database, full-text index and vectors consistent"),
    ]
    copies = repair.damaged_copies(where.database)
    if copies:
        checks.append(Check("repair", True, f"the damaged file is kept as {', '.join(map(str, copies))}: an erase cannot reach it, so delete it once nothing in it is needed"))
    return checks


def _damage(problems: list[str]) -> str:
    shown = "; ".join(problem[:120] for problem in problems[:2])
    more = f" (and {len(problems) - 2} more)" if len(problems) > 2 else ""
    return f"{shown}{more}; `secondme doctor --repair` moves what can still be read into a new store"


def _embedder(where: Paths) -> Check:
    from secondme.memory.embed import EmbedderError, bundled_model_dir, cache_is_valid

    try:
        bundled_model_dir()
    except EmbedderError as exc:
        return Check("embedder", False, str(exc))
    if cache_is_valid(where.cache_dir):
        return Check("embedder", True, "ONNX export cached and its checksum matches")
    return Check("embedder", True, "not exported yet, or damaged: it will be (re-)exported on next use")


def _model(where: Paths) -> list[Check]:
    """The probe, run afresh (it is what `chat` and `ask` run before their first token), and the
    CPU features llama.cpp was compiled for next to those this CPU has."""
    from secondme.config import load_settings
    from secondme.model import probe
    from secondme.model.ggufinfo import ModelFileError
    from secondme.model.llm import choose_threads
    from secondme.model.registry import resolve

    try:
        path = resolve(load_settings(where).model)
    except ModelFileError as exc:
        return [Check("model", False, str(exc))]
    result = probe.check(path, where.cache_dir / probe.CACHE_FILE, fresh=True, threads=choose_threads(), tokens=32)
    checks = [Check("model", result.ok, result.detail)]
    if result.features:
        missing = result.missing_features
        built_for = ", ".join(name for name in result.features if name in probe.CPUINFO_FLAGS) or "no extensions (a baseline build)"
        detail = f"llama.cpp uses {built_for}" + (f"; this CPU lacks {', '.join(missing)}: {probe.REBUILD_HINT}" if missing else "; this CPU has them all")
        checks.append(Check("cpu", not missing, detail))
    return checks
