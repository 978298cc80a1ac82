"""Words as the memory's rule-based readers see them: a crude stemmer, the function words, sentences.

Shared by the reader of answers (answer.py), the judge of updates (memory/updates.py) and the
sensitivity classifier (memory/sensitivity.py), so that "lives", "living" and "lived" meet in all
three the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[\w]+(?:['’.&+-][\w]+)*\+?")

FUNCTION_WORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being do does did done
    have has had i you he she it we they me him her us them my your his its our their mine yours what which who whom
    whose when where why how that this these those there here not no yes can could would should will shall may might
    must about into over after before than then so too very just also any all some each other such only own same
    s t don dont im ive i'm i've i'd i'll it's that's there's he's she's we're they're you're am isn't aren't
    wasn't weren't doesn't didn't haven't hasn't won't can't let's now still really actually always usually
    pretty quite again anymore since ago like oh ok okay yeah well lol please thanks btw anyway already ever
    get got go went going gone make made take took one""".split()
)

# Question words of the languages users mix in, by the kind of answer they ask for: "kelan bday
# ko", "saan ako nag-aaral", "¿dónde vive mi hermana?", "mathe anaishi wapi".
QUESTION_WORDS_ABROAD = {kind: frozenset(words.split()) for kind, words in {
    "time": "kailan kelan cuándo cuando quando wann quand kab kapan lini wen",
    "place": "saan san nasaan asan dónde donde onde wo où kahan kaha dimana wapi",
    "person": "sino sinong quién quien quem wer kaun siapa nani",
    "number": "ilan ilang magkano cuánto cuanto cuántos cuantos cuántas quanto quantos quantas wieviel combien kitna kitne kitni berapa ngapi",
    "thing": "wetin ano anong ano'ng qué cuál cuáles cual qual quais oq kya konsa kaunsa apa nini gani quel quelle welche welcher welches "
             "bakit kenapa mengapa warum pourquoi kyun kyon",
}.items()}
# Those that open a question on their own, without "?" (not "cuando era niña...", "donde vivo...",
# "ilang beses...", which open statements as often: "ilang taon" asks an age, and "em que bairro",
# "quando é o aniversário" ask, see extract.py);
# ASKED_LAST close one (Swahili asks at the end).
ASKED_FIRST = frozenset().union(*QUESTION_WORDS_ABROAD.values()) - {"cuando", "donde", "quando", "onde", "ilang"}
ASKED_LAST = frozenset("wapi lini nini ngapi wetin".split())  # and Pidgin: "my shoe size na wetin"
ASKED_IN_LOWER_CASE = frozenset({"san", "wen"})  # Tagalog "san", Pidgin "wen": as typed, not "San Diego", "Wen Li"
# Hindi typed in Latin letters asks with its question word inside the sentence, before the verb
# ("Arjun ka bday kab aata hai", "Shruti kis city mein hai", "main kya kaam karti hoon"): each as
# the English word that asks the same, for the reader's English patterns.
_ASKED_IN_HINDI = {
    "kab": "when", "kaha": "where", "kahan": "where", "kidhar": "where", "kaun": "who", "kisse": "who", "kiska": "whose",
    "kiski": "whose", "kiske": "whose", "kitna": "how many", "kitne": "how many", "kitni": "how many",
    "kya": "what's",  # no head: a verb follows it as often as a noun ("naam kya rakha tha")
    "kis": "which", "kaunsa": "which", "kaunsi": "which", "kaunse": "which", "konsa": "which", "konsi": "which", "konse": "which",
}
HINDI_ASKING = "(?:" + "|".join(_ASKED_IN_HINDI) + ")"
_HINDI_QUESTION_WORD = re.compile(rf"\b{HINDI_ASKING}\b", re.I)
HINDI_COPULA = r"(?:hai|hain|hoon|hun|tha|thi)"  # "is", "are", "am", "was"
_HINDI_VERB = re.compile(rf"\b(?:{HINDI_COPULA}|hota|hoti|hote|gaya|gayi|gaye)\b", re.I)  # and "becomes", "became"
# Told, not asked: "Mujhe nahi pata ki Arjun kab aata hai", "Maine Priya ko bataya ki main kahan rehti hoon".
_TOLD_IN_HINDI = re.compile(r"\b(?:pata|bataya|batayi|maloom|malum|jaanta|jaanti|jaante|socha|poocha|puchha)\b(?:\s+[\w'’-]+){0,3}?\s+ki\b", re.I)


