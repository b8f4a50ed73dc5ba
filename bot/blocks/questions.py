"""Asking which reading someone meant: the question, and a button per reading."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.replies import Reply, button_text
from bot.parsing.questions import Question, Reading
from bot.texts.reader import Reader, escape

ACTION_ANSWER = "log_answer"


def question_reply(
    reader: Reader, pending_id: str, question: Question, action: str = ACTION_ANSWER
) -> Reply:
    """The question in the reader's language, the words it is about quoted, one button for each
    reading; a button carries the waiting text's id, the slot and the reading's value, under
    action ids `ACTION_N` (another command's questions pass their own `action`, so that the
    answer goes back to that command). A question offering a single day names it in the text
    too (`{day}`)."""
    days = [reading.day for reading in question.readings if reading.day is not None]
    day = reader.day(days[0]) if len(days) == 1 else ""
    text = reader.t(_reason_text(question), phrase=escape(question.phrase), day=day)
    buttons = [
        ButtonElement(
            text=button_text(reading_label(reader, reading)),
            action_id=f"{action}_{index}",
            value=answer_value(pending_id, question.slot, reading.value),
        )
        for index, reading in enumerate(question.readings)
    ]
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(block_id="question", elements=buttons),
    ]
    # The fallback text is mrkdwn too (notifications, screen readers), unlike a button's plain
    # text: the labels carry typed and stored names, so they are escaped here, once.
    choices = " / ".join(escape(reading_label(reader, r)) for r in question.readings)
    return Reply(text=f"{text} {choices}", blocks=blocks)


# The reasons whose text counts the known partners a question offers, and their text for one.
_ONE_PARTNER = {"question.similar_partner": "question.similar_partner_one"}


def _reason_text(question: Question) -> str:
    """The key of the question's text: its reason, said in the singular when the text counts
    the known partners offered and there is one ("one has a name like it"). Counted here, from
    the readings as asked, so that a reading dropped before asking (`confirming`) is not
    counted; the reason itself stays what the reader decided (`rapport parse` lists it)."""
    partners = sum(1 for r in question.readings if r.label == "question.existing_partner")
    return _ONE_PARTNER.get(question.reason, question.reason) if partners == 1 else question.reason


def reading_label(reader: Reader, reading: Reading) -> str:
    """A reading as its button shows it: the day in the reader's words, or its own text."""
    if reading.day is not None:
        return reader.day(reading.day)
    assert reading.label is not None, "a reading is a day or has a label"
    return reader.t(reading.label, **reading.values)


def answer_value(pending_id: str, slot: str, value: str) -> str:
    return f"{pending_id}|{slot}|{value}"


def read_answer(value: str | None) -> tuple[str, str, str] | None:
    """(waiting text's id, slot, chosen value) from a button's value; None when tampered with."""
    parts = (value or "").split("|")
    if len(parts) != 3 or not all(parts) or len(parts[0]) != 32 or not parts[0].isalnum():
        return None
    return parts[0], parts[1], parts[2]
