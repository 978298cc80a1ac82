"""Timestamps: stored as Unix seconds (UTC), shown as ISO 8601 or local time, read from users."""

from __future__ import annotations

import time
from datetime import datetime, timezone

_AGE_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}


def iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat(timespec="seconds")


def local(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp).astimezone().strftime("%Y-%m-%d %H:%M")


def parse_when(text: str) -> float:
    """A date or time (ISO 8601, local time unless it says otherwise) or an age: 30d, 12h, 2w."""
    text = text.strip()
    if text[:-1].isdigit() and text[-1:] in _AGE_UNITS:
        return time.time() - int(text[:-1]) * _AGE_UNITS[text[-1]]
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (use 2024-05-01, 2024-05-01T09:30 or an age like 30d)") from None
    return (when if when.tzinfo else when.astimezone()).timestamp()
