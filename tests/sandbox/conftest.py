"""Fixtures of the sandbox's tests: a running sandbox, and a shell on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.sandbox.shell import Shell
from bot.sandbox.workspace import Sandbox
from tests.support.shell import START, console


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(start=START) as running:
        yield running


@pytest.fixture
def shell(sandbox: Sandbox) -> Shell:
    _, shown = console()
    return Shell(sandbox, shown)
