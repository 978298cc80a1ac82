"""Does a new statement replace an older one? ("I sold the Skoda, now I drive a Volvo" replaces
"I drive a silver Skoda Octavia"; "my wife drives a Toyota" does not.)

People say a change in many ways: "I left A and now work at B", "I finished X; now I'm reading Y",
"we switched to oat milk", "not vegetarian anymore", "these days I run in the mornings", "Sold the
Skoda. The Volvo drives like a dream.", by simply restating the attribute with a new value, or
in the languages they mix in ("lumipat na kami sa converge, bye pldt", "nimehama kwa mathe",
"saí da clínica, agora trabalho no hospital", "tunde don comot from stagecoach").
Patterns alone miss most of them, meaning alone cannot tell an update from a look-alike (two
friends who live in two cities are as close in meaning as a move), so the judgement combines:

* meaning: the two statements must be about the same thing (cosine of their embeddings);
* who: the same subject (the user, or the same named person or relation: "my sister moved to
  Madrid" does not move the user);
* a change: a cue that the old value is gone or a new one holds ("sold", "quit", "now",
  "switched to", "not ... anymore", "new"), standing near what the two share when the message is
  long, or the new statement naming the old value, or the same frame ("my boss is Karen" / "my
  boss is Felipe");
* and what is not a change: additions ("also", "too", "another"), hypotheticals, plans and
  wishes ("might", "one day", "want to"), questions, confirmations ("I'm not moving, I still love
  Paris"), and two dated past events ("visited Tokyo in 2018" / "visited Kyoto in 2023").

Measured on data/answers/updates.json and on the persona sets' updates (bench/updates.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from secondme import kinship, times, words
from secondme.memory.extract import opens_with_request, speech_act

# Cosines chosen on data/answers/updates.json (bench/updates.py): above SAME_TOPIC two statements
# of one subject are about the same thing; with a change cue CUED_TOPIC suffices, and NAMED_TOPIC
# when the new statement also names the old value. Below SAME_TOPIC only the closest older
# statement may be replaced (consolidate.py), so that a cue does not close unrelated neighbours.
SAME_TOPIC = 0.6
CUED_TOPIC = 0.3
NAMED_TOPIC = 0.2
SLOT_TOPIC = 0.15  # with a cue, on an attribute one has only one of (a home, a job): "relocated to Mombasa"
RESTATED_TOPIC = 0.65  # no cue at all: the same attribute restated with a new value
# A cue with no shared word ("I upgraded to a Pixel 8" / "My phone is an iPhone 12"): meaning alone
# says what changed, so only a short statement of the user's own, and (consolidate.py) only when
# the two are each other's closest statement; a long chat message with a "now" changes nothing.
UNANCHORED_WORDS = 25
# The user's switch to a named thing ("switched to Hoka Cliftons", "moved our accounts to Monzo")
# names the new value alone, which MiniLM places far from the old one (0.22 from "I run in Nike
# Pegasus"): the switch says a thing was given up for it, so the closest statement suffices from here.
SWITCH_TOPIC = 0.15
CUE_REACH = 8  # in a longer message, a cue changes what is said within this many words of it
_WORD = re.compile(r"[\w]+(?:['’.&+-][\w]+)*\+?")

_MONTH_OR_DAY = r"(?:" + "|".join(name[:3] for name in (*times.MONTHS, *times.WEEKDAYS)) + r")[a-z]*\b"  # "to September", "to Fri"
# A new value holds now ("now", "these days", "switched to", "from now on", "not ... anymore").
_NOW = re.compile(
    r"\b(?:now|nowadays|these days|lately|currently|at the moment|anymore|any more|no longer|no more|instead|"
    r"switched|switching|swapped|changed|moved|relocated|from now on|upgraded|downgraded|promoted|replaced|"
    r"(?:my|our|a|the) new|got a used|bought a used|new (?:job|place|address|number|n[úu]mero|phone|mobile|email|target|goal|favourite|favorite|flatmate|roommate|role)|"
    r"went back to|back to|is over|are over|is history|started|starting|took up|taken up|joined|upped|bumped|"
    r"revised|ported|overtaken|taken over|on to|onto|down to|up to|got a new|turned|just turned|as of|since i started|"
    r"retired|graduated|become|became|at last|pushed|push(?:ing)? (?:the|our|my|it|them) (?:\w+ )?(?:back|to (?:next|\d|the \d|" + _MONTH_OR_DAY + r"))|postponed|rescheduled|bought a (?:house|flat|home|car|place)|"
    r"passed away|died|put (?:her|him) to sleep|had to put (?:her|him|them) down|transferred to|"
    r"(?:gave|handed|put) (?:in )?(?:\w+ )?(?:my|his|her) (?:notice|two weeks|resignation)|"
    # ... and in the languages users mix: Tagalog, Swahili, Portuguese, Spanish, French, German, Indonesian
    rf"{words.NOW_ABROAD}|di na|hindi na|wala na|lumipat|nagpalit|(?:ni|u|a|tu|m|wa|i|li)me(?:hamia|hama|achana|acha|badili\w*)|"
    r"já não|mudei|mudamos|mudou|troquei|trocamos|ya no|me mudé|nos mudamos|se mudó|cambié|cambiamos|"
    r"déménagé|ne \w+ plus|nicht mehr|umgezogen|gewechselt|pindah|tidak lagi|nggak lagi|gak lagi)\b",
    re.I,
)
# The old value is gone: the cue comes just before it ("sold the Skoda", "moved from Dublin",
# "not Saturday", "instead of tea") or just after it ("Bruno passed away", "Succession is over").
_GONE_BEFORE = re.compile(
    r"(?<!not )(?<!n't )(?<!never )\b(?:sold|selling|left|leaving|quit|quitting|finished|finish|done with|stopped|stop|"
    r"gave up(?: on)?|given up(?: on)?|dropped|ditched|moved (?:out of|away from|from)|switched (?:away )?from|changed from|"
    r"swapped|from|not|no longer|no more|instead of|replaced|traded(?: in)?|broke up with|split (?:up )?(?:with|from)|"
    r"retired from|got rid of|cancelled|canceled|ended|rehomed|gave away|wrapped up|beat|finalised|finalized|over|"
    r"resigned(?: from)?|handed in (?:my|his|her|their) notice (?:at|to)|packed in|walked out of|(?:got |was )?(?:laid off|fired|let go) from|"
    rf"took (?:me|him|her|us) (?:off|aff)|{words.GONE_ABROAD})"
    r"(?: (?:finally|the|my|our|a|an|her|his|their|that|this|with|old|trusty|beloved|faithful|la|le|les|el|los|las|o|os|ang|yung|ung|mi|mon|ma|meu|minha|mein|meine|ile))*$",
    re.I,
)
_GONE_AFTER = re.compile(
    r"^(?:and i broke up|and i split|and i are over|and i finalised|and i finalized|passed away|died|is over|was over|"
    r"are over|is history|is gone|anymore|any more|wasn't for me|is done|'s done|done|closed|retired|moved out|"
    r"got stolen|was stolen|stolen|got totaled|got totalled|was totaled|lease ended|ended|has retired|retired|"
    # and in Hindi, which says it after: "Kabir ne Dubai chhod diya", "Palace of Illusions khatam"
    r"(?:ko |ne )?(?:finally )?(?:chhod (?:diya|di|dia|de)|chhoda|khatam|khatm|bech (?:diya|di|dia)))\b",  # not "bye bye": "Tom ko bye bye bola airport pe"
    re.I,
)
# Attributes that people name in different words: where they live, their work, what they drive...
_SLOTS = {
    "home": re.compile(r"\b(?:live|lives|living|lived|home|based|address|moved|relocated|settled|flat|apartment|house|studio|rent|neighbourhood|neighborhood)\b", re.I),
    "work": re.compile(r"\b(?:work|works|working|job|role|employer|joined|hired|position|career|barista|engineer|analyst|designer|accountant|chef|teacher|nurse|manager|developer|researcher)\b", re.I),
    "vehicle": re.compile(r"\b(?:drive|drives|driving|car|ride|rides|bike|scooter|motorbike|cab|lease|commute|tram|bus|train|metro|tube)\b", re.I),
    "diet": re.compile(r"\b(?:vegetarian|vegan|pescatarian|meat|diet|eat|eats|eating|dairy|keto)\b", re.I),
    "partner": re.compile(r"\b(?:boyfriend|girlfriend|partner|husband|wife|married|single|engaged|divorced?|dating|seeing someone|broke up)\b", re.I),
    "study": re.compile(r"\b(?:study|studying|studies|graduated|major|degree|course|master's|masters|phd|university|school|class|"
                       r"primary|academy|nursery|kindergarten|college|(?:year|grade) \d+)\b", re.I),
    "music": re.compile(r"\b(?:spotify|apple music|music|listen|listening|podcast)\b", re.I),
}
# Shared words that say nothing about which attribute two statements are about.
_GENERIC = frozenset(
    words.stem(word) for word in
    """i'm ive really love like want need think know say said tell told day week month year time today yesterday
    tonight morning evening night weekend last next new good great nice best little big lot much many way thing
    things kid kids family people home house work job per""".split()
)
_ADDITION = re.compile(r"\b(?:also|as well|another|second(?![- ]hand)|both|in addition|besides|plus)\b|\btoo\b(?=\s*(?:[.!,;]|$))", re.I)
_STRONG_CHANGE = re.compile(
    r"\b(?:now|anymore|any more|no longer|no more|instead|replaced|finished|wrapped up|done with|sold|quit|left|moved|"
    r"switched|traded|these days|is history|over)\b",
    re.I,
)
_CALENDAR = r"(?:" + "|".join(name.capitalize() for name in (*times.WEEKDAYS, *times.MONTHS)) + r")\b"
# The user's own switch to a named thing: "Switched to Hoka Cliftons", "After the breach I moved to
# Bitwarden", "We moved our accounts to Monzo", "remortgaged with Halifax", "swapped the Fit for a
# BYD"; not "switched my shift to Monday", "moved 500 quid to my ISA", "Ana switched to ...",
# "switched off notifications", "changed the oil to 5W-30".
_NAMED = r"(?:(?i:an?|the)\s+)?(?!" + _CALENDAR + r")i?[A-Z]"  # "Monzo", "an iPhone 15"; not "Friday"
_SWITCH = re.compile(
    r"(?:^|[.!?;,]\s*|\b(?i:i|we|i've|we've|just|finally|then|so|and)\s+)"
    r"(?i:switched|moved|transferred|changed)\s+(?:(?i:my|our|the|all|all of)\s+)?(?:[a-z]+\s+)?(?i:over\s+)?(?i:to|from \S+ to)\s+" + _NAMED
    + r"|\b(?i:moved|transferred) (?i:us|me) to\s+" + _NAMED  # "The company moved us to King's Cross"
    + r"|(?:^|\b(?i:i|we)\s+)(?:(?i:remortgaged)\b[^.!?]*?\b(?i:with)|(?i:swapped|traded)\b[^.!?]*?\b(?i:for))\s+" + _NAMED)
_PAST_NARRATION = re.compile(r"^\W*(?:before|when i was|back in (?:the (?:day|days|\d0s)|19|20)|years ago|in the past|as a kid|growing up)\b", re.I)
_SLOT_VERBS = ("liv", "work", "driv", "rid", "read", "watch", "play", "stud", "speak", "teach", "run", "cycl", "eat", "drink",
               "us", "support", "listen", "attend", "tak", "wear", "cook", "learn")
_NOT_YET = re.compile(
    r"\b(?:might|may|maybe|perhaps|someday|some day|one day|would love|i'd love|i'd like|would like|want to|wanna|"
    r"thinking (?:of|about)|considering|planning|plan to|hope to|hoping|if|should i|could i|whether|dream of|"
    r"wish|tempted|eventually|next year i)\b",
    re.I,
)
_CONFIRM = re.compile(
    r"\b(?:still|not moving|not leaving|not changing|never leaving|staying|not looking|stick with|sticking with|"
    r"happy (?:at|with)|love my|keeping)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b|\b(?:last|this) (?:spring|summer|autumn|winter|year|month|april|may|june)\b", re.I)
_EVENT_VERB = re.compile(r"\b(?:visited|went|ran|travel(?:l)?ed|saw|attended|was in|flew to|met|did|had|played|watched|tried|bought|made|cooked|hiked)\b", re.I)
_DAY = re.compile(r"\b(?:today|yesterday|tonight|this (?:morning|afternoon|evening)|last (?:night|week|weekend)|on (?:mon|tues|wednes|thurs|fri|satur|sun)day)\b", re.I)
# Whose a statement is: kin, friends and pets in kinship's words ("my lil sis", "my kuya"), not the
# people who serve the user ("my doctor swapped me to fexofenadine" is the user's change).
_RELATION_WORDS = frozenset(form for form, relation in kinship.RELATION_OF.items() if relation not in kinship.SERVING) | {"in-law", "in-laws", "horse"}
_RELATIONS = "|".join(sorted(_RELATION_WORDS | {"best friend"}, key=len, reverse=True))
_RELATION_SUBJECT = re.compile(rf"^\W*(?i:(?:my|our) (?:(?:little|lil|big|older|younger|best|eldest|youngest) )?)(?P<who>(?i:{_RELATIONS})(?: [A-Z][\w'’-]+)?)\b")
_SOMEONES_RELATION = re.compile(rf"^\W*(?P<who>[A-Z][\w-]+(?:'s|’s) (?i:{_RELATIONS}))\b")
# "Mum (Iris) lives ...": a name in brackets after it is the same one.
_NAME_SUBJECT = re.compile(r"^\W*(?P<who>[A-Z][a-zà-ÿ][\w'’-]*)(?:'s|’s)?(?:\s*\([^()]{1,30}\))?\s+(?:is|was|has|had|'s|moved|lives|works|got|left|quit|"
                           r"started|drives|goes|went|just|now|took|does|plays|says|said|thinks|told|recommended|wants|asked)\b")
# Portuguese and Spanish put an article before a name and say it with their own verbs ("A Yumi
# mudou de escola", "Rafael fechou o Kaze").
_NAME_SUBJECT_ROMANCE = re.compile(r"^\W*(?:(?i:a|o|la|el)\s+)?(?P<who>[A-Z][a-zà-ÿ][\w'’-]*)\s+"
                                   r"(?:mudou|mora|trabalha|está|estava|fechou|abriu|começou|se|vive|trabaja|tiene|cambió|empezó)(?![\w'’-])")
# Hindi names its subject first, then a postposition or what it was and is ("Ravi pehle teacher tha,
# ab driver hai", "Kabir ne Dubai chhod diya", "Shruti ka husband doctor hai" is of Shruti's).
_NAME_SUBJECT_HINDI = re.compile(r"^\W*(?P<who>[A-Z][a-zà-ÿ][\w'’-]*)\s+(?:ne|ka|ki|ke|ko|pehle|ab|abhi|aajkal|bhi)\b")
# Words that open a sentence without naming anyone ("Done with Succession", "Finally beat BG3").
_OPENERS = frozenset(
    """done finally lately moved since after home new back crazy head just now today actually sold got upped switched
    ported taking chopped dropped wiped bumped revised three two one my our the a an this that it its we i honestly
    anyway also still ugh hey well so from before on in at not no we've we're we'd i've i'm i'd i'll eu yo ele ela él ella hoje ontem hoy ayer""".split()
)
# Words that say which of the user's things, not whose ("a new GP", "my usual coffee").
_QUALIFIERS = frozenset(
    """new old current usual favourite favorite morning evening every daily weekly first last next other same own little big
    main regular""".split()
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i’m|i've|i’ve|i'd|i'll|me|my|mine|we|we're|we've|our|us)\b", re.I)
FUNCTION = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being do does did have has had
    i you he she it we they me him her us them my your his its our their this that these those there here not no
    so too very just also now still really actually again am i'm i've it's we're they're he's she's got get""".split()
)


