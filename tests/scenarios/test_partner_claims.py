"""The card, the lists and the Home say what the digest says of who looks after a partner, and
of a colleague who is on it.

An owner who left (`user_change` with `deleted`) or became a guest is named on the card as the
one it had ("nobody (was @Bob)"), as the lists say and as the digest's "Nobody looks after these"
does, and the Hand over form does not offer them. A live claim ("I'll reach out" on a digest;
its claimer gets the partner's check-in nudges for 14 days) is shown on the card, on list rows
and on the owner's Home, by name and never as a mention; an ended claim, a claimer who left and
a claim held by the owner themselves show nothing. Claims are read for a page in one statement.
The claimer's own Home lists their claims ("I'm on it"), and a merge refusal never sends anyone
to ask an owner who is gone.

Claims are written straight into `partner_claims`, as the digest's button does. Everything else
goes over signed HTTP to the running app; every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import event, select, update

from bot.blocks.digest.message import CLAIM
from bot.blocks.partner_card import ACTION_HAND_OVER
from bot.rules.clock import ManualClock
from storage.models import Member, Partner, PartnerClaim
from storage.queries.members import workspace_for
from tests.scenarios.test_app_home import home, opened
from tests.scenarios.test_digest_content import in_channel, partner_id, press, team_digest
from tests.scenarios.test_rapport_command import many_partners, rapport_says
from tests.security.guests import GUESTS, Guest, in_slack
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.world import NOW

ALICE, BOB, JONAS = "U0ALICE", "U0BOB", "U0JONAS"
TEAM = "T0ACME"
# A claim made now ends in 14 days: Wednesday 9 December 2026, 10:00 in Berlin.
UNTIL = NOW + timedelta(days=14)
_event_ids = itertools.count(1)
__all__ = ["team_digest"]  # the fixture, used by name


# --- helpers -------------------------------------------------------------------------------------


def logged(rapport: RunningRapport, text: str, user: str = ALICE) -> None:
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def said(rapport: RunningRapport, text: str, user: str = ALICE) -> dict[str, Any]:
    """What `/rapport TEXT` answers `user`, each block valid for Slack."""
    reply = rapport_says(rapport, text, user).reply()
    assert len(reply["blocks"]) <= 50
    for block in reply["blocks"]:
        Block.parse(block).validate_json()
    return reply


def shown(rapport: RunningRapport, text: str, user: str = ALICE) -> str:
    """Blocks and fallback text of `/rapport TEXT`, narrow spaces as plain ones."""
    reply = said(rapport, text, user)
    return f"{reply['text']}\n{texts(reply)}".replace("\u202f", " ")


def row_of(text: str, name: str) -> str:
    """A list row's block text (name line and details), found by the partner's name."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"*{name}*"))
    return "\n".join(lines[at : at + 2])


def changed(rapport: RunningRapport, user: str, **profile: Any) -> None:
    """Slack's `user_change` for `user`: `deleted` (left) or `is_restricted` (now a guest)."""
    body = {"id": user, "team_id": TEAM, "real_name": user, **profile}
    answer = rapport.event(f"EvClaim{next(_event_ids)}", {"type": "user_change", "user": body})
    assert answer.status == 200
    assert rapport.wait_until_idle()


def claim(rapport: RunningRapport, user: str, until: datetime = UNTIL, **kw: Any) -> None:
    """`user` claims the partner named `kw["name"]` (Acme) until `until`, as "I'll reach out"
    writes it; `workspace_id` given: a row of another workspace's (which must show nowhere)."""
    name = kw.get("name", "Acme")
    with rapport.db.transaction() as session:
        member = session.scalars(select(Member).where(Member.slack_user_id == user)).one()
        partner = session.scalars(select(Partner).where(Partner.name == name)).one()
        session.add(
            PartnerClaim(
                partner_id=partner.id,
                workspace_id=kw.get("workspace_id", partner.workspace_id),
                member_id=member.id,
                claimed_at=until - timedelta(days=14),
                until=until,
            )
        )


