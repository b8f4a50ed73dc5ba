"""How long `/rapport partners` takes for a member who looks after 5,000 partners, in a workspace
of 200,000 contacts.

Seeds one workspace, migrated to the head revision: MEMBERS colleagues, the first of whom owns
MINE partners, the others the rest of PARTNERS; CONTACTS contacts spread over all partners
(some of them check-ins, logged by the owner or a colleague, over the past year) and PROMISES
open promises both ways, some overdue, with the nudges sent about ours in the outbox (up to
three overdue reminders each, which the rows' health counts). Then times what the server does
for each request, from the command text to the JSON of the reply
(`PartnerLists.answer_command` and `.page`, the transaction, the queries and the blocks;
Slack's HTTP round trip is not included):
`/rapport partners` (the first page), the Next button that leads to its last page, `/rapport
partners all`, a search, `/rapport promises`, and the card of the asker's first partner, which has
HEAVY contacts of its own (`/rapport partner NAME`), with the Older contacts button that leads to
its last page (`PartnerCards.page`). Prints median and p99 in milliseconds per
request, and the process's peak RSS.

    .venv/bin/python bench/partner_lists.py                            # SQLite and PostgreSQL
    .venv/bin/python bench/partner_lists.py --backend sqlite --mine 200 --contacts 5000
    .venv/bin/python bench/partner_lists.py --contacts 2000000          # the planner's history

Contacts are inserted in bulk, then each partner's kept contact times brought up to date
(`refresh_contact_times`) as the use cases that log them would have.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.backends import migrated_database, peak_rss_mb, percentile  # noqa: E402
from bot.blocks.partner_card import CONTACTS_PER_PAGE  # noqa: E402
from bot.blocks.partner_lists import PAGE_SIZE  # noqa: E402
from bot.rules.clock import ManualClock  # noqa: E402
from bot.usecases.partners.lists import PartnerLists  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Interaction, Member, Nudge, Partner, Promise, Workspace  # noqa: E402
from storage.queries.health.contact_times import refresh_contact_times  # noqa: E402
from storage.vocabulary import name_key  # noqa: E402

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
TEAM = "T0BENCH"
ASKER = "U0BENCH000"
WORDS = ["Müller", "Schmidt", "Nordwind", "Acme", "Globex", "Initech", "Weber", "Hansa", "Roth"]
FORMS = ["GmbH", "AG", "Ltd", "Inc", ""]
BATCH = 5000


def seed(db: Database, args: argparse.Namespace, rng: random.Random) -> None:
    """The workspace: members, partners (the asker's first), contacts and open promises."""
    with db.transaction() as session:
        workspace = Workspace(team_id=TEAM, created_at=NOW)
        session.add(workspace)
        session.flush()
        ws = workspace.id
        member_rows = [
            {
                "workspace_id": ws,
                "slack_user_id": f"U0BENCH{i:03d}",
                "name": f"member {i}",
                "tz": "Europe/Berlin",
                "locale": "en-US",
                "refreshed_at": NOW,
            }
            for i in range(args.members)
        ]
        members = list(session.scalars(sa.insert(Member).returning(Member.id), member_rows))
        partners: list[int] = []
        for at in range(0, args.partners, BATCH):
            rows = []
            for i in range(at, min(args.partners, at + BATCH)):
                name = f"{rng.choice(WORDS)} {i:06d}"
                organisation = f"{rng.choice(WORDS)} {rng.choice(FORMS)}".strip()
                owner = members[0] if i < args.mine else members[1 + i % (len(members) - 1)]
                rows.append(
                    {
                        "workspace_id": ws,
                        "name": name,
                        "name_key": name_key(name),
                        "organisation": organisation,
                        "organisation_key": name_key(organisation),
                        "email": f"contact{i}@{organisation.split()[0].lower()}.example",
                        "owner_id": owner,
                        "created_at": NOW,
                        "cadence_days": rng.choice((30, 60, 90)),
                        "status": "active",
                        "key_collision": False,
                    }
                )
            partners += session.scalars(sa.insert(Partner).returning(Partner.id), rows)
        for at in range(0, args.contacts, BATCH):
            rows = [
                {
                    "workspace_id": ws,
                    "partner_id": rng.choice(partners),
                    "member_id": rng.choice(members),
                    "occurred_at": NOW - timedelta(minutes=rng.randrange(365 * 24 * 60)),
                    "kind": "check-in" if rng.random() < 0.3 else "contact",
                    "direction": "mutual",
                    "note": "",
                    "source": "command",
                    "created_at": NOW,
                }
                for _ in range(at, min(args.contacts, at + BATCH))
            ]
            session.execute(sa.insert(Interaction), rows)
        heavy = [
            {
                "workspace_id": ws,
                "partner_id": partners[0],
                "member_id": rng.choice(members),
                "occurred_at": NOW - timedelta(minutes=rng.randrange(365 * 24 * 60)),
                "kind": "contact",
                "direction": "mutual",
                "note": "talked about the figures " * 8,
                "source": "command",
                "created_at": NOW,
            }
            for _ in range(args.heavy)
        ]
        if heavy:
            session.execute(sa.insert(Interaction), heavy)
        # Contacts inserted in bulk, past the use cases that keep each partner's contact times
        # in its row: brought up to date as those would have (what lists and cards read).
        refresh_contact_times(session, partners)
        rows = [
            {
                "workspace_id": ws,
                "partner_id": partners[p] if i % 3 else partners[p % args.mine],
                "member_id": members[0] if i % 3 == 0 else rng.choice(members),
                "text": "send the figures",
                "due_on": date(2026, 11, 29) + timedelta(days=rng.randrange(-30, 60)),
                "status": "open",
                "promised_by": "partner" if i % 2 else "us",
                "created_at": NOW,
            }
            for i in range(args.promises)
            for p in [rng.randrange(len(partners))]
        ]
        for at in range(0, len(rows), BATCH):
            session.execute(sa.insert(Promise), rows[at : at + BATCH])
        nudges = outbox_rows(session, ws, NOW.date())
        for at in range(0, len(nudges), BATCH):
            session.execute(sa.insert(Nudge), nudges[at : at + BATCH])
    with db.engine.connect() as connection:
        if db.backend == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        else:
            connection.exec_driver_sql("ANALYZE")


def outbox_rows(session: Session, ws: int, today: date) -> list[dict[str, object]]:
    """The nudges the planner would have sent about our promises by `today`: a heads-up and
    one on the day (their episode begins on the due day), then an overdue one a week apart
    from the day after (the overdue episode), at most three; what a row's health reads
    (`storage.queries.partner_lists._past_reminder_clauses`) counts the last."""
    ours = session.execute(
        sa.select(Promise.id, Promise.member_id, Promise.due_on).where(
            Promise.workspace_id == ws, Promise.promised_by == "us"
        )
    ).all()
    rows: list[dict[str, object]] = []
    for promise_id, member_id, due_on in ours:
        periods = [(due_on, due_on - timedelta(days=1)), (due_on, due_on)]
        periods += [
            (due_on + timedelta(days=1), due_on + timedelta(days=1 + 7 * n)) for n in range(3)
        ]
        rows += [
            {
                "workspace_id": ws,
                "member_id": member_id,
                "kind": "promise",
                "subject_id": promise_id,
                "due_on": episode,
                "period": period,
                "state": "sent",
                "created_at": NOW,
            }
            for episode, period in periods
            if period <= today
        ]
    return rows


def timed(request: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call of `request`, which builds the reply's JSON as the server does."""
    for _ in range(5):  # warm the caches
        request()
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        request()
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def requests(
    lists: PartnerLists, mine: int, card_partner: tuple[int, str], heavy: int
) -> dict[str, Callable[[], object]]:
    """What is timed: each returns the reply's body, as the ack or response_url post sends it."""
    # The last page: the deepest OFFSET a Next button leads to.
    deep = max(0, (mine - 1) // PAGE_SIZE * PAGE_SIZE)

    def command(text: str) -> Callable[[], object]:
        def answer() -> object:
            answered = lists.answer_command(TEAM, ASKER, text, {})
            assert answered is not None, "the asker is cached"
            return json.dumps(answered.reply.body())

        return answer

    def page() -> object:
        return json.dumps(lists.page(TEAM, ASKER, f"mine:{deep}").body())

    partner_id, partner_name = card_partner
    last_contacts = max(0, (heavy - 1) // CONTACTS_PER_PAGE)

    def older() -> object:
        return json.dumps(lists.cards.page(TEAM, ASKER, f"{partner_id}:{last_contacts}").body())

    return {
        f"partner card ({heavy:,}+ contacts)": command(f'partner "{partner_name}"'),
        "Older contacts, last page": older,
        "partners (first page)": command("partners"),
        f"Next page (rows {deep + 1:,}-)": page,
        "partners all": command("partners all"),
        "partners search mueller": command("partners search mueller"),
        "promises": command("promises"),
    }


def run(backend: str, args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    with migrated_database(backend, "bench_partner_lists") as db:
        if db is None:
            return
        started = time.perf_counter()
        seed(db, args, rng)
        print(
            f"\n{backend}: seeded {args.partners:,} partners ({args.mine:,} the asker's), "
            f"{args.contacts:,} contacts and {args.promises:,} open promises "
            f"in {time.perf_counter() - started:.1f} s"
        )
        lists = PartnerLists(db, ManualClock(NOW))
        with db.transaction() as session:
            first = session.execute(
                sa.select(Partner.id, Partner.name).order_by(Partner.id).limit(1)
            ).one()
        print(f"  {'request':<34} {'runs':>6} {'median ms':>10} {'p99 ms':>8}")
        for name, request in requests(lists, args.mine, tuple(first), args.heavy).items():
            spent = timed(request, args.runs)
            print(
                f"  {name:<34} {len(spent):>6} {statistics.median(spent):>10.2f} "
                f"{percentile(spent, 0.99):>8.2f}"
            )
        print(f"  peak RSS of this process: {peak_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--mine", type=int, default=5_000, help="partners the asker owns")
    parser.add_argument("--partners", type=int, default=20_000, help="in the workspace")
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--promises", type=int, default=10_000)
    parser.add_argument(
        "--heavy", type=int, default=2_000, help="extra contacts on the carded partner"
    )
    parser.add_argument("--runs", type=int, default=200, help="timed requests of each kind")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    args.partners = max(args.partners, args.mine + args.members)
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args)


if __name__ == "__main__":
    main()