@dataclass(frozen=True)
class Judgement:
    replaces: bool
    reason: str
    stale: tuple[str, ...] = ()  # what of the old statement no longer holds (its words, or its clause)
    by_meaning: bool = False  # no shared word says what changed: only if the two are each other's closest
    names_gone: bool = False  # it names the old value as gone ("bye pldt"): it may close more than the closest
    swapped: bool = False  # it swaps the old value for another ("traded the F-150 for a Silverado"), whatever the cosine


# "Change of plan, we go to Sardinia instead" changes a plan ("we were going to Crete in July"),
# not whatever else is closest in meaning ("now I'm reading Piranesi").
_CHANGE_OF_PLAN = re.compile(r"\b(?:change of plans?|plans? (?:have |has )?changed|plans? changed)\b", re.I)
# What a plan says: when, what is planned ("Dinner with Sam on Saturday", "pick up is at 3:15").
_PLAN = re.compile(
    r"\b(?:going to|gonna|will|'ll|’ll|plan\w*|booked|book|trip|holiday|vacation|next|this (?:summer|winter|spring|autumn|weekend|year)|"
    r"tomorrow|tonight|weekend|easter|christmas|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"wedding|party|dinner|lunch|breakfast|drinks|meeting|appointment|visit\w*|flight|flying|fly|pick ?up|drop ?off|match|game|concert|"
    r"on the \d{1,2}(?:st|nd|rd|th)?|at \d{1,2}(?::\d{2})?|\d{1,2}(?::\d{2})?\s*(?:am|pm))(?!\w)", re.I)


