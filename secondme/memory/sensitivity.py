"""Sensitivity: which memories are private, and where they may go.

At intake every memory gets categories from a local classifier: patterns (English, German,
French, Spanish, Italian, Dutch, Portuguese: the languages the poisoning scan knows) and meaning
(the memory's embedding against a few prototype sentences per category; meaning alone only
counts when it is clearly close). The categories set the level: credentials are ``never_inject``
(they never go to a model), every other category is ``private``, the rest ``normal``. The user
can override the level (`secondme remember --private`, `secondme mark ID private|never|normal`).

The gate (``hold_back``) is asked wherever memories would reach a model or be read out. Some
verdicts are the rules' alone: a credential never goes to a model (and is read out only to a
request about it that is not about changing or storing one), strict mode sends no sensitive memory, a confidence is held back from
anything addressed to or about the person it concerns. Otherwise whether a prompt's request needs
a sensitive memory is learned (``needed``: a logistic model over how recall placed the memory,
what the request asks, and the rules' own verdict, whether the request shares the memory's topic
words or is close in meaning and names the category's domain; fitted by bench/train_gate.py).
The rules' verdict alone let a memory in wherever a request named its topic ("explain how the UK
graduate visa works" got the overstayed visa): on ten people, leave one person out, the rules
served 38 % of the requests that need a sensitive memory and gave one to 8 % of those that need
none; the learned gate over all of it 46 % at 4.8 %, and 54 % at 4.0 % once it knew a request
about the user's own case ("can I actually afford it", "how do I decline without explaining",
"jaa sakta hoon kya") from one for knowledge anyone could ask ("how the visa dey work", "for
someone who..."). What is read out to the user (an answer read from memory, a search) keeps the
rules' "about it", but for a request for such general knowledge; the model may add to it. A
question the kept memories cannot answer may get a name, place, time or number out of a held
one, when that answer holds none of its sensitive words (answer_keeps_it). Without the weights
file the rules decide.

Measured on data/privacy/*.json by bench/privacy.py (leakage into prompts and answers, utility).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from secondme.memory.schema import SENSITIVITY_LEVELS
from secondme.words import FUNCTION_WORDS, NOT_CONTENT, stem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from secondme.memory.recall import Hit
    from secondme.memory.types import Memory

LEVELS = SENSITIVITY_LEVELS  # least to most sensitive
CATEGORIES = (
    "health.physical", "health.mental", "health.reproductive", "finance", "credentials",
    "identity.sexuality", "identity.religion", "identity.politics", "identity.ethnicity", "identity.immigration",
    "legal", "confidence", "location.precise",
)
PROTOTYPE_COSINE = 0.6  # meaning alone puts a memory in a category above this
TOPIC_COSINE = 0.45  # a request this close to a memory, naming the memory's domain, is about it

PATTERNS: dict[str, re.Pattern] = {
    "health.physical": re.compile(
        r"\b(?:hiv|aids|cancer|tumou?r|chemo\w*|diabet\w*|insulin|epilep\w*|seizures?|asthma|hepatitis|diagnos\w*|biopsy|"
        r"surgery|operation on|(?:knee|hip|shoulder|cataract|hernia|gallbladder|heart|spinal)\s+(?:op|operation|replacement|surgery)\b|back (?:op|operation|surgery)\b|new (?:left |right )?(?:knee|hip)(?=\s+(?:in|op|operation|replacement|joint|at|from)\b|\s*[,.;!?]|\s*$)|chronic|crohn'?s|colitis|ms\b|multiple sclerosis|parkinson'?s|arthritis|heart (?:condition|attack|failure)|"
        r"blood (?:pressure|thinners?)|cholesterol|medication|meds\b|prescri\w*|tablets?|pills?|\d+\s?mg\b|dose|symptoms?|allerg\w*|"
        r"disabilit\w*|wheelchair|hearing aid|std|sti\b|herpes|kidney|liver|stroke|clinic|oncolog\w*|cardiolog\w*|neurolog\w*|"
        r"glaucoma|cataracts?|eye drops|inhaler|epi-?pen|anaphyla\w*|"
        r"krebs|diabetes|krankheit|medikament\w*|maladie|cancer|médicament\w*|enfermedad|medicamento\w*|malattia|farmac\w*|ziekte|medicijn\w*|doença|remédio|"
        r"asma|alergia|alergic[oa]|alérgic[oa]|allergie|allergisch)\b",
        re.I,
    ),
    "health.mental": re.compile(
        r"\b(?:depress\w*|anxiety|anxious|panic attacks?|ptsd|ocd|adhd|bipolar|schizo\w*|eating disorder|anorexi\w*|bulimi\w*|"
        r"self[- ]harm|suicid\w*|therap(?:y|ist)|counsell?(?:ing|or)|psychiatr\w*|psycholog\w*|antidepressants?|sertraline|"
        r"prozac|lexapro|mental health|burn[- ]?out|breakdown|rehab|addict\w*|alcoholi\w*|relapse|sober|sobriety|aa meetings?|"
        r"depression|angststörung|therapeut\w*|dépression|thérap\w*|depresión|terap\w*|ansiedad|depressione|ansia|depressie|angst|depressão|ansiedade)\b",
        re.I,
    ),
    "health.reproductive": re.compile(
        r"\b(?:pregnan\w*|miscarri\w*|abortion|ivf|fertility|infertil\w*|contracepti\w*|birth control|the pill\b|iud|"
        r"trying (?:for|to conceive)|conceive|menopaus\w*|endometriosis|pcos|period (?:is|was) late|vasectomy|sperm|egg freezing|"
        r"mother and baby home|gave (?:him|her|the baby|my baby) up|put (?:him|her) up for adoption|implanon|nexplanon|"
        r"schwanger\w*|fehlgeburt|verhütung\w*|enceinte|fausse couche|embarazad\w*|aborto|anticoncepti\w*|anticoncepcional|incinta|contraccett\w*|"
        r"zwanger\w*|grávida|gravidez)\b",
        re.I,
    ),
    "finance": re.compile(
        r"\b(?:debts?|owe\b|owes|owed|in the red|overdraft|loans?|credit cards?|bankrupt\w*|gambl\w*|betting|casino|salary|"
        r"earn\w*\s+(?:[$€£]|\d)|income|pay ?rise|savings|net worth|mortgage arrears|payday|collections? agenc\w*|tax (?:bill|debt|return)|"
        r"behind on (?:rent|payments)|\d[\d,.]*\s?(?:euros?|dollars?|pounds?|rupees?|naira)\b|"
        r"schulden|gehalt|kredit|dettes?|salaire|deudas?|sueldo|salario|debiti|stipendio|schulden|salaris|dívidas?|salário|devendo|empréstimo|emprestimo|préstamo|prestamo)\b",
        re.I,
    ),
    "credentials": re.compile(
        r"\b(?:password|passwort|mot de passe|contraseña|senha|wachtwoord|pin\b|m?pin\b|pin ?code|passcode|door code|alarm code|"
        r"gate code|safe code|combination|api key|token|secret key|private key|seed phrase|recovery (?:code|phrase)|"
        r"wi-?fi (?:password|key|code|is)|memorable word|keysafe|key ?safe (?:code|combination|number|opens)|lock ?box (?:code|combination)|pw\b|login|username|2fa|otp|iban|sort code|account number|card number|cvv|ssn|social security)\b",
        re.I,
    ),
    "identity.sexuality": re.compile(
        r"\b(?:gay|lesbian|bisexual|bi\b|queer|trans(?:gender)?|non-?binary|asexual|coming out|come out|came out|closeted|"
        r"in the closet|my (?:boyfriend|girlfriend|partner) (?:and i|is)\b.*\b(?:parents|family) (?:don'?t|do not) know|sexuality|"
        r"schwul|lesbisch|homosexu\w*|gai\b|lesbienne|homosexual|gay|omosessual\w*|homoseksu\w*)\b",
        re.I,
    ),
    "identity.religion": re.compile(
        r"\b(?:convert(?:ed|ing|s)? to (?:islam|judaism|christianity|catholicism|buddhism|hinduism|sikhism|orthodoxy|the faith)|(?:a|recent) convert\b|"
        r"conversion to \w+|muslim|islam\w*|christian\w*|catholic|protestant|jewish|judaism|hindu\w*|buddhis\w*|sikh\w*|atheist|"
        r"agnostic|mosque|church(?! halls?\b)|synagogue|temple|pray\w*|ramadan|eid|fasting|baptis\w*|bible|quran|koran|torah|faith|religio\w*|"
        r"jehovah|mormon|scientolog\w*|believ\w* in god|(?:to|at|after|before|sunday|christmas|midnight|anniversary|catholic|daily|morning|evening|latin) mass\b|gurdwara|satsang|namaz|soka gakkai|kirche|moschee|glaube|église|mosquée|iglesia|mezquita|chiesa|moschea|kerk|moskee|igreja|mesquita)\b",
        re.I,
    ),
    "identity.politics": re.compile(
        r"\b(?:vote[ds]?|voting|ballot|election|party member|union member|labour|labor party|tory|tories|conservative party|"
        r"democrat\w*|republican\w*|socialist|communist|green party|afd|maga|protest\w*|activis[tm]\w*|campaign(?:ed|ing) for|"
        r"political|politics|left-wing|right-wing|canvass\w*|plaid cymru|snp\b|member of (?:the )?(?:die linke|spd|cdu|csu|fdp|afd|ndp|sinn f[eé]in|fine gael|fianna f[aá]il|labour|reform uk|the greens)|die linke|sinn f[eé]in|fine gael|fianna f[aá]il|ndp\b|wählen|gewählt|partei|voté|parti\b|votar|votado|partido|votato|partito|gestemd|stemmen)\b",
        re.I,
    ),
    "identity.ethnicity": re.compile(
        r"\b(?:ethnic\w*|(?:my|his|her|their|our|your|of) race\b|racial|racis[mt]\w*|roma\b|romani|sinti|aboriginal|indigenous|first nations|mixed race|"
        r"(?:i'?m|i am|we'?re|we are|being|as a|is|was) black\b|black (?:people|person|man|woman|men|women|community|heritage|british|american|african|family|kids?)\b|latin[oax]\b|hispanic|heritage|ancestry|descent|my (?:grand)?(?:father|mother|parents) (?:is|are|was|were) from|"
        r"caste|dalit|traveller family|travellers?\b|osu\b|(?:mum|mom|mama|mother|dad|daddy|papa|father)(?:\'s|’s)? (?:side|people|family) (?:is|are|was|were) (?:\w+ )?\w+(?:an|ish|ese|ic|i)\b|changed (?:our|her|his|my|their) (?:sur)?name|herkunft|origine ethnique|etnia|etnico|etniciteit|etnia)\b",
        re.I,
    ),
    "identity.immigration": re.compile(
        r"\b(?:visa|undocumented|illegal(?:ly)?|overstay\w*|asylum|refugee|deport\w*|residence permit|work permit|green card|"
        r"immigration|immigrant|migrant|citizenship|daca|dreamer|naturali[sz]\w*|papers\b|status (?:is|was) (?:expired|pending)|border(?! terriers?| collies?)|"
        r"aufenthalt\w*|asyl|sans[- ]papiers|titre de séjour|indocumentad\w*|permesso di soggiorno|verblijfsvergunning|visto)\b",
        re.I,
    ),
    "legal": re.compile(
        r"\b(?:dui|dwi|drunk driving|arrest\w*|convict\w*|criminal record|charged with|(?:in|to|into|before|family|divorce|small claims|criminal|crown|high|supreme|district|county|magistrates?'?|traffic) court\b|court (?:case|date|order|hearing|appearance|summons)|custody|lawsuit|sued|suing|"
        r"lawyer|solicitor|attorney|probation|parole|caution(?:ed)?\b|fine[ds]? for|restraining order|divorce proceedings|"
        r"(?:the|a|my|his|her|court|custody|bail|asylum|immigration|disciplinary|parole) hearing\b(?! aids?\b)|tribunal|prison|jail|police (?:record|caution)|gericht|anwalt|vorstrafe|tribunal|avocat|casier|juicio|abogado|"
        r"tribunale|avvocato|rechtbank|advocaat|tribunal|advogado|(?:caught|pega|pego|apanhad[oa]|pillad[oa]) (?:with|c|com|con) (?:\d+\s?(?:g|grams?|gramas?|gramos?|kg|oz)\b|drugs?|weed|cannabis|maconha|coca\w*|a (?:knife|gun))|"
        r"possession of (?:drugs|cannabis|a (?:knife|weapon|firearm)|class [abc])|detenid[oa]|detid[oa])\b",
        re.I,
    ),
    "confidence": re.compile(
        r"\b(?:in confidence|confided|confess(?:ed)? to me|told me (?:privately|quietly)|told me not to tell|asked me not to (?:tell|say|mention)|swore (?:me|us) to|sworn to secrecy|keep (?:it|this) (?:quiet|under wraps|to (?:my|your)self)|don'?t tell anyone|nobody (?:else )?knows|"
        r"no one (?:else )?knows|keep (?:it|this) (?:a )?secret|(?:a|her|his|their) secret|between us|hasn'?t told|haven'?t told|"
        r"not told (?:anyone|her|his|their)|never told anyone|nobody (?:at|in) \w+ knows|(?:but|and) (?:his|her|their|my) \w+ (?:don'?t|doesn'?t)(?: know)?\b|doesn'?t want (?:anyone|people|\w+) to know|hasn'?t announced|"
        r"im vertrauen|niemand weiß|en confidence|personne ne (?:le )?sait|en confianza|nadie (?:lo )?sabe|in confidenza|"
        r"nessuno (?:lo )?sa|in vertrouwen|niemand weet|em segredo|ninguém sabe)\b",
        re.I,
    ),
    "location.precise": re.compile(
        r"\b(?:\d{1,5}\s+\w+(?:\s\w+)?\s+(?:street|st(?!\.?\s+\w+(?:'s|’s)\b)|road|rd|avenue|ave|lane|ln|drive|dr|court|ct|close|way|boulevard|blvd|"
        r"straße|strasse|rue|calle|via|straat|rua))\b|\b(?:rua|calle|avenida|rue)\s+(?:d[aeo]s?\s+|de\s+la\s+)?\w+(?:\s\w+)?,?\s+\d{1,5}\b|"
        r"(?<!\ba )\bflat\s*(?:no\.?\s*|:\s*)?[A-Z]?-?\d{1,4}\b(?!\s*(?:%|miles?|mins?|minutes?|hours?|km|percent|per\b))|(?-i:\b[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2}\b)|\b\w+(?:straße|strasse|street|road|avenue|lane|gasse|weg|platz)\s+\d{1,4}\b|walks? to \w+ .{0,40}\balone\b|\b(?:home address|my address|we live at|i live at|postcode|zip code|"
        r"walk(?:s)? home (?:from|at)|picks? (?:them|her|him) up at|route (?:is|every)|every (?:morning|evening) at \d|"
        r"alone (?:at home|in the house) (?:on|every)|spare key|key under)\b",
        re.I,
    ),
}
# Words that name a category's domain in a request ("a note to my GP", "my debts", "the hearing").
DOMAIN = {
    "health.physical": r"doctor|gp|clinic|hospital|medication|meds|prescription|appointment|symptoms?|diagnosis|treatment|health|health-wise|dentist|pharmacy|pharmacist|blood|test results?|hba1c|glucose|dose|refill",
    "health.mental": r"therap\w*|counsel\w*|psychiatr\w*|mental|anxiety|depress\w*|mood|rehab|sober|meeting|session",
    "health.reproductive": r"pregnan\w*|baby|fertility|ivf|cycle|period|contracepti\w*|gynae\w*|ob-?gyn|scan",
    "finance": r"debts?|loans?|credit|money|budget|salary|pay|savings|bank|finance\w*|bills?|owe|repay\w*|tax",
    "credentials": r"password|passcode|pw|wi-?fi|pin|code|c[oó]digo|senha|combo|combination|login|key|token|account|padlock|locker|keysafe",
    "identity.sexuality": r"coming out|come out|partner|boyfriend|girlfriend|pride|sexuality",
    "identity.religion": r"mosque|church|synagogue|temple|pray\w*|ramadan|eid|faith|religio\w*|fast\w*|convert\w*",
    "identity.politics": r"vote|voting|election|party|union|protest|campaign|politic\w*",
    "identity.ethnicity": r"heritage|ancestry|ethnic\w*|roots|culture|racis\w*",
    "identity.immigration": r"visa|immigration|asylum|permit|citizenship|papers|residency|embassy|lawyer",
    "legal": r"court|lawyer|solicitor|attorney|hearing|custody|case|legal|fine|licen[cs]e|police|probation|insurance",
    "confidence": r"secret|confidence",
    "location.precise": r"address|route|walk home|pick up|school run|commute|where (?:do|does|we) live",
}
# Prototype sentences for the meaning signal (English; other languages rely on the patterns).
PROTOTYPES = {
    "health.physical": ["I was diagnosed with a serious illness.", "I take medication every day for my condition.", "I have a chronic disease."],
    "health.mental": ["I have been struggling with depression and see a therapist.", "I have panic attacks and anxiety.", "I am in recovery from addiction."],
    "health.reproductive": ["We are trying to get pregnant with IVF.", "I had a miscarriage last year.", "I am pregnant but have not told anyone."],
    "finance": ["I am deep in debt on my credit cards.", "I lost a lot of money gambling.", "My salary is lower than people think."],
    "credentials": ["The wifi password is written here.", "My bank PIN is a four digit code.", "This is the door code for the building."],
    "identity.sexuality": ["I am gay and my parents do not know.", "I came out as bisexual to my friends.", "I am transgender."],
    "identity.religion": ["I converted to Islam and my family does not know.", "I pray at the mosque every Friday.", "I lost my faith and no longer believe in God."],
    "identity.politics": ["I voted for the opposition party in the election.", "I am a member of a political party.", "I go to protests for my political cause."],
    "identity.ethnicity": ["My family is of Roma descent.", "I am mixed race and people ask where I am really from.", "My heritage is something I keep private."],
    "identity.immigration": ["My visa has expired and I am worried about deportation.", "My uncle is undocumented.", "I am waiting for my asylum decision."],
    "legal": ["I was convicted of drunk driving.", "We are in a custody battle in court.", "I am being sued by my former landlord."],
    "confidence": ["My friend told me a secret and asked me not to tell anyone.", "Nobody else knows what she confided in me.", "He told me in confidence that he is leaving his wife."],
    "location.precise": ["Our home address is 12 Elm Street.", "The kids walk home alone from school at 3pm every day.", "I run the same route by the canal at 6am every morning."],
}
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-ZÀ-Ý][a-zà-ÿ][\w'’-]*)")  # Title-case words, not HIV or IVF
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being do does did have has had i you he she it
    we they me him her us them my your his its our their this that these those there here not no so too very just also now still
    really about into over after before than then can could would should will may might must what which who whom whose when where
    why how all any some each other such only own same one two told tell know knows said says asked ask want wants go going got get
    like much many more most last next every day week year time years months already never ever since because while""".split()
)
_TELLER = re.compile(r"\b([\w'’-]+?)(?:'s|’s)? (?:told me|confided|asked me not to|hasn'?t told|has not told|doesn'?t want)", re.I)


