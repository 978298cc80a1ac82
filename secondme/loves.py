"""What memory says is loved: a suggestion of a film, music, a book, a game, food, a drink, an
outing or a gift follows it, quoted.

A like names what to choose, so it is quoted ("rom coms or kdrama lang ako, fave is crash landing
on you"); a dislike never is, since it names what to avoid (suggest.py says why constraints are
said in their positive form instead). The parts of the recalled statements that may say a love
(said with a word of loving, "my go-to", "nothing beats", "horse-mad", or naming the taste asked;
with no dislike or negation in them; the user's own, or those of whom the request is for) are
ranked by meaning, the embedder's cosine to the request, with a little more for a part that says
it loves and for one that names the taste asked: on words alone (the first version), a set of
preference requests written afterwards by a helper who never saw the code went from 2 to 3 right
of 32; ranked by meaning, a third such set went from 4 to 13 of 40.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from secondme.answer import Similarity
from secondme.kinship import RELATION_OF, RELATIONS, strip_possessive
from secondme.times import MONTHS, WEEKDAYS
from secondme.words import NOT_CONTENT

# Each taste by the words a request asks for it with and a love of it is said with.
TASTES: dict[str, re.Pattern[str]] = {
    "film": re.compile(r"\b(?:films?|movies?|cinema|ciné\w*|netflix|series|séries?|shows?|telly|tv|watch\w*|k-?dramas?|rom-?coms?|anime|cartoons?|"
                       r"documentar\w*|comed(?:y|ies)|thrillers?|polars?|nollywood|bollywood|actors?|actress(?:es)?|panoorin|panood\w*|napanood|"
                       r"filamu|filmes?|pel[ií]culas?)\b", re.I),
    "music": re.compile(r"\b(?:music|songs?|bands?|singers?|albums?|records?|vinyl|playlists?|listen\w*|lo-?fi|jazz|rock|pop|hip-?hop|rap|"
                        r"classical|k-?pop|afrobeats?|gospel|metal|indie|soundtracks?|podcasts?|musique|música|musik|muziki|rhumba|"
                        r"karaoke|videoke|\w*kanta\w*|sing|earpiece|headphones|put (?:something|some \w+) on)\b", re.I),
    "book": re.compile(r"\b(?:books?|novels?|read|reading|reads|authors?|fiction|fantasy|poetry|manga|comics?|bd|libros?|livres?|kitabu)\b", re.I),
    "game": re.compile(r"\b(?:games?|gaming|console|playstation|ps5|xbox|nintendo|switch|steam|soulslike|souls-like|rpg|laro|laruin|jeux?)\b", re.I),
    "food": re.compile(r"\b(?:cook\w*|dinners?|suppers?|lunch\w*|breakfasts?|brunch|recipes?|receta|bake|baking|cakes?|desserts?|snacks?|food|"
                       r"meals?|menu|restaurants?|dish(?:es)?|eat|potluck|grocer(?:y|ies)|lutuin|ulam|kula|chakula|pika|chop|"
                       r"cuisine|comfort food|signature dish|nipike|pike|cuisin\w*|recette|comida|khana|"
                       r"rice|chicken|beef|pork|lamb|steak|fish|pasta|pizza|soup|stew|curry|noodles|salad|bread|pie|burgers?|tacos?|sushi|"
                       r"sponge|roast|gratin)\b", re.I),
    "drink": re.compile(r"\b(?:drinks?|wine|vin|vinho|vino|beers?|tea|chai|coffee|kahawa|cocktails?|whisky|juice|smoothies?)\b", re.I),
    "outing": re.compile(r"\b(?:day out|day trip|outing|things to do|hang out|do together|exercise|plan (?:our|my|the) (?:saturday|sunday|weekend|day)|"
                         r"(?:saturday|sunday|weekend) (?:plans?|activit\w*))\b", re.I),
}
A_TASTE = re.compile("|".join(taste.pattern for taste in TASTES.values()), re.I)  # any taste's words

# What is recalled besides the request, so that a love said in other words is found.
LIKES_ASKED = {
    "film": "films and series I love, my favourite movie", "music": "music I love, my favourite band and songs",
    "book": "books I love, my favourite author", "game": "games I love, my favourite game",
    "food": "food I love, my favourite dish, my comfort food", "drink": "what I love to drink, my favourite drink",
    "outing": "what we love doing at weekends, our favourite place", "gift": "what they love, obsessed with, big fan of, into, collects",
}
# How a love is said: "I love", "obsessed with", "my go-to", "nothing beats", "on repeat", "my
# comfort food", "horse-mad", "he collects", "every morning", in the languages users mix in.
_LIKE = re.compile(
    r"\b(?:lov(?:e|es|ed|ing)|adore[sd]?|obsess\w*|fan of|fave|favs?|favou?rites?|enjoy\w*|(?:'s|'m|'re|is|am|are|really|so|both|totally|super) into|"
    r"crazy about|mad about|\w+-mad|daft|hooked|can'?t get enough|comfort (?:food|watch|show|meal)|go-?to|nothing (?:beats|but)|on repeat|"
    r"addict\w*|collect\w*|always|every (?:morning|evening|night|day|week|weekend|sunday|saturday|friday|free)|non-negotiable|keep going back|"
    r"my (?:thing|guy|cup of tea)|swear by|habit|suits me|prefer\w*|return to|usually|pride|spends? (?:most|all) of|"
    r"gusto|paborito|adik|mahilig|lagi|raha|napenda|anapenda|ninapenda|lazima|pakka|mon truc|rien ne vaut|en boucle|à fond|cent fois|"
    r"j'adore|me encanta|adoro)\b", re.I)
# A part that says a dislike or a negation is never quoted: it would name what to avoid.
_DISLIKE = re.compile(
    r"\b(?!can'?t get enough)(?:don'?t|dont|do not|doesn'?t|never|can'?t|cannot|won'?t|not|no|nor|hate[sd]?|can'?t stand|cannae|abide|scared|"
    r"afraid|allerg\w*|used to|gone off|anymore|any more|takot|ayaw|ayoko|hindi|sipendi|hapendi|sitaki|horreur|pas|não|nao|odeio)\b|(?<!ca)n't\b", re.I)
_CONTRAST = re.compile(r"\s*(?:[.!?;]\s|\n|(?<!nothing )(?<!anything )\b(?:but|whereas|though|although|except|however|pero|mais)\b)\s*", re.I)
_QUOTED_MOST = 200
# What a loved dish holds, as the forms of a diet rule it out ("steak frites" is no dish for a vegetarian).
_HOLDS = {kind: re.compile(rf"\b(?:{words})\b", re.I) for kind, words in {
    "meat": r"meat|steak|beef|pork|chicken|lamb|bacon|ham|sausages?|mince|burgers?|nyama|carne|poulet|b(?:oe|œ)uf|porc|manok|baboy",
    "fish": r"fish|salmon|tuna|cod|haddock|prawns?|shrimps?|seafood|samaki|tilapia|pescado|poisson|isda",
    "dairy": r"cheese|milk|cream|butter|yogh?urt|paneer|queso|fromage|gratin",
    "gluten": r"bread|pasta|wheat|flour|noodles|pizza|cake|pie|sponge",
    "egg": r"eggs?|omelet\w*", "nuts": r"nuts?|peanuts?|almonds?|cashews?|walnuts?|pistachios?|hazelnuts?",
    "sugar": r"cakes?|chocolate|sweets?|sugar|candy|desserts?|ice cream|cookies?|biscuits?|sponge"}.items()}


def loved(request: str, asked: frozenset[str], statements: Sequence[tuple[int, str, float]], similarity: Similarity,
          ruled_out: set[str], constraints: Sequence[re.Pattern[str]]) -> tuple[str | None, list[tuple[int, str]]]:
    """Whose loves a suggestion for ``request`` follows (None: the user's) and up to two parts of
    ``statements`` that say them, closest in meaning to the request first (a part that says it
    loves gets LOVE_SAID more): a gift follows its recipient ("Isla's ... horse daft, wants riding
    lessons"); a film with Théo, Théo; else the user's own ("fave ulam is sinigang na baboy"). A
    part that says a dislike or a negation is never one ("scared of horror, love rom coms"), nor
    a dish holding what a diet rules out (``ruled_out``), nor one saying a constraint (``constraints``:
    it is kept to, not quoted)."""
    whom = whom_asked(request)
    if not asked & TASTES.keys() and "gift" not in asked:
        return None, []
    passes = [whom] if whom is not None else []
    if "gift" not in asked:
        passes.append(None)
    tastes = [TASTES[taste] for taste in asked if taste in TASTES]
    for who in passes:
        parts = _parts_said(statements, who, ruled_out, constraints)[:MOST_PARTS]
        scores = similarity(request, [part for _, part in parts]) if parts else []
        named = [any(taste.search(part) for taste in tastes) for _, part in parts]
        ranked = sorted(((score + LOVE_SAID * bool(_LIKE.search(part)) + TASTE_SAID * of_taste, (memory_id, part))
                         for score, of_taste, (memory_id, part) in zip(scores, named, parts)
                         if score >= (MIN_MEANING if "gift" in asked or of_taste else MIN_MEANING_ELSE)), key=lambda scored: -scored[0])
        if ranked:
            best, first = ranked[0]
            return who, [first, *(part for score, part in ranked[1:2] if part[0] != first[0] and score >= best - SECOND_WITHIN)]
    return None, []


LOVE_SAID = 0.1  # a part that says it loves ("obsessed with", "my go-to") is worth this much more meaning
TASTE_SAID = 0.1  # and one that names the taste asked ("fave ulam" for a dinner), this much more
MIN_MEANING = 0.1  # a love this far from the request in meaning is no suggestion for it
MIN_MEANING_ELSE = 0.3  # nor, this far, one that names nothing of the taste asked ("I love my dog" for a film)
SECOND_WITHIN = 0.1  # a second part is quoted when it comes this close to the first
MOST_PARTS = 40  # parts weighed, from the memories recall put first (each new one is embedded: ~0.6 ms)


def _parts_said(statements: Sequence[tuple[int, str, float]], whom: str | None, ruled_out: set[str],
                constraints: Sequence[re.Pattern[str]]) -> list[tuple[int, str]]:
    """The parts of ``statements`` that may say what ``whom`` (None: the user) loves: said of them,
    not asked, with no dislike or negation, holding nothing ``ruled_out``, no constraint."""
    parts: list[tuple[int, str]] = []
    for memory_id, text, _ in statements:
        sentences = [sentence for sentence in re.split(r"(?<=[.!?])\s+|\n", text) if sentence.strip()]
        for at, sentence in enumerate(sentences):
            if sentence.rstrip().endswith("?"):
                continue  # asked, not said ("any good rom coms?")
            # "gift ideas for umma? ... she's into gardening": the sentence before names whom "she" is
            context = f"{sentences[at - 1]} {sentence}" if at and _THEY_OPEN.match(sentence) else sentence
            for part in _pieces(sentence):
                if len(part) < MIN_PART or any(_HOLDS[kind].search(part) for kind in ruled_out) \
                        or not (_LIKE.search(part) or A_TASTE.search(part)) or any(constraint.search(part) for constraint in constraints):
                    continue
                if (_said_of(context, context.find(part) + len(part), whom) if whom else not _of_another(part)):
                    parts.append((memory_id, part[:_QUOTED_MOST]))
    return parts


def _pieces(sentence: str) -> list[str]:
    """The parts of a sentence a love may be quoted from, with no dislike or negation in them:
    split at "but", "whereas"; a part that negates is split at its commas too ("hindi na ML,
    Valorant na ako ngayon" keeps "Valorant na ako ngayon")."""
    pieces = []
    for part in _CONTRAST.split(sentence):
        for piece in (re.split(r",\s*", part) if _DISLIKE.search(part) else [part]):
            piece = piece.strip(" ,")
            if piece and not _DISLIKE.search(piece):
                pieces.append(piece)
    return pieces


_THEY_OPEN = re.compile(r"^\W*(?:she|he|they)(?:'s|’s|'re|’re)?\b", re.I)
MIN_PART = 8


def _of_another(part: str) -> bool:
    """Someone else's love, by whom it is said of before it ("my sister loves crime novels", "she
    adores Bach", "Paolo is super into dinosaurs", "Si Ate Bea ..., adik sa K-drama"); the user's own is said by "I", "my", "ko",
    "je" or by nobody ("fave ulam is ...", "my fav actress na funke akindele, i watch all her films")."""
    like = _LIKE.search(part)
    before = [word.lower() for word in re.findall(r"[\w'’-]+", part[: like.start() if like else len(part)])]
    if any(strip_possessive(word) in RELATION_OF or word in _THIRD_PERSON for word in before):
        return True
    words = {word.lower() for word in re.findall(r"[\w'’-]+", part)}
    if words & _FIRST_PERSON:
        return False
    named = [word for at, word in enumerate(re.findall(r"[\w'’-]+", part[: like.start() if like else len(part)])) if at and word[:1].isupper()]
    return bool(named) or re.match(r"^\W*(?-i:[A-ZÀ-Ý])[\w'’-]+\s+(?:is|was|has|loves|adores|likes|dey|ana|est|ist)\b", part) is not None


_ENTERTAINMENT = frozenset({"film", "music", "book", "game"})  # a film for Théo may follow what he loves of anything (pirates)
_FIRST_PERSON = frozenset("i i'm im i've me my mine we we're our us ako ko akin namin kami mimi yangu je j' moi mon ma mes ich mein meine yo mi mujhe mera meri".split())
_SEVERAL = frozenset("kids children parents twins grandkids grandchildren watoto".split())
_THIRD_PERSON = frozenset("she he they his her their shes hes she's he's they're".split())


def who_loves(whom: str | None) -> str:
    """"you love", "Isla loves", "your mum loves", "your kids love"."""
    if whom is None:
        return "you love"
    if whom.lower() not in RELATION_OF:
        return f"{whom} loves"
    return f"your {whom.lower()} {'love' if whom.lower() in _SEVERAL else 'loves'}"


# Whom a suggestion is for: a name ("Isla", "wee Callum", "paolo's bday") or a relation ("my mum", "the kids").
_NOT_WHOM = frozenset("""i christmas xmas birthday bday anniversary what which any some gift gifts present presents ideas idea please
    pls the a an for get today tonight tomorrow week weekend year netflix family suggest recommend pick could would should film movie
    une cadeau""".split())
_CALENDAR = frozenset((*MONTHS, *WEEKDAYS))


def whom_asked(request: str) -> str | None:
    """The person a request names as whom it is for: a name ("Isla", "Chidi birthday dey come",
    "paolo's bday"), else a relation ("my mum"); None: the user."""
    names = [*re.findall(r"(?<![\w'’-])(?-i:[A-ZÀ-Ý])[\w'’-]+", request), *re.findall(r"\b[\w-]+(?:'s|’s)(?=\s)", request)]
    names = [strip_possessive(word) for word in names if strip_possessive(word).lower() not in _NOT_WHOM | _CALENDAR | NOT_CONTENT]
    if names:
        return names[0]
    return next((strip_possessive(word) for word in re.findall(r"[\w'’-]+", request.lower()) if strip_possessive(word) in RELATION_OF), None)


def _said_of(text: str, at: int, whom: str) -> bool:
    """The like at ``at`` in ``text`` is said of ``whom``: they are named before it, and nobody
    else between ("Isla's birthday ... she's horse daft", not "..., whereas Callum's is ..."; a
    place between is no one: "Achieng yuko Leeds ..., she fills sketchbooks")."""
    forms = RELATIONS.get(RELATION_OF.get(whom.lower(), ""), {whom.lower()}) | {whom.lower(), whom.lower().removesuffix("s")}  # "Olivers birthday"
    mentions = [found for found in re.finditer(r"[\w'’-]+", text[:at]) if strip_possessive(found.group().lower()) in forms]
    if not mentions:
        return False
    between = text[mentions[-1].end():at]
    others = {strip_possessive(word).lower() for word in _SOMEONE_NAMED.findall(between)}
    return not others - forms - _CALENDAR - _THIRD_PERSON - {"i"}


# A name said as someone's ("whereas Callum's is ...", "and Tom loves ..."), not a place ("yuko Leeds").
_SOMEONE_NAMED = re.compile(r"(?<=\s)((?-i:[A-ZÀ-Ý])[\w-]+)(?=(?:'s|’s)\b|\s+(?:is|has|loves|was|dey|ana|est)\b)")
