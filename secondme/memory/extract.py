"""Facts and preferences in the user's own words, by rule.

"my sister is called Mia", "I'm vegetarian", "I moved to Berlin", "my new dentist is Dr Patel"
become facts about the user, keyed by (subject, attribute) so that a newer value can supersede an
older one (consolidate.py). Questions and hypotheticals are left alone: a wrong fact is worse than
a missing one. Negations are kept only where they state a value ("I'm not vegan anymore").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from secondme import kinship
from secondme.words import ASKED_FIRST, ASKED_IN_LOWER_CASE, ASKED_LAST, asked_in_hindi

# Attributes that hold several values at once: a newer statement adds to the older ones (any
# other attribute has one current value, and a newer statement supersedes the older one).
MULTI_VALUED = {"allergy", "likes", "dislikes"}

_END = (
    r"(?=\s+(?:now|these days|nowadays|currently|since|because|from now on|for work|anymore|any more|again|last|this|next|and then)\b"
    r"|\s+(?:and|but) (?:i|i'm|i’m|my|we|he|she|they|it)\b|\s+as (?:a|an|my)\b|\s*[,;!?)]|(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bSt)(?<!\bProf)\.(?:\s|$)|$)"
)
_VALUE = r"(.{1,60}?)" + _END
_PLACE = r"([A-Za-zÀ-ÿ][\w.'-]*(?:[ -][\w.'-]+){0,5}?)" + _END
_SKIP_SENTENCE = re.compile(r"^\s*(?:if|when|whether|maybe|perhaps|would|should|could|do|does|did|am|is|are|can|what|where|who|how)\b", re.I)
_NEGATION = re.compile(r"\b(?:not|never|no longer|don't|do not|didn't|isn't|wasn't)\b", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)


@dataclass(frozen=True)
class Fact:
    content: str
    kind: str  # fact | preference
    attribute: str
    value: str
    subject: str = "user"

    def provenance(self) -> dict:
        return {"subject": self.subject, "attribute": self.attribute, "value": self.value}


def _possessive(match: re.Match) -> Fact | None:
    """my <attribute> is <value>: the general form ("my new dentist is Dr Patel")."""
    attribute = match.group("attr").lower().strip()
    attribute = re.sub(r"^(?:new|current|old|present|latest)\s+", "", attribute)
    value = match.group("value").strip(" .'\"")
    named = re.match(r"^(?:now\s+)?(?:called|named)\s+(.+)$", value, re.I)
    if attribute.endswith("'s name") or attribute.endswith("s name"):
        attribute, named_value = attribute.rsplit(" name", 1)[0].rstrip("'s").rstrip("'"), value
        return _named(attribute, named_value)
    if named:
        return _named(attribute, named.group(1))
    value = re.sub(r"^now\s+", "", value, flags=re.I)
    if not value or attribute in {"name"}:
        return _named("", value) if attribute == "name" and value else None
    if len(attribute.split()) > 4 or attribute in {"god", "goodness", "bad", "fault", "pleasure", "turn", "guess"}:
        return None
    *owner, own_attribute = attribute.split()
    whose = [kinship.RELATION_OF[word] for word in map(kinship.strip_possessive, owner) if word in kinship.PEOPLE]
    if whose:  # "my lil sis bea bday is oct 13", "my son's school is ...": someone else's, not the user's
        return Fact(f"The user's {attribute} is {value}.", "fact", own_attribute, value, subject=whose[0])
    if attribute == "diet":
        return _diet(value)
    return Fact(f"The user's {attribute} is {value}.", "preference" if attribute.startswith(("favourite", "favorite")) else "fact", attribute.replace(" ", "_"), value)


def _named(relation: str, name: str) -> Fact | None:
    words = name.split(",")[0].strip(" .'\"").split()
    if len(words) > 1 and not words[1][:1].isupper():
        words = words[:1]  # "mia and ..." -> Mia; "Anna Maria" stays
    name = _capitalise(" ".join(words[:3]))
    if not name:
        return None
    if not relation:
        return Fact(f"The user's name is {name}.", "fact", "name", name)
    relation = {"mom": "mother", "mum": "mother", "dad": "father", "neighbor": "neighbour"}.get(relation, relation)
    return Fact(f"The user's {relation} is called {name}.", "fact", f"{relation.replace(' ', '_')}.name", name)


def _named_in_passing(sentence: str) -> list[Fact]:
    """Who is who, told inside a question or a request: "write to my landlord Mr Patel about
    the leak" says who the landlord is, though the message itself states nothing."""
    if re.search(r"\bor\b", sentence, re.I):
        return []  # "is my new doctor Dr Shah or Dr Patel?" says neither
    return [fact for relation, name in kinship.relation_names(sentence) if (fact := _named(relation, name))]


