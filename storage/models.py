"""Rapport's tables.

Every row carries its workspace (`workspace_id`) and every query filters by it: one database
serves many Slack workspaces and none may see another's partners. Instants are stored in UTC;
time zones are IANA names kept beside the people they belong to and applied at the edges.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    case,
    cast,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.vocabulary import (
    AUDIT_ACTIONS,
    BUNDLE_STATES,
    DEFAULT_CADENCE_DAYS,
    DEFAULT_DIGEST_MINUTE,
    DEFAULT_DIGEST_WEEKDAY,
    DEFAULT_WORK_DAYS,
    DEFAULT_WORK_END,
    DEFAULT_WORK_START,
    DIGEST_STATES,
    DIRECTIONS,
    EMAIL_MAX_CHARS,
    EPISODE_MAX_CHARS,
    EVENT_ID_MAX_CHARS,
    HOLIDAY_REGION_MAX_CHARS,
    KINDS,
    LANGUAGES,
    LOCALE_MAX_CHARS,
    NAME_KEY_MAX_CHARS,
    NAME_MAX_CHARS,
    NOTE_MAX_CHARS,
    NUDGE_ANSWERS,
    NUDGE_KINDS,
    NUDGE_STATES,
    PARTNER_STATUSES,
    PREFERRED_CHANNELS,
    PROMISE_STATUSES,
    PROMISED_BY,
    QUIET_WEEKS,
    SLACK_ID_MAX_CHARS,
    SOURCES,
    SUBSCRIPTION_STATES,
    TRIGRAM_MAX_CHARS,
    TZ_MAX_CHARS,
    TZ_SOURCES,
)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC, so SQLite and PostgreSQL round-trip alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous: pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_allowed")


class Base(DeclarativeBase):
    # Named constraints let Alembic alter them later, on SQLite too (batch mode needs names).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Member(Base):
    """A person in the workspace who uses Rapport; a cache of Slack's `users.info`."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("workspace_id", "slack_user_id"),
        _one_of("language", LANGUAGES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS))
    name: Mapped[str] = mapped_column(String(NAME_MAX_CHARS), default="")
    tz: Mapped[str] = mapped_column(String(TZ_MAX_CHARS), default="UTC")
    locale: Mapped[str] = mapped_column(String(LOCALE_MAX_CHARS), default="en-US")
    work_start_minute: Mapped[int] = mapped_column(Integer, default=DEFAULT_WORK_START)
    work_end_minute: Mapped[int] = mapped_column(Integer, default=DEFAULT_WORK_END)
    work_days: Mapped[str] = mapped_column(String(7), default=DEFAULT_WORK_DAYS)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # A workspace guest (Slack's is_restricted / is_ultra_restricted): never sees partner data.
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The bot's DM with this member (D…), as Slack named it when a nudge was first posted to the
    # user id; kept so a check of the DM's history never needs conversations.open.
    dm_channel_id: Mapped[str | None] = mapped_column(String(32))
    # The member's choice of language ("en", "de"); None follows their Slack locale.
    language: Mapped[str | None] = mapped_column(String(8))
    # Away (holidays) until this local day: no nudge DM before it; what waits comes in one DM.
    away_until: Mapped[date | None] = mapped_column(Date)
    # Whose public holidays are days off (no nudge DM): None follows the country of `tz`,
    # "none" has none, else a region code as the holidays library names it ("DE-BY").
    public_holidays: Mapped[str | None] = mapped_column(String(HOLIDAY_REGION_MAX_CHARS))
    # Last week's after-hours line is said once a week, in the first nudge DM of the member's
    # local ISO week: the Monday of the week it was last put in a DM, and that DM's bundle id
    # (no foreign key, as `Partner.one_sided_told_in`; told once that DM is `sent`).
    after_hours_week: Mapped[date | None] = mapped_column(Date)
    after_hours_told_in: Mapped[str | None] = mapped_column(String(36))

    @property
    def preferred_locale(self) -> str:
        """The locale Rapport speaks to this member in: their override, else Slack's."""
        return preferred_locale(self.language, self.locale)


def preferred_locale(language: str | None, locale: str) -> str:
    """The locale Rapport speaks to a member in: their chosen `language`, else their Slack
    `locale` (which keeps its region when it is in the chosen language)."""
    if language and not locale.lower().startswith(language):
        return language
    return locale


