"""Forgetting what no longer needs remembering, on the planner's schedule."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk import WebClient

from bot.usecases.slack_directory import refresh_partners
from storage.db import Database
from storage.queries.pending import forget_pending_before
from storage.queries.received import forget_events_before

# Slack retries an event for about five minutes at most (at once, after 1 and after 5 minutes);
# a day leaves room for clocks and outages without keeping ids forever.
KEEP_EVENT_IDS = timedelta(days=1)
# A question about what someone typed waits an hour (`bot.usecases.log_contact.PENDING_FOR`);
# the text it holds is the person's note, kept no longer than that and a margin.
KEEP_PENDING = timedelta(hours=2)
# Slack Connect partners whose profile is asked about again per planner tick (every five
# minutes): 50 a tick is 14,400 a day, well within `users.info`'s rate limit.
REFRESH_PER_TICK = 50


def forget_old_event_ids(db: Database, now: datetime) -> int:
    """Delete Events API ids received more than `KEEP_EVENT_IDS` before `now`; how many went."""
    with db.transaction() as session:
        return forget_events_before(session, now - KEEP_EVENT_IDS)


def forget_unanswered_questions(db: Database, now: datetime) -> int:
    """Delete texts that waited longer than `KEEP_PENDING` for an answer; how many went."""
    with db.transaction() as session:
        return forget_pending_before(session, now - KEEP_PENDING)


def refresh_partner_profiles(db: Database, client: WebClient, now: datetime) -> int:
    """Read again the Slack profiles of partners last read more than a day ago (their zone,
    unless one was typed); how many Slack was asked about."""
    return refresh_partners(db, client, now, REFRESH_PER_TICK)
