"""The replies about who looks after a partner: the unowned list with its Take over buttons,
refusals, and what moved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.replies import MESSAGE_BLOCKS_MAX, Reply, button_text, excerpt, partner_label
from bot.parsing.ownership_text import HandOver
from bot.texts.reader import Reader, escape


class Named(Protocol):
    name: str
    organisation: str | None


ACTION_TAKE_OVER = "partner_take_over"
# Slack refuses a message with more blocks than this.


def rows_that_fit(total: int, fixed_blocks: int) -> int:
    """How many partner rows one message holds beside `fixed_blocks` other blocks, keeping a
    block for "…and N more" when not all fit."""
    room = MESSAGE_BLOCKS_MAX - fixed_blocks
    return total if total <= room else room - 1


@dataclass(frozen=True)
class UnownedPartner:
    """A row of the unowned list."""

    id: int
    name: str
    organisation: str | None
    former_owner: str | None  # Slack user id of who looked after it before
    last_contact: datetime | None


def contact_age(reader: Reader, last_contact: datetime | None, now: datetime) -> str:
    """ "last contact 12 days ago", counted in the reader's calendar days."""
    if last_contact is None:
        return reader.t("ownership.list.no_contact")
    days = max(0, (reader.today(now) - reader.local(last_contact).date()).days)
    if days == 0:
        return reader.t("ownership.list.contact_today")
    if days == 1:
        return reader.t("ownership.list.contact_yesterday")
    return reader.t("ownership.list.contact_days", days=days)


def unowned_reply(
    reader: Reader,
    partners: Sequence[UnownedPartner],
    total: int,
    now: datetime,
    lead: str | None = None,
) -> Reply:
    """The partners nobody looks after, each with a Take over button; `lead` says what just
    happened. As many as Slack's block limit allows, then how many more there are."""
    leading: list[Block] = [SectionBlock(text=MarkdownTextObject(text=lead))] if lead else []
    lines = [lead] if lead else []
    if total == 0:
        empty = reader.t("ownership.list.empty")
        return Reply(
            text="\n".join([*lines, empty]),
            blocks=[*leading, SectionBlock(text=MarkdownTextObject(text=empty))],
        )
    title = reader.t("ownership.list.title", count=total)
    hint = reader.t("ownership.list.hint")
    blocks = [
        *leading,
        SectionBlock(text=MarkdownTextObject(text=title)),
        ContextBlock(elements=[MarkdownTextObject(text=hint)]),
    ]
    lines += [title, hint]
    shown = partners[: rows_that_fit(total, len(blocks))]
    for partner in shown:
        row = _row_text(reader, partner, now)
        lines.append(row.replace("\n", ": "))
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=row),
                accessory=ButtonElement(
                    text=button_text(reader.t("ownership.button.take_over")),
                    action_id=ACTION_TAKE_OVER,
                    value=str(partner.id),
                ),
            )
        )
    if total > len(shown):
        more = reader.t("ownership.list.more", count=total - len(shown))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
        lines.append(more)
    return Reply(text="\n".join(lines), blocks=blocks)


def _row_text(reader: Reader, partner: UnownedPartner, now: datetime) -> str:
    before = (
        reader.t("ownership.list.formerly", user=partner.former_owner)
        if partner.former_owner
        else reader.t("ownership.list.never_owned")
    )
    label = escape(partner_label(partner.name, partner.organisation))
    return f"*{label}*\n{before} · {contact_age(reader, partner.last_contact, now)}"


def refused(reader: Reader, code: str, *, with_example: bool = False, **values: str) -> Reply:
    """Why nothing changed; with the command's example when the request was misread."""
    message = reader.t(f"ownership.problem.{code}", **values)
    text = reader.t("ownership.problem.title", problem=message)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text))]
    if with_example:
        hint = reader.t("problem.example", example=reader.t("ownership.example"))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=hint)]))
        text = f"{text}\n{hint}"
    return Reply(text=text, blocks=blocks)


def promises_line(
    reader: Reader, moved: int, owner_id: int, owner_user_id: str, asker_id: int
) -> str | None:
    """What moved with a partner: the open promises of people who left, now the new owner's."""
    if not moved:
        return None
    one = "_one" if moved == 1 else ""
    if owner_id == asker_id:
        return reader.t(f"ownership.promises_moved{one}", count=moved)
    return reader.t(f"ownership.promises_moved_to{one}", count=moved, owner=owner_user_id)


def ambiguous(reader: Reader, request: HandOver, found: Sequence[Named]) -> Reply:
    """The name fits several partners: which, and how to say which one."""
    choices = excerpt(", ".join(partner_label(p.name, p.organisation) for p in found), 300)
    first = next((p for p in found if p.organisation), found[0])
    example = f"/rapport partner {partner_label(first.name, first.organisation)}"
    return refused(
        reader,
        "ambiguous",
        name=escape(partner_label(request.name, request.organisation)),
        choices=escape(choices),
        example=escape(f"{example} {reader.t('ownership.word')} @…"),
    )
