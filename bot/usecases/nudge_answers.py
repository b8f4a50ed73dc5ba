"""Answering a nudge DM with one click, days after it arrived, and marking the promises the
partner made to us (listed under an item) as received or dropped.

A press names its DM and item in the block id (`nudge|BUNDLE|KIND|SUBJECT`). Before anything
changes, the DM must be the presser's own and the item one it showed, in the presser's workspace:
a forged or stale press changes nothing. The answer is recorded on the DM's nudges with the
condition that none is recorded yet, in the same transaction as the change it stands for, so a
second press (or two at once) changes nothing more. The DM is then rendered again from the
database and updated in place with `chat.update` on its stored channel and ts: a button's
`response_url` dies after 30 minutes, the stored message does not.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from bot.blocks.contact_form import ContactForm, ModalContext
from bot.blocks.drop_form import DROP_REASON_MAX_CHARS, drop_form
from bot.blocks.nudge_dm import (
    ACTION_CHECK_IN,
    ACTION_DROP,
    ACTION_KEPT,
    ACTION_MORE_TIME,
    ACTION_PAUSE,
    ACTION_SNOOZE,
    ACTION_THEIR_PROMISE,
    ACTION_UNDO,
    SNOOZE_MONTH,
    SNOOZE_WEEK,
    parse_item_block_id,
)
from bot.blocks.partner_card import parse_choice
from bot.blocks.replies import Reply, notice, partner_label
from bot.parsing.checks import forbidden_character, row_id
from bot.parsing.promise_text import moved_due
from bot.rules import answer_undo
from bot.rules.working_hours import WorkingHours
from bot.texts.reader import Reader, escape, reader_of
from bot.usecases.base import UseCase
from bot.usecases.members import asker
from bot.usecases.nudge_items import render_sent
from bot.usecases.partners.reliability import move_due
from bot.usecases.partners.their_promises import settle
from storage.models import Bundle, Member, Partner, Promise
from storage.queries.digests.claims import live_claim
from storage.queries.outbox.dm_reads import answer_nudges, latest_answer, shown_nudges
from storage.queries.outbox.undo import (
    answered_since,
    clear_answer,
    clear_copies,
    remember_undo,
    restore,
)
from storage.queries.partners import find_partner

# A snooze, a pause or a new due date further out than this is more likely a slip of the picker.
FURTHEST_AHEAD = timedelta(days=366)
# How a partner prefers to be reached, as the medium a logged check-in most likely used.
MEDIUM_FOR_CHANNEL = {"email": "email", "phone": "call", "meeting": "meeting", "slack": "message"}


@dataclass(frozen=True)
class Press:
    """One press of a DM's answer: who, on which item, and any choice made (an option, a day)."""

    team_id: str
    user_id: str
    block_id: str | None
    action_id: str
    choice: str | None = None


@dataclass
class Outcome:
    """What the handler does next: update a DM, tell the presser something, or open a modal."""

    bundle_id: str | None = None
    problems: dict[tuple[str, int], str] = field(default_factory=dict)
    notice: Reply | None = None
    check_in: tuple[Reader, ContactForm, ModalContext] | None = None
    drop: tuple[Reader, View] | None = None
    # Other DMs to draw again: those that showed a copy of an answer now undone.
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class DmUpdate:
    channel: str
    ts: str
    bundle_id: str
    reply: Reply


class _Refused(Exception):
    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.text)
        self.reply = reply


