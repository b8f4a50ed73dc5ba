"""`/logcontact settings`: show a member's own working hours, language, holidays and public
holidays, or change
them. What the words mean is read in `bot.parsing.settings_text` (its docstring lists the
commands and the stored shapes); this applies a change to the member row inside the caller's
transaction and builds the reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, object_session

from bot.blocks.replies import Reply
from bot.blocks.settings import SettingsView, settings_problem_reply, settings_reply
from bot.parsing.settings_text import NOT_AWAY, SettingsChange, SettingsProblem, parse_settings
from bot.texts.reader import Reader, reader_of, writes_month_first
from storage import deadline as deadlines
from storage.models import Member
from storage.queries.after_hours import hints as hint_mutes
from storage.queries.outbox.planned import look_again_for_member
from storage.vocabulary import HINTS_EVERYWHERE


@dataclass(frozen=True)
class HintMutes:
    """Where a settings request reads and writes after-hours hint mutes: the caller's session,
    and the time of the request (when a mute was made)."""

    session: Session
    now: datetime


# --- the use case --------------------------------------------------------------------------------


def answer_settings(
    member: Member,
    reader: Reader,
    text: str,
    *,
    today: date,
    hints: HintMutes | None = None,
) -> Reply:
    """Show or change `member`'s settings on their local `today` (the caller's transaction saves
    the change). A new language answers in itself, so the member sees at once that it took.

    With `hints` (the caller's session and time), after-hours hint mutes are shown and changed
    too: they live in `hint_mutes`, not on the member row."""
    # Numeric dates as the member's Slack locale writes them, whatever language they chose.
    change = parse_settings(text, today=today, month_first=writes_month_first(member.locale))
    if isinstance(change, SettingsProblem):
        return settings_problem_reply(reader, change)
    apply_change(member, change)
    mutes: tuple[str, ...] | None = None
    if hints is not None:
        if change.hints is not None:
            apply_hints(hints.session, member, change.hints, hints.now)
        mutes = tuple(hint_mutes.mutes_of(hints.session, member.workspace_id, member.slack_user_id))
    if change.language is not None:
        reader = reader_of(member)
    return settings_reply(
        reader,
        SettingsView.of(member, today, hint_mutes=mutes),
        saved=not change.is_empty,
        back=change.away_until is NOT_AWAY,
    )


def apply_change(member: Member, change: SettingsChange) -> None:
    """Write what `change` names onto `member`, leaving everything else as it is."""
    if change.hours is not None:
        member.work_start_minute, member.work_end_minute = change.hours
    if change.days is not None:
        member.work_days = change.days
    if change.language is not None:
        member.language = change.language if isinstance(change.language, str) else None
        # Even an answer the web layer gives on its own is in the language just chosen.
        deadlines.locale_changed(member.slack_user_id, member.preferred_locale, asker=True)
    if change.away_until is not None:
        member.away_until = change.away_until if isinstance(change.away_until, date) else None
    if change.public_holidays is not None:
        # ZONE_COUNTRY is stored as None: the default follows the zone when Slack's changes.
        holidays = change.public_holidays
        member.public_holidays = holidays if isinstance(holidays, str) else None
    if change.hours is not None or change.days is not None or change.public_holidays is not None:
        # The days their nudges fall on move (a heads-up comes on the last working day).
        session = object_session(member)
        if session is not None:
            look_again_for_member(session, member.workspace_id, member.id)


def apply_hints(session: Session, member: Member, on: bool, now: datetime) -> None:
    """After-hours hints on everywhere (every mute taken back, per channel too) or off
    everywhere (one mute for every channel)."""
    hint_mutes.unmute(session, member.workspace_id, member.slack_user_id)
    if not on:
        hint_mutes.mute(session, member.workspace_id, member.slack_user_id, HINTS_EVERYWHERE, now)
