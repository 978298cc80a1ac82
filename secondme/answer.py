"""Grounded answers: what the assistant says when the user asks about their own life.

SmolLM2-135M garbles facts even when they sit in its prompt ("What is my wife's name?" -> the
user's own name, "What car do I drive?" -> a German rapper). So a question that memory can
answer is answered by reading the answer out of the recalled statements, and the model's free
text is kept for what it is good at (a message, a recipe, a plan). The reader works in three
steps, each one a small rule that can be checked by eye:

1. The question: which kind of answer it wants (a person, a name, a place, a time, a number, a
   thing, yes or no, a list), the words an answering statement shares with it, and the people
   or relations it is about ("my brother", "Caroline"), which the statement must be about too.
   Names stand in for relations when a memory says so ("my husband Chidi", "gf = beatriz").
2. The clause that answers: every clause of the recalled *statements* (never the assistant's
   replies, never the user's own questions) that is about whom the question asks, scored by how
   close it is in meaning (the embedder, clause by clause), how many of the question's words it
   holds, whether it holds an answer of the kind wanted, and how well its memory was recalled.
   A statement that superseded another also holds the words of the one it replaced: "I sold the
   Mondeo, now we have a Corolla" answers "what car do I drive?" as "I drive a Mondeo" did, and
   the value it says is gone ("No more 5:30am runs") is never its answer.
3. The answer in it: a name, place, date or number of the wanted kind, nearest the question's
   words (relative times resolved against when it was said: "yesterday" on 8 May 2023 -> 7 May
   2023); for a thing, the words that follow the question's verb ("What car do I drive?" ->
   "I drive a silver Skoda" -> "a silver Skoda"); for yes/no and lists, the clause itself, in
   the second person. When no clause is about what the question names, or the best one is not
   close enough, the answer says so ("I don't know: it's not mentioned in what you've told me"),
   quoting the best clause when it says something of what is asked in words ("I don't know for
   sure. The closest thing in memory: ..."): the user can judge it, and it is not grounded.

The two thresholds (CLAUSE_MIN, and SPAN_MIN for answers that need a typed span) were set on
the development persona set and two LoCoMo dev conversations; bench/answers.py and
bench/locomo_answers.py report them on sets they were not set on. HEDGE_MIN, below which not even
the closest clause is shown beside "I don't know", was set by reading LoCoMo dev's hints.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from secondme import kinship, times
from secondme.kinship import RELATION_OF, RELATIONS, THINGS, relation_names, strip_possessive
from secondme.memory.extract import opens_with_question, opens_with_request, speech_act
from secondme.memory.sensitivity import SECRET_LABELS, secrets_asked
from secondme.words import (ASKED_LAST, DOINGS, FUNCTION_WORDS, GONE_ABROAD, NOT_CONTENT, NOW_ABROAD, OCCUPATIONS, QUESTION_WORDS_ABROAD, VEHICLE_MAKES, VEHICLE_MODELS,
                            HINDI_ASKING, HINDI_COPULA, SAID_IN_HINDI, VEHICLE_WORDS, WORD, asked_in_hindi, everyday_word, hindi_asking_in_english, sentences, stem)

UNKNOWN_ANSWER = "I don't know: it's not mentioned in what you've told me."
UNSURE_ANSWER = "I don't know for sure. The closest thing in memory:"
UNKNOWN_PHRASES = ("i don't know", "not mentioned", "no information available")
READ_MEMORIES = 24  # recalled statements read for an answer
MAX_SPAN = 6  # words of a "thing" answer
CLAUSE_MIN = 1.0  # a sentence scoring below this does not answer
SPOKEN_OF_WITHIN = 3  # the best sentence that speaks of what is asked answers, among the first ones
ATTRIBUTE_COSINE = 0.5  # a memory this close in meaning may answer without the question's words
SPAN_MIN = 0.3  # ... nor one without an answer of the wanted kind, below CLAUSE_MIN + this
CLEAR_ANSWER = CLAUSE_MIN + SPAN_MIN  # how well a memory held back must answer to be read from (assistant.py)
HEDGE_MIN = 0.8  # below this, nothing comes near enough to show beside "I don't know"

Similarity = Callable[[str, Sequence[str]], list[float]]  # (question, texts) -> cosine of each text to the question

QUESTION_FILLER = frozenset(
    """remind tell know remember name names called call kind type sort what's who's where's when's how's whats
    please again currently these days nowadays moment right now does do did""".split()
)
_TITLE = re.compile(rf"^(?:{kinship.TITLES}|(?i:sir|dame|st)\.?)$")
_NUMBER = re.compile(
    r"^(?:[$€£]?\d+(?:[.,:/]\d+)*(?:st|nd|rd|th|am|pm|k|km|kg|%)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|thousand|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-\w+|dozen|half)$",
    re.I,
)
_TIME_WORD = re.compile(
    r"^(?:" + "|".join(times.WEEKDAYS) + "|" + "|".join(f"{day}s" for day in times.WEEKDAYS) + "|" + "|".join(times.MONTHS)
    + "|" + "|".join(m[:3] for m in times.MONTHS) + "|(?-i:" + "|".join(times.MONTHS_ABROAD + times.WEEKDAYS_ABROAD) + r")|sept|weekend|weekends|spring|summer|autumn|fall|winter|"
    r"morning|mornings|evening|evenings|afternoon|afternoons|night|nights|noon|midnight|lunchtime|yesterday|today|tomorrow|"
    r"tonight|christmas|easter|noël|navidad|weihnachten|pâques|páscoa|pascua|weekday|weekdays|week|month|year|(?:19|20)\d{2}|\d{1,2}(?:st|nd|rd|th)|\d{1,2}[:.]\d{2}(?:am|pm)?|"
    r"\d{1,2}(?:am|pm)|am|pm|o'clock|\d{1,2}/\d{1,2}(?:/\d{2,4})?)$",
    re.I,
)


@dataclass(frozen=True)
class Question:
    text: str
    wants: str  # person | name | surname | place | time | number | thing | yesno | list
    focus: frozenset[str]  # stems of the content words an answering statement shares with the question
    about: tuple[frozenset[str], ...]  # people or relations the statement must be about (each: accepted stems)
    head: str | None = None  # "car" in "what car do I drive"
    plural: bool = False
    past_event: bool = False  # "when did ...": the day a memory was said may be the answer
    people: frozenset[str] = frozenset()  # stems of the names the memories give people ("my flatmate Meera")
    kin: tuple[str, tuple[str, ...]] | None = None  # whose relation it asks the name of (kinship.asked_kin)


class Recalled:
    """What the reader needs of a recalled memory (so that it does not depend on the store's types)."""

    __slots__ = ("id", "content", "score", "cosine", "when", "speaker", "label", "label_stems", "stale", "replaced", "replaced_stems")

    def __init__(self, memory_id: int, content: str, score: float, cosine: float | None, when: float | None,
                 stale: Sequence[str] = (), replaced: Sequence[str] = (), turn: bool = True):
        self.id, self.score, self.cosine, self.when = memory_id, score, cosine, when
        self.stale = tuple(stale)  # parts of it that a later statement changed (consolidate.py)
        self.replaced = tuple(replaced)  # what it changed: it answers what they answered, with a new value
        self.replaced_stems = _stems(" ".join(self.replaced))
        match = _SPEAKER.match(content)
        self.speaker = match.group(1) if match and turn else None
        self.label = match.group(1) if match and not turn else None  # "Vélo: steel Surly Cross-Check", typed
        self.label_stems = _stems(self.label) if self.label else frozenset()
        self.content = content[match.end():] if match else content


@dataclass
class Clause:
    """A sentence of a recalled statement, as a possible answer."""

    memory: Recalled
    text: str
    sentence: str  # the whole memory it is part of
    rank: int  # of its memory among those recalled
    score: float = 0.0


@dataclass
class Reading:
    """What memory says to a question: an answer with the memories it came from, or not known
    (with, at most, the one memory that came closest, cited for the user to judge)."""

    answer: str
    citations: list[int]
    unknown: bool
    clauses: list[Clause] = field(default_factory=list)  # best first
    confidence: float = 0.0  # the answering clause's score

    @property
    def grounded(self) -> bool:
        return bool(self.citations) and not self.unknown


_WORD = re.compile(r"[$€£]?\d+(?:[.,:/]\d+)*(?:(?i:st|nd|rd|th|am|pm|km|kg|k)(?![a-zA-Z])|%)?|[\w]+(?:['’.&-][\w]+)*\.?")
_SPEAKER = re.compile(r"^(?!(?i:update|note|reminder|todo|ps|fyi|btw|edit|okay|ok|so)\b)([A-Z][\w.'-]*(?: [A-Z][\w.'-]*)?):\s+")
_CLAUSE = re.compile(r"\s*[,;:()\[\]“”=]\s*|\s+[-–—]\s+|\s+(?=(?:and|but|because|so|although|though|while|whereas)\s+(?:i|we|he|she|they|it|my|our|his|her|their|[A-Z]\w*)\b)")
_PAST_EVENT = re.compile(r"\bwhen (?:did|was|were|have|has|had)\b|\bwhat (?:date|day) did\b|\bhow long ago\b", re.I)
_NEGATED = re.compile(r"\b(?:not|never|no longer|don't|dont|doesn't|didn't|isn't|aren't|can't|cannot|won't|no)\b|n't\b", re.I)


# -- reading ---------------------------------------------------------------------------------------


def read(question_text: str, recalled: Sequence[Recalled], similarity: Similarity | None = None) -> Reading:
    """The answer memory gives to ``question_text``, from ``recalled`` (best first). ``similarity``
    scores clauses by meaning (the embedder); without it, a clause gets its memory's cosine."""
    question = parse_question(question_text)
    memories = list(recalled[:READ_MEMORIES])
    asks_kin = question.wants in ("person", "name") and not _QUALIFIED_NAME.search(question.text) and not _who_is_asked(question)
    if asks_kin and (named := _kin_named(question, memories)) is not None:
        return named
    if (bred := _bred(question, memories)) is not None:
        return bred
    if asked := secrets_asked(question.text):  # a secret is given back as stored, or not at all: never another one's cut
        return _secret(asked, memories, question.text) or Reading(UNKNOWN_ANSWER, [], True)
    question = with_speakers(with_aliases(question, memories), memories)
    question = replace(question, people=_people(memories))
    clauses = about_clauses(question, memories)
    if not clauses:
        return Reading(UNKNOWN_ANSWER, [], True)
    cosines = similarity(question.text, [clause.text for clause in clauses]) if similarity else [c.memory.cosine or 0.0 for c in clauses]
    for clause, cosine in zip(clauses, cosines):
        clause.score = clause_score(question, clause, cosine)
    clauses.sort(key=lambda clause: -clause.score)
    return decide(question, clauses)


def _kin_named(question: Question, memories: Sequence[Recalled]) -> Reading | None:
    """"What's my sister-in-law called?": the name the memories give that relation, directly
    ("my dentist Dr. Iyer") or in two steps ("my brother Arjun", "Arjun's wife Nisha")."""
    found = kinship.named(*question.kin, [memory.content for memory in memories]) if question.kin else None
    if found is None:
        return None
    name, chain = found
    if any(name in stale for stale in memories[chain[-1]].stale):
        return None
    return _read_whole(name, sorted({memories[index] for index in chain}, key=lambda memory: memory.id))


def _bred(question: Question, memories: Sequence[Recalled]) -> Reading | None:
    """"What breed is Toby?": the breed the memories give that pet ("a West Highland terrier
    called Toby")."""
    found = kinship.breed(question.text, [memory.content for memory in memories])
    if found is None or any(found[0] in stale for stale in memories[found[1]].stale):
        return None
    return _read_whole(found[0], [memories[found[1]]])


def _read_whole(answer: str, cited: list[Recalled]) -> Reading:
    """An answer read off whole memories (their clauses: what a lookup's words are checked against)."""
    return Reading(answer, [memory.id for memory in cited], False, [Clause(memory, memory.content, memory.content, rank) for rank, memory in enumerate(cited)])


# A secret the user asks for back (sensitivity.secrets_asked): the value after one of its labels,
# in a memory that names what the request says it is for ("the front door code" is not the
# garage's), the request's words around the label choosing among several ("Restaurant safe combo
# is 12-36-08. Alarm code is 7741"; "i dey for atm now, wetin be my pin?" of "GTB atm pin 3608.
# opay transfer pin 1947"). A value a few words on counts ("codigo da porta do predio 5839#"), and
# one stored with no label at all after what it is for ("building front door 8306#").
_SECRET_VALUE = re.compile(r"\s*(?:(?:is|was|are)\b|[:=]|->|-(?=\s))?\s*['\"‘“]?(?P<value>[^\s'\"’”,;()]+(?:\s*/\s*[^\s'\"’”,;()]+)?)")
_SECRET_GAP = re.compile(r"\s+(?:for|of|to|at|on)\s+[^:=\n.]{1,40}?(?=\s*[:=])")
_A_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")
_WORDS_ON = re.compile(r"[ \t]+['\"‘“]?(?P<value>[^\s'\"’”,;()]+?)['\"’”]?(?P<end>[.;,]?)(?=\s|$)")


def _secret(asked: dict[str, set[str]], memories: Sequence[Recalled], request: str) -> Reading | None:
    said = _stems(request)
    best: tuple[float, str, int] | None = None
    for kind, qualifiers in asked.items():
        wanted = {stem(word) for word in qualifiers}
        for rank, memory in enumerate(memories[:8]):
            if not wanted <= _stems(memory.content):
                continue
            for start, secret, value_at, labelled in _secret_values(kind, qualifiers, memory.content):
                around = _stems(_clause_before(memory.content, start) + memory.content[start:value_at])
                score = 2 * len(wanted & around) + 0.5 * len(said & around) + labelled - 0.1 * rank
                if best is None or score > best[0]:
                    best = (score, secret, memory.id)
    return Reading(best[1], [best[2]], False) if best else None


def _secret_values(kind: str, qualifiers: set[str], text: str) -> list[tuple[int, str, int, float]]:
    """The values of ``kind`` stored in ``text``: where the label starts, the value, where it ends,
    and how much the label says it is one (1: the kind's own word, 0: another of its labels,
    -0.5: no label, only a word that says what it is for, as in "front door 1234. back door 5678")."""
    labelled = [(found.start(), *_value_after(text, found.end()), float(found.group(0).lower() == kind)) for found in _labels_of(kind).finditer(text)]
    unlabelled = [(word.start(), *_value_after(text, word.end()), -0.5) for word in re.finditer(r"[\w'’-]+", text) if word.group().lower() in qualifiers]
    return [value for value in labelled + unlabelled if value[1]]


def _clause_before(text: str, start: int) -> str:
    """Up to 40 characters before ``start``, from where its clause begins ("figma backup" of
    "office front door 6618#. figma backup code 5501-2290", not the door)."""
    before = text[max(0, start - 40):start]
    return re.split(r"[.;,!?](?:\s|$)|\n", before)[-1]


def _value_after(text: str, end: int) -> tuple[str, int]:
    """The value stored after a label ending at ``end`` ("is Jollof4Life!2021", ": 3f9c...",
    "da porta do predio 5839#"), and where it ends."""
    after = text[end:]
    gap = _SECRET_GAP.match(after)
    skipped = gap.end() if gap else 0
    value = _SECRET_VALUE.match(after[skipped:])
    if value and _looks_secret(secret := value.group("value").rstrip(".")):
        return secret, end + skipped + value.end()
    at = 0
    for _ in range(5):  # the first of the next five words that looks like one, in the same clause
        word = _WORDS_ON.match(after, at)
        if word is None or word.group("value").endswith((":", "=")):
            break  # a line's end, or another thing's label ("wifi network: HomeNet_5G, password: ...")
        at = word.end()
        if _looks_secret(secret := word.group("value")) and not _A_DATE.fullmatch(secret):
            return secret, end + at
        if word.group("end"):
            break
    return "", end


@functools.cache
def _labels_of(kind: str) -> re.Pattern[str]:
    """The labels a secret of this kind may be stored under, longest first."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(SECRET_LABELS[kind], key=len, reverse=True))) + r")\b", re.I)


def _looks_secret(value: str) -> bool:
    """A password, a code, a key: it has a digit or a sign, or mixes cases ("Kreuzberg!Spitze77",
    "4417#"); not "the" of "the password is the same as before"."""
    return len(value) >= 3 and value.lower() not in FUNCTION_WORDS and bool(
        re.search(r"[\d!@#$%^&*_+=~?]", value) or (re.search(r"[a-z]", value) and re.search(r"[A-Z].*[A-Z]|[a-z][A-Z]", value)))


def _people(memories: Sequence[Recalled]) -> frozenset[str]:
    """Stems of the names the memories give people ("my flatmate Meera")."""
    return frozenset(stem(name) for memory in memories for _, name in relation_names(memory.content))


def _about_stems(question: Question) -> set[str]:
    """Every stem that names whom the question is about ("my sister Ilona": sister, ilona)."""
    return set().union(*question.about) if question.about else set()


def about_clauses(question: Question, memories: Sequence[Recalled]) -> list[Clause]:
    """The sentences of the memories that are about whom the question asks about."""
    found = []
    for rank, memory in enumerate(memories):
        stems = _stems(memory.content) | ({stem(memory.speaker)} if memory.speaker else set()) | memory.label_stems
        if not all(accepted & stems for accepted in question.about):
            continue
        heading = ""
        for sentence in sentences(memory.content):
            if not sentence or not _WORD.search(sentence) or _chit_chat(sentence):
                continue
            if not _LIST_ITEM.match(sentence):
                heading = sentence if sentence.rstrip().endswith(":") else ""
            elif not all(accepted & (_stems(sentence) | _stems(heading)) for accepted in question.about):
                continue  # "- birthday: 2 February" in a profile is not Jussi's, though "- son jussi: 44" is two lines on
            said = [sentence.strip()] if speech_act(sentence) == "statement" else [match.group("told") for match in _TOLD_THAT.finditer(sentence)]
            for text in said:
                clause = Clause(memory, _WITH_SIGN.sub("with ", _AT_SIGN.sub(" at ", text)), memory.content, rank)
                if not (question.about and memory.speaker and _of_another_speaker(question, clause)):
                    found.append(clause)
    return found


_AT_SIGN = re.compile(r"\s@\s")  # "backend eng @ zillow" works at Zillow (not "ana@mail.com")
_WITH_SIGN = re.compile(r"\b[wW]/\s*(?=\w{2})")  # "w/ siemens gamesa now" (not "w/o", "w/c")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+\))\s")  # an item of a list stands alone, or with its heading ("Notes about Mum:")


# What a question takes as true: "How do I tell Samuel that his goalie coach Marc-André is moving
# to Québec City?" says his coach is Marc-André ("is it true that..." takes nothing as true).
_TOLD_THAT = re.compile(
    r"\b(?:tell|telling|explain|say|let \w+ know|remind|inform|mention|announce|break (?:it|the news) to)\b[^?.!]{0,40}?\bthat\s+"
    r"(?P<told>[^?.!]*?\b(?:is|was|are|were|has|have|had|will|got|gets)\b[^?.!]*)", re.I)


# Openers of a reaction to the other's news: what follows is of theirs ("Congrats on the cooking show, I'll be tuning in!").
_REACTING_WORDS = (r"wow|awesome|amazing|great|cool|nice|thanks|thank you|congrats|congratulations|sounds|that's|thats|so glad|glad|"
                   r"love it|aww|sure|totally|definitely|absolutely|good luck|haha|lol")
_REACTING = re.compile(rf"^\W*(?:{_REACTING_WORDS})\b", re.I)
_CHIT_CHAT = re.compile(rf"^\W*(?:{_REACTING_WORDS}|hey|hi|hello|yeah|yes|yep|yup|oh|ah|see ya|see you|bye|take care|talk soon|catch you)\b", re.I)


_I_AM = r"(?:i'm|i’m|im|i am)"
_SAYS_WHAT_ONE_IS = re.compile(rf"^\W*(?:{_I_AM}|he's|he’s|she's|she’s|he is|she is|they're|they’re|they are|we're|we’re|we are)\s+"
                               r"(?:\d|from\b)", re.I)  # an age or an origin: not "She's a legend!", "I'm in!"


def _chit_chat(sentence: str) -> bool:
    """"Wow, sounds great!", "Woohoo Melanie!": conversation, not an answer (fewer than two words
    that mean something besides the name of whom it is said to, or an exclamation with a few), but
    for one's own news after a "yeah" or a "bye" ("Yeah, we adopted a puppy!")."""
    content = _stems(sentence) - {stem(name) for name in called_by_name(sentence) if not _after_a_place(sentence, name)}
    if len(content) >= 2 and _FIRST_PERSON.search(sentence) and not _REACTING.match(sentence):
        return False  # news after a "yeah" or a "bye": "Yeah, we adopted a puppy!", "See you at the party, I'm bringing the cake!"
    if _SAYS_WHAT_ONE_IS.match(sentence):
        return False  # "im 26 btw", "She is from Valencia.": someone's age or origin, in few words
    return len(content) < 2 or (_CHIT_CHAT.match(sentence) is not None and len(content) < 6)


def clause_score(question: Question, clause: Clause, cosine: float) -> float:
    """Close in meaning (the sentence, or the memory it is part of), sharing the question's words
    (in the sentence, or at least in its memory), holding an answer of the kind wanted (more so
    when introduced: "his name is Bruno"), about the right one, current, from a well recalled
    memory."""
    focus = question.focus or frozenset({""})
    # A statement that changed another answers what that one answered: "I sold the Mondeo, now we
    # have a Corolla" holds what "I drive a silver Mondeo" held for "what car do I drive?".
    update = bool(clause.memory.replaced)
    # An update of one sentence says what holds now; of several, the one with a present cue does
    # ("I swim in the pool instead", not "I have given up the sea swimming").
    says_now = _PRESENT.search(clause.text) or (update and clause.text == clause.sentence)
    # ... and that sentence holds the words of what it changed ("Finished X, now I'm onto Y" for
    # "what am I reading?", once it made "I'm currently reading X" stale).
    inherited = clause.memory.replaced_stems if update and says_now else frozenset()
    labelled = _label_of(clause)
    subject = _subject(question, clause)
    says_it = (_says_age(question, clause.text) or _says_vehicle(question, clause.text) or _says_origin(question, clause.text)
               or _says_home(question, clause.text) or _says_year_of_study(question, clause.text))
    shared = 1.0 if says_it and subject >= (0.5 if question.about else 0) else _overlap(focus, _stems(_named_in(clause)) | inherited | labelled) / len(focus)
    shared_memory = _overlap(focus, _stems(clause.sentence) | clause.memory.replaced_stems | clause.memory.label_stems) / len(focus)
    meaning = max(cosine, clause.memory.cosine or 0.0)
    found = extract(question, clause)
    typed = 0.0 if found is None else 0.25 + (0.25 if _cued(question, clause, found) else 0.0)
    is_stale = _is_stale(clause, clause.text)
    before = _ASKS_BEFORE.search(question.text) is not None
    if before:  # "where did I work before?": "Left Deloitte after 4 years", not the new job
        current = 0.5 if is_stale or _SAYS_BEFORE.search(clause.text) else -0.4 if says_now or _SAYS_NEW.search(clause.text) else 0.0
        is_stale = False
    else:
        current = (0.3 if _ASKS_NOW.search(question.text) else 0.1) if says_now and not is_stale else 0.0
    negated = -0.2 if question.wants != "yesno" and not update and _NEGATED.search(clause.text) else 0.0
    stale = -0.6 if is_stale else 0.0
    return (meaning + 0.6 * shared + 0.3 * shared_memory + typed + current + negated + stale + 0.2 / (1 + clause.rank)
            + 0.2 * subject)


def _label_of(clause: Clause) -> frozenset[str]:
    """The words of the label a typed note opens with ("Vélo: steel Surly Cross-Check, ..."), for
    its first clause: what the label names is what that clause gives."""
    return clause.memory.label_stems if clause.sentence.startswith(clause.text) else frozenset()


def _labelled_value(question: Question, clause: Clause) -> str | None:
    """What a typed note's label introduces, when the label is what the question asks about
    ("what bike do I ride?" with "Vélo: steel Surly Cross-Check, I ride the canal")."""
    asked = frozenset({stem(question.head)} if question.head else question.focus)
    if not _overlap(asked, _label_of(clause)):
        return None
    value = re.split(r"\s*[,;(]\s*|\s+[-–—]\s+", clause.text, maxsplit=1)[0].strip().rstrip(".!?")
    said = value.lower().split()
    if not 0 < len(said) <= MAX_SPAN or set(said) & (FUNCTION_WORDS - {"a", "an", "the", "of"}) or _NEGATED.search(value) or _GIVEN_UP.search(value):
        return None  # "Bike: sold it last year", "Car: Skoda went to the scrapyard" name no bike or car
    return value


def _is_stale(clause: Clause, text: str) -> bool:
    """``text`` (a sentence, or an answer in it) is a part of the memory that no longer holds: a
    stale value in it ("Paysetu"), or a stale clause that is most of it (not "I live in
    Indiranagar" in "I'm Priya, I'm 28 and I live in Indiranagar": her age still holds)."""
    return any(text in stale or (stale in text and (len(stale.split()) < 3 or len(stale) >= 0.6 * len(text)))
               for stale in clause.memory.stale)


# A question of what held before, and the sentences that say what was or what is new.
_ASKS_BEFORE = re.compile(r"\b(?:before|previously|used to|did \w+ use to|formerly|former|previous|prior)\b", re.I)
_SAYS_BEFORE = re.compile(r"\b(?:left|quit|used to|formerly|former|previous|previously|before|ex|sold|gave up|no longer|anymore|until)\b", re.I)
_SAYS_NEW = re.compile(r"\b(?:new|started|starting|just got|now)\b", re.I)
_ASKS_NOW = re.compile(rf"\b(?:now|these days|nowadays|currently|at the moment|right now|still|(?-i:rn|atm)|{NOW_ABROAD})\b", re.I)  # not an RN, an ATM
_PRESENT = re.compile(rf"\b(?:now|these days|nowadays|currently|at the moment|instead|from now on|{NOW_ABROAD})\b", re.I)


def _cued(question: Question, clause: Clause, found: str) -> bool:
    """The answer is introduced as one ("his name is Bruno", "called Gary", "she's a physio", "was
    a pharmacist"; not "it was tearing my stomach up")."""
    at = clause.text.find(found)
    if at == 0 and _label_of(clause):
        return True  # "Vélo: steel Surly Cross-Check"
    before = clause.text[max(0, at - 16):at].lower() if at >= 0 else ""
    if at >= 0 and _HINDI_COPULA.match(clause.text[at + len(found):]):
        return True  # "Shruti Pune mein dentist hai": Hindi says what someone is before its verb of being
    return bool(re.search(r"(?:name is|called|named|\bis|\bam|\bi'm|\bim|\bé|\bè|(?<!\bit )(?<!\bthat )(?<!\bthere )\b(?:was|were)|'s|=|:|\()\s*(?:an?\s+)?$", before))


_HINDI_COPULA = re.compile(rf"\s+{HINDI_COPULA}\b", re.I)


CRISP = ("person", "name", "surname", "place", "time", "number")  # kinds whose answer must be found, not told


def decide(question: Question, clauses: list[Clause]) -> Reading:
    """Say the best sentence's answer when it is close enough; else that it is not known."""
    best = next((clause for clause in clauses[:SPOKEN_OF_WITHIN] if clause.score >= CLAUSE_MIN and _speaks_of(question, clause)
                 and not _only_of_their_relation(question, clause.text)), None)
    if best is None:
        return _unsure(question, clauses)
    clauses = [best, *(clause for clause in clauses if clause is not best)]
    if question.wants == "yesno":
        verdict = "No" if _NEGATED.search(best.text) else "Yes"
        return Reading(f"{verdict}: {_told(question, best)}", [best.memory.id], False, clauses, best.score)
    if question.plural or question.wants == "list":
        return _several(question, clauses)
    if (named := _who_is_asked(question)) and _stems(named) <= _stems(best.sentence):
        return Reading(_told(question, best), [best.memory.id], False, clauses, best.score)  # "who is Claire?" "Your manager is Claire"
    for clause in _candidates(clauses):
        if clause is not best and not _speaks_of(question, clause):
            continue  # close to the question, but of something else ("I bought a bike in 2019" for a first car)
        span = extract(question, clause)
        if span is not None:
            if question.wants == "thing" and not _cued(question, clause, span):
                # A cut that nothing introduces as the answer is a guess at where the answer
                # ends ("eat my sock", "exam"): the sentence says it whole, or the part of an
                # update that holds it ("now you drive a white Volvo", not the Skoda it sold).
                return Reading(_told(question, clause, span), [clause.memory.id], False, clauses, clause.score)
            return Reading(span, [clause.memory.id], False, clauses, clause.score)
    if question.wants in CRISP:
        return _unsure(question, clauses)
    told = _told(question, best)
    if not _could_be_asked_number(question, told) or (_JOB_QUESTION.search(question.text) and not _SAYS_WORK.search(told)):
        return _unsure(question, clauses)  # "Married to Anne, they have twins" says nothing of what Anne does
    if best.memory.speaker and (done := _object_of_asked_verb(question, best)):
        told = done  # what the question's verb did, not the whole turn
    return Reading(told, [best.memory.id], False, clauses, best.score)


def _who_is_asked(question: Question) -> str | None:
    """The name in "who is Claire?", "whos sara again": what the user said of them answers, not another name."""
    found = _WHO_IS.match(question.text)
    if found is None or {word.lower() for word in found.group(1).split()} & (FUNCTION_WORDS | NOT_CONTENT | RELATION_OF.keys()):
        return None
    return found.group(1)


_WHO_IS = re.compile(r"^\W*(?:and\s+|so\s+)?who(?:'s|’s|s|\s+is|\s+was)\s+([\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+)?)\W*(?:again)?\W*$", re.I)


def _unsure(question: Question, clauses: list[Clause]) -> Reading:
    """Not known; with the closest thing memory holds, when it says something of what is asked in
    words, for the user to judge ("I don't know for sure. The closest thing in memory: ..."),
    cited but not taken as the answer (not grounded)."""
    best = clauses[0]
    if best.score < HEDGE_MIN or not _speaks_of(question, best, by_meaning=False):
        return Reading(UNKNOWN_ANSWER, [], True, clauses, best.score)
    said = _told(question, best)
    said = f"{best.memory.speaker} said: “{said}”" if best.memory.speaker else f"“{said}”"
    return Reading(f"{UNSURE_ANSWER} {said}", [best.memory.id], True, clauses, best.score)


def _candidates(clauses: list[Clause]) -> list[Clause]:
    """Where an answer is looked for: the sentences scoring close to the best, then the best's
    neighbours in the same memory ("...write to my landlord. His name is Mr Hussain.")."""
    best = clauses[0]
    close = [clause for clause in clauses[:3] if clause.score >= best.score - 0.15]
    return close + [clause for clause in clauses if clause.memory.id == best.memory.id and clause not in close]


def _speaks_of(question: Question, clause: Clause, by_meaning: bool = True) -> bool:
    """The clause (or its memory) says something of what the question asks about, not only of
    whom: "Biscuit is a goldendoodle" does not say how old Biscuit is, nor "Siobhan rang" who her
    husband is. ``by_meaning=False``: in words, a memory close in meaning is not enough."""
    qualified = _QUALIFIED_NAME.search(question.text)
    if qualified and not _QUALIFIER_SAID[qualified.group(1).lower()].search(clause.sentence):
        return False  # "my sister Ana" gives no middle name
    if not _names_the_kind(question, clause.text) or _another_favourite(question, clause.text):
        return False  # "what sport does Finn play": not "Finn plays the drums"
    if _asks_vehicle(question) and not (_vehicles(clause.text) or _stems(clause.text) & _VEHICLE_STEMS or _NAMED_AFTER_AN_ARTICLE.search(clause.text)):
        return False  # "what vehículo do we have in the casa?": not "our casa is near the iglesia" (but "a Jaguar XE")
    relation = _relation_named(question)
    if relation is not None:
        return _speaks_of_relation(question, relation, clause.sentence)
    about = _about_stems(question)
    named = {stem(word) for word in re.findall(r"[\w'’-]+", question.text) if word[:1].isupper() and word.lower() not in times.CALENDAR}
    attribute = question.focus - about - named  # "on Sundays" is what is asked about, "Segundo" whom
    if question.wants == "time" and attribute & _EVENT_STEMS:
        return _dates_the_event(attribute - _TIME_STEMS, clause)
    if (not attribute or (by_meaning and max(clause.memory.cosine or 0.0, 0.0) >= ATTRIBUTE_COSINE) or _says_age(question, clause.text)
            or _says_vehicle(question, clause.text) or _says_origin(question, clause.text) or _says_year_of_study(question, clause.text)):
        return True
    if _job(question, clause):
        return True  # "Kavya is an architect" says what Kavya's job is
    if attribute <= _LIVE_STEMS and _says_home(question, clause.text):
        return True  # "my big sister Jean's in Dunoon", "moved into a flat in Hackney" say where one lives
    if question.wants == "place" and attribute <= _PLACE_HEAD_STEMS and question.about and _place(question, clause) is not None:
        return True  # "Shruti kis city mein hai": "Shruti Pune mein dentist hai" says which city, not the word "city"
    if attribute <= _BIRTHDAY_STEMS and _TURNS.search(clause.text):
        return True  # "it's her 72nd on the 9th of February" says when her birthday is
    if clause.memory.replaced and _ASKS_NOW.search(question.text) and question.about:
        return True  # "what does Ify do after school these days?": Ify's latest change says
    pets = {kind for word in re.findall(r"[\w-]+", clause.sentence) if (kind := kinship.pet_kind(word))}  # "a Border Collie" is a dog
    said = _stems(clause.text) | _stems(clause.sentence) | clause.memory.replaced_stems | pets
    if _ASKS_AGE.search(question.text):
        said -= {"old"}  # "how old am i": not "a joke about him bein an old married man"
    return _overlap(frozenset(attribute), said) > 0


# Sports and instruments are told apart ("what sport does Finn play" is not answered by "Finn plays
# the drums"), and one is not another ("football" is not "tennis") when a question asks about
# doing it. Not colours nor languages: the lists can never be complete ("hazel", "Lithuanian"),
# and a language is a nationality too ("my Polish friend").
_DOING_ASKED = {stem(kind): kind for kind in DOINGS}
_SAME_MEMBER = {word: group.split()[0] for group in (
    "football soccer fútbol futbol futebol", "running jogging", "saxophone sax", "guitar guitarra gitarre guitare gitara gitaa violão",
    "piano klavier", "swimming natación natação", "basketball baloncesto basquete", "baseball béisbol",
    "violin fiddle violín violino violon geige", "drums batería bateria batterie schlagzeug", "flute flauta flûte flöte",
    "accordion acordeón acordeão accordéon", "cello violoncelle", "clarinet clarinette", "ukulele uke") for word in group.split()}
_ACTIVITY = re.compile(r"\b(?:play|plays|playing|played|practi[cs]e\w*|lessons?|class(?:es)?|learn\w*|train\w*|match(?:es)?|course|teacher|"
                       r"tutor|coach\w*|club|go|goes|going)\b", re.I)


def _names_the_kind(question: Question, text: str) -> bool:
    """False where the text names the other kind of doing than the one asked for (an instrument
    for "what sport", not a sport too), or another sport or instrument than the one the question
    asks about doing ("what day do I play football": not "I play tennis on Thursdays")."""
    said = {_SAME_MEMBER.get(word, word) for word in re.findall(r"[^\W_]+", text.lower())}
    if _ACTIVITY.search(question.text):
        named = {_SAME_MEMBER.get(word, word) for word in re.findall(r"[^\W_]+", question.text.lower())}
        if any(members & named and members & said and not members & named & said for members in DOINGS.values()):
            return False
    asked = {_DOING_ASKED[word] for word in question.focus if word in _DOING_ASKED}
    if not asked:
        return True
    kinds_said = {kind for kind, members in DOINGS.items() if members & said}
    return not kinds_said or bool(kinds_said & asked)


# What a favourite is of, by topic: "what's my favourite film?" is not answered by "my favourite
# band is Radiohead", but "favourite food" is by "favourite meal", "kind of music" by "band".
_FAVOURITE = re.compile(r"\b(?:favou?rites?|faves?|favs?)\b((?:\s+[\w'’-]+){1,4})", re.I)
_FAVOURITE_TOPICS = {word: topic for topic, words in {
    "food": "food foods meal meals dish dishes eat eating snack snacks cuisine dessert desserts restaurant restaurants",
    "drink": "drink drinks beverage beverages cocktail cocktails",
    "film": "film films movie movies", "show": "show shows series tv programme programmes program programs",
    "book": "book books novel novels read reading author authors writer writers",
    "music": "music band bands song songs artist artists singer singers album albums musician musicians genre",
    "colour": "colour colours color colors", "sport": "sport sports", "team": "team teams club clubs", "game": "game games",
    "place": "place places city cities country countries spot spots destination destinations",
    "flavour": "flavour flavours flavor flavors", "animal": "animal animals", "season": "season seasons",
    "subject": "subject subjects", "holiday": "holiday holidays vacation vacations trip trips"}.items() for word in words.split()}
_FAVOURITE_ENDS = re.compile(r"\s+(?:is|are|was|were|has|would|will)\b|[?:=,.!;]", re.I)


def _favourite_topics(phrase: str) -> set[str]:
    phrase = _FAVOURITE_ENDS.split(phrase, maxsplit=1)[0]
    return {_FAVOURITE_TOPICS[word] for word in re.findall(r"[\w'’-]+", phrase.lower()) if word in _FAVOURITE_TOPICS}


def _another_favourite(question: Question, text: str) -> bool:
    """The text tells a favourite of another topic than the one asked, and none of it."""
    asked = set().union(*(_favourite_topics(match.group(1)) for match in _FAVOURITE.finditer(question.text)))
    told = set().union(*(_favourite_topics(match.group(1)) for match in _FAVOURITE.finditer(text)))
    return bool(asked and told) and not asked & told


# A name of a kind, said with that kind's words: "what's my sister's middle name", "her maiden name".
_QUALIFIED_NAME = re.compile(r"\b(middle|maiden|nick|user|screen|stage|pen|married|gamer|in-game)\s*-?names?\b", re.I)
_QUALIFIER_SAID = {kind: re.compile(words, re.I) for kind, words in {
    "middle": r"\bmiddle\b", "maiden": r"\bmaiden\b|\bn[ée]e\b", "nick": r"\bnick\s*-?name|\bcall(?:s|ed)?\s+(?:him|her|them|me)\b|\bgoes by\b|\bknown as\b",
    "user": r"\buser\s*-?name|\bhandle\b|@\w", "screen": r"\bscreen\s*-?name|\bhandle\b|@\w",
    "stage": r"\bstage name\b|\bperforms as\b|\bknown as\b", "pen": r"\bpen name\b|\bwrites as\b", "married": r"\bmarried name\b|\bn[ée]e\b",
    "gamer": r"\bgamer\s*tag|\bign\b|\bhandle\b|@\w",
    "in-game": r"\bin-game\b|\bign\b|\bhandle\b"}.items()}


def _dates_the_event(asked: set[str], clause: Clause) -> bool:
    """When a birthday or a wedding was is said with that word and the question's other words (a
    name typed in lower case too):
    "wen be kemi birthday" is not answered by "tunde birthday na 22 february", nor "when is
    Njeri's birthday" by the week they started dating, however close in meaning."""
    said = _stems(clause.text) | _stems(clause.sentence)
    if asked & _BIRTHDAY_STEMS and _TURNS.search(clause.text):
        said |= _BIRTHDAY_STEMS  # "it's her 72nd on the 9th of February"
    return _overlap(frozenset(asked), said) == len(asked)


def says_in_words(question_text: str, clause: Clause) -> bool:
    """Whether ``clause`` says what the question asks in words (or by a rule of how people say
    it), not only by being close in meaning: what a memory held back may answer."""
    return _speaks_of(parse_question(question_text), clause, by_meaning=False)


def _relation_named(question: Question) -> str | None:
    """The person whose name a question asks for by relation ("whats the name of siobhan's
    husband"): the sentence that answers must speak of them (a pet may be known by its breed)."""
    asked = _asked_relation(question) if question.wants in ("person", "name") else None
    return asked if asked not in THINGS else None


def _asked_relation(question: Question) -> str | None:
    """The last step of the kin a question asks about ("siobhan's husband" -> husband)."""
    return question.kin[1][-1] if question.kin else None


def _speaks_of_relation(question: Question, relation: str, text: str) -> bool:
    """The text speaks of the relation as the question's owner's: "our office manager
    Priscilla", "write to landlord", "Siobhan's husband"; not "Chidi is now a project manager"
    nor "her husband's work" for the user's husband."""
    forms = _forms_of(relation)
    owner = question.kin[0] if question.kin else ""
    if owner:
        whose = rf"\b{re.escape(owner)}\w*(?:'s|’s)|\b{re.escape(owner)}\w* and (?:his|her|their)"
        return re.search(rf"(?:{whose})\s+(?:\w+\s+)?(?:{forms.pattern})", text, re.I) is not None
    someone_elses = r"\b(?:his|her|their|(?!user)[\w’']+(?:'s|’s))\s+(?:\w+\s+)?$" if relation in THINGS else \
        r"\b(?:an?|his|her|their|(?!user)[\w’']+(?:'s|’s))\s+(?:\w+\s+)?$"  # "I keep a Border Collie named Theo" is one's own dog
    return any(not re.search(someone_elses, text[:found.start()], re.I) for found in forms.finditer(text))


@functools.lru_cache(maxsize=None)
def _forms_of(relation: str) -> re.Pattern[str]:
    """The words for a relation, longest first ("best friend" before "friend"); a pet's breeds too."""
    words = sorted(RELATIONS.get(relation, {relation}) | kinship.pet_words(relation), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\b", re.I)


def _several(question: Question, clauses: list[Clause]) -> Reading:
    """A list: the answers of the clauses close to the best one, each once."""
    chosen: list[tuple[str, int]] = []
    for clause in clauses:
        if clause.score < max(CLAUSE_MIN, clauses[0].score - 0.25) or len(chosen) == 5:
            break
        span = extract(question, clause) or (None if question.wants in CRISP or question.kin else _told(question, clause))
        if span is None or _is_whom_asked_about(question, span):
            continue  # "oppa's kids names?" is not answered by "married, 2 kids"
        if not any(span.lower() in other.lower() or other.lower() in span.lower() for other, _ in chosen):
            chosen.append((span, clause.memory.id))
    if not chosen:
        return _unsure(question, clauses)
    return Reading(", ".join(span for span, _ in chosen), sorted({memory_id for _, memory_id in chosen}), False, clauses, clauses[0].score)


def _subject(question: Question, clause: Clause) -> float:
    """+1 when the clause speaks of whom the question asks about, -1 when a question about the
    user meets a clause about someone else ("Aga works at ..." for "where do I work?")."""
    if question.about:
        if clause.memory.speaker and _spoken_to(question, clause.text):
            return -0.5  # "That race sounds great, Mel": said to them, about what they said
        if _of_their_relation(question, clause.text):
            return -1.0  # "Chidi's parents live in Lagos" is not where Chidi lives
        return 1.0 if all(accepted & _stems(_named_in(clause)) for accepted in question.about) else 0.0
    if not _FIRST_PERSON.search(question.text.replace("’", "'")) or clause.memory.speaker:
        return 0.0
    tokens = _tokens(clause.text)
    if tokens and (stem(tokens[0].group().lower()) in question.people or _described(question, tokens)):
        return -1.0  # "ola is a pharmacist" (a note calls her "gf ola"): about her, typed in lower case
    verb_first = _opens_with_a_verb(tokens) and not _PRONOUN_OPENING.match(clause.text)
    other = None if verb_first else _OTHER_SUBJECT.match(clause.text)  # "Got a used Sienna", "Moved into a flat": no one's name
    if other and len(other.group(0).split()) == 1 and _names_no_one(strip_possessive(other.group(0).strip(" \"'("))):
        other = None  # "Troquei o Fit por um BYD", "Name's Archie": an everyday word, no one's name
    if other and (other.group(0).lower().lstrip(" \"'(").startswith(("my ", "our ")) or not re.match(r"^\W*(?:I|I'm|I’m|My|We)\b", clause.text)):
        return -1.0  # "My grandmother is 91", "Aga works at ...": about someone else
    return 1.0 if in_first_person(clause.text) else 0.0  # "I", "my", and "meu aniversário é 12 de outubro"


def _names_no_one(word: str) -> bool:
    """A verb of a change in another language, or "Name" ("Troquei o Fit", "Comprei um carro",
    "Name's Archie"): no one's name. Not other words of the list, some of which are names too ("Kazi")."""
    return everyday_word(word) in _NO_ONES_WORDS


_NO_ONES_WORDS = frozenset("swap buy sell move name".split())


def _described(question: Question, tokens: list[re.Match]) -> bool:
    """The sentence opens by saying what someone other than the user is, and says nothing of the
    user: "ola is a pharmacist", "bartek is a tattoo artist" (not "Leeds is a great city, I've
    lived here since 2010", nor what is asked, "car is a 2015 golf", with "my" left out)."""
    words = [token.group().lower().replace("’", "'") for token in tokens]
    return (len(words) > 3 and words[1] in ("is", "was") and words[2] in ("a", "an") and _names_another(question, words[0])
            and not any(_FIRST_PERSON.fullmatch(word) for word in words))


def _sentence_of(clause: Clause) -> str:
    """The sentence of its memory that holds the clause ("Jim's grandson, a lad of 12, goes by Rory")."""
    return next((sentence for sentence in sentences(clause.sentence) if clause.text in sentence), clause.text)


_THIRD_PERSON = r"(?:she|he|her|his|they|their|them|him)\b"
_PRONOUN_OPENING = re.compile(r"^\W*" + _THIRD_PERSON, re.I)


def _named_in(clause: Clause) -> str:
    """The clause, and for one that opens with "she", "her", "he"... the two sentences before it
    too, where that person was named ("My Morag passed in 2019. Her birthday was the 22nd of
    August"); only the name a relation of that gender gives, when there is one ("Jim brought his
    wife Sarah. She is a dentist": Sarah, not Jim); for a note's fragment, the short sentence it
    goes on from ("oppa = daniel. pharmacist in irvine")."""
    pronoun = _PRONOUN_OPENING.match(clause.text)
    if clause.text not in clause.sentence or not (pronoun or _a_fragment(clause)):
        return clause.text  # most clauses: nothing before them is read (this runs for every clause scored)
    before = " ".join(part for part in sentences(clause.sentence[:clause.sentence.index(clause.text)]) if part.strip())
    if not pronoun:
        return f"{before} {clause.text}" if 0 < len(before.split()) <= SHORT_NAMING else clause.text
    female = pronoun.group(0).strip(" \"'(").lower() in ("she", "her")
    gendered = kinship.names_of_gender(" ".join(before.split()[-60:]), female)
    context = gendered[-1] if gendered else " ".join(sentences(before)[-2:])
    return f"{context} {clause.text}"


def _a_fragment(clause: Clause) -> bool:
    """A typed note's fragment with no one of its own, which goes on about whom a short sentence
    before it named: "gf = hannah. pediatric dentist in bellevue", "cat = tofu. orange tabby, 4yo"."""
    tokens = [token.group(0) for token in _tokens(clause.text)]
    lowered = [token.lower() for token in tokens]
    return (not clause.memory.speaker and _OWN_SUBJECT.search(clause.text) is None and bool(tokens) and not _is_name(tokens[0])
            and lowered[0] not in RELATION_OF and not set(lowered[1:3]) & _SAYS_WHO_IS)


_SAYS_WHO_IS = frozenset("is was are has had works lives".split())  # "kuba is a pharmacist": a subject of its own


SHORT_NAMING = 4  # words: "oppa = daniel.", "my sister Ana."
_OWN_SUBJECT = re.compile(r"\b(?:i|i'm|i've|me|my|we|our|us|she|he|her|his|him|they|their|them|it|its)\b", re.I)


def _of_their_relation(question: Question, text: str) -> bool:
    """The sentence is about a relation of the one asked about ("Chidi's parents ..."), not about
    them, and the question is not about that relation. Not for who-questions ("Who is Chidi
    married to?" is answered by "Chidi's wife is Ada")."""
    theirs = _SOMEONES_RELATION.match(text)
    if theirs is None or question.wants in ("person", "name"):
        return False
    if not any(stem(theirs.group("owner")) in accepted for accepted in question.about):
        return False
    forms = {stem(form) for form in RELATIONS.get(RELATION_OF[theirs.group("relation").lower()], ())} | {stem(theirs.group("relation"))}
    return not forms & _stems(question.text)


# A sentence opening on someone's relation that goes on about them ("Lena's husband got her a bike")
# or says what the relation told ("Lena's partner says the baby is due on 3 March").
_BACK_TO_THEM = re.compile(r"\b(?:she|her|he|him|says|said|told|tells)\b", re.I)


def _only_of_their_relation(question: Question, text: str) -> bool:
    """"Lena's husband Jakob is a chef" says nothing of Lena's job."""
    return _of_their_relation(question, text) and not _BACK_TO_THEM.search(text)


def _names_asked(question: Question, name: str) -> bool:
    """``name`` ("Mel", "Melanie") is one the question asks about."""
    named = stem(name)
    return any(other.startswith(named) or named.startswith(other) for accepted in question.about for other in accepted if other)


def _of_another_speaker(question: Question, clause: Clause) -> bool:
    """Not about the one the question asks about, though in a conversation with them: another
    speaker's sentence that neither names them (a greeting, "Hey Caroline, ...", does not count)
    nor speaks to them ("your painting", with no "I" in it), so tells the speaker's own news or a
    third's ("The kids loved it"); or their own turn about whom they speak to."""
    text = clause.text.replace("’", "'")
    addressed = bool(_SECOND_PERSON.search(text)) and not _FIRST_PERSON.search(text)  # "your son's okay"
    if any(_names_asked(question, part) for part in (clause.memory.speaker or "").split()):
        # their own turn, about whom they speak to: "your son's okay", "That race sounds great, Mel"
        # (not their own news told by name: "Leo turned 5 today, Sam!")
        if addressed:
            return True
        if _ASKS_OPINION.search(question.text):
            return False  # "What does Caroline think of the race?": her praise is the answer
        return _praises_their_news(text, clause.memory.content) or (
            not _FIRST_PERSON.search(text) and _REACTION.search(text) is not None and any(not _names_asked(question, name) for name in called_by_name(text)))
    if addressed:
        return False  # to them: "your painting is lovely"
    called = set(called_by_name(clause.text))  # "Hey Caroline, ..." speaks to her, not of her
    return not any(_names_asked(question, name) for name in re.findall(r"\b[A-ZÀ-Ý][\w'’-]+", clause.text) if name not in called)


_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|you're|you've|you'd|you'll|ya|ur)\b", re.I)
_VOCATIVE = re.compile(r"(?:^\W*(?:(?i:hey|hi|hello|oh|wow|woah|whoa|thanks|thank you|congrats|yo|aw+|go)\s+)?|,\s*)([A-ZÀ-Ý][\w'’-]+)(?=\s*(?:[,!?.]|$))"
                       r"|^\W*[A-Za-z]+\s+([A-ZÀ-Ý][\w'’-]+)(?=\s*!)")  # "Woohoo Melanie!"


# "from Curitiba, Brazil.": a name after a place may be where it lies ("in Leeds, Tom!" is Tom called).
_PLACE_BEFORE = re.compile(r"\b(?:in|from|at|to|near|of|fae|frae|tae)\s+[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)*\s*,\s*$")


def _after_a_place(text: str, name: str) -> bool:
    """``name`` may be the region of the place before it ("I'm from Curitiba, Brazil."): words
    that mean something, however a sentence that calls someone by name would take it."""
    at = text.find(name)
    return at > 0 and _PLACE_BEFORE.search(text[:at]) is not None


def called_by_name(text: str) -> list[str]:
    """The names ``text`` calls someone by ("Hey Caroline, ...", "..., Mel!", "Woohoo Melanie!")."""
    return [first or second for first, second in _VOCATIVE.findall(text)]


def _praises_their_news(text: str, turn: str) -> bool:
    """A speaker's praise in a turn that asks the other about it ("Learning an instrument is really
    cool. What are you playing?", "Love the necklace, any special meaning to it?", "I love your
    turtles so much!") is about the other's news, not the speaker's own."""
    if _LOVES_YOURS.search(text):
        return not _FIRST_PERSON.search(_LOVES_YOURS.sub("", text))
    if _FIRST_PERSON.search(text) or not _PRAISE.search(text):
        return False
    return text.rstrip().endswith("?") or any(not _RECIPROCAL.search(asked.group()) for asked in _ASKS_THEM.finditer(turn))


_PRAISE = re.compile(
    r"^\W*(?:[\w']+[,!]\s+){0,2}(?:lov(?:e|ing)|nice|great|cool|awesome)\s+(?:the|that|this|those|these|your)\b"
    r"|\b(?:is|are|'s|sounds?|looks?|seems?|must be|can be|takes?)\s+(?:\w+\s+){0,2}?(?:amazing|awesome|great|cool|fancy|"
    r"gorgeous|cute|yum(?:my)?|inspiring|rewarding|fun|lovely|beautiful|incredible|fantastic|wonderful|impressive|exciting|"
    r"nice|sweet|interesting|fascinating|guts|the right)\b", re.I)
_LOVES_YOURS = re.compile(r"\bI\s+(?:\w+\s+)?(?:love|like|adore|admire)\s+(?=your\b)", re.I)  # "I love your turtles"
_ASKS_THEM = re.compile(r"[^.!?]*\b(?:you|your)\b[^.!?]*\?", re.I)  # "What dance were you doing?"
# A question back after one's own news asks the same of the other: "The new job is great! How about you?"
_RECIPROCAL = re.compile(r"\b(?:how|what) about you\b|\band you\W*$|\byou too\b|\bhave you (?:ever|also)\b|\bhave you \w+ (?:one|it|them|yet|the \w+)\W*$|"
                         r"\bwhat do you do\b|\bwhat's yours\b", re.I)
# A reply to someone's news, said of it: "That charity race sounds great", "the kids look so cute",
# "your painting looks amazing" (not "The kids drew a rainbow, ... it was so cute").
_REACTION = re.compile(r"^\W*(?:[\w'’]+,\s+){0,2}(?:that|this|it|those|these|your|the)\b[^.!?,]{0,40}?\b(?:sounds?|looks?|seems?)\b", re.I)
_ASKS_OPINION = re.compile(r"\b(?:think|thinks|thought|feel|feels|felt|opinion|reaction|react|reacted|attitude)\b", re.I)


def _spoken_to(question: Question, text: str) -> bool:
    """The sentence calls the one the question is about by name ("Woah, Caroline, ...", "...,
    Mel!"): a reply to them."""
    for name in called_by_name(text):
        if any(other.startswith(stem(name)) for accepted in question.about for other in accepted):
            return True
    return False


def _told(question: Question, clause: Clause, span: str | None = None) -> str:
    """The sentence as an answer (its clauses that hold the question's words, when it is long;
    the one that holds ``span`` in an update), in the second person when the user said it."""
    parts = [part for part in _CLAUSE.split(clause.text) if part and part.strip()]
    parts = [part for part in parts if not _is_stale(clause, part.strip())] or parts  # not "you're on the metformin"
    holding_span = [part for part in parts if span and span in part]
    if clause.memory.replaced and holding_span:
        parts = holding_span[:1]
    elif len(clause.text.split()) > 16 and len(parts) > 1:
        # from the part that holds the most of the question's words ("What Olivier he study at the
        # université?": "he study the agronomie at the Université Laval", not "the son of Chantal"),
        # or says a job, to a question of one ("she used to be a midwife", not "my neighbour Gwen")
        job = [part for part in parts if _says_their_job(question, part, clause.text)]
        holding = sorted((part for part in parts if question.focus & _stems(part) or part in holding_span or part in job),
                         key=lambda part: (part not in job, -len(question.focus & _stems(part)), part not in holding_span))
        if holding:
            first = parts.index(holding[0])
            parts = parts[first:first + 2]
    text = ", ".join(part.strip() for part in parts).strip().rstrip(".!?,;")
    if opens_with_request(text) and (said := _TOLD_IN_A_REQUEST.search(text)):
        text = said.group().strip()  # "Suggest a gift for my boss Greta who's retiring ...": what it tells
    return text if clause.memory.speaker else second_person(text)


def _says_their_job(question: Question, part: str, sentence: str) -> bool:
    """A part of a long sentence says the job a question asks about, of whom it asks about: by
    name, or as "she" in a sentence that names no one else ("So my neighbour Gwen, lovely woman,
    she used to be a midwife"; not "Your brother Luc is an electrician" to "what does Anne do",
    nor "Gwen and her husband Mark ..., he used to be a pilot")."""
    if not _JOB_QUESTION.search(question.text) or not _SAYS_WORK.search(part):
        return False
    about = _about_stems(question)
    if about & _stems(part):
        return True
    others = {stem(strip_possessive(name)) for name in _CAPITALISED.findall(sentence) if not _AFTER_A_PLACE_WORD.search(sentence[:sentence.find(name)])
              and name.lower().replace("’", "'") not in FUNCTION_WORDS | {"i'm", "i've", "i'd", "i'll"}} - about
    relations = {word for word in re.findall(r"[\w'’]+", sentence.lower()) if strip_possessive(word) in RELATION_OF} - about
    return not others and len(relations) <= 1 and re.match(r"\W*(?:and\s+|but\s+)?(?:she|he|they)\b", part, re.I) is not None


_CAPITALISED = re.compile(r"(?<=.)\b[A-ZÀ-Ý][\w'’-]+")  # a capitalised word but a text's first
_AFTER_A_PLACE_WORD = re.compile(r"\b(?:at|in|from|to|near)\s+(?:the\s+)?$", re.I)  # "a midwife at Southmead": where, not who


# What a request tells of someone: "my boss Greta who's retiring after 30 years at Siemens".
_TOLD_IN_A_REQUEST = re.compile(r"\b(?:my|our)\s+[\w-]+\s+[A-ZÀ-Ý][\w'’-]+,?\s+who\b.*$", re.I)


_PERSON_SWAPS = [
    (r"\bthe user['’]s\b", "your"), (r"\bthe user is\b", "you are"), (r"\bthe user\b", "you"),  # facts taken from a chat turn
    (r"\bI am\b", "you are"), (r"\bI was\b", "you were"), (r"\bI['’]m\b", "you're"), (r"\bim\b", "you're"),
    (r"\bI['’]ve\b", "you've"), (r"\bI['’]d\b", "you'd"), (r"\bI['’]ll\b", "you'll"), (r"\bI\b", "you"),
    (r"\bmyself\b", "yourself"), (r"\bmy\b", "your"), (r"\bmine\b", "yours"), (r"\bme\b", "you"),
    (r"\bwe['’]re\b", "you're"), (r"\bwe\b", "you"), (r"\bour\b", "your"), (r"\bus\b", "you"),
]


def second_person(text: str) -> str:
    """"I drive my Volvo" -> "you drive your Volvo"; "The user's nephew is Tom" -> "Your nephew is Tom"."""
    for pattern, replacement in _PERSON_SWAPS:
        text = re.sub(pattern, replacement, text, flags=re.I)
    return text[:1].upper() + text[1:]


# -- the answer in a clause ------------------------------------------------------------------------


def extract(question: Question, clause: Clause) -> str | None:
    """The answer of the kind ``question`` wants in ``clause``, nearest the question's words;
    never a part a later statement changed, nor the value an update says is gone."""
    if _another_in_order(question, clause):
        return None
    for _ in range(3):
        found = _extract(question, clause)
        if found is None or (clause.memory.stale and _is_stale(clause, found)) or _is_whom_asked_about(question, found) or not _could_be_asked_number(question, found):
            return None
        if _ASKS_BEFORE.search(question.text) or not (_said_gone(clause.text, found) and any(found.lower() in old.lower() for old in clause.memory.replaced)):
            return found  # "where did I work before?" asks for what is gone
        # The value an update says is gone ("No more 5:30am runs, I switched to lunchtime runs"):
        # look again without it.
        clause = Clause(clause.memory, clause.text.replace(found, " "), clause.sentence, clause.rank, clause.score)
    return None


# What a turn says the speaker did, read after the verb the question asks with.
_SPEAKER_SUBJECT = frozenset("i i'm i've we we're we've".split())
_BETWEEN_SUBJECT_AND_VERB = frozenset("just finally also recently really even already actually both all first once have had has been did do".split())
_NOT_DONE_YET = frozenset("if wish wished unless whether next tomorrow soon tonight".split())  # "If I took ...", "I'm taking them next week"
# Irregular forms _BASE_FORM leaves out, since every stem comparison reads it ("took" is "take" only
# here), and a few forms the stemmer keys apart from their verb ("goes", "used").
_VERB_FORMS = {form: base for base, forms in {
    "take": "took taken", "make": "made", "go": "went gone goes", "get": "got gotten", "do": "did done", "have": "had", "use": "used",
}.items() for form in forms.split()}
_ARTICLES_AND_OWNERS = frozenset("a an the my our his her their your some own".split())
_BEFORE_THE_THING = frozenset("up down out off away back over about against into through around across".split())  # "wrote down", "heard about"
_NO_OBJECT = frozenset("""me you him her it us them 'em em myself yourself ourselves themselves everyone everybody everything
    something anything nothing lot bit way sure that how what which who whom if whether""".split())
_DOING_VERBS = frozenset("take make get go".split())
_ADVERBS = frozenset("just recently first usually often still also ever never always really once both all each".split())
_SPAN_ENDS = frozenset("last this next recently again too already anyway though".split())  # and every _TIME_WORD


def _object_of_asked_verb(question: Question, clause: Clause) -> str | None:
    """What a speaker says they did, after the verb the question asks with: "What did Nate take
    to the beach?" with "I took my turtles to the beach in Tampa" -> "turtles". Nothing when
    another did it, it is yet to be or only wished ("she took", "I'm taking them next week",
    "If I took"), or what follows is no thing ("a lot", "how quiet ...")."""
    verb = _asked_verb(question.text)
    if verb is None:
        return None
    tokens = _tokens(clause.text)
    lowered = [token.group().lower().replace("’", "'").rstrip(".") for token in tokens]
    at = next((i for i, word in enumerate(lowered) if _verb_key(word) == verb and _done_by_speaker(lowered, i)), None)
    if at is None or (at + 1 < len(tokens) and lowered[at + 1] == "to") or _NOT_DONE_YET & set(lowered):
        return None  # "I want to give something back": what is done is another verb's
    asked = {word.lower() for word in WORD.findall(question.text)}
    start = at + 1
    while start < len(tokens) and (lowered[start] in _BEFORE_THE_THING | _ARTICLES_AND_OWNERS or lowered[start] in FUNCTION_WORDS and lowered[start] in asked):
        start += 1  # "participated in a marching event" for "participate in", "wrote down some quotes"
    end = start
    while end < len(tokens) and end - start < MAX_SPAN and _goes_on(clause.text, tokens, lowered, start, end):
        end += 1
    content = [i for i in range(start, end) if lowered[i] not in FUNCTION_WORDS]
    if not content or lowered[start] in _NO_OBJECT or all(stem(lowered[i]) in question.focus for i in content):
        return None
    return _span_text(clause.text, tokens, start, end)


def _goes_on(text: str, tokens: list[re.Match], lowered: list[str], start: int, at: int) -> bool:
    """Whether the thing a turn names goes on at ``at``: through "The Lord of the Rings", "pasta,
    lasagna and salad"; not into "for the shelter", "last week", "it was great"."""
    word = lowered[at]
    if at > start:
        gap = text[tokens[at - 1].end():tokens[at].start()]
        if re.search(r"[.;:!?()]|\s[-–—]\s", gap) or ("," in gap and not _names_a_thing_at(lowered, at)):
            return False
    if word in ("and", "of", "&"):
        return _names_a_thing_at(lowered, at + 1 + (at + 1 < len(lowered) and lowered[at + 1] in ("the", "a", "an")))
    return word not in _GAP_STOP and not _TIME_WORD.match(word) and word not in _SPAN_ENDS


def _names_a_thing_at(lowered: list[str], at: int) -> bool:
    """A word of a thing's name, not of a doing or a small word: "dramas and emotionally-driven
    films", not "and shared it"."""
    return at < len(lowered) and lowered[at] not in FUNCTION_WORDS and not _is_verb(lowered[at])


def _done_by_speaker(lowered: list[str], at: int) -> bool:
    """The verb at ``at`` is the speaker's own doing, "I" or "we" before it: "I took", "we both
    helped", "I've just joined"; not "she took", "I didn't take", "I want to take", "I was given"."""
    before = at - 1
    while before >= 0 and lowered[before] in _BETWEEN_SUBJECT_AND_VERB:
        before -= 1
    return before >= 0 and lowered[before] in _SPEAKER_SUBJECT


def _asked_verb(text: str) -> str | None:
    """The verb after the auxiliary and its subject, as _verb_key keys it: "take" in "What did
    Nate take to the beach?", "make" in "What did Mel and her kids make?"; None when what follows
    the subject is no verb of its own ("What has John been able to ...")."""
    asked = _WH_AUXILIARY.match(text)
    if asked is None or asked.group("wh").lower() not in ("what", "which"):
        return None
    words = WORD.findall(asked.group("rest"))
    at = 0
    while at < len(words) and (words[at][:1].isupper() or words[at].lower() in ("and", "&")):
        owner = words[at].lower().endswith(("'s", "’s"))
        at += 1 + (owner and at + 1 < len(words) and not words[at + 1][:1].isupper())  # "John's colleague, Rob,"
    if at < len(words) and words[at].lower() in _ARTICLES_AND_OWNERS:
        at += 2  # "her kids"
    while at < len(words) and (words[at].lower() in _ADVERBS or words[at].lower().endswith("ly")):
        at += 1
    if at >= len(words) or words[at].lower() in FUNCTION_WORDS - _DOING_VERBS or words[at][:1].isupper():
        return None
    return _verb_key(words[at].lower())


def _verb_key(word: str) -> str:
    """One key for the forms of a verb: "took" and "take", "donated" and "donate", "planned" and
    "plan", "tried" and "try"; not every form ("studied"), and a form it misses only leaves the
    turn whole."""
    key = stem(_VERB_FORMS.get(word) or _BASE_FORM.get(word) or word)
    if len(key) > 3 and key[-1] == key[-2]:
        key = key[:-1]  # "plann", "runn"
    return key[:-1] + "y" if key.endswith("i") else key


def _could_be_asked_number(question: Question, found: str) -> bool:
    """A phone number has digits enough to dial: "an iPhone 13" is no answer to "what's my phone number"."""
    return not _PHONE_ASKED.search(question.text) or len(re.findall(r"\d", found)) >= PHONE_DIGITS


PHONE_DIGITS = 6
_PHONE_ASKED = re.compile(r"\b(?:phone|mobile|cell|celular|telefone|teléfono|telephone|landline|whatsapp)\s*(?:number|no\.?|#|num)|\bnúmero de (?:celular|tel[ée]fono|telefone)", re.I)


def _is_whom_asked_about(question: Question, found: str) -> bool:
    """"daniel" does not answer "oppa's kids names?" when oppa is Daniel: the answer is never the
    one the question is about, when it asks something of them."""
    about = _about_stems(question)
    said = _stems(found)
    return bool(about and said) and said <= about and bool(question.focus - about)


_ORDINALS = {"first": 1, "1st": 1, "debut": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5}
_IN_ORDER = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+([\w'’-]+)", re.I)


def _another_in_order(question: Question, clause: Clause) -> bool:
    """The question asks for one of a series ("Rosalie's first album") and the clause speaks of
    another ("her second album 'Marées'")."""
    asked = {stem(noun.lower()): _ORDINALS[which.lower()] for which, noun in _IN_ORDER.findall(question.text)}
    return any(stem(noun.lower()) in asked and asked[stem(noun.lower())] != _ORDINALS[which.lower()] for which, noun in _IN_ORDER.findall(clause.text))


def _extract(question: Question, clause: Clause) -> str | None:
    clause = _part_about(question, clause)
    wants = question.wants
    if wants in ("person", "name"):
        return _name(question, clause)
    if wants == "surname":
        return _surname(question, clause)
    if wants == "place":
        return _place(question, clause)
    if wants == "time":
        return _time(question, clause)
    if wants == "number":
        return _number(question, clause)
    if wants in ("thing", "list"):
        if clause.memory.speaker:
            return _job(question, clause)  # a turn of a conversation: the sentence says it better than a cut of it
        if _JOB_QUESTION.search(question.text):
            return _job(question, clause)  # what follows "living" in "divorce with Julie was finalized" is no job
        if _asks_vehicle(question):
            return _vehicle(clause) or _labelled_value(question, clause) or _gap(question, clause)
        if question.focus & _STUDY_STEMS and (field := _FIELD.search(clause.text)):
            return field.group().strip()  # "what is Jess studying?": "a PhD in marine biology", not "doing a PhD"
        return _labelled_value(question, clause) or _gap(question, clause) or (_name(question, clause) if question.head else None)
    return None


_STUDY_STEMS = frozenset(stem(word) for word in "study studying studies major degree course".split())
# A degree with its field: "a PhD in marine biology", "masters in data science", "BSc in Nursing".
_DEGREES = "phd doctorate master masters master's degree bachelor bachelors bachelor's bsc msc mba diploma major".split()
_FIELD = re.compile(r"(?:\b(?i:an?|my|her|his|their)\s+)?\b(?:(?i:" + "|".join(sorted(_DEGREES, key=len, reverse=True)) + r")|BA|MA)"
                    r"\s+(?i:in|on|of)\s+[^\s,.;()]+(?:\s+(?!(?i:at|from|with|in|and|but|since|for|because|which|that|who|last|this|next|part|full|year)\b)[^\s,.;()]+){0,2}")


def _says_vehicle(question: Question, text: str) -> bool:
    """A question about what one drives meets a sentence naming a make or model ("Got a used 2017
    Toyota Sienna")."""
    return _asks_vehicle(question) and bool(_vehicles(text))


def _asks_vehicle(question: Question) -> bool:
    """Which vehicle one has: "what am I driving these days?", "which motor i dey drive now"; not
    something of it ("what's my van's registration?", "what tyres does my car have?")."""
    about = _about_stems(question)
    return bool(question.focus & _VEHICLE_STEMS) and not question.focus - _VEHICLE_STEMS - about - _AT_HOME


_VEHICLE_STEMS = frozenset(stem(word) for word in VEHICLE_WORDS)
_NAMED_AFTER_AN_ARTICLE = re.compile(r"\b(?i:an?|my|our|the)\s+[A-Z][\w-]*")  # a make the lists do not know: "a Jaguar XE", "an MG ZS EV"
_AT_HOME = frozenset(stem(word) for word in "home house casa maison household family familia família".split())  # "what car do we have at home"


def _vehicle(clause: Clause) -> str | None:
    """The make and model a clause names ("Got a used 2017 Toyota Sienna" -> "Toyota Sienna",
    "na black honda cr-v i dey drive now" -> "honda cr-v", "a Mazda 3"), or a model alone ("a
    Silverado 2019"); of several, the first not said to be gone ("Sold the Ford Focus, now I drive
    a Toyota Yaris" -> "Toyota Yaris")."""
    found = _vehicles(clause.text)
    return next((span for span in found if not _said_gone(clause.text, span)), found[0] if found else None)


def _vehicles(text: str) -> list[str]:
    """The vehicles ``text`` names: a model, or a make used as one ("a Toyota", "my Kia Picanto";
    not "Mercedes lives in Madrid", "Harley loves bikes")."""
    tokens = _tokens(text)
    found = []
    for at, token in enumerate(tokens):
        word = token.group(0).lower().rstrip(".")
        if word in VEHICLE_MODELS:
            found.append(token.group(0).rstrip("."))
        elif word in VEHICLE_MAKES:
            end = _model_end(text, tokens, at)
            before = tokens[at - 1].group(0).lower() if at else ""
            if end > at + 1 or before in _BEFORE_A_VEHICLE or _YEAR_NUMBER.match(before):
                found.append(_span_text(text, tokens, at, end))
    return found


def _model_end(text: str, tokens: list[re.Match], make: int) -> int:
    """Where the model after the make at ``make`` ends: up to two words, with nothing between."""
    end = make + 1
    while (end < len(tokens) and end - make <= 2 and _model_part(tokens[end].group(0))
           and not text[tokens[end - 1].end():tokens[end].start()].strip()):
        end += 1
    return end


def _model_part(token: str) -> bool:
    """"Sienna", "cr-v", "XC40", "F-150", "3" (a Mazda 3); not "because", "broke", "Monday", "2017"."""
    word = token.lower().rstrip(".")
    if word in VEHICLE_MODELS or re.fullmatch(r"[a-z]{1,3}-?\d{1,3}|\d{1,2}", word):
        return True
    return token[:1].isupper() and word.isalpha() and len(word) > 2 and word not in _NOT_A_MODEL


_BEFORE_A_VEHICLE = frozenset("a an the my our his her their old new used second-hand secondhand that this".split())


def _part_about(question: Question, clause: Clause) -> Clause:
    """Of a sentence that speaks of several people ("Aoife's birthday is the 14th of June and
    Cillian's is the 30th of October"), the part that names the one the question asks about."""
    if not question.about:
        return clause
    parts = [part for part in _PARTS.split(clause.text) if part.strip()]
    naming = [part for part in parts if all(accepted & _stems(part) for accepted in question.about)]
    others = [part for part in parts if part not in naming and _SOMEONE_SAYS.match(part)]
    if len(naming) != 1 or not others:
        return clause
    return Clause(clause.memory, naming[0], clause.sentence, clause.rank, clause.score)


# "Aoife's birthday is ... and Cillian's is ...", "Léa is 12, Samuel is 9": one part per person.
_PARTS = re.compile(r",?\s+(?:and|but|while|whereas)\s+|\s*;\s*|,\s+(?=[A-ZÀ-Ý][\w-]*(?:'s|’s)?\s+(?:is|was|has)\b)")
_SOMEONE_SAYS = re.compile(r"^\W*[A-ZÀ-Ý][\w-]*(?:(?:'s|’s)\s|\s+(?:is|was|has)\b)")


def _tokens(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _anchors(question: Question, tokens: list[re.Match]) -> list[int]:
    """Positions of the tokens the question names: what it asks of someone when the clause says
    it ("Huguette, my wife since 1972, her birthday it is the 19 of august": near "birthday", not
    "Huguette"), else its words and the people it is about."""
    about = _about_stems(question)

    def at(asked: set[str] | frozenset[str]) -> list[int]:
        return [i for i, token in enumerate(tokens) if stem(token.group().rstrip(".")) in asked and token.group().lower() not in FUNCTION_WORDS]
    return (about and at(question.focus - about)) or at(question.focus | about)


def _nearest(candidates: list[tuple[int, int, float]], anchors: list[int]) -> tuple[int, int] | None:
    """The (start, end) token range nearest the anchors, bonuses counted as closeness."""
    if not candidates:
        return None

    def distance(candidate: tuple[int, int, float]) -> float:
        start, end, bonus = candidate
        gap = min((a - (end - 1) if a > end - 1 else start - a if start > a else 0) * (1.5 if a > end - 1 else 1.0) for a in anchors) if anchors else 3
        return gap - bonus

    start, end, _ = min(candidates, key=distance)
    return start, end


_GONE = frozenset("from left leaving sold quit not no longer instead former ex old previous stopped finished dropped used".split())
_NOW = frozenset("now to new currently these instead".split())


def _recency(tokens: list[re.Match], start: int) -> float:
    """A value the sentence says is gone ("moved from Dublin", "not Saturday") is a worse answer;
    one it says holds now ("to Cork", "now Sunday") a better one."""
    before = {token.group().lower() for token in tokens[max(0, start - 3):start]}
    said = [token.group().lower() for token in tokens[max(0, start - 6):start]]
    if any(said[j:j + 2] == ["used", "to"] for j in range(len(said) - 1)) and "now" not in said:
        return -2.0  # "I used to work at Boots, now I'm a pharmacist at Lloyds"
    back_from = [token.group().lower() for token in tokens[max(0, start - 2):start]] in (["back", "from"], ["returned", "from"], ["home", "from"])
    if (tokens[start - 1:start] and tokens[start - 1].group().lower() in _GONE and not back_from
            or before & {"sold", "quit", "left", "former", "ex", "used", "not", "more", "dropped", "stopped"}):
        return -2.0  # not "just got back from Goa": a trip, where they went
    if _said_not(tokens, start):
        return -2.0  # "she don't teach at Drummondville anymore"
    return 0.5 if before & _NOW else 0.0


def _said_not(tokens: list[re.Match], start: int) -> bool:
    """The value at ``start`` is denied: "not the Tuesday", "no longer in Leeds", "don't teach at
    Drummondville anymore" (not "from 6 to 2", a range)."""
    def said(first: int, last: int) -> set[str]:
        return {token.group().lower().replace("’", "'") for token in tokens[max(0, first):last]}
    return bool(said(start - 2, start) & {"not", "never", "longer"}) or "anymore" in said(start + 1, start + 5) and bool(said(start - 6, start) & _NEGATION)


_NEGATION = frozenset("don't dont doesn't doesnt didn't not never no isn't aren't won't can't cant couldn't haven't hasn't wasn't weren't".split())
_GIVEN_UP = re.compile(rf"\b(?:given up|gave up|giving up|give up|quit|stopped|no longer|no more|sold|traded in|dropped|ditched|{GONE_ABROAD})\b", re.I)


def _said_gone(text: str, span: str) -> bool:
    """``text`` says ``span`` no longer holds ("sold the Mondeo", "No more 5:30am runs", "I have
    given up the sea swimming at Blackrock")."""
    at = text.find(span)
    tokens = _tokens(text)
    start = next((i for i, token in enumerate(tokens) if token.start() >= at), None)
    if at < 0 or start is None:
        return False
    part = next((part for part in _CLAUSE.split(text) if part and span in part), "")
    leading = " ".join(part[:part.find(span)].split()[-6:])  # "I have given up the sea swimming at": a few words before it
    return _recency(tokens, start) < 0 or _GIVEN_UP.search(leading) is not None


def _span_text(clause: str, tokens: list[re.Match], start: int, end: int) -> str:
    return clause[tokens[start].start():tokens[end - 1].end()].rstrip(".,")


def _is_name(token: str) -> bool:
    return (token[:1].isupper() and token.lower() not in FUNCTION_WORDS and token.lower() not in _POSSESSIVES_ABROAD) or _TITLE.match(token) is not None \
        or re.fullmatch(r"[dl]['’][A-ZÀ-Ý][\w-]*", token) is not None  # "Le Quart d'Heure", "Tour de l'Île"


_POSSESSIVES_ABROAD = frozenset("meu minha meus minhas nosso nossa mi mis nuestro nuestra".split())  # "Minha contadora, a Sônia"
_ACRONYM = re.compile(r"[A-Z][A-Z\d]+")  # "FEUP", "CA", "DDIA": the names a lowercase writer still capitalises
_NOT_NAMES_IN_CAPITALS = frozenset("OK ASAP TV LOL OMG BTW IMO IMHO FYI ID PS AM PM DM IRL TBH IDK ETA RSVP USB PC NB AKA DIY TBD FAQ".split())


def _lowercase_writer(memory: Recalled) -> bool:
    """No word written with a capital after the first, but for the letters of an acronym
    ("umma + appa live in fullerton CA", "PM @ figma") and, in a note begun in lower case, "I"."""
    acronym = r"[A-Z\d]*\b" if memory.content[:1].islower() else r"[A-Z\d]+\b"
    return not re.search(r"[A-Z](?!" + acronym + ")", memory.content[1:])


_NAME_CUE = {"called", "named", "is", "was", "=", "name", "dr", "dr.", "mr", "mrs", "ms", "prof", "prof.", "calls", "call",
             "si", "ni", "kay", "llama", "llamado", "llamada", "chama", "chamado", "chamada", "heißt", "heisst", "appelle", "anaitwa"}
# Tagalog names a person with "si", "ni", "kay" ("best friend ko si paolo"); the rest say "called".
_EMPLOYERS = frozenset("company firm employer".split())
_EMPLOYER_CUE = {"with", "for"}  # opening a note: "w/ siemens gamesa now", asked "who do i work for"
_PLACE_CUE = {"in", "at", "to", "from", "near", "on", "into", "tae", "fae", "frae", "sa", "en", "à", "em", "dans", "nach", "aus", "bei"}  # Scots "tae Inverness", Tagalog "sa clark", "em Lisboa"


def _name_runs(question: Question, clause: Clause, tokens: list[re.Match]) -> list[tuple[int, int]]:
    """Runs of name-like tokens ("Pawsitive Vet Clinic", "Dr. Shah") not all named by the question.
    A writer who never uses capitals gets the words after a cue ("gf = beatriz", "lawyer in são
    paulo") or right after the word asked about ("a gecko, pixel")."""
    asked = question.focus | _about_stems(question)
    if _lowercase_writer(clause.memory):
        cues = _NAME_CUE | _PLACE_CUE
        anchors = set(_anchors(question, tokens))
        if question.head:  # "what school does bea go to": after "school", not after "bea" ("bea bday")
            anchors = {i for i in anchors if stem(tokens[i].group()) == stem(question.head)}
        runs = []
        for i, token in enumerate(tokens):
            opening_employer = i == 1 and question.head in _EMPLOYERS and tokens[0].group().lower() in _EMPLOYER_CUE  # "w/ siemens gamesa now"
            if i == 0 or not (tokens[i - 1].group().lower() in cues or i - 1 in anchors or opening_employer):
                continue
            if re.search(r"['’]s$", tokens[i - 1].group()):
                continue  # "mama's contract" is a thing of hers, not her name
            if tokens[i - 1].group().lower() not in cues and tokens[i].group().lower() in _SAYS:
                continue  # "dr benavides my chiropractor says i got...": what they do, not their name
            end = i
            while end < len(tokens) and end - i < 3 and tokens[end].group().lower() not in _LOWERCASE_RUN_STOP \
                    and not _NUMBER.match(tokens[end].group()) and clause.text[tokens[end - 1].end():tokens[end].start()].strip() in (("", "'", ",", ":", "=") if end == i else ("", "'")):
                end += 1
            if end > i and any(stem(tokens[j].group().rstrip(".")) not in asked for j in range(i, end)):
                runs.append((i, end))
        acronyms = [(i, i + 1) for i, token in enumerate(tokens)
                    if _ACRONYM.fullmatch(token.group()) and token.group() not in _NOT_NAMES_IN_CAPITALS and stem(token.group()) not in asked]
        return runs + acronyms + _named_before_kind(tokens, anchors, asked)
    runs, start = [], None

    def close(end: int) -> None:
        if any(stem(tokens[j].group().rstrip(".")) not in asked and tokens[j].group().lower() not in FUNCTION_WORDS for j in range(start, end)):
            runs.append((start, end))

    for i, token in enumerate(tokens + [None]):
        opener = i == 0 and token is not None and (re.match(_DISCOURSE, token.group(), re.I) is not None  # "Big news, ..."
                                                   or _opens_with_a_verb(tokens)  # "Write a short bio", "Gave up the plot"
                                                   or token.group().lower() in _EXCLAMATIONS)  # "Yep, we worked with ..."
        if token is not None and _is_name(token.group()) and token.group() not in ("I", "I'm", "I’m") and not opener:
            if start is not None and clause.text[tokens[i - 1].end():token.start()].strip() not in ("", "&"):
                close(i)  # a quote or a comma ends a name: "our EP 'Béton Pâle'", "Leeds, Yorkshire" (not "Brandt & Holm")
                start = None
            start = i if start is None else start
            continue
        if start is not None and token is not None and token.group() in _NAME_PARTICLES and i + 1 < len(tokens) and _is_name(tokens[i + 1].group()) \
                and not clause.text[tokens[i - 1].end():tokens[i + 1].start()].replace(token.group(), "").strip():
            continue  # "University of Galway", "the City of Mississauga", "Tour de France"
        if start is not None:
            close(i)
            start = None
    return runs


def _named_before_kind(tokens: list[re.Match], anchors: set[int], asked: frozenset[str]) -> list[tuple[int, int]]:
    """A lowercase writer's name said before what it is: "judge is a old basset hound", asked
    "what's the name of my basset hound" (the kind asked within the next five words)."""
    words = [token.group().lower() for token in tokens]
    return [(i, i + 1) for i in range(len(words) - 3)
            if words[i + 1] == "is" and words[i + 2] in ("a", "an") and any(i + 2 < at <= i + 7 for at in anchors)
            and words[i] not in FUNCTION_WORDS and words[i] not in RELATION_OF and stem(words[i]) not in asked
            and (i == 0 or words[i - 1] not in ("my", "our", "the", "a", "an", "his", "her", "their", "your"))]  # not "my dog is a basset hound"


# Words that open a sentence of talk capitalised and name no one: "Yup, Rob and I went", "Nothing beats ...".
_EXCLAMATIONS = frozenset("""yup yep yeah yes nope nah no woah whoa wow plus ooh oops aww awww hmm ugh yay sure cool nice great haha lol
    nothing everything everyone someone something anyone nobody""".split())
_NAME_PARTICLES = frozenset("of de du des da dos das del della di van von der".split())


_AFTER_A_VERB = frozenset("a an the me my our your up it us them him her some this that these those".split())


def _opens_with_a_verb(tokens: list[re.Match]) -> bool:
    """The sentence opens with a verb, not a name: the word after it is an article or a pronoun
    ("Write a short bio", "Help me reply", "Gave up the plot", "Moved into a flat"), or a verb a note
    opens with before a lowercase word ("Started bouldering at The Castle"); not "Tam has it", "Paris is"."""
    if len(tokens) < 2:
        return False
    first, second = tokens[0].group().lower(), tokens[1].group().lower()
    return second in _AFTER_A_VERB or (first in _LEFT_OUT_I and (second in _PARTICLES or tokens[1].group()[:1].islower()))  # "Started bouldering at"


# Verbs a note opens with when the writer leaves "I" out ("Moved into a new flat", "Started at
# Monzo"); a list, as names end in "-ed" too ("Ahmed from work", "Jared in IT").
_LEFT_OUT_I = frozenset("moved started relocated settled switched joined retired returned worked lived stayed signed finished graduated transferred".split())
_PARTICLES = frozenset("into to in out up back from on off over down with by at".split())


def _name(question: Question, clause: Clause) -> str | None:
    tokens = _tokens(clause.text)
    anchors = _anchors(question, tokens)
    relation = _relation_named(question)
    forms = _forms_of(relation) if relation else None
    asked_names = {stem(strip_possessive(word)) for word in _CAPITALISED.findall(question.text.strip())}
    said = _stems(clause.sentence) | (clause.memory.replaced_stems if _ASKS_NOW.search(question.text) else frozenset())
    # ("What book am I reading now?": "now I start Le Survenant" replaced "I read now Maria Chapdelaine")
    thing_unsaid = question.head in _NAMED_THINGS and not ({stem(question.head)} | (question.focus - _about_stems(question))) & said \
        and not (question.head in _EMPLOYERS and _SAYS_WORK.search(clause.sentence))  # "a train driver for GWR" says whom he works for
    if forms and not _PRONOUN_OPENING.match(clause.text) and not forms.search(_sentence_of(clause)):
        return None  # the memory names Tam's nephew, but this sentence speaks of someone else
    relation_at = [i for i, token in enumerate(tokens) if forms and forms.fullmatch(strip_possessive(token.group().lower()))]
    candidates = []
    for start, end in _name_runs(question, clause, tokens):
        before = tokens[start - 1].group().lower() if start else ""
        if before in ("not", "never"):
            continue  # "my dentist (not Sneha, ...) Dr. Iyer"
        if before in ("a", "an") and end < len(tokens) and tokens[end].group()[:1].islower() \
                and not (question.head in _BRANDS_ASKED and tokens[end].group() in FUNCTION_WORDS) \
                and not clause.text[tokens[end - 1].end():tokens[end].start()].strip():
            continue  # "a Norwegian forest cat", "a Scot who": a kind, not its name (but "a Mr. Duffy, is coming"; a brand: "a Samsung that ...")
        if question.wants == "person" and (before in _PLACE_CUE - {"to"} or _moved_to(tokens, start)):
            continue  # "lives in Boston", "moved to Chicago": a place, not a person
        if question.wants == "person" and end - start == 1 and len(tokens[start].group()) > 2 and tokens[start].group().isupper():
            continue  # "how to make LINE video call": a brand in capitals, not her name
        if _names_a_thing(question) and (stem(tokens[start].group()) in question.people or _home(tokens, start)):
            continue  # "which college did I go to?" is not answered by a friend's name or a new home
        if any(_NUMBER.match(tokens[i].group()) or _TIME_WORD.match(tokens[i].group().rstrip(".")) for i in range(start, end)):
            continue
        quoted = clause.text[tokens[start].start() - 1:tokens[start].start()] in ("'", '"', "‘", "“")
        ends_in_head = _ends_in_head(question, tokens[end - 1].group())
        cued = before in _NAME_CUE or quoted or ends_in_head
        if any(stem(tokens[i].group()) in asked_names for i in range(start, end)):
            continue  # "Rosalie Tremblay" is not the name of Rosalie's label, nor "Les Néons Tristes" of their EP
        if thing_unsaid and not ends_in_head:
            continue  # "which school do my kids go to?" is not answered by "Jean Coutu"
        if _names_a_thing(question) and _someones_relation(tokens, end):
            continue  # "Tam's nephew" is a person's, not the hospital asked about
        if _names_a_thing(question) and (before == "on" or tokens[end - 1].group().lower().rstrip(".") in _STREETS):
            continue  # "a salon over on western street": where it is, not its name
        if relation_at and all(end < at - 2 for at in relation_at):
            continue  # a name well before "grandson" is not his ("Gave the allotment up, Jim's grandson ...")
        apposed = clause.text[tokens[start - 1].end():tokens[start].start()].strip() == "," if start else False  # "..., Dave, fixed our fence"
        if forms and not cued and not apposed and (not relation_at or all(start > at + _NAME_REACH for at in relation_at)):
            continue  # nor one well after, nor one in a sentence that names no such relation ("She is 73 ... not same as my Galaxy")
        candidates.append((start, end, (1.0 if cued else 0.0) + _recency(tokens, start) + _own_name(question, tokens, start)))
    found = _nearest(candidates, anchors)
    return _span_text(clause.text, tokens, *found) if found else None


_NAME_REACH = 8  # words from a relation to the name it is given ("Jim's grandson, a lovely lad of 12, goes by Rory")
_BRANDS_ASKED = frozenset("brand make model".split())
_OWN_NAME_ASKED = re.compile(r"\b(?:what(?:'s|’s| is|s) my (?:first |full )?name|who am i)\b", re.I)


def _own_name(question: Question, tokens: list[re.Match], start: int) -> float:
    """"What's my name?": the name after "I'm", "my name is", "call me" ("I'm Dana, I run a bakery
    called Crumb"), not another the sentence names."""
    if not _OWN_NAME_ASKED.search(question.text):
        return 0.0
    before = [token.group().lower().replace("’", "'") for token in tokens[max(0, start - 2):start]]
    return 2.0 if before[-1:] in (["i'm"], ["im"]) or before in (["i", "am"], ["name", "is"], ["name's"], ["call", "me"]) else -1.0


# ... and in the languages users mix: "apellido materno", "apelyido ni aly", "sobrenome", "Nachname", "cognome"
_SURNAME_ASKED = re.compile(r"\b(?:(?:surname|last name|family name|maiden name|apellido|apelyido|sobrenome|cognome)s?|nachnamen?|cognomi|nom de famille)\b", re.I)
_BORN = re.compile(r"\b(?:née|nee|born)\s+([A-ZÀ-Ý][\w'’-]+)")


def _surname(question: Question, clause: Clause) -> str | None:
    """A surname is said only with the first name it follows ("Paolo Reyes") or as a birth name
    ("Morag, née Fraser"); a word near the person's name ("bia is a physio") is none."""
    people = _about_stems(question)
    tokens = _tokens(clause.text)
    for i, token in enumerate(tokens[:-1]):
        if not token.group()[:1].isupper() or stem(strip_possessive(token.group())) not in people:
            continue
        end = i + 1
        while end < len(tokens) and _is_name(tokens[end].group()) and not clause.text[tokens[end - 1].end():tokens[end].start()].strip():
            end += 1
        if end > i + 1:
            return _span_text(clause.text, tokens, i + 1, end)
    born = _BORN.search(clause.text) if people & _stems(clause.text) else None
    return born.group(1) if born else None


def _someones_relation(tokens: list[re.Match], end: int) -> bool:
    return end < len(tokens) and re.search(r"['’]s$", tokens[end - 1].group()) is not None \
        and tokens[end].group().lower() in RELATION_OF


def _ends_in_head(question: Question, word: str) -> bool:
    """"Maple Grove Public School" answers "what school does Zara go to?" (not "Grade 2"), as does
    "Greenfield Primary" (a name ending in a kind of school)."""
    said = stem(word.rstrip(".").lower())
    return question.head in _NAMED_THINGS and (said == stem(question.head) or said in _KINDS_OF.get(question.head, frozenset()))


# The words a name of a thing may end in, besides the thing's own ("St Bede's Primary").
_KINDS_OF = {head: frozenset(stem(word) for word in words.split()) for head, words in {
    "school": "primary elementary secondary high academy grammar montessori nursery kindergarten preschool college",
    "university": "uni college institute", "college": "uni university institute", "hospital": "infirmary clinic",
    "gym": "fitness leisure", "restaurant": "bistro grill kitchen brasserie trattoria diner", "cafe": "coffee",
    "pub": "inn arms tavern", "church": "chapel cathedral parish", "company": "ltd inc gmbh labs group", "firm": "llp ltd partners",
}.items()}


_LIVE = frozenset("live lives lived living based".split())
_BIRTHDAY_STEMS = frozenset(stem(word) for word in ("birthday", "bday"))
# "her 72nd on the 9th of February", "his 40th birthday"; not "his 3rd driving test on the 14th".
_TURNS = re.compile(r"\b(?:her|his|my|their|your)\s+\d{1,3}(?:st|nd|rd|th)(?:\s+(?:birthday|bday)\b|(?=\s*(?:[,.;!]|$|\s+(?:on|is|next|this|coming)\b)))"
                    r"|\bturn(?:s|ing)\s+\d{1,3}\b", re.I)
# Events a date is asked of, said with their own words ("birthday", "born", "married", "wedding").
_EVENT_STEMS = frozenset(stem(word) for word in "birthday bday born anniversary marry married wedding".split())
_TIME_STEMS = frozenset(stem(word) for word in "date day year time month week hour clock exact exactly".split())
_LIVE_STEMS = frozenset(stem(word) for word in (*_LIVE, "stay", "stays", "staying"))
# "Jean's in Dunoon", "we're now in Leith"; not "Jean's party is at The Crown", "Per's in Oslo for the week".
_LIVES_THERE = re.compile(r"(?:'s|’s|\bis|\bare|\bstays?|\bbased)\s+(?:now\s+)?in\s+[A-Z](?!.*\b(?:for the|this|till|until|on holiday|trip|visiting)\b)")
# A move home says where one lives now: "moved into a new flat in Hackney", "we moved to Leeds".
_MOVED_HOME = re.compile(r"\b(?:moved|moving|relocated|settled)(?:\s+from\s+\S+)?(?:\s+(?:in|into|to|back|over|down|up))?(?:\s+(?:a|an|the|our|my|his|her|their|new|little|bigger|smaller|own))*"
                         r"(?:\s+(?:flat|house|apartment|place|home|condo|bungalow|cottage|bedsit))?\s+(?:in|to)\s+(?!(?:the|a|an|my|our)\b)\w", re.I)


def _says_home(question: Question, text: str) -> bool:
    """A question of where someone lives meets a sentence that says it without "live"."""
    return bool(question.focus & _LIVE_STEMS) and (_LIVES_THERE.search(text) is not None or _MOVED_HOME.search(text) is not None)


_RELOCATION = re.compile(r"^(?:move|moved|moving|relocated)$", re.I)
_MOTION = re.compile(r"^(?:move|moved|moving|relocated|went|go|goes|going|flew|fly|drove|travel+ed|headed|back|came|come|trip|holiday|off)$", re.I)


def _moved_to(tokens: list[re.Match], start: int, motion: re.Pattern = _MOTION) -> bool:
    """"... moved from Boston to Chicago": the name after "to" is where someone went."""
    words = [token.group().lower() for token in tokens[max(0, start - 5):start]]
    return bool(words) and words[-1] in ("to", "tae") and (any(motion.match(word) for word in words[:-1]) or "from" in words[:-1])


def _home(tokens: list[re.Match], start: int) -> bool:
    """The name is where someone lives or moved to ("lives in Boston", "moved to Chicago")."""
    lives_in = start >= 2 and tokens[start - 1].group().lower() == "in" and tokens[start - 2].group().lower() in _LIVE
    return lives_in or _moved_to(tokens, start, _RELOCATION)


_STREETS = frozenset("street st road rd avenue ave lane ln drive dr boulevard blvd way".split())
_PLACE_HEADS = frozenset("city town country village place area part neighbourhood neighborhood state county island street road".split())
_PLACE_HEAD_STEMS = frozenset(map(stem, _PLACE_HEADS))


def _names_a_thing(question: Question) -> bool:
    """"Which college", "what company": a name, but neither a person's nor where someone lives."""
    return (question.wants == "name" and question.head is not None and question.head not in RELATION_OF
            and question.head not in _PLACE_HEADS and question.head not in ("person", "one", "guy", "girl", "man", "woman")
            and not any(_RELOCATION.match(word) for word in question.text.split()))  # "what company did I move to?"


_SETTLEMENTS = frozenset("town city village suburb country county state region island neighbourhood neighborhood".split())
_PLACE_NOUNS = _SETTLEMENTS | frozenset("street road area place bairro cidade barrio ciudad pueblo".split())
_FIELD_OF = frozenset(stem(word) for word in (*_DEGREES, "minor", "course", "certificate"))


def _place(question: Question, clause: Clause) -> str | None:
    tokens = _tokens(clause.text)
    anchors = _anchors(question, tokens)
    candidates = []
    for start, end in _name_runs(question, clause, tokens):
        in_hindi = end < len(tokens) and tokens[end].group().lower() == "mein"  # "Mummy papa Kanpur mein rehte hain": in Kanpur
        if in_hindi and end - start > 1 and frozenset({stem(tokens[start].group())}) in question.about:
            start += 1  # "Tanvi Bangalore mein UX designer hai": Tanvi is whom it asks about, Bangalore where
        before = [tokens[i].group().lower() for i in range(max(0, start - 2), start)]
        if any(_TIME_WORD.match(tokens[i].group().rstrip(".")) or _NUMBER.match(tokens[i].group()) for i in range(start, end)):
            continue
        if end - start == 1 and (stem(tokens[start].group().rstrip(".")) in question.people or before[-1:] and before[-1] in RELATION_OF and not in_hindi):
            continue  # "my son Leo started school", "engaged to her boyfriend Tom": someone, not where
        if re.fullmatch(kinship.TITLES, tokens[start].group()) or (end - start == 1 and stem(tokens[start].group()) in _FIELD_OF):
            continue  # "my dentist is Dr Patel on Oxford Road", "a PhD at UCL": someone, something, not where
        if before[-1:] in (["i'm"], ["i’m"]) or before in (["i", "am"], ["name", "is"], ["name", "was"]):
            continue  # "I'm Dana, I work as a pharmacist at Boots": Dana is who, not where
        if before[-1:] in (["named"], ["called"]) and not (len(before) > 1 and {before[-2], before[-2].removesuffix("s")} & _PLACE_NOUNS):
            continue  # "a perrita named Chispa": the name of someone or something, not a place (but "a village called Dalcahue")
        company = bool(before) and before[-1] == "with"  # "moved in with Emeka in Abuja"
        if before[-2:-1] and before[-1] == "in" and stem(before[-2]) in _FIELD_OF and any(token.group().lower() == "at" for token in tokens[end:]):
            continue  # "a masters in data science at FEUP": a field, not a place (but "my degree in Leeds")
        if question.head in _SETTLEMENTS and tokens[end - 1].group().lower() in _NAMED_THINGS:
            continue  # "In which town was I born?": "Launceston", not "the Queen Victoria Hospital" in it
        cued = (bool(set(before) & _PLACE_CUE) or in_hindi) and not company
        if not cued and clause.memory.content[:1].islower() and _lowercase_writer(clause.memory):
            continue  # "jhoanna went back after her internship ended": a writer who never capitalises says a place after "in", "at"...
        candidates.append((start, end, (1.5 if cued else -1.0 if company else 0.0) + _recency(tokens, start)))
    chosen = candidates
    if re.search(_WHERE_FROM, question.text, re.I):  # "where is the pololo of Catalina from?": "Valdivia", not "Matías"
        chosen = [one for one in candidates if _after_from([token.group().lower() for token in tokens[max(0, one[0] - 2):one[0]]])]
        if not chosen and _PERSON_ORIGIN.search(question.text) and not _SAYS_ORIGIN.search(clause.text):
            return None  # "my Spanish conversation partner Carmen comes to our house" says no one's origin
        chosen = chosen or candidates
    found = _nearest(_of_the_time_asked(question, tokens, chosen), anchors)
    return _span_text(clause.text, tokens, *_with_region(clause.text, tokens, found, candidates)) if found else None


_FROM = frozenset("from fae frae de da do desde aus von".split())


def _after_from(before: list[str]) -> bool:
    """The words before a place say it is where one is from: "from Valdivia", "from the Gaspésie"."""
    return bool(before) and (before[-1] in _FROM or (before[-1] in ("the", "la", "le", "o", "a") and len(before) > 1 and before[-2] in _FROM))


def _of_the_time_asked(question: Question, tokens: list[re.Match], candidates: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The values a sentence says are gone ("I used to work at Boots, now ... at Lloyds") answer
    only a question of what was before; the others, every other question (when there are any)."""
    if _ORIGIN_ASKED.search(question.text):
        return candidates  # "bea is from pampanga": where she is from is no place she left
    gone = [candidate for candidate in candidates if _recency(tokens, candidate[0]) <= -2.0]
    if _ASKS_BEFORE.search(question.text):
        return gone or candidates
    return [candidate for candidate in candidates if candidate not in gone] or candidates


def _with_region(text: str, tokens: list[re.Match], found: tuple[int, int], candidates: list[tuple]) -> tuple[int, int]:
    """A place said with the region or country it lies in ("from Curitiba, Brazil", "Leeds,
    Yorkshire"), or with the part of it ("Dunedin, up in Roslyn", "Campinas, no Cambuí"), is
    told whole, whichever of the two was found."""
    start, end = found

    def ends_there(at: int) -> bool:  # "in Leeds, Tom was there" is no region
        return at == len(tokens) or text[tokens[at - 1].end():tokens[at].start()].strip() != ""

    def joined(first_end: int, second_start: int) -> bool:
        return first_end <= second_start and _PART_OF_PLACE.fullmatch(text[tokens[first_end - 1].end():tokens[second_start].start()]) is not None

    for other_start, other_end, *_ in candidates:
        if joined(end, other_start) and ends_there(other_end):
            return start, other_end
        if joined(other_end, start) and ends_there(end):
            return other_start, end
    return found


_PART_OF_PLACE = re.compile(r"\s*,\s*(?:(?:(?:up|down|out|over)\s+)?(?:in|no|na|em|en|at)\s+)?", re.I)  # ", " or ", up in "


# A month as written: "March", "mar", "Sept", "novembre", not "married" ("married 41 year" is no date);
# beside a day, "mars", "mai" and "mayo" are months too.
_FOREIGN_MONTHS = [*times.MONTHS_ABROAD, "mars", "mai", "mayo"]
_MONTH = "(?:" + "|".join([*_FOREIGN_MONTHS, *(month[:3] + "(?:" + month[3:] + ")?" for month in times.MONTHS), "sept"]) + ")\\b"
_DATE = re.compile(
    r"\b(?:(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:of|de|di))?\s+" + _MONTH + r"\.?(?:,?\s+\d{4})?"
    r"|" + _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|(?:early |late |mid[- ])?(?:" + "|".join(times.MONTHS) + r")(?:\s+\d{4})?"
    r"|(?:every |on |the )?(?:(?:first|second|third|fourth|last|1st|2nd|3rd|4th)\s+)?(?:" + "|".join(times.WEEKDAYS) + r")s?"
    r"(?:\s+(?:morning|afternoon|evening|night)s?)?(?:\s+of the month)?"
    r"|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:\s*[+&/-]\s*(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun))*"
    r"|\d{1,2}(?::\d{2})?\s*(?:am|pm|a|p)?\s*(?:to|-|–|until|till)\s*\d{1,2}(?::\d{2})?\s*(?:am|pm|a|p)?"
    r"|between\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?\s+and\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?"
    r"|(?:after |before |at |around )?\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|\d{1,2}h\d{2}(?!\w)|(?:às|as|à|a las|at|from|um|ab|dès)\s+\d{1,2}h(?!\w)"  # "la messe de 9h30", "às 19h" (not "12h long")
    r"|(?:every |on )?(?-i:" + "|".join(times.WEEKDAYS_ABROAD) + r")s?"
    r"|(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?::\d{2})?\s+(?:o['’]clock|at night|in the (?:morning|afternoon|evening))"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?|(?:in |since )?(?:19|20)\d{2}"
    r"|(?:the )?(?:spring|summer|autumn|fall|winter|christmas|easter|weekend|lunchtime|lunch time|noon|midnight)"
    r"|(?:yesterday|last night|today|tonight|this morning|tomorrow|(?<![\w-])(?:" + times.COUNT + r") (?:day|week|month|year)s? ago"
    r"|(?:last|next|this|past) (?:week|weekend|month|year|" + times.WEEKDAY_PATTERN + r"\b))"
    r"|(?:in the |every )?(?<!\d )(?:morning|afternoon|evening|night)s?"  # not "stay 5 nights"
    r"|(?:on )?the \d{1,2}(?:st|nd|rd|th)(?!\s+(?:of\s+)?" + _MONTH + r"))\b",  # "we fly out on the 12th"
    re.I,
)


# "what time does my shift start?" asks for the hour ("seven at night"), not the days ("sunday through thursday").
_CLOCK_ASKED = re.compile(r"\b(?:what|which) time\b|\bhow (?:early|late)\b", re.I)
# ... and "what night do I go bowling?" for the day ("Tuesday"), not the hour ("seven at night").
_DAY_ASKED = re.compile(r"\b(?:what|which) (?:night|evening|morning|afternoon|day|weekday)s?\b", re.I)
_WEEKDAY = re.compile(r"\b(?:" + times.WEEKDAY_PATTERN + r"|sat|sun)\b", re.I)
_CLOCK = re.compile(r"\d:\d|\dh\d\d|\dh(?!\w)|\d\s*(?:am|pm)\b|\bbetween \d{1,2} and \d|\b(?:am|pm|o['’]clock|at night|in the (?:morning|afternoon|evening)|noon|midnight)\b", re.I)


_YEAR_ASKED = frozenset(stem(word) for word in ("year", "born", "old", "age"))
_BARE_YEAR = re.compile(r"(?:in |since )?(?:19|20)\d{2}|(?:next|last|this) year", re.I)
_DAY_OF_YEAR_STEMS = _BIRTHDAY_STEMS | {stem("anniversary")}  # a day that comes back every year
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_WHAT_YEAR = re.compile(r"\b(?:what|which) year\b|\bin what year\b", re.I)


def _time(question: Question, clause: Clause) -> str | None:
    clock_asked = _CLOCK_ASKED.search(question.text) is not None
    day_asked = _DAY_ASKED.search(question.text) is not None
    tokens = _tokens(clause.text)
    anchors = _anchors(question, tokens)
    offsets = [token.start() for token in tokens]
    candidates = []
    day_of_year_asked = bool(question.focus & _DAY_OF_YEAR_STEMS) and not question.focus & _YEAR_ASKED and not question.past_event
    year_asked = _WHAT_YEAR.search(question.text) is not None
    for match in _DATE.finditer(clause.text):
        if day_of_year_asked and _BARE_YEAR.fullmatch(match.group().strip()):
            continue  # "when is my birthday": "born in 1953" says the year, not the day; "our anniversary ... next year, it is the 24 of june"
        if year_asked and not _YEAR.search(match.group() if clause.memory.when is None
                                           else times.resolve_relative(match.group(), clause.memory.when) or match.group()):
            continue  # "what year was I born?": not "12 March" (but "two years ago" is a year)
        start = next((i for i, offset in enumerate(offsets) if offset >= match.start()), len(tokens) - 1)
        end = next((i for i, token in enumerate(tokens) if token.end() >= match.end()), len(tokens) - 1) + 1
        specific = 1.0 if re.search(r"\d|" + "|".join(times.MONTHS) + "|" + "|".join(times.WEEKDAYS), match.group(), re.I) else 0.0
        specific += 0.5 if start and tokens[start - 1].group().lower() in {"in", "on", "at", "by", "until", "since", "due", "to", "is", "was", "are"} else 0.0
        specific += 1.5 if clock_asked and _CLOCK.search(match.group()) else 0.0
        specific += 1.5 if day_asked and _WEEKDAY.search(match.group()) else 0.0
        candidates.append((start, end, specific + _recency(tokens, start), match.group(), match.start()))
    if not candidates:
        if question.past_event and clause.memory.when is not None:
            # "I've lived in Leeds for five years", said in 2023: the move was in 2018, not that day
            lasting = _lasting(question, clause.text)
            return times.resolve_relative(f"{lasting['count']} {lasting['unit']} ago", clause.memory.when) if lasting else times.day(clause.memory.when)
        return None
    standing = [c for c in candidates if not _said_not(tokens, c[0])
                and (question.past_event or not _GIVEN_UP.search(" ".join(clause.text[:c[4]].split()[-4:])))]  # "when did I quit smoking" asks that day
    candidates = standing or candidates  # "not the Tuesday anymore, ... so now we play every Thursday", "Ya no vendo on domingos"
    if clock_asked:  # "what time is gym": "7am", not "mon/wed/fri" beside it
        candidates = [c for c in candidates if _CLOCK.search(c[3])] or candidates
    best = min(candidates, key=lambda c: min((min(abs(c[0] - a), 1.5 * abs(a - c[1] + 1)) for a in anchors), default=3) - c[2])
    text = best[3].strip()
    if clause.memory.when is not None:
        return times.resolve_relative(text, clause.memory.when) or text
    return text


# How long something has held, said in the perfect of a state: "I've had Max for 10 years", "I have
# been at Zillow for about 3 years now", "have lived in Leeds for five years" (not "I had a cold for
# two weeks", "I have booked the hotel for 2 weeks", "I have to wait for two weeks", "I've been to Paris for a week").
_LASTING = re.compile(rf"\b(?:have|has|'ve|’ve)\s+(?:(?:been(?!\s+to\b)|had|known|lived|worked|owned|kept|used|played|studied|taught|practi[cs]ed|"
                      rf"volunteered|run|driven|ridden|done)\b)[^.,;!?]{{0,40}}?\bfor\s+(?:(?:the\s+)?(?:last|past)\s+|(?:about|around|almost|nearly|over|more than|like)\s+)?"
                      rf"(?:a\s+(?=few\b|couple\b))?(?P<count>{times.COUNT})\s+(?P<unit>day|week|month|year)s?\b", re.I)


def _lasting(question: Question, text: str) -> re.Match | None:
    """The duration said of what the question asks about, of several ("I have lived in Leeds for 5
    years and I have been married for ten years": the marriage for "when did I get married?")."""
    found = list(_LASTING.finditer(text))
    return next((match for match in found if question.focus & _stems(match.group())), found[0] if len(found) == 1 else None)


_NOT_AGES = frozenset("grade year class form standard level room size page no no. number".split())
_ASKS_AGE = re.compile(r"\bhow old\b|\bage\b|\bilang taon\b|\bedad\b|\bidade\b|\bwie alt\b|\bquel [âa]ge\b|\bkitne saal\b", re.I)
# An age as people write it: "I'm 28", "lucas, 23", "sister camila, 27, lawyer", "aged 7", "turns 32".
_AGE = re.compile(r"(?:\b(?:i'm|i’m|i am|im|is|he's|she's|he is|she is|aged|age|turned|turns|turning)\s+|(?<!\d),\s*)"
                  r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)(?![.,]?\d)"
                  r"(?=\s*(?:years?(?: old)?|yo|y/o|yrs?)?\s*(?:[,.;!)(]|and\b|(?:btw|lol|now|already)\b|$))", re.I)  # "im 26 btw"


# ... and in the languages users mix in: "16 na ko", "kuya ko si rj, 22 na sya", "niko 20", "tengo 34 años"
# (not "nosso aniversário de casamento, 15 anos", "a empresa tem 70 anos": years of something else).
_AGE_ABROAD = re.compile(r"\b\d{1,3}\s+na\s+(?:ko|ako|sya|siya)\b|\bniko\s+\d{1,3}\b|(?:\b(?:tengo|tenho|j'ai)|(?-i:\b[A-ZÀ-Ý][\w-]+)\s+(?:tem|tiene|a))"
                         r"\s+\d{1,3}\s+(?:años|anos|ans)\b", re.I)  # "Yumi tem 9 anos", not "a empresa tem 70 anos"
# Tagalog names whom a question asks about with "si": "ilang taon na si bossing" is the cat's age, not the one a note gives.
_NAMED_BY_SI = re.compile(r"\b(?:si|ni)\s+([A-Za-zÀ-ÿ][\w-]+)")
_AGE_UNITS = frozenset("years yrs months weeks days".split())


# "where am I from (originally)?", "whence does she hail?", "where did he grow up?": answered by
# "I'm from Curitiba", "originally from Bremen", "grew up in Leeds", not by where one lives now.
_WHERE_FROM = r"\bwhere\b.*\bfrom\b|^\W*(?:[\w'’-]+,\s*)?from where\b"  # "Carmen, from where she comes?"
# Where someone is from ("where is Carmen from", "where does she come from"), not where a thing came from.
_PERSON_ORIGIN = re.compile(r"\bwhere\s+(?:is|are|am|was|were)\s+(?:[\w'’-]+\s+){1,4}?(?:originally\s+)?from\b|^\W*(?:[\w'’-]+,\s*)?from where\b"
                            r"|\bwhere\b.*\b(?:come|comes|came|hail|hails)\s+from\b|\bfrom where\b.*\b(?:come|comes|came)\b", re.I)
_ORIGIN_ASKED = re.compile(_WHERE_FROM + r"|\b(?:originally|hail|hails|hometown|home town|grow up|grew up)\b", re.I)
_SAYS_ORIGIN = re.compile(
    r"(?:\b(?:i'm|i’m|i am|im|we're|we’re|we are|is|are|was|were|come|comes|came|hail|hails|originally)\s+(?:originally\s+)?from"
    r"|^\W*(?:originally\s+)?from|\b(?:grew up|born and raised|raised)\s+in|\bhome\s?town\b)\s+\w", re.I)


def _says_origin(question: Question, text: str) -> bool:
    """An origin question meets a sentence that says where someone is from."""
    return _ORIGIN_ASKED.search(question.text) is not None and _SAYS_ORIGIN.search(text) is not None


_OWN_AGE = re.compile(rf"^\W*{_I_AM}\s+\d", re.I)
_OWN_AGE_ASKED = re.compile(r"\b(?:am i|i am|i'm|im|are we|my age|how old i|do i turn|will i (?:be|turn)|i turn|i'll be)\b|\b(?:main|mai) kitne\b", re.I)


def _says_age(question: Question, text: str) -> bool:
    """An age question meets a sentence that gives someone's age."""
    return (_ASKS_AGE.search(question.text) is not None and any(pattern.search(text) for pattern in (_AGE, _NAME_AND_AGE, _AGE_ABROAD))
            and not _names_someone_else(question, text))


def _names_someone_else(question: Question, text: str) -> bool:
    """The question names someone with Tagalog "si" whom ``text`` never names."""
    named = [name for name in _NAMED_BY_SI.findall(question.text) if name not in RELATION_OF]
    return not all(re.search(rf"\b{re.escape(name)}\b", text, re.I) for name in named)


_MONTH_OR_DAY = "(?:" + "|".join(word.capitalize() for word in (*times.MONTHS, *times.WEEKDAYS, *(m[:3] for m in times.MONTHS))) + r")\b"
# "Ify 16, Daniel 13, Zara 7.": names with their ages, one after another (not "May 3, Flat 9").
_NAME_AND_AGE = re.compile(r"(?-i:\b(?!" + _MONTH_OR_DAY + r")[A-Z][a-z]+\s+\d{1,2}\s*(?:,|and)\s*(?!" + _MONTH_OR_DAY + r")[A-Z][a-z]+\s+\d{1,2})\b", re.I)


def _number(question: Question, clause: Clause) -> str | None:
    if _year_of_study_asked(question.text):
        return _year_of_study(question, clause)
    tokens = _tokens(clause.text)
    anchors = _anchors(question, tokens)
    old = _ASKS_AGE.search(question.text) is not None
    if old and _names_someone_else(question, clause.text):
        return None
    own_age = _OWN_AGE.match(clause.text) if old and not _OWN_AGE_ASKED.search(question.text) else None  # "How old is our cat?": not "I am 44"
    duration = _ASKS_DURATION.search(question.text) is not None
    money = bool(_HOW_MUCH.search(question.text) and _MONEY_ASKED.search(question.text) or _MONEY_NOUN.search(question.text))
    dates = [match.span() for match in _DATE.finditer(clause.text)]
    candidates = []
    for i, token in enumerate(tokens):
        said = token.group().rstrip(".")  # "who is six."
        if not _NUMBER.match(said) or said.lower() in ("one",) and not old:
            continue
        if len(token.group()) <= 2 and any(start <= token.start() < end for start, end in dates):
            continue  # "21 jan" is a day, not an age or an amount
        after = " ".join(t.group().lower() for t in tokens[i + 1:i + 3])
        before = tokens[i - 1].group().lower() if i else ""
        bonus = 0.0
        if own_age and token.start() < own_age.end():
            continue  # the user's own age, when another's is asked ("I'm 26 and my son Leo is 3")
        if old and (before in _NOT_AGES or not (said.isdigit() or said.isalpha()) or not said.isalpha() and _AGE_LIMIT < _value(said)):
            continue  # "in Grade 2", "since 2022", "$2", "5km" are not how old Julie is
        counted = tokens[i + 1].group().lower() if i + 1 < len(tokens) and not clause.text[token.end():tokens[i + 1].start()].strip() else ""
        if old and (len(counted) > 2 and counted.endswith("s") and counted not in _AGE_UNITS | FUNCTION_WORDS or counted in _MEASURES):
            continue  # "i got two dogs, biscuit is a blue heeler": a count, "vet ne bola 14 kilo hai": a weight, not Biscuit's age
        if money and not _says_money(clause.text, tokens, i):
            continue  # "bf is paolo, 26" is not what he earns
        if old and (after.startswith(("years", "yo", "year-old", "year")) or before in ("is", "turns", "turned", "aged", "age", "be")):
            bonus = 1.5
        if old and (question.about or _FIRST_PERSON.search(question.text)):
            bonus += _whose_number(question, tokens, i)
        if question.head and stem(question.head) in {stem(t.group()) for t in tokens[i + 1:i + 3]}:
            bonus = 1.5
        if duration:
            candidates += _duration(tokens, i)
            continue
        candidates.append((i, i + 1, bonus + _recency(tokens, i)))
    found = _nearest(candidates, anchors)
    return _span_text(clause.text, tokens, *found) if found else None


# The year or grade one is in at school: "what year am i in nursing school", "what grade is migs
# in", answered by "4th yr bsn", "Second year Computer Science", "year 8", "form 3"; not a year of
# the calendar ("what year did I ...", "what year is it in ...").
_YEAR_OF_STUDY_QUESTION = re.compile(r"\b(?:what|which)\s+(?:year|yr|grade|form|class|standard)(?:\s+of\s+[\w'’]+(?:\s+[\w'’]+)?)?"
                                     r"\s+(?:am|is|are|'s|’s)\s+(?P<who>(?:(?![\w'’]+ing\b)[\w'’]+\s+){1,3}?)in\b(?!\s+(?:19|20)\d\d)", re.I)
_YEAR_OF_STUDY = re.compile(r"\b(?:(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|final)\s+(?:year|yr|grade|form)"
                            r"|(?:year|yr|grade|form|class|standard|std)\s+\d{1,2}[A-Za-z]?)\b(?![:.,]?\d)", re.I)


@functools.lru_cache(maxsize=256)  # asked of every clause read for a question
def _year_of_study_asked(text: str) -> bool:
    """Someone's year at school is asked: "what year am i in", "what grade is migs in", "what
    year is my son in"; not "what year is the reunion in", "what year is my passport due in"."""
    asked = _YEAR_OF_STUDY_QUESTION.search(text)
    who = asked.group("who").lower().split() if asked else []
    if not who or who[0] in ("the", "a", "an", "this", "that", "it", "there", "your"):
        return False
    return who[0] not in ("my", "our", "his", "her", "their") or (len(who) > 1 and strip_possessive(who[1]) in RELATION_OF)


_SCHOOLING_STEMS = frozenset(stem(word) for word in "year grade form class standard study school uni university college".split())


def _says_year_of_study(question: Question, text: str) -> bool:
    """The year or grade asked, of the one asked about: not mine for "which year of study is collins in"."""
    if not _year_of_study_asked(question.text) or _YEAR_OF_STUDY.search(text) is None:
        return False
    whose = question.focus - _SCHOOLING_STEMS
    return bool(_FIRST_PERSON.search(question.text)) or not whose or bool(whose & _stems(text))


def _year_of_study(question: Question, clause: Clause) -> str | None:
    if not _says_year_of_study(question, clause.text):
        return None
    tokens = _tokens(clause.text)
    starts = {token.start(): i for i, token in enumerate(tokens)}
    candidates = [(starts[found.start()], next((i for i, token in enumerate(tokens) if token.start() >= found.end()), len(tokens)), 0.0)
                  for found in _YEAR_OF_STUDY.finditer(clause.text) if found.start() in starts]
    whom = [i for i, token in enumerate(tokens) if stem(token.group()) in _about_stems(question)]
    after = [candidate for candidate in candidates if whom and candidate[0] > whom[0]]
    found = _nearest(after[:1] or candidates, whom or _anchors(question, tokens))  # "Lily is in year 5", not Tom's year 8 before her
    return _span_text(clause.text, tokens, *found) if found else None


def _whose_number(question: Question, tokens: list[re.Match], i: int) -> float:
    """An age belongs to the name said last before it ("Ella who is 7 and Max who is 4"): more
    likely the answer when that is whom the question asks about, less when it is someone else
    (for the user's own age, anyone named or a relation: "I'm 40 and my son Leo is 12")."""
    said = [token.group() for token in tokens[max(0, i - 4):i]]
    if not question.about:  # "how old am I?": "I'm 40", not "my son Leo is 12"
        if said[-1:] and said[-1].lower().replace("’", "'") in ("i'm", "im", "am"):
            return 1.0
        return -1.0 if any(word.lower() in RELATION_OF or (_is_name(word) and word not in ("I", "I'm", "I’m")) for word in said) else 0.0
    named = next((tokens[j].group() for j in range(i - 1, max(-1, i - 5), -1) if _is_name(tokens[j].group()) and j > 0), None)
    if named is None:
        return 0.0
    return 1.0 if any(stem(named.lower().removesuffix("'s")) in accepted for accepted in question.about) else -1.0


def _duration(tokens: list[re.Match], i: int) -> list[tuple[int, int, float]]:
    """How long, at the number ``i``: "31 year", "six months", "since (March) 2021"; not a bare
    number, a day of a date ("the 22nd of August") nor a year ("married in 2019")."""
    if i + 1 < len(tokens) and _DURATION_UNIT.match(tokens[i + 1].group()):
        if i + 2 < len(tokens) and tokens[i + 2].group().lower().rstrip(".") == "old":
            return []  # "I am 44 years old" is an age, not how long anything took
        return [(i, i + 2, 1.5 + _recency(tokens, i))]
    since = next((j for j in range(i - 1, max(-1, i - 4), -1) if tokens[j].group().lower() == "since"), None)
    if since is not None and _YEAR_NUMBER.match(tokens[i].group()):
        return [(since, i + 1, 1.5)]
    return []


_AGE_LIMIT = 125
_MEASURES = frozenset("kilo kg kgs kilogram g gram lb lbs pound pounds stone km cm mm m mile miles litre liter ml".split())
_HOW_MUCH = re.compile(r"\bhow much\b", re.I)
_MONEY_ASKED = re.compile(r"\b(?:earn\w*|make|makes|cost\w*|pay\w*|paid|rent|charge\w*|spend\w*|spent|owe\w*|salary|price|worth)\b|"
                          # "how much did I sell my bike for", "how much we sell the maison"; not "how much rice did we buy"
                          r"\bhow much\s+(?:(?:did|do|does|will|would|should|can|could)\s+)?(?:i|we|you|he|she|they)\s+(?:sell|sold|buy|bought)\b|"
                          r"\b(?:sell|sold|buy|bought)\b.*\bfor\W*$", re.I)
_MONEY_NOUN = re.compile(r"\b(?:salary|rent|price|budget|magkano)\b", re.I)  # Tagalog "magkano" asks a price
_CURRENCY = re.compile(r"^(?:[$€£¥₱₹]|(?:dollars?|euros?|pounds?|quid|bucks|pesos?|php|usd|eur|gbp|cad|rupees?|rs|naira|k|grand|"
                       r"mil|bob|ksh|kes|shillings?|lakhs?|rand|reais)$)", re.I)
_PER = re.compile(r"\s*(?:/\s*|(?:a|an|per)\s+)(?:month|mo|week|wk|year|yr|hour|hr|night|day|shift)\b", re.I)
_MONEY_WORDS = frozenset("rent salary price cost costs paid pay pays earn earns earning budget charge charges fee fees".split())


def _value(number: str) -> float:
    digits = re.sub(r"[^\d.]", "", number.replace(",", ""))
    try:
        return float(digits) if digits else 0.0
    except ValueError:
        return 0.0


def _says_money(text: str, tokens: list[re.Match], i: int) -> bool:
    """"$280", "₹15000", "9k a month", "2500$", "40 euros", "rent 450/month", "Rent went up to
    1500": an amount of money, not an age ("bf is marco, 29, a chef")."""
    start, end = tokens[i].span()
    around = text[max(0, start - 1):start] + tokens[i].group() + text[end:end + 1].strip()
    after = tokens[i + 1].group() if i + 1 < len(tokens) else ""
    priced = {word.group().lower() for word in tokens[:i]} & _MONEY_WORDS
    return bool(priced or _PER.match(text[end:]) or _CURRENCY.match(around[:1]) or _CURRENCY.match(around[1:2]) or _CURRENCY.match(around[-1:])
                or _CURRENCY.match(after.rstrip(".")) or (i and len(tokens[i - 1].group()) == 1 and _CURRENCY.match(tokens[i - 1].group())))


_ASKS_DURATION = re.compile(r"\bhow long\b(?! ago)|\bhow many (?:years|months|weeks)\b(?! old)", re.I)
_DURATION_UNIT = re.compile(r"^(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|decades?|minutes?|mins?)\b\.?$", re.I)
_YEAR_NUMBER = re.compile(r"^(?:19|20)\d{2}$")


_JOB_QUESTION = re.compile(r"\b(?:job|kya kar(?:ti|te|ta) ha(?:i|in)|kya kaam|kaam kya|(?:do|does|doing|daein) for (?:a )?(?:living|work)|work as|profession|occupation|(?:does|'s|’s) \w+ do(?!\s+(?:on|at|in|after|before|every|each|with|when|while|during|this|next|tonight|today|for fun)\b)|what do i do|did (?:\w+ ){1,2}do before (?:\w+ ){0,2}retir\w*)\b", re.I)
_JOB = re.compile(r"(?:\b(?:(?:is|'s|’s|am|was|were|i'm|i’m)\s+\d{1,3}(?: years old)?,?\s+and|is|'s|’s|am|was|were|i'm|i’m|(?<=\bshe)s|(?<=\bhe)s|works? as|working as|work like|became|become|as))\s+(?:an?\s+)?(?P<job>[\w-]+(?:\s+[\w-]+){0,3}?)(?=\s+(?:at|in|for|with|from|and|but|since|now)\b|[,.;!)]|$)", re.I)


# A job word that is as often something else: "cook dinner", "nanny pat" (a grandmother), "see the vet".
_AMBIGUOUS_JOBS = frozenset("cook coach vet nanny judge driver cleaner manager porter buyer producer writer singer carer".split())
# What comes before a job word without making it a job: "call plumber", "see doctor", "my dentist".
_NOT_A_JOB_MODIFIER = frozenset("""the my his her their our your is was to call see ask text email ring visit meet book find need get
    new great good best old bad nice""".split())
# What a sentence that tells what someone does says it with, when no job is named.
_SAYS_WORK = re.compile(r"\b(?:work\w*|job|jobs|does|doing|runs|running|owns|teach\w*|taught|drives|driving|sells|selling|studies|studying|"
                        r"joined|manages|employed|hired|retired|business|trade|shift|shifts|career|" + "|".join(sorted(OCCUPATIONS - _AMBIGUOUS_JOBS)) + r")s?\b", re.I)


def _job(question: Question, clause: Clause) -> str | None:
    """"What does Marek do for work?" -> "electrician" (from "he is electrician")."""
    if not _JOB_QUESTION.search(question.text):
        return None
    if question.about and not all(accepted & _stems(_named_in(clause)) for accepted in question.about):
        return None  # "Gary's driving the big lorries" is not what Shona does
    if question.kin and question.kin[0] and not _speaks_of_relation(question, _asked_relation(question), clause.sentence):
        return None  # "what does Carol's boyfriend do": not "Carol é arquiteta"
    for match in _JOB.finditer(clause.text):
        job = match.group("job")
        if _named_only_after(question, clause.text, match.start()):
            continue  # "My brother Luc is an electrician, married to Anne" is not what Anne does
        if _of_another(question, clause.text[:match.start()]):
            continue  # "ola is a pharmacist" is not what I do
        article = re.search(r"\ban?\s+$", clause.text[match.start():match.start("job")], re.I) is not None
        if not article and re.match(r"['’]s\b", match.group()) and not re.search(r"\b(?:he|she|who)$", clause.text[:match.start()], re.I):
            continue  # "Anke's drive to work": hers, not what she is (but "Anke's a nurse", "she's nursing")
        if re.search(r"\b(?:it|that|this|there|what|which)\W*$", clause.text[:match.start()], re.I) or job.split()[0].lower().endswith("ed") and not article:
            continue  # "It's correct now", "was finalized": no one's work ("a registered nurse" is)
        if job.lower().split()[0] not in FUNCTION_WORDS and not _is_name(job.split()[0]) and not any(_NUMBER.match(word) for word in job.split()):
            return job  # "she's 39 and a primary teacher"; not "I'm a size 10"
    if (said := _job_abroad(question, clause.text)) is not None:
        return said
    bare = _BARE_JOB.match(clause.text)  # "oppa = daniel. pharmacist in irvine", "Fergus, a hydrologist"
    if bare is None or (bare.group("job").split()[-1].lower().rstrip("s") in _AMBIGUOUS_JOBS and not bare.group("article")):
        return None
    return bare.group("job")


# A job that opens its clause, as a note says it: "pharmacist in irvine", "a bike courier", not
# "married to a doctor".
_BARE_JOB = re.compile(r"\W*(?P<article>(?i:an?)\s+)?(?P<job>(?:(?!(?i:" + "|".join(sorted(_NOT_A_JOB_MODIFIER)) + r")\b)[a-zà-ÿ][\w-]+\s+)?(?i:"
                       + "|".join(sorted(OCCUPATIONS)) + r")s?)\b(?=\s+(?:at|in|for|with|from)\b|\s*(?:[,.;!)(]|$))")


# A job said with the verb of being of another language: before it in Hindi ("Shruti Pune mein
# dentist hai", "Tanvi UX designer hai"), after it in Portuguese, Spanish, German, Italian ("Carol é
# arquiteta", "Denise, my other close friend, é dentista"). Only a word the list knows for a job
# ("EST time", "c'est la meilleure" are none); "ek doctor" is "a doctor".
_OCCUPATION = r"(?i:" + "|".join(sorted(OCCUPATIONS)) + r")s?"
_JOB_IN_HINDI = re.compile(r"(?:\b(?P<acronym>[A-Z]{2,4})\s+)?\b(?P<job>" + _OCCUPATION + r")(?=\s+(?P<copula>(?i:" + HINDI_COPULA + r"))\b)")
_JOB_AFTER_COPULA = re.compile(r"(?-i:\b(?:é|es|ist|è))\s+(?:(?:um|uma|un|una|ein|eine)\s+)?\b(?P<job>" + _OCCUPATION + r")\b")


def _job_abroad(question: Question, text: str) -> str | None:
    """The job a sentence gives the way another language says it, of whom the question asks: the
    user only where the sentence says "main" or "I'm" before it (never "Carol é arquiteta"), never a
    relation's ("Shruti ka husband doctor hai" is not Shruti's); what one is now ("hai") before what
    one was ("tha")."""
    if question.about and (abroad := _JOB_AFTER_COPULA.search(text)) is not None:
        return abroad.group("job")
    if not _HINDI_COPULA.search(text):
        return None  # the cheap test first: the reader asks it of every sentence a job question reads
    found = [match for match in _JOB_IN_HINDI.finditer(text)
             if not any(word in RELATION_OF for word in re.findall(r"[\w'’-]+", text[:match.start()].lower())[-2:])
             and (question.about or re.search(r"\b(?:main|mai|i'm|i am|im)\b", text[:match.start()], re.I))]
    now = [match for match in found if match.group("copula").lower() not in ("tha", "thi")] or found
    if not now:
        return None
    return " ".join(filter(None, (now[0].group("acronym"), now[0].group("job"))))  # "UX designer"


def _of_another(question: Question, before: str) -> bool:
    """A question about the user, and what a sentence says before a job is someone else, its
    subject: "ola is", "my wife is" (not "I'm", "Just started as", "After uni became", "role is")."""
    said = re.findall(r"[\w'’-]+", before.lower())
    if question.about or _FIRST_PERSON.search(question.text.replace("’", "'")) is None:
        return False
    return (len(said) == 1 and _names_another(question, said[0])) or (len(said) == 2 and said[0] in ("my", "our", "his", "her", "their"))


def _names_another(question: Question, word: str) -> bool:
    """A word opening a sentence that may be someone ("ola", "bartek"), not the user's own thing
    asked about or said without "my" ("role", "home", "car"), nor a verb ("started")."""
    return (word not in FUNCTION_WORDS and word not in _OWN_THINGS and stem(word) not in question.focus and not _is_verb(word)
            and not _FIRST_PERSON.fullmatch(word))


_OWN_THINGS = frozenset("role job work position title occupation profession home place flat house apartment car".split())


def _named_only_after(question: Question, text: str, at: int) -> bool:
    """Whom the question is about is named in ``text``, but only after ``at``."""
    about = [accepted for accepted in question.about if accepted & _stems(text)]
    return bool(about) and not any(accepted & _stems(text[:at]) for accepted in about)


_GAP_STOP = frozenset("""from since because for at in on with when while after before until every each and but so
    which who that if or as by to of""".split())
# What ends a lowercase writer's name: a small word, in English or in the languages mixed in ("best
# friend ko si paolo" holds no name "friend ko si").
_LOWERCASE_RUN_STOP = NOT_CONTENT | _GAP_STOP | _PLACE_CUE | frozenset("rn atm tho lol".split())  # "gym = puregym rn"
_SAYS = frozenset("says said tells told thinks thought wants wanted gave gives got gets made makes reckons asked asks".split())


def _gap(question: Question, clause: Clause) -> str | None:
    """What follows the question's last word in the clause ("What car do I drive?" with "I drive a
    silver Skoda from 2014" -> "a silver Skoda"), or what qualifies the thing asked about ("What
    milk do I use?" with "oat milk in everything" -> "oat milk"); never what the sentence says is
    gone ("dropped violin")."""
    tokens = _tokens(clause.text)
    lowered = [token.group().lower() for token in tokens]
    qualified = [(span, _span_text(clause.text, tokens, at - 1, at + 1)) for at, word in enumerate(lowered)
                 if question.head and stem(word) == stem(question.head) and (span := _qualified(question, clause.text, tokens, lowered, at))]
    if qualified:  # of several, one the sentence does not say is gone ("tapos na pedia rotation, ER rotation na ako ngayon"),
        # asked of the head and the word before it, which a qualifier may take from the cue ("na pedia rotation")
        return next((span for span, head in qualified if not _said_gone(clause.text, head)), qualified[0][0])
    for anchor in reversed([i for i in _anchors(question, tokens) if i < len(tokens) - 1]):
        start = anchor + 1
        while start < len(tokens) and lowered[start] in FUNCTION_WORDS - {"the", "a", "an"} and lowered[start] not in _GAP_STOP:
            start += 1
        end = start
        while end < len(tokens) and end - start < MAX_SPAN and lowered[end] not in _GAP_STOP:
            end += 1
        content = [i for i in range(start, end) if lowered[i] not in FUNCTION_WORDS]
        if not content or all(stem(lowered[i]) in question.focus for i in content) or lowered[start] in _GONE_VERBS:
            continue
        return _span_text(clause.text, tokens, start, end)
    return None


def _qualified(question: Question, text: str, tokens: list[re.Match], lowered: list[str], at: int) -> str | None:
    """The head asked about at ``at`` with the words before it that qualify it ("oat milk")."""
    start = at
    about = _about_stems(question)
    while start > 0 and at - start < 2 and _qualifies(lowered[start - 1], about):
        start -= 1
    return _span_text(text, tokens, start, at + 1) if start < at else None


_GONE_VERBS = frozenset("dropped quit left sold stopped finished gave ditched no not".split())


def _qualifies(word: str, about: set[str]) -> bool:
    """A word that may say which thing ("oat milk", "steel road bike"), not whose or what was done
    to it ("Catalina switched carrera")."""
    return word not in FUNCTION_WORDS | _GAP_STOP and stem(word) not in about and not word.endswith("ed")


def _overlap(focus: frozenset[str], stems: set[str]) -> int:
    """How many of the question's words the text holds, a shared start of five letters counting
    as the same word ("allergies" and "allergic", "dietary" and "diet" do not), and the words a
    person says for the same thing about their life ("birthday": "born")."""
    return sum(1 for word in focus if word in stems or _EQUIVALENT.get(word, frozenset()) & stems
               or (len(word) >= 5 and any(other[:5] == word[:5] for other in stems if len(other) >= 5)))


_EQUIVALENT = {
    stem(word): frozenset(stem(other) for other in others.split())
    for words, others in (
        ("birthday bday", "birthday bday born birth"),  # "born" is read as "birth"
        ("born", "birthday bday"),
        ("marry married wedding anniversary", "marry married wedding wed anniversary"),
        ("pet pets", "dog cat puppy kitten rabbit hamster parrot budgie gecko lizard snake tortoise turtle fish goldfish ferret guinea"),
        ("job work profession occupation", "job work works working profession as employer hired office shift barista engineer "
                                           "developer designer nurse teacher chef manager analyst accountant lawyer researcher"),
        ("study studying studies", "masters master degree phd bachelor course student studying uni university college"),
        ("diet eat", "vegan vegetarian pescatarian gluten halal kosher eat meat"),
        ("car", "drive drives driving"),
        ("drive drives driving", "car van truck pickup suv"),
        ("bike bicycle cycle", "bike bicycle cycle cycling fixie vélo velo fahrrad fiets bici bicicleta"),
        ("age old", "old aged years"),
        ("allergies allergy", "allergic"),
        ("holiday holidays vacation trip", "holiday vacation trip travelled traveled stayed visited flew back"),
        ("operation surgery op", "operation surgery op ops procedure"),
        ("like likes love loves enjoy enjoys", "like likes love loves enjoy enjoys adore adores obsessed mad crazy fan favourite favorite"),
        ("booked scheduled", "booked scheduled pencilled penciled set planned"),
        ("scared afraid frightened terrified fear fears phobia", "scared afraid frightened terrified fear phobia darr"),
        ("trainee trainees intern", "training trainee intern internship"),
    )
    for word in words.split()
}


def _stems(text: str) -> set[str]:
    return {stem(_BASE_FORM.get(word.lower(), word)) for word in re.findall(r"[\w'’-]+", text) if word.lower() not in FUNCTION_WORDS}


# Irregular verbs: "what did you buy?" is answered by "I bought ...", which no stem joins.
_BASE_FORM = {form: base for base, forms in {
    "buy": "bought", "see": "saw seen", "give": "gave given", "find": "found", "bring": "brought", "teach": "taught",
    "think": "thought", "write": "wrote written", "draw": "drew drawn", "win": "won", "eat": "ate eaten", "meet": "met",
    "tell": "told", "say": "said", "feel": "felt", "run": "ran", "sing": "sang sung", "begin": "began begun",
    "build": "built", "catch": "caught", "fly": "flew flown", "hold": "held", "keep": "kept", "know": "knew known",
    "learn": "learnt", "pay": "paid", "ride": "rode ridden", "sell": "sold", "send": "sent", "spend": "spent",
    "wear": "wore worn", "choose": "chose chosen", "grow": "grew grown", "lose": "lost", "fall": "fell fallen",
    "hear": "heard", "sleep": "slept", "swim": "swam swum", "throw": "threw thrown", "become": "became", "come": "came",
    "break": "broke broken", "drive": "drove driven", "forget": "forgot forgotten", "hide": "hid hidden", "lead": "led",
    "speak": "spoke spoken", "steal": "stole stolen", "understand": "understood", "wake": "woke woken", "shoot": "shot",
    "dig": "dug", "feed": "fed", "fight": "fought", "seek": "sought", "sit": "sat", "stand": "stood", "shine": "shone",
    "birth": "born",  # "my date of birth" is when "I was born"
}.items() for form in forms.split()}


# -- the question --------------------------------------------------------------------------------


# Words that ask for advice when the user asks for it ("recommend a book", "tips?", "how to
# ...?"), but report someone's when a question asks what a given person advised: "What did my
# dentist recommend?", "What advice does Gina give Jon?", "When did Gina make a video on how to
# style her pieces?" are questions about memory.
_ADVICE_WORDS = re.compile(r"\b(?:recommend|suggest|tips|best way|good idea|ideas? for|advice|how to)\b", re.I)
# A wh-question and what follows its auxiliary: "What advice does | Gina give Jon?", "What did | Nate take ...?"
_WH_AUXILIARY = re.compile(
    r"^\W*(?P<wh>what|which|where|when|who|whom|whose|why|how)\b(?P<asked>(?:\s+(?!(?:did|does|do|has|had|have)\b)[\w'’+-]+){0,3}?)"
    r"\s+(?P<aux>did|does|do|has|had|have)\s+(?P<rest>.+)$",
    re.I,
)
# Whose advice a question may report: a given person ("Sam", "my dentist", "mum's friend", "she"),
# or the user in the past ("which book did I recommend to Tom?"); not "dentists", "people", "you".
_REPORTER = re.compile(r"^(?:(?!I\b)[A-ZÀ-Ý][\w'’-]*|(?i:(?:my|our|his|her|their|mum's|mom's|dad's)\s+[\w'’-]+|he|she)"
                       r"|(?!(?:i|we|you|u|ya|y'all|yall|one|they|it|people|folks|everyone|everybody|most|many|some|all|other|others)\b)[a-zà-ÿ][\w'’-]*(?:\s+[a-zà-ÿ][\w'’-]*)?(?<!s)"
                       r"(?=\s+(?:recommend|suggest|advise|help|give)\b))\b")
_REPORTED_ADVICE = re.compile(r"^(?:[\w'’-]+\s+){0,3}?(?:recommend|recommended|suggest|suggested|advise|advised|help|helped|give|gave|given|offer|offered|share|shared)\b", re.I)
# ... and a request for advice said outright beside a question: "what does my dog need, any tips?"
_ADVICE_REQUESTED = re.compile(r"\b(?:any (?:tips|advice|suggestions|recommendations)|(?<!\bmy )(?<!\bher )(?<!\bhis )(?<!\btheir )(?<!\bour )(?:tips|advice|ideas) (?:for|on)|help me|"
                               r"(?:recommend|suggest) (?:a|an|some|something|me|one|any)\b)", re.I)
_ADVICE = re.compile(
    r"\b(?:should i|should we|shall i|shall we|would you (?:recommend|suggest)|do you (?:recommend|suggest)|what can i|how (?:can|should) i|"
    r"what (?:do|can|could|would) (?:i|we) (?:say|tell|write|answer|reply)|what (?:can|could|would|should) (?:i|we) do|"
    r"what do (?:i|we) do(?! (?:on|at|in|every|each|for (?:a )?(?:living|work)|most|after|before|during|with)\b)|"
    r"how (?:may|might|would|do|could|can|should) (?:i|we) (?:\w+ly )?(?:explain|tell|say|answer|respond|reply|handle|approach|support|"
    r"decline|refuse|say no|get out|break|raise)|"
    r"is it (?:okay|ok|safe|wise|sensible|smart|worth)|any way (?:to|i|we)|can (?:i|we) (?:\w+ly )?(?:afford|swing)|any ideas(?! (?:what|when|where|who|which|whose|how)\b)|"
    r"what ought (?:i|we)|(?:i|we) ought to (?:mention|tell|say|bring|declare|know|put)|anything (?:i|we) (?:need|should|ought|must) to (?:tell|say|mention|declare|avoid|know about)|"
    r"what do (?:i|we) need to (?:put|tell|say|mention|declare)|"
    r"how much (?:could|should) (?:i|we)(?! have)|is there (?:any|a) (?:\w+ )?way (?:to|for|of)|"
    # the same, in Pidgin, Portuguese and Hinglish: "wetin i go tell am?", "we fit carry am?", "vou conseguir", "kya bolu"
    r"wetin (?:i|we) (?:go|fit|suppose) (?:tell|talk|say|do|answer|reply)|how (?:i|we) (?:go|fit) (?:answer|tell|talk|handle|reply|take)|"
    r"(?:we|i) fit (?:carry|afford|manage) am|vou conseguir|posso ir|anything wey fit|kya bolu|kya bolun|kya karu|kya karun|kaise (?:[\w'-]+ ){0,2}kar[uū]n?|le lu kya)\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|mine|myself|we|we're|our|ours|us)\b", re.I)
# "I/my" in the languages users mix in: "ilang taon na ko", "¿dónde vive mi hermana?", "mathe yangu"
_FIRST_PERSON_ABROAD = re.compile(r"\b(?:ko|ako|akin|namin|kami|(?-i:eu)|meu|minha|meus|minhas|nosso|nossa|nuestro|nuestra|yangu|mimi|mein|meine|ich|saya|aku|mera|meri|mujhe)\b|(?<![\d'\"‘“] )\bmis? (?=[a-zá-ú])", re.I)
_CITATION = re.compile(r"\s*\[#(\d+)\]|\s*\(#(\d+)\)|(?<![\w#])#(\d+)\b")


def asks_advice(sentence: str) -> bool:
    """Whether a sentence asks the assistant for advice, a suggestion or a how-to (for the model
    to write), rather than what someone advised (for memory to say)."""
    if _ADVICE.search(sentence) is not None:
        return True
    asked = _WH_AUXILIARY.match(sentence)
    reporter = asked is not None and (_REPORTER.match(asked.group("rest")) is not None
                                      or (asked.group("aux").lower() == "did" and re.match(r"(?i:i|we)\b", asked.group("rest")) is not None))
    if reporter and (_ADVICE_WORDS.search(asked.group("asked")) or _REPORTED_ADVICE.match(asked.group("rest"))):
        return False  # "what did sam recommend me", "What advice does Gina give Jon?", "How did Sam help me?"
    return _ADVICE_REQUESTED.search(sentence) is not None or (_ADVICE_WORDS.search(sentence) is not None and not reporter)


LONGEST_QUESTION = 400  # characters: longer is no question, nor a request for a suggestion


@functools.lru_cache(maxsize=256)  # asked by the read path, the lookup check and the turn that stores the words
def is_question(text: str) -> bool:
    """A request for information, as opposed to a statement or a task ("write a card for ...")."""
    stripped = text.strip()
    if not stripped or len(stripped) > LONGEST_QUESTION:
        return False
    if secrets_asked(stripped):
        return True
    said = re.split(r"(?<=[.!?])\s+", stripped)
    asked = [sentence for sentence in (said[-1], said[0]) if sentence.rstrip().endswith("?") and not _RHETORICAL.match(sentence)]
    if len(said) > 1 and asked:
        # "Funmi's here and wants the wifi. What's the password?"; "what fecha is my cumpleaños?
        # I need it for a formulario"
        stripped = asked[0]
    if asks_advice(stripped):
        return False  # "what should I cook?" asks for a suggestion, which the model writes
    act = speech_act(stripped)
    if act == "question" or (act == "statement" and opens_with_question(stripped)):
        return not re.match(r"^\W*(?:can|could|would|will) you\b", stripped, re.I) or _ASKS_TO_BE_TOLD.search(stripped) is not None
    # a request to be told, even with a word of why: "give me my phone number, I always forget it"
    return _ASKS_TO_BE_TOLD.match(re.sub(r"^\W*(?:please\s+)?", "", stripped, flags=re.I)) is not None or _FORGOTTEN.match(stripped) is not None


# Saying what one forgot asks for it: "forgot my locker number again", "i don forget my locker
# number", "can't remember the wifi password". Not "I forgot my keys at home" (a thing, and what happened).
_FORGOTTEN = re.compile(
    r"^\W*(?:i\s+)?(?:(?:don|have|just|totally|completely)\s+)?(?:forgot|forget|forgotten|can't remember|cannot remember|can't recall|"
    r"don't remember|dont remember|cant remember)\s+(?:again\s+)?(?P<asked>(?:my|our|the)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:number|no|name|password|pw|pin|code|address|size|birthday|bday|date|email|plate|registration|combo|combination))"
    r"(?:\s+again)?\W*$", re.I)


def is_lookup(text: str) -> bool:
    """A few words naming what is wanted, typed like a note to oneself: "hannah bday", "fav
    soju", "personal laptop model", "my blood type". Not a note that states a value ("room 217",
    "dentist tuesday", "fav color blue"), a greeting, a wish or a task ("call mum", "gift
    ideas"). Whether memory answers it is answers_lookup's to say ("my knee hurts" is news)."""
    stripped = text.strip().replace("’", "'")
    words = [word for word in WORD.findall(stripped.lower()) if word not in _LOOKUP_FILLER]
    named = [word for word in words if word not in ("my", "our")]
    return (len(named) > 1 and len(words) <= LOOKUP_WORDS and len(stripped) <= 60 and not _STATED_VALUE.search(stripped)
            and not any(word in _CLAUSE_WORDS or _is_verb(word) for word in words) and not _value_after_attribute(named)
            and not (_CHIT_CHAT.match(stripped) or _NOT_A_LOOKUP.search(stripped) or opens_with_request(stripped) or asks_advice(stripped)))


def asks_attribute(text: str) -> bool:
    """A lookup of an attribute of one's own or someone's ("my blood type", "our wifi name", "ola's
    surname"; not news such as "my cat died"): when memory holds nothing of it, "I don't know" is
    the answer, not a small model's guess."""
    words = WORD.findall(text.lower())
    return is_lookup(text) and re.match(r"^\W*(?:my|our|[\w-]+(?:'s|’s))\b", text.strip(), re.I) is not None and bool(words) and stem(words[-1]) in _ATTRIBUTES


def answers_lookup(text: str, reading: Reading) -> bool:
    """Whether a reading answers a lookup: the memory it cites says every word of it ("fav soju"
    -> "my favourite soju is Chamisul"), the attribute asked aside when a value is said without it
    ("personal laptop model" -> "a ThinkPad X1"), but a birthday, a type, a number said as such.
    "pasta recipe" is not answered by "I love pasta carbonara", "mia bday" by "Mia is 7", nor
    "birthday card for mum" by mum's birthday: those are for the model."""
    words = [word for word in WORD.findall(text.lower().replace("’", "'")) if word not in NOT_CONTENT | _LOOKUP_FILLER | _MODIFIERS]
    if not reading.grounded or not words:
        return False
    cited = " ".join(clause.sentence for clause in reading.clauses if clause.memory.id in reading.citations)
    said = _stems(cited)
    *things, asked = words
    if stem(asked) in _ATTRIBUTES:
        if not things or (stem(asked) in _SAID_AS_SUCH and not _attribute_said(asked, cited, said)):
            return False  # "my job" alone is for the model; "mia bday" is not answered by "Mia is 7"
    else:
        things = words
    return all(_overlap(frozenset({stem(word.removesuffix("'s"))}), said) for word in things)


def _attribute_said(attribute: str, cited: str, said: set[str]) -> bool:
    if stem(attribute) in _SAID_IN_DIGITS:
        return re.search(r"\d", cited) is not None
    return _overlap(frozenset({stem(attribute)}), said) > 0 or (stem(attribute) in _BIRTHDAY_STEMS and _TURNS.search(cited) is not None)


def _is_verb(word: str) -> bool:
    """A word that tells something happened or is felt: "my knee hurts", "exam went well", "lost my wallet"."""
    return (word.endswith("ed") and len(word) > 4) or word in _BASE_FORM or word in _NEWS_VERBS


_NEWS_VERBS = frozenset("""went got hurt hurts broke left feel feels need needs want wants love loves hate hates miss misses like
    likes sucks rocks starts started ends ended works worked""".split())


def _value_after_attribute(words: list[str]) -> bool:
    """"fav color blue", "favourite band muse": an attribute with its value after it states it."""
    return any(stem(word) in _ATTRIBUTES for word in words[:-1]) and stem(words[-1]) not in _ATTRIBUTES


LOOKUP_WORDS = 4
# What is asked of a thing ("laptop model", "blood type"); the value of some is said without the
# word ("a ThinkPad X1"), of others with it ("type 2", "bday 3/2") or in digits.
_ATTRIBUTES = frozenset(stem(word) for word in """name surname model brand make type kind number no size address age job work code pin
    password pw colour color breed bday birthday dob anniversary""".split())
_SAID_AS_SUCH = frozenset(stem(word) for word in "type size number no age code pin bday birthday dob anniversary".split())
_SAID_IN_DIGITS = frozenset(stem(word) for word in "number no age code pin".split())
_MODIFIERS = frozenset("current fav fave favourite favorite usual main".split())  # "fav restaurant" names a restaurant
_LOOKUP_FILLER = frozenset("again pls please plz rn now currently".split())
# A number, a day, an address: the note states a value ("room 217", "dentist tuesday"); "#1" is a rank.
_STATED_VALUE = re.compile(r"(?<![#\w])\d|[@:=]|\b(?:" + "|".join((*times.MONTHS, *times.WEEKDAYS, "today", "tomorrow", "tonight", "yesterday")) + r")s?\b", re.I)
# Greetings, wishes, sign-offs and errands: "good morning", "happy birthday mum", "call mum", "gift ideas".
_NOT_A_LOOKUP = re.compile(
    r"^\W*(?:good (?:morning|night|evening|afternoon|day|job)|ok|okay|bye|night|morning|gn|gm|ty|thx|np|happy|merry|take care|cheers|"
    r"sweet dreams|never mind|nvm|not sure|fair enough|call|ring|text|email|buy|pay|feed|book|pick up|get|see|visit|meet|ask|check|"
    r"cancel|order|clean|wash|fix)\b|\b(?:ideas?|tips|suggestions|recipes?)\W*$", re.I)
# Words that make a clause of it: a subject, an auxiliary ("startup i was at before" is a clause).
_CLAUSE_WORDS = frozenset("""i we he she they you it i'm im i've ive i'd we're they're he's she's it's am is are was were be been
    has have had do does did don't didn't will would can could should must can't won't""".split())


_RHETORICAL = re.compile(r"^\W*(?:guess what|you know what|know what|did you hear|have you heard|wanna know something|and guess what)\W*$", re.I)


# "Tell me when the dentist is", "remind me of my sister's name", "remind me the name of the
# village", "give me my phone number": being told what one said. Not
# "tell me a joke", "tell me about the Roman empire", "remind me to call Mum" (tasks for the model).
_ASKS_TO_BE_TOLD = re.compile(
    r"\b(?:(?:remind|tell) me\s+(?:again\s+)?(?:what|when|where|who|whom|whose|which|how|why|if|whether|(?:(?:of|about)\s+)?(?:my|our|mine)\b)|"
    r"remind me\s+(?:of\s+)?the\s+(?:name|names|date|day|time|number|address|place|title|code)\b|give me\s+(?:back\s+)?(?:my|our)\b|"
    r"remind me\s+(?:again\s+)?(?:(?:of|about)\s+)?[\w-]+['’]s\s+(?:[\w-]+\s+)?(?:name|surname|names|birthday|bday|date|day|number|address|age|job|school|email|phone)\W*(?:again\W*)?$)", re.I)


def in_first_person(text: str) -> bool:
    """Said of oneself: "I", "my", "we", or their forms in the languages users mix in ("ko", "yangu")."""
    return _FIRST_PERSON.search(text.replace("’", "'")) is not None or _FIRST_PERSON_ABROAD.search(text) is not None


def is_personal(text: str, recalled_texts: Sequence[str]) -> bool:
    """About the user's own life: it speaks of "I/my/we", or shares a word that means something
    with what the user told ("when is book club?", "where does camila live?"), rather than
    asking about the world."""
    if in_first_person(text) or relations_asked(text) or (_THE_PET.search(text) and _PET_LOOKUP.search(text)) \
            or (asked_in_hindi(text) and any(word in RELATION_OF or word in SAID_IN_HINDI for word in WORD.findall(text.lower()))):
        return True  # "dad's name?": the user's dad; "whats the dogs name": the user's dog (not "can the dog eat grapes"); "bhai aajkal kaha hai": the user's brother
    question = parse_question(text)
    asked = question.focus | {name for accepted in question.about for name in accepted}  # "How tall is Mio now?": Mio, whom the user told of
    return any(asked & _stems(memory) for memory in recalled_texts)


_PET_LOOKUP = re.compile(r"\b(?:name|called|breed|how old|age|birthday|bday)\b", re.I)
_THE_PET = re.compile(r"\bthe (?:" + "|".join(word for word, kind in RELATION_OF.items() if kind in ("dog", "cat", "pet")) + r")(?:s|'s|’s)?\b", re.I)


# Where a question names someone, for those who type names in lower case: "how old is pixel",
# "where does camila live", "bia's surname".
_SUBJECT_SLOT = re.compile(r"^\W*(?i:how old|where|what|when|who|which \w+|how)\s+(?:(?i:does|did|has)\s+(?P<doer>[a-zà-ÿ][\w-]+)\b(?!')"
                           r"|(?i:is|was)\s+(?P<name>[a-zà-ÿ][\w-]+)\b(?!')(?!\s+(?:training|practice|practise|class|classes|lesson|lessons|day|match|"
                           r"game|session|appointment|meeting|rehearsal|shift|service|night|club)\b))"  # "when is football training": what, not who
                           r"|(?<![\w'])(?P<owner>[a-zà-ÿ][\w-]+)'s\b")


_NOT_NAMES = frozenset("it there that this one everyone someone anyone today tomorrow tonight let lets".split())


def _lowercase_names(text: str) -> list[str]:
    """Names typed in lower case in the question itself (not in what surrounds it: "what's the
    wifi pw? divya's visiting")."""
    asked = [part for part in re.split(r"(?<=[.?!])\s+", text) if part.rstrip().endswith("?")] or [text]
    lowered = " ".join(asked).replace("’", "'")
    found = [match.group("doer") or match.group("name") or match.group("owner") for match in _SUBJECT_SLOT.finditer(lowered)]
    return [name for name in found if name not in FUNCTION_WORDS | QUESTION_FILLER and name not in RELATION_OF
            and not name.endswith("ing") and name not in _NOT_NAMES and name not in _UNSPELT]  # "whit's" is Scots "what's"


# Question words typed without an apostrophe, in Scots ("whit night is choir", "whaur dae I stay"),
# as texted ("wat am i allergic to", "wats tadhgs job", "where r the folks livin"), and the day
# asked in Spanish or Portuguese ("which día of the semana do I cook the milcaos?").
_UNSPELT = {"whos": "who's", "wheres": "where's", "whens": "when's", "hows": "how's", "whats": "what's",
            "whit": "what", "whit's": "what's", "whaur": "where", "wha": "who", "dae": "do", "día": "day",
            "wat": "what", "wats": "what's", "wat's": "what's", "wot": "what", "wots": "what's", "r": "are", "u": "you", "ur": "your"}


# Whole words only: not the "u" of "u-bahn", "u.s." or the "r" of "r&b".
_UNSPELT_WORD = re.compile(r"(?<![\w.&-])(?:" + "|".join(map(re.escape, _UNSPELT)) + r")(?![\w'&-]|\.\w)")


_NOT_A_MODEL = NOT_CONTENT | times.CALENDAR | frozenset("because and but with from for".split())  # "a Toyota Monday to Friday"
_BEFORE_A_DATE = frozenset("in on since until till by during of last next this every early late mid".split())


def _as_a_date(text: str, found: re.Match) -> bool:
    """A month or a weekday said as a time ("in June", "July 2022", "...camping in May?"), not as
    someone's name ("Where does June live?")."""
    if found.group(found.lastindex).lower() not in times.CALENDAR:
        return False
    before = text[:found.start(found.lastindex)].split()[-1:]
    after = text[found.end(found.lastindex):]
    return bool(before and before[0].lower() in _BEFORE_A_DATE) or re.match(r"\s+\d|\s*[?.!]?\s*$", after) is not None


@functools.lru_cache(maxsize=256)  # a question is parsed by the reader, and again by whoever weighs its reading
def parse_question(text: str) -> Question:
    if forgotten := _FORGOTTEN.match(text.strip()):
        text = f"what is {forgotten.group('asked')}"  # "can't remember my locker number" asks what it is
    asking = _asking_part(text)
    asked = _lowered(asking)  # what is asked, without a word of why ("..., I want to write it good in my papers")
    wants, head = _answer_kind(asked)
    about: list[frozenset[str]] = []
    stripped = text.strip()
    teller = _TELLER.match(stripped[len(asking):]) if stripped.startswith(asking) and not _PRONOUN.search(asking) else None
    for found in re.finditer(r"(?<=.)\b([A-ZÀ-Ý][\w'’-]+)|^\W*([A-ZÀ-Ý][\w'’-]+)(?=(?:'s|’s)\b|,?\s+(?:she|he|her|his|they|their)\b|,[^?]*\b(?:he|she|his|her|him)\b"
                             rf"|\s+(?:ka|ki|ke|ko|ne|{HINDI_ASKING})\s)", stripped):  # "Arjun ka bday kab aata hai", "Tanvi kis city mein hai"
        name = found.group(found.lastindex)  # a name opens the question when it is the topic: "Tom's birthday is when?", "Réal, what was his job"
        if found.lastindex == 2 and (re.fullmatch(_DISCOURSE, name, re.I) or name.lower().replace("’", "'") in _NOT_OPENING_NAMES):
            continue  # "Hi, where do I work?", "Wheres his office"
        if teller and found.start(found.lastindex) == len(asking) + teller.start(1):
            continue  # who is unsure of it, not whom it asks about
        if name.lower() not in FUNCTION_WORDS | QUESTION_FILLER and strip_possessive(name.lower()) not in RELATION_OF \
                and not _as_a_date(stripped, found) and not _SURNAME_ASKED.fullmatch(name):  # German capitalises "Nachname"
            about.append(frozenset({stem(name)}))  # whom or what it names: not "in June", "on Friday" (but "June's sister")
    named = {name for accepted in about for name in accepted}
    for name in _lowercase_names(text):
        if stem(name) not in named:
            about.append(frozenset({stem(name)}))
    words = re.findall(r"[\w'-]+", asked)  # not "..., my grandson he ask me for his school project"
    for position, word in enumerate(words):
        relation = kinship.relation_at(words, position)
        if relation and relation != head and _owned(words, position) and relation not in THINGS:
            about.append(frozenset(stem(form) for form in RELATIONS[relation]))
    focus = frozenset(
        stem(word[:-1] if word.endswith("s") and word[:-1] in RELATION_OF else word) for word in re.findall(r"[\w'-]+", asked)  # "sisters bday" is the sister's
        if strip_possessive(word) not in NOT_CONTENT and word not in QUESTION_FILLER and len(word) > 1
    )
    plural = wants == "list" or bool(re.search(r"\b(?:what|which) (?:are|were)\b|\bnames\b|\bwhat \w+s (?:do|does|did|have|has)\b", asked))
    if plural and wants == "thing":
        wants = "list"
    return Question(text, wants, focus, tuple(about), head, plural, _PAST_EVENT.search(asked) is not None, kin=kinship.asked_kin(asking))


def _name_of_a_thing(lowered: str) -> str | None:
    """What "the name of ..." names when it is a thing, not someone: "village" in "the name of
    mums retirement village" (not "the name of my dentist", "of my brother's wife")."""
    found = _NAME_OF.search(lowered)
    if found is None:
        return None
    said = found.group("phrase").split()
    verb = next((at for at, word in enumerate(said) if at >= 2 and word in _DOES), None)
    thing = strip_possessive(said[verb - 2] if verb is not None else said[-1])  # "the salon ana works at": the salon
    people = RELATION_OF.keys() | OCCUPATIONS | _PEOPLE_WORDS
    return None if thing in people or thing.removesuffix("s") in people or thing in FUNCTION_WORDS else thing


# "name of (my|the|mums) (retirement) village": up to three words after "of", to a word that ends the phrase.
_PHRASE_ENDS = r"(?:who|that|which|where|when|i|we|again|in|at|on|of|for|from|near|by)\b"
_NAME_OF = re.compile(rf"\bname of (?:(?:the|my|our|his|her|their|this|that)\s+)?(?P<phrase>(?:(?!{_PHRASE_ENDS})[\w'-]+\s+){{0,2}}"
                      rf"(?!{_PHRASE_ENDS})[\w'-]+)(?=\s+{_PHRASE_ENDS}|\W*$)")
_DOES = frozenset("works worked lives lived goes went does did owns owned runs ran uses used sells teaches plays likes loves".split())
_PEOPLE_WORDS = frozenset("person people guy guys lady man woman girl boy kid kids baby friend mate neighbour neighbor boss colleague coworker "
                          "landlord landlady owner doctor gp dentist vet teacher one".split())


def _lowered(text: str) -> str:
    lowered = hindi_asking_in_english(" ".join(text.lower().replace("’", "'").split()))
    return _UNSPELT_WORD.sub(lambda found: _UNSPELT[found.group(0)], lowered)


# A word of why after a question: "..., I want to be sure", "..., because the form asks", "...,
# need to put in pto" (whom it names is still whom the question is about: "..., need to take Leo"),
# or who is unsure of it ("..., Huguette she is not sure": _TELLER, not whom it asks about, unless
# the question's "she" is her: "what school does she go to, Lola she is 7" is no comment at all).
_UNSURE = (r"(?:she|he|they)\s+(?:is not sure|isn't sure|is unsure|are not sure|not sure|says|said|thinks|asks|asked|wants to know|forgot|"
           r"doesn't know|does not know|don't know|can't remember)\b")
_COMMENT = re.compile(r",\s+(?=(?:i|i'm|im|we|my|our|because|cause|coz|since|so|need|needs|wanna|gotta|have to|trying to)\b"
                      r"|(?-i:[A-ZÀ-Ý][\w'’-]+\s+)?" + _UNSURE + ")", re.I)
_TELLER = re.compile(r"\W*([A-ZÀ-Ý][\w'’-]+)\s+" + _UNSURE, re.I)
_PRONOUN = re.compile(r"\b" + _THIRD_PERSON, re.I)


def _asking_part(text: str) -> str:
    """The sentence that asks, of several ("Huguette her birthday it is when? I don't want to make
    the same mistake"), or the asking clause before a comment ("To who I sell the farm, I want to
    be sure I write it good")."""
    said = [sentence for sentence in re.split(r"(?<=[.!?])\s+", text.strip()) if sentence]
    asking = [sentence for sentence in said if sentence.rstrip().endswith("?")]
    if len(said) > 1 and asking:
        return asking[0]
    if opens_with_question(text) and not text.rstrip().endswith("?"):
        return _COMMENT.split(text, maxsplit=1)[0]
    return text


# What opens a question without naming anyone, besides the discourse words (_DISCOURSE): "Sorry,
# when is ...", "Wheres his office"
_NOT_OPENING_NAMES = frozenset("hello sorry wait hmm um yo pls please listen question seriously babe alright morning evening help "
                               "wheres whats whos whens hows whys".split())


# "Which school ...?": things known by a proper name, whose answer is that name.
_NAMED_THINGS = frozenset("""school hospital gym club company firm clinic vet vets practice restaurant cafe café church
    university college bank shop store pub bar hotel airline band podcast show series book novel game team brand
    studio office agency charity choir orchestra""".split())


_ENGLISH_OPENERS = frozenset("do does did is are was were am have has had can could will would should shall may might".split())


def _asked_abroad(lowered: str) -> tuple[str, str | None] | None:
    """The kind of answer a question in another language asks for, by its question word (first,
    or last for those asked at the end): "kelan bday ko" a time, "anong game ko" a thing (a game)."""
    words = re.findall(r"[\w'’]+", lowered)
    first = 1 if len(words) > 1 and words[0] in _LEADING_PREPOSITIONS else 0  # "em que bairro", "desde quando"
    if words[first:first + 1] == ["que"]:
        words[first] = "qué"  # "que raça é o nosso cachorro", "em que bairro eu moro": asked
    for at in (first, len(words) - 1):
        if not words or (at > first and (words[at] not in ASKED_LAST or words[0] in _ENGLISH_OPENERS)):
            continue  # "Did I call Lini?" is asked in English
        for kind, forms in QUESTION_WORDS_ABROAD.items():
            if words[at] in forms:
                after = words[at + 1] if at + 1 < len(words) else None
                if kind == "thing" and after in _PLACES_ABROAD:
                    return "place", None  # "em que bairro", "en qué ciudad"
                return kind, (after if kind == "thing" and after not in NOT_CONTENT else None)
    return None


_LEADING_PREPOSITIONS = frozenset("em de desde para pra com en con por a".split())
# Not "pais" (parents in Portuguese), "estado" (been). Not a time either ("que dia"): the reader
# knows too few of those languages' days and dates to cut one out, and tells the sentence.
_PLACES_ABROAD = frozenset("bairro cidade país rua barrio ciudad calle pueblo región provincia".split())


# The date of a birthday asked for itself ("whats my bday again", "Would you remind me of my date
# of birth as I recorded it?"), not a question about a birthday ("what did Tom give me for my birthday?").
_BIRTHDAY_ASKED = re.compile(
    r"^\W*(?:(?:can|could|would|will) you (?:please )?)?(?:what(?:'s|s| is| was)|when(?:'s|s| is| was)?|wen(?: be)?|(?:remind|tell) me(?: of| again)?)"
    r"\s+(?:[\w'-]+\s+){0,2}?(?:date of birth|birth ?date|dob|birthday|bday)\b(?:\W+(?:again|as i (?:recorded|wrote|said|told you) it))?\W*$")


_PART_OF = frozenset("part parts area side bit end corner".split())


def _answer_kind(lowered: str) -> tuple[str, str | None]:
    abroad = _asked_abroad(lowered)
    if abroad and _SURNAME_ASKED.search(lowered):
        return "surname", None  # "ano apelyido ni aly", "qual o sobrenome da Ana?"
    if abroad and not re.search(r"\b(?:what|which|who|whom|whose|where|when|how)\b", lowered):
        kind, head = abroad
        return ("name" if head in _NAMED_THINGS else kind), head
    head_match = re.search(r"\b(?:what|which)(?: kind of| type of| sort of| breed of)? ([a-zà-ÿ-]+)", lowered)
    head = head_match.group(1) if head_match else None
    if head in _PART_OF and re.search(rf"\b{head} of\b", lowered):
        head = None  # "which part of szczecin do i live in": a part is no word the answer says
    if head in {"is", "are", "was", "were", "do", "does", "did", "have", "has", "am", "will", "would", "can", "should", "i", "my", "we", "the", "a",
                "hai", "hain", "tha", "thi", "hoon", "thing", "things", "stuff"}:  # "ghar ki gaadi konsi hai", "what kind of thing": which is it
        head = None
    if re.search(r"\bhow (?:many|much)\b|\bhow old\b|\bhow long\b|\bhow far\b|\bwhat (?:number|size|age|percentage)\b|\bhow tall\b", lowered) \
            or _year_of_study_asked(lowered):
        return "number", head
    if len(lowered.split()) <= 4 and re.search(r"\b(?:day|days|time|date|birthday|bday|dob|anniversary)\W*$", lowered) \
            and not re.search(r"\b(?:for|ideas?|plans?|gifts?|presents?|cake|party)\b", lowered):
        return "time", head  # "dentist day?", "sisters bday?" (not "plans for our anniversary?")
    if re.search(r"\bwhen\b|\bwhat (?:time|day|date|week|year|month|evening|night|morning|hours)\b|\bwhich (?:day|days|weekday|week|evening|month|year|night|morning)\b|\bsince when\b|\bhow long ago\b|\b(?:what|which) \w+ day\b", lowered):
        return "time", head
    if re.search(r"\bwhere\b|\b(?:which|what) (?:city|country|town|village|neighbourhood|neighborhood|area|place|street|island|region|state|county|part of)\b", lowered):
        return "place", head
    if head in _NAMED_THINGS and re.search(r"\b(?:which|what)\b", lowered):
        return "name", head
    if _SURNAME_ASKED.search(lowered):
        return "surname", head
    if (thing := _name_of_a_thing(lowered)) is not None:
        return "name", thing  # "what was the name of mums retirement village"
    called = re.search(r"\b([a-z-]+)(?:'s|s')? (?:called|named)\W*$", lowered)
    if head is None and called and called.group(1) not in RELATION_OF and called.group(1) not in _PEOPLE_WORDS | FUNCTION_WORDS:
        return "name", called.group(1)  # "whats daughters school called": the school's name, not hers
    if re.search(r"\bwho (?:do|does|did) [\w']+ (?:\w+ )?work for\b", lowered):
        return "name", "company"  # "who do i work for now": an employer, not a person
    if re.search(r"\bwho\b|\bwhom\b|\bwhose\b|\bname\b|\bcalled\b|\bnamed\b", lowered):
        return ("person" if not re.search(r"\b(?:dog|cat|pet|car|boat|book|company|restaurant|band|team|shop|plant|horse|fish|gecko|hamster|school|project|street|club|gym|podcast|show|series)(?:s|'s)?\b", lowered) else "name"), head
    if _BIRTHDAY_ASKED.search(lowered):
        return "time", head  # "Would you remind me of my date of birth as I recorded it?", "what's my bday again"
    if re.match(r"^\W*(?:do|does|did|am|is|are|was|were|have|has|can|could|will|would|should)\b", lowered) and not re.search(r"\bany\b", lowered) \
            and not re.match(r"^\W*(?:can|could|will|would) you (?:please )?(?:remind|tell|give|show)\b", lowered):
        return "yesno", head
    if re.search(r"\bany\b", lowered):
        return "list", head
    return "thing", head


def relations_asked(text: str) -> set[str]:
    """The people-relations a question asks about ("my husband" -> husband)."""
    words = re.findall(r"[\w'-]+", text.lower().replace("’", "'"))
    return {
        relation for position, word in enumerate(words)
        if (relation := kinship.relation_at(words, position)) and relation not in THINGS
        and _owned(words, position)
    }


def _owned(words: list[str], position: int) -> bool:
    """The word at ``position`` is someone's: "my sister", "Ana's", "si kuya", "mathe yangu"."""
    return words[position].endswith("'s") or position > 0 and words[position - 1] in _OWNER_BEFORE or words[position + 1:position + 2] in (["ko"], ["yangu"]) \
        or (RELATION_OF.get(words[position]) is None and kinship.relation_at(words, position) is not None
            and not _is_verb(words[position + 1] if position + 1 < len(words) else "")) \
        or (words[position] in _SAID_AS_NAMES and (position == 0 or words[position - 1] not in _BEFORE_A_KIND))  # "mums retirement village", "how old is mum"


# Relations one calls by the word as by a name ("Mum", "Dad"): the user's, unless "a mum", "the dads".
_SAID_AS_NAMES = frozenset("mum mom mam mommy mummy dad daddy nan nana gran granny grandma grandpa grandad".split())
_BEFORE_A_KIND = frozenset("a an the some any every other his her their your its".split())
# "my sister", "mi hermana", "minha mãe", "meine Oma", "si kuya" (Tagalog "kuya ko" and Swahili
# "mathe yangu" say it after).
_OWNER_BEFORE = frozenset("my our his her their your mi mis meu minha mein meine mon ma mes si".split())


def with_aliases(question: Question, memories: Sequence[Recalled]) -> Question:
    """Names that stand for the relations the question is about, as the memories say (not when
    the name is what the question asks for: "what is my wife's name?")."""
    if not question.about or question.wants in ("person", "name"):
        return question
    aliases: dict[str, set[str]] = {}
    for memory in memories:
        for relation, name in relation_names(memory.content):
            aliases.setdefault(relation, set()).add(stem(name))
    about = []
    for accepted in question.about:
        extra = {alias for relation, names in aliases.items() if stem(relation) in accepted for alias in names}
        about.append(accepted | extra)
    names = {alias for accepted, original in zip(about, question.about) for alias in accepted - original}
    return replace(question, focus=question.focus | names, about=tuple(about))


def with_speakers(question: Question, memories: Sequence[Recalled]) -> Question:
    """A speaker of the conversation the question names for short ("Mel" for Melanie) is the one
    it asks about: their own turns name them only as the speaker."""
    speakers = {stem(part) for memory in memories if memory.speaker for part in memory.speaker.split()}
    about = tuple(accepted | {speaker for speaker in speakers for name in accepted if len(name) >= 3 and speaker.startswith(name)}
                  for accepted in question.about)
    return question if about == question.about else replace(question, about=about)


_SOMEONES_RELATION = re.compile(
    r"^\W*(?P<owner>[A-ZÀ-Ý][\w-]*)(?:'s|’s) (?:\w+ )?(?P<relation>" + kinship.FORMS + r")\b", re.I
)
_DISCOURSE = r"(?:okay|ok|so|well|oh|also|anyway|honestly|update|btw|today|yesterday|tonight|finally|just|now|still|omg|lol|ugh|hey|hi|and|but|then|after|before|since|last|this|next|quick|random|big|news|fun|sadly|luckily|apparently|right)\b"
_OTHER_SUBJECT = re.compile(r"^\W*(?:(?i:(?:my|our|his|her|" + kinship.MY_ABROAD + r") (?:\w+ )?(?:" + kinship.FORMS + r")\b(?!,? and (?:i|me)\b))|"
                            r"(?i:my|our|" + kinship.MY_ABROAD + r") (?!(?i:new|old|favourite|favorite|usual|current|first|last|next|own|little|big)\b)"
                            r"[a-zà-ÿ]+ (?!" + _MONTH_OR_DAY + r")[A-ZÀ-Ý][\w'’-]+\b|"  # "Ma blonde Huguette", "my comadre Yolanda": whom they call so
                            r"(?i:(?:\w+ )?(?:" + kinship.FORMS + r")\s*[=:])|(?!(?i:" + _DISCOURSE + "|my|our|" + kinship.MY_ABROAD + r")\b)"
                            r"[A-ZÀ-Ý][\w'’-]+(?:'s)? (?!(?:is|was) (?:my|our)\b))")


# -- checking what a model said ------------------------------------------------------------------


def checked_citations(text: str, allowed: set[int]) -> tuple[str, list[int]]:
    """A model's answer with the memory ids it cites that were in its prompt; ids it made up are
    taken out of the text."""
    cited: list[int] = []

    def check(match: re.Match) -> str:
        memory_id = int(next(group for group in match.groups() if group))
        if memory_id in allowed:
            if memory_id not in cited:
                cited.append(memory_id)
            return match.group(0)
        return ""

    return _CITATION.sub(check, text).strip(), cited


def says_unknown(answer: str) -> bool:
    lowered = answer.lower()
    return any(phrase in lowered for phrase in UNKNOWN_PHRASES)
