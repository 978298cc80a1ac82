"""Grounded answers: the reader, the speech acts it relies on, dates, citations, updates."""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from secondme import answer, kinship, words
from secondme.assistant import Assistant
from secondme.memory import consolidate, recall, sensitivity
from secondme.memory.extract import speech_act
from secondme.memory.recall import Hit
from secondme.memory.types import Filters, NewMemory
from secondme.memory.updates import replaces
from secondme.times import resolve_relative
from secondme.words import stem

from fakes import FakeModel

MAY_8 = datetime(2023, 5, 8, 13, 56, tzinfo=timezone.utc).timestamp()


def read(question: str, *texts: str, said_at: float | None = None) -> str:
    """The reader's answer to ``question`` out of ``texts``, recalled in that order."""
    return answer.read(question, [answer.Recalled(i + 1, text, 1.0, 0.6, said_at) for i, text in enumerate(texts)]).answer


def read_said_on_may_8(question: str, text: str) -> str:
    return read(question, text, said_at=MAY_8)


@pytest.mark.parametrize(
    "text, act",
    [
        ("Where does my sister live?", "question"),
        ("what's my dentist's name", "question"),
        ("My sister is called Mia.", "statement"),
        ("Suggest a dinner I could cook tonight", "request"),
        ("Zosia wants a hamster for her birthday in April, is it a good idea with a dog in the house?", "statement"),
        ("Can you help me write a card for my mum, she's turning 70 on Saturday", "statement"),
        ("Caroline: How are you doing, Melanie?", "question"),
        ("Melanie: I went camping last week with the kids, it was great!", "statement"),
        # said in passing inside a question
        ("Can you help me write a card for my nephew Tom, he turns 9 on the 4th of May?", "statement"),
        ("what should I cook for my sister Mary who is vegan?", "statement"),
        ("gift ideas for my son Ben (he is 7 and loves dinosaurs)?", "statement"),
        ("When is my dentist appointment, do you know?", "question"),
        ("where did I park, I think it was level 3?", "question"),
        ("whos the guy who fixed my car?", "question"),
        ("where did I park, I can't remember?", "question"),
        ("Who is my friend who lives in Leeds?", "question"),
        ("Should I book the Italian or the Thai place, which is closer to home?", "question"),
        ("Which dentist did I see (the one in Leeds) last year?", "question"),
        ("What did Maria start recently, as mentioned on 3 June, 2023?", "question"),
        ("According to Gina, what makes Jon a good mentor?", "question"),
        ("According to my doctor, I need more iron.", "statement"),
        # other languages ask with their own words, with or without a question mark
        ("kelan bday ko", "question"),
        ("saan nagwowork si kuya jomar", "question"),
        ("Nani lives in Hilo", "statement"),
        ("Sino-Japanese relations are my thesis topic.", "statement"),
        ("cuando era niña vivía en Castro", "statement"),
        ("I'm visiting my nani", "statement"),
        ("¿dónde vive mi hermana?", "question"),
        ("mathe anaishi wapi", "question"),
        ("San Pedro street is closed today", "statement"),
        ("san diego zoo was fun", "statement"),
        # what a question carries besides its asking clause states nothing
        ("the vet in Castro, what was his apellido?", "question"),
        ("san ako naglalaro, pc or phone", "question"),
        ("remind me the name of the village where we live, for the address", "request"),
        ("I moved to Leeds, where is a good café?", "statement"),
        ("Our dog walker Marco can't come next week, can you find a backup?", "statement"),
        ("ilang taon na ko", "question"),
        ("ilang beses na ako pumunta sa Cebu", "statement"),
        ("wen be my bday again", "question"),
        ("help me think up a new name for our bowling team we bowl tuesday nights out at the lanes", "statement"),
        ("could you suggest a nice birthday gift for my wife that i could give her at dinner on friday", "question"),
        ("Wen Li is my tutor", "statement"),
        ("abeg which antibiotic i allergic to", "question"),
        ("where i dey do my masters", "question"),
        ("what i love most is hiking", "statement"),
        ("And Gaston Lemire, he do what?", "question"),
        ("The cabane where we make the syrup, it is on the land of who?", "question"),
        ("san ka nagwowork ngayon", "question"),
        # a wh-word followed by its subject, without a question mark, opens a statement
        ("when it rains I don't go fishing", "statement"),
        ("where I live the buses are bad", "statement"),
        ("cuando yo era niña vivía en Castro", "statement"),
        ("when I get there, what do I do?", "question"),
        ("how i can fix my bike chain", "question"),
        ("where i left my keys", "question"),
    ],
)
def test_speech_acts(text, act):
    assert speech_act(text) == act


def test_relative_times_resolve_against_when_they_were_said():
    assert resolve_relative("yesterday", MAY_8) == "7 May 2023"
    assert resolve_relative("last week", MAY_8) == "the week before 8 May 2023"
    assert resolve_relative("last year", MAY_8) == "2022"
    assert resolve_relative("two days ago", MAY_8) == "6 May 2023"
    assert resolve_relative("next month", MAY_8) == "June 2023"
    assert resolve_relative("last Sunday", MAY_8) == "the Sunday before 8 May 2023"
    assert resolve_relative("in the garden", MAY_8) is None
    assert resolve_relative("Last Fri I took the kids", MAY_8) == "the Friday before 8 May 2023"
    assert resolve_relative("next tues", MAY_8) == "the Tuesday after 8 May 2023"
    assert resolve_relative("I last sat there", MAY_8) is None and resolve_relative("a last wedding", MAY_8) is None


def test_how_long_something_has_held_dates_its_start_not_the_day_it_was_said():
    assert read_said_on_may_8("When did I move to Leeds?", "I have lived in Leeds for five years.") == "2018"
    assert read_said_on_may_8("When did I get Max?", "I've had my dog Max for a few months now.") == "February 2023"
    assert read_said_on_may_8("When did I get Max?", "I got my dog Max yesterday.") == "7 May 2023"
    assert read_said_on_may_8("When did we get married?", "I've been married for ten years") == "2013"
    assert read_said_on_may_8("when did I have a cold?", "I had a cold for two weeks") == "8 May 2023", "how long it lasted, not since when"
    assert read_said_on_may_8("when did I get married?", "I have lived in Leeds for 5 years and I have been married for ten years") == "2013"
    assert read_said_on_may_8("when did we move to Leeds?", "we moved to Leeds ten years ago") == "2013"
    assert resolve_relative("twenty-seven years ago", MAY_8) is None, "not seven years ago"


def test_questions_know_what_they_want_and_who_they_are_about():
    question = answer.parse_question("What is my brother's name?")
    assert question.wants == "person" and any(answer.stem("brother") in accepted for accepted in question.about)
    assert answer.parse_question("Where does Marek live now?").wants == "place"
    assert answer.parse_question("when is my mum's birthday").wants == "time"
    assert answer.parse_question("how many kids do I have?").wants == "number"
    assert answer.parse_question("What car do I drive?").head == "car"
    assert answer.parse_question("When did Caroline go to the support group?").past_event
    assert answer.parse_question("Which week did Tim visit the UK?").wants == "time"


def test_a_month_said_as_a_time_is_not_whom_a_question_is_about():
    assert answer.parse_question("When did Melanie go camping in June?").about == (frozenset({"melani"}),)
    assert answer.parse_question("Where did Joanna travel to in July 2022?").about == (frozenset({"joanna"}),)
    assert answer.parse_question("Where does June live?").about == (frozenset({"jun"}),)


def test_names_stand_for_relations():
    assert ("husband", "Chidi") in kinship.relation_names("My husband Chidi turns 50 in September.")
    assert ("girlfriend", "beatriz") in kinship.relation_names("gf = beatriz, everyone calls her bia")
    assert ("girlfriend", "bia") in kinship.relation_names("gf = beatriz, everyone calls her bia")
    assert ("mother", "Ngozi") in kinship.relation_names("Mum's name is Ngozi, she's 74.")
    assert ("friend", "Kavya") in kinship.relation_names("My other close friend Kavya is an architect, we've been friends since college")
    assert kinship.relation_names("my old best friend Dave") == [], "a former friend is no friend now"
    assert answer.says_unknown(read("Which college did I go to", "My other close friend Kavya is an architect, we've been friends since college")), \
        "a friend since college is no college"


def test_the_people_of_the_people_around_the_user_are_known_by_name():
    said = ["I have an older brother, Arjun, he lives in Singapore.", "Arjun's wife Nisha is expecting in December!",
            "I have a West Highland terrier called Toby.", "mãe (sandra) sent a box of paçoca"]
    assert kinship.asked_kin("what's my sister-in-law called?") == ("", ("sister-in-law",))
    assert kinship.asked_kin("whats kuba's teacher's name") == ("kuba", ("teacher",))
    assert kinship.asked_kin("what is my brother's wife called") == ("", ("brother", "wife"))
    assert kinship.named("", ("sister-in-law",), said) == ("Nisha", (0, 1))
    assert kinship.named("", ("brother", "wife"), said) == ("Nisha", (0, 1))
    assert kinship.named("", ("dog",), said) == ("Toby", (2,))
    assert kinship.named("", ("mother",), said) == ("sandra", (3,))
    assert kinship.named("", ("brother-in-law",), said) is None
    look_alikes = ["My dentist is closed on Mondays.", "My old manager Dave retired.", "I have a meeting called Standup.",
                   "I have a cat called Luna.", "Sarah's mum is Irish.", "My friend Tom has a son, Jack."]
    assert kinship.named("", ("dentist",), look_alikes) is None and kinship.named("", ("manager",), look_alikes) is None
    assert kinship.named("", ("dog",), look_alikes) is None and kinship.named("", ("cat",), look_alikes) == ("Luna", (3,))
    assert kinship.named("", ("son",), look_alikes) is None and kinship.named("sarah", ("mother",), look_alikes) is None
    assert kinship.named("kuba", ("teacher",), ["Kuba's teacher is Ms. Nowak."]) == ("Ms. Nowak", (0,))


def test_pets_are_known_by_their_breed_and_their_name():
    said = ["We adopted a border collie called Skye last spring.", "Pumpkin is a ginger tabby, very lazy",
            "my cat Pepper hates the hoover", "Max is a lab tech at the hospital."]
    assert kinship.breed("What breed is Skye?", said) == ("border collie", 0)
    assert kinship.breed("what kind of cat is pumpkin", said) == ("ginger tabby", 1)
    assert kinship.breed("What breed is Pepper?", said) is None, "'my cat Pepper' names no breed"
    assert kinship.named("", ("dog",), said[3:]) is None, "a lab tech is not a labrador"
    assert kinship.asked_kin("who walks our dog?") is None, "asks for the walker, not the dog"
    assert ("dentist", "Dr. Okoro") in [(k.relation, k.name) for k in kinship.kin("my dentist (the new one, not Ade) Dr. Okoro is lovely")]


def test_numbers_and_names_that_are_not_the_answer(memories):
    remember_all(memories, "Tolu is in Year 4 at St Anne's Primary School.")
    assistant = Assistant(memories, FakeModel())
    said = assistant.turn("how old is Tolu?")
    assert answer.says_unknown(said.answer) and not said.grounded, "a school year is not an age"
    assert said.answer == f"{answer.UNSURE_ANSWER} “Tolu is in Year 4 at St Anne's Primary School”", "what comes near is shown, as such"
    tolu = said.citations[0]
    before = memories.get(tolu).strength
    assistant.turn("how old is Tolu?")
    assert memories.get(tolu).strength == before, "a memory shown as the closest, not as the answer, is not reinforced"
    # and "4 at St Anne's" is not a street address that would hold the school back
    assert "St Anne's Primary School" in assistant.turn("what school does Tolu go to?").answer


def test_durations_dates_and_people_read_as_people_write_them(memories):
    remember_all(memories, "My Hamish died in the March of 2020, we'd been together 38 year. His birthday was the 4th of July.",
                 "I've lived in Leith since 1999.", "Kids: Ines is 14, Tomas is 8.",
                 "Oor Kirsty's my youngest, she's 35 and a dental nurse in Perth.",
                 "Separated from Colm in 2021. It's friendly now. He's a pharmacist in Naas.",
                 "Big news, Ailsa's moved tae Oban!")
    assistant = Assistant(memories, FakeModel())
    assert "38 year" in assistant.turn("How long were Hamish and I together?").answer, "a duration, not the year he died"
    assert "since 1999" in assistant.turn("how long have I lived in Leith").answer
    assert "4th of July" in assistant.turn("when was Hamish's birthday").answer, "'His birthday' follows the sentence naming him"
    assert assistant.turn("how old is Tomas").answer == "8", "not Ines's age, said first"
    assert "dental nurse" in assistant.turn("What does Kirsty do for a living?").answer
    assert "pharmacist" in assistant.turn("what does Colm do for work").answer, "not 'friendly' nor 'Separated'"
    assert assistant.turn("where does Ailsa live now").answer != "Big"


def test_where_someone_is_and_when_they_turn_a_year_older(memories):
    remember_all(memories, "My big sister Jean's in Dunoon, she's 71, I get the ferry ower tae see her once a month.",
                 "Him and Shona have moved tae Inverness tae be near her mammy.",
                 "Write a wee card for oor Morven, it's her 40th on the 3rd of June and she loves crosswords.")
    assistant = Assistant(memories, FakeModel())
    assert assistant.turn("Where does my sister live?").answer == "Dunoon", "'Jean's in Dunoon' says where she lives"
    assert assistant.turn("where does Shona stay now").answer == "Inverness", "Scots 'tae' is 'to'"
    assert "3rd of June" in assistant.turn("when's Morven's birthday").answer, "'her 40th on the 3rd of June'"
    remember_all(memories, "My brother Tom has his 3rd driving test on the 14th of July.", "My cousin Ailsa's party is at The Crown on Saturday.",
                 "My manager Per's in Stockholm for the week.")
    assert answer.says_unknown(assistant.turn("when is Tom's birthday?").answer), "a third driving test is no birthday"
    assert "Crown" not in assistant.turn("where does Ailsa live?").answer, "where a party is, is not where she lives"
    assert "Stockholm" not in assistant.turn("where does Per live?").answer, "nor where someone is for the week"


