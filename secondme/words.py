"""Words as the memory's rule-based readers see them: a crude stemmer, the function words, sentences.

Shared by the reader of answers (answer.py), the judge of updates (memory/updates.py) and the
sensitivity classifier (memory/sensitivity.py), so that "lives", "living" and "lived" meet in all
three the same way.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[\w]+(?:['’.&+-][\w]+)*\+?")

FUNCTION_WORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being do does did done
    have has had i you he she it we they me him her us them my your his its our their mine yours what which who whom
    whose when where why how that this these those there here not no yes can could would should will shall may might
    must about into over after before than then so too very just also any all some each other such only own same
    s t don dont im ive i'm i've i'd i'll it's that's there's he's she's we're they're you're am isn't aren't
    wasn't weren't doesn't didn't haven't hasn't won't can't let's now still really actually always usually
    pretty quite again anymore since ago like oh ok okay yeah well lol please thanks btw anyway already ever
    get got go went going gone make made take took one""".split()
)

# Question words of the languages users mix in, by the kind of answer they ask for: "kelan bday
# ko", "saan ako nag-aaral", "¿dónde vive mi hermana?", "mathe anaishi wapi".
QUESTION_WORDS_ABROAD = {kind: frozenset(words.split()) for kind, words in {
    "time": "kailan kelan cuándo cuando quando wann quand kab kapan lini wen",
    "place": "saan san nasaan asan dónde donde onde wo où kahan kaha dimana wapi",
    "person": "sino sinong quién quien quem wer kaun siapa nani",
    "number": "ilan ilang magkano cuánto cuanto cuántos cuantos cuántas quanto quantos quantas wieviel combien kitna kitne kitni berapa ngapi",
    "thing": "wetin ano anong ano'ng qué cuál cuáles cual qual quais oq kya konsa kaunsa apa nini gani quel quelle welche welcher welches "
             "bakit kenapa mengapa warum pourquoi kyun kyon",
}.items()}
# Those that open a question on their own, without "?" (not "cuando era niña...", "donde vivo...",
# "ilang beses...", which open statements as often: "ilang taon" asks an age, see extract.py);
# ASKED_LAST close one (Swahili asks at the end).
ASKED_FIRST = frozenset().union(*QUESTION_WORDS_ABROAD.values()) - {"cuando", "donde", "quando", "onde", "ilang"}
ASKED_LAST = frozenset("wapi lini nini ngapi".split())
ASKED_IN_LOWER_CASE = frozenset({"san", "wen"})  # Tagalog "san", Pidgin "wen": as typed, not "San Diego", "Wen Li"
# The small words of those languages, and their question words: not what a question asks about
# ("kelan bday ko" asks about "bday"), nor what two statements share ("bestie ko" and "section
# ko"). Not function words: "Kay", "Mo", "Ito", "San Diego", "MacBook Pro" are names.
_SMALL_WORDS_ABROAD = frozenset().union(*QUESTION_WORDS_ABROAD.values()) | frozenset(
    """y que mi mis tu su un una es por para con se o os do dos das em no na um uma meu minha
    é e com pra pro ang ng mga sa ko mo si ni kay ba po yung ung nga naman lang din rin kasi pero ako ikaw siya sya kami
    tayo sila nila namin natin ngayon nag mag yan ito dito doon""".split())


def stem(word: str) -> str:
    """A crude stem (lives/living/lived -> liv, drives/driving -> driv): enough to match a word
    across two short texts, not a linguist's stem."""
    word = re.sub(r"(?:'s|’s|s'|’)$", "", word.lower().replace("’", "'"))
    for ending in ("ing", "ies", "ied", "es", "ed", "s", "ly", "er"):
        if len(word) > len(ending) + 2 and word.endswith(ending):
            word = word[: -len(ending)]
            break
    if len(word) > 3 and word[-1] == "e":
        word = word[:-1]
    return word


NOT_CONTENT = FUNCTION_WORDS | _SMALL_WORDS_ABROAD  # words that carry no meaning of their own, in English or abroad


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (no function words, in English or abroad)."""
    return {stem(word) for word in WORD.findall(text) if word.lower().replace("’", "'") not in NOT_CONTENT}


_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_ABBREVIATION = re.compile(r"\b(?:dr|mr|mrs|ms|mx|prof|st|mt|jr|sr|no|vs|approx|dept|univ|ave|rd|e\.g|i\.e|etc)\.$", re.I)


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences, not after "Dr." or "prof." ("dentist (dr. sousa)")."""
    found: list[str] = []
    for piece in _SENTENCE.split(text):
        if found and _ABBREVIATION.search(found[-1]):
            found[-1] = f"{found[-1]} {piece}"
        else:
            found.append(piece)
    return found
