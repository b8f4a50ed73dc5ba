"""Queries of team-channel digests: subscriptions, the channel outbox, content and claims."""
