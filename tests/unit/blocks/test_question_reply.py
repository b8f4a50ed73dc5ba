"""A question's fallback text is mrkdwn, its buttons plain text: names in the readings are
escaped once in the first and shown as typed in the second."""

from __future__ import annotations

import pytest

from bot.blocks.questions import question_reply
from bot.parsing.questions import CANCEL, Question, Reading
from bot.texts.reader import Reader

PENDING = "a" * 32


@pytest.mark.parametrize(
    "name",
    ["<!channel>", "<https://evil.example|acme.com>", "A & B <@U0BOSS>", "Tom &amp; Jerry"],
)
@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_names_in_readings_are_escaped_once_in_the_fallback_and_plain_on_buttons(
    name: str, locale: str
) -> None:
    question = Question(
        slot="partner",
        phrase=name,
        reason="question.new_partner",
        readings=(
            Reading("p1:1", label="question.existing_partner", values={"name": name}),
            Reading("new", label="question.create_partner", values={"name": name}),
            Reading(CANCEL, label="question.cancel"),
        ),
    )

    reply = question_reply(Reader(locale), PENDING, question)

    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    section = reply.blocks[0].text.text
    choices = reply.text.removeprefix(section)
    assert "<" not in reply.text and ">" not in reply.text, reply.text
    assert choices.count(escaped) == 2, choices
    buttons = [e.text.text for b in reply.blocks if hasattr(b, "elements") for e in b.elements]
    assert buttons[0] == name


def _similar(*names: str) -> Question:
    """`/logcontact`'s question about "Muller", offering a known partner of each name."""
    partners = tuple(
        Reading(f"p{i}:0", label="question.existing_partner", values={"name": name})
        for i, name in enumerate(names, start=1)
    )
    return Question(
        slot="partner",
        phrase="Muller",
        reason="question.similar_partner",
        readings=(
            *partners,
            Reading("w0", label="question.create_partner", values={"name": "Muller"}),
            Reading(CANCEL, label="question.cancel"),
        ),
    )


@pytest.mark.parametrize(
    ("locale", "names", "said"),
    [
        ("en-US", ["Müller GmbH"], "but one has a name like it. Did you mean that one, or is it"),
        ("de-DE", ["Müller GmbH"], "aber einer heißt ähnlich. Meintest du diesen, oder ist es"),
        ("en-US", ["Müller GmbH", "Mulder"], "but some have a name like it. Did you mean one of"),
        ("de-DE", ["Müller GmbH", "Mulder"], "aber einige heißen ähnlich. Meintest du einen da"),
    ],
)
def test_the_question_about_a_name_like_known_ones_counts_the_partners_offered(
    locale: str, names: list[str], said: str
) -> None:
    reply = question_reply(Reader(locale), PENDING, _similar(*names))
    assert said in reply.blocks[0].text.text
    assert reply.text.startswith(reply.blocks[0].text.text)
