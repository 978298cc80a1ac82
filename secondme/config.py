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

from secondme.errors import UsageError

APP_NAME = "secondme"
MEMORY_MODES = ("off", "normal", "strict")

@dataclass(frozen=True)
class Settings:
    """The user's settings, typed: read once per process (``load_settings``)."""

    model: str = ""  # empty: the bundled SmolLM2
    memory_mode: str = "normal"  # off | normal | strict
    n_threads: int = 0  # 0: choose from the machine
    ram_budget: str = ""  # empty: no budget, stream only when the model does not fit
    mcp_read_only: bool = False  # `secondme mcp` offers no tools that write
    mcp_clients: str = ""  # comma-separated MCP client names allowed to connect (empty: any)
    mcp_writers: str = ""  # comma-separated MCP client names allowed to write (empty: any allowed client)


DEFAULT_SETTINGS: dict[str, str | int | float | bool] = dict(Settings().__dict__)


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


class SettingsError(UsageError, ValueError):
    pass


def load_settings(where: Paths | None = None) -> Settings:
    """The config file's settings over the defaults, and SECONDME_<KEY> over both. Unknown keys
    and values of the wrong type are a one-line error, not a surprise later."""
    where = where or paths()
    settings = dict(DEFAULT_SETTINGS)
    if where.settings_file.exists():
        try:
            stored = tomllib.loads(where.settings_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"{where.settings_file} is not valid TOML: {exc}") from None
        for key, value in stored.items():
            if key not in DEFAULT_SETTINGS:
                raise SettingsError(f"{where.settings_file}: unknown setting {key!r} (known: {', '.join(DEFAULT_SETTINGS)})")
            settings[key] = _checked(key, value, DEFAULT_SETTINGS[key], str(where.settings_file))
    for key, default in DEFAULT_SETTINGS.items():
        override = os.environ.get(f"SECONDME_{key.upper()}")
        if override is not None:
            try:
                settings[key] = _coerce(override, default)
            except ValueError:
                raise SettingsError(f"SECONDME_{key.upper()}={override!r} is not a {type(default).__name__}") from None
    if settings["memory_mode"] not in MEMORY_MODES:
        origin = "SECONDME_MEMORY_MODE" if os.environ.get("SECONDME_MEMORY_MODE") is not None else str(where.settings_file)
        raise SettingsError(f"{origin}: memory_mode must be one of {', '.join(MEMORY_MODES)}, not {settings['memory_mode']!r}")
    return Settings(**settings)


def _checked(key: str, value: object, default: object, where: str) -> object:
    if isinstance(default, bool) or isinstance(value, bool):
        if not isinstance(value, bool) or not isinstance(default, bool):
            raise SettingsError(f"{where}: {key} must be {'true or false' if isinstance(default, bool) else type(default).__name__}")
        return value
    if isinstance(default, (int, float)) and isinstance(value, (int, float)):
        return type(default)(value)
    if not isinstance(value, type(default)):
        raise SettingsError(f"{where}: {key} must be a {type(default).__name__}, not {value!r}")
    return value


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
