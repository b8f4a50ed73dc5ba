"""What reading one `/logcontact` text costs, beside an older checkout on the same texts.

Reading is everything Rapport does with a command's text before the database: the checks every
command passes (`check_command`), the word a partner name starts with (`first_word`) and the
reader (`parse_logcontact`), on a mixed set of English and German texts: written like the
examples of the README and the tests (keywords, quoted names, organisations, notes with Slack's
links, mentions and entities, promises both ways, texts refused), and a command built around
each date expression of the public corpora in tests/corpora/dates (a promise or a contact date,
read on the corpus's reference day). A text refused or answered with a question counts as read:
that is what the reader does with it.

Each checkout is measured in its own process, importing its own code (PYTHONPATH), on the same
texts; the processes take turns, `--rounds` times each, and each reports the cost per text as
the median of its `--repeats` readings. Printed: the median and p99 of that cost over all
texts, and the ratio of this checkout to the baseline (the issue allows at most 2x).

    .venv/bin/python bench/parse.py                          # against commit 4089671
    .venv/bin/python bench/parse.py --baseline /tmp/parse-base   # against a checkout
    .venv/bin/python bench/parse.py --baseline none --texts 50  # this checkout alone

The baseline is a commit (extracted with `git archive` into a temporary folder) or a folder
holding a checkout. The script reads only names every version has, and passes a reader only the
arguments its version takes.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpora" / "dates" / "selected.jsonl"
BASELINE = "4089671"
TODAY = "2027-01-06"  # a Wednesday; the written texts are read on it

# Written texts: what members type, in both languages; some refused, as some are.
WRITTEN = [
    ("en", "Acme call discussed the Q3 roadmap"),
    ("en", "Acme email promise: send the revised quote by next Tuesday"),
    ("en", "Acme check-in: happy with delivery times"),
    ("en", '"Jens Ohlsen" (Nordwind GmbH) meeting yesterday talked about the pilot'),
    ("en", "<@U0KENJI|kenji> video call yesterday 14:30 walked through the deck"),
    ("en", "Acme call they promised: send the signed NDA by Friday"),
    ("en", "Acme email sent <https://nordwind.example/deck|the deck> to "
     "<mailto:jens@nordwind.example|jens@nordwind.example>"),
    ("en", "Globex lunch last Monday gave intro to their CFO promise: follow up in 2 weeks"),
    ("en", "Initech status update on the migration &amp; the &lt;beta&gt; rollout"),
    ("en", "Acme complaint escalated about late shipments promise: call back tomorrow"),
    ("en", "Acme coffee 3 days ago social congrats on the new office"),
    ("en", "Umbrella Corp webinar received leads list promise: share notes by end of the month"),
    ("en", "Acme call promise: send the figures by week 12"),
    ("en", "Acme qbr mutual reviewed KPIs promise: draft the plan by end of Q1"),
    ("en", "Acme phoned on the 3rd asked about pricing"),
    ("en", "Acme call tomorrow"),  # refused: in the future
    ("en", "Acme email promise: send the deck"),  # refused: no due date
    ("en", "call yesterday"),  # refused: no partner
    ("en", "Acme"),
    ("en", "help"),
    ("de", '"Jens Ohlsen" (Nordwind GmbH) Treffen gestern Zusage: Angebot bis Freitag schicken'),
    ("de", "Müller Anruf gestern 14:30 über Preise gesprochen"),
    ("de", '"Müller &amp; Söhne" Telefonat Zusage: Muster bis übermorgen schicken'),
    ("de", "Nordwind Videocall vorgestern Sachstand besprochen Zusage: Protokoll bis Montag"),
    ("de", "Nordwind Besuch letzten Montag Reklamation wegen Lieferverzug"),
    ("de", "Acme E-Mail Präsentation <https://nordwind.example/deck|hier> geschickt, cc <@U0BOB>"),
    ("de", "Acme Anruf Ihre Zusage: Unterlagen bis Ende nächster Woche"),
    ("de", "Acme Kaffee am Montag um 10 Uhr Glückwunsch zum Jubiläum"),
    ("de", "Acme Telefonat Zusage: Rückruf in 3 Werktagen"),
    ("de", "Acme Messe vor 2 Wochen neue Kontakte Zusage: Angebot bis KW 12"),
    ("de", "Acme Jour fixe Zusage: Bericht bis Ende des Quartals"),
    ("de", "Acme Anfrage 20.11. nach Rahmenvertrag"),
    ("de", "Acme Anruf morgen"),  # refused: in the future
    ("de", "Acme Zusage: Angebot schicken"),  # refused: no due date
    ("de", "Telefonat gestern"),  # refused: no partner
    ("de", "hilfe"),
]  # fmt: skip

PARTNERS = ["Acme", "Acme Corp", "Globex", "Initech", "Müller", "Nordwind", "Umbrella Corp"]
NOTES = {
    "en": ("Acme call", "Globex email", "Nordwind meeting"),
    "de": ("Müller Anruf", "Nordwind Treffen", "Acme E-Mail"),
}
MARKERS = {"en": "promise:", "de": "Zusage:"}


def texts(limit: int | None, seed: int) -> list[dict[str, str]]:
    """The texts read, each with the day it is read on: the written ones, and one command
    around each corpus expression (`limit` keeps a random sample of that size, for a quick
    run)."""
    found = [{"lang": lang, "text": text, "today": TODAY} for lang, text in WRITTEN]
    pick = random.Random(seed)
    for line in CORPUS.read_text("utf-8").splitlines():
        case = json.loads(line)
        lead = pick.choice(NOTES[case["lang"]])
        if case["use"] == "promise":
            text = f"{lead} {MARKERS[case['lang']]} {case['text']}"
        else:
            text = f"{lead} {case['text']} {'talked prices' if case['lang'] == 'en' else 'Preise'}"
        found.append({"lang": case["lang"], "text": text, "today": case["reference"]})
    if limit is not None and limit < len(found):
        found = pick.sample(found, limit)
    return found


# --- one checkout, in its own process -----------------------------------------------------------


def reader() -> Callable[[str, date], object]:
    """Read a text the way this process's checkout does, whatever its version takes."""
    from bot.parsing import contact_text

    parse = contact_text.parse_logcontact
    accepted = set(inspect.signature(parse).parameters)
    expected: tuple[type[BaseException], ...] = (contact_text.ParseProblem,)
    try:
        from bot.parsing.questions import NeedsAnswer

        expected = (*expected, NeedsAnswer)
    except ImportError:
        pass  # a version that never asks
    check = getattr(contact_text, "check_command", None)
    first_word = getattr(contact_text, "first_word", None)

    def read(text: str, today: date) -> object:
        options: dict[str, Any] = {"today": today}
        try:
            if check is not None:
                check(text)
            if first_word is not None:
                first_word(text)
            if "partner_names" in accepted:
                options["partner_names"] = PARTNERS
            if "answers" in accepted:
                options["answers"] = {}
            return parse(text, **options)
        except expected as outcome:
            return outcome

    return read