def asked_in_hindi(sentence: str) -> bool:
    """A sentence in Hindi with a question word inside it, wherever it stands: it asks; but not
    one that tells what someone knows or said ("nahi pata ki Arjun kab aata hai")."""
    asked = _HINDI_QUESTION_WORD.search(sentence)
    if asked is None or _HINDI_VERB.search(sentence) is None:
        return False
    told = _TOLD_IN_HINDI.search(sentence)
    return told is None or told.end() > asked.start()


# "I", "my", "we" and "our" in Hindi, as English: only in a sentence in Hindi ("main" is English too).
SAID_IN_HINDI = {"main": "i", "mai": "i", "maine": "i", "mera": "my", "meri": "my", "mere": "my", "hum": "we",
                 "humara": "our", "hamara": "our", "hamari": "our", "hamare": "our"}
_HINDI_PRONOUN = re.compile(r"\b(?:" + "|".join(SAID_IN_HINDI) + r")\b")
# Whole phrases: "clinic ka naam kya hai" asks the clinic's name, "kitne saal ki hain" how old she is.
_PHRASES_IN_HINDI = ((re.compile(r"\b([\w-]+) (?:ka|ki|ke) naam kya(?: rakha)? (?:hai|tha|thi)\b"), r"what's the name of the \1"),
                     (re.compile(r"\bkitne saal (?:ka|ki|ke)\b"), "how old"))


def hindi_asking_in_english(lowered: str) -> str:
    """A question asked in Hindi with its question words, its "I" and "my" and "X ka naam kya hai"
    in English where they stand ("arjun ka bday when aata hai", "shruti which city mein hai", "i
    what's kaam karti hoon", "what's the name of the clinic i"); any other text as it is."""
    if not asked_in_hindi(lowered):
        return lowered
    for phrase, english in _PHRASES_IN_HINDI:
        lowered = phrase.sub(english, lowered)
    lowered = _HINDI_QUESTION_WORD.sub(lambda found: _ASKED_IN_HINDI[found.group().lower()], lowered)
    return _HINDI_PRONOUN.sub(lambda found: SAID_IN_HINDI[found.group()], lowered)


# The small words of those languages, and their question words: not what a question asks about
# ("kelan bday ko" asks about "bday"), nor what two statements share ("bestie ko" and "section
# ko"). Not function words: "Kay", "Mo", "Ito", "San Diego", "MacBook Pro" are names.
_SMALL_WORDS_ABROAD = frozenset().union(*QUESTION_WORDS_ABROAD.values()) | frozenset(
    """y que mi mis tu su un una es por para con se o os do dos das em no na um uma meu minha
    é e com pra pro ang ng mga sa ko mo si ni kay ba po yung ung nga naman lang din rin kasi pero ako ikaw siya sya kami
    tayo sila nila namin natin ngayon nag mag yan ito dito doon"""
    # Spanish, Portuguese, French, German, Italian; Pidgin, Scots, Swahili, Hindi, Indonesian,
    # more Tagalog. Not those that are English words, places or acronyms too ("son", "die", "pale",
    # "main", "pour", "per", "Como", "LA", "est") or names ("Ada", "Al", "Pia", "Mia", "Kaya", "Abi").
    """el los las lo de en tus muy más ya también este esta esto eso ese yo él hoy ao aos à às num numa mas muito ele
    você tô tá pela pelo seu sua meus minhas isso já ainda não nao agora ahora le du et je il ils nous vous mes ta
    tes ses avec dans qui pas ne une très mais aussi chez ça ce cette der und ist ich mein meine für auf zu von ein
    eine nicht auch aber wir bei vom zum zur jetzt di è sono mio dey wey sef sha tae fae wi n oot aboot ye yer nae
    aye dinnae cannae didnae wasnae isnae ain gonnae wa kwa za yangu yako yake yetu yao hii hiyo ile hapa lakini
    kama wewe yeye sisi wao kuna bado sasa hai hain ka ki ke aur bhi toh nahi nahin hoon tha thi mera yeh woh mein meri
    hamara hamari hamare unka unki unke uska uski uske aajkal wala wali wale raha rahi rahe hota hoti hote mujhe aata
    aati aate gaya gayi gaye ini itu aku saya sudah udah lagi dari untuk buat dengan juga tapi gak nggak tidak aja sih
    kok nang ay niya nya kayo iyan yon wala ulit pala""".split())