def _diet(value: str) -> Fact:
    return Fact(f"The user is {value}.", "preference", "diet", value.lower())


def _place(value: str, attribute: str) -> Fact | None:
    value = value.strip(" .'")
    if value.lower() in {"the", "a", "my", "here", "there", "home"}:
        return None
    value = value if _ARTICLE.match(value) else _capitalise(value)
    verb = "lives in" if attribute == "lives_in" else "is from"
    return Fact(f"The user {verb} {value}.", "fact", attribute, value)


def _employer(value: str) -> Fact:
    value = value.strip(" .'")
    return Fact(f"The user works at {value}.", "fact", "employer", value)


def _liking(verb: str, thing: str, positive: bool) -> Fact | None:
    thing = thing.strip()
    if thing.lower() in {"it", "that", "this", "you", "them", "to"} or thing.lower().startswith(("it ", "to ", "that ")):
        return None
    verb = verb.lower().replace("’", "'")
    phrase = {"love": "loves", "like": "likes", "enjoy": "enjoys", "adore": "adores", "prefer": "prefers",
              "hate": "hates", "dislike": "dislikes"}.get(verb, "can't stand")
    return Fact(f"The user {phrase} {thing}.", "preference", "likes" if positive else "dislikes", thing.lower())


def _article(job: str) -> str:
    return f"{'an' if job[:1].lower() in 'aeiou' else 'a'} {job}"


_I_AM = r"\bi(?:'m| am|’m)"
_RULES: list[tuple[re.Pattern, callable, bool]] = [
    # (pattern, make fact, allowed in a negated sentence)
    (re.compile(r"\bmy name is " + _VALUE, re.I), lambda m: _named("", m.group(1)), False),
    (re.compile(r"\bcall me " + _VALUE, re.I), lambda m: _named("", m.group(1)), False),
    (re.compile(r"\bi (?:now |currently |still )?(?:live|am living|'m living|’m living) (?:in|on|at) " + _PLACE, re.I), lambda m: _place(m.group(1), "lives_in"), False),
    (re.compile(r"\bi (?:just |recently |have |'ve |finally )?(?:moved|relocated) (?:back )?to " + _PLACE, re.I), lambda m: _place(m.group(1), "lives_in"), False),
    (re.compile(_I_AM + r" (?:originally )?from " + _PLACE, re.I), lambda m: _place(m.group(1), "origin"), False),
    (re.compile(_I_AM + r" (?:a |an )?(vegetarian|vegan|pescatarian|carnivore|omnivore)\b", re.I), lambda m: _diet(m.group(1)), False),
    (re.compile(_I_AM + r" not (?:a |an )?(vegetarian|vegan|pescatarian)\b", re.I), lambda m: _diet("not " + m.group(1).lower()), True),
    (re.compile(_I_AM + r" allergic to ([\w'-]+(?:(?:,| and| or)? [\w'-]+){0,7}?)(?=\s*[.;!?)]|$)", re.I), lambda m: Fact(f"The user is allergic to {m.group(1)}.", "fact", "allergy", m.group(1).lower()), False),
    (re.compile(r"\bi (?:now |currently )?work as (?:a |an )?(.{1,40}?)(?=\s+(?:at|for|in|with)\s|" + _END[3:], re.I), lambda m: Fact(f"The user works as {_article(m.group(1))}.", "fact", "job", m.group(1).lower()), False),
    (re.compile(r"\bi (?:now |currently |still )?work (?:at|for) " + _PLACE, re.I), lambda m: _employer(m.group(1)), False),
    (re.compile(r"\bi (?:started|got|took) (?:a |my )?new job (?:at|with) " + _PLACE, re.I), lambda m: _employer(m.group(1)), False),
    (re.compile(_I_AM + r" (\d{1,3}) (?:years old|yo)\b", re.I), lambda m: Fact(f"The user is {m.group(1)} years old.", "fact", "age", m.group(1)), False),
    (re.compile(r"\bmy birthday is (?:on )?(?:the )?([\w ]{3,20}?)" + _END, re.I), lambda m: Fact(f"The user's birthday is {m.group(1)}.", "fact", "birthday", m.group(1)), False),
    (re.compile(r"\bi (?:really )?(love|like|enjoy|adore|prefer) " + _VALUE, re.I), lambda m: _liking(m.group(1), m.group(2), True), False),
    (re.compile(r"\bi (?:really )?(hate|dislike|can't stand|cannot stand|can’t stand) " + _VALUE, re.I), lambda m: _liking(m.group(1), m.group(2), False), False),
    (re.compile(r"\bmy (?P<attr>(?:[\w'-]+ ){0,3}[\w'-]+?) (?:is|was) (?P<value>.{1,60}?)" + _END, re.I), _possessive, False),
]


