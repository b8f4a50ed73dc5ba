"""The menu on each partner of a team digest: "I'll reach out", "Log contact", "Take over".

Each option's value names the digest and the partner (`bot.blocks.digest.message.menu_value`).
A press is honoured only for an active member of the digest's workspace (a guest is refused
where the member is loaded, `bot.usecases.members.asker`), for a digest of that workspace that
was posted, and for a partner that digest listed; anything else is a value Rapport did not write
and changes nothing ("problem.unexpected").

- I'll reach out: a claim (`storage.queries.digests.claims.claim`, `CLAIM_DAYS` days) unless
  the partner is the presser's own, or someone else's claim is live (they are named). The
  digest is redrawn for everyone.
- Take over (a partner nobody looks after): as from the unowned list
  (`bot.usecases.ownership.take_over_step`); the digest is redrawn.
- Log contact: the contact form about the partner; its submission is logged as any form's.

The answer to the presser is ephemeral. The redraw (`chat.update` of the channel message,
keeping its metadata) happens after the transaction (`update_digest`); when Slack refuses it,
the claim stays and the presser is told the message could not be redrawn.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.contact_form import ContactForm, ModalContext
from bot.blocks.digest import DigestMessage
from bot.blocks.digest.message import CLAIM, LOG, read_menu_value
from bot.blocks.replies import Reply, notice, partner_label, problem, refusal
from bot.rules.ownership import looks_after
from bot.slack.delivery import DELIVERY_ERRORS, failure_code, post_reply
from bot.texts.reader import Reader, escape
from bot.usecases.base import UseCase
from bot.usecases.digests.content import render_digest, shown_from_json, shown_to_json
from bot.usecases.ownership import take_over_step
from bot.usecases.partners.cards import prefilled_form
from storage.models import Digest, DigestSubscription, Member, Partner
from storage.queries.digests.claims import claim, live_claim
from storage.queries.partners import partner_for_update
from storage.vocabulary import CLAIM_DAYS

log = logging.getLogger(__name__)

# The metadata a digest is posted with (and keeps when redrawn).
DIGEST_EVENT = "rapport_digest"


@dataclass(frozen=True)
class Redraw:
    """A posted digest to draw again: where it is and what it now says."""

    digest_id: str
    channel_id: str
    ts: str
    message: DigestMessage


@dataclass(frozen=True)
class Pressed:
    """What a press comes to: the ephemeral answer to the presser, the digest to redraw (None:
    nothing changed that it shows), or the contact form to open (Log contact)."""

    reply: Reply | None
    reader: Reader = field(default_factory=Reader)
    redraw: Redraw | None = None
    form: tuple[ContactForm, ModalContext] | None = None


class DigestButtons(UseCase):
    """The options of a digest's menus, each in one transaction."""

    def press(
        self, team_id: str, user_id: str, value: str | None, response_url: str | None
    ) -> Pressed:
        """`user_id` chose the option whose value is `value` on a digest; `response_url`
        reaches the presser (the contact form's summary goes there too)."""
        found = read_menu_value(value)

        def act(session: Session, member: Member, reader: Reader) -> Pressed:
            if not member.active:
                return Pressed(refusal(reader), reader)
            digest = _posted(session, member, found)
            if digest is None or found is None:
                return Pressed(problem(reader, "problem.unexpected"), reader)
            choice, _, partner_id = found
            partner = partner_for_update(session, member.workspace_id, partner_id)
            now = self.clock.now()
            if partner is None:
                gone = notice(reader.t("digest.claim.gone"))
                return Pressed(gone, reader, _redraw(session, digest, now))
            if choice == LOG:
                form = prefilled_form(member, partner, now)
                return Pressed(None, reader, form=(form, ModalContext(None, response_url)))
            if choice == CLAIM:
                return _reach_out(session, member, reader, digest, partner, now)
            line = take_over_step(session, member, reader, partner, now)
            return Pressed(notice(line), reader, _redraw(session, digest, now))

        pressed = self.as_member(team_id, user_id, act, unknown="digest.claim.not_known")
        return pressed if isinstance(pressed, Pressed) else Pressed(pressed)


