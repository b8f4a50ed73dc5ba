"""Tests of what reaches Rapport from outside: every shape Slack sends, and what it never sends."""