def could_change(new: str, old: str) -> bool:
    """Whether ``new`` could be a change of ``old`` at all: a change of plan changes a plan."""
    return not (_CHANGE_OF_PLAN.search(new) and not _PLAN.search(old))


def replaces(new: str, old: str, cosine: float) -> Judgement:
    """Whether ``new`` (said later) replaces ``old`` (said earlier); ``cosine`` of their embeddings."""
    if speech_act(new) != "statement":
        return Judgement(False, "not a statement")
    if _NOT_YET.search(new) and not re.search(r"\b(?:now|anymore|no longer)\b", new, re.I):
        return Judgement(False, "a plan or a wish")
    if _CONFIRM.search(new) and not _STRONG_CHANGE.search(_CONFIRM.sub("", new)):
        return Judgement(False, "confirms")
    if _ADDITION.search(new) and not _STRONG_CHANGE.search(re.sub(r"\bnow\b", "", new, flags=re.I)):  # "now I also coach"
        return Judgement(False, "an addition")
    if _PAST_NARRATION.search(new) and not _STRONG_CHANGE.search(new):
        return Judgement(False, "about the past")
    subject_new, subject_old = subject(new), subject(old)
    if not _same_subject(subject_new, subject_old, new, old):
        return Judgement(False, f"about {subject_new or 'you'}, not {subject_old or 'you'}")
    owners = _owners(new, old)
    if owners:
        return Judgement(False, f"{owners[0]}'s, not {owners[1]}'s")
    possessions = _possessions(new, old)
    if possessions:
        return Judgement(False, f"{possessions[0]}, not {possessions[1]}")
    if _two_events(new, old):
        return Judgement(False, "two past events")
    names = _subject_words(subject_new) | _subject_words(subject_old)
    gone = _gone_values(new, old, names)
    swapped = bool(gone) and subject_new is None and subject_old is None and not _DAY.search(old) and _swapped_for(new, gone)  # not what happened one day
    if gone and (cosine >= NAMED_TOPIC or swapped):  # before "nothing new": "Bruno died" says nothing new of Bruno but that
        return Judgement(True, f"{gone[0]} is gone", _clauses_holding(old, gone) or tuple(gone), names_gone=True, swapped=swapped)
    if _same_value(new, old):
        return Judgement(False, "nothing new")
    anchors = _anchors(new, old) - names
    if _only_a_start(new, old):
        return Judgement(False, "one more, not instead")
    changed = _changed(new, anchors, _named_in(old) | set((subject_old or "").split()))
    if changed and cosine < SAME_TOPIC and _changes_what_it_never_said(new, old, changed):
        return Judgement(False, f"a change of what the old one never said of {sorted(changed)[0]}")
    if changed and cosine >= (SLOT_TOPIC if changed & _SINGLE_SLOTS else CUED_TOPIC):
        return Judgement(True, f"a change of {sorted(changed)[0]}", _clauses_about(old, changed))
    if _NOW.search(new) and cosine >= SAME_TOPIC and (anchors or len(words.sentences(old)) == 1) and not _changes_another_slot(new, old):
        return Judgement(True, "a change on the same topic")  # not of a request that told something in passing, with no word in common
    switched = _SWITCH.search(new) is not None
    if (switched or _NOW.search(new)) and cosine >= (SWITCH_TOPIC if switched else CUED_TOPIC) and subject_new is None and not _someones_thing(new, old) and len(words.WORD.findall(new)) <= UNANCHORED_WORDS \
            and could_change(new, old) and not _only_now_of_the_named(new, old):
        return Judgement(True, "a change of what it is closest to", by_meaning=True)
    if anchors and cosine >= RESTATED_TOPIC and _restates(new, old):
        return Judgement(True, f"a new value of {sorted(anchors)[0]}", _clauses_about(old, anchors))
    return Judgement(False, "different topic" if not anchors else "no sign of a change")


