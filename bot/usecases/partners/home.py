"""The App Home: the view a member sees when they open Rapport's Home tab.

The view is read in one transaction from the lists' own queries
(`storage.queries.partner_lists`): the member's partners in the list's order with their health
(`bot.usecases.partners.health.health_of`, as lists and cards read it), and their open
promises both ways, overdue first. The member is loaded as every use case loads the asker
(`bot.usecases.members.asker`): a workspace guest or someone of another organisation gets no
view at all, so nothing about a partner is read for them. Someone not cached yet is admitted
through Slack first (`admit`, `/logcontact`'s look-up), so a first-time member sees the
welcome.

Publishing (`publish`) passes the view's `hash` Slack gave with the last view of that member's
Home (from the `app_home_opened` event or the last `views.publish` answer), so that of two
publishes racing, the older cannot overwrite the newer: on `hash_conflict` the view is read
again and published once more without a hash (what was just read is the newest there is),
never in a loop.

What Rapport keeps per member is in memory, per process (`_HomeState`): who opened the Home,
the last hash, when it was last published, a redraw waiting, the page shown. None of it is a
fact anyone relies on: a restart (or, with several workers, another process) loses at most a
hash, which makes the next publish go without one, and the knowledge that someone opened the
Home, which their next opening brings back (and which publishes the Home anyway).

The Home is redrawn after the member's own actions (`changed`), only for members who opened it
in this process: publishing to someone who never looked is allowed, but a `views.publish` for
each contact logged by everyone would be spent on views nobody sees. Publishes are coalesced
by the injected clock: a change within `COALESCE_SECONDS` of the last publish is kept as a
redraw waiting (`due` hands it out once the window has passed), so the last change always
shows, and several within a few seconds make one publish. An opening of the tab always reads
the view; within the window it is published only when it differs from the one this process
published last (`_HomeState.shown`, a fingerprint of the view), so that repeated openings cost
no publish while a member who opens the tab never looks at a view older than what Rapport
knows: a change of their own, a colleague's, or one that came without an action of theirs (a
Slack language change, a nudge answered) shows at once, even where the clock stands still (the
sandbox's). A redraw whose view is the one just published is skipped the same way.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from bot.blocks.home.settings_modal import FormProblems, read_settings_form, settings_modal
from bot.blocks.home.view import (
    HOME_CLAIMS_MAX,
    HOME_PROMISES_MAX,
    HomeClaim,
    HomeData,
    HomePartner,
    home_view,
    page_start,
    partner_rows_wanted,
    read_page,
)
from bot.blocks.partner_lists import OpenPromise
from bot.blocks.settings import SettingsView
from bot.rules.clock import Clock
from bot.rules.nudges import MAX_UNANSWERED
from bot.slack.delivery import DELIVERY_ERRORS, failure_code
from bot.slack.users import LookupFailed
from bot.texts.reader import Reader, reader_of
from bot.usecases import members
from bot.usecases.base import UseCase
from bot.usecases.member_settings import apply_change
from bot.usecases.members import NotAMember
from bot.usecases.partners.health import claims_of, health_of, one_sided_of
from bot.usecases.partners.reliability import own_reliability
from storage.db import Database
from storage.models import Member
from storage.queries.digests.claims import claims_held
from storage.queries.partner_lists import (
    PartnerFilter,
    count_partners,
    count_promises,
    partner_page,
    promise_page,
)

log = logging.getLogger(__name__)

COALESCE_SECONDS = 5
Admit = Callable[[WebClient, str, str], None]
Key = tuple[str, str]  # (workspace, user)


@dataclass
class _HomeState:
    """What this process knows of one member's Home."""

    hash: str | None = None  # the `view.hash` of the last view Slack told of; None: unknown
    published_at: datetime | None = None  # when a publish was last claimed
    waiting: WebClient | None = None  # a redraw waiting for the window to pass, with its client
    offset: int = 0  # the first row of the page of partners the member last turned to
    shown: str | None = None  # the fingerprint of the view last published (`_fingerprint`)
    shown_at: datetime | None = None  # when that publish was answered
    changes: int = 0  # the member's own changes counted (`changed`), to tell a read's age


