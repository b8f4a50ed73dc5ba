"""Who may use Rapport: the company's own members, and nobody else.

Partner notes are for the company. Workspace guests (Slack's multi- and single-channel guests)
and people from other organisations (Slack Connect) are refused by every command, button, form
and suggestion, before any partner data is read. Three checks, each where the facts are at hand:

- the request itself: an interaction whose `user.team_id` is not the team the request acts in
  (`from_another_organisation`, run by a global middleware before any listener);
- the cache: every use case loads the person asking through `bot.usecases.members.asker`, which
  refuses a member cached as a guest, so an ordinary member costs no query beyond the one that
  loads them;
- Slack: a first-time user is looked up after the ack, and `outsider` decides whether what Slack
  said makes them a member; a guest is cached as a guest, and nobody is cached on a guess.
"""

from __future__ import annotations

from typing import Any

from bot.rules.people import SlackPerson


def outsider(person: SlackPerson | None, team_id: str) -> bool:
    """Whether what Slack said about someone makes them no member of `team_id`'s company: a
    guest, someone of another organisation, an app, or someone Slack does not know."""
    return (
        person is None or person.is_guest or person.is_bot or person.team_id not in (None, team_id)
    )


def from_another_organisation(body: dict[str, Any], team_id: str | None) -> bool:
    """Whether an interaction says its user belongs to another team than the one it acts in.

    `team_id` is the workspace the request acts in (Bolt's `context.team_id`): `team.id`, or the
    team that installed the app for a modal opened in a Slack Connect channel. On Enterprise
    Grid, `user.team_id` may name the organisation instead of the workspace, which is the same
    company. Slash commands carry no team of the user's own; for them Slack is asked.
    """
    user = body.get("user")
    user_team = user.get("team_id") if isinstance(user, dict) else None
    if not user_team:
        return False
    return user_team not in {team_id, *_enterprise_ids(body)}


def _enterprise_ids(body: dict[str, Any]) -> set[str]:
    team = body.get("team")
    enterprise = body.get("enterprise")
    found = {
        team.get("enterprise_id") if isinstance(team, dict) else None,
        enterprise.get("id") if isinstance(enterprise, dict) else enterprise,
        body.get("enterprise_id"),
    }
    return {value for value in found if isinstance(value, str) and value}
