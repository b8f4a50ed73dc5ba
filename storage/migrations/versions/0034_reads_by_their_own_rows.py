"""Indexes for reads SQLite planned through far more rows than their answer needs

Reads that run for every nudge DM delivered, every delivery tick or every request went, on
SQLite (never ANALYZEd by Rapport, so it plans by its heuristics alone), through an index or a
scan that visits far more rows than their answer needs:

- A DM's pending nudges (`nudges_in`) and marking them sent (`mark_bundle_sent`) select by
  `bundle_id = ? AND state = ?`. With `bundle_id` alone indexed, SQLite preferred
  `ix_outbox_state_created (state=?)` and visited every pending nudge of every member, per DM:
  315 and 311 µs per DM at 10,000 pending rows, growing with the outbox, so a first delivery of
  N DMs cost O(N²). Indexed as (bundle_id, state), in place of (bundle_id), both are one search
  of the DM's own rows; the new index serves everything the old one did (the foreign key's
  SET NULL, a DM's nudges of any state).
- The collisions a DM tells its recipient of (`collisions_to_tell`) select by workspace, owner
  and `key_collision IS 1`, in (name_key, organisation_key, id) order. SQLite took the unique
  (workspace_id, name_key, organisation_key) for its order and visited every partner of the
  workspace, per DM: 555 µs at 10,000 partners. A partial index over the flagged partners
  alone, by (workspace, owner) in that order, holds the few rows asked for, already sorted.
  Its predicate is written as each database's compiler writes `key_collision IS true`, so
  that SQLite, which matches a partial index's terms with the query's, uses it.
- Opening DMs (`days_with_a_dm`, every minute) reads who had a DM from the day before on. With
  no index leading by day, SQLite read the whole (member_id, local_day) unique index: every DM
  kept (finished ones stay 90 days: up to 270,000 rows for 3,000 members), every tick. Indexed
  by (local_day, member_id), the read is one range of those days, from the index alone.
- The nudges of one item in any DM, by (kind, subject_id, bundle_id): an Undo's check for a
  later answer (`answered_since`) and the copies it takes back (`clear_copies`), a promise's
  last answer (`latest_answer`), a partner forgotten (`erasure`). No index led by the item, so
  each read the whole outbox (90 days of every member's nudges), per press. With the DM last,
  an answer to the item in one DM (`answer_nudges`) is one key.
- The promises made with a contact (`promises_of`, editing or undoing it) by (workspace,
  interaction): SQLite searched the workspace's every promise by `workspace_id` alone.
- A member's live claims (`claims_held`, every Home tab drawn): with no index on the claims by
  member, SQLite read the workspace's every partner and looked up its claim. By (member, until)
  it reads that member's live claims and their partners only. (Led by the workspace, the index
  would be SQLite's choice for the claims of a few partners, `live_claims`, over their keys.)
- A page of a member's own partners (`/rapport partners`, `partner_page`) by (workspace, owner)
  in (name_key, organisation_key, id) order: migration 0009's index by (workspace, owner,
  name_key) did not give the whole order, so SQLite took the unique key's and read every
  partner of the workspace for one member's page. In its place, an index with the whole order.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_BUNDLE = "ix_outbox_bundle"
NEW_BUNDLE = "ix_outbox_bundle_state"
COLLISIONS = "ix_partners_collisions"
DAYS = "ix_bundles_local_day_member"
ITEM = "ix_outbox_kind_subject"
CONTACT_PROMISES = "ix_promises_workspace_interaction"
CLAIMS = "ix_partner_claims_member_until"
OLD_MINE = "ix_partners_workspace_owner_name_key"
MINE = "ix_partners_workspace_owner_order"


def upgrade() -> None:
    op.create_index(NEW_BUNDLE, "outbox", ["bundle_id", "state"])
    op.drop_index(OLD_BUNDLE, table_name="outbox")
    op.create_index(
        COLLISIONS,
        "partners",
        ["workspace_id", "owner_id", "name_key", "organisation_key", "id"],
        sqlite_where=sa.text("key_collision IS 1"),
        postgresql_where=sa.text("key_collision IS true"),
    )
    op.create_index(DAYS, "bundles", ["local_day", "member_id"])
    op.create_index(ITEM, "outbox", ["kind", "subject_id", "bundle_id"])
    op.create_index(CONTACT_PROMISES, "promises", ["workspace_id", "interaction_id"])
    op.create_index(CLAIMS, "partner_claims", ["member_id", "until"])
    op.create_index(
        MINE, "partners", ["workspace_id", "owner_id", "name_key", "organisation_key", "id"]
    )
    op.drop_index(OLD_MINE, table_name="partners")


def downgrade() -> None:
    op.create_index(OLD_MINE, "partners", ["workspace_id", "owner_id", "name_key"])
    op.drop_index(MINE, table_name="partners")
    op.drop_index(CLAIMS, table_name="partner_claims")
    op.drop_index(CONTACT_PROMISES, table_name="promises")
    op.drop_index(ITEM, table_name="outbox")
    op.drop_index(DAYS, table_name="bundles")
    op.drop_index(COLLISIONS, table_name="partners")
    op.create_index(OLD_BUNDLE, "outbox", ["bundle_id"])
    op.drop_index(NEW_BUNDLE, table_name="outbox")
