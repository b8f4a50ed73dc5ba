"""The shape of the house, checked: which package may import which, and how big a room may get.

Each room of the code has a job, and the direction of its imports says so: the rules and the
readers of what people type are pure (no database, no Slack); texts know only Babel; Block Kit
is built from plain values; use cases hold the transaction but never Bolt; handlers never touch
storage; storage imports nothing of Rapport's; the sandbox is reached only by the CLI, lazily.
This test reads every module's imports (top level and inside functions) and names each import
that breaks a rule. `docs/../CONTRIBUTING.md` says where new code goes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "scheduler", "storage")
MAX_MODULES_PER_FOLDER = 12

# What each room may import, as prefixes of module names. Third-party packages are listed where
# a room may use them; the standard library is always allowed. Rapport's own modules not listed
# are refused. The first matching room (longest prefix) decides.
PURE = ("storage.vocabulary",)
ALLOWED: dict[str, tuple[str, ...]] = {
    # holidays: the public-holiday calendars; babel: CLDR's country names, to read a country
    # typed by name. Both are data, with no I/O.
    "bot.rules": ("bot.rules", *PURE, "holidays", "babel"),
    "bot.parsing": ("bot.parsing", "bot.rules", *PURE, "dateparser"),
    "bot.texts": ("bot.texts", "bot.rules", "babel"),
    "bot.blocks": (
        "bot.blocks",
        "bot.rules",
        "bot.parsing",
        "bot.texts",
        *PURE,
        "slack_sdk.models",
        "babel",
    ),
    "bot.slack": ("bot.slack", "bot.rules", "bot.parsing", "bot.blocks", *PURE, "slack_sdk"),
    "bot.usecases": (
        "bot.usecases",
        "bot.rules",
        "bot.parsing",
        "bot.texts",
        "bot.blocks",
        "bot.slack",
        "storage",
        "sqlalchemy",
        "slack_sdk",
    ),
    "bot.http": (
        "bot.http",
        "bot.rules",
        "bot.parsing",
        "bot.texts",
        "bot.blocks",
        "bot.slack",
        "storage",
        "sqlalchemy",
        "slack_sdk",
        "slack_bolt",
        "starlette",
        "uvicorn",
    ),
    "handlers": (
        "handlers",
        "bot.usecases",
        "bot.blocks",
        "bot.texts",
        "bot.rules",
        "bot.parsing",
        "bot.slack",
        "bot.http.direct_answers",
        "slack_bolt",
        "slack_sdk",
    ),
    "scheduler": (
        "scheduler",
        "bot.usecases",
        "bot.rules",
        "bot.blocks",
        "bot.texts",
        "bot.slack",
        "storage",
        "sqlalchemy",
        "slack_sdk",
        "apscheduler",
    ),
    "storage": ("storage", "sqlalchemy", "alembic", "slack_sdk.oauth", "rapidfuzz"),
    # `rapport parse`: the readers of what people type and the texts they answer in, with no
    # database, no Slack and no network.
    "bot.explain": ("bot.explain", "bot.parsing", "bot.rules", "bot.texts", *PURE),
    # The composition root and the sandbox see everything.
    "bot.cli": ("",),
    "bot.web": ("",),
    "bot.settings": ("",),
    "bot.bootstrap": ("",),
    "bot.sandbox": ("",),
}
OWN = ("bot", "handlers", "scheduler", "storage")
THIRD_PARTY = (
    "sqlalchemy",
    "alembic",
    "slack_sdk",
    "slack_bolt",
    "apscheduler",
    "dateparser",
    "babel",
    "starlette",
    "uvicorn",
    "psycopg",
    "dotenv",
    "rich",
    "rapidfuzz",
)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "bot.rules.nudges"
    target: str  # what it imports, e.g. "sqlalchemy.orm"
    line: int
    lazy: bool  # inside a function


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(), filename=str(path))
    name = module_name(path)
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend(Import(name, alias.name, child.lineno, lazy) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                targets = [child.module]
                if child.module in OWN:  # `from bot import x`: the module bot.x
                    targets = [f"{child.module}.{alias.name}" for alias in child.names]
                found.extend(Import(name, target, child.lineno, lazy) for target in targets)
            visit(child, inner)

    visit(tree, False)
    return found


def all_imports() -> list[Import]:
    return [
        found
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        for found in imports_of(path)
    ]


def room_of(module: str) -> str:
    rooms = [room for room in ALLOWED if module == room or module.startswith(room + ".")]
    assert rooms, f"{module} is in no room: add it to ALLOWED in {Path(__file__).name}"
    return max(rooms, key=len)


def under(target: str, prefix: str) -> bool:
    return prefix == "" or target == prefix or target.startswith(prefix + ".")


def breaks_a_rule(found: Import) -> str | None:
    """Why this import is not allowed, or None."""
    top = found.target.split(".")[0]
    if top not in OWN and top not in THIRD_PARTY:
        return None  # the standard library, or a test-only dependency
    if under(found.target, "bot.sandbox") and not under(found.module, "bot.sandbox"):
        if found.module == "bot.cli" and found.lazy:
            return None
        return "only the CLI reaches the sandbox, and lazily (inside the command that runs it)"
    room = room_of(found.module)
    if any(under(found.target, allowed) for allowed in ALLOWED[room]):
        return None
    return f"{room} may import only {', '.join(p for p in ALLOWED[room] if p)}"


def violations(imports: list[Import]) -> list[str]:
    return [
        f"{found.module} (line {found.line}) imports {found.target}: {why}"
        for found in imports
        if (why := breaks_a_rule(found)) is not None
    ]


def test_every_import_keeps_to_the_rooms_rules() -> None:
    problems = violations(all_imports())
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("module", "target", "lazy", "broken"),
    [
        ("bot.rules.nudges", "storage.db", False, True),
        ("bot.rules.nudges", "sqlalchemy.orm", False, True),
        ("bot.rules.nudges", "storage.vocabulary", False, False),
        ("bot.rules.public_holidays", "holidays", False, False),
        ("bot.parsing.dates", "slack_sdk", False, True),
        ("bot.texts.reader", "storage.db", False, True),
        ("bot.texts.reader", "bot.usecases.contacts", False, True),
        ("bot.blocks.replies", "storage.models", False, True),
        ("bot.usecases.log_contact", "slack_bolt", False, True),
        ("handlers.commands", "storage.queries.members", False, True),
        ("storage.db", "bot.rules.clock", False, True),
        ("bot.web", "bot.sandbox.loopback", False, True),
        ("bot.cli", "bot.sandbox.shell", False, True),
        ("bot.cli", "bot.sandbox.shell", True, False),
        ("scheduler.planner", "handlers.commands", False, True),
        ("bot.usecases.contacts", "storage.queries.partners", False, False),
    ],
)
def test_the_rules_refuse_what_they_should_and_only_that(
    module: str, target: str, lazy: bool, broken: bool
) -> None:
    assert (breaks_a_rule(Import(module, target, 1, lazy)) is not None) is broken


def test_a_rule_that_imports_storage_is_named_as_a_violation(tmp_path: Path) -> None:
    """As a newcomer might: a rule that reaches for the database fails this test, by name."""
    module = tmp_path / "sneaky.py"
    module.write_text("from storage.db import Database\n")
    found = [Import("bot.rules.sneaky", i.target, i.line, i.lazy) for i in imports_of_file(module)]
    assert violations(found) == [
        "bot.rules.sneaky (line 1) imports storage.db: bot.rules may import only bot.rules, "
        "storage.vocabulary, holidays, babel"
    ]


def imports_of_file(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text())
    return [
        Import("?", node.module, node.lineno, False)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    ]


def test_no_package_folder_holds_more_than_twelve_modules() -> None:
    crowded = {
        folder.relative_to(ROOT).as_posix(): count
        for package in PACKAGES
        for folder in [ROOT / package, *(ROOT / package).rglob("*")]
        if folder.is_dir() and "__pycache__" not in folder.parts and "versions" not in folder.parts
        if (count := len(list(folder.glob("*.py")))) > MAX_MODULES_PER_FOLDER
    }
    assert crowded == {}