def _contact_due_when_added(context: Any) -> datetime | None:
    """A partner added without contacts is neglected once its cadence has passed since it was
    added: the `contact_due_at` of every insert that does not give one (a contact logged with
    it brings the times up to date, `refresh_contact_times`)."""
    values = context.get_current_parameters()
    created = values.get("created_at")
    if created is None:
        return None
    if created.tzinfo is None:  # already bound: naive UTC
        created = created.replace(tzinfo=UTC)
    cadence = timedelta(days=values.get("cadence_days") or DEFAULT_CADENCE_DAYS)
    due: datetime = created + cadence
    return due


class Partner(Base):
    """The external person or party a relationship is kept with."""

    __tablename__ = "partners"
    __table_args__ = (
        UniqueConstraint("workspace_id", "slack_user_id"),
        UniqueConstraint("workspace_id", "name_key", "organisation_key"),
        _one_of("status", PARTNER_STATUSES),
        _one_of("preferred_channel", PREFERRED_CHANNELS),
        _one_of("tz_source", TZ_SOURCES),
        CheckConstraint("cadence_days > 0", name="cadence_positive"),
        # Buttons carry partner ids: SQLite must never give a merged or forgotten partner's id
        # to a new one (migration 0016 says more).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME_MAX_CHARS))
    # Case-folded copies for lookups: "acme" finds "ACME", "Straße" finds "STRASSE".
    name_key: Mapped[str] = mapped_column(String(NAME_KEY_MAX_CHARS))
    organisation: Mapped[str | None] = mapped_column(String(NAME_MAX_CHARS))
    organisation_key: Mapped[str] = mapped_column(String(NAME_KEY_MAX_CHARS), default="")
    slack_user_id: Mapped[str | None] = mapped_column(String(SLACK_ID_MAX_CHARS))
    slack_team_id: Mapped[str | None] = mapped_column(String(SLACK_ID_MAX_CHARS))
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX_CHARS))
    language: Mapped[str | None] = mapped_column(String(8))
    tz: Mapped[str | None] = mapped_column(String(TZ_MAX_CHARS))
    # "typed" when a colleague set the zone in the profile: Slack's then no longer replaces it.
    # "slack" or None: the zone follows the partner's Slack profile, if they have one.
    tz_source: Mapped[str | None] = mapped_column(String(8))
    # When the Slack profile behind `slack_user_id` was last read (`users.info`): housekeeping
    # reads it again after a day, since `user_change` may not arrive for external people.
    profile_refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    business_start_minute: Mapped[int | None] = mapped_column(Integer)
    business_end_minute: Mapped[int | None] = mapped_column(Integer)
    business_days: Mapped[str | None] = mapped_column(String(7))
    # The partner's public holidays, outside their hours: as `Member.public_holidays` (None
    # follows the country of `tz`, "none" has none, else a region code).
    public_holidays: Mapped[str | None] = mapped_column(String(HOLIDAY_REGION_MAX_CHARS))
    preferred_channel: Mapped[str | None] = mapped_column(String(16))
    cadence_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_CADENCE_DAYS)
    status: Mapped[str] = mapped_column(String(16), default="active")
    # A paused partner gets no check-in nudges; with a date, it resumes by itself that day.
    paused_until: Mapped[date | None] = mapped_column(Date)
    # The owner snoozed the due check-in: it comes back on this day and not before.
    check_in_snoozed_until: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when a change of how names compare (`name_key`) gave this partner the key of another
    # one: both are kept, nothing merged, and the other's key carries a suffix (" #<id>").
    key_collision: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The nudge DM (bundle id) that tells the owner of the collision. No foreign key, so adding
    # it leaves the table as it is on SQLite: an id whose DM was dropped unsent, or is not sent
    # yet, counts as not told (`collisions_to_tell`).
    collision_told_in: Mapped[str | None] = mapped_column(String(36))
    # Contacts we start within CONTACT_WINDOW_DAYS before the reply says it is a lot: None for
    # DEFAULT_MAX_CONTACTS, MAX_CONTACTS_OFF (0) never (`bot.rules.relationships.contact_balance`).
    max_contacts: Mapped[int | None] = mapped_column(Integer)
    # The one-sided stretch (`bot.rules.relationships.contact_balance.episode_of`) a nudge DM
    # told the owner of: the DM (bundle id, no foreign key as for collisions; one not sent
    # counts as not told), the stretch, and the count the DM said, so that the DM reads the
    # same when updated.
    one_sided_told_in: Mapped[str | None] = mapped_column(String(36))
    one_sided_episode: Mapped[str | None] = mapped_column(String(EPISODE_MAX_CHARS))
    one_sided_count: Mapped[int | None] = mapped_column(Integer)
    # The partner's contact times, kept current from its contacts by every write that changes
    # them (`storage.queries.health.contact_times.refresh_contact_times`), so that health is
    # read from the row instead of aggregated from the whole history: the first and the last
    # contact of any kind and the last check-in, and two instants derived from them and the
    # cadence. `check_in_due_at`: the last check-in (or the first contact) plus the cadence,
    # None for a partner never contacted; `contact_due_at`: the last contact (or when the
    # partner was added) plus the cadence, after which it is neglected. The days people see
    # are counted in their zones by `bot.rules`; these instants are what indexes select by.
    first_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_check_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    check_in_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contact_due_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, default=_contact_due_when_added
    )
    # What the planner last decided about this partner's check-in (`scheduler.planner`): the
    # row's values it decided from (the due instant, who was to be nudged, the snooze, the
    # pause) and the instant from which the rules may want a nudge again, plus ZONE_LEAD (None:
    # not while those values stay). While they are the row's own, the planner selects the
    # partner by that instant alone; once any differs (a contact logged, a snooze, a hand-over,
    # a claim), by `check_in_due_at`, as one never planned (`check_in_plan_at`). Only the
    # planner writes them, and nobody needs to clear them.
    plan_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    plan_member_id: Mapped[int | None] = mapped_column(Integer)
    plan_snoozed_until: Mapped[date | None] = mapped_column(Date)
    plan_paused_until: Mapped[date | None] = mapped_column(Date)
    plan_again_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[Member | None] = relationship()


