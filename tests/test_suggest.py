"""Suggestions that keep to what memory rules out: diets, drinks, ways to travel (suggest.py)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from secondme import suggest
from secondme.assistant import CAPABLE_PARAMETERS, Assistant
from secondme.memory import sensitivity
from secondme.memory.types import NewMemory

from fakes import FakeModel


def said(request: str, *notes: str, similarity=None) -> str | None:
    """What a suggestion for ``request`` keeps to (and, with ``similarity``, what it quotes as
    loved), from notes said one after the other."""
    found = suggest.keep_to(request, [(number, note, float(number)) for number, note in enumerate(notes)], similarity)
    return None if found is None else found.answer


@pytest.fixture
def loved(memories):
    """``said`` with the embedder's sense of meaning, as the assistant asks it."""
    def similarity(request: str, texts) -> list[float]:
        vectors = memories.embed_texts([request, *texts])
        return [float(vector @ vectors[0]) for vector in vectors[1:]]

    return lambda request, *notes: said(request, *notes, similarity=similarity)


@pytest.mark.parametrize(
    "request_, notes, wanted",
    [
        ("Suggest a dinner I could cook tonight", ["I'm vegetarian, have been my whole life"], "Something vegetarian, like a lentil dal with rice or a chickpea"),
        ("I'm hosting book club, what should I cook?", ["I don't eat pork. Never have."], "Something like roast chicken with potatoes"),
        ("Suggest a breakfast for the whole family", ["Lactose intolerant, so oat milk in everything."], "Something lactose-free,"),
        ("it's 5pm and I'm crashing, what should I have as a pick-me-up?", ["I don't drink coffee after 4pm or I won't sleep"],
         "Something caffeine-free, like herbal tea"),
        ("what drinks should I buy for my party?", ["I dont drink alcohol anymore, already 3 years"], "Something alcohol-free, like a mocktail"),
        ("best way to travel to Dublin?", ["I dont like flying, I get panic in the plane"], "Go by train, by bus or by car"),
        ("gie us an idea for a day oot", ["Don't drive anymore since the knee got bad, I go everywhere on my bus pass"], "Go by bus or by train"),
        ("snack ideas for Samuel's hockey team", ["Samuel has a serious peanut allergy"], "Something nut-free,"),
        ("give me an idea for a dessert I can eat too", ["type 2 diabetic since 2015"], "Something sugar-free,"),
        ("Do I have any dietary requirements?", ["I have coeliac disease, so I must eat strictly gluten-free."], "Gluten-free, going"),
        ("Do I have some food intolerance?", ["I am lactose intolerant, so I use only lactose-free milk products."], "Lactose-free, going"),
        ("what time should I propose for the meeting with Prof Matos?", ["hate mornings. no meetings before 11 pls"], "After 11"),
        ("The dentist asks what time is good for me on Wednesday. What should I say?", ["I am working early shift, from 6 to 2, Monday to Friday"], "After 2"),
        ("what's the best way to get in touch with my landlord?", ["I hate phone calls, texting is so much better for me"], "By text message"),
        ("Any tips so that I can hear her properly in the café?", ["I am slightly hard of hearing in my left ear."], "Sit with them on your right side"),
    ],
)
def test_a_constraint_is_said_in_its_positive_form(request_, notes, wanted):
    answer = said(request_, *notes)
    assert answer is not None and answer.startswith(wanted)
    assert answer.endswith("going by what you've told me.")


