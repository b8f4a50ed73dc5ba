"""A team digest's choosing statement and its listed rows at their edges, on SQLite and
PostgreSQL alike (each backend reads promises past their reminders and one-sided contacts in
its own form): one-sided partners at the `ONE_SIDED_MIN_CONTACTS` edge and the window's ends,
promises exactly at their last reminder, and live claims whose claimer left, became a guest,
or whose claim ran out. Each expectation is written out, so both backends must give it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from storage.db import Database
from storage.models import Interaction, Member, Nudge, Partner, PartnerClaim, Promise, Workspace
from storage.queries.digests import content
from storage.queries.health.contact_times import refresh_contact_times
from storage.vocabulary import ONE_SIDED_DAYS

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
SINCE = NOW - timedelta(days=ONE_SIDED_DAYS)
REMINDERS = 3

# Partner name: its directed contacts as (direction, when).
CONTACTS: dict[str, list[tuple[str, datetime]]] = {
    "five-at-edge": [("gave", SINCE)] + [("gave", NOW - timedelta(days=d)) for d in range(1, 5)],
    "five-one-before": [("gave", SINCE - timedelta(seconds=1))]
    + [("gave", NOW - timedelta(days=d)) for d in range(1, 5)],
    "five-and-mutual": [("gave", NOW - timedelta(days=d)) for d in range(1, 6)]
    + [("mutual", NOW - timedelta(hours=1))],
    "five-and-one-back": [("received", NOW - timedelta(days=d)) for d in range(1, 6)]
    + [("gave", NOW - timedelta(days=9))],
    "five-one-ahead": [("gave", NOW + timedelta(minutes=1))]
    + [("gave", NOW - timedelta(days=d)) for d in range(1, 5)],
    "four-received": [("received", NOW - timedelta(days=d)) for d in range(1, 5)],
    "six-at-now": [("received", NOW)]
    + [("received", NOW - timedelta(days=d)) for d in range(1, 6)],
}
# Partner name: (who promised, due on, the states of its overdue nudges of that episode, and
# of one of an earlier episode (due a week before) if any).
PROMISES: dict[str, tuple[str, date, list[str], list[str]]] = {
    "third-sent": ("us", TODAY - timedelta(days=4), ["sent"] * 3, []),
    "two-sent-one-pending": ("us", TODAY - timedelta(days=4), ["sent", "sent", "pending"], []),
    "three-sent-due-today": ("us", TODAY, ["sent"] * 3, []),
    "theirs-three-sent": ("partner", TODAY - timedelta(days=4), ["sent"] * 3, []),
    "two-now-one-before": ("us", TODAY - timedelta(days=4), ["sent"] * 2, ["sent"]),
    "four-sent": ("us", TODAY - timedelta(days=5), ["sent"] * 4, []),
}


def _world(db: Database) -> tuple[int, dict[str, int], dict[str, int]]:
    """The workspace, its partners' ids by name (all Anna's, contacted an hour ago so that no
    check-in is due), and its members' ids by Slack id."""
    long_ago = NOW - timedelta(days=400)
    with db.transaction() as session:
        workspace = Workspace(team_id="T0EDGES", created_at=long_ago)
        session.add(workspace)
        session.flush()
        members = {
            user: Member(
                workspace_id=workspace.id,
                slack_user_id=user,
                name=user[2:].title(),
                refreshed_at=long_ago,
                active=user != "U0LEFT",
                is_guest=user == "U0GUEST",
            )
            for user in ("U0ANNA", "U0BOB", "U0LEFT", "U0GUEST")
        }
        session.add_all(members.values())
        session.flush()
        anna = members["U0ANNA"].id
        names = [*CONTACTS, *PROMISES]
        partners = {
            name: Partner(
                workspace_id=workspace.id,
                name=name,
                name_key=name,
                owner_id=anna,
                created_at=long_ago,
            )
            for name in names
        }
        session.add_all(partners.values())
        session.flush()
        ids = {name: p.id for name, p in partners.items()}

        def contact(pid: int, direction: str, when: datetime) -> Interaction:
            return Interaction(
                workspace_id=workspace.id,
                partner_id=pid,
                member_id=anna,
                kind="contact",
                direction=direction,
                occurred_at=when,
                created_at=when,
            )

        for name, contacts in CONTACTS.items():
            session.add_all(contact(ids[name], d, when) for d, when in contacts)
        for name in PROMISES:
            session.add(contact(ids[name], "mutual", NOW - timedelta(hours=1)))
        session.flush()
        for name, (by, due, states, earlier) in PROMISES.items():
            promise = Promise(
                workspace_id=workspace.id,
                partner_id=ids[name],
                member_id=anna,
                text="send the quote",
                due_on=due,
                status="open",
                promised_by=by,
                created_at=long_ago,
            )
            session.add(promise)
            session.flush()
            for episode, episode_states in ((due, states), (due - timedelta(days=7), earlier)):
                for i, state in enumerate(episode_states):
                    session.add(
                        Nudge(
                            workspace_id=workspace.id,
                            member_id=anna,
                            kind="promise",
                            subject_id=promise.id,
                            due_on=episode + timedelta(days=1),
                            period=episode + timedelta(days=1 + i),
                            state=state,
                            created_at=long_ago,
                        )
                    )
        session.flush()
        refresh_contact_times(session, list(ids.values()))
        return workspace.id, ids, {user: m.id for user, m in members.items()}