# The partners whose name key begins with a typed word (`partners_starting_with`): a range of keys
# in code point order. SQLite's BINARY order is that one; PostgreSQL's default collation may not
# be, so there the key is indexed by its bytes (`varchar_pattern_ops`, migration 0032).
Index(
    "ix_partners_workspace_name_key",
    Partner.workspace_id,
    Partner.name_key,
    postgresql_ops={"name_key": "varchar_pattern_ops"},
)
Index("ix_partners_workspace_organisation_key", Partner.workspace_id, Partner.organisation_key)
# A member's own partners in the list's whole order (name, organisation, id), for `/rapport
# partners` (a page of 5,000): by name alone, SQLite preferred the unique key's order and read
# every partner of the workspace for one member's page (migration 0034).
Index(
    "ix_partners_workspace_owner_order",
    Partner.workspace_id,
    Partner.owner_id,
    Partner.name_key,
    Partner.organisation_key,
    Partner.id,
)


# The collisions a member's nudge DM tells of (`collisions_to_tell`, once per DM): partial, the
# few flagged partners in name order; without it SQLite reads the workspace's partners in that
# order through its unique key (migration 0034).
Index(
    "ix_partners_collisions",
    Partner.workspace_id,
    Partner.owner_id,
    Partner.name_key,
    Partner.organisation_key,
    Partner.id,
    sqlite_where=Partner.key_collision.is_(True),
    postgresql_where=Partner.key_collision.is_(True),
)


# The planner's check-ins due by a horizon, across workspaces (migration 0026).
Index("ix_partners_status_check_in_due", Partner.status, Partner.check_in_due_at)
# A workspace's partners due a contact (neglected) by an instant, for digests and Home.
Index("ix_partners_workspace_contact_due", Partner.workspace_id, Partner.contact_due_at)


