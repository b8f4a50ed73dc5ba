"""Slack's markup in what people send, end to end: stored as the text they meant, shown back as
Slack shows it (escaped once), and a form's text taken as typed (never decoded a second time)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.rows import Interaction, Partner, Promise, all_of, count, only

DECK = "<https://nordwind.example/deck|the deck>"
JENS = "<mailto:jens@nordwind.example|jens@nordwind.example>"


def _form(rapport: RunningRapport) -> dict[str, dict]:
    view = rapport.slack.views()[-1]
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def test_a_command_with_a_link_and_an_e_mail_is_stored_readable_and_shown_once_escaped(
    rapport: RunningRapport,
) -> None:
    known(rapport)

    reply = rapport.command(
        f"Acme email sent {DECK} to {JENS} promise: send "
        "<https://nordwind.example/q?a=1&amp;b=2|the quote> &amp; terms by Friday"
    ).reply()

    assert only(rapport.db, Interaction).note == (
        "sent the deck (https://nordwind.example/deck) to jens@nordwind.example"
    )
    promise = only(rapport.db, Promise)
    assert promise.text == "send the quote (https://nordwind.example/q?a=1&b=2) & terms"
    assert promise.due_on == date(2026, 11, 27)
    shown = texts(reply)
    assert "sent the deck (https://nordwind.example/deck) to jens@nordwind.example" in shown
    assert "(https://nordwind.example/q?a=1&amp;b=2) &amp; terms" in shown
    assert "&amp;amp;" not in shown and "&lt;" not in shown and "mailto:" not in shown


def test_a_german_command_with_markup_reads_the_same(rapport: RunningRapport) -> None:
    known(rapport, "U0JONAS")

    reply = rapport.command(
        '"Müller &amp; Söhne" E-Mail <https://nordwind.example/deck|Präsentation> an '
        f"{JENS} geschickt, cc <@U0BOB|bob> in <#C0TEAM|partners-team> "
        "Zusage: Angebot &lt;Entwurf&gt; bis Freitag schicken",
        user="U0JONAS",
    ).reply()

    assert only(rapport.db, Partner).name == "Müller & Söhne"
    assert only(rapport.db, Interaction).note == (
        "Präsentation (https://nordwind.example/deck) an jens@nordwind.example geschickt, "
        "cc @bob in #partners-team"
    )
    assert only(rapport.db, Promise).text == "Angebot <Entwurf> schicken"
    shown = texts(reply)
    assert "Müller &amp; Söhne" in shown and "Angebot &lt;Entwurf&gt; schicken" in shown
    assert "&amp;amp;" not in shown and "&amp;lt;" not in shown


def test_a_partner_name_arriving_as_markup_is_the_name_typed(rapport: RunningRapport) -> None:
    known(rapport)

    first = rapport.command(f"{JENS} email asked for {DECK}").reply()
    again = rapport.command("jens@nordwind.example call followed up").reply()
    asked = rapport.command("<http://nordwind.example|nordwind.example> meeting intro").reply()
    # A name like a known one is asked about, shown as typed, and may still be a new partner.
    assert "*nordwind.example*" in texts(asked)
    button = buttons(asked)["New partner nordwind.example"]
    site = rapport.click(button["action_id"], button["value"]).later()

    names = sorted(p.name for p in all_of(rapport.db, Partner))
    assert names == ["jens@nordwind.example", "nordwind.example"]
    assert "*jens@nordwind.example*" in texts(first)
    assert "*jens@nordwind.example*" in texts(again)
    assert "*nordwind.example*" in texts(site)


def test_a_typed_entity_stays_as_typed_and_is_shown_as_typed(rapport: RunningRapport) -> None:
    known(rapport)

    # Slack escapes the "&" of a typed "&lt;3" and "&copy": they must not become "<3" and "©".
    reply = rapport.command("Acme call thanks &amp;lt;3 &amp;copy Nordwind").reply()

    assert only(rapport.db, Interaction).note == "thanks &lt;3 &copy Nordwind"
    assert "thanks &amp;lt;3 &amp;copy Nordwind" in texts(reply)


def test_log_as_contact_on_a_message_with_a_link_and_a_mention(rapport: RunningRapport) -> None:
    known(rapport)
    known(rapport, "U0BOB")
    message = {
        "type": "message",
        "user": "U0KENJI",
        "user_team": "T0PARTNER",
        "ts": "1795000000.000400",
        "text": f"Here is {DECK}; <@U0BOB> has the figures &amp; asks: 2 &lt; 3?",
    }

    rapport.shortcut(message)

    assert rapport.wait_until_idle()
    note = (
        "Here is the deck (https://nordwind.example/deck); @Bob Miller has the figures & asks: "
        "2 < 3?"
    )
    view = rapport.slack.views()[-1]
    assert _form(rapport)["note"]["initial_value"] == note
    answer = rapport.submit(view, state_from(view))
    assert answer.status == 200 and answer.body == ""
    assert only(rapport.db, Interaction).note == note


def test_a_forms_text_is_stored_as_typed_never_decoded(rapport: RunningRapport) -> None:
    """A plain-text input arrives as typed: "&amp;" and "<https://x|y>" there are what the
    person wrote, so decoding them again would change their words."""
    known(rapport)
    rapport.command("")
    view = rapport.slack.views()[-1]
    typed = "R&amp;D said <https://x.example|y> & 2 < 3"
    values = state_from(view, note=typed, new_partner="Smith &amp; Jones")

    answer = rapport.submit(view, values)

    assert answer.status == 200 and answer.body == ""
    assert only(rapport.db, Interaction).note == typed
    assert only(rapport.db, Partner).name == "Smith &amp; Jones"


@pytest.mark.parametrize(
    ("typed", "user", "refused", "address"),
    [
        ("<https://evil.example|Acme> call", "U0ALICE", "can't name a partner", "https://evil"),
        ("<https://evil.example> Anruf", "U0JONAS", "kann keinen Partner", "https://evil"),
        ("Jens (https://nordwind.example) call", "U0ALICE", "can't name a partner", "https://"),
        (
            '"Jens" (<https://evil.example|Nordwind>) Anruf',
            "U0JONAS",
            "keine Organisation",
            "https://evil",
        ),
        ("<mailto:jens@evil.example|Jens> call", "U0ALICE", "or an organisation", "jens@evil"),
    ],
)
def test_a_link_as_the_partner_or_organisation_is_refused_showing_where_it_leads(
    rapport: RunningRapport, typed: str, user: str, refused: str, address: str
) -> None:
    """Slack shows a link's label, which may name another site than it leads to: an address
    never becomes the organisation, and a bare link is no partner name."""
    known(rapport, user)

    reply = texts(rapport.command(typed, user=user).reply())

    assert refused in reply and f"`{address}" in reply, reply
    assert count(rapport.db, Partner) == 0 and count(rapport.db, Interaction) == 0


def test_a_link_typed_as_a_plain_domain_or_in_the_note_is_fine(rapport: RunningRapport) -> None:
    known(rapport, "U0ALICE")

    domain = texts(rapport.command("<http://acme.example|acme.example> call").reply())
    note = texts(rapport.command("Globex call see <https://x.example/deck|the deck>").reply())

    assert "Logged your contact with *acme.example*" in domain
    assert "Logged your contact with *Globex*" in note
    assert sorted(p.name for p in all_of(rapport.db, Partner)) == ["Globex", "acme.example"]