class NudgeAnswers(UseCase):
    """The answers on a nudge DM: its buttons, its Drop form, and the DM redrawn after."""

    # --- a press ---------------------------------------------------------------------------------

    def press(self, press: Press) -> Outcome:
        item = parse_item_block_id(press.block_id)
        if item is None:
            return Outcome(notice=notice(self._reader(press).t("problem.unexpected")))
        bundle_id, kind, subject_id = item
        now = self.clock.now()
        try:
            with self.db.transaction() as session:
                member, bundle = self._own_dm(session, press.team_id, press.user_id, bundle_id)
                shown = self._shown(session, bundle, kind, subject_id)
                if press.action_id == ACTION_THEIR_PROMISE:
                    return self._their_promise(session, member, bundle, kind, subject_id, press)
                if press.action_id == ACTION_UNDO:
                    return self._undo(session, member, bundle, kind, subject_id, shown, now)
                if any(n.answer for n in shown):
                    return Outcome(bundle_id=bundle.id)
                if kind == "check_in":
                    return self._check_in_press(session, member, bundle, subject_id, press, now)
                return self._promise_press(session, member, bundle, subject_id, press, now)
        except _Refused as refused:
            return Outcome(notice=refused.reply)

    def _check_in_press(
        self,
        session: Session,
        member: Member,
        bundle: Bundle,
        partner_id: int,
        press: Press,
        now: datetime,
    ) -> Outcome:
        reader = reader_of(member)
        today = WorkingHours.of(member).today(now)
        partner = self._partner(session, member, partner_id, now)
        if press.action_id == ACTION_CHECK_IN:
            form = ContactForm(
                on=today,
                partner_id=partner.id,
                partner_label=partner_label(partner.name, partner.organisation),
                kind="check-in",
                medium=MEDIUM_FOR_CHANNEL.get(partner.preferred_channel or ""),
            )
            return Outcome(check_in=(reader, form, ModalContext(nudge=bundle.id)))
        return self._answer(session, member, bundle, "check_in", partner, press, now)

    def _promise_press(
        self,
        session: Session,
        member: Member,
        bundle: Bundle,
        promise_id: int,
        press: Press,
        now: datetime,
    ) -> Outcome:
        reader = reader_of(member)
        promise = self._promise(session, member, bundle, promise_id, now)
        if promise is None:
            return Outcome(bundle_id=bundle.id)
        if press.action_id == ACTION_DROP:
            partner = partner_label(promise.partner.name, promise.partner.organisation)
            form = drop_form(reader, bundle.id, promise.id, promise.text, partner)
            return Outcome(drop=(reader, form))
        return self._answer(session, member, bundle, "promise", promise, press, now)

    def _their_promise(
        self,
        session: Session,
        member: Member,
        bundle: Bundle,
        kind: str,
        subject_id: int,
        press: Press,
    ) -> Outcome:
        """Received or Drop on one of the partner's promises the item lists: whatever the item's
        own answer, the promise is settled (once) and the DM drawn again without it; the presser
        is told what happened, or why nothing did."""
        reader = reader_of(member)
        chosen = parse_choice(press.choice)
        if chosen is None or chosen.partner_id != self._item_partner(session, kind, subject_id):
            # A value the menu never sends, or one naming another partner than the item's.
            raise _Refused(notice(reader.t("problem.unexpected")))
        settled = settle(session, member, reader, chosen, self.clock.now())
        return Outcome(bundle_id=bundle.id, notice=notice(settled.line))

    @staticmethod
    def _item_partner(session: Session, kind: str, subject_id: int) -> int | None:
        """The partner an item is about: a check-in's subject, or the partner of a promise."""
        if kind == "check_in":
            return subject_id
        promise = session.get(Promise, subject_id)
        return promise.partner_id if promise is not None else None

    def _answer(
        self,
        session: Session,
        member: Member,
        bundle: Bundle,
        kind: str,
        subject: Partner | Promise,
        press: Press,
        now: datetime,
    ) -> Outcome:
        """Record the press's answer on the DM's item and make its change, once: only the press
        that records the answer changes anything (`answer_nudges` … `WHERE answer IS NULL`)."""
        reader = reader_of(member)
        answer = ANSWERS.get((kind, press.action_id))
        if answer is None:
            raise _Refused(notice(reader.t("problem.unexpected")))
        day = None
        today = WorkingHours.of(member).today(now)
        if answer.day is not None:
            day, problem = answer.day(reader, press.choice, today)
            if day is None:
                return Outcome(bundle_id=bundle.id, problems={(kind, subject.id): problem})
        before = answer_undo.snapshot(answer.name, subject)
        if answer_nudges(session, bundle.id, kind, subject.id, answer.name, member.id, now, day):
            if isinstance(subject, Promise) and day is not None:
                # Need more time on an overdue promise: the day that passed stays missed.
                move_due(subject, day, member.tz, today)
            answer.change(subject, day, now)
            _remember(session, member, bundle, kind, answer.name, subject, before, now)
        return Outcome(bundle_id=bundle.id)

    # --- Undo ------------------------------------------------------------------------------------

    def _undo(
        self,
        session: Session,
        member: Member,
        bundle: Bundle,
        kind: str,
        subject_id: int,
        shown: list[Any],
        now: datetime,
    ) -> Outcome:
        """Undo on an answered item: the fields the answer changed are put back as they were and
        the item's answer is taken back (with its copies in other DMs), once, by whoever gave it,
        until the end of their working day, and only while nothing else changed them since.
        Every refusal changes nothing and says why; the DM is drawn again either way."""
        reader = reader_of(member)
        answered = next((n for n in shown if n.answer is not None), None)
        refusal = _undo_refusal(reader, member, answered)
        if refusal is not None or answered is None:
            return Outcome(bundle_id=bundle.id, notice=refusal)
        subject = (
            self._partner(session, member, subject_id, now)
            if kind == "check_in"
            else self._own_promise(session, member, subject_id)
        )
        # A promise is locked now: an Undo that waited for another to commit reads its answer
        # again, and finds it taken back.
        shown = self._shown(session, bundle, kind, subject_id)
        answered = next((n for n in shown if n.answer is not None), None)
        refusal = _undo_refusal(reader, member, answered)
        if refusal is not None or answered is None:
            return Outcome(bundle_id=bundle.id, notice=refusal)
        about = subject if isinstance(subject, Partner) else subject.partner
        values = {"partner": escape(partner_label(about.name, about.organisation))}
        if answered.undo_state is None or now >= answered.undo_until:
            # Its day is over (the planner drops the state kept for it then).
            late = notice(reader.t(UNDO_TOO_LATE[kind], **values))
            return Outcome(bundle_id=bundle.id, notice=late)
        kept = answer_undo.loads(answered.undo_state, answered.answer)
        if kept is None:
            raise _Refused(notice(reader.t("problem.unexpected")))  # nothing Rapport wrote
        changed = notice(reader.t(UNDO_CHANGED[kind], **values))
        at = answered.answered_at
        if answer_undo.snapshot(answered.answer, subject) != kept.after or answered_since(
            session, member.workspace_id, kind, subject_id, bundle.id, at
        ):
            return Outcome(bundle_id=bundle.id, notice=changed)
        if not clear_answer(session, bundle.id, kind, subject_id, answered.answer, member.id, at):
            # A press a moment ago undid it.
            return Outcome(bundle_id=bundle.id, notice=notice(reader.t("nudge.undo.nothing")))
        if not restore(session, subject, kept.fields(kept.after), kept.fields(kept.before)):
            raise _Refused(changed)  # changed by another transaction since: all rolls back
        others = clear_copies(
            session, member.workspace_id, kind, subject_id, answered.answer, member.id, at
        )
        return Outcome(bundle_id=bundle.id, others=tuple(b for b in others if b != bundle.id))

    # --- answers given elsewhere than a button ---------------------------------------------------

    def drop(
        self, team_id: str, user_id: str, private_metadata: str | None, reason: str | None
    ) -> tuple[str | None, Outcome]:
        """The Drop modal was submitted: (an error for its reason field, or None; what next)."""
        try:
            data = json.loads(private_metadata or "{}")
            bundle_id, promise_id = str(data["b"]), row_id(data["p"])
        except (ValueError, KeyError, TypeError):
            promise_id = None
        if promise_id is None:
            return None, Outcome(notice=notice(Reader().t("problem.unexpected")))
        reason = (reason.strip() or None) if isinstance(reason, str) else None
        now = self.clock.now()
        try:
            with self.db.transaction() as session:
                member, bundle = self._own_dm(session, team_id, user_id, bundle_id)
                self._shown(session, bundle, "promise", promise_id)
                found = forbidden_character(reason)
                if found is not None:
                    error = reader_of(member).t("modal.error.control_character", char=found[1])
                    return error, Outcome()
                if reason and len(reason) > DROP_REASON_MAX_CHARS:
                    error = reader_of(member).t("modal.error.too_long", limit=DROP_REASON_MAX_CHARS)
                    return error, Outcome()
                promise = self._promise(session, member, bundle, promise_id, now)
                before = answer_undo.snapshot("dropped", promise) if promise else {}
                if promise is not None and answer_nudges(
                    session, bundle.id, "promise", promise.id, "dropped", member.id, now
                ):
                    _settle(promise, "dropped", now)
                    promise.drop_reason = reason
                    _remember(session, member, bundle, "promise", "dropped", promise, before, now)
                return None, Outcome(bundle_id=bundle.id)
        except _Refused as refused:
            return refused.reply.text, Outcome()

    # --- the DM, again ---------------------------------------------------------------------------

    def rendered(
        self, bundle_id: str, problems: dict[tuple[str, int], str] | None = None
    ) -> DmUpdate | None:
        """The DM as it reads now, with where it is in Slack; None if it was never sent."""
        with self.db.reading() as session:
            bundle = session.get(Bundle, bundle_id)
            if bundle is None or not bundle.channel_id or not bundle.ts:
                return None
            dm = render_sent(session, bundle, self.clock.now(), problems)
            return (
                None if dm is None else DmUpdate(bundle.channel_id, bundle.ts, bundle.id, dm.reply)
            )

    # --- checks ----------------------------------------------------------------------------------

    def _reader(self, press: Press) -> Reader:
        with self.db.reading() as session:
            return reader_of(asker(session, press.team_id, press.user_id))

    def _own_dm(
        self, session: Session, team_id: str, user_id: str, bundle_id: str
    ) -> tuple[Member, Bundle]:
        member = asker(session, team_id, user_id)
        reader = reader_of(member)
        bundle = session.get(Bundle, bundle_id)
        if (
            member is None
            or bundle is None
            or bundle.workspace_id != member.workspace_id
            or bundle.member_id != member.id
        ):
            raise _Refused(notice(reader.t("nudge.problem.not_yours")))
        return member, bundle

    def _shown(self, session: Session, bundle: Bundle, kind: str, subject_id: int) -> list[Any]:
        """The DM's nudges for the item, with their answers; an item the DM never showed (a
        forged press naming another's partner) is refused."""
        rows = [
            n
            for n in shown_nudges(session, bundle.id)
            if n.kind == kind and n.subject_id == subject_id
        ]
        if not rows:
            member = session.get(Member, bundle.member_id)
            # A partner forgotten takes its nudges with it: its DM's buttons find it gone.
            key = (
                "nudge.problem.not_yours"
                if self._exists(session, bundle, kind, subject_id)
                else "nudge.problem.gone"
            )
            raise _Refused(notice(reader_of(member).t(key)))
        return rows

    @staticmethod
    def _exists(session: Session, bundle: Bundle, kind: str, subject_id: int) -> bool:
        """Whether the item a press names is still in the DM's workspace."""
        found: Partner | Promise | None = (
            session.get(Partner, subject_id)
            if kind == "check_in"
            else session.get(Promise, subject_id)
        )
        return found is not None and found.workspace_id == bundle.workspace_id

    def _partner(self, session: Session, member: Member, partner_id: int, now: datetime) -> Partner:
        """The partner a check-in answer names, if `member` may answer for it: its owner, or
        the colleague whose claim on it lives ("I'll reach out" on a team digest)."""
        reader = reader_of(member)
        partner = find_partner(session, member.workspace_id, partner_id)
        if partner is None:
            raise _Refused(notice(reader.t("nudge.problem.gone")))
        claim = live_claim(session, member.workspace_id, partner.id, now)
        if partner.owner_id != member.id and (claim is None or claim.member_id != member.id):
            owner = partner.owner
            raise _Refused(
                notice(
                    reader.t(
                        "nudge.problem.owner",
                        partner=escape(partner_label(partner.name, partner.organisation)),
                        owner=f"<@{owner.slack_user_id}>" if owner else reader.t("nudge.nobody"),
                    )
                )
            )
        return partner

    def _promise(
        self, session: Session, member: Member, bundle: Bundle, promise_id: int, now: datetime
    ) -> Promise | None:
        """The promise to answer; None when it was settled elsewhere (its answer is copied)."""
        promise = self._own_promise(session, member, promise_id)
        if promise.status != "open":
            _copy_settled(session, bundle, promise, now)
            return None
        return promise

    @staticmethod
    def _own_promise(session: Session, member: Member, promise_id: int) -> Promise:
        """The promise a press names, in the member's workspace and still theirs to keep.

        Locked until the press commits: an answer in one DM and the Undo of an answer in another
        read the promise and write the items of both DMs (a copy of Kept, the copies Undo takes
        back), and on PostgreSQL each saw the promise as it was before the other, so a copy of
        a Kept just undone stayed on a DM of a promise open again."""
        reader = reader_of(member)
        promise = session.get(Promise, promise_id, with_for_update=True, populate_existing=True)
        if promise is None or promise.workspace_id != member.workspace_id:
            raise _Refused(notice(reader.t("nudge.problem.gone")))
        if promise.member_id != member.id:
            promiser = session.get_one(Member, promise.member_id)
            raise _Refused(
                notice(reader.t("nudge.problem.promiser", owner=f"<@{promiser.slack_user_id}>"))
            )
        return promise