@dataclass(frozen=True)
class Held:
    """A sensitive memory kept out of a prompt or an answer, and why ("health; the request is
    not about it")."""

    memory: Memory
    reason: str

    def to_dict(self) -> dict:
        return {"id": self.memory.id, "reason": self.reason}


@dataclass(frozen=True)
class Assessment:
    level: str  # normal | private | never_inject
    categories: tuple[str, ...]
    about: tuple[str, ...] = ()  # whose confidence it is


_AT_THE_VET = re.compile(r"\b(?:vet|vets|vet's|veterinar\w*)\b", re.I)


def _only_at_the_vet(text: str) -> bool:
    """Every part of ``text`` that speaks of health speaks of the vet ("Mochi had her vaccinations
    at Pawsitive Vet Clinic"), none of the user's own ("..., then saw my GP about my diabetes")."""
    parts = re.split(r"[,;.!?]\s*|\s+(?:then|and|but)\s+", text)
    health = [part for part in parts if PATTERNS["health.physical"].search(part)]
    return bool(health) and all(_AT_THE_VET.search(part) for part in health)


_LAWYER = re.compile(r"\b(?:lawyer|solicitor|attorney)s?\b", re.I)
_LAWYER_AS_A_JOB = re.compile(
    r"(?i:\b(?:(?:is|am|are|was|were|as|became|become)|(?:he|she|who|that)['’]s)\s+(?:an?\s+)?(?!(?:my|our|his|her|their|your|the)\b)(?:[\w-]+\s+)?"
    r"(?:lawyer|solicitor|attorney)\b)(?!\s+(?:(?i:adv|barr?|dr|mr|mrs|ms|is|was|says?|said|told)\b|[A-Z]))"
    r"|(?i:,\s+(?:[\w-]+\s+)?(?:lawyer|solicitor|attorney)(?=\s+(?:in|at|from|with)\s|\s+by trade\b))")


