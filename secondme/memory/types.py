"""The memory layer's domain types: what a memory is, what a new one must be, what a search may
return, and the errors a store can raise. Plain data with no database behind it: the store,
recall, the life cycle and every front end share them (store.py does the SQL)."""

from __future__ import annotations

import hashlib
import math
import unicodedata
from dataclasses import dataclass, field

from secondme.errors import EXIT_NOTHING_FOUND, SecondmeError, UsageError
from secondme.memory import trust
from secondme.memory.schema import KINDS, SENSITIVITY_LEVELS, SOURCES, SPEECH, STATUSES

MAX_CONTENT_CHARS = 100_000
# Moments a memory may carry: what the platform's clock functions can turn into a date (years 1
# to 9999; an imported 1e300 once made every later search fail).
EARLIEST, LATEST = -62_135_596_800.0, 253_402_300_799.0


class StoreError(SecondmeError):
    """A store problem the user can act on; the message is one line."""


class CannotUnlock(StoreError, UsageError):
    """Wrong key, a foreign file, or a damaged one: nothing was written."""


class NoStoreYet(StoreError):
    """Nothing was ever remembered here: for a command that reads, that is "nothing found"."""

    code = EXIT_NOTHING_FOUND


class ContentError(StoreError, UsageError, ValueError):
    """Text that cannot become a memory (empty, too long, binary)."""


@dataclass(frozen=True)
class Filters:
    """Which memories a search may return. The default: active memories of any kind.
    ``as_of`` asks what was valid at that moment, superseded and archived memories included."""

    kinds: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset({"active"})
    since: float | None = None  # on event_time, else created_at
    until: float | None = None
    as_of: float | None = None
    # The assistant's replies are conversation context, not memories about the user: found only
    # when asked for (``speech`` including "reply", or ``sources`` including "assistant").
    speech: frozenset[str] = frozenset({"statement", "question", "request"})

    @property
    def narrow(self) -> bool:
        """Applied before ranking (a candidate pool of the rest would starve it). Statuses that
        include "active" only widen the default, so they are applied after, as it is."""
        return bool(self.kinds or self.sources or self.since is not None or self.until is not None or self.as_of is not None) or (
            bool(self.statuses) and "active" not in self.statuses
        )

    def accepts(self, memory: Memory) -> bool:
        when = memory.event_time or memory.created_at
        return (
            (not self.kinds or memory.kind in self.kinds)
            and (not self.sources or memory.source in self.sources)
            and (memory.speech in self.speech or "assistant" in self.sources)
            and (not self.statuses or memory.status in self.statuses)
            and (self.since is None or when >= self.since)
            and (self.until is None or when < self.until)
            and (self.as_of is None or _valid_at(memory, self.as_of))
        )


def _valid_at(memory: Memory, moment: float) -> bool:
    start = memory.valid_from if memory.valid_from is not None else memory.created_at
    return memory.created_at <= moment and start <= moment and (memory.valid_to is None or memory.valid_to > moment)


AS_OF_STATUSES = frozenset({"active", "superseded", "archived"})