class Redraw(enum.Enum):
    """What a change of the member's own asks for."""

    NOW = "now"  # publish after the ack
    WAITING = "waiting"  # within the window: `due` hands it out once it has passed
    NONE = "none"  # the member never opened the Home here


class AppHome(UseCase):
    """The Home tab's view for one member; `admit` caches a first-time member (or raises
    `NotAMember` / `LookupFailed`), as `LogContact.admit` does."""

    def __init__(self, db: Database, clock: Clock, admit: Admit) -> None:
        super().__init__(db, clock)
        self._admit = admit
        self._lock = threading.Lock()
        self._homes: dict[Key, _HomeState] = {}

    # --- when to publish ---------------------------------------------------------------------

    def claim(self, team_id: str, user_id: str, view_hash: object = None) -> None:
        """The member opened the Home (`view_hash`: the event's `view.hash`, when Slack has a
        view of theirs); `publish` follows. Past the window this claims it (a redraw waiting
        is done by that publish); within it the publish goes out only when the view changed
        since the last one."""
        now = self.clock.now()
        with self._lock:
            home = self._homes.setdefault((team_id, user_id), _HomeState())
            if isinstance(view_hash, str) and view_hash:
                if view_hash != home.hash:
                    # Slack shows a view this process did not publish last (another process's,
                    # or one from before a restart): what it shows is not known here.
                    home.shown = None
                home.hash = view_hash
            if self._window_passed(home, now):
                home.published_at, home.waiting = now, None

    def changed(self, client: WebClient, team_id: str, user_id: str) -> Redraw:
        """The member changed something their Home shows: publish now, after the window, or
        not at all (never opened here)."""
        now = self.clock.now()
        with self._lock:
            home = self._homes.get((team_id, user_id))
            if home is None:
                return Redraw.NONE
            home.changes += 1
            if self._window_passed(home, now):
                home.published_at, home.waiting = now, None
                return Redraw.NOW
            home.waiting = client
            return Redraw.WAITING

    def turned(self, team_id: str, user_id: str, value: object) -> None:
        """Previous or Next pressed: the page its value names (the first for a value no
        button carries) is the one published from now on, at once, whatever the window: the
        member waits to see it."""
        with self._lock:
            home = self._homes.setdefault((team_id, user_id), _HomeState())
            home.offset = read_page(value)
            home.published_at, home.waiting = self.clock.now(), None

    def due(self) -> list[tuple[WebClient, str, str]]:
        """The redraws waiting whose window has passed, claimed (each is handed out once)."""
        now = self.clock.now()
        found = []
        with self._lock:
            for (team_id, user_id), home in self._homes.items():
                if home.waiting is not None and self._window_passed(home, now):
                    found.append((home.waiting, team_id, user_id))
                    home.published_at, home.waiting = now, None
        return found

    def waiting(self) -> bool:
        """Whether any redraw waits for its window to pass."""
        with self._lock:
            return any(home.waiting is not None for home in self._homes.values())

    @staticmethod
    def _window_passed(home: _HomeState, now: datetime) -> bool:
        window = timedelta(seconds=COALESCE_SECONDS)
        return home.published_at is None or now - home.published_at >= window

    # --- publishing ----------------------------------------------------------------------------

    def publish(self, client: WebClient, team_id: str, user_id: str) -> None:
        """Read the member's Home and publish it with the last hash known; on `hash_conflict`
        (another publish came between) read it again and publish once more without one.
        Failures are logged with Slack's error code, never the view."""
        changes = self._changes_of(team_id, user_id)
        view = self.view_for(client, team_id, user_id)
        if view is None or self._shown_moments_ago(team_id, user_id, view):
            return
        view_hash = self._hash_of(team_id, user_id)
        try:
            answer = _publish(client, user_id, view, view_hash)
        except DELIVERY_ERRORS as error:
            if failure_code(error) != "hash_conflict":
                log.warning(
                    "could not publish the App Home: views.publish: %s", failure_code(error)
                )
                return
            log.info("App Home changed since it was read (hash_conflict); publishing it again")
            view = self.view_for(client, team_id, user_id)
            if view is None:
                return
            try:
                answer = _publish(client, user_id, view, None)
            except DELIVERY_ERRORS as again:
                log.warning(
                    "could not publish the App Home: views.publish: %s", failure_code(again)
                )
                return
        self._keep_hash(team_id, user_id, answer, view, changes)

    def _shown_moments_ago(self, team_id: str, user_id: str, view: Mapping[str, Any]) -> bool:
        """Whether `view` is the one this process published for the member within the window:
        publishing it again would change nothing they see."""
        now = self.clock.now()
        window = timedelta(seconds=COALESCE_SECONDS)
        with self._lock:
            home = self._homes.get((team_id, user_id))
            if home is None or home.shown is None or home.shown_at is None:
                return False
            same = home.shown == _fingerprint(view) and now - home.shown_at < window
        if same:
            log.debug("App Home unchanged since its publish moments ago; not again")
        return same

    def _changes_of(self, team_id: str, user_id: str) -> int:
        with self._lock:
            home = self._homes.get((team_id, user_id))
            return home.changes if home else 0

    def _hash_of(self, team_id: str, user_id: str) -> str | None:
        with self._lock:
            home = self._homes.get((team_id, user_id))
            return home.hash if home else None

    def _keep_hash(
        self,
        team_id: str,
        user_id: str,
        answer: Mapping[str, Any],
        sent: Mapping[str, Any],
        changes: int,
    ) -> None:
        """Slack's hash of the view now shown, and what it shows (`sent`), with when. A redraw
        waiting is done by this publish when no change of the member's came after the read
        began (`changes`, their count then): an opening within the window published it."""
        view = answer.get("view")
        view_hash = view.get("hash") if isinstance(view, Mapping) else None
        with self._lock:
            home = self._homes.setdefault((team_id, user_id), _HomeState())
            home.hash = view_hash if isinstance(view_hash, str) and view_hash else None
            home.shown, home.shown_at = _fingerprint(sent), self.clock.now()
            if home.changes == changes:
                home.waiting = None

    def view_for(self, client: WebClient, team_id: str, user_id: str) -> dict[str, Any] | None:
        """The member's Home view; None (logged, without data) for someone who is not one of
        the company's members or whom Slack could not be asked about."""
        with self._lock:
            home = self._homes.get((team_id, user_id))
            page = home.offset if home else 0
        try:
            view = self._read(team_id, user_id, page)
            if view is None:
                self._admit(client, team_id, user_id)
                view = self._read(team_id, user_id, page)
        except NotAMember:
            log.info("no App Home for %s: not one of the company's members", user_id)
            return None
        except LookupFailed as failed:
            log.info("no App Home for %s: Slack did not answer (%s)", user_id, failed.error)
            return None
        if view is None:
            log.info("no App Home for %s: not cached after admission", user_id)
        return view

    def _read(self, team_id: str, user_id: str, page: int) -> dict[str, Any] | None:
        """The view from the database alone; None when the member is not cached."""
        with self.db.transaction() as session:
            member = members.asker(session, team_id, user_id)
            if member is None:
                return None
            reader = reader_of(member)
            now = self.clock.now()
            return home_view(reader, _home_data(session, member, reader, now, page), now)

    # --- the settings modal --------------------------------------------------------------------

    def settings_form(self, team_id: str, user_id: str) -> View | None:
        """The settings modal filled in with the member's settings; None (logged) for someone
        who is no member Rapport knows (a guest, someone of another organisation)."""
        try:
            with self.db.reading() as session:
                member = members.asker(session, team_id, user_id)
                if member is None:
                    log.info("no settings form for %s: not cached", user_id)
                    return None
                reader = reader_of(member)
                today = reader.today(self.clock.now())
                view = settings_modal(reader, SettingsView.of(member, today))
        except NotAMember:
            log.info("no settings form for %s: not one of the company's members", user_id)
            return None
        # The button is on their Home: it is drawn again once the settings are saved, also
        # when this process has not seen it opened.
        with self._lock:
            self._homes.setdefault((team_id, user_id), _HomeState())
        return view

    def save_settings(
        self, team_id: str, user_id: str, values: Mapping[str, Any]
    ) -> dict[str, str] | None:
        """Save the submitted settings through the settings command's own step
        (`apply_change`); the errors by block, in the member's language, when something cannot
        be read (nothing is saved then). None also for someone who is no member: nothing is
        saved and the modal closes."""
        try:
            with self.db.transaction() as session:
                member = members.asker(session, team_id, user_id)
                if member is None:
                    log.info("settings form of %s not saved: not cached", user_id)
                    return None
                reader = reader_of(member)
                change = read_settings_form(values, today=reader.today(self.clock.now()))
                if isinstance(change, FormProblems):
                    return change.texts(reader)
                apply_change(member, change)
                return None
        except NotAMember:
            log.info("settings form of %s not saved: not one of the company's members", user_id)
            return None