def extract(text: str) -> list[Fact]:
    """Facts stated in ``text`` (the user's words), in order, without repeats."""
    facts: list[Fact] = []
    for sentence in _sentences(text):
        asking = sentence.rstrip().endswith("?") or _SKIP_SENTENCE.match(sentence) is not None
        if asking or speech_act(sentence) == "request":
            for fact in _named_in_passing(sentence):
                if fact not in facts:
                    facts.append(fact)
            if asking:
                continue  # a question states nothing more; "pls remember my birthday is 4 May" does
        taken: list[tuple[int, int]] = []
        for pattern, make, negation_ok in _RULES:
            for match in pattern.finditer(sentence):
                if any(start <= match.start() < end for start, end in taken):
                    continue  # a more specific rule already read this stretch
                if not negation_ok and _NEGATION.search(sentence[max(0, match.start() - 24) : match.end()]):
                    continue
                fact = make(match)
                if fact and fact not in facts and len(fact.value) <= 60:
                    facts.append(fact)
                    taken.append((match.start(), match.end()))
    return facts


# A question opens with a wh-word, or with an auxiliary and its subject ("do I", "is my"): an
# auxiliary alone may open a clipped statement ("have a gecko, pixel", "am vegan now"). Another
# language's question word opens one too, unless an English verb follows: then it is a name
# ("Nani lives in Hilo", "Kya is my best friend"); Tagalog "san" and Pidgin "wen" only as texted,
# in lower case, and "san" not before a later "is"/"was" ("San Pedro street is closed", "san
# diego zoo was fun"; "wen is my dentist appt" asks).
_ENGLISH_VERB = r"(?:is|was|are|were|has|had|and|lives|lived|works|worked|said|says|loves|goes|went|got|'s|’s)\b"
_ASKED_ABROAD = "|".join(sorted(map(re.escape, ASKED_FIRST - ASKED_IN_LOWER_CASE), key=len, reverse=True))  # "wetin", "kelan", "saan"
_FILLER = r"(?:(?:abeg|and|so|also|but|pls|please|roughly|btw|hey|ok|okay)\W+)?"  # before the question word: "abeg which...", "roughly wat do i..."
# A question word after its preposition: "in what city does my daughter live", "since which year
# i start for that hospital", "to whom"; not "from what I hear, ..." (a statement follows).
_PREPOSITION_ASKING = (r"(?:in|at|on|since|by|from|of|until|till|to|for|with|after|before|during|into)\s+"  # not "in which case", "at which point"
                       r"(?:(?:what|which)\b(?!\s+(?:i|you|we|they|he|she|it|case|point|extent|time|was|is|happened)\b)|"
                       r"(?:whose|whom|when|who|where)\b(?!\s+(?:i|you|we|they|he|she|it)\b))")
