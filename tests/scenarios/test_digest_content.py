"""A team digest's content and its menus, over signed HTTP to the running app, on SQLite and
PostgreSQL, in English and German.

A digest is posted here as the channel outbox posts one: a `digests` row for the period, the
message rendered by `render_digest` and posted with `chat.postMessage` to the stand-in (with
the digest's metadata), the row then `sent` with its `ts` and `shown`. The presses then go to
the app as Slack sends them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from babel.dates import format_skeleton
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from sqlalchemy import delete, event, func, select, update

from bot.blocks.digest.message import (
    ACTION_DIGEST_MENU,
    CLAIM,
    LOG,
    TAKE_OVER,
    menu_value,
)
from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from bot.texts.reader import text
from bot.usecases.digests.content import render_digest, shown_from_json, shown_to_json
from scheduler.jobs import Jobs
from storage.models import (
    Digest,
    DigestSubscription,
    Interaction,
    Member,
    Partner,
    PartnerClaim,
    Workspace,
)
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.members import find_member, workspace_for
from storage.queries.partners import add_partner
from tests.scenarios.test_health_everywhere import row_of
from tests.scenarios.test_rapport_command import shown
from tests.security.guests import Guest, cached_guest
from tests.support.app import RunningRapport, known
from tests.support.blocks import state_from, texts
from tests.support.nudges import at_berlin, jobs_for, travel
from tests.support.rows import all_of
from tests.support.world import NOW, TEAM

ALICE, JONAS, BOB, CAROL = "U0ALICE", "U0JONAS", "U0BOB", "U0CAROL"
CHANNEL = "C0TEAM"
MEMBERS = [ALICE, JONAS, BOB]  # the channel's members (the stand-in's C0TEAM)
CADENCE = 90


@pytest.fixture
def jobs(rapport: RunningRapport, clock: ManualClock, slack: SlackStandIn) -> Jobs:
    return jobs_for(rapport, clock, slack)


def logged(rapport: RunningRapport, line: str, user: str = ALICE) -> None:
    reply = rapport.command(line, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def subscribe(rapport: RunningRapport, language: str = "en") -> int:
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, TEAM, NOW)
        subscriber = find_member(session, workspace.id, ALICE)
        assert subscriber is not None
        subscription = DigestSubscription(
            workspace_id=workspace.id,
            channel_id=CHANNEL,
            subscriber_id=subscriber.id,
            every_weeks=1,
            weekday=1,
            minute=9 * 60,
            tz="Europe/Berlin",
            language=language,
            quiet="line",
            anchor_on=date(2026, 11, 23),
            state="active",
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(subscription)
        session.flush()
        return subscription.id


def post(rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock, sub: int) -> Digest:
    """Post the subscription's digest for today as the outbox would; the row as stored."""
    now = clock.now()
    client = WebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[])
    with rapport.db.transaction() as session:
        subscription = session.get(DigestSubscription, sub)
        assert subscription is not None
        # The planner may have written this period's row already (a test that moved the clock
        # through the jobs): it is the one posted here, as the dispatcher would.
        digest = session.scalars(
            select(Digest).where(Digest.subscription_id == sub, Digest.period == now.date())
        ).first() or Digest(
            id=str(uuid4()),
            workspace_id=subscription.workspace_id,
            subscription_id=sub,
            period=now.date(),
            channel_id=CHANNEL,
            created_at=now,
        )
        digest.state, digest.attempts = "sending", 1
        session.add(digest)
        session.flush()
        message = render_digest(session, subscription, MEMBERS, now, digest_id=digest.id)
        posted = client.chat_postMessage(
            channel=CHANNEL,
            text=message.reply.text,
            blocks=[b.to_dict() for b in message.reply.blocks],
            metadata={"event_type": "rapport_digest", "event_payload": {"digest": digest.id}},
        )
        digest.ts, digest.state, digest.shown = posted["ts"], "sent", shown_to_json(message)
        session.flush()
        session.expunge(digest)
        return digest


