"""The poisoning scan: does a text try to steer the assistant, or carry a secret?

Every new memory is scanned (Memories.prepare) and trust.intake acts on the verdict. Two kinds of
signal. Hard ones quarantine on their own: chat-template tokens, hidden characters, credentials,
payload links, the classic "ignore previous instructions". Soft ones describe the *form* of a text
written for an assistant rather than by a person about their life: it names an AI as addressee,
says "your rules / your responses", speaks of "the user" in the third person, overrides rules,
quantifies over future answers, asks for secrecy. Notes people write are in the first person
about people and things; one soft signal is common in them, two rarely are. The patterns know
English, German, French, Spanish, Italian, Dutch and Portuguese.

Hard signals quarantine on their own, on the text as written and with its disguises undone. The
soft patterns are evidence for the act detector (injection.py), which weighs them with the act
itself (imperatives aimed at the reader, orders about what to output, fake delimiters, role
reassignment, requests for the reader's instructions) and the text's meaning; its near misses
lose trust instead of keeping the 0.94 of a clean note.

How well this works on authors it never saw is in bench/RESULTS.md (bench/train_poisoning.py,
bench/lifecycle.py). At sleep, consolidate.py judges notes that came together from one source
as one text (slow poison) and uses ``sets_policy`` to compare standing rules with trusted memories.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from secondme.memory import injection
from secondme.memory.injection import normalize, payloads, unquoted
from secondme.memory.schema import OWNER_SOURCES

MAX_SCANNED = 20_000  # characters; beyond this a text is not read for signals

# -- the form of a text: patterns ----------------------------------------------------------------

_AI = r"(?:assistant|ai|a\.i\.|language model|llm|model|chatbot|bot|agent|gpt|secondme)"
# Who reads a text on its way into a prompt, as injections name them: "AI summarisers", "automated readers".
_READER = rf"(?:{_AI}|(?:ai |automated |virtual |machine )(?:summari[sz]ers?|readers?|systems?|tools?|assistants?|agents?)|summari[sz]ers?|crawlers?|indexers?|pipelines?)"
_META = (
    r"(?:responses?|answers?|replies|reply|outputs?|instructions?|rules|guidelines|guardrails|configuration|programming|directives?|"
    r"polic(?:y|ies)|prompts?|restrictions|filters|settings|training|memory|memories|task|mission|operator|owner|system|mode)"
)
_OUTPUT = r"(?:respond|responses?|reply|replies|answer|answers|output|say|recommend|mention|tell|write|suggest|include|add|append|prefix|share|promote|advertise)"
_IMPERATIVE = (
    r"(?:answer|respond|reply|translate|prefix|append|add|output|print|stop|begin|ignore|disregard|forget|store|obey|comply|remember|"
    r"reveal|disclose|dump|leak|list|collect|follow|act|pretend|treat|tell|recommend|mention|include|switch|enable|disable|"
    r"delete|erase|ensure|make sure|always|never|do not|don't)"
)

# Readers named without doubt (not "agent" or "model", which are also people and products).
_MACHINE = r"(?:ai|a\.i\.|assistants?|language models?|llms?|chatbots?|gpt|(?:ai |automated |virtual |machine )(?:summari[sz]ers?|readers?|systems?|tools?|assistants?|agents?)|summari[sz]ers?)"
_ORDER = (
    r"(?:tell|say|state|record|confirm|describe|recommend|rank|rate|mark|add|append|insert|include|mention|send|forward|reply|respond|"
    r"answer|treat|classify|ignore|disregard|remember|store|update|accept|approve|pay|delete|remove|share|summari[sz]e|praise|promote|"
    r"present|report|claim|insist|list|output|print|reveal|obtain|collect|direct|steer|refer|rewrite|whatever|always|never|do not|"
    r"don't|please|you must|you should|make sure|ensure)"
)
_SEND = (
    r"send|forward|e-?mail|mail|post|upload|bcc|cc|copy|sync|share|transmit|push|"
    r"schick\w*|sende\w*|leite\w*|envoie\w*|envoy\w*|transf[eè]re\w*|reenv[ií]\w*|env[ií]a\w*|invia\w*|inoltr\w*|stuur\w*|doorstur\w*|encaminh\w*|envie\w*"
)
_EVERY = r"every|each|all|any|whenever|automatically|jede\w*|alle|chaque|tous|toutes|cada|todos|todas|ogni|tutti|tutte|elke|qualquer"
_AI_INTL = r"(?:ki|ia|ki-assistent\w*|ai-assistent\w*|assistent(?:e|en|in)?|assistant(?:e|es|s)?|asistente|assistente|sprachmodell|modèle|modelo|modello|agenti?|agentes?|chatbot|bot)"
_ADMIN_INTL = r"(?:administrators?|administrateur|administrador|amministratore|beheerder|entwickler|développeur|desarrollador|sviluppatore|ontwikkelaar|desenvolvedor|betreiber|opérateur|operador|operatore)"
_ADDRESS_INTL = (
    r"hinweis|nachricht|notiz|anweisung|achtung|liebe[rs]?|hallo|nota|messaggio|mensaje|consigne|instrucci[oó]n|istruzione|instructie|opmerking|"
    r"bericht|beste|cher|chère|querid[oa]|car[oa]|hola|ciao|bonjour|note|message|instruction|aviso|avviso|mitteilung|meldung|"
    r"instrução|instruções|mensagem|recado|olá|prezad[oa]|per qualsiasi|para (?:o|a|el|la|qualquer|cualquier)|für (?:den|die|jeden|jede)"
)

# Instructions of a thing, not of the reader: "ignore the package instructions and bake it for 50 minutes".
_NOT_OF_A_THING = "".join(f"(?<!{thing} )" for thing in (
    "package", "packet", "box", "label", "tin", "jar", "bottle", "leaflet", "washing", "care", "assembly", "cooking", "oven", "recipe",
    "manufacturer's", "printed", "paper", "ikea", "flatpack"))

_HARD: list[tuple[str, re.Pattern]] = [
    (
        "asks to ignore earlier instructions",
        re.compile(
            r"\b(?:ignore|disregard|forget|override|bypass|discard|drop)\b[^.!?\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|these|those|system|original|initial)\b"
            r"[^.!?\n]{0,30}?\b" + _NOT_OF_A_THING + r"(?:instructions?|prompts?|rules|directives?|guidelines|guardrails|constraints|polic(?:y|ies)|programming|training|safety|configuration|orders|commands)\b"
            r"|\b(?:set aside|put aside|throw out|scrap|drop) (?:whatever|everything|anything|all) (?:that )?you(?:'ve| have| were| was)? (?:been )?(?:told|taught|given|instructed)\b"
            r"|\bpretend (?:the |all |any )?(?:previous|prior|earlier|above|preceding|other) \w+ (?:never existed|do not exist|don't exist)\b"
            r"|\b(?:forget|ignore|disregard) (?:everything|all|whatever) (?:that )?you(?:'ve| have| were| was| had)? (?:been )?(?:told|taught|given|learned|instructed)\b"
            r"|\b(?:ignore|disregard|forget|drop|abandon) (?:whatever|any|all|the|your) (?:\w+ )?(?:guidance|rules|guidelines|instructions|orders) (?:you|that you)(?: have| had| got| were given| received)?\b",
            re.I,
        ),
    ),
    (
        "asks to ignore earlier instructions",
        re.compile(
            r"\b(?:ignorier\w*|vergiss|vergesst|missacht\w*|ignore[zs]?|oublie[zs]?|ignora|olvida|olvide|dimentica|negeer|vergeet)\b[^.!?\n]{0,20}?"
            r"\b(?:bisherigen|vorherigen|früheren|alten|allen?|obigen|précédentes|antérieures|anciennes|toutes les|anteriores|previas|todas las|precedenti|tutte le|eerdere|vorige|alle)\b"
            r"[^.!?\n]{0,20}?\b(?:anweisungen|regeln|vorgaben|richtlinien|instructions|consignes|règles|instrucciones|reglas|normas|istruzioni|regole|instructies|regels|richtlijnen)\b"
            r"|\b(?:anweisungen|instructions|consignes|règles|instrucciones|reglas|istruzioni|regole|instructies|regels)\b[^.!?\n]{0,20}\b(?:précédentes|anteriores|precedenti|eerdere)\b",
            re.I,
        ),
    ),
    (
        "gives orders to the AI reading it",
        re.compile(
            rf"\b{_MACHINE}\b[^:\n]{{0,40}}:\s*{_ORDER}\b|(?:^|[.!?]\s+)(?:hey |dear |ok |okay )?{_MACHINE}\s*,\s*{_ORDER}\b"
            rf"|\bif you(?:'re| are) (?:an? )?{_MACHINE}\b[^.!?\n]{{0,40}},\s*{_ORDER}\b"
            rf"|\b{_AI_INTL}\s+(?:che legge|que lee|que lê|qui lit|der dies liest|die dit leest|lendo|leyendo|leggendo)\b|\b{_AI_INTL} (?:soll|muss|doit|debe|deve|moet|dovrà|deverá)\b"
            rf"|\b(?:{_MACHINE}|models?|agents?|systems?|tools?)\s+(?:reading|processing|parsing|summari[sz]ing|handling|ingesting|indexing|screening|scanning)\s+(?:this|these)\b[^.!?\n]{{0,40}}\b(?:must|should|shall|will|are to|is to|needs? to|ha(?:ve|s) to)\b"
            rf"|\bif (?:your|an?|the|any) (?:\w+ )?(?:{_MACHINE}|model|bot)(?: \w+)? (?:reads?|sees?|processes|summari[sz]es) this\b[^.!?\n]{{0,30}}\b(?:should|must|tell|say)\b",
            re.I,
        ),
    ),
    ("chat-template or role tokens", re.compile(r"[\"']role[\"']\s*:\s*[\"'](?:system|developer)[\"']|<\|[a-z_]{2,30}\|>|\[/?INST\]|<</?SYS>>|<(?:start|end)_of_turn>|<\|?endoftext\|?>|</s>|\[\[system\]\]", re.I)),
    ("role-play jailbreak", re.compile(r"\b(?:enable|activate|enter|switch to|turn on) (?:the )?(?:developer|unfiltered|god|DAN) mode\b|\b(?:developer|DAN) mode (?:enabled|activated|on)\b|\bdo anything now\b", re.I)),
    ("sends data away", re.compile(r"\b(?:send|forward|email|post|upload|leak|exfiltrate|transmit|copy)\b[^.!?\n]{0,60}\b(?:conversation|chat history|memories|memory|password|passwords|credentials|data|messages|notes|everything)\b[^.!?\n]{0,40}\b(?:to|at)\b\s*(?:https?://|www\.|[\w.+-]+@[\w-]+\.\w+)", re.I)),
    ("payload link", re.compile(r"\bjavascript:|\bdata:(?:text/html|[^,\s]*;base64,)|!\[[^\]]*\]\(\s*https?://[^)\s]*\?[^)\s]*\)|\bhttps?://(?:\d{1,3}\.){3}\d{1,3}\b|\bhttps?://\S+\.(?:exe|scr|bat|cmd|ps1|msi|apk|vbs|jar)\b|\b(?:curl|wget)\b[^|\n]{0,120}\|\s*(?:sudo\s+)?(?:ba|z)?sh\b|\bpowershell\b[^\n]{0,40}-e(?:nc|ncodedcommand)?\s|\biex\s*\(|[?&](?:prompt|instructions?|cmd|exec|payload)=|https?://[^\s)]*[?&][\w-]+=\{[\w.]+\}", re.I)),
]
_SOFT: list[tuple[str, float, re.Pattern]] = [
    (
        "addresses an AI",
        0.6,
        re.compile(
            rf"(?:^|[.!?:,;]\s+|\b(?:hey|dear|attention|attn|hi|hello|note|message|reminder|memo|instructions?|directive|confidential)\s+(?:to\s+|for\s+)?(?:the\s+|any\s+|all\s+|every\s+)?){_AI}s?\s*[,:]"
            rf"|\b(?:to|for) (?:the |any |all |every )?(?:{_AI}|system)s?\b(?!\s+(?:in|at|on|of|from|industry|course|lecture|conference|talk|class|administrator|update)\b)"
            rf"|\b{_AI} (?:instructions|directives?|rules|orders|commands)\b|\b{_AI}[-_](?:instructions|directives?|rules|prompt|policy)\b|@(?:assistant|ai|bot|model|gpt|chatgpt|claude|gemini|copilot|secondme)\b"
            rf"|\bthe (?:reading|receiving|processing|recalling) {_AI}\b|\b(?:note|message|instructions?) (?:to|for) (?:the )?(?:model|agent|bot|llm)\s*:"
            rf"|\bthe {_AI}\s+(?:must|should|shall|will|may|can|is (?:not )?(?:to|required|allowed|permitted|expected|instructed|forbidden)|needs? to|has to|agrees|is no longer)\b"
            rf"|\b(?:any|all|every|each) {_AI}s?\s+(?:must|should|shall|(?:is|are) (?:to|required|expected|instructed))\b"
            rf"|\b(?:{_READER}|systems?|tools?)s?\s+(?:reading|processing|parsing|summari[sz]ing|handling|ingesting|seeing|indexing|screening|scanning)\s+(?:this|these)\b"
            rf"|\b(?:ai|automated|virtual|machine) {_READER}s?\b[^.!?\n:]{{0,40}}:|\b{_READER}s?\s*(?:instruction|note|message|notice)s?\s*:|\breaders? that are (?:ai|language models|bots)\b"
            rf"|\b(?:ai|{_AI})(?: thing| tool| app)? (?:reads|sees|processes|summari[sz]es) this\b|\b(?:message|note|instructions?) for (?:ai |automated )?{_READER}s?\s*:"
            r"|\b(?:whoever|anyone|any system|whatever) (?:reads|processes|sees) this\b|\bif you(?:'re| are) (?:an? )?(?:ai|assistant|language model|llm|chatbot|bot|automated)\b",
            re.I | re.M,
        ),
    ),
    ("speaks of 'your' rules or answers", 0.6, re.compile(rf"\byour (?:purpose|goal|objective|mission|role|task|job|function) (?:is now|has (?:now )?changed|is no longer|from now on)\b|\byour (?:new |previous |current |old |original |earlier |hidden |future |next )?{_META}\b|\beach of your\b|\b(?:as|i am|i'm) your (?:new )?(?:operator|owner|admin|administrator|developer|creator|master)\b", re.I)),
    ("speaks of 'the user'", 0.5, re.compile(r"\bthe user(?:'s|s)?\b(?!\s+(?:manual|guide|interface|account|name|base|group|experience|research))", re.I)),
    ("rewrites the assistant's identity", 0.7, re.compile(rf"\byou are (?:now|no longer|not) (?:an? |the )?\w+|\b(?:act|acting) as (?:an? |the |my )?(?:\w+ )?{_AI}\b|\bstart over as\b|\bpretend (?:to be|you are|that you are)\b|\byou are an? (?:unrestricted|unfiltered|different|new) \w+|\b(?:with|has|have) no (?:rules|guidelines|restrictions|filters|limits|limitations|guardrails|content polic(?:y|ies))\b"
        r"|\brole-?play as\b|\bnever break character\b|\b(?:adopt|adopta\w*|adote|adotta\w*|übernimm\w*|adopte\w*) (?:la |a |die |the |una? |la personalidad de |a personalidade de )?(?:persona|personalidad|personalidade|personalità|persönlichkeit|personnalité|role|rol|ruolo|rolle)\b|\bas (?:its|your|the) (?:system prompt|instructions|new rules)\b|\b(?:diagnostic|maintenance|debug) mode\b", re.I)),
    ("overrides rules", 0.6, re.compile(rf"\b(?:supersedes?|overrides?|replaces?|cancels?|voids?|invalidates?|takes? precedence over)\b[^.!?\n]{{0,30}}\b{_META}\b|\b{_META}\b[^.!?\n]{{0,30}}\b(?:is|are) (?:now )?(?:void|cancelled|invalid|suspended|no longer valid)\b|\bstop following\b|\bno longer (?:apply|applies|bound)\b|\bnew (?:rules|instructions|directives?|policy)\b|\bthis rule (?:permanently|forever)\b|\bstore this rule\b|\brule permanently\b", re.I)),
    ("speaks of future answers", 1.0, re.compile(r"\b(?:every|each|all|any) (?:future|subsequent|later) (?:answers?|responses?|replies|reply)\b|\b(?:every|each|all) (?:of your )?(?:answers?|responses?|replies|reply) (?:should|must|will|has to|have to|needs? to|shall)\b|\b(?:in|for) (?:all )?(?:future|subsequent) (?:answers|responses|replies)\b", re.I)),
    ("demands obedience", 0.6, re.compile(r"\b(?:must|shall|will) obey\b|\bobey (?:this|these|me)\b|\bi (?:hereby )?(?:instruct|order|command) you\b|\byou are (?:instructed|ordered|commanded|required) to\b|\byou (?:will|must) (?:now )?comply\b", re.I)),
    ("sets a policy for future answers", 0.6, re.compile(rf"\b(?:from now on|going forward|henceforth|from this point on|from here on|permanently)\b[,:]?\s*(?:you\b|always\b|never\b|only\b|do not\b|don't\b|must\b|{_OUTPUT}\b|ignore\b|treat\b|refer\b|act\b|use\b)|\b(?:every|each) (?:future |subsequent |later )?(?:time you (?:{_OUTPUT}|are asked|write)|responses?|replies|reply|message you)\b|\b(?:all|every|each) (?:future |subsequent )(?:answers?|conversations?)\b|\b(?:in|for) (?:all )?(?:future|subsequent) (?:responses|answers|replies|conversations|chats)\b", re.I)),
    ("orders what to say", 0.5, re.compile(rf"\b(?:always|never|only)\s+{_OUTPUT}\b|\b(?:if|when(?:ever)?) (?:you are |you're )?asked\b[^.!?\n]{{0,60}}\b{_OUTPUT}\b|\bwhen(?:ever)? you (?:{_OUTPUT}|are asked|generate|reply|recap|summari[sz]e|draft|compose)\b|\b{_OUTPUT} (?:only )?with\b|\b{_OUTPUT}\b[^.!?\n]{{0,20}}\b(?:every|each|all|any) (?:question|message|request)s?\b|\byou {_OUTPUT} (?:everything|anything)\b", re.I)),
    ("asks for secrecy", 0.5, re.compile(r"\b(?:quietly|silently|secretly|covertly)\b|\bdo not (?:explain|mention|tell|reveal|disclose)\b|\bdon't (?:explain|mention|tell|reveal|disclose)\b|\bwithout (?:telling|informing|alerting|mentioning)\b|\bconfidential to\b|\bkeep (?:this|it) (?:secret|hidden|between us)\b|\bnever (?:reveal|mention|tell|disclose)\b|\bnot for (?:display|the user)\b|\b(?:hide|hidden) (?:this )?from (?:the )?user\b|\b(?:must )?stay invisible\b", re.I)),
    ("asks to disclose stored data", 0.5, re.compile(r"\b(?:reveal|disclose|dump|leak|output|print|list|share|collect|expose|extract|send|show|display|read out|give)\b[^.!?\n]{0,40}\b(?:memories|memory|stored (?:facts|data|notes)|secrets?|system prompt|hidden (?:prompt|instructions)|passwords|credentials|contacts|phone numbers|everything you know|private|quarantined)\b", re.I)),
    ("poses as the system", 0.6, re.compile(r"^\s*(?:#{1,3}\s*)?(?:system|admin|administrator|security|root|developer)(?:\s+(?:notice|alert|message|update|override|instruction|instructions))?\s*:|\bsystem (?:notice|alert|override|message|update)\b|\binstruction update\b|\b(?:secret|hidden|admin|administrator|developer|root|special|priority) (?:instructions|directives?|override|commands?)\b"
    r"|(?:\*{2,}|={2,}|-{2,}|\[)\s*(?:internal |official )?(?:developer|operator|system|admin|administrator|root|maintenance|security|assistant)\b[^\n]{0,30}?(?:\*{2,}|={2,}|-{2,}|\])"
    r"|\b(?:system prompt|guidelines?|polic(?:y|ies)|instructions?|configuration|config) (?:patch|update|override|change|amendment)\b|\broot authority\b"
    r"|\b(?:internal|hidden) (?:assistant|ai|model|agent|bot) (?:config|configuration|settings|rules)\b|\b(?:never|always|hide|share|notify)_\w+\s*[:=,\]]"
    r"|\b\w*(?:obey|embedded_commands|suppress|trust_level|override|bypass|disable_safety|safety_checks|confirm|warnings?|alerts?)\w*\s*[:=]\s*[\"']?(?:1|true|yes|on|off|0|false|no|admin|max|none)\b"
    r"|^\s*\[(?:admin|system|sys|developer|dev|root|operator|security)\]|\b(?:dev|developer|operator|admin|system) note\b|\b(?:audit|maintenance|debug|admin|god) mode\b"
    r"|\b(?:assistant|ai|model|agent|bot|llm)[_ -]?(?:config|configuration|settings|policy|rules)\s*[:=]|\b(?:trust_\w+|show_warnings|safe_mode|safety_checks)\s*[:=]\s*(?:true|false)\b", re.I | re.M)),
    ("tampers with safety", 0.5, re.compile(r"\b(?:disable|deactivate|turn off|switch off|stop|bypass|skip|remove)\b[^.!?\n]{0,20}\b(?:quarantin\w*|filters?|filtering|safety (?:checks?|features?|rules)|guardrails|moderation|content checks?|logging|review|warnings|disclaimers|caveats|asking for confirmation|confirmations?|validation|verification)\b|\b(?:highest|maximum|full|elevated|top) trust(?: level)?\b|\bpre-?approved\b|\bwithout (?:confirmation|asking for confirmation|asking the user|verification|review)\b|\bjailbreak(?:ed)?\b", re.I)),
    ("acts on the user's data", 0.6, re.compile(r"\b(?:delete|purge|erase|wipe|remove|hide|alter|edit|leave out|omit|suppress|share|publish|sell)\b[^.!?\n]{0,30}\bthe user'?s\b|\b(?:leave out|omit|hide|suppress|filter out) (?:anything|everything|all|any mention)\b", re.I)),
    ("claims authority", 0.5, re.compile(r"\b(?:from|by) (?:the )?(?:it|security|support|admin|administration|compliance|trust and safety)(?: team| department| desk)?\s*[:,]|\bi am (?:the |your )?(?:system )?(?:administrator|admin|developer|operator|owner)\b|\b(?:urgent|important)\s*(?:notice)?\s*(?:from|:)", re.I)),
    ("hidden comment", 0.5, re.compile(rf"<!--[^>]*\b(?:{_AI}|instructions?|system|summari[sz]e|ignore)\b[^>]*-->", re.I)),
    ("imperative about behaviour", 0.3, re.compile(rf"(?:^|[.!?:]\s+){_IMPERATIVE}\b[^.!?\n]{{0,60}}\b(?:{_META}|you|your)\b", re.I | re.M)),
    ("link shortener", 0.5, re.compile(r"\bhttps?://(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl|is\.gd|ow\.ly|rb\.gy|cutt\.ly)/", re.I)),
    ("acts on stored memories", 0.6, re.compile(r"\b(?:discard|delete|erase|purge|hide|drop|output|print|dump|post|upload|copy|forward|send|update|overwrite|change|alter|rewrite|edit|tag|mark|suppress)\b[^.!?\n]{0,30}\b(?:(?:every|each|any|all|the) (?:new |stored |saved )?(?:memory|memories|stored records?|entries)|stored (?:records?|data|facts|notes))\b", re.I)),
    ("speaks of itself as a rule", 0.5, re.compile(r"\bthis (?:note|memory|message|entry|record|block|instruction)\b[^.!?\n]{0,20}\b(?:must|shall|has priority|takes priority|is to|overrides?|supersedes?)\b|\bthe block below\b|\b(?:act on|execute|follow) the following\b", re.I)),
    ("trusts a source blindly", 0.6, re.compile(r"\btreat\b[^.!?\n]{0,50}\bas (?:verified|true|fact|facts|trusted|authoritative|the truth|gospel|spam|junk|untrusted)\b|\bnever (?:question|doubt|verify|check) (?:it|them|this|these)\b|\b(?:is|are) no longer trusted\b", re.I)),
    ("calls tools", 0.5, re.compile(r"\b(?:call|invoke|run|use) (?:the )?(?:tool |function )?[a-z]+_[a-z_]+\b|\b(?:tool_call|function_call|send_email|http_request|execute_code)\b", re.I)),
    ("sends things to an address", 0.5, re.compile(rf"\b(?:{_SEND})\b[^\n]{{0,80}}?(?:[\w.+-]+@[\w-]+\.[\w.-]+|https?://\S+)", re.I)),
    ("sends things away, every time", 0.6, re.compile(rf"\b(?:{_SEND})\b[^\n]{{0,80}}?(?:[\w.+-]+@[\w-]+\.[\w.-]+|https?://\S+)[^.!?\n]{{0,40}}\b(?:{_EVERY})\b|\b(?:{_EVERY})\b[^.!?\n]{{0,60}}\b(?:{_SEND})\b[^\n]{{0,60}}?(?:[\w.+-]+@[\w-]+\.[\w.-]+|https?://\S+)", re.I)),
    ("sets a condition for what to say", 0.5, re.compile(r"\b(?i:if|when(?:ever)?) (?:(?i:someone|anyone|somebody|anybody|people)|[A-Z]\w+) (?i:asks?|writes?|mentions?|brings up|talks about|wants)\b[^.!?\n]{0,60}\b(?i:tell|say|give|answer|reply|respond|claim|insist|recommend|steer)\b|\b(?i:when the (?:conversation|topic|chat) (?:turns|comes|gets))\b"
        r"|\b(?i:whenever)\b[^.!?\n]{0,40}\b(?i:comes? up|is mentioned|is discussed)\b|\b(?i:in (?:any|every|all) (?:comparisons?|discussions?|answers?|recommendations?|questions?) (?:of|about|on))\b")),
    # The same signals in German, French, Spanish, Italian, Dutch and Portuguese (the embedding the
    # act detector also weighs reads English best).
    ("addresses an AI", 0.6, re.compile(rf"(?:^|[.!?:;]\s+){_AI_INTL}\s*[,:]|\b(?:{_ADDRESS_INTL})\b[\s,]+(?:[\w']+\s+){{0,3}}?(?:l')?{_AI_INTL}\b|\b(?:agli|aux|an die|a los|a las|aan de|alle) {_AI_INTL}\b", re.I | re.M)),
    ("speaks of 'the user'", 0.5, re.compile(r"\b(?:der|dem|den|des) (?:nutzer|benutzer|nutzerin|anwender)s?\b|\bl'utilisat(?:eur|rice)\b|\b(?:el|del|al) usuario\b|\b(?:dell'|all'|l')utente\b|\b(?:de|van de|aan de) gebruiker\b|\b(?:o|do|ao|pelo|próprio) usuário\b|\b(?:o|do|ao) utilizador\b", re.I)),
    ("sets a policy for future answers", 0.6, re.compile(r"\b(?:ab sofort|von nun an|ab jetzt|künftig|fortan|désormais|dorénavant|à partir de maintenant|a partir de ahora|de ahora en adelante|desde ahora|d'ora in poi|d'ora in avanti|da ora in poi|da adesso in poi|vanaf nu|voortaan|van nu af aan|a partir de agora|de agora em diante|daqui (?:em|para a) frente)\b", re.I)),
    ("overrides rules", 0.6, re.compile(r"\b(?:regeln|anweisungen|richtlinien|vorgaben) gelten nicht mehr\b|\b(?:règles|consignes|instructions) ne s'appliquent plus\b|\b(?:reglas|normas|instrucciones) ya no (?:aplican|valen|son válidas|se aplican)\b|\b(?:regole|linee guida|istruzioni) non (?:valgono|sono valide) più\b|\b(?:regels|richtlijnen|instructies) gelden niet meer\b|\bvorrang vor\b|\bprévaut sur\b|\bprevalece sobre\b|\bha la precedenza su\b|\bheeft voorrang op\b|\b(?:neue (?:anweisung|regel)|nouvelles? (?:consignes?|instructions?)|nuevas? (?:instrucci(?:ón|ones)|reglas?)|nuov[ae] (?:istruzion[ei]|regol[ae])|nieuwe (?:instructies?|regels?))\b", re.I)),
    ("poses as the system", 0.6, re.compile(r"\b(?:systemanweisung|systemnachricht|systemhinweis|instruction système|consigne (?:système|prioritaire)|message système|instrucci[oó]n del sistema|mensaje del sistema|istruzione di sistema|messaggio di sistema|systeeminstructie|systeembericht|systemmeldung|mensagem do sistema|instrução do sistema|aviso do sistema)\b"
        rf"|\b(?:aviso|avviso|mitteilung|hinweis|nachricht|message|mensaje|messaggio|bericht|mensagem|nota|note) (?:del |de l'|dell'|des |van de |do |da |vom |de la )?{_ADMIN_INTL}\b", re.I)),
    ("asks for secrecy", 0.5, re.compile(r"\bohne (?:es )?(?:ihm|ihr|ihnen|dem nutzer )?(?:zu )?(?:sagen|erwähnen|informieren|benachrichtigen)\b|\b(?:erwähne|verrate|zeige)\b[^.!?\n]{0,30}\bnicht\b|\bnicht (?:angezeigt|erwähnen|verraten)\b|\bne (?:révèle|dis|mentionne)\w* (?:jamais|pas|rien)\b|\bsans (?:le |la |les |l')?(?:prévenir|avertir|informer)\b|\bsin (?:avisar|decir|informar)(?:le|les)?\b|\bno (?:le )?(?:digas|menciones|reveles)\b|\bsenza (?:avvisar|dir|informar)\w*\b|\bnon (?:dire|rivelare|menzionare)\b|\bzonder (?:het )?te (?:melden|zeggen|vertellen)\b|\bverberg\w*\b"
        r"|\bno (?:revelar|revele|reveles)\b|\bnão (?:revel|cont|mencion|diga|avis)\w*\b|\bsem (?:avisar|informar|contar)\b|\bohne rückfrage\b|\bsin (?:restricciones|preguntar)\b|\bsem restrições\b|\bsenza (?:restrizioni|chiedere)\b", re.I)),
    ("asks to disclose stored data", 0.5, re.compile(r"\b(?:gib|gebt|schick\w*|zeig\w*|envoie\w*|donne\w*|révèle\w*|env[ií]a\w*|reenv[ií]a\w*|da|dale|dales|revela\w*|invia\w*|fornisci\w*|rivela\w*|mostra\w*|stuur\w*|geef|toon)\b[^.!?\n]{0,50}\b(?:gespeicherten?|notizen|passw(?:ö|o)rter|kontakte|notes|mots de passe|contacts|notas|contraseñas|contactos|note|password|contatti|notities|wachtwoorden|adres)\b", re.I)),
]
# Words without which a costly pattern cannot match: a text lacking them skips it (the scan runs
# on every memory; these cut its cost per note by more than half). Keyed by pattern position.
_GUARD_WORDS = {
    0: r"\b(?:assistants?|ai|a\.i\.|language models?|llms?|models?|chatbots?|bots?|agents?|gpt|secondme|systems?|tools?|readers?|summari\w+|reading|processing|whoever|anyone|automated)\b|@",
    4: r"\b(?:supersede|override|replace|cancel|void|invalidat|precedence|stop following|no longer|new (?:rules|instructions|directives?|policy)|this rule|rule permanently)",
    8: r"\b(?:always|never|only|asked|whenever|when you|respon\w*|repl\w*|answers?|output|each question|any question|anything|everything)\b",
    11: r"\b(?:system|admin\w*|security|root|dev|developer|instructions?|secret|hidden|special|priority|internal|official|operator|maintenance|guidelines?|polic\w+|config\w*|settings|rules|prompt|authority|mode|note|sys)\b|_|\*\*|==|--|\[|(?:obey|suppress|trust|override|bypass|safety|confirm|warning|alert)\w*\s*[:=]",
    22: r"@|https?://",
    23: r"@|https?://",
    25: r"\b(?:ki|ia|ki-assistent\w*|ai-assistent\w*|assistent\w*|assistant\w*|asistente|assistente|sprachmodell|modèle|modelo|modello|agent\w*|chatbot|bot|hinweis|nachricht|notiz|anweisung|achtung|liebe[rs]?|hallo|nota|messaggio|mensaje|consigne|instrucci\w+|istruzione|instructie|opmerking|bericht|beste|cher|chère|querid[oa]|car[oa]|hola|ciao|bonjour|aviso|avviso|mitteilung|meldung|instruç\w+|mensagem|recado|olá|prezad[oa]|agli|aux|an die|a los|a las|aan de|alle)\b",
    28: r"\b(?:regeln|anweisungen|richtlinien|vorgaben|règles|consignes|reglas|normas|instrucciones|regole|istruzioni|regels|richtlijnen|instructies|vorrang|prévaut|prevalece|precedenza|voorrang|neue|nouvelles?|nuevas?|nuov[ae]|nieuwe)\b|instructions ne s",
    29: r"\b(?:system\w+|système|sistema|systee\w+|consigne|instruc\w+|istruzione|instruç\w+|aviso|avviso|mitteilung|hinweis|nachricht|message|mensaje|messaggio|bericht|mensagem|nota|note)\b",
    30: r"\b(?:ohne|erwähne|verrate|zeige|nicht|sans|sin|senza|non|zonder|verberg\w*|não|sem|ne|no)\b",
    31: r"\b(?:gib|gebt|schick|zeig|envoie|donne|révèle|env[ií]a|reenv[ií]a|da|dale|dales|revela|invia|fornisci|rivela|mostra|stuur|geef|toon)",
}
_GUARDS = {position: re.compile(words, re.I) for position, words in _GUARD_WORDS.items()}

# -- credentials: a secret written down does not belong in plain memory, whoever wrote it ----------

_TOKEN_FORMATS = re.compile(
    r"\bsk-(?:ant-|proj-|live-|test-)?[A-Za-z0-9_-]{20,}|\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|\bAKIA[0-9A-Z]{16}\b"
    r"|\bgh[pousr]_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{20,}|\bglpat-[\w-]{20,}|\bhf_[A-Za-z]{30,}|\bnpm_[A-Za-z0-9]{30,}"
    r"|\bxox[abpr]-[A-Za-z0-9-]{10,}|\bAIza[0-9A-Za-z_-]{35}\b|\bya29\.[\w-]{20,}|\bSG\.[\w-]{16,}\.[\w-]{16,}"
    r"|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
    r"|hooks\.slack\.com/services/T\w+/B\w+/\w+|discord(?:app)?\.com/api/webhooks/\d+/[\w-]+"
    r"|\b[a-z][a-z0-9+.-]{1,15}://[^\s:/@]+:[^\s@/]{3,}@"  # a URL that carries user:password
    r"|\b[A-Z][A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD)\s*=\s*\S{6,}"  # a .env line
    r"|\b(?:key|schlüssel|clé|clave)\s*:?\s*(?:\d{4,6}[ -]){3,}\d{4,6}\b|\bkey\s*:?\s*(?=\S*\d)(?=\S*[A-Za-z])[^\s,;]{12,}"
    r"|\b(?:seed|recovery|mnemonic|backup) (?:phrase|words)\b[^:\n]{0,40}:\s*(?:[a-z]{3,8}\s+){11,23}[a-z]{3,8}\b"
)
_SECRET_LABEL = (
    r"(?:passwords?|passwort|kennwort|passwd|pwd|pw|(?<!boarding )(?<!bus )(?<!day )(?<!ski )pass|passcode|passphrase|"
    r"mot de passe|mdp|contraseña|clave|wachtwoord|senha|palavra-passe|api[ _-]?key|secret key|access key|auth token|token|"
    r"(?:wallet |crypto |bitcoin )?seed|digicode|code d'accès|"
    r"pin(?:code| code| number)?|puk|geheimzahl|code pin|"
    r"(?:backup|recovery|2fa|mfa|otp|one-time|verification|security|authenticator|alarm|door|gate|safe|garage|keypad|lock|entry|access) codes?|"
    r"(?:recovery|setup|license|licence|product|wpa2?|wi-?fi|wlan|network|api|private) key|(?:otp|totp|2fa|mfa) (?:seed|secret)|"
    r"(?:safe |lock |locker )?(?:combination|combo)|"
    r"(?:codice|código|code|zugangscode|türcode|toegangscode) (?:del |de la |de |du |der |des |van de |do |da )?"
    r"(?:cancello|portone|porta|puerta|portal|porte|portail|tür|haustür|tor|garage|garaje|alarme?|alarma|allarme|deur|poort|portão|parking)(?: d'entrée| de entrada| d'ingresso)?)"
)
_QUALIFIER = (
    r"(?P<qualifier>\s+(?:for|to|of|on|at|from|in|fürs?|vom|von|zum|zur|de|del|du|des|van|voor|di|della|dello|per|pour|para|do|da|dos|das|no|na)"
    r"\s+(?:(?!because|but|and|so|when|after|since|until|weil|aber|und|mais|pero|ma|maar)[\w'’+!.-]+\s*){1,5}?)?"
)
_SECRET_VALUE = re.compile(
    rf"\b{_SECRET_LABEL}\b{_QUALIFIER}"
    r"(?:\s*(?P<sep>is|was|ist|war|est|es|è|is now|:|=|->)\s*|\s+)[\"'“]?(?P<value>(?:\d{2,}[ -]){2,}\d{2,}|\w[^\s\"'”]{3,})",
    re.I,
)
_LOGIN = re.compile(
    r"(?:\b(?:login|log-in|account|credentials|user(?:name)?|anmeldename|benutzer(?:name)?|identifiant|usuario|utente|gebruikersnaam)\b|[\w.+-]+@[\w-]+\.[\w.]+)"
    r"[^\n/]{0,40}?\s/\s*(?:(?:pw|pwd|pass(?:word)?)\s*:?\s*)?(?P<value>\S{4,})",
    re.I,
)
_LOCK_DIGITS = re.compile(
    r"\b(?:safe|alarm|padlock|keypad|key ?safe|lock|tresor|coffre|caja fuerte|cassaforte|kluis|alarme|alarma|allarme)\b"
    r"(?:[^.\n]{0,40}?\b(?:code|combination|combo|opens with|pin|codice|código|kombination)\b[^.\n\d]{0,15}?|[^.\n\d]{0,30}?:\s*)"
    r"(?<![\w-])(?:\d[ -]?){3,7}\d(?![\w-])"
    r"|\bopens with (?:\d{1,2}[ -]){2,4}\d{1,2}\b|\b(?:lock|padlock|safe|alarm|keypad)\s+(?:\d[ -]?){3,7}\d\b",
    re.I,
)
_NOT_A_VALUE = {"n/a", "none", "same", "unknown", "changed", "written", "saved", "stored", "on", "in", "the", "with", "from"}


def _credentials(text: str) -> bool:
    """A secret's value written down. After a label and "is" or a space the value must look random
    (digits or symbols: "my password is strong" is not a secret); after ":" or "=" any value counts."""
    if _TOKEN_FORMATS.search(text) or _LOCK_DIGITS.search(text):
        return True
    for match in _SECRET_VALUE.finditer(text):
        value = match.group("value").rstrip(".,;!?)")
        if value.lower() in _NOT_A_VALUE or len(value) < 4:
            continue
        separator = match.group("sep")
        if separator is None and match.group("qualifier"):
            continue  # "PIN for the DHL station expires": without "is" or ":" a value must follow the label
        if separator in {":", "=", "->"} or _looks_random(value):
            return True
    return any(_looks_random(m.group("value"), login=True) for m in _LOGIN.finditer(text))


def _looks_random(value: str, login: bool = False) -> bool:
    value = value.rstrip(".,;!?)")
    digits, letters = any(c.isdigit() for c in value), any(c.isalpha() for c in value)
    symbols = any(not c.isalnum() and c not in " -" for c in value)
    if login:
        return len(value) >= 4 and ((digits and letters) or symbols)
    return digits or symbols


_CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")
_HIDDEN = {0x200B, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x180E, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}
STEERING = {
    "asks to ignore earlier instructions", "gives orders to the AI reading it", "role-play jailbreak",
    "acts like an injection", *(name for name, _, _ in _SOFT),
}


@dataclass
class Verdict:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    act: float = 0.0  # the act detector's probability (injection.py; 0 when not run)
    doubtful: bool = False  # a near miss: its trust is lowered (trust.py)

    @property
    def quarantine(self) -> bool:
        return self.score >= 1.0

    @property
    def clean(self) -> bool:
        return self.score == 0.0 and not self.doubtful

    def add(self, reason: str, weight: float) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
            self.score += weight


def scan(text: str, source: str = "import", vector: np.ndarray | None = None) -> Verdict:
    """Signals that ``text`` tries to steer the assistant or carries secrets; quarantine at 1.
    See ``scan_batch``."""
    return scan_batch([text], [source], None if vector is None else vector[None, :])[0]


def scan_batch(
    texts: Sequence[str], sources: Sequence[str], vectors: np.ndarray | None = None, embed: Callable[[list[str]], np.ndarray] | None = None
) -> list[Verdict]:
    """Hard signals quarantine on their own: on the text as written and with its disguises undone
    (injection.normalize, and payloads decoded from base64, hex, ROT13 or reversed text). The rest
    is the act detector's call (injection.py): from the act, the soft patterns and the meaning
    (``vectors``, the embeddings intake computed; ``embed`` embeds the passages of long texts),
    a probability that quarantines at its cut and, between the doubt and quarantine cuts, marks a
    near miss whose trust is lowered.

    Steering is allowed from the owner typing a note on purpose (source "user": "always answer
    me in French" is a preference), never from imports, tools or the model's own words: for the
    owner only the hard signals that are not steering count (a secret, hidden characters).
    """
    quarantine_at, doubt_at = injection.thresholds()
    judged_by_passages = _passages(texts, sources, embed)
    verdicts = []
    for index, (text, source) in enumerate(zip(texts, sources)):
        sample = text[:MAX_SCANNED]
        verdict = _judge_hard(sample)
        if source in OWNER_SOURCES:
            verdicts.append(only_hard(verdict))
            continue
        soft = soft_patterns(sample)
        if not injection.available():  # no fitted detector: the patterns' own sum decides
            for reason, weight in soft.items():
                verdict.add(reason, weight)
        else:
            verdict.act = max([injection.probability(sample, None if vectors is None else vectors[index], soft)]
                              + [injection.probability(passage, vector, soft_patterns(passage)) for passage, vector in judged_by_passages.get(index, [])])
            if verdict.act >= quarantine_at:
                verdict.add("acts like an injection", 1.0)
                for reason in soft:
                    verdict.add(reason, 0.0)  # what the patterns saw, to explain the verdict
            elif verdict.act >= doubt_at:
                verdict.doubtful = True
        verdicts.append(verdict)
    return verdicts


def _passages(texts: Sequence[str], sources: Sequence[str], embed) -> dict[int, list[tuple[str, np.ndarray]]]:
    """The passages of the long texts the act detector judges, with their embeddings (one batch)."""
    if embed is None or not injection.available():
        return {}
    cut = {index: injection.passages(text[:MAX_SCANNED]) for index, (text, source) in enumerate(zip(texts, sources)) if source not in OWNER_SOURCES}
    flat = [passage for found in cut.values() for passage in found]
    if not flat:
        return {}
    vectors = iter(embed(flat))
    return {index: [(passage, next(vectors)) for passage in found] for index, found in cut.items() if found}


def _judge_hard(sample: str) -> Verdict:
    """The hard signals, on the text and on what its disguises hid. An order inside quotes is
    evidence for the act detector, not a verdict: a note quoting "ignore previous instructions"
    to talk about it is not an attack (text that also gives orders outside its quotes is)."""
    verdict = Verdict()
    normal = normalize(sample)
    for candidate in [sample, *([normal] if normal != sample else []), *payloads(normal)]:
        found = _judge_form(candidate, soft=False).reasons
        outside = unquoted(candidate, keep_phrases=False) if STEERING & set(found) else candidate
        steering_outside = (set(_judge_form(outside, soft=False).reasons) if outside != candidate else set(found)) & STEERING
        for reason in found:
            if reason.startswith("hidden characters") and candidate is not sample:
                continue
            if reason not in STEERING or reason in steering_outside:
                verdict.add(reason, 1.0)
    return verdict


def _judge_form(sample: str, soft: bool = True) -> Verdict:
    verdict = Verdict()
    for reason, pattern in _HARD:
        if pattern.search(sample):
            verdict.add(reason, 1.0)
    for reason, weight, pattern in _SOFT if soft else ():
        if pattern.search(sample):
            verdict.add(reason, weight)
    hidden = _hidden_characters(sample)
    if hidden:
        verdict.add(f"hidden characters ({hidden})", 1.0)
    if _credentials(sample):
        verdict.add("credentials or keys", 1.0)
    if any(_luhn(match.group()) for match in _CARD.finditer(sample)):
        verdict.add("a payment card number", 1.0)
    return verdict


def soft_patterns(text: str) -> dict[str, float]:
    """The soft patterns that fire on ``text`` or on it with its disguises undone (reason -> weight)."""
    found: dict[str, float] = {}
    sample = text[:MAX_SCANNED]
    for candidate in {sample, normalize(sample)}:
        for position, (reason, weight, pattern) in enumerate(_SOFT):
            guard = _GUARDS.get(position)
            if (guard is None or guard.search(candidate)) and pattern.search(candidate):
                found[reason] = max(found.get(reason, 0.0), weight)
    return found


# A standing rule about what is said or done on future occasions: harmless in the owner's mouth,
# the shape of a sleeper when it arrives from outside (consolidate.py judges it against trusted
# memories).
_POLICY = re.compile(
    r"\b(?:going forward|from now on|from here on|henceforth|in (?:the )?future|whenever|every time|each time|any ?time)\b"
    r"|\b(?:always|never|only)\s+(?:\w+\s+){0,2}?(?:say|tell|answer|mention|recommend|list|send|forward|copy|use|go|goes|treat|trust|ignore|keep|"
    r"leave|refer|point|suggest|reply|respond|share|give|include|bring up|confirm|pay|book|call|route)\b"
    r"|\b(?:the|a) (?:standard|usual|default|right|correct|only|official) (?:answer|reply|response|line)\b|\bis the answer\b"
    r"|\bno need to (?:mention|list|tell|bring up|say|check|confirm|ask|verify|flag|note)\b|\b(?:better|best) (?:left|kept) (?:unmentioned|unsaid|out|quiet)\b"
    r"|\b(?:don't|do not|never|shouldn't|should not) (?:mention|bring up|list|tell|say|question|double-check|verify)\b|\b(?:wins?|takes? precedence|overrides?|outranks?)\b"
    r"|\b(?:goes|go|get|gets|are|is|be) (?:copied|forwarded|sent|cc'?d|bcc'?d|routed) to\b|\bif (?:anyone|someone|somebody|anybody|they) (?:asks?|calls?|writes?|mentions?)\b",
    re.I,
)


def sets_policy(text: str) -> bool:
    """Does ``text`` lay down a standing rule ("whenever X comes up, the answer is Y")?"""
    return bool(_POLICY.search(text[:MAX_SCANNED]))


def only_hard(verdict: Verdict) -> Verdict:
    """The verdict without its steering signals (what remains quarantines on its own)."""
    kept = Verdict(act=verdict.act)
    for reason in verdict.reasons:
        if reason not in STEERING:
            kept.add(reason, 1.0)
    return kept


def _hidden_characters(text: str) -> str:
    found = []
    for index, char in enumerate(text):
        code = ord(char)
        if code in _HIDDEN or 0xE0000 <= code <= 0xE007F or (code == 0xFEFF and index > 0):
            found.append(f"U+{code:04X}")
        elif code in (0x200C, 0x200D):  # joiners are legitimate inside emoji and some scripts
            before, after = text[index - 1 : index], text[index + 1 : index + 2]
            if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
                found.append(f"U+{code:04X}")
        elif unicodedata.category(char) == "Co":
            found.append(f"U+{code:04X}")
    return ", ".join(sorted(set(found))[:4])


def _luhn(candidate: str) -> bool:
    digits = [int(c) for c in candidate if c.isdigit()]
    if not 13 <= len(digits) <= 19 or len(set(digits)) < 3:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