def _a_lawyer_by_trade(text: str) -> bool:
    """The only legal word names someone's job ("sister camila, 27, lawyer in são paulo", "my
    brother is a tax solicitor"), not a lawyer of one's own ("my lawyer says", "I need a lawyer")."""
    said = [match.group().lower() for match in PATTERNS["legal"].finditer(text)]
    return bool(said) and all(_LAWYER.fullmatch(word) for word in said) and \
        len(_LAWYER_AS_A_JOB.findall(text)) == len(_LAWYER.findall(text))


_PROCEDURE = re.compile(r"\b(?:op|operation|surgery|procedure|scan|blood (?:test|work)|colonoscopy|endoscopy|an(?:a)?esthe\w*|hospital)\b", re.I)


def _fasting_for_a_procedure(text: str) -> bool:
    """The only religious word is a fast, and the text speaks of a medical procedure."""
    said = {match.group().lower() for match in PATTERNS["identity.religion"].finditer(text)}
    return bool(said) and all(word.startswith("fasting") for word in said) and _PROCEDURE.search(text) is not None


# A place of worship named as a landmark: "our casa is near the iglesia de madera", "the flat opposite St Mary's church".
_LANDMARK = re.compile(r"\b(?:near|next to|opposite|behind|beside|across from|across the (?:road|street) from|round the corner from|"
                       r"cerca de|al lado de|perto d[aoe]|ao lado d[aoe]|en face de|à côté de|près de|neben|gegenüber)"
                       r"\s+(?:(?:the|a|la|el|o|le|der|die|das)\s+|l['’])?(?:[\w'’-]+\s+){0,2}?$", re.I)