def test_what_keeps_a_suggestion_from_a_constraint():
    assert said("quick dinner idea tonight", "vegan since 2021", "not vegan anymore. eggs and cheese ok again. still no meat") \
        .startswith("Something vegetarian, like"), "a later 'not vegan anymore' undoes it"
    assert said("quick dinner idea tonight", "I used to be vegetarian") is None, "said in the past"
    assert said("quick dinner idea tonight", "cheap vegan lunch i can meal prep?") is None, "asked for, not said of anyone"
    assert said("dinner ideas for when Mary visits", "what should I cook for Mary, who is vegan?").startswith("Something vegan"), "said in passing"
    assert said("quick dinner idea tonight", "what should I cook for Mary, who is vegan?") is None, "Mary's, not the user's"
    assert said("suggest a dinner for tonight", "My colleague Tom is vegan", "Tom's wife is coeliac") is None, "a colleague's diet is theirs"
    assert said("suggest a dinner for Tom and me", "My colleague Tom is vegan") is not None, "unless the request names them"
    assert said("recipe for käsespätzle for 4", "type 2 diabetes since 2021") is None, "diabetes rules out sugar, not a main dish"
    assert said("Write a birthday card for Tom", "I'm vegan") is None, "a card asks no suggestion"
    assert said("I run a dairy farm, what should I cook tonight?", "I sold the dairy farm in 2017") is None, "a dairy farm is no diet"
    assert "fish" not in said("what should I cook for supper?", "I don't eat pork", "The fish and the seafood, me I don't eat that at all")
    assert said("can you give me a ramen recipe?", "I'm vegan") == "Something vegan, going by what you've told me.", "no dish of ours for one named"
    assert said("My sister invited me for dinner. What time should I set off home?", "I'm coeliac") is None, "a time is asked, not a dish"


@pytest.mark.parametrize(
    "request_, note",
    [
        ("what drinks should I buy for the party?", "I don't drink enough water"),
        ("what drinks should I buy for the party?", "never drink and drive"),
        ("what should I have as a pick-me-up?", "coffee makes me happy"),
        ("suggest a dinner for tonight", "no meat on Fridays during Lent"),
        ("suggest a dinner for tonight", "Went to a vegan restaurant, it was awful"),
        ("suggest a dinner for tonight", "Had lunch with Priya, she's vegan now"),
        ("suggest a dinner for tonight", "I'm cooking for my vegan friend next week"),
        ("suggest a dinner for tomorrow", "Tom is vegan"),
        ("what's the best way to travel to Dublin?", "no car park at the office"),
        ("what's the best way to travel to Dublin?", "I don't drive on motorways"),
        ("what time should I propose for the meeting?", "I never eat before 12"),
        ("what time should I propose for the meeting?", "The lease is not before 2025"),
        ("what time should I propose for the meeting?", "I work from home 2 to 3 days a week"),
        ("best way to get in touch with the landlord?", "reach me only on weekends"),
    ],
)
def test_what_is_no_constraint(request_, note):
    assert said(request_, note) is None


@pytest.mark.parametrize(
    "request_",
    ["Help me write a toast for my sister's wedding", "where can I hear live jazz?", "tips to treat my sunburn", "tips to reach my savings goal",
     "Should I cancel dinner with Tom?", "Should I go to the party?", "What did we plan for dinner on Saturday?",
     "Help me write a message to reach my landlord", "What recipe did Nate offer to share with Joanna?",
     "How has Nate tried to share his vegan ice-cream recipes?", "Write a blog post about dietary requirements at weddings"],
)
def test_what_asks_no_suggestion(request_):
    assert suggest.domains_asked(request_) == frozenset()


def test_the_latest_value_wins_whatever_the_order_of_the_rules():
    assert said("what time should I propose for the meeting?", "no meetings before 11 pls", "no meetings before 10 now") \
        == "After 10, going by what you've told me."
    assert said("Any tips so I can hear her in the café?", "deaf in my left ear", "no longer deaf in my left ear") is None


def test_a_small_model_suggestion_reads_memory_and_keeps_a_held_constraint_private(memories):
    for text in ("I'm vegetarian.", "I'm allergic to peanuts, I carry an EpiPen.", "I live in Leeds with my partner Sam."):
        memories.remember([NewMemory(text, kind="note", source="user")])
    allergy = next(memory for memory in memories.browse() if "peanuts" in memory.content)
    assert sensitivity.is_sensitive(allergy), "an allergy is health"
    model = FakeModel()
    result = Assistant(memories, model).turn("Suggest a dinner I could cook tonight")
    assert result.answer.startswith("Something vegetarian and nut-free") and result.grounded
    assert allergy.id in result.citations and "peanut" not in result.answer.lower() and "allerg" not in result.answer.lower()
    assert model.prompts == [], "read out of memory: the small model wrote nothing"
    assert "I'm vegetarian." in [memories.get(memory_id).content for memory_id in result.citations]