# "Now" and "these days" in the languages users mix ("ER rotation na ako ngayon", "sasa nafanya
# delivery", "agora tô no Hospital"): a new value holds, or a question asks for the current one.
# Hindi "ab" and "abhi" only beside Hindi words: "Abhi" is a name too, "AB" a blood type, "an ab
# workout" English.
NOW_ABROAD = (r"ngayon|sasa(?!\s*[!,])|siku hizi|agora|atualmente|hoje em dia|ahora|actualmente|hoy en día|maintenant|désormais|"
              r"jetzt|inzwischen|mittlerweile|sekarang|ab se|aajkal|(?-i:abhi|[Aa]b)(?=\s+(?:[\w'’-]+\s+){0,3}?(?:hai|hain|ho|hoon|ko|se|mein|le|liya|li|shuru|kar)\b)")


# What people drive, and the words a question about it uses ("what am I driving these days",
# "which motor i dey drive now", "what vehículo do we have"). Makes and models that are not also
# everyday words ("Mini", "Golf", "Focus", "Jazz" are left out).
VEHICLE_WORDS = frozenset("""car cars truck pickup van suv motor vehicle vehículo coche carro voiture auto drive drives driving
    drove motorbike motorcycle scooter""".split())
VEHICLE_MAKES = frozenset("""toyota honda ford chevrolet chevy nissan hyundai kia mazda subaru volkswagen vw volvo bmw mercedes
    mercedes-benz benz audi skoda škoda peugeot renault citroën citroen fiat tesla mitsubishi suzuki jeep dodge gmc lexus
    opel vauxhall dacia porsche isuzu proton perodua byd geely chery lada saab infiniti acura cadillac buick chrysler
    rivian polestar cupra alfa yamaha kawasaki ducati harley vespa bajaj ktm""".split())
VEHICLE_MODELS = frozenset("""corolla camry prius rav4 rav-4 sienna tacoma tundra hilux civic cr-v crv f-150 f150 silverado
    tahoe passat tiguan octavia fabia xc40 xc60 xc90 qashqai sportage tucson elantra clio megane l200 navara outback
    forester impreza cx-5 mx-5 wrangler""".split())


# A value said to be gone, in the words of the writers who mix languages or dialects ("bye pldt",
# "tunde don comot from stagecoach", "I sell finally the F-150", "gied up the plot", "saí da
# clínica"): before the value, with "sold", "quit", "left" and the English rest.
GONE_ABROAD = r"bye|goodbye|tapos na|ya no|já não|don sell|sell finally|comot(?: from)?|gied up|sa[ií] d[aoe]s?|dejé|dejó|dejamos|quitté|troquei|trocamos|cambié|cambiamos|échangé"


