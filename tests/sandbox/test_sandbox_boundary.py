"""The sandbox is for `rapport shell` and `rapport demo` only: `rapport serve` cannot reach it.

The stand-in answers anyone holding its tokens; a production process must have no code path that
starts one. The check runs `rapport serve` as far as it goes without a real Slack (to the token
check), in a fresh interpreter, and looks at which modules that path imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.sandbox.loopback import COMMAND, SHORTCUT_CALLBACK_ID
from bot.sandbox.standin import SlackStandIn

PROBE = """
import json, sys
from bot.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def imported_by(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input="",  # never a terminal: `rapport shell` would wait for typing
        capture_output=True,
        text=True,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}, **env},
        cwd=cwd,
        timeout=60,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    return result["code"], set(result["modules"])


def sandbox_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m == "bot.sandbox.standin" or m.startswith("bot.sandbox")}


def test_rapport_serve_never_imports_the_stand_in_or_the_sandbox(tmp_path: Path) -> None:
    # A Slack that refuses the token ends `serve` at its last start-up check, after the app,
    # its handlers and the web layer are built. The stand-in plays it here, in the test process.
    with SlackStandIn() as slack:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-not-the-stand-ins",
            "SLACK_SIGNING_SECRET": "secret",
            "SLACK_API_URL": slack.base_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'rapport.db'}",
        }
        code, modules = imported_by(["serve"], env, tmp_path)

    assert code == 2  # "Slack did not accept SLACK_BOT_TOKEN"
    assert {"bot.bootstrap", "bot.web", "handlers.commands", "handlers.views"} <= modules
    assert sandbox_modules(modules) == set()


def test_the_check_sees_the_stand_in_where_it_is_used(tmp_path: Path) -> None:
    """The same probe on `rapport shell` finds both, so the check above can fail."""
    code, modules = imported_by(["shell"], {}, tmp_path)

    assert code == 0
    assert {"bot.sandbox.standin", "bot.sandbox.shell", "bot.sandbox.workspace"} <= modules


def test_the_sandbox_acts_as_slack_with_the_names_the_manifest_registers() -> None:
    from handlers.commands import COMMAND as LISTENED_COMMAND
    from handlers.shortcuts import CALLBACK_ID

    # tests/test_manifest.py holds the handlers to the manifest; this holds the sandbox to both.
    assert (COMMAND, SHORTCUT_CALLBACK_ID) == (LISTENED_COMMAND, CALLBACK_ID)
