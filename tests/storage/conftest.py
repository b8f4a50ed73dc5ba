"""Fixtures shared by the storage tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import Database


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite database of the test's own, as a file: for what only SQLite has (its
    write locks in and among processes), whichever backends the run covers."""
    shutil.copy(sqlite_template, tmp_path / "rapport.db")
    db = Database(f"sqlite:///{tmp_path / 'rapport.db'}")
    yield db
    db.dispose()