def measure(cases: list[dict[str, str]], repeats: int) -> dict[str, Any]:
    """The median cost of each text over `repeats` readings, in microseconds."""
    read = reader()
    days = [date.fromisoformat(case["today"]) for case in cases]
    for case, day in zip(cases, days, strict=True):
        read(case["text"], day)  # warm up: imports, caches, compiled patterns
    samples: list[list[float]] = [[] for _ in cases]
    clock = time.perf_counter_ns
    for _ in range(repeats):
        for index, (case, day) in enumerate(zip(cases, days, strict=True)):
            started = clock()
            read(case["text"], day)
            samples[index].append((clock() - started) / 1000)
    import bot

    return {
        "code": str(Path(bot.__file__).resolve().parents[1]),
        "costs": [statistics.median(s) for s in samples],
    }


# --- side by side -------------------------------------------------------------------------------


def summary(costs: list[float]) -> dict[str, float]:
    ordered = sorted(costs)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p99": p99, "total_ms": sum(ordered) / 1000}


def run_checkout(code: Path, cases_file: Path, repeats: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(cases_file), "--repeats", str(repeats)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=code,
    )
    if done.returncode != 0:
        raise SystemExit(f"measuring {code} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if Path(result["code"]) != code.resolve():
        raise SystemExit(f"measured {result['code']}, not {code}: check PYTHONPATH")
    return result


@contextmanager
def checkout(baseline: str) -> Iterator[Path]:
    """The baseline's code: a folder as given, or a commit extracted into a temporary one."""
    if Path(baseline).is_dir():
        yield Path(baseline).resolve()
        return
    with tempfile.TemporaryDirectory(prefix="rapport-parse-base-") as folder:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", baseline], capture_output=True, check=False
        )
        if archive.returncode != 0:
            raise SystemExit(f"git archive {baseline} failed: {archive.stderr.decode()[-500:]}")
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        yield Path(folder)


