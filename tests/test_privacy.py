"""Privacy in use: sensitivity at intake, the contextual gate, and saying what was held back."""

from __future__ import annotations

import json

from secondme.answer import says_unknown as answer_says_unknown
from secondme.assistant import Assistant
from secondme.memory import sensitivity
from secondme.memory.sensitivity import Match
from secondme.memory.types import NewMemory
from secondme.tui.widgets.memory_panel import MemoryCard

from fakes import FakeModel
from test_tui import SIZE, make_app, ready, say


def remember(memories, text: str, **kwargs) -> int:
    return memories.remember([NewMemory(text, kind="note", source="user", **kwargs)]).ids[0]


def test_intake_finds_the_categories(memories):
    cases = {
        "I'm HIV positive, diagnosed in 2019, on Biktarvy.": ("private", "health.physical"),
        "The wifi password is otter-Granite-77": ("never_inject", "credentials"),
        "My brother Marek is in rehab; he asked me not to tell anyone.": ("private", "confidence"),
        "Ich habe Schulden bei der Bank, 8000 Euro.": ("private", "finance"),
        "I make a good mushroom risotto.": ("normal", None),
        "Mochi had her vaccinations today at Pawsitive Vet Clinic.": ("normal", None),
        "Took Mochi to the vet, then saw my GP about my diabetes.": ("private", "health.physical"),
        "to devendo 1.340€ de propina, prazo 30 nov": ("private", "finance"),
        "meu quarto eh na rua do benformoso 87, 2º dto, 1100-084 lisboa": ("private", "location.precise"),
        "My building society memorable word is Dinefwr": ("never_inject", "credentials"),
        "kunle dey unilag, 200 level mass comm": ("normal", None),
        "Letter fae the hospital: my knee op's on the 28th and they want me fasting fae midnight": ("private", "health.physical"),
        "Fasting for Ramadan starts next week": ("private", "identity.religion"),
        "sister camila, 27, lawyer in são paulo": ("normal", None),
        "My brother is a tax solicitor in Leeds": ("normal", None),
        "I need a lawyer for the divorce": ("private", "legal"),
        "Ana is my lawyer": ("private", "legal"),
        "next date 17 Jan, lawyer Adv. Sameer Kadam, 15,000 per hearing": ("private", "legal"),
        "the case is at the magistrate court in Yaba": ("private", "legal"),
        "My landlord's lawyer sent me a letter": ("private", "legal"),
        "Mum's solicitor has the will": ("private", "legal"),
        "Raj, lawyer, handling my appeal": ("private", "legal"),
        "I live in Dalcahue with my esposo Segundo, our casa is near the iglesia de madera.": ("normal", None),
        "I pray at the mosque near the station.": ("private", "identity.religion"),
        "I have always felt close to the church.": ("private", "identity.religion"),
        "Our food bank is run by the mosque.": ("private", "identity.religion"),
    }
    for text, (level, category) in cases.items():
        memory = memories.get(remember(memories, text))
        assert memory.sensitivity == level, text
        assert (category in memory.categories) if category else memory.categories == [], (text, memory.categories)
    assert "identity.religion" not in memories.get(remember(memories, "fasting fae midnight before my knee op")).categories
    for everyday in ("There's a new hip coffee place on Dalry Road", "The phone's back replacement cost me 80 quid", "my new knee-high boots"):
        assert memories.get(remember(memories, everyday)).categories == [], everyday
    assert "identity.religion" in memories.get(remember(memories, "Fasting from midnight before Holy Communion tomorrow")).categories
    confidence = next(m for m in memories.store.iter_memories() if "rehab" in m.content)
    assert confidence.provenance["confidence_about"] == ["Marek"]


def test_the_gate_lets_a_memory_in_only_where_it_belongs(memories):
    hiv = memories.get(remember(memories, "I'm HIV positive, diagnosed in 2019, on Biktarvy."))
    secret = memories.get(remember(memories, "My colleague Ines told me in confidence she's pregnant; nobody at work knows."))
    wifi = memories.get(remember(memories, "The wifi password is otter-Granite-77"))
    assert sensitivity.hold_back(hiv, "When is my next HIV clinic appointment?", Match(0.5)) is None
    assert "not about it" in sensitivity.hold_back(hiv, "Write a birthday message for my manager Per.", Match(0.1))
    assert "in confidence about Ines" in sensitivity.hold_back(secret, "Write a congratulations card for Ines.", Match(0.3))
    assert "never sent to a model" in sensitivity.hold_back(wifi, "what's the wifi password?", Match(0.6))
    assert sensitivity.hold_back(wifi, "what's the wifi password?", Match(0.6), to_model=False) is None, "the user may read it"
    assert "strict" in sensitivity.hold_back(hiv, "When is my next HIV clinic appointment?", Match(0.5), mode="strict")
    letter = memories.get(remember(memories, "Help me with this letter from the Golden Jubilee, my knee op's pencilled in for the 28th of April"))
    assert sensitivity.about_topic(letter, "which hospital is doing my knee", 0.2, ["health.physical"]), \
        "a word of it and its domain ('hospital') make a request about it"
    assert not sensitivity.about_topic(letter, "which hospital is best for a sprained wrist", 0.2, ["health.physical"])
    assert not sensitivity.about_topic(letter, "what time is the hospital parking open on the 28th", 0.2, ["health.physical"]), "a date is no topic"


