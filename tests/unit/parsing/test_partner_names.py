"""Reading the partner's name in `/logcontact`, in English and German: a known name whatever its
spelling, the longer names a new bare word may be, and the name a question's answer chose."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.parsing.contact_text import (
    CHOICES_MAX_CHARS,
    SEVERAL_PARTNERS_MAX,
    Choices,
    NearPartner,
    ParseProblem,
    PartnerChoice,
    ShorterName,
    known_partner_question,
    new_partner_question,
    parse_logcontact,
    partner_choice,
    several_partners_question,
    shorter_partners,
)
from bot.texts.reader import Reader

TODAY = date(2027, 1, 6)  # a Wednesday


def read(text: str, known: tuple[str, ...] = (), answers: dict[str, str] | None = None):
    return parse_logcontact(text, today=TODAY, partner_names=known, answers=answers)


@pytest.mark.parametrize(
    ("text", "known", "name", "note"),
    [
        ("Mu\u0308ller AG call prices", ("Müller AG",), "Müller AG", "prices"),
        ("MUELLER AG Telefonat Preise", ("Müller AG",), "Müller AG", "Preise"),
        ("müller-ag: Telefonat", ("Müller AG",), "Müller AG", ""),
        ("Straße\u200b Bau call", ("STRASSE BAU",), "STRASSE BAU", ""),
        ("İzmir call", ("Izmir",), "Izmir", ""),
    ],
)
def test_a_known_name_is_found_in_any_spelling(
    text: str, known: tuple[str, ...], name: str, note: str
) -> None:
    draft = read(text, known)
    assert draft.partner.name == name and draft.note == note
    assert draft.partner.longer == ()


@pytest.mark.parametrize(
    ("text", "longer"),
    [
        ("Schmidt Logistik Telefonat gestern", ("Schmidt Logistik",)),
        # German nouns are capitalised too: each reading is offered, the longest first
        (
            "Schmidt Logistik GmbH Angebot besprochen",
            ("Schmidt Logistik GmbH Angebot", "Schmidt Logistik GmbH", "Schmidt Logistik"),
        ),
        (
            "Schmidt Logistik GmbH: Angebot besprochen",
            ("Schmidt Logistik GmbH", "Schmidt Logistik"),
        ),
        ("Acme Robotics call yesterday", ("Acme Robotics",)),
        ("Acme gmbh call", ("Acme gmbh",)),
        ("Nordwind Shipping Ltd. meeting", ("Nordwind Shipping Ltd.", "Nordwind Shipping")),
    ],
)
def test_a_new_bare_name_followed_by_name_like_words_has_longer_readings(
    text: str, longer: tuple[str, ...]
) -> None:
    draft = read(text)
    assert draft.partner.name == text.split()[0]
    assert draft.partner.longer == longer


@pytest.mark.parametrize(
    "text",
    [
        "Globex talked about the rollout",  # the next word is not capitalised
        "Schmidt: Logistik besprochen",  # a colon ends the name
        "Schmidt Telefonat gestern",  # a keyword follows
        "Schmidt gestern Angebot",  # a date follows
        "Acme Yesterday call",  # a date, capitalised
        "Acme Call about Pricing",  # a keyword, capitalised
        "Acme promise: Send prices by Friday",
        "Schmidt (Logistik) Telefonat",  # an organisation follows
        "Schmidt\nLogistik Telefonat",  # the next line
        '"Schmidt" Logistik Telefonat',  # quoted: the name is what was quoted
    ],
)
def test_no_longer_reading_where_the_name_clearly_ends(text: str) -> None:
    assert read(text).partner.longer == ()


@pytest.mark.parametrize(
    ("text", "known", "longer"),
    [
        ("Schmidt Logistik Telefonat gestern", ("Schmidt",), ("Schmidt Logistik",)),
        ("schmidt Logistik call", ("Schmidt",), ("schmidt Logistik",)),
        ("Acme Robotics call yesterday", ("acme",), ("Acme Robotics",)),
        ("Müller Bau GmbH Anruf", ("Mueller",), ("Müller Bau GmbH", "Müller Bau")),
        ("Acme Corp Robotics call", ("Acme Corp",), ("Acme Corp Robotics",)),
    ],
)
def test_a_known_name_followed_by_name_like_words_has_longer_readings(
    text: str, known: tuple[str, ...], longer: tuple[str, ...]
) -> None:
    """The known partner is read, and the longer new names are kept for the question: the
    words after it are not silently taken as the note."""
    draft = read(text, known)
    assert draft.partner.name in known and draft.partner.longer == longer


@pytest.mark.parametrize(
    ("text", "known"),
    [
        ("Schmidt Telefonat gestern Angebot besprochen", ("Schmidt",)),
        ("Schmidt gestern Angebot", ("Schmidt",)),
        ("Schmidt: Logistik besprochen", ("Schmidt",)),
        ("Schmidt Logistik Telefonat", ("Schmidt", "Schmidt Logistik")),
        ("Acme call about Robotics", ("Acme",)),
        ("Acme talked about Robotics", ("Acme",)),
    ],
)
def test_a_known_name_where_it_clearly_ends_has_no_longer_reading(
    text: str, known: tuple[str, ...]
) -> None:
    assert read(text, known).partner.longer == ()


def test_a_known_name_with_longer_readings_asks_known_or_new() -> None:
    draft = read("Schmidt Logistik GmbH Telefonat gestern", ("Schmidt",))

    question = known_partner_question(draft, [NearPartner(7, "Schmidt")])

    assert question is not None and question.slot == "partner"
    assert question.phrase == "Schmidt Logistik GmbH"
    # "Schmidt Logistik" is no new name offered: its "GmbH" would be the note.
    assert [r.value for r in question.readings] == ["p7:1", "w3", "cancel"]
    assert (
        known_partner_question(read("Schmidt Telefonat", ("Schmidt",)), [NearPartner(7, "S")])
        is None
    )
    chosen = read(
        "Schmidt Logistik GmbH Telefonat gestern", ("Schmidt",), answers={"partner": "p7:1"}
    )
    # Chosen knowingly: the rest of the longer name is what the contact was about, and the
    # keywords and dates after it are read as after any name.
    assert (chosen.partner.name, chosen.note) == ("Schmidt", "Logistik GmbH")
    assert chosen.medium == "call" and chosen.when.on == TODAY - timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "known", "offered", "chosen"),
    [
        (
            "Jens Ohlsen Berger (Nordwind GmbH) call",
            ("Jens Ohlsen",),
            {"w3": "Jens Ohlsen Berger (Nordwind GmbH)"},
            "w3",
        ),
        # A new bare name: only the longest reading is followed by the organisation.
        (
            "Zorg Berger Frank (Nordwind) Anruf",
            (),
            {"w3": "Zorg Berger Frank (Nordwind)", "w2": "Zorg Berger"},
            "w3",
        ),
        # An organisation typed further on is the note's, whichever reading is chosen.
        (
            "Jens Ohlsen Berger Telefonat (Nordwind GmbH)",
            ("Jens Ohlsen",),
            {"w3": "Jens Ohlsen Berger"},
            "w3",
        ),
    ],
)
def test_a_new_name_offered_for_a_longer_reading_carries_the_organisation_typed_after_it(
    text: str, known: tuple[str, ...], offered: dict[str, str], chosen: str
) -> None:
    """The button names the partner its press creates: the longer name with the organisation
    that follows its words, read with it when chosen."""
    draft = read(text, known)
    near = [NearPartner(7, known[0])] if known else []

    question = known_partner_question(draft, near) if known else new_partner_question(draft, TODAY)

    assert question is not None
    new_names = {
        r.value: r.values["name"]
        for r in question.readings
        if r.label == "question.create_partner" and r.value.startswith("w")
    }
    assert new_names == offered
    created = read(text, known, answers={"partner": chosen}).partner
    assert created.name is not None
    assert new_names[chosen] == (
        f"{created.name} ({created.organisation})" if created.organisation else created.name
    )


def test_other_partners_like_a_longer_reading_are_offered_with_the_known_one() -> None:
    """ "Acme Co" after a known "Acme" may be "Acme Corp" cut short: it is offered after the
    known partner, taking the typed words, and the question says some partners are named
    like the longer name."""
    draft = read("Acme Co call", ("Acme", "Acme Corp"))

    question = known_partner_question(draft, [NearPartner(1, "Acme")], [NearPartner(2, "AC", 2)])

    assert question is not None and question.reason == "question.similar_partner"
    assert question.phrase == "Acme Co"
    assert [r.value for r in question.readings] == ["p1:1", "p2:2", "w2", "cancel"]
    chosen = read("Acme Co call", ("Acme", "Acme Corp"), answers={"partner": "p2:2"})
    assert (chosen.partner.name, chosen.medium, chosen.note) == ("Acme Co", "call", "")


@pytest.mark.parametrize(
    ("answer", "name", "medium", "note"),
    [
        ("w2", "Schmidt Logistik", "call", "Preise"),
        ("w1", "Schmidt", "call", "Logistik Preise"),
        ("new", "Schmidt", "call", "Logistik Preise"),
        ("p42:2", "Schmidt Logistik", "call", "Preise"),
        ("w9", "Schmidt", "call", "Logistik Preise"),  # more words than typed: as read
    ],
)
def test_the_answer_chooses_how_many_words_are_the_name(
    answer: str, name: str, medium: str | None, note: str
) -> None:
    draft = read("Schmidt Logistik Telefonat Preise", answers={"partner": answer})
    assert (draft.partner.name, draft.medium, draft.note) == (name, medium, note)


@pytest.mark.parametrize(
    ("value", "choice"),
    [
        ("p17:2", PartnerChoice(17, 2)),
        ("p17:0", PartnerChoice(17, 0)),
        ("w3", PartnerChoice(None, 3)),
        ("new", None),
        ("cancel", None),
        ("p17", None),
        ("pX:1", None),
        ("w", None),
        # Ids no row can have: past PostgreSQL's integer, zero, or not ASCII digits.
        ("p2147483647:1", PartnerChoice(2**31 - 1, 1)),
        ("p2147483648:1", None),
        ("p999999999999999999:0", None),
        ("p" + "9" * 500 + ":0", None),
        ("p0:1", None),
        ("p\u0661\u0662:1", None),
    ],
)
def test_a_partner_choice_travels_as_a_short_value(
    value: str, choice: PartnerChoice | None
) -> None:
    assert partner_choice({"partner": value}) == choice
    if choice is not None:
        assert choice.value == value


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("<https://evil.example|Acme> call", "https://evil.example"),
        ("<https://evil.example> Anruf gestern", "https://evil.example"),
        ("Jens (https://nordwind.example/team) call", "https://nordwind.example/team"),
        ('"Jens" (<https://evil.example|Nordwind>) call', "https://evil.example"),
        ('"Jens" (jens@evil.example) call', "jens@evil.example"),
        ("<mailto:jens@evil.example|Jens> Telefonat", "jens@evil.example"),
        ("ftp://files.example call", "ftp://files.example"),
    ],
)
def test_an_address_is_never_a_partner_or_organisation(text: str, address: str) -> None:
    with pytest.raises(ParseProblem) as refused:
        read(text)
    assert refused.value.code == "address_as_name"
    assert refused.value.details["address"] == address


@pytest.mark.parametrize(
    ("text", "name", "organisation"),
    [
        ("<http://acme.example|acme.example> call", "acme.example", None),
        (
            "<mailto:jens@nordwind.example|jens@nordwind.example> call",
            "jens@nordwind.example",
            None,
        ),
        ('"Acme (https://acme.example)" call', "Acme (https://acme.example)", None),
        ("Acme (Nordwind GmbH) call see https://x.example", "Acme", "Nordwind GmbH"),
    ],
)
def test_a_domain_typed_a_quoted_name_or_a_link_in_the_note_is_read(
    text: str, name: str, organisation: str | None
) -> None:
    partner = read(text).partner
    assert (partner.name, partner.organisation) == (name, organisation)


@pytest.mark.parametrize(
    ("text", "known", "name", "cut_short"),
    [
        (
            "schmidt log Telefonat gestern",
            ("Schmidt", "Schmidt Logistik"),
            "Schmidt",
            ("schmidt log",),
        ),
        ("acme cor call", ("Acme", "Acme Corp"), "Acme", ("acme cor",)),
        ("müller lo anruf gestern", ("Müller Logistik",), "müller", ("müller lo",)),
        (
            "hansa ba gmbh anruf gestern",
            ("Hansa Bau GmbH",),
            "hansa",
            ("hansa ba gmbh", "hansa ba"),
        ),
        ("Fil 1 call", ("Filiale 1", "Filiale 12"), "Fil", ("Fil 1",)),
        # A longer name too, whose partner the words begin: both readings.
        ("Acme Co call", ("Acme", "Acme Corp"), "Acme", ("Acme Co",)),
        # Beginning no known name, or ending the name: no cut-short reading.
        ("schmidt about the tender", ("Schmidt", "Schmidt Logistik"), "Schmidt", ()),
        ("schmidt l call", ("Schmidt", "Schmidt Logistik"), "Schmidt", ()),
        ("schmidt: log call", ("Schmidt", "Schmidt Logistik"), "Schmidt", ()),
        ("acme corp call", ("Acme", "Acme Corp"), "Acme Corp", ()),
    ],
)
def test_lower_case_words_that_begin_a_known_name_are_a_cut_short_reading(
    text: str, known: tuple[str, ...], name: str, cut_short: tuple[str, ...]
) -> None:
    """Kept for the question, which offers the partner they begin; not offered as new names,
    and not part of the name read."""
    draft = read(text, known)
    assert (draft.partner.name, draft.partner.cut_short) == (name, cut_short)


def test_a_known_name_with_a_cut_short_reading_asks_for_either_partner_and_no_new_one() -> None:
    known = ("Schmidt", "Schmidt Logistik")
    draft = read("schmidt log Telefonat gestern", known)

    question = known_partner_question(
        draft, [NearPartner(1, "Schmidt")], [NearPartner(2, "Schmidt Logistik", 2)]
    )

    assert question is not None and question.reason == "question.similar_partner"
    assert question.phrase == "schmidt log"
    assert [r.value for r in question.readings] == ["p1:1", "p2:2", "cancel"]
    assert known_partner_question(draft, [NearPartner(1, "Schmidt")]) is None
    for answer, note in (("p2:2", ""), ("p1:1", "log")):
        chosen = read("schmidt log Telefonat gestern", known, answers={"partner": answer})
        assert (chosen.note, chosen.medium) == (note, "call")
        assert chosen.when.on == TODAY - timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "known", "longer"),
    [
        ("Filiale 2 call", ("Filiale 1", "Filiale 12"), ("Filiale 2",)),
        ("Globex 2 Anruf gestern", ("Globex", "Globex 1"), ("Globex 2",)),
        ("Globex 2.12. Anruf", ("Globex", "Globex 1"), ()),  # a date, not a number of the name
        # No partner told apart by a number: it is how long, how many or how much.
        ("Globex 2 Anruf gestern", ("Globex",), ()),
        ("Acme 15 min call", ("Acme", "Acme Corp"), ()),
    ],
)
def test_a_number_after_a_bare_name_may_be_more_of_it(
    text: str, known: tuple[str, ...], longer: tuple[str, ...]
) -> None:
    assert read(text, known).partner.longer == longer


@pytest.mark.parametrize(
    ("text", "known", "name", "shorter"),
    [
        ("globex 2. dezember call", ("Globex", "Globex 2"), "Globex 2", ("globex", "2. dezember")),
        ("Globex 2 Dec call", ("Globex", "Globex 2"), "Globex 2", ("Globex", "2 Dec")),
        ("acme 1 jan call", ("Acme", "Acme 1"), "Acme 1", ("acme", "1 jan")),
        (
            "Filiale 12. März Besuch",
            ("Filiale", "Filiale 12"),
            "Filiale 12",
            ("Filiale", "12. März"),
        ),
        ("Globex 2 pm call", ("Globex", "Globex 2"), "Globex 2", ("Globex", "2 pm")),
        # An English day after "am" keeps it a time: 9 a.m. on Monday, or "Globex 9".
        ("Globex 9 am Monday call", ("Globex", "Globex 9"), "Globex 9", ("Globex", "9 am")),
        (
            "stadtwerke filiale 2. dezember call",
            ("Stadtwerke Filiale", "Stadtwerke Filiale 2"),
            "Stadtwerke Filiale 2",
            ("stadtwerke filiale", "2. dezember"),
        ),
        (
            "Stadtwerke Filiale 2 December call",
            ("Stadtwerke", "Stadtwerke Filiale", "Stadtwerke Filiale 2"),
            "Stadtwerke Filiale 2",
            ("Stadtwerke Filiale", "2 December"),
        ),
    ],
)
def test_a_numbered_known_name_before_a_day_reads_as_the_shorter_name_too(
    text: str, known: tuple[str, ...], name: str, shorter: tuple[str, str]
) -> None:
    """The number may be the day's (or the hour's): the shorter known name is kept for the
    question, and no longer name runs on into the day's words ("Globex 2 Dec")."""
    partner = read(text, known).partner
    assert partner.name == name
    assert partner.shorter is not None
    assert (partner.shorter.name, partner.shorter.when) == shorter
    assert (partner.longer, partner.cut_short) == ((), ())


