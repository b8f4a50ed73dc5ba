"""What Slack says about people (`users.info`, `user_change`) is cached cut or checked to the
columns that keep it: a name clipped and cleaned, a zone, locale or e-mail that is not one left
out. Nobody is told "the database did not answer" because of someone's profile. Signed HTTP
against the running app, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from bot.sandbox.standin import SlackStandIn
from storage.vocabulary import NAME_MAX_CHARS
from tests.support.app import RunningRapport
from tests.support.blocks import texts
from tests.support.rows import Interaction, Member, Partner, count, only

HOSTILE = {
    "real_name": "Zoë\x00 Quinn\n" + "q" * 500,
    "tz": "Mars/Olympus_Mons",
    "locale": "de-DE-" + "x" * 40,
    "email": "z" * 400 + "@example.com",
}


def test_a_first_time_user_with_an_outsized_profile_is_served_with_defaults(
    rapport: RunningRapport, slack: SlackStandIn, no_errors_logged: None
) -> None:
    slack.add_user("U0ZOE", name="zoe", **HOSTILE)

    reply = rapport.command("Acme call kickoff", user="U0ZOE").later()

    assert "Logged your contact with *Acme*" in texts(reply)
    member = only(rapport.db, Member)
    assert member.name.startswith("Zoë Quinn qqq") and len(member.name) == NAME_MAX_CHARS
    assert (member.tz, member.locale) == ("UTC", "en-US")


def test_a_profile_change_with_a_nul_and_an_unknown_zone_keeps_what_is_valid(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    assert rapport.command("help", user="U0JONAS").reply()
    user = {"id": "U0JONAS", "team_id": "T0ACME", **HOSTILE, "profile": {"team": "T0ACME"}}

    answer = rapport.event("EvHostile1", {"type": "user_change", "user": user})

    assert answer.status == 200
    member = only(rapport.db, Member)
    assert member.name.startswith("Zoë Quinn") and len(member.name) == NAME_MAX_CHARS
    assert (member.tz, member.locale) == ("Europe/Berlin", "de-DE")
    german = rapport.command("einstellungen", user="U0JONAS").reply()
    assert "Deine Einstellungen" in texts(german)


def test_a_slack_connect_partners_zone_is_not_replaced_by_one_that_is_none(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    assert "Kenji Sato" in texts(rapport.command("<@U0KENJI|kenji> call").later())
    user = {"id": "U0KENJI", "team_id": "T0PARTNER", "real_name": "Kenji", "tz": "x" * 100}

    assert rapport.event("EvHostile2", {"type": "user_change", "user": user}).status == 200

    assert only(rapport.db, Partner).tz == "Asia/Tokyo"


def test_a_mentioned_partner_with_an_outsized_profile_is_stored_within_the_columns(
    rapport: RunningRapport, slack: SlackStandIn, no_errors_logged: None
) -> None:
    assert rapport.command("help").reply()
    slack.add_user("U0ZOE", team_id="T0PARTNER", name="zoe", **HOSTILE)

    reply = rapport.command("<@U0ZOE|zoe> call intro").later()

    assert "Logged your contact with *Zoë Quinn qqq" in texts(reply)
    partner = only(rapport.db, Partner)
    assert len(partner.name) == NAME_MAX_CHARS
    assert (partner.slack_team_id, partner.tz, partner.email) == ("T0PARTNER", None, None)
    assert count(rapport.db, Interaction) == 1


@pytest.mark.parametrize("event_id", ["Ev" + "1" * 70, "Ev\x001"])
def test_a_profile_change_with_an_event_id_slack_never_sends_changes_nothing(
    rapport: RunningRapport, event_id: str, no_errors_logged: None
) -> None:
    assert rapport.command("help").reply()
    user = {"id": "U0ALICE", "team_id": "T0ACME", "real_name": "Alice", "tz": "Asia/Tokyo"}

    assert rapport.event(event_id, {"type": "user_change", "user": user}).status == 200

    assert only(rapport.db, Member).tz == "Europe/Berlin"
