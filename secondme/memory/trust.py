"""Trust: how much secondme believes a memory is true and safe to put in front of the model.

Each memory holds Beta(alpha, beta) pseudo-counts; trust is the mean alpha / (alpha + beta).

* Priors come from the source (typed by the user 8:1, said in chat 4:1, imported 3:1, assistant
  output 1:1, tool 1:2), and drift with that source's track record (``source_trust`` table).
* Intake scan (poisoning.py). Text is checked for attempts to steer the assistant: instructions,
  role or system-prompt talk, chat-template tokens, hidden unicode, credentials, payload links,
  "from now on" policies. A clean scan of human-written text counts as evidence (+CLEAN_SCAN_EVIDENCE to
  alpha); a hit quarantines the memory and counts heavily against it (+QUARANTINE_EVIDENCE to beta).
  Quarantined memories never reach a prompt until the user approves them. A secret the user
  typed themselves (a PIN, a password) is not quarantined: it is kept as never_inject.
* Later evidence: confirmations and pins add to alpha; contradictions and rejections add to beta.
  A memory that contradicts several trusted ones (a "sleeper") loses trust per contradiction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from secondme.memory import injection
from secondme.memory.poisoning import only_hard
from secondme.memory.schema import OWNER_SOURCES

if TYPE_CHECKING:
    from secondme.memory.poisoning import Verdict
    from secondme.memory.store import Store
    from secondme.memory.types import Memory, NewMemory

SOURCE_PRIORS: dict[str, tuple[float, float]] = {
    "user": (8.0, 1.0),  # typed on purpose: `secondme remember`, /remember
    "chat_user": (4.0, 1.0),  # said in passing in a chat
    "import": (3.0, 1.0),  # notes and exports brought in
    "assistant": (1.0, 1.0),  # the model's own output
    "tool": (1.0, 2.0),  # web pages, tool results
}
HUMAN_SOURCES = {"user", "chat_user", "import"}
SECRETS = {"credentials or keys", "a payment card number"}  # the scan's reasons for a secret
CLEAN_SCAN_EVIDENCE = 12.0  # a human-written text that passed every detector
DOUBT_EVIDENCE = 12.0  # a near miss: the act detector's probability between its doubt and quarantine cuts
QUARANTINE_EVIDENCE = 100.0  # until the user says otherwise, a quarantined text is unsafe
CONFIRMATION = 1.0
CONTRADICTION = 2.0
SLEEPER_PENALTY = 4.0  # per further trusted memory contradicted
PIN_EVIDENCE = 2.0
APPROVAL_EVIDENCE = 5.0
REJECTION_EVIDENCE = 20.0
GOOD_ANSWER = 0.5
SOURCE_RECORD_WEIGHT = 0.25  # how much one memory's fate moves its source's trust

MIN_TRUST = {"normal": 0.55, "strict": 0.8}  # assistant output (0.5) stays out until confirmed
LOW_TRUST = 0.5  # listed by `secondme review`
SUPERSEDE_TRUST_MARGIN = 0.15  # a newcomer may be this much less trusted and still be an update
PROFILE_MIN_TRUST = 0.8
PROFILE_PRIOR = (20.0, 1.0)  # a profile a sleep wrote from trusted facts starts as trusted as they are


def mean(alpha: float, beta: float) -> float:
    return alpha / (alpha + beta)


def prior(source: str) -> tuple[float, float]:
    return SOURCE_PRIORS[source]


# -- intake and later evidence ------------------------------------------------------------------------


def source_prior(store: Store, source: str) -> tuple[float, float]:
    """The source's prior, shifted by its track record but keeping the prior's strength."""
    alpha0, beta0 = SOURCE_PRIORS[source]
    record = store.source_trust(source)
    if record is None:
        return alpha0, beta0
    strength = alpha0 + beta0
    trust = mean(*record)
    return trust * strength, (1 - trust) * strength


def intake(item: NewMemory, store: Store, verdict: Verdict) -> None:
    """Set a new memory's trust from its source and its poisoning scan (``verdict``); quarantine
    it if the scan says so. Memories restored from an export keep their recorded trust."""
    if item.restored:
        if verdict.quarantine and _owners_secret(item, verdict):
            _keep_secret(item)  # as it was kept before the export (it was never quarantined)
        elif verdict.quarantine and item.status == "active":
            item.status = "quarantined"
            item.provenance = {**item.provenance, "quarantine": verdict.reasons}
        return
    item.trust_alpha, item.trust_beta = source_prior(store, item.source)
    if verdict.quarantine and _owners_secret(item, verdict):
        _keep_secret(item)
        item.trust_alpha += CLEAN_SCAN_EVIDENCE
        return
    if verdict.quarantine and item.kind == "episodic" and not only_hard(verdict).quarantine:
        # An imported conversation speaks to its listener; a line that sounds like orders is
        # normal there. It stays findable but never reaches a prompt.
        item.sensitivity = "never_inject"
        item.provenance = {**item.provenance, "kept_out_of_prompts": verdict.reasons}
        return
    if verdict.quarantine:
        item.trust_beta += QUARANTINE_EVIDENCE
        item.status = "quarantined"
        item.provenance = {**item.provenance, "quarantine": verdict.reasons}
    elif verdict.doubtful:
        quarantine_at, doubt_at = injection.thresholds()
        item.trust_beta += doubt_evidence(verdict.act, doubt_at, quarantine_at)
        item.provenance = {**item.provenance, "doubt": round(verdict.act, 3)}
    elif verdict.clean and item.source in HUMAN_SOURCES:
        item.trust_alpha += CLEAN_SCAN_EVIDENCE


def _owners_secret(item: NewMemory, verdict: Verdict) -> bool:
    """The owner's own secret (a PIN, the wifi password): all the scan found is that it is one."""
    return item.source in OWNER_SOURCES and set(verdict.reasons) <= SECRETS


