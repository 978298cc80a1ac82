"""Facts and preferences from the user's own words, by rule.

"my sister is called Mia", "I'm vegetarian", "I moved to Berlin" become memories of their own,
phrased about the user and keyed by (subject, attribute) so that a newer value can supersede an
older one. Questions, hypotheticals and negated statements are left alone: a wrong fact is worse
than a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RELATIONS = (
    "sister|brother|mother|mom|mum|father|dad|wife|husband|partner|girlfriend|boyfriend|son|daughter|"
    "grandmother|grandma|grandfather|grandpa|aunt|uncle|cousin|niece|nephew|best friend|friend|boss|"
    "manager|colleague|roommate|flatmate|neighbour|neighbor|doctor|therapist|dentist|"
    "dog|cat|puppy|kitten|rabbit|bunny|hamster|parrot|horse|fish"
)
# Values that can only have one current value: a newer statement supersedes the older one.
SINGLE_VALUED = {"name", "lives_in", "origin", "diet", "job", "employer", "age", "birthday"}

_NAME = r"([A-Za-zÀ-ÿ][\w'-]*(?: [\w'-]+)?)"  # a second word is kept only if capitalised
_STOP = r"(?=\s+(?:last|this|next|in|on|at|since|because|with|and|but|for|from|when|after|before|now|today|yesterday|recently|anymore)\b|[.,;:!?)]|$)"
_PLACE = r"([A-Za-zÀ-ÿ][\w.'-]*(?:[ -][A-Za-zÀ-ÿ][\w.'-]*){0,3}?)" + _STOP
_THING = r"([\w'-]+(?: [\w'-]+){0,5}?)" + _STOP
_LIST = r"([\w'-]+(?:(?:,| and| or)? [\w'-]+){0,7}?)" + _STOP.replace("and|", "").replace(".,;", ".;")
_SKIP_SENTENCE = re.compile(r"^\s*(?:if|when|whether|maybe|perhaps|would|should|could|do|does|did|am|is|are|can)\b", re.I)
_NEGATED = re.compile(r"\b(?:not|never|no longer|don't|do not|didn't|isn't|wasn't|anymore)\b", re.I)


@dataclass(frozen=True)
class Fact:
    content: str
    kind: str  # fact | preference
    attribute: str
    value: str
    subject: str = "user"

    @property
    def single_valued(self) -> bool:
        return self.attribute.split(".")[-1] in SINGLE_VALUED

    def provenance(self) -> dict:
        return {"subject": self.subject, "attribute": self.attribute, "value": self.value}


def _name(raw: str) -> str:
    words = raw.split()
    if len(words) > 1 and not words[1][:1].isupper():
        words = words[:1]
    return _capitalise(" ".join(words))


def _relation_name(match: re.Match) -> Fact:
    relation, name = match.group(1).lower(), _name(match.group(2))
    relation = {"mom": "mother", "mum": "mother", "dad": "father", "neighbor": "neighbour"}.get(relation, relation)
    return Fact(f"The user's {relation} is called {name}.", "fact", f"{relation.replace(' ', '_')}.name", name)


_RULES: list[tuple[re.Pattern, callable]] = [
    (re.compile(r"\bmy name is " + _NAME, re.I), lambda m: Fact(f"The user's name is {_name(m.group(1))}.", "fact", "name", _name(m.group(1)))),
    (re.compile(r"\bcall me " + _NAME, re.I), lambda m: Fact(f"The user's name is {_name(m.group(1))}.", "fact", "name", _name(m.group(1)))),
    (re.compile(rf"\bmy ({RELATIONS})(?:'s name is| is called| is named| named| called) " + _NAME, re.I), _relation_name),
    (re.compile(r"\bi (?:now )?(?:live|am living|'m living|’m living) in " + _PLACE, re.I), lambda m: _place(m.group(1), "lives in")),
    (re.compile(r"\bi (?:just |recently |have |'ve )?(?:moved|relocated) to " + _PLACE, re.I), lambda m: _place(m.group(1), "lives in")),
    (re.compile(r"\bi(?:'m| am|’m) (?:originally )?from " + _PLACE, re.I), lambda m: _place(m.group(1), "is from")),
    (re.compile(r"\bi(?:'m| am|’m) (?:a |an )?(vegetarian|vegan|pescatarian|carnivore)\b", re.I), lambda m: Fact(f"The user is {m.group(1).lower()}.", "preference", "diet", m.group(1).lower())),
    (re.compile(r"\bi(?:'m| am|’m) allergic to " + _LIST, re.I), lambda m: Fact(f"The user is allergic to {m.group(1)}.", "fact", "allergy", m.group(1).lower())),
    (re.compile(r"\bi work as (?:a |an )?" + _THING, re.I), lambda m: Fact(f"The user works as {_article(m.group(1))}.", "fact", "job", m.group(1).lower())),
    (re.compile(r"\bi work (?:at|for) " + _PLACE, re.I), lambda m: _employer(m.group(1))),
    (re.compile(r"\bi(?:'m| am|’m) (\d{1,3}) years old\b", re.I), lambda m: Fact(f"The user is {m.group(1)} years old.", "fact", "age", m.group(1))),
    (re.compile(r"\bmy birthday is (?:on )?([\w ]{3,20}?)" + _STOP, re.I), lambda m: Fact(f"The user's birthday is {m.group(1)}.", "fact", "birthday", m.group(1))),
    (re.compile(r"\bi (really )?(love|like|enjoy|adore|prefer) " + _THING, re.I), lambda m: _liking(m.group(2), m.group(3), True)),
    (re.compile(r"\bi (really )?(hate|dislike|can't stand|cannot stand|can’t stand) " + _THING, re.I), lambda m: _liking(m.group(2), m.group(3), False)),
]


def extract(text: str) -> list[Fact]:
    """Facts stated in ``text`` (the user's words), in order, without repeats."""
    facts: list[Fact] = []
    for sentence in _sentences(text):
        if sentence.rstrip().endswith("?") or _SKIP_SENTENCE.match(sentence):
            continue
        for pattern, make in _RULES:
            for match in pattern.finditer(sentence):
                if _NEGATED.search(sentence[max(0, match.start() - 24) : match.end()]):
                    continue
                fact = make(match)
                if fact and fact not in facts:
                    facts.append(fact)
    return facts


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?\n])\s+", text[:4000]) if part.strip()]


def _capitalise(name: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in name.split())


def _place(place: str, verb: str) -> Fact | None:
    place = _capitalise(place.strip(" .'"))
    if place.lower() in {"the", "a", "my", "here", "there", "home"}:
        return None
    attribute = "lives_in" if verb == "lives in" else "origin"
    return Fact(f"The user {verb} {place}.", "fact", attribute, place)


def _employer(name: str) -> Fact:
    name = name.strip(" .'")
    return Fact(f"The user works at {name}.", "fact", "employer", name)


def _article(job: str) -> str:
    return f"{'an' if job[:1].lower() in 'aeiou' else 'a'} {job}"


def _liking(verb: str, thing: str, positive: bool) -> Fact | None:
    thing = thing.strip()
    if thing.lower() in {"it", "that", "this", "you", "them", "to"} or thing.lower().startswith(("it ", "to ", "that ")):
        return None
    verb = verb.lower().replace("’", "'")
    phrase = {"love": "loves", "like": "likes", "enjoy": "enjoys", "adore": "adores", "prefer": "prefers",
              "hate": "hates", "dislike": "dislikes"}.get(verb, "can't stand")
    return Fact(f"The user {phrase} {thing}.", "preference", "likes" if positive else "dislikes", thing.lower())