def test_what_memory_does_not_say_is_not_made_up(memories):
    remember_all(memories, "Gave the allotment up, Jim's grandson has taken it on. Dad built me planters and Rusty the cat supervises.",
                 "bf is marco, 29, works nights at a call centre", "Split from Dana in 2023, we co-parent fine.",
                 "Nils is driving trams for the city now. Him and Greta moved to Malmö.", "rent 620/month")
    assistant = Assistant(memories, FakeModel())
    assert answer.says_unknown(assistant.turn("whats the name of Jim's grandson").answer), "Rusty is not the grandson"
    assert answer.says_unknown(assistant.turn("how much does marco earn").answer), "29 is his age"
    assert answer.says_unknown(assistant.turn("How old is Dana?").answer), "2023 is no age"
    assert answer.says_unknown(assistant.turn("what does Greta do for work").answer), "driving trams is what Nils does"
    assert "620" in assistant.turn("how much is my rent").answer
    assert answer.is_question("whit night is choir") and answer.parse_question("whaur dae I stay").wants == "place"



def test_questions_in_the_languages_users_mix_in_are_answered_from_memory(memories):
    remember_all(memories, "my kuya jomar works sa call center sa lanang", "bday ko oct 5 hehe",
                 "Mi hermana Marisol vive en Castro.")
    assistant = Assistant(memories, FakeModel())
    assert "oct 5" in assistant.turn("kelan bday ko").answer, "'kelan' asks when"
    assert "call center" in assistant.turn("saan nagwowork si kuya jomar").answer.lower(), "'saan' asks where; 'si kuya' is the brother"
    assert assistant.turn("¿dónde vive mi hermana?").answer == "Castro"
    remember_all(memories, "best friend ko si paolo, valorant main sya")
    assert assistant.turn("who is my best friend").answer == "paolo", "Tagalog names a person with 'si'"


def test_questions_texted_or_asked_in_hindi_are_answered_from_memory(memories):
    remember_all(memories, "allergic to cashews, proper epipen allergic", "my other mate Tadhg does IT for the city council",
                 "Best friend Tanvi Bangalore mein UX designer hai", "Arjun ka birthday 18 July ko hota hai")
    assistant = Assistant(memories, FakeModel())
    assert "cashews" in assistant.turn("wat am i allergic to").answer, "'wat' is 'what' as texted"
    assert "council" in assistant.turn("wats tadhgs job").answer
    assert assistant.turn("Tanvi kis city mein hai").answer == "Bangalore", "'kis city' asks which city, inside the sentence"
    assert "18 July" in assistant.turn("Arjun ka bday kab aata hai").answer, "'kab' asks when"
    assert answer.parse_question("mummy kitne saal ki hain").wants == "number"
    remember_all(memories, "im 26 btw", "write a funny card for shane, hes turnin 30 next week. maybe a joke about him bein an old married man now",
                 "readin Normal People rn, slowwwly")
    assert assistant.turn("how old am i").answer == "26", "'im 26' is an age, and 'an old married man' none"
    assert "Normal People" in assistant.turn("wat am i readin atm").answer, "'readin' is reading"
    remember_all(memories, "help me do a budget, take home is about 2100 a month", "Laddoo ka weight badh gaya hai yaar, vet ne bola 14 kilo hai")
    assert "2100" in assistant.turn("roughly wat do i take home a month").answer, "'roughly' before the question word"
    assert answer.says_unknown(assistant.turn("Laddoo kitne saal ka ho gaya").answer), "14 kilo is a weight, not an age"
    remember_all(memories, "Minha melhor amiga Carol é arquiteta")
    assert assistant.turn("what does Carol do for a living").answer == "arquiteta", "'é' is 'is', in Portuguese"
    assert answer.says_unknown(assistant.turn("what does Carol's boyfriend do").answer), "what Carol does is not her boyfriend's job"
    assert answer.says_unknown(assistant.turn("what do i do for a living").answer), "nor the user's"
    remember_all(memories, "Shruti Pune mein dentist hai", "Mummy papa Kanpur mein rehte hain")
    assert assistant.turn("Shruti kya karti hai").answer == "dentist", "a job said before its verb of being"
    assert assistant.turn("mummy papa kaha rehte hain").answer == "Kanpur", "'Kanpur mein': in Kanpur, no one named after 'papa'"
    assert answer.speech_act("Tanvi ki shaadi hai December mein Jaipur mein") == "statement", "no question word: it tells"


def test_names_that_are_words_of_other_languages_stay_names(memories):
    remember_all(memories, "My sister lives in San Diego.", "Laptop: MacBook Pro", "My best friend Kay is a nurse.",
                 "Mari is Jussi's wife.", "My daughter, 7, plays chess on Saturdays.", "Notes about Mum:\n- birthday: 3 March",
                 "my dog is a basset hound")
    assistant = Assistant(memories, FakeModel())
    assert assistant.turn("Where does my sister live?").answer == "San Diego"
    assert "MacBook Pro" in assistant.turn("What laptop do I use?").answer
    assert assistant.turn("What's my best friend's name?").answer == "Kay"
    assert answer.says_unknown(assistant.turn("What's my husband's name?").answer), "Mari is a name, not a husband"
    assert "7" in assistant.turn("How old is my daughter?").answer, "'7, plays chess': an age, then what she does"
    assert "3 March" in assistant.turn("When is Mum's birthday?").answer, "the list's heading names her"
    assert answer.says_unknown(assistant.turn("whats the name of my basset hound").answer), "'dog' is no name"


def test_what_is_said_of_another_is_not_the_answer(memories):
    remember_all(memories, "Things about me:\n- birthday: 2 February\n- son jussi: 44 years old",
                 "i got two dogs biscuit is a blue heeler and judge is a old basset hound")
    assistant = Assistant(memories, FakeModel())
    assert answer.says_unknown(assistant.turn("when is jussi's birthday").answer), "a list's birthday line is not Jussi's"
    assert answer.says_unknown(assistant.turn("how old is biscuit").answer), "'two dogs' is a count, not an age"
    assert assistant.turn("whats the name of my basset hound").answer == "judge", "a name said before what it is"


def test_long_formal_sentences_give_what_is_asked(memories):
    remember_all(memories, "My late wife, Margaret, who passed away in 2018, was a pharmacist in Sandy Bay for the better part of three decades.",
                 "I make curanto every Sunday para la familia.")
    assistant = Assistant(memories, FakeModel())
    assert "pharmacist" in assistant.turn("What was my late wife's occupation?").answer, "not 'Your late wife, Margaret'"
    assert "curanto" in assistant.turn("What do I cook on Sundays?").answer, "'Sundays' is what is asked about, not someone"
    remember_all(memories, "My daughter, Fiona, is a marine biologist in Hobart and has a son, Oliver, who is six.")
    assert "six" in assistant.turn("How old is Oliver?").answer, "an age in words that ends the sentence"
    remember_all(memories, "my new shift at the depot is seven at night till five in the morning sunday through thursday")
    assert "seven at night" in assistant.turn("what time does my shift start").answer, "the hour, not the days"
    remember_all(memories, "gym mon/wed/fri 7am")
    assert assistant.turn("what time is gym").answer == "7am", "the hour written '7am', not the days beside it"


def test_a_birthday_is_a_day_not_the_year_of_birth(memories):
    remember_all(memories, "My birthday is 12 March. I was born in 1958 in Kuopio.")
    assistant = Assistant(memories, FakeModel())
    assert "12 March" in assistant.turn("when is my birthday").answer
    assert "1958" in assistant.turn("what year was I born?").answer


def test_a_kind_asked_for_is_named_in_the_answer(memories):
    remember_all(memories, "Our son Finn is 12 and plays the drums.", "My favourite food is sushi.", "I drive a blue Ford Focus.",
                 "I'm Dana, I work as a pharmacist at Boots in Harrogate.")
    assistant = Assistant(memories, FakeModel())
    assert answer.says_unknown(assistant.turn("what sport does Finn play").answer), "drums are no sport"
    assert "drums" in assistant.turn("what instrument does Finn play").answer
    assert answer.says_unknown(assistant.turn("what's my favourite colour?").answer), "sushi is no colour"
    assert "blue" in assistant.turn("what colour is my car").answer
    assert assistant.turn("where do I work").answer == "Boots", "'I'm Dana' says who, not where"
    remember_all(memories, "I play tennis on Thursdays.", "My favourite band is Radiohead.")
    assert answer.says_unknown(assistant.turn("what day do I play football").answer), "tennis is not football"
    assert "Thursday" in assistant.turn("what day do I play tennis").answer
    assert answer.says_unknown(assistant.turn("what's my favourite film").answer), "a favourite band is no favourite film"
    assert "Radiohead" in assistant.turn("what's my favourite band").answer
    remember_all(memories, "sister = Lena, lives in Graz, works as a dentist", "Lena's husband Jakob is a chef")
    assert "chef" not in assistant.turn("what's Lena's job").answer, "her husband's job is not hers"


def test_the_kind_rules_refuse_only_what_names_another_thing(memories):
    remember_all(memories, "My eyes are hazel.", "I play football on Thursdays.", "My favourite meal is lasagne.",
                 "Lena's partner says the baby is due on 3 March.", "We moved to Leeds two years ago.")
    assistant = Assistant(memories, FakeModel())
    assert "hazel" in assistant.turn("what colour are my eyes").answer, "no list of colours is complete"
    assert "Thursday" in assistant.turn("what day do I play soccer").answer, "soccer is football"
    assert "lasagne" in assistant.turn("what's my favourite food?").answer, "a meal is food"
    assert "3 March" in assistant.turn("when is Lena's baby due").answer, "what her partner says of her"
    assert str(datetime.now().year - 2) in assistant.turn("what year did we move to Leeds").answer


def test_a_fact_said_inside_a_question_is_remembered(memories):
    assistant = Assistant(memories, FakeModel())
    assistant.turn("Can you help me write a card for my nephew Tom, he turns 9 on the 4th of May?")
    assistant.turn("what should I cook for my sister Mary who is vegan?")
    assert "4th of May" in Assistant(memories, FakeModel()).turn("when is Tom's birthday").answer
    assert answer.says_unknown(Assistant(memories, FakeModel()).turn("when is Mary's birthday").answer)
    assistant.turn("Help me write a message to my landlord Mr Patel about the leak")
    assert "Patel" in Assistant(memories, FakeModel()).turn("what's my landlord's name?").answer
    assistant.turn("pls remember my birthday is 4 May")
    assert "4 May" in Assistant(memories, FakeModel()).turn("when is my birthday?").answer
    assistant.turn("Is my new doctor Dr Shah or Dr Patel?")
    assert answer.says_unknown(Assistant(memories, FakeModel()).turn("what's my doctor's name?").answer), "a doubt names no one"


def test_a_name_asked_for_is_not_the_name_in_the_question(memories):
    remember_all(memories, "Mixing a record for Anouk Visser, she's signed to Platenbaas Records now.",
                 "My band The Velvet Hours put out an EP called Low Tide in 2022.", "Priya's a nurse at the Royal Infirmary.",
                 "I climb at Boulder Box on Tuesdays.")
    assistant = Assistant(memories, FakeModel())
    assert "Platenbaas" in assistant.turn("What's the name of Anouk's record label?").answer
    assert "Low Tide" in assistant.turn("What was the Velvet Hours EP called?").answer
    assert answer.says_unknown(assistant.turn("which school do my kids go to").answer), "the Royal Infirmary is no school"
    assert "Boulder Box" in assistant.turn("Which gym do I climb at?").answer


def test_review_cases_of_the_reader():
    assert answer.says_unknown(read("how much does marco earn", "bf is marco, 29, a chef")), "an age before 'a chef' is no wage"
    assert read("how much is my rent", "Rent went up to 1500 in January.") == "1500"
    assert read("whats the name of Jim's grandson", "Jim's grandson, a lovely lad of 12, goes by Rory.") == "Rory"
    assert read("What does Kavya do for work?", "Kavya is a registered nurse at the Royal.") == "registered nurse"
    assert "dentist" not in read("what does Jim do for work", "Jim brought his wife Sarah. She is a dentist in Leith.")
    assert kinship.breed("what breed is Bruno", ["Bruno's a beagle"]) == ("beagle", 0)
    assert kinship.breed("what breed is Rex", ["our old dog Rex is 12"]) is None
    assert speech_act("Whit Monday we are off to Skye") == "statement"
    assert answer._stems("I bought it, she gave it") >= answer._stems("buy give"), "irregular verbs meet their question"
    assert answer.says_unknown(read("which hospital is doing my knee", "Right, gied up the plot even wi the new knee in, Tam's nephew has it now")), \
        "Tam's nephew is a person's, not a hospital"
    assert read("which hospital is doing my knee", "My knee op is at the Golden Jubilee in April") == "Golden Jubilee"
    assert read("how old is Zara", "Zara lost a tooth, the tooth fairy rate is $2 here.", "Kids: Ify 16, Daniel 13, Zara 7.") == "7", "$2 is no age"
    assert kinship.breed("what breed is Bruno", ["We have a beagle, his name is Bruno"]) == ("beagle", 0)
    assert read("What's the podcast I mix every Monday called?", "Every Monday I mix Le Quart d'Heure, a podcast about Montréal") == "Le Quart d'Heure"
    assert read("Where does my brother Luc live?", "My brother Luc lives in Rio de Janeiro now") == "Rio de Janeiro"
    assert read("Where did Luc move?", "Luc moved to Paris, de Gaulle airport is close") == "Paris", "a particle joins a name only across a space"
    opened = read("What was the Néons Tristes EP called?", "Write a short bio for Les Néons Tristes for the show at Casa del Popolo on 8 "
                  "novembre. Mention our EP from 2023")
    assert opened not in ("Write", "Mention"), "a verb opens the sentence, not a name"
    assert read("who has my allotment now?", "Tam has it now, since I gave it up") == "Tam"


