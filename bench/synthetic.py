"""Realistic synthetic memories for benchmarks: a life's worth of people, places, habits and events.

Texts are generated from templates with a seeded RNG; their embeddings are computed once with the
real embedder and cached on disk, so building a 100k-memory store takes seconds after the first run.
"""

from __future__ import annotations

import hashlib
import random
import sys
import time
from pathlib import Path

import numpy as np

from secondme.config import Paths
from secondme.memory.embed import Embedder
from secondme.memory.service import Memories
from secondme.memory.store import Store
from secondme.memory.types import NewMemory

PEOPLE = """Mia Tom Anna Lukas Sofia Jonas Lea Felix Emma Paul Marie Ben Clara Noah Lina Elias Hannah Leon Ida Max
Greta Oskar Nora Theo Frieda Karl Ella Jan Lotte Moritz Rosa David Alma Simon Mila Henry Jule Anton Zoe Emil
Priya Ravi Aiko Kenji Carmen Diego Fatima Omar Ingrid Sven Olga Ivan Chloe Lucas Amara Kwame Mei Chen Sara Luca""".split()
RELATIONS = "sister brother mother father aunt uncle cousin colleague neighbour friend boss landlord dentist doctor teacher".split()
PLACES = """Berlin Paris Lisbon Madrid Rome Vienna Prague Warsaw Oslo Stockholm Copenhagen Amsterdam Brussels Zurich
Munich Hamburg Leipzig Dresden Cologne London Dublin Edinburgh Barcelona Porto Naples Milan Athens Istanbul Tokyo Kyoto
Seoul Lima Bogota Montreal Toronto Boston Chicago Seattle Austin Denver Nairobi Lagos Cairo Marrakesh Hanoi Bangkok""".split()
FOODS = """ramen sushi lasagna falafel pho tacos curry risotto dumplings pancakes goulash paella bibimbap shakshuka
pad-thai couscous pierogi gnocchi borscht hummus""".split()
HOBBIES = """climbing pottery chess running swimming painting knitting cycling gardening baking photography sailing
yoga birdwatching woodworking guitar piano violin skiing hiking""".split()
PETS = "cat dog rabbit parrot hamster tortoise guinea-pig ferret goldfish".split()
PET_NAMES = "Oscar Luna Pepper Milo Bella Biscuit Nala Simba Mochi Pixel Rusty Ziggy".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()
TOPICS = """the tax return, the lease renewal, the dentist bill, the car insurance, the wedding gift, the flight refund,
the broken boiler, the visa appointment, the gym membership, the phone contract, the quarterly report, the
conference talk, the grant proposal, the job interview, the team offsite, the code review, the garden fence""".split(", ")

TEMPLATES = [
    "My {relation} {person} lives in {place}.",
    "{person} is my {relation}; we talk every {weekday}.",
    "I had {food} with {person} in {place} and it was great.",
    "I started {hobby} in {month} and I go every {weekday}.",
    "{person}'s birthday is on {day} {month}.",
    "Remind me to sort out {topic} before {weekday}.",
    "I don't like {food}, it makes me feel sick.",
    "Our {pet} {petname} needs the vet on {weekday}.",
    "{person} recommended a {hobby} club near {place}.",
    "I moved to {place} in {month} {year}.",
    "Talked to {person} about {topic}; they will call back on {weekday}.",
    "I'm allergic to {food}.",
    "We are planning a trip to {place} in {month} with {person}.",
    "The meeting about {topic} moved to {weekday} at {hour} o'clock.",
    "I felt anxious about {topic} today, {hobby} helped.",
    "{person} lent me a book about {hobby}; return it by {day} {month}.",
    "My favourite food is {food}, especially the one near {place}.",
    "I promised {person} to help with {topic} on {weekday}.",
    "Paid {amount} euros for {topic} on {day} {month}.",
    "{person} got a {pet} called {petname}.",
    "I ran {km} kilometres by the river in {place}.",
    "Note to self: {person} prefers tea over coffee.",
    "I want to learn {hobby} this year.",
    "Dinner with {person} and {person2} at a {food} place on {weekday}.",
    "My {relation} {person} works as a nurse in {place}.",
]


def generate(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts, seen = [], set()
    while len(texts) < n:
        values = {
            "person": rng.choice(PEOPLE), "person2": rng.choice(PEOPLE), "relation": rng.choice(RELATIONS),
            "place": rng.choice(PLACES), "food": rng.choice(FOODS), "hobby": rng.choice(HOBBIES),
            "pet": rng.choice(PETS), "petname": rng.choice(PET_NAMES), "weekday": rng.choice(WEEKDAYS),
            "month": rng.choice(MONTHS), "day": rng.randint(1, 28), "year": rng.randint(2015, 2026),
            "topic": rng.choice(TOPICS), "hour": rng.randint(7, 20), "amount": rng.randint(5, 900),
            "km": rng.randint(2, 30),
        }
        text = rng.choice(TEMPLATES).format(**values)
        if text in seen:
            text = f"{text} ({rng.choice(WEEKDAYS)} note {len(texts)})"
        seen.add(text)
        texts.append(text)
    return texts


def queries(count: int, seed: int = 99) -> list[str]:
    rng = random.Random(seed)
    forms = [
        "where does my {relation} live", "what do I know about {person}", "when is {person}'s birthday",
        "what food do I like", "what am I allergic to", "what did I plan for {topic}", "which {pet} do we have",
        "trip to {place}", "who recommended {hobby}", "what happened in {place}", "what did {person} say about {topic}",
        "when do I go {hobby}", "how much did I pay for {topic}", "what does {person} prefer",
    ]
    result: list[str] = []
    while len(result) < count:
        query = rng.choice(forms).format(
            relation=rng.choice(RELATIONS), person=rng.choice(PEOPLE), topic=rng.choice(TOPICS), pet=rng.choice(PETS),
            place=rng.choice(PLACES), hobby=rng.choice(HOBBIES),
        )
        if query not in result:
            result.append(query)
    return result


def embeddings(texts: list[str], cache_dir: Path, embedder: Embedder) -> np.ndarray:
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    cached = cache_dir / "bench" / f"synthetic-{len(texts)}-{digest}.npy"
    if cached.exists():
        return np.load(cached)
    print(f"embedding {len(texts)} synthetic memories once (cached in {cached.parent})...", file=sys.stderr)
    vectors = embedder.embed(texts)
    cached.parent.mkdir(parents=True, exist_ok=True)
    np.save(cached, vectors)
    return vectors


def build_store(home: Path, cache_dir: Path, n: int, encrypted: bool = True) -> Path:
    """A store of ``n`` synthetic memories at ``home`` (SECONDME_HOME layout); returns its path."""
    where = Paths(config_dir=home, data_dir=home, cache_dir=cache_dir)
    texts = generate(n)
    with Memories.open(where) as memories:
        vectors = embeddings(texts, cache_dir, memories.embedder)
        if not encrypted:
            memories.store.close()
            where.database.unlink()
            Path(str(where.database) + "-wal").unlink(missing_ok=True)
            memories.store = Store.open(where.database, None)
        start = time.time() - n * 3600.0
        items = [NewMemory(text, kind="note", source="user", created_at=start + i * 3600.0) for i, text in enumerate(texts)]
        with memories.store.transaction():
            for offset in range(0, n, 5000):
                memories.store.add(items[offset : offset + 5000], vectors[offset : offset + 5000])
        memories.store.checkpoint()
    return where.database
