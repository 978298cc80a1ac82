"""What a suggestion must keep to, said positively, and what it may follow: what is loved.

SmolLM2-135M ignores a constraint in its prompt ("I'm vegetarian ... Suggest a dinner" gave lamb
and calamari) and copies memories back instead of suggesting (bench/answers.py: 7 of 62
suggestions right on the sets tuned on, 2 of 31 held out). Quoting a preference whole was tried
twice and dropped: half of them are dislikes, and quoting one names the very thing to avoid ("can't
stand horror films"). So a small model's suggestion is read out of memory in the constraint's
*positive* form, citing the memories that say so, for the kinds of constraint a demanding user
would expect it to know whatever they asked: diets and intolerances for food ("Something
vegetarian and gluten-free, like a lentil dal with rice or ..."), alcohol and caffeine for drinks,
not flying or driving for travel, hours kept free ("After 11"), how to be reached ("By text
message"), a deaf ear ("Sit with them on your right side"). Whom the suggestion is for matters:
the user, their family, or someone the request names; never a colleague's diet. A constraint
said in the negative or the past ("not vegetarian anymore", "used to be vegan") keeps to nothing,
a later one undoes an earlier one, and one only asked for ("a vegan place near Bolhão?") is not
said. Dishes are not named for a dish the request names ("a ramen recipe") nor for a place.
A film, music, a book, a game, food, a drink, an outing or a gift follows what memory says is
loved, quoted without a dislike (loves.py): "How about something Isla loves? You've told me:
“she's horse daft”" (of "Isla's birthday is the 3rd of June and she's horse daft, wants riding
lessons").
`python bench/answers.py --reading-only --only preference`: 39 of 62 right on the sets tuned on,
8 of 31 held out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from secondme.answer import LONGEST_QUESTION, Similarity
from secondme.kinship import strip_possessive
from secondme.loves import LIKES_ASKED, loved, who_loves
from secondme.memory import sensitivity
from secondme.words import MEAL_WORDS

# What a request asks a suggestion for, by its words.
DOMAINS: dict[str, re.Pattern[str]] = {
    "food": re.compile(rf"\b(?:{MEAL_WORDS})\b", re.I),
    "sweet": re.compile(r"\b(?:desserts?|cakes?|bake|baking|sweets?|cookies|biscuits|puddings?|tamu|pastry|pastries|snacks?)\b", re.I),
    "drink": re.compile(r"\b(?:drinks?|drinking|pick-me-up|beverages?|cocktails?|order to drink|stay awake)\b", re.I),
    "time": re.compile(
        r"^(?=.*\b(?:meet\w*|mtgs?|appointment|appt|propose|schedule|book|1:1|call|dentist|doctor|interview|good for me|works? for me)\b)"
        r".*\b(?:(?:what|which) time|slot|when (?:should|shall|can|could) (?:i|we))\b", re.I),
    "contact": re.compile(r"\b(?:get in touch|contact (?:him|her|them|me|my)|best way to reach|reminders?|remind me)\b", re.I),
    "hearing": re.compile(r"\bhear (?:her|him|them|you|people|everyone|what)\b", re.I),
    "travel": re.compile(
        r"\b(?:travel\w*|trips?|journey|get (?:to|there)|way to (?:get|go)|how (?:should|could|can|do|might) (?:i|we) (?:go|get)|"
        r"day (?:out|oot)|viaje|viajar)\b", re.I),
}
# What is recalled besides the request, so that a constraint said in other words is found ("I
# have coeliac disease" for "something I might bake for the twins").
CONSTRAINTS_ASKED = {
    "food": "what I can't or don't eat: my diet, allergies and intolerances, vegetarian, vegan, no pork, no fish",
    "sweet": "sweet things I can't have: sugar, diabetes, gluten, lactose, nut allergy",
    "drink": "what I don't drink: alcohol, coffee and caffeine, sober, lactose",
    "travel": "how I travel: I don't fly, I don't drive, I go by bike, bus or train",
    "time": "when I'm busy or free: no meetings before, my shift, I work from ... to ...",
    "contact": "how to reach me: I hate phone calls, text me, email, landline",
    "hearing": "hard of hearing, deaf in one ear",
}
_ASKS = re.compile(
    r"\b(?:suggest\w*|recommend\w*|recs?|ideas?|recipes?|receta|pick|plan|should (?:i|we)|shall (?:i|we)|could (?:i|we)|can (?:i|we)|"
    r"(?:i|we) should|(?:i|we) need|(?:i|we) want|send me|best way|most suitable|any tips|what to|nipe|dame|abeg|pwede|gie us|give me|make me|help me)\b", re.I)
# A question about the diet itself ("do I have any dietary requirements?"): its forms answer it.
_DIET_ASKED = re.compile(r"\b(?:dietary|food (?:intoleran\w*|restrictions?|allerg\w*)|what (?:can'?t|can|shouldn'?t) i (?:eat|drink))\b", re.I)
# Asked around a meal, not for one: a time, a day, an amount; a yes or no ("should I cancel dinner?");
# what was (planned, eaten); a question about others; a message to write.
_ASKS_NO_THING = re.compile(r"\b(?:what time|when should|which day|what day|how long|how much|how many)\b", re.I)
_A_TASK = re.compile(r"\b(?:write|draft|message|e-?mail|card|note|letter|caption|translate|rewrite|reply|blog)\b", re.I)
_NOT_A_SUGGESTION = re.compile(
    r"^\W*(?:should|shall|can|could|would|will|do|does|did|is|are|was|am)\s+(?:i|we)\b|"
    r"^\W*(?:what|where|when|who|which|how)\s+(?:did|was|were|had)\b|"
    r"^(?!.*\b(?:i|i'm|me|my|we|us|our|you|your)\b)\W*(?:what|where|when|who|which|how)\b", re.I)  # about others ("what recipe did Nate share?")

_NOT = r"(?:don'?t|dont|do not|doesn'?t|never|can'?t|cannot|won'?t)"
_TIME = (r"(?:\d{1,2}(?:[:.]\d{2})?(?!\d)(?:\s?(?:am|pm)\b)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b(?: o'clock)?"
         r"(?: in the (?:morning|afternoon|evening))?)")
_CHANNEL = r"(?:e-?mail|text(?: message)?|sms|whatsapp|signal|telegram|phone|landline|letter|post)"


@dataclass(frozen=True)
class Rule:
    domains: frozenset[str]
    says: re.Pattern[str]
    keeps: str  # what it keeps to ("vegetarian", "no pork", "no flying"), or a template of what was said ("{0}")
    part: str  # how a suggestion tells it: a "form" of food or drink, food it "leaves out", a way to "travel", "after" an hour, "by" a channel, an "ear"


def _rule(domains: str, says: str, keeps: str, part: str) -> Rule:
    return Rule(frozenset(domains.split()), re.compile(says, re.I), keeps, part)


RULES = (
    _rule("food sweet", rf"\b(?:vegetarian|meat-free|no meat(?!\s+on\b)|{_NOT} eat (?:any )?meat|(?:stopped|quit) eating meat|gave up meat)\b", "vegetarian", "form"),
    _rule("food sweet drink", r"\b(?:vegan|plant-based)\b", "vegan", "form"),
    _rule("food", r"\bpescatarian\b", "pescatarian", "form"),
    _rule("food", r"\bhalal\b", "halal", "form"),
    _rule("food", r"\bkosher\b", "kosher", "form"),
    _rule("food sweet drink", r"\b(?:coeliac|celiac|celíac[oa]|gluten[- ](?:free|intoleran\w*)|(?:no|avoid|can'?t (?:have|eat)|cannot eat \w+ with) gluten|allergic to (?:gluten|wheat))\b",
          "gluten-free", "form"),
    _rule("food sweet drink", r"\blactose\b", "lactose-free", "form"),
    _rule("food sweet drink", rf"\b(?:dairy[- ]free|dairy (?:allerg\w*|intoleran\w*)|(?:no|avoid|{_NOT} (?:have|eat|drink|do)) dairy|allergic to (?:milk|dairy))\b", "dairy-free", "form"),
    _rule("food sweet", rf"\b(?:(?:pea)?nut allerg\w*|allergic to (?:(?:pea)?nut|cashew|almond|walnut|hazelnut|pecan|pistachio)s?|nut[- ]free|(?:no|{_NOT} (?:have|eat)) (?:pea)?nuts)\b", "nut-free", "form"),
    _rule("sweet drink", r"\b(?:diabet\w*|sugar[- ]free|(?:cut (?:out|down on)|avoid|can'?t have|watch\w* my) sugar|no more desserts?)\b", "sugar-free", "form"),
    _rule("drink", rf"\b(?:teetotal\w*|sober|no alcohol|alcohol[- ]free|non-alcoholic|{_NOT} (?:touch (?:alcohol|booze|a drop))|(?:stopped|quit|gave up) (?:drinking|alcohol|booze)|"
                   rf"{_NOT} drink(?:\s+(?:alcohol|booze|any ?more|at all)\b|(?=\s*(?:[.,;!]|$))))", "alcohol-free", "form"),
    _rule("drink", rf"\b(?:decaf|caffeine[- ]free|(?:no|cut out|avoid|quit|off|without) caffeine|caffeine (?:keeps me|gives me)|(?:no|cut out|quit|stop|stopped|gave up|off) coffee|"
                   rf"{_NOT} (?:drink|have|take) coffee|coffee keeps me (?:up|awake)|bawal ako sa kape)\b", "caffeine-free", "form"),
    _rule("food", rf"\b(?:{_NOT} (?:eat |chop )?pork|no dey chop pork|no pork)\b", "no pork", "leaves out"),
    _rule("food", rf"\b(?:(?:{_NOT}|cannae) (?:eat |stand |like )?(?:any )?(?:fish|seafood)|no (?:fish|seafood)|(?:fish|seafood)\b[^.!?]{{0,40}}\b{_NOT} eat)\b", "no fish", "leaves out"),
    _rule("travel", rf"\b(?:(?:hate|afraid of|scared of|terrified of|fear of|phobia of|{_NOT} like) (?:flying|planes|to fly)|{_NOT} (?:fly|take the plane)|fear of flying)\b", "no flying", "travel"),
    _rule("travel", r"\b(?:(?:cycle|bike|ride my bike) everywhere|get around (?:by|on) (?:a |my )?(?:bike|bicycle))\b", "by bike", "travel"),
    _rule("travel", rf"\b(?:{_NOT} drive(?:\s+(?:any ?more|at all)\b|(?=\s*(?:[.,;!]|$)))|no car\b(?![\s-]*park)|(?:sold|got rid of) (?:the|my|our) car)", "no car", "travel"),
    _rule("time", rf"\b(?:no (?:meetings?|mtgs?|calls?|appointments?|appts?)|nothing|not)\s+(?:\w+\s+)?before\s+({_TIME})", "{0}", "after"),
    _rule("time", rf"\b(?:work(?:ing|s)?|shift(?: is)?)\b(?!\s+from home)[^.!?]{{0,40}}?\b(?:from\s+)?{_TIME}\s*(?:to|till|until|-|–)\s*({_TIME})", "{0}", "after"),
    _rule("contact", r"\b(?:hate|don'?t like|can'?t stand|avoid)\s+(?:phone\s+)?calls\b|\bprefer (?:to )?text|\btexting is\b", "text message", "by"),
    _rule("contact", rf"\b(?:reached|reach me) only (?:by|on)\s+((?:the\s+)?{_CHANNEL}(?:\s+(?:or|and)\s+(?:by\s+|on\s+)?(?:the\s+)?{_CHANNEL})?)\b", "{0}", "by"),
    _rule("hearing", r"\b(?:hard of hearing|deaf|can'?t hear(?: well)?)\s+(?:\w+\s+){0,2}?(?:in|on|with)\s+(?:my|the)\s+(left|right)\s+ear", "{0}", "ear"),
)
# Said before a constraint, these undo it: "not vegetarian anymore", "used to be vegan".
_UNDONE = re.compile(r"\b(?:not|no longer|never been|isn'?t|aren'?t|wasn'?t|used to(?: be)?|stopped being|quit being)\s+(?:\w+\s+){0,2}$", re.I)
_STATED = re.compile(r"\b(?:is|am|are|'m|'s|be|been|being|has|have|got)\s+(?:\w+\s+)?$", re.I)
# A constraint's word said of a thing, not of anyone: "a vegan restaurant", "veggie burgers".
_OF_A_THING = re.compile(r"^\W*(?:restaurants?|places?|caf[eé]s?|bakery|shops?|menus?|options?|recipes?|burgers?|food|cookbook|festival|event)\b", re.I)
# Whose constraint it is: a note that opens on someone else ("Tom is vegan", "my colleague..."),
# or says it of her, him or them ("had lunch with Priya, she's vegan now", "my vegan friend"), is
# theirs, and counts only when the request names them; any other note is the user's or their family's.
_OTHERS = r"friend|colleague|coworker|co-worker|boss|manager|neighbou?r|client|flatmate|roommate|housemate|ex"
_SOMEONE_ELSE = re.compile(
    rf"^\W*(?:my\s+({_OTHERS})\b(?:\s+((?-i:[A-Z])[\w'’-]+))?|([A-Za-z][\w'’-]+)(?:(?:'s|’s)\s|\s+(?:is|has|was|can'?t|cannot|doesn'?t|does|hates|"
    rf"loves|never|won'?t|eats|drinks|only|also|gets|just)\b))", re.I)
_NOT_SOMEONE = frozenset("""i it its it's that this there here what which who today tonight everything nothing life alcohol coffee caffeine meat
    dairy gluten lactose sugar fish pork flying driving cycling work dinner lunch breakfast food diet""".split())
_OF_THEM_BEFORE = re.compile(r"\b(?:she|he|they|who|shes|hes)(?:'s|’s|\s+is|\s+are|\s+has|\s+was|\s+were)?\s+(?:\w+\s+){0,2}$", re.I)
_OF_THEM_AFTER = re.compile(rf"^\W*(?:{_OTHERS}|sister|brother|cousin|aunt|uncle|guest|guests)\b", re.I)
_DRINKS = {"alcohol-free": "a mocktail, juice or sparkling water", "caffeine-free": "herbal tea, decaf or juice"}
# A few everyday dishes by meal, with what they hold; the first two a diet allows are named.
_DISHES = {
    "main": (("roast chicken with potatoes and greens", {"meat"}), ("a lentil dal with rice", set()), ("baked salmon with potatoes", {"fish"}),
             ("a chickpea and vegetable curry with rice", set()), ("a beef and vegetable stew", {"meat"}),
             ("a vegetable omelette with salad", {"egg"}), ("pasta with tomato sauce and vegetables", {"gluten"})),
    "breakfast": (("porridge with fruit", {"gluten", "dairy"}), ("eggs on toast", {"egg", "gluten"}), ("yoghurt with fruit", {"dairy"}),
                  ("a fruit smoothie", set()), ("a fruit salad", set())),
    "snack": (("fruit", set()), ("hummus with carrot sticks", set()), ("a handful of nuts", {"nuts"}), ("cheese and crackers", {"dairy", "gluten"})),
    "sweet": (("a fruit crumble", {"gluten", "dairy", "sugar"}), ("banana bread", {"gluten", "sugar", "egg"}), ("a fresh fruit salad", set()),
              ("baked apples with cinnamon", set())),
}
# What each form rules out of those dishes (halal and kosher meat is not ours to promise: none).
_RULES_OUT = {"vegetarian": {"meat", "fish"}, "vegan": {"meat", "fish", "egg", "dairy"}, "pescatarian": {"meat"}, "halal": {"meat"},
              "kosher": {"meat"}, "gluten-free": {"gluten"}, "lactose-free": {"dairy"}, "dairy-free": {"dairy"}, "nut-free": {"nuts"},
              "sugar-free": {"sugar"}, "no pork": {"pork"}, "no fish": {"fish"}, "alcohol-free": {"alcohol"}, "caffeine-free": {"caffeine"}}
_MEALS = (("breakfast", re.compile(r"\b(?:breakfast|brunch)\b", re.I)), ("snack", re.compile(r"\bsnacks?\b", re.I)), ("sweet", DOMAINS["sweet"]),
          ("main", re.compile(r"\b(?:dinners?|suppers?|lunch|cook\w*|meals?|menu|food|eat|lutuin|ulam|chop)\b", re.I)))
# A dish the request already names ("a ramen recipe", "recipe for käsespätzle") or a place to eat: no dishes of ours.
_CHOSEN = re.compile(r"\b(?!(?:a|an|the|easy|quick|simple|dinner|supper|lunch|breakfast|good|healthy|new|some|nice|any)\b)\w+ recipe\b|"
                     r"\brecipe (?:for|of) (?!(?:dinner|supper|lunch|breakfast|tonight|me|us|the (?:family|kids))\b)\w+|\brestaurants?\b|\bplace to eat\b", re.I)


# -- a taste asked for -----------------------------------------------------------------------------
# The words a request asks for a taste with (narrower than those a love is said with, loves.TASTES:
# "which fish should I get for the pond?" asks for no food, "what watch should I buy?" for no film).
TASTES_ASKED: dict[str, re.Pattern[str]] = {taste: re.compile(rf"\b(?:{words})\b", re.I) for taste, words in {
    "film": r"films?|movies?|series|shows?|netflix|cinema|k-?dramas?|rom-?coms?|anime|documentar\w*|panoorin|filamu|filmes?|pel[ií]culas?|"
            r"(?:to|i|we|fit|should|shud|can|could|might|would) watch",
    "music": r"music|songs?|playlists?|albums?|records?|podcasts?|musique|música|muziki|(?:to|i|we) listen|listen to|put (?:something|some \w+) on|"
             r"sing|kakantahin",
    "book": r"books?|novels?|(?:to|i|we|should|can|could) read|bd|libros?|livres?|kitabu|leio",
    "game": r"games?|laro|laruin|jeux?",
    "food": MEAL_WORDS + r"|nipike|tupike",
    "drink": r"drinks?|wine|beers?|cocktails?|tea|coffee|juice|smoothies?|(?:to|i|we) drink",
    "outing": r"day out|day trip|outing|things to do|hang out|do together|plan (?:our|my|the) (?:saturday|sunday|weekend|day)|(?:saturday|sunday|weekend) plans?",
}.items()}
# A gift, for whom the request names ("gift ideas for Isla?", "what do I get Arjun for our anniversary",
# "wetin I fit buy am?", "cadeau pour Camille?").
_GIFT = re.compile(
    r"\b(?:gifts?|presents|(?:a|the) present|present (?:for|idea)|presente|i?regal[oa]r?|zawadi|cadeau|nimnunulie|"
    r"get\s+(?:\w+\s+){1,3}for\s+(?:(?:her|his|their|my|the)\s+)?(?:birthday|bday|christmas|xmas|anniversary)|"
    r"(?:get|give)\s+(?-i:[A-Z])\w+\s+for(?!\s+(?:lunch|dinner|breakfast|supper|the loan))\b)\b"
    r"|\b(?:what|wetin)\b[^.?!]{0,30}\b(?:get|buy|give)\s+(?:for\s+|give\s+)?(?:him|her|them|am)\b", re.I)
# How a request asks for a taste, now: "suggest", "recs", "what should I watch", "put something
# on", "wetin I fit", "ano pwede", "nipike nini?", "une idée?". Not what one did or does ("what
# gift did I give Mum?", "what do I have for lunch on Mondays?").
_ASKS_A_TASTE = re.compile(
    r"\b(?:suggest(?!ed|s\b)\w*|recommend(?!ed|s\b)\w*|recs?|ideas?|pick (?:a|an|some|something|me|us)|"
    r"(?:should|shud|shall|could|can|might) (?:i|we)\s+(?:\w+\s+)?(?:watch|read|cook|make(?! of)|bake|eat|play|listen|put on|get|buy|give|have|"
    r"drink|order|try|do|sing|bring|grab|serve)|what to (?:watch|read|cook|make|bake|play|eat|get|buy|drink|do)|nipe|dame|abeg|pwede|gie us|give me (?:a|an|some)|"
    r"put (?:something|some \w+) on|need (?:smth|something|sth) to|wetin (?:i|we) (?:fit|go|suppose)|ano(?:ng)? (?:pwede|magandang)|"
    r"ano(?:ng)? \w+(?:in|hin) (?:ko|namin|natin)|(?-i:nini|gani)\W*$|(?-i:kya)|idée|conseill\w*|o que (?:eu|a gente)|"
    r"what (?:i|we) (?:shall|should|can|could)|what'll (?:i|we)|plan (?:our|my) \w+|"
    r"what do (?:i|we) (?:get|buy|give)\b(?!.*\b(?:usually|normally|always|every)\b))\b|^\W*something to\b", re.I)
# "What would be a good gift for Freja?", "what's a nice ...": a suggestion, though it names no "I".
_GOOD_ONE = re.compile(r"(?:^|[.!?]\s+)\W*(?:what|which)(?:'s|\s+(?:would|will|is|are|might)){0,2}\s+(?:be\s+)?(?:an?\s+)?(?:good|nice|best|great)\b", re.I)
# Said, not asked: "Sarah suggested we watch Dune", "I put on a film and fell asleep", "Tom gave me something to read".
_SAID_NOT_ASKED = re.compile(
    r"^\W*(?:(?:the|my|our|his|her)\s+)?(?:i|we|he|she|they|[\w-]+)\s+(?:\w+ed|gave|told|said|put|asked|got|had|never|always|came|went|made|"
    r"took|bought|saw|loves?|likes?|adores?)\b", re.I)
# What was or is, not what to choose: "what gift did I give Mum", "where is the present", "who gave
# me ...", "can I eat shellfish?" (a yes or no), "what do I usually get Tom", "pizza like always".
_OF_WHAT_WAS = re.compile(
    r"^\W*(?:where|who|when|did|does|do|is|are|was|were|has|have|how|(?:can|should|could|shall|may|must|will|would) (?:i|we)\b)\b|"
    r"\bwhat (?:is|was|are|were) (?:it|that|this|they)\b|"
    r"\b(?:did|was|were|had|last (?:year|time|week)|ago|yesterday|usually|normally|typically|always)\b", re.I)
# A gift asked in a few words: "gift idea for Paolo's 9th bday?", "cadeau pour l'anniv de Camille?"
# (not "the present for Tom, what is it?").
_A_FRAGMENT = re.compile(r"^(?!.*\b(?:what|which|who|where|when|how|is|are|does|do|did)\b)[^?]{1,80}\?\s*$", re.I)
# How to do something, one's health (with _about_health), grief: no taste for them ("the best way to cook rice", "what
# should I cook the chicken in?", "what should I eat after the colonoscopy?", "a song for dad's funeral").
_NO_TASTE = re.compile(
    r"\b(?:best way|how to|how (?:do|should|can) (?:i|we)|make of|watch out|listen (?:out )?for|do with|temperature|(?:good|best|right) time|"
    r"time to|(?:cook|bake|eat|serve|fry|roast)\s+(?:the|my|this|that|it)\b(?:\s+\w+){0,2}\s+(?:in|at|with|on|first)\b|"
    r"exam|test|interview|contract|brief|receipt|sick|ill|fever|flu|cough|(?:have|got|with) a cold|sore|pain|hurts?|injur\w*|colonoscopy|endoscopy|"
    r"ultrasound|scan|surgery|operation|procedure|recovery|bad back|on my period|breastfeeding|wisdom teeth|"
    r"braces|teething|antibiotics|while on|funeral|memorial|wake)\b", re.I)
# "What pan should I cook steak in?": what is asked for is a pan, not a taste.
_HEAD = re.compile(r"^\W*(?:what|which|wat)\s+(?:kind of\s+|type of\s+|sort of\s+)?([\w-]+)\s+(?:should|shud|could|can|shall|might|would|do)\b", re.I)


@dataclass(frozen=True)
class Suggestion:
    answer: str
    citations: list[int]


def domains_asked(request: str) -> frozenset[str]:
    """The kinds of suggestion ``request`` asks for: what a constraint rules out (food, sweet,
    drink, travel, time, contact, hearing) and a taste (film, music, book, game, food, drink, an
    outing, a gift); none for a task ("write a card"), a yes or no ("should I cancel dinner?"), a
    statement, what was ("what gift did I give Mum?"), how to do something, one's health, nor a
    time or an amount asked around a meal ("what time should I set off home after dinner?")."""
    if _A_TASK.search(request):
        return frozenset()
    if _DIET_ASKED.search(request):
        return frozenset({"food", "drink"})
    return _constraints_asked(request) | _tastes_asked(request)


def _constraints_asked(request: str) -> frozenset[str]:
    if not _ASKS.search(request) or _NOT_A_SUGGESTION.search(request):
        return frozenset()
    asked = frozenset(domain for domain, words in DOMAINS.items() if words.search(request))
    return asked & {"time"} if "time" in asked or _ASKS_NO_THING.search(request) else asked


@functools.lru_cache(maxsize=256)  # asked by the plan, the recall for a suggestion and the suggestion itself
def _tastes_asked(request: str) -> frozenset[str]:
    request = request.replace("’", "'")
    gift = _GIFT.search(request) is not None
    asking = [sentence for sentence in re.split(r"(?<=[.!?])\s+", request) if not _SAID_NOT_ASKED.match(sentence)
              and (_ASKS_A_TASTE.search(sentence) or _GOOD_ONE.search(sentence) or (gift and _A_FRAGMENT.match(sentence)))]
    if len(request) > LONGEST_QUESTION or not asking or _A_TASK.search(request) or _ASKS_NO_THING.search(request) \
            or any(_OF_WHAT_WAS.search(sentence) or (_NOT_A_SUGGESTION.search(sentence) and not _GOOD_ONE.search(sentence)) for sentence in asking) \
            or _NO_TASTE.search(request) \
            or _about_health(request):
        return frozenset()
    if gift:
        return frozenset({"gift"})  # "a watch for dad's birthday" asks for what dad loves, not for a film
    head = next((found.group(1) for sentence in asking if (found := _HEAD.match(sentence))), None)
    tastes = {taste for taste, words in TASTES_ASKED.items() if words.search(head or request) and not (taste == "food" and _CHOSEN.search(request))}
    return frozenset(tastes if tastes or head in (None, "else", "one", "thing", "things") else ())


def _about_health(request: str) -> bool:
    """One's health, in sensitivity's words for it ("hba1c was too high ... give me a meal plan")."""
    return sensitivity.names_topic(request, list(_HEALTH)) \
        or re.search(rf"\b(?:{sensitivity.DOMAIN['health.physical']})\b", request, re.I) is not None


_HEALTH = ("health.physical", "health.mental", "health.reproductive")


def asks_a_taste(request: str) -> bool:
    """Whether ``request`` asks for a film, music, a book, a game, food, a drink, an outing or a
    gift: what is loved answers it even where a sentence of memory answers it as a question."""
    return bool(_tastes_asked(request))


def queries(asked: frozenset[str]) -> list[str]:
    """What is recalled besides the request, for the constraints and the likes of ``asked``."""
    return [said[domain] for domain in sorted(asked) for said in (CONSTRAINTS_ASKED, LIKES_ASKED) if domain in said]


def keep_to(request: str, statements: Sequence[tuple[int, str, float]], similarity: Similarity | None = None) -> Suggestion | None:
    """What memory says a suggestion for ``request`` must keep to, from ``statements`` (id, text,
    when said), in its positive form, and what it says is loved, quoted; None when it asks no
    suggestion or memory says neither. What a later statement says of a rule replaces what an
    earlier one said ("vegan since 2021", then "not vegan anymore"; "no meetings before 11", then
    "before 10 now"). ``similarity`` scores a love by meaning (the embedder); without it, only
    constraints are said."""
    asked = domains_asked(request)
    if not asked:
        return None
    found: dict[Rule, tuple[str, list[int]]] = {}
    for memory_id, text, _ in sorted(statements, key=lambda statement: statement[2]):
        for rule in (rule for rule in RULES if rule.domains & asked):
            said = _said(rule.says, text)
            if said is None or not _whose_counts(text, request, said):
                continue
            if said is False:
                found.pop(rule, None)
            elif "{0}" in rule.keeps:
                found[rule] = (rule.keeps.format(*(value.strip() for value in said.groups() if value)), [memory_id])
            else:
                found[rule] = (rule.keeps, [*found.get(rule, ("", []))[1], memory_id])
    said = _keep_to(request, asked, [(rule, keeps) for rule, (keeps, _) in sorted(found.items(), key=lambda item: RULES.index(item[0]))])
    cited = {memory_id for _, ids in found.values() for memory_id in ids}
    ruled_out = set().union(*(_RULES_OUT.get(keeps, set()) for keeps, _ in found.values()))
    tastes = _tastes_asked(request)  # not every kind of suggestion asked: "pasta recipe" asks for no love of pasta
    whom, loves = loved(request, tastes, statements, similarity, ruled_out, [rule.says for rule in RULES]) if similarity and tastes else (None, [])
    quoted = " and ".join(f"“{part}”" for _, part in loves)  # in the user's own words
    cited |= {memory_id for memory_id, _ in loves}
    if said is None and not loves:
        return None
    if said is None:
        return Suggestion(f"How about something {who_loves(whom)}? You've told me: {quoted}.", sorted(cited))
    also = f" You've also told me: {quoted}." if loves else ""
    return Suggestion(f"{said}, going by what you've told me.{also}", sorted(cited))


def _keep_to(request: str, asked: frozenset[str], kept: list[tuple[Rule, str]]) -> str | None:
    """The suggestion's own words for what it keeps to: a diet by its name, with two dishes it
    allows; a drink with examples; a way to travel; an hour ("After 11"); a way to be reached
    ("By text message"); where to sit for a deaf ear."""
    told: dict[str, list[str]] = {}
    for rule, keeps in kept:
        told.setdefault(rule.part, []).append(keeps)
    forms = [form for form in told.get("form", []) if not (form == "vegetarian" and "vegan" in told["form"])]
    if forms and _DIET_ASKED.search(request):
        return _joined(forms, "and").capitalize()
    parts = ["Something " + _joined(forms, "and")] if forms else []
    examples = [_DRINKS[form] for form in forms if form in _DRINKS and "drink" in asked] or _dishes(request, asked, {keeps for _, keeps in kept})
    if examples:
        parts.append(("like " if parts else "Something like ") + examples[0])
    parts += [f"After {hour}" for hour in told.get("after", [])[:1]] + [f"By {channel}" for channel in told.get("by", [])[:1]]
    parts += [f"Sit with them on your {'right' if side == 'left' else 'left'} side" for side in told.get("ear", [])[:1]]
    ways = _ways(set(told.get("travel", []))) if "travel" in asked else []
    if ways:
        parts.append("Go " + _joined(ways, "or"))
    return ", ".join(parts) if parts else None


def _ways(keeps: set[str]) -> list[str]:
    """Ways to travel that keep to not flying, not driving, going by bike."""
    ways = ["by bike"] if "by bike" in keeps else []
    if "no flying" in keeps:
        ways += ["by train", "by bus"] + ([] if "no car" in keeps else ["by car"])
    elif "no car" in keeps:
        ways += ["by bus", "by train"]
    return ways


def _dishes(request: str, asked: frozenset[str], keeps: set[str]) -> list[str]:
    """Two everyday dishes of the meal asked for that keep to ``keeps`` ("a lentil dal with rice or
    a chickpea and vegetable curry with rice"); none for a dish or a place the request names."""
    ruled_out = set().union(*(_RULES_OUT.get(keep, set()) for keep in keeps))
    meal = next((meal for meal, words in _MEALS if words.search(request)), None)
    if not keeps & _RULES_OUT.keys() or meal is None or not asked & {"food", "sweet"} or _CHOSEN.search(request):
        return []
    dishes = [dish for dish, holds in _DISHES[meal] if not holds & ruled_out][:2]
    return [_joined(dishes, "or")] if dishes else []


def _joined(items: list[str], word: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]


def _said(rule: re.Pattern[str], text: str) -> re.Match[str] | bool | None:
    """Where the constraint is said; False: it is undone ("not vegan anymore", "used to be
    vegan"); None: the text says nothing of it. A question says it only of someone ("what
    should I cook for Mary, who is vegan?"), not by asking for it ("a vegan place near Bolhão?");
    a thing is not on a diet ("a vegan restaurant")."""
    found = [match for match in rule.finditer(text) if not _only_asked(text, match) and not _OF_A_THING.match(text[match.end():])]
    said = [match for match in found if not _UNDONE.search(text[: match.start()])]
    return said[0] if said else (False if found else None)


def _only_asked(text: str, found: re.Match[str]) -> bool:
    """The constraint's words are in a question, not said of anyone ("cheap vegan lunch ideas?")."""
    end = re.search(r"[.!?\n]|$", text[found.end():])
    return text[found.end() + end.start():].startswith("?") and not _STATED.search(text[: found.start()])


def _whose_counts(text: str, request: str, said: re.Match[str] | bool) -> bool:
    """The user's own constraint, their family's, or that of someone the request names."""
    subject = _SOMEONE_ELSE.match(text)
    named = [word for word in subject.groups() if word and word.lower() not in _NOT_SOMEONE] if subject else []
    of_them = isinstance(said, re.Match) and (_OF_THEM_BEFORE.search(text[: said.start()]) or _OF_THEM_AFTER.match(text[said.end():]))
    if of_them and not named:
        named = [strip_possessive(word) for word in re.findall(r"(?<=\s)(?-i:[A-Z])[\w'’-]+|\b\w[\w-]{0,30}(?:'s|’s)(?=\s)", text)
                 if strip_possessive(word).lower() not in _NOT_SOMEONE]  # "plan paolo's bday ..., hes lactose intolerant"
        if not named:
            return False
    return not named or any(re.search(rf"\b{re.escape(word)}\b", request, re.I) for word in named)
