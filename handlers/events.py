"""Events: keep cached profiles in step with Slack."""

from __future__ import annotations

from slack_bolt import App

from bot.usecases.services import Services


def register(app: App, services: Services) -> None:
    def user_changed(body: dict, event: dict) -> None:
        """A member changed zone, locale or left; update what Rapport cached about them.

        Slack retries events it thinks we missed, so each event id is handled once.
        """
        user = event.get("user")
        if not isinstance(user, dict) or not user.get("id"):
            return
        services.profiles.changed(body.get("team_id", ""), body.get("event_id", ""), user)

    app.event("user_change")(user_changed)