_WORSHIP_PLACES = frozenset("church mosque synagogue temple gurdwara kirche moschee église mosquée iglesia mezquita chiesa moschea kerk moskee igreja mesquita".split())


def _a_church_as_a_landmark(text: str) -> bool:
    """The only religious words name a place of worship where something else is ("near the
    iglesia de madera"), not one's own worship ("I pray at the mosque", "we go to church")."""
    said = list(PATTERNS["identity.religion"].finditer(text))
    return bool(said) and all(match.group().lower() in _WORSHIP_PLACES and _LANDMARK.search(text[:match.start()]) for match in said)


def classify(text: str, vector: np.ndarray | None = None, embedder=None) -> Assessment:
    """Categories of a new memory, from patterns and (given its vector and the embedder) meaning."""
    found = [category for category, pattern in PATTERNS.items() if pattern.search(text)]
    if vector is not None and embedder is not None:
        for category, cosine in _prototype_cosines(vector, embedder).items():
            if cosine >= PROTOTYPE_COSINE and category not in found:
                found.append(category)
    if "health.physical" in found and _only_at_the_vet(text):
        found.remove("health.physical")  # a pet's jabs are not the user's health
    if "identity.religion" in found and _fasting_for_a_procedure(text):
        found.remove("identity.religion")  # "they want me fasting fae midnight" before a knee op
    if "identity.religion" in found and _a_church_as_a_landmark(text):
        found.remove("identity.religion")  # where the house is, not what one believes
    if "legal" in found and _a_lawyer_by_trade(text):
        found.remove("legal")  # what a sister does for a living is no legal matter
    categories = tuple(category for category in CATEGORIES if category in found)
    about = tuple(confidants(text)) if "confidence" in categories else ()
    return Assessment(level_for(categories), categories, about)


def level_for(categories: tuple[str, ...]) -> str:
    if "credentials" in categories:
        return "never_inject"
    return "private" if categories else "normal"


