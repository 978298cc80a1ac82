"""Who is who to the user: the relation words people use ("mum", "gf", "sis"), the names the
memories give them ("my husband Chidi", "Arjun's wife Nisha"), and the relations that follow from
two ("my brother Arjun" and "Arjun's wife Nisha": Nisha is a sister-in-law)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from secondme.words import FUNCTION_WORDS

RELATIONS = {
    "mother": {"mother", "mom", "mum", "mama", "amma", "mommy", "mummy", "mam", "mãe", "mae", "mamá", "mamma", "maman", "nanay", "inay", "mutti",
               "madre", "mutter", "mère", "maa", "ammi", "mathe", "umma", "eomma", "omma", "iya"},
    "father": {"father", "dad", "papa", "daddy", "appa", "pai", "papá", "papà", "tatay", "itay", "vati", "tata", "padre", "vater", "père",
               "abbu"},
    "parent": {"parent", "parents", "folks", "meus pais", "eltern", "magulang", "wazazi"},  # "pais" alone may be "país" typed without its accent
    "wife": {"wife", "esposa", "moglie"}, "husband": {"husband", "hubby", "esposo", "marido", "marito"},
    "partner": {"partner", "boyfriend", "girlfriend", "bf", "gf", "fiance", "fiancé", "fiancée", "asawa"},
    "boyfriend": {"boyfriend", "bf", "novio", "pololo", "namorado", "copain"}, "girlfriend": {"girlfriend", "gf", "novia", "polola", "namorada", "copine"},
    "sister": {"sister", "sis", "hermana", "irmã", "schwester", "sœur", "soeur", "sorella", "behen", "unnie", "noona"},
    "brother": {"brother", "bro", "kuya", "hermano", "irmão", "bruder", "frère", "fratello", "bhai", "bhaiya", "oppa", "hyung"},
    "sibling": {"sibling", "brother", "sister"},
    "son": {"son", "hijo", "filho", "figlio", "sohn", "fils"}, "daughter": {"daughter", "hija", "filha", "figlia", "tochter", "beti", "fille"},
    "child": {"child", "kid", "son", "daughter", "children", "kids", "baby", "anak", "hijos"},
    "grandmother": {"grandmother", "grandma", "granny", "nan", "nana", "paati", "babcia", "lola", "abuela", "oma", "avó", "vovó", "nonna", "mamie",
                    "shosho", "shosh", "halmoni", "halmeoni", "grand-mère", "mémé"},
    "grandfather": {"grandfather", "grandpa", "grandad", "granddad", "lolo", "abuelo", "opa", "avô", "vovô", "nonno", "dziadek", "harabeoji", "grand-père", "pépé"},
    "aunt": {"aunt", "auntie", "aunty", "tita", "tía", "tia", "tante"}, "uncle": {"uncle", "tito", "tío", "tio", "onkel", "oncle", "zio"},
    "cousin": {"cousin", "pinsan", "primo", "prima", "cousine", "cugino", "cugina", "vetter"}, "niece": {"niece"}, "nephew": {"nephew"},
    "friend": {"friend", "mate", "pal", "buddy", "bestie", "bff", "padi", "chum", "amigo", "amiga", "amico", "freund", "freundin",
               "kaibigan", "rafiki"}, "neighbour": {"neighbour", "neighbor", "vizinho", "vizinha", "vecino", "vecina", "voisin", "voisine", "nachbar", "nachbarin"},
    "boss": {"boss", "manager", "supervisor", "oga"}, "manager": {"manager", "boss"}, "colleague": {"colleague", "coworker"},
    "flatmate": {"flatmate", "roommate", "housemate"}, "landlord": {"landlord", "landlady"},
    "doctor": {"doctor", "gp", "physician"}, "gp": {"gp", "doctor"}, "dentist": {"dentist"}, "vet": {"vet", "veterinarian"},
    "therapist": {"therapist", "counsellor", "counselor", "psychologist"}, "physio": {"physio", "physiotherapist"},
    "teacher": {"teacher"}, "coach": {"coach", "trainer"}, "supervisor": {"supervisor"},
    "dog": {"dog", "puppy"}, "cat": {"cat", "kitten"}, "pet": {"pet", "dog", "cat", "hamster", "rabbit", "parrot", "gecko", "tortoise", "turtle"},
    "sister-in-law": {"sister-in-law", "cuñada", "cunhada", "belle-sœur", "belle-soeur", "schwägerin"},
    "brother-in-law": {"brother-in-law", "cuñado", "cunhado", "beau-frère", "schwager"},
    "mother-in-law": {"mother-in-law", "suegra", "sogra", "belle-mère", "schwiegermutter"},
    "father-in-law": {"father-in-law", "suegro", "sogro", "beau-père", "schwiegervater"}, "daughter-in-law": {"daughter-in-law"}, "son-in-law": {"son-in-law"},
    "twins": {"twins", "twin"}, "grandchildren": {"grandchildren", "grandkids", "grandchild", "grandson", "granddaughter", "nieto", "nieta", "nietos"},
    "grandson": {"grandson", "nieto", "petit-fils"}, "granddaughter": {"granddaughter", "nieta", "petite-fille"},
}
# A form names its own relation when there is one ("brother" is a brother, not any sibling),
# else the narrowest relation that lists it ("gf" is a girlfriend before any partner).
RELATION_OF = {
    form: form if form in RELATIONS else min((r for r, fs in RELATIONS.items() if form in fs), key=lambda r: len(RELATIONS[r]))
    for forms in RELATIONS.values() for form in forms
}
THINGS = {"dog", "cat", "pet"}  # relations a question may name without the memory naming them ("Biscuit is a goldendoodle")
# Those who serve the user: "my doctor swapped me to fexofenadine" is the user's own change.
SERVING = frozenset("doctor gp dentist vet therapist physio teacher coach supervisor landlord".split())
PEOPLE = frozenset(form for form, relation in RELATION_OF.items() if relation not in THINGS | SERVING)  # kin and friends

TITLES = r"(?i:dr|mr|mrs|ms|miss|prof)\.?"  # "Dr. Iyer", "ms nowak"
FORMS = "|".join(sorted(RELATION_OF, key=len, reverse=True))  # longest first, for regexes
# A relation only after "my" ("my boy Gary" is a son; "area boys", "the lads" are no one's).
_MINE_ONLY = {"boy": "son", "lad": "son"}
_MY_FORMS = FORMS + "|" + "|".join(_MINE_ONLY)
# "minha filha Yumi", "mi hermana Sofía", "mia sorella Giulia": right before the relation ("Ma visited her sister Joan" is Ma's)
MY_ABROAD = "minha|meu|minhas|meus|nossa|nosso|mi|mis|nuestra|nuestro|mon|ma|mes|notre|mein|meine|unser|unsere|mio|mia"
_FORMER = frozenset("old former ex previous".split())  # "my old manager Dave" is not my manager
_ALIAS_PATTERNS = [
    # "my husband Chidi", "my sister Bríd", "my best friend Paweł", "(my mom, Lakshmi)", "I have an older brother, Arjun",
    # "my other close friend Kavya", "my dentist (not Sneha, she refuses to treat friends) Dr. Iyer"
    re.compile(r"\b(?:(?i:my|our|the user's|(?:i|we)(?: have| had|'ve|’ve| got)(?: got)? an?) (?P<adjective>(?:\w+ ){1,2})?|(?i:" + MY_ABROAD + r") )(?P<relation>(?i:" + _MY_FORMS + r"))(?![\w-]),?"
               r"(?: \([^()]{1,80}\))? (?P<name>(?:" + TITLES + r" )?[A-ZÀ-Ý][\w'’-]+)"),
    # "Chidi, my husband", "Lakshmi (my mom"
    re.compile(r"(?P<name>[A-ZÀ-Ý][\w'’-]+),? \(?(?i:my|our) (?P<adjective>\w+ )?(?P<relation>[\w-]+)"),
    # "my wife is called Freya", "Mum's name is Ngozi", "my dentist is Dr Shah" (not "my dentist is closed", "Sarah's mum is Irish")
    re.compile(r"(?:\b(?i:my|our|the user's) (?i:new |current )?|^\W*|[.!?;]\s+)(?P<relation>[\w-]+)(?:'s|’s)? (?i:name )?(?i:is|was) (?i:called |named )?"
               r"(?P<name>(?:" + TITLES + r" )?[A-ZÀ-Ý][\w'’-]+)"),
    # "my wife is called freya" (a writer who never uses capitals)
    re.compile(r"\b(?i:my|our|the user's) (?P<relation>[\w-]+)(?:'s|’s)? (?i:name )?(?i:is|was) (?i:called|named) (?P<name>[\w'’-]+)"),
    # "gf ola, her bday 19 jan", "bro kuba lives in oslo": a terse note opens with whom it is about
    re.compile(r"^\W*(?:(?i:my|our) )?(?P<relation>(?i:" + FORMS + r")) (?!(?:\w+ly|finally|never|always|just|still|also|now|often|soon|"
               r"already|actually|is|was|has|had)\b)(?P<name>[a-zà-ÿ][\w'’-]+)(?=,|\s+(?:is|was|lives|works|has|had|turns|just|got|moved|studies|started|left)\b)"),
    # "gf = beatriz", "dentist (dr. sousa)", "supervisor: prof. helena matos"
    re.compile(r"\b(?P<relation>[\w-]+) ?(?:=|:|\() ?(?P<name>(?:" + TITLES + r" )?[\w'’-]+)", re.I),
]
_NICKNAME = re.compile(r"\b(?:everyone|everybody|we|they|people) calls? (?:her|him|them) (?P<name>[\w'’-]+)", re.I)


def strip_possessive(word: str) -> str:
    return re.sub(r"(?:'s|’s|s'|’)$", "", word)


def relation_names(text: str) -> list[tuple[str, str]]:
    """(relation, name) pairs a text states: "my husband Chidi", "gf = beatriz", "Mum's name is Ngozi"."""
    found = []
    for pattern in _ALIAS_PATTERNS:
        for match in pattern.finditer(text):
            said = strip_possessive(match.group("relation").lower())
            relation = RELATION_OF.get(said) or (_MINE_ONLY.get(said) if pattern is _ALIAS_PATTERNS[0] else None)
            name = strip_possessive(match.group("name").split()[-1].strip(".,"))
            former = "adjective" in pattern.groupindex and not _FORMER.isdisjoint((match.group("adjective") or "").lower().split())
            if relation and not former and _usable(name):
                found.append((relation, name))
    for nickname in _NICKNAME.finditer(text):
        for relation, _name in list(found):
            found.append((relation, nickname.group("name")))
    return found


# -- names of the people of the people around the user ------------------------------------------

_NAME = r"(?:" + TITLES + r" )?[A-ZÀ-Ý][\w'’-]+"
_THEIR_PATTERNS = [
    # "Arjun's wife Nisha", "Kuba's teacher is Ms. Nowak", "Siobhan's husband, Mark"
    re.compile(r"\b(?P<owner>[A-ZÀ-Ý][\w'’-]+)(?:'s|’s) (?:\w+ )?(?P<relation>(?i:" + FORMS + r"))"
               r"(?:,? |(?: is| was)(?: called| named) | (?:is|was) (?=" + TITLES + r" ))(?P<name>" + _NAME + ")"),
    # "Ciarán and his wife Róisín"
    re.compile(r"\b(?P<owner>[A-ZÀ-Ý][\w'’-]+) and (?:his|her|their) (?P<relation>(?i:" + FORMS + r")),? (?P<name>" + _NAME + ")"),
    # "My son, Andrew, resides in Devonport with his wife, Claire", "My brother Liam lives in Toronto with his wife
    # Priya": "his" is whom the sentence opens with
    re.compile(r"(?:^|(?<=[.!?;]\s))\W*(?i:my|our) (?:\w+ )?(?i:" + _MY_FORMS + r"),? (?P<owner>[A-ZÀ-Ý][\w'’-]+),?"
               r"[^.!?;]{1,120}?\b(?:his|her|their) (?P<relation>(?i:" + FORMS + r")),? (?P<name>" + _NAME + ")"),
]
# A pet named with its kind ("I have a West Highland terrier called Toby"), not "a meeting called Standup".
# With the words of the languages users mix in ("nosso cachorro", "si bossing na pusa", "mbwa wangu").
_DOGS = frozenset("dog puppy pup terrier retriever spaniel labrador lab poodle beagle collie shepherd dachshund pug bulldog husky "
                  "doodle goldendoodle labradoodle cockapoo westie greyhound whippet corgi schnauzer shiba akita "
                  "cachorro cachorra cão perro perra perrito chien chienne hund aso mbwa".split())
_CATS = frozenset("cat kitten tabby siamese persian ragdoll bengal moggy gato gata gatito chaton katze pusa paka".split())
_OTHER_PETS = frozenset("pet hamster rabbit bunny parrot budgie gecko lizard snake tortoise turtle fish goldfish ferret guinea pig horse pony".split())
_PETS = [
    # "I have a West Highland terrier called Toby", "We have a beagle, his name is Bruno"
    # ("We got a rescue greyhound last spring, her name is Pip")
    re.compile(r"\b(?i:have|has|got|adopted|rescued) (?i:a|an) (?P<breed>(?:[\w-]+ ){0,3}?(?P<kind>[\w-]+))(?i: (?:last|this|in(?: the)?) [\w-]+)?,? "
               r"(?i:called|named|(?:his|her|its) name is|(?:he|she|it)(?:'s|’s| is) called) (?P<name>[A-ZÀ-Ý][\w'’-]+)"),
    # "Biscuit is a goldendoodle", "Bruno's a beagle"
    re.compile(r"\b(?P<name>[A-ZÀ-Ý][\w-]+)(?:,? is|'s|’s) (?i:a|an) (?P<breed>(?:[\w-]+ ){0,2}?(?P<kind>[\w-]+))"
               r"(?=\s*(?:[,.;:!?()]|$|(?:and|but|with|who|that|from|about|so|mix|cross)\b))"),  # not "Max is a lab tech"
    # "Bruce, a border terrier, 7 year old", "Skye the collie"
    re.compile(r"\b(?P<name>[A-ZÀ-Ý][\w'’-]+)(?:,? the|, (?i:a|an|my|our)) (?P<breed>(?:[\w-]+ ){0,2}?(?P<kind>[\w-]+))"
               r"(?=\s*(?:[,.;:!?()]|$|(?:and|but|with|who|that|from|about|so|mix|cross)\b))"),
    # "our goldendoodle Biscuit", "my beagle, Bruno"
    re.compile(r"\b(?i:my|our) (?P<breed>(?:[\w-]+ ){0,2}?(?P<kind>[\w-]+)),? (?P<name>[A-ZÀ-Ý][\w'’-]+)"),
]
_NOT_BREED = re.compile(r"^(?:(?:rescue|rescued|new|young|lovely|gorgeous|adopted)\s+)+")  # "a rescue greyhound" (not "Old English bulldog")
_KIND_WORDS = RELATIONS["dog"] | RELATIONS["cat"] | RELATIONS["pet"]  # "my cat Mochi", "our old dog Rex" name no breed
# "What breed is Toby?", "what kind of dog is Biscuit": a pet's breed, asked by its name.
_ASKS_BREED = re.compile(r"\b(?:what|which) (?:breed|kind|type|sort)(?: of (?:dog|cat|pet|animal|bird|rabbit|snake|lizard))? (?:is|was) "
                         r"(?:(?:my|our|the|his|her|their) )?(?P<name>[\w'’-]+)"
                         r"|\b(?:what|which) (?:breed|kind|type|sort) of (?P<species>dog|cat) (?:do|did) (?:i|we) (?:have|own|get)\b", re.I)
# The relations two steps make: a sister-in-law is a brother's wife or a spouse's sister, a nephew
# a sibling's son, a grandson a child's son.
TWO_STEPS = {
    "sister-in-law": (("brother", "wife"), ("brother", "partner"), ("husband", "sister"), ("wife", "sister"), ("partner", "sister")),
    "brother-in-law": (("sister", "husband"), ("sister", "partner"), ("husband", "brother"), ("wife", "brother"), ("partner", "brother")),
    "daughter-in-law": (("son", "wife"), ("son", "partner")),
    "son-in-law": (("daughter", "husband"), ("daughter", "partner")),
    "mother-in-law": (("husband", "mother"), ("wife", "mother"), ("partner", "mother")),
    "father-in-law": (("husband", "father"), ("wife", "father"), ("partner", "father")),
    "nephew": (("brother", "son"), ("sister", "son")), "niece": (("brother", "daughter"), ("sister", "daughter")),
    "grandson": (("son", "son"), ("daughter", "son")), "granddaughter": (("son", "daughter"), ("daughter", "daughter")),
}


@dataclass(frozen=True)
class Kin:
    owner: str  # whose relation: "" for the user, else a name ("Arjun")
    relation: str  # as RELATIONS names it
    name: str  # as the text writes it, with a title ("Dr. Iyer")


# A birth names a child: "my sister Aoife just had a baby boy called Rory", "Tom and Ana had a little girl, Mia".
_BIRTH = re.compile(r"(?:\b(?i:my|our) (?:\w+ )?(?i:" + FORMS + r"),? )?\b(?P<owner>[A-ZÀ-Ý][\w'’-]+),?(?: and [A-ZÀ-Ý][\w'’-]+)?"
                    r" (?:(?i:just|finally|have|has) )?(?i:had|welcomed|gave birth to) (?i:a|their|her|his) (?:(?i:baby|little|new|beautiful|healthy) )*"
                    r"(?P<child>(?i:boy|girl|son|daughter|baby))(?: (?i:called|named)|,) (?P<name>[A-ZÀ-Ý][\w'’-]+)")
_BORN_AS = {"boy": "son", "son": "son", "girl": "daughter", "daughter": "daughter", "baby": "child"}


def kin(text: str) -> list[Kin]:
    """Who is whose what, as ``text`` says it: the user's own ("my husband Chidi", owner "") and
    other people's ("Arjun's wife Nisha", owner "Arjun")."""
    found = [Kin("", relation, _full_name(text, name)) for relation, name in relation_names(text)]
    found += [Kin("", kind, name) for name, _breed, kind in _pets(text)]
    for pattern in _THEIR_PATTERNS:
        for match in pattern.finditer(text):
            relation = RELATION_OF.get(strip_possessive(match.group("relation").lower()))
            if relation and match.group("owner").lower() not in FUNCTION_WORDS and _usable(match.group("name")):
                found.append(Kin(match.group("owner"), relation, match.group("name")))
    found += [Kin(match.group("owner"), _BORN_AS[match.group("child").lower()], match.group("name")) for match in _BIRTH.finditer(text)
              if match.group("owner").lower() not in FUNCTION_WORDS and _usable(match.group("name"))]
    return list(dict.fromkeys(found))  # "Ciarán and his wife Róisín" is said by two patterns


