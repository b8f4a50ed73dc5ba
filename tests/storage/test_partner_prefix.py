"""`partners_starting_with`, the first read of every `/logcontact`, takes the word typed
literally: what is left of `%`, `_` and `/` once the word is folded into a key (`name_key`)
matches itself and nothing else, and a partner of another workspace is never a candidate. It
returns exactly the partners whose key begins with the typed word's, by key then id, whatever
the names hold (prefixes of each other, accents, other scripts, the highest code points), and
finds them on the (workspace, name key) index instead of reading the workspace's partners. On
SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.migrate import upgrade
from storage.models import Partner
from storage.queries.members import workspace_for
from storage.queries.partners import (
    CANDIDATES_LIMIT,
    NO_CANDIDATES,
    add_partner,
    candidates_for,
    key_upper_bound,
    named_among,
    partners_starting_with,
)
from storage.vocabulary import name_key
from tests.support.plans import plan_of, statements_sent
from tests.support.postgres import PostgresServer
from tests.support.world import NOW

NAMES = ["50% Rabatt", "50x Rabatt", "A_B Logistik", "AxB Logistik", "K/S Bau", "KS Bau", "Kästner"]


@pytest.fixture
def workspaces(db: Database) -> tuple[int, int]:
    with db.transaction() as session:
        ours, theirs = (
            workspace_for(session, "T0OURS", NOW),
            workspace_for(session, "T0THEIRS", NOW),
        )
        for name in NAMES:
            add_partner(session, ours.id, name=name, organisation=None, owner_id=None, now=NOW)
        add_partner(
            session, theirs.id, name="50% Anders", organisation=None, owner_id=None, now=NOW
        )
        return ours.id, theirs.id


@pytest.mark.parametrize(
    ("word", "found"),
    [
        ("50%", ["50% Rabatt", "50x Rabatt"]),  # punctuation folds away at the end of a key
        ("50", ["50% Rabatt", "50x Rabatt"]),
        ("a_b", ["A_B Logistik"]),
        ("A", ["A_B Logistik", "AxB Logistik"]),
        ("k/s", ["K/S Bau"]),
        ("KÄST", ["Kästner"]),
        ("kaest", ["Kästner"]),  # as names are compared: umlauts folded
        ("%", []),  # alone it is kept in the key, and must not match every name
        ("_", []),
    ],
)
def test_a_word_finds_the_names_it_begins_and_no_others(
    db: Database, workspaces: tuple[int, int], word: str, found: list[str]
) -> None:
    ours, theirs = workspaces
    with db.transaction() as session:
        names = sorted(p.name for p in partners_starting_with(session, ours, word))
        assert names == sorted(found)
        assert [p.name for p in partners_starting_with(session, theirs, "50%")] == ["50% Anders"]


# Names whose keys begin one another, or with `%`, `_` and `/`, or are spelled in other scripts,
# or hold the code points next to the edges a range of keys is cut at: U+D7FF (the last before
# the surrogates), U+E000 (the first after them), U+FFFF and U+10FFFF (the last of all).
AWKWARD = [
    ("Acme", None),
    ("acme", "Nord GmbH"),
    ("Acme", "Süd AG"),
    ("Acme Nord", None),
    ("Acmé", "Paris"),
    ("Acmf", None),
    ("Ac", None),
    ("50% Rabatt", None),
    ("50%x", None),
    ("50x Rabatt", None),
    ("A_B Logistik", None),
    ("AxB Logistik", None),
    ("K/S Bau", None),
    ("K//S Bau", None),
    # A name of punctuation alone keeps it in its key.
    ("%", None),
    ("%%", None),
    ("%_", None),
    ("_", None),
    ("__", None),
    ("/", None),
    ("//", None),
    ("/%", None),
    ("KS Bau", None),
    ("Kästner", None),
    ("Kaestner", "Holz"),
    ("Café Zürich", None),
    ("Zoë", None),
    ("Ωμέγα", None),
    ("Москва Трейд", None),
    ("Москва", None),
    ("東京商事", None),
    ("東京", None),
    ("😀 Smile", None),
    ("\ud7ff", None),
    ("\ud7ff\ud7ff", None),
    ("\ue000", None),
    ("\uffff", None),
    ("x\U0010ffff", None),
    ("x\U0010ffffy", None),
    ("y", None),
    ("\U0010ffff", None),
    ("\U0010ffff\U0010ffff", None),
    ("\U0010fffe", None),
]
TYPED = ["", "%", "_", "/", "a%", "k/", "k//", "50%", "acmé", "ACME", "ÄCME", "zo", "москва", "東"]


@pytest.fixture
def awkward(db: Database) -> tuple[int, list[tuple[str, int]]]:
    """A workspace of `AWKWARD` partners, beside another holding them too: its id, and each
    partner's stored key and id, in key then id order."""
    with db.transaction() as session:
        ours, theirs = (
            workspace_for(session, "T0OURS", NOW),
            workspace_for(session, "T0THEIRS", NOW),
        )
        for workspace_id in (theirs.id, ours.id, theirs.id):
            for name, organisation in AWKWARD:
                add_partner(
                    session,
                    workspace_id,
                    name=name,
                    organisation=organisation,
                    owner_id=None,
                    now=NOW,
                )
        stored = session.execute(
            select(Partner.name_key, Partner.id).where(Partner.workspace_id == ours.id)
        )
        return ours.id, sorted((key, partner_id) for key, partner_id in stored)