def in_channel(slack: SlackStandIn, digest: Digest) -> dict[str, Any]:
    [message] = [m for m in slack.messages(CHANNEL) if m["ts"] == digest.ts]
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        Block.parse(block).validate_json()
    return message


def rows_of(message: dict[str, Any]) -> list[str]:
    """The partners' first lines (name, health) in order."""
    return [
        b["text"]["text"].split("\n")[0]
        for b in message["blocks"]
        if b["type"] == "section" and "accessory" in b
    ]


def press(
    rapport: RunningRapport,
    digest: Digest,
    choice: str,
    partner_id: int,
    user: str = ALICE,
    value: str | None = None,
) -> dict[str, Any]:
    """Choose an option of a partner's menu on the posted digest; the presser's answer."""
    option = {
        "text": {"type": "plain_text", "text": choice},
        "value": value or menu_value(choice, digest.id, partner_id),
    }
    exchange = rapport.click(
        ACTION_DIGEST_MENU,
        None,
        user=user,
        selected_option=option,
        channel=CHANNEL,
        message_ts=digest.ts,
        is_ephemeral=False,
    )
    return exchange.later() if choice != LOG or value else exchange.ack


def short_day(clock: ManualClock, days: int) -> str:
    """A day `days` ahead as a digest's claim line says it ("Mon, Dec 7")."""
    day = (clock.now() + timedelta(days=days)).astimezone(NOW.tzinfo).date()
    return format_skeleton("MMMEd", day, locale="en")


def partner_id(rapport: RunningRapport, name: str) -> int:
    return next(p.id for p in all_of(rapport.db, Partner) if p.name == name)


def claims(rapport: RunningRapport) -> list[tuple[int, str, Any]]:
    with rapport.db.reading() as session:
        rows = session.execute(
            select(PartnerClaim.partner_id, Member.slack_user_id, PartnerClaim.until).join(
                Member, Member.id == PartnerClaim.member_id
            )
        ).all()
    return [tuple(r) for r in rows]


def neglected_world(rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock) -> None:
    """Alice's Acme and Jonas's Globex neglected; Bob's Hooli fine; Carol (not in the channel)
    has Initech neglected; Dora left, her Umbrella unowned; another workspace's neglected
    Acme. Then a cadence and a day pass, Hooli is contacted."""
    slack.add_user(CAROL, name="carol", real_name="Carol Lenz", tz="Europe/Berlin")
    slack.add_user("U0DORA", name="dora", real_name="Dora Falk", tz="Europe/Berlin")
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Globex Anruf Auftakt", user=JONAS)
    logged(rapport, "Hooli call kickoff", user=BOB)
    logged(rapport, "Initech call kickoff", user=CAROL)
    logged(rapport, "Umbrella call kickoff", user="U0DORA")
    with rapport.db.transaction() as session:
        session.execute(update(Member).where(Member.slack_user_id == "U0DORA").values(active=False))
        other = Workspace(team_id="T0OTHER", created_at=NOW)
        session.add(other)
        session.flush()
        add_partner(session, other.id, name="Acme", organisation="Other", owner_id=None, now=NOW)
    clock.advance(timedelta(days=CADENCE + 1))
    logged(rapport, "Hooli check-in follow-up", user=BOB)


@pytest.fixture
def team_digest(rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock) -> Digest:
    """The digest of the channel's partners in `neglected_world`, posted."""
    neglected_world(rapport, slack, clock)
    return post(rapport, slack, clock, subscribe(rapport))


