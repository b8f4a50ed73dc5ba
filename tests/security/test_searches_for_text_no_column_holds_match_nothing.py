"""The partner queries answer a name no stored key could equal or contain (too long once folded,
or with a character no column holds) with nothing, without sending it to the database: SQLite
refuses a LIKE pattern over 50,000 bytes and PostgreSQL refuses NUL in text, and either would
otherwise end the request. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from storage.db import Database
from storage.queries.members import workspace_for
from storage.queries.partners import (
    add_partner,
    partner_with_keys,
    partners_named,
    partners_starting_with,
    search_partners,
    similar_partners,
)
from tests.support.world import NOW

UNMATCHABLE = [
    "x" * 60000,
    "%_/" * 20000,
    "ß" * 301,  # 301 characters fit no name; folded, 602 fit no key
    "Nordwind\x00",
    "Nordwind\ud800",
]


@pytest.fixture
def workspace_id(db: Database) -> int:
    with db.transaction() as session:
        workspace = workspace_for(session, "T0ACME", NOW)
        for name, organisation in [("Nordwind", None), ("Nordwind", "Baltic"), ("x" * 200, None)]:
            add_partner(
                session, workspace.id, name=name, organisation=organisation, owner_id=None, now=NOW
            )
        return workspace.id


@pytest.mark.parametrize("text", UNMATCHABLE)
def test_each_partner_query_finds_nothing_for_text_no_key_holds(
    db: Database, workspace_id: int, text: str
) -> None:
    with db.transaction() as session:
        assert partners_starting_with(session, workspace_id, text) == []
        assert partners_named(session, workspace_id, text) == []
        assert partners_named(session, workspace_id, "Nordwind", text) == []
        assert partner_with_keys(session, workspace_id, text, None) is None
        assert partner_with_keys(session, workspace_id, "Nordwind", text) is None
        assert similar_partners(session, workspace_id, text) == []
        assert search_partners(session, workspace_id, text) == []


def test_the_same_queries_still_find_what_is_there(db: Database, workspace_id: int) -> None:
    with db.transaction() as session:
        assert len(partners_starting_with(session, workspace_id, "NORD")) == 2
        assert len(partners_named(session, workspace_id, "nordwind")) == 2
        found = partner_with_keys(session, workspace_id, "NORDWIND", "baltic")
        assert found is not None and found.organisation == "Baltic"
        assert len(search_partners(session, workspace_id, "x" * 200)) == 1


def test_a_second_insert_of_the_same_partner_does_nothing(db: Database, workspace_id: int) -> None:
    with db.transaction() as session:
        again = add_partner(
            session, workspace_id, name="NORDWIND", organisation=None, owner_id=None, now=NOW
        )
        assert again is None
        assert len(partners_named(session, workspace_id, "Nordwind")) == 2