def answer_check_in(
    session: Session, member: Member, bundle_id: str, partner_id: int, now: datetime
) -> None:
    """A check-in was logged from a DM's "Log check-in": that DM's item is answered."""
    bundle = session.get(Bundle, bundle_id)
    if bundle is not None and bundle.member_id == member.id:
        answer_nudges(session, bundle.id, "check_in", partner_id, "checked_in", member.id, now)


def _remember(
    session: Session,
    member: Member,
    bundle: Bundle,
    kind: str,
    answer: str,
    subject: Partner | Promise,
    before: dict[str, str | None],
    now: datetime,
) -> None:
    """Keep what `answer` (just recorded by `member` at `now`) changed on `subject`, so that
    Undo can put it back until the end of the member's working day."""
    kept = answer_undo.Kept(before, answer_undo.snapshot(answer, subject))
    until = WorkingHours.of(member).end_of_working_day(now)
    remember_undo(session, bundle.id, kind, subject.id, member.id, now, kept.dumps(), until)


def _undo_refusal(reader: Reader, member: Member, answered: Any | None) -> Reply | None:
    """Why the item's answer (an outbox row, or None) cannot be undone by `member` at all,
    whatever its promise or partner: none to undo, one never undoable here (a copy of an
    answer given in another DM has no day to undo it in), or someone else's."""
    if answered is None:
        return notice(reader.t("nudge.undo.nothing"))
    if answered.answer not in answer_undo.UNDOABLE:
        return notice(reader.t("problem.unexpected"))  # a logged check-in: Undo never offered
    if answered.undo_until is None:
        return notice(reader.t("nudge.undo.elsewhere"))
    if answered.answered_by_id != member.id:
        by = f"<@{answered.answered_by}>" if answered.answered_by else reader.t("nudge.someone")
        return notice(reader.t("nudge.undo.not_yours", by=by))
    return None