@dataclass
class NewMemory:
    content: str
    kind: str = "note"
    source: str = "user"
    provenance: dict = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    pinned: bool = False
    importance: float = 0.5
    sensitivity: str = "normal"
    created_at: float | None = None
    event_time: float | None = None
    valid_from: float | None = None
    valid_to: float | None = None
    session_id: int | None = None
    trust_alpha: float | None = None  # None: the prior for the source (trust.py)
    trust_beta: float | None = None
    status: str = "active"
    strength: float = 1.0
    recall_count: int = 0
    last_recalled_at: float | None = None
    version: int = 1
    id: int | None = None  # only honoured when restoring an export into a free id
    restored: bool = False  # from a secondme export: keeps its recorded trust and status
    speech: str | None = None  # None: read from the text at intake (extract.speech_act)
    categories: list[str] | None = None  # None: classified at intake (sensitivity.py)

    def __post_init__(self) -> None:
        self.content = clean_content(self.content)
        if self.kind not in KINDS:
            raise ContentError(f"unknown kind {self.kind!r} (choose from {', '.join(KINDS)})")
        if self.source not in SOURCES:
            raise ContentError(f"unknown source {self.source!r} (choose from {', '.join(SOURCES)})")
        if self.status not in STATUSES:
            raise ContentError(f"unknown status {self.status!r}")
        if self.speech is not None and self.speech not in SPEECH:
            raise ContentError(f"unknown speech act {self.speech!r} (choose from {', '.join(SPEECH)})")
        if self.sensitivity not in SENSITIVITY_LEVELS:
            raise ContentError(f"unknown sensitivity {self.sensitivity!r} (choose from {', '.join(SENSITIVITY_LEVELS)})")
        self._check_fields()
        if self.trust_alpha is None or self.trust_beta is None:
            self.trust_alpha, self.trust_beta = trust.prior(self.source)

    def _check_fields(self) -> None:
        """Every field of the type the store keeps and the range it can use: a memory from an
        import or a tool is checked here, before anything is written."""
        if not isinstance(self.provenance, dict):
            raise ContentError("provenance must be an object")
        for name in ("tags", "categories"):
            value = getattr(self, name)
            if (value is not None or name == "tags") and not (isinstance(value, list) and all(isinstance(one, str) for one in value)):
                raise ContentError(f"{name} must be a list of text")
        if not isinstance(self.pinned, bool):
            raise ContentError("pinned must be true or false")
        for name in ("created_at", "event_time", "valid_from", "valid_to", "last_recalled_at"):
            value = getattr(self, name)
            if value is not None and not is_moment(value):
                raise ContentError(f"{name} {value!r} is not a moment in time")
        for name in ("importance", "strength"):
            if not (_number(getattr(self, name)) and getattr(self, name) >= 0):
                raise ContentError(f"{name} must be a number of 0 or more")
        if self.importance > 1:
            raise ContentError("importance must be a number from 0 to 1")
        for name in ("trust_alpha", "trust_beta"):
            if getattr(self, name) is not None and not (_number(getattr(self, name)) and getattr(self, name) > 0):
                raise ContentError(f"{name} must be a number above 0")
        for name, least in (("recall_count", 0), ("version", 1)):
            if not (isinstance(getattr(self, name), int) and not isinstance(getattr(self, name), bool) and getattr(self, name) >= least):
                raise ContentError(f"{name} must be a whole number of {least} or more")
        for name in ("session_id", "id"):
            if getattr(self, name) is not None and not _row_id(getattr(self, name)):
                raise ContentError(f"{name} must be a whole number above 0")


def _row_id(value: object) -> bool:
    """A value SQLite can keep as a row id."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_moment(value: object) -> bool:
    """A number of seconds the platform's clock functions can turn into a date."""
    return _number(value) and EARLIEST <= value <= LATEST


@dataclass
class Memory:
    id: int
    kind: str
    content: str
    created_at: float
    updated_at: float
    event_time: float | None
    valid_from: float | None
    valid_to: float | None
    source: str
    provenance: dict
    session_id: int | None
    trust_alpha: float
    trust_beta: float
    importance: float
    strength: float
    recall_count: int
    last_recalled_at: float | None
    status: str
    superseded_by: int | None
    pinned: bool
    sensitivity: str
    tags: list[str]
    version: int
    speech: str
    categories: list[str]

    @property
    def trust(self) -> float:
        return trust.mean(self.trust_alpha, self.trust_beta)

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in MEMORY_COLUMNS}

    def as_json(self) -> dict:
        """The one JSON shape of a memory, for every `--json` and for MCP clients: every field,
        times as ISO 8601, trust as the mean of its belief."""
        from secondme.times import iso

        data = self.to_dict()
        for name in TIME_FIELDS:
            data[name] = iso(data[name])
        data["trust"] = round(self.trust, 4)
        return data


MEMORY_COLUMNS = tuple(Memory.__dataclass_fields__)
TIME_FIELDS = ("created_at", "updated_at", "event_time", "valid_from", "valid_to", "last_recalled_at")


def clean_content(text: str) -> str:
    if not isinstance(text, str):
        raise ContentError("memory content must be text")
    if "\x00" in text:
        raise ContentError("this looks like binary data (it contains NUL bytes), not text")
    if not is_unicode(text):
        raise ContentError("this text holds characters that are not valid Unicode (lone surrogates)")
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise ContentError("a memory cannot be empty")
    if len(text) > MAX_CONTENT_CHARS:
        raise ContentError(
            f"a memory is limited to {MAX_CONTENT_CHARS:,} characters (this one has {len(text):,}); "
            "split it, or import it as a file"
        )
    return text


def is_unicode(text: str) -> bool:
    """Text that can be written as UTF-8: no lone surrogates (a JSON "\\ud800", or bytes that
    were not UTF-8 in a file name or an argument)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def content_hash(text: str) -> str:
    normalised = " ".join(text.casefold().split())
    return hashlib.blake2b(normalised.encode("utf-8"), digest_size=16).hexdigest()
