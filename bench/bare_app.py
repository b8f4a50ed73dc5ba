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

With `--sql-floor`, the least the common `/logcontact`'s SQL costs on this stack: the same app on
the same database, sending per command exactly the statements Rapport sends for it through the
raw DB-API driver (sqlite3 or psycopg, no SQLAlchemy: `bench/sql_floor.py`), in the same
transactions (the replay record in its own, then the command's), and acking with a fixed
ephemeral reply the size of Rapport's. Its front door lets as many requests work at once as
Rapport's does on that backend (`create_web_app`'s admission, from the store's backend).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sql_floor import Contact, RawStore
from bot.http.admission import Admission
from bot.http.endpoint import DISPATCH_THREADS
from bot.web import create_web_app, server_config
from storage.db import Database
from storage.models import Member, PendingCommand

# The ephemeral reply of the SQL floor: Rapport's answer to the benchmark's command, fixed (its
# size, about 1 kB, is what Bolt and the front door send back; its contents do not matter).
LOGGED = {
    "response_type": "ephemeral",
    "text": "Logged: Call with Partner3, today. Promise: send notes (Friday, December 4, 2026)",
    "blocks": [
        {
            "fields": [
                {"text": "*How*\nCall", "type": "mrkdwn"},
                {"text": "*Kind*\nContact", "type": "mrkdwn"},
                {"text": "*Give and take*\nMutual", "type": "mrkdwn"},
                {"text": "*When*\ntoday", "type": "mrkdwn"},
            ],
            "text": {
                "text": ":white_check_mark: Logged your contact with *Partner3*.",
                "type": "mrkdwn",
            },
            "type": "section",
        },
        {"text": {"text": "*Note*\ndiscussed item 20000003", "type": "mrkdwn"}, "type": "section"},
        {
            "text": {
                "text": "*Promise*\nsend notes\n:date: due Friday, December 4, 2026",
                "type": "mrkdwn",
            },
            "type": "section",
        },
        {
            "block_id": "logged_actions",
            "elements": [
                {
                    "action_id": action,
                    "text": {"emoji": True, "text": label, "type": "plain_text"},
                    "type": "button",
                    "value": "21",
                }
                for action, label in (("log_undo", "Undo"), ("log_edit", "Edit"))
            ],
            "type": "actions",
        },
    ],
}


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
    parser.add_argument(
        "--sql-floor",
        action="store_true",
        help="the common /logcontact's statements on DATABASE_URL through the raw driver",
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
    if args.sql_floor:
        store = RawStore(os.environ["DATABASE_URL"])
        app.command("/logcontact")(common_sql(store))
        web = create_web_app(
            app,
            store,  # type: ignore[arg-type]  # its `health` answers /healthz
            signing_secret=secret,
            replays=store,  # type: ignore[arg-type]
        )
    elif args.floor:
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


def common_sql(store: RawStore) -> Any:
    """The SQL floor's listener: the common command's transaction through the raw driver, then
    the fixed reply (a warning when the member or the partner is missing, which the benchmark
    counts as a failure)."""

    def listener(ack: Any, command: dict[str, Any]) -> None:
        contact = Contact.from_command(command["team_id"], command["user_id"], command["text"])
        if store.log_contact(contact) is None:
            ack(response_type="ephemeral", text="warning: no such member or partner")
            return
        ack(**LOGGED)

    return listener


if __name__ == "__main__":
    main()