def owner_field(text: str, label: str) -> str:
    """The card's owner field's value ("*Looked after by*\nVALUE")."""
    return text.split(f"*{label}*\n", 1)[1].split("\n", 1)[0]


# --- an owner who is gone ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gone", [{"deleted": True}, {"is_restricted": True}], ids=["left", "guest"]
)
def test_the_card_names_an_owner_who_is_gone_as_the_one_it_had(
    rapport: RunningRapport, gone: dict[str, bool]
) -> None:
    logged(rapport, "Initech call kickoff", user=BOB)
    known(rapport, JONAS)
    changed(rapport, BOB, **gone)

    card = shown(rapport, "partner Initech")
    assert "unowned" in card
    assert owner_field(card, "Looked after by") == "nobody (was <@U0BOB>)"
    assert "Owner: nobody (was <@U0BOB>)." in card
    # The lists say the same of it.
    everyone = shown(rapport, "partners all")
    assert "nobody looks after it (was <@U0BOB>)" in row_of(everyone, "Initech")
    german = shown(rapport, "partner Initech", user=JONAS)
    assert "ohne Zuständigen" in german
    assert owner_field(german, "Zuständig") == "niemand (zuvor <@U0BOB>)"
    assert "Zuständig: niemand (zuvor <@U0BOB>)." in german
    # Hand over does not offer the owner who is gone as the one to keep it.
    reply = said(rapport, "partner Initech")
    pressed = rapport.click(ACTION_HAND_OVER, buttons(reply)["Hand over"]["value"])
    assert pressed.answer.status == 200
    assert rapport.wait_until_idle()
    [form] = rapport.slack.views()
    select_element = next(b["element"] for b in form["blocks"] if b.get("block_id") == "owner")
    assert "initial_user" not in select_element


def test_an_owner_back_at_work_is_named_again(rapport: RunningRapport) -> None:
    logged(rapport, "Initech call kickoff", user=BOB)
    changed(rapport, BOB, deleted=True)
    assert owner_field(shown(rapport, "partner Initech"), "Looked after by").startswith("nobody")

    changed(rapport, BOB, deleted=False)

    card = shown(rapport, "partner Initech")
    assert owner_field(card, "Looked after by") == "<@U0BOB>"
    assert "unowned" not in card and "(was" not in card


