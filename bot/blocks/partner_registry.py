"""The question before a partner is forgotten: what will be erased, a danger-styled "Forget NAME"
button and Cancel. Built from plain values (`ForgetQuestion`), never from a session."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.replies import Reply, button_text
from bot.texts.reader import Reader, escape

ACTION_FORGET = "registry_forget"
ACTION_FORGET_CANCEL = "registry_forget_cancel"


@dataclass(frozen=True)
class ForgetQuestion:
    """What the question shows: the partner as labelled, what forgetting erases (counts), how
    long the question holds (minutes), and the value its buttons carry."""

    label: str
    contacts: int
    promises: int
    pending_nudges: int
    minutes: int
    value: str


def forget_question(reader: Reader, question: ForgetQuestion) -> Reply:
    """The confirmation: the question, the counts, the warning, and the two buttons."""
    label = escape(question.label)
    title = reader.t("registry.forget.confirm", partner=label)
    counts = reader.t(
        "registry.forget.counts",
        contacts=question.contacts,
        promises=question.promises,
        nudges=question.pending_nudges,
    )
    warning = reader.t("registry.forget.warning", minutes=question.minutes)
    forget = ButtonElement(
        text=button_text(reader.t("registry.forget.button", partner=question.label)),
        action_id=ACTION_FORGET,
        value=question.value,
        style="danger",
    )
    cancel = ButtonElement(
        text=reader.t("registry.forget.cancel"),
        action_id=ACTION_FORGET_CANCEL,
        value=question.value,
    )
    return Reply(
        text=f"{title}\n{counts}\n{warning}",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=f"{title}\n{counts}")),
            ContextBlock(elements=[MarkdownTextObject(text=warning)]),
            ActionsBlock(block_id="registry_forget", elements=[forget, cancel]),
        ],
    )
