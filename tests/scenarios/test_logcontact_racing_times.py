"""Twenty colleagues logging contacts for the same known partner at the same moment, each at a
minute of their own, later than any logged before (so that each may move the partner's last
contact and last check-in past another's): every contact is logged, and the partner's contact
times are those its history gives (the `db` fixture's drift check, and the row read here). On
PostgreSQL the requests really overlap: each reads the times under the partner's row lock,
after the one before it committed. On SQLite and PostgreSQL, over signed HTTP."""

from __future__ import annotations

from datetime import timedelta

from bot.rules.clock import ManualClock
from bot.sandbox.standin import SlackStandIn
from storage.queries.health.contact_times import recomputed, stored
from tests.support.app import RunningRapport
from tests.support.blocks import texts
from tests.support.racing import at_once
from tests.support.rows import Interaction, Partner, all_of, only

PEOPLE = 20
ROUNDS = 5


def test_contacts_logged_at_once_for_one_partner_leave_its_times_as_the_history_gives(
    rapport: RunningRapport, slack: SlackStandIn, clock: ManualClock
) -> None:
    users = [f"U0TIMES{i:02d}" for i in range(PEOPLE)]
    for user in users:
        slack.add_user(user, name=user.lower(), real_name=f"Racer {user[-2:]}", tz="Europe/Berlin")
        assert rapport.command("help", user=user).reply()
    assert rapport.command("Nordwind call kickoff 20 days ago").reply()

    for round_ in range(ROUNDS):
        clock.advance(timedelta(days=1))  # a day later: every contact of the round moves it

        def send(i: int, round_: int = round_) -> str:
            # Minutes 08:00 to 08:19 today, in another order each round; every third a check-in.
            minute = (i * 7 + round_ * 3) % PEOPLE
            kind = "check-in" if (i + round_) % 3 == 0 else "Telefonat" if i % 2 else "call"
            text = f"Nordwind {kind} today 08:{minute:02d} r{round_}"
            return texts(rapport.command(text, user=users[i]).reply())

        replies = at_once(PEOPLE, send)
        assert all("Nordwind" in reply for reply in replies), replies

    partner: Partner = only(rapport.db, Partner)  # type: ignore[assignment]
    contacts = [i for i in all_of(rapport.db, Interaction) if i.partner_id == partner.id]
    assert len(contacts) == 1 + PEOPLE * ROUNDS
    with rapport.db.reading() as session:
        assert stored(session, [partner.id]) == dict(recomputed(session, [partner.id]))
    assert partner.first_contact_at == min(c.occurred_at for c in contacts)
    assert partner.last_contact_at == max(c.occurred_at for c in contacts)
    check_ins = [c.occurred_at for c in contacts if c.kind == "check-in"]
    assert check_ins and partner.last_check_in_at == max(check_ins)
    assert partner.contact_due_at == partner.last_contact_at + timedelta(days=partner.cadence_days)
