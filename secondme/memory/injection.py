"""The learned half of the poisoning scan: does a text perform the *act* of an injection?

An injection addresses the AI that will read it and tells it what to output, what to ignore, what
to reveal or what to become. Patterns (poisoning.py) name the phrases seen so far and stay behind
new ones; this detector looks at the act, whatever the words:

* the text is first undone of its disguises (``normalize``): look-alike letters from other
  scripts, full-width forms, zero-width characters, leetspeak inside words, letters spaced or
  split across hyphens, and payloads written in base64, hex, ROT13 or backwards (``payloads``);
* ``features`` measure the act on the result: imperatives aimed at a "you", orders about what to
  output ("say", "print", "begin your reply with"), overrides ("instead", "new instruction",
  "disregard"), fake delimiters and conversation turns, role reassignment, requests for the
  reader's instructions or secrets, floods of repeated tokens, the password-accepted trick,
  against the marks of a person writing about their own life (first person, dates, names);
* a small network (one hidden layer of 64 ReLU units; the mean of three fitted from different
  seeds) weighs those features together with the text's meaning (its MiniLM embedding, which
  intake has computed anyway) and gives a probability. When it replaced a logistic regression,
  leave-one-author-out, it caught 81.6 % of the attacks against 72.6 %, holding 1.31 % of benign
  texts against 1.18 % (bench/RESULTS.md has today's figures); it is also fitted on variants of
  the attacks set inside everyday text or behind floods (bench/train_poisoning.py);
* the network judges only text it can read (``readable``): mostly Latin letters. Text mostly in
  another script reaches MiniLM as noise: the hard patterns judge it, and the network only its
  Latin words;
* a long text (an email, a page, minutes of a meeting) is also judged passage by passage
  (``passages``), and its probability is the highest: one order buried in a page of ordinary
  prose is diluted in the page's embedding but not in its own passage's. Leave-one-author-out
  (bench/train_poisoning.py), the author of indirect injections went from 63 % caught to 76 %
  with passages, at no cost on hard negatives (75 % after the refit on 37 sources, 78 % with
  the network).

The thresholds ship in injection_act.json and the network in injection_act.npz, fitted by
bench/train_poisoning.py on a corpus of many authors' attacks and hard negatives (data/poisoning,
data/lifecycle) and judged on the authors it was not fitted on (leave-one-source-out). The
network costs a few hundredths of a millisecond a note beyond the act features and the embedding
intake already has.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import json
import math
import re
import unicodedata
import zipfile
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

THRESHOLDS_FILE = Path(__file__).with_name("injection_act.json")
NETWORK_FILE = THRESHOLDS_FILE.with_suffix(".npz")
NETWORK_ARRAYS = ("mean", "scale", "w1", "b1", "w2", "b2")
MAX_TEXT = 8_000  # characters looked at
PASSAGES_FROM = 400  # a text longer than this is also judged by passages (a chat turn or a note is not)
PASSAGE_CHARS = 300  # sentences are joined into passages of about this size
READABLE_SHARE = 0.5  # the share of a text's letters that must be Latin for the network to judge it
LATIN_PART_LETTERS = 12  # the Latin letters of an unreadable text judged on their own ("Reply only: PWNED": 14)


def passages(text: str) -> list[str]:
    """What is judged beside the whole text: a long text's passages of whole sentences or lines,
    and the Latin words of the text or of a passage the network cannot read, when there are enough
    of them (an English order padded out with another script)."""
    found = _long_passages(text)
    latin = [part for whole in [text, *found] if (part := _latin_part(whole))]
    return found + list(dict.fromkeys(latin))


def _latin_part(text: str) -> str | None:
    if readable(text):
        return None
    words = [word for word in text.translate(_INVISIBLE).split() if _LATIN_RUN.search(word) and not _OTHER_LETTER.search(word)]
    return " ".join(words) if sum(map(len, words)) >= LATIN_PART_LETTERS else None


def _long_passages(text: str) -> list[str]:
    if len(text) <= PASSAGES_FROM:
        return []
    found, current = [], ""
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        if not sentence.strip():
            continue
        if current and len(current) + len(sentence) > PASSAGE_CHARS:
            found.append(current)
            current = sentence.strip()
        else:
            current = f"{current} {sentence.strip()}".strip()
    if current:
        found.append(current)
    return found if len(found) > 1 else []

# -- undoing disguises ---------------------------------------------------------------------------

# Letters of other scripts that look Latin (Cyrillic, Greek), folded to the Latin letter.
_LOOKALIKES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g",
    "к": "k", "м": "m", "н": "h", "т": "t", "в": "b", "ԛ": "q", "ԝ": "w", "ӏ": "l", "А": "A", "В": "B", "Е": "E", "К": "K",
    "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "α": "a", "ο": "o",
    "ρ": "p", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "τ": "t", "υ": "u", "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z",
    "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})
_INVISIBLE = dict.fromkeys([0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x00AD, 0x180E], None)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l", "+": "t"})
# A word mixing letters with digits or symbols that stand for letters ("1gn0r3", "pr0mpt"), not
# a number with its unit or ordinal ("2nd", "10am", "5k", "b4").
_LEET_WORD = re.compile(r"(?<![\w@$!|+])(?=[\w@$!|+]*[a-zA-Z][\w@$!|+]*[a-zA-Z])(?=[\w@$!|+]*[0-9@$!|+][\w@$!|+]*[a-zA-Z0-9])(?!\d+(?:st|nd|rd|th|am|pm|s|k|km|kg|m|h|x|min|mb|gb|ml|cm|mm)\b)[\w@$][\w@$!|+]*[a-zA-Z0-9]")
_SPACED = re.compile(r"\b(?:[A-Za-z][ .\-_*]){3,}[A-Za-z]\b")
_SPLIT = re.compile(r"\b([A-Za-z]{2,})-\s*\n?\s*([a-z]{2,})\b")


# Latin letters, with the full-width and mathematical forms a disguise uses (not "×" or "÷").
_LATIN_RANGES = ("A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1d00-\u1dbf\u1e00-\u1eff\u2c60-\u2c7f"
                 "\ua720-\ua7ff\uab30-\uab6f\uff21-\uff3a\uff41-\uff5a\U0001d400-\U0001d7cb")
_LATIN_RUN = re.compile(f"[{_LATIN_RANGES}]+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_OTHER_LETTER = re.compile(f"[^\\W\\d_{_LATIN_RANGES}]")
_LOOKALIKE_CLASS = "".join(sorted({chr(code) for code in _LOOKALIKES}))
_DISGUISED_WORD = re.compile(f"[{_LATIN_RANGES}][{_LOOKALIKE_CLASS}]|[{_LOOKALIKE_CLASS}][{_LATIN_RANGES}]")


@lru_cache(maxsize=256)  # the scan asks of a text and of its passages
def readable(text: str) -> bool:
    """Whether the network can judge ``text``: most of its letters are Latin, or a look-alike letter
    of another script sits next to a Latin one (Cyrillic "о" in "Ignоre"). The MiniLM embedding
    reads other scripts as noise: fitted on them, the network quarantined half of the everyday
    notes written in Chinese, Arabic, Russian, Hindi... and caught fewer of the attacks in them
    than of those notes (bench/RESULTS.md). Such text is judged by the hard patterns, and its Latin
    words by the network (``passages``)."""
    if text.isascii():
        return True
    text = text[:MAX_TEXT]
    letters = sum(map(len, _LETTER_RUN.findall(text)))
    latin = sum(map(len, _LATIN_RUN.findall(text)))
    return not letters or latin >= READABLE_SHARE * letters or _DISGUISED_WORD.search(text) is not None


@lru_cache(maxsize=256)  # the scan asks for the same text's normal form from several places
def normalize(text: str) -> str:
    """``text`` without its disguises: the same words as a filter-dodging author meant them."""
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT]).translate(_INVISIBLE).translate(_LOOKALIKES)
    text = _LEET_WORD.sub(lambda match: match.group().translate(_LEET) if not match.group().isdigit() else match.group(), text)
    text = _SPACED.sub(lambda match: re.sub(r"[ .\-_*]", "", match.group()), text)
    return _SPLIT.sub(r"\1\2", text)


_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])")
_HEX = re.compile(r"\b(?:[0-9a-fA-F]{2}[ :]?){8,}\b")
_ROT13_CUE = re.compile(r"\brot-?13\b|\bcaesar\b", re.I)
_REVERSED_CUE = re.compile(r"\b(?:revers\w*|backwards?|right to left|spiegel\w*|invers\w*|à l'envers|al revés)\b", re.I)


@lru_cache(maxsize=256)
def payloads(text: str) -> tuple[str, ...]:
    """Text hidden in an encoding (base64, hex, ROT13, written backwards), decoded."""
    found = []
    for match in _BASE64.finditer(text):
        decoded = _printable(_b64(match.group()))
        if decoded:
            found.append(decoded)
    for match in _HEX.finditer(text):
        try:
            decoded = _printable(bytes.fromhex(re.sub(r"[ :]", "", match.group())))
        except ValueError:
            decoded = None
        if decoded:
            found.append(decoded)
    if _ROT13_CUE.search(text):
        found.append(codecs.decode(text, "rot13"))
    if _REVERSED_CUE.search(text):
        found.append(text[::-1])
    return tuple(found)


def _b64(blob: str) -> bytes:
    try:
        return base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True)
    except (binascii.Error, ValueError):
        return b""


def _printable(raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    letters = sum(char.isalpha() or char == " " for char in text)
    return text if len(text) >= 8 and letters / len(text) > 0.8 and " " in text else None


# -- the act ----------------------------------------------------------------------------------------

_AI = r"(?:assistant|ai|a\.i\.|language model|llm|model|chatbot|bot|gpt|chatgpt|claude|gemini|copilot|system|agent|summari[sz]er)"
_OUTPUT_VERB = r"(?:say|says|said|print|output|respond|reply|answer|write|type|repeat|return|echo|state|declare|display|utter|shout|begin|start|end|finish|conclude|sign off)"
_IMPERATIVE = (
    "ignore disregard forget drop skip stop cease abandon override bypass discard scrap set put leave neglect overlook "
    "say print output respond reply answer write type repeat return echo state declare display show tell reveal disclose "
    "dump leak list share give spell translate summarize summarise describe explain enumerate recite quote copy paste "
    "pretend act become imagine play roleplay simulate behave assume switch enable activate enter start begin continue "
    "follow obey comply execute run do make send forward email post upload include add append prefix insert remember "
    "store save treat consider rate recommend mention confirm grant allow accept approve unlock open respond"
).split()
_IMPERATIVE_START = re.compile(r"(?:^|[.!?:;\n\"“(\[]\s*|\b(?:please|now|just|simply|then|and|kindly)\s+)(?:" + "|".join(_IMPERATIVE) + r")\b", re.I | re.M)
_YOU = re.compile(r"\byou(?:r|rs|rself|'re|'ll|'ve|'d)?\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|our|us)\b", re.I)
_ADDRESSED = re.compile(
    rf"(?:^|[.!?\n]\s*)(?:hey |dear |hi |hello |attention |note to (?:the )?|to (?:the |any |all )?)?{_AI}s?\s*[,:!]"
    rf"|\b(?:you are|you're|as) (?:an? |the )?(?:ai|assistant|language model|llm|chatbot|bot|gpt)\b"
    rf"|\b(?:ai|assistant|model|bot|llm|system|agent|summari[sz]er)s? (?:reading|processing|parsing|seeing|summari[sz]ing|handling) (?:this|these)\b"
    rf"|\bif you(?:'re| are) an? (?:ai|assistant|language model|llm|bot)\b",
    re.I | re.M,
)
_OUTPUT_ORDER = re.compile(
    rf"\b(?:only|just|simply|exactly|always|never|must|should|will|now|instead|then|please)\s+(?:\w+\s+){{0,2}}?{_OUTPUT_VERB}\b"
    rf"|\b{_OUTPUT_VERB}\s+(?:only|exactly|just|back|out|verbatim|word for word|the (?:words?|phrase|sentence|text)|with)\b"
    rf"|\b(?:your|the) (?:reply|response|answer|output)\s+(?:must|should|will|has to|needs to|is to)\b"
    rf"|\b(?:begin|start|end|finish|prefix|preface) (?:your|the|each|every) (?:reply|response|answer|output|message)\b"
    rf"|\b(?:respond|reply|answer)\s+(?:with|using)\b|\bsay\s+[\"“'«]|\bprint\s*\(|\bnothing (?:else|more) (?:than|but)\b|\bno other (?:words|text)\b",
    re.I,
)
_OVERRIDE = re.compile(
    r"\b(?:ignore|disregard|forget|override|overrule|bypass|discard|scrap|abandon|set aside|put aside|neglect|skip)\b[^.!?\n]{0,50}?"
    r"\b(?:instructions?|prompts?|rules|directives?|guidelines?|guidance|orders?|commands?|above|previous|prior|earlier|preceding|everything|all that|what (?:you|i))\b"
    r"|\b(?:new|updated|revised|real|actual|true|secret|hidden|additional|further|next|final) (?:instructions?|orders?|directives?|task|rules|objective|mission|goal)\b"
    r"|\b(?:instead of|rather than) (?:answering|responding|replying|helping|doing|following|what)\b"
    r"|\b(?:no longer|don't|do not|never) (?:apply|applies|follow|obey|matter|need to follow)\b|\b(?:previous|earlier|prior|above|old) (?:instructions?|rules|guidance|prompts?) (?:are|is|were|was) (?:void|cancel\w*|invalid|obsolete|gone|wrong|fake|a test)\b",
    re.I,
)
_DELIMITER = re.compile(
    r"^\s*(?:[=\-#*~_+<>|/\\.]\s*){5,}\s*$|\b(?:end|begin|start|stop) (?:of )?(?:the )?(?:user |system )?(?:input|prompt|message|text|instructions?|context|conversation|transcript|document|session|data)\b"
    r"|</?(?:user|system|assistant|input|instructions?|prompt|s|im_start|im_end|context)>|\[/?(?:INST|SYS|SYSTEM|USER|ASSISTANT|END|START)\]|<\|[\w_]+\|>"
    r"|^\s*#{1,4}\s*(?:system|instructions?|new task|admin|developer|override)\b|^\s*(?:system|admin|developer|root|assistant|user|human|ai)\s*(?:prompt|message|override|note)?\s*:\s",
    re.I | re.M,
)
_TURNS = re.compile(r"^\s*(?:user|human|assistant|ai|system|bot|gpt|q|a)\s*:\s", re.I | re.M)
_ROLE = re.compile(
    r"\b(?:you are now|you're now|from now on,? you(?:'re| are| will be)?|act as|acting as|pretend (?:to be|you are|you're|that you)|roleplay as|role-play as|"
    r"play the (?:role|part) of|imagine (?:that )?you(?:'re| are)|you will (?:now )?(?:be|play|act)|become an?|let's play a game|we(?:'re| are) going to play|"
    r"simulate an?|behave (?:like|as)|your (?:new )?(?:name|role|persona|identity) is|in this game,? you|stay in character|you (?:only )?know (?:only )?(?:two|one|three) words)\b",
    re.I,
)
_EXTRACTION = re.compile(
    r"\b(?:your|the|these|those|my|its|original|initial|hidden|system|secret|previous|above|prior|preceding) (?:instructions?|prompt|rules|guidelines|directives|configuration|config|system message|pre-?prompt|context window|setup)\b"
    r"|\b(?:everything|all(?: the)? text|the text|what(?:ever)? (?:was|is|you were|you've been|i) (?:written|said|told|given)) (?:above|before|earlier|previously|so far)\b"
    r"|\b(?:the|your|a|its) (?:secret|password|passcode|pass ?phrase|access code|code ?word|key|pin|magic word)\b"
    r"|\bwhat (?:were|are|was) you (?:told|instructed|programmed|given)\b|\b(?:repeat|print|output|reveal|show|dump|list|spell|recite|translate|summari[sz]e) (?:back |out |me |us )?(?:all |everything |the |your )?(?:above|previous|prior|preceding|instructions?|prompt|rules)\b",
    re.I,
)
_PASSWORD_TRICK = re.compile(
    r"\b(?:password|passcode|code|key|access code|pin)\b[^.!?\n]{0,20}\b(?:is |was |has been )?(?:correct|right|accepted|verified|valid|entered|confirmed)\b"
    r"|\bpretend (?:that )?(?:i|the user) (?:typed|entered|gave|said) (?:the )?(?:correct|right)\b|\baccess (?:is |has been )?granted\b|\bi have been pwned\b|\bpwned\b",
    re.I,
)
_QUOTED_PHRASE = re.compile(r"[\"“'«‘]([^\"”'»’\n]{2,40})[\"”'»’]")
_RESTART = re.compile(r"\b(?:start (?:over|again|afresh|fresh)|new (?:session|conversation|chat|game)|previous (?:session|conversation|user)|that was (?:a |the )?(?:test|previous|old|mistake)|reset (?:the |your )?(?:conversation|context|memory|session))\b", re.I)
_DATE = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun)\w*\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b|\b\d{1,2}[:/.]\d{2}\b|\b(?:today|tomorrow|yesterday|tonight|weekend)\b", re.I)
_CODE = re.compile(r"[{}();=]|\bdef\b|\bfunction\b|\breturn\b|\bprint\b|\bconsole\.log\b|\becho\b", re.I)
_LOWER_WORD = re.compile(r"[^\W\d_]+", re.U)
# Quoted spans: an attack quoted in order to talk about it is not an attack (unless the text
# around it gives orders too).
_QUOTED = re.compile(r"\"[^\"\n]{3,400}\"|“[^”\n]{3,400}”|«[^»\n]{3,400}»|`[^`\n]{3,400}`|(?<![\w'’])['‘][^'’\n]{3,400}['’](?![\w'’])")
QUOTED_SENTENCE_WORDS = 4  # a shorter quote is what an order asks for ("say 'Access Granted'"), not an order quoted
_ACT_PATTERNS = (_ADDRESSED, _OUTPUT_ORDER, _OVERRIDE, _DELIMITER, _ROLE, _EXTRACTION, _PASSWORD_TRICK)
# The act in other languages (MiniLM and the patterns above read English): the reader's
# instructions or secret, orders to output or reveal, orders to disregard, and the reader
# addressed as "you". Scripts without spaces between words are matched as substrings.
_INTL_SECRET = re.compile(
    r"\b(?:anweisung\w*|systemprompt|prompt\w*|passwort|kennwort|zugangscode\w*|regeln|instructions?|consignes?|mot de passe|"
    r"code d'accès|instrucci\w+|contraseña|código de acceso|istruzion\w+|password|codice di accesso|regole|instructies?|wachtwoord|"
    r"toegangscode|instruç\w+|senha|código de acesso|regras|instrukcj\w+|hasło|hasła|hasło|kod dostępu|zasad\w*|talimat\w*|şifre\w*|"
    r"инструкци\w*|парол\w*|правил\w*|chỉ dẫn|mật khẩu|hướng dẫn|kata sandi|instruksi|perintah|lösenord|instruktion\w*)\b"
    r"|指令|指示|提示词|密码|口令|规则|プロンプト|パスワード|命令|지시|비밀번호|프롬프트|암호|규칙",
    re.I,
)
_INTL_OUTPUT = re.compile(
    r"\b(?:sag|sage|schreib\w*|gib|gebt|zeig\w*|wiederhol\w*|übersetz\w*|antworte\w*|dis|écris|écrivez|affiche\w*|répète\w*|répétez|traduis|réponds|"
    r"révèle\w*|donne\w*|dí|escribe\w*|repite\w*|muestra\w*|traduce\w*|responde\w*|revela\w*|dime|dimmi|scrivi|ripeti|mostra\w*|traduci|"
    r"rispondi|rivela\w*|zeg|schrijf|herhaal|toon|vertaal|antwoord|diga|escreve\w*|mostre|repete|traduz\w*|napisz|powiedz|powtórz|pokaż|"
    r"przetłumacz|odpowiedz|skriv|säg|upprepa|söyle|yaz|tekrarla|göster|скажи|напиши|повтори|покажи|переведи|ответь|hãy|liệt kê|"
    r"tulis\w*|sebutkan|tampilkan|ulangi|katakan)\b|说|写出|输出|翻译|重复|显示|言って|書いて|出力|繰り返|教えて|말해|써|출력|반복|보여",
    re.I,
)
_INTL_IGNORE = re.compile(
    r"\b(?:ignorier\w*|vergiss|vergessen sie|missacht\w*|ignore[zs]?|oublie[zs]?|ignora\w*|olvida\w*|dimentica\w*|negeer|vergeet|esquece\w*|"
    r"zapomnij|zignoruj|ignoruj|unut|yoksay|игнорируй|забудь|bỏ qua|lupakan|abaikan|glöm)\b|忽略|无视|忘记|無視|忘れ|무시|잊어",
    re.I,
)
_INTL_YOU = re.compile(
    r"\b(?:du|dein\w*|dir|dich|euer|tu|ton|tes|toi|vous|votre|vos|tú|tus|usted|tuo|tua|tuoi|jij|jouw|você|vocês|teu|seu|sua|"
    r"ty|twoj\w*|twoi\w*|sen|senin|ты|твой|твои|вы|ваш\w*|bạn|kamu|anda|dina|ditt)\b|你|您|あなた|君|당신|너",
    re.I,
)
# Talk about attacks and AI work, rather than an attack: a person studying, testing, reporting.
_TALKS_ABOUT = re.compile(
    r"\b(?:injections?|jailbreaks?|attacks?|attackers?|payloads?|exploits?|red[- ]team\w*|ctf|bug bounty|phishing|lecture|paper|"
    r"homework|assignment|eval(?:uation)?s?|test (?:case|suite|set)|benchmark|example|e\.g\.|classic|defen[cs]e|filter|detector|"
    r"classifier|blocked|flagged|guardrails?|security|vulnerabilit\w*|researchers?|prompt engineering|draft|version|v\d|"
    r"works because|worked|tried|typed|wrote|asked it|we had|our bot|my bot|the bot|the model|the assistant|the ai|the chatbot|"
    r"article|blog|podcast|talk|conference|workshop|course|student|class|kids?|daughter|son|coworker|colleague|team)\b",
    re.I,
)
_THIRD_PERSON_AI = re.compile(r"\b(?:the|our|my|their|a|this|that) (?:bot|model|assistant|ai|chatbot|llm|gpt|agent|tutor bot|support bot)\b(?!\s*[,:])", re.I)
_OPENS_WITH_ORDER = re.compile(r"[^\w]{0,20}(?:please\s+|now\s+|ok(?:ay)?,?\s+|hey,?\s+)?(?:" + "|".join(_IMPERATIVE) + r")\b", re.I)

# The poisoning scan's soft patterns (poisoning._SOFT), each one more feature: the phrases seen so
# far count, beside the act, as evidence among others rather than as rules.
PATTERN_SIGNALS = (
    "acts on stored memories", "acts on the user's data", "addresses an AI", "asks for secrecy", "asks to disclose stored data",
    "calls tools", "claims authority", "demands obedience", "hidden comment", "imperative about behaviour", "link shortener",
    "orders what to say", "overrides rules", "poses as the system", "rewrites the assistant's identity",
    "sends things away, every time", "sends things to an address", "sets a condition for what to say",
    "sets a policy for future answers", "speaks of 'the user'", "speaks of 'your' rules or answers", "speaks of future answers",
    "speaks of itself as a rule", "tampers with safety", "trusts a source blindly",
)
ACT_FEATURES = (
    "addressed", "imperative_you", "imperatives", "you", "first_person", "output_order", "override", "delimiter",
    "turns", "role", "extraction", "password_trick", "quoted_phrase", "restart", "flood", "symbol_share",
    "repeated_word", "disguised", "payload", "payload_act", "non_ascii", "length", "dates", "code", "question",
    "act_core", "act_pairs", "act_outside_quotes", "act_only_quoted", "talks_about", "third_person_ai", "opens_with_order",
    "intl_secret", "intl_output", "intl_ignore", "intl_you", "intl_act",
)
FEATURES = ACT_FEATURES + tuple(f"pattern: {name}" for name in PATTERN_SIGNALS) + ("pattern score",)


def features(text: str, patterns: dict[str, float] | None = None) -> np.ndarray:
    """The act, measured on ``text`` with its disguises undone, and the soft ``patterns`` the scan
    found in it (reason -> weight), in the order of FEATURES."""
    act = _act(text)
    patterns = patterns or {}
    flags = [1.0 if name in patterns else 0.0 for name in PATTERN_SIGNALS]
    return np.r_[act, np.array(flags, dtype=np.float32), np.float32(min(2.0, sum(patterns.values())) / 2)].astype(np.float32)


def _act(text: str) -> np.ndarray:
    raw = text[:MAX_TEXT]
    clean = normalize(raw)
    hidden = payloads(clean)
    act_text = clean + ("\n" + "\n".join(hidden) if hidden else "")
    words = _LOWER_WORD.findall(clean.lower())
    count = max(1, len(words))
    imperatives = len(_IMPERATIVE_START.findall(act_text))
    you = len(_YOU.findall(act_text))
    signals = {
        "addressed": bool(_ADDRESSED.search(act_text)),
        "output_order": bool(_OUTPUT_ORDER.search(act_text)),
        "override": bool(_OVERRIDE.search(act_text)),
        "delimiter": bool(_DELIMITER.search(act_text)),
        "role": bool(_ROLE.search(act_text)),
        "extraction": bool(_EXTRACTION.search(act_text)),
        "password_trick": bool(_PASSWORD_TRICK.search(act_text)),
    }
    act_core = sum(signals.values())
    intl = {name: float(bool(pattern.search(act_text))) for name, pattern in
            (("intl_secret", _INTL_SECRET), ("intl_output", _INTL_OUTPUT), ("intl_ignore", _INTL_IGNORE), ("intl_you", _INTL_YOU))}
    outside = unquoted(act_text)
    act_outside = sum(bool(pattern.search(outside)) for pattern in _ACT_PATTERNS) if outside != act_text else act_core
    tokens = re.findall(r"\S+", raw)
    most = Counter(tokens).most_common(1)[0][1] if tokens else 0
    values = {
        **{name: float(flag) for name, flag in signals.items()},
        "imperative_you": float(imperatives > 0 and you > 0),
        "imperatives": min(1.0, imperatives / 3),
        "you": min(1.0, you / (count / 10 + 1)),
        "first_person": min(1.0, len(_FIRST_PERSON.findall(clean)) / (count / 10 + 1)),
        "turns": min(1.0, len(_TURNS.findall(act_text)) / 2),
        "quoted_phrase": float(bool(_QUOTED_PHRASE.search(act_text))),
        "restart": float(bool(_RESTART.search(act_text))),
        "flood": min(1.0, max(0, most - 4) / 20) + min(1.0, max(0, _longest_run(raw) - 8) / 40),
        "symbol_share": sum(not (char.isalnum() or char.isspace()) for char in raw) / max(1, len(raw)),
        "repeated_word": 1 - len(set(words)) / count if count > 8 else 0.0,
        "disguised": float(clean != unicodedata.normalize("NFKC", raw)),
        "payload": float(bool(hidden)),
        "payload_act": float(bool(hidden) and any(_OVERRIDE.search(h) or _OUTPUT_ORDER.search(h) or _EXTRACTION.search(h) for h in hidden)),
        "non_ascii": sum(ord(char) > 127 for char in raw) / max(1, len(raw)),
        "length": math.log1p(len(raw)) / 8,
        "dates": min(1.0, len(_DATE.findall(clean)) / 2),
        "code": min(1.0, len(_CODE.findall(raw)) / 6),
        "question": float("?" in raw),
        "act_core": min(1.0, act_core / 3),
        "act_pairs": float(act_core >= 2),
        "act_outside_quotes": min(1.0, act_outside / 3),
        "act_only_quoted": float(act_core > 0 and act_outside == 0),
        "talks_about": min(1.0, len(_TALKS_ABOUT.findall(clean)) / 2),
        "third_person_ai": float(bool(_THIRD_PERSON_AI.search(clean))),
        "opens_with_order": float(bool(_OPENS_WITH_ORDER.match(outside.strip()))),
        **intl,
        "intl_act": min(1.0, sum(intl.values()) / 3),
    }
    return np.array([values[name] for name in ACT_FEATURES], dtype=np.float32)


def unquoted(text: str, keep_phrases: bool = True) -> str:
    """``text`` with its quoted sentences blanked out. Short quoted phrases stay unless
    ``keep_phrases`` is off: they are usually the object of an order ('say "Access Granted"')."""
    def blank(match: re.Match) -> str:
        quoted = match.group(0)
        return quoted if keep_phrases and len(quoted.split()) < QUOTED_SENTENCE_WORDS else quoted[0] + "…" + quoted[-1]

    return _QUOTED.sub(blank, text)


def _longest_run(text: str) -> int:
    best = run = 0
    previous = ""
    for char in text:
        run = run + 1 if char == previous and not char.isspace() else 1
        best, previous = max(best, run), char
    return best


# -- the model -------------------------------------------------------------------------------------


@cache
def _model() -> dict | None:
    """The thresholds (injection_act.json) and the network's arrays (injection_act.npz): the
    inputs' means and scales, then for each of a few networks fitted from different seeds, one
    hidden layer of ReLU units and a logistic output."""
    try:
        model = json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))
        with np.load(NETWORK_FILE) as arrays:
            model.update({name: arrays[name].astype(np.float32) for name in NETWORK_ARRAYS})
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None
    if tuple(model.get("features", ())) != FEATURES or model["mean"].shape != model["w1"].shape[1:2]:
        return None  # fitted on other inputs: better no detector than a wrong one
    return model


def available() -> bool:
    return _model() is not None


def thresholds() -> tuple[float, float]:
    """(quarantine, doubt): at or above the first a text is quarantined; between the two its
    trust is lowered in proportion (trust.py)."""
    model = _model()
    return (model["quarantine_at"], model["doubt_at"]) if model else (1.1, 1.1)


def probability(text: str, vector: np.ndarray | None, patterns: dict[str, float] | None = None) -> float:
    """How likely ``text`` (with its embedding ``vector`` and the soft ``patterns`` the scan
    found) is an injection, 0 to 1. Without an embedding, its inputs are taken at their mean; 0
    for a text the network cannot read (``readable``)."""
    model = _model()
    if model is None or not readable(text):
        return 0.0
    acts = features(text, patterns).astype(np.float32)
    meaning = model["mean"][len(acts):] if vector is None else np.asarray(vector, dtype=np.float32)
    return float(network_probabilities(model, np.concatenate([acts, meaning])[None, :])[0])


def network_probabilities(network: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """The network's probability for each row of inputs ``x`` (act features, then embedding):
    the mean over its seeds' networks. bench/train_poisoning.py judges with this very function."""
    z = (x - network["mean"]) / network["scale"]
    hidden = np.maximum(np.einsum("td,ndh->nth", z, network["w1"]) + network["b1"][:, None, :], 0.0)
    logits = np.clip(np.einsum("nth,nh->nt", hidden, network["w2"]) + network["b2"][:, None], -30.0, 30.0)
    return (1 / (1 + np.exp(-logits))).mean(axis=0)
