"""Partners: found by id, Slack user or name, searched, created, and who looks after them.

Each query takes a session and a workspace id and filters by it. Names compare by their key
(`name_key`), computed in Python: SQLite's `lower()` and `LIKE` fold ASCII only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, overload

from sqlalchemy import (
    Integer,
    String,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from storage.models import (
    Bundle,
    Interaction,
    Member,
    Partner,
    PartnerTrigram,
    Promise,
    Workspace,
)
from storage.queries.common import AnyRow, is_postgres, plain_rows
from storage.queries.health.contact_times import COLUMNS as TIME_COLUMNS
from storage.vocabulary import (
    NAME_KEY_MAX_CHARS,
    name_key,
    name_trigrams,
    nearest,
    organisation_keys,
    without_honorifics,
)

# How many partners sharing most trigrams with a typed name are compared with it, at most.
TRIGRAM_CANDIDATES = 60


def _comparable(key: str) -> bool:
    """Whether a folded key could be a stored one. A longer key, or one with NUL (which
    PostgreSQL refuses in text) or a lone surrogate (which no UTF-8 column holds), matches no
    row: searching with it is answered without asking the database, and SQLite never sees a
    LIKE pattern past its 50,000-byte limit."""
    return len(key) <= NAME_KEY_MAX_CHARS and _UNSTORABLE.search(key) is None


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _partners(workspace_id: int) -> Any:
    return select(Partner).where(Partner.workspace_id == workspace_id)


def find_partner(session: Session, workspace_id: int, partner_id: int) -> Partner | None:
    return session.scalars(_partners(workspace_id).where(Partner.id == partner_id)).one_or_none()


def find_partner_by_slack_user(
    session: Session, workspace_id: int, slack_user_id: str
) -> Partner | None:
    return session.scalars(
        _partners(workspace_id).where(Partner.slack_user_id == slack_user_id)
    ).one_or_none()


def partners_named(
    session: Session, workspace_id: int, name: str, organisation: str | None = None
) -> list[Partner]:
    """Partners with this name; with an organisation, only the one at that organisation."""
    key, organisation_key = name_key(name), name_key(organisation)
    if not (_comparable(key) and _comparable(organisation_key)):
        return []
    query = _partners(workspace_id).where(Partner.name_key == key)
    if organisation is not None:
        query = query.where(Partner.organisation_key == organisation_key)
    return list(session.scalars(query.order_by(Partner.id)))


def partner_with_keys(
    session: Session, workspace_id: int, name: str, organisation: str | None
) -> Partner | None:
    """The one partner the name unique constraint allows for this name and organisation (none
    given: the one without an organisation)."""
    key, organisation_key = name_key(name), name_key(organisation)
    if not (_comparable(key) and _comparable(organisation_key)):
        return None
    return session.scalars(
        _partners(workspace_id).where(
            Partner.name_key == key, Partner.organisation_key == organisation_key
        )
    ).one_or_none()


CANDIDATES_LIMIT = 200


def partners_starting_with(session: Session, workspace_id: int, word: str) -> list[AnyRow]:
    """Partners whose name begins with `word`: the names a bare partner name may continue into,
    by name key then id (`CANDIDATES_LIMIT` at most: which ones, when more begin so, depends
    neither on the plan nor on the backend or its collation, as keys compare by code point;
    partners of one name come in id order, as `partners_named` has them).

    One query serves two needs: the parser sees which multi-word names exist, and the partner
    it settles on is usually among these rows already (`KnownPartner.of` takes it from there,
    and a contact is logged for it without reading it again). Plain rows of
    `CANDIDATE_COLUMNS`, not entities: a partner has forty columns, and loading every
    candidate as an entity cost more than the query. A read that fills the limit is narrowed
    by the words typed after `word` (`candidates_for`), so that what it left out is read too.
    """
    key = name_key(word)
    if not _comparable(key):
        return []
    return _starting_with_key(session, workspace_id, key, key_upper_bound(key))


def _starting_with_key(
    session: Session, workspace_id: int, key: str, upper: str | None
) -> list[AnyRow]:
    """`partners_starting_with` for a folded key a stored one could begin with, below `upper`
    (`key_upper_bound`)."""
    values = {"workspace_id": workspace_id, "key": key, "key_upper": upper}
    return plain_rows(session, _STARTING_WITH[is_postgres(session), upper is not None], values)


@dataclass(frozen=True)
class _Read:
    """One range of keys read for the candidates: from `key` on, below `upper` (None: no
    bound); every partner of a key in it was read, below `last` when the read filled the limit
    (`last` is the key of its last row, which partners not read may share). With `next_word`,
    only the keys in the range whose word after the one `key` ends in begins with it
    (`_next_word_begins`: "stadtwerke zweibrücken" for "stadtw" and "zw")."""

    key: str
    upper: str | None
    last: str | None
    next_word: str | None = None

    def holds(self, key: str) -> bool:
        return (
            self.key <= key
            and (self.upper is None or key < self.upper)
            and (self.last is None or key < self.last)
            and (self.next_word is None or _next_word_begins(key, len(self.key), self.next_word))
        )

    def cut_short(self) -> bool:
        """Whether this full read went on past the keys whose first word is `key` whole
        ("stadtw", "stadtw …") into keys it only begins ("stadtwerke …"): a reading of more
        words after `key` then narrows nothing it left out (its keys all sort before those
        read), and the word after the one `key` begins is what does (`_next_word_read`)."""
        last = self.last
        return last is not None and last != self.key and not last.startswith(self.key + " ")


def _next_word_begins(key: str, after: int, word: str) -> bool:
    """Whether the word of `key` after the one its first `after` characters end in begins
    with `word`, as `_NEXT_WORD` compares it in SQL."""
    space = key.find(" ", after)
    return space >= 0 and key.startswith(word, space + 1)


@dataclass(frozen=True)
class Candidates(Sequence[AnyRow]):
    """The partners a typed bare name may name (`candidates_for`), by name key then id, with
    the ranges of keys they were read from: which names they surely hold every partner of
    (`holds`), so that `named_among` answers from them only then."""

    rows: tuple[AnyRow, ...] = ()
    reads: tuple[_Read, ...] = ()

    @overload
    def __getitem__(self, index: int) -> AnyRow: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[AnyRow]: ...

    def __getitem__(self, index: int | slice) -> AnyRow | Sequence[AnyRow]:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[AnyRow]:
        # The tuple's own iterator: `Sequence`'s indexes one row at a time, and the parser
        # and the name match walk the candidates several times a command.
        return iter(self.rows)

    def holds(self, key: str) -> bool:
        """Whether every partner whose name key is `key` is among the rows."""
        return any(read.holds(key) for read in self.reads)


# No name typed to read candidates by (a mention, a quoted name): nothing read, nothing held.
NO_CANDIDATES = Candidates()


def candidates_for(session: Session, workspace_id: int, readings: Iterable[str]) -> Candidates:
    """The partners a bare name typed as `readings` may name (its first word, then that with
    each word after it: `bot.parsing.contact_text.name_readings`): those the first word begins
    (`partners_starting_with`), one query as long as fewer than `CANDIDATES_LIMIT` partners
    share it. A read that fills the limit leaves out partners the text may name ("Stadtwerke
    Zweibrücken" after 200 other "Stadtwerke …"): then the next reading's are read too, a
    narrower range ("stadtwerke zw" holds "stadtwerke zweibrücken …"), until one does not fill
    it or the readings run out. A first word cut short whose full read went on into names it
    only begins ("stadtw" reaching "stadtwerke 000") is narrowed by the second word at the start
    of each key's next word instead (`_next_word_read`: "stadtwerke zweibrücken" for "stadtw
    zw"). Merged by key then id, as one read has them, on either backend (Python compares text
    by code point, as `_key_range` orders keys)."""
    found: dict[int, AnyRow] = {}
    reads: list[_Read] = []
    for reading in readings:
        key = name_key(reading)
        if reads and key == reads[-1].key:
            continue  # a word that folds away ("-") narrows nothing
        if not _comparable(key):
            break  # no stored key begins so: nothing to read
        if len(reads) == 1 and reads[0].cut_short():
            # "stadtw zw" past a full read of "stadtw" that reached "stadtwerke …": the
            # second word narrows the first word's range instead, and is the last read.
            rows, read = _next_word_read(session, workspace_id, reads[0], key)
            reads += [read] if read is not None else []
            for row in rows:
                found.setdefault(row.id, row)
            break
        upper = key_upper_bound(key)
        rows = _starting_with_key(session, workspace_id, key, upper)
        full = len(rows) >= CANDIDATES_LIMIT
        reads.append(_Read(key, upper, rows[-1].name_key if full else None))
        if not full and len(reads) == 1:
            # The common command: one read, in order already, nothing to merge.
            return Candidates(tuple(rows), tuple(reads))
        for row in rows:
            found.setdefault(row.id, row)
        if not full:
            break
    merged = sorted(found.values(), key=lambda row: (row.name_key, row.id))
    return Candidates(tuple(merged), tuple(reads))


def _next_word_read(
    session: Session, workspace_id: int, first: _Read, key: str
) -> tuple[list[AnyRow], _Read | None]:
    """The partners of the first word's range (`first`, a full read of a cut-short word) whose
    next word begins with the word typed after it (`key`: the two typed words' key, "stadtw
    zw"), `CANDIDATES_LIMIT` at most by key then id, and the read they come from. The index
    walks the first word's range and the rest is a filter on its keys: a scan of the
    partners the first word begins, on this rare path only (a full read, its word cut short).
    Nothing read (no rows, no read) when `key` does not go on from the first word's key by a
    word."""
    prefix = first.key + " "
    word = key[len(prefix) :] if key.startswith(prefix) else ""
    if not word:
        return [], None
    values = {
        "workspace_id": workspace_id,
        "key": first.key,
        "key_upper": first.upper,
        "after": len(first.key),
        "word": word,
        "word_chars": len(word),
    }
    statement = _NEXT_WORD[is_postgres(session), first.upper is not None]
    rows = plain_rows(session, statement, values)
    full = len(rows) >= CANDIDATES_LIMIT
    return rows, _Read(first.key, first.upper, rows[-1].name_key if full else None, word)


def key_upper_bound(key: str) -> str | None:
    """The least text above every one that begins with `key`, in code point order; None when
    there is none (`key` is all U+10FFFF, and every text from `key` on begins with it).

    A LIKE cannot stand for it: SQLite's folds ASCII case, so it cannot walk the (workspace,
    name key) index, whose BINARY order is case-sensitive, and tests every name of the
    workspace instead; PostgreSQL's seeks only a pattern known when planning, not one given
    as a parameter to the plan a prepared statement keeps. Stored and typed keys are folded
    alike (`name_key`: no ASCII capitals on either side), so a key begins with the typed one
    exactly when `key <= name_key < key_upper_bound(key)` in code point order, a range the
    index walks (both backends compare it as UTF-8 bytes, which order as code points do).

    Trailing U+10FFFF cannot be incremented and are dropped first; after U+D7FF comes U+E000
    (no text holds a surrogate). `%`, `_` and `/` are plain characters here: nothing to escape.
    """
    kept = key.rstrip(_LAST_CODE_POINT)
    if not kept:
        return None
    following = ord(kept[-1]) + 1
    if _SURROGATES[0] <= following <= _SURROGATES[1]:
        following = _SURROGATES[1] + 1
    return kept[:-1] + chr(following)


_LAST_CODE_POINT = chr(0x10FFFF)
_SURROGATES = (0xD800, 0xDFFF)


# What a candidate row holds: what the parser and the name match compare (names and their
# keys), and what logging a contact for it reads and moves (`bot.usecases.contacts.record`:
# the contact times and what they derive from, the over-contact threshold). `KnownPartner`
# holds these and no more: a use that needs another column reads the partner as an entity.
CANDIDATE_COLUMNS = (
    Partner.id,
    Partner.workspace_id,
    Partner.name,
    Partner.name_key,
    Partner.organisation,
    Partner.organisation_key,
    Partner.cadence_days,
    Partner.created_at,
    Partner.max_contacts,
    Partner.first_contact_at,
    Partner.last_contact_at,
    Partner.last_check_in_at,
    Partner.check_in_due_at,
    Partner.contact_due_at,
)
# Built once: this is every `/logcontact`'s first read of partners, and building the statement
# cost more than running it.
_CANDIDATES = (
    select(*CANDIDATE_COLUMNS)
    .where(Partner.workspace_id == bindparam("workspace_id"))
    .limit(CANDIDATES_LIMIT)
)
# The keys in code point order on PostgreSQL whatever the database's collation: a plain ORDER BY
# sorts by that collation (an ICU or en_US one puts "acme 한" before "acme 東", C after), and
# which candidates the limit keeps would differ from SQLite's and from one database to another.
# `~<~` is the order of the `varchar_pattern_ops` index the range is read on: the rows come in
# it, only partners of one name are sorted (by id), and the read stops at the limit.
_BYTE_ORDER: UnaryExpression[str] = UnaryExpression(
    Partner.name_key.expression, modifier=custom_op("USING ~<~")
)


def _key_range(postgres: bool, bounded: bool) -> Any:
    """The candidates from the key `:key` on, below `:key_upper` when `bounded`, in code point
    order, by key then id: SQLite's BINARY comparison, PostgreSQL's byte-wise pattern operators
    (served by `varchar_pattern_ops` in the index, whatever the database's collation)."""
    at_least, below = ("~>=~", "~<~") if postgres else (">=", "<")
    by_key = _BYTE_ORDER if postgres else Partner.name_key
    query = _CANDIDATES.order_by(by_key, Partner.id)
    query = query.where(Partner.name_key.op(at_least, is_comparison=True)(bindparam("key")))
    if bounded:
        query = query.where(Partner.name_key.op(below, is_comparison=True)(bindparam("key_upper")))
    return query


# By (PostgreSQL?, bounded above?).
_STARTING_WITH = {
    (postgres, bounded): _key_range(postgres, bounded)
    for postgres in (False, True)
    for bounded in (False, True)
}


def _next_word_filter(postgres: bool) -> Any:
    """Whether the key's word after the one its first `:after` characters end in begins with
    `:word` (`:word_chars` long): counted in characters on both backends, as Python counts
    them, and compared as text, so that no character of the typed word needs escaping (a LIKE
    pattern would read `%` and `_`). The space is looked for in the key past `:after`; none,
    no next word."""
    position = func.strpos if postgres else func.instr
    after = bindparam("after", type_=Integer)
    space = position(func.substr(Partner.name_key, after + 1), " ")
    start = after + space + 1
    return (space > 0) & (
        func.substr(Partner.name_key, start, bindparam("word_chars", type_=Integer))
        == bindparam("word")
    )


# The first word's range, filtered by the next word (`_next_word_read`); by (PostgreSQL?,
# bounded above?).
_NEXT_WORD = {
    (postgres, bounded): _key_range(postgres, bounded).where(_next_word_filter(postgres))
    for postgres in (False, True)
    for bounded in (False, True)
}


@dataclass(frozen=True)
class KnownPartner:
    """A partner as a candidate row holds it (`CANDIDATE_COLUMNS`), not an entity: what a
    summary shows of it and what logging a contact for it reads and moves. A contact logged for
    a partner the typed name found is written without the ORM (`held_known`,
    `write_contact_times`): an entity whose times moved cost the command a unit-of-work flush,
    three times the UPDATE it sent."""

    id: int
    workspace_id: int
    name: str
    name_key: str
    organisation: str | None
    organisation_key: str
    cadence_days: int
    created_at: datetime
    max_contacts: int | None
    first_contact_at: datetime | None
    last_contact_at: datetime | None
    last_check_in_at: datetime | None
    check_in_due_at: datetime | None
    contact_due_at: datetime | None

    @classmethod
    def of(cls, row: AnyRow) -> KnownPartner:
        return cls(**row._mapping)


def held_known(
    session: Session, partner: KnownPartner, *, read_before: bool = False
) -> KnownPartner | None:
    """`partner` as its row stands while this transaction holds it; None when the row is gone
    (forgotten since it was read). As `hold_times` does for an entity: on PostgreSQL the row is
    locked until the transaction ends (`FOR NO KEY UPDATE`, so a `/rapport forget` waits, and
    another contact logged for it meanwhile is committed first and its times read here). On
    SQLite one transaction writes at a time: a row this one read itself stands as read, and no
    statement is sent; one read before the transaction began (`read_before`: `LogContact`
    reading apart) is read again."""
    if not read_before and not is_postgres(session):
        return partner
    rows = plain_rows(
        session, _HOLD_KNOWN, {"workspace_id": partner.workspace_id, "id": partner.id}
    )
    return KnownPartner.of(rows[0]) if rows else None


def write_contact_times(
    session: Session, workspace_id: int, partner_id: int, times: dict[str, datetime | None]
) -> None:
    """Store a partner's contact times (`times`: every one of
    `storage.queries.health.contact_times.COLUMNS`, by name), in its workspace alone: one
    prebuilt UPDATE on the session's connection."""
    values = {f"new_{column}": value for column, value in times.items()}
    session.connection().execute(
        _WRITE_TIMES, {"in_workspace": workspace_id, "partner_id": partner_id, **values}
    )


_HOLD_KNOWN = (
    select(*CANDIDATE_COLUMNS)
    .where(Partner.workspace_id == bindparam("workspace_id"), Partner.id == bindparam("id"))
    .with_for_update(key_share=True)
)
_WRITE_TIMES = (
    update(Partner.__table__)  # type: ignore[arg-type]
    .where(
        # Not named as columns: UPDATE keeps those names for the values it sets.
        Partner.__table__.c.workspace_id == bindparam("in_workspace"),
        Partner.__table__.c.id == bindparam("partner_id"),
    )
    .values({column: bindparam(f"new_{column}") for column in TIME_COLUMNS})
)


def named_among(candidates: Candidates, name: str, organisation: str | None) -> list[AnyRow] | None:
    """`partners_named` answered from candidate rows already read; None when they may not hold
    it all: when no read held the name's key whole (`Candidates.holds`: out of every range
    read, or at or past where a read filled the limit, the ranges merged by `candidates_for`
    each counting), and when there are none (none were read for a quoted name, and an empty
    list proves nothing about a name that was not looked up)."""
    if not candidates:
        return None
    key, organisation_key = name_key(name), name_key(organisation)
    if not candidates.holds(key):
        return None
    return [
        p
        for p in candidates
        if p.name_key == key and (organisation is None or p.organisation_key == organisation_key)
    ]


def partners_named_from(
    session: Session,
    workspace_id: int,
    candidates: Candidates,
    name: str,
    organisation: str | None,
) -> Sequence[Partner | AnyRow]:
    """`partners_named`, answered from `candidates` when they hold it all (`named_among`: the
    rows as read), else by the query (entities)."""
    known = named_among(candidates, name, organisation)
    return known if known is not None else partners_named(session, workspace_id, name, organisation)


def similar_partners(
    session: Session, workspace_id: int, name: str, *, exclude_id: int | None = None, limit: int = 3
) -> list[Partner]:
    """Existing partners someone typing `name` may have meant, closest first, `limit` at most:
    a slip of one or two letters, a missing umlaut or its transliteration ("Müler", "Muller"
    for "Müller"), the first words of a longer name ("Müller" for "Müller AG", "Schmidt" for
    "Schmidt Logistik"), a shorter name this one extends ("Schmidt" for "Schmidt Logistik"), an
    organisation of that name, or a name or organisation that differs from it only by its legal
    form ("Nordwind" for "Jens Ohlsen (Nordwind GmbH)", `organisation_keys`), a person by the
    surname or after an honorific ("Ohlsen", "Herr Ohlsen" for "Jens Ohlsen"). Never a partner
    with exactly this name (that one is meant).

    Candidates come from the trigram side table (`partner_trigrams`), an indexed look-up that
    reads no other partner's name and does not need the first letter right; rapidfuzz ranks
    the few it returns.
    """
    key = name_key(name)
    if not key or not _comparable(key):
        return []
    ids = _sharing_trigrams(session, workspace_id, key)
    bare = without_honorifics(key)
    if bare != key:
        # "Herr Ohlsen": the name after the honorific is looked up as typed alone would be; a
        # second query, on this rare path only.
        ids += _sharing_trigrams(session, workspace_id, bare, whole=True)
    query = _partners(workspace_id).where(
        or_(
            Partner.id.in_(ids),
            Partner.name_key.in_(_word_prefixes(key)),
            # An organisation said without its legal form or with another ("Nordwind" for
            # "Nordwind GmbH"); a name so said shares most trigrams with the name meant.
            Partner.organisation_key.in_(organisation_keys(key)),
        )
    )
    if exclude_id is not None:
        query = query.where(Partner.id != exclude_id)
    found = {p.id: p for p in session.scalars(query.limit(2 * TRIGRAM_CANDIDATES))}
    keys = ((p.id, p.name_key, p.organisation_key) for p in found.values())
    return [found[partner_id] for partner_id in nearest(key, keys, limit)]


def _sharing_trigrams(
    session: Session, workspace_id: int, key: str, *, whole: bool = False
) -> list[int]:
    """Ids of the partners sharing most trigram weight with `key` (`name_trigrams`: a trigram of
    the first word of both names counts double), `TRIGRAM_CANDIDATES` at most, and at least a
    third of the typed trigrams shared; those with every typed trigram first, so that a name
    holding the typed one as a later word ("Jens Ohlsen" for "Ohlsen", `names_by_surname`) is
    not pushed out by the many sharing part of a first word. With `whole` (a name after an
    honorific: a person's name or surname, whole), only those, the fewest shared first: a name
    holding it as a later word ("Anna Müller" for "Herr Müller") before the many beginning with
    it ("Müller Bau GmbH"). One query on the covering index (workspace, trigram, partner,
    weight), on both backends."""
    typed = name_trigrams(key)
    trigrams = sorted(typed)
    first = [trigram for trigram, weight in typed.items() if weight == 2]
    # A trigram counts double where it is of the first word on both sides.
    both_first = case((PartnerTrigram.trigram.in_(first), PartnerTrigram.weight), else_=1)
    shared = func.sum(both_first).label("shared")
    # 0 for a partner with every typed trigram (one row per partner and trigram), else 1.
    missing = case((func.count() == len(trigrams), 0), else_=1)
    least = len(trigrams) if whole else max(1, len(trigrams) // 3)
    ranked = (shared,) if whole else (missing, shared.desc())
    query = (
        select(PartnerTrigram.partner_id, shared)
        .where(PartnerTrigram.workspace_id == workspace_id, PartnerTrigram.trigram.in_(trigrams))
        .group_by(PartnerTrigram.partner_id)
        .having(func.count() >= least)
        .order_by(*ranked, PartnerTrigram.partner_id)
        .limit(TRIGRAM_CANDIDATES)
    )
    return [row.partner_id for row in session.execute(query)]


def _word_prefixes(key: str) -> list[str]:
    """The keys a name extends: "schmidt logistik nord" → "schmidt", "schmidt logistik"."""
    words = key.split()
    return [" ".join(words[:count]) for count in range(1, len(words))]


def write_trigrams(session: Session, partner: Partner) -> None:
    """Make the partner's rows in `partner_trigrams` those of its name key: every path that
    creates a partner or changes its name calls this (removal cascades in the database)."""
    session.execute(delete(PartnerTrigram).where(PartnerTrigram.partner_id == partner.id))
    rows = [
        {
            "partner_id": partner.id,
            "workspace_id": partner.workspace_id,
            "trigram": trigram,
            "weight": weight,
        }
        for trigram, weight in sorted(name_trigrams(partner.name_key).items())
    ]
    if rows:
        session.execute(insert(PartnerTrigram), rows)


def rename_partner(session: Session, partner: Partner, name: str, organisation: str | None) -> bool:
    """Give a partner a new name (and organisation) with the keys and trigrams that go with it;
    False, and nothing changed, when another partner took those keys meanwhile.

    A caller checks the keys are free first (`partner_with_keys`), but a transaction running
    at the same time may take them between that check and this write: PostgreSQL then refuses
    the UPDATE with the unique constraint on the keys. The savepoint turns that into "taken"
    instead of failing the whole transaction.

    A partner flagged as sharing its name key with another (`Partner.key_collision`) has the
    partners under its old and new name looked at again (`settle_collisions`): one left alone
    under a key is no longer flagged. Both of a pair are flagged, so renaming either settles
    the pair; an unflagged partner is renamed without reading any other."""
    old_keys = plain_keys(partner) if partner.key_collision else None
    try:
        with session.begin_nested():
            partner.name, partner.name_key = name, name_key(name)
            partner.organisation, partner.organisation_key = organisation, name_key(organisation)
            session.flush()
            write_trigrams(session, partner)
    except IntegrityError:
        return False
    if old_keys is not None:
        settle_collisions(session, partner.workspace_id, [old_keys, plain_keys(partner)])
    return True


def plain_keys(partner: Partner) -> tuple[str, str]:
    """The keys of the partner's name and organisation as `name_key` folds them today, without
    the " #<id>" a collision's later partner carries in its stored key."""
    return name_key(partner.name), name_key(partner.organisation)


def flagged_partners(session: Session, workspace_id: int) -> list[Partner]:
    """The workspace's partners flagged as sharing their name key with another (a few at most:
    what a change of `name_key` left, migration 0007)."""
    return list(session.scalars(_partners(workspace_id).where(Partner.key_collision.is_(True))))


def settle_collisions(session: Session, workspace_id: int, keys: Iterable[tuple[str, str]]) -> None:
    """Bring the collision flags of the partners under each of `keys` (plain name and
    organisation keys) up to date after a name changed: several partners there are all flagged;
    one alone is not. When none of them holds the plain key (its holder was renamed or
    forgotten), the first gets it, so that the name finds one of them again.

    Flagged partners are the few a change of `name_key` left (migration 0007); they are read
    whole and compared in Python, since a suffixed key may be cut short."""
    wanted = set(keys)
    if not wanted:
        return
    session.flush()
    flagged = flagged_partners(session, workspace_id)
    for keys_now in wanted:
        key, organisation_key = keys_now
        holders = session.scalars(
            _partners(workspace_id).where(
                Partner.name_key == key, Partner.organisation_key == organisation_key
            )
        )
        sharing = {p.id: p for p in [*flagged, *holders] if plain_keys(p) == keys_now}
        for each in sharing.values():
            each.key_collision = len(sharing) > 1
        # The first of them (lowest id, as migration 0007 chose) holds the plain key, so that
        # the name finds one of them.
        first = sharing[min(sharing)] if sharing else None
        if first is not None and all(p.name_key != key for p in sharing.values()):
            _give_plain_key(session, first, key)


def _give_plain_key(session: Session, partner: Partner, key: str) -> None:
    """The plain name key for a partner no other one shares it with any more; kept suffixed
    when a transaction running meanwhile took the plain key (the unique constraint refuses)."""
    suffixed = partner.name_key
    try:
        with session.begin_nested():
            partner.name_key = key
            session.flush()
            write_trigrams(session, partner)
    except IntegrityError:
        partner.name_key = suffixed


def search_partners(
    session: Session, workspace_id: int, text: str, limit: int = 50
) -> list[Partner]:
    """Partners whose name or organisation contains `text`, names starting with it first."""
    key = name_key(text)
    if not _comparable(key):
        return []
    query = _partners(workspace_id)
    if key:
        query = query.where(
            or_(
                Partner.name_key.contains(key, autoescape=True),
                Partner.organisation_key.contains(key, autoescape=True),
            )
        )
    starts = Partner.name_key.startswith(key, autoescape=True)
    return list(session.scalars(query.order_by(starts.desc(), Partner.name_key).limit(limit)))


def add_partner(
    session: Session,
    workspace_id: int,
    *,
    name: str,
    organisation: str | None,
    owner_id: int | None,
    now: datetime,
    **details: Any,
) -> Partner | None:
    """Insert a partner, or nothing when one with the same name and organisation, or the same
    Slack user, exists: None then. Two requests creating the same partner at once get one row,
    and only the one whose insert went in is told it created it (PostgreSQL makes the second
    wait for the first to commit; SQLite writers take turns anyway).
    """
    values = {
        "workspace_id": workspace_id,
        "name": name,
        "name_key": name_key(name),
        "organisation": organisation,
        "organisation_key": name_key(organisation),
        "owner_id": owner_id,
        "created_at": now,
        **details,
    }
    # No conflict target: either unique constraint (name, Slack user) makes it do nothing.
    dialect = postgresql if is_postgres(session) else sqlite
    statement = dialect.insert(Partner).values(**values).on_conflict_do_nothing()
    partner = session.scalars(statement.returning(Partner)).first()
    if partner is not None:
        write_trigrams(session, partner)
    return partner


def partner_has_history(session: Session, workspace_id: int, partner_id: int) -> bool:
    """True when the partner has any contact or promise, so removing it would lose something.

    Asked before removing a partner, so the partner's row is locked first (on PostgreSQL): a
    contact being logged for it at this moment holds a share lock (`partner_held`) that this
    waits for, and then counts; one logged after waits for this transaction and finds the
    partner gone, instead of its contact being erased with the partner."""
    session.execute(
        select(Partner.id)
        .where(Partner.workspace_id == workspace_id, Partner.id == partner_id)
        .with_for_update()
    )
    for model in (Interaction, Promise):
        found = session.scalar(
            select(model.id)
            .where(model.workspace_id == workspace_id, model.partner_id == partner_id)
            .limit(1)
        )
        if found is not None:
            return True
    return False


def _unowned(workspace_id: int) -> Any:
    """Partners nobody active looks after: no owner, or an owner Slack says has left or who is
    now a workspace guest (guests see no partner data).

    The owner column is kept when its member leaves, so the list can say who looked after the
    partner, and a member who comes back finds their partners still theirs.
    """
    return (
        _partners(workspace_id)
        .outerjoin(Member, Member.id == Partner.owner_id)
        .where(or_(Partner.owner_id.is_(None), Member.active.is_(False), Member.is_guest.is_(True)))
    )


def unowned_partners(session: Session, workspace_id: int, limit: int) -> list[Any]:
    """The first `limit` unowned partners by name: id, name, organisation, the former owner's
    Slack id (None when there was none) and the instant of the last contact (None for none)."""
    last_contact = (
        select(Interaction.partner_id, func.max(Interaction.occurred_at).label("at"))
        .where(Interaction.workspace_id == workspace_id)
        .group_by(Interaction.partner_id)
        .subquery()
    )
    query = (
        _unowned(workspace_id)
        .outerjoin(last_contact, last_contact.c.partner_id == Partner.id)
        .with_only_columns(
            Partner.id,
            Partner.name,
            Partner.organisation,
            Member.slack_user_id.label("former_owner"),
            last_contact.c.at.label("last_contact"),
        )
        .order_by(Partner.name_key, Partner.organisation_key, Partner.id)
        .limit(limit)
    )
    return list(session.execute(query).all())


def count_unowned_partners(session: Session, workspace_id: int) -> int:
    counted = _unowned(workspace_id).with_only_columns(func.count(Partner.id))
    return session.scalar(counted) or 0


def partner_for_update(session: Session, workspace_id: int, partner_id: int) -> Partner | None:
    """The partner, locked until the transaction ends and read afresh: two people taking it over
    at once are served one after the other, and the second sees the first one's change."""
    query = (
        _partners(workspace_id)
        .where(Partner.id == partner_id)
        .with_for_update(of=Partner)
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one_or_none()


def hold_partner(session: Session, partner: Partner) -> Partner | None:
    """`partner` as its row stands while this transaction holds it; None when the row is gone.

    On PostgreSQL the row is locked until the transaction ends (`FOR NO KEY UPDATE`, as a
    contact logged for it takes it, `hold_times`) and read afresh: two answers giving the
    partner an organisation at once are served one after the other, and the second sees the
    first one's. On SQLite one transaction writes at a time (`BEGIN IMMEDIATE`) and it loaded
    the partner itself, so the object is current and there: no statement."""
    if not is_postgres(session):
        return partner
    query = (
        _partners(partner.workspace_id)
        .where(Partner.id == partner.id)
        .with_for_update(key_share=True, of=Partner)
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one_or_none()


def partner_held(session: Session, workspace_id: int, partner_id: int) -> bool:
    """Whether the partner is still there, and kept there until the transaction ends: a row
    that refers to it may be written. On PostgreSQL a row lock (`FOR NO KEY UPDATE`, what
    `key_share=True` asks for), which waits for a `/rapport forget` erasing it at this moment
    (and then finds it gone) and makes a later one wait for this transaction, whose rows it
    then erases too; SQLite writes one at a time."""
    query = (
        select(Partner.id)
        .where(Partner.workspace_id == workspace_id, Partner.id == partner_id)
        .with_for_update(key_share=True)
    )
    return session.scalar(query) is not None


def hand_over_orphaned_promises(
    session: Session, workspace_id: int, partner_id: int, member_id: int
) -> int:
    """Give the partner's open promises whose promiser has left (or is now a workspace guest) to
    `member_id`; how many.

    Nudges go to the promiser, so a promise of someone who left would otherwise be forgotten.
    """
    orphaned = session.scalars(
        select(Promise)
        .join(Member, Member.id == Promise.member_id)
        .where(
            Promise.workspace_id == workspace_id,
            Promise.partner_id == partner_id,
            Promise.status == "open",
            or_(Member.active.is_(False), Member.is_guest.is_(True)),
        )
    ).all()
    for promise in orphaned:
        promise.member_id = member_id
    return len(orphaned)


def key_collisions(session: Session) -> list[Any]:
    """Every partner flagged as sharing its name key with another (`Partner.key_collision`),
    in all workspaces, for an operator: workspace (Slack team id), partner id, name,
    organisation, the owner's Slack id and whether the owner was told, grouped by name."""
    told = Bundle.state == "sent"
    query = (
        select(
            Workspace.team_id,
            Partner.id,
            Partner.name,
            Partner.organisation,
            Member.slack_user_id.label("owner"),
            told.label("told"),
        )
        .join(Workspace, Workspace.id == Partner.workspace_id)
        .outerjoin(Member, Member.id == Partner.owner_id)
        .outerjoin(Bundle, Bundle.id == Partner.collision_told_in)
        .where(Partner.key_collision.is_(True))
        .order_by(Workspace.team_id, Partner.organisation_key, Partner.name_key, Partner.id)
    )
    return list(session.execute(query).all())


def collisions_to_tell(
    session: Session, workspace_id: int, member_id: int, bundle_id: str
) -> list[Partner]:
    """The member's flagged partners whose collision no sent nudge DM has told them of yet
    (those this DM, `bundle_id`, is about to tell included), by name."""
    values = {"ct_workspace": workspace_id, "ct_member": member_id, "ct_bundle": bundle_id}
    return list(session.scalars(_COLLISIONS_TO_TELL, values))


# Read for every nudge DM sent: built once (building it cost more than running it), with the
# DM's values bound when it runs. Entities: the partners found are marked as told.
_COLLISIONS_TO_TELL = (
    select(Partner)
    .where(Partner.workspace_id == bindparam("ct_workspace", type_=Integer))
    .outerjoin(Bundle, Bundle.id == Partner.collision_told_in)
    .where(
        Partner.owner_id == bindparam("ct_member", type_=Integer),
        Partner.key_collision.is_(True),
        or_(
            Bundle.id.is_(None),
            Bundle.id == bindparam("ct_bundle", type_=String),
            Bundle.state != "sent",
        ),
    )
    .order_by(Partner.name_key, Partner.organisation_key, Partner.id)
)


def mark_collisions_told(session: Session, partners: Iterable[Partner], bundle_id: str) -> None:
    """Record that the DM `bundle_id` tells of these partners' collisions: once it is sent,
    they are not told again (a DM dropped unsent leaves an id no sent DM has)."""
    for partner in partners:
        partner.collision_told_in = bundle_id


def collisions_told_in(session: Session, workspace_id: int, bundle_id: str) -> list[Partner]:
    """The partners whose collision the nudge DM `bundle_id` tells of, by name: an updated DM
    (an answer pressed) still says what it said."""
    query = _partners(workspace_id).where(
        Partner.collision_told_in == bundle_id, Partner.key_collision.is_(True)
    )
    return list(session.scalars(query.order_by(Partner.name_key, Partner.organisation_key)))


def partners_to_refresh(session: Session, before: datetime, limit: int) -> list[Any]:
    """Partners with a Slack account whose profile was last read before `before` (or never),
    longest ago first, `limit` at most: id, workspace and Slack user id. Every workspace's:
    housekeeping serves them all."""
    return list(
        session.execute(
            select(Partner.id, Partner.workspace_id, Partner.slack_user_id)
            .where(
                Partner.slack_user_id.is_not(None),
                or_(
                    Partner.profile_refreshed_at.is_(None),
                    Partner.profile_refreshed_at < before,
                ),
            )
            .order_by(Partner.profile_refreshed_at.is_not(None), Partner.profile_refreshed_at)
            .limit(limit)
        ).all()
    )


def partners_without_zone(session: Session, workspace_id: int, limit: int) -> list[Any]:
    """A workspace's partners with a Slack account whose zone is not known and whose profile
    Slack has not been asked about since (a typed zone was cleared and nothing was cached):
    id and Slack user id, oldest first, `limit` at most."""
    return list(
        session.execute(
            select(Partner.id, Partner.slack_user_id)
            .where(
                Partner.workspace_id == workspace_id,
                Partner.slack_user_id.is_not(None),
                Partner.tz.is_(None),
                Partner.profile_refreshed_at.is_(None),
            )
            .order_by(Partner.id)
            .limit(limit)
        ).all()
    )


def one_sided_state(session: Session, workspace_id: int, partner_ids: Iterable[int]) -> list[Any]:
    """The partners `partner_ids`, each with the
    state of the nudge DM that last told of a one-sided stretch (`told_state`, None when there
    is none or it was removed), by name."""
    ids = list(partner_ids)
    if not ids:
        return []
    query = (
        select(Partner, Bundle.state.label("told_state"))
        .outerjoin(Bundle, Bundle.id == Partner.one_sided_told_in)
        .where(Partner.workspace_id == workspace_id, Partner.id.in_(ids))
        .order_by(Partner.name_key, Partner.organisation_key, Partner.id)
    )
    return list(session.execute(query).all())


def one_sided_told_in(session: Session, workspace_id: int, bundle_id: str) -> list[Partner]:
    """The partners whose one-sided stretch the nudge DM `bundle_id` told of, by name: an
    updated DM (an answer pressed) still says what it said."""
    query = _partners(workspace_id).where(Partner.one_sided_told_in == bundle_id)
    return list(session.scalars(query.order_by(Partner.name_key, Partner.organisation_key)))
