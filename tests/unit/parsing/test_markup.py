"""Slack's markup read back into the text a person meant, and where the readers apply it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.parsing.contact_text import ParseProblem, check_command, first_word, parse_logcontact
from bot.parsing.markup import decode, mentioned_user, reach_of, unescape, unnamed_mentions
from bot.parsing.ownership_text import HandOver, name_and_organisation, ownership_request
from bot.parsing.settings_text import SettingsProblem, parse_settings, settings_text
from bot.texts.reader import escape

WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("sent", "meant"),
    [
        # people, channels, broadcasts, user groups, dates
        ("<@U1|anna>", "@anna"),
        ("<@U1>", "@U1"),
        ("<#C1|general>", "#general"),
        ("<#C1>", "#C1"),
        ("<!here>", "@here"),
        ("<!here|@here>", "@here"),
        ("<!channel>", "@channel"),
        ("<!everyone>", "@everyone"),
        ("<!subteam^S1|@team>", "@team"),
        ("<!subteam^S1>", "@S1"),
        (
            "<!date^1392734382^{date_short} at {time}|Feb 18, 2014 at 6:39 AM>",
            "Feb 18, 2014 at 6:39 AM",
        ),
        # links keep their address; a label that is the address is the address
        ("<https://x|label>", "label (https://x)"),
        ("<https://x>", "https://x"),
        ("<https://nordwind.example/deck|the deck>", "the deck (https://nordwind.example/deck)"),
        ("<http://nordwind.example|nordwind.example>", "nordwind.example"),
        ("<https://x.example/?a=1&amp;b=2|A &amp; B>", "A & B (https://x.example/?a=1&b=2)"),
        ("<tel:+4940123|+49 40 123>", "+49 40 123 (tel:+4940123)"),
        # e-mail addresses
        ("<mailto:a@b|a@b>", "a@b"),
        ("<mailto:jens@nordwind.example|jens@nordwind.example>", "jens@nordwind.example"),
        ("<mailto:a@b>", "a@b"),
        ("<mailto:a@b|Anna>", "Anna (a@b)"),
        # the three entities, and only those, once
        ("&amp; &lt; &gt;", "& < >"),
        ("&copy", "&copy"),
        ("&copy;", "&copy;"),
        ("&quot;hi&quot;", "&quot;hi&quot;"),
        ("&amp;lt;", "&lt;"),
        ("&amp;amp;", "&amp;"),
        ("R&amp;D", "R&D"),
        # not Slack's: left as it came
        ("a < b", "a < b"),
        ("<not markup>", "<not markup>"),
        ("<@U1|anna", "<@U1|anna"),
        ("", ""),
    ],
)
def test_each_of_slacks_forms_reads_as_meant(sent: str, meant: str) -> None:
    assert decode(sent) == meant


@pytest.mark.parametrize(
    ("sent", "meant"),
    [
        # a "|" inside a label belongs to the label; only the first one separates
        ("<https://x.example|a|b>", "a|b (https://x.example)"),
        ("<@U1|anna|b>", "@anna|b"),
        # unterminated or broken markup is left as it came
        ("<https://x.example|the deck", "<https://x.example|the deck"),
        ("the deck>", "the deck>"),
        ("<", "<"),
        ("<>", "<>"),
        ("<|>", "<|>"),
        ("<https://x.example|a\nb>", "<https://x.example|a\nb>"),
        # markup next to markup, and inside brackets a person typed (sent as entities)
        ("<@U1|a><@U2|b>", "@a@b"),
        ("&lt;<https://x.example|y>&gt;", "<y (https://x.example)>"),
        ("<<https://x.example|y>>", "<y (https://x.example)>"),
        # schemes are read whatever their case; an address that is its own label stays as typed
        ("<MAILTO:Jens@Nordwind.example|Jens@Nordwind.example>", "Jens@Nordwind.example"),
        ("<https://nordwind.example/deck|nordwind.example/deck>", "nordwind.example/deck"),
        ("<http://www.nordwind.example|www.nordwind.example>", "www.nordwind.example"),
        ("<slack://channel?id=C1|open it>", "open it (slack://channel?id=C1)"),
        ("<!date^1392734382^{date}^https://x.example|18. Feb.>", "18. Feb."),
        ("<!here|here>", "@here"),
        ("<!subteam^S1|>", "@S1"),
    ],
)
def test_odd_and_broken_markup(sent: str, meant: str) -> None:
    assert decode(sent) == meant


@pytest.mark.parametrize(
    ("sent", "meant"),
    [
        (
            "Rückruf wegen <https://nordwind.example/angebot|Angebot Q3> an "
            "<mailto:einkauf@müller.example|einkauf@müller.example>, Grüße an <@U1|jürgen> "
            "&amp; Team",
            "Rückruf wegen Angebot Q3 (https://nordwind.example/angebot) an "
            "einkauf@müller.example, Grüße an @jürgen & Team",
        ),
        (
            "Preis &lt;= 5 € pro Stück, siehe <#C1|einkauf> und <!channel>",
            "Preis <= 5 € pro Stück, siehe #einkauf und @channel",
        ),
        (
            "asked <!subteam^S1|@sales> about <https://nordwind.example/q?a=1&amp;b=2>",
            "asked @sales about https://nordwind.example/q?a=1&b=2",
        ),
    ],
)
def test_english_and_german_sentences(sent: str, meant: str) -> None:
    assert decode(sent) == meant


@pytest.mark.parametrize(
    ("hostile", "meant"),
    [
        ("<" * 200_000, "<" * 200_000),
        ("<a" * 100_000, "<a" * 100_000),
        ("<https://x|" + "a" * 200_000, "<https://x|" + "a" * 200_000),
        ("&amp;" * 100_000, "&" * 100_000),
        ("&" * 200_000, "&" * 200_000),
        ("<@U1|" * 50_000, "<@U1|" * 50_000),
        (
            ("<https://x.example|" + "|" * 50 + ">") * 5_000,
            ("|" * 50 + " (https://x.example)") * 5_000,
        ),
    ],
)
def test_very_long_and_broken_input_is_read_whole(hostile: str, meant: str) -> None:
    assert decode(hostile) == meant


@given(st.text(alphabet="<>|@#!^&;:/amplgt hU1x.", max_size=200))
def test_decoding_never_makes_a_text_longer(text: str) -> None:
    """What a command holds is counted decoded (`check_command`): decoding must never let a
    text grow past what was sent, whatever mix of markup characters it holds."""
    assert len(decode(text)) <= len(text)


def test_a_sentence_reads_as_typed() -> None:
    sent = (
        "sent <https://nordwind.example/deck|the deck> to "
        "<mailto:jens@nordwind.example|jens@nordwind.example>, cc <@U0BOB|bob> in <#C1|deals> "
        "&amp; told <!subteam^S1|@sales>: 3 &lt; 4 &gt; 2"
    )
    assert decode(sent) == (
        "sent the deck (https://nordwind.example/deck) to jens@nordwind.example, cc @bob in "
        "#deals & told @sales: 3 < 4 > 2"
    )


def test_a_mention_without_a_name_takes_the_name_known_for_it() -> None:
    names = {"U0BOB": "Bob Miller", "C1": "deals"}
    assert decode("ask <@U0BOB> and <@U0ANNA|anna> in <#C1>", names) == (
        "ask @Bob Miller and @anna in #deals"
    )
    assert decode("ask <@U0KENJI>", names) == "ask @U0KENJI"


def test_unnamed_mentions_are_those_a_caller_may_name() -> None:
    assert unnamed_mentions("<@U1> <@U2|bo> <@U1> <@U3> <#C1>") == ["U1", "U3"]
    assert mentioned_user("  <@U1|anna> call") == "U1"


def test_unescape_undoes_the_entities_once() -> None:
    assert unescape("&amp;lt; &lt;b&gt; &copy") == "&lt; <b> &copy"


@given(st.text())
def test_what_is_escaped_for_slack_decodes_to_itself(typed: str) -> None:
    """What a person typed reaches Rapport escaped by Slack, and comes back out unchanged."""
    assert decode(escape(typed)) == typed


# --- where the readers decode ---------------------------------------------------------------


def test_a_commands_note_and_promise_are_decoded() -> None:
    draft = parse_logcontact(
        "Acme call sent <https://nordwind.example/deck|the deck> to "
        "<mailto:jens@nordwind.example|jens@nordwind.example> promise: send "
        "<https://nordwind.example/q|the quote> &amp; terms by Friday",
        today=WEDNESDAY,
    )
    assert draft.note == ("sent the deck (https://nordwind.example/deck) to jens@nordwind.example")
    assert draft.promise is not None
    assert draft.promise.text == "send the quote (https://nordwind.example/q) & terms"
    assert draft.promise.due == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Acme call promise: send <https://x.example/files/2027-03-01/report|the report> by Friday",
         date(2026, 11, 27)),
        ("Acme call promise: send the figures <https://x.example/q/19.7> by Friday",
         date(2026, 11, 27)),
        ("Acme call promise: write to <mailto:kw12@x.example|kw12@x.example> by Friday",
         date(2026, 11, 27)),
        ("Acme Anruf Zusage: <https://x.example/angebot-19.7|Angebot> schicken bis Freitag",
         date(2026, 11, 27)),
        ("Acme Anruf Zusage: <https://x.example/angebot/morgen|Angebot> schicken", None),
        ("Acme call promise: send <https://x.example/files/2027-03-01/report|the report>", None),
    ],
)  # fmt: skip
def test_a_date_inside_an_address_is_never_a_due_date(text: str, due: date | None) -> None:
    """A link keeps its address in the text the date reader sees; what an address holds
    ("2027-03-01", "19.7", "morgen", "kw12") is part of the address, not a date."""
    if due is None:
        with pytest.raises(ParseProblem) as refused:
            parse_logcontact(text, today=WEDNESDAY)
        assert refused.value.code == "promise_without_due"
        return
    draft = parse_logcontact(text, today=WEDNESDAY)
    assert draft.promise is not None and draft.promise.due == due


def test_a_date_inside_an_address_is_never_the_contacts_date() -> None:
    draft = parse_logcontact("Acme call <https://x.example/2026-11-20|notes>", today=WEDNESDAY)
    assert (draft.when.on, draft.note) == (WEDNESDAY, "notes (https://x.example/2026-11-20)")


def test_a_partner_name_is_decoded_but_a_leading_mention_stays_the_partner() -> None:
    e_mail = "<mailto:jens@nordwind.example|jens@nordwind.example>"
    assert parse_logcontact(f"{e_mail} email hi", today=WEDNESDAY).partner.name == (
        "jens@nordwind.example"
    )
    assert first_word(f"{e_mail} email hi") == "jens@nordwind.example"
    assert parse_logcontact('"Smith &amp; Jones" call', today=WEDNESDAY).partner.name == (
        "Smith & Jones"
    )
    draft = parse_logcontact("<@U0KENJI|kenji> call with <@U0BOB|bob>", today=WEDNESDAY)
    assert (draft.partner.mention_user_id, draft.note) == ("U0KENJI", "with @bob")


def test_a_typed_entity_name_stays_as_typed() -> None:
    draft = parse_logcontact("Acme call &amp;copy and &amp;lt;3", today=WEDNESDAY)
    assert draft.note == "&copy and &lt;3"


def test_a_command_is_measured_as_decoded() -> None:
    check_command("Acme " + "&amp;" * 7990)  # 7,995 characters as typed: it fits


def test_ownership_names_are_decoded() -> None:
    assert name_and_organisation("Smith &amp; Jones (R&amp;D)") == ("Smith & Jones", "R&D")
    assert ownership_request("partner <http://acme.example|acme.example> owner <@U0BOB>") == (
        HandOver("acme.example", None, "U0BOB")
    )


def test_a_settings_word_is_quoted_back_as_typed() -> None:
    text = settings_text("settings hours R&amp;D")
    assert text == "hours R&D"
    assert parse_settings(text, today=WEDNESDAY) == SettingsProblem("bad_hours", {"value": "R&D"})


# --- whom a message calls on (after-hours hints) -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "user_ids", "called"),
    [
        ("<@U0KENJI> hi", {"U0KENJI"}, None),
        ("hi <@U0KENJI|kenji> and <@W0GRID>", {"U0KENJI", "W0GRID"}, None),
        ("<@U0KENJI> <@U0KENJI>", {"U0KENJI"}, None),
        ("<!here> Bitte schaut drauf", set(), "here"),
        ("<!channel|@channel>", set(), "channel"),
        ("Guten Abend <!everyone>", set(), "everyone"),
        # Both said: the wider call is the one that reached people.
        ("<!here> und <!channel>", set(), "channel"),
        ("<!here|@here> <@U0KENJI> <!everyone|@everyone>", {"U0KENJI"}, "everyone"),
        ("typed @here and @Kenji", set(), None),
        ("&lt;!here&gt; &lt;@U0KENJI&gt;", set(), None),
        ("<!subteam^S0SALES|@sales> <!date^1700000000^{date}|today>", set(), None),
        ("<#C0SHARED|shared> <mailto:a@b.example|a@b.example>", set(), None),
    ],
)
def test_reach_of_reads_mentions_and_channel_calls(
    text: str, user_ids: set[str], called: str | None
) -> None:
    reach = reach_of(text)
    assert reach.user_ids == frozenset(user_ids)
    assert reach.called == called
    assert reach.everyone is (called is not None)