def check_in_plan_at() -> ColumnElement[datetime]:
    """When the planner looks at a partner's check-in again, less ZONE_LEAD: the instant it
    noted while the values it decided from are still the row's, else the due instant."""
    unchanged = and_(
        Partner.plan_due_at.is_not_distinct_from(Partner.check_in_due_at),
        Partner.plan_member_id.is_not_distinct_from(Partner.owner_id),
        Partner.plan_snoozed_until.is_not_distinct_from(Partner.check_in_snoozed_until),
        Partner.plan_paused_until.is_not_distinct_from(Partner.paused_until),
    )
    return case((unchanged, Partner.plan_again_at), else_=Partner.check_in_due_at)


# The planner's tick: the check-ins it has to look at now, and no others (migration 0028).
Index("ix_partners_check_in_plan", Partner.status, check_in_plan_at())


# Who no longer looks after partners (left the workspace, or a guest): a digest counts their
# partners as nobody's, and this keeps that count from reading every member (migration 0030).
Index(
    "ix_members_not_looking_after",
    Member.workspace_id,
    sqlite_where=~and_(Member.active, ~Member.is_guest),
    postgresql_where=~and_(Member.active, ~Member.is_guest),
)


class PartnerTrigram(Base):
    """The trigrams of a partner's name key (`name_trigrams`), one row each: "did you mean" asks
    which partners share most trigrams with a typed name, with an index instead of reading every
    name. Written with the partner (`add_partner`), removed with it (ON DELETE CASCADE)."""

    __tablename__ = "partner_trigrams"

    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True
    )
    trigram: Mapped[str] = mapped_column(String(TRIGRAM_MAX_CHARS), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # 2 for a trigram of the name's first word, 1 otherwise (`name_trigrams`).
    weight: Mapped[int] = mapped_column(SmallInteger)


# Covering: the look-up reads partner ids and weights from the index alone.
Index(
    "ix_partner_trigrams_lookup",
    PartnerTrigram.workspace_id,
    PartnerTrigram.trigram,
    PartnerTrigram.partner_id,
    PartnerTrigram.weight,
)


class Interaction(Base):
    """One contact with a partner: when it happened (not when it was logged), how, and what."""

    __tablename__ = "interactions"
    __table_args__ = (
        _one_of("kind", KINDS),
        _one_of("direction", DIRECTIONS),
        _one_of("source", SOURCES),
        CheckConstraint(f"length(note) <= {NOTE_MAX_CHARS}", name="note_length"),
        # Replies and DMs carry contact ids: SQLite must never give an undone contact's id to a
        # new one (migration 0019 says more).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # False when only a date was given: occurred_at then holds noon of that date in the
    # logger's zone, which keeps the calendar date in any zone within ±11 hours.
    has_time: Mapped[bool] = mapped_column(Boolean, default=False)
    medium: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default="contact")
    direction: Mapped[str] = mapped_column(String(16), default="mutual")
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default="command")
    # Set when logging this contact created its partner, so Undo can remove the partner too.
    created_partner: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # JSON: the contact and its promise as they were before each edit, the latest last, with
    # the token of the Undo that puts it back (`bot.usecases.contacts.undo_edit`). Kept here,
    # never in a button's value, so a press can name an edit but not what it restores.
    before_edit: Mapped[str | None] = mapped_column(Text)

    partner: Mapped[Partner] = relationship()
    member: Mapped[Member] = relationship()


Index(
    "ix_interactions_partner_kind_occurred",
    Interaction.workspace_id,
    Interaction.partner_id,
    Interaction.kind,
    Interaction.occurred_at,
)
# A partner's contacts in time order, ties in the order they were logged: its last and first
# contact in one seek each, its directed contacts of a period from the index alone (a team
# digest's health and one-sidedness; migration 0025), and the over-contact line's newest few
# and their count without a sort or a row read each (`started_since`; migration 0033).
Index(
    "ix_interactions_partner_occurred",
    Interaction.workspace_id,
    Interaction.partner_id,
    Interaction.occurred_at,
    Interaction.id,
    Interaction.direction,
    Interaction.kind,
)


