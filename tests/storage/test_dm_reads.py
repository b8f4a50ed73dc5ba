"""The reads a nudge DM is prepared from, built once and run with the DM's values bound: each
finds only its workspace's and its DM's rows, on both backends, and `nudges_in` gives plain rows
of the columns the dispatcher reads (it changes nudges by id, never through entities)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Bundle, Interaction, Member, Nudge, Partner, Promise, Workspace
from storage.queries.contacts import directed_contacts_of_owner
from storage.queries.health.contact_times import refresh_contact_times
from storage.queries.outbox.bundles import nudges_in
from storage.queries.outbox.dm_reads import open_promises_to, partner_details, promise_subjects
from storage.queries.partners import collisions_to_tell
from storage.vocabulary import ONE_SIDED_DIRECTIONS

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DAY = date(2026, 11, 30)
BUNDLE, OTHER_BUNDLE, SENT_BUNDLE = (f"00000000-0000-0000-0000-00000000000{n}" for n in (1, 2, 3))


def _workspace(session: Session, team: str) -> tuple[int, Member, Member, Partner, Partner]:
    """A workspace with Alice and Bob, and two partners of Alice's: (id, alice, bob, acme,
    zeta)."""
    workspace = Workspace(team_id=team, created_at=AT)
    session.add(workspace)
    session.flush()
    alice, bob = (
        Member(workspace_id=workspace.id, slack_user_id=f"{team}{user}", refreshed_at=AT)
        for user in ("ALICE", "BOB")
    )
    session.add_all([alice, bob])
    session.flush()
    acme, zeta = (
        Partner(
            workspace_id=workspace.id,
            name=name,
            name_key=name.lower(),
            organisation_key="",
            owner_id=alice.id,
            created_at=AT,
        )
        for name in ("Acme", "Zeta")
    )
    session.add_all([acme, zeta])
    session.flush()
    return workspace.id, alice, bob, acme, zeta


def _nudge(member: Member, kind: str, subject: int, period: date, **kw: Any) -> Nudge:
    return Nudge(
        workspace_id=member.workspace_id,
        member_id=member.id,
        kind=kind,
        subject_id=subject,
        due_on=period,
        period=period,
        state=kw.pop("state", "pending"),
        created_at=AT,
        **kw,
    )


def _bundle(member: Member, bundle_id: str, day: date, state: str = "ready") -> Bundle:
    return Bundle(
        id=bundle_id,
        workspace_id=member.workspace_id,
        member_id=member.id,
        local_day=day,
        state=state,
        created_at=AT,
    )


def test_nudges_in_are_plain_rows_of_the_bundles_pending_nudges_in_order(db: Database) -> None:
    with db.transaction() as session:
        _, alice, bob, acme, zeta = _workspace(session, "T0ONE")
        session.add_all([_bundle(alice, BUNDLE, DAY), _bundle(bob, OTHER_BUNDLE, DAY)])
        yesterday = DAY - timedelta(days=1)
        session.add_all(
            [
                _nudge(alice, "promise", 7, DAY, bundle_id=BUNDLE),
                _nudge(alice, "check_in", zeta.id, DAY, bundle_id=BUNDLE),
                _nudge(alice, "check_in", acme.id, yesterday, bundle_id=BUNDLE),
                _nudge(alice, "handed_over", acme.id, DAY, bundle_id=BUNDLE, actor_id=bob.id),
                _nudge(alice, "promise", 8, DAY, bundle_id=BUNDLE, state="skipped"),
                _nudge(alice, "promise", 9, DAY),  # in no DM yet
                _nudge(bob, "promise", 7, DAY, bundle_id=OTHER_BUNDLE),
            ]
        )

    with db.reading() as session:
        rows = nudges_in(session, BUNDLE)
        assert not any(isinstance(row, Nudge) for row in rows)
        assert [(r.kind, r.subject_id, r.period) for r in rows] == [
            ("check_in", acme.id, yesterday),
            ("check_in", zeta.id, DAY),
            ("handed_over", acme.id, DAY),
            ("promise", 7, DAY),
        ]
        assert [(r.actor_id, r.handed_to_id) for r in rows][2] == (bob.id, None)
        assert nudges_in(session, SENT_BUNDLE) == []


def test_the_dms_promise_and_partner_reads_keep_to_their_workspace_and_ids(db: Database) -> None:
    with db.transaction() as session:
        workspace_id, alice, _, acme, zeta = _workspace(session, "T0TWO")
        other_id, stranger, _, theirs, _ = _workspace(session, "T0OTHER")
        promises = [
            Promise(
                workspace_id=member.workspace_id,
                partner_id=partner.id,
                member_id=member.id,
                text=text,
                due_on=DAY + timedelta(days=days),
                status=status,
                created_at=AT,
            )
            for member, partner, text, days, status in (
                (alice, acme, "send the offer", 2, "open"),
                (alice, acme, "call back", 1, "open"),
                (alice, zeta, "kept already", 0, "kept"),
                (stranger, theirs, "not ours", 0, "open"),
            )
        ]
        session.add_all(promises)
        session.flush()
        ids = [p.id for p in promises]

    with db.reading() as session:
        found = promise_subjects(session, workspace_id, ids)
        assert [p.text for p in found] == ["kept already", "call back", "send the offer"]
        assert promise_subjects(session, workspace_id, []) == []
        details = partner_details(session, workspace_id, [acme.id, zeta.id, theirs.id])
        assert {p: row.name for p, row in details.items()} == {acme.id: "Acme", zeta.id: "Zeta"}
        assert partner_details(session, other_id, [acme.id]) == {}
        open_ones = open_promises_to(session, workspace_id, [acme.id, zeta.id, theirs.id])
        assert {p: [row.text for row in rows] for p, rows in open_ones.items()} == {
            acme.id: ["call back", "send the offer"]
        }


def test_the_owners_directed_contacts_are_their_partners_since_the_day(db: Database) -> None:
    with db.transaction() as session:
        workspace_id, alice, bob, acme, zeta = _workspace(session, "T0THREE")
        bobs = Partner(
            workspace_id=workspace_id,
            name="Bobco",
            name_key="bobco",
            organisation_key="",
            owner_id=bob.id,
            created_at=AT,
        )
        session.add(bobs)
        session.flush()
        for partner, days_ago, direction in (
            (acme, 1, "gave"),
            (acme, 2, "mutual"),  # no direction that counts
            (zeta, 3, "received"),
            (zeta, 40, "gave"),  # before the window
            (bobs, 1, "gave"),  # another owner's partner
        ):
            when = AT - timedelta(days=days_ago)
            session.add(
                Interaction(
                    workspace_id=workspace_id,
                    partner_id=partner.id,
                    member_id=bob.id,  # whoever logged it: the partner's owner counts
                    occurred_at=when,
                    kind="contact",
                    direction=direction,
                    medium="call",
                    created_at=when,
                )
            )
        session.flush()
        refresh_contact_times(session, [acme.id, zeta.id, bobs.id])

    with db.reading() as session:
        since = AT - timedelta(days=30)
        rows = directed_contacts_of_owner(
            session, workspace_id, alice.id, since, ONE_SIDED_DIRECTIONS
        )
        assert sorted((r.partner_id, r.direction) for r in rows) == sorted(
            [(acme.id, "gave"), (zeta.id, "received")]
        )
        assert (
            directed_contacts_of_owner(session, workspace_id + 1, alice.id, since, ("gave",)) == []
        )


def test_collisions_are_told_until_a_sent_dm_told_them(db: Database) -> None:
    with db.transaction() as session:
        workspace_id, alice, bob, acme, zeta = _workspace(session, "T0FOUR")
        session.add_all(
            [
                _bundle(alice, BUNDLE, DAY),
                _bundle(alice, OTHER_BUNDLE, DAY + timedelta(days=1)),
                _bundle(alice, SENT_BUNDLE, DAY - timedelta(days=1), state="sent"),
            ]
        )
        session.flush()
        acme.key_collision = zeta.key_collision = True
        zeta.collision_told_in = SENT_BUNDLE
        theirs = Partner(  # Bob's, flagged too: not Alice's to be told of
            workspace_id=workspace_id,
            name="Acme",
            name_key="acme",
            organisation_key="acme gmbh",
            owner_id=bob.id,
            key_collision=True,
            created_at=AT,
        )
        session.add(theirs)

    def names(bundle_id: str) -> list[str]:
        with db.reading() as session:
            return [p.name for p in collisions_to_tell(session, workspace_id, alice.id, bundle_id)]

    assert names(BUNDLE) == ["Acme"]
    with db.transaction() as session:
        session.get_one(Partner, acme.id).collision_told_in = OTHER_BUNDLE  # not sent yet
        session.get_one(Partner, zeta.id).collision_told_in = BUNDLE
    assert names(BUNDLE) == ["Acme", "Zeta"]
    assert names(OTHER_BUNDLE) == ["Acme", "Zeta"]  # the DM that would tell Zeta's is unsent
    with db.transaction() as session:
        session.get_one(Bundle, BUNDLE).state = "sent"
    assert names(OTHER_BUNDLE) == ["Acme"]