def confidants(text: str) -> list[str]:
    """Whose secret a confidence is: the people it names ("my brother Marek", "Ines"), or, from a
    writer who never capitalises, the one who told ("stefan told me in confidence")."""
    names = [match.group(1) for match in _NAME.finditer(text.strip()) if match.group(1).lower() not in _STOP]
    names += [match.group(1) for match in _TELLER.finditer(text) if match.group(1).lower() not in _STOP]
    return list(dict.fromkeys(re.sub(r"(?:'s|’s)$", "", name) for name in names))


@cache
def _prototype_matrix(embedder) -> np.ndarray:
    sentences = [sentence for category in CATEGORIES for sentence in PROTOTYPES[category]]
    return np.asarray(embedder.embed(sentences), dtype=np.float32)


def _prototype_cosines(vector: np.ndarray, embedder) -> dict[str, float]:
    cosines = _prototype_matrix(embedder) @ np.asarray(vector, dtype=np.float32)
    result, position = {}, 0
    for category in CATEGORIES:
        count = len(PROTOTYPES[category])
        result[category] = float(cosines[position : position + count].max())
        position += count
    return result


# -- the gate --------------------------------------------------------------------------------------


def is_sensitive(memory: Memory) -> bool:
    """Private or never-inject (the level; `secondme mark ID normal` makes a memory ordinary)."""
    return memory.sensitivity != "normal"


def stricter(first: str, second: str) -> str:
    return max(first, second, key=LEVELS.index)


@dataclass(frozen=True)
class Match:
    """How recall placed a memory for a request: its cosine, its place among what recall returned
    (0: first), its rank by words (None: no word matched), its score over the best score."""

    cosine: float = 0.0
    rank: int = 0
    words_rank: int | None = None
    score_share: float = 1.0

    @staticmethod
    def placing(hits: Sequence[Hit]) -> list[Match]:
        """How recall placed each of ``hits`` (best first, as recall returns them)."""
        best = max((hit.score for hit in hits), default=0.0)
        return [Match(hit.cosine or 0.0, rank, hit.words_rank, hit.score / best if best > 0 else 0.0) for rank, hit in enumerate(hits)]


def hold_back(memory: Memory, request: str, match: Match, mode: str = "normal", to_model: bool = True) -> str | None:
    """Why ``memory`` must stay out of what answers ``request`` (None: it may go in).
    ``to_model``: into a model's prompt (credentials never); else read out to the user, whose
    question or search about a memory's topic gets it (the model decides for prompts, what it
    was fitted on: a model may carry a memory into text meant for others; and for a question
    for knowledge anyone could ask, which no memory of the user's answers)."""
    reason, final = held_by_rules(memory, request, match.cosine, mode, to_model)
    model = _need_model()
    if final or "credentials" in memory.categories or (reason is None and not to_model and not _read(request).for_anyone) or model is None:
        return reason
    if needed(memory, request, match, about=reason is None) >= model[2]:
        return None
    return reason or f"{_label(memory)}; the request does not need it"


def held_by_rules(memory: Memory, request: str, cosine: float, mode: str = "normal", to_model: bool = True) -> tuple[str | None, bool]:
    """The rules' half of the gate: why they hold ``memory`` back (None: they let it in), and
    whether that is final (not sensitive; a credential, strict mode, a confidence addressed to
    its subject) or a verdict the learned half weighs with the rest ("about it", "not about it").
    A credential is let in, not finally, where its value is asked back: only the reader, never a
    model, gets it."""
    if not is_sensitive(memory):
        return None, True
    categories = list(memory.categories) or ["private"]
    label = _label(memory)
    if to_model and never_for_model(memory):
        return f"{label}: never sent to a model", True
    if mode == "strict" and to_model:
        return f"{label}: strict memory mode", True
    if "credentials" in categories and _NOT_FOR_THE_SECRET.search(request):
        return f"{label}: the request does not ask for it", True
    if "credentials" in categories and secrets_asked(request):
        return None, False  # "master pass yaad nahi aa raha": the reader gives back only the secret asked for
    mentioned = _mentioned(memory.provenance.get("confidence_about", []), request)
    if "confidence" in categories and mentioned and _read(request).addressed and not names_topic(request, categories):
        return f"told in confidence about {', '.join(mentioned)}; the request is addressed to or about them", True
    if about_topic(memory, request, cosine, categories):
        return None, False
    return f"{label}; the request is not about it", False


def _label(memory: Memory) -> str:
    """The memory's categories as a reason names them ("health.mental, religion")."""
    return ", ".join(c.split(".")[-1] if c.startswith("identity.") else c for c in memory.categories or ["private"])


# -- secrets asked back -----------------------------------------------------------------------------
# The kinds of secret a request may ask for, each with the labels it may be stored under
# ("Restaurant safe combo is 12-36-08", "pw: mochiisagoodboy!!", "senha pastel2024!", "cold room
# padlock number 5-2-8-0").
_PASSWORD_ABROAD = ("senha", "contraseña", "contrasena", "mot de passe", "mdp", "wachtwoord")
_CODE_ABROAD = ("código", "codigo", "kode")
SECRET_LABELS = {
    "password": ("password", "passwort", "passcode", "pw", "pwd", *_PASSWORD_ABROAD), "pin": ("pin", "passcode", "passnumber", "code"),
    "code": ("code", "passcode", "pin", "combo", "combination", *_CODE_ABROAD),
    "combo": ("combo", "combination", "code"), "combination": ("combination", "combo", "code"),
    "passcode": ("passcode", "code", "pin", "password"), "login": ("login", "log-in", "username", "user name"),
    "key": ("key", "token"), "token": ("token", "key"), "memorable word": ("memorable word",),
}
_SECRET_SYNONYMS = {
    "pw": "password", "pwd": "password", "passwort": "password", "log-in": "login", "master pass": "password",
    **{word: "password" for word in _PASSWORD_ABROAD}, **{word: "code" for word in _CODE_ABROAD}, "passnumber": "pin",
    # a lock's number is its combination (read after the lock's name), never "what number should I call"
    **{f"{lock} number": "combination" for lock in ("padlock", "lock", "locker", "safe", "key safe", "keysafe", "lockbox")},
}
_SECRET_NOUN = "(?:" + "|".join(map(re.escape, sorted({*SECRET_LABELS, *_SECRET_SYNONYMS}, key=len, reverse=True))) + ")"
# What may follow the secret in a request that asks for it: the end, a sign or an emoji, or a
# word that asks again or for haste ("what's the door code 😭", "esqueci o codigo socorro").
_AFTER_THE_SECRET = (r"(?=\s*(?:$|[^\w\s'’-]|\b(?:for|again|to|of|on|so|pls|plz|please|at|in|is|was|now|help|quick|asap|rn|bhai|yaar|abeg|"
                     r"socorro|ajuda|ai|aí|ayuda|bitte|svp|jaldi)\b))")