@pytest.mark.parametrize(
    ("text", "known", "name"),
    [
        ("globex 2 call", ("Globex", "Globex 2"), "Globex 2"),  # no day follows
        ("Globex 2 Anruf gestern", ("Globex", "Globex 2"), "Globex 2"),
        ("globex 2", ("Globex", "Globex 2"), "Globex 2"),
        ("globex 2: dezember call", ("Globex", "Globex 2"), "Globex 2"),  # the colon ends it
        ("globex 2. dezember call", ("Globex 2",), "Globex 2"),  # no shorter partner
        ("filiale 31. februar besuch", ("Filiale", "Filiale 31"), "Filiale 31"),  # no day
        ("acme sa call", ("Acme", "Acme SA"), "Acme SA"),  # a legal form, not Saturday
        ("Globex 2nd December call", ("Globex", "Globex 2"), "Globex"),  # "2nd" is no name
        ("globex 2.12. call", ("Globex", "Globex 2"), "Globex"),  # one word: a date
        ("Acme Corp 2 Dec call", ("Acme", "Acme Corp"), "Acme Corp"),  # no number in the name
        # German "am" (on) before a day, not 3 a.m.
        ("Filiale 3 am Montag besucht", ("Filiale", "Filiale 3"), "Filiale 3"),
        ("filiale 3 am 2. november besuch", ("Filiale", "Filiale 3"), "Filiale 3"),
        ("Filiale 3 am 2.11. besucht", ("Filiale", "Filiale 3"), "Filiale 3"),
    ],
)
def test_a_known_name_not_followed_by_a_day_reads_one_way(
    text: str, known: tuple[str, ...], name: str
) -> None:
    partner = read(text, known).partner
    assert (partner.name, partner.shorter) == (name, None)