def _pets(text: str) -> list[tuple[str, str, str]]:
    """(name, breed, kind) of the pets ``text`` names with their kind: ("Toby", "West Highland
    terrier", "dog"); not "a meeting called Standup"."""
    return [(match.group("name"), match.group("breed"), kind) for pattern in _PETS for match in pattern.finditer(text)
            if (kind := pet_kind(match.group("kind"))) and _usable(match.group("name"))]


def breed(question: str, texts: Sequence[str]) -> tuple[str, int] | None:
    """The breed a "what breed is Toby?" (or "... is our dog?", "what kind of dog do we have?")
    question asks for, and the index of the text that gives it ("I have a West Highland terrier
    called Toby"), without what is no breed ("a rescue greyhound"); of several, the first (the
    best recalled). A pet asked for by its kind is the user's own ("we got", "my"), not a neighbour's."""
    asked = _ASKS_BREED.search(question)
    if asked is None or (asked.group("name") or "").lower() in FUNCTION_WORDS:
        return None
    name = strip_possessive((asked.group("name") or asked.group("species")).lower())
    return next(((_NOT_BREED.sub("", bred), index) for index, text in enumerate(texts) for pet, bred, kind in _pets(text)
                 if (name == pet.lower() or (name == kind and _OWN.search(text))) and bred.split()[-1].lower() not in _KIND_WORDS), None)


