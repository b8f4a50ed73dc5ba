"""The DM to a subscriber whose channel's digests Rapport could not withdraw: which case it
names (removed, archived, Slack refusing), in English and German, as valid Block Kit."""

from __future__ import annotations

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.digest.subscription import withdrawal_ended_notice
from bot.texts.reader import Reader
from tests.support.blocks import texts

EN = Reader("en-US", "America/New_York")
DE = Reader("de-DE", "Europe/Berlin")


def shown(reader: Reader, error: str) -> str:
    reply = withdrawal_ended_notice(reader, "C0TEAM", error)
    for block in reply.blocks:
        Block.parse(block.to_dict()).validate_json()  # type: ignore[union-attr]
    body = texts({"blocks": [block.to_dict() for block in reply.blocks]})
    assert reply.text and "<#C0TEAM>" in reply.text and "<#C0TEAM>" in body
    return reply.text


@pytest.mark.parametrize(
    ("error", "english", "german"),
    [
        ("not_in_channel", "no longer a member", "nicht mehr Mitglied"),
        ("channel_not_found", "no longer a member", "nicht mehr Mitglied"),
        ("is_archived", "is archived", "ist archiviert"),
        ("internal_error", "Slack refused for over an hour (internal_error)", "(internal_error)"),
        ("cant_update_message", "no longer lets it change", "nicht mehr ändern"),
        ("edit_window_closed", "(edit_window_closed)", "(edit_window_closed)"),
        ("ratelimited", "Slack refused", "Slack hat"),
    ],
)
def test_the_notice_names_why_and_what_to_do(error: str, english: str, german: str) -> None:
    assert english in shown(EN, error)
    assert german in shown(DE, error)
    assert "admin" in shown(EN, error).lower() and "admin" in shown(DE, error).lower()


def test_slacks_word_is_escaped() -> None:
    assert "<script>" not in shown(EN, "<script>")
    assert "&lt;script&gt;" in shown(EN, "<script>")
