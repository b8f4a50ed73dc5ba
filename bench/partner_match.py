"""How long "did you mean" takes in a workspace with 50,000 partners.

Seeds one workspace with PARTNERS generated names (surnames, given names, company words and
legal forms, German and English, deterministic), their keys and their trigram rows, migrated to
the head revision; then times the look-ups `/logcontact` makes for a name it does not know:
`partners_named` (exact key) and `similar_partners` (trigram candidates from the database,
ranked with rapidfuzz), for typed names of four kinds: a slip of a known name (a letter left
out, doubled, swapped or replaced, the first one included), a known name without its umlauts,
the first word of a known multi-word name, a known person's surname alone and after "Herr",
and a name no partner has. Prints median and p99 per kind and overall, in milliseconds, and
how often the meant partner was among the answers (for a surname: a partner of that surname,
as many share one; the companies beginning with it may fill the answers first).

    .venv/bin/python bench/partner_match.py                        # SQLite and PostgreSQL
    .venv/bin/python bench/partner_match.py --backend sqlite --partners 2000 --lookups 50
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.backends import migrated_database, percentile  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Partner, PartnerTrigram, Workspace  # noqa: E402
from storage.queries.partners import partners_named, similar_partners  # noqa: E402
from storage.vocabulary import name_key, name_trigrams  # noqa: E402

SURNAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Campbell",
    "Mitchell",
    "Roberts",
    "Carter",
    "Phillips",
    "Evans",
    "Turner",
    "Torres",
    "Parker",
    "Collins",
    "Edwards",
    "Stewart",
    "Morris",
    "Murphy",
    "Øster",
    "Dvořák",
    "Çelik",
    "Yılmaz",
    "Nowak",
    "Kowalski",
    "Novák",
    "Horváth",
    "Nagy",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
]
GIVEN = [
    "Anna",
    "Jens",
    "Lena",
    "Jonas",
    "Paul",
    "Marie",
    "Lukas",
    "Sophie",
    "Felix",
    "Laura",
    "Max",
    "Julia",
    "Tim",
    "Lea",
    "Ben",
    "Emma",
    "Noah",
    "Mia",
    "Leon",
    "Hanna",
    "Elias",
    "Clara",
    "Finn",
    "Ida",
    "Oskar",
    "Greta",
    "Alice",
    "Bob",
    "Carol",
    "Dave",
    "Erin",
    "Frank",
    "Grace",
    "Heidi",
    "Ivan",
    "Judy",
    "Mallory",
    "Niaj",
    "Olivia",
    "Peggy",
    "Rupert",
    "Sybil",
    "Trent",
    "Victor",
    "Walter",
    "İlker",
    "Zoë",
    "Søren",
]
COMPANY = [
    "Logistik",
    "Bau",
    "Technik",
    "Consulting",
    "Systems",
    "Software",
    "Handel",
    "Maschinenbau",
    "Solutions",
    "Partners",
    "Digital",
    "Energie",
    "Medien",
    "Werkzeuge",
    "Transport",
    "Versicherung",
    "Immobilien",
    "Analytics",
    "Robotics",
    "Pharma",
    "Foods",
    "Textil",
    "Druck",
    "Elektro",
    "Automotive",
    "Nord",
    "Süd",
    "Ost",
    "West",
    "Rhein",
    "Alpen",
    "Hansa",
]
FORMS = ("GmbH", "AG", "KG", "SE", "Ltd", "Inc", "LLC", "GmbH & Co. KG", "")


def generated_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct names: people ("Anna Müller"), companies ("Schmidt Logistik GmbH") and a
    made-up word or two, so that a workspace looks like one, with many names alike."""
    names: set[str] = set()
    keys: set[str] = set()
    while len(names) < count:
        shape = rng.random()
        if shape < 0.45:
            name = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
        elif shape < 0.85:
            name = f"{rng.choice(SURNAMES)} {rng.choice(COMPANY)} {rng.choice(FORMS)}".strip()
        else:
            name = made_up(rng) + (f" {rng.choice(COMPANY)}" if rng.random() < 0.5 else "")
        if rng.random() < 0.3:
            name += f" {rng.randint(2, 99)}"
        key = name_key(name)
        if key not in keys:
            names.add(name)
            keys.add(key)
    return sorted(names)


def made_up(rng: random.Random) -> str:
    syllables = [
        "ka",
        "lo",
        "mi",
        "ne",
        "ru",
        "sa",
        "to",
        "vi",
        "ber",
        "dor",
        "fal",
        "gen",
        "hal",
        "mar",
        "ter",
        "wun",
        "zel",
        "sch",
        "ström",
    ]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()


