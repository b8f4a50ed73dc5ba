"""What Rapport does for someone: each call is one transaction and returns what to answer.

Use cases take the database and the clock, never import Bolt, and leave talking to Slack to
the handlers (and to `bot.slack` for look-ups).
"""