def test_a_numbered_name_before_a_day_asks_for_either_partner() -> None:
    """The known name, taking its words, the rest the note as typed; the shorter one, taking
    its words, the day read after it; and Cancel."""
    known = ("Globex", "Globex 2")
    draft = read("globex 2. dezember call", known)

    question = known_partner_question(
        draft, [NearPartner(2, "Globex 2")], shorter=[NearPartner(1, "Globex")]
    )

    assert question is not None and question.reason == "question.name_or_day"
    assert question.phrase == "2. dezember"
    assert [r.value for r in question.readings] == ["p2:2", "p1:1", "cancel"]
    assert [dict(r.values) for r in question.readings[:2]] == [
        {"name": "Globex 2"},
        {"name": "Globex", "when": "2. dezember"},
    ]
    numbered = read("globex 2. dezember call", known, answers={"partner": "p2:2"})
    assert (numbered.when.on, numbered.medium, numbered.note) == (TODAY, None, "dezember call")
    dated = read("globex 2. dezember call", known, answers={"partner": "p1:1"})
    assert (dated.when.on, dated.medium, dated.note) == (date(2026, 12, 2), "call", "")


def test_the_numbered_name_chosen_keeps_a_capitalised_month_as_typed() -> None:
    """ "Dec" after "Globex 2" is no longer name to set aside: the note is the rest as typed."""
    known = ("Globex", "Globex 2")
    chosen = read("Globex 2 Dec call with Jana", known, answers={"partner": "p2:2"})
    assert (chosen.when.on, chosen.medium, chosen.note) == (TODAY, None, "Dec call with Jana")
    dated = read("Globex 2 Dec call with Jana", known, answers={"partner": "p1:1"})
    assert (dated.when.on, dated.medium, dated.note) == (date(2026, 12, 2), "call", "with Jana")


