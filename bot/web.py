"""The HTTP face: the ASGI app uvicorn serves, and how it is served.

`create_web_app` puts the front door together (`bot.http`): the body limit around Starlette's
two routes, `POST /slack/events` (`SlackEndpoint`) and `GET /healthz` (`HealthCheck`);
`server_config` gives uvicorn the same bounds wherever it runs (`rapport serve`, its workers,
the sandbox, the tests); `from_environment` is what each of several workers builds.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, asynccontextmanager
from typing import Any

import uvicorn
from slack_bolt import App
from starlette.applications import Starlette
from starlette.routing import Route

from bot.http.admission import SLOTS, Admission
from bot.http.asker_language import AskerLocales
from bot.http.endpoint import ANSWER_SECONDS, HealthCheck, Replays, SlackEndpoint
from bot.http.limits import BodyLimit, GuardedHttpProtocol, connection_cap, guarded_protocol
from bot.http.refusal_log import RefusalLog
from storage.db import Database

log = logging.getLogger(__name__)


def create_web_app(
    app: App,
    db: Database,
    *,
    signing_secret: str,
    on_shutdown: Callable[[], None] | None = None,
    wall_clock: Callable[[], float] = time.time,
    answer_seconds: float = ANSWER_SECONDS,
    dispatch_pool: ThreadPoolExecutor | None = None,
    reply_pool: ThreadPoolExecutor | None = None,
    replays: Replays | None = None,
    admission: Admission | None = None,
    refusals: RefusalLog | None = None,
) -> BodyLimit:
    """The ASGI app; `on_shutdown` runs when uvicorn stops (SIGTERM), after the last request.

    `wall_clock` (Unix seconds) is what signatures are checked against: real time, even where
    the app's own clock is moved (the sandbox, the tests). `dispatch_pool` runs Bolt's dispatch
    (by default a pool of `DISPATCH_THREADS`), `reply_pool` the replies this layer posts itself;
    `replays` is the record of requests served (by default in `db`); `admission` lets requests
    into the dispatch pool (by default `SLOTS` for `db`'s backend, see `bot.http.admission`);
    `refusals` bounds the endpoint's log lines about refused requests (`bot.http.refusal_log`).
    """
    endpoint = SlackEndpoint(
        app,
        replays or Replays(db, wall_clock),
        signing_secret,
        wall_clock=wall_clock,
        answer_seconds=answer_seconds,
        pool=dispatch_pool,
        reply_pool=reply_pool,
        admission=admission or Admission(SLOTS.get(db.backend, 1)),
        locales=AskerLocales(db),
        refusals=refusals,
    )
    health = HealthCheck(db)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        endpoint.close()
        health.close()
        if on_shutdown is not None:
            await asyncio.get_running_loop().run_in_executor(None, on_shutdown)

    starlette = Starlette(
        lifespan=lifespan,
        routes=[
            Route("/slack/events", endpoint.handle, methods=["POST"]),
            Route("/healthz", health.handle, methods=["GET"]),
        ],
    )
    return BodyLimit(starlette)


def keep_out_of_full_collections() -> None:
    """Leave what start-up built (modules, the app, SQLAlchemy's tables, Babel's and the parsers'
    data) out of the garbage collector's full collections, which stop every thread while they
    walk all that lives: once start-up's garbage is collected, the rest is frozen (`gc.freeze`).

    A full collection then walks only what was made since. Measured on a server logging 4,000
    commands, the one full collection during the run took 70 ms before and 7 ms after, and
    every request in flight waited for it. For a server about to serve, once everything is
    built."""
    gc.collect()
    gc.freeze()


def server_config(
    web: Any, *, host: str, port: int, log_level: str = "info", access_log: bool = False
) -> uvicorn.Config:
    """How `rapport serve`, the sandbox and the tests serve the ASGI app: the same bounds.

    uvicorn's access log (one line per request) is off unless asked for (`rapport serve
    --access-log`): Slack sends every request to one path, so the lines say little that the
    proxy in front does not log already, and writing them cost about 2.5% of the server's CPU
    time under load (a sampling profile of `bench/logcontact.py`). What Rapport refuses it logs
    itself (`bot.http.limits`)."""
    return uvicorn.Config(
        web,
        host=host,
        port=port,
        http=guarded_protocol(),
        log_level=log_level,
        access_log=access_log,
        lifespan="on",
    )


def from_environment() -> BodyLimit:
    """The app as one of several uvicorn workers builds it (`rapport serve --workers N`).

    Each worker is its own process with its own services. With the scheduler on, each runs one
    on PostgreSQL, which its locks make safe; on SQLite the first worker to start runs it and
    the others none (`scheduler_turn`), and a worker uvicorn starts in place of that one takes
    it over.
    """
    from bot.bootstrap import assemble, scheduler_turn
    from bot.cli import configure_logging
    from bot.rules.clock import SystemClock
    from bot.settings import load_settings
    from scheduler.jobs import start_scheduler

    configure_logging()  # uvicorn starts this process, not `rapport`'s main
    GuardedHttpProtocol.max_connections = connection_cap()
    schedule = os.environ.get("RAPPORT_SCHEDULER") != "off"
    rapport = assemble(load_settings(), SystemClock(), serve=True, schedule=schedule)
    rapport.db.share_with_processes()  # the other workers write to it too
    running = ExitStack()
    try:
        running.callback(rapport.close)
        if rapport.jobs is not None:
            if running.enter_context(scheduler_turn(rapport.db)):
                running.callback(start_scheduler(rapport.jobs).shutdown)
            else:
                # Said once per worker, so that nobody wonders why N workers run one scheduler.
                log.info(
                    "worker %d runs no scheduler: another process runs it on this SQLite file",
                    os.getpid(),
                )
        assert rapport.app is not None
        secret = rapport.settings.signing_secret or ""
        web = create_web_app(
            rapport.app, rapport.db, signing_secret=secret, on_shutdown=running.close
        )
        keep_out_of_full_collections()
        return web
    except BaseException:
        # A worker that fails to start stops what it started and closes the scheduler's lock
        # file now: the server that would have stopped them will never run.
        running.close()
        raise