def _posted(session: Session, member: Member, found: tuple[str, str, int] | None) -> Digest | None:
    """The digest the value names, if it is a posted one of the presser's workspace that listed
    the partner the value names."""
    if found is None:
        return None
    _, digest_id, partner_id = found
    digest = session.get(Digest, digest_id)
    if digest is None or digest.workspace_id != member.workspace_id:
        return None
    shown = shown_from_json(digest.shown)
    if digest.state != "sent" or digest.ts is None or shown is None:
        return None
    return digest if partner_id in shown.partner_ids else None


def _reach_out(
    session: Session,
    member: Member,
    reader: Reader,
    digest: Digest,
    partner: Partner,
    now: datetime,
) -> Pressed:
    """A claim, unless the partner is the presser's own or someone else is on it."""
    label = escape(partner_label(partner.name, partner.organisation))
    owner = partner.owner
    owned = looks_after(owner)
    if owned and partner.owner_id == member.id:
        return Pressed(notice(reader.t("digest.claim.own", partner=label)), reader)
    held = live_claim(session, member.workspace_id, partner.id, now)
    if held is not None and held.member_id != member.id:
        day = reader.day(reader.local(held.until).date())
        said = reader.t("digest.claim.taken", user=f"<@{held.user_id}>", partner=label, day=day)
        return Pressed(notice(said), reader)
    row = claim(session, member.workspace_id, partner.id, member.id, digest.id, now)
    day = reader.day(reader.local(row.until).date())
    if owned and owner is not None:
        name = escape(owner.name) if owner.name else f"<@{owner.slack_user_id}>"
        said = reader.t("digest.claim.done", days=CLAIM_DAYS, partner=label, owner=name, day=day)
    else:
        said = reader.t("digest.claim.done_unowned", days=CLAIM_DAYS, partner=label, day=day)
    return Pressed(notice(said), reader, _redraw(session, digest, now))


def _redraw(session: Session, digest: Digest, now: datetime) -> Redraw | None:
    """The digest as it now reads, the same partners as posted; what it shows is kept as its
    `shown`, so that the next press redraws the same again."""
    subscription = session.get(DigestSubscription, digest.subscription_id)
    shown = shown_from_json(digest.shown)
    if subscription is None or shown is None or digest.ts is None:
        return None
    message = render_digest(session, subscription, [], now, shown, digest_id=digest.id)
    digest.shown = shown_to_json(message)
    return Redraw(digest.id, digest.channel_id, digest.ts, message)


def update_digest(client: WebClient, redraw: Redraw) -> bool:
    """Draw the digest again in its channel (`chat.update`), keeping its metadata; False, and
    one log line without partner names, when Slack refuses (rate limited, message deleted)."""
    reply = redraw.message.reply
    try:
        client.chat_update(
            channel=redraw.channel_id,
            ts=redraw.ts,
            text=reply.text,
            blocks=[block.to_dict() for block in reply.blocks],
            metadata={"event_type": DIGEST_EVENT, "event_payload": {"digest": redraw.digest_id}},
        )
    except DELIVERY_ERRORS as error:
        log.warning(
            "could not redraw digest %s: chat.update: %s", redraw.digest_id, failure_code(error)
        )
        return False
    return True


def told_after_redraw(reply: Reply, reader: Reader, redrawn: bool) -> Reply:
    """The answer to the presser once the redraw was tried: as it was, or with a line saying
    the message could not be redrawn (what was saved stays saved)."""
    if redrawn:
        return reply
    line = reader.t("digest.claim.not_redrawn")
    return replace(
        reply, text=f"{reply.text}\n{line}", blocks=[*reply.blocks, *notice(line).blocks]
    )


def answer_press(client: WebClient, url: str | None, user_id: str, pressed: Pressed) -> None:
    """After the ack: redraw the digest when the press changed it, then answer the presser
    ephemerally (through the response_url; by DM when it is gone)."""
    redrawn = update_digest(client, pressed.redraw) if pressed.redraw is not None else True
    if pressed.reply is not None:
        reply = told_after_redraw(pressed.reply, pressed.reader, redrawn)
        post_reply(client, url, user_id, reply)