def test_the_candidates_are_the_partners_whose_key_begins_with_the_words(
    db: Database, awkward: tuple[int, list[tuple[str, int]]]
) -> None:
    """Every key stored, and every beginning of one, typed as a word, finds what a plain
    Python filter of the workspace's keys finds, in the same order (key, then id: keys compare
    by code point on both backends, as the tests' PostgreSQL has the C collation)."""
    workspace_id, stored = awkward
    keys = {key for key, _ in stored}
    words = {key[:end] for key in keys for end in range(1, len(key) + 1)} | set(TYPED)
    with db.reading() as session:
        for word in sorted(words):
            key = name_key(word)
            expected = [partner_id for each, partner_id in stored if each.startswith(key)]
            found = [row.id for row in partners_starting_with(session, workspace_id, word)]
            assert found == expected[:CANDIDATES_LIMIT], repr(word)


def test_past_the_limit_the_first_names_in_key_order_are_the_candidates(db: Database) -> None:
    """Which candidates come back when more names begin with the word than are read does not
    depend on the plan: the first by key, partners of one name by id (as `partners_named`
    orders them, so that a question offers them in the same order either way)."""
    with db.transaction() as session:
        workspace_id = workspace_for(session, "T0OURS", NOW).id
        for number in reversed(range(CANDIDATES_LIMIT + 5)):
            name = f"Firma {number:03}"
            add_partner(session, workspace_id, name=name, organisation=None, owner_id=None, now=NOW)
        for organisation in ("Zeta", "Alpha", "Mitte"):
            add_partner(
                session,
                workspace_id,
                name="Firma",
                organisation=organisation,
                owner_id=None,
                now=NOW,
            )
    with db.reading() as session:
        rows = partners_starting_with(session, workspace_id, "firma")
    assert [row.organisation for row in rows[:3]] == ["Zeta", "Alpha", "Mitte"]
    assert [row.name for row in rows[3:]] == [
        f"Firma {number:03}" for number in range(CANDIDATES_LIMIT - 3)
    ]


