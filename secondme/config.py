"""Where secondme keeps things, and the user's settings.

Config, key and data live under ``SECONDME_HOME`` when it is set (handy for scripts and tests),
otherwise in the platform's config and data dirs. Derived artifacts that can be rebuilt (the
exported embedder) go to the platform cache dir, which honours ``XDG_CACHE_HOME``.

Settings are a small TOML file; every key can be overridden with a ``SECONDME_<KEY>`` env var.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "secondme"

DEFAULT_SETTINGS: dict[str, str | int | float | bool] = {
    "model": "",  # empty: the bundled SmolLM2
    "memory_mode": "normal",
    "n_threads": 0,  # 0: choose from the machine
    "ram_budget": "",  # empty: no budget, stream only when the model does not fit
}


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def key_file(self) -> Path:
        return self.config_dir / "key.json"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "memory.db"

    def ensure(self) -> None:
        """Create the private directories (0700) if they do not exist yet."""
        for directory in (self.config_dir, self.data_dir, self.cache_dir):
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        for directory in {self.config_dir, self.data_dir}:
            os.chmod(directory, 0o700)


def paths() -> Paths:
    from platformdirs import user_cache_dir

    cache_dir = Path(user_cache_dir(APP_NAME, appauthor=False))
    home = os.environ.get("SECONDME_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(config_dir=root, data_dir=root, cache_dir=cache_dir)
    from platformdirs import user_config_dir, user_data_dir

    return Paths(
        config_dir=Path(user_config_dir(APP_NAME, appauthor=False)),
        data_dir=Path(user_data_dir(APP_NAME, appauthor=False)),
        cache_dir=cache_dir,
    )


class SettingsError(ValueError):
    pass


def load_settings(where: Paths | None = None) -> dict[str, str | int | float | bool]:
    where = where or paths()
    settings = dict(DEFAULT_SETTINGS)
    if where.settings_file.exists():
        try:
            settings.update(tomllib.loads(where.settings_file.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{where.settings_file} is not valid TOML: {exc}") from None
    for key, default in DEFAULT_SETTINGS.items():
        override = os.environ.get(f"SECONDME_{key.upper()}")
        if override is not None:
            settings[key] = _coerce(override, default)
    return settings


def save_setting(key: str, value: str | int | float | bool, where: Paths | None = None) -> None:
    if key not in DEFAULT_SETTINGS:
        raise SettingsError(f"unknown setting {key!r}")
    where = where or paths()
    where.ensure()
    stored: dict = {}
    if where.settings_file.exists():
        stored = tomllib.loads(where.settings_file.read_text(encoding="utf-8"))
    stored[key] = value
    lines = [f"{name} = {_toml_value(val)}" for name, val in sorted(stored.items())]
    tmp = where.settings_file.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, where.settings_file)


def _coerce(text: str, like: str | int | float | bool) -> str | int | float | bool:
    if isinstance(like, bool):
        return text.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(text)
    if isinstance(like, float):
        return float(text)
    return text


def _toml_value(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
