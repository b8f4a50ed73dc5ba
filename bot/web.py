"""The HTTP face: `POST /slack/events` and `GET /healthz`, as an ASGI app for uvicorn.

Bolt's own Starlette adapter calls the synchronous `App.dispatch` on the event loop, which serves
one request at a time; here dispatch runs in the thread pool, so requests overlap.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storage.db import Database


def create_web_app(
    app: App, db: Database, on_shutdown: Callable[[], None] | None = None
) -> Starlette:
    """The ASGI app; `on_shutdown` runs when uvicorn stops (SIGTERM), after the last request."""

    async def slack_events(request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        bolt_response = await run_in_threadpool(app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    async def healthz(request: Request) -> Response:
        ok = await run_in_threadpool(db.ping)
        return JSONResponse({"ok": ok, "database": "up" if ok else "down"}, 200 if ok else 503)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        if on_shutdown is not None:
            await run_in_threadpool(on_shutdown)

    return Starlette(
        lifespan=lifespan,
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
    )


def from_environment() -> Starlette:
    """The app as one of several uvicorn workers builds it (`rapport serve --workers N`).

    Each worker is its own process with its own services; with the scheduler on, each runs one
    too, which PostgreSQL's locks make safe.
    """
    import os

    from bot.clock import SystemClock
    from bot.dates import warm_up
    from bot.services import Services
    from bot.settings import load_settings
    from bot.startup import build_app, build_jobs, open_database
    from scheduler.jobs import start_scheduler

    settings = load_settings()
    db = open_database(settings.database_url)
    warm_up()
    clock = SystemClock()
    services = Services(db, clock)
    app = build_app(settings, services)
    stop = services.close
    if os.environ.get("RAPPORT_SCHEDULER") != "off":
        scheduler = start_scheduler(build_jobs(settings, db, clock))

        def stop() -> None:
            scheduler.shutdown()
            services.close()

    return create_web_app(app, db, on_shutdown=stop)