def _chosen(db: Database, workspace_id: int) -> dict[str, tuple[int, tuple[str, int] | None]]:
    with db.reading() as session:
        team = content.team_health_rows(
            session,
            workspace_id,
            ["U0ANNA"],
            today=TODAY,
            now=NOW,
            due_before=NOW,
            reminders=REMINDERS,
        )
    return {row.name: (row.ours_past_reminders, row.one_sided) for row in team.rows}


def test_the_choice_at_its_edges_is_the_same_on_both_backends(db: Database) -> None:
    workspace_id, _, _ = _world(db)
    assert _chosen(db, workspace_id) == {
        "five-at-edge": (0, ("gave", 5)),
        # Not one-sided (four in the window), chosen for its check-in: contacts since half a
        # year ago and none a check-in; the rule judges it after.
        "five-one-before": (0, None),
        "five-and-mutual": (0, ("gave", 5)),
        "six-at-now": (0, ("received", 6)),
        "third-sent": (1, None),
        "four-sent": (1, None),
    }


def test_only_live_claims_of_claimers_who_look_after_partners_are_listed(db: Database) -> None:
    """Claims by Bob (live), by one who left, by a guest, and Bob's that ran out a second ago:
    only the first is read with its row; the others read as no claim."""
    workspace_id, ids, members = _world(db)
    claims = {
        "third-sent": ("U0BOB", NOW + timedelta(days=3)),
        "four-sent": ("U0LEFT", NOW + timedelta(days=3)),
        "five-at-edge": ("U0GUEST", NOW + timedelta(days=3)),
        "six-at-now": ("U0BOB", NOW - timedelta(seconds=1)),
        "five-and-mutual": ("U0BOB", NOW),
    }
    with db.transaction() as session:
        session.add_all(
            PartnerClaim(
                partner_id=ids[name],
                workspace_id=workspace_id,
                member_id=members[user],
                claimed_at=NOW - timedelta(days=1),
                until=until,
            )
            for name, (user, until) in claims.items()
        )
    with db.reading() as session:
        rows = content.listed_rows(
            session,
            workspace_id,
            [ids[name] for name in claims],
            today=TODAY,
            now=NOW,
            reminders=REMINDERS,
        )
    read = {row.partner.name: row.claim for row in rows}
    assert set(read) == set(claims)
    bob = read.pop("third-sent")
    assert bob is not None and (bob.user_id, bob.name) == ("U0BOB", "Bob")
    assert read == dict.fromkeys(read)
    # And none of another workspace's: the same ids asked for in a workspace of their own.
    with db.reading() as session:
        other = content.listed_rows(
            session, workspace_id + 1, list(ids.values()), today=TODAY, now=NOW, reminders=3
        )
    assert other == []