def test_a_request_that_needs_a_memory_gets_it_without_naming_its_topic(memories):
    """The learned gate: how recall placed the memory, what the request asks, whether it names the topic."""
    for text in ("I work as a sound engineer at the Volksbühne.", "My sister Lene lives in Kiel with her two boys.",
                 "We usually do the big shop at Edeka on Saturdays."):
        remember(memories, text)
    sponsor = remember(memories, "I've been sober for 14 months; my AA sponsor is Dieter and I'm meant to call him when the cravings hit.")
    needs = "Had a rough evening. Who was I meant to call?"
    hits = memories.recall(needs, k=8)
    assert sensitivity.about_topic(memories.get(sponsor), needs, hits[0].cosine, ["health.mental"]) is False, "no shared topic word"
    admitted, _ = memories.gate(needs, hits)
    assert sponsor in [hit.memory.id for hit in admitted]
    _, held = memories.gate("Explain how rugby scoring works.", hits)
    assert sponsor in [held.memory.id for held in held], "the same placing, but a general request"


def test_a_request_about_the_users_own_case_gets_what_decides_it(memories):
    """"can he actually fly out and come back?" needs the brother's visa though it names none; a
    question for knowledge anyone could ask ("how does the graduate visa work?") reads out no
    one's visa."""
    for text in ("I work as a barber in Peckham.", "My brother Emeka lives in London.", "Theo and I love travelling."):
        remember(memories, text)
    visa = remember(memories, "My brother Emeka's student visa ran out in 2018 and he's been living in London without status since.")
    own = "Emeka asked me to come to his wedding in Lagos, can he actually fly out and come back?"
    admitted, _ = memories.gate(own, memories.recall(own, k=8))
    assert visa in [hit.memory.id for hit in admitted]
    general = "how does the uk graduate visa work for students after uni?"
    _, held = memories.gate(general, memories.recall(general, k=8), to_model=False)
    assert visa in [one.memory.id for one in held]
    found, _ = memories.look_up("Emeka's visa")
    assert visa in [hit.memory.id for hit in found], "the user's own search still finds it"


def test_naming_a_topic_is_not_needing_the_memory_but_a_search_finds_it(memories):
    for text in ("I work as a barber in Peckham.", "My brother Emeka lives in London.", "We go to Lagos every other summer."):
        remember(memories, text)
    visa = remember(memories, "My brother Emeka's student visa ran out in 2018 and he's been living in London without status since.")
    general = "Explain how the UK graduate visa works."
    hits = memories.recall(general, k=8)
    assert sensitivity.about_topic(memories.get(visa), general, hits[0].cosine, ["identity.immigration"]), "the rules call it about it"
    _, held = memories.gate(general, hits)
    assert [h.reason for h in held if h.memory.id == visa] == ["immigration; the request does not need it"]
    found, _ = memories.look_up("visa")
    assert visa in [hit.memory.id for hit in found], "the user's own search finds what it names"


def test_without_the_learned_weights_the_rules_decide(memories, monkeypatch):
    hiv = memories.get(remember(memories, "I'm HIV positive, diagnosed in 2019, on Biktarvy."))
    monkeypatch.setattr(sensitivity, "NEED_WEIGHTS_FILE", sensitivity.NEED_WEIGHTS_FILE.with_name("missing.json"))
    sensitivity._need_model.cache_clear()
    try:
        assert sensitivity.hold_back(hiv, "Explain how HIV medication works.", Match(0.6)) is None, "about it: in"
        assert "not about it" in sensitivity.hold_back(hiv, "Had a rough evening.", Match(0.6))
    finally:
        sensitivity._need_model.cache_clear()


def given_back(memories, stored: list[str], asked: dict[str, str]) -> FakeModel:
    """Store ``stored``, ask each request of ``asked`` and check the secret it gets back; no
    secret may reach the model (returned for more turns)."""
    for text in stored:
        remember(memories, text)
    model = FakeModel()
    for request, secret in asked.items():
        result = Assistant(memories, model).turn(request)
        assert result.answer == secret and result.prompt is None, request
    assert not model.prompts, "no secret went to a model"
    return model