# Portuguese and Spanish ask with the word that opens statements too ("quando era criança, ...",
# "onde eu moro tem barulho", "desde que voltei"): a question when a preposition leads a question
# word ("em que bairro", "desde quando", "en qué año"; not "desde que", "para que": since, so that),
# a verb of being and an article follow it ("quando é o aniversário", "onde fica o consultório",
# "que raça é o cachorro"; not "quando é feriado não trabalho"), or "onde" opens a few words alone
# ("onde eu trabalho atualmente"; not "quando eu puder").
_ROMANCE_WORD = r"(?:qual|quais|quando|onde|quem|qué|cuál|cuáles|quién|dónde|cuándo|cuánto|quanto)"
_ROMANCE_ARTICLE = r"(?:o|a|os|as|meu|minha|meus|minhas|seu|sua|nosso|nossa|el|la|los|las|mi|mis|tu|su|um|uma)"
_ASKED_IN_ROMANCE = (rf"(?:(?:em|a|com|en|con)\s+que|(?:em|de|desde|para|pra|com|en|con|por|a)\s+{_ROMANCE_WORD})(?![\w'’-])|"
                     rf"(?:que|{_ROMANCE_WORD})\s+(?:[\w-]+\s+)?(?:é|foi|fica|ficou|são|es|está|fue|son|queda)\s+{_ROMANCE_ARTICLE}\s|"
                     r"onde\s+(?:eu|ele|ela|você)\s+[\w-]+(?:\s+[\w-]+)?\W*$")
_ASKING = re.compile(
    r"^\W*" + _FILLER + r"(?:" + _PREPOSITION_ASKING + r"|(?:what|what's|whats|which|who|who's|whos|whom|whose|"
    r"where|where's|wheres|when|when's|whens|why|how|how's|hows|whit(?!\s+(?:monday|sunday|week|weekend))|whit's|whaur|wha|wat|wats|wat's|wot|wots)\b|"
    r"(?:do|does|did|am|is|are|was|were|have|has|had|can|could|would|will|shall|should|may|might|isn't|aren't|don't|doesn't|didn't)"
    r"\s+(?:i|you|we|he|she|it|they|my|your|our|his|her|their|the|there|this|that|these|those)\b|"
    r"(?:" + _ASKED_ABROAD + r"|ilang taon)(?![\w'’-])(?!\s+" + _ENGLISH_VERB + r")|"
    r"(?-i:san)(?![\w'’-])(?!.*\b(?:is|was|are|were)\b)|(?-i:" + "|".join(ASKED_IN_LOWER_CASE - {"san"}) + r")(?![\w'’-])|"
    + _ASKED_IN_ROMANCE + r")",
    re.I,
)
# A wh-word followed by its subject, without a question mark, opens a statement: "when it rains I
# don't go out", "where I live the buses are bad", "when I moved to Leeds my rent doubled",
# "quando eu era criança", "wo ich wohne". In English only when a main clause follows ("where i
# dey do my masters" asks).
_SUBORDINATE = re.compile(
    r"^\W*" + _FILLER + r"(?:(?:when|whenever|where|wherever|how|why|what|wen)\s+(?:i|it|we|they|he|she|you)\b"
    r"(?=.*(?:,|\s(?:i|we|they|he|she|you|it|is|are|was|were|am)\b|\s(?:my|our|his|her|their|the)\s+\w+(?:\s+\w+)?\s+(?:\w+ed|got|went|gave|came|said|made|took|left|broke)\b))|"
    r"(?:cuando|donde|quando|onde|wo|wann|quand)\s+(?:yo|eu|ich|je|il|elle)\b)(?!['’])"
    r"(?!\s+(?:can|could|should|would|will|might|must|do|did|doing)\b)(?!.*\b(?:remind|tell|help) me\b)(?=(?:\W+\w+){4})",  # "how i can fix...", "where i left my keys"
    re.I)