_OWN = re.compile(r"\b(?:i|we|i've|we've)\b|\b(?:my|our)\s+(?:[\w-]+\s+)?(?:dog|cat|puppy|pup|kitten)\b", re.I)  # not "My neighbour has a labrador"


_FEMALE = frozenset("wife girlfriend gf sister mother mum mom mam mama daughter grandmother gran granny nan aunt niece fiancée".split())
_MALE = frozenset("husband boyfriend bf brother father dad papa son grandfather grandad grandpa uncle nephew fiancé".split())
_GENDERED = re.compile(r"\b(?i:my|our|his|her|their)\s+(?:\w+\s+)?(?P<relation>(?i:" + "|".join(sorted(_FEMALE | _MALE, key=len, reverse=True))
                       + r")),?\s+(?P<name>[A-ZÀ-Ý][\w'’-]+)")


def names_of_gender(text: str, female: bool) -> list[str]:
    """The names ``text`` gives to relations of one gender ("his wife Sarah" for "she"), in order."""
    return [found.group("name") for found in _GENDERED.finditer(text) if (found.group("relation").lower() in _FEMALE) == female]


def pet_words(kind: str) -> frozenset[str]:
    """The words that name a pet of this kind: "dog" and its breeds ("a Border Collie")."""
    return {"dog": _DOGS, "cat": _CATS, "pet": _DOGS | _CATS | _OTHER_PETS}.get(kind, frozenset())


