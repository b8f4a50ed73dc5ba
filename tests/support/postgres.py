"""A real, throwaway PostgreSQL server for the tests.

SQLite hides the behaviour that matters in production (row locks, `FOR UPDATE`, concurrent
writers), so the PostgreSQL-marked tests run against a real server started here: a fresh cluster
in a temporary folder on a free loopback port, with durability switched off because the data is
thrown away anyway.

Machines here run everything as root and `initdb`/`pg_ctl` refuse root, so as root the cluster is
owned by, and the binaries run as, the `postgres` system user that Debian's package creates.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb and pg_ctl) were not found: looked in "
    "/usr/lib/postgresql/*/bin, at `pg_config --bindir` and on PATH. The tests marked "
    "`postgres` run against a real server started by the test set-up; install it with "
    "`apt-get install -y postgresql` (Debian/Ubuntu; the package also creates the `postgres` "
    "system user the server runs as when the tests run as root), or set "
    "RAPPORT_TEST_POSTGRES=off to skip those tests."
)

SUPERUSER = "rapport"
_START_ATTEMPTS = 3  # a free port can be taken between choosing it and the server binding it
_READY_TIMEOUT_S = 30.0


class PostgresUnavailable(RuntimeError):
    """The server cannot be started on this machine; the message says what to install or fix."""


def postgres_disabled() -> bool:
    """True when RAPPORT_TEST_POSTGRES=off asks to skip, rather than fail, without PostgreSQL."""
    return os.environ.get("RAPPORT_TEST_POSTGRES", "").strip().lower() == "off"


def _version_key(bindir: Path) -> tuple[int, ...]:
    version = bindir.parent.name
    return (
        tuple(int(part) for part in version.split("."))
        if re.fullmatch(r"[\d.]+", version)
        else (-1,)
    )


def _has_server_tools(bindir: Path) -> bool:
    return (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster for the length of a test run.

    `start()` creates and starts it, `stop()` stops it and deletes its files; `stop()` is also
    registered with atexit, so a run that dies in a test leaves no server behind.
    """

    @classmethod
    def find_bindir(cls) -> Path | None:
        """The folder holding initdb and pg_ctl: Debian's newest version first, then pg_config,
        then PATH (Debian keeps the server binaries off PATH)."""
        debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
        for bindir in debian:
            if _has_server_tools(bindir):
                return bindir
        pg_config = shutil.which("pg_config")
        if pg_config is not None:
            result = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=False
            )
            bindir = Path(result.stdout.strip())
            if result.returncode == 0 and _has_server_tools(bindir):
                return bindir
        initdb = shutil.which("initdb")
        if initdb is not None and _has_server_tools(Path(initdb).parent):
            return Path(initdb).parent
        return None

    def __init__(self, bindir: Path) -> None:
        self.bindir = Path(bindir)
        self.port: int | None = None
        self.startup_seconds: float | None = None
        self._root: Path | None = None
        self._run_as: list[str] = []

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> PostgresServer:
        if self._root is not None:
            return self
        began = time.monotonic()
        self._run_as = self._privilege_drop()
        root = Path(tempfile.mkdtemp(prefix="rapport-pg-"))
        self._root = root
        atexit.register(self.stop)
        try:
            if self._run_as:
                account = pwd.getpwnam("postgres")
                os.chown(root, account.pw_uid, account.pw_gid)
            self._run(
                "initdb",
                "-D",
                str(self._data),
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "-N",  # no fsync of the new cluster: it lives for one test run
            )
            self._start_on_free_port()
            self._wait_until_accepting()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def stop(self) -> None:
        root, self._root = self._root, None
        atexit.unregister(self.stop)
        if root is None:
            return
        if (root / "data" / "postmaster.pid").exists():
            # Immediate: nothing in this cluster is worth a clean shutdown.
            self._run(
                "pg_ctl", "-D", str(root / "data"), "-m", "immediate", "-w", "stop", check=False
            )
        shutil.rmtree(root, ignore_errors=True)
        self.port = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- connecting

    @property
    def admin_url(self) -> str:
        return self.url("postgres")

    def url(self, database: str) -> str:
        """SQLAlchemy URL of `database` on this server (psycopg 3 driver, trust auth)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self._port()}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        """libpq connection string, for psycopg without SQLAlchemy."""
        return f"host=127.0.0.1 port={self._port()} user={SUPERUSER} dbname={database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create `name` (as a copy of `template` if given) and return its SQLAlchemy URL.

        Copying a migrated template is much faster than migrating each test's database; the
        template must have no open connections while it is copied.
        """
        from psycopg import sql

        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
        self._admin(statement)
        return self.url(name)

    def create_icu_database(self, name: str, icu_locale: str) -> str | None:
        """Create an empty `name` whose default collation is ICU's for `icu_locale` (as a
        production database may be created, where this server's are C) and return its
        SQLAlchemy URL; None when the server cannot (older than PostgreSQL 15, or built
        without ICU). A collation of its own needs template0, so it is not migrated."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            version = connection.info.server_version
            icu = connection.execute("SELECT 1 FROM pg_collation WHERE collprovider = 'i'")
            if version < 150000 or icu.fetchone() is None:
                return None
            connection.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 LOCALE 'C' LOCALE_PROVIDER icu "
                    "ICU_LOCALE {}"
                ).format(sql.Identifier(name), sql.Literal(icu_locale))
            )
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop `name`, closing connections a test left open (PostgreSQL 13+)."""
        from psycopg import sql

        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    # ---------------------------------------------------------------- internals

    @property
    def _data(self) -> Path:
        assert self._root is not None
        return self._root / "data"

    def _port(self) -> int:
        if self.port is None:
            raise RuntimeError("PostgresServer is not started")
        return self.port

    def _admin(self, statement: object) -> None:
        import psycopg

        # CREATE/DROP DATABASE cannot run inside a transaction block.
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(statement)  # type: ignore[arg-type]

    def _privilege_drop(self) -> list[str]:
        """The prefix that runs a binary as `postgres` when we are root, else nothing."""
        if not _has_server_tools(self.bindir):
            raise PostgresUnavailable(INSTALL_HINT)
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailable(
                "The tests run as root, and initdb/pg_ctl refuse root, so the server runs as the "
                "`postgres` system user, which does not exist here. Install the server with "
                "`apt-get install -y postgresql` (it creates that user), or run the tests as an "
                "ordinary user."
            ) from exc
        runuser = shutil.which("runuser")
        if runuser is None:
            raise PostgresUnavailable(
                "The tests run as root and need `runuser` (util-linux) to start PostgreSQL as "
                "the `postgres` user: install it with `apt-get install -y util-linux`."
            )
        return [runuser, "-u", "postgres", "--"]

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [*self._run_as, str(self.bindir / tool), *args]
        result = subprocess.run(
            command,
            # The `postgres` user may not be allowed into the caller's working directory.
            cwd=self._root or tempfile.gettempdir(),
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise PostgresUnavailable(
                f"{tool} failed (exit {result.returncode}): {shlex.join(command)}\n"
                f"{result.stdout}{result.stderr}{self._log_tail()}"
            )
        return result

    def _start_on_free_port(self) -> None:
        assert self._root is not None
        for attempt in range(1, _START_ATTEMPTS + 1):
            port = _free_port()
            options = " ".join(
                [
                    f"-p {port}",
                    f"-k {shlex.quote(str(self._root))}",
                    "-c listen_addresses=127.0.0.1",
                    # Throwaway data: durability only costs time.
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                ]
            )
            result = self._run(
                "pg_ctl",
                "-D",
                str(self._data),
                "-l",
                str(self._root / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                str(int(_READY_TIMEOUT_S)),
                "start",
                check=attempt == _START_ATTEMPTS,
            )
            if result.returncode == 0:
                self.port = port
                return

    def _wait_until_accepting(self) -> None:
        """pg_ctl -w waits for the postmaster; this proves a client can really log in over TCP."""
        import psycopg

        deadline = time.monotonic() + _READY_TIMEOUT_S
        while True:
            try:
                with psycopg.connect(self.conninfo(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _log_tail(self) -> str:
        log = self._root / "server.log" if self._root else None
        if log is None or not log.exists():
            return ""
        with contextlib.suppress(OSError):
            return "\nserver log:\n" + "\n".join(log.read_text().splitlines()[-20:])
        return ""
