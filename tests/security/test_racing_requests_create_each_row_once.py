"""Twenty people logging the same new partner at the same moment all get their contact logged,
against one partner, and exactly one of them is told they created it (so only their Undo may
remove it). The same for a new Slack Connect partner, a new workspace and new members, and the
form. Signed HTTP requests sent at once from threads to the running app, on SQLite and on
PostgreSQL, where the requests really overlap.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox.standin import SlackStandIn
from storage.models import Workspace
from tests.support.app import Command, RunningRapport
from tests.support.blocks import buttons, state_from, texts
from tests.support.racing import at_once
from tests.support.rows import Interaction, Member, Partner, all_of, count

PEOPLE = 20
# Several rounds, each with a partner nobody has logged yet: in one round the requests may
# happen not to overlap where it matters; in five, they do.
ROUNDS = 5
NEW_PARTNER = "is a new partner"


def colleagues(slack: SlackStandIn, count: int = PEOPLE, team: str | None = None) -> list[str]:
    users = [f"U0RACE{i:02d}" for i in range(count)]
    for user in users:
        slack.add_user(user, team_id=team, name=user.lower(), real_name=f"Racer {user[-2:]}")
    return users


def cached(rapport: RunningRapport, users: list[str]) -> None:
    for user in users:
        assert rapport.command("help", user=user).reply()


def logged_against_one_new_partner(rapport: RunningRapport, name: str, replies: list[str]) -> None:
    """Every reply logged the contact; the partner exists once; one request created it."""
    assert all(f"Logged your contact with *{name}*" in reply for reply in replies), replies
    assert sum(NEW_PARTNER in reply for reply in replies) == 1
    [partner] = [p for p in all_of(rapport.db, Partner) if p.name == name]
    contacts = [i for i in all_of(rapport.db, Interaction) if i.partner_id == partner.id]
    assert len(contacts) == len(replies)
    assert sum(i.created_partner for i in contacts) == 1


def test_twenty_people_logging_the_same_new_partner_at_once_all_log_it_against_one(
    rapport: RunningRapport, slack: SlackStandIn, no_errors_logged: None
) -> None:
    users = colleagues(slack)
    cached(rapport, users)

    for round_ in range(ROUNDS):
        name = f"Nordwind {round_}"

        def send(i: int, name: str = name) -> dict[str, Any]:
            return rapport.command(f'"{name}" call about freight', user=users[i]).reply()

        replies = [texts(reply) for reply in at_once(PEOPLE, send)]

        logged_against_one_new_partner(rapport, name, replies)
    assert count(rapport.db, Partner) == ROUNDS


def test_undo_by_the_creator_keeps_a_partner_others_logged_meanwhile(
    rapport: RunningRapport, slack: SlackStandIn, no_errors_logged: None
) -> None:
    users = colleagues(slack, 5)
    cached(rapport, users)

    commands: list[Command] = at_once(
        5, lambda i: rapport.command('"Nordwind" call', user=users[i])
    )

    [creator] = [c for c in commands if NEW_PARTNER in texts(c.reply())]
    undo = buttons(creator.reply())["Undo"]
    creator_user = users[commands.index(creator)]
    rapport.click(undo["action_id"], undo["value"], user=creator_user).later()
    assert count(rapport.db, Partner) == 1
    assert count(rapport.db, Interaction) == 4


def test_twenty_people_mentioning_the_same_new_slack_connect_partner_at_once_get_one(
    rapport: RunningRapport, slack: SlackStandIn, no_errors_logged: None
) -> None:
    users = colleagues(slack)
    cached(rapport, users)
    for round_ in range(ROUNDS):
        partner = f"U0EXT{round_:02d}"
        slack.add_user(partner, team_id="T0PARTNER", name="ext", real_name=f"Ext Partner {round_}")

        def send(i: int, partner: str = partner) -> Command:
            return rapport.command(f"<@{partner}|ext> call", user=users[i])

        commands = at_once(PEOPLE, send)

        assert rapport.wait_until_idle()
        replies = [texts(command.reply()) for command in commands]
        logged_against_one_new_partner(rapport, f"Ext Partner {round_}", replies)
    assert count(rapport.db, Partner) == ROUNDS


def test_people_new_to_rapport_writing_at_once_create_their_workspace_and_selves_once(
    rapport: RunningRapport, slack: SlackStandIn, no_errors_logged: None
) -> None:
    users = colleagues(slack, PEOPLE // 2)

    # Each newcomer sends two commands at once, beside everyone else's two.
    commands = at_once(PEOPLE, lambda i: rapport.command('"Nordwind" call', user=users[i // 2]))

    assert rapport.wait_until_idle()
    replies = [texts(command.reply()) for command in commands]
    logged_against_one_new_partner(rapport, "Nordwind", replies)
    assert count(rapport.db, Workspace) == 1
    assert sorted(m.slack_user_id for m in all_of(rapport.db, Member)) == users


@pytest.mark.parametrize("language", ["en-US", "de-DE"])
def test_twenty_forms_naming_the_same_new_partner_at_once_save_against_one(
    rapport: RunningRapport, slack: SlackStandIn, language: str, no_errors_logged: None
) -> None:
    users = colleagues(slack)
    for user in users:
        slack.add_user(user, name=user.lower(), locale=language)
    cached(rapport, users)
    views = []
    for user in users:
        rapport.command("", user=user)
        views.append(rapport.slack.views()[-1])

    answers = at_once(
        PEOPLE,
        lambda i: rapport.submit(
            views[i], state_from(views[i], new_partner="Nordwind"), user=users[i]
        ),
    )

    assert [(a.status, a.body) for a in answers] == [(200, "")] * PEOPLE
    assert rapport.wait_until_idle()
    [partner] = all_of(rapport.db, Partner)
    contacts = all_of(rapport.db, Interaction)
    assert len(contacts) == PEOPLE and {i.partner_id for i in contacts} == {partner.id}
    assert sum(i.created_partner for i in contacts) == 1