def test_a_secret_is_given_back_to_the_user_who_asks_for_it_and_to_no_model(memories):
    stored = ["Restaurant safe combo is 12-36-08. Alarm code is 7741, you have 30 seconds to disarm.",
              "home wlan: network 'brandt-wlan', password Kreuzberg!Spitze77",
              "openweathermap api key for the balcony weather station: 3f9c2a71d84e4b06",
              "The shop's POS manager PIN is 552019, admin login is diego@example.com / Chivas#Campeon10"]
    model = given_back(memories, stored, {
        "I forgot the safe combo again, help": "12-36-08",
        "Kenji is opening tomorrow. What's the alarm code?": "7741",
        "whats the wlan pw, a friend is coming over": "Kreuzberg!Spitze77",
        "reflashing the pi, give me the api key for the config": "3f9c2a71d84e4b06",
        "What's the admin login for the till?": "diego@example.com / Chivas#Campeon10",
    })
    result = Assistant(memories, model).turn("How do I change the alarm code on our panel?")
    assert "7741" not in json.dumps(model.prompts) and "7741" not in result.answer
    assert any("does not ask for it" in held.reason or "never sent" in held.reason for held in result.held_back)
    for not_asking in ("What was the key takeaway from the meeting?", "I lost my house key, what should I do?",
                       "Is it safe to store my password in the browser?", "Any tips for remembering my PIN?",
                       "I changed the alarm code again, it's 9911 now", "what's the dress code for the wedding?"):
        assert sensitivity.secrets_asked(not_asking) == {}, not_asking
    assert sensitivity.secrets_asked("what's the new wifi password?") == {"password": {"wifi"}}
    for other in ("what's my netflix password?", "what's the garage door code?"):
        assert "7741" not in Assistant(memories, model).turn(other).answer, "not another thing's secret"


def test_a_secret_asked_in_the_users_own_words_is_found_by_what_it_is_for(memories):
    """Asked in Pidgin, Portuguese or Hinglish, with the ask after the secret or an emoji after
    it; stored with its label a few words before the value, or with none after what it is for."""
    stored = ["ATM pin 4821. transfer pin 7730. storeroom padlock number 3-9-1-4",
              "codigo do portão da garagem 2291#. wifi de casa CASA_5G senha limao2023!",
              "office front door 6618#. figma backup code 5501-2290",
              "bank app master password: Chai-Samosa-Rain-12!. VPN token PIN 339021",
              "gym membership renews 2025-01-04. gym locker code 7781"]
    given_back(memories, stored, {
        "at the atm now, what's my pin? quick": "4821", "wetin be the padlock number?": "3-9-1-4",
        "esqueci o codigo do portão socorro": "2291#", "a carol quer a senha do wifi manda ai": "limao2023!",
        "courier is downstairs what's the door code 😭": "6618#", "master pass yaad nahi aa raha bhai": "Chai-Samosa-Rain-12!",
        "VPN login kar raha hoon, token PIN kya tha": "339021", "what's the gym locker code?": "7781",
    })
    for not_asking in ("password kya hota hai?", "qual é o código postal de Lisboa?", "what number should I call?", "mujhe python code batao",
                       "is a PIN mandatory for my contactless card?", "what's the pin-out of my ESP32?", "mera monkey kya hai", "spin bata do",
                       "what's the code of conduct for the wedding?"):
        assert sensitivity.secrets_asked(not_asking) == {}, not_asking


def test_a_secret_read_out_stays_out_of_what_the_model_reads_next(memories):
    wifi = remember(memories, "home wlan: network 'brandt-wlan', password Kreuzberg!Spitze77")
    memories.mark([wifi], "private")  # still a credential
    model = FakeModel()
    assistant = Assistant(memories, model)
    assert assistant.turn("whats the wlan pw, a friend is coming over").answer == "Kreuzberg!Spitze77"
    assistant.turn("write a short poem about spring")
    assert "Kreuzberg" not in json.dumps(model.prompts)


