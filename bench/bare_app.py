"""The baseline for bench/logcontact.py: a Bolt app that only acks, on Rapport's server stack.

Same uvicorn with the same bounds, the same front door (body limit, signature check, dispatch
in a thread pool under a deadline), same `process_before_response=True`; no database (so no
replay record), no parsing. What Rapport adds is the difference.
"""

from __future__ import annotations

import os

import uvicorn
from slack_bolt import App
from slack_sdk import WebClient

from bot.web import create_web_app, server_config


class NoDatabase:
    def health(self) -> None:
        return None


class NoReplays:
    def first_sighting(self, signature: str, stamp: int) -> bool:
        return True


def main() -> None:
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=True,
        request_verification_enabled=False,  # the front door has verified it, as for Rapport
    )

    @app.command("/logcontact")
    def only_ack(ack) -> None:
        ack(text="ok")

    web = create_web_app(
        app,
        NoDatabase(),  # type: ignore[arg-type]
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        replays=NoReplays(),  # type: ignore[arg-type]
    )
    config = server_config(web, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