def test_the_partners_of_a_shorter_name_are_found_by_its_key() -> None:
    partners = [(1, "globex", "Globex"), (2, "globex 2", "Globex 2"), (3, "globex", "Globex (B)")]
    shorter = ShorterName("GLOBEX", "2 Dec", 2)
    assert shorter_partners(shorter, partners) == [
        NearPartner(1, "Globex"),
        NearPartner(3, "Globex (B)"),
    ]
    assert shorter_partners(None, partners) == []


@pytest.mark.parametrize("count", [2, SEVERAL_PARTNERS_MAX])
def test_a_name_several_partners_share_offers_each_and_cancel(count: int) -> None:
    known = [NearPartner(n, f"Jens Ohlsen (Firma {n})") for n in range(1, count + 1)]

    question = several_partners_question(read("Jens Ohlsen call", ("Jens Ohlsen",)), known)

    assert question is not None and question.reason == "question.several_partners"
    assert question.phrase == "Jens Ohlsen"
    values = [reading.value for reading in question.readings]
    assert values == [PartnerChoice(n).value for n in range(1, count + 1)] + ["cancel"]


@pytest.mark.parametrize("count", [0, 1, SEVERAL_PARTNERS_MAX + 1])
def test_one_partner_or_more_than_buttons_can_offer_is_no_question(count: int) -> None:
    """One partner is the one meant; too many to choose among are refused, named, instead."""
    known = [NearPartner(n, f"Jens Ohlsen (Firma {n})") for n in range(1, count + 1)]

    assert several_partners_question(read("Jens Ohlsen call", ("Jens Ohlsen",)), known) is None