@pytest.mark.postgres
def test_past_the_limit_the_candidates_do_not_depend_on_the_database_collation(
    postgres: PostgresServer,
) -> None:
    """A PostgreSQL database created with an ICU collation (as a production one may be; the
    tests' server is C) sorts "acme 한" before "acme 東", where code point order (C, SQLite)
    puts it after. Ordered by the database's collation, the limit kept the Hangul name and cut
    the last Han one. Keys are ordered by code point on every collation, and read on the
    (workspace, name key) index there too."""
    name = "candidates_icu"
    url = postgres.create_icu_database(name, "en-US")
    if url is None:
        pytest.skip("the test server has no ICU collations (PostgreSQL 15+ built with ICU)")
    db = Database(url)
    try:
        upgrade(db.engine)
        names = [f"Acme 東 {number:03}" for number in range(CANDIDATES_LIMIT)] + ["Acme 한"]
        with db.transaction() as session:
            workspace_id = workspace_for(session, "T0OURS", NOW).id
            for each in names:
                add_partner(
                    session, workspace_id, name=each, organisation=None, owner_id=None, now=NOW
                )
            # The database's own order differs, or this test would prove nothing.
            by_collation = select(Partner.name).order_by(Partner.name_key).limit(1)
            assert session.scalar(by_collation) == "Acme 한"
        with db.transaction() as session:
            read = lambda s: partners_starting_with(s, workspace_id, "acme")  # noqa: E731
            assert [row.name for row in read(session)] == names[:CANDIDATES_LIMIT]
            plan = _generic_plan(session, read)
        assert "Index Scan using ix_partners_workspace_name_key" in plan, plan
    finally:
        db.dispose()
        postgres.drop_database(name)


# The index gives the rows in the order asked for: only partners of one name are sorted (by id),
# and the read stops at the limit instead of sorting every name the word begins.
_SERVED_IN_KEY_ORDER = "Presorted Key: name_key"


def test_the_candidates_are_found_on_the_name_key_index(
    db: Database, awkward: tuple[int, list[tuple[str, int]]]
) -> None:
    """The typed word's key bounds a range of the (workspace, name key) index: neither backend
    reads the workspace's other partners to test their names. SQLite's LIKE folds ASCII case
    and could not use that index; PostgreSQL's drew no range from a pattern given as a
    parameter to the plan a prepared statement keeps (psycopg prepares a statement run often),
    and so the range is asked for with the key's bounds as parameters, in code point order. On
    PostgreSQL the rows come in the index's order, which is the one asked for."""
    workspace_id, _ = awkward
    with db.transaction() as session:
        read = lambda s: partners_starting_with(s, workspace_id, "Acme")  # noqa: E731
        if db.backend == "sqlite":
            plan = plan_of(session, read)
            assert "ix_partners_workspace_name_key" in plan, plan
            assert "(workspace_id=? AND name_key>? AND name_key<?)" in plan, plan
        else:
            # Planned for any word, the range must look cheaper than reading the workspace's
            # partners: a workspace of some size.
            fillers = [f"Filler {number:04}" for number in range(2000)]
            session.execute(
                insert(Partner),
                [
                    {
                        "workspace_id": workspace_id,
                        "name": name,
                        "name_key": name_key(name),
                        "created_at": NOW,
                    }
                    for name in fillers
                ],
            )
            plan = _generic_plan(session, read)
            seek = "Index Cond: ((workspace_id = $1) AND ((name_key)::text ~>=~ ($2)::text)"
            assert "ix_partners_workspace_name_key" in plan and seek in plan, plan
            assert _SERVED_IN_KEY_ORDER in plan, plan


def _generic_plan(session: Session, read: Callable[[Session], object]) -> str:
    """PostgreSQL's plan for the last statement `read` sends, as it plans a prepared statement
    for any parameters (what it runs once psycopg prepared it and the plan was cached), on
    statistics of the rows there are."""
    statement, parameters = statements_sent(session, read)[-1]
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", statement)))
    numbered = re.sub(r"%\((\w+)\)s", lambda m: f"${names.index(m[1]) + 1}", statement)
    connection = session.connection()
    connection.exec_driver_sql("ANALYZE partners")
    connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
    # As `explained`: a large table would discourage a sequential scan; the test's is small.
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    connection.exec_driver_sql(f"PREPARE candidates AS {numbered}")
    # EXECUTE in EXPLAIN takes no parameters of its own: the values go in as literals.
    arguments = ", ".join(_literal(parameters[name]) for name in names)
    rows = connection.exec_driver_sql(f"EXPLAIN EXECUTE candidates({arguments})")
    return "\n".join(str(row[0]) for row in rows)


