"""A member's first weeks with Rapport, as a new user meets it, over signed HTTP to the running
app, on SQLite and PostgreSQL, in English and German: what each reply says about what happened
and what to do next, and that the same words are used on every surface.

Each test here stands for a fault found by walking such stories: a note quoted with the comma
that joined it to its promise, a German example that typed the English `set`, a merge refusal
that named the same owner twice, a merge question that spoke of "the other partner's history".
"""

from __future__ import annotations

from typing import Any

from storage.models import Interaction, Partner
from tests.scenarios.test_partner_merge import ask, logged
from tests.scenarios.test_partner_registry import (
    ALICE,
    BOB,
    JONAS,
    everything,
    partner_named,
    said,
    shown,
)
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons
from tests.support.rows import all_of


def notes(rapport: RunningRapport) -> list[str]:
    return sorted(contact.note or "" for contact in all_of(rapport.db, Interaction))


# --- a note and its promise ----------------------------------------------------------------------


def test_the_comma_before_a_promise_is_in_no_note_card_or_list(rapport: RunningRapport) -> None:
    logged(rapport, "Acme call kickoff with Jana, promise: send the revised quote by Friday")
    logged(rapport, "Acme email sent the deck; they promised: the signed NDA by Friday")
    reply = rapport.command(
        "Nordwind Anruf Kickoff, Zusage: Angebot schicken bis Freitag", user=JONAS
    ).reply()
    assert "Kickoff," not in shown(reply)

    assert notes(rapport) == ["Kickoff", "kickoff with Jana", "sent the deck"]
    card = said(rapport, "partner Acme")
    assert "kickoff with Jana\n" in card or card.endswith("kickoff with Jana")
    assert "kickoff with Jana," not in card and "sent the deck;" not in card
    assert "Kickoff," not in said(rapport, "partner Nordwind", user=JONAS)


# --- profile examples in German ------------------------------------------------------------------


def test_a_german_profile_problem_shows_the_german_command_word(rapport: RunningRapport) -> None:
    rapport.command("Acme Anruf Kickoff", user=JONAS).reply()
    known(rapport, ALICE)
    before = everything(rapport.db)

    bad_zone = said(rapport, "partner Acme setze zeitzone Mars/Olympus", user=JONAS)
    assert "`/rapport partner Acme setze zeitzone Europe/Berlin" in bad_zone
    empty = said(rapport, "partner Acme setze", user=JONAS)
    assert "Nenne nach `setze`" in empty
    for german in (bad_zone, empty):
        assert "`set`" not in german and " set " not in german
    # English keeps its own word.
    english = said(rapport, "partner Acme set tz Mars/Olympus")
    assert "`/rapport partner Acme set tz Asia/Tokyo" in english
    assert everything(rapport.db) == before


# --- who may merge -------------------------------------------------------------------------------


def test_a_merge_refused_names_one_owner_of_both_once_and_says_whom_to_ask(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, '"Acme GmbH" email sent the deck')
    known(rapport, BOB)
    known(rapport, JONAS)
    before = everything(rapport.db)

    english = said(rapport, 'merge Acme into "Acme GmbH"', user=BOB)
    assert "<@U0ALICE> looks after *Acme* and *Acme GmbH*, so ask them" in english
    assert "*Acme GmbH* by <@U0ALICE>" not in english
    german = said(rapport, 'zusammenführen Acme in "Acme GmbH"', user=JONAS)
    assert "<@U0ALICE> ist für *Acme* und *Acme GmbH* zuständig, bitte <@U0ALICE> darum" in german
    assert "Es wurde nichts geändert." in german
    assert everything(rapport.db) == before


def test_a_merge_of_two_partners_nobody_looks_after_says_how_to_take_them_over(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, '"Acme GmbH" email sent the deck')
    known(rapport, JONAS)
    with rapport.db.transaction() as session:
        for partner in session.query(Partner):
            partner.owner_id = None
    before = everything(rapport.db)

    english = said(rapport, 'merge Acme into "Acme GmbH"')
    assert "Nobody looks after *Acme* or *Acme GmbH*, so only a workspace admin" in english
    assert "`/rapport partners unowned`" in english and "nobody" not in english.split("Nobody")[1]
    german = said(rapport, 'zusammenführen Acme in "Acme GmbH"', user=JONAS)
    assert "Für *Acme* und *Acme GmbH* ist niemand zuständig" in german
    assert "`/rapport partner ohne zuständige`" in german
    assert everything(rapport.db) == before


def test_a_merge_refused_for_two_owners_still_names_each(rapport: RunningRapport) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Initech call kickoff", user=BOB)
    refused = said(rapport, "merge Acme into Initech", user=BOB)
    assert "*Acme* is looked after by <@U0ALICE>, *Initech* by <@U0BOB>" in refused


# --- the merge question --------------------------------------------------------------------------


