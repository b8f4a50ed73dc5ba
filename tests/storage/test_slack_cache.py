"""The Slack caches on both backends: a channel saved again replaces its row and its members
whole, in batches however many there are; people are read back in batches; membership changes
touch only cached channels; a workspace's deletion takes its caches with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from storage.db import Database
from storage.models import ChannelMember, SlackChannel, SlackPersonRow, Workspace
from storage.queries import slack_cache as cache

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def workspace(db: Database) -> int:
    with db.transaction() as session:
        row = Workspace(team_id="T0CACHE", created_at=NOW)
        session.add(row)
        session.flush()
        return row.id


def save(db: Database, ws: int, members: list[str] | None, **facts: object) -> None:
    values: dict = {
        "is_private": False,
        "is_ext_shared": True,
        "is_pending_ext_shared": False,
        "member_count": len(members) if members is not None else 5_000,
    }
    values.update(facts)
    with db.transaction() as session:
        cache.save_channel(session, ws, "C0CACHE", member_ids=members, now=NOW, **values)


def test_a_channel_saved_again_replaces_its_row_and_members_whole(db: Database) -> None:
    ws = workspace(db)
    first = [f"U{n:05d}" for n in range(1_200)]  # three batches
    save(db, ws, first)
    with db.reading() as session:
        cached = cache.cached_channel(session, ws, "C0CACHE")
    assert cached is not None and cached.member_ids == frozenset(first)

    save(db, ws, ["U0ONE", "U0TWO"], is_ext_shared=False, is_private=True)
    with db.reading() as session:
        cached = cache.cached_channel(session, ws, "C0CACHE")
        assert session.scalars(select(SlackChannel)).one().members_known
    assert cached is not None
    assert (cached.is_ext_shared, cached.is_private, cached.member_count) == (False, True, 2)
    assert cached.member_ids == {"U0ONE", "U0TWO"}

    save(db, ws, None)  # grown past what is listed: its count alone
    with db.reading() as session:
        cached = cache.cached_channel(session, ws, "C0CACHE")
        assert session.scalars(select(ChannelMember)).all() == []
    assert cached is not None and (cached.member_count, cached.member_ids) == (5_000, None)


def test_membership_changes_touch_only_cached_channels(db: Database) -> None:
    ws = workspace(db)
    with db.transaction() as session:
        assert not cache.add_channel_member(session, ws, "C0CACHE", "U0NEW")
        assert not cache.remove_channel_member(session, ws, "C0CACHE", "U0NEW")
        assert not cache.set_channel_sharing(session, ws, "C0CACHE", is_ext_shared=True)
        assert not cache.forget_channel(session, ws, "C0CACHE")
    assert db_rows(db) == (0, 0)

    save(db, ws, ["U0A", "U0B"])
    with db.transaction() as session:
        assert cache.add_channel_member(session, ws, "C0CACHE", "U0C")
        assert not cache.add_channel_member(session, ws, "C0CACHE", "U0C")  # known already
        assert cache.remove_channel_member(session, ws, "C0CACHE", "U0A")
        assert not cache.remove_channel_member(session, ws, "C0CACHE", "U0A")
    with db.reading() as session:
        cached = cache.cached_channel(session, ws, "C0CACHE")
    assert cached is not None and (cached.member_count, cached.member_ids) == (2, {"U0B", "U0C"})

    save(db, ws, None, member_count=1)  # too large to list: the count is all there is
    with db.transaction() as session:
        assert cache.remove_channel_member(session, ws, "C0CACHE", "U0X")
        assert cache.remove_channel_member(session, ws, "C0CACHE", "U0Y")  # never below 0
        assert cache.add_channel_member(session, ws, "C0CACHE", "U0Z")
    with db.reading() as session:
        cached = cache.cached_channel(session, ws, "C0CACHE")
    assert cached is not None and cached.member_count == 1


def test_people_are_read_back_in_batches_and_refreshed_only_when_cached(db: Database) -> None:
    ws = workspace(db)
    ids = [f"U{n:05d}" for n in range(1_100)]
    profile = {"team_id": "T0OTHER", "name": "Someone", "tz": "Asia/Tokyo", "locale": None}
    flags = {"is_bot": False, "is_guest": False, "deleted": False}
    with db.transaction() as session:
        for uid in ids:
            cache.save_person(session, ws, uid, NOW, **profile, **flags)
        cache.save_person(session, ws, ids[0], NOW, **{**profile, "tz": "Asia/Seoul"}, **flags)
    later = NOW + timedelta(hours=2)
    with db.transaction() as session:
        assert cache.refresh_person(session, ws, ids[1], later, tz="Europe/Lisbon")
        assert not cache.refresh_person(session, ws, "U0NEVER", later, tz="Europe/Lisbon")
        assert cache.forget_person(session, ws, ids[2])

    with db.reading() as session:
        found = cache.cached_people(session, ws, [*ids, "U0NEVER"])
    assert len(found) == 1_099
    assert (found[ids[0]].tz, found[ids[1]].tz, found[ids[3]].tz) == (
        "Asia/Seoul",
        "Europe/Lisbon",
        "Asia/Tokyo",
    )
    assert found[ids[1]].refreshed_at == later


def test_a_workspace_deleted_takes_its_caches_with_it(db: Database) -> None:
    ws = workspace(db)
    save(db, ws, ["U0A", "U0B"])
    with db.transaction() as session:
        cache.save_person(
            session, ws, "U0A", NOW, team_id=None, name="A", tz=None, locale=None,
            is_bot=False, is_guest=False, deleted=False,
        )  # fmt: skip
    with db.transaction() as session:
        session.execute(delete(Workspace).where(Workspace.id == ws))
    assert db_rows(db) == (0, 0)
    with db.reading() as session:
        assert session.scalars(select(SlackPersonRow)).all() == []


def db_rows(db: Database) -> tuple[int, int]:
    with db.reading() as session:
        return (
            len(session.scalars(select(SlackChannel)).all()),
            len(session.scalars(select(ChannelMember)).all()),
        )
