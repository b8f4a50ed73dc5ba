"""The `rapport` command."""

from __future__ import annotations

import argparse
import io
import logging
import os
import signal
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.settings import Settings, SettingsError, StartupError, load_settings

if TYPE_CHECKING:
    from storage.queries.common import AnyRow

log = logging.getLogger("rapport")


def configure_logging() -> None:
    """Rapport's log lines on standard error, at INFO: for every command, and for each worker
    of `rapport serve --workers N` (a process of its own, started by uvicorn, not by `main`)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # APScheduler logs every run of every job; Rapport's jobs log what they did themselves.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    # Alembic announces each of its plugins when it is first imported, which is now after the
    # logging set-up (the app is imported only by the commands that run it).
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging()
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
    serve.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="HTTP worker processes (HTTP mode only; on SQLite one of them runs the scheduler)",
    )
    serve.add_argument(
        "--access-log",
        action="store_true",
        help="log one line per HTTP request (off by default: Rapport logs what it refuses)",
    )
    serve.set_defaults(run=_serve)
    scheduler = sub.add_parser(
        "scheduler", help="plan and deliver nudges, without serving Slack's requests"
    )
    scheduler.set_defaults(run=_scheduler)
    run_jobs = sub.add_parser(
        "run-jobs",
        help="plan and deliver once, as if it were AT (default now), then exit",
    )
    run_jobs.add_argument(
        "--at",
        type=_instant,
        metavar="ISO-8601",
        help="the instant to act at, with its offset, e.g. 2027-01-04T09:30:00+01:00",
    )
    run_jobs.set_defaults(run=_run_jobs)
    outbox = sub.add_parser("outbox", help="list nudges waiting to be delivered and given up on")
    outbox.set_defaults(run=_outbox)
    partners = sub.add_parser("partners", help="partners that need an operator's eye")
    partners_sub = partners.add_subparsers(required=True, metavar="LIST")
    collisions = partners_sub.add_parser(
        "collisions", help="partners kept apart when names came to compare alike (migration 0007)"
    )
    collisions.set_defaults(run=_collisions)
    doctor = sub.add_parser(
        "doctor",
        help="check that what partners' rows keep of their contacts matches the contacts",
        description="Recompute every partner's first and last contact, last check-in and due "
        "instants from its contacts and list each partner whose row says otherwise (ids and "
        "columns, nothing personal). Exit status 1 when any differ. Reads in batches; writes "
        "only with --fix.",
    )
    doctor.add_argument(
        "--fix", action="store_true", help="write the recomputed values into the rows that differ"
    )
    doctor.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also log what opening the database does (Alembic's schema check and migrations)",
    )
    doctor.set_defaults(run=_doctor)
    migrate = sub.add_parser("migrate", help="bring the database schema up to date")
    migrate.set_defaults(run=_migrate)
    shell = sub.add_parser(
        "shell", help="try Rapport in a terminal: a sandbox workspace, no Slack or network needed"
    )
    shell.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="keep the sandbox's SQLite database in PATH, and its clock beside it in "
        "PATH.clock.json: reopened on PATH, the shell resumes where it stopped",
    )
    shell.add_argument("--lang", choices=("en", "de"), default="en", help="your Slack language")
    shell.add_argument("--name", default="You", help="your name in the sandbox")
    shell.set_defaults(run=_shell)
    demo = sub.add_parser("demo", help="watch Rapport at work in a scripted sandbox session")
    demo.add_argument("--lang", choices=("en", "de"), default="en", help="your Slack language")
    demo.set_defaults(run=_demo)
    parse = sub.add_parser(
        "parse",
        help="show how /logcontact texts on standard input are read, one JSON object a line",
        description="Read /logcontact texts from standard input, one a line, as a member would "
        "send them, and print what Rapport reads in each as one JSON object a line. No database "
        "and no network are touched.",
    )
    parse.add_argument(
        "--today",
        type=_day_or_moment,
        metavar="YYYY-MM-DD[THH:MM]",
        help="the member's local day (with a time, times of day are checked against it too); "
        "default: now in --tz",
    )
    parse.add_argument(
        "--tz", type=_zone_name, default="UTC", metavar="ZONE", help="the member's time zone"
    )
    parse.add_argument(
        "--locale",
        default="en-US",
        metavar="LOCALE",
        help="the member's Slack locale (de-DE, en-US, …): the language of problems and dates",
    )
    parse.add_argument(
        "--partners",
        type=Path,
        metavar="FILE",
        help="partners to treat as known, one a line, as Rapport shows them: a name, or a name "
        "and its organisation, 'Jens Ohlsen (Nordwind GmbH)' (default: none)",
    )
    parse.set_defaults(run=_parse)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _instant(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 instant: use e.g. 2027-01-04T09:30:00+01:00"
        ) from None
    if instant.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no offset: add one (+01:00, Z) so the instant is unambiguous"
        )
    return instant


def _day_or_moment(text: str) -> tuple[date, time | None]:
    """A local day, and the wall-clock time when one is given (no offset: the zone is --tz)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is not None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a local day: use YYYY-MM-DD, or YYYY-MM-DDTHH:MM for a time too"
        )
    return moment.date(), (moment.time() if len(text) > len("YYYY-MM-DD") else None)