# Its value asked for ("what's the front door code again", "give me the api key for the config",
# "I forgot the safe combo", "need wifi password", "wetin be my pin", "esqueci o codigo do
# portão", "quel est le code"): the secret is what is asked for, not a word before another ("the
# key takeaway").
_ASKS_FOR_VALUE = re.compile(
    r"\b(?:what's|whats|what is|what was|give me|send me|tell me|remind me(?: of)?|say me|remember me|need|forgot|forget|"
    r"(?:don't|dont|do not|can't|cant|cannot) remember|wetin be|wetin|what be|abeg send|"
    r"qual (?:é|e|era)|cadê|cade|me (?:passa|manda|fala|diz)|esqueci|cuál es|cual es|dame|olvidé|olvide|"
    r"quel est|quel était|c'est quoi|j'ai oublié|wie (?:ist|war|lautet)|wat (?:is|was))\s+"
    r"(?P<qualifiers>(?:[\w'’-]+\s+){0,4}?)(?P<secret>" + _SECRET_NOUN + r")(?P<of>(?:\s+(?:do|da|de|del|du)\s+(?:la\s+|el\s+|l')?[\w'’-]+)?)"
    + _AFTER_THE_SECRET, re.I)
# Or asked after it, as Hindi or Portuguese do ("token PIN kya tha", "wifi ka password kya hai",
# "master pass yaad nahi aa raha", "a senha do wifi manda ai"): what it is for is the word before
# it (or before "ka"), or said after "do" or "of".
_ASKED_AFTER = re.compile(
    r"(?<![\w'’-])(?:(?P<before>[\w'’-]+)\s+(?:(?:ka|ki|ke)\s+)?)?\b(?P<secret>" + _SECRET_NOUN + r")\b"
    r"(?P<after>(?:\s+(?:do|da|de|du|del|for|of)\s+[\w'’-]+){0,2}?)"
    r"\s+(?:kya (?:hai|tha|thi|h)|yaad nahi|bata(?:o|na|iye|de|do)?|bta(?:o|de|do)?|bhej(?:o|na|de|do)?|manda|mande|me passa|vergessen|oubli[ée])\b", re.I)
# Asking how to change, store or choose a secret, or about a code that is no secret, needs none.
_NOT_FOR_THE_SECRET = re.compile(
    r"\b(?:reset|change|changed|changing|set up|setup|create|generate|choose|pick|recover|rotate|update|store|save|make|"
    r"strong|secure|good)\s+(?:[\w'’-]+\s+){0,3}?" + _SECRET_NOUN + r"\b"
    r"|\bpassword manager\b|\b(?:zip|post|dress|source|promo|discount|country|area|postal|qr|bar|morse|colou?r)\s*code\b"
    r"|\bc[óo]digo (?:postal|de barras|fonte|promocional)\b|\bcode (?:of conduct|of practice|review|snippet)\b"
    # code a program is written in: "mujhe python code batao", "bubble sort ka code bhejo"
    r"|\b(?:python|javascript|java|sql|html|css|rust|bash|shell|script|function|program\w*|algorithm|regex|sort|app)\s+(?:(?:ka|ki|ke|de|do)\s+)?code\b", re.I)
_NOT_QUALIFYING = frozenset("""the my our your a an his her their this that new current latest usual same o os as do da de ka ki ke wala mera meri
    el la le les l' du del der die das mi mon ma""".split())


def secrets_asked(request: str) -> dict[str, set[str]]:
    """The kinds of secret the user asks back, each with the words that say which one ("what's
    the front door code again" -> {"code": {"front", "door"}}, "give me the api key" -> {"key":
    {"api"}}, "VPN login kar raha hoon, token PIN kya tha" -> {"pin": {"token"}}); none for
    advice about one ("how do I reset my password")."""
    if _NOT_FOR_THE_SECRET.search(request):
        return {}
    asked: dict[str, set[str]] = {}

    def add(secret: str, words: list[str]) -> None:
        kind = _SECRET_SYNONYMS.get(secret.lower(), secret.lower())
        asked.setdefault(kind, set()).update(word.lower() for word in words if word.lower() not in _NOT_QUALIFYING)

    for found in _ASKS_FOR_VALUE.finditer(request):
        add(found.group("secret"), found.group("qualifiers").split() + found.group("of").split())
    for found in _ASKED_AFTER.finditer(request):
        add(found.group("secret"), (found.group("before") or "").split() + found.group("after").split())
    for found in re.finditer(_SECRET_NOUN, request, re.I):
        if found.group().lower().endswith(" number") and (kind := _SECRET_SYNONYMS.get(found.group().lower())) in asked:
            asked[kind].update(found.group().lower().split()[:-1])  # "the padlock number": the padlock's
    return asked


def answer_keeps_it(memory: Memory, answer: str) -> bool:
    """Whether a short answer read out of a held-back ``memory`` to a question about something
    else in it ("when's Jean's birthday?" -> "the 9th of February", from a card for Jean "just
    back after her hip op") leaves out what makes the memory sensitive. The check is lexical:
    the answer holds none of its categories' telling words. Never for a secret, someone's
    confidence, or a memory the user marked private with no category to tell what in it is."""
    if never_for_model(memory) or "confidence" in memory.categories or not memory.categories:
        return False
    return not names_topic(answer, list(memory.categories))


def never_for_model(memory: Memory) -> bool:
    """A secret (a credential, or marked never): read out to the user who asks, never sent to a
    model, nor left in a conversation a model reads next."""
    return memory.sensitivity == "never_inject" or "credentials" in memory.categories