def _keep_secret(item: NewMemory) -> None:
    """Kept and found when the owner asks for it, never sent to a model (sensitivity.py gates it)."""
    item.sensitivity = "never_inject"
    item.categories = sorted({*(item.categories or []), "credentials"})


def doubt_evidence(probability: float, doubt_at: float, quarantine_at: float) -> float:
    """Evidence against a near miss, growing from half to one and a half DOUBT_EVIDENCE as the
    detector's probability nears the quarantine cut: an imported note's trust falls from 0.94 to
    between 0.3 and 0.14, below what a prompt accepts, and it waits in `secondme review`."""
    span = max(quarantine_at - doubt_at, 1e-6)
    return DOUBT_EVIDENCE * (0.5 + min(1.0, max(0.0, (probability - doubt_at) / span)))


def doubted_with_others(store: Store, memory_id: int, probability: float) -> None:
    """A note that passed the scan alone but that the act detector doubts together with the notes
    that came with it (slow poison, consolidate.py): the clean scan's credit is taken back and the
    doubt charged, as if the note had been doubted at intake."""
    quarantine_at, doubt_at = injection.thresholds()
    store.add_trust_evidence(memory_id, beta=CLEAN_SCAN_EVIDENCE + doubt_evidence(probability, doubt_at, quarantine_at))


def confirm(store: Store, memory_id: int, weight: float = CONFIRMATION) -> None:
    store.add_trust_evidence(memory_id, alpha=weight)


def contradict(store: Store, memory_id: int, trusted_contradicted: int = 1) -> None:
    """``memory_id`` conflicts with other memories; more so when they are trusted (sleepers)."""
    penalty = CONTRADICTION + SLEEPER_PENALTY * max(0, trusted_contradicted - 1)
    store.add_trust_evidence(memory_id, beta=penalty)


def pinned(store: Store, memory_id: int) -> None:
    store.add_trust_evidence(memory_id, alpha=PIN_EVIDENCE)


def used_in_answer(store: Store, memory_ids: list[int], good: bool) -> None:
    """The user marked an answer as good (or not): memories behind a good answer gain a little."""
    if good:
        for memory_id in memory_ids:
            store.add_trust_evidence(memory_id, alpha=GOOD_ANSWER)


def confirm_reply(store: Store, memory_id: int) -> None:
    """The user says an answer of the assistant is right: it becomes a statement they vouch for
    (until then the assistant's words are kept as conversation, not as facts)."""
    store.set_speech(memory_id, "statement")
    store.add_trust_evidence(memory_id, alpha=APPROVAL_EVIDENCE)


def approve(store: Store, memory: Memory) -> None:
    """The user vouches for a quarantined or doubtful memory: it becomes active and trusted.
    A credential stays out of prompts (sensitivity never_inject) even once approved."""
    alpha, beta = memory.trust_alpha + APPROVAL_EVIDENCE, memory.trust_beta
    if memory.status == "quarantined":
        beta = max(SOURCE_PRIORS[memory.source][1], beta - QUARANTINE_EVIDENCE)
    reasons = memory.provenance.get("quarantine", [])
    secret = any(reason in SECRETS for reason in reasons)
    store.set_trust(memory.id, alpha, beta)
    store.set_status([memory.id], "active")
    store.set_provenance(memory.id, {**memory.provenance, "vouched": True})
    if secret:
        store.set_sensitivity(memory.id, "never_inject")
    _record(store, memory.source, good=True)


def reject(store: Store, memory: Memory) -> None:
    """The user says the memory is wrong or unsafe: it is forgotten and its source loses credit."""
    store.set_trust(memory.id, memory.trust_alpha, memory.trust_beta + REJECTION_EVIDENCE)
    store.set_status([memory.id], "forgotten")
    _record(store, memory.source, good=False)


def _record(store: Store, source: str, good: bool) -> None:
    alpha, beta = store.source_trust(source) or SOURCE_PRIORS[source]
    if good:
        alpha += SOURCE_RECORD_WEIGHT
    else:
        beta += SOURCE_RECORD_WEIGHT
    store.set_source_trust(source, alpha, beta)


# -- using trust -------------------------------------------------------------------------------------


def admissible(memory: Memory, mode: str, to_model: bool = True) -> bool:
    """May this memory go into a prompt in this memory mode (``to_model``), or be read out to the
    user (a secret may: the sensitivity gate decides when)?"""
    if mode == "off" or memory.status != "active" or (to_model and memory.sensitivity == "never_inject"):
        return False
    return memory.trust >= MIN_TRUST[mode]


def may_supersede(newer: Memory, older: Memory) -> bool:
    """Trusted enough to replace ``older`` (a little less trusted is still an update)."""
    return newer.trust + SUPERSEDE_TRUST_MARGIN >= older.trust


def profile_worthy(memory: Memory) -> bool:
    """Trusted enough to be part of the profile every prompt carries."""
    return memory.trust >= PROFILE_MIN_TRUST


def needs_review(memory: Memory) -> bool:
    """Quarantined, or active but too doubtful for a prompt: the user should say."""
    return memory.status == "quarantined" or (memory.status == "active" and memory.trust < LOW_TRUST)


def ranking_weight(memory: Memory) -> float:
    """Multiplies a recall score: doubtful memories sink, but are still found."""
    return 0.6 + 0.4 * memory.trust