def _literal(value: object) -> str:
    """A value as an SQL literal, its `%` doubled as the driver's placeholders want."""
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''").replace("%", "%%") + "'"


@pytest.mark.parametrize(
    ("key", "bound"),
    [
        ("acme", "acmf"),
        ("50%", "50&"),
        ("a_", "a`"),
        ("k/", "k0"),
        ("x\U0010ffff", "y"),
        ("x\U0010ffff\U0010ffff", "y"),
        ("\ud7ff", "\ue000"),
        ("a\ud7ff", "a\ue000"),
        ("\uffff", "\U00010000"),
        ("\U0010ffff", None),
        ("", None),
    ],
)
def test_the_bound_after_a_key_is_the_least_text_no_name_beginning_with_it_reaches(
    key: str, bound: str | None
) -> None:
    assert key_upper_bound(key) == bound


def _stadtwerke(db: Database) -> tuple[int, list[tuple[str, int]]]:
    """A workspace where more partners begin with "Stadtwerke", and with "Stadtwerke
    Zweibrücken", than a read takes, created in no order of their names, and a few past both
    limits: its id, and each partner's key and id, in key then id order."""
    names = [f"Stadtwerke {n:03}" for n in reversed(range(CANDIDATES_LIMIT + 10))]
    names += [f"Stadtwerke Zweibrücken {n:03}" for n in range(CANDIDATES_LIMIT + 10)]
    names += ["Stadtwerke Zweibrücken Süd", "Stadtwerke", "Stadtwerke Zwickau", "Stadtwerkerei"]
    with db.transaction() as session:
        workspace_id = workspace_for(session, "T0OURS", NOW).id
        session.execute(
            insert(Partner),
            [
                {
                    "workspace_id": workspace_id,
                    "name": n,
                    "name_key": name_key(n),
                    "created_at": NOW,
                }
                for n in names
            ],
        )
        stored = session.execute(
            select(Partner.name_key, Partner.id).where(Partner.workspace_id == workspace_id)
        )
        return workspace_id, sorted((key, partner_id) for key, partner_id in stored)


@pytest.mark.parametrize(
    ("readings", "reads"),
    [
        # The first word's read fills the limit; the next reading's does not.
        (["stadtwerke", "stadtwerke zwi", "stadtwerke zwi call"], 2),
        (["Stadtwerke", "Stadtwerke Zwickau"], 2),
        (["stadtwerke", "stadtwerke call"], 2),  # nothing there
        # The second fills it too ("stadtwerke zweibrücken …"); the third does not.
        (["stadtwerke", "stadtwerke zw", "stadtwerke zw call"], 3),
        (["stadtwerke", "stadtwerke zweibrücken", "stadtwerke zweibrücken s"], 3),
        (["stadtwerke", "stadtwerke zweibrücken", "stadtwerke zweibrücken 2", "x"], 3),
        # The readings run out, full or not.
        (["stadtwerke", "stadtwerke zweibrücken"], 2),
        (["stadtwerke"], 1),
        # A word that folds away narrows nothing and is not read again.
        (["stadtwerke", "stadtwerke -", "stadtwerke - zw"], 2),
    ],
)
def test_a_full_read_is_narrowed_by_the_next_reading_and_merged_in_key_order(
    db: Database, readings: list[str], reads: int
) -> None:
    """Past the limit, the partners each next reading begins are read too, one query each, until
    a read does not fill the limit; merged, they are what Python finds (each reading's first
    `CANDIDATES_LIMIT` by key then id, all of them by key then id), on both backends alike."""
    workspace_id, stored = _stadtwerke(db)
    expected: set[int] = set()
    keys: list[str] = []
    for key in (name_key(reading) for reading in readings):
        if len(keys) < reads and key not in keys:
            keys.append(key)
            begun = [partner_id for each, partner_id in stored if each.startswith(key)]
            expected |= set(begun[:CANDIDATES_LIMIT])
    with db.reading() as session:
        sent = statements_sent(session, lambda s: candidates_for(s, workspace_id, readings))
        candidates = candidates_for(session, workspace_id, readings)
    assert len(_selects(sent)) == reads, sent
    assert [row.id for row in candidates] == [i for _, i in stored if i in expected]


