"""What a new user's first tries read, end to end over signed HTTP on SQLite and PostgreSQL, in
English (Alice) and German (Jonas). Today is Wednesday 25 November 2026, 10:00 in Berlin.

- the hints setting answers to `hint` / `hinweis` / `after-hours`, and its problems quote what
  was typed, as every other setting's do;
- a contact limit out of range says which way, and the example after a bad profile value is
  that setting alone;
- Edit profile shows a partner without public holidays in the reader's word;
- a contact later today is "later than now", not a future day;
- the help names away, public holidays and after-hours hints apart.
"""

from __future__ import annotations

from typing import Any

from bot.rules.clock import ManualClock
from tests.support.app import RunningRapport, known
from tests.support.blocks import buttons, state_from, texts
from tests.support.nudges import at_berlin, log
from tests.support.rows import Interaction, Partner, all_of, count

ALICE, JONAS = "U0ALICE", "U0JONAS"
RAPPORT = "/rapport"


def said(message: dict[str, Any]) -> str:
    return texts(message) + "\n" + message.get("text", "")


def rapport_says(rapport: RunningRapport, words: str, user: str = ALICE) -> str:
    known(rapport, user)
    return said(rapport.command(words, user=user, command=RAPPORT).reply())


def test_the_hints_setting_by_its_other_names_and_its_problems_quoted(rapport) -> None:
    off = rapport_says(rapport, "settings hint off")
    assert "After-hours hints in shared channels: off everywhere." in off
    on = rapport_says(rapport, "einstellungen hinweis an", user=JONAS)
    assert "Geschäftszeiten-Hinweise in geteilten Channels: an." in on
    again = rapport_says(rapport, "settings after-hours on")
    assert "After-hours hints in shared channels: on." in again

    assert "After “hints”, write `on` or `off`." in rapport_says(rapport, "settings hints")
    assert "“maybe” is neither `on` nor `off`." in rapport_says(rapport, "settings hints maybe")
    german = rapport_says(rapport, "einstellungen hinweise vielleicht", user=JONAS)
    assert "„vielleicht“ ist weder `an` noch `aus`." in german
    unknown = rapport_says(rapport, "einstellungen tipps aus", user=JONAS)
    assert "`abwesend`, `feiertage` oder `hinweise`." in unknown


def test_a_contact_limit_out_of_range_and_the_example_of_that_setting(rapport) -> None:
    log(rapport, "Acme call kickoff")
    small = rapport_says(rapport, "partner Acme setze kontaktgrenze 1", user=JONAS)
    assert "1 ist zu klein für eine Kontaktgrenze: 2 bis 50" in small
    assert "Beispiel: `/rapport partner Acme setze kontaktgrenze 5`" in small
    assert "zeitzone" not in small
    large = rapport_says(rapport, "partner Acme set max-contacts 51")
    assert "51 is too large for a contact limit: 2 to 50" in large
    assert "Example: `/rapport partner Acme set max-contacts 5`" in large
    region = rapport_says(rapport, "partner Acme set public-holidays XX")
    assert "Example: `/rapport partner Acme set public-holidays JP`" in region
    assert "cadence" not in region
    [acme] = [p for p in all_of(rapport.db, Partner) if p.name == "Acme"]
    assert (acme.max_contacts, acme.public_holidays) == (None, None)


def test_edit_profile_shows_no_public_holidays_in_the_readers_word(rapport) -> None:
    log(rapport, "Acme call kickoff")
    rapport_says(rapport, "partner Acme setze feiertage keine", user=JONAS)
    for user, word, button_label in (
        (JONAS, "keine", "Profil bearbeiten"),
        (ALICE, "none", "Edit profile"),
    ):
        message = rapport.command("partner Acme", user=user, command=RAPPORT).reply()
        button = buttons(message)[button_label]
        rapport.click(button["action_id"], button.get("value"), user=user)
        view = rapport.slack.views()[-1]
        [block] = [b for b in view["blocks"] if b["block_id"] == "holidays"]
        assert block["element"]["initial_value"] == word
        # Saved as shown, it stays none.
        assert rapport.submit(view, state_from(view), user=user).status == 200
        assert rapport.wait_until_idle()
        [acme] = [p for p in all_of(rapport.db, Partner) if p.name == "Acme"]
        assert acme.public_holidays == "none"


def test_a_contact_later_today_is_later_than_now(rapport, clock: ManualClock) -> None:
    known(rapport, ALICE)
    known(rapport, JONAS)
    clock.set(at_berlin(2026, 12, 5, 10, 30))
    english = said(rapport.command("Acme email today 22:00 sent drawings").reply())
    assert "That contact would be today at 10:00\u202fPM, which is later than now." in english
    assert "in the future" not in english.split("Log contacts")[0]
    german = said(rapport.command("Acme Anruf 10:31 Preise", user=JONAS).reply())
    assert "Dieser Kontakt läge heute um 10:31, also später als jetzt." in german
    tomorrow = said(rapport.command("Acme call tomorrow 9:00").reply())
    assert "which is in the future" in tomorrow
    assert count(rapport.db, Interaction) == 0

    earlier = rapport.command("Acme email today 10:00 sent drawings").reply()
    assert "Logged" in earlier["text"]


def test_the_help_names_away_public_holidays_and_hints_apart(rapport) -> None:
    english = rapport_says(rapport, "help")
    assert "when you are away (`away until 4 Jan`), your public holidays" in english
    assert "after-hours hints (`hints off`)" in english
    german = said(rapport.command("hilfe", user=JONAS).reply())
    assert "deine Feiertage (`feiertage DE-BY`) und Geschäftszeiten-Hinweise" in german