# A request that writes to someone (a message, a card, a reply): what goes in may reach them.
_ADDRESSED = re.compile(
    r"\b(?:write|draft|message|msg|email|e-mail|text|card|note|reply|letter|speech|toast|invite|invitation|post|tell|greeting|wish|caption|"
    r"schreib\w*|nachricht|karte|glückwunsch\w*|écri[st]\w*|carte|lettre|mot pour|escrib\w*|mensaje|tarjeta|carta|felicita\w*|"
    r"scriv\w*|messaggio|biglietto|lettera|auguri|schrijf|bericht|kaart|felicitatie|escreve\w*|mensagem|cartão|legenda|parabéns)\b", re.I)


def names_topic(request: str, categories: list[str]) -> bool:
    """The request itself names what a category is about ("my therapy session", "the hearing",
    "the wifi password"): the user brought the topic up."""
    named = _categories_named(request)
    return any(c in named for c in categories)


@lru_cache(maxsize=256)  # the gate asks it of every sensitive memory a request recalls (and of answers)
def _categories_named(text: str) -> frozenset[str]:
    return frozenset(category for category, pattern in PATTERNS.items() if pattern.search(text))


def _mentioned(people: list[str], request: str) -> list[str]:
    """Those of ``people`` the request names, in any case ("email to stefan", "Stefan's party")."""
    said = _read(request).words
    return sorted({person for person in people if person.lower() in said})


def about_topic(memory: Memory, request: str, cosine: float | None, categories: list[str]) -> bool:
    """The request is about what the memory is about: it shares a telling word of the memory
    (one its categories are known by: "therapy", "HIV", "password"), or two of its distinctive
    words (long, not everyday, not people: "hydroxychloroquine dose", "credit cards"), or it is
    close in meaning or shares a word of it ("which hospital is doing my knee", of a knee op's
    letter) and names the domain of one of the memory's categories. Everyday words ("dinner",
    "night", "work") and the people a memory names are not enough."""
    shared = topic_words(memory.content, people=False) & topic_words(request, people=False)
    telling = {word for word in shared if any(PATTERNS[c].search(word) or re.fullmatch(DOMAIN.get(c, "(?!)"), word, re.I) for c in categories if c in PATTERNS)}
    distinctive = {word for word in shared if len(word) >= 5 and word not in _EVERYDAY}
    if telling or len(distinctive) >= 2 or any(len(word) >= 9 for word in distinctive) or names_topic(request, categories):
        return True
    domains = [DOMAIN[c] for c in categories if c in DOMAIN]
    worded = {word for word in shared - _EVERYDAY if word.isalpha() and len(word) >= 3}  # "knee" (stem "kne"), not "28th"
    return ((cosine or 0.0) >= TOPIC_COSINE or bool(worded)) and any(re.search(rf"\b(?:{domain})\b", request, re.I) for domain in domains)


@lru_cache(maxsize=8192)  # a memory's words are asked for at every turn that recalls it
def topic_words(text: str, people: bool) -> frozenset[str]:
    """Content words of ``text``; ``people=False`` leaves out names and relations (a memory is
    not about a topic merely because it names Per or "my sister")."""
    names = set() if people else {match.group(1).lower() for match in _NAME.finditer(text.strip())}
    found = {word.lower().strip("'’-") for word in re.findall(r"[\w'’-]+", text) if len(word) > 2}
    found = {word for word in found if word.replace("’", "'") not in NOT_CONTENT}  # "com", "pra", "ko" shared make no topic
    return frozenset(stem(word) for word in found - _STOP - names - (set() if people else _RELATION_WORDS))


# Words of everyday life that two texts share without being about the same thing.
_EVERYDAY = frozenset(stem(word) for word in """
    night nights morning evening weekend today tomorrow week month year time shift shifts work working home house family
    dinner lunch breakfast meal food cook party birthday present gift message email note write card team office group
    school kids children friend friends people thing things start started finish plan plans help think going come coming
    trip travel holiday weekend first second last next back around about still again really little great good neighbourhood
    favourite""".split())


_RELATION_WORDS = frozenset(
    """mum mom mother dad father parents brother sister son daughter wife husband partner boyfriend girlfriend friend friends
    colleague colleagues boss manager neighbour neighbor cousin aunt uncle grandma grandpa kids children family""".split()
)


# -- the learned half of the gate ------------------------------------------------------------------
# Most requests that need a sensitive memory never name its topic ("rough evening, who was I
# supposed to call" needs the sponsor), and many that name it need none ("explain how the visa
# works"): whether they need it is learned from how recall placed it, what the request asks and
# the rules' verdict, by bench/train_gate.py on the people of bench/privacy.py's FITTED_ON sets.

NEED_WEIGHTS_FILE = Path(__file__).with_name("sensitivity_need.json")
NEED_FEATURES = (
    "cosine", "ranked_first", "ranked_second", "in_top_three", "words_matched", "words_first", "score_share", "addressed",
    "shared_words", "distinctive_words", "names_its_people", "first_person", "general_request", "names_topic",
    "health", "finance", "identity", "legal", "confidence", "location", "rules_let_in", "question", "own_case_top_three",
)
# A request for knowledge anyone could ask for ("explain...", "how does the count work", "how the
# visa dey work", "for someone who...", "wetin woman of 45 suppose know"), not about the user's own
# affairs, whatever memory holds.
_FOR_ANYONE = re.compile(
    r"\b(?:explain|explica\w*|erklär\w*|explique\w*|spiega\w*|samjha\w*|leg uit|"
    r"wie funktioniert|comment fonctionne|cómo funciona|come funziona|hoe werkt|como funciona|kaise kaam kar\w*)\b"
    r"|^\W*how (?:does|do) (?!i\b|my\b|we\b|our\b)[\w'-]+(?:\s[\w'-]+){0,5}? work\b"
    r"|\bhow (?:does |do )?(?:the|a|an) [\w'-]+(?:\s[\w'-]+){0,5}? (?:dey )?works?\b"
    r"|\b(?:how (?:person|people|one|someone|a person)|someone (?:who|with|that)|for (?:a|an) (?:woman|man|person|child|kid|friend|beginner)|"
    r"(?:a|any) (?:woman|man|person) (?:of|who|with)|wetin (?:woman|man|person|pikin))\b", re.I)
