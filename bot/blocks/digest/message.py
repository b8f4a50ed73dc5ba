"""A team digest as posted in the channel: the partners who need attention, by owner.

    *Partners who need attention*
    *Anna Schmidt*                                   (the owner by name: nobody is pinged)
    *Acme (Acme Corp)* · :red_circle: neglected      [⋯ I'll reach out / Log contact]
    last contact 3 months ago by Anna · we promised 2 (1 overdue)
    :raising_hand: @Bob Miller is on it until Mon, Dec 14  (by name, as text: nobody pinged)
    *Nobody looks after these*
    *Globex* · :red_circle: unowned                  [⋯ I'll reach out / Log contact / Take over]
    12 more, see Rapport's Home tab

One section a partner with an overflow menu as its accessory: a menu holds all three actions
in the partner's own block, where buttons would need an actions block of their own beside each
section and halve how many partners fit into Slack's 50 blocks. The message is filled in order
until the next partner (with its owner's line, when it starts a group) would pass 50 blocks or
`bot.blocks.budget.TEXT_BUDGET` characters of text, room kept for the closing "N more" line;
a section holds a few cut names and short phrases, far below 3,000 characters. What people
typed (names, organisations) is cut (`excerpt`) and escaped for mrkdwn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextObject,
    SectionBlock,
)

from bot.blocks.budget import TEXT_BUDGET
from bot.blocks.digest import DigestMessage
from bot.blocks.ownership import contact_age
from bot.blocks.partner_lists import claim_day, number, promise_counts
from bot.blocks.replies import (
    MESSAGE_BLOCKS_MAX,
    Reply,
    button_text,
    excerpt,
    health_words,
    partner_label,
)
from bot.parsing.checks import row_id
from bot.rules.digests.selection import priority
from bot.rules.relationships.health import Health
from bot.texts.reader import Reader, escape

# The overflow menu on each partner; its options' values say what was chosen (`menu_value`).
ACTION_DIGEST_MENU = "rapport_digest"
CLAIM = "rapport_digest_claim"
TAKE_OVER = "rapport_digest_take_over"
LOG = "rapport_digest_log"
CHOICES = (CLAIM, TAKE_OVER, LOG)

# What is shown of a name typed by people: a partner's, an organisation's, a colleague's.
NAME_CHARS = 80


@dataclass(frozen=True)
class ClaimShown:
    """A live claim: the claimer's Slack id, the instant it ends (aware), and the claimer's
    name. The claimer is shown by name as plain text: a mention in a message posted at night
    pings them."""

    user_id: str
    until: datetime
    name: str


@dataclass(frozen=True)
class DigestPartner:
    """One partner's row: its health states (most severe first), its last contact (aware;
    None: never) and the name of who logged it, its open promises both ways, whether nobody
    looks after it (Take over is offered), and its live claim."""

    id: int
    name: str
    organisation: str | None
    health: tuple[Health, ...]
    last_contact: datetime | None
    last_contact_by: str | None
    ours_open: int
    ours_overdue: int
    theirs_open: int
    theirs_overdue: int
    unowned: bool
    claim: ClaimShown | None = None


@dataclass(frozen=True)
class DigestGroup:
    """The partners of one owner (`owner_name`), or of nobody (`unowned`), in order."""

    owner_name: str | None
    unowned: bool
    partners: Sequence[DigestPartner]


def menu_value(choice: str, digest_id: str, partner_id: int) -> str:
    """What an option of a partner's menu carries: "CHOICE|DIGEST_ID:PARTNER_ID"."""
    return f"{choice}|{digest_id}:{partner_id}"


def read_menu_value(value: str | None) -> tuple[str, str, int] | None:
    """The choice, digest id and partner id of a menu option's value; None when it is not one
    Rapport wrote (tampered with, or from another version)."""
    choice, _, target = (value or "").partition("|")
    digest_id, _, partner = target.rpartition(":")
    partner_id = row_id(partner)  # ASCII digits alone: "²" and "１" are digits to Python
    if choice not in CHOICES or not digest_id or partner_id is None:
        return None
    return choice, digest_id, partner_id


def withdrawn_digest(reader: Reader, shared: bool) -> Reply:
    """One line in place of a digest whose channel may no longer be shown partner data (now
    shared with another organisation, or with a guest in it): nothing of the old message
    stays for its new readers."""
    line = reader.t(
        "digest.message.withdrawn_shared" if shared else "digest.message.withdrawn_guests"
    )
    block = SectionBlock(text=MarkdownTextObject(text=f":no_entry_sign: {line}"))
    return Reply(text=line, blocks=[block])


