"""A message's fallback text (notifications, screen readers) is read as mrkdwn by Slack too:
what people typed is escaped there as in the blocks, so a typed link or <!channel> stays text.
A picker value Slack would never send is taken as no value, and never repeated in a log."""

from __future__ import annotations

import logging

import pytest

from tests.support.app import RunningRapport, known
from tests.support.blocks import state_from

MARKUP = "<!channel> see <https://evil.example/login|acme.com>"
# The same characters typed by a person: Slack sends them escaped, as text.
TYPED = "&lt;!channel&gt; see &lt;https://evil.example/login|acme.com&gt;"


def test_the_summary_fallback_escapes_a_typed_link_and_mention(rapport: RunningRapport) -> None:
    rapport.command("help").reply()
    reply = rapport.command(f'"Acme {TYPED}" call promise: read {TYPED} by Friday').reply()
    assert "<!channel>" not in reply["text"] and "<https://" not in reply["text"]
    assert "&lt;!channel&gt; see &lt;https://evil.example/login|acme.com&gt;" in reply["text"]


def test_slacks_own_link_and_broadcast_come_back_as_text_with_the_real_address(
    rapport: RunningRapport,
) -> None:
    """A link whose label names another site is stored and shown with the address it leads to,
    and a broadcast as the word Slack shows: neither is live markup in the reply."""
    rapport.command("help").reply()
    reply = rapport.command(f'"Acme {MARKUP}" call promise: read {MARKUP} by Friday').reply()
    assert "<!channel>" not in reply["text"] and "<https://" not in reply["text"]
    assert "@channel see acme.com (https://evil.example/login)" in reply["text"]


def test_a_picker_value_slack_never_sends_is_no_value_and_stays_out_of_the_logs(
    rapport: RunningRapport, caplog: pytest.LogCaptureFixture
) -> None:
    rapport.command("help").reply()
    assert rapport.command("").answer.status == 200  # opens the form
    view = rapport.slack.views()[-1]
    values = state_from(view, new_partner="Globex", when="SECRETVALUE-13-45")
    values["at"] = {next(iter(values["at"])): {"type": "timepicker", "selected_time": "99:99x"}}

    with caplog.at_level(logging.INFO):
        answer = rapport.submit(view, values)

    assert answer.status == 200
    assert "SECRETVALUE" not in caplog.text and "99:99x" not in caplog.text
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("user", ["U0ALICE", "U0JONAS"])
def test_a_questions_fallback_escapes_typed_and_stored_names(
    rapport: RunningRapport, user: str
) -> None:
    """The question about a new partner names it in its text and on its buttons; the fallback
    carries the button labels too, the stored near name among them."""
    known(rapport, user)
    rapport.command(f'"Zorblaxon {TYPED}" call', user=user).reply()

    near = rapport.command(f'"Zorblaxon {TYPED.replace("acme.com", "acme.co")}"', user=user)
    new = rapport.command(f'"Quux {TYPED}"', user=user)

    for reply in (near.reply(), new.reply()):
        assert "<!channel>" not in reply["text"] and "<https://" not in reply["text"], reply
        assert "&lt;!channel&gt;" in reply["text"]