def _cued_part(new: str) -> str:
    """The clauses of ``new`` that hold a change cue."""
    return " ".join(part for part in clauses(new) if _NOW.search(part))


def _changes_what_it_never_said(new: str, old: str, changed: set[str]) -> bool:
    """The clause of ``new`` with the change cue gives a slot (home, work, a vehicle...) that
    ``old`` never speaks of, and none of the words both share: "tasha + elena are my college
    friends, they live in tacoma now" says where they live, which "tasha is due may 9" never
    said (a writer in lower case hides the names both share from _person_like). Asked only below
    SAME_TOPIC: "tasha + elena are in seattle" says where they live without a word of the slot."""
    cued = _cued_part(new)
    slots = _slots(_NOW.sub(" ", cued)) & _SINGLE_SLOTS  # "since we moved" says a move, not where to
    return bool(slots) and not slots & _slots(old) and not changed & (words.content_stems(cued) | _SLOTS.keys())


def _changes_another_slot(new: str, old: str) -> bool:
    """The clause of ``new`` with the change cue gives one slot (home, work, a vehicle...) and
    ``old`` speaks of others only: "Ideia de presente pra Carol? She just moved to Florianópolis"
    changes where Carol lives, not that "Minha melhor amiga Carol é arquiteta"."""
    said = _slots(_cued_part(new)) & _SINGLE_SLOTS
    spoken = (_slots(old) | ({"work"} if words.OCCUPATIONS & {word.lower() for word in words.WORD.findall(old)} else set())) & _SINGLE_SLOTS
    return bool(said) and bool(spoken) and not said & spoken