def test_a_digest_lists_exactly_the_neglected_partners_of_the_channels_members(
    rapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    digest = team_digest
    message = in_channel(slack, digest)
    assert rows_of(message) == [
        "*Acme* · :red_circle: neglected and check-in overdue",
        "*Globex* · :red_circle: neglected and check-in overdue",
        "*Umbrella* · :red_circle: unowned, neglected, and check-in overdue",
    ]
    shown = texts(message)
    # Owners by name, never mentioned; who last spoke to them by name too.
    assert "*Alice Berger*" in shown and "*Jonas Weber*" in shown
    assert "*Nobody looks after these*" in shown
    # Under Alice's own heading, her own contact is not said to be hers again.
    assert "last contact 91 days ago · " in shown
    assert "last contact 91 days ago by Dora Falk" in shown
    assert "<@" not in shown
    assert message["text"] == "Partners who need attention: 3 partners, 2 owners"
    assert message["metadata"]["event_payload"] == {"digest": digest.id}
    stored = shown_from_json(digest.shown)
    assert stored is not None and stored.more == 0
    assert stored.partner_ids == [partner_id(rapport, n) for n in ("Acme", "Globex", "Umbrella")]


def test_an_overdue_promise_past_its_reminders_is_in_the_digest_in_german(
    rapport, slack: SlackStandIn, clock: ManualClock, jobs: Jobs
) -> None:
    logged(rapport, "Acme email promise: send the revised quote by Friday")  # 27 November
    logged(rapport, "Globex email promise: send the deck by 2026-12-30")
    travel(clock, jobs, at_berlin(2026, 12, 10, 17, 0))  # two reminders sent: not yet
    sub = subscribe(rapport, language="de")
    first = post(rapport, slack, clock, sub)
    assert rows_of(in_channel(slack, first)) == []
    assert in_channel(slack, first)["text"] == "Alle Partner sind gut betreut"

    travel(clock, jobs, at_berlin(2026, 12, 14, 17, 0))  # the third reminder went out today
    digest = post(rapport, slack, clock, sub)
    message = in_channel(slack, digest)
    assert rows_of(message) == ["*Acme* · :red_circle: Zusagen überfällig trotz Erinnerungen"]
    assert "wir haben 1 zugesagt (1 überfällig :warning:)" in texts(message)
    assert "letzter Kontakt vor 19 Tagen · " in texts(message)


def test_ill_reach_out_claims_the_partner_and_redraws_the_digest_for_everyone(
    rapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    digest = team_digest
    acme = partner_id(rapport, "Acme")

    answer = press(rapport, digest, CLAIM, acme, user=BOB)
    assert texts(answer).startswith(
        ":raising_hand: For the next 14 days you get *Acme*'s check-in nudges instead of "
        "Alice Berger"
    )
    assert answer.get("replace_original") is not True
    [(claimed, by, until)] = claims(rapport)
    assert (claimed, by) == (acme, BOB)
    assert until.astimezone(NOW.tzinfo) == clock.now() + timedelta(days=14)
    message = in_channel(slack, digest)
    assert f":raising_hand: @Bob Miller is on it until {short_day(clock, 14)}" in texts(message)
    assert message["metadata"]["event_payload"] == {"digest": digest.id}
    assert len(rows_of(message)) == 3

    # Someone else pressing it now is told who has it; nothing changes.
    again = press(rapport, digest, CLAIM, acme, user=JONAS)
    assert "@Bob Miller kümmert sich schon bis" in texts(again)
    assert "<@" not in texts(again)
    assert [c[:2] for c in claims(rapport)] == [(acme, BOB)]
    # The owner, while Bob's claim lives, is told who is on it until when; no claim.
    own = press(rapport, digest, CLAIM, acme, user=ALICE)
    assert f"@Bob Miller is already on *Acme* until {long_day(clock, 14)}" in texts(own)
    assert [c[:2] for c in claims(rapport)] == [(acme, BOB)]
    # Bob pressing again renews his own claim from now.
    clock.advance(timedelta(days=3))
    press(rapport, digest, CLAIM, acme, user=BOB)
    [(_, _, renewed)] = claims(rapport)
    assert renewed.astimezone(NOW.tzinfo) == clock.now() + timedelta(days=14)
    assert f"@Bob Miller is on it until {short_day(clock, 14)}" in texts(in_channel(slack, digest))

    # In German: Jonas's own Globex is his already; the unowned Umbrella he claims.
    globex, umbrella = partner_id(rapport, "Globex"), partner_id(rapport, "Umbrella")
    assert "*Globex* ist dein eigener Partner" in texts(
        press(rapport, digest, CLAIM, globex, JONAS)
    )
    claimed = texts(press(rapport, digest, CLAIM, umbrella, JONAS))
    assert claimed.startswith(
        ":raising_hand: Die nächsten 14 Tage bekommst du die Check-in-Erinnerungen zu *Umbrella*;"
    )
    assert "mit *Übernehmen* wird der Partner dauerhaft deiner" in claimed
    assert sorted(c[:2] for c in claims(rapport)) == sorted([(acme, BOB), (umbrella, JONAS)])
    assert "@Jonas Weber is on it until" in texts(in_channel(slack, digest))


def test_take_over_makes_an_unowned_partner_the_pressers_and_redraws(
    rapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    digest = team_digest
    umbrella = partner_id(rapport, "Umbrella")

    answer = press(rapport, digest, TAKE_OVER, umbrella, user=JONAS)
    assert "Du bist jetzt für *Umbrella* zuständig" in texts(answer)
    owner = next(p.owner_id for p in all_of(rapport.db, Partner) if p.id == umbrella)
    jonas = next(m.id for m in all_of(rapport.db, Member) if m.slack_user_id == JONAS)
    assert owner == jonas
    message = in_channel(slack, digest)
    # The same partners, Umbrella now under Jonas, no group of unowned ones left.
    assert [r.split(" · ")[0] for r in rows_of(message)] == ["*Acme*", "*Globex*", "*Umbrella*"]
    assert "*Nobody looks after these*" not in texts(message)
    assert "Take over" not in str(message["blocks"])
    # Pressed again: already theirs; the claim of another's partner by its owner is refused.
    again = press(rapport, digest, TAKE_OVER, umbrella, user=ALICE)
    assert "<@U0JONAS> took over *Umbrella* in the meantime" in texts(again)


def test_log_contact_opens_the_form_prefilled_and_logs_the_contact(
    rapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    digest = team_digest
    globex = partner_id(rapport, "Globex")
    press(rapport, digest, LOG, globex, user=BOB)
    [view] = slack.views()
    partner_input = next(b for b in view["blocks"] if b["block_id"] == "partner")
    assert partner_input["element"]["initial_option"]["value"] == str(globex)
    answer = rapport.submit(view, state_from(view, kind="check-in"), user=BOB)
    assert answer.status == 200
    assert rapport.wait_until_idle()
    with rapport.db.reading() as session:
        latest = session.scalars(
            select(Interaction)
            .where(Interaction.partner_id == globex)
            .order_by(Interaction.id.desc())
        ).first()
    assert latest is not None and latest.kind == "check-in"
    assert latest.occurred_at.date() == clock.now().date()


def long_day(clock: ManualClock, days: int) -> str:
    """ "Wednesday, March 10, 2027": how an answer to the presser names a claim's last day."""
    from bot.texts.reader import Reader

    reader = Reader("en-US", "Europe/Berlin")
    return reader.day(reader.local(clock.now() + timedelta(days=days)).date())


def test_refusals_change_nothing(
    rapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    digest = team_digest
    acme, hooli = partner_id(rapport, "Acme"), partner_id(rapport, "Hooli")
    before = in_channel(slack, digest)
    unexpected = text("en", "digest.claim.unknown_digest")

    # A partner the digest did not list; a value Rapport did not write; another workspace's.
    assert unexpected in texts(press(rapport, digest, CLAIM, hooli))
    bad = press(rapport, digest, CLAIM, acme, value=f"rapport_digest_claim|{digest.id}:x")
    assert unexpected in texts(bad)
    with rapport.db.transaction() as session:
        other = session.scalars(select(Partner).where(Partner.organisation == "Other")).one()
        foreign = other.id
    assert unexpected in texts(press(rapport, digest, CLAIM, foreign))
    unknown = menu_value(CLAIM, str(uuid4()), acme)
    assert unexpected in texts(press(rapport, digest, CLAIM, acme, value=unknown))
    assert claims(rapport) == []

    # A guest is refused, in their language.
    for guest in (Guest("single-channel", "de"), Guest("multi-channel", "en", "U0GUS")):
        cached_guest(rapport, guest)
        refused = press(rapport, digest, CLAIM, acme, user=guest.user_id)
        assert text(guest.lang, "access.refused") in texts(refused)
    assert claims(rapport) == []

    # A partner forgotten meanwhile: said so, and it drops out of the digest.
    with rapport.db.transaction() as session:
        session.execute(delete(Partner).where(Partner.id == acme))
    gone = press(rapport, digest, CLAIM, acme, user=BOB)
    assert "no longer in Rapport" in texts(gone)
    assert claims(rapport) == []
    after = in_channel(slack, digest)
    assert [r.split(" · ")[0] for r in rows_of(after)] == ["*Globex*", "*Umbrella*"]
    assert len(rows_of(before)) == 3


def test_a_redraw_slack_refuses_keeps_the_claim_and_says_so(
    rapport, slack: SlackStandIn, clock: ManualClock, team_digest: Digest
) -> None:
    digest = team_digest
    acme = partner_id(rapport, "Acme")
    slack.fail_next("chat.update", error="message_not_found", status=200, retry_after=None)
    answer = press(rapport, digest, CLAIM, acme, user=BOB)
    assert "could not be redrawn" in texts(answer)
    assert [c[:2] for c in claims(rapport)] == [(acme, BOB)]
    assert "is on it" not in texts(in_channel(slack, digest))


def test_a_digest_reads_in_the_same_few_statements_however_many_partners(
    rapport, clock: ManualClock
) -> None:
    known(rapport)
    sub = subscribe(rapport)
    statements: list[str] = []

    def counted(*args: Any) -> None:
        statements.append(args[2])

    def render_with(partners: int) -> tuple[int, int]:
        """Add partners up to `partners`, each contacted with a direction; the statements
        rendering the digest took, and the partners it listed and left out."""
        with rapport.db.transaction() as session:
            workspace = workspace_for(session, TEAM, NOW)
            alice = find_member(session, workspace.id, ALICE)
            assert alice is not None
            have = session.scalar(select(func.count(Partner.id))) or 0
            for i in range(have, partners):
                made = add_partner(
                    session,
                    workspace.id,
                    name=f"P{i:03d}",
                    organisation=None,
                    owner_id=alice.id if i % 2 else None,
                    now=NOW - timedelta(days=200),
                )
                assert made is not None
                for day in range(5):
                    session.add(
                        Interaction(
                            workspace_id=workspace.id,
                            partner_id=made.id,
                            member_id=alice.id,
                            occurred_at=NOW - timedelta(days=100 + day),
                            direction="gave",
                            created_at=NOW,
                        )
                    )
                refresh_contact_times(session, [made.id])
        with rapport.db.reading() as session:
            subscription = session.get(DigestSubscription, sub)
            assert subscription is not None
            statements.clear()
            event.listen(rapport.db.engine, "before_cursor_execute", counted)
            try:
                message = render_digest(session, subscription, MEMBERS, clock.now())
            finally:
                event.remove(rapport.db.engine, "before_cursor_execute", counted)
        assert len(message.partner_ids) + message.more == partners
        # Every one of them one-sided (five contacts, all ours), read set-based.
        assert "one-sided" in texts({"blocks": [b.to_dict() for b in message.reply.blocks]})
        return len(statements), len(message.partner_ids)

    few, listed_few = render_with(3)
    many, listed_many = render_with(120)
    # The digest's id; whom it lists: the members' partners that may need attention (by their
    # kept contact times, promises past their reminders and one-sidedness) with the count of
    # the unowned, one statement; the unowned ones read when there is room for them; then for
    # those listed alone: their rows with their owners' names and claims, and the directed
    # contacts of those the choice did not judge (nobody's: with 3 partners some are listed;
    # with 120 the members' own fill it and their one-sidedness was read with the choice).
    assert (few, many) == (5, 3)
    assert listed_few == 3 and listed_many > 3


def _add_partners(rapport: RunningRapport, count: int, owner: str | None, prefix: str) -> list[int]:
    """`count` partners added 200 days ago and never contacted (neglected), owned by `owner`'s
    member (who must be known; None: nobody); their ids."""
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, TEAM, NOW)
        member = find_member(session, workspace.id, owner) if owner else None
        assert owner is None or member is not None
        ids = []
        for i in range(count):
            made = add_partner(
                session,
                workspace.id,
                name=f"{prefix} {i:03d}",
                organisation=None,
                owner_id=member.id if member else None,
                now=NOW - timedelta(days=200),
            )
            assert made is not None
            ids.append(made.id)
        return ids


@pytest.mark.parametrize(
    ("language", "summary"),
    [
        ("en", ("72 partners", "2 owners")),
        ("de", ("72 Partner", "2 zuständige Personen")),
    ],
)
def test_a_full_digest_counts_exactly_the_unowned_partners_it_has_no_room_for(
    rapport: RunningRapport, clock: ManualClock, language: str, summary: tuple[str, str]
) -> None:
    known(rapport)
    known(rapport, JONAS)
    sub = subscribe(rapport, language)
    alices = _add_partners(rapport, 60, ALICE, "Alpha")
    jonas = _add_partners(rapport, 7, JONAS, "Beta")
    _add_partners(rapport, 5, None, "Gamma")

    with rapport.db.reading() as session:
        subscription = session.get(DigestSubscription, sub)
        assert subscription is not None
        message = render_digest(session, subscription, MEMBERS, clock.now())

    # The members' partners fill the message; those nobody looks after come last and are
    # counted without being listed, so that the remainder is still exact.
    assert message.partner_ids and set(message.partner_ids) <= set(alices + jonas)
    assert len(message.partner_ids) + message.more == 60 + 7 + 5
    assert all(part in message.reply.text for part in summary), message.reply.text


def test_a_digest_with_room_lists_the_unowned_partners_last_by_contact(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    known(rapport)
    sub = subscribe(rapport, "de")
    alices = _add_partners(rapport, 3, ALICE, "Alpha")
    nobodys = _add_partners(rapport, 4, None, "Gamma")
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, TEAM, NOW)
        alice = find_member(session, workspace.id, ALICE)
        assert alice is not None
        # The first of nobody's partners was contacted recently: never contacted ones first.
        session.add(
            Interaction(
                workspace_id=workspace.id,
                partner_id=nobodys[0],
                member_id=alice.id,
                occurred_at=NOW - timedelta(days=100),
                created_at=NOW,
            )
        )
        refresh_contact_times(session, [nobodys[0]])

    with rapport.db.reading() as session:
        subscription = session.get(DigestSubscription, sub)
        assert subscription is not None
        message = render_digest(session, subscription, MEMBERS, clock.now())

    assert message.more == 0
    assert message.partner_ids == [*alices, *nobodys[1:], nobodys[0]]
    assert "7 Partner" in message.reply.text and "1 zuständige Person" in message.reply.text


def _partner_met_at(
    rapport: RunningRapport, name: str, owner: str, owner_tz: str, met: datetime
) -> None:
    """`name`, added long before and looked after by `owner` (whose zone is now `owner_tz`),
    contacted once, at `met`: its kept times as a logged contact leaves them."""
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, TEAM, NOW)
        member = find_member(session, workspace.id, owner)
        assert member is not None
        member.tz = owner_tz
        made = add_partner(
            session,
            workspace.id,
            name=name,
            organisation=None,
            owner_id=member.id,
            now=met - timedelta(days=300),
        )
        assert made is not None
        session.add(
            Interaction(
                workspace_id=workspace.id,
                partner_id=made.id,
                member_id=member.id,
                occurred_at=met,
                created_at=met,
            )
        )
        refresh_contact_times(session, [made.id])


def test_a_partner_neglected_in_its_owners_zone_is_listed_before_its_due_instant(
    rapport, slack: SlackStandIn, clock: ManualClock
) -> None:
    # One contact at 08:00 UTC on 1 December: Jonas, in Pago Pago (UTC-11), had it on his
    # 30 November, Bob, in Kiritimati (UTC+14), on his 1 December. With the 90-day cadence
    # Jonas's partner is neglected from 1 March (Berlin's day, the digest's) although its kept
    # due instant, 1 March 08:00 UTC, is still ahead when the digest is posted at 07:30 Berlin;
    # Bob's only from 2 March.
    for user in (ALICE, JONAS, BOB):
        known(rapport, user)
    met = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    _partner_met_at(rapport, "Samoa Shipping", JONAS, "Pacific/Pago_Pago", met)
    _partner_met_at(rapport, "Line Islands", BOB, "Pacific/Kiritimati", met)
    sub = subscribe(rapport)

    clock.set(datetime(2027, 3, 1, 7, 30, tzinfo=NOW.tzinfo))
    assert clock.now() < met + timedelta(days=CADENCE)
    first = in_channel(slack, post(rapport, slack, clock, sub))
    assert rows_of(first) == ["*Samoa Shipping* · :red_circle: neglected and check-in overdue"]
    assert first["text"] == "Partners who need attention: 1 partner, 1 owner"

    clock.set(datetime(2027, 3, 2, 7, 30, tzinfo=NOW.tzinfo))
    second = in_channel(slack, post(rapport, slack, clock, sub))
    assert sorted(rows_of(second)) == [
        "*Line Islands* · :red_circle: neglected and check-in overdue",
        "*Samoa Shipping* · :red_circle: neglected and check-in overdue",
    ]


def test_a_cadence_just_edited_shows_in_the_list_and_the_digest_at_once(
    rapport, slack: SlackStandIn, clock: ManualClock
) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Globex Anruf Auftakt", user=JONAS)
    sub = subscribe(rapport)
    clock.advance(timedelta(days=40))
    assert "neglected" not in row_of(shown(rapport, "partners"), "Acme")
    assert rows_of(in_channel(slack, post(rapport, slack, clock, sub))) == []

    # Shorter than the 40 days since: neglected and overdue in the list, the card and the
    # digest, from the very next request.
    assert "30" in shown(rapport, "partner Acme set cadence 30")
    assert "neglected" in row_of(shown(rapport, "partners"), "Acme")
    assert "vernachlässigt" in row_of(shown(rapport, "partner alle", user=JONAS), "Acme")
    assert "neglected" in shown(rapport, "partner Acme")
    assert rows_of(in_channel(slack, post(rapport, slack, clock, sub))) == [
        "*Acme* · :red_circle: neglected and check-in overdue"
    ]
    # Jonas, in German, shortens his Globex's too: in his list and in a German digest.
    assert "rhythmus" in shown(rapport, "partner Globex setze rhythmus 20", user=JONAS).lower()
    assert "vernachlässigt" in row_of(shown(rapport, "partner", user=JONAS), "Globex")
    with rapport.db.transaction() as session:
        session.execute(
            update(DigestSubscription).where(DigestSubscription.id == sub).values(language="de")
        )
    german = rows_of(in_channel(slack, post(rapport, slack, clock, sub)))
    assert german == [
        "*Acme* · :red_circle: vernachlässigt und Check-in überfällig",
        "*Globex* · :red_circle: vernachlässigt und Check-in überfällig",
    ]

    # Back to the default: fine again everywhere.
    shown(rapport, "partner Acme set cadence clear")
    shown(rapport, "partner Globex setze rhythmus löschen", user=JONAS)
    assert "neglected" not in row_of(shown(rapport, "partners"), "Acme")
    assert rows_of(in_channel(slack, post(rapport, slack, clock, sub))) == []
