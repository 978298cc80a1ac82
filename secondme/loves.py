"""What memory says is loved: a suggestion of a film, music, a book, a game, food, a drink, an
outing or a gift follows it, quoted.

A like names what to choose, so it is quoted ("fave is crash landing on you", of "super takot ako
sa horror movies ... rom coms or kdrama lang ako, fave is crash landing on you"); a dislike never is, since it names what to avoid (suggest.py says why constraints are
said in their positive form instead). The parts of the recalled statements that say a love now
(a word of loving: "obsessed with", "my go-to", "nothing beats", "horse-mad"; no dislike or
negation; the user's own, or those of whom the request is for) are ranked by meaning, the
embedder's cosine to the request, a little more for one that names the taste asked, and only the
piece that says the love is quoted ("he loves crosswords", not the sentence's "in prison until
2026"). Measured on preference requests written by helpers who never saw the code
(data/answers/personas_likes_*.json, `bench/answers.py --reading-only --only preference`): on
words alone, the first version took one set from 2 to 3 right of 32; ranked by meaning, a set
held out from all tuning went from 4 to 13 of 40, and to 7 once two reviews' faults were fixed:
a love needs a word of loving, said now, of the right person ("I cancelled Netflix", "every
week", "my ex loved", "Tom's favourite" are none), and only its piece is quoted, so more are
missed than misquoted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from secondme import times
from secondme.answer import LONGEST_QUESTION, Similarity, in_first_person
from secondme.kinship import RELATION_OF, RELATIONS, strip_possessive
from secondme.memory import sensitivity
from secondme.words import MEAL_WORDS, NOT_CONTENT

# The words a love of each taste is said with (broader than those a request asks for it with,
# suggest.TASTES_ASKED: "I love a good curry" names food, "which fish for the pond?" asks none).
TASTES: dict[str, re.Pattern[str]] = {
    "film": re.compile(r"\b(?:films?|movies?|cinema|ciné\w*|netflix|series|séries?|shows?|telly|tv|watch\w*|k-?dramas?|rom-?coms?|anime|cartoons?|"
                       r"documentar\w*|comed(?:y|ies)|thrillers?|polars?|nollywood|bollywood|actors?|actress(?:es)?|panoorin|panood\w*|napanood|"
                       r"filamu|filmes?|pel[ií]culas?)\b", re.I),
    "music": re.compile(r"\b(?:music|songs?|bands?|singers?|albums?|records?|vinyl|playlists?|listen\w*|lo-?fi|jazz|rock|pop|hip-?hop|rap|"
                        r"classical|k-?pop|afrobeats?|gospel|metal|indie|soundtracks?|podcasts?|musique|música|musik|muziki|rhumba|"
                        r"karaoke|videoke|\w*kanta\w*|sing|earpiece|headphones|put (?:something|some \w+) on)\b", re.I),
    "book": re.compile(r"\b(?:books?|novels?|read|reading|reads|authors?|fiction|fantasy|poetry|manga|comics?|bd|libros?|livres?|kitabu)\b", re.I),
    "game": re.compile(r"\b(?:games?|gaming|console|playstation|ps5|xbox|nintendo|switch|steam|soulslike|souls-like|rpg|laro|laruin|jeux?)\b", re.I),
    "food": re.compile(rf"\b(?:{MEAL_WORDS}|cuisine|comfort food|signature dish|nipike|pike|cuisin\w*|recette|comida|khana|"
                       r"rice|chicken|beef|pork|lamb|steak|fish|pasta|pizza|soup|stew|curry|noodles|salad|bread|pie|burgers?|tacos?|sushi|"
                       r"sponge|roast|gratin)\b", re.I),
    "drink": re.compile(r"\b(?:drinks?|wine|vin|vinho|vino|beers?|tea|chai|coffee|kahawa|cocktails?|whisky|juice|smoothies?)\b", re.I),
    "outing": re.compile(r"\b(?:day out|day trip|outing|things to do|hang out|do together|exercise|plan (?:our|my|the) (?:saturday|sunday|weekend|day)|"
                         r"(?:saturday|sunday|weekend) (?:plans?|activit\w*))\b", re.I),
}

# What is recalled besides the request, so that a love said in other words is found.
LIKES_ASKED = {
    "film": "films and series I love, my favourite movie", "music": "music I love, my favourite band and songs",
    "book": "books I love, my favourite author", "game": "games I love, my favourite game",
    "food": "food I love, my favourite dish, my comfort food", "drink": "what I love to drink, my favourite drink",
    "outing": "what we love doing at weekends, our favourite place", "gift": "what they love, obsessed with, big fan of, into, collects",
}
# How a love is said, now: "I love", "obsessed with", "my go-to", "nothing beats", "on repeat", "my
# comfort food", "horse-mad", "he collects", in the languages users mix in. Not "loved" (a love
# that was), nor "always", "usually", "every week" ("Dad goes to dialysis every week").
_LIKE = re.compile(
    r"\b(?:lov(?:e|es|ing)|adores?|obsessed|fan of|fans of|fave|favs?|favou?rites?|enjoys?|(?:'s|'m|'re|is|am|are|really|so|both|totally|super) into|"
    r"crazy about|mad about|\w+-mad|\w+[ -]daft|hooked on|can't get enough|comfort (?:food|watch|show|meal)|go-?to|nothing (?:beats|but)|"
    r"on repeat|addicted to|an? \w+ addict|collects|swear by|my (?:thing|guy|cup of tea)|happy place|never miss|on an? \w+ kick|suits me|"
    r"prefers? (?!to be\b)|keep going back|non-negotiable|"
    r"gusto|paborito|adik|mahilig|napenda|anapenda|ninapenda|raha|pakka|mon truc|rien ne vaut|en boucle|à fond|cent fois|j'adore|me encanta|adoro)\b",
    re.I)
# A part that says a dislike or a negation is never quoted: it would name what to avoid.
_DISLIKE = re.compile(
    r"\b(?!can't get enough|never miss)(?:don't|dont|do not|doesn't|never|can't|cannot|won't|not|no|nor|nobody|hate[sd]?|loathe\w*|detest\w*|"
    r"cannae|abide|scared|afraid|allerg\w*|gone off|anymore|any more|sick of|done with|boring|nightmares?|rather die|stopped|cut out|avoid\w*|"
    r"gross|rubbish|trash|annoy\w*|hard pass|grates?|terrible|awful|worst|anything but|"
    r"takot|ayaw|ayoko|hindi|sipendi|hapendi|sitaki|horreur|pas|não|nao|odeio|odio)\b|(?<!ca)n't\b", re.I)
# A love that was: "I was obsessed with anime as a teen", "my favourite meal growing up", "my late mum's stew".
_WAS = re.compile(r"\b(?:was|were|used to|back in|as a (?:kid|teen|child|boy|girl)|growing up|when i was|late)\b", re.I)
_CONTRAST = re.compile(r"[.!?;](?=\s)|\n|(?<!nothing )(?<!anything )\b(?:but|whereas|though|although|except|however|pero|mais)\b", re.I)
_QUOTED_MOST = 200
# What a loved dish or drink holds, as a constraint rules it out ("steak frites" is no dish for a
# vegetarian, "a cold beer" no drink for someone sober).
HOLDS = {kind: re.compile(rf"\b(?:{words})\b", re.I) for kind, words in {
    "meat": r"meat|steak|beef|pork|chicken|lamb|bacon|ham|sausages?|mince|burgers?|chorizo|salami|pepperoni|prosciutto|roast|nyama|carne|"
            r"poulet|b(?:oe|œ)uf|porc|manok|baboy|lechon|sisig",
    "pork": r"pork|bacon|ham|sausages?|chorizo|salami|pepperoni|prosciutto|porc|baboy|lechon|sisig",
    "fish": r"fish|salmon|tuna|cod|haddock|prawns?|shrimps?|seafood|sushi|samaki|tilapia|pescado|poisson|isda",
    "dairy": r"cheese|milk|cream|butter|yogh?urt|paneer|queso|fromage|gratin|carbonara",
    "gluten": r"bread|pasta|spaghetti|lasagne|lasagna|carbonara|wheat|flour|noodles|ramen|pizza|cakes?|pies?|pastry|sponge|couscous|biscuits?|cookies?",
    "egg": r"eggs?|omelet\w*|carbonara", "nuts": r"nuts?|peanuts?|almonds?|cashews?|walnuts?|pistachios?|hazelnuts?",
    "sugar": r"cakes?|chocolate|sweets?|sugar|candy|desserts?|ice cream|cookies?|biscuits?|sponge",
    "alcohol": r"beers?|wine|vin|vino|vinho|whisk(?:e)?y|vodka|gin|rum|cocktails?|prosecco|champagne|cider|ale|lager|sake|soju|tequila|margaritas?",
    "caffeine": r"coffee|espresso|latte|cappuccino|americano|mocha|cola|coke|red bull|energy drinks?|matcha|kahawa"}.items()}


TASTE_SAID = 0.1  # a love that names the taste asked ("fave ulam" for a dinner) is worth this much more meaning
MIN_MEANING = 0.1  # a love this far from the request in meaning is no suggestion for it
MIN_MEANING_ELSE = 0.3  # nor, this far, one that names nothing of the taste asked ("I love my dog" for a film)
SECOND_WITHIN = 0.1  # a second love (of another memory) is quoted when it comes this close to the first
MOST_PARTS = 24  # parts weighed, from the memories recall put first (each new one is embedded: ~0.6 ms)


def loved(request: str, asked: frozenset[str], statements: Sequence[tuple[int, str, float]], similarity: Similarity,
          ruled_out: set[str], constraints: Sequence[re.Pattern[str]]) -> tuple[str | None, list[tuple[int, str]]]:
    """Whose loves a suggestion for ``request`` follows (None: the user's) and up to two parts of
    ``statements`` that say them, closest in meaning to the request first (any love of whom a
    gift is for; else one close enough in meaning, closer when it names no word of the taste
    asked): a gift follows its recipient ("she's horse daft" for Isla), a film with Théo Théo's
    loves, else the user's own ("fave ulam is sinigang na baboy"). A part with a dislike or a
    negation is never one ("scared of horror, love rom coms"), nor a dish holding what a diet
    rules out (``ruled_out``), nor one saying a constraint (``constraints``: kept to, not quoted)."""
    request = request.replace("’", "'")
    whom = whom_asked(request)
    tastes = [TASTES[taste] for taste in asked if taste in TASTES]
    if not tastes and "gift" not in asked:
        return None, []
    for who in [*([whom] if whom else []), *([None] if "gift" not in asked else [])]:
        parts = _parts_said(statements, who, ruled_out, constraints)[:MOST_PARTS]
        scores = similarity(request, [quoted for _, _, quoted in parts]) if parts else []
        ranked = []
        for score, (memory_id, window, quoted) in zip(scores, parts):
            of_taste = any(taste.search(window) for taste in tastes)
            if "gift" in asked or score >= (MIN_MEANING if of_taste else MIN_MEANING_ELSE):  # any love of whom a gift is for
                ranked.append((score + TASTE_SAID * of_taste, memory_id, quoted))
        ranked.sort(key=lambda scored: -scored[0])
        if ranked:
            best, first_id, first = ranked[0]
            second = next(((memory_id, quoted) for score, memory_id, quoted in ranked[1:]
                           if memory_id != first_id and score >= best - SECOND_WITHIN and _same(quoted) != _same(first)), None)
            return who, [(first_id, first), *([second] if second else [])]
    return None, []


def _same(quoted: str) -> str:
    return re.sub(r"\W+", " ", quoted.lower()).strip()  # "I love jazz" and "I love jazz!" are one love


def _parts_said(statements: Sequence[tuple[int, str, float]], whom: str | None, ruled_out: set[str],
                constraints: Sequence[re.Pattern[str]]) -> list[tuple[int, str, str]]:
    """The loves of ``whom`` (None: the user) that ``statements`` say: (memory id, the words around
    it that may name its taste, the piece to quote). Said of them, now, not asked; no dislike or
    negation, nothing ``ruled_out``, no constraint, nothing sensitive in the piece quoted."""
    parts: list[tuple[int, str, str]] = []
    for memory_id, text, _ in statements:
        text = text.replace("’", "'")
        sentences = [sentence for sentence in re.split(r"(?<=[.!?])\s+|\n", text) if sentence.strip()]
        for at, sentence in enumerate(sentences):
            if sentence.rstrip().endswith("?"):
                continue  # asked, not said ("any good rom coms?")
            # "gift ideas for umma? ... she's into gardening": the sentence before names whom "she" is
            context = f"{sentences[at - 1]} {sentence}" if at and _THEY_OPEN.match(sentence) else sentence
            for part in _CONTRAST.split(sentence):
                for window, quoted, like_at in _loves_in(part):
                    if any(HOLDS[kind].search(quoted) for kind in ruled_out) or any(constraint.search(quoted) for constraint in constraints) \
                            or sensitivity.classify(quoted).categories:
                        continue
                    before = context[: context.find(part) + like_at]  # the sentence up to the word of loving
                    if _said_of(before, whom) if whom else not _of_another(before, _LIKE.match(part, like_at)):
                        parts.append((memory_id, window, quoted))
    return parts


def _loves_in(part: str) -> list[tuple[str, str, int]]:
    """Each piece of ``part`` (between commas, or before "and he", "and love") that says a love
    now, with no dislike or negation: (that piece and the one before it, which may name the taste
    it is of; the piece cut at what follows the love, to quote; where its word of loving is in
    ``part``). "rom coms or kdrama lang ako, fave is crash landing on you" -> "fave is crash landing
    on you" of "rom coms or kdrama"; "My husband Tom is in prison until 2026, he loves crosswords"
    -> "he loves crosswords"; "I'm addicted to true crime podcasts since ..." -> up to "since"."""
    cuts = [0, *(position for found in _PIECE.finditer(part) for position in (found.start(), found.end())), len(part)]
    pieces = [(cuts[at], cuts[at + 1]) for at in range(0, len(cuts), 2) if part[cuts[at]:cuts[at + 1]].strip()]
    loves = []
    for at, (start, end) in enumerate(pieces):
        piece = part[start:end]
        like = _LIKE.search(piece)
        if like is None or _DISLIKE.search(piece) or _WAS.search(piece):
            continue
        quoted = _AFTER_THE_LOVE.split(piece[like.start():], maxsplit=1)[0]
        quoted = (piece[:like.start()] + quoted).strip().rstrip(" .,;:!")
        if "(" in quoted and ")" not in quoted:
            quoted = quoted[: quoted.index("(")].rstrip()  # "I love anime (except Naruto, ..."
        if len(quoted) < MIN_PART:
            continue
        previous = part[pieces[at - 1][0]:pieces[at - 1][1]] if at else ""
        window = part[pieces[at - 1][0] if previous and not _SUBJECT.match(previous.strip()) else start:end]  # not "We watched a film last night"
        loves.append((window, quoted if len(quoted) <= _QUOTED_MOST else quoted[:_QUOTED_MOST].rsplit(" ", 1)[0] + "…", start + like.start()))
    return loves


_PIECE = re.compile(r",\s*|(?<!\s)\s+and\s+(?=(?:i|i'm|we|she|he|they|she's|he's|they're|my|his|her|love|loves|adore|adores|enjoy|enjoys)\b)", re.I)
# What follows a love and is not of it: "since Mum's murder trial", "because", "when I was ...".
_AFTER_THE_LOVE = re.compile(r"\s+(?:since|because|cos|coz|cause|after|ever since|when|as|which|who|while|until|till)\b", re.I)
_SUBJECT = re.compile(r"^(?:i|i'm|we|we're|she|he|they|she's|he's|they're|my|his|her|our|(?-i:[A-ZÀ-Ý])\w+(?:'s)?\s+\w+)\b", re.I)
_THEY_OPEN = re.compile(r"^\W*(?:she|he|they)(?:'s|'re)?\b", re.I)
MIN_PART = 8


def _of_another(before: str, like: re.Match[str] | None) -> bool:
    """Someone else's love, by whom ``before`` (the sentence up to the word of loving) names: "my
    sister loves crime novels", "my ex", "she adores Bach", "everyone at work loves", "Tom's
    favourite is lasagne", "Anna came over and loves ...", or by the word's third person with no
    "I" ("Wanjiku anapenda rhumba"); the user's own is said by "I", "my", "ko", "je" or by nobody
    ("fave ulam is ...", "Burna Boy na my guy")."""
    words = [word.lower() for word in re.findall(r"[\w'-]+", before)]
    if any(strip_possessive(word) in RELATION_OF or word in _SOMEONE or word.startswith("ex-") for word in words):
        return True
    if _in_first_person(before):
        return False
    third_person = like is not None and like.group().lower() in _THIRD_PERSON_LOVES
    return third_person or any(word[:1].isupper() for word in re.findall(r"[\w'-]+", before)[1:]) \
        or re.search(r"(?-i:[A-ZÀ-Ý])[\w-]*'s\b", before) is not None or _NAME_DOES.match(before) is not None


_THIRD_PERSON_LOVES = frozenset("loves adores enjoys collects prefers anapenda".split())


# A name that opens a sentence as who does something: "Anna came over and loves ...", not "Big fan of ...".
_NAME_DOES = re.compile(r"^\W*(?-i:[A-ZÀ-Ý])[\w'-]+\s+(?:is|was|has|and|came|went|says|said|dey|ana|est|ist|\w+ed|\w+s)\b")


def _in_first_person(text: str) -> bool:
    return in_first_person(text) or re.search(r"\b(?:je|j'|moi|mon|mes)\b", text, re.I) is not None  # "Je lis surtout des BD"


# Who else a love may be said of: pronouns and people a relation word does not name.
_SOMEONE = frozenset("""she he they his her their she's he's they're who everyone everybody people ex friends sons daughters stepson
    stepdaughter stepmum stepmom stepdad neighbours neighbors team colleagues coworkers cousins nieces nephews students patients clients
    guests nobody""".split())
_SEVERAL = frozenset("kids children parents twins grandkids grandchildren watoto".split())


def who_loves(whom: str | None) -> str:
    """"you love", "Isla loves", "your mum loves", "your kids love"."""
    if whom is None:
        return "you love"
    if whom.lower() not in RELATION_OF:
        return f"{whom} loves"
    return f"your {whom.lower()} {'love' if whom.lower() in _SEVERAL else 'loves'}"


# Whom a suggestion is for, by how a request says it: "for Isla", "get wee Callum", "a film with
# Théo", "kay Ate Bea", "pour Camille", "Paolo's 9th bday", "Chidi birthday dey come", "Inge and I",
# "for my mum", "with the kids".
_NAME = r"(?-i:[A-ZÀ-Ý][\w'-]{1,30})"
_FOR_WHOM = re.compile(
    rf"\b(?:for|get|give|buy|with|w/?|avec|pour|de|para|pro|kay|ni|si|na)\s+(?:(?:my|our|the|wee|little|lil|ate|kuya|tita|tito)\s+)?({_NAME}|[\w-]{{2,30}}(?='s))"
    rf"|^\W*({_NAME})(?:'s)?\s+(?:\d+\w*\s+)?(?:birthday|bday|anniversary|and (?:i|me)\b|is coming|coming|dey come|come)"
    rf"|\b({_NAME}|[\w-]{{2,30}})'s\s+(?:\d+\w*\s+)?(?:birthday|bday|anniversary)", re.I)
_NOT_WHOM = frozenset("""i christmas xmas birthday bday anniversary easter eid diwali hanukkah thanksgiving valentine valentine's mother's
    father's mothers fathers day today tonight tomorrow weekend week year dinner lunch breakfast supper netflix spotify kindle""".split())


def whom_asked(request: str) -> str | None:
    """The person a request names as whom it is for: a name, else a relation ("for my mum",
    "with the kids"); None: the user."""
    request = request.replace("’", "'")[:LONGEST_QUESTION]
    for found in _FOR_WHOM.finditer(request):
        name = strip_possessive(found.group(found.lastindex))
        if name.lower() not in _NOT_WHOM | times.CALENDAR | NOT_CONTENT or name.lower() in RELATION_OF:
            return name
    return next((strip_possessive(word) for word in _FOR_RELATION.findall(request.lower()) if strip_possessive(word) in RELATION_OF), None)


# "for my mum", "with the kids"; not "what should I cook tonight? my husband is away".
_FOR_RELATION = re.compile(r"\b(?:for|with|w/?|get|give|buy|kay|ni|si|pour|avec|para|pro)\s+(?:my|our|the|wee|lil|little)\s+([\w'-]+)")


def _said_of(before: str, whom: str) -> bool:
    """The love after ``before`` (the sentence up to the word of loving) is said of ``whom``: they
    are named in it, and nobody else after ("Isla's birthday ... she's horse daft", not "...,
    whereas Callum's is ...", "Mum's
    neighbour loves candles", "Mum's birthday is in May and I love candles"; a place is no one:
    "Achieng yuko Leeds ..., she fills sketchbooks")."""
    forms = RELATIONS.get(RELATION_OF.get(whom.lower(), ""), {whom.lower()}) | {whom.lower(), whom.lower().removesuffix("s")}  # "Olivers birthday"
    mentions = [found for found in re.finditer(r"[\w'-]+", before) if strip_possessive(found.group().lower()) in forms]
    if not mentions:
        return False
    after = _APPOSITION.sub("", before[mentions[-1].end():])  # "Arjun (husband) is crazy about cricket"
    words = {strip_possessive(word.lower()) for word in re.findall(r"[\w'-]+", after)}
    named = {strip_possessive(word).lower() for word in _SOMEONE_NAMED.findall(after) + _WITH_SOMEONE.findall(after)}
    return not named - forms - times.CALENDAR and not (words & (set(RELATION_OF) | _SOMEONE)) - forms - _THEM and not _in_first_person(after)


_THEM = frozenset("she he they her his their she's he's they're".split())  # whom the love is said of, again
_APPOSITION = re.compile(r"^(?:'s)?\s*\([^()]{0,40}\)|^,\s*(?:my|our|her|his)\s+[\w-]+,")
# Someone else named ("whereas Callum's is ...", "Tom and Anna", "with Priya"), not a place ("yuko Leeds").
_WITH_SOMEONE = re.compile(r"\b(?:and|with|&)\s+((?-i:[A-ZÀ-Ý])[\w-]{1,30}|[a-zà-ÿ][\w-]{1,30}(?=\s*[.,;!?]))")
_SOMEONE_NAMED = re.compile(r"(?<=\s)((?-i:[A-ZÀ-Ý])[\w-]{1,30})(?=(?:'s)\b|\s+(?:is|has|loves|was|dey|ana|est)\b)")
