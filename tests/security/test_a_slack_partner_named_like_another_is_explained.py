"""Mentioning a Slack Connect person whose name a partner logged by name already has: Rapport
does not take the one for the other unasked, and says what to type instead, in the user's
language. Before, the insert broke the name's unique constraint and the user was told the
database did not answer. Signed HTTP against the running app, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.support.app import RunningRapport
from tests.support.blocks import state_from, texts
from tests.support.rows import Interaction, Partner, all_of, count


def known(rapport: RunningRapport, user: str = "U0ALICE") -> None:
    assert rapport.command("help", user=user).reply()


def test_a_mention_whose_name_a_partner_has_is_explained_with_what_to_type(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    known(rapport)
    rapport.command('"Kenji Sato" call by name').reply()

    shown = texts(rapport.command("<@U0KENJI|kenji> call by mention").later())

    assert "A partner called “Kenji Sato” is already in Rapport, without a Slack account" in shown
    assert "add their organisation in parentheses" in shown
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == (1, 1)

    again = texts(rapport.command("<@U0KENJI|kenji> (Partner Corp) call by mention").reply())

    assert "Logged your contact with *Kenji Sato (Partner Corp)*" in again
    linked = next(p for p in all_of(rapport.db, Partner) if p.slack_user_id == "U0KENJI")
    assert (linked.organisation, linked.tz) == ("Partner Corp", "Asia/Tokyo")


def test_the_same_is_explained_in_german(rapport: RunningRapport, no_errors_logged: None) -> None:
    known(rapport, "U0JONAS")
    rapport.command('"Kenji Sato" Anruf', user="U0JONAS").reply()

    shown = texts(rapport.command("<@U0KENJI|kenji> Anruf", user="U0JONAS").later())

    assert "Ein Partner namens „Kenji Sato“ ist schon in Rapport, ohne Slack-Konto" in shown


def test_the_form_explains_it_under_the_new_partners_field(
    rapport: RunningRapport, no_errors_logged: None
) -> None:
    known(rapport)
    rapport.command('"Kenji Sato" call by name').reply()
    rapport.shortcut({"type": "message", "user": "U0KENJI", "ts": "1795000000.1", "text": "Hi"})
    assert rapport.wait_until_idle()
    view = rapport.slack.views()[-1]

    answer = rapport.submit(view, state_from(view))

    error = answer.json()["errors"]["new_partner"]
    assert error.startswith("A partner called “Kenji Sato” is already in Rapport")
    assert "fill in the organisation" in error
    assert (count(rapport.db, Partner), count(rapport.db, Interaction)) == (1, 1)
