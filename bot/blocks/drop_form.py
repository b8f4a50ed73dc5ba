"""The form Drop opens on a nudge DM: the promise, and why it is dropped (optional)."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks.nudge_dm import ACTION_DROP
from bot.blocks.replies import excerpt
from bot.parsing.promise_text import names_only_a_day
from bot.texts.reader import Reader, escape

# The form answers under the button's own name.
DROP_CALLBACK_ID = ACTION_DROP
DROP_REASON_MAX_CHARS = 500


def drop_form(reader: Reader, bundle_id: str, promise_id: int, text: str, partner: str) -> View:
    """Drop's form: the promise, and an optional reason (500 characters at most)."""
    body = (
        reader.t("drop.body_untitled", partner=escape(partner))
        if names_only_a_day(text)
        else reader.t("drop.body", text=escape(excerpt(text, 500)), partner=escape(partner))
    )
    return View(
        type="modal",
        callback_id=DROP_CALLBACK_ID,
        title=reader.t("drop.title"),
        submit=reader.t("drop.submit"),
        close=reader.t("drop.close"),
        private_metadata=json.dumps({"b": bundle_id, "p": promise_id}, separators=(",", ":")),
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=body)),
            InputBlock(
                block_id="reason",
                label=reader.t("drop.reason"),
                optional=True,
                element=PlainTextInputElement(
                    action_id="reason_input",
                    multiline=True,
                    max_length=DROP_REASON_MAX_CHARS,
                    placeholder=reader.t("drop.reason_hint"),
                ),
            ),
        ],
    )