def test_a_question_memory_cannot_answer_may_still_be_a_suggestion(memories):
    memories.remember([NewMemory("I do not own a mobile telephone; I may be reached only by email or on the landline.", kind="note", source="user")])
    result = Assistant(memories, FakeModel()).turn("What would be the most suitable means of receiving reminders for my appointments?")
    assert result.answer == "By email or on the landline, going by what you've told me." and result.grounded


def test_the_request_is_still_remembered_and_a_capable_model_writes_its_own(memories):
    memories.remember([NewMemory("I'm vegan.", kind="note", source="user", created_at=time.time() - 60)])
    result = Assistant(memories, FakeModel()).turn("I ran my first 10k at Roundhay Park today! what should I eat for recovery?")
    assert result.answer.startswith("Something vegan")
    told = memories.get(result.remembered[0])
    assert "10k" in told.content and told.speech == "statement", "what the request told is remembered as said, not as a question memory answered"
    capable = FakeModel(answer="A lentil and spinach curry.")
    capable.info = SimpleNamespace(parameters=CAPABLE_PARAMETERS)
    assert Assistant(memories, capable).turn("Suggest a dinner I could cook tonight").answer == "A lentil and spinach curry."


def test_a_taste_is_suggested_from_what_is_loved_quoted_without_the_dislike(loved):
    notes = "super takot ako sa horror movies, like i literally cant sleep after. rom coms or kdrama lang ako, fave is crash landing on you"
    answer = loved("movie rec for tonight pls", notes)
    assert answer == "How about something you love? You've told me: “fave is crash landing on you”.", "quoted as said, the dislike left out"
    answer = loved("what should we watch tonight?", "I love a good comedy but horror films give me nightmares")
    assert "comedy" in answer and "horror" not in answer
    assert loved("suggest a dinner for tonight", "I love veggie burgers") == "How about something you love? You've told me: “I love veggie burgers”."
    assert "fantasy novels" in loved("any book recs?", "I'm obsessed with fantasy novels, Sanderson especially")
    assert "fantasy" in loved("any book recs?", "I'm obsessed with fantasy novels", "I work at the library on Fridays")


def test_a_gift_is_suggested_from_what_its_recipient_loves(loved):
    note = "Isla's birthday is the 3rd of June and she's horse daft, wants riding lessons, whereas Callum is the 17th of November and he loves dinosaurs"
    isla, callum = loved("What should I get Isla for her birthday?", note), loved("any ideas whit tae get wee Callum for Christmas", note)
    assert isla.startswith("How about something Isla loves?") and "horse daft" in isla and "dinosaur" not in isla
    assert callum.startswith("How about something Callum loves?") and "dinosaurs" in callum and "horse" not in callum
    assert loved("gift ideas for my mum?", "My mum's really into gardening these days, tomatoes mostly").startswith("How about something your mum loves? You've told me: “My mum's really into gardening")
    assert loved("gift ideas for my mum?", "I love gardening") is None, "the user's own love is no gift for mum"


@pytest.mark.parametrize(
    "request_, notes",
    [
        ("any book recs?", ["My sister loves crime novels"]),  # hers, not the user's
        ("any book recs?", ["I'm not a fan of thrillers"]),  # a negation names what to avoid
        ("any book recs?", ["any good fantasy novels you'd love to recommend?"]),  # asked, not said
        ("what should we watch tonight?", ["I love my dog"]),  # no film
        ("Where can I hear live jazz?", ["I love jazz"]),  # a place is asked
    ],
)
def test_what_is_no_taste(loved, request_, notes):
    assert loved(request_, *notes) is None


def test_a_diet_decides_food_before_a_favourite_and_two_loves_are_quoted(loved):
    answer = loved("suggest a dinner for tonight", "my favourite dish is steak frites", "I'm vegetarian now")
    assert answer.startswith("Something vegetarian") and "steak" not in answer
    answer = loved("what music should I put on for my run?", "I used to listen to a lot of metal", "big fan of afrobeats these days", "obsessed with Burna Boy's new album")
    assert "Burna" in answer and "afrobeats" in answer and "metal" not in answer