class Promise(Base):
    """A promise between us and a partner, down to a call-back, with the day it is due.

    Most are ours to the partner; `promised_by` "partner" records what they promised us, which
    belongs in the conversation but is not ours to be nudged about. `member_id` is whoever
    promised or, for the partner's promises, whoever logged it.
    """

    __tablename__ = "promises"
    __table_args__ = (
        _one_of("status", PROMISE_STATUSES),
        _one_of("promised_by", PROMISED_BY),
        # Nudge DMs and cards carry promise ids: never given twice on SQLite (migration 0019).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    drop_reason: Mapped[str | None] = mapped_column(Text)
    promised_by: Mapped[str] = mapped_column(String(16), default="us", server_default="us")
    # The due day in force when the due day was moved after it had passed (Need more time in an
    # overdue DM, an edit of the contact), with the promise neither kept nor dropped by then:
    # the reliability figure counts it as missed that day, whatever its new day. Set once.
    missed_on: Mapped[date | None] = mapped_column(Date)
    # As a partner's `plan_*` for its check-in: the due day and promiser the planner decided
    # from, and the instant it looks again, plus ZONE_LEAD and HEADS_UP_LOOKBACK_DAYS (None: not
    # while those stay).
    plan_due_on: Mapped[date | None] = mapped_column(Date)
    plan_member_id: Mapped[int | None] = mapped_column(Integer)
    plan_again_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    partner: Mapped[Partner] = relationship()
    interaction: Mapped[Interaction | None] = relationship()


Index("ix_promises_status_due", Promise.workspace_id, Promise.status, Promise.due_on)


def promise_plan_at() -> ColumnElement[datetime]:
    """When the planner looks at a promise again, less ZONE_LEAD and HEADS_UP_LOOKBACK_DAYS:
    the instant it noted while the due day and promiser it decided from are still the row's,
    else the due day's start in UTC (a heads-up comes up to that many days before it)."""
    unchanged = and_(
        Promise.plan_due_on.is_not_distinct_from(Promise.due_on),
        Promise.plan_member_id.is_not_distinct_from(Promise.member_id),
    )
    return case((unchanged, Promise.plan_again_at), else_=cast(Promise.due_on, UTCDateTime))


# The planner's tick: our open promises it has to look at now (migration 0028).
Index("ix_promises_plan", Promise.status, Promise.promised_by, promise_plan_at())
# A partner's open promises (the lists' counts), and a member's open ones by due day.
Index(
    "ix_promises_workspace_partner_status",
    Promise.workspace_id,
    Promise.partner_id,
    Promise.status,
    Promise.due_on,
)
Index(
    "ix_promises_workspace_member_status_due",
    Promise.workspace_id,
    Promise.member_id,
    Promise.status,
    Promise.due_on,
)
# The promises made with a contact (`promises_of`, editing or undoing it), not every promise of
# the workspace (migration 0034).
Index("ix_promises_workspace_interaction", Promise.workspace_id, Promise.interaction_id)


class ProcessedEvent(Base):
    """Events API ids already handled: Slack retries an event it thinks we missed.

    Slack retries for at most about five minutes, so a row older than a day is pruned.
    """

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(EVENT_ID_MAX_CHARS), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class SeenRequest(Base):
    """Signatures of slash commands and interactions already served, so a replay does nothing.

    A signature is valid for five minutes after its `X-Slack-Request-Timestamp` (`request_ts`,
    Unix seconds); past that the request is refused as stale anyway, so the row can go.
    """

    __tablename__ = "seen_requests"

    # The hex SHA-256 of the `X-Slack-Signature` header.
    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    request_ts: Mapped[int] = mapped_column(BigInteger, index=True)


class PendingCommand(Base):
    """A `/logcontact` text waiting, an hour at most, for its author to say which reading they
    meant (`bot.parsing.questions`). Deleted when answered, and by housekeeping after the hour."""

    __tablename__ = "pending_commands"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    # The answers given so far, as JSON: slot → chosen value.
    answers: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Bundle(Base):
    """One nudge DM: everything due for one member on one of their local working days.

    The unique (member, local day) is what keeps Rapport to one nudge DM a day. Its id travels in
    the DM's message metadata, so a DM whose sending was interrupted can be recognised in the
    conversation's history instead of being sent twice.
    """

    __tablename__ = "bundles"
    __table_args__ = (
        UniqueConstraint("member_id", "local_day"),
        _one_of("state", BUNDLE_STATES),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    local_day: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="ready")
    # A dispatcher owns the bundle until its lease ends; a crashed one's lease simply runs out.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What this DM's after-hours line said (JSON, `bot.usecases.after_hours.figures`): partner
    # ids or people's Slack ids with counts, never names, so an update in place reads the same.
    after_hours_said: Mapped[str | None] = mapped_column(Text)

    member: Mapped[Member] = relationship()


Index("ix_bundles_state_not_before", Bundle.state, Bundle.not_before)
# The planner's prune: sent and dead DMs old enough to forget, one range per state (0029).
Index("ix_bundles_state_created", Bundle.state, Bundle.created_at)
# The DMs of the last day or two (`days_with_a_dm`, every delivery tick): by day, covering the
# member, not every DM kept (migration 0034).
Index("ix_bundles_local_day_member", Bundle.local_day, Bundle.member_id)


class Nudge(Base):
    """The outbox: one due item (a check-in, a promise) or one hand-over to tell of, for one
    recipient, written once.

    The unique (recipient, kind, subject, period) makes planning idempotent: a repeated tick, a
    restart, a catch-up after downtime or a second scheduler inserts nothing new. `period` is the
    day the item fell due for this nudge; `due_on` is the day its episode began (the check-in's
    due date, the promise's due date), so repeats within one episode can be counted.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("member_id", "kind", "subject_id", "period"),
        _one_of("kind", NUDGE_KINDS),
        _one_of("state", NUDGE_STATES),
        _one_of("answer", NUDGE_ANSWERS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    # A partner id for check-ins and hand-overs, a promise id for promises.
    subject_id: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    period: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    bundle_id: Mapped[str | None] = mapped_column(ForeignKey("bundles.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The answer given with the DM's buttons, by whom and when: what the updated DM shows.
    answer: Mapped[str | None] = mapped_column(String(16))
    # The day a snooze or pause ends, or a promise's new due day.
    answer_until: Mapped[date | None] = mapped_column(Date)
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the answer changed, before and after, as JSON (`bot.rules.answer_undo`), and until
    # when Undo is offered; NULL where the answer cannot be undone or was undone (the state
    # alone once its day is over or its promise is gone).
    undo_state: Mapped[str | None] = mapped_column(Text)
    undo_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A hand-over's announcement: who moved the partner, and to whom (for "handed_away").
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    handed_to_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))


Index("ix_outbox_state_member", Nudge.state, Nudge.member_id)
# A DM's nudges in one state (its pending ones read and marked sent, once per DM delivered):
# by bundle and state, or SQLite prefers the state's index and visits every pending nudge
# (migration 0034).
Index("ix_outbox_bundle_state", Nudge.bundle_id, Nudge.state)
# The planner's prune: finished nudges old enough to forget, one range per state, not every
# finished row of the 90 days kept (migration 0029).
Index("ix_outbox_state_created", Nudge.state, Nudge.created_at)
# The nudges of one item (a partner, a promise) in any DM, whoever they were for: an Undo's
# check for a later answer and its copies, the last answer of a promise, a partner forgotten
# (per press or request; migration 0034). With the DM last, an answer to the item in one DM
# is one key.
Index("ix_outbox_kind_subject", Nudge.kind, Nudge.subject_id, Nudge.bundle_id)
# The few answers still kept for Undo, which the planner's tick clears once spent
# (`forget_spent_undo`): partial, so that tick does not read the whole outbox.
Index(
    "ix_outbox_undo_kept",
    Nudge.undo_until,
    sqlite_where=Nudge.undo_state.is_not(None),
    postgresql_where=Nudge.undo_state.is_not(None),
)


class AuditEntry(Base):
    """Something done to the registry that leaves no other trace: who did it, when, and to
    which row id. Never a name, an address or a note: a partner forgotten (`forget_partner`)
    is recorded by the id it had, which nothing else holds any longer; a partner merged into
    another (`merge_partner`) by the id it had and the id of the one that took its history."""

    __tablename__ = "audit_log"
    __table_args__ = (_one_of("action", AUDIT_ACTIONS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # Who did it; kept as None when their member row goes.
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The id the partner had; no foreign key: the row is gone.
    partner_id: Mapped[int] = mapped_column(Integer)
    # For a merge, the partner that remains; no foreign key, so the row outlives it.
    into_partner_id: Mapped[int | None] = mapped_column(Integer)


Index("ix_audit_log_workspace_at", AuditEntry.workspace_id, AuditEntry.at)


class SlackChannel(Base):
    """What Slack said about a channel the bot is in (`conversations.info`), cached so that a
    busy shared channel costs one Slack call, not one per message. Refreshed by
    `member_joined_channel`, `member_left_channel`, `channel_shared` and `channel_unshared`,
    and read again once it is older than a day."""

    __tablename__ = "slack_channels"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS), primary_key=True)
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    # Shared with another organisation (Slack Connect); pending: an invitation not yet taken.
    is_ext_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    is_pending_ext_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    # Whether `channel_members` holds every member (False for channels too large to list).
    members_known: Mapped[bool] = mapped_column(Boolean, default=False)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChannelMember(Base):
    """One member of a cached channel (`conversations.members`), by Slack user id."""

    __tablename__ = "channel_members"
    __table_args__ = (
        ForeignKeyConstraint(
            ["workspace_id", "channel_id"],
            ["slack_channels.workspace_id", "slack_channels.channel_id"],
            ondelete="CASCADE",
        ),
    )

    workspace_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS), primary_key=True)
    slack_user_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS), primary_key=True)


class SlackPersonRow(Base):
    """What `users.info` said about someone seen in a shared channel: the company's own
    members and people of other organisations alike. Refreshed on `user_change` and after a
    day. Only what deciding a person's hours needs: their team, name, zone and kind."""

    __tablename__ = "slack_people"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    slack_user_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS), primary_key=True)
    # The person's own workspace: another organisation's id makes them external.
    team_id: Mapped[str | None] = mapped_column(String(SLACK_ID_MAX_CHARS))
    name: Mapped[str] = mapped_column(String(NAME_MAX_CHARS), default="")
    tz: Mapped[str | None] = mapped_column(String(TZ_MAX_CHARS))
    locale: Mapped[str | None] = mapped_column(String(LOCALE_MAX_CHARS))
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AfterHoursMessage(Base):
    """A message in a shared channel that reached someone of another organisation outside
    their hours: one row per person reached. Private to its author (`author_user_id`), erased
    after 90 days, and never more than the time, the channel, the author and who was reached:
    no message text."""

    __tablename__ = "after_hours_messages"
    __table_args__ = (UniqueConstraint("workspace_id", "channel_id", "sent_at", "person_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    author_user_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS))
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS))
    # The external person reached, and their partner profile when they have one.
    person_user_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


