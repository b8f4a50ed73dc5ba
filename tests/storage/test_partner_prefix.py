"""`partners_starting_with`, the first read of every `/logcontact`, takes the word typed
literally: what is left of `%`, `_` and `/` once the word is folded into a key (`name_key`)
matches itself and nothing else, and a partner of another workspace is never a candidate. On
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from storage.db import Database
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner, partners_starting_with
from tests.support.world import NOW

NAMES = ["50% Rabatt", "50x Rabatt", "A_B Logistik", "AxB Logistik", "K/S Bau", "KS Bau", "Kästner"]


@pytest.fixture
def workspaces(db: Database) -> tuple[int, int]:
    with db.transaction() as session:
        ours, theirs = (
            workspace_for(session, "T0OURS", NOW),
            workspace_for(session, "T0THEIRS", NOW),
        )
        for name in NAMES:
            add_partner(session, ours.id, name=name, organisation=None, owner_id=None, now=NOW)
        add_partner(
            session, theirs.id, name="50% Anders", organisation=None, owner_id=None, now=NOW
        )
        return ours.id, theirs.id


@pytest.mark.parametrize(
    ("word", "found"),
    [
        ("50%", ["50% Rabatt", "50x Rabatt"]),  # punctuation folds away at the end of a key
        ("50", ["50% Rabatt", "50x Rabatt"]),
        ("a_b", ["A_B Logistik"]),
        ("A", ["A_B Logistik", "AxB Logistik"]),
        ("k/s", ["K/S Bau"]),
        ("KÄST", ["Kästner"]),
        ("kaest", ["Kästner"]),  # as names are compared: umlauts folded
        ("%", []),  # alone it is kept in the key, and must not match every name
        ("_", []),
    ],
)
def test_a_word_finds_the_names_it_begins_and_no_others(
    db: Database, workspaces: tuple[int, int], word: str, found: list[str]
) -> None:
    ours, theirs = workspaces
    with db.transaction() as session:
        names = sorted(p.name for p in partners_starting_with(session, ours, word))
        assert names == sorted(found)
        assert [p.name for p in partners_starting_with(session, theirs, "50%")] == ["50% Anders"]