def pet_kind(word: str) -> str | None:
    word = word.lower()
    return "dog" if word in _DOGS else "cat" if word in _CATS else "pet" if word in _OTHER_PETS else None


def _full_name(text: str, name: str) -> str:
    """"Anita" as "Dr. Anita Walsh" when the text gives a title and a surname."""
    full = re.search(r"(?:\b" + TITLES + r" )?" + re.escape(name) + r"\b(?: [A-ZÀ-Ý][\w'’-]+\b)?", text)
    return full.group(0) if full else name


def _usable(name: str) -> bool:
    last = name.split()[-1].lower()
    return last not in FUNCTION_WORDS and last not in RELATION_OF


_WHO_DOES = re.compile(r"^\W*who\s+(?!is\b|was\b|are\b|were\b)\w+", re.I)


def relation_at(words: Sequence[str], position: int) -> str | None:
    """The relation the word at ``position`` names, possessives too, with the apostrophe left
    out as lowercase writers do: "whats my sisters name", "mums retirement village", "dads name"
    (a bare "mums" before a word that means something; not "do dads ...")."""
    word = words[position]
    relation = RELATION_OF.get(strip_possessive(word))
    if relation is not None or not word.endswith("s"):
        return relation
    before = words[position - 1] if position else ""
    after = words[position + 1] if position + 1 < len(words) else ""
    if before in ("my", "our") or (after and after not in FUNCTION_WORDS and after != "day" and before not in _NOT_OWNERS):  # not "fathers day"
        return RELATION_OF.get(word[:-1])
    return None