# The everyday words of the languages users mix in, as the English word they stand for, so that
# "which school is Yumi at" meets "a Yumi mudou de escola" and "when is my birthday" meets "meu
# aniversário é 12 de outubro": Portuguese, Spanish, French, Italian, German, Tagalog, Swahili,
# Hindi. Not those that are English words, names or brands too ("chat", "foot", "time", "land",
# "spiel", "cane", "mayo", "nato", "vive", "kodi", "umar", "travail"), or become one in the
# full-text index, which drops accents and stems ("mês" is "me", "ans" "an", "habite" "habit",
# "équipe" "equip"), nor those that mean one thing in one language and another in the next ("mes",
# "ano", "livre", "luto", "boda", "mora", "nata"). Nor the words of the calendar ("dia", "semana",
# "anos"): said in every other note, they find notes of any topic. And the short word English has
# for one: "uni".
_FORMS_ABROAD = {english: tuple(forms.split()) for english, forms in {
    "school": "escola escuela école ecole scuola schule paaralan eskwela shule colégio colegio",
    "university": "uni universidade universidad université università universität faculdade facultad",
    "birthday": "aniversário cumpleaños cumpleanos cumple anniversaire compleanno geburtstag kaarawan",
    "born": "nasci nasceu nací nació naci nacio née geboren ipinanganak nilizaliwa alizaliwa",
    "married": "casado casada casados sposato sposata verheiratet ameolewa ameoa",
    "wedding": "casamento mariage matrimonio hochzeit kasal harusi shaadi",
    "anniversary": "aniversario anniversario jahrestag anibersaryo",
    "knit": "tejer tejo tejiendo tejí tricoter tricote tricoté stricken stricke strickt gestrickt tricotar tricotei",
    "work": "trabalho trabalha trabalhar trabajo trabaja trabajar travaille lavoro lavora arbeit arbeite arbeitet "
            "trabaho nagtatrabaho kazi naukri kaam",
    "live": "moro moram moramos vivimos viven abito abita wohne wohnt wohnen nakatira naishi "
            "anaishi tunaishi rehte rehta rehti",
    "move": "mudou mudei mudamos mudaram mudé mudó déménagé déménagée traslocato umgezogen lumipat nimehama amehama tumehama",
    "study": "estudo estuda estudar estudia estudio estudiar étudie etudie studia studiert nag-aaral aaral nag-aral anasoma nasoma anasomea nasomea",
    "teacher": "professora profesora profesor maestra enseignant enseignante lehrerin guro mwalimu",
    "nurse": "enfermeira enfermeiro enfermera enfermero infirmière infirmier infermiera krankenschwester muuguzi",
    "doctor": "médico médica medico médecin doktor daktari arzt ärztin doutor doutora",
    "dentist": "dentista dentiste zahnarzt",
    "vet": "veterinário veterinária veterinario veterinaria vétérinaire tierarzt beterinaryo",
    "hospital": "hôpital hopital ospedale krankenhaus hospitali ospital",
    "church": "igreja iglesia église eglise chiesa kirche simbahan kanisa",
    "friend": "amigo amiga amigos amigas amico amica freund freundin kaibigan rafiki",
    "car": "carro coche voiture macchina gaadi kotse",
    "bike": "bicicleta bici vélo fahrrad bisikleta baiskeli",
    "dog": "cachorro perro perrito chien hund mbwa kutta",
    "cat": "gato gata gatito gatto katze pusa paka billi",
    "name": "nombre pangalan jina naam",
    "surname": "apellido sobrenome apelyido",
    "age": "idade edad âge umri",
    "favourite": "favorito favorita preferido preferida préféré préférée preferito preferita paborito",
    "music": "música musica musique musik muziki",
    "band": "banda",
    "team": "equipo squadra timu koponan",
    "football": "futebol fútbol futbol fußball fussball soka",
    "game": "jogo juego jeu gioco mchezo",
    "book": "livro libro buch aklat kitabu",
    "holiday": "férias vacaciones vacances vacanze urlaub bakasyon likizo",
    "allergy": "alergia allergie mzio",
    "allergic": "alérgico alérgica alergico alergica allergique allergisch",
    "food": "comida nourriture cibo pagkain chakula",
    "city": "cidade ciudad ville città citta stadt lungsod mji",
    "neighbourhood": "bairro barrio quartier quartiere mtaa",
    "salary": "salário salario sueldo salaire stipendio gehalt sahod sweldo mshahara",
    "rent": "aluguel alquiler arriendo loyer affitto miete",
    "phone": "celular telefone teléfono telefono téléphone telefon simu",
    "number": "número nummer namba",
    "address": "endereço endereco dirección direccion adresse indirizzo anwani",
    "garden": "jardim jardín giardino garten bustani",
    "wine": "vinho vino wein",
    "beer": "cerveja cerveza bière birra bier",
    "train": "trem tren treno zug",
    "died": "morreu murió murio morto gestorben namatay alifariki amefariki",
    "buy": "comprei compré compró acheté comprato gekauft bumili nimenunua",
    "sell": "vendi vendí vendeu vendu venduto verkauft binenta nimeuza",
    "swap": "troquei trocamos trocou cambié cambiamos échangé",
}.items()}
_ENGLISH_FOR = {foreign: english for english, forms in _FORMS_ABROAD.items() for foreign in forms}


