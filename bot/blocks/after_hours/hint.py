"""The after-hours hint in a shared channel, and the answers to its mute buttons.

The hint is ephemeral (only the sender sees it), short and kind: whose hours the message reached
outside of (up to `PEOPLE_SHOWN`, then "and N more"), each with their own local time and, when
that is why, the public holiday's name; for those the sender did not @mention, one line saying
why the message reached them all the same (a channel call, a small channel, a thread reply sent
to the channel too); a pointer to Slack's scheduled send; two buttons that
mute such hints in this channel or everywhere. People are shown as Slack mentions (`<@U…>`),
which Slack renders as names without notifying anyone in an ephemeral message, so no name has
to be kept. Every message has its plain-text fallback saying the same as the blocks.
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.dates import format_date, format_time
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.replies import Reply
from bot.blocks.settings import MUTES_NAMED
from bot.rules.after_hours.reach import Reached, Why
from bot.rules.public_holidays import holiday_name
from bot.texts.reader import Reader, babel_locale, escape
from storage.vocabulary import HINTS_EVERYWHERE

PEOPLE_SHOWN = 3
ACTION_MUTE_CHANNEL = "hint_mute_channel"
ACTION_MUTE_EVERYWHERE = "hint_mute_everywhere"
ACTION_UNMUTE = "hint_unmute"
HINT_BLOCK = "after_hours_hint"


def local_when(reader: Reader, reached: Reached) -> str:
    """The reached person's own weekday and time, in the language the hint is written in:
    "Saturday, 11:00". The reader's Slack locale shapes it when it is of that language (en-GB,
    de-AT); another (fr-FR, ja-JP: the text is English) would put French or Japanese words into
    an English sentence, so the text's language alone is used then."""
    locale = babel_locale(reader.locale)
    if locale.language != reader.lang:
        locale = babel_locale(reader.lang)
    day = format_date(reached.local.date(), format="EEEE", locale=locale)
    return f"{day}, {format_time(reached.local, format='short', locale=locale)}"


def person_line(reader: Reader, reached: Reached) -> str:
    """ "• @Kenji: Wednesday, 23:10 their time (Asia/Tokyo)", with the holiday when it is why."""
    tz = getattr(reached.local.tzinfo, "key", None) or str(reached.local.tzinfo)
    line = reader.t(
        "hints.person", person=f"<@{reached.user_id}>", when=local_when(reader, reached), tz=tz
    )
    if reached.holiday_region is not None:
        name = holiday_name(reached.holiday_region, reached.local.date(), reader.lang)
        if name:
            line += reader.t("hints.holiday", name=escape(name))
    return line


def why_line(reader: Reader, reached: Sequence[Reached]) -> str | None:
    """Why the message reached those it did not @mention, or None when it mentioned everyone
    it reached (being mentioned needs no explaining). The channel-wide reasons are the same for
    every one of them, so one line serves all, whether shown or counted in "and N more"."""
    unmentioned = [person.why for person in reached if not person.why.mentioned]
    if not unmentioned:
        return None
    said = "; ".join(reasons_said(reader, unmentioned[0]))
    key = "hints.why.all" if len(unmentioned) == len(reached) else "hints.why.others"
    return reader.t(key, reasons=said)


def reasons_said(reader: Reader, why: Why) -> list[str]:
    """The channel-wide reasons in `why`, each a short clause in the reader's language."""
    said = []
    if why.called is not None:
        said.append(reader.t("hints.why.called", word=why.called))
    if why.small_channel is not None:
        said.append(reader.t("hints.why.small", count=why.small_channel))
    if why.broadcast:
        said.append(reader.t("hints.why.broadcast"))
    return said


def hint(reader: Reader, channel_id: str, reached: Sequence[Reached]) -> Reply:
    """The hint for a message in `channel_id` that reached `reached` (at least one) outside
    their hours, in the sender's language."""
    count = (
        reader.t("hints.people.one")
        if len(reached) == 1
        else reader.t("hints.people.many", count=len(reached))
    )
    lines = [reader.t("hints.title", count=count)]
    lines += [person_line(reader, person) for person in reached[:PEOPLE_SHOWN]]
    if len(reached) > PEOPLE_SHOWN:
        lines.append(reader.t("hints.more", count=len(reached) - PEOPLE_SHOWN))
    why = why_line(reader, reached)
    if why is not None:
        lines.append(why)
    main = "\n".join(lines)
    schedule = reader.t("hints.schedule")
    private = reader.t("hints.private")
    buttons = ActionsBlock(
        block_id=HINT_BLOCK,
        elements=[
            ButtonElement(
                text=reader.t("hints.button.mute_channel"),
                action_id=ACTION_MUTE_CHANNEL,
                value=channel_id,
            ),
            ButtonElement(
                text=reader.t("hints.button.mute_everywhere"),
                action_id=ACTION_MUTE_EVERYWHERE,
                value=HINTS_EVERYWHERE,
            ),
        ],
    )
    return Reply(
        text=f"{main}\n{schedule}\n{private}",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=main)),
            ContextBlock(elements=[MarkdownTextObject(text=f"{schedule} {private}")]),
            buttons,
        ],
    )


def muted(reader: Reader, scope: str) -> Reply:
    """The confirmation of a mute (`scope`: a channel id, or `HINTS_EVERYWHERE`), with Undo and
    the settings command that undoes it later."""
    everywhere = scope == HINTS_EVERYWHERE
    said = (
        reader.t("hints.muted.everywhere")
        if everywhere
        else reader.t("hints.muted.channel", channel=scope)
    )
    how = reader.t("hints.muted.how", example=reader.t("settings.example_hints_on"))
    undo = ButtonElement(text=reader.t("button.undo"), action_id=ACTION_UNMUTE, value=scope)
    return Reply(
        text=f"{said} {how}",
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=said), accessory=undo),
            ContextBlock(elements=[MarkdownTextObject(text=how)]),
        ],
    )


def unmuted(reader: Reader, scope: str, still_muted: tuple[str, ...] = ()) -> Reply:
    """The confirmation that hints are on again, in a channel or everywhere (but in the
    channels `still_muted`, each muted on its own)."""
    if scope != HINTS_EVERYWHERE:
        said = reader.t("hints.unmuted.channel", channel=scope)
    elif still_muted:
        channels = ", ".join(f"<#{c}>" for c in still_muted[:MUTES_NAMED])
        if len(still_muted) > MUTES_NAMED:
            more = reader.t("settings.hints.muted_more", count=len(still_muted) - MUTES_NAMED)
            channels += f", {more}"
        said = reader.t("hints.unmuted.everywhere_but", channels=channels)
    else:
        said = reader.t("hints.unmuted.everywhere")
    return Reply(text=said, blocks=[SectionBlock(text=MarkdownTextObject(text=said))])
