"""A contact date that could mean several days is asked about over signed HTTP, nothing is
stored until the person picks a day, and the day picked is the one stored. On SQLite and
PostgreSQL; today is Wednesday 25 November 2026 in Berlin."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.models import PendingCommand
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, texts
from tests.support.rows import Interaction, count, only


@pytest.mark.parametrize(
    ("text", "user", "question", "pick", "noon_utc"),
    [
        (
            "Acme call last Monday talked prices",
            "U0ALICE",
            "*last Monday* could mean more than one day",
            "Monday, November 16, 2026",
            datetime(2026, 11, 16, 11, tzinfo=UTC),
        ),
        (
            "Acme Anruf letzten Montag Preise besprochen",
            "U0JONAS",
            "*letzten Montag* kann mehr als einen Tag meinen",
            "Montag, 23. November 2026",
            datetime(2026, 11, 23, 11, tzinfo=UTC),
        ),
        (
            "Acme Treffen 27.11. Angebot",
            "U0JONAS",
            "*27.11.* kann mehr als einen Tag meinen",
            "Donnerstag, 27. November 2025",
            datetime(2025, 11, 27, 11, tzinfo=UTC),
        ),
    ],
)
def test_an_ambiguous_contact_date_is_asked_and_the_day_picked_is_stored(
    rapport: RunningRapport,
    text: str,
    user: str,
    question: str,
    pick: str,
    noon_utc: datetime,
) -> None:
    known(rapport, user)
    reply = rapport.command(text, user=user).reply()

    assert question in texts(reply)
    assert count(rapport.db, Interaction) == 0 and count(rapport.db, PendingCommand) == 1
    choice = buttons(reply)[pick]

    answer = rapport.click(choice["action_id"], choice["value"], user=user).later()

    assert "Logged" in texts(answer) or "erfasst" in texts(answer)
    assert only(rapport.db, Interaction).occurred_at == noon_utc
    assert count(rapport.db, PendingCommand) == 0


def test_a_clear_contact_date_is_taken_without_a_question(rapport: RunningRapport) -> None:
    known(rapport)
    reply = rapport.command("Acme call Friday the 20th talked prices").reply()
    assert "Logged" in texts(reply)
    assert only(rapport.db, Interaction).occurred_at == datetime(2026, 11, 20, 11, tzinfo=UTC)