_REQUESTING = re.compile(
    r"^\W*(?!(?:please|kindly|pls)\s+(?:note|remember|be (?:advised|informed))\b)"  # "Kindly note I have moved" tells
    r"(?:(?:please|kindly)\s+)?(?:(?:can|could|would|will) you|please|kindly|pls|suggest|recommend|write|draft|help|tell|give|make|plan|explain|"
    r"remind|show|list|find|create|translate|summari[sz]e|compose|describe|send|book (?:a|an|me|us|the)|check|let's|lets|i need you|i want you|"
    r"any (?:ideas|tips|suggestions)|ideas for|what about)\b",
    re.I,
)
_SPEAKER = re.compile(r"^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)?:\s+")  # "Caroline: ..." in an imported conversation
_HYPOTHETICAL = re.compile(r"^\W*(?:if|whether|maybe|perhaps|suppose|imagine|in case)\b", re.I)


# Said in passing inside a question: a clause about someone else led by its subject ("..., he
# turns 9 on the 4th of May?", "(she is 7 and loves dinosaurs)"; not the asker's own "I can't
# remember"), or a relative clause about someone named by relation and name ("my sister Mary who
# is vegan", "Priya, my flatmate, who is coeliac"; not "my friend who lives in Leeds", which is
# what a question asks to identify).
# Asides that state nothing of their own: "According to Gina, what ...", "..., as mentioned on 3 June".
_ASIDE = re.compile(r"^\W*(?:according to [\w'’ -]{1,30}|as (?:mentioned|said|discussed|noted)\b.*|(?:in|on) \d{4})\W*$", re.I)
_TOLD_IN_PASSING = re.compile(r"^\W*(?:he|she|they)(?:'s|’s|'re|’re)?\s+(?!know\b|think\b|mean\b|guess\b|said\b|told\b)[\w'’]+", re.I)
_PARENTHESIS_TELLS = re.compile(r"\(\s*(?:he|she|they)(?:'s|’s|'re|’re)?\s+[^()]{4,}\)", re.I)
_WHO_DOES = (r"\s+(?:who(?:'s|’s)?\s+(?:is|was|has|had|lives|lived|works|worked|loves|hates|turns|turned|just|still|"
             r"can't|cannot|doesn't|does not|isn't|plays|studies|goes|moved|started|got)|who(?:'s|’s)\s+(?:a|an|the|\w+ing))\b")  # "my boss Greta who's retiring"
_RELATIVE_ABOUT_SOMEONE = re.compile(
    r"\b(?i:my|our)\s+[\w-]+\s+[A-ZÀ-Ý][\w'’-]+(?:'s|’s)?" + _WHO_DOES + r"|\b[A-ZÀ-Ý][\w'’-]+,\s+(?i:my|our)\s+[\w -]+," + _WHO_DOES)


# What a question carries besides its asking clause, stating nothing: its topic put first ("the vet
# in Castro, what was his surname?", "And Gaston Lemire, he does what?"), the choices it offers
# ("san ako naglalaro, pc or phone"), what it is for ("remind me the name of the village, for the
# address"). A clause with a subject or a finite verb of its own states something ("I moved to
# Leeds, where's a good café?", "my sister lives in Leeds, what's a good café there?"); an
# irregular past is not seen ("my car broke down, who can fix it?" is taken for a question only).
_PART_OF_QUESTION = re.compile(
    r"^\W*(?:(?:the|my|our|his|her|their|that|this|your)\s|(?:for|to|in|on|at|with|from|about|before|after)\s+(?:the|my|our|a|an|his|her|their)\s|"
    r"[\w'’-]+(?:\s+[\w'’-]+)?\s+or\s+[\w'’-]+(?:\s+[\w'’-]+)?\W*$|(?:and\s+)?(?-i:[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,2})\W*$)", re.I)
