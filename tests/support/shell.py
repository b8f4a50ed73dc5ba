"""What the shell's tests share: a sandbox started on a fixed Wednesday morning, a shell whose
output is read back as plain text, and `rapport` run as a command."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.console import Console

from bot.sandbox import render
from bot.sandbox.shell import Shell
from bot.sandbox.workspace import Sandbox
from storage.db import Database

BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday 25 November 2026, 10:00 in Berlin.
START = datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)
# The console script the README tells people to run, installed beside this interpreter.
RAPPORT = str(Path(sys.executable).with_name("rapport"))


def console() -> tuple[io.StringIO, Console]:
    """A console that prints plain text, no colour, fixed width, into the returned buffer."""
    out = io.StringIO()
    return out, render.make_console(out, terminal=False)


def play(shell: Shell, *lines: str) -> str:
    """Play `lines` as typed; what the shell printed for them, trailing spaces dropped."""
    out = shell.console.file
    assert isinstance(out, io.StringIO)
    before = len(out.getvalue())
    shell.play(lines)
    return "\n".join(line.rstrip() for line in out.getvalue()[before:].splitlines())


def db(sandbox: Sandbox) -> Database:
    assert sandbox.db is not None
    return sandbox.db


def run_rapport(*args: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`rapport ARGS` with Slack settings that would fail if the sandbox used them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FORCE_COLOR"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-not-used",
        SLACK_API_URL="http://192.0.2.1/api/",  # TEST-NET-1: unroutable
        DATABASE_URL="postgresql+psycopg://nobody@192.0.2.1/none",
    )
    return subprocess.run(
        [RAPPORT, *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=env, timeout=60
    )