def seed(db: Database, names: list[str]) -> int:
    """One workspace with these partners, keys and trigrams; its id."""
    now = datetime(2026, 11, 29, tzinfo=UTC)
    with db.transaction() as session:
        workspace = Workspace(team_id="T0BENCH", created_at=now)
        session.add(workspace)
        session.flush()
        workspace_id = workspace.id
        for at in range(0, len(names), 2000):
            chunk = names[at : at + 2000]
            rows = [
                {
                    "workspace_id": workspace_id,
                    "name": name,
                    "name_key": name_key(name),
                    "organisation_key": "",
                    "created_at": now,
                    "cadence_days": 90,
                    "status": "active",
                    "key_collision": False,
                }
                for name in chunk
            ]
            ids = session.scalars(sa.insert(Partner).returning(Partner.id), rows).all()
            trigrams = [
                {"partner_id": p, "workspace_id": workspace_id, "trigram": t, "weight": weight}
                for p, row in zip(ids, rows, strict=True)
                for t, weight in name_trigrams(row["name_key"]).items()
            ]
            session.execute(sa.insert(PartnerTrigram), trigrams)
    if db.backend == "postgresql":
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    else:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    return workspace_id


def slip(word: str, rng: random.Random) -> str:
    """One typing slip: a letter left out, doubled, swapped with the next or replaced."""
    at = rng.randrange(len(word))
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop" and len(word) > 3:
        return word[:at] + word[at + 1 :]
    if kind == "double":
        return word[: at + 1] + word[at:]
    if kind == "swap" and at < len(word) - 1:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + rng.choice("aeiourstnl") + word[at + 1 :]


def typed_names(names: list[str], count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, typed, meant name or "") for `count` look-ups of each kind."""
    with_umlaut = [n for n in names if any(c in n for c in "äöüÄÖÜ")]
    keys = {name_key(n) for n in names}
    # Multi-word names whose first word is no partner's whole name (that one would be meant).
    multi = [n for n in names if len(n.split()) > 1 and name_key(n.split()[0]) not in keys]
    # People: a given name and a surname, no number after them.
    people = [n for n in names if len(n.split()) == 2 and n.split()[0] in GIVEN]
    cases = []
    for _ in range(count):
        meant = rng.choice(names)
        cases.append(("slip", slip(meant, rng), meant))
        meant = rng.choice(with_umlaut)
        plain = meant.translate(str.maketrans("äöüÄÖÜ", "aouAOU"))
        cases.append(("no umlaut", plain, meant))
        meant = rng.choice(multi)
        cases.append(("first word", meant.split()[0], meant))
        meant = rng.choice(people)
        cases.append(("surname", meant.split()[1], meant))
        meant = rng.choice(people)
        cases.append(("herr surname", f"Herr {meant.split()[1]}", meant))
        cases.append(("unknown", made_up(rng) + "x" + made_up(rng), ""))
    return cases


def measure(db: Database, workspace_id: int, cases: list[tuple[str, str, str]]) -> dict[str, Any]:
    timings: dict[str, list[float]] = {}
    found: dict[str, int] = {}
    with db.reading() as session:
        for kind, typed, meant in cases:
            started = time.perf_counter()
            exact = partners_named(session, workspace_id, typed)
            near = [] if exact else similar_partners(session, workspace_id, typed)
            elapsed = (time.perf_counter() - started) * 1000
            timings.setdefault(kind, []).append(elapsed)
            hit = any(p.name == meant for p in exact + near) or _alike(kind, typed, near)
            found[kind] = found.get(kind, 0) + (1 if hit and meant else 0)
    return {"timings": timings, "found": found}


def _alike(kind: str, typed: str, near: list[Partner]) -> bool:
    """Whether a partner as good as the meant one was offered: one beginning with the typed first
    word, or one of the typed surname (many share it)."""
    key = name_key(typed)
    if kind == "first word":
        return any(p.name_key.startswith(key) for p in near)
    if kind in ("surname", "herr surname"):
        return any(p.name_key.split()[-1] == key.split()[-1] for p in near)
    return False


def report(backend: str, partners: int, result: dict[str, Any]) -> None:
    timings, found = result["timings"], result["found"]
    print(f"\n{backend}, one workspace with {partners:,} partners (milliseconds per look-up):")
    print(f"  {'typed name':<12} {'look-ups':>8} {'median':>8} {'p99':>8}  meant partner offered")
    every: list[float] = []
    for kind, values in timings.items():
        every += values
        offered = f"{found.get(kind, 0)}/{len(values)}" if kind != "unknown" else "-"
        print(
            f"  {kind:<12} {len(values):>8} {statistics.median(values):>8.2f} "
            f"{percentile(values, 0.99):>8.2f}  {offered}"
        )
    print(
        f"  {'all':<12} {len(every):>8} {statistics.median(every):>8.2f} "
        f"{percentile(every, 0.99):>8.2f}"
    )


def run(backend: str, args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    names = generated_names(args.partners, rng)
    cases = typed_names(names, args.lookups, rng)
    with migrated_database(backend, "bench_partner_match") as db:
        if db is None:
            return
        started = time.perf_counter()
        workspace_id = seed(db, names)
        print(f"{backend}: seeded {len(names):,} partners in {time.perf_counter() - started:.1f} s")
        measure(db, workspace_id, cases[:20])  # warm the caches
        report(backend, len(names), measure(db, workspace_id, cases))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--partners", type=int, default=50_000)
    parser.add_argument("--lookups", type=int, default=250, help="look-ups of each kind")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args)


if __name__ == "__main__":
    main()