def quiet_digest(reader: Reader) -> DigestMessage:
    """A period in which every partner is looked after: one line."""
    line = reader.t("digest.message.quiet")
    shown = f":large_green_circle: {line}"
    block = SectionBlock(text=MarkdownTextObject(text=shown))
    return DigestMessage(reply=Reply(text=line, blocks=[block]), quiet=True, chars=len(shown))


def digest_message(
    reader: Reader,
    groups: Sequence[DigestGroup],
    now: datetime,
    *,
    digest_id: str | None,
    left_out: int = 0,
    owners: int | None = None,
) -> DigestMessage:
    """The digest of `groups`, as many partners as fit, then how many more there are:
    those that did not fit and `left_out` (left out before: a redrawn digest keeps its
    count; a posted one the partners after the first that could fit). The fallback text
    names `owners` owners (by default those of `groups`: a digest that passed the first
    partners alone passes the count of all). Without `digest_id` (no digest row to name)
    the partners carry no menu."""
    total = sum(len(g.partners) for g in groups)
    if total == 0 and left_out == 0:
        return quiet_digest(reader)
    heading = reader.t("digest.message.title")
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=heading))]
    # The text is counted as each block is built (`_Built`), as `text_chars` would count it:
    # walking every block tried again cost more than building it.
    used = len(heading)
    # The closing line at its longest (every partner left out), kept room for throughout.
    reserve = len(_more_text(reader, total + left_out))
    # Which partners fit is decided in priority order (a full digest keeps promises past their
    # reminders over neglect: `bot.rules.digests.selection.priority`); those are then shown in
    # the groups' order. A row's text costs the same wherever it stands. Blocks are built in
    # that order until the next would not fit: none is built for a partner left out but the
    # first, whose cost says so.
    words = _Words(reader, digest_id)
    fits: dict[tuple[int, int], SectionBlock] = {}
    heads: dict[int, SectionBlock] = {}
    count = len(blocks) + 1  # the closing line
    ranked = sorted(
        (priority(p.health), g, i)
        for g, group in enumerate(groups)
        for i, p in enumerate(group.partners)
    )
    for _, g, i in ranked:
        head = None if g in heads else _owner_line(reader, groups[g])
        section = _section(words, groups[g], i, now)
        adding = 1 if head is None else 2
        cost = section.chars + (head.chars if head is not None else 0)
        if count + adding > MESSAGE_BLOCKS_MAX or used + cost + reserve > TEXT_BUDGET:
            break
        fits[(g, i)] = section.block
        if head is not None:
            heads[g] = head.block
        count += adding
        used += cost
    listed: list[int] = []
    for g, group in enumerate(groups):
        shown = [i for i in range(len(group.partners)) if (g, i) in fits]
        if shown:
            blocks.append(heads[g])
        for i in shown:
            blocks.append(fits[(g, i)])
            listed.append(group.partners[i].id)
    more = total - len(listed) + left_out
    if more:
        closing = _more_text(reader, more)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=closing)]))
        used += len(closing)
    if owners is None:
        owners = sum(1 for g in groups if not g.unowned and g.partners)
    text = reader.t(
        "digest.message.summary",
        partners=_counted(reader, "partners", total + left_out),
        owners=_counted(reader, "owners", owners),
    )
    reply = Reply(text=text, blocks=blocks)
    return DigestMessage(reply=reply, partner_ids=listed, more=more, chars=used)


@dataclass(frozen=True)
class _Built:
    """A block and the characters of text in it, as `bot.blocks.budget.text_chars` counts
    them (every text object's text: a section's, its menu's options')."""

    block: SectionBlock
    chars: int


class _Words:
    """What every partner's row of one message says alike, worked out once for the message:
    its reader, the digest its menus name (None: no menus), each menu choice's label, and the
    words of each set of health states and of promise counts met (babel's list and number
    formatting is not cheap, and most rows share a few of each)."""

    def __init__(self, reader: Reader, digest_id: str | None) -> None:
        self.reader = reader
        self.digest_id = digest_id
        self.labels = {choice: button_text(reader.t(key)) for choice, key in _CHOICE_KEYS}
        self._health: dict[tuple[Health, ...], str] = {}
        self._promises: dict[tuple[int, int, int, int], str] = {}

    def health(self, states: tuple[Health, ...]) -> str:
        words = self._health.get(states)
        if words is None:
            words = self._health[states] = health_words(self.reader, states)
        return words

    def promises(self, partner: DigestPartner) -> str:
        """`promise_counts` of the partner: it reads these four counts alone."""
        counts = (
            partner.ours_open,
            partner.ours_overdue,
            partner.theirs_open,
            partner.theirs_overdue,
        )
        words = self._promises.get(counts)
        if words is None:
            words = self._promises[counts] = promise_counts(self.reader, partner)
        return words