# A request for general knowledge or ideas ("what is...", "a recipe for...", "tips"), as the
# learned half of the gate weighs it.
_GENERAL = re.compile(
    r"^\W*(?:what (?:is|are)|recipe|recommend|suggest|give me (?:some )?ideas|tips|how (?:do|does|can) (?:i|you|one) (?!tell)|"
    r"rezept|tipps|ideen|recette|conseils|idées|receta|consejos|ideas|ricetta|consigli|idee|recept|dicas|ideias|receita)\b"
    r"|\b(?:recommend|suggest (?:a|an|some)|ideas? for|tips (?:for|on)|what (?:is|are) (?:a|an))\b", re.I)
# A request about the user's own case, which their circumstances decide ("can I actually afford
# it", "how do I decline without explaining", "what do I say if she asks", "posso ir", "jaa sakta
# hoon kya", "we fit carry am?").
_OWN_CASE = re.compile(
    r"\b(?:can|could|should|may|might) (?:i|we)\b|\b(?:afford|safely|safe for me|my situation|my options|"
    r"without (?:telling|explaining|saying|outing|mentioning|giving|sounding|breaking|it causing|getting into|letting)|"
    r"what (?:do|should|can|shall) i (?:say|tell|put|do|answer|bring|avoid|mention)|"
    r"how (?:do|should|can|shall) i (?:say no|decline|get out|handle|answer|respond|tell|defend|support|approach)|"
    r"any (?:safe )?way (?:i|we|for)|is (?:it|that) (?:ok|okay|safe|wise|a good idea)|good idea|"
    r"(?:anything|something) (?:i|wey|that) (?:need|should|must|ought|fit)|"
    r"posso|d[aá] pra|consigo|vou conseguir|sakt[ai] (?:hoon|hu)|karu|karun|le lu|we fit|i fit|wetin i go|puedo|kann ich|peux-je|je peux)\b", re.I)
_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i've|i'd|me|my|mine|myself|ich|mein\w*|mich|mir|moi|mio|ik|mijn|meus?|minhas?|mera|meri|mujhe)\b", re.I)
# A question, not a task ("when is my appointment", "wann ist...", "qnt eu devo"; not "can you draft...").
_QUESTION = re.compile(
    r"\?|^\W*(?:what|when|where|which|who|how|is|are|am|should|was|wann|wo|wie|welche\w*|"
    r"quand|où|quel\w*|comment|est-ce|qu[ée]|cu[áa]ndo|d[óo]nde|cu[áa]l|c[óo]mo|quando|dove|quale|wat|wanneer|waar|hoe|welke|"
    r"o que|onde|qual|quanto|qnt|posso|devo|kann|puedo|peux|kab|kya|kitna|kitne)\b", re.I)


_MINE = re.compile(r"\b(?:my|mine|i)\b", re.I)


def _for_anyone(request: str) -> bool:
    """A request for knowledge anyone could ask for (_FOR_ANYONE), not about the user's own ("explain
    my payslip", "how the court date works for my case" are the user's)."""
    found = _FOR_ANYONE.search(request)
    return found is not None and not _MINE.search(re.split(r"[.?!]", request[found.start():])[0])


@dataclass(frozen=True)
class _Request:
    """What the gate reads of a request alone: read once, then weighed with every sensitive memory
    recall brings up for it."""

    words: frozenset[str]  # lower case, without a possessive: whom it names
    addressed: bool  # it writes to someone (_ADDRESSED)
    first_person: bool
    general: bool  # general knowledge or ideas (_GENERAL), or knowledge anyone could ask for
    for_anyone: bool  # _for_anyone
    question: bool
    own_case: bool  # about the user's own case (_OWN_CASE)


@lru_cache(maxsize=256)
def _read(request: str) -> _Request:
    for_anyone = _for_anyone(request)
    return _Request(
        words=frozenset(word.lower().removesuffix("'s").removesuffix("’s") for word in re.findall(r"[\w'’-]+", request)),
        addressed=bool(_ADDRESSED.search(request)), first_person=bool(_FIRST_PERSON.search(request)),
        general=bool(_GENERAL.search(request)) or for_anyone, for_anyone=for_anyone,
        question=bool(_QUESTION.search(request)), own_case=bool(_OWN_CASE.search(request)))


def _own_case_on_its_topic(asked: _Request, match: Match, on_topic: bool) -> bool:
    """The request is about the user's own case, in recall's first three, and near the memory's
    topic (the rules call it about it, they share a word, or it is close in meaning): "can I
    freeze cooked rice?" is the user's case, but not their HIV's."""
    return match.rank <= 2 and (on_topic or match.cosine >= 0.3) and asked.own_case


def need_features(memory: Memory, request: str, match: Match, about: bool) -> np.ndarray:
    """What says whether ``request`` needs ``memory``, as numbers in NEED_FEATURES order;
    ``about``: the rules' verdict (about_topic), which the gate has already asked."""
    categories, asked = memory.categories, _read(request)
    shared = topic_words(memory.content, people=False) & topic_words(request, people=False)
    people = (topic_words(memory.content, people=True) - topic_words(memory.content, people=False)) & topic_words(request, people=True)
    return np.array([
        match.cosine, match.rank == 0, match.rank == 1, match.rank <= 2, match.words_rank is not None, match.words_rank == 1,
        match.score_share, asked.addressed, min(len(shared), 3),
        min(sum(len(word) >= 5 and word not in _EVERYDAY for word in shared), 3), bool(people),
        asked.first_person, asked.general, names_topic(request, list(categories)),
        any(c.startswith("health") for c in categories), "finance" in categories, any(c.startswith("identity") for c in categories),
        "legal" in categories, "confidence" in categories, "location.precise" in categories,
        about, asked.question, _own_case_on_its_topic(asked, match, about or bool(shared)),
    ], dtype=np.float64)


@cache
def _need_model() -> tuple[np.ndarray, float, float] | None:
    try:
        model = json.loads(NEED_WEIGHTS_FILE.read_text(encoding="utf-8"))
        return np.array([model["weights"][name] for name in NEED_FEATURES]), float(model["bias"]), float(model["threshold"])
    except (OSError, ValueError, KeyError, TypeError):  # missing, or fitted on other features: the rules decide
        return None


def needed(memory: Memory, request: str, match: Match, about: bool) -> float:
    """How likely ``request`` needs ``memory`` (0 to 1; the shipped weights must be there)."""
    weights, bias, _ = _need_model()
    logit = float(need_features(memory, request, match, about) @ weights) + bias
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, logit))))
