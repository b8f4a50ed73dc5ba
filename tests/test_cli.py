"""`rapport`: start-up problems end in one line that names them, never a traceback; on one
SQLite file, one process at a time runs the scheduler."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.cli import main
from storage.db import Database
from storage.migrate import head_revision


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, env: dict, *args: str):
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SLACK_API_URL",
        "DATABASE_URL",
        "PORT",
        "SLACK_CLIENT_ID",
        "SLACK_CLIENT_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = main(list(args))
    return code, capsys.readouterr().err


def test_serve_without_a_bot_token_names_it(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = run(capsys, monkeypatch, {}, "serve")
    assert code == 2
    assert err == "rapport: SLACK_BOT_TOKEN is missing: set it in the environment or in .env\n"


def test_serve_with_oauth_variables_refuses_instead_of_ignoring_the_token(
    capsys, monkeypatch, tmp_path
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_CLIENT_ID": "1",
        "SLACK_CLIENT_SECRET": "2",
    }
    code, err = run(capsys, monkeypatch, env, "serve")
    assert code == 2
    assert "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set" in err
    assert err.count("\n") == 1


def test_serve_on_postgres_behind_the_schema_asks_for_migrate(
    capsys, monkeypatch, tmp_path, postgres
) -> None:
    monkeypatch.chdir(tmp_path)
    url = postgres.create_database("behind")
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": url}
    code, err = run(capsys, monkeypatch, env, "serve")
    assert code == 2
    assert f"is at revision none, Rapport needs {head_revision()}: run `rapport migrate`" in err

    code, err = run(capsys, monkeypatch, {"DATABASE_URL": url}, "migrate")
    assert code == 0
    db = Database(url)
    from storage.migrate import is_current

    assert is_current(db.engine)
    db.dispose()


def test_an_unreachable_database_is_one_line(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "DATABASE_URL": "postgresql+psycopg://nobody:secret@127.0.0.1:1/none",
    }
    code, err = run(capsys, monkeypatch, env, "serve")
    assert code == 2
    assert err.startswith("rapport: cannot use the database at postgresql+psycopg://nobody:***@")
    assert "secret" not in err
    assert err.count("\n") == 1


def test_a_bot_token_slack_rejects_is_one_line(capsys, monkeypatch, tmp_path, slack) -> None:
    monkeypatch.chdir(tmp_path)
    env = {
        "SLACK_BOT_TOKEN": "xoxb-wrong",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": slack.base_url,
    }
    code, err = run(capsys, monkeypatch, env, "serve")
    assert code == 2
    assert err.startswith("rapport: Slack did not accept SLACK_BOT_TOKEN")
    assert "invalid_auth" in err
    assert err.count("\n") == 1


def test_serve_refuses_several_workers_in_socket_mode(capsys, monkeypatch, tmp_path, slack) -> None:
    monkeypatch.chdir(tmp_path)
    env = {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_APP_TOKEN": "xapp-1",
        "SLACK_API_URL": slack.base_url,
    }
    code, err = run(capsys, monkeypatch, env, "serve", "--workers", "2")
    assert code == 2
    assert "--workers above 1 needs HTTP mode" in err


def test_one_process_on_an_sqlite_file_has_the_scheduler_s_turn(tmp_path) -> None:
    """Workers of `rapport serve --workers N` on SQLite: the first runs the scheduler, the
    others none, and one started after it ended takes it over."""
    from bot.bootstrap import scheduler_turn

    url = f"sqlite:///{tmp_path / 'r.db'}"
    first, second, third = Database(url), Database(url), Database(url)
    with scheduler_turn(first) as mine, scheduler_turn(second) as also_mine:
        assert (mine, also_mine) == (True, False)
    with scheduler_turn(third) as mine_now:
        assert mine_now


def test_a_second_scheduler_on_one_sqlite_file_is_refused(capsys, monkeypatch, tmp_path) -> None:
    from bot.bootstrap import sole_sqlite_scheduler

    monkeypatch.chdir(tmp_path)
    env = {"SLACK_BOT_TOKEN": "xoxb-any", "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    with sole_sqlite_scheduler(Database(env["DATABASE_URL"])):
        code, err = run(capsys, monkeypatch, env, "scheduler")
    assert code == 2
    assert "another Rapport scheduler is running on" in err and "SQLite allows one" in err


def test_the_scheduler_needs_only_the_bot_token(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = run(capsys, monkeypatch, {}, "run-jobs")
    assert code == 2
    assert err == "rapport: SLACK_BOT_TOKEN is missing: set it in the environment or in .env\n"


def test_outbox_on_a_missing_sqlite_file_says_so_instead_of_creating_one(
    capsys, monkeypatch, tmp_path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = run(capsys, monkeypatch, {}, "outbox")
    assert code == 2
    assert err == (
        f"rapport: there is no database at {tmp_path / 'rapport.db'}: check DATABASE_URL and "
        "the working directory\n"
    )
    assert not (tmp_path / "rapport.db").exists()


def test_migrate_into_a_missing_folder_names_the_path(capsys, monkeypatch, tmp_path) -> None:
    missing = tmp_path / "no-such-folder" / "rapport.db"
    code, err = run(capsys, monkeypatch, {"DATABASE_URL": f"sqlite:///{missing}"}, "migrate")
    assert code == 2
    assert err == f"rapport: cannot create the database at {missing}: No such file or directory\n"


def test_partners_collisions_lists_the_flagged_partners_on_both_backends(
    capsys, monkeypatch, tmp_path, database_url
) -> None:
    from datetime import UTC, datetime

    from storage.models import Partner, Workspace

    monkeypatch.chdir(tmp_path)
    db = Database(database_url)
    now = datetime(2026, 11, 29, tzinfo=UTC)
    with db.transaction() as session:
        workspace = Workspace(team_id="T0ACME", created_at=now)
        session.add(workspace)
        session.flush()
        for name, key, flagged in [
            ("Müller", "mueller", True),
            ("Mu\u0308ller", "mueller #2", True),
            ("Acme", "acme", False),
        ]:
            session.add(
                Partner(
                    workspace_id=workspace.id,
                    name=name,
                    name_key=key,
                    organisation_key="",
                    key_collision=flagged,
                    created_at=now,
                )
            )
    db.dispose()

    code, err = run(capsys, monkeypatch, {"DATABASE_URL": database_url}, "partners", "collisions")
    assert (code, err) == (0, "")
    code = main(["partners", "collisions"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[0].split()[:3] == ["workspace", "partner", "owner"]
    assert lines[1].startswith("T0ACME") and lines[1].endswith("  Müller")
    assert lines[2].endswith("  Mu\u0308ller") and "Acme" not in "\n".join(lines)


def test_partners_collisions_says_when_there_are_none(capsys, monkeypatch, tmp_path, database_url):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["partners", "collisions"]) == 0
    assert "no partners share a name key" in capsys.readouterr().out


# --- rapport doctor on the shell's database ----------------------------------------------------


def _rapport(*args: str, cwd, env: dict[str, str], stdin: str = ""):
    import os
    import subprocess

    from tests.support.shell import RAPPORT

    names = ("SLACK_", "DATABASE_URL", "FORCE_COLOR")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(names)}
    return subprocess.run(
        [RAPPORT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**clean, **env},
        timeout=120,
    )


@pytest.fixture(scope="module")
def shell_db(tmp_path_factory: pytest.TempPathFactory):
    """A database `rapport shell --db` kept, with three partners logged, as the README has it."""
    folder = tmp_path_factory.mktemp("shell")
    path = folder / "x.db"
    lines = "/logcontact Foo call hi\n/logcontact Nordwind call hi\n/logcontact Kappa Anruf hallo\n"
    done = _rapport("shell", "--db", str(path), cwd=folder, env={}, stdin=lines)
    assert done.returncode == 0, done.stderr
    return path


def _drift(path, names: tuple[str, ...]) -> None:
    """Make the kept last contact of `names` disagree with their contacts."""
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.executemany(
            "UPDATE partners SET last_contact_at = '2020-01-01 00:00:00.000000' WHERE name = ?",
            [(name,) for name in names],
        )


@pytest.mark.parametrize(
    ("drifted", "differ", "fixed"),
    [
        (("Foo",), "rapport: 1 partner differs;", "rapport: 1 partner recomputed"),
        (("Foo", "Kappa"), "rapport: 2 partners differ;", "rapport: 2 partners recomputed"),
    ],
)
def test_doctor_on_the_shells_database_counts_in_words_and_keeps_stderr_quiet(
    shell_db, tmp_path, drifted, differ, fixed
) -> None:
    import shutil

    path = tmp_path / "copy.db"
    shutil.copy(shell_db, path)
    _drift(path, drifted)
    # The README's way: an absolute path takes four slashes after `sqlite:`.
    env = {"DATABASE_URL": f"sqlite:///{path}"}

    found = _rapport("doctor", cwd=tmp_path, env=env)
    repaired = _rapport("doctor", "--fix", cwd=tmp_path, env=env)
    clean = _rapport("doctor", cwd=tmp_path, env=env)

    assert (found.returncode, repaired.returncode, clean.returncode) == (1, 0, 0)
    assert found.stderr == repaired.stderr == clean.stderr == ""
    assert differ in found.stdout and found.stdout.count("last_contact_at") == len(drifted)
    assert fixed in repaired.stdout
    assert clean.stdout == "rapport: every partner's contact times match its contacts\n"


def test_doctor_verbose_shows_what_opening_the_database_logs(shell_db, tmp_path) -> None:
    done = _rapport(
        "doctor", "--verbose", cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{shell_db}"}
    )

    assert done.returncode == 0, done.stderr
    assert "INFO alembic.runtime.migration" in done.stderr


def test_a_symlink_to_the_sqlite_file_shares_the_scheduler_s_turn(tmp_path) -> None:
    """A process given a symlink to the database (a `current` link to a release) and one given
    the file itself run on one file: one scheduler between them, as SQLite allows one."""
    from bot.bootstrap import scheduler_turn

    Database(f"sqlite:///{tmp_path / 'r.db'}").dispose()
    (tmp_path / "link.db").symlink_to(tmp_path / "r.db")
    direct, linked = (
        Database(f"sqlite:///{tmp_path / 'r.db'}"),
        Database(f"sqlite:///{tmp_path / 'link.db'}"),
    )
    with scheduler_turn(direct) as mine, scheduler_turn(linked) as also_mine:
        assert (mine, also_mine) == (True, False)


def test_each_worker_of_serve_writes_rapport_s_log_lines(tmp_path, slack) -> None:
    """uvicorn starts the workers, not `main`: each sets Rapport's logging up itself."""
    import contextlib
    import os
    import queue
    import socket
    import subprocess
    import sys
    import threading
    import time
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": slack.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
        "PORT": str(port),
    }
    env.pop("SLACK_APP_TOKEN", None)
    rapport = str(Path(sys.executable).with_name("rapport"))
    server = subprocess.Popen(
        [rapport, "serve", "--host", "127.0.0.1", "--workers", "2"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in server.stderr], daemon=True).start()
    seen: list[str] = []
    try:
        until = time.monotonic() + 30
        while not any("runs no scheduler" in s for s in seen):
            left = until - time.monotonic()
            if left <= 0:
                break
            with contextlib.suppress(queue.Empty):
                seen.append(lines.get(timeout=left))
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Written by a worker (the one without the scheduler's turn), through Rapport's logging.
    assert any("INFO bot.web: worker" in s and "runs no scheduler" in s for s in seen), seen


# --- start-up leaves what it built out of full collections ---------------------------------------


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Nothing frozen before the test and after it: `gc.freeze` is process-wide."""
    import gc

    gc.unfreeze()
    yield
    gc.unfreeze()


def serving_env(slack, tmp_path, *, socket_mode: bool) -> dict[str, str]:
    env = {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_API_URL": slack.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
    }
    if socket_mode:
        env["SLACK_APP_TOKEN"] = "xapp-1"
    else:
        env["SLACK_SIGNING_SECRET"] = "s"
    return env


@pytest.mark.parametrize("mode", ["HTTP", "Socket Mode"])
def test_serve_freezes_what_start_up_built_before_it_serves(
    capsys, monkeypatch, tmp_path, slack, unfrozen, mode: str
) -> None:
    """`rapport serve` through its real start-up path: when uvicorn or the Socket Mode client
    would start serving, start-up's objects are frozen (`keep_out_of_full_collections`)."""
    import gc

    import uvicorn
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    frozen_when_serving: list[int] = []

    def serve_uvicorn(server: uvicorn.Server, *_: object, **__: object) -> None:
        frozen_when_serving.append(gc.get_freeze_count())

    def serve_socket_mode(handler: SocketModeHandler, *_: object, **__: object) -> None:
        frozen_when_serving.append(gc.get_freeze_count())
        handler.close()  # its client's threads, started when it was made

    monkeypatch.setattr(uvicorn.Server, "run", serve_uvicorn)
    monkeypatch.setattr(SocketModeHandler, "start", serve_socket_mode)
    monkeypatch.chdir(tmp_path)
    env = serving_env(slack, tmp_path, socket_mode=mode == "Socket Mode")

    code, err = run(capsys, monkeypatch, env, "serve", "--no-scheduler")

    assert code == 0, err
    assert len(frozen_when_serving) == 1
    assert frozen_when_serving[0] > 0


@pytest.mark.parametrize(("flags", "logged"), [((), False), (("--access-log",), True)])
def test_serve_logs_each_request_only_when_asked(
    capsys, monkeypatch, tmp_path, slack, unfrozen, flags: tuple[str, ...], logged: bool
) -> None:
    """uvicorn's line per request is off unless `--access-log` asks for it, with one process
    and with several (`uvicorn.run`, which starts the workers)."""
    import uvicorn

    access_logs: list[bool] = []
    monkeypatch.setattr(
        uvicorn.Server, "run", lambda server, *_, **__: access_logs.append(server.config.access_log)
    )
    monkeypatch.setattr(
        uvicorn, "run", lambda *_, **options: access_logs.append(options["access_log"])
    )
    monkeypatch.chdir(tmp_path)
    env = serving_env(slack, tmp_path, socket_mode=False)

    for workers in ("1", "2"):
        code, err = run(
            capsys, monkeypatch, env, "serve", "--no-scheduler", "--workers", workers, *flags
        )
        assert code == 0, err

    assert access_logs == [logged, logged]


def test_each_worker_freezes_what_it_built_before_it_serves(
    monkeypatch, tmp_path, slack, unfrozen
) -> None:
    """`rapport serve --workers N`: uvicorn builds the app in each worker by calling
    `bot.web.from_environment`, and serves it once that returns."""
    import asyncio
    import gc

    from bot.http.limits import GuardedHttpProtocol
    from bot.web import from_environment

    for name, value in serving_env(slack, tmp_path, socket_mode=False).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.setenv("RAPPORT_SCHEDULER", "off")
    monkeypatch.chdir(tmp_path)
    # A worker sets its protocol's connection cap; this process's is put back after the test.
    monkeypatch.setattr(GuardedHttpProtocol, "max_connections", GuardedHttpProtocol.max_connections)

    web = from_environment()
    frozen = gc.get_freeze_count()
    asyncio.run(run_lifespan(web))  # stops what the worker started, as uvicorn would

    assert frozen > 0


async def run_lifespan(app: Any) -> None:
    """Start and stop an ASGI app as uvicorn does around serving it."""
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[str] = []

    async def receive() -> dict[str, str]:
        return next(messages)

    async def send(message: dict[str, str]) -> None:
        sent.append(message["type"])

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