Index(
    "ix_after_hours_messages_author_sent",
    AfterHoursMessage.workspace_id,
    AfterHoursMessage.author_user_id,
    AfterHoursMessage.sent_at,
)
Index("ix_after_hours_messages_sent", AfterHoursMessage.sent_at)


class AfterHoursHint(Base):
    """An after-hours hint shown: at most one per sender, channel and the sender's local day
    (the primary key makes a second one impossible). Pruned after a few days."""

    __tablename__ = "after_hours_hints"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    sender_user_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS), primary_key=True)
    local_day: Mapped[date] = mapped_column(Date, primary_key=True)


class HintMute(Base):
    """A person asked for no after-hours hints: in one channel, or everywhere
    (`channel_id` = `HINTS_EVERYWHERE`)."""

    __tablename__ = "hint_mutes"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    slack_user_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS), primary_key=True)
    muted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DigestSubscription(Base):
    """A team channel's weekly (or fortnightly) digest of neglected partners.

    One per channel (`/rapport digest on` there). The digest covers the partners owned by the
    channel's members at posting time. Its schedule is a local weekday and minute in `tz`; a
    fortnightly one posts in the weeks an even number of weeks after `anchor_on` (the Monday of
    the week it was set up). `language` and `tz` start as the subscriber's and are settings of
    the subscription.
    """

    __tablename__ = "digest_subscriptions"
    __table_args__ = (
        UniqueConstraint("workspace_id", "channel_id"),
        _one_of("state", SUBSCRIPTION_STATES),
        _one_of("quiet", QUIET_WEEKS),
        _one_of("language", LANGUAGES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS))
    # Who said `digest on` (told when the subscription is suspended).
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    every_weeks: Mapped[int] = mapped_column(SmallInteger, default=1)
    weekday: Mapped[int] = mapped_column(SmallInteger, default=DEFAULT_DIGEST_WEEKDAY)
    minute: Mapped[int] = mapped_column(Integer, default=DEFAULT_DIGEST_MINUTE)
    tz: Mapped[str] = mapped_column(String(TZ_MAX_CHARS), default="UTC")
    language: Mapped[str] = mapped_column(String(8), default="en")
    quiet: Mapped[str] = mapped_column(String(8), default="line")
    anchor_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="active")
    # Why it is suspended ("ext_shared", "pending_ext_shared"); None while active or off.
    suspended_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Digest(Base):
    """The channel outbox: one digest for one subscription and one period, written once.

    The unique (subscription, period) keeps a channel to one digest a period, however often the
    planner runs and however many schedulers there are; `period` is the local day of the post.
    Delivery works as the nudge DMs' bundles do (a lease, `Retry-After`, and a history check
    by the id in the message metadata after an unclear answer). `shown` keeps what the posted
    message listed (JSON: partner ids in order and the count left out) so that a claim redraws
    the same rows for everyone.
    """

    __tablename__ = "digests"
    __table_args__ = (
        UniqueConstraint("subscription_id", "period"),
        _one_of("state", DIGEST_STATES),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("digest_subscriptions.id", ondelete="CASCADE")
    )
    period: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="ready")
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS))
    ts: Mapped[str | None] = mapped_column(String(32))
    shown: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


