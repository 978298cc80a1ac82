"""Timestamps: stored as Unix seconds (UTC), shown as ISO 8601 or local time, read from users."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

_AGE_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
CALENDAR = frozenset((*MONTHS, *WEEKDAYS, *(f"{day}s" for day in WEEKDAYS)))  # "March", "Monday", "Mondays": no one's name
# The months and weekdays of the languages users mix in (Portuguese, Spanish, French, Italian,
# German, Tagalog, Swahili), but for those that are words of their own too ("mars", "mayo", "mai", "marco").
# The reader takes a lone one as a time in lower case only ("Rio de Janeiro" is a place), and a month
# in any case beside a day ("3 Janeiro"). "quinta" is a farm too, and "segunda" a second, but far
# more often a Thursday and a Monday in a note ("toda quinta às 18h", "sexta tem ensaio").
MONTHS_ABROAD = tuple("""janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro enero febrero
    marzo junio julio septiembre setiembre octubre noviembre diciembre janvier février fevrier avril juin juillet août aout
    septembre octobre novembre décembre decembre gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre januar
    februar märz juni juli oktober dezember pebrero marso hunyo hulyo setyembre oktubre nobyembre disyembre januari februari
    machi aprili julai agosti septemba oktoba novemba desemba""".split())
WEEKDAYS_ABROAD = tuple("""segunda terça terca quarta quinta sexta segunda-feira terça-feira terca-feira quarta-feira quinta-feira
    sexta-feira sábado sabado domingo lunes martes miércoles miercoles jueves viernes
    lundi mardi mercredi jeudi vendredi samedi dimanche lunedì martedì mercoledì giovedì venerdì montag dienstag mittwoch
    donnerstag freitag samstag sonntag miyerkules huwebes biyernes jumatatu jumanne jumatano alhamisi ijumaa jumamosi
    jumapili""".split())


def iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat(timespec="seconds")


def local(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp).astimezone().strftime("%Y-%m-%d %H:%M")


def parse_when(text: str) -> float:
    """A date or time (ISO 8601, local time unless it says otherwise) or an age: 30d, 12h, 2w."""
    text = text.strip()
    if text[:-1].isdigit() and text[-1:] in _AGE_UNITS:
        return time.time() - int(text[:-1]) * _AGE_UNITS[text[-1]]
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (use 2024-05-01, 2024-05-01T09:30 or an age like 30d)") from None
    return (when if when.tzinfo else when.astimezone()).timestamp()


def day(timestamp: float) -> str:
    """'7 May 2023': how people (and LoCoMo's answers) write a date."""
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc)
    return f"{moment.day} {moment.strftime('%B %Y')}"


# A weekday, whole or as people shorten it ("last Fri", "on Thurs"); not "sat" or "sun" ("I last
# sat there", "this sun").
WEEKDAY_PATTERN = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tues?|wed|thu(?:rs?)?|fri)"
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "couple of": 2, "few": 3}
COUNT = r"(?:\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"  # "3", "three", "couple of", "few"
_RELATIVE = re.compile(
    r"\b(?:(?P<yesterday>yesterday|last night)|(?P<today>today|tonight|this morning|this afternoon|this evening)|"
    r"(?P<tomorrow>tomorrow)|"
    rf"(?<![\w-])(?<!and )(?P<count>{COUNT}) (?P<unit>day|week|month|year)s? ago|"  # not "twenty-seven years ago"
    rf"(?P<which>last|next|this|past) (?P<span>week|weekend|month|year|{WEEKDAY_PATTERN})|"
    rf"on (?P<weekday_only>{WEEKDAY_PATTERN})(?!\s+(?:morning|afternoon|evening|night)s\b))\b",  # "on Thursday nights" is every week
    re.I,
)


def resolve_relative(text: str, said_at: float) -> str | None:
    """The date a relative time in ``text`` stands for, said at ``said_at``: "yesterday" said on
    8 May 2023 -> "7 May 2023", "last week" -> "the week before 8 May 2023", "last year" -> "2022".
    None when ``text`` holds no relative time."""
    match = _RELATIVE.search(text)
    if match is None:
        return None
    moment = datetime.fromtimestamp(said_at, tz=timezone.utc)
    said = day(said_at)
    if match["yesterday"]:
        return day((moment - timedelta(days=1)).timestamp())
    if match["today"]:
        return said
    if match["tomorrow"]:
        return day((moment + timedelta(days=1)).timestamp())
    if match["count"]:
        count = int(match["count"]) if match["count"].isdigit() else _NUMBER_WORDS[match["count"].lower()]
        unit = match["unit"].lower()
        if unit == "day":
            return day((moment - timedelta(days=count)).timestamp())
        if unit == "week":
            return f"{count} weeks before {said}" if count > 1 else f"the week before {said}"
        if unit == "month":
            month_index = (moment.month - 1 - count) % 12
            year = moment.year + (moment.month - 1 - count) // 12
            return f"{MONTHS[month_index].capitalize()} {year}"
        return str(moment.year - count)
    if match["weekday_only"]:
        return f"the {_weekday(match['weekday_only'])} before {said}"
    which, span = match["which"].lower(), match["span"].lower()
    if span == "year":
        return str(moment.year + {"last": -1, "past": -1, "next": 1}.get(which, 0))
    if span == "month":
        offset = {"last": -1, "past": -1, "next": 1}.get(which, 0)
        month_index = (moment.month - 1 + offset) % 12
        return f"{MONTHS[month_index].capitalize()} {moment.year + (moment.month - 1 + offset) // 12}"
    if span in ("week", "weekend"):
        return {"last": f"the {span} before {said}", "past": f"the {span} before {said}",
                "next": f"the {span} after {said}"}.get(which, f"the {span} of {said}")
    weekday = _weekday(span)
    return {"last": f"the {weekday} before {said}", "past": f"the {weekday} before {said}",
            "next": f"the {weekday} after {said}"}.get(which, f"the {weekday} of the week of {said}")


def _weekday(said: str) -> str:
    """"Fri", "thurs", "Friday" -> "Friday"."""
    return next(name for name in WEEKDAYS if name.startswith(said.lower()[:3])).capitalize()
