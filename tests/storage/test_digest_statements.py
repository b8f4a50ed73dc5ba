"""A digest's statements are built once per process and compiled once per engine, on SQLite
and PostgreSQL: drawing a digest binds new values (members, listed ids, days) into statements
SQLAlchemy has already compiled, whatever the number of ids expanded into their IN lists; and
the listed partners read by ids are the rows a list reads for the same partners."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.engine.default import CACHE_HIT, CACHE_MISS

from bot.blocks.digest import DigestMessage
from bot.rules.nudges import MAX_UNANSWERED
from bot.texts.reader import text
from bot.usecases.digests import content as digest_content
from bot.usecases.digests.content import Shown, render_digest
from storage.db import Database
from storage.models import DigestSubscription, Interaction, Member, Partner, Workspace
from storage.queries.digests import content
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.partner_lists import (
    PartnerFilter,
    by_ids_statement,
    partner_page,
    partners_by_ids,
)
from tests.support.plans import explained, plan_of

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=400)
OWNERS = ("U0ANNA", "U0BERT", "U0CLARA")
BUILDERS = (
    content._team_health_statement,
    content._one_sided_by_ids,
    content._unowned_statement,
    content._listed_statement,
    by_ids_statement,
)


def _world(db: Database) -> tuple[int, dict[str, list[int]]]:
    """A workspace whose three owners have 2, 3 and 5 neglected partners (no contact for over
    a year), Clara's first two logged long ago by Anna; and one partner nobody looks after.
    (workspace id, partner ids by owner's Slack id, "" for the unowned one)."""
    with db.transaction() as session:
        workspace = Workspace(team_id="T0STATEMENTS", created_at=LONG_AGO)
        session.add(workspace)
        session.flush()
        members = {
            user: Member(
                workspace_id=workspace.id,
                slack_user_id=user,
                name=user[2:].title(),
                refreshed_at=LONG_AGO,
            )
            for user in OWNERS
        }
        session.add_all(members.values())
        session.flush()
        ids: dict[str, list[int]] = {}
        for count, user in zip((2, 3, 5, 1), (*OWNERS, ""), strict=True):
            rows = [
                Partner(
                    workspace_id=workspace.id,
                    name=f"{user or 'Nobody'} {i}",
                    name_key=f"{user or 'nobody'} {i}".lower(),
                    owner_id=members[user].id if user else None,
                    created_at=LONG_AGO,
                )
                for i in range(count)
            ]
            session.add_all(rows)
            session.flush()
            ids[user] = [p.id for p in rows]
        logged = ids["U0CLARA"][:2]
        session.add_all(
            Interaction(
                workspace_id=workspace.id,
                partner_id=pid,
                member_id=members["U0ANNA"].id,
                kind="contact",
                occurred_at=LONG_AGO + timedelta(days=10),
                created_at=LONG_AGO + timedelta(days=10),
            )
            for pid in logged
        )
        session.flush()
        refresh_contact_times(session, logged)
        return workspace.id, ids


@contextmanager
def _cache_stats(db: Database) -> Iterator[list[tuple[Any, Any]]]:
    """Each SELECT sent meanwhile: the statement object executed, and how it was compiled
    (CACHE_HIT when SQLAlchemy reused a compiled form, CACHE_MISS when it compiled one); a
    read transaction's own BEGIN has no statement to cache."""
    seen: list[tuple[Any, Any]] = []

    def record(_conn: Any, _cursor: Any, sql: str, _params: Any, context: Any, _many: bool) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((context.invoked_statement, context.cache_hit))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _draw(db: Database, workspace_id: int, members: list[str], language: str) -> DigestMessage:
    subscription = DigestSubscription(
        id=1, workspace_id=workspace_id, tz="Europe/Berlin", language=language
    )
    with db.reading() as session:
        return render_digest(session, subscription, members, NOW, digest_id="D0STATEMENTS")


def test_a_digest_compiles_its_statements_once_and_builds_them_once(db: Database) -> None:
    workspace_id, ids = _world(db)
    with _cache_stats(db) as first:
        one = _draw(db, workspace_id, ["U0ANNA"], "en")
    postgres = db.engine.dialect.name == "postgresql"
    ours = {
        id(statement)
        for statement in (
            content._team_health_statement(postgres),
            content._one_sided_by_ids(),
            content._unowned_statement(),
            content._listed_statement(postgres),
        )
    }
    built = [builder.cache_info().currsize for builder in BUILDERS]
    # A second and third channel: other members, other numbers of ids in every IN list, the
    # other language.
    with _cache_stats(db) as later:
        two = _draw(db, workspace_id, ["U0BERT", "U0CLARA"], "de")
        three = _draw(db, workspace_id, [*OWNERS, "U0NOBODY"], "en")
    assert CACHE_MISS in {stat for _, stat in first}  # a new engine compiles them
    # Then every SELECT is one of the statements built once, its compiled form reused.
    assert later and all(stat is CACHE_HIT for _, stat in later), later
    assert all(id(statement) in ours for statement, _ in [*first, *later])
    assert [builder.cache_info().currsize for builder in BUILDERS] == built
    # And each drew its own channel: its members' neglected partners, then the unowned one.
    assert one.partner_ids == [*ids["U0ANNA"], *ids[""]]
    assert sorted(two.partner_ids) == sorted([*ids["U0BERT"], *ids["U0CLARA"], *ids[""]])
    assert sorted(three.partner_ids) == sorted(pid for group in ids.values() for pid in group)
    assert "Anna" in str(two.reply.blocks) and not one.more and not three.more


def test_partners_read_by_ids_are_the_rows_a_list_reads(db: Database) -> None:
    workspace_id, ids = _world(db)
    wanted = [*ids["U0CLARA"], *ids[""], ids["U0ANNA"][0]]
    for today in (date(2026, 11, 30), date(2027, 6, 1)):
        with db.reading() as session:
            listed = partner_page(
                session,
                workspace_id,
                PartnerFilter(partner_ids=tuple(wanted)),
                today=today,
                offset=0,
                limit=None,
                reminders=MAX_UNANSWERED,
            )
            by_ids = partners_by_ids(
                session, workspace_id, wanted, today=today, reminders=MAX_UNANSWERED
            )
            other_workspace = partners_by_ids(
                session, workspace_id + 1, wanted, today=today, reminders=MAX_UNANSWERED
            )
        assert by_ids == listed and len(by_ids) == len(wanted)
        assert {row.last_contact_by_name for row in by_ids} == {"Anna", None}
        assert other_workspace == []


def test_a_digest_of_only_its_members_partners_reads_no_contacts_twice(db: Database) -> None:
    """The choice already read whether the members' own partners' contacts went one way; the
    drawing reads it only for partners the choice did not judge (nobody's)."""
    workspace_id, ids = _world(db)
    with db.transaction() as session:
        nobody = session.get_one(Partner, ids[""][0])
        session.delete(nobody)
    with _cache_stats(db) as sent:
        drawn = _draw(db, workspace_id, ["U0ANNA", "U0BERT"], "en")
    assert sorted(drawn.partner_ids) == sorted([*ids["U0ANNA"], *ids["U0BERT"]])
    executed = {id(statement) for statement, _ in sent}
    assert id(content._one_sided_by_ids()) not in executed
    assert id(content._team_health_statement(db.backend == "postgresql")) in executed


def test_counting_partners_nobody_looks_after_reads_only_members_who_left(db: Database) -> None:
    """The count looks up the members who left or are guests through their partial index,
    not every member of the workspace."""
    workspace_id, _ = _world(db)
    with db.reading() as session:
        assert content.count_unowned(session, workspace_id) == 1
        explained = plan_of(session, lambda s: content.count_unowned(s, workspace_id))
    assert "ix_members_not_looking_after" in explained, explained


def _drawn_partners(message: DigestMessage) -> list[str]:
    """Each partner's section as drawn (name, states, contact, menu), in order."""
    return [
        str(block.to_dict()) for block in message.reply.blocks if "accessory" in block.to_dict()
    ]


def test_an_owner_leaving_while_a_digest_is_drawn_lists_their_partners_one_way(
    db: Database,
) -> None:
    """Anna leaves (another transaction commits) after the choice read her partners as hers and
    before the drawing reads their rows. PostgreSQL's statements each see what was committed
    before them, SQLite's read transaction keeps its snapshot: either way every partner is
    drawn as one reading of it, as a redraw of the same partners shows it before or after she
    left, never owned by the states and nobody's by the group (or the other way round)."""
    workspace_id, _ = _world(db)
    subscription = DigestSubscription(id=1, workspace_id=workspace_id, tz="UTC", language="en")
    members = list(OWNERS)
    with db.reading() as session:
        first = render_digest(session, subscription, members, NOW, digest_id="D0RACE")
        shown = Shown(first.partner_ids, first.more)
        before = render_digest(session, subscription, members, NOW, shown, digest_id="D0RACE")
    by_ids = id(content._listed_statement(db.backend == "postgresql"))
    left: list[bool] = []

    def leave(_c: Any, _cur: Any, _sql: str, _params: Any, context: Any, _many: bool) -> None:
        if left or id(context.invoked_statement) != by_ids:
            return
        left.append(True)
        with db.engine.begin() as other:
            other.execute(
                update(Member)
                .where(Member.workspace_id == workspace_id, Member.slack_user_id == "U0ANNA")
                .values(active=False)
            )

    event.listen(db.engine, "before_cursor_execute", leave)
    try:
        with db.reading() as session:
            raced = render_digest(session, subscription, members, NOW, digest_id="D0RACE")
    finally:
        event.remove(db.engine, "before_cursor_execute", leave)
    assert left
    with db.reading() as session:
        after = render_digest(session, subscription, members, NOW, shown, digest_id="D0RACE")
    assert sorted(raced.partner_ids) == sorted(first.partner_ids)
    assert _drawn_partners(before) != _drawn_partners(after)
    assert _drawn_partners(raced) in (_drawn_partners(before), _drawn_partners(after))


def test_the_drawing_reuses_the_choices_states_of_rows_unchanged(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With nothing changed between the choice and the drawing, the members' own partners are
    judged once (by the choice), the one nobody looks after once (by the drawing)."""
    workspace_id, ids = _world(db)
    judged: list[int] = []
    real = digest_content.health_of

    def counted(row: Any, *args: Any, **kwargs: Any) -> Any:
        judged.append(row.id)
        return real(row, *args, **kwargs)

    monkeypatch.setattr(digest_content, "health_of", counted)
    drawn = _draw(db, workspace_id, list(OWNERS), "de")
    assert sorted(drawn.partner_ids) == sorted(pid for listed in ids.values() for pid in listed)
    assert sorted(judged) == sorted(drawn.partner_ids)


def test_partners_nobody_looks_after_are_counted_exactly_as_owners_come_and_go(
    db: Database,
) -> None:
    """An owner who becomes a guest, leaves, or both, and comes back: the count (through the
    partial index of members who left or are guests) follows every change, and agrees with
    the rows a digest with room reads."""
    workspace_id, ids = _world(db)

    def becomes(user: str, **values: bool) -> None:
        with db.transaction() as session:
            session.execute(
                update(Member)
                .where(Member.workspace_id == workspace_id, Member.slack_user_id == user)
                .values(**values)
            )

    def counted() -> tuple[int, int]:
        with db.reading() as session:
            counted = content.count_unowned(session, workspace_id)
            read = len(content.unowned_rows(session, workspace_id))
        return counted, read

    assert counted() == (1, 1)
    steps: list[tuple[str, dict[str, bool], int]] = [
        ("U0BERT", {"is_guest": True}, 1 + 3),
        ("U0CLARA", {"active": False}, 1 + 3 + 5),
        ("U0BERT", {"active": False}, 1 + 3 + 5),
        ("U0BERT", {"is_guest": False}, 1 + 3 + 5),
        ("U0BERT", {"active": True}, 1 + 5),
        ("U0CLARA", {"active": True, "is_guest": True}, 1 + 5),
        ("U0CLARA", {"is_guest": False}, 1),
    ]
    for user, values, expected in steps:
        becomes(user, **values)
        assert counted() == (expected, expected), (user, values)
    assert len(ids["U0BERT"]) == 3 and len(ids["U0CLARA"]) == 5


def test_a_full_digest_counts_the_unowned_through_the_partial_index(db: Database) -> None:
    """A digest whose own partners fill it counts those nobody looks after in the statement
    that chose them (captured as sent, with its values), planned on the partial index by both
    databases, and the count is exact."""
    workspace_id, ids = _world(db)
    with db.transaction() as session:
        anna = session.scalars(
            select(Member).where(
                Member.workspace_id == workspace_id, Member.slack_user_id == "U0ANNA"
            )
        ).one()
        session.add_all(
            Partner(
                workspace_id=workspace_id,
                name=f"Full {i}",
                name_key=f"full {i}",
                owner_id=anna.id,
                created_at=LONG_AGO,
            )
            for i in range(60)
        )
        # Clara leaves: her five are nobody's too, beside the one that always was.
        session.execute(
            update(Member)
            .where(Member.workspace_id == workspace_id, Member.slack_user_id == "U0CLARA")
            .values(active=False)
        )
    seen: list[tuple[str, Any]] = []
    choosing = content._team_health_statement(db.backend == "postgresql")

    def record(_c: Any, _cur: Any, sql: str, params: Any, context: Any, _many: bool) -> None:
        assert context.invoked_statement is not content._unowned_statement()
        if context.invoked_statement is choosing:
            seen.append((sql, params))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        drawn = _draw(db, workspace_id, ["U0ANNA"], "en")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    listable = 60 + len(ids["U0ANNA"])
    assert drawn.more == listable + 1 + len(ids["U0CLARA"]) - len(drawn.partner_ids)
    [(statement, parameters)] = seen
    with db.reading() as session:
        plan = explained(session, statement, parameters)
    assert "ix_members_not_looking_after" in plan, plan


def test_a_posted_digest_draws_each_partner_as_its_redraw_does(db: Database) -> None:
    """States judged by the choice (the members' own), by the drawing (nobody's), one-sided
    ones of both kinds, a guest's partners: posted and redrawn at the same instant, the
    message is the same, in English and German."""
    workspace_id, ids = _world(db)
    with db.transaction() as session:
        bert = session.scalars(
            select(Member).where(
                Member.workspace_id == workspace_id, Member.slack_user_id == "U0BERT"
            )
        ).one()
        one_way = {ids["U0BERT"][0]: "gave", ids[""][0]: "received", ids["U0ANNA"][0]: "gave"}
        session.add_all(
            Interaction(
                workspace_id=workspace_id,
                partner_id=pid,
                member_id=bert.id,
                kind="contact",
                direction=direction,
                occurred_at=NOW - timedelta(days=3 + i),
                created_at=NOW - timedelta(days=3 + i),
            )
            for pid, direction in one_way.items()
            for i in range(6)
        )
        session.flush()
        refresh_contact_times(session, list(one_way))
        session.execute(
            update(Member)
            .where(Member.workspace_id == workspace_id, Member.slack_user_id == "U0CLARA")
            .values(is_guest=True)
        )
    for language in ("en", "de"):
        subscription = DigestSubscription(
            id=1, workspace_id=workspace_id, tz="Europe/Berlin", language=language
        )
        with db.reading() as session:
            posted = render_digest(session, subscription, list(OWNERS), NOW, digest_id="D0SAME")
            shown = Shown(posted.partner_ids, posted.more)
            redrawn = render_digest(session, subscription, [], NOW, shown, digest_id="D0SAME")
        drawn = [str(block.to_dict()) for block in posted.reply.blocks]
        assert drawn == [str(block.to_dict()) for block in redrawn.reply.blocks]
        assert set(one_way) <= set(posted.partner_ids)
        assert len(posted.partner_ids) == 11
        # Anna's, Bert's and the unowned one's contacts of the last days all went one way.
        sided = text(language, "health.one_sided")
        assert sum(sided in block for block in drawn) == 3
