"""Open promises kept without the words that said when they are due

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

Promises used to be stored as typed, due phrase included ("Muster übermorgen schicken"), which
reads wrong on every later day. New promises are stored without it
(`bot.parsing.promise_text`: the due phrase cut, or replaced by its date where a cut would break
the sentence, and every other date phrase replaced by the day it named); this does the same for
the open ones already stored. Each text is read again as on the day it was logged (its
`created_at` in its author's time zone), so other date words become the days they named then,
and changed
only when the phrase read there gives the due day stored: a promise whose day was moved since,
or typed in the form with a day picked apart from its text, keeps its text. Rows are read and
written in batches, so a large table never sits in memory at once.

The downgrade leaves the texts as they are: the cut words are not kept anywhere, and a text
without them is still right.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

from bot.parsing.dates import BadDate, read_due
from bot.parsing.promise_text import without_due_phrase
from bot.parsing.questions import NeedsAnswer
from bot.texts.reader import writes_month_first

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

_promises = sa.table(
    "promises",
    sa.column("id", sa.Integer),
    sa.column("member_id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("due_on", sa.Date),
    sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime),
)
_members = sa.table(
    "members",
    sa.column("id", sa.Integer),
    sa.column("tz", sa.String),
    sa.column("locale", sa.String),
    sa.column("language", sa.String),
)


def upgrade() -> None:
    connection = op.get_bind()
    after = 0
    while True:
        rows = connection.execute(
            sa.select(
                _promises.c.id,
                _promises.c.text,
                _promises.c.due_on,
                _promises.c.created_at,
                _members.c.tz,
                _members.c.locale,
                _members.c.language,
            )
            .join(_members, _members.c.id == _promises.c.member_id)
            .where(_promises.c.status == "open", _promises.c.id > after)
            .order_by(_promises.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        changes = [
            {"row_id": row.id, "old": row.text, "new": new}
            for row in rows
            if (
                new := kept_text(
                    row.text,
                    row.due_on,
                    logged_on(row.created_at, row.tz),
                    month_first=month_first(row.locale, row.language),
                )
            )
            is not None
        ]
        if changes:
            connection.execute(
                _promises.update()
                .where(
                    _promises.c.id == sa.bindparam("row_id"),
                    _promises.c.text == sa.bindparam("old"),
                )
                .values(text=sa.bindparam("new")),
                changes,
            )
        after = rows[-1].id


def downgrade() -> None:
    """Nothing to undo: the words taken out are not kept (see the module's docstring)."""


def logged_on(created_at: datetime, tz: str | None) -> date:
    """The calendar day a promise was logged on, where its author was (stored naive UTC)."""
    try:
        zone = ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return created_at.replace(tzinfo=UTC).astimezone(zone).date()


def month_first(locale: str | None, language: str | None) -> bool:
    """Whether the author writes numeric dates month first, as `/logcontact` reads them: by the
    locale Rapport speaks to them in (`Member.preferred_locale`, repeated here as the migration
    must not depend on the models as they change)."""
    locale = locale or "en-US"
    if language and not locale.lower().startswith(language):
        locale = language
    return writes_month_first(locale)


def kept_text(text: str, due_on: date, logged: date, *, month_first: bool = False) -> str | None:
    """The text without its due phrase, when that phrase, read on `logged`, says `due_on`;
    None when the text is to stay as it is. Other dates in it become the days they named on
    `logged`, numeric ones read as the author writes them (`month_first`)."""
    # Where the words could name two days, the member was asked when logging; the day stored
    # is the answer they gave, so it is given again (a text that cannot mean it is left).
    answers = {"due": due_on.isoformat()}
    try:
        found = read_due(text, today=logged, month_first=month_first, answers=answers)
    except (BadDate, NeedsAnswer):
        return None
    if found is None or found.due != due_on:
        return None
    new = without_due_phrase(text, found, today=logged, month_first=month_first)
    return new if new != text else None