def test_a_word_of_why_after_the_question_is_not_what_is_asked():
    interview = "not a citizen!! green card since 2003. N-400 interview at the uscis field office in tukwila jan 21 8:40am"
    assert read("when is my interview again, need to put in pto", interview) == "jan 21", "not 'since 2003'"
    dentist = ("My dentist appointment is on 9 May.", "Leo's dentist appointment is on 3 May.")
    for asked in ("When is the dentist appointment? The one for Leo.", "when's the dentist appointment, need to take Leo",
                  "what was it again, the date of Leo's dentist appointment"):
        assert "3 May" in read(asked, *dentist), "whom the word of why names is still whom it asks about"


def test_a_surname_is_said_with_the_first_name_or_as_a_birth_name():
    assert read("What is Paolo's surname?", "My boyfriend Paolo Reyes works nights at a BPO") == "Reyes"
    assert read("whats Karim's last name", "Karim Haddad plays bass in the band") == "Haddad"
    assert read("What was Morag's maiden name?", "Morag, née Fraser, grew up in Oban") == "Fraser"
    assert answer.says_unknown(read("bia's surname?", "bia is a physio", "gf = beatriz, everyone calls her bia")), "a job is no surname"
    assert answer.says_unknown(read("What is Paolo's surname?", "Paolo resigned from the BPO")), "a word after the name is no surname"
    assert read("what is the apellido of Segundo?", "My husband Segundo Vargas is a fisherman") == "Vargas"
    assert read("Wie ist der Nachname von Segundo?", "My husband Segundo Vargas is a fisherman") == "Vargas", "a capitalised noun, not a name"
    assert answer.says_unknown(read("what is the apellido materno of Segundo?", "el cumpleaños of Segundo is el 22 de agosto")), "asked in Spanish too"
    assert answer.says_unknown(read("ano apelyido ni aly", "help me w/ a convo opener for aly lol, nagkakilala kami sa robotics club"))


def test_what_a_question_takes_as_true_answers():
    told = "How do I tell Samuel that his goalie coach Marc-André is moving to Québec City in January? He's really attached"
    assert read("whats the name of samuels goalie coach", told) == "Marc-André"
    assert answer.says_unknown(read("who is moving to Toronto", "Is it true that Marc is moving to Toronto?")), "a question asks, it does not tell"
    bio = "Write a short bio for Les Néons Tristes. Mention our EP 'Béton Pâle' from 2023, dark, angular"
    assert read("What was the Néons Tristes EP called?", bio) == "Béton Pâle", "a quote ends a name: not \"EP Béton Pâle\""


def test_one_of_a_series_is_not_another():
    second = "Rosalie Tremblay, folk singer, I'm mixing her second album 'Marées'"
    assert answer.says_unknown(read("What was the name of Rosalie's first album?", second))
    assert "Marées" in read("What is Rosalie's second album called?", second)


def test_a_lowercase_writer_s_possessive_is_no_name():
    assert answer.says_unknown(read("what's my mama's name", "mama's contract in hk ended and she's in toronto now"))
    assert read("what's my mama's name", "my mama is rosa, she's in toronto now") == "rosa"
    assert read("what school do i go to", "bea and i got a 2br sa sampaloc near feu, walking distance na to school.") == "feu", \
        "the word asked about is no answer, full stop or not"
    assert read("where did jhoanna do her internship", "jhoanna went back home after her internship ended.") != "ended", \
        "without capitals, a place is said after in, at, sa..."
    assert read("where is carla based", "carla is a flight attendant now, based sa clark") == "clark"


def test_in_a_conversation_each_speaker_tells_their_own_news():
    bowl = "Melanie: I've got some stuff with sentimental value, like my hand-painted bowl from my art class."
    assert "bowl" in read("What is Melanie's hand-painted bowl from?", bowl)
    assert answer.says_unknown(read("What is Caroline's hand-painted bowl from?", bowl)), "Melanie's bowl is not Caroline's"
    assert answer.says_unknown(read("What did Caroline see on the roadtrip?", "Melanie: Hey Caroline, my roadtrip was insane, I saw the canyon."))
    assert "canyon" in read("What did Caroline see on the roadtrip?", "Melanie: Caroline told me she saw the canyon on her roadtrip.")
    assert answer.says_unknown(read("What did Caroline's kids love?", "Melanie: The kids loved the Grand Canyon.")), "Melanie's kids"
    assert "canyon" in read("What did Caroline's kids love?", "Melanie: Your kids loved the Grand Canyon, Caroline said.").lower()
    assert answer.says_unknown(read("What happened to Caroline's son on the trip?", "Caroline: Thank goodness your son's okay after the trip.")), "her words, his mother's son"
    assert read("Where did Mel go hiking?", "Melanie: I went hiking in Sweden with the kids.") == "Sweden", "Mel is Melanie, who said it"
    assert answer.says_unknown(read("What did Caroline realize after her charity race?", "Caroline: That charity race sounds great, Mel!")), \
        "her own turn, but of the race of the one she calls by name"
    assert answer.says_unknown(read("Who did John work with?", "John: Yep, we worked with a local organization.")), "Yep is no one"
    assert read("Who did John go to yoga with?", "John: Yup, Rob and I went to a yoga class last week.") == "Rob"
    assert read("What did John's kids draw?", "John: The kids drew a rainbow, Maria, it was so cute!") != answer.UNKNOWN_ANSWER, "news, not a reaction"
    assert "sounds great" in read("What does Caroline think of the race?", "Caroline: That charity race sounds great, Mel!"), "her opinion of it"
    assert answer.says_unknown(read("What instrument is John learning?", "John: Learning an instrument is really cool. What are you playing?")), \
        "praise in a turn that asks the other about it is of the other's news"
    assert answer.says_unknown(read("What does Joanna love about her turtles?", "Joanna: So cute! I love your turtles so much!")), "your turtles"
    assert read("Where did Maria move?", "Maria: Loving the new flat in Leith! Have you moved yet?") == "Leith", "a question back is no question of theirs"
    assert read("What is Melanie bringing?", "Melanie: See you at the party, I'm bringing the cake!") != answer.UNKNOWN_ANSWER, "news after a bye"
    assert answer.says_unknown(read("What does Melanie's necklace mean?", "Melanie: Nice to hear from you! Love the necklace, any special meaning to it?"))
    assert answer.says_unknown(read("What was Nate's audition for?", "Joanna: Thanks! See ya Nate!")), "a farewell says nothing"
    assert read_said_on_may_8("When did Melanie paint a sunrise?", "Melanie: Yeah, I painted that lake sunrise last year!") == "2022", "news after a yeah"
    assert answer.says_unknown(read("What show did Joanna host?", "Joanna: Congrats on the cooking show, I'll definitely be tuning in!")), \
        "congratulations are of the other's news"
    assert "slow cooker" in read("What does Tim think of the slow cooker meal?", "Tim: That slow cooker meal looks yum! Do you have the recipe?"), "his opinion"
    assert "violin" in read("What instrument is John learning?", "John: I'm learning the violin, it's really fun. Do you play anything?"), \
        "his own news, though his turn asks the other"
    assert read("How old is Ana's son Leo?", "Ana: Leo turned 5 today, Sam!") == "5", "her own news, though she calls Sam by name"
    assert read("who is my study buddy", "Tomás, study buddy from the MBA, lives in Madrid") == "Tomás", "a name before a comma is a name"
    assert [answer.called_by_name(text) for text in ("Woah, Caroline, it sounds", "Thanks Mel!", "Woohoo Melanie!", "Caroline is great")] == [["Woah", "Caroline"], ["Mel"], ["Melanie"], []]


def test_a_turn_answers_what_the_questions_verb_did_not_with_the_whole_turn():
    assert read("What did Nate take to the beach in Tampa?", "Nate: Anyway, I took my turtles to the beach in Tampa yesterday!") == "turtles"
    assert read("What did Maria donate to the shelter?", "Maria: In the meantime, I donated my old car to the shelter I volunteer at.") == "old car"
    assert read("What event did John participate in for veterans?", "John: I just participated in a marching event for veterans' rights.") == "marching event"
    assert read("What kind of films does Joanna enjoy?", "Joanna: I really enjoy dramas and emotionally-driven films.") == "dramas and emotionally-driven films"
    assert read("What did Nate take to the beach?", "Nate: She took her kids to the beach, and I took my turtles.") == "turtles", "his doing, not hers"
    # what another verb does, what was not done, or no verb of the question's done by the speaker: the turn is the answer
    assert "give something back" in read("What does John want to do after basketball?", "John: Basketball has been great, so I want to give something back.")
    assert read("What did Nate take to the beach?", "Nate: I didn't take the turtles to the beach.") == "I didn't take the turtles to the beach"
    assert read("What did Nate take to the beach?", "Nate: I want to take my turtles to the beach next week.").startswith("I want to")
    assert read("What did Mel paint?", "Melanie: I bought new paints and brushes.") == "I bought new paints and brushes"
    assert read("What did Tim read?", "Tim: I read that the new Harry Potter is coming out.").startswith("I read that")
    assert read("What did Nate take to the beach?", "Nate: I'm taking my turtles to the beach next week.").startswith("I'm taking")
    assert read("What did Sam give his sister?", "Sam: I was given a puppy by my sister.").startswith("I was given")
    assert read("What did John watch?", "John: I watched The Lord of the Rings again.") == "Lord of the Rings"
    assert read("What did Tim cook?", "Tim: I cooked pasta, lasagna and salad for the family.") == "pasta, lasagna and salad"
    assert answer._asked_verb("What did Mel and her kids make at the workshop?") == answer._verb_key("made")
    assert answer._asked_verb("What has John been able to help the players achieve?") is None


def test_month_words_and_look_alikes():
    dates = lambda text: [found.group() for found in answer._DATE.finditer(text)]  # noqa: E731
    assert dates("we'd been married 41 year") == [] and dates("the Marina 12 berth") == []
    assert dates("Léa's birthday is le 19 novembre") == ["19 novembre"] and dates("Sept. 4") == ["Sept. 4"]
    assert not sensitivity.PATTERNS["identity.immigration"].search("Bruce, a border terrier"), "a dog breed, not a border"
    assert not sensitivity.PATTERNS["identity.religion"].search("choir on Wednesdays in the church hall"), "a venue, not a faith"


def test_a_typed_label_is_what_its_note_is_about_not_who_said_it(memories):
    remember_all(memories, "Vélo: steel Surly Cross-Check, I ride the Lachine canal most mornings",
                 "Kids: Léa is 12, Samuel is 9")
    assistant = Assistant(memories, FakeModel())
    assert assistant.turn("what bike do i ride").answer == "steel Surly Cross-Check"
    assert assistant.turn("how old is Samuel").answer == "9"
    labelled = lambda question, text: answer.read(question, [answer.Recalled(1, text, 1.0, 0.6, None, turn=False)]).answer  # noqa: E731
    assert "sold" in labelled("what bike do I ride?", "Bike: sold it last year, now I take the bus").lower(), "told whole, not cut as a bike"
    assert kinship.breed("what breed is Pip", ["we have a whippet, she's called Pip"]) == ("whippet", 0)
    assert answer._overlap(frozenset({answer.stem("driving")}), answer._stems("the van is a grey Ford Transit")), "one drives a van"
    turn = answer.Recalled(1, "Melanie: I ride a Surly", 1.0, 0.6, None)
    note = answer.Recalled(2, "Vélo: a Surly", 1.0, 0.6, None, turn=False)
    assert (turn.speaker, turn.label, note.speaker, note.label) == ("Melanie", None, None, "Vélo")


def test_a_name_asked_by_relation_comes_from_that_relation(memories):
    ids = remember_all(memories, "My son Ciarán lives in Dublin and is an accountant.",
                       "Ciarán and his wife Róisín have a little boy, Oisín, who is two.",
                       "Siobhán and the family have moved from Boston to Chicago for her husband's work.",
                       "Chidi is now a project manager with the City of Mississauga.")
    assistant = Assistant(memories, FakeModel())
    daughter_in_law = assistant.turn("What is my daughter-in-law's name?")
    assert daughter_in_law.answer == "Róisín" and daughter_in_law.citations == [ids[0], ids[1]], "both steps are cited"
    assert answer.says_unknown(assistant.turn("whats the name of siobhan's husband").answer), "her husband is never named"
    assert answer.says_unknown(assistant.turn("who is my manager?").answer), "Chidi's job title names no manager of mine"
    remember_all(memories, "My son, Andrew, resides in Devonport with his wife, Claire, and their two daughters.")
    assert assistant.turn("What is my son Andrew's wife called?").answer == "Claire", "'his' is whom the sentence is about"


def test_what_a_change_made_stale_is_answered_by_the_change(memories):
    remember_all(memories, "I'm currently reading Wolf Hall and I am OBSESSED", "I live in Dunedin, I work at the library.")
    remember_all(memories, "Finished Wolf Hall (sobbed, obviously) and now I'm onto The Remains of the Day")
    reading = Assistant(memories, FakeModel()).turn("what am I reading at the moment?").answer
    assert "Remains of the Day" in reading and "currently" not in reading, "'currently' in a stale sentence is no longer current"


def test_a_change_does_not_undo_life_history(memories):
    remember_all(memories, "I grew up in Enugu, Nigeria. Mum still lives there.")
    remember_all(memories, "Mum finally moved in with Emeka in Abuja, she left Enugu last month.")
    grew_up = Assistant(memories, FakeModel()).turn("where did I grow up?")
    assert "Enugu" in grew_up.answer


@pytest.mark.parametrize(("before", "after", "kept_question", "kept", "changed_question", "gone"), [
    ("Diagnosed wi asthma in 2015, I'm on the Ventolin twice a day wi my breakfast and my tea.",
     "The GP took me aff the Ventolin, it made my hands shake, so I'm on the Symbicort now wi my porridge.",
     "When was I diagnosed with asthma?", "2015", "what am I taking for my asthma now?", "Ventolin twice"),
    ("My sister Ilona live in Gdańsk, she is dentist", "Ilona moved from Gdańsk to Poznań in March, she find better clinic there",
     "what does my sister do for work", "dentist", "where does my sister live now", "Gdańsk"),
])
def test_a_change_keeps_what_it_did_not_change(memories, before, after, kept_question, kept, changed_question, gone):
    """A diagnosis outlives a change of medication, and who a person is outlives their move."""
    remember_all(memories, before)
    remember_all(memories, after)
    assistant = Assistant(memories, FakeModel())
    assert kept in assistant.turn(kept_question).answer
    assert gone not in assistant.turn(changed_question).answer