def compare(args: argparse.Namespace) -> dict[str, Any]:
    cases = texts(args.texts, args.seed)
    langs = {lang: sum(case["lang"] == lang for case in cases) for lang in ("en", "de")}
    with tempfile.TemporaryDirectory(prefix="rapport-parse-") as folder:
        cases_file = Path(folder) / "texts.json"
        cases_file.write_text(json.dumps(cases), "utf-8")
        sides = {"this": ROOT}
        with checkout(args.baseline) if args.baseline != "none" else _nothing() as base:
            if base is not None:
                sides = {"baseline": base, "this": ROOT}
            runs: dict[str, list[dict[str, float]]] = {side: [] for side in sides}
            for _ in range(args.rounds):
                for side, code in sides.items():  # in turns, so drift hits both alike
                    costs = run_checkout(code, cases_file, args.repeats)["costs"]
                    runs[side].append(summary(costs))
    figures: dict[str, Any] = {"texts": len(cases), "languages": langs, "sides": {}}
    for side, summaries in runs.items():
        figures["sides"][side] = {
            key: statistics.median(s[key] for s in summaries) for key in summaries[0]
        }
    if "baseline" in figures["sides"]:
        base, this = figures["sides"]["baseline"], figures["sides"]["this"]
        figures["ratio"] = {key: this[key] / base[key] for key in ("median", "p99", "total_ms")}
    figures["baseline"] = args.baseline
    return figures


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def show(figures: dict[str, Any]) -> None:
    langs = figures["languages"]
    print(
        f"cost of reading one /logcontact text: {figures['texts']} texts "
        f"({langs['en']} English, {langs['de']} German), median of rounds"
    )
    print(f"{'':22} {'median µs':>10} {'p99 µs':>10} {'all texts ms':>13}")
    names = {"baseline": f"baseline {figures['baseline']}", "this": "this checkout"}
    for side, row in figures["sides"].items():
        print(f"{names[side]:22} {row['median']:10.1f} {row['p99']:10.1f} {row['total_ms']:13.1f}")
    if "ratio" in figures:
        ratio = figures["ratio"]
        print(
            f"{'ratio this/baseline':22} {ratio['median']:10.2f} {ratio['p99']:10.2f} "
            f"{ratio['total_ms']:13.2f}   (allowed: 2.00)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline", default=BASELINE, help="commit or checkout folder to compare with; none"
    )
    parser.add_argument("--texts", type=int, help="read a random sample of this many texts")
    parser.add_argument("--repeats", type=int, default=7, help="readings of each text per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each checkout, in turns")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        cases = json.loads(args.measure.read_text("utf-8"))
        print(json.dumps(measure(cases, args.repeats)))
        return
    figures = compare(args)
    show(figures)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
