"""Queries by concept, each taking a session and filtering by workspace: members, partners,
contacts, what Slack sent already, and the outbox (what is planned, the DMs that carry it, what
a DM reads)."""