def _restates(new: str, old: str) -> bool:
    """Both say what one attribute of the user's life is ("I drive a Skoda" / "I drive a Volvo"),
    not what happened one day, what a note says of something ("Penicillin came up again today"), or
    what a request for something else mentions ("Kindly proofread the Walking Club's notice")."""
    return (all(_FIRST_PERSON.search(text) for text in (new, old)) and not _DAY.search(old) and not opens_with_request(new)
            and not _different_frames(new, old) and _same_attribute(new, old))


def _changed(new: str, anchors: set[str], old_names: set[str]) -> set[str]:
    """The anchors a change cue of ``new`` stands near, in its sentence ("... and now she is
    vomiting, and the vet is closed today" changes nothing that "closed"; "I sell finally the F-150
    rouge to the boy of the neighbour, now I drive a Silverado" changes the F-150), or all of them
    when it stands near a name the old statement gives ("Her name is Mirri" / "Mirri had kidney
    disease and we had to put her to sleep"). A short statement is near its cue all through; what
    it says still holds is not changed ("hayabusa na, jungler pa rin")."""
    if not anchors or not _NOW.search(new):
        return set()
    cues = _near_cues(new)
    anchors = anchors - still_held(new)
    if _merely_now(cues):
        anchors -= old_names  # "biscuit actually fits in the boot now" changes nothing "a greyhound called Biscuit" said
    if len(words.WORD.findall(new)) <= UNANCHORED_WORDS:
        return anchors
    changed: set[str] = set()
    for _, near in cues:
        if old_names & {word.lower() for word in near}:
            return anchors
        changed |= anchors & (words.content_stems(" ".join(near)) | _slots(" ".join(near)))
    return changed


_MERELY_NOW = frozenset({"now", "nowadays", "these days", "lately", "currently", "at the moment",
                         "ab", "abhi", "aajkal", "agora", "atualmente", "ahora", "actualmente", "ngayon", "sasa", "jetzt", "maintenant", "sekarang"})


