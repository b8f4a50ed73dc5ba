"""The outbox's queries, one module per side: the planner writes check-in and promise nudges
(`planned`), hand-overs write their announcements (`handovers`), the dispatcher claims, sends and
finishes DMs (`bundles`), and what a DM says is read when it is sent or redrawn (`dm_reads`)."""