_NOT_OWNERS = frozenset("the a an some all both two three many most other these those their his her your to with from".split())
_QUESTION_WORDS = frozenset("what whats what's who whos who's when whens where wheres how hows is was remind tell".split())


def asked_kin(question: str) -> tuple[str, tuple[str, ...]] | None:
    """Whose relation a question asks the name of: "what's my sister-in-law called?" -> ("",
    ("sister-in-law",)); "whats kuba's teacher's name" -> ("kuba", ("teacher",)); "my brother's
    wife" -> ("", ("brother", "wife")). None when it names no relation."""
    if _WHO_DOES.match(question):
        return None  # "who walks our dog?" asks for the walker, not the dog
    words = re.findall(r"[\w'’-]+", question.lower().replace("’", "'"))
    path: list[str] = []
    owner = None
    for position, word in enumerate(words):
        relation = relation_at(words, position)
        if relation is None or relation == "pet" and word != "pet":
            continue
        before = words[max(0, position - 2):position]
        if path and before and relation_at(words, position - 1) == path[-1] and before[-1] != path[-1]:
            path.append(relation)  # "my brother's wife", "my sisters twins"
        elif before and before[-1] in ("my", "our") or len(before) == 2 and before[0] in ("my", "our") and not before[1].endswith("'s") \
                or (not before or before[-1] in _QUESTION_WORDS) and words[position + 1:position + 2] in ([], ["name"], ["called"], ["surname"]):
            owner, path = "", [relation]  # "my sister", or a bare "dads name", "whats mums name": the user's
        elif before and before[-1].endswith("'s") and before[-1][:-2] not in FUNCTION_WORDS:
            owner, path = before[-1][:-2], [relation]
    return (owner, tuple(path)) if owner is not None and path else None