_RELATIVE = re.compile(r"\s(?:that|who|which|where|when)\s.*$", re.I)  # "the cabane where we make the syrup"
# A question word left where its answer goes: "And Gaston, he do what?", "she works where now?"
_ASKED_IN_PLACE = re.compile(r"\b(?:what|who|whom|where|when|which|how)\W*(?:again|now|exactly|then|already)?\W*\?\W*$", re.I)
_FINITE_VERB = re.compile(
    r"\b(?:i|we|he|she|they|you|it|is|are|was|were|am|has|have|had|do|does|did|will|would|can|could|should|must|'s|’s|'re|’re|"
    r"\w+ed)\b|^\W*(?:the|my|our|his|her|their|this|that|your)\s+(?:[\w-]+\s+){0,2}?[\w-]+s\s+\w", re.I)  # "my passport expires in May"


# A request or a question typed without stops or a question mark, with a statement run on after it:
# "help me think up a new name for our bowling team we bowl tuesday nights out at the lanes" (not
# "a gift i could give her", nor "where did i put the receipt for the machine we bought at currys?").
_RUN_ON_SUBJECT = frozenset("i we he she they im i'm i’m".split())
_RUN_ON_BEFORE = frozenset("that which who if so to when where because and or but".split())
_RUN_ON_NOT_VERB = frozenset("can could should would will might must may need want wanna gotta".split())


def _runs_on(clause: str) -> bool:
    words = clause.lower().split()
    return len(words) >= 15 and any(
        word in _RUN_ON_SUBJECT and words[at - 1] not in _RUN_ON_BEFORE and words[at + 1] not in _RUN_ON_NOT_VERB
        for at, word in enumerate(words[6:-1], start=6))


def _asked_here(clauses: list[str]) -> bool:
    """The sentence opens with a question word or a request (not "what a day", "which reminds
    me"), or ends with "?"."""
    return bool(clauses) and not _EXCLAIMING.match(clauses[0]) and (
        _ASKING.match(clauses[0]) is not None or _REQUESTING.match(clauses[0]) is not None or clauses[-1].rstrip().endswith("?"))


def opens_with_request(text: str) -> bool:
    """A message that opens by asking something of the assistant ("help me write a card for my
    cousin, ...", "Kindly proofread the notice ..."; not "Kindly note that I have moved"), whatever
    it tells on the way."""
    return _REQUESTING.match(text) is not None


def opens_with_question(text: str) -> bool:
    """A message whose first clause asks with a wh-word, whatever follows: "What time is the
    messe on Sunday, Huguette she is not sure", "To who I sell the farm, I want to write it good"
    (the message states something too; the question is still asked)."""
    first, *rest = re.split(r"\s*[,;:]\s*|(?<=[.!?])\s+", text.strip(), maxsplit=2)
    if rest and _TOPIC_FIRST.match(first) and not _FINITE_VERB.search(first) and _ASKED_AFTER_TOPIC.match(rest[0]):
        return True  # its topic put first: "Réal, what was his job before, I forget the word"
    return _WH_OPENING.match(first) is not None and len(first.split()) >= 3 and not _SUBORDINATE.match(text) and not _EXCLAIMING.match(first)


_WH_OPENING = re.compile(r"^\W*" + _FILLER + r"(?:" + _PREPOSITION_ASKING + r"|what|which|(?:(?:to|for|with|from) )?(?:who|whom|whose|where|when|how (?:many|much|old|long)))\b", re.I)
_TOPIC_FIRST = re.compile(r"^\W*(?:[\w'’-]+\s+){0,3}[\w'’-]+\W*$")  # "my sister for houston, wetin be her work again"
# What asks after a topic put first: a question word with its verb and subject turned round ("what was
# his job", not "who lives in Leeds" nor "where I lived"), or one of the languages mixed in ("wetin be her work").
_ASKED_AFTER_TOPIC = re.compile(
    r"^\W*(?:(?:what|which|who|whom|whose|where|when|how)\s+(?:(?!\w+ed\b)\w+\s+)?(?:was|is|are|were|did|does|do|has|had|can|could|will|would)\s+"
    r"(?:his|her|their|my|your|our|the|he|she|they|it|i|we|you)\b|(?:" + _ASKED_ABROAD + r")(?![\w'’-])(?!\s+" + _ENGLISH_VERB + r"))", re.I)