Index("ix_digests_state_not_before", Digest.state, Digest.not_before)


class DigestWithdrawal(Base):
    """A channel whose posted digests may have to be withdrawn, until that is done.

    Noted in the transaction of the event that may have made the channel unfit for partner data
    (a `channel_shared`, someone joining), so that a crash after the ack loses nothing; deleted
    once the channel was checked and every digest there that still showed partners was
    replaced by its withdrawn line (or the channel was found fit). While Slack refuses the
    check or a `chat.update`, the delivery job makes it again after `not_before`, leased to one
    scheduler at a time (`claimed_by`, `lease_until`), `attempts` counting the refusals that
    were no rate limit. `mark` changes each time the row is noted again: work that began
    before deletes or puts back the row only if its mark is still the one it began from.
    """

    __tablename__ = "digest_withdrawals"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID_MAX_CHARS), primary_key=True)
    mark: Mapped[str] = mapped_column(String(32))
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))
    noted_at: Mapped[datetime] = mapped_column(UTCDateTime)


Index("ix_digest_withdrawals_not_before", DigestWithdrawal.not_before)


class PartnerClaim(Base):
    """ "I'll reach out" on a digest: a colleague steps in for a partner's owner.

    Until `until` the claimer gets the partner's check-in nudges instead of the owner; the
    digest shows the claim to everyone. One claim per partner: a new one replaces it.
    """

    __tablename__ = "partner_claims"

    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    # The digest it was claimed on (its message is redrawn); None once that digest is pruned.
    digest_id: Mapped[str | None] = mapped_column(ForeignKey("digests.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    until: Mapped[datetime] = mapped_column(UTCDateTime)


Index("ix_partner_claims_until", PartnerClaim.until)
# A member's live claims (`claims_held`, every Home tab drawn): from the claims, not from every
# partner of the workspace (migration 0034). Not led by the workspace: SQLite would then read a
# workspace's every claim for the claims of a few partners (`live_claims`), not their keys.
Index("ix_partner_claims_member_until", PartnerClaim.member_id, PartnerClaim.until)


class PostingPace(Base):
    """A workspace's budget for posting to Slack, learned from Slack's answers and shared by
    every scheduler process (`bot.rules.pacing.Budget`, one row per workspace).

    Rates are kept in thousandths of a post a second (`*_milli`), so the table needs no floating
    type; `next_slot` is when the next post may go, whoever sends it. Written when slots are
    granted (a few at a time) and on a 429, never once per post.
    """

    __tablename__ = "posting_paces"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    rate_milli: Mapped[int] = mapped_column(Integer)
    # When a 429 last lowered the rate; None while no limit has been met (slow start).
    limited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_slot: Mapped[datetime] = mapped_column(UTCDateTime)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_posts: Mapped[int] = mapped_column(Integer)
    last_window_rate_milli: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