def _selects(sent: list[tuple[str, object]]) -> list[str]:
    """The statements sent but SQLite's BEGIN (PostgreSQL's is no statement)."""
    return [statement for statement, _ in sent if not statement.startswith("BEGIN")]


def test_the_merged_candidates_hold_a_name_only_where_a_read_held_it_whole(db: Database) -> None:
    """`named_among` answers from merged candidates for a name a read held every partner of:
    one before the last key of a full read, or in the range of one that was not full; never
    one at or past a full read's last key (more partners may share it) nor outside the ranges
    read."""
    workspace_id, _ = _stadtwerke(db)
    readings = ["stadtwerke", "stadtwerke zweibrücken", "stadtwerke zweibrücken s"]
    with db.reading() as session:
        candidates = candidates_for(session, workspace_id, readings)
    # "Stadtwerke" is the first row of the first read: its last is "Stadtwerke 198".
    held = ["Stadtwerke", "Stadtwerke 000", "Stadtwerke 197", "Stadtwerke Zweibrücken 000"]
    held += [
        "Stadtwerke Zweibrücken 198",
        "Stadtwerke Zweibrücken Süd",
        "Stadtwerke Zweibrücken Sx",
    ]
    # The last key of each full read, those past it, and those out of every range read.
    not_held = ["Stadtwerke 198", "Stadtwerke 200", "Stadtwerke Zweibrücken 199"]
    not_held += ["Stadtwerke Zweibrücken 205", "Stadtwerke Zwickau", "Stadtwerkerei", "Stadtwerk"]
    assert [name for name in held if not candidates.holds(name_key(name))] == []
    assert [name for name in not_held if candidates.holds(name_key(name))] == []
    found = named_among(candidates, "Stadtwerke Zweibrücken Süd", None)
    assert [row.name for row in found or ()] == ["Stadtwerke Zweibrücken Süd"]
    assert [row.name for row in named_among(candidates, "STADTWERKE", None) or ()] == ["Stadtwerke"]
    assert named_among(candidates, "Stadtwerke Zwickau", None) is None
    assert named_among(candidates, "Stadtwerke Zweibrücken Sx", None) == []


def test_fewer_than_the_limit_are_one_read_as_before(
    db: Database, awkward: tuple[int, list[tuple[str, int]]]
) -> None:
    """The common case: the first word's read does not fill the limit, and the readings after
    it are not read; the candidates are that read's rows, and hold the names it begins."""
    workspace_id, _ = awkward
    with db.reading() as session:
        sent = statements_sent(
            session, lambda s: candidates_for(s, workspace_id, ["acme", "acme nord", "acme x"])
        )
        candidates = candidates_for(session, workspace_id, ["acme", "acme nord", "acme x"])
        alone = partners_starting_with(session, workspace_id, "acme")
    assert len(_selects(sent)) == 1, sent
    assert list(candidates) == alone
    assert candidates.holds("acme nord") and not candidates.holds("acmf")
    assert candidates_for(session, workspace_id, []) == NO_CANDIDATES


def _next_word_begins(key: str, first: str, word: str) -> bool:
    """Whether the word of `key` after the one `first` ends in begins with `word`."""
    tail = key[len(first) :].split(" ", 1)
    return len(tail) == 2 and tail[1].startswith(word)


