"""`text_chars` counts a message's text without serialising it: the same number as the JSON
Slack is sent (`to_dict`), for every kind of block Rapport builds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    ExternalDataSelectElement,
    HeaderBlock,
    ImageElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    OptionGroup,
    OverflowMenuElement,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
    TimePickerElement,
    UserSelectElement,
)

from bot.blocks.budget import TEXT_BUDGET, text_chars, within_budget
from bot.blocks.digest.message import DigestGroup, DigestPartner, digest_message
from bot.rules.relationships.health import Health
from bot.texts.reader import Reader, escape


def by_json(blocks: list[Block]) -> int:
    """The count as it was defined: over the blocks' dictionaries."""
    return text_chars([block.to_dict() for block in blocks])


def options(*labels: str) -> list[Option]:
    return [
        Option(text=PlainTextObject(text=label), value=f"v{i}") for i, label in enumerate(labels)
    ]


# What people type, and what Rapport writes around it: markup, emoji (shortcodes and
# characters, one with a skin tone: two code points), escaped and unescaped &<>, umlauts.
TEXTS = [
    "*Müller & Söhne GmbH* · :red_circle: vernachlässigt",
    "_last contact_ 3 months ago by <@U123|anna> · we promised 2 (1 overdue)",
    "👍🏽 Größe ≥ 3 — “quoted” `code` ~struck~",
    escape("R&D <Nord> > Süd"),
    "R&D <Nord> > Süd",
    "",
]


def every_kind(text: str) -> list[Block]:
    """One of every block and element Rapport builds, each carrying `text` where text goes."""
    confirm = ConfirmObject(title="Sure?", text=text or "x", confirm="Yes", deny="No")
    return [
        HeaderBlock(text=text or "Header"),
        SectionBlock(text=MarkdownTextObject(text=text or "x")),
        SectionBlock(text=text or "x", fields=[PlainTextObject(text=text or "f"), "*field*"]),
        SectionBlock(
            text=MarkdownTextObject(text=text or "x", verbatim=True),
            accessory=OverflowMenuElement(action_id="o", options=options(text[:70] or "o", "Zwei")),
        ),
        SectionBlock(
            text=PlainTextObject(text=text or "x", emoji=True),
            accessory=ButtonElement(text=text[:70] or "b", action_id="b", confirm=confirm),
        ),
        SectionBlock(
            text="plain string",
            accessory=ImageElement(image_url="https://example.com/a.png", alt_text=text or "alt"),
        ),
        ContextBlock(elements=[MarkdownTextObject(text=text or "c"), PlainTextObject(text="p")]),
        DividerBlock(),
        ActionsBlock(
            elements=[
                ButtonElement(text="Done", action_id="d", value=text[:70], style="primary"),
                StaticSelectElement(
                    action_id="s",
                    placeholder=text[:70] or "Choose",
                    option_groups=[
                        OptionGroup(label="Group", options=options("a", text[:70] or "b"))
                    ],
                ),
                StaticMultiSelectElement(
                    action_id="m",
                    options=options("eins", "zwei"),
                    initial_options=options("eins"),
                ),
                UserSelectElement(action_id="u", placeholder="Who"),
                DatePickerElement(action_id="dp", initial_date=date(2026, 11, 30).isoformat()),
                TimePickerElement(action_id="tp", initial_time="09:30"),
                ExternalDataSelectElement(action_id="x", placeholder="Partner", min_query_length=1),
            ]
        ),
        InputBlock(
            label=text[:70] or "Label",
            hint=text or None,
            element=PlainTextInputElement(
                action_id="i", initial_value=text, placeholder="Write", multiline=True
            ),
            optional=True,
        ),
        InputBlock(
            label="Days", element=NumberInputElement(action_id="n", is_decimal_allowed=False)
        ),
        InputBlock(
            label="Pick",
            element=RadioButtonsElement(
                action_id="r",
                options=[
                    Option(text=MarkdownTextObject(text=text or "*r*"), value="r1"),
                    Option(label="Label only", value="r2"),
                    Option(text="with description", value="r3", description=text or "d"),
                ],
            ),
        ),
        InputBlock(
            label="Tick",
            element=CheckboxesElement(action_id="c", options=options(text[:70] or "c")),
        ),
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_every_kind_of_block_counts_as_its_json(text: str) -> None:
    blocks = every_kind(text)
    assert text_chars(blocks) == by_json(blocks)
    for block in blocks:
        assert text_chars([block]) == by_json([block])


def test_markup_emoji_and_entities_count_as_written() -> None:
    # Markup characters count; a shortcode is its letters; an emoji is its code points (a
    # thumb with a skin tone is two); escaped entities are as long as their escape.
    cases: list[tuple[str, int]] = [
        ("*bold* _it_ ~s~ `c`", 19),
        (":red_circle: late", 17),
        ("👍🏽", 2),
        ("ä", 1),
        ("a & b", 5),
        (escape("a & b"), 9),
        (escape("<x>"), 9),
        ("<@U0123|anna>", 13),
    ]
    for text, chars in cases:
        for block in (
            SectionBlock(text=MarkdownTextObject(text=text)),
            ContextBlock(elements=[PlainTextObject(text=text, emoji=True)]),
        ):
            assert text_chars([block]) == chars == by_json([block]), text


def test_only_text_objects_count() -> None:
    # Values, ids, URLs and alt texts are not text objects: a button's value, an image's alt.
    section = SectionBlock(
        block_id="b" * 40,
        text=MarkdownTextObject(text="four"),
        accessory=ButtonElement(text="two", action_id="a" * 40, value="v" * 200),
    )
    image = ContextBlock(elements=[ImageElement(image_url="https://e.com/x.png", alt_text="alt")])
    assert text_chars([section, image]) == 7 == by_json([section, image])
    # An option shown by its label counts the label, as Slack is sent it as plain text.
    labelled = ActionsBlock(
        elements=[StaticSelectElement(action_id="s", options=[Option(label="Zwölf", value="12")])]
    )
    assert text_chars([labelled]) == len("Zwölf")
    assert text_chars([labelled]) == by_json([labelled])


def test_dicts_and_models_mix() -> None:
    model = SectionBlock(text=MarkdownTextObject(text="*Acme* & Co"))
    assert text_chars([model, model.to_dict()]) == 2 * len("*Acme* & Co")
    assert text_chars(None) == 0 and text_chars([]) == 0


ENGLISH = Reader(locale="en", tz="Europe/Berlin")
GERMAN = Reader(locale="de", tz="Europe/Berlin")


@pytest.mark.parametrize("reader", [ENGLISH, GERMAN])
def test_a_full_digest_counts_as_its_json(reader: Reader) -> None:
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    partners = [
        DigestPartner(
            id=i,
            name=f"Müller & <Söhne> {i} " + "W" * (i % 90),
            organisation="R&D GmbH" if i % 2 else None,
            health=(Health.NEGLECTED, Health.CHECK_IN_OVERDUE),
            last_contact=None if i % 5 == 0 else now.replace(day=1),
            last_contact_by="Bob 👍🏽",
            ours_open=i % 3,
            ours_overdue=i % 2,
            theirs_open=1,
            theirs_overdue=0,
            unowned=i % 4 == 0,
        )
        for i in range(1, 200)
    ]
    groups = [
        DigestGroup("Anna *Admin*", False, partners[:120]),
        DigestGroup(None, True, partners[120:]),
    ]
    message = digest_message(reader, groups, now, digest_id="d1")
    blocks: Any = message.reply.blocks
    assert text_chars(blocks) == by_json(blocks)
    assert within_budget(blocks) and text_chars(blocks) <= TEXT_BUDGET