def _settle(promise: Promise, status: str, now: datetime) -> None:
    promise.status, promise.resolved_at = status, now


def _snooze_day(reader: Reader, choice: str | None, today: date) -> tuple[date | None, str]:
    """The day a snooze menu's option means; an option Slack never sent is refused."""
    day = snooze_until(choice, today)
    if day is None:
        raise _Refused(notice(reader.t("problem.unexpected")))
    return day, ""


@dataclass(frozen=True)
class Answer:
    """What a button records on the DM's item (`name`), the day it needs chosen (read by `day`
    from the press, or None), and the change it stands for."""

    name: str
    day: Callable[[Reader, str | None, date], tuple[date | None, str]] | None
    change: Callable[[Any, date | None, datetime], None]


def snooze_until(choice: str | None, today: date) -> date | None:
    """A week from today, or the first day of next month."""
    if choice == SNOOZE_WEEK:
        return today + timedelta(days=7)
    if choice == SNOOZE_MONTH:
        days = calendar.monthrange(today.year, today.month)[1]
        return today.replace(day=1) + timedelta(days=days)
    return None


def _picked_day(reader: Reader, choice: str | None, today: date) -> tuple[date | None, str]:
    """The day a datepicker chose, or why it cannot be used."""
    try:
        day = date.fromisoformat(choice or "")
    except ValueError:
        return None, reader.t("problem.unexpected")
    if day <= today:
        return None, reader.t("nudge.problem.date_not_future", day=reader.day(day))
    if day > today + FURTHEST_AHEAD:
        return None, reader.t("nudge.problem.date_too_far", day=reader.day(day))
    return day, ""