def _fingerprint(view: Mapping[str, Any]) -> str:
    """A digest of a view's whole content (its blocks and texts, keys in order): equal for two
    reads that would look the same."""
    text = json.dumps(view, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _publish(
    client: WebClient, user_id: str, view: dict[str, Any], view_hash: str | None
) -> Mapping[str, Any]:
    args: dict[str, Any] = {"user_id": user_id, "view": view}
    if view_hash is not None:
        args["hash"] = view_hash
    answer = client.views_publish(**args)
    data = answer.data
    return data if isinstance(data, Mapping) else {}


def _home_data(
    session: Session, member: Member, reader: Reader, now: datetime, page: int
) -> HomeData:
    """Four statements of the lists' queries, for the page of partners starting at `page` (the
    last one when the list has shrunk below it), one for the directed contacts of that page's
    partners (their one-sidedness), one for their live claims, and one for the member's own
    reliability."""
    today = reader.today(now)
    workspace_id = member.workspace_id
    promises_total, _overdue = count_promises(session, workspace_id, member.id, today)
    promises = [
        OpenPromise(r.text, r.due_on, r.promised_by, r.partner_name, r.partner_organisation)
        for r in promise_page(session, workspace_id, member.id, offset=0, limit=HOME_PROMISES_MAX)
    ]
    mine = PartnerFilter(owner_id=member.id)
    partners_total = count_partners(session, workspace_id, mine)
    page = page_start(page, partners_total)
    rows = (
        partner_page(
            session,
            workspace_id,
            mine,
            today=today,
            offset=page,
            limit=partner_rows_wanted(len(promises)),
            reminders=MAX_UNANSWERED,
        )
        if partners_total
        else []
    )
    sided = one_sided_of(session, workspace_id, [r.id for r in rows], now)
    claims = claims_of(session, workspace_id, rows, member.id, now)
    partners = [
        HomePartner(
            r.name, r.organisation, health_of(r, reader, now, sided.get(r.id)), claims.get(r.id)
        )
        for r in rows
    ]
    held, held_total = claims_held(session, workspace_id, member.id, now, limit=HOME_CLAIMS_MAX)
    settings = SettingsView.of(member, today)
    figure = own_reliability(session, member, today)
    return HomeData(
        partners,
        partners_total,
        promises,
        promises_total,
        page,
        settings,
        reliability=figure,
        claims=[
            HomeClaim(c.name, c.organisation, c.owner_user_id, c.owner_active, c.until)
            for c in held
        ],
        claims_total=held_total,
    )