@lru_cache(maxsize=1 << 16)  # the same words come back in every text the readers judge
def said_abroad(word: str) -> tuple[str, ...]:
    """The other words for what ``word`` names, in English and in the languages users mix in
    ("lives" -> "moro", "moram", ...; "escola" -> "school", "escuela", ...): none for a
    word the list does not know. English words are looked up as they are or without a plural "s"
    (the crude stem would take "career" for a car)."""
    word = word.lower()
    if word in NOT_CONTENT:
        return ()  # "die Hochzeit" is the German article, not a death
    if english := _ENGLISH_FOR.get(word):
        return tuple(form for form in (english, *_FORMS_ABROAD[english]) if form != word)
    english = next((base for base in (word, word[:-1] if word.endswith("s") else "") if base in _FORMS_ABROAD), None)
    return _FORMS_ABROAD[english] if english else ()


def everyday_word(word: str) -> str | None:
    """The English word an everyday word of the list stands for ("troquei" -> "swap", "name" ->
    "name"), or None for a word it does not know (a name: "Gary")."""
    word = word.lower()
    return _ENGLISH_FOR.get(word) or (word if word in _FORMS_ABROAD else None)


# Verbs as texted without their final "g" ("readin", "workin", "livin"): not every word in "-in"
# is one ("cabin", "Berlin", "robin").
_G_DROPPED = frozenset(f"{verb}in" for verb in """read work liv do go com play driv stay eat watch listen study runn cook learn
    try start mov train teach sell buy see meet visit think look bak sing danc swimm climb cycl walk shopp turn be pull""".split())


@lru_cache(maxsize=1 << 16)  # the same words come back in every text the readers judge
def stem(word: str) -> str:
    """A crude stem (lives/living/lived -> liv, drives/driving -> driv): enough to match a word
    across two short texts, not a linguist's stem. A word of another language users mix in is
    stemmed as its English word ("escola" as "school")."""
    word = re.sub(r"(?:'s|’s|s'|’)$", "", word.lower().replace("’", "'"))
    word = _ENGLISH_FOR.get(word) or (word.endswith("s") and _ENGLISH_FOR.get(word[:-1])) or word  # "escolas" too
    if word in _G_DROPPED:
        word += "g"  # "readin Normal People rn" is reading it
    for ending in ("ing", "ies", "ied", "es", "ed", "s", "ly", "er"):
        if len(word) > len(ending) + 2 and word.endswith(ending):
            word = word[: -len(ending)]
            break
    if len(word) > 3 and word[-1] == "e":
        word = word[:-1]
    return word


# What food is asked and said with, in English and the languages users mix in: a suggestion's
# (suggest.py) and a love's (loves.py).
MEAL_WORDS = (r"cook\w*|dinners?|suppers?|lunch\w*|breakfasts?|brunch|recipes?|receta|bake|baking|cakes?|desserts?|snacks?|food|meals?|"
              r"menu|restaurants?|dish(?:es)?|eat|potluck|grocer(?:y|ies)|lutuin|ulam|kula|chakula|pika|chop")
