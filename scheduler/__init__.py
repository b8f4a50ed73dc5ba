"""Scheduled jobs: the planner writes due nudges to the outbox, the dispatcher delivers them."""