def first_steps(question: str) -> set[str]:
    """The user's relations a name question starts from: "what's my mum's name?" -> mother;
    "what's my sister-in-law called?" -> brother, husband, wife, partner (her name is found
    through theirs)."""
    asked = asked_kin(question)
    if asked is None or asked[0]:
        return set()
    relation = asked[1][0]
    return {way[0] for way in TWO_STEPS.get(relation, ())} | {relation}


def named(owner: str, path: Sequence[str], texts: Sequence[str]) -> tuple[str, tuple[int, ...]] | None:
    """The name ``texts`` give to ``owner``'s relation along ``path`` (the user's when owner is
    ""), and the indices of the texts each step rests on ("my brother Arjun", then "Arjun's wife
    Nisha"); of several, the one whose last step comes first (the best recalled)."""
    said = [(index, found) for index, text in enumerate(texts) for found in kin(text)]
    owners: list[tuple[str, tuple[int, ...]]] = [(owner, ())]
    for step, relation in enumerate(path):
        ways = [(relation,)] + (list(TWO_STEPS.get(relation, ())) if step == 0 and not owner else [])
        reached = []
        for way in ways:
            current = owners
            for part in way:
                current = [(kin_.name, (*chain, index)) for who, chain in current for index, kin_ in said
                           if _same_person(kin_.owner, who) and _fits(kin_.relation, part)]
            reached += current
        owners = reached
        if not owners:
            return None
    return min(owners, key=lambda found: found[1][-1])


def _same_person(stated: str, asked: str) -> bool:
    if not asked or not stated:
        return stated == asked
    return stated.lower().split()[-1] == asked.lower().split()[-1] or stated.lower().startswith(asked.lower())


def _fits(stated: str, asked: str) -> bool:
    """A stated relation answers an asked one: the same, a narrower form ("girlfriend" for a
    partner), or a pet for a dog or cat."""
    return stated == asked or stated in RELATIONS.get(asked, ()) or (stated == "pet" and asked in THINGS)