def test_a_partner_never_owned_reads_nobody_without_a_former_owner(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Initech call kickoff", user=BOB)
    with rapport.db.transaction() as session:
        session.execute(update(Partner).values(owner_id=None))

    card = shown(rapport, "partner Initech")
    assert owner_field(card, "Looked after by") == "nobody"


# --- a live claim --------------------------------------------------------------------------------


def test_the_owner_and_the_claimer_see_the_claim_on_the_card_by_name(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    claim(rapport, JONAS)

    alice = shown(rapport, "partner Acme")
    assert (
        ":raising_hand: @Jonas Weber is on it until Wed, Dec 9 and gets its check-in nudges "
        "until then." in alice
    )
    assert "<@U0JONAS>" not in alice  # by name: a mention would ping
    assert owner_field(alice, "Looked after by") == "<@U0ALICE>"
    jonas = shown(rapport, "partner Acme", user=JONAS)
    assert (
        ":raising_hand: Du kümmerst dich bis Mi., 9. Dez.: bis dahin bekommst du die "
        "Check-in-Erinnerungen." in jonas
    )
    assert "Jonas Weber" not in jonas
    # Bob, neither owner nor claimer, reads who it is, in English.
    assert "@Jonas Weber is on it until Wed, Dec 9" in shown(rapport, "partner Acme", user=BOB)


def test_list_rows_say_who_is_on_it(rapport: RunningRapport) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Globex call kickoff")
    known(rapport, JONAS)
    claim(rapport, JONAS)

    for typed in ("partners", "partners all", "partners search acme"):
        text = shown(rapport, typed)
        assert ":raising_hand: @Jonas Weber is on it until Wed, Dec 9" in row_of(text, "Acme")
        if "*Globex*" in text:
            assert "on it" not in row_of(text, "Globex"), typed
        assert "<@U0JONAS>" not in text
    german = shown(rapport, "partner alle", user=JONAS)
    assert ":raising_hand: du kümmerst dich bis Mi., 9. Dez." in row_of(german, "Acme")
    assert "kümmer" not in row_of(german, "Globex")


def test_the_owners_home_says_who_is_on_it(rapport: RunningRapport) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Globex call kickoff")
    logged(rapport, "Initech Anruf Auftakt", user=JONAS)
    known(rapport, BOB)
    claim(rapport, BOB)
    claim(rapport, ALICE, name="Initech")

    opened(rapport, ALICE)
    rows = [t for t in home(rapport) if t.startswith(("*Acme*", "*Globex*"))]
    assert any(
        t.startswith("*Acme*")
        and t.endswith("\n:raising_hand: @Bob Miller is on it until Wed, Dec 9")
        for t in rows
    ), rows
    assert not any(t.startswith("*Globex*") and "on it" in t for t in rows), rows
    opened(rapport, JONAS)
    rows = [t for t in home(rapport, JONAS) if t.startswith("*Initech*")]
    assert rows == [
        next(
            t
            for t in rows
            if t.endswith(":raising_hand: @Alice Berger kümmert sich bis Mi., 9. Dez.")
        )
    ]


def test_an_ended_claim_shows_nowhere(rapport: RunningRapport, clock: ManualClock) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    claim(rapport, JONAS, until=NOW + timedelta(hours=1))
    assert "@Jonas Weber is on it" in shown(rapport, "partner Acme")

    clock.set(NOW + timedelta(hours=1))

    assert "on it" not in shown(rapport, "partner Acme")
    assert "on it" not in shown(rapport, "partners")
    opened(rapport, ALICE)
    assert not any("on it" in t for t in home(rapport))


@pytest.mark.parametrize(
    "gone", [{"deleted": True}, {"is_restricted": True}], ids=["left", "guest"]
)
def test_a_claimer_who_is_gone_is_on_nothing(
    rapport: RunningRapport, gone: dict[str, bool]
) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    claim(rapport, JONAS)

    changed(rapport, JONAS, **gone)

    assert "Jonas" not in shown(rapport, "partner Acme")
    assert "Jonas" not in shown(rapport, "partners all")
    opened(rapport, ALICE)
    assert not any("Jonas" in t for t in home(rapport))


def test_a_claim_held_by_the_owner_adds_nothing(rapport: RunningRapport) -> None:
    """Jonas claimed Acme, then took it over: its nudges are his as owner anyway."""
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    claim(rapport, JONAS)
    with rapport.db.transaction() as session:
        jonas = session.scalars(select(Member).where(Member.slack_user_id == JONAS)).one()
        session.execute(update(Partner).values(owner_id=jonas.id))

    for user in (ALICE, JONAS):
        card = shown(rapport, "partner Acme", user=user)
        assert "on it" not in card and "kümmerst" not in card
    assert "on it" not in shown(rapport, "partners all")


def test_a_claim_on_a_partner_whose_owner_left_is_shown_with_nobody_as_owner(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Initech call kickoff", user=BOB)
    changed(rapport, BOB, deleted=True)
    known(rapport)
    claim(rapport, ALICE, name="Initech")

    card = shown(rapport, "partner Initech")
    assert owner_field(card, "Looked after by") == "nobody (was <@U0BOB>)"
    assert "You are on it until Wed, Dec 9: its check-in nudges come to you until then." in card
    row = row_of(shown(rapport, "partners unowned"), "Initech")
    assert "Alice" not in row  # the unowned list is about taking over; it is unchanged


def test_a_claim_row_of_another_workspace_shows_nowhere(rapport: RunningRapport) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    with rapport.db.transaction() as session:
        other = workspace_for(session, "T0OTHER", NOW)
    claim(rapport, JONAS, workspace_id=other.id)

    assert "Jonas" not in shown(rapport, "partner Acme")
    assert "Jonas" not in shown(rapport, "partners")


def test_a_claimers_name_is_escaped_and_cut(rapport: RunningRapport) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    claim(rapport, JONAS)
    with rapport.db.transaction() as session:
        session.execute(
            update(Member)
            .where(Member.slack_user_id == JONAS)
            .values(name="<!channel> & " + "x" * 180)
        )

    card = shown(rapport, "partner Acme")
    line = next(t for t in card.splitlines() if "is on it until" in t)
    assert "<!channel>" not in line and "&lt;!channel&gt; &amp; xxx" in line
    assert "x" * 100 not in line and "…" in line


@pytest.mark.parametrize("guest", GUESTS)
def test_a_guest_gets_no_card_and_no_claim(rapport: RunningRapport, guest: Guest) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    claim(rapport, JONAS)
    in_slack(rapport, guest)

    for typed in ("partner Acme", "partners all"):
        reply = rapport_says(rapport, typed, user=guest.user_id).reply()
        text = f"{reply['text']}\n{texts(reply)}"
        assert guest.refused in text
        assert "Acme" not in text and "Jonas" not in text


def test_claims_are_read_in_one_statement_for_a_page_of_300_partners(
    rapport: RunningRapport,
) -> None:
    known(rapport)
    known(rapport, JONAS)
    many_partners(rapport, ALICE, 300)
    for i in (1, 20, 49, 50, 51, 120, 300):
        claim(rapport, JONAS, name=f"Partner {i:03d}")
    statements: list[str] = []

    def counted(*args: Any) -> None:
        statements.append(args[2])

    event.listen(rapport.db.engine, "before_cursor_execute", counted)
    try:
        listing = shown(rapport, "partners")
        opened(rapport, ALICE)
        first = home(rapport)
    finally:
        event.remove(rapport.db.engine, "before_cursor_execute", counted)

    claims_read = [s for s in statements if "FROM partner_claims" in s]
    # One for the list's page; on the Home one for its page and two for Alice's own claims
    # ("I'm on it": the first few and their count), however many partners and claims.
    assert len(claims_read) == 4, claims_read
    on_it = ":raising_hand: @Jonas Weber is on it until Wed, Dec 9"
    assert on_it in row_of(listing, "Partner 001") and on_it in row_of(listing, "Partner 020")
    assert on_it not in row_of(listing, "Partner 002")
    rows = {t.split(" · ")[0].strip("*"): t for t in first if t.startswith("*Partner ")}
    assert 0 < len(rows) <= 50
    claimed = {name for name, t in rows.items() if t.endswith(on_it)}
    assert claimed == {f"Partner {i:03d}" for i in (1, 20, 49, 50, 51, 120, 300)} & set(rows)
    assert {"Partner 001", "Partner 049"} <= claimed


# --- the claimer's own Home --------------------------------------------------------------------


def test_the_claimers_home_lists_their_claims_in_german(
    rapport: RunningRapport, clock: ManualClock
) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Initech call kickoff", user=BOB)
    logged(rapport, "Globex Anruf Auftakt", user=JONAS)
    changed(rapport, BOB, deleted=True)
    claim(rapport, JONAS, until=NOW + timedelta(days=3), name="Initech")
    claim(rapport, JONAS)  # Acme, until the 9th
    claim(rapport, JONAS, name="Globex")  # his own: it stands in for nobody

    opened(rapport, JONAS)

    shown_home = home(rapport, JONAS)
    at = shown_home.index("Ich kümmere mich")
    assert shown_home[at + 1].startswith("Du wolltest dich melden")
    assert shown_home[at + 2 : at + 4] == [
        "*Initech* · niemand zuständig (zuvor <@U0BOB>) · :raising_hand: bis Sa., 28. Nov.",
        "*Acme* · <@U0ALICE> ist zuständig · :raising_hand: bis Mi., 9. Dez.",
    ]
    assert not any(t.startswith("*Globex*") and "bis" in t for t in shown_home[at:])
    # Once the claims end, the section goes.
    clock.set(UNTIL)
    opened(rapport, JONAS)
    assert "Ich kümmere mich" not in home(rapport, JONAS)


def test_many_claims_show_the_first_and_count_the_rest(rapport: RunningRapport) -> None:
    known(rapport)
    known(rapport, BOB)
    many_partners(rapport, ALICE, 8)
    for i in range(1, 9):
        claim(rapport, BOB, until=UNTIL + timedelta(hours=i), name=f"Partner {i:03d}")

    opened(rapport, BOB)  # Bob looks after no partner: the welcome, then his claims

    shown_home = home(rapport, BOB)
    assert "Welcome to Rapport" in shown_home
    at = shown_home.index("I'm on it")
    assert shown_home[at + 1].startswith("You said you'd reach out")
    lines = shown_home[at + 2 : at + 8]
    assert [line.split(" · ")[0] for line in lines[:5]] == [
        f"*Partner {i:03d}*" for i in range(1, 6)
    ]
    assert lines[0].endswith("<@U0ALICE> looks after it · :raising_hand: until Wed, Dec 9")
    assert lines[5] == "3 more"


def test_i_ll_reach_out_on_a_digest_shows_on_the_card_and_both_homes(
    rapport: RunningRapport, clock: ManualClock, team_digest: Any
) -> None:
    """The digest, the card and the Homes say the same of a claim and of an owner who left."""
    acme = partner_id(rapport, "Acme")
    opened(rapport, BOB)
    clock.advance(timedelta(minutes=5))

    press(rapport, team_digest, CLAIM, acme, user=BOB)
    assert rapport.wait_until_idle()

    [line] = [t for t in texts(in_channel(rapport.slack, team_digest)).splitlines() if "on it" in t]
    on_it = line.removeprefix(":raising_hand: ")  # "@Bob Miller is on it until …"
    assert on_it.startswith("@Bob Miller is on it until ")
    assert on_it in shown(rapport, "partner Acme")
    assert on_it in row_of(shown(rapport, "partners"), "Acme")
    opened(rapport, ALICE)
    assert any(t.startswith("*Acme*") and t.endswith(on_it) for t in home(rapport))
    # Bob's own Home was drawn again after his press, with the claim.
    assert any(t.startswith("*Acme* · <@U0ALICE> looks after it") for t in home(rapport, BOB))
    # Umbrella's owner left: the digest lists it under "Nobody looks after these", and the
    # card says nobody looks after it either.
    assert "*Nobody looks after these*" in texts(in_channel(rapport.slack, team_digest))
    umbrella = shown(rapport, "partner Umbrella")
    assert owner_field(umbrella, "Looked after by").startswith("nobody (was <@")


# --- other replies that name an owner ------------------------------------------------------------


def test_a_merge_refusal_never_sends_anyone_to_an_owner_who_is_gone(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Hooli call kickoff", user=BOB)
    logged(rapport, "Initech call kickoff", user=BOB)
    logged(rapport, "Globex call kickoff")
    known(rapport, JONAS)
    changed(rapport, BOB, deleted=True)

    both = shown(rapport, "merge Hooli into Initech")
    assert "Nobody looks after *Hooli* or *Initech*" in both
    assert "ask them" not in both and "<@U0BOB>" not in both
    german = shown(rapport, "merge Hooli into Initech", user=JONAS)
    assert "Für *Hooli* und *Initech* ist niemand zuständig" in german
    one = shown(rapport, "merge Globex into Initech")
    assert "*Globex* is looked after by <@U0ALICE>, *Initech* by nobody (was <@U0BOB>)." in one