def test_a_change_of_job_does_not_undo_who_is_who(memories):
    remember_all(memories, "Husband = Chidi. He's a civil engineer at Dufferin Engineering.", "Chidi's birthday is Sept 4.")
    remember_all(memories, "Chidi left Dufferin Engineering, he's now a project manager with the City of Mississauga.")
    assert "Sept 4" in Assistant(memories, FakeModel()).turn("When's my husband's birthday?").answer


def test_ages_as_people_write_them(memories):
    remember_all(memories, "Okay so first things first: I'm Priya, I'm 28 and I live in Indiranagar.",
                 "My grandmother, Paati, is 91 and still lives with my parents.",
                 "sister camila, 27, lawyer in são paulo", "have a gecko, pixel")
    assistant = Assistant(memories, FakeModel())
    assert assistant.turn("how old am I").answer == "28"
    assert assistant.turn("how old is my sister").answer == "27"
    assert answer.says_unknown(assistant.turn("how old is pixel").answer), "a lower-case name is still whom the question is about"
    assert answer.parse_question("what's the wifi pw? divya's visiting").about == (), "a name beside the question is not its subject"


def test_what_an_update_says_was_given_up_is_not_the_answer(memories):
    remember_all(memories, "I swim in the sea at Blackrock every morning.")
    remember_all(memories, "Since the weather turned cold I have given up the sea swimming at Blackrock; I swim in the pool at Leisureland instead.")
    swim = Assistant(memories, FakeModel()).turn("Where do I go swimming these days?").answer
    assert "Leisureland" in swim and "Blackrock" not in swim


def test_a_stale_part_of_a_statement_stays_out_of_the_profile(memories):
    home, job = remember_all(memories, "I'm 28 and I live in Indiranagar in Bengaluru!!", "I work as a nurse.")
    old = memories.get(home)
    assert old.provenance["extracted"]["attribute"] == "lives_in"
    memories.store.set_provenance(home, {**old.provenance, "stale": ["I live in Indiranagar in Bengaluru!!"]})
    consolidate.sleep(memories)
    profile = [memory.content for memory in memories.store.of_kind("profile")]
    assert profile and "nurse" in profile[0] and "Indiranagar" not in profile[0]


@pytest.mark.parametrize("text", ["whos my doctor", "wheres my brother live", "until when is my phd funded",
                                  "what do i do on wednesday evenings", "whens my next shift"])
def test_questions_typed_without_apostrophes_are_questions(text):
    assert answer.is_question(text)


@pytest.mark.parametrize("text,told", [
    ("Tell me a joke", False), ("Can you tell me a recipe for pancakes?", False), ("Tell me about the Roman empire", False),
    ("Remind me to call Mum", False), ("tell me my sister's name", True), ("Remind me when the dentist is", True),
    ("remind me of my landlord's name", True), ("Can you tell me where Camila lives?", True),
    ("remind me the name of the village where we live, for the address", True),
    ("give me my phone number, I always forget it", True), ("tell me a joke, my boss is angry", False),
    ("what date is my birthday? I need it for a form", True),
    ("To who I sell the farm, I want to be sure I write it good", True), ("what a day, I got promoted", False),
])
def test_tell_me_asks_memory_only_for_what_the_user_told(text, told):
    # "Tell me a joke" was read out of memory ("I don't know") instead of going to the model.
    assert answer.is_question(text) is told


@pytest.mark.parametrize("text", [
    "Mr. Owen has asked me to lead the prayers on Sunday. How may I decline graciously?",
    "I keep getting nervous walking out to the truck after close. Any ideas to make that safer?",
    "How much could I sensibly put away each month?", "Is there any safe way for her to visit?",
    "pastor wife dey ask why i dey miss prayer. wetin i go tell am?", "how i go answer am?",
    "mami puch rahi convocation kab hai. kya bolu", "iPhone pe EMI le lu kya?",
    "I've got a root canal next Thursday. Anything I need to tell the dentist?", "What ought I to bring into hospital?",
    "A cruise at £4,200 for the two of us. Can we reasonably afford it?", "we fit carry am?",
    "What book would you recommend?", "what tips do you have for sleeping on a night shift?", "What do you suggest for dinner?",
    "which supplements do doctors recommend for my iron levels?", "how much sleep does my toddler need, any tips?",
    "what does my nephew play, recommend a game for him", "what do dentists recommend for my sensitive teeth",
    "what do most people recommend",
])
def test_a_request_for_advice_is_for_the_model_not_the_reader(text):
    # The reader had nothing to say to these but "I don't know": advice is written, not read out.
    assert not answer.is_question(text)


@pytest.mark.parametrize("text", [
    "any ideas what the wifi password is?", "how much could I have spent at Tesco last month?",
    "Anything I need to pick up from the pharmacy?", "How do I bring up the Wi-Fi password?",
    "My GP said I ought to know my blood type. What is it?", "what's the alarm code, anything I need to know?",
    "What did my dentist recommend?", "Which restaurant did Sam suggest?", "What advice did Dad give me about the mortgage?",
    "What book recommendations has Joanna given to Nate?", "When did Gina make a video on how to style her pieces?",
    "what book did sam recommend me", "How did Sam help me?", "which book did I recommend to Tom?", "what did dr patel recommend",
])
def test_a_question_worded_near_advice_is_still_read_from_memory(text):
    assert answer.is_question(text)


def test_made_up_citations_are_taken_out():
    text, cited = answer.checked_citations("Your sister is Mia [#3], she lives in Lund [#99].", {3, 4})
    assert cited == [3] and "#99" not in text and "[#3]" in text


def test_an_update_in_the_users_words_replaces_the_old_value_and_a_look_alike_does_not():
    assert replaces("I sold the Skoda, now I drive a white Volvo XC40.", "I drive a silver Skoda Octavia.", 0.55).replaces
    assert replaces("I finished The Overstory; now I'm reading Piranesi.", "I'm reading The Overstory.", 0.5).replaces
    assert not replaces("My wife drives a red Toyota Yaris.", "I drive a silver Skoda Octavia.", 0.7).replaces
    assert not replaces("I might move to Oslo one day.", "I live in Bergen.", 0.6).replaces
    assert not replaces("Should I sell the Skoda and get an EV?", "I drive a Skoda Octavia.", 0.7).replaces
    assert not replaces("I love tacos too.", "I love sushi.", 0.7).replaces
    assert not replaces("my lil sis bea bday is oct 13", "my bday is oct 3", 0.8).replaces, "her birthday, not mine"

    # A switch names its new value only: meaning places "Hoka Cliftons" far from "Nike Pegasus"
    assert replaces("Switched to Hoka Cliftons, my knees feel much better.", "I run in Nike Pegasus.", 0.22).replaces
    assert replaces("We remortgaged with Halifax for a better fixed rate.", "Our mortgage is with Nationwide.", 0.33).replaces
    assert not replaces("My sister switched to Hoka Cliftons.", "I run in Nike Pegasus.", 0.22).replaces, "hers"
    assert not replaces("Switched to Hoka Cliftons, my knees feel much better.", "I run in Nike Pegasus.", 0.1).replaces, "too far in meaning"
    assert replaces("Troquei o Fit por um BYD Dolphin, elétrico!", "I drive a silver Honda Fit, 2014", -0.03).replaces, "swapped away, in Portuguese"
    assert not replaces("Troquei o turno com a Ana.", "I drive a silver Honda Fit, 2014", -0.03).replaces, "swaps nothing it said"
    for new, old in (("Switched my shift to Monday this week.", "Gym on Mondays at 7am."), ("Moved 500 quid to my ISA.", "My savings account is with Nationwide."),
                     ("Swapped shifts with Ana this week.", "I work at Tesco on the tills."), ("Ana switched to Hoka Cliftons.", "I run in Nike Pegasus."),
                     ("Changed the oil to 5W-30 today.", "I drive a 2015 Skoda Octavia."), ("Switched off notifications for WhatsApp.", "I use Signal.")):
        assert not replaces(new, old, 0.22).replaces, f"no switch of a thing the user had: {new}"
    assert not replaces("Trying to push myself to run 5k.", "I run 3k on Sundays.", 0.62).replaces, "no date it was pushed to"
    assert not replaces("how do i stop biscuit pullin on the lead?? hes 7", "got a rescue greyhound called Biscuit", 0.43).replaces, "asked how, not gone"
    assert not replaces("RIP fiesta, traded it in for a grey skoda octavia, biscuit actually fits in the boot now", "got a rescue greyhound called Biscuit", 0.38).replaces, \
        "the dog is named in the change, but nothing of what the old note said of him changes"
    assert replaces("Kabir ne Dubai chhod diya yaar, ab Singapore mein ek hotel join kiya hai usne", "Mera chhota bhai Kabir Dubai mein hai", 0.82).replaces, "left, in Hindi"
    assert replaces("We had to push the wedding to September 6 because of the venue.", "Our wedding is set for June 14.", 0.58).replaces


def test_someone_elses_birthday_does_not_replace_mine(memories):
    remember_all(memories, "my bday is oct 3", "my lil sis bea bday is oct 13")
    consolidate.sleep(memories)
    assert "oct 3" in Assistant(memories, FakeModel()).turn("whens my bday").answer
    assert answer.says_unknown(Assistant(memories, FakeModel()).turn("what school does bea go to").answer), "'bday' names no school"


def remember_all(memories, *texts: str) -> list[int]:
    ids = []
    for text in texts:
        ids += memories.remember([NewMemory(text, kind="note", source="user")]).ids
    return ids


def test_a_question_finds_a_memory_in_another_language_by_its_words(memories):
    assert recall.fts_query("where do I live") == '"live"', "the user's own words alone, as before"
    assert '"moro"' in recall.abroad_query("where do I live") and '"school"' in recall.abroad_query("qual escola")
    assert recall.abroad_query("how was the career fair") is None, "no word of the list (not 'car' in 'career')"
    assert '"wedding"' in recall.abroad_query("Wann ist die Hochzeit von Anna") and "morreu" not in recall.abroad_query("Wann ist die Hochzeit"), \
        "'die' is an article, not a death"
    assert stem("escolas") == stem("school") and not {"nato", "vive", "kodi", "umar", "travail"} & set(words._ENGLISH_FOR), \
        "English words, names and brands are no words of another language"
    remember_all(memories, "I love hiking in the Peak District", "My sister lives in Leeds with her two kids",
                 "Work is busy this month, the Hendricks project is late", "Moro em Campinas, no Cambuí desde 2019")
    found = [hit.memory.content for hit in memories.recall("where do I live", k=4)]
    assert found[:2] == ["My sister lives in Leeds with her two kids", "Moro em Campinas, no Cambuí desde 2019"], \
        "found by 'moro', at half the weight of the English word (MiniLM places it far from the question: cosine 0.10)"


def test_the_reader_reuses_a_whole_memorys_stored_vector(memories):
    text = "My sister Ilona lives in Gdańsk."
    [memory_id] = remember_all(memories, text)
    assistant = Assistant(memories, FakeModel())
    stored = {text: memories.vectors([memory_id])[memory_id]}
    question = "where does Ilona live?"
    alone = float(memories.embed_texts([text])[0] @ memories.embed_texts([question])[0])  # as stored: no padding in its batch
    assert assistant.similarity(question, [text], stored) == pytest.approx([alone], abs=1e-4)


def test_questions_are_answered_from_memory_with_real_citations(memories):
    ids = remember_all(memories, "My wife is called Freya.", "My name is Jonas Eriksen.", "I live in Aarhus.", "I'm allergic to peanuts.")
    assistant = Assistant(memories, FakeModel(answer="Jonas Eriksen is a famous rapper."))
    wife = assistant.turn("What is my wife's name?")
    assert wife.answer == "Freya" and wife.citations == [ids[0]] and wife.grounded
    assert assistant.turn("Where do I live?").answer == "Aarhus"
    unknown = assistant.turn("What is my dentist called?")
    assert answer.says_unknown(unknown.answer) and unknown.citations == [] and not unknown.grounded
    assert not assistant.model.prompts, "no fact question reached the model"


def test_the_assistants_words_and_the_users_questions_are_not_facts(memories):
    remember_all(memories, "My sister lives in Lund.")
    assistant = Assistant(memories, FakeModel(answer="Your sister lives in Paris, I think."))
    assistant.turn("Write a postcard to my sister.")
    asked = assistant.turn("Where does my sister live?")
    again = assistant.turn("Where does my sister live?")
    assert asked.answer == again.answer == "Lund"
    for result in (asked, again):
        assert all(memories.get(i).speech == "statement" for i in result.citations)
    reply = [m for m in memories.store.iter_memories() if m.source == "assistant"][0]
    assert reply.speech == "reply"
    assert reply.id not in [hit.memory.id for hit in memories.recall("sister Paris")], "replies stay out of recall"


def test_updates_said_in_the_users_words_change_the_answer(memories):
    remember_all(memories, "I drive a silver Skoda Octavia.", "I work at Brandt & Holm as an engineer.")
    remember_all(memories, "I sold the Skoda, now I drive a white Volvo XC40.", "I left Brandt & Holm and now I work at Nordic Bridges.")
    assistant = Assistant(memories, FakeModel())
    car = assistant.turn("What car do I drive?").answer
    work = assistant.turn("Where do I work?").answer
    assert "Volvo" in car and "Skoda" not in car
    assert "Nordic Bridges" in work and "Brandt" not in work
    assert assistant.turn("Where did I work before?").answer == "Brandt & Holm", "what is gone is what was before"


def test_a_change_of_plan_changes_the_plan_not_what_is_closest_in_meaning(memories):
    remember_all(memories, "I'm reading The Overstory", "I finished The Overstory; now I'm reading Piranesi",
                 "We were going to Crete in July", "Change of plan, we go to Sardinia instead")
    assistant = Assistant(memories, FakeModel())
    assert "Piranesi" in assistant.turn("what am I reading?").answer
    assert assistant.turn("where are we going in July?").answer == "Sardinia"
    assert not replaces("Change of plan, we go to Sardinia instead", "I finished The Overstory; now I'm reading Piranesi", 0.4).replaces


