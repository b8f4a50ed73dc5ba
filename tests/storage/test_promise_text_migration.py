"""Migration 0008 takes the stale due words out of open promises already stored, on both
backends, and changes nothing it cannot be sure of."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select

from storage.db import Database
from storage.migrate import MIGRATIONS, alembic_config, is_current, upgrade
from storage.models import Interaction, Member, Promise, UTCDateTime, Workspace

REVISION = "0008"
# Logged on Wednesday 25 November 2026 at 10:00 in Berlin; in New York it is still the 25th,
# in Tokyo already evening of the 25th.
LOGGED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


# The partners table as it was before 0008, with the columns these tests write: the model's
# defaults would fill in columns added later.
_PARTNERS_0007 = sa.table(
    "partners",
    sa.column("id", sa.Integer),
    sa.column("workspace_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("name_key", sa.String),
    sa.column("organisation_key", sa.String),
    sa.column("cadence_days", sa.Integer),
    sa.column("status", sa.String),
    sa.column("created_at", UTCDateTime),
)


def _before_0008(db: Database) -> None:
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(REVISION).down_revision
    assert isinstance(previous, str)
    command.downgrade(alembic_config(db.engine), previous)


def _store(db: Database, promises: list[tuple[str, str, date, str, datetime]]) -> list[int]:
    """Promises as an older Rapport stored them: (tz of the author, text, due, status, made)."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0MIGRATE", created_at=LOGGED)
        session.add(workspace)
        session.flush()
        # Inserted with the columns named, so that columns added after 0008 are left out.
        partner_id = session.execute(
            sa.insert(_PARTNERS_0007)
            .values(
                workspace_id=workspace.id,
                name="Acme",
                name_key="acme",
                organisation_key="",
                cadence_days=90,
                status="active",
                created_at=LOGGED,
            )
            .returning(_PARTNERS_0007.c.id)
        ).scalar_one()
        members = {
            tz: session.execute(
                sa.insert(Member.__table__)
                .values(
                    workspace_id=workspace.id,
                    slack_user_id=f"U{n}",
                    tz=tz,
                    # Berlin writes day first; the others in en-US, month first
                    locale="de-DE" if tz == "Europe/Berlin" else "en-US",
                    name="",
                    work_start_minute=540,
                    work_end_minute=1080,
                    work_days="12345",
                    is_admin=False,
                    active=True,
                    refreshed_at=LOGGED,
                )
                .returning(Member.__table__.c.id)
            ).scalar_one()
            for n, tz in enumerate(sorted({row[0] for row in promises}))
        }
        # Members, contacts and promises too: every later column stays out of an 0007 table.
        ids = []
        for tz, text, due, status, made in promises:
            owned = {
                "workspace_id": workspace.id,
                "partner_id": partner_id,
                "member_id": members[tz],
            }
            interaction_id = session.execute(
                sa.insert(Interaction.__table__)
                .values(**owned, occurred_at=made, created_at=made)
                .returning(Interaction.__table__.c.id)
            ).scalar_one()
            ids.append(
                session.execute(
                    sa.insert(Promise.__table__)
                    .values(
                        **owned,
                        interaction_id=interaction_id,
                        text=text,
                        due_on=due,
                        status=status,
                        created_at=made,
                    )
                    .returning(Promise.__table__.c.id)
                ).scalar_one()
            )
        return ids


def _texts(db: Database, ids: list[int]) -> list[str]:
    with db.transaction() as session:
        rows = {p.id: p.text for p in session.scalars(select(Promise).where(Promise.id.in_(ids)))}
    return [rows[i] for i in ids]