# Each menu choice and its label's text, in the menu's order (Take over only where unowned).
_CHOICE_KEYS = (
    (CLAIM, "digest.message.reach_out"),
    (LOG, "digest.message.log"),
    (TAKE_OVER, "digest.message.take_over"),
)


def _section(words: _Words, group: DigestGroup, index: int, now: datetime) -> _Built:
    """Partner `index` of `group`, its owner named only where the group is not theirs."""
    owner = None if group.unowned else group.owner_name
    return _partner_section(words, group.partners[index], now, owner)


def _more_text(reader: Reader, count: int) -> str:
    return reader.t("digest.message.more", count=number(reader, count))


def _counted(reader: Reader, noun: str, count: int) -> str:
    key = f"digest.message.{noun}" + ("_one" if count == 1 else "")
    return reader.t(key, count=number(reader, count))


def _owner_line(reader: Reader, group: DigestGroup) -> _Built:
    """The owner by name, never a mention (a digest must not ping anyone at night)."""
    if group.unowned:
        line = reader.t("digest.message.unowned")
    else:
        line = f"*{_name(reader, group.owner_name)}*"
    return _Built(SectionBlock(text=MarkdownTextObject(text=line)), len(line))


def _name(reader: Reader, typed: str | None) -> str:
    return escape(excerpt(typed, NAME_CHARS)) if typed else reader.t("digest.message.no_name")


def _partner_section(
    words: _Words, partner: DigestPartner, now: datetime, owner: str | None
) -> _Built:
    reader = words.reader
    label = escape(
        partner_label(
            excerpt(partner.name, NAME_CHARS),
            excerpt(partner.organisation, NAME_CHARS) if partner.organisation else None,
        )
    )
    lines = [
        f"*{label}* · {words.health(partner.health)}",
        f"{_contact(reader, partner, now, owner)} · {words.promises(partner)}",
    ]
    if partner.claim is not None:
        day = claim_day(reader, partner.claim.until)
        user = _claimer(reader, partner.claim)
        lines.append(reader.t("digest.message.claim", user=user, day=day))
    shown = "\n".join(lines)
    text = MarkdownTextObject(text=shown)
    if words.digest_id is None:
        return _Built(SectionBlock(text=text), len(shown))
    menu, chars = _menu(words, partner, words.digest_id)
    return _Built(SectionBlock(text=text, accessory=menu), len(shown) + chars)


def _claimer(reader: Reader, claim: ClaimShown) -> str:
    """ "@Bob Miller" as plain, escaped text, never a mention (not even for a member Slack gave
    no name: "(no name)")."""
    return "@" + _name(reader, claim.name)


def _contact(reader: Reader, partner: DigestPartner, now: datetime, owner: str | None) -> str:
    """ "last contact 49 days ago by Anna": the lists' words (`contact_age`: today, yesterday,
    then days, in the digest's calendar days), so that a digest and `/rapport partners` say
    the same of the same partner on the same day. Who logged it is left out under their own
    heading (`owner`, the group's owner by name): it goes without saying there."""
    contact = contact_age(reader, partner.last_contact, now)
    by = partner.last_contact_by
    if partner.last_contact is None or not by or by == owner:
        return contact
    return reader.t(
        "digest.message.contact_by", contact=contact, name=escape(excerpt(by, NAME_CHARS))
    )


def _menu(words: _Words, partner: DigestPartner, digest_id: str) -> tuple[OverflowMenuElement, int]:
    """The partner's menu, and the characters of its options' labels (its only text)."""
    choices = [CLAIM, LOG, TAKE_OVER] if partner.unowned else [CLAIM, LOG]
    options = [
        Option(
            text=PlainTextObject(text=words.labels[choice]),
            value=menu_value(choice, digest_id, partner.id),
        )
        for choice in choices
    ]
    chars = sum(len(words.labels[choice]) for choice in choices)
    return OverflowMenuElement(action_id=ACTION_DIGEST_MENU, options=options), chars