def _zone_name(text: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time zone this machine knows, e.g. Europe/Berlin"
        ) from None
    return text


def _parse(args: argparse.Namespace) -> int:
    import json

    from bot.explain import KnownPartners, Undecodable, as_json, explain, lines_of, undecodable
    from bot.rules.clock import SystemClock
    from bot.texts.reader import Reader

    reader = Reader(locale=args.locale, tz=args.tz)
    if args.today is not None:
        today, now = args.today
    else:
        local = reader.local(SystemClock().now())
        today, now = local.date(), local.time().replace(tzinfo=None)
    try:
        names = args.partners.read_text("utf-8").splitlines() if args.partners else []
    except (OSError, UnicodeDecodeError) as error:
        print(f"rapport: cannot read the partners in {args.partners}: {error}", file=sys.stderr)
        return 2
    partners = KnownPartners(names)
    # UTF-8 in and out whatever the locale says (a C locale would make it ASCII): input is read
    # as bytes, a line that is not UTF-8 is reported as such, and the JSON is always UTF-8.
    out = sys.stdout
    if isinstance(out, io.TextIOWrapper):
        out.reconfigure(encoding="utf-8", errors="strict")
    for line in lines_of(getattr(sys.stdin, "buffer", sys.stdin)):
        if isinstance(line, Undecodable):
            text, explained = line.shown, undecodable(line)
        else:
            text = line
            explained = explain(
                line, today=today, now=now, partners=partners, month_first=reader.month_first
            )
        out.write(json.dumps(as_json(text, explained, reader), ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.bootstrap import first_line
    from storage.db import Database
    from storage.migrate import current_revision, upgrade

    settings = load_settings()
    try:
        db = Database(settings.database_url)
    except OSError as error:
        raise StartupError(
            f"cannot create the database at {error.filename}: {error.strerror}"
        ) from None
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

    from bot.bootstrap import assemble, sole_sqlite_scheduler
    from bot.http.limits import GuardedHttpProtocol
    from bot.rules.clock import SystemClock
    from bot.web import create_web_app, keep_out_of_full_collections, server_config
    from scheduler.jobs import start_scheduler

    settings = load_settings()
    if args.workers > 1:
        return _serve_workers(args, settings, GuardedHttpProtocol, uvicorn)
    rapport = assemble(settings, SystemClock(), serve=True, schedule=not args.no_scheduler)
    assert rapport.app is not None
    with ExitStack() as running:
        running.callback(rapport.close)
        if rapport.jobs is not None:
            running.enter_context(sole_sqlite_scheduler(rapport.db))
            running.callback(start_scheduler(rapport.jobs).shutdown)
        if settings.socket_mode:
            log.info("connecting to Slack over Socket Mode")
            handler = SocketModeHandler(rapport.app, settings.app_token)
            keep_out_of_full_collections()
            handler.start()
            return 0
        log.info("listening on %s:%s for POST /slack/events", args.host, settings.port)
        web = create_web_app(rapport.app, rapport.db, signing_secret=settings.signing_secret or "")
        keep_out_of_full_collections()
        config = server_config(web, host=args.host, port=settings.port, access_log=args.access_log)
        uvicorn.Server(config).run()
    return 0


def _serve_workers(
    args: argparse.Namespace, settings: Settings, protocol: type, uvicorn: Any
) -> int:
    """`--workers N`: uvicorn starts N processes, each building Rapport (`bot.web`)."""
    from bot.bootstrap import open_database

    settings.require_slack()
    if settings.socket_mode:
        raise StartupError("--workers above 1 needs HTTP mode: Socket Mode takes one connection")
    open_database(settings.database_url).dispose()  # checked once here, for one clear line
    log.info("listening on %s:%s with %d workers", args.host, settings.port, args.workers)
    os.environ["RAPPORT_SCHEDULER"] = "off" if args.no_scheduler else "on"
    uvicorn.run(
        "bot.web:from_environment",
        factory=True,
        host=args.host,
        port=settings.port,
        workers=args.workers,
        http=protocol,
        log_level="info",
        access_log=args.access_log,
    )
    return 0


def _scheduler(args: argparse.Namespace) -> int:
    from apscheduler.schedulers.blocking import BlockingScheduler

    from bot.bootstrap import assemble, sole_sqlite_scheduler
    from bot.rules.clock import SystemClock
    from scheduler.jobs import start_scheduler

    rapport = assemble(load_settings(), SystemClock(), serve=False, schedule=True)
    assert rapport.jobs is not None
    signal.signal(signal.SIGTERM, _interrupt)
    with sole_sqlite_scheduler(rapport.db):
        log.info("scheduler running: planning every 5 minutes, delivering every minute")
        scheduler = BlockingScheduler(timezone="UTC")
        try:
            start_scheduler(rapport.jobs, scheduler)
        except KeyboardInterrupt:
            scheduler.shutdown()
    rapport.close()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _run_jobs(args: argparse.Namespace) -> int:
    from datetime import UTC

    from bot.bootstrap import assemble, sole_sqlite_scheduler
    from bot.rules.clock import OffsetClock
    from storage.queries.outbox.bundles import waiting_summary

    clock = OffsetClock(args.at or datetime.now(UTC))
    rapport = assemble(load_settings(), clock, serve=False, schedule=True)
    assert rapport.jobs is not None
    with sole_sqlite_scheduler(rapport.db):
        planned = rapport.jobs.plan_once()
        result = rapport.jobs.dispatcher.tick()
        posted = rapport.jobs.digests.tick()
        with rapport.db.reading() as session:
            waiting = waiting_summary(session)
    rapport.close()
    print(
        f"rapport: planned {planned.planned}; sent {result.sent + result.recovered}, "
        f"given up {result.dead}, no longer due {result.skipped}; "
        f"{waiting.for_working_hours} waiting for working hours, "
        f"{waiting.for_retry} waiting to retry; team digests posted "
        f"{posted.sent + posted.recovered}, given up {posted.dead}, not posted {posted.skipped}"
    )
    if result.stopped or posted.stopped:
        refused = result.stopped or posted.stopped
        print(f"rapport: Slack refused the bot token ({refused}): fix SLACK_BOT_TOKEN")
        return 1
    return 0


def _outbox(args: argparse.Namespace) -> int:
    from bot.bootstrap import open_database
    from storage.queries.outbox.bundles import unfinished_and_dead

    settings = load_settings()
    db = open_database(settings.database_url, create=False)
    with db.reading() as session:
        rows = unfinished_and_dead(session)
    db.dispose()
    if not rows:
        print("rapport: the outbox is empty: nothing waiting, nothing given up")
        return 0
    print(f"{'id':>6}  {'kind':8}  {'for':12}  {'day':10}  {'state':8}  why")
    for row in rows:
        print(
            f"{row.id:>6}  {row.kind:8}  {row.slack_user_id:12}  {row.period.isoformat():10}  "
            f"{row.state:8}  {_why(row)}"
        )
    return 0


def _doctor(args: argparse.Namespace) -> int:
    """Report (and with --fix, repair) partners whose kept contact times differ from their
    contacts (`storage.queries.health.drift`)."""
    from bot.bootstrap import open_database
    from storage.queries.health.drift import drift, repair

    if not args.verbose:
        # Opening a SQLite file runs Alembic, which logs its context at INFO on stderr: noise
        # around a report whose output is the list below and its exit status.
        logging.getLogger("alembic").setLevel(logging.WARNING)
    settings = load_settings()
    db = open_database(settings.database_url, create=False)
    try:
        with db.reading() as session:
            found = list(drift(session))
        if not found:
            print("rapport: every partner's contact times match its contacts")
            return 0
        print(f"{'partner':>8}  columns that differ")
        for row in found:
            print(f"{row.partner_id:>8}  {', '.join(row.columns)}")
        if args.fix:
            with db.transaction() as session:
                repair(session, found)
            print(f"rapport: {_partners(len(found))} recomputed from their contacts")
            return 0
        differ = "differs" if len(found) == 1 else "differ"
        print(f"rapport: {_partners(len(found))} {differ}; `rapport doctor --fix` recomputes them")
        return 1
    finally:
        db.dispose()


def _partners(count: int) -> str:
    """ "1 partner", "2 partners": a count as the CLI's lines say it."""
    return f"{count} partner" if count == 1 else f"{count} partners"


def _collisions(args: argparse.Namespace) -> int:
    """Print the partners flagged by migration 0007: their names now compare alike (one name
    key), so each was kept, none merged, and their owners are told in a nudge DM."""
    from bot.bootstrap import open_database
    from storage.queries.partners import key_collisions

    settings = load_settings()
    db = open_database(settings.database_url, create=False)
    with db.reading() as session:
        rows = key_collisions(session)
    db.dispose()
    if not rows:
        print("rapport: no partners share a name key: nothing to look at")
        return 0
    print(f"{'workspace':12}  {'partner':>8}  {'owner':12}  {'told':4}  name (organisation)")
    for row in rows:
        name = f"{row.name} ({row.organisation})" if row.organisation else row.name
        told = "yes" if row.told else "no"
        print(f"{row.team_id:12}  {row.id:>8}  {row.owner or '-':12}  {told:4}  {name}")
    return 0


def _why(row: AnyRow) -> str:
    """One line an operator can act on, for a nudge still in the outbox."""
    if row.state == "dead":
        return f"given up: {row.reason}"
    if row.dm_state is None:
        return "waiting for the recipient's working hours"
    if row.dm_state == "sending":
        return f"checking whether Slack posted it ({row.error or 'no answer'})"
    if row.not_before is not None:
        return f"retry after {row.not_before:%Y-%m-%d %H:%M} UTC ({row.error or 'deferred'})"
    return "being sent"


if __name__ == "__main__":
    sys.exit(main())
