"""Rapport's vocabulary and limits: the values a column may hold and how long a text may be.

Dependency-free, so that the readers of what people type (`bot.parsing`) and the rules
(`bot.rules`) share them with the tables (`storage.models`) without importing SQLAlchemy.
"""

from __future__ import annotations

import re

MEDIA = ("call", "video", "meeting", "email", "message", "event")
KINDS = ("contact", "check-in", "update", "request", "problem", "social")
DIRECTIONS = ("gave", "received", "mutual")
SOURCES = ("command", "modal", "shortcut")
PROMISE_STATUSES = ("open", "kept", "renegotiated", "dropped")
# Who gave the promise: one of us to the partner, or the partner to us.
PROMISED_BY = ("us", "partner")
PARTNER_STATUSES = ("active", "paused")
PREFERRED_CHANNELS = ("email", "phone", "meeting", "slack")
NUDGE_KINDS = ("check_in", "promise")
NUDGE_STATES = ("pending", "sent", "dead", "skipped")
# What the recipient answered with a nudge DM's buttons (see bot.usecases.nudge_answers).
NUDGE_ANSWERS = ("checked_in", "snoozed", "paused", "kept", "more_time", "dropped")
LANGUAGES = ("en", "de")
# ready: waiting to be sent; sending: the call to Slack started and its outcome is not yet known.
BUNDLE_STATES = ("ready", "sending", "sent", "dead")
NOTE_MAX_CHARS = 3000
NAME_MAX_CHARS = 200
# Case folding can lengthen a name ("ß" folds to "ss", some letters to three characters): a key
# has room for three times the longest name, so a name that fits always has a key that fits.
NAME_KEY_MAX_CHARS = 3 * NAME_MAX_CHARS
# What Slack tells about people is cached in these columns, cut or checked to fit them first.
SLACK_ID_MAX_CHARS = 32
TZ_MAX_CHARS = 64
LOCALE_MAX_CHARS = 16
EMAIL_MAX_CHARS = 320
EVENT_ID_MAX_CHARS = 64
DEFAULT_CADENCE_DAYS = 90
DEFAULT_WORK_START = 9 * 60
DEFAULT_WORK_END = 18 * 60
DEFAULT_WORK_DAYS = "12345"  # ISO weekdays, Monday = 1
ALL_DAYS = "1234567"


def name_key(name: str | None) -> str:
    """How names compare: case-folded ("Straße" = "STRASSE") with runs of spaces folded."""
    return re.sub(r"\s+", " ", (name or "").strip()).casefold()