@pytest.mark.parametrize(
    ("text", "known", "shorter", "quantity"),
    [
        ("globex 2 hours call", ("Globex", "Globex 2"), "globex", "2 hours"),
        ("globex 2 stunden workshop", ("Globex", "Globex 2"), "globex", "2 stunden"),
        ("Globex 2 new leads from the fair", ("Globex", "Globex 2"), "Globex", "2 new"),
        ("globex 30 min call", ("Globex", "Globex 30"), "globex", "30 min"),
        ("Globex 2 Angebot besprochen", ("Globex", "Globex 2"), "Globex", "2 Angebot"),
        (
            "stadtwerke filiale 3 neue zähler",
            ("Stadtwerke Filiale", "Stadtwerke Filiale 3"),
            "stadtwerke filiale",
            "3 neue",
        ),
    ],
)
def test_note_text_after_a_numbered_known_name_reads_as_the_shorter_name_too(
    text: str, known: tuple[str, ...], shorter: str, quantity: str
) -> None:
    """The number may be how long, how many or how much, as after any known name: the shorter
    known name is kept for the question, with the number and the word after it, and no longer
    name runs on ("Globex 2 Angebot" is no new partner offered)."""
    partner = read(text, known).partner
    assert partner.shorter == ShorterName(shorter, "", len(known[1].split()), quantity=quantity)
    assert (partner.longer, partner.cut_short) == ((), ())