NOT_CONTENT = FUNCTION_WORDS | _SMALL_WORDS_ABROAD  # words that carry no meaning of their own, in English or abroad


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (no function words, in English or abroad)."""
    return {stem(word) for word in WORD.findall(text) if word.lower().replace("’", "'") not in NOT_CONTENT}


_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_ABBREVIATION = re.compile(r"\b(?:dr|mr|mrs|ms|mx|prof|st|mt|jr|sr|no|vs|approx|dept|univ|ave|rd|e\.g|i\.e|etc)\.$", re.I)


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences, not after "Dr." or "prof." ("dentist (dr. sousa)")."""
    found: list[str] = []
    for piece in _SENTENCE.split(text):
        if found and _ABBREVIATION.search(found[-1]):
            found[-1] = f"{found[-1]} {piece}"
        else:
            found.append(piece)
    return found


# What people do for a living, said bare as often as not ("oppa = daniel. pharmacist in irvine",
# "Friend rafa, nurse at são joão", "Fergus, a hydrologist"): the reader of "what does X do". In
# English, then the commonest in Spanish, Portuguese and French, the languages the persona sets mix in.
OCCUPATIONS = frozenset("""accountant actor actress administrator agronomist analyst anaesthetist anesthetist architect artist
    attorney auditor baker banker barber barista bartender beautician bookkeeper builder butcher buyer carer caregiver carpenter
    cashier caterer chef chemist cleaner clerk coach consultant contractor cook counsellor counselor courier curator dentist
    designer detective developer dietitian diplomat doctor driver economist editor electrician engineer entrepreneur farmer
    firefighter fisherman florist gardener geologist hairdresser hydrologist hygienist illustrator inspector instructor interpreter janitor
    jeweller jeweler journalist judge labourer laborer lawyer lecturer librarian lifeguard locksmith machinist manager mechanic
    midwife miner musician nanny nurse optician optometrist paralegal paramedic pharmacist photographer physician physio
    physiotherapist pilot plumber policeman policewoman porter postman postwoman producer professor programmer psychiatrist
    psychologist radiographer receptionist recruiter researcher salesman saleswoman scientist secretary shopkeeper singer
    solicitor soldier statistician surgeon surveyor tailor teacher technician therapist translator tutor vet veterinarian waiter
    waitress welder writer
    enfermera enfermero médico medico abogado abogada ingeniero ingeniera profesor profesora maestra maestro contador contadora
    enfermeira advogado advogada engenheiro engenheira professora infirmière infirmier avocat avocate ingénieur médecin
    arquiteta arquiteto arquitecta arquitecto dentista perfumista""".split())


# Sports and instruments, told apart by the reader ("what sport does Finn play" is not answered by
# "Finn plays the drums"; "football" is not "tennis"). In English, then the commonest forms in the
# languages the persona sets mix in; not words with other senses ("run", "keys", "bass", "golf").
DOINGS = {kind: frozenset(members.split()) for kind, members in {
    "sport": """football soccer rugby cricket tennis badminton squash hockey basketball baseball volleyball netball handball
        swimming running jogging cycling climbing bouldering boxing judo karate taekwondo wrestling fencing rowing sailing
        surfing skiing snowboarding skating gymnastics athletics yoga pilates crossfit lacrosse softball darts bowling
        snooker curling triathlon marathon hiking padel pickleball futsal hurling kabaddi fútbol futbol futebol baloncesto
        basquete béisbol natación natação""",
    "instrument": """piano guitar violin viola cello drums flute clarinet saxophone sax trumpet trombone tuba harp ukulele banjo
        mandolin accordion harmonica oboe bassoon synth sitar tabla erhu guzheng bagpipes fiddle xylophone marimba
        glockenspiel tambourine cajon congas bongos timpani cornet euphonium piccolo lute zither koto shamisen balalaika
        bouzouki oud kora djembe steelpan didgeridoo kalimba bodhrán violão guitarra batería bateria violín violino flauta
        acordeón acordeão violon guitare batterie flûte clarinette accordéon violoncelle geige gitarre schlagzeug klavier
        flöte gitara gitaa""",
}.items()}