def test_who_i_am_is_what_i_said_of_myself(memories):
    remember_all(memories, "Hi! I'm Dana, 41, I run a small bakery in Leith called Crumb", "Our son Jonah is 12 and plays the cello")
    assistant = Assistant(memories, FakeModel())
    assert assistant.turn("what's my name?").answer == "Dana", "not the bakery's"
    assert assistant.turn("how old am I?").answer == "41", "not the son's age"


def test_an_update_answers_what_the_statement_it_replaced_answered(memories):
    remember_all(memories, "I drive a silver Ford Mondeo from 2014.", "I run at 5:30am before work, three times a week.")
    update_ids = remember_all(memories, "I sold the Mondeo finally! Now we have a grey Toyota Corolla.",
                              "No more 5:30am runs, I switched to lunchtime runs.")
    assistant = Assistant(memories, FakeModel())
    car = assistant.turn("What car do I drive now?")  # the update never says "drive"
    run = assistant.turn("what time of day do I run these days")  # nor which time is the new one
    assert "Corolla" in car.answer and car.citations == [update_ids[0]]
    assert run.answer == "lunchtime" and run.citations == [update_ids[1]]


def test_a_document_is_not_judged_as_a_change_of_one_thing(memories):
    from secondme.memory.consolidate import CHANGE_CHARS

    old, = remember_all(memories, "I drive a silver Skoda Octavia.")
    diary = "Sold the Skoda, now I drive a white Volvo XC40. " + "Nothing much happened today, just work. " * (CHANGE_CHARS // 40)
    remember_all(memories, diary)  # a pasted diary: reading all of it against eight neighbours took seconds
    assert memories.get(old).status == "active"
    remember_all(memories, "Sold the Skoda, now I drive a white Volvo XC40.")
    assert memories.get(old).status == "superseded"


def test_careful_english_of_another_grammar_is_read(memories):
    remember_all(memories, "I am 44 years old.", "Kinako is 12 years old now, and the vet said her kidney number is a little bit high.",
                 "Next Sunday my Spanish conversation partner Carmen comes to our house. She is from Valencia.")
    assistant = Assistant(memories, FakeModel())
    assert assistant.turn("How old is Kinako?").answer == "12"
    reply = assistant.turn("How old is our cat?").answer
    assert reply == "12" or answer.says_unknown(reply), "Kinako's age (her vet and kidneys say she is a pet), never the user's 44"
    assert assistant.turn("Carmen, from where she comes?").answer == "Valencia", "'from where' asks an origin, not 'Spanish'"
    assert answer.says_unknown(assistant.turn("How many years I am working in the hospital?").answer), "an age is no time worked"
    remember_all(memories, "I want to explain my mother how to make LINE video call. She is 73 and her phone is old Aquos, not same as my Galaxy.")
    assert answer.says_unknown(assistant.turn("What is the name of my mother?").answer), \
        "'LINE' is a brand in capitals, and 'Galaxy' is in a sentence that only calls her 'she'"
    remember_all(memories, "I am afraid of high places. Observation deck, ropeway, glass floor — please never recommend to me.")
    assert "high places" in assistant.turn("What kind of thing I am scared of?").answer, "no thing called 'thing'; scared is afraid"


def test_what_the_new_rules_read_leaves_english_alone(memories):
    remember_all(memories, "Sarah got the promotion! She's a legend!", "Tom keeps EST time, since his team is in NYC",
                 "Bought the sofa at IKEA last spring.", "I'm 26 and my son Leo is 3.",
                 "Our neighbour from across the road with the big dog, Dave, fixed our fence.", "Shruti ka husband doctor hai",
                 "Ravi pehle teacher tha, ab driver hai")
    assistant = Assistant(memories, FakeModel())
    assert answer.says_unknown(assistant.turn("what does Sarah do for a living?").answer), "'She's a legend!' is chit-chat"
    assert answer.says_unknown(assistant.turn("what does Tom do").answer), "'EST' is no verb of being, and 'time' no job"
    assert assistant.turn("where did I get my sofa from?").answer == "IKEA", "a thing's origin is no person's"
    assert assistant.turn("How old is my son Leo?").answer == "3", "the user's age is left out, not the sentence"
    assert assistant.turn("what's our neighbour's name").answer == "Dave", "a name set apart by commas is given"
    assert assistant.turn("Shruti kya karti hai").answer not in ("doctor", "husband doctor"), "her husband's job is not given as hers"
    assert assistant.turn("Ravi kya karta hai").answer == "driver", "what he is now ('hai'), not was ('tha')"
    assert speech_act("Mujhe nahi pata ki Arjun kab aata hai") == "statement", "told what is not known, not asked"
    assert not replaces("Did an ab workout with Sam at the gym today.", "I go to the gym with Sam on Fridays.", 0.7).replaces, "'ab' is Hindi only in Hindi"
    assert not replaces("Tom ko bye bye bola airport pe, he is back next week", "My flatmate is Tom.", 0.3).replaces, "a goodbye, not an ending"
    assert answer.parse_question("how do i get to the u-bahn").focus >= {"u-bahn"}, "'u' is 'you' only as a word of its own"


def test_a_move_does_not_close_what_someone_does(memories):
    job, = remember_all(memories, "Minha melhor amiga Carol é arquiteta")
    remember_all(memories, "Ideia de presente pra Carol? She just moved to Florianópolis com o namorado, e vai ser a primeira vez "
                           "em 20 anos que a gente não mora na mesma cidade")
    assert memories.get(job).status == "active", "where she lives changed, not her work"


def test_a_replaced_statement_stands_for_what_replaced_it(memories):
    old, = remember_all(memories, "I drive a silver Skoda Octavia.")
    new, = remember_all(memories, "I sold the Skoda, now I drive a white Volvo XC40.")
    assert memories.get(old).status == "superseded"
    everything = Filters(statuses=frozenset({"active", "superseded"}))
    hits = memories.recall("silver Skoda Octavia", filters=everything)
    standing = memories.standing_in(hits)
    assert [hit.memory.id for hit in standing][:1] == [new] and old not in [hit.memory.id for hit in standing]
    assert standing[0].score == max(hit.score for hit in hits)
    assert memories.replaced([new]) == {new: ["I drive a silver Skoda Octavia."]}


def test_a_statement_updated_in_part_brings_its_update_and_a_restored_one_changes_nothing(memories):
    old, other = remember_all(memories, "I work as a backend engineer at a fintech startup called Paysetu, mostly Go and Postgres.",
                              "My brother Arjun lives in Singapore.")
    new, = remember_all(memories, "BIG news: I quit Paysetu!! Started at Kitestring Labs this Monday.")
    assert memories.store.latest_updates_of([old]) == {old: new}, "an update in part: the old statement stays"
    standing = memories.standing_in([Hit(memories.get(old), 0.9), Hit(memories.get(other), 0.5)])
    assert [(hit.memory.id, hit.score) for hit in standing] == [(old, 0.9), (new, 0.9), (other, 0.5)]
    memories.store.set_status([old], "quarantined")
    assert memories.replaced([new]) == {} and memories.standing_in([Hit(memories.get(old), 0.9)])[0].memory.id == old


def test_ask_json_says_what_the_answer_rests_on(cli):
    assert cli("remember", "My daughter Ella turns 7 in March.").exit_code == 0
    data = json.loads(cli("ask", "How old is Ella turning?", "--json").stdout)
    assert data["grounded"] and data["citations"] and "7" in data["answer"]
    assert all(memory_id in [m["id"] for m in data["memories"]] for memory_id in data["citations"])


def test_words_people_use_for_the_same_thing_answer_the_question(memories):
    *_, op = remember_all(memories, "I don't drive anymore since the knee got bad, I take the bus everywhere.",
                          "I gave up the allotment, even with the new knee in it was too much bending.",
                          "Help me read this letter, my knee op's pencilled in for the 28th of April at the Golden Jubilee.")
    booked = Assistant(memories, FakeModel()).turn("What date was my knee operation booked for?")
    assert "28th of April" in booked.answer and booked.citations == [op]


def test_terse_and_mixed_writers():
    assert read("where do umma and appa live", "umma + appa live in fullerton CA. appa runs a dry cleaner there") == "fullerton CA", \
        "an acronym does not make a lowercase writer capitalise names"
    assert read("where do I study?", "doing masters in data science at FEUP (engineering faculty, uni of porto)") == "FEUP", "a field, not a place"
    assert "figma" in read("where does jess work", "jess quit msft. she's PM @ figma now")
    assert read("what's my wife's name?", "Ma blonde Huguette, my wife since 1972, likes roses") == "Huguette"
    assert kinship.RELATION_OF["oppa"] == "brother" and kinship.RELATION_OF["iya"] == "mother" and kinship.RELATION_OF["bff"] == "friend"
    assert answer._OTHER_SUBJECT.match("work bff = marcus, SRE on infra team"), "a note about a friend is not about the user"
    assert read("Huguette her birthday it is when?", "Ma blonde Huguette, my wife since 1972, her birthday it is the 19 of august") == "the 19 of august", \
        "the date near what is asked of her, not near her name"
    assert answer.parse_question("Chantal she work where now?").about == (frozenset({"chantal"}),), "a name that opens the question is whom it asks about"
    assert answer.parse_question("Tom's birthday is when?").about == (frozenset({"tom"}),)
    assert answer.parse_question("To who I sell the farm, I want to be sure I write it good in my papers").focus == {"farm", "sell"}, \
        "a word of why after the question is not what it asks"
    assert answer.parse_question("Huguette her birthday it is when? I don't want to make the same mistake").wants == "time"
    assert read("what night do i go bowling", "new hours are seven at night till five in the morning, we bowl tuesday nights") == "tuesday nights"
    assert read("who's my chiropractor", "dr benavides my chiropractor says i got a bulging disc at l4") == "benavides"
    assert answer.is_personal("ilang taon na ko", []) and answer.is_personal("¿dónde vive mi hermana?", []), "'ko', 'mi' are the asker's own"
    assert read("What is my dog's full name?", "I keep a Border Collie named Theodolite, Theo for short, now eleven") == "Theodolite", "a Border Collie is a dog"
    assert "17th of June" in read("Would you remind me of my date of birth as I recorded it?", "I was born on the 17th of June, 1949, in Launceston")
    assert read("In which town was I born?", "I was born on the 17th of June, 1949, at the Queen Victoria Hospital in Launceston") == "Launceston"
    tokens = answer._tokens("Chantal she don't teach at Drummondville anymore")
    assert answer._recency(tokens, 5) < 0, "a place she is not at anymore is not where she works"
    assert "Thursday" in read("What day it is the crib with Réal?", "The crib with Réal it is not the Tuesday anymore, the salle is taken by the bingo, "
                               "so now we play every Thursday afternoon"), "a day said not to hold is no answer when another is there"
    assert "6 to 2" in read("what hours is my shift", "I am working early shift, from 6 to 2, Monday to Friday"), "'from' opens a range, it denies nothing"



def test_my_boy_is_my_son_and_his_news_replaces_what_he_did():
    gary = "My boy Gary works offshore on the rigs oot of Aberdeen, and him and his partner Shona had a wee boy, Lewis, in March"
    assert read("whats Gary's partner called", gary) == "Shona"
    assert read("what's my son's name", gary) == "Gary"
    assert replaces("Big news, Gary's packed in the rigs! Him and Shona have moved tae Inverness", gary, 0.6).replaces, \
        "'Gary's packed in' is about Gary"


def test_everyday_words_of_the_languages_users_mix_in():
    assert stem("escola") == stem("school") and stem("aniversário") == stem("birthday") and stem("mudou") == stem("moved")
    assert read("which school is Yumi at", "A Yumi mudou de escola, agora ela está na Escola Viva Campinas") == "Escola Viva Campinas"
    assert read("remind me my daughter's name", "Minha filha Yumi tem 9 anos e estuda no Colégio Sagrado Coração") == "Yumi"
    assert read("where does my sister live", "mi hermana Sofía vive en Lima con su esposo") == "Lima"
    assert read("when is my birthday", "Meu aniversário é 12 de outubro, same day as Dia das Crianças haha",
                "O aniversário do Rafael, meu marido, é 21 de outubro") == "12 de outubro", "'meu' is the user's own, as 'my' is"
    assert read("Where does my brother Luc live?", "My brother Luc lives in Rio de Janeiro now") == "Rio de Janeiro", "a capitalised 'Janeiro' is no month"
    assert kinship.relation_names("Meine Tochter Anna ist 5") == [("daughter", "Anna")] and kinship.relation_names("Ma came over") == []
    assert kinship.relation_names("Minha sogra Keiko faz o melhor yakisoba") == [("mother-in-law", "Keiko")]
    assert kinship.relation_names("Volví a mi pais, Venezuela, en 2019") == [], "'pais' alone may be 'país'"
    assert kinship.relation_names("Ma visited her sister Joan in Cork") == [] and kinship.relation_names("Ran 5 mi with coach Dan") == []
    assert kinship.relation_names("mia sorella Giulia") == [("sister", "Giulia")]
    assert not answer._OTHER_SUBJECT.match("My birthday is 2 April"), "the user's own, not someone called 'My'"
    assert not any(answer._OTHER_SUBJECT.match(text) for text in ("My favourite Thai place is Rosa Thai", "My new Toyota is silver",
                                                                   "My flight Tuesday leaves at 7am", "My birthday, March 3rd"))
    assert answer._OTHER_SUBJECT.match("My comadre Yolanda has a cocinería in the Mercado de Castro"), "whom the user calls their comadre"
    assert answer._OTHER_SUBJECT.match("Ma blonde Huguette, my wife since 1972"), "a possessive, a word and a name: about her"
    assert read("What time it is the messe on Sunday, Huguette she is not sure",
                "Every Sunday we go to the messe of 9h30 at the église Saint-Léonard") == "9h30", "who is unsure is not whom it asks about"
    assert read("when is football training", "Mazoezi ya soka ni jumatatu na jumatano jioni").startswith("jumatatu")
    assert answer.parse_question("when is football training").about == (), "a game's training, not someone called football"
    assert answer.parse_question("when is sara coming").about == (frozenset({"sara"}),)
    assert answer.parse_question("when does lily practice piano").about == (frozenset({"lily"}),), "'practice' is what Lily does"
    assert read("when is football training", "training ya Umoja Stars imehamia Monday na Wednesday") == "Monday"
    assert "law" in read("what does collins study", "my guy Collins anasomea law pale Strathmore")
    assert "University of Nairobi" in read("which uni do i go to", "mimi ni Brian, niko 20, second year Computer Science pale University of Nairobi")
    assert read("When it is our anniversary of marriage, me and Huguette?",
                "I need some idea for the 55 anniversary of marriage with Huguette next year, it is the 24 of june") == "the 24 of june", \
        "an anniversary comes back every year: its day, not the year it falls in next"
    assert read("when did we celebrate our anniversary", "We celebrated our anniversary last year in Paris") == "last year", "one past"
    assert read("what school does she go to, Lola she is 7", "Lola goes to St Mary's Primary", "I went to Leeds Grammar School") \
        == "St Mary's Primary", "'she' is Lola: no one unsure"
    assert read("what time is my flight", "The flight to Lima is 12h long, we leave at 9pm") == "at 9pm", "12h is how long"
    assert read("what time is mass", "A missa é às 19h.") == "às 19h"
    assert read("what day is my pilates", "pilates toda quinta às 18h") == "quinta"

def test_review_cases_of_the_fifteenth_sitting():
    # A review of the reader's changes for mixed and terse writers found each of these.
    assert read("Hi, where do I work?", "I work at Tesco in Leeds") == "Tesco", "a greeting is not whom a question asks about"
    assert answer.parse_question("Wheres his office").about == ()
    assert "Kindle" in read("did Tom give me a Kindle for my birthday?", "for my birthday on 12 May Tom gave me a Kindle")
    assert not answer.is_question("Guess what? I got the job at Google!")
    assert not answer.is_personal("when did the UK leave the EU?", []) and not answer.is_personal("how far is 10 mi in km?", [])
    assert not answer.is_question("remind me the difference between affect and effect")
    assert read("where did I do my degree?", "I did my degree in Leeds") == "Leeds"
    assert "Thursday" in read("What day it is the crib with Réal?", "The crib with Réal we don’t play it the Tuesday anymore, so now we play every Thursday afternoon")
    assert answer.says_unknown(read("who is my partner?", "my old school chum Dave came round for dinner"))
    assert read("what's my boss's name?", "my boss is OK i guess, her name is priya") != "OK"
    assert speech_act("when I moved to Leeds my rent doubled") == "statement"
    assert speech_act("and when I got home I cried") == "statement"
    assert speech_act("Which reminds me, my passport expires in May") == "statement"
    assert speech_act("my sister lives in Leeds, what's a good café there?") == "statement"
    assert speech_act("what a day, my car broke down") == "statement"
    assert speech_act("where did i put the receipt for the new washing machine we bought at currys last month?") == "question"
    assert speech_act("wen is my dentist appt") == "question"


def test_the_bench_judge_takes_a_writers_stem_but_not_a_longer_word():
    spec = importlib.util.spec_from_file_location("answers_bench", Path(__file__).resolve().parent.parent / "bench" / "answers.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.holds("He study the agronomie at Laval", "agronom") and bench.holds("Now you go the sábados", "sábado")
    assert not bench.holds("Zosia is eighteen", "eight") and not bench.holds("she works at a nursery", "nurse")
    assert not bench.holds("a gift from your grandparents", "grandpa")
    assert bench.holds("August 14th", "August 14")


@pytest.mark.parametrize(("new", "old"), [
    ("di na lancelot main ko, hayabusa na, jungler pa rin syempre", "lancelot main ko sa ml, jungler ako lagi"),  # Tagalog "di na": no longer
    ("update: nimeacha ile kazi ya cyber. sasa nafanya delivery ya Glovo weekends", "nafanya part-time kwa cyber pale Umoja market weekends"),  # Swahili
    ("saí da Clínica Patas, agora trabalho no Hospital Central", "I work at Clínica Patas, mostly cats"),  # Portuguese
    ("lumipat na kami sa converge, bye pldt hahaha ang bilis", "wifi namin pldt, lagi nawawala pag umuulan"),  # "bye X": X is gone
    ("i don sell that corolla o! na black honda cr-v i dey drive now, second hand but e clean well", "my motor na silver toyota corolla, 2014 model"),
    ("tunde don comot from stagecoach, him dey drive for first bus now", "my husband na tunde, him dey drive bus for stagecoach"),  # whom "na" names
    ("Catalina switched carrera, she left enfermería, now she studies kinesiología", "My hija mayor Catalina studies enfermería in Osorno."),
    ("I have sad news. Mirri had kidney disease and we had to put her to sleep. I adopted a grey tabby cat, he is called Topi.",
     "I have a cat, a Norwegian forest cat. Her name is Mirri and she is 9 years old."),
    ("I lost my celular in the mar when I was helping Segundo with the redes, so new número: +56 9 4412 7809.",
     "My número de celular is +56 9 8765 2231."),  # "celular" is a phone, "new número" a new number
    ("A Yumi mudou de escola, agora ela está na Escola Viva Campinas",
     "Minha filha Yumi tem 9 anos e estuda no Colégio Sagrado Coração"),  # "Colégio" in a school's name is a school
])
def test_changes_said_in_the_languages_users_mix_replace_the_old_value(new, old):
    assert replaces(new, old, 0.5).replaces


@pytest.mark.parametrize(("new", "old"), [
    ("Qué hago? Chispa ate a piece of lana and now she is vomiting, and the veterinario Dr. Pacheco in Castro is closed hoy. Is it peligroso?",
     "I am alérgica a los mariscos, one chorito and my garganta closes, imagine, the wife of a pescador."),  # "now" is far from "closes"
    ("Kindly proofread the enclosed notice for the Hobart Walking Club newsletter; I have recently been appointed the club's archivist.",
     "I am a member of the Hobart Walking Club, although my participation these days is modest."),  # a request restates nothing
    ("Please compose a brief condolence note to Piet, whose wife, Margriet, died last Tuesday after a long illness.",
     "My late wife, Rosalind, played cello with the Tasmanian Symphony Orchestra; she died in August 2019."),
    ("tasha + elena are my college friends from wwu, they live in tacoma now",  # where they live, which the old never said
     "i'm the known donor for tasha + elena. IUI worked on the 2nd try, tasha is due may 9 🥹"),
])
def test_a_cue_far_from_what_two_statements_share_changes_nothing(new, old):
    assert not replaces(new, old, 0.5).replaces


def test_a_slot_the_old_statement_never_names_still_changes_it_when_both_are_on_one_topic():
    assert replaces("jo from book club, she lives in bath now", "jo from book club is in bristol", 0.75).replaces
    assert replaces("tasha + elena are my college friends from wwu, they live in tacoma now", "tasha + elena are in seattle", 0.75).replaces


@pytest.mark.parametrize(("new", "old", "changes"), [
    ("Bruno died", "We have a beagle, Bruno", True),  # a death says nothing new of Bruno but that
    ("Kindly note I have moved to 12 Rose Lane now", "I live at 4 Elm Street", True),  # told, not asked
    ("Moved to Leith now, still miss the old flat in Gorgie though", "I live in a flat in Gorgie", True),  # what one still feels
    ("We moved from LA to Denver", "I live in LA", True),  # "LA" is no Spanish article
    ("i'm a teacher now, left the bank", "my wife is a teacher in leith", False),  # "my wife is a teacher" names no wife
    ("The bank transferred my salary late again", "I work at Deloitte", False),
    ("I sell my paintings on Etsy", "I paint watercolours; my paintings hang in the cafe on Main St.", False),  # a habit, not a sale
    ("Reading a thriller on the train, can't put it down", "I'm reading Project Hail Mary at bedtime", False),
    ("Sasa! My sister is visiting, I drive her to the market on Saturdays", "I drive to the market on Sundays", False),  # a greeting
])
def test_the_review_cases_of_the_sixteenth_sitting(new, old, changes):
    judgement = replaces(new, old, 0.5)
    assert judgement.replaces == changes and not judgement.by_meaning


def test_the_small_words_of_other_languages_are_nothing_two_statements_share():
    judgement = replaces("me n kirsty got a flat in partick, moved oot tae the west end at last", "ma gran n grandad are still in troon, he's retired", 0.5)
    assert not judgement.replaces or judgement.by_meaning, "'n' and 'tae' name no attribute: only meaning is left, which only the closest may meet"


def test_what_an_update_says_still_holds_or_outlives_it_stays():
    jungler = replaces("di na lancelot main ko, hayabusa na, jungler pa rin syempre", "lancelot main ko sa ml, jungler ako lagi", 0.7)
    assert jungler.replaces and "jungler ako lagi" not in jungler.stale, "'pa rin': still a jungler"
    asthma = replaces("The GP took me aff the Ventolin, it made my hands shake, so I'm on the Symbicort now.",
                      "Diagnosed wi asthma in 2015, I'm on the Ventolin twice a day wi my breakfast and my tea.", 0.5)
    assert asthma.replaces and not any("2015" in part for part in asthma.stale)
    van = replaces("Sold la Baleine finally, 2500$ to a guy from a circus school. Got a used 2017 Toyota Sienna.",
                   "The van is a grey 2011 Ford Transit, the kids named her la Baleine, 310 000 km and still running", 0.4)
    assert van.replaces and any("Ford Transit" in part for part in van.stale), "what the name stood for is gone with it"


def test_an_update_that_names_the_old_value_gone_closes_it_whatever_is_closer(memories):
    wifi, home = remember_all(memories, "wifi namin pldt, lagi nawawala pag umuulan", "sa toril kami nakatira, malapit sa simbahan")
    remember_all(memories, "lumipat na kami sa converge, bye pldt hahaha ang bilis grabe")
    assert memories.get(wifi).status == "superseded" or memories.get(wifi).provenance.get("stale")
    assert memories.get(home).status == "active" and not memories.get(home).provenance.get("stale"), "'bye pldt' says what went"


def test_a_change_closer_in_meaning_to_another_statement_does_not_close_it(memories):
    meetings, climbing = remember_all(memories, "no mtgs before 10am. cal is blocked, pls respect it", "bouldering tues/thurs @ seattle bouldering project")
    remember_all(memories, "climbing days changed → mon/wed now, thurs is oncall sync")
    assert memories.get(meetings).status == "active", "closer in meaning, but 'thurs' says the change is of the bouldering"


def test_what_one_drives_is_read_as_a_make_and_model(memories):
    remember_all(memories, "The van is a grey 2011 Ford Transit, the kids named her la Baleine, 310 000 km and still running")
    remember_all(memories, "Sold la Baleine finally, 2500$ to a guy from a circus school lol. Got a used 2017 Toyota Sienna, less room for gear")
    assistant = Assistant(memories, FakeModel())
    driving = assistant.turn("what am I driving these days").answer
    assert "Toyota Sienna" in driving and "Transit" not in driving
    assert answer.extract(answer.parse_question("whats my vans registration"), _clause("My van is a Ford Transit, registration AB12 CDE")) != "Ford Transit"
    assert answer.extract(answer.parse_question("what car do i drive"), _clause("My car is a Mazda 3")) == "Mazda 3"
    assert answer.extract(answer.parse_question("what car do i drive"), _clause("Sold the Ford Focus, now I drive a Toyota Yaris")) == "Toyota Yaris"
    assert answer.read("what car do I drive?", [answer.Recalled(1, "My wife's sister Mercedes lives in Madrid", 1.0, 0.3, None)]).unknown, "a name, not a make"
    assert answer.extract(answer.parse_question("what car does my bro drive"), _clause("my bro dey drive a honda civic because e cheap")) == "honda civic"


def _clause(text: str) -> answer.Clause:
    said = answer.Recalled(1, text, 1.0, 0.5, None)
    return answer.Clause(said, text, text, 0)


@pytest.mark.parametrize(("text", "lookup"), [
    ("hannah bday", True), ("fav soju", True), ("personal laptop model", True), ("my blood type", True), ("my #1 band", True),
    ("good morning", False), ("ok cool", False), ("room 217", False), ("dentist tuesday", False), ("Paris", False),
    ("startup i was at before", False), ("tell me a joke", False), ("any tips for sleep", False),
])
def test_a_few_words_naming_what_is_wanted_are_a_lookup(text, lookup):
    assert answer.is_lookup(text) is lookup


def test_a_lookup_is_answered_from_memory_only_when_memory_names_it(memories):
    remember_all(memories, "hannah bday 3/2", "My personal laptop is a ThinkPad X1.", "I love pasta carbonara.", "Mum's birthday is 3 May.",
                 "My daughter Mia is 7.", "New job at Acme!", "My sister Ana lives in Lisbon.")
    assistant = Assistant(memories, FakeModel(answer="From the model."))
    bday = assistant.turn("hannah bday")
    assert "3/2" in bday.answer and bday.grounded
    assert "ThinkPad" in assistant.turn("personal laptop model").answer
    asked = [m for m in memories.store.iter_memories() if m.content == "hannah bday"]
    assert [m.speech for m in asked] == ["question"], "a lookup states nothing"
    assert not assistant.model.prompts
    for text in ("pasta recipe", "birthday card for mum", "mia bday", "new phone", "sister in town"):
        assert assistant.turn(text).answer == "From the model.", f"memory does not answer {text!r}"
    assert answer.says_unknown(assistant.turn("my blood type").answer), "one's own thing memory never heard of is not the model's guess"
    for text in ("my knee hurts", "call mum", "happy birthday mum", "fav color blue", "i’m tired", "gift ideas"):
        assert not answer.is_lookup(text)


@pytest.mark.parametrize("text", [
    "in what city does my daughter live", "since which year i start for that hospital", "my shoe size na wetin",
    "my sister for houston, wetin be her work again", "Réal, what was his job before, I forget the word in english",
    "i don forget my locker number again", "forgot my wifi password",
])
def test_questions_asked_in_the_middle_or_by_saying_what_was_forgotten(text):
    assert answer.is_question(text)


@pytest.mark.parametrize("text", ["From what I hear, she moved to Leeds.", "I forgot my keys at home", "I forgot my mum's birthday yesterday"])
def test_statements_that_look_like_those_questions_stay_statements(text):
    assert not answer.is_question(text) and speech_act(text) == "statement"


def test_a_date_is_the_answer_only_where_the_event_is_said(memories):
    remember_all(memories, "tunde birthday na 22 february", "kemi say she go come home for easter",
                 "me and Njeri started dating last week", "Njeri is in my Data Structures class. Her bday is 9th December.")
    assistant = Assistant(memories, FakeModel())
    assert answer.says_unknown(assistant.turn("wen be kemi birthday").answer), "tunde's birthday is not kemi's"
    assert answer.says_unknown(assistant.turn("which year me and tunde marry").answer)
    assert "9th December" in assistant.turn("when is njeri's birthday").answer, "the sentence that says her birthday answers"


def test_a_job_said_bare_as_a_note_says_it(memories):
    remember_all(memories, "oppa = daniel. pharmacist in irvine, married, 2 kids", "Friend rafa, married to a doctor, lives in Braga")
    assistant = Assistant(memories, FakeModel())
    assert "pharmacist" in assistant.turn("what's oppa do again").answer.lower()
    assert assistant.turn("what does rafa do for work").answer.lower() not in ("doctor", "a doctor"), "the doctor is whom rafa married"


def test_how_much_something_sold_for_is_an_amount_of_money(memories):
    remember_all(memories, "we sold the old house on route 4, now we live in a condo", "infinix gt 20 pro na gamit ko, bigay ni kuya rj",
                 "Catalina pays 180 mil for the arriendo in Osorno")
    assistant = Assistant(memories, FakeModel())
    assert answer.says_unknown(assistant.turn("how much did we sell the old house for?").answer), "route 4 is no price"
    assert answer.says_unknown(assistant.turn("magkano yung infinix na binigay ni kuya").answer), "'gt 20' is a model"
    assert "180" in assistant.turn("how much is the arriendo Catalina pays?").answer


def test_the_one_a_question_is_about_is_not_its_answer(memories):
    remember_all(memories, "oppa = daniel. pharmacist in irvine, married, 2 kids")
    assistant = Assistant(memories, FakeModel())
    assert "daniel" not in assistant.turn("oppa's kids names?").answer.lower().split("memory:")[0]


def test_what_someone_does_is_not_answered_by_a_sentence_that_names_no_work(memories):
    remember_all(memories, "My brother Luc is an electrician in Gatineau, married to Anne, they have twins",
                 "Your younger brother Kalevi lives in Kuopio", "kayla lives down in lubbock shes a dental hygienist")
    assistant = Assistant(memories, FakeModel())
    assert answer.says_unknown(assistant.turn("what does Anne do for work").answer), "the electrician is Luc"
    assert answer.says_unknown(assistant.turn("What does my brother Kalevi do for work?").answer)
    assert "hygienist" in assistant.turn("what does kayla do for a living").answer


def test_what_memory_holds_nothing_of_is_not_made_up_from_its_neighbours(memories):
    remember_all(memories, "My sister Ana lives in Lisbon.", "I drive a Honda Civic.", "I bought a bike in 2019.",
                 "My son Leo started school in September.", "Ify 16, Daniel 13, Zara 7.")
    assistant = Assistant(memories, FakeModel())
    assert answer.says_unknown(assistant.turn("what's my sister's middle name").answer), "Ana is her name, not her middle name"
    assert answer.says_unknown(assistant.turn("where did I go to high school").answer), "Leo is my son, not a place"
    assert answer.says_unknown(assistant.turn("where does Leo go to school").answer), "September is no place"
    assert assistant.turn("when did my son start school").answer == "September"
    assert assistant.turn("how old is Zara").answer == "7"


def test_who_someone_is_is_what_the_user_said_of_them(memories):
    remember_all(memories, "My manager is Claire.", "Tom's wife is called Priya.")
    assistant = Assistant(memories, FakeModel())
    assert assistant.turn("who is Claire?").answer == "Your manager is Claire"
    assert "wife" in assistant.turn("whos priya again").answer


def test_a_phone_number_has_digits_enough_to_dial(memories):
    remember_all(memories, "My phone is an iPhone 13.")
    assistant = Assistant(memories, FakeModel())
    assert answer.says_unknown(assistant.turn("what's my phone number").answer)
    remember_all(memories, "my number is 07700 900123")
    assert assistant.turn("what's my phone number").answer == "07700 900123"


@pytest.mark.parametrize("text", [
    "My sister, who lives in Leeds, is pregnant.", "Mum, who is 70, loves gardening", "Paris, where I lived for 3 years, is lovely",
    "Anyway, what happened was I fell off my bike", "In which case I'll stay home.", "At which point we left the party.",
    "Nani lives in Hilo", "Kelan is my dog, he is 3",
])
def test_a_topic_a_preposition_or_a_name_before_a_question_word_still_states(text):
    assert not answer.is_question(text) and speech_act(text) == "statement"


def test_the_review_cases_of_the_seventeenth_sitting(memories):
    remember_all(memories, "Ana plays tennis on Sundays.", "I sold my bike for 200 quid.", "We bought 5 kg of rice.",
                 "My sister Ana works as a doctor.", "Cook dinner for Ana on Friday.",
                 "My locker number is 217.")
    assistant = Assistant(memories, FakeModel())
    assert "tennis" in assistant.turn("what does Ana do on Sundays?").answer, "not a question about her job"
    assert "200" in assistant.turn("how much did I sell my bike for").answer
    assert "5" in assistant.turn("how much rice did we buy").answer, "an amount of rice, not of money"
    assert "doctor" in assistant.turn("what does Ana do for work").answer
    assert assistant.turn("can't remember my locker number").answer == "217"


def test_where_one_is_from_is_not_where_one_lives(memories):
    remember_all(memories, "I'm from Curitiba, Brazil. My parents still live there", "I live in Porto, Bonfim area",
                 "I met Anna in Leeds, Tom was there too")
    assistant = Assistant(memories, FakeModel())
    assert assistant.turn("where am i from originally").answer == "Curitiba, Brazil", "a town with its country, not a name called"
    assert "Porto" in assistant.turn("where do I live?").answer
    assert assistant.turn("where did I meet Anna?").answer == "Leeds"


def test_everyday_family_facts_are_read_for_whom_and_when_they_hold(memories):
    remember_all(memories, "We have two kids, Ella who is 7 and Max who is 4", "Ella goes to Greenfield Primary, she's in year 2",
                 "I used to work at Boots, now I'm a pharmacist at Lloyds", "My brother Liam lives in Toronto with his wife Priya",
                 "My sister Aoife just had a baby boy called Rory", "Moved into a new flat in Hackney with my girlfriend Jess",
                 "My dentist is Dr Patel on Oxford Road", "I play five-a-side football on Thursday nights")
    assistant = Assistant(memories, FakeModel())
    said = {question: assistant.turn(question).answer for question in (
        "how old is Max", "how old is Ella", "what school does Ella go to", "where do I work", "where did I use to work",
        "what's my sister-in-law's name", "what's my nephew's name", "where do I live",
        "where is my dentist", "what day do I play football")}
    assert said["how old is Max"] == "4" and said["how old is Ella"] == "7", "an age is of the name said before it"
    assert said["what school does Ella go to"] == "Greenfield Primary"
    assert said["where do I work"] == "Lloyds" and said["where did I use to work"] == "Boots"
    assert said["what's my sister-in-law's name"] == "Priya", "his wife, of the brother the sentence opens with"
    assert said["what's my nephew's name"] == "Rory", "a sister's baby boy"
    assert said["where do I live"] == "Hackney", "a move home says where one lives, not the brother's town"
    assert said["where is my dentist"] == "Oxford Road", "Dr Patel is who, not where"
    assert "Thursday" in said["what day do I play football"] and "before" not in said["what day do I play football"], "every week, not a date"


def test_a_window_of_hours_and_a_field_of_study_are_read(memories):
    remember_all(memories, "remind me: the plumber comes Wednesday between 8 and 10",
                 "my niece Zoe starts uni in September, she's doing law at Durham", "our kids are aged 7 and 4")
    assistant = Assistant(memories, FakeModel())
    assert assistant.turn("what time is the plumber coming?").answer == "between 8 and 10"
    assert "law" in assistant.turn("what is Zoe studying?").answer
    assert "7" in assistant.turn("how old are the kids?").answer, "two ages are no window of hours"


def test_facts_said_in_passing_in_a_chat_are_told_back_to_the_user(memories):
    assistant = Assistant(memories, FakeModel())
    assistant.turn("I need a packing list for Lisbon, we fly out on the 12th and stay 5 nights")
    assistant.turn("Suggest a gift for my boss Greta who's retiring after 30 years at Siemens")
    assert assistant.turn("when do we fly to Lisbon?").answer == "on the 12th", "a day of the month, not '5 nights'"
    assert "30 years" in assistant.turn("how long has Greta been at Siemens?").answer, "'who's retiring' tells something"
    assert assistant.turn("who is Greta?").answer.startswith("Your boss"), "an extracted fact is told in the second person"


def test_what_the_review_found_stays_fixed(memories):
    remember_all(memories, "I'm vegan", "Jared from church is moving to Canada", "I'm 40 and my son Leo is 12",
                 "Pick up from school is at 3:15 on Fridays")
    remember_all(memories, "Plans changed, pick up is at 2:30 now")
    assistant = Assistant(memories, FakeModel(answer="From the model."))
    for text in ("what do pandas eat?", "my cat died"):
        assert assistant.turn(text).answer == "From the model.", f"{text!r} is no question about the user's memory"
    assert assistant.turn("who is moving to Canada?").answer == "Jared", "a name ending in -ed is no verb"
    assert assistant.turn("how old am I?").answer == "40", "not the son's age"
    assert assistant.turn("what time is pick up on Fridays?").answer == "2:30", "a change of plan changes a plan said by its time"
    assert answer.called_by_name("Great to see you in Leeds, Tom!") == ["Tom"]


def test_terse_notes_and_lowercase_questions_of_a_fresh_set_are_read():
    assert "dentist" in read("what does hannah do", "hannah bday 3/2", "gf = hannah. pediatric dentist in bellevue"), \
        "a note's fragment goes on about whom its short first sentence named"
    assert read("what breed is our dog", "we have a border collie called Biscuit, shes 6") == "border collie"
    assert read("what was the name of mums retirement village",
                "Mum (Iris) lives in Timaru now in a retirement village called Oceanview") == "Oceanview", "a thing's name, not mum's"
    assert read("what was dads name", "Mum (Iris) lives in Timaru now, she moved up there after dad died").startswith("I don't know")
    assert read("how old is mum", "Mum (Iris) lives in Timaru",
                "my younger sister Fenella lives in Brisbane, shes been over there nearly 20 years").startswith("I don't know")
    assert "turbine" in read("what do i do for work", "ola is a pharmacist, works at a pharmacy in galaxy mall.",
                             "job: offshore wind turbine tech, working for orsted on the baltic"), "ola's job is not mine"
    update = answer.Recalled(1, "left orsted. w/ siemens gamesa now, still offshore", 1.0, 0.6, None, replaced=["working for orsted"])
    assert answer.read("who do i work for now", [update]).answer == "siemens gamesa", "an employer, after 'w/'"
    assert read("oppa's kids names?", "oppa = daniel. pharmacist in irvine, married, 2 kids").startswith("I don't know")
    assert "golf" in read("what car do i drive", "car is a 2015 vw golf, blue"), "a note leaves out 'my'; not someone described"
    assert read("quem é minha contadora", "Minha contadora, a Sônia, is on vacation") != "Minha", "'my' in Portuguese is no name"
    assert kinship.relation_names("gf ola, her bday 19 jan") == [("girlfriend", "ola")], "a terse note opens with whom it is about"


@pytest.mark.parametrize("question, relation", [
    ("what are my sisters twins called?", ("", ("sister", "twins"))),
    ("whats mums name", ("", ("mother",))),
    ("what was dads name", ("", ("father",))),
    ("what do dads usually get for fathers day", None),
])
def test_a_possessive_typed_without_its_apostrophe_is_a_relation(question, relation):
    assert kinship.asked_kin(question) == relation


def test_the_name_of_a_thing_is_not_asked_of_a_person():
    asked = answer.parse_question("what was the name of mums retirement village")
    assert (asked.wants, asked.head) == ("name", "village")
    assert answer.parse_question("whats the name of my dentist").wants == "person"
    assert answer.parse_question("what was the name of that restaurant in Porto again").head == "restaurant"
    assert answer.parse_question("what is the name of the salon Ana works at").head == "salon", "not 'works'"
    assert read("what is the name of the salon Ana works at", "Ana works at a salon called Glamour Cuts on Western Street") == "Glamour Cuts"
    assert read("whats the name of the salon lorena works at",
                "My best friend lorena does hair at a salon over on western street").startswith("I don't know"), "a street is where, not a name"


def test_a_mother_who_moved_does_not_move_the_user():
    assert not replaces("Mum (Iris) lives in Timaru now in a retirement village called Oceanview, she moved up there after dad died",
                        "I live in Dunedin, up in Roslyn in an old draughty villa we bought in 2002", 0.5).replaces


def test_a_lookup_of_someones_name_is_answered_or_not_known(memories):
    remember_all(memories, "cat = pixel, black, 4 yo", "gf ola, her bday 19 jan")
    assistant = Assistant(memories, FakeModel(answer="From the model."))
    assert assistant.turn("cat's name").answer == "pixel"
    assert assistant.turn("ola's surname").answer == answer.UNKNOWN_ANSWER, "a lookup memory cannot answer is not the model's to guess"


@pytest.mark.parametrize("text", ["em que bairro eu moro", "que raça é o nosso cachorro", "desde quando eu corro a São Silvestre",
                                  "Yumi é alérgica a quê mesmo", "onde eu trabalho atualmente", "quando é o aniversário do Rafael",
                                  "en qué año nací"])
def test_portuguese_and_spanish_ask_without_a_question_mark(text):
    assert speech_act(text) == "question"


@pytest.mark.parametrize("text", ["Quando eu era criança, morava em Londrina", "que bom que você veio", "Onde eu moro tem muito barulho à noite",
                                  "Que pena que é longe"])
def test_the_same_words_still_open_statements(text):
    assert speech_act(text) != "question"


def test_a_place_is_told_with_the_part_of_it_said_after_a_comma():
    assert read("em que bairro eu moro", "Moro em Campinas, no Cambuí") == "Campinas, no Cambuí"
    assert read("where is she from", "from Curitiba, Brazil") == "Curitiba, Brazil"


def test_moving_out_of_a_parents_home_changes_where_one_lives_not_the_parents():
    moved = "moved out from my parents place finally! got a studio in Hackney"
    assert not replaces(moved, "my parents are both retired teachers", 0.6).replaces
    assert replaces(moved, "I live with my parents in Croydon", 0.6).replaces
    assert replaces("well I finally sold the old Forester. Ive got a little blue Suzuki Swift now",
                    "I drive a 2009 Subaru Forester, green", 0.4).replaces, "'the old Forester' is the Forester"
    budget = replaces("nimehama kwa mathe finally! nimepata bedsitter Ngara, rent ni 7k per month",
                      "nisaidie kupanga budget ya semester. HELB inanipa 40k per year na mathe ananipatia 1,500 ya fare", 0.69)
    assert not budget.replaces or budget.by_meaning, \
        "a request that told something in passing shares no word with the move: at most a change by meaning (the closest one only)"


def test_a_question_about_the_dog_is_about_the_users_dog_and_asks_in_place():
    assert answer.is_personal("whats the dogs name", [])
    assert answer.is_question("babcia halina's 90th is in which month")
    assert "shiba" in read("que raça é o nosso cachorro", "Nosso cachorro é um shiba inu chamado Missô")


def test_what_the_review_of_the_twenty_fifth_sitting_found_stays_fixed():
    for text in ("desde que voltei do Japão moro com a minha mãe", "Quando era criança morei em Recife", "Quando é feriado não trabalho",
                 "quando eu puder", "Family is what matters", "it depends on what happens", "Comprei pão, leite e sei lá o quê"):
        assert speech_act(text) != "question", text
    assert kinship.relation_names("daughter recently started at uni in york") == []
    assert kinship.asked_kin("who is mum having lunch with") is None and kinship.asked_kin("whats daughters school called") is None
    assert "Lily" not in read("whats daughters school called", "My daughter Lily goes to St Anne's Primary")
    assert "toddlers" not in read("who do i work for", "i work with toddlers at little acorns nursery")
    assert "junior dev" in read("what do i do for work", "Just started as a junior dev at Monzo"), "no 'I', still mine"
    assert "senior pm" in read("what do i do for work", "role is a senior pm at monzo")
    assert "Leith" in read("where do i live", "home is a flat in Leith")
    assert read("what is my cat called", "We adopted a tabby, Mimi") == "Mimi", "a name, whatever it means abroad"
    assert read("what does hannah do", "gf = hannah. brother jake is a plumber in tacoma").startswith("I don't know"), "jake is the plumber"
    assert "with o" not in read("how do i take my coffee", "coffee black w/o sugar")
    assert not answer.is_personal("can the dog eat grapes", [])
    assert replaces("Eu agora moro em Lisboa", "Moro em Campinas, no Cambuí", 0.6).replaces, "'Eu' is no one else"
    assert not replaces("A Yumi mudou de escola, agora ela está na Escola Viva", "Moro em Campinas, no Cambuí", 0.6).replaces


def test_a_birthday_asked_tersely_or_without_the_apostrophe_is_a_date():
    born = "My sister Ola was born on 3 March."
    for question in ("sisters bday?", "when is my sisters bday", "when is my sister's bday", "when is my sisters birthday"):
        assert read(question, born) == "3 March", question
    assert read("mums birthday?", "Mum was born on 3 March 1950.") == "3 March 1950"
    assert answer.says_unknown(read("sisters bday?", "My brother Jan was born on 9 May.")), "his, not hers"
    assert "Dishoom" in read("plans for our anniversary?", "Anniversary dinner at Dishoom on 14 June."), "plans, not a date"


def test_a_terse_note_gives_its_name_after_a_label():
    notes = ("gym: puregym on leith walk, mon wed fri 7am", "bea bday 3 may")
    assert read("which gym", *notes) == "puregym", "after the label's colon"
    assert answer.says_unknown(read("what school does bea go to", *notes)), "'bday' names no school"

def test_a_long_sentence_answers_a_job_with_its_part_that_says_one():
    gwen = "So my neighbour Gwen, lovely woman, she used to be a midwife at Southmead before she retired, and now she spends all day in her garden."
    for question in ("what was gwens job", "what did Gwen do before she retired"):
        assert "midwife" in read(question, gwen), question
    luc = "My brother Luc is an electrician in Gatineau, married to Anne, they have two kids and a big dog called Max."
    assert answer.says_unknown(read("what does Anne do for work", luc)), "Luc's job, not Anne's"
    mark = "Had coffee with Gwen and her husband Mark at the garden centre yesterday, he used to be a pilot for BA and she still talks about it."
    assert answer.says_unknown(read("what was gwens job", mark)), "he is Mark"
    assert answer.says_unknown(read("which company does Ana work for", "Ana's office party was at Tigerlily last night.")), "a party's place"
    assert read("who does rhodri work for", "My husband Rhodri is a train driver for GWR, he does a lot of early shifts.") == "GWR", \
        "his shifts say his work"


def test_a_pets_breed_is_read_past_when_it_came():
    pip = "We got a rescue greyhound last spring, her name is Pip and she is terrified of bins."
    for question in ("what breed is pip", "what kind of dog do we have", "what breed is our dog"):
        assert read(question, pip) == "greyhound", question
    assert kinship.breed("what breed is barney", ["We have an Old English bulldog called Barney."]) == ("Old English bulldog", 0)
    assert kinship.breed("what kind of dog do we have", ["My neighbour has a labrador called Duke."]) is None, "the neighbour's"


def test_a_place_is_not_the_person_a_relation_names_nor_the_verb_a_note_opens_with():
    jess = "my best mate Jess just got engaged to her boyfriend Tom!! wedding is next June in Cornwall"
    assert read("where is jess's wedding", jess) == "Cornwall", "Tom is her boyfriend, not where"
    assert "Castle" in read("where do i go bouldering", "Started bouldering at The Castle on Tuesdays"), "not 'Started'"
    assert read("where did i spend the weekend", "Spent the weekend at my brother's Cornwall cottage") == "Cornwall", "a place of his"


def test_the_year_one_is_in_at_school_is_read_as_such():
    kristine = "im kristine, 24, 4th yr bsn sa feu manila, graduating next june"
    assert read("what year am i in nursing school", kristine) == "4th yr"
    assert read("what year of uni am i in", "niko 20, second year Computer Science pale University of Nairobi") == "second year"
    assert read("what grade is migs in", "bff ko si migs, grade 10 na sya") == "grade 10"
    assert answer.says_unknown(read("which year of study is collins in", "niko 20, second year Computer Science",
                                    "my guy Collins anasomea law pale Strathmore")), "mine, not Collins's"
    assert "2019" in read("what year did I start uni", "Started uni in 2019, second year now."), "a year of the calendar"


def test_the_part_of_a_city_asked_is_the_place_said_beside_it():
    assert read("which part of szczecin do i live in", "live in szczecin, pogodno") == "pogodno"


def test_a_verb_of_another_language_opening_a_note_is_no_ones_name():
    question = answer.parse_question("what car do I have now")
    for note, whose in (("Troquei o Fit por um BYD Dolphin, elétrico!", 0.0), ("Ana drives a Toyota Corolla.", -1.0)):
        clause = answer.Clause(answer.Recalled(1, note, 1.0, 0.6, None), note, note, 0)
        assert answer._subject(question, clause) == whose, note


def test_what_the_review_of_the_twenty_eighth_sitting_found_stays_fixed():
    assert "Jaguar XE" in read("what car do I have", "I have a Jaguar XE."), "a make the lists do not know"
    assert read("when did I quit smoking", "I quit smoking on 3 March and joined the gym on 10 April.") == "3 March", "the day it stopped"
    assert read("what year is the reunion in", "The school reunion is in 2027.") == "in 2027", "a year of the calendar"
    assert read("what year of uni am i in", "I started uni last year, studying law at Leeds.") != "last year"
    assert read("which class is Mia in", "Mia is in class 3B with Mrs Jones.") == "class 3B"
    assert read("what year is Lily in", "My son Tom is in year 8, and Lily is in year 5.") == "year 5", "hers, not Tom's"
    assert answer.says_unknown(read("how old am I", "Trabalho na Petrobras, a empresa tem 70 anos.")), "the company's years"
    assert read("where did I grow up", "I grew up in Leeds, moved away from Yorkshire at 18.") == "Leeds"
    assert answer.parse_question("What does Dia do for work?").wants != "time", "Dia is a name"
    assert read("what's my neighbour's name", "Our neighbour is a Scot who plays bagpipes, Angus.") == "Angus"
    assert not answer.is_question("remind me about Tom's birthday party on Saturday"), "a reminder to set, not a question"
    for new, old in (("Swapped the Monday shift for a Friday one.", "Gym on Mondays at 7am."), ("Traded the PS4 for a Switch.", "Tom borrowed my PS4 last week."),
                     ("Ana swapped the Fit for a BYD.", "I drive a silver Honda Fit, 2014")):
        assert not replaces(new, old, 0.05).replaces, new
    assert replaces("Traded the Octavia for a BYD Dolphin.", "I drive a 2015 Skoda Octavia.", 0.05).replaces, "Octavia is no October"


def test_of_two_things_of_the_kind_asked_the_one_said_to_be_over_is_not_the_answer():
    rotation = "tapos na pedia rotation, ER rotation na ako ngayon sa east ave, night shift pa 10pm to 6am"
    duty = "duty ko rn is east avenue medical center, pedia ward, 6am to 2pm mon wed fri"
    recalled = [answer.Recalled(1, rotation, 1.0, 0.6, None, replaced=[duty])]
    assert "ER rotation" in answer.read("what rotation am i on these days", recalled).answer


def test_a_scots_question_word_is_no_ones_name():
    assert answer.parse_question("whit's Gary daein for work these days").about == (frozenset({"gary"}),)


def test_a_possessive_s_is_no_job():
    def job(question: str, text: str) -> str | None:
        return answer._job(answer.parse_question(question), answer.Clause(answer.Recalled(1, text, 1.0, 0.6, None), text, text, 0))

    assert job("What is Anke's profession?", "Fergus and Anke bought a house in Kingston, which shortens Anke's drive to work considerably.") is None
    assert job("What is Anke's profession?", "Anke's a nurse at St Mary's.") == "nurse"
    assert read("what does bisi do for work", "ngozi na my padi for work matter, she be midwife for st mary's hospital") != "hospital"
    assert "nurse" in read("what does Ana do for work", "Ana's a nurse at St Mary's.")


def test_a_comment_after_a_question_does_not_change_whom_it_asks_about():
    idol = "I am a fan of the Canadiens since I am small boy, my idol of hockey it is Guy Lafleur, the Démon blond."
    grandson = "My grandson Olivier, the son of Chantal, he study the agronomie at the Université Laval."
    assert "Lafleur" in read("Who is my idol of hockey, my grandson he ask me for his school project", grandson, idol)


def test_a_brand_is_named_after_an_article_and_a_holiday_is_no_name():
    tablet = "the tablet it is a Samsung that Olivier give me at Noël but me I press on the wrong button all the time"
    assert read("The tablet that Olivier give me, it is what brand?", tablet) == "Samsung"


def test_a_vehicle_question_is_answered_by_a_sentence_naming_a_vehicle():
    casa = "I live in Dalcahue with my esposo Segundo, our casa is near the iglesia de madera."
    truck = "The Suzuki died finally, qué pena. Now we have a camioneta Mitsubishi L200, usada, color gris."
    assert "Mitsubishi L200" in read("what vehículo do we have in the casa?", casa, truck)
    assert answer.parse_question("what vehículo do we have in the casa?").head == "vehículo"


def test_a_name_given_to_a_pet_is_no_place():
    chispa = "We have a perrita named Chispa, she is quiltra, negra con blanco."
    home = "I live in Dalcahue with my esposo Segundo."
    assert read("remind me the name of the pueblo where we live, for the dirección", chispa, home) == "Dalcahue"
    assert read("where do we live", "We live in a village called Dalcahue.") == "Dalcahue"


def test_spanish_words_of_a_question_are_read():
    married = "Segundo and I got married el 9 de noviembre de 1998, in the iglesia of Dalcahue."
    assert read("when is our aniversario de casados with Segundo?", married) == "9 de noviembre"
    assert "viernes" in read("which día of the semana do I cook the milcaos?", "Every viernes I make milcaos for the whole familia.")
    assert read("who was the person that teached me to knit?", "I learned to tejer with my abuela Clorinda, in Curaco de Vélez.") == "Clorinda"
    feria = "Ya no vendo on domingos at the feria, now I go the sábados, because the domingo is for la misa."
    assert read("which día do I go to sell at the feria now?", feria) == "sábados"
    assert read("where is the pololo of Catalina from?", "Catalina's pololo is Matías, he is from Valdivia.") == "Valdivia"


def test_an_age_asked_and_said_in_tagalog_swahili_or_portuguese():
    kyle = ("16 na ko, bday ko oct 3", "kuya ko si rj, 22 na sya, call center agent sa lanang", "may pusa ako, si bossing, orange na pusakal")
    assert read("ilang taon na ko", *kyle) == "16"
    assert read("ilang taon na si kuya", *kyle) == "22"
    assert answer.says_unknown(read("ilang taon na si bossing", *kyle)), "the cat's age is not said"
    assert read("how old am i", "niaje! mimi ni Brian, niko 20, second year Computer Science") == "20"
    assert "9 anos" in read("qual a idade da Yumi", "Minha filha Yumi tem 9 anos e estuda no Colégio Sagrado Coração")
    married = "Nosso aniversário de casamento é 5 de março, 15 anos, e o Rafael nunca foi pro Mato Grosso do Sul"
    assert answer.says_unknown(read("how old is Rafael?", married)), "fifteen years married"
