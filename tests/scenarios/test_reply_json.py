"""Every reply the running app sends through `Reply.body` (an ack, a post to a response_url)
serialises its blocks with `bot.blocks.replies.as_json`: each one must be what slack_sdk's
`to_dict` gives for it, for replies of every kind (logged contacts with their over-contact
line, questions, lists of partners and promises, cards, settings, help, problems), in English
and German, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.basic_objects import JsonObject

import bot.blocks.replies as replies
from tests.support.app import RunningRapport, known

RAPPORT = "/rapport"


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, Any]]:
    """`as_json` as the app calls it, checked against `to_dict` for every model it is given:
    the blocks that differ (type, as_json's, to_dict's), and how many were compared."""
    original = replies.as_json
    differ: list[tuple[str, Any, Any]] = []
    seen: list[str] = []

    def checked(value: Any) -> Any:
        found = original(value)
        if isinstance(value, JsonObject):
            seen.append(type(value).__name__)
            expected = value.to_dict()
            if found != expected:
                differ.append((type(value).__name__, found, expected))
        return found

    monkeypatch.setattr(replies, "as_json", checked)
    differ.append(("seen", seen, None))
    return differ


ENGLISH = [
    ("/logcontact", "Acme call with Anna today, promised to send the deck by Friday"),
    ("/logcontact", "Acme email yesterday"),
    ("/logcontact", "Acme meeting today"),
    ("/logcontact", "Acme call today, they asked about pricing"),
    ("/logcontact", "Acme call today"),
    ("/logcontact", "Acme problem call today"),
    ("/logcontact", "Globex call on the 3rd"),
    ("/logcontact", "Acme"),
    ("/logcontact", ""),
    ("/logcontact", "help"),
    (RAPPORT, "help"),
    (RAPPORT, "partners"),
    (RAPPORT, "partners all"),
    (RAPPORT, "partners search acme"),
    (RAPPORT, "promises"),
    (RAPPORT, "partner Acme"),
    (RAPPORT, "partner Nobody"),
    (RAPPORT, "settings"),
    (RAPPORT, "what is this"),
]
GERMAN = [
    ("/logcontact", "Acme Anruf mit Anna heute, Angebot schicken bis Freitag"),
    ("/logcontact", "Acme E-Mail gestern"),
    ("/logcontact", "Acme Treffen heute"),
    ("/logcontact", "Acme Anruf heute"),
    ("/logcontact", "Acme Problem Anruf heute"),
    ("/logcontact", "Globex Anruf am 3."),
    ("/logcontact", "hilfe"),
    (RAPPORT, "hilfe"),
    (RAPPORT, "partner"),
    (RAPPORT, "partner alle"),
    (RAPPORT, "partner suchen acme"),
    (RAPPORT, "zusagen"),
    (RAPPORT, "partner Acme"),
    (RAPPORT, "einstellungen"),
    (RAPPORT, "was ist das"),
]


@pytest.mark.parametrize(("user", "typed"), [("U0ALICE", ENGLISH), ("U0JONAS", GERMAN)])
def test_every_reply_the_app_sends_serialises_as_to_dict_does(
    rapport: RunningRapport, compared: list[tuple[str, Any, Any]], user: str, typed: list
) -> None:
    known(rapport, user)
    for command, text in typed:
        sent = rapport.command(text, user=user, command=command)
        if not text:
            continue  # the contact form, opened as a modal: no reply
        assert sent.reply().get("text"), (command, text)
    assert rapport.wait_until_idle()
    (_, seen, _), *differ = compared
    assert not differ, differ
    # Replies of many kinds were compared, block by block.
    assert len(seen) >= 4 * len(typed), len(seen)
    assert {"SectionBlock", "ContextBlock"} <= set(seen), set(seen)
