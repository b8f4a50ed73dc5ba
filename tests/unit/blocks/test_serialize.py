"""`bot.blocks.replies.as_json` turns Block Kit models into the JSON slack_sdk's `to_dict`
gives, validators and all: for every block the command's replies, the contact form and the
over-contact line are made of, in English and German, and for models of every kind a modal uses
(selects with options, date and time pickers, inputs), whose own serialisation is kept."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    MarkdownTextObject,
    RichTextBlock,
    RichTextSectionElement,
    SectionBlock,
)

from bot.blocks.contact_form import ContactForm, ModalContext, contact_modal
from bot.blocks.replies import as_json, help_reply, logged_reply, notice, problem
from tests.unit.blocks.test_contact_limit_blocks import (
    ENGLISH,
    GERMAN,
    NOW,
    Contact,
    Load,
    Logged,
    Other,
    Shown,
    days_ago,
)


@dataclass(frozen=True)
class PromiseShown:
    text: str
    due_on: date
    promised_by: str = "us"


def _logged_variants() -> list[Logged]:
    others = tuple(Other("email", f"U0{i}", days_ago(i)) for i in range(1, 8))
    plain = Logged()
    return [
        plain,
        replace(plain, interaction=Contact(note="Kickoff *notes* <b>", has_time=True)),
        replace(plain, promise=PromiseShown("send the deck", NOW.date() + timedelta(days=3))),  # type: ignore[arg-type]
        replace(plain, promise=PromiseShown("bis Freitag", NOW.date(), "partner")),  # type: ignore[arg-type]
        replace(plain, created_partner=True, suggestions=[Shown(4, "Acme AG", "Nordwind")]),
        replace(plain, edit_token="9f2c0a1b2c3d4e5f"),
        replace(plain, interaction=Contact(medium=None, kind="problem", direction="received")),
        replace(plain, partner=Shown(5, "Müller", "Müller & Söhne")),
    ], Load(8, 3, others)


def test_every_block_of_the_replies_serialises_as_slack_sdk_does() -> None:
    variants, load = _logged_variants()
    replies = []
    for reader in (ENGLISH, GERMAN):
        for logged in variants:
            replies.append(logged_reply(reader, logged, NOW))
            replies.append(logged_reply(reader, logged, NOW, load=load, asker="U01"))
            replies.append(logged_reply(reader, logged, NOW, updated=True))
        replies += [
            help_reply(reader),
            notice("a *plain* notice"),
            problem(reader, "problem.database"),
            problem(reader, "problem.name_too_long", length=300, limit=200),
        ]
    blocks = [block for reply in replies for block in reply.blocks]
    assert len(blocks) > 100
    for block in blocks:
        assert as_json(block) == block.to_dict()
    for reply in replies:
        assert reply.body()["blocks"] == [block.to_dict() for block in reply.blocks]


def test_the_contact_form_serialises_as_slack_sdk_does() -> None:
    for reader in (ENGLISH, GERMAN):
        for form in (
            ContactForm(on=NOW.date()),
            ContactForm(on=NOW.date(), partner_id=3, partner_label="Acme", note="hi"),
        ):
            view = contact_modal(reader, form, ModalContext(response_url="https://hooks/x"))
            assert view.blocks
            for block in view.blocks:
                assert as_json(block) == block.to_dict()


def test_what_slack_sdk_refuses_is_refused_alike() -> None:
    too_long = SectionBlock(text=MarkdownTextObject(text="x" * 3001))
    with pytest.raises(SlackObjectFormationError):
        too_long.to_dict()
    with pytest.raises(SlackObjectFormationError):
        as_json(too_long)
    button = ButtonElement(text="Undo", action_id="a" * 300, value="1")
    actions = ActionsBlock(elements=[button])
    with pytest.raises(SlackObjectFormationError):
        as_json(actions)
    with pytest.raises(SlackObjectFormationError):
        actions.to_dict()


def test_a_type_whose_empty_list_slack_sdk_keeps_is_left_to_it() -> None:
    block = RichTextBlock(elements=[RichTextSectionElement(elements=[])])
    assert as_json(block) == block.to_dict()
    assert as_json(block)["elements"] == [{"type": "rich_text_section", "elements": []}]
