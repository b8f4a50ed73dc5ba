"""The `rapport` command."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import SettingsError, load_settings
from bot.startup import StartupError

log = logging.getLogger("rapport")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        return args.run(args)
    except (SettingsError, StartupError) as error:
        print(f"rapport: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rapport", description="Keep professional relationships healthy, inside Slack."
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")
    serve = sub.add_parser("serve", help="answer Slack (HTTP, or Socket Mode with SLACK_APP_TOKEN)")
    serve.add_argument(
        "--no-scheduler",
        action="store_true",
        help="serve requests only; run `rapport scheduler` elsewhere for the jobs",
    )
    serve.add_argument("--host", default="0.0.0.0", help="HTTP address to listen on (default all)")
    serve.set_defaults(run=_serve)
    migrate = sub.add_parser("migrate", help="bring the database schema up to date")
    migrate.set_defaults(run=_migrate)
    shell = sub.add_parser(
        "shell", help="try Rapport in a terminal: a sandbox workspace, no Slack or network needed"
    )
    shell.add_argument(
        "--db", type=Path, metavar="PATH", help="keep the sandbox's SQLite database in PATH"
    )
    shell.add_argument("--lang", choices=("en", "de"), default="en", help="your Slack language")
    shell.add_argument("--name", default="You", help="your name in the sandbox")
    shell.set_defaults(run=_shell)
    demo = sub.add_parser("demo", help="watch Rapport at work in a scripted sandbox session")
    demo.add_argument("--lang", choices=("en", "de"), default="en", help="your Slack language")
    demo.set_defaults(run=_demo)
    return parser


def _migrate(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.startup import first_line
    from storage.db import Database
    from storage.migrate import current_revision, upgrade

    settings = load_settings()
    db = Database(settings.database_url)
    try:
        upgrade(db.engine)
    except SQLAlchemyError as error:
        raise StartupError(f"migration failed: {first_line(error)}") from None
    print(f"rapport: database schema is at revision {current_revision(db.engine)}")
    return 0


def _shell(args: argparse.Namespace) -> int:
    # The sandbox is imported here only: `rapport serve` must have no way to reach the stand-in.
    from bot.sandbox.shell import run_shell

    return run_shell(name=args.name, lang=args.lang, db_path=args.db)


def _demo(args: argparse.Namespace) -> int:
    from bot.sandbox.demo import run_demo

    return run_demo(lang=args.lang)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.clock import SystemClock
    from bot.dates import warm_up
    from bot.services import Services
    from bot.startup import build_app, open_database, refuse_oauth_environment
    from bot.web import create_web_app

    settings = load_settings()
    settings.require_slack()
    refuse_oauth_environment()
    db = open_database(settings.database_url)
    warm_up()
    services = Services(db, SystemClock())
    app = build_app(settings, services)
    if settings.socket_mode:
        log.info("connecting to Slack over Socket Mode")
        try:
            SocketModeHandler(app, settings.app_token).start()
        finally:
            services.close()
        return 0
    log.info("listening on %s:%s for POST /slack/events", args.host, settings.port)
    web = create_web_app(app, db, on_shutdown=services.close)
    uvicorn.run(web, host=args.host, port=settings.port, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
