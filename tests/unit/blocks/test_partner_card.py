"""The partner card, its pages and its forms as Block Kit: valid for slack_sdk, within Slack's
limits whatever the history, counts exact, typed text escaped, in English and German."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.partner_card import (
    ACTION_PROMISES,
    ACTION_THEIR_PROMISE,
    CardContact,
    CardPromise,
    PartnerCard,
    contacts_page,
    partner_card,
    promises_page,
)
from bot.blocks.partner_profile_form import (
    CardContext,
    hand_over_modal,
    profile_modal,
    read_profile_form,
)
from bot.blocks.replies import Reply
from bot.parsing.profile_text import CLEAR, ProfileChange
from bot.rules.relationships.health import Health
from bot.texts.reader import Reader
from tests.support.blocks import texts

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
EN, DE = Reader("en-US", "Europe/Berlin"), Reader("de-DE", "Europe/Berlin")


def contacts(count: int, start: int = 0) -> tuple[CardContact, ...]:
    return tuple(
        CardContact(
            NOW - timedelta(days=n + 1),
            False,
            "call",
            "contact",
            f"<!channel> note {n} *bold* " + "x" * 3000,
            "U0ALICE",
        )
        for n in range(start, start + count)
    )


def promises(count: int) -> tuple[CardPromise, ...]:
    return tuple(
        CardPromise(f"send part {n} " + "y" * 500, date(2026, 11, 20) + timedelta(days=n), "U0BOB")
        for n in range(count)
    )


CARD = PartnerCard(
    id=7,
    name="Acme <script>",
    organisation="Acme & Co",
    owner="U0ALICE",
    slack_user_id=None,
    email="ana@acme.example",
    tz="Asia/Tokyo",
    tz_typed=True,
    business_start_minute=9 * 60,
    business_end_minute=18 * 60,
    business_days="12345",
    preferred_channel="email",
    language="de",
    cadence_days=60,
    status="active",
    paused_until=None,
    next_check_in=date(2027, 1, 19),
    contacts=contacts(10),
    contacts_total=2000,
    ours=promises(5),
    ours_total=40,
    theirs=promises(5),
    theirs_total=6,
)


def valid(reply: Reply) -> dict[str, Any]:
    body = reply.body()
    assert 0 < len(body["blocks"]) <= 50
    for block in body["blocks"]:
        Block.parse(block).validate_json()
    return body


def text_of(body: dict[str, Any]) -> str:
    return (texts(body) + "\n" + body["text"]).replace("\u202f", " ")


@pytest.mark.parametrize("reader", [EN, DE])
def test_a_card_with_two_thousand_contacts_and_many_promises_fits(reader: Reader) -> None:
    body = valid(partner_card(reader, CARD, NOW, lead="*done*"))
    shown = text_of(body)
    assert "Acme &lt;script&gt; (Acme &amp; Co)" in shown
    assert "&lt;!channel&gt; note 0" in shown and "<!channel>" not in shown
    assert ("(10 of 2,000)" if reader is EN else "(10 von 2.000)") in shown
    assert ("…and 35 more" if reader is EN else "…und 35 weitere") in shown
    assert ("…and 1 more" if reader is EN else "…und 1 weitere") in shown
    assert "x" * 250 not in shown  # notes are cut


def test_overdue_promises_are_marked_and_the_local_time_shown() -> None:
    shown = text_of(valid(partner_card(EN, CARD, NOW)))
    assert "overdue since Friday, November 20, 2026" in shown
    today = replace(CARD, ours=(CardPromise("call back", date(2026, 11, 25), "U0BOB"),))
    assert "call back, due Wednesday, November 25, 2026" in text_of(
        valid(partner_card(EN, today, NOW))
    )
    assert "Asia/Tokyo (set by hand), 6:00 PM there now (outside their business hours)" in shown


def test_the_local_time_names_its_day_when_it_is_another_day_there() -> None:
    late = datetime(2026, 11, 25, 17, 30, tzinfo=UTC)  # 18:30 in Berlin, 02:30 next day in Tokyo
    assert "Asia/Tokyo (set by hand), Thu 2:30 AM there now" in text_of(
        valid(partner_card(EN, CARD, late))
    )
    honolulu = replace(CARD, tz="Pacific/Honolulu")
    early = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # 10:00 in Berlin, 23:00 the day before
    assert "Pacific/Honolulu (von Hand gesetzt), dort jetzt Di. 23:00" in text_of(
        valid(partner_card(DE, honolulu, early))
    )


def test_pause_or_resume_and_older_contacts_only_when_there_are_more() -> None:
    def labels(card: PartnerCard) -> list[str]:
        body = valid(partner_card(EN, card, NOW))
        return [e["text"]["text"] for e in body["blocks"][-1]["elements"]]

    assert labels(CARD)[-3:] == ["Pause", "Older contacts", "All promises"]
    few = replace(
        CARD,
        contacts=contacts(3),
        contacts_total=3,
        status="paused",
        ours=promises(2),
        ours_total=2,
        theirs=promises(5),
        theirs_total=5,
    )
    assert labels(few)[-1] == "Resume"
    later = replace(few, status="active", paused_until=date(2026, 12, 1))
    assert labels(later)[-1] == "Resume"
    over = replace(few, status="active", paused_until=date(2026, 11, 25))
    assert labels(over)[-1] == "Pause"


@pytest.mark.parametrize(
    ("page", "shown", "buttons"),
    [
        (1, "11–20 of 2,000", ["Newer contacts", "Older contacts", "Back to the card"]),
        (199, "1,991–2,000 of 2,000", ["Newer contacts", "Back to the card"]),
    ],
)
def test_pages_of_contacts_count_exactly(page: int, shown: str, buttons: list[str]) -> None:
    body = valid(contacts_page(EN, CARD, list(contacts(10, page * 10)), page, NOW))
    assert shown in text_of(body)
    assert [e["text"]["text"] for e in body["blocks"][-1]["elements"]] == buttons


def test_a_card_that_shows_every_contact_counts_them_plainly() -> None:
    for reader, expected in ((EN, "*Last contacts* (3)"), (DE, "*Letzte Kontakte* (3)")):
        few = replace(CARD, contacts=contacts(3), contacts_total=3)
        shown = text_of(valid(partner_card(reader, few, NOW)))
        assert expected in shown and "3 of 3" not in shown and "3 von 3" not in shown


@pytest.mark.parametrize("reader", [EN, DE])
def test_more_promises_than_the_card_shows_lead_to_all_promises(reader: Reader) -> None:
    body = valid(partner_card(reader, CARD, NOW))
    shown = text_of(body)
    button = "All promises" if reader is EN else "Alle Zusagen"
    assert f"*{button}*" in shown  # the "…and N more" line names the button
    [all_promises] = [
        e for e in body["blocks"][-1]["elements"] if e["action_id"] == ACTION_PROMISES
    ]
    assert all_promises["text"]["text"] == button and all_promises["value"] == "7:0"
    fits = replace(CARD, ours=promises(5), ours_total=5, theirs=promises(2), theirs_total=2)
    assert ACTION_PROMISES not in str(valid(partner_card(reader, fits, NOW))["blocks"][-1])


def sided(ours: int, theirs: int) -> list[CardPromise]:
    return [
        CardPromise(f"our part {n}", date(2026, 12, 1), "U0BOB", 100 + n, "us") for n in range(ours)
    ] + [
        CardPromise(f"their part {n}", date(2026, 12, 1), "U0BOB", 200 + n, "partner")
        for n in range(theirs)
    ]


def test_a_page_of_all_promises_heads_each_side_and_offers_their_menu() -> None:
    card = replace(CARD, ours_total=14, theirs_total=6)  # 20 in all, two pages
    first = valid(promises_page(EN, card, sided(10, 0), 0, NOW))
    assert "*Open promises with Acme &lt;script&gt; (Acme &amp; Co)*: 1–10 of 20" in text_of(first)
    assert "*Our open promises to them* (14)" in text_of(first)
    assert [e["text"]["text"] for e in first["blocks"][-1]["elements"]] == [
        "More promises",
        "Back to the card",
    ]
    second = valid(promises_page(DE, card, sided(4, 6), 1, NOW))
    shown = text_of(second)
    assert "11–20 von 20" in shown
    assert "*Unsere offenen Zusagen an den Partner* (14)" in shown
    assert "*Offene Zusagen des Partners an uns* (6)" in shown
    menus = [b["accessory"] for b in second["blocks"] if b.get("accessory", {}).get("action_id")]
    assert len(menus) == 6 and all(m["action_id"] == ACTION_THEIR_PROMISE for m in menus)
    assert [e["text"]["text"] for e in second["blocks"][-1]["elements"]] == [
        "Vorherige Zusagen",
        "Zurück zur Karte",
    ]


def test_all_promises_on_one_page_are_counted_plainly() -> None:
    card = replace(CARD, ours_total=6, theirs_total=1)
    shown = text_of(valid(promises_page(EN, card, sided(6, 1), 0, NOW)))
    assert "*Open promises with Acme &lt;script&gt; (Acme &amp; Co)* (7), ours first" in shown
    past = text_of(valid(promises_page(DE, card, [], 9, NOW)))
    assert "es sind 7, so weit hinten keine" in past


@pytest.mark.parametrize(
    ("reader", "placeholder", "hint"),
    [
        (EN, "Mon–Fri (the default)", "None picked: Mon–Fri applies."),
        (DE, "Mo–Fr (Standard)", "Keine gewählt: es gilt Mo–Fr."),
    ],
)
def test_the_form_says_the_default_days_apply_when_none_are_typed(
    reader: Reader, placeholder: str, hint: str
) -> None:
    untyped = replace(CARD, business_days=None)
    view = profile_modal(reader, untyped, CardContext(7)).to_dict()
    [days] = [b for b in view["blocks"] if b["block_id"] == "days"]
    assert "initial_options" not in days["element"]  # saving unchanged keeps them untyped
    assert days["element"]["placeholder"]["text"] == placeholder
    assert days["hint"]["text"].startswith(hint)
    typed = profile_modal(reader, CARD, CardContext(7)).to_dict()
    [days] = [b for b in typed["blocks"] if b["block_id"] == "days"]
    assert [o["value"] for o in days["element"]["initial_options"]] == list("12345")


def test_a_first_page_with_every_contact_counts_them_plainly() -> None:
    few = replace(CARD, contacts=contacts(8), contacts_total=8)
    body = valid(contacts_page(DE, few, list(contacts(8)), 0, NOW))
    assert "*Kontakte mit Acme &lt;script&gt; (Acme &amp; Co)* (8), neueste zuerst" in text_of(body)


def test_a_page_past_the_end_says_how_many_there_are() -> None:
    body = valid(contacts_page(DE, CARD, [], 500, NOW))
    assert "es sind 2.000, so weit zurück keiner" in text_of(body)


@pytest.mark.parametrize("reader", [EN, DE])
def test_the_forms_validate_and_carry_the_partner(reader: Reader) -> None:
    context = CardContext(7, "https://hooks.slack.com/actions/T/1/x")
    for view in (profile_modal(reader, CARD, context), hand_over_modal(reader, CARD, context)):
        view.validate_json()
        assert len(view.blocks) <= 100
        assert CardContext.load(view.private_metadata) == context
    assert CardContext.load('{"p":"7; drop"}').partner_id is None
    assert CardContext.load("not json").partner_id is None


def _state(**typed: str) -> dict[str, Any]:
    fields = {
        "tz": "tz_input",
        "hours": "hours_input",
        "email": "email_input",
        "organisation": "organisation_input",
        "cadence": "cadence_input",
        "holidays": "public_holidays_input",
        "max_contacts": "max_contacts_input",
    }
    state: dict[str, Any] = {b: {a: {"value": typed.get(b)}} for b, a in fields.items()}
    state["days"] = {"days_select": {"selected_options": [{"value": "1"}, {"value": "5"}]}}
    state["channel"] = {"channel_select": {"selected_option": {"value": "slack"}}}
    state["language"] = {"language_select": {"selected_option": {"value": "unset"}}}
    return state


def test_a_submission_reads_back_into_a_change() -> None:
    change = read_profile_form(EN, _state(tz="asia/tokyo", hours="9-17", cadence="30"))
    assert isinstance(change, ProfileChange)
    assert change.values == {
        "tz": "Asia/Tokyo",
        "hours": (540, 1020),
        "days": "15",
        "channel": "slack",
        "language": CLEAR,
        "cadence": 30,
        "email": CLEAR,
        "organisation": CLEAR,
        "holidays": CLEAR,
        "max_contacts": CLEAR,
    }
    for typed, limit in (("5", 5), ("off", 0), ("Aus", 0)):
        change = read_profile_form(EN, _state(max_contacts=typed))
        assert isinstance(change, ProfileChange) and change.values["max_contacts"] == limit


@pytest.mark.parametrize("word", ["clear", "Clear", "löschen", "keine"])
def test_a_clear_word_in_a_form_field_clears_it_as_in_the_command(word: str) -> None:
    change = read_profile_form(
        DE, _state(max_contacts=word, tz=word, email=word, hours=word, cadence=word)
    )
    assert isinstance(change, ProfileChange)
    assert {change.values[field] for field in ("max_contacts", "tz", "email", "hours")} == {CLEAR}
    assert change.values["cadence"] == CLEAR  # the default cadence again


def test_a_forms_errors_are_plain_text_without_backticks() -> None:
    for reader in (EN, DE):
        errors = read_profile_form(reader, _state(max_contacts="1", holidays="XX", hours="x"))
        assert isinstance(errors, dict) and set(errors) == {"max_contacts", "holidays", "hours"}
        assert not any("`" in message for message in errors.values()), errors


def test_a_bad_submission_names_each_bad_field_in_the_readers_language() -> None:
    errors = read_profile_form(DE, _state(tz="MEZ", hours="18-9", email="x@", cadence="3"))
    assert isinstance(errors, dict)
    assert set(errors) == {"tz", "hours", "email", "cadence"}
    assert "„MEZ“ ist keine Zeitzone" in errors["tz"]
    assert "18:00–09:00" in errors["hours"]
    assert all(len(message) <= 2000 for message in errors.values())


# --- public holidays ------------------------------------------------------------------------------


def test_public_holidays_in_the_form_are_read_like_the_command() -> None:
    for typed, value in (("de by", "DE-BY"), ("keine", "none"), ("auto", CLEAR), ("", CLEAR)):
        change = read_profile_form(EN, _state(holidays=typed))
        assert isinstance(change, ProfileChange), typed
        assert change.values["holidays"] == value, typed


def test_a_bad_region_in_the_form_is_named_under_its_input() -> None:
    errors = read_profile_form(DE, _state(holidays="DE-Bavaria"))
    assert isinstance(errors, dict) and set(errors) == {"holidays"}
    assert "DE hat keine Region „Bavaria“" in errors["holidays"] and "BY" in errors["holidays"]
    english = read_profile_form(EN, _state(holidays="XX"))
    assert isinstance(english, dict)
    assert "I don't know public holidays for the country “XX”" in english["holidays"]


def test_the_form_shows_the_stored_choice_and_the_zones_country_when_none_is_typed() -> None:
    typed = profile_modal(EN, replace(CARD, public_holidays="JP"), CardContext(7)).to_dict()
    block = next(b for b in typed["blocks"] if b["block_id"] == "holidays")
    assert block["element"]["initial_value"] == "JP"
    automatic = profile_modal(DE, CARD, CardContext(7)).to_dict()
    block = next(b for b in automatic["blocks"] if b["block_id"] == "holidays")
    assert "initial_value" not in block["element"]
    assert block["hint"]["text"].endswith("Leer: die des Landes ihrer Zeitzone (JP).")


def _card_text(card: PartnerCard, reader: Reader, now: datetime) -> str:
    return text_of(valid(partner_card(reader, card, now)))


def test_the_card_shows_where_the_public_holidays_come_from() -> None:
    tokyo_noon = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    assert "JP (Japan), from their time zone" in _card_text(CARD, EN, tokyo_noon)
    bavaria = replace(CARD, public_holidays="DE-BY")
    assert "DE-BY (Deutschland, Bayern), von Hand gesetzt" in _card_text(bavaria, DE, tokyo_noon)
    off = replace(CARD, public_holidays="none")
    assert "none (set by hand)" in _card_text(off, EN, tokyo_noon)
    utc = replace(CARD, tz="UTC")
    assert "none: their time zone names no country" in _card_text(utc, EN, tokyo_noon)


@pytest.mark.parametrize(
    ("reader", "said", "wrong"),
    [
        (EN, "from their time zone, once it is known", "names no country"),
        (DE, "aus ihrer Zeitzone, sobald sie bekannt ist", "nennt kein Land"),
    ],
)
def test_a_zone_not_known_yet_is_no_country_without_holidays(
    reader: Reader, said: str, wrong: str
) -> None:
    tokyo_noon = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    unknown = replace(CARD, tz=None, tz_typed=False)
    shown = _card_text(unknown, reader, tokyo_noon)
    assert said in shown and wrong not in shown
    # Holidays set by hand, or turned off, do not wait for the zone.
    assert "JP (Japan), set by hand" in _card_text(
        replace(unknown, public_holidays="JP"), EN, tokyo_noon
    )
    assert "none (set by hand)" in _card_text(
        replace(unknown, public_holidays="none"), EN, tokyo_noon
    )


def test_the_local_time_says_when_today_is_a_public_holiday_there() -> None:
    new_year = datetime(2027, 1, 1, 2, 0, tzinfo=UTC)  # 11:00 in Tokyo
    assert "(a public holiday there today: New Year's Day)" in _card_text(CARD, EN, new_year)
    assert "dort heute Feiertag" in _card_text(CARD, DE, new_year)
    off = replace(CARD, public_holidays="none")
    assert "public holiday there today" not in _card_text(off, EN, new_year)
    working_day = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
    assert "public holiday there today" not in _card_text(CARD, EN, working_day)


@pytest.mark.parametrize(
    ("reader", "holidays", "limit", "shown_holidays", "shown_limit"),
    [
        (EN, "none", 0, "none", "off"),
        (DE, "none", 0, "keine", "aus"),
        (DE, "DE-BY", 5, "DE-BY", "5"),
        (EN, "JP", None, "JP", None),
    ],
)
def test_the_forms_value_words_are_the_readers_and_read_back_unchanged(
    reader: Reader, holidays: str, limit: int | None, shown_holidays: str, shown_limit: str | None
) -> None:
    card = replace(CARD, public_holidays=holidays, max_contacts=limit)
    view = profile_modal(reader, card, CardContext(7)).to_dict()
    shown = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert shown["holidays"] == shown_holidays and shown["max_contacts"] == shown_limit
    # Saving the form as shown keeps what was stored.
    change = read_profile_form(
        reader, _state(holidays=shown_holidays, max_contacts=shown_limit or "")
    )
    assert isinstance(change, ProfileChange)
    assert change.values["holidays"] == holidays
    assert change.values["max_contacts"] == (CLEAR if limit is None else limit)


@pytest.mark.parametrize(
    ("threshold", "en", "de"),
    [
        (
            3,
            "2 (from 3, Rapport notes that it is a lot when you log one)",
            "2 (ab 3 sagt Rapport beim Erfassen, dass es viele sind)",
        ),
        (
            7,
            "2 (from 7, Rapport notes that it is a lot when you log one)",
            "2 (ab 7 sagt Rapport beim Erfassen, dass es viele sind)",
        ),
        (
            None,
            "2 (Rapport never notes that it is a lot)",
            "2 (nie ein Hinweis, dass es viele sind)",
        ),
    ],
)
def test_the_contact_limit_line_says_what_the_number_means(
    threshold: int | None, en: str, de: str
) -> None:
    card = replace(CARD, started_recently=2, contact_threshold=threshold)
    assert en in text_of(valid(partner_card(EN, card, NOW)))
    assert de in text_of(valid(partner_card(DE, card, NOW)))


@pytest.mark.parametrize(
    ("reader", "line"),
    [
        (EN, "Health: :red_circle: unowned, neglected, and check-in overdue"),
        (DE, "Zustand: :red_circle: ohne Zuständigen, vernachlässigt und Check-in überfällig"),
    ],
)
def test_the_card_says_its_health_in_one_line_under_its_title(reader: Reader, line: str) -> None:
    states = (Health.UNOWNED, Health.NEGLECTED, Health.CHECK_IN_OVERDUE)
    body = valid(partner_card(reader, replace(CARD, health=states), NOW))
    title = body["blocks"][0]["text"]["text"]
    assert title.endswith(f"\n{line}") and title.count("\n") == 1
    assert line in body["text"]
    # Not read: no line at all, rather than a "fine" nobody decided.
    unread = valid(partner_card(reader, CARD, NOW))
    assert "\n" not in unread["blocks"][0]["text"]["text"]
    assert ("Health:" if reader is EN else "Zustand:") not in text_of(unread)
