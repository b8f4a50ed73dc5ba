"""Fixtures of the security tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture
def no_errors_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fails the test when the app logged an error while it ran: a statement the database
    refused, or a failure the user was told was unexpected."""
    caplog.set_level(logging.WARNING)
    yield
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