def _copy_settled(session: Session, bundle: Bundle, promise: Promise, now: datetime) -> None:
    """A promise kept or dropped from another DM (Monday's, while Friday's heads-up is pressed):
    this DM's item gets the same answer, and who gave it, instead of a second change."""
    if promise.status not in ("kept", "dropped"):
        return
    earlier = latest_answer(session, "promise", promise.id)
    if earlier is not None and earlier.answer == promise.status:
        by, at = earlier.answered_by_id, earlier.answered_at
    else:
        by, at = None, promise.resolved_at or now
    answer_nudges(session, bundle.id, "promise", promise.id, promise.status, by, at)


def _snooze(partner: Partner, day: date | None, now: datetime) -> None:
    partner.check_in_snoozed_until = day


def _pause(partner: Partner, day: date | None, now: datetime) -> None:
    partner.paused_until = day


def _keep(promise: Promise, day: date | None, now: datetime) -> None:
    _settle(promise, "kept", now)


def _move_due(promise: Promise, day: date | None, now: datetime) -> None:
    assert day is not None, "Need more time always picks a day"
    # A date Rapport wrote into the text for the due day moves with it (`moved_due`).
    promise.text, promise.due_on = moved_due(promise.text, promise.due_on, day), day


# What a late Undo, and one on an item changed since, say, by the kind of item.
UNDO_TOO_LATE = {"promise": "nudge.undo.too_late", "check_in": "nudge.undo.too_late_check_in"}
UNDO_CHANGED = {"promise": "nudge.undo.changed", "check_in": "nudge.undo.changed_check_in"}

# Each button's answer, by the kind of item it sits on.
ANSWERS: dict[tuple[str, str], Answer] = {
    ("check_in", ACTION_SNOOZE): Answer("snoozed", _snooze_day, _snooze),
    ("check_in", ACTION_PAUSE): Answer("paused", _picked_day, _pause),
    ("promise", ACTION_KEPT): Answer("kept", None, _keep),
    ("promise", ACTION_MORE_TIME): Answer("more_time", _picked_day, _move_due),
}