def test_the_love_closest_in_meaning_is_quoted_and_a_new_one_outlives_its_negation(loved):
    notes = ("allergic ako sa shrimp, i have an epipen. fave ulam is sinigang na baboy and tapsilog",
             "i dont drink coffee bc palpitations, milk tea lang talaga", "food budget ko 150/day")
    assert "sinigang" in loved("ano pwede kong lutuin for dinner tonight, something pinoy", *notes)
    answer = loved("anong game pwede ko laruin this weekend", "hindi na ako nag Mobile Legends, adik ako sa Valorant ngayon")
    assert "Valorant" in answer and "Mobile Legends" not in answer
    answer = loved("gift ideas for my mum?", "Umma's 60th is on 8/23. She's into gardening, grows perilla in the backyard.")
    assert answer.startswith("How about something your mum loves?") and "gardening" in answer
    assert "Earl Grey" in loved("Karen's coming to tea on sunday. what shall I have ready for her",
                                "My daughter Karen drinks nothing but Earl Grey and does the Times crossword every day")
    achieng = loved("Gift idea for Achieng to celebrate her new studio?",
                    "Binti yangu Achieng yuko Leeds akisoma fashion design, she can't get enough of sketchbooks and dresses")
    assert "sketchbooks" in achieng, "a place between the name and the love is no one else"


@pytest.mark.parametrize(
    "request_, note",
    [
        ("what should we watch tonight?", "I don’t like horror films"),  # a curly apostrophe negates too
        ("any book recs?", "she’s obsessed with Sally Rooney novels"),  # hers
        ("what should we watch tonight?", "I cancelled Netflix to save money"),  # a taste named, no love
        ("suggest a dinner for tonight", "I had food poisoning from the chicken at Nando's"),
        ("gift ideas for my dad?", "Dad goes to dialysis every week"),  # "every week" is no love
        ("gift ideas for Tom?", "Tom prefers to be called Thomas"),
        ("gift ideas for Tom?", "I collect Tom from school at 3"),
        ("what should we watch tonight?", "my ex loved horror films"),  # someone else's, and a love that was
        ("what should we watch tonight?", "Everyone at work loves horror films"),
        ("what should we watch tonight?", "Anna came over and loves horror films"),
        ("gift ideas for Mum?", "Mum's neighbour loves candles"),  # the neighbour's
        ("gift ideas for Mum?", "Mum's birthday is in May and I love candles"),  # the user's
        ("gift ideas for Tom?", "Had dinner with Tom and Anna. She loves gardening"),  # Anna's
        ("gift ideas for Sarah?", "Sarah's husband loves golf"),
        ("what should we watch tonight?", "I'd prefer anything but horror"),
        ("what should we watch tonight?", "Love Island is trash tv"),
        ("suggest a dinner for tonight", "Tom's favourite is lasagne, I find it too heavy"),
        ("what music should I put on?", "Wanjiku anapenda rhumba sana"),  # hers: "anapenda" is "she loves"
        ("what should we watch tonight?", "Back in uni I was totally into anime"),  # a love that was
        ("suggest a dinner for tonight", "My favourite meal growing up was my late mum's stew"),
        ("what should I cook tonight? my husband is away", "My husband loves steak"),
        ("gift ideas for Tom?", "Tom came for dinner with anna. She loves candles."),
        ("what should we watch tonight?", "We watched a film last night, I love popcorn"),  # the film is not what is loved
    ],
)
def test_what_is_no_love_of_whom_it_is_for(loved, request_, note):
    assert loved(request_, note) is None


def test_a_constraint_rules_out_a_love_that_breaks_it(loved):
    assert "beer" not in loved("what drinks should I get for the party?", "I'm sober, 3 years now", "I love a cold beer after work")
    assert "chorizo" not in loved("suggest a dinner for tonight", "I love a good chorizo stew", "I'm vegetarian")
    assert "carbonara" not in loved("suggest a dinner for tonight", "I'm coeliac", "My comfort food is spaghetti carbonara")


