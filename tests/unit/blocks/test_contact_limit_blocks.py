"""The over-contact line in a logged contact's summary and the one-sided line in a nudge DM, as
Block Kit Slack accepts, in English and German, with what people typed escaped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block

from bot.blocks.nudge_dm import OneSidedLine, PartnerContext, PromiseItem, nudge_dm
from bot.blocks.replies import load_line, logged_reply
from bot.texts.reader import Reader

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)  # a Wednesday
ENGLISH = Reader("en-US", "Europe/Berlin")
GERMAN = Reader("de-DE", "Europe/Berlin")


@dataclass(frozen=True)
class Other:
    medium: str | None
    by: str
    occurred_at: datetime


@dataclass(frozen=True)
class Load:
    count: int
    threshold: int
    others: tuple[Other, ...]


@dataclass(frozen=True)
class Contact:
    id: int = 7
    medium: str | None = "call"
    occurred_at: datetime = NOW
    has_time: bool = False
    kind: str = "contact"
    direction: str = "mutual"
    note: str = ""


@dataclass(frozen=True)
class Shown:
    id: int = 3
    name: str = "<Acme & Co>"
    organisation: str | None = None


@dataclass
class Logged:
    interaction: Contact = field(default_factory=Contact)
    partner: Shown = field(default_factory=Shown)
    promise: None = None
    created_partner: bool = False
    suggestions: list[Shown] = field(default_factory=list)
    edit_token: str | None = None


def days_ago(n: int) -> datetime:
    return NOW - timedelta(days=n)


def test_the_line_names_the_others_newest_first_and_counts_the_rest() -> None:
    others = tuple(Other("email", f"U0{i}", days_ago(i)) for i in range(1, 8))
    line = load_line(ENGLISH, Load(8, 3, others), "Acme", "U01", NOW)
    assert line.startswith(":seedling: That's 8 contacts we started with Acme in 14 days: ")
    assert "an e-mail by you yesterday, an e-mail by <@U02> on Monday" in line
    assert "an e-mail by <@U05> on Friday" in line
    assert "<@U06>" not in line and ", and 2 more." in line
    older = load_line(ENGLISH, Load(2, 2, (Other("call", "U0B", days_ago(9)),)), "Acme", None, NOW)
    assert "a call by <@U0B> on November 16." in older


def test_the_rest_are_counted_from_the_count_when_only_the_newest_others_are_given() -> None:
    # The use case reads only the newest few of a busy window: the count says how many more.
    newest = tuple(Other("email", f"U0{i}", days_ago(i)) for i in range(1, 6))
    line = load_line(ENGLISH, Load(40, 3, newest), "Acme", None, NOW)
    assert line.startswith(":seedling: That's 40 contacts we started with Acme in 14 days: ")
    assert "<@U05>" in line and ", and 34 more." in line
    german = load_line(GERMAN, Load(7, 3, newest), "Acme", None, NOW)
    assert "Das sind 7 Kontakte mit Acme" in german and "1 weiterer" in german


def test_a_contact_over_a_week_ago_is_dated_and_one_without_medium_is_a_contact() -> None:
    line = load_line(GERMAN, Load(2, 2, (Other(None, "U0B", days_ago(10)),)), "Acme", None, NOW)
    assert "ein Kontakt von <@U0B> am 15. November. Qualität" in line
    assert "Das sind 2 Kontakte mit Acme" in line


def test_the_summary_with_the_line_is_valid_and_escapes_the_partner() -> None:
    load = Load(3, 3, (Other("call", "U0ALICE", days_ago(1)), Other("video", "U0B", days_ago(2))))
    for reader in (ENGLISH, GERMAN):
        reply = logged_reply(reader, Logged(), NOW, load=load, asker="U0ALICE")
        for block in reply.blocks:
            Block.parse(block.to_dict()).validate_json()
        assert "&lt;Acme &amp; Co&gt;" in reply.text
        assert "<Acme" not in reply.text
    assert ":seedling:" not in logged_reply(ENGLISH, Logged(), NOW).text


def test_the_dm_says_one_line_per_one_sided_partner() -> None:
    partner = PartnerContext(1, "Globex", None)
    promise = PromiseItem(5, "send the deck", date(2026, 11, 25), partner)
    lines = [OneSidedLine("<Acme>", "gave", 6), OneSidedLine("Initech", "received", 5)]
    dm = nudge_dm(GERMAN, "b", [], [promise], NOW, one_sided=lines)
    for block in dm.reply.blocks:
        Block.parse(block.to_dict()).validate_json()
    assert (
        "&lt;Acme&gt;: Wir haben in den letzten 180 Tagen 6-mal in Folge gegeben" in dm.reply.text
    )
    assert "Initech: Wir haben in den letzten 180 Tagen 5-mal in Folge bekommen" in dm.reply.text
    assert "Wir haben" not in nudge_dm(GERMAN, "b", [], [promise], NOW).reply.text


def test_in_german_the_one_sided_line_writes_the_count_and_the_question_as_german_does() -> None:
    # With digits German writes "6-mal" (not "6 Mal"); and "um etwas bitten" keeps its
    # object together, so the question is not misread as "um ... zu" (in order to).
    partner = PartnerContext(1, "Globex", None)
    promise = PromiseItem(5, "send the deck", date(2026, 11, 25), partner)
    lines = [OneSidedLine("Acme", "gave", 6), OneSidedLine("Initech", "received", 5)]
    text = nudge_dm(GERMAN, "b", [], [promise], NOW, one_sided=lines).reply.text
    assert (
        "Acme: Wir haben in den letzten 180 Tagen 6-mal in Folge gegeben und nichts bekommen. "
        "Zeit, im Gegenzug um etwas zu bitten?"
    ) in text
    assert (
        "Initech: Wir haben in den letzten 180 Tagen 5-mal in Folge bekommen und nichts "
        "zurückgegeben. Fragen, was sie brauchen?"
    ) in text
    assert " Mal " not in text


def test_in_german_the_rest_agrees_with_its_count() -> None:
    # "und 1 weitere" is wrong German: one more contact is "1 weiterer" (der Kontakt).
    for rest, said in ((1, "und 1 weiterer."), (2, "und 2 weitere.")):
        others = tuple(Other("call", f"U0{i}", days_ago(i)) for i in range(1, 6 + rest))
        line = load_line(GERMAN, Load(6 + rest, 3, others), "Acme", None, NOW)
        assert said in line, line
    english = tuple(Other("call", f"U0{i}", days_ago(i)) for i in range(1, 7))
    assert ", and 1 more." in load_line(ENGLISH, Load(7, 3, english), "Acme", None, NOW)
