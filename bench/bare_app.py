"""The baselines for bench/logcontact.py, on Rapport's server stack.

Without arguments, a Bolt app that only acks: the same uvicorn with the same bounds, the same
front door (body limit, signature check, dispatch in a thread pool under a deadline), same
`process_before_response=True`; no database (so no replay record), no parsing, and no queue
before the dispatch threads (`bot.http.admission`: Rapport and the floor have one). What Rapport
adds is the difference.

With `--floor`, the least a command that stores something can cost on this stack: the same app
on Rapport's database (`DATABASE_URL`), with the front door's replay record as Rapport keeps it
(a write transaction of its own), and a listener that writes one row (a waiting text, the
narrowest table a command writes) in one transaction through `storage.db.Database`, as
Rapport's use cases do, then acks. No parsing, no reads, no reply beyond "ok".
"""

from __future__ import annotations

import argparse
import os
import secrets
from datetime import UTC, datetime
from typing import Any

import uvicorn
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import func, insert, select

from bot.http.admission import Admission
from bot.http.endpoint import DISPATCH_THREADS
from bot.web import create_web_app, server_config
from storage.db import Database
from storage.models import Member, PendingCommand


class NoDatabase:
    def health(self) -> None:
        return None


class NoReplays:
    def first_sighting(self, signature: str, stamp: int) -> bool:
        return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--floor", action="store_true", help="replay record and one INSERT on DATABASE_URL"
    )
    args = parser.parse_args()
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=True,
        request_verification_enabled=False,  # the front door has verified it, as for Rapport
    )
    secret = os.environ["SLACK_SIGNING_SECRET"]
    if args.floor:
        db = Database(os.environ["DATABASE_URL"])
        app.command("/logcontact")(one_insert(db))
        web = create_web_app(app, db, signing_secret=secret)
    else:

        @app.command("/logcontact")
        def only_ack(ack: Any) -> None:
            ack(text="ok")

        web = create_web_app(
            app,
            NoDatabase(),  # type: ignore[arg-type]
            signing_secret=secret,
            replays=NoReplays(),  # type: ignore[arg-type]
            # No queue before the dispatch threads: an ack costs too little for one to help,
            # and the bare app stays the fastest this stack serves (as before admission).
            admission=Admission(DISPATCH_THREADS),
        )
    config = server_config(web, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")
    uvicorn.Server(config).run()


def one_insert(db: Database) -> Any:
    """The floor's listener: one row written in one transaction, then "ok"."""
    with db.reading() as session:
        workspace_id, member_id = session.execute(
            select(func.min(Member.workspace_id), func.min(Member.id))
        ).one()
    statement = insert(PendingCommand.__table__)  # type: ignore[arg-type]

    def listener(ack: Any, command: dict[str, Any]) -> None:
        with db.transaction() as session:
            session.connection().execute(
                statement,
                {
                    "id": secrets.token_hex(16),
                    "workspace_id": workspace_id,
                    "member_id": member_id,
                    "text": command.get("text") or "",
                    "answers": "{}",
                    "created_at": datetime.now(UTC),
                },
            )
        ack(text="ok")

    return listener


if __name__ == "__main__":
    main()