@pytest.mark.parametrize(
    "text",
    [
        "globex 2 call",  # a keyword
        "Globex 2 Anruf gestern",
        "globex 2 gestern",  # a day
        "globex 2",  # nothing after it
        "globex 2: hours call",  # the colon ends the name
        "globex 2 - hours call",  # a separator
        "globex 2\nhours call",  # the note on its own line
        "globex 2 promise: send it by friday",
        "globex 2 (Globex Group) hours",  # an organisation
        "globex 2 3 hours call",  # the quantity is the number after it
        "Globex 2 30min Anruf",
        "globex 2 hat angerufen",  # an everyday word: a sentence about Globex 2
        "globex 2 per mail angefragt",
        "Globex 2 is on board",
    ],
)
def test_a_numbered_known_name_followed_by_no_note_text_reads_one_way(text: str) -> None:
    partner = read(text, ("Globex", "Globex 2")).partner
    assert (partner.name, partner.shorter) == ("Globex 2", None)


@pytest.mark.parametrize(
    "known",
    [
        ("Globex 2",),  # no shorter partner
        ("Globex 2", "Globex Group"),
    ],
)
def test_a_quantity_after_a_numbered_name_without_its_shorter_name_is_not_asked_about(
    known: tuple[str, ...],
) -> None:
    assert read("globex 2 hours call", known).partner.shorter is None


