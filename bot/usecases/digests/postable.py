"""May a digest's channel be shown partner data right now? One check, made afresh with Slack
before a digest is posted (`scheduler.digests`) and before a posted one is redrawn after a
menu press (`bot.usecases.digests.buttons`), so that neither path shows more than the other.

The channel is asked about with `conversations.info` and its members paged
(`bot.slack.conversations.channel_info`, never cached facts): a channel shared with another
organisation, or with an invitation to share pending, or with a person of another organisation
in it, is "shared" (the subscription is suspended at posting); an archived channel or one the
bot left is "gone"; a channel whose members cannot all be listed, or with a workspace guest in
it, may not be shown partner data either. Rapport's own members are judged by their row (a
guest's row says so), everyone else through the directory's cached `users.info`.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient

from bot.slack.conversations import ChannelFacts, channel_info
from bot.usecases.slack_directory import SlackDirectory
from storage.db import Database
from storage.queries.digests.outbox import guest_flags, team_of

# Why a channel may not be shown a digest, as `digests.error` keeps it.
EXT_SHARED, PENDING_EXT_SHARED = "ext_shared", "pending_ext_shared"
GUESTS = "guests"
MEMBERS_UNLISTED = "members_unlisted"  # too many members to list, so guests cannot be ruled out
CHANNEL_NOT_FOUND, NOT_IN_CHANNEL, IS_ARCHIVED = (
    "channel_not_found",
    "not_in_channel",
    "is_archived",
)


@dataclass(frozen=True)
class Verdict:
    """What Slack said about a digest's channel just now.

    `members`: the channel's members (Slack ids, sorted) when a digest may be shown there;
    otherwise None, with `error` saying why, `shared` set when people outside the company can
    read it (the subscription is to be suspended), and `gone` when the bot cannot post there.
    """

    members: list[str] | None = None
    error: str | None = None
    shared: bool = False
    gone: bool = False


def channel_verdict(
    db: Database, client: WebClient, directory: SlackDirectory, workspace_id: int, channel: str
) -> Verdict:
    """Whether `channel` of the workspace may be shown a digest now. Raises
    `bot.slack.users.LookupFailed` when Slack did not answer (the caller waits or refuses)."""
    facts = channel_info(client, channel)
    if facts is None:
        return Verdict(error=CHANNEL_NOT_FOUND, gone=True)
    return _judge(db, client, directory, workspace_id, facts)


def _judge(
    db: Database,
    client: WebClient,
    directory: SlackDirectory,
    workspace_id: int,
    facts: ChannelFacts,
) -> Verdict:
    if facts.is_archived or not facts.bot_is_member:
        return Verdict(error=IS_ARCHIVED if facts.is_archived else NOT_IN_CHANNEL, gone=True)
    if facts.is_ext_shared or facts.is_pending_ext_shared:
        return Verdict(error=EXT_SHARED if facts.is_ext_shared else PENDING_EXT_SHARED, shared=True)
    if facts.member_ids is None:
        return Verdict(error=MEMBERS_UNLISTED)
    members = sorted(facts.member_ids)
    with db.reading() as session:
        team = team_of(session, workspace_id)
        known = guest_flags(session, workspace_id, members)
    unknown = [user for user in members if user not in known]
    people = directory.people(client, team, unknown, ask_at_most=len(unknown), complete=True)
    # Apps (Rapport among them) read nothing of a digest that matters here; people do.
    humans = [person for person in people.values() if not person.is_bot]
    if any(person.team_id not in (None, team) for person in humans):
        return Verdict(error=EXT_SHARED, shared=True)  # a person of another organisation is in it
    if any(known.values()) or any(person.is_guest for person in humans):
        return Verdict(error=GUESTS)
    return Verdict(members=members)
