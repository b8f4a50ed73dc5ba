"""Who may change the registry of partners beyond a profile.

Renaming changes the name the owner finds and logs their partner by (a log under the old name
would start a new partner), so only whoever looks after the partner, or a Slack workspace admin,
may rename it; a partner nobody looks after, any member. Forgetting erases a partner's whole
history for everyone and cannot be undone: only whoever looks after the partner, or a Slack
workspace admin, may do it; a partner nobody looks after is an admin's to forget. Merging
moves one partner's history into another's and removes the first: whoever looks after both, or
a Slack workspace admin.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# How long a "Forget NAME?" or "Merge NAME into OTHER?" question holds: long enough to read
# the counts, short enough that the counts shown are still what goes.
FORGET_QUESTION_LIFETIME = timedelta(minutes=10)


def may_rename(*, asker_id: int, asker_is_admin: bool, owner_id: int | None) -> bool:
    """The partner's owner or a workspace admin; anyone while nobody looks after it."""
    return owner_id is None or may_forget(
        asker_id=asker_id, asker_is_admin=asker_is_admin, owner_id=owner_id
    )


def may_forget(*, asker_id: int, asker_is_admin: bool, owner_id: int | None) -> bool:
    """The partner's owner or a workspace admin; nobody else, whatever the owner's state."""
    return asker_is_admin or (owner_id is not None and owner_id == asker_id)


def may_merge(
    *, asker_id: int, asker_is_admin: bool, owner_ids: tuple[int | None, int | None]
) -> bool:
    """A workspace admin, or whoever looks after both partners."""
    return asker_is_admin or all(owner_id == asker_id for owner_id in owner_ids)


def question_holds(asked_at: datetime, now: datetime) -> bool:
    """Whether a question asked at `asked_at` may still be answered at `now`: not older than
    `FORGET_QUESTION_LIFETIME`, and not from the future (a value made up, not one Rapport gave)."""
    return asked_at <= now <= asked_at + FORGET_QUESTION_LIFETIME