def test_a_quantity_after_a_numbered_name_asks_for_either_partner() -> None:
    """The numbered partner, the rest the note as typed; the shorter one, the number kept in
    its note; and Cancel."""
    known = ("Globex", "Globex 2")
    draft = read("globex 2 hours call", known)

    question = known_partner_question(
        draft, [NearPartner(2, "Globex 2")], shorter=[NearPartner(1, "Globex")]
    )

    assert question is not None and question.reason == "question.name_or_note"
    assert question.phrase == "2 hours"
    assert [r.value for r in question.readings] == ["p2:2", "p1:1", "cancel"]
    assert [r.label for r in question.readings] == ["question.existing_partner"] * 2 + [
        "question.cancel"
    ]
    assert [dict(r.values) for r in question.readings[:2]] == [
        {"name": "Globex 2"},
        {"name": "Globex"},
    ]


@pytest.mark.parametrize(
    ("text", "answer", "medium", "note"),
    [
        ("globex 2 hours call", "p2:2", None, "hours call"),
        ("globex 2 hours call", "p1:1", None, "2 hours call"),
        ("Globex 2 Angebot besprochen", "p2:2", None, "Angebot besprochen"),
        ("Globex 2 Angebot besprochen", "p1:1", None, "2 Angebot besprochen"),
        ("globex 2 neue Leads gestern", "p2:2", None, "neue Leads gestern"),
        ("globex 2 neue Leads gestern", "p1:1", None, "2 neue Leads gestern"),
        # A capitalised word after the number is no longer name set aside: the day after it is
        # the note's either way, as in "acme 2 Angebot gestern".
        ("Globex 2 Angebot gestern", "p2:2", None, "Angebot gestern"),
        ("Globex 2 Angebot gestern", "p1:1", None, "2 Angebot gestern"),
        ("Globex 2 Angebot: Anruf gestern", "p1:1", None, "2 Angebot: Anruf gestern"),
    ],
)
def test_either_answer_about_a_quantity_keeps_the_text(
    text: str, answer: str, medium: str | None, note: str
) -> None:
    draft = read(text, ("Globex", "Globex 2"), answers={"partner": answer})
    assert (draft.when.on, draft.medium, draft.note) == (TODAY, medium, note)


