"""The baseline for bench/logcontact.py: a Bolt app that only acks, on Rapport's server stack.

Same uvicorn, same Starlette endpoint with dispatch in the thread pool, same
`process_before_response=True`; no database, no parsing. What Rapport adds is the difference.
"""

from __future__ import annotations

import os

import uvicorn
from slack_bolt import App
from slack_sdk import WebClient

from bot.web import create_web_app


class NoDatabase:
    def ping(self) -> bool:
        return True


def main() -> None:
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=True,
    )

    @app.command("/logcontact")
    def only_ack(ack) -> None:
        ack(text="ok")

    web = create_web_app(app, NoDatabase())  # type: ignore[arg-type]
    uvicorn.run(web, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")


if __name__ == "__main__":
    main()