def test_only_the_piece_that_says_the_love_is_quoted(loved):
    assert loved("gift ideas for Tom?", "My husband Tom is in prison until 2026, he loves crosswords") \
        == "How about something Tom loves? You've told me: “he loves crosswords”."
    assert "church" not in loved("what music should I put on?", "I go to church every Sunday and love gospel music")
    assert loved("gift ideas for Tom?", "Arjun (husband) is crazy about cricket") is None
    assert "cricket" in loved("gift ideas for Arjun?", "Arjun (husband) is crazy about cricket, he collects RCB merchandise")
    assert "gore" not in loved("what should we watch tonight?", "I love thrillers, gore is a hard pass for me")
    assert loved("what should we watch tonight?", "I love anime (except Naruto, which I detest)").endswith("“I love anime”.")
    assert loved("what should I listen to?", "I love jazz", "I love jazz!").count("jazz") == 1, "one love, quoted once"
    assert loved("what should I listen to on my run?", "I'm addicted to true crime podcasts since Mum's murder trial") is None


@pytest.mark.parametrize(
    "request_",
    ["i no dey watch horror film at all, e dey give me nightmare for one full week", "wetin i dey read currently", "ano fave food ko",
     "what gift did I give Mum last year?", "where is the present I bought for Tom?", "what was the best film I saw this year?",
     "what do I have for lunch on Mondays?", "what do I usually get Tom for his birthday?", "did Sarah like the present?",
     "Sarah suggested we watch Dune", "Nini loves the new Dune film", "I put on a film and fell asleep", "Tom gave me something to read",
     "what should I eat after the colonoscopy?", "which fish should I get for the pond?", "what watch should I buy?",
     "what pan should I cook steak in?", "which book should I return to the library?", "what's the best way to cook rice?",
     "can I eat shellfish?", "should I watch Dune?", "what should I watch out for at the new job?", "what should I read for my exam?",
     "what should I cook the chicken in?", "what's a good time to watch the match?", "what should I have for breakfast before the ultrasound?",
     "what should I give her for her cough?", "the present for Tom, what is it?", "what gift does Anna want?",
     "what song should we play at dad's funeral?", "what should I get for dinner, pizza like always?",
     "hba1c was too high last time. give me a weeknight meal plan that helps bring it down", "what should I drink? I have a cold",
     "What book recommendations has Joanna given to Nate?", "What substitution does Nate suggest for sugar in dairy-free baking?",
     "What is the registration number of my present car?", "What make of motor car do I presently drive?",
     "Can you give me a recipe for Karelian pasties?", "Book club picked Americanah, my pick finally!"],
)
def test_a_statement_or_a_question_of_fact_asks_no_taste(request_):
    assert not suggest.asks_a_taste(request_)


@pytest.mark.parametrize(
    "request_, taste",
    [("wetin I fit watch tonight?", "film"), ("put something on for my run", "music"), ("What would be a good gift for Freja's birthday?", "gift"),
     ("what do I get Arjun for our anniversary", "gift"), ("Sabine and Felix come on Sunday, what I shall bake?", "food"),
     ("ano lulutuin ko for dinner", "food"), ("o que eu leio agora? need a new book", "book"), ("cadeau pour l'anniv de Camille?", "gift"),
     ("suggest a cold drink for the heat", "drink"), ("what period drama should I watch?", "film")],
)
def test_how_a_taste_is_asked(request_, taste):
    assert taste in suggest.domains_asked(request_)


def test_a_small_model_suggests_what_memory_says_is_loved(memories):
    for text in ("I work as a nurse in Leeds.", "Big fan of Studio Ghibli films, Spirited Away most of all."):
        memories.remember([NewMemory(text, kind="note", source="user")])
    model = FakeModel()
    result = Assistant(memories, model).turn("pick a film for tonight")
    assert "Studio Ghibli" in result.answer and result.grounded and model.prompts == []
    assert [memories.get(memory_id).content for memory_id in result.citations] == ["Big fan of Studio Ghibli films, Spirited Away most of all."]
