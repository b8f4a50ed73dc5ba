"""Bolt listeners, one module per Slack surface, and the registry that wires them.

`members_only` goes first: a global middleware that refuses people of other organisations and
requests made in another workspace before any listener runs.
"""

from __future__ import annotations

from slack_bolt import App

from bot.usecases.services import Services
from handlers import (
    actions,
    commands,
    events,
    members_only,
    nudge_buttons,
    options,
    partner_card,
    rapport_command,
    shortcuts,
    views,
)

SURFACES = (
    members_only,
    commands,
    rapport_command,
    actions,
    nudge_buttons,
    views,
    options,
    shortcuts,
    events,
    partner_card,
)


def register(app: App, services: Services) -> None:
    """Wire every surface's listeners into `app`, the members-only check first."""
    for surface in SURFACES:
        surface.register(app, services)