def test_the_merge_question_says_on_whose_card_the_history_is_found(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, '"Acme GmbH" email sent the deck')

    question: dict[str, Any] = ask(rapport, 'merge Acme into "Acme GmbH"')
    text = shown(question)
    assert "its history is found on the card of Acme GmbH" in text
    assert "the other partner" not in text
    assert "Sprache" in said(rapport, "einstellungen sprache deutsch")
    german = shown(ask(rapport, 'zusammenführen Acme in "Acme GmbH"'))
    assert "seine Geschichte steht dann auf der Karte von Acme GmbH" in german
    assert "zum anderen Partner" not in german
    assert partner_named(rapport, "Acme").name == "Acme"  # asked twice, nothing merged yet


def test_an_arrow_merges_as_slack_sends_it_escaped(rapport: RunningRapport) -> None:
    """Slack sends command text escaped, so the `->` the README offers arrives as `-&gt;`."""
    logged(rapport, "Acme call kickoff")
    logged(rapport, '"Acme GmbH" email sent the deck')
    for typed in ('Acme -&gt; "Acme GmbH"', "Acme -&gt; Acme GmbH", "Acme → Acme GmbH"):
        question = shown(ask(rapport, f"merge {typed}"))
        assert "Merge Acme into Acme GmbH?" in question, typed
    german = shown(ask(rapport, "zusammenführen Acme -&gt; Acme GmbH", user=JONAS))
    assert "Nur wer für beide Partner zuständig ist" in german  # read, then refused: not hers


# --- a rename onto a duplicate's name ------------------------------------------------------------


def test_a_rename_onto_a_duplicates_name_points_to_merge_and_the_merge_it_names_works(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, '"Acme GmbH" (Acme Holding) email sent the deck')
    before = everything(rapport.db)

    refused = said(rapport, "partner Acme rename Acme GmbH (Acme Holding)")
    command = '/rapport merge Acme into "Acme GmbH" (Acme Holding)'
    assert f"If the two are one partner kept twice, `{command}` makes them one." in refused
    assert everything(rapport.db) == before
    # The command it names asks the merge question.
    assert "Merge Acme into Acme GmbH (Acme Holding)?" in shown(ask(rapport, command[9:]))

    rapport.command("Nordwind Anruf Kickoff", user=JONAS).reply()
    asked = rapport.command('"Nordwind AG" Anruf Kickoff', user=JONAS).reply()
    new = buttons(asked)["Neuer Partner Nordwind AG"]
    rapport.click(new["action_id"], new["value"], user=JONAS).later()
    german = said(rapport, 'partner Nordwind umbenennen "Nordwind AG"', user=JONAS)
    assert "Ich konnte *Nordwind* nicht umbenennen" in german, german
    assert '`/rapport zusammenführen Nordwind in "Nordwind AG"` einen daraus' in german


# --- the card's time zone ------------------------------------------------------------------------


def test_a_typed_zone_says_set_by_hand_beside_the_zone_in_english_and_german(
    rapport: RunningRapport,
) -> None:
    rapport.command("Acme Anruf Kickoff", user=JONAS).reply()
    card = said(rapport, "partner Acme setze zeitzone Europe/Vienna zeiten 9-10", user=JONAS)
    # The clock stands at Wednesday 10:00 in Berlin and Vienna: their hours have just ended.
    assert "Europe/Vienna (von Hand gesetzt), dort jetzt" in card
    assert ") (" not in card
    assert "Europe/Vienna (set by hand), " in said(rapport, "partner Acme")


# --- merging into a name not yet logged ----------------------------------------------------------


def test_merging_into_an_unknown_name_never_suggests_the_partner_that_goes(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Acme Holding call kickoff")
    before = everything(rapport.db)

    only = said(rapport, "merge Acme into Acme GmbH")
    assert "I don't know a partner called *Acme GmbH*." in only
    assert "Did you mean *Acme*" not in only
    assert "`/rapport partners search Acme GmbH`" in only
    # The name that goes is still suggested when it is the one mistyped.
    assert "Did you mean *Acme*" in said(rapport, "merge Acmee into Acme Holding")
    assert everything(rapport.db) == before


# --- a profile value of several words ------------------------------------------------------------


def test_a_channel_of_several_words_is_named_whole_in_english_and_german(
    rapport: RunningRapport,
) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, JONAS)
    before = everything(rapport.db)

    english = said(rapport, "partner Acme set cadence 2 weeks prefers carrier pigeon")
    assert "“carrier pigeon” is not a channel: use `email`, `phone`, `meeting` or `slack`." in (
        english
    )
    assert "“pigeon” is not part of a profile" not in english
    german = said(rapport, "partner Acme setze bevorzugt Brief per Post", user=JONAS)
    assert "„Brief per Post“ ist kein Kanal" in german
    stray = said(rapport, "partner Acme set prefers email pigeon")
    assert "“pigeon” is not part of a profile" in stray
    assert everything(rapport.db) == before
