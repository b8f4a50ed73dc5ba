"""`/logcontact settings`: a member's own working hours, language, and holidays.

    /logcontact settings                                  show them
    /logcontact settings hours 8-17 days mon-fri          change both
    /logcontact einstellungen arbeitszeit 8:30-17 tage mo-fr
    /logcontact settings language de                      answer me in German (`auto`: as Slack)
    /logcontact settings away until Jan 4                 no nudges before 4 January
    /logcontact einstellungen zurück                      back early

Either language's words work for everyone; the reply is in the member's language, the new one
right after it changes. Hours are stored as minutes after local midnight (`work_start_minute`
from 0 to 1439, `work_end_minute` after it and at most 1440), days as ascending ISO weekday
digits (`work_days`, Monday = "1"), both applied in the member's Slack time zone. `language` is
"en", "de" or None (follow Slack). `away_until` is the local day the member is back: nudges wait
until then and arrive together that day. Away dates are read by the same forward-looking parser
as promise due dates, against the member's local today. Parsing and formatting are pure
functions; the caller owns the transaction and the member row.
"""

from __future__ import annotations

from datetime import date

from bot.blocks.replies import Reply
from bot.blocks.settings import SettingsView, settings_problem_reply, settings_reply
from bot.parsing.settings_text import NOT_AWAY, SettingsChange, SettingsProblem, parse_settings
from bot.texts.reader import Reader, reader_of
from storage.models import Member

# --- the use case --------------------------------------------------------------------------------


def answer_settings(member: Member, reader: Reader, text: str, *, today: date) -> Reply:
    """Show or change `member`'s settings on their local `today` (the caller's transaction saves
    the change). A new language answers in itself, so the member sees at once that it took."""
    change = parse_settings(text, today=today)
    if isinstance(change, SettingsProblem):
        return settings_problem_reply(reader, change)
    apply_change(member, change)
    if change.language is not None:
        reader = reader_of(member)
    return settings_reply(
        reader,
        SettingsView.of(member, today),
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
    if change.away_until is not None:
        member.away_until = change.away_until if isinstance(change.away_until, date) else None
