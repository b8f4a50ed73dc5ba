"""The line a summary carries when the partner chosen in a question was given the organisation
typed (`logged_reply(organisation_set=True)`): in the summary of a new contact and of an edited
one (the form's question is asked on Edit too), in English and German, names escaped; none
without the flag."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.blocks.replies import logged_reply
from bot.texts.reader import Reader
from tests.unit.blocks.test_contact_limit_blocks import NOW, Logged, Shown

LINE = {
    "en-US": "Organisation of *Jens &lt;Ohlsen&gt;* set to *Nordwind &amp; Co*.",
    "de-DE": "Organisation von *Jens &lt;Ohlsen&gt;* auf *Nordwind &amp; Co* gesetzt.",
}
JENS = Shown(name="Jens <Ohlsen>", organisation="Nordwind & Co")


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
@pytest.mark.parametrize("updated", [False, True])
def test_the_summary_says_the_organisation_was_set(locale: str, updated: bool) -> None:
    logged = replace(Logged(), partner=JENS)
    reply = logged_reply(Reader(locale), logged, NOW, updated=updated, organisation_set=True)
    assert LINE[locale] in reply.text
    shown = [b.to_dict() for b in reply.blocks]
    assert any(LINE[locale] in str(block) for block in shown)


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_no_line_without_the_flag(locale: str) -> None:
    logged = replace(Logged(), partner=JENS)
    reply = logged_reply(Reader(locale), logged, NOW, updated=True)
    assert LINE[locale] not in reply.text