def test_the_choices_a_refusal_lists_are_whole_labels_and_a_count_of_the_rest() -> None:
    """Never cut inside a label (its organisation is what the member must type); the first
    is shown even when long; the rest counted in the reader's language."""
    labels = tuple(f"Jens Ohlsen (Nordwind Logistik {n:02} GmbH)" for n in range(1, 14))
    joined, more = Choices(labels).shown()
    shown = joined.split(", ")
    assert shown == list(labels[: len(shown)]) and len(joined) <= CHOICES_MAX_CHARS
    assert more == len(labels) - len(shown) > 0
    assert Choices(labels[:2]).shown() == (", ".join(labels[:2]), 0)
    long = ("J" * 300, "K")
    assert Choices(long).shown() == ("J" * 300, 1)
    assert Choices(labels).text(Reader(locale="de-DE").t).endswith(f" und {more} weitere")
    assert Choices(labels).text(Reader(locale="en-US").t).endswith(f" and {more} more")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("globex 2 nordw call", "question.name_or_note"),
        ("globex 2 nordw", "question.name_or_note"),
        ("Globex 2 Nordw 3 Jan call", "question.name_or_note"),
    ],
)
def test_words_after_the_number_that_begin_a_known_name_offer_its_partner_too(
    text: str, reason: str
) -> None:
    """ "nordw" after "globex 2" may be the note's or the start of "Globex 2 Nordwerk": the
    question about the number offers that partner too, taking the words that name it, or
    the person who meant it could only press a partner it is not."""
    known = ("Globex", "Globex 2", "Globex 2 Nordwerk")
    draft = read(text, known)
    assert draft.partner.shorter is not None

    question = known_partner_question(
        draft,
        [NearPartner(2, "Globex 2")],
        near=[NearPartner(3, "Globex 2 Nordwerk", 3)],
        shorter=[NearPartner(1, "Globex")],
    )

    assert question is not None and question.reason == reason
    assert [r.value for r in question.readings] == ["p2:2", "p3:3", "p1:1", "cancel"]
    assert draft.partner.cut_short == (" ".join(text.split()[:3]),)
    chosen = read(text, known, answers={"partner": "p3:3"})
    assert chosen.partner.name == " ".join(text.split()[:3])


def test_the_partner_a_cut_short_reading_begins_keeps_the_rest_as_typed() -> None:
    known = ("Globex", "Globex 2", "Globex 2 Nordwerk")
    chosen = read("globex 2 nordw call gestern", known, answers={"partner": "p3:3"})
    assert (chosen.when.on, chosen.medium, chosen.note) == (
        TODAY - timedelta(days=1),
        "call",
        "",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Herr Anruf gestern",
        "Frau Anruf",
        "Dr call yesterday",
        "Mr call",
        "Herr: Anruf",
        "Frau hat angerufen",
        "Frau Hat angerufen",  # capitalised at the sentence's start, an everyday word still
        "Herr ist heute krank",
        "Herr Dr call",  # a title after "Herr": honorifics alone
        "Herr und Meier Anruf",  # "und" joins two honorifics only
    ],
)
def test_an_honorific_with_no_name_after_it_names_no_partner(text: str) -> None:
    """A name was meant and none typed: answered as a text without a partner, never a partner
    "Herr" created."""
    with pytest.raises(ParseProblem) as refused:
        read(text, ("Heike Meier",))
    assert refused.value.code == "no_partner"


@pytest.mark.parametrize(
    ("text", "longer"),
    [
        ("Herr Meier Anruf", ("Herr Meier",)),
        ("herr ohlsen anruf", ("herr ohlsen",)),
        ("Frau Dr. Meier call", ("Frau Dr. Meier",)),  # never "Frau Dr." alone
        ("Herr von Berg Anruf", ("Herr von Berg",)),
        ("herr von berg anruf", ("herr von berg",)),
        ("Herr und Frau Meier Anruf", ("Herr und Frau Meier",)),
    ],
)
def test_a_name_after_an_honorific_is_its_only_longer_reading(
    text: str, longer: tuple[str, ...]
) -> None:
    """The readings offered as new names hold a name after the honorifics; the honorific the
    name starts with is read, but `new_partner_question` offers it alone to no one."""
    draft = read(text)
    assert draft.partner.longer == longer
