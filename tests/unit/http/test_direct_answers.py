"""Which answers the web layer gives in a listener's place carry words: only those need the
asker's language looked up."""

from __future__ import annotations

from typing import Any

import pytest

from bot.http.direct_answers import answer_by_kind, answers_in_words

MESSAGE = "Nothing was saved."
API = "https://slack.com/api/"
BODIES: dict[str, dict[str, Any]] = {
    "slash_command": {"command": "/logcontact"},
    "view_submission": {"view": {"blocks": [{"type": "input", "block_id": "partner"}]}},
    "block_suggestion": {"value": "Ac"},
    "block_actions": {"response_url": "https://hooks.slack.com/actions/T0/1/x"},
    "message_action": {"response_url": "https://hooks.slack.com/actions/T0/2/x"},
    "shortcut": {"response_url": "https://hooks.slack.com/actions/T0/3/x"},
    "view_closed": {},
    "event_callback": {},
}


@pytest.mark.parametrize("kind", list(BODIES))
def test_an_answer_carries_words_exactly_for_the_kinds_said_to(kind: str) -> None:
    posted: list[str] = []
    answer = answer_by_kind(
        kind, BODIES[kind], MESSAGE, API, post=lambda _url, text: posted.append(text)
    )
    spoken = MESSAGE in str(answer.body) or posted == [MESSAGE]
    assert spoken == answers_in_words(kind)
    assert answers_in_words(kind) == (
        kind not in ("block_suggestion", "view_closed", "event_callback")
    )