@pytest.mark.parametrize(
    ("readings", "next_word"),
    [
        (["stadtw", "stadtw zw", "stadtw zw call"], "zw"),
        (["stadtw", "stadtw zwi"], "zwi"),
        (["Stadtw", "Stadtw Zweibrücken Süd"], "zweibruecken sued"),
        (["stadtw", "stadtw x"], "x"),  # nothing there
        (["stadtw", "stadtw -", "stadtw - zw"], "zw"),  # "-" folds away
        (["stadtw", "stadtw 東"], "東"),
    ],
)
def test_a_full_read_of_a_cut_short_word_is_narrowed_by_the_next_word(
    db: Database, readings: list[str], next_word: str
) -> None:
    """ "stadtw" fills the limit with names it only begins ("Stadtwerke 000" …): the keys
    beginning "stadtw zw" hold none of those left out, so the first word's range is read
    again, filtered by the word typed after it at the start of the key's next word, one
    statement more and the last; merged, the candidates are what Python finds, on both
    backends alike (characters counted as Python counts them: "Stadtw東 …" is in the range)."""
    workspace_id, _ = _stadtwerke(db)
    with db.transaction() as session:
        for name in ["Stadtw東 東京", "Stadtwerke 東京 Süd"]:
            add_partner(session, workspace_id, name=name, organisation=None, owner_id=None, now=NOW)
    with db.reading() as session:
        stored = sorted(
            (key, partner_id)
            for key, partner_id in session.execute(
                select(Partner.name_key, Partner.id).where(Partner.workspace_id == workspace_id)
            )
        )
        sent = statements_sent(session, lambda s: candidates_for(s, workspace_id, readings))
        candidates = candidates_for(session, workspace_id, readings)
    first = name_key(readings[0])
    begun = [i for key, i in stored if key.startswith(first)][:CANDIDATES_LIMIT]
    narrowed = [
        i for key, i in stored if key.startswith(first) and _next_word_begins(key, first, next_word)
    ][:CANDIDATES_LIMIT]
    assert len(_selects(sent)) == 2, sent
    assert [row.id for row in candidates] == [i for _, i in stored if i in {*begun, *narrowed}]


def test_a_cut_short_read_holds_only_the_names_its_next_word_begins(db: Database) -> None:
    """`named_among` answers from the narrowed read for a name of the first word's range
    whose next word begins with the typed one, and for no other it did not read whole."""
    workspace_id, _ = _stadtwerke(db)
    with db.reading() as session:
        candidates = candidates_for(session, workspace_id, ["stadtw", "stadtw zwi", "x"])
    held = ["Stadtwerke Zwickau", "Stadtwerke 000", "Stadtwerke Zwickau Nord"]
    not_held = ["Stadtwerke 205", "Stadtwerkerei", "Stadtwerke Zweibrücken 000", "Stadtwx"]
    assert [name for name in held if not candidates.holds(name_key(name))] == []
    assert [name for name in not_held if candidates.holds(name_key(name))] == []
    found = named_among(candidates, "Stadtwerke Zwickau", None)
    assert [row.name for row in found or ()] == ["Stadtwerke Zwickau"]
    assert named_among(candidates, "Stadtwerkerei", None) is None


def test_a_full_read_of_a_whole_word_is_narrowed_as_before(db: Database) -> None:
    """ "stadtwerke" fills the limit with names whose first word it is whole: the next
    reading's range ("stadtwerke zw") is what the read left out, and no filtered read is sent."""
    workspace_id, _ = _stadtwerke(db)
    with db.reading() as session:
        sent = statements_sent(
            session, lambda s: candidates_for(s, workspace_id, ["stadtwerke", "stadtwerke zwi"])
        )
    assert len(_selects(sent)) == 2
    assert not [s for s in _selects(sent) if "substr" in s.lower()], sent
