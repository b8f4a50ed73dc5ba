"""Talking to Slack's Web API: who people are (`users.info`), clients, and where replies may go."""