def test_open_promises_lose_their_due_words_when_the_words_give_the_stored_day(
    db: Database,
) -> None:
    _before_0008(db)
    berlin, new_york = "Europe/Berlin", "America/New_York"
    ids = _store(
        db,
        [
            (berlin, "Muster übermorgen schicken", date(2026, 11, 27), "open", LOGGED),
            (berlin, "Rückruf morgen früh", date(2026, 11, 26), "open", LOGGED),
            (new_york, "send the quote by Friday", date(2026, 11, 27), "open", LOGGED),
            (berlin, "bis Freitag", date(2026, 11, 27), "open", LOGGED),
            # moved since ("Need more time"): the words no longer give the stored day
            (berlin, "Angebot bis Freitag schicken", date(2026, 12, 4), "open", LOGGED),
            # kept or dropped: history, left as it was
            (berlin, "Vertrag übermorgen schicken", date(2026, 11, 27), "kept", LOGGED),
            (new_york, "send the deck tomorrow", date(2026, 11, 26), "dropped", LOGGED),
            # typed in the form, its day picked apart from the text
            (berlin, "Preise prüfen", date(2026, 12, 1), "open", LOGGED),
            # a text whose words read as a broken date are left alone
            (berlin, "Termin am 31.02. prüfen bis Freitag", date(2026, 11, 27), "open", LOGGED),
            # a version number is no date: the due words go, the number stays
            (berlin, "Version 31.02. prüfen bis Freitag", date(2026, 11, 27), "open", LOGGED),
            # the same rules as for new promises: a cut that breaks the sentence replaces, and
            # other date words become the days they named when the promise was logged
            (berlin, "Muster schicken am Montag oder Dienstag", date(2026, 11, 30), "open", LOGGED),
            (
                new_york,
                "call tomorrow, then send the quote by Friday",
                date(2026, 11, 27),
                "open",
                LOGGED,
            ),
            (new_york, "by Friday morning", date(2026, 11, 27), "open", LOGGED),
            # asked when logged (Friday on a Friday): the day stored is the answer given
            (berlin, "Angebot bis Freitag schicken", date(2026, 12, 4), "open", FRIDAY),
            (berlin, "Muster bis Freitag schicken", date(2026, 11, 27), "open", FRIDAY),
            # numeric dates read as the author writes them: 12/2 is asked in en-US, so kept
            (
                new_york,
                "call 12/2, then send the deck by Friday",
                date(2026, 11, 27),
                "open",
                LOGGED,
            ),
            (
                berlin,
                "Anruf 2.12., dann bis Freitag das Angebot",
                date(2026, 11, 27),
                "open",
                LOGGED,
            ),
        ],
    )
    upgrade(db.engine)
    assert is_current(db.engine)
    assert _texts(db, ids) == [
        "Muster schicken",
        "Rückruf",
        "send the quote",
        "bis 2026-11-27",
        "Angebot bis Freitag schicken",
        "Vertrag übermorgen schicken",
        "send the deck tomorrow",
        "Preise prüfen",
        "Termin am 31.02. prüfen bis Freitag",
        "Version 31.02. prüfen",
        "Muster schicken am 2026-11-30 oder 2026-12-01",
        "call 2026-11-26, then send the quote",
        "by 2026-11-27",
        "Angebot schicken",
        "Muster schicken",
        "call 12/2, then send the deck",
        "Anruf 2026-12-02, dann das Angebot",
    ]


def test_each_promise_is_read_on_the_day_it_was_logged_where_its_author_was(
    db: Database,
) -> None:
    """Late on 25 November in New York is already the 26th in Tokyo: "tomorrow" there is the
    27th. Each text is read in its author's zone, so both are recognised."""
    _before_0008(db)
    late = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)  # 22:30 on the 25th in New York
    ids = _store(
        db,
        [
            ("America/New_York", "call back tomorrow", date(2026, 11, 26), "open", late),
            ("Asia/Tokyo", "call back tomorrow", date(2026, 11, 27), "open", late),
            # read in UTC, this would be due on the 27th: it is left as it is
            ("America/New_York", "send the deck tomorrow", date(2026, 11, 27), "open", late),
        ],
    )
    upgrade(db.engine)
    assert _texts(db, ids) == ["call back", "call back", "send the deck tomorrow"]


def test_many_promises_are_migrated_in_batches(db: Database) -> None:
    _before_0008(db)
    count = 1100  # more than two batches of 500
    ids = _store(
        db,
        [
            (
                "Europe/Berlin",
                f"Muster {n} bis übermorgen schicken",
                date(2026, 11, 27),
                "open",
                LOGGED,
            )
            for n in range(count)
        ],
    )
    upgrade(db.engine)
    assert _texts(db, ids) == [f"Muster {n} schicken" for n in range(count)]