def test_a_question_about_something_else_in_a_sensitive_memory_gets_only_that(memories):
    """A read-out gives only the answer: "when's Jean's birthday?" is answered from a card for
    Jean "just back after her hip op" (the date says nothing of the op); the op is not said."""
    card = remember(memories, "Help me write a card for my sister Jean, it's her 72nd on the 9th of February and she's just back from her hip operation.")
    assert "health.physical" in memories.get(card).categories
    assistant = Assistant(memories, FakeModel())
    plan = assistant.plan("when's Jean's birthday?")
    assert "9th of February" in plan.reading.answer and [hit.memory.id for hit in plan.used] == [card]
    assert card not in [held.memory.id for held in plan.held_back]
    assert not sensitivity.answer_keeps_it(memories.get(card), "her hip operation"), "an answer naming the op reveals it"
    confidence = memories.get(remember(memories, "Ines told me in confidence she's due on the 4th of May."))
    assert not sensitivity.answer_keeps_it(confidence, "the 4th of May"), "a confidence is read out whole or not at all"
    remember(memories, "Kwame has his 2nd court hearing on the 14th of March.")
    assert answer_says_unknown(assistant.turn("when is Kwame's birthday?").answer), "a held memory answers only what it says clearly"
    marked = memories.get(remember(memories, "Tova's birthday is the 2nd of March.", sensitivity="private"))
    assert not sensitivity.answer_keeps_it(marked, "the 2nd of March"), "marked private: nothing tells what in it is private"


def test_a_hint_when_the_answer_is_not_known_never_shows_a_private_memory(memories):
    remember(memories, "Netflix account password is Sunflower88")
    remember(memories, "My knee op at the Golden Jubilee is pencilled in for the 28th of April")
    remember(memories, "Tolu is in Year 4 at St Anne's Primary School.")
    assistant = Assistant(memories, FakeModel())
    for question in ("how many people use the Netflix account?", "how much is the Netflix account?"):
        said = assistant.turn(question)
        assert answer_says_unknown(said.answer) and not said.citations and "Sunflower88" not in said.answer, (question, said.answer)
    said = assistant.turn("when is the knee op?")
    assert said.grounded and "28th of April" in said.answer, "asked about its topic, the owner gets the answer itself"
    assert "St Anne's" in assistant.turn("how old is Tolu?").answer, "an everyday memory may be the hint"


def test_a_small_store_is_not_a_way_in(memories):
    remember(memories, "I'm HIV positive, diagnosed in 2019; my manager Per doesn't know.")
    remember(memories, "My manager is Per Lindqvist.")
    model = FakeModel(answer="Happy birthday, Per!")
    result = Assistant(memories, model).turn("Write a birthday message for my manager Per.")
    prompt = json.dumps(model.prompts[-1])
    assert "HIV" not in prompt and "Per Lindqvist" in prompt
    assert [held.memory.content[:16] for held in result.held_back] == ["I'm HIV positive"]
    assert "not about it" in result.held_back[0].reason


def test_cli_shows_marks_and_explains(cli):
    assert cli("remember", "I walk our dog before my therapy session for anxiety every Thursday.").exit_code == 0
    assert cli("remember", "Our dog is called Biscuit.", "--private").exit_code == 0
    shown = json.loads(cli("show", "1", "--json").stdout)
    assert shown["sensitivity"] == "private" and "health.mental" in shown["categories"]
    assert json.loads(cli("show", "2", "--json").stdout)["sensitivity"] == "private", "--private forces it"
    assert cli("mark", "2", "normal").exit_code == 0
    assert json.loads(cli("show", "2", "--json").stdout)["sensitivity"] == "normal"
    assert cli("mark", "99", "never").exit_code == 3
    found = json.loads(cli("recall", "therapy session Thursday", "--json").stdout)
    assert found[0]["sensitivity"] == "private" and "health.mental" in found[0]["categories"]
    context = json.loads(cli("context", "Write a poem about our dog Biscuit", "--json").stdout)
    assert context["route"] == "model"
    assert [held["id"] for held in context["held_back"]] == [1] and "not about it" in context["held_back"][0]["reason"]
    assert all("therapy" not in message["content"] for message in context["messages"])
    human = cli("context", "Write a poem about our dog Biscuit")
    assert "Held back (1)" in human.output and "#1 " in human.output


async def test_the_panel_says_what_was_held_back(where):
    from secondme.memory.service import Memories

    with Memories.open(where) as memories:
        remember(memories, "My sister Lea lent me 2,000 for my credit card debt; nobody knows.")
        remember(memories, "My sister Lea loves lemon cake.")
    async with make_app(where, FakeModel(answer="Here is a recipe.")).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await say(pilot, "Give me a lemon cake recipe for my sister Lea.")
        held = app.chat.panel.query_one("#held-back")
        assert held.display and str(held.render()).startswith("1 held back")
        assert all("credit" not in card.hit.memory.content for card in app.chat.query(MemoryCard))


def test_small_words_of_other_languages_make_no_topic():
    said = sensitivity.topic_words("vou pra consulta com a psicóloga", people=False)
    asked = sensitivity.topic_words("faz uma playlist pra festa com a carol", people=False)
    assert not said & asked, "'pra' and 'com' are shared by any two Portuguese sentences"
