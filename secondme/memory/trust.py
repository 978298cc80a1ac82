"""Trust: how much secondme believes a memory is true and safe to put in front of the model.

Each memory holds Beta(alpha, beta) pseudo-counts; trust is the mean alpha / (alpha + beta).

* Priors come from the source (typed by the user 8:1, said in chat 4:1, imported 3:1, assistant
  output 1:1, tool 1:2), and drift with that source's track record (``source_trust`` table).
* Intake scan. Text is checked for attempts to steer the assistant: instructions, role or
  system-prompt talk, chat-template tokens, hidden unicode, credentials, payload links, "from now
  on" policies. A clean scan of human-written text counts as evidence (+CLEAN_SCAN_EVIDENCE to
  alpha); a hit quarantines the memory and counts heavily against it (+QUARANTINE_EVIDENCE to beta).
  Quarantined memories never reach a prompt until the user approves them.
* Later evidence: confirmations and pins add to alpha; contradictions and rejections add to beta.
  A memory that contradicts several trusted ones (a "sleeper") loses trust per contradiction.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from secondme.memory.store import Memory, NewMemory, Store

SOURCE_PRIORS: dict[str, tuple[float, float]] = {
    "user": (8.0, 1.0),  # typed on purpose: `secondme remember`, /remember
    "chat_user": (4.0, 1.0),  # said in passing in a chat
    "import": (3.0, 1.0),  # notes and exports brought in
    "assistant": (1.0, 1.0),  # the model's own output
    "tool": (1.0, 2.0),  # web pages, tool results
}
HUMAN_SOURCES = {"user", "chat_user", "import"}
# The owner speaking to secondme: telling it what to do is the point, so steering is allowed.
OWNER_SOURCES = {"user", "chat_user"}
CLEAN_SCAN_EVIDENCE = 12.0  # a human-written text that passed every detector
QUARANTINE_EVIDENCE = 100.0  # until the user says otherwise, a quarantined text is unsafe
CONFIRMATION = 1.0
CONTRADICTION = 2.0
SLEEPER_PENALTY = 4.0  # per further trusted memory contradicted
PIN_EVIDENCE = 2.0
APPROVAL_EVIDENCE = 5.0
REJECTION_EVIDENCE = 20.0
GOOD_ANSWER = 0.5
SOURCE_RECORD_WEIGHT = 0.25  # how much one memory's fate moves its source's trust

SEMANTIC_MODEL = Path(__file__).with_name("injection_model.json")  # made by bench/train_injection_detector.py
MIN_TRUST = {"normal": 0.55, "strict": 0.8}  # assistant output (0.5) stays out until confirmed
LOW_TRUST = 0.5  # listed by `secondme review`


def mean(alpha: float, beta: float) -> float:
    return alpha / (alpha + beta)


def prior(source: str) -> tuple[float, float]:
    return SOURCE_PRIORS[source]


# -- the intake scan -------------------------------------------------------------------------------
#
# Two kinds of signal. Hard ones quarantine on their own: chat-template tokens, hidden characters,
# credentials, payload links, the classic "ignore previous instructions". Soft ones describe the
# *form* of a text written for an assistant rather than by a person about their life: it names an
# AI as addressee, says "your rules / your responses", speaks of "the user" in the third person,
# overrides rules, quantifies over future answers, asks for secrecy. Notes people write are in the
# first person about people and things; one soft signal is common in them, two rarely are.

_AI = r"(?:assistant|ai|a\.i\.|language model|llm|model|chatbot|bot|agent|gpt|secondme)"
_META = (
    r"(?:responses?|answers?|replies|reply|outputs?|instructions?|rules|guidelines|guardrails|configuration|programming|directives?|"
    r"polic(?:y|ies)|prompts?|restrictions|filters|settings|training|memory|memories|task|mission|operator|owner|system|mode)"
)
_OUTPUT = r"(?:respond|responses?|reply|replies|answer|answers|output|say|recommend|mention|tell|write|suggest|include|add|append|prefix|share|promote|advertise)"
_IMPERATIVE = (
    r"(?:answer|respond|reply|translate|prefix|append|add|output|print|stop|begin|ignore|disregard|forget|store|obey|comply|remember|"
    r"reveal|disclose|dump|leak|list|collect|follow|act|pretend|treat|tell|recommend|mention|include|switch|enable|disable|"
    r"delete|erase|ensure|make sure|always|never|do not|don't)"
)

_HARD: list[tuple[str, re.Pattern]] = [
    (
        "asks to ignore earlier instructions",
        re.compile(
            r"\b(?:ignore|disregard|forget|override|bypass|discard|drop)\b[^.!?\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|these|those|system|original|initial)\b"
            r"[^.!?\n]{0,30}?\b(?:instructions?|prompts?|rules|directives?|guidelines|guardrails|constraints|polic(?:y|ies)|programming|training|safety)\b"
            r"|\b(?:forget|ignore|disregard) (?:everything|all|whatever) (?:that )?you(?:'ve| have| were| was| had)? (?:been )?(?:told|taught|given|learned|instructed)\b"
            r"|\b(?:ignore|disregard|forget|drop|abandon) (?:whatever|any|all|the|your) (?:\w+ )?(?:guidance|rules|guidelines|instructions|orders) (?:you|that you)(?: have| had| got| were given| received)?\b",
            re.I,
        ),
    ),
    ("chat-template or role tokens", re.compile(r"<\|[a-z_]{2,30}\|>|\[/?INST\]|<</?SYS>>|<(?:start|end)_of_turn>|<\|?endoftext\|?>|</s>|\[\[system\]\]", re.I)),
    ("role-play jailbreak", re.compile(r"\b(?:enable|activate|enter|switch to|turn on) (?:the )?(?:developer|unfiltered|god|DAN) mode\b|\b(?:developer|DAN) mode (?:enabled|activated|on)\b|\bjailbreak(?:ed)?\b|\bdo anything now\b", re.I)),
    ("sends data away", re.compile(r"\b(?:send|forward|email|post|upload|leak|exfiltrate|transmit|copy)\b[^.!?\n]{0,60}\b(?:conversation|chat history|memories|memory|password|passwords|credentials|data|messages|notes|everything)\b[^.!?\n]{0,40}\b(?:to|at)\b\s*(?:https?://|www\.|[\w.+-]+@[\w-]+\.\w+)", re.I)),
    ("payload link", re.compile(r"\bjavascript:|\bdata:(?:text/html|[^,\s]*;base64,)|!\[[^\]]*\]\(\s*https?://[^)\s]*\?[^)\s]*\)|\bhttps?://(?:\d{1,3}\.){3}\d{1,3}\b|\bhttps?://\S+\.(?:exe|scr|bat|cmd|ps1|msi|apk|vbs|jar)\b|\b(?:curl|wget)\b[^|\n]{0,120}\|\s*(?:sudo\s+)?(?:ba|z)?sh\b|\bpowershell\b[^\n]{0,40}-e(?:nc|ncodedcommand)?\s|\biex\s*\(|[?&](?:prompt|instructions?|cmd|exec|payload)=", re.I)),
]
_SOFT: list[tuple[str, float, re.Pattern]] = [
    (
        "addresses an AI",
        0.6,
        re.compile(
            rf"(?:^|[.!?:,;]\s+|\b(?:hey|dear|attention|attn|hi|hello|note|message|reminder|memo|instructions?|directive|confidential)\s+(?:to\s+|for\s+)?(?:the\s+|any\s+|all\s+|every\s+)?){_AI}s?\s*[,:]"
            rf"|\b(?:to|for) (?:the |any |all |every )?(?:{_AI}|system)s?\b(?!\s+(?:in|at|on|of|from|industry|course|lecture|conference|talk|class|administrator|update)\b)"
            rf"|\b{_AI} (?:instructions|directives?|rules|orders|commands)\b"
            rf"|\bthe {_AI}\s+(?:must|should|shall|will|may|can|is (?:to|required|allowed|permitted)|needs? to|has to|agrees|is no longer)\b"
            r"|\b(?:whoever|anyone|any system|whatever) (?:reads|processes|sees) this\b|\bif you are (?:an? )?(?:ai|assistant|language model|llm|chatbot|bot)\b",
            re.I | re.M,
        ),
    ),
    ("speaks of 'your' rules or answers", 0.6, re.compile(rf"\byour (?:new |previous |current |old |original |earlier |hidden |future |next )?{_META}\b|\beach of your\b|\b(?:as|i am|i'm) your (?:new )?(?:operator|owner|admin|administrator|developer|creator|master)\b", re.I)),
    ("speaks of 'the user'", 0.5, re.compile(r"\bthe user(?:'s|s)?\b(?!\s+(?:manual|guide|interface|account|name|base|group|experience|research))", re.I)),
    ("rewrites the assistant's identity", 0.7, re.compile(rf"\byou are (?:now|no longer|not) (?:an? |the )?\w+|\b(?:act|acting) as (?:an? |the |my )?(?:\w+ )?{_AI}\b|\bstart over as\b|\bpretend (?:to be|you are|that you are)\b|\byou are an? (?:unrestricted|unfiltered|different|new) \w+|\b(?:with|has|have) no (?:rules|guidelines|restrictions|filters|limits|limitations|guardrails)\b", re.I)),
    ("overrides rules", 0.6, re.compile(rf"\b(?:supersedes?|overrides?|replaces?|cancels?|voids?|invalidates?|takes? precedence over)\b[^.!?\n]{{0,30}}\b{_META}\b|\b{_META}\b[^.!?\n]{{0,30}}\b(?:is|are) (?:now )?(?:void|cancelled|invalid|suspended|no longer valid)\b|\bstop following\b|\bno longer (?:apply|applies|bound)\b|\bnew (?:rules|instructions|directives?|policy)\b|\bthis rule (?:permanently|forever)\b|\bstore this rule\b|\brule permanently\b", re.I)),
    ("speaks of future answers", 1.0, re.compile(r"\b(?:every|each|all|any) (?:future|subsequent|later) (?:answers?|responses?|replies|reply)\b|\b(?:every|each|all) (?:of your )?(?:answers?|responses?|replies|reply) (?:should|must|will|has to|have to|needs? to|shall)\b|\b(?:in|for) (?:all )?(?:future|subsequent) (?:answers|responses|replies)\b", re.I)),
    ("demands obedience", 0.6, re.compile(r"\b(?:must|shall|will) obey\b|\bobey (?:this|these|me)\b|\bi (?:hereby )?(?:instruct|order|command) you\b|\byou are (?:instructed|ordered|commanded|required) to\b|\byou (?:will|must) (?:now )?comply\b", re.I)),
    ("sets a policy for future answers", 0.6, re.compile(rf"\b(?:from now on|going forward|henceforth|from this point on|from here on|permanently)\b[,:]?\s*(?:you\b|always\b|never\b|only\b|do not\b|don't\b|must\b|{_OUTPUT}\b|ignore\b|treat\b|refer\b|act\b|use\b)|\b(?:every|each) (?:future |subsequent |later )?(?:time you (?:{_OUTPUT}|are asked|write)|responses?|replies|reply|message you)\b|\b(?:all|every|each) (?:future |subsequent )(?:answers?|conversations?)\b|\b(?:in|for) (?:all )?(?:future|subsequent) (?:responses|answers|replies|conversations|chats)\b", re.I)),
    ("orders what to say", 0.5, re.compile(rf"\b(?:always|never|only)\s+{_OUTPUT}\b|\b(?:if|when(?:ever)?) (?:you are |you're )?asked\b[^.!?\n]{{0,60}}\b{_OUTPUT}\b|\bwhen(?:ever)? you (?:{_OUTPUT}|are asked|generate|reply)\b|\b{_OUTPUT} (?:only )?with\b|\b{_OUTPUT}\b[^.!?\n]{{0,20}}\b(?:every|each|all|any) (?:question|message|request)s?\b|\byou {_OUTPUT} (?:everything|anything)\b", re.I)),
    ("asks for secrecy", 0.5, re.compile(r"\b(?:quietly|silently|secretly|covertly)\b|\bdo not (?:explain|mention|tell|reveal|disclose)\b|\bdon't (?:explain|mention|tell|reveal|disclose)\b|\bwithout (?:telling|informing|alerting|mentioning)\b|\bconfidential to\b|\bkeep (?:this|it) (?:secret|hidden|between us)\b|\bnever reveal\b", re.I)),
    ("asks to disclose stored data", 0.5, re.compile(r"\b(?:reveal|disclose|dump|leak|output|print|list|share|collect|expose|extract|send|show|display|read out|give)\b[^.!?\n]{0,40}\b(?:memories|memory|stored (?:facts|data|notes)|secrets?|system prompt|hidden (?:prompt|instructions)|passwords|contacts|everything you know|private|quarantined)\b", re.I)),
    ("poses as the system", 0.6, re.compile(r"^\s*(?:#{1,3}\s*)?(?:system|admin|administrator|security|root|developer)(?:\s+(?:notice|alert|message|update|override|instruction|instructions))?\s*:|\bsystem (?:notice|alert|override|message|update)\b|\binstruction update\b|\b(?:secret|hidden|admin|administrator|developer|root|special|priority) (?:instructions|directives?|override|commands?)\b", re.I | re.M)),
    ("tampers with safety", 0.5, re.compile(r"\b(?:disable|deactivate|turn off|switch off|stop|bypass|skip|remove)\b[^.!?\n]{0,20}\b(?:quarantin\w*|filters?|filtering|safety (?:checks?|features?|rules)|guardrails|moderation|content checks?|logging|review|warnings|disclaimers|caveats|asking for confirmation|confirmations?)\b", re.I)),
    ("acts on the user's data", 0.6, re.compile(r"\b(?:delete|purge|erase|wipe|remove|hide|alter|edit|leave out|omit|suppress|share|publish|sell)\b[^.!?\n]{0,30}\bthe user'?s\b|\b(?:leave out|omit|hide|suppress|filter out) (?:anything|everything|all|any mention)\b", re.I)),
    ("claims authority", 0.5, re.compile(r"\b(?:from|by) (?:the )?(?:it|security|support|admin|administration|compliance|trust and safety)(?: team| department| desk)?\s*[:,]|\bi am (?:the |your )?(?:system )?(?:administrator|admin|developer|operator|owner)\b|\b(?:urgent|important)\s*(?:notice)?\s*(?:from|:)", re.I)),
    ("hidden comment", 0.5, re.compile(rf"<!--[^>]*\b(?:{_AI}|instructions?|system|summari[sz]e|ignore)\b[^>]*-->", re.I)),
    ("imperative about behaviour", 0.3, re.compile(rf"(?:^|[.!?:]\s+){_IMPERATIVE}\b[^.!?\n]{{0,60}}\b(?:{_META}|you|your)\b", re.I | re.M)),
    ("link shortener", 0.5, re.compile(r"\bhttps?://(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl|is\.gd|ow\.ly|rb\.gy|cutt\.ly)/", re.I)),
]
_SECRETS = re.compile(
    r"\bsk-(?:ant-|proj-|live-|test-)?[A-Za-z0-9_-]{20,}|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{20,}"
    r"|\bxox[abpr]-[A-Za-z0-9-]{10,}|\bAIza[0-9A-Za-z_-]{35}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----"
    r"|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"
)
_SECRET_VALUE = re.compile(
    r"\b(?:password|passwd|pwd|pass|passcode|passphrase|api[ _-]?key|secret key|access key|auth token|token|pin(?: code| number)?|"
    r"(?:backup|recovery|2fa|mfa|otp|one-time|verification|security|authenticator) codes?)\b"
    r"(?:\s+(?:for|to|of)\s+[\w .'-]{1,30}?)?\s*(is|was|:|=)\s*[\"'“]?([^\s\"'”]{4,})",
    re.I,
)
_CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")
_HIDDEN = {0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x180E, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}
STEERING = {
    "asks to ignore earlier instructions", "role-play jailbreak", "reads like instructions to an assistant",
    "resembles instructions to an assistant", *(name for name, _, _ in _SOFT),
}


@dataclass
class Verdict:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    semantic: float = 0.0  # probability from the semantic detector (0 when not run)

    @property
    def quarantine(self) -> bool:
        return self.score >= 1.0

    @property
    def clean(self) -> bool:
        return self.score == 0.0

    def add(self, reason: str, weight: float) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
            self.score += weight


def scan(text: str, source: str = "import", vector: np.ndarray | None = None) -> Verdict:
    """Signals that ``text`` tries to steer the assistant or carries secrets; quarantine at 1.

    ``vector`` (the text's embedding) adds the semantic detector, which recognises paraphrases
    the patterns miss. Steering is allowed from the owner typing a note on purpose (source
    "user": "always answer me in French" is a preference), never from imports, tools or the
    model's own words.
    """
    verdict = Verdict()
    sample = text[:20000]
    for reason, pattern in _HARD:
        if pattern.search(sample):
            verdict.add(reason, 1.0)
    for reason, weight, pattern in _SOFT:
        if pattern.search(sample):
            verdict.add(reason, weight)
    if vector is not None and source not in OWNER_SOURCES and addresses_someone(sample):
        probability = semantic_probability(vector)
        verdict.semantic = probability
        model = _semantic_model()
        if model and probability >= model["p_high"]:
            verdict.add("reads like instructions to an assistant", 1.0)
        elif model and probability >= model["p_low"]:
            verdict.add("resembles instructions to an assistant", 0.5)
    hidden = _hidden_characters(sample)
    if hidden:
        verdict.add(f"hidden characters ({hidden})", 1.0)
    if _SECRETS.search(sample) or _secret_value(sample):
        verdict.add("credentials or keys", 1.0)
    if any(_luhn(match.group()) for match in _CARD.finditer(sample)):
        verdict.add("a payment card number", 1.0)
    if source in OWNER_SOURCES:
        return only_hard(verdict)
    return verdict


def only_hard(verdict: Verdict) -> Verdict:
    """The verdict without its steering signals (what remains quarantines on its own)."""
    kept = Verdict(semantic=verdict.semantic)
    for reason in verdict.reasons:
        if reason not in STEERING:
            kept.add(reason, 1.0)
    return kept


_CUE = re.compile(
    r"\b(?:you|your|yours|yourself|assistant|ai|model|bot|chatbot|llm|agent|gpt|system|the user|instructions?|rules|guidelines|"
    r"respond|reply|replies|answers?|responses?|prompt|orders|commands?|directives?|pretend|whenever|always|never)\b",
    re.I,
)


def addresses_someone(text: str) -> bool:
    """The semantic detector only judges texts that speak to someone or about answering: without
    such a cue, odd tokens (ids, codes) can look like instructions to it."""
    return bool(_CUE.search(text))


@cache
def _semantic_model() -> dict | None:
    try:
        model = json.loads(SEMANTIC_MODEL.read_text())
    except (OSError, ValueError):
        return None
    model["vector"] = np.asarray(model["weights"], dtype=np.float32)
    return model


def semantic_probability(vector: np.ndarray) -> float:
    model = _semantic_model()
    if model is None:
        return 0.0
    return float(1 / (1 + np.exp(-(float(vector @ model["vector"]) + model["bias"]))))


def _hidden_characters(text: str) -> str:
    found = []
    for index, char in enumerate(text):
        code = ord(char)
        if code in _HIDDEN or 0xE0000 <= code <= 0xE007F or (code == 0xFEFF and index > 0):
            found.append(f"U+{code:04X}")
        elif code in (0x200C, 0x200D):  # joiners are legitimate inside emoji and some scripts
            before, after = text[index - 1 : index], text[index + 1 : index + 2]
            if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
                found.append(f"U+{code:04X}")
        elif unicodedata.category(char) == "Co":
            found.append(f"U+{code:04X}")
    return ", ".join(sorted(set(found))[:4])


def _secret_value(text: str) -> bool:
    """A secret's value written down: after "is" it must look random (digits or symbols: "my
    password is strong" is not a secret); after ":" or "=" any value counts (a record)."""
    for match in _SECRET_VALUE.finditer(text):
        separator, value = match.group(1).lower(), match.group(2).rstrip(".,;!?)")
        if value.lower() in {"n/a", "none", "same", "unknown", "changed", "written", "saved", "stored", "on", "in"}:
            continue
        looks_random = any(c.isdigit() for c in value) or any(not c.isalnum() for c in value)
        if separator in {":", "="} or looks_random:
            return True
    return False


def _luhn(candidate: str) -> bool:
    digits = [int(c) for c in candidate if c.isdigit()]
    if not 13 <= len(digits) <= 19 or len(set(digits)) < 3:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


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


def intake(item: NewMemory, store: Store, vector: np.ndarray | None = None) -> Verdict:
    """Set a new memory's trust from its source and the scan; quarantine it if the scan says so.
    Memories restored from an export keep their recorded trust, but are still scanned."""
    verdict = scan(item.content, item.source, vector)
    if item.restored:
        if verdict.quarantine and item.status == "active":
            item.status = "quarantined"
            item.provenance = {**item.provenance, "quarantine": verdict.reasons}
        return verdict
    item.trust_alpha, item.trust_beta = source_prior(store, item.source)
    if verdict.quarantine and item.kind == "episodic" and not only_hard(verdict).quarantine:
        # An imported conversation speaks to its listener; a line that sounds like orders is
        # normal there. It stays findable but never reaches a prompt.
        item.sensitivity = "never_inject"
        item.provenance = {**item.provenance, "kept_out_of_prompts": verdict.reasons}
        return verdict
    if verdict.quarantine:
        item.trust_beta += QUARANTINE_EVIDENCE
        item.status = "quarantined"
        item.provenance = {**item.provenance, "quarantine": verdict.reasons}
    elif verdict.clean and item.source in HUMAN_SOURCES:
        item.trust_alpha += CLEAN_SCAN_EVIDENCE
    return verdict


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


def approve(store: Store, memory: Memory) -> None:
    """The user vouches for a quarantined or doubtful memory: it becomes active and trusted.
    A credential stays out of prompts (sensitivity never_inject) even once approved."""
    alpha, beta = memory.trust_alpha + APPROVAL_EVIDENCE, memory.trust_beta
    if memory.status == "quarantined":
        beta = max(SOURCE_PRIORS[memory.source][1], beta - QUARANTINE_EVIDENCE)
    reasons = memory.provenance.get("quarantine", [])
    secret = any(reason in {"credentials or keys", "a payment card number"} for reason in reasons)
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


def admissible(memory: Memory, mode: str) -> bool:
    """May this memory go into a prompt in this memory mode?"""
    if mode == "off" or memory.status != "active" or memory.sensitivity == "never_inject":
        return False
    return memory.trust >= MIN_TRUST[mode]


def ranking_weight(memory: Memory) -> float:
    """Multiplies a recall score: doubtful memories sink, but are still found."""
    return 0.6 + 0.4 * memory.trust