_EXCLAIMING = re.compile(r"^\W*(?:what an?|how (?:nice|cool|great|sad|lovely|awful|funny|weird|sweet)|which reminds me)\b", re.I)


_WHAT_IN_PORTUGUESE = re.compile(r"(?<!\blá o )(?<!\blá )\bquê\b", re.I)  # "Yumi é alérgica a quê mesmo" asks; "sei lá o quê" does not
# Asked in place at the end: "halina's 90th is in which month", "the party is at what time" (not
# "family is what matters", "it depends on what happens").
_ASKED_IN_PLACE_AT_END = re.compile(r"\b(?:is|are|was|were|in|on|at)\s+(?:which\s+[\w'-]+|what\s+(?:time|day|date|month|year|hour))\W*$", re.I)


def speech_act(text: str) -> str:
    """What a message does: "statement" if any of its clauses states something (even inside a
    question or request: "can you write a card for my mum, she turns 70 on Saturday?", "what
    can I cook for my sister Mary who is vegan?"), else "question" or "request". Both are kept
    as conversation, but are not facts to answer from."""
    asked = requested = False
    for sentence in _sentences(_SPEAKER.sub("", text.strip())):
        if _RELATIVE_ABOUT_SOMEONE.search(sentence) or _PARENTHESIS_TELLS.search(sentence):
            return "statement"
        clauses = [c for c in re.split(r"\s*(?:[,:]|\s[-–—]\s)\s*", sentence.strip()) if c and not _ASIDE.match(c)]
        last = sentence.split()[-2:]
        in_hindi = asked_in_hindi(clauses[0]) if clauses else False  # "Arjun ka bday kab aata hai": asked inside the clause
        asking = sentence.rstrip().endswith("?") or (last[-1].strip(".!") in ASKED_LAST and last[0].lower() not in ("my", "our", "a", "the", "know", "knows", "sure")) \
            or _WHAT_IN_PORTUGUESE.search(sentence) is not None or _ASKED_IN_PLACE_AT_END.search(sentence) is not None or in_hindi
        for position, clause in enumerate(clauses):
            if position == 0 and not asking and _SUBORDINATE.match(clause):
                return "statement"
            if position > 0 and len(clause.split()) >= 3 and _TOLD_IN_PASSING.match(clause) and not _ASKED_IN_PLACE.search(clause):
                return "statement"
            if position == 0 and not asking and _runs_on(clause):
                return "statement"
            opening = position == 0 and (_ASKING.match(clause) or _REQUESTING.match(clause) or _HYPOTHETICAL.match(clause) or in_hindi)
            closing = asking and position == len(clauses) - 1
            if opening or closing:
                asked |= bool(asking or _ASKING.match(clause))
                requested |= bool(_REQUESTING.match(clause))
                continue
            if _asked_here(clauses) and _PART_OF_QUESTION.match(clause) and not _FINITE_VERB.search(_RELATIVE.sub("", clause)):
                continue
            if len(clause.split()) >= 3 and not (_ASKING.match(clause) or _REQUESTING.match(clause) or _HYPOTHETICAL.match(clause)):
                return "statement"
    return "question" if asked else "request" if requested else "statement"


def annotate(content: str, provenance: dict) -> dict:
    """A short note stating one fact carries that fact in its provenance, so that a later note
    with a new value supersedes it (the note itself is the memory; nothing extra is stored)."""
    if "extracted" in provenance or len(content) > 240:
        return provenance
    facts = extract(content)
    if len(facts) != 1:
        return provenance
    return {**provenance, "extracted": facts[0].provenance()}


_SENTENCE_END = re.compile(r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bSt\.)(?<!\bProf\.)(?<=[.!?\n;])\s+", re.I)


def _sentences(text: str) -> list[str]:
    """Sentences, not cut after a title ("My GP is Dr. Walsh" is one)."""
    return [part for part in _SENTENCE_END.split(text[:4000]) if part.strip()]


def _capitalise(name: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in name.split())