def _merely_now(cues: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
    """Every change cue only says "now": nothing is said to be new, gone or moved."""
    return all(cue.lower() in _MERELY_NOW for cue, _ in cues)


def _only_now_of_the_named(new: str, old: str) -> bool:
    """``new`` names what ``old`` named ("a greyhound called Biscuit") with nothing but "now" for a
    change ("biscuit actually fits in the boot now"): no change of it, however close in meaning."""
    return bool(_named_in(old) & {word.lower() for word in words.WORD.findall(new)}) and _merely_now(_near_cues(new))


@lru_cache(maxsize=256)  # asked by _changed and again by the meaning path, of one new statement against each older one
def _near_cues(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each change cue with the words within CUE_REACH of it, in its sentence; of "the new X" only
    X ("the new place", not "the new roof on the house")."""
    found = []
    for sentence in words.sentences(text):
        tokens = words.WORD.findall(sentence)
        for cue in _NOW.finditer(sentence):
            after = words.WORD.findall(sentence[cue.end():])
            before = len(words.WORD.findall(sentence[:cue.start()]))
            new_thing = cue.group(0).lower().endswith(" new")
            found.append((cue.group(0), tuple(after[:1] if new_thing else tokens[max(0, before - CUE_REACH):before] + after[:CUE_REACH])))
    return tuple(found)


def _someones_thing(new: str, old: str) -> bool:
    """``new`` opens with someone's thing ("Kuba's practice got changed"), not the user's."""
    first = words.WORD.findall(new)[:1]
    return bool(first) and first[0].endswith(("'s", "’s")) and first[0] in _person_like(new, old)


def _only_a_start(new: str, old: str) -> bool:
    """``new`` starts something ("started reading Educated") without ending anything: a second book
    or hobby, not a replacement, unless it is about a thing one has only one of (a home, a job)."""
    cues = {match.group(0).lower() for match in _NOW.finditer(new)}
    return bool(cues) and cues <= _STARTS and not _STRONG_CHANGE.search(new) and not (_slots(new) & _slots(old) & _SINGLE_SLOTS)


_STARTS = {"started", "starting", "took up", "taken up", "joined"}
_SINGLE_SLOTS = {"home", "work", "vehicle", "diet", "partner", "study"}


def _same_subject(subject_new: str | None, subject_old: str | None, new: str, old: str) -> bool:
    """Both statements speak of the same one: the same subject, or one names a person (or a
    relation) whom the other statement mentions too ("Marek moved ..." / "my brother Marek lives
    ...", "Marco and I broke up" / "my boyfriend is called Marco")."""
    if subject_new == subject_old:
        return True
    if subject_new is not None and subject_old is not None:
        return False
    named, other_text, named_text = (subject_new, old, new) if subject_new is not None else (subject_old, new, old)
    mentioned = {re.sub(r"(?:'s|’s)$", "", word.lower()) for word in words.WORD.findall(other_text)}  # "Gary's packed in the rigs"
    if any(part in mentioned for part in named.split()):
        return not _only_left(named, other_text)
    return bool((_named_in(named_text) | _named_after_relation(named_text)) & mentioned)


def _only_left(named: str, text: str) -> bool:
    """``text`` names them only as the home the user left ("moved out from my parents' place"):
    about the user's move, not about them."""
    said = [found for part in named.split() for found in re.finditer(rf"\b{re.escape(part)}\b", text, re.I)]
    return bool(said) and all(_LEFT_HOME.search(text[:found.start()]) for found in said)


_LEFT_HOME = re.compile(r"\b(?:moved (?:out )?(?:of|from)|moved away from|out of)\s+(?:(?:my|our|the)\s+)?$", re.I)


def _named_after_relation(text: str) -> set[str]:
    """The names ``text`` gives a relation of the user's: "My hija mayor Catalina" -> catalina;
    from a writer in lower case only when set apart ("my husband na tunde", "bf = paolo"), since
    "my sister lives in leeds" names no one."""
    capitalised = {match.group("name").lower() for match in _CAPITALISED_AFTER.finditer(text)}
    lowercase = {match.group("name") for match in _SET_APART_AFTER.finditer(text)} if text.islower() else set()
    return (capitalised | lowercase) - words.NOT_CONTENT


def _named_in(text: str) -> set[str]:
    """The names a statement gives ("Her name is Mirri", "a beagle called Bruno"), lowercased."""
    return {match.group(1).lower() for match in _CALLED.finditer(text)}


_CALLED = re.compile(r"\b(?:called|named|is|=|:)\s+(?:(?:dr|mr|mrs|ms)\.?\s+)?([A-ZÀ-Ý][\w'’-]+)")
_CAPITALISED_AFTER = re.compile(rf"\b(?i:my|our) (?i:{_RELATIONS})\b,?(?: [a-zà-ÿ][\w'’-]*)? (?P<name>[A-ZÀ-Ý][\w'’-]+)")
_SET_APART_AFTER = re.compile(rf"\b(?:my|our) (?:{_RELATIONS})\b\s*(?:,|\bna\b|\bis\b|=|:)\s*(?P<name>[\w'’-]+)")


def _names(text: str) -> set[str]:
    """Capitalised words past the first (people, places, brands), lowercased."""
    tokens = words.WORD.findall(text)
    return {token.lower() for token in tokens[1:] if token[:1].isupper() and token.lower() not in words.FUNCTION_WORDS}


def _anchors(new: str, old: str) -> set[str]:
    """What both statements are about: shared words that are neither names nor generic, or a
    shared slot ("Home is Vancouver now" / "I live in Toronto": where the user lives)."""
    shared = (words.content_stems(new) & words.content_stems(old)) - _GENERIC - _KIN_STEMS
    shared -= {words.stem(name) for name in _person_like(new, old) if not _heads_a_name(name, f"{new} {old}")}
    shared -= {stem for stem in shared if stem[:1].isdigit()}
    shared -= words.content_stems(" ".join(match.group(0) for match in _NOW.finditer(f"{new} {old}")))  # "died" in both
    return shared | (_slots(new) & _slots(old))


def _heads_a_name(word: str, text: str) -> bool:
    """An everyday word of another language opening a name of several words ("Colégio Sagrado
    Coração" is a school): what both speak of, not a name both give."""
    return bool(words.said_abroad(word)) and re.search(rf"\b{re.escape(word)}\s+[A-ZÀ-Ý]", text) is not None


# A relation both name is a person both speak of ("nimehama kwa mathe" / "mathe anaitwa Rose"),
# not an attribute both give a value of (a pet is: "I have a cat" / "I adopted a tabby cat").
_KIN_STEMS = frozenset(words.stem(word) for word in kinship.PEOPLE)


def _person_like(new: str, old: str) -> set[str]:
    """Capitalised words never written in lower case in either text: names (Kuba, Deloitte), not
    a common word that opens a sentence ("Football's on Mondays now")."""
    tokens = words.WORD.findall(f"{new} {old}")
    lower = {_bare(token) for token in tokens if token[:1].islower()}
    return {token for token in tokens if token[:1].isupper() and _bare(token).lower() not in lower}


def _bare(token: str) -> str:
    """Without a possessive: "Football's" is the football of "I play football"."""
    return re.sub(r"(?:'s|’s)$", "", token)


def clauses(text: str) -> list[str]:
    """The parts of a statement that can each hold a fact ("I'm 28, and I live in Indiranagar")."""
    return [part.strip() for part in _CLAUSE_BREAK.split(text) if part and len(part.split()) > 0 and part.strip()]


_CLAUSE_BREAK = re.compile(r"(?<=[.!?;])\s+|\s*,\s*|\s+(?:and|but|so)\s+(?=(?:i|i'm|i’m|we|my|our|he|she|they|his|her)\b)", re.I)


def _clauses_about(text: str, anchors: set[str]) -> tuple[str, ...]:
    """The clauses of ``text`` that hold one of ``anchors`` (a word stem or a slot), but for its
    life history ("Diagnosed with diabetes in 2018" outlives a change of medication)."""
    return tuple(part for part in clauses(text) if (words.content_stems(part) & anchors or _slots(part) & anchors) and not lasting(part))


def still_held(new: str) -> set[str]:
    """What ``new`` says still holds ("di na lancelot main ko, hayabusa na, jungler pa rin": still
    a jungler), as word stems and slots; not what one still feels ("still miss the old flat")."""
    held = [part for part in clauses(new) if _STILL.search(part)]
    return {found for part in held for found in words.content_stems(part) | _slots(part)}


_STILL = re.compile(r"\b(?:still|pa rin|parin|pa din|bado|ainda|toujours|immer noch|masih|todavía|aún)\b"
                    r"(?!\s+(?:miss|love|think|remember|feel|can't|cannot|wish))", re.I)


def _clauses_holding(text: str, values: list[str]) -> tuple[str, ...]:
    """The clauses of ``text`` that hold one of ``values`` as a word, but for its life history:
    "I'm on the Ventolin twice a day" is gone, "Diagnosed wi asthma in 2015" in the same sentence
    is not, nor is "I'm 28" in "I'm Priya, I'm 28 and I live in Indiranagar" when Indiranagar is.
    A name given to a thing stands for it: the clause before "the kids named her la Baleine" is
    the van that went with the name."""
    held = re.compile(r"\b(?:" + "|".join(re.escape(value) for value in values) + r")\b", re.I)
    found: list[str] = []
    for sentence in words.sentences(text):
        parts = clauses(sentence)
        for at, part in enumerate(parts):
            if held.search(part):
                first = at - 1 if at > 0 and _NAMES_IT.search(part) else at
                found += [one for one in parts[first:at + 1] if not lasting(one)]
    return tuple(dict.fromkeys(found))


_NAMES_IT = re.compile(r"\b(?:named|called|name is)\b", re.I)


def _slots(text: str) -> set[str]:
    return {slot for slot, pattern in _SLOTS.items() if pattern.search(text)}


def _subject_words(who: str | None) -> set[str]:
    return {words.stem(part) for part in who.split()} if who else set()


_LIFE_HISTORY = re.compile(r"\b(?:grew up|growing up|was born|born (?:in|and)|raised in|went to (?:university|college|uni)|studied (?:at|in)|graduated|diagnosed)\b", re.I)


def lasting(part: str) -> bool:
    """A part of a statement that no later change undoes: where one grew up, was born, studied,
    when an illness was diagnosed."""
    return _LIFE_HISTORY.search(part) is not None


def swapped_away(new: str) -> list[str]:
    """What ``new`` swaps for something else: "Fit" in "Troquei o Fit por um BYD Dolphin", "F-150"
    in "traded the F-150 for a Silverado"."""
    return [found.group("old") for found in _SWAP.finditer(new)]


_SWAP = re.compile(r"(?:^|[.!?;,]\s*|\b(?i:i|we|finally|so|just)\s+)(?i:swapped|traded(?: in)?|troquei|trocamos|cambié|cambiamos|échangé)\s+"
                   r"(?:(?i:the|my|our|o|a|el|la|mi|le|mon|ma|meu|minha|nosso|nossa|old|velho|velha)\s+)*"
                   r"(?P<old>[\w'’-]+(?:\s+[\w'’-]+)?)\s+(?i:for|por|pour|contre)\b")


def _swapped_for(new: str, gone: list[str]) -> bool:
    """``new`` swaps a gone value for another: it says what it is about in so many words, so no
    closeness in meaning is asked of it (MiniLM reads "Troquei o Fit por um BYD Dolphin" as far
    from "I drive a silver Honda Fit": cosine -0.03)."""
    away = {word.lower() for value in swapped_away(new) for word in value.split()}
    return any(value.lower() in away and value.lower().removesuffix("s") not in times.CALENDAR for value in gone)  # not "swapped the Monday shift"


@lru_cache(maxsize=256)  # asked of one new statement against each older one it may replace
def _stated(text: str) -> str:
    """The sentences of ``text`` that state something, not those that ask."""
    return " ".join(sentence for sentence in words.sentences(text) if speech_act(sentence) == "statement")


def _gone_values(new: str, old: str, names: set[str]) -> list[str]:
    """Words of the old statement that the new one says are gone: "sold the Skoda", "moved from
    Dublin", "not Saturday anymore", "I stop coffee", "Bruno passed away"; not a word of its life
    history ("I grew up in Enugu" stands when Mum leaves Enugu), nor of a question ("how do i stop
    biscuit pullin on the lead??" asks how, and Biscuit stays)."""
    tokens = words.WORD.findall(_stated(new))
    lowered = [token.lower().replace("’", "'") for token in tokens]
    old_stems = words.content_stems(" ".join(part for part in clauses(old) if not lasting(part))) - names - _GENERIC
    found = []
    for position, token in enumerate(lowered):
        if token in words.FUNCTION_WORDS or words.stem(token) not in old_stems:
            continue
        before = " ".join(lowered[max(0, position - 4):position])
        after = " ".join(lowered[position + 1:position + 4])
        gone_before = _GONE_BEFORE.search(before)
        if gone_before and gone_before.group(0).split()[0] == "from" and not re.match(r"^(?:[\w'-]+ )?to\b", after):
            gone_before = None  # "a box from Curitiba" is not a move; "from Boston to Chicago" is
        if gone_before or _GONE_AFTER.match(after):
            found.append(tokens[position])
    return found


def subject(text: str) -> str | None:
    """Who a statement is about: None for the user (or no one named), else the person: a relation
    ("my sister", "my son Tomás" -> tomás) or a name opening the statement ("Marek moved ...")."""
    first = re.split(r"(?<=[.!?;])\s+", text.strip())[0]
    relation = _RELATION_SUBJECT.match(first)
    if relation:
        who = relation.group("who").split()
        return who[-1].lower() if len(who) > 1 and who[-1][:1].isupper() else who[0].lower()
    someones = _SOMEONES_RELATION.match(first)
    if someones:
        return someones.group("who").lower().replace("’", "'")
    name = _NAME_SUBJECT.match(first) or _NAME_SUBJECT_ROMANCE.match(first) or _NAME_SUBJECT_HINDI.match(first)
    if name:
        who = re.sub(r"(?:'s|’s)$", "", name.group("who").lower())
        if who not in _OPENERS and not who.endswith(("ed", "ing", "ly")):
            return who
    return None


_MINE = {"my", "our", "i", "i'm", "we", "we're", "me"}


def _owners(new: str, old: str) -> tuple[str, str] | None:
    """Whose thing each statement speaks of, read off the word before the first content word they
    share ("my bday 21 jan" / "bia bday 12 jan" -> my vs bia), when one is the user's and the
    other someone else's."""
    words_new = [w.lower() for w in _WORD.findall(new)]
    words_old = [w.lower() for w in _WORD.findall(old)]
    shared = [w for w in words_new if w not in FUNCTION and w in words_old]
    if not shared:
        return None
    before_new, before_old = _owner_word(words_new, shared[0]), _owner_word(words_old, shared[0])
    for mine, theirs in ((before_new, before_old), (before_old, before_new)):
        first = theirs in (words_new[0], words_old[0]) and theirs not in FUNCTION | _QUALIFIERS
        if mine in _MINE and (theirs.endswith(("'s", "’s")) or theirs in _RELATION_WORDS or theirs == "whose" or first):
            return (before_new, before_old)
    return None


def _owner_word(tokens: list[str], thing: str) -> str:
    """The word before ``thing``, past the words that say which one ("my late wife" -> "my")."""
    at = tokens.index(thing) - 1
    while at > 0 and tokens[at] in {"late", "dear", "lovely", "beloved"}:
        at -= 1
    return tokens[at] if at >= 0 else ""


_POSSESSION = re.compile(r"^\W*([\w-]+(?:'s|’s) [\w-]+)")


def _possessions(new: str, old: str) -> tuple[str, str] | None:
    """Two things of one owner ("Kuba's practice ..." / "Kuba's bday ..."), not one thing changed."""
    found = [_POSSESSION.match(text) for text in (new, old)]
    if None in found:
        return None
    (owner_new, thing_new), (owner_old, thing_old) = (match.group(1).lower().rsplit(" ", 1) for match in found)
    return (found[0].group(1), found[1].group(1)) if owner_new == owner_old and words.stem(thing_new) != words.stem(thing_old) else None


def _different_frames(new: str, old: str) -> bool:
    """Both say what the user does, with different verbs ("I live in Brooklyn" / "I work in
    Manhattan"): two different things, not a new value of one."""
    def frame(text: str) -> str | None:
        for word in re.findall(r"\b(?:i|we)(?:'m|’m| am| are)? (\w+)", text, re.I):
            stem = re.sub(r"(?:ing|es|ed|s|e)$", "", word.lower())
            if stem.startswith(_SLOT_VERBS):
                return stem
        return None

    frames = frame(new), frame(old)
    return None not in frames and frames[0] != frames[1]


def _same_value(new: str, old: str) -> bool:
    """Nothing new is said: every word of the new statement that carries meaning is in the old one."""
    cues = words.content_stems(" ".join(m.group(0) for m in _NOW.finditer(new)))
    return not (words.content_stems(new) - words.content_stems(old) - cues - _GENERIC)


_ATTRIBUTE = re.compile(r"\b(?:my|our) ((?:[\w'-]+ ){0,2}[\w'-]+) (?:is|are|was)\b", re.I)


def _same_attribute(new: str, old: str) -> bool:
    """"My phone is ..." and "My work phone is ...": two attributes, whatever their meaning."""
    attributes = [_ATTRIBUTE.search(text) for text in (new, old)]
    return None in attributes or attributes[0].group(1).lower() == attributes[1].group(1).lower()


def _two_events(new: str, old: str) -> bool:
    """Two things that happened ("Today I went for a run with Mia", "Finally bought a kettle"): the
    later one adds to the diary, it does not correct the earlier, unless it says that something
    changed ("... and now I ...")."""
    if not all(_EVENT_VERB.search(text) for text in (new, old)):
        return False
    return all(_YEAR.search(text) or _DAY.search(text) for text in (new, old)) or not _STRONG_CHANGE.search(new)
