"""Who looks after a partner, end to end: signed commands, button presses and events sent to the
running app, Slack played by the stand-in, rows read back after."""

from __future__ import annotations

import itertools
from typing import Any

from bot.blocks.ownership import ACTION_TAKE_OVER
from storage.queries.members import workspace_for
from storage.queries.partners import add_partner
from tests.support.app import Command, RunningRapport, known
from tests.support.blocks import texts
from tests.support.rows import Member, Partner, Promise, all_of, owner_of
from tests.support.world import NOW, TEAM

ACK_BUDGET_SECONDS = 1.5
_event_ids = itertools.count(1)


def logged(rapport: RunningRapport, text: str, user: str = "U0ALICE") -> None:
    reply = rapport.command(text, user=user).reply()
    assert "Logged" in reply["text"] or "Erfasst" in reply["text"], reply["text"]


def only_member(rapport: RunningRapport, user: str) -> int:
    return next(m.id for m in all_of(rapport.db, Member) if m.slack_user_id == user)


def leaves(rapport: RunningRapport, user: str, *, deleted: bool = True) -> None:
    """Slack tells Rapport that `user` was deactivated (or, with deleted=False, came back)."""
    profile = {"id": user, "team_id": TEAM, "real_name": user, "deleted": deleted}
    event = {"type": "user_change", "user": profile}
    assert rapport.event(f"Ev{next(_event_ids)}", event).status == 200


def take_over_values(message: dict[str, Any]) -> dict[str, str]:
    """The Take over buttons of an unowned list, by the partner's label as shown."""
    found = {}
    for block in message.get("blocks", []):
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == ACTION_TAKE_OVER:
            found[block["text"]["text"].split("\n")[0].strip("*")] = accessory["value"]
    return found


def listed(rapport: RunningRapport, user: str, text: str = "partners unowned") -> Command:
    """The unowned list as `user`, a returning member, sees it in the ack."""
    known(rapport, user)
    listing = rapport.command(text, user=user)
    assert take_over_values(listing.ack) is not None
    return listing


def press(rapport: RunningRapport, listing: Command, value: str, user: str) -> Command:
    """Take over pressed on the list `listing` showed, answered through its response_url."""
    return rapport.click(ACTION_TAKE_OVER, value, user=user, response_url=listing.response_url)


# --- handing a partner over ----------------------------------------------------------------------


def test_the_owner_hands_a_partner_over_inside_the_ack(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, "U0BOB")
    rapport.slack.reset()

    command = rapport.command("partner Acme owner <@U0BOB|bob>")

    assert command.answer.seconds < ACK_BUDGET_SECONDS
    shown = texts(command.ack)
    assert "<@U0BOB> now looks after *Acme*; its check-in nudges go to them" in shown
    assert owner_of(rapport, "Acme") == "U0BOB"
    assert rapport.slack.calls == []


def test_a_german_owner_hands_over_with_zustaendig(rapport) -> None:
    logged(rapport, '"Jens Ohlsen" (Nordwind GmbH) Treffen', user="U0JONAS")
    known(rapport)

    shown = texts(
        rapport.command(
            "partner Jens Ohlsen (Nordwind GmbH) zuständig <@U0ALICE|alice>", user="U0JONAS"
        ).reply()
    )

    assert "<@U0ALICE> ist jetzt für *Jens Ohlsen (Nordwind GmbH)* zuständig" in shown
    assert owner_of(rapport, "Jens Ohlsen") == "U0ALICE"


def test_someone_who_neither_owns_it_nor_is_an_admin_is_refused(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    known(rapport, "U0JONAS")

    shown = texts(rapport.command("partner acme inhaber <@U0JONAS|jonas>", user="U0JONAS").reply())

    assert "Es hat sich nichts geändert." in shown
    assert "Für *Acme* ist <@U0ALICE> zuständig; nur diese Person oder jemand mit" in shown
    assert owner_of(rapport, "Acme") == "U0ALICE"


def test_a_workspace_admin_may_hand_over_anyones_partner(rapport) -> None:
    rapport.slack.add_user(
        "U0OWEN", name="owen", real_name="Owen Admin", tz="Europe/Berlin", is_owner=True
    )
    logged(rapport, "Acme call kickoff")
    known(rapport, "U0OWEN")
    known(rapport, "U0BOB")

    shown = texts(rapport.command("partner Acme owner <@U0BOB|bob>", user="U0OWEN").reply())

    assert "<@U0BOB> now looks after *Acme*" in shown
    assert owner_of(rapport, "Acme") == "U0BOB"


def test_a_new_owner_slack_has_not_told_us_about_is_looked_up_first(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    rapport.slack.reset()

    command = rapport.command("partner Acme owner <@U0BOB|bob>")

    assert command.answer.body == ""  # Bob is not cached: acked at once, answered later
    assert "<@U0BOB> now looks after *Acme*" in texts(command.later())
    assert [c.args["user"] for c in rapport.slack.calls_to("users.info")] == ["U0BOB"]
    bob = next(m for m in all_of(rapport.db, Member) if m.slack_user_id == "U0BOB")
    assert (bob.tz, bob.active) == ("America/New_York", True)
    assert owner_of(rapport, "Acme") == "U0BOB"


def test_a_first_time_asker_and_an_unknown_new_owner_are_both_looked_up(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    leaves(rapport, "U0ALICE")

    command = rapport.command("partner Acme zuständig <@U0BOB|bob>", user="U0JONAS")

    assert "<@U0BOB> ist jetzt für *Acme* zuständig" in texts(command.later())
    assert owner_of(rapport, "Acme") == "U0BOB"


def test_handing_over_to_the_current_owner_changes_nothing(rapport) -> None:
    logged(rapport, "Acme call kickoff")

    shown = texts(rapport.command("partner Acme owner <@U0ALICE|alice>").reply())

    assert "<@U0ALICE> already looks after *Acme*; nothing changed." in shown
    assert owner_of(rapport, "Acme") == "U0ALICE"


def test_the_new_owner_must_be_an_active_colleague_and_a_person(rapport) -> None:
    rapport.slack.add_user("U0BOT", name="deploybot", tz="UTC", is_bot=True)
    rapport.slack.add_user("U0GONE", name="gone", tz="UTC", deleted=True)
    logged(rapport, "Acme call kickoff")
    logged(rapport, "<@U0KENJI|kenji> call hello")  # Kenji becomes a cached partner

    for mention, expected in [
        ("<@U0BOT|deploybot>", "<@U0BOT> is an app; a person has to look after a partner."),
        ("<@U0BOT|deploybot>", "<@U0BOT> is an app"),  # asked again: not taken for a colleague
        ("<@U0GONE|gone>", "<@U0GONE> is no longer active in this Slack workspace."),
        ("<@U0EMMA|emma>", "<@U0EMMA> is outside this workspace (Slack Connect)"),
        ("<@U0KENJI|kenji>", "<@U0KENJI> is outside this workspace (Slack Connect)"),
        ("<@U0NOBODY>", "I couldn't find <@U0NOBODY> in Slack."),
    ]:
        shown = texts(rapport.command(f"partner Acme owner {mention}").reply())
        assert "Nothing changed." in shown and expected in shown, shown
    assert owner_of(rapport, "Acme") == "U0ALICE"
    assert "U0BOT" not in {m.slack_user_id for m in all_of(rapport.db, Member)}


def test_an_unknown_partner_is_named_with_an_example_without_asking_slack(rapport) -> None:
    known(rapport)
    rapport.slack.reset()

    command = rapport.command("partner Nobody owner <@U0BOB|bob>")

    shown = texts(command.ack)
    assert "I don't know a partner called “Nobody”." in shown
    assert "For example: `/rapport partner Acme owner @anna`" in shown
    assert rapport.slack.calls == [], "a refused request asks Slack about nobody"


def test_several_partners_of_one_name_ask_for_the_organisation(rapport) -> None:
    logged(rapport, '"Anna Schmidt" (Acme) call intro')
    logged(rapport, '"Anna Schmidt" (Nordwind) call intro')
    known(rapport, "U0BOB")

    shown = texts(rapport.command("partner Anna Schmidt owner <@U0BOB|bob>").reply())

    assert "Several partners are called “Anna Schmidt”: Anna Schmidt (Acme), Anna Schmidt" in shown
    assert "`/rapport partner Anna Schmidt (Acme) owner @…`" in shown
    alice = only_member(rapport, "U0ALICE")
    assert {p.owner_id for p in all_of(rapport.db, Partner)} == {alice}

    done = texts(rapport.command("partner Anna Schmidt (Nordwind) owner <@U0BOB|bob>").reply())

    assert "<@U0BOB> now looks after *Anna Schmidt (Nordwind)*" in done
    owners = {p.organisation: p.owner_id for p in all_of(rapport.db, Partner)}
    assert owners == {"Acme": alice, "Nordwind": only_member(rapport, "U0BOB")}


def test_a_misread_hand_over_shows_how_to_write_it(rapport) -> None:
    logged(rapport, "Acme call kickoff")

    shown = texts(rapport.command("partner Acme owner bob").reply())

    assert "Name the partner, then mention who should look after it." in shown
    assert "For example: `/rapport partner Acme owner @anna`" in shown
    assert owner_of(rapport, "Acme") == "U0ALICE"


# --- the partners nobody looks after -------------------------------------------------------------


def test_a_deactivated_members_partners_appear_in_the_unowned_list(rapport) -> None:
    logged(rapport, "Globex call kickoff")
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Initech call kickoff", user="U0BOB")
    rapport.clock.set(NOW.replace(day=30))

    leaves(rapport, "U0ALICE")
    listing = listed(rapport, "U0BOB")

    assert listing.answer.seconds < ACK_BUDGET_SECONDS
    shown = texts(listing.ack)
    assert "*Partners nobody looks after* (2)" in shown
    assert "*Acme*\nformerly looked after by <@U0ALICE> · last contact 5 days ago" in shown
    assert list(take_over_values(listing.ack)) == ["Acme", "Globex"]
    assert "Initech" not in shown
    assert owner_of(rapport, "Acme") == "U0ALICE", "the former owner is kept"

    german = texts(rapport.command("partner ohne zuständige", user="U0JONAS").reply())
    assert "*Partner ohne Zuständige* (2)" in german
    assert "zuvor zuständig: <@U0ALICE> · letzter Kontakt vor 5 Tagen" in german


def test_a_member_who_comes_back_finds_their_partners_still_theirs(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    leaves(rapport, "U0ALICE")
    leaves(rapport, "U0ALICE", deleted=False)

    shown = texts(rapport.command("partners unowned", user="U0BOB").reply())

    assert "Every partner has an active owner" in shown
    assert owner_of(rapport, "Acme") == "U0ALICE"


def test_a_long_list_stops_at_slacks_block_limit_and_counts_the_rest(rapport) -> None:
    known(rapport)
    with rapport.db.transaction() as session:
        workspace = workspace_for(session, TEAM, NOW)
        for i in range(60):
            add_partner(
                session,
                workspace.id,
                name=f"Partner {i:02d}",
                organisation=None,
                owner_id=None,
                now=NOW,
            )

    reply = rapport.command("partners unowned").reply()

    assert len(reply["blocks"]) <= 50
    values = take_over_values(reply)
    assert list(values)[:2] == ["Partner 00", "Partner 01"]
    assert f"…and {60 - len(values)} more. Take some over to see the rest." in texts(reply)
    assert "never had an owner · no contact logged" in texts(reply)


# --- taking a partner over -----------------------------------------------------------------------


def test_take_over_makes_the_presser_the_owner_and_replaces_the_list(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    logged(rapport, "Globex call kickoff")
    leaves(rapport, "U0ALICE")
    listing = listed(rapport, "U0BOB")

    pressed = press(rapport, listing, take_over_values(listing.ack)["Acme"], user="U0BOB")

    assert pressed.answer.status == 200
    answer = pressed.later()
    assert answer["replace_original"] is True
    shown = texts(answer)
    assert "You now look after *Acme*; its check-in nudges come to you" in shown
    assert "*Partners nobody looks after* (1)" in shown
    assert list(take_over_values(answer)) == ["Globex"]
    assert (owner_of(rapport, "Acme"), owner_of(rapport, "Globex")) == ("U0BOB", "U0ALICE")


def test_pressing_take_over_twice_changes_nothing_the_second_time(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    leaves(rapport, "U0ALICE")
    listing = listed(rapport, "U0BOB")
    value = take_over_values(listing.ack)["Acme"]
    press(rapport, listing, value, user="U0BOB").later()

    again = press(rapport, listing, value, user="U0BOB").later(2)

    shown = texts(again)
    assert "You already look after *Acme*." in shown
    assert "Every partner has an active owner" in shown
    assert owner_of(rapport, "Acme") == "U0BOB"


def test_a_partner_taken_over_meanwhile_says_by_whom(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    leaves(rapport, "U0ALICE")
    bobs = listed(rapport, "U0BOB")
    jonass = listed(rapport, "U0JONAS", "partner ohne zuständige")
    value = take_over_values(bobs.ack)["Acme"]
    press(rapport, jonass, value, user="U0JONAS").later()

    shown = texts(press(rapport, bobs, value, user="U0BOB").later())

    assert "<@U0JONAS> took over *Acme* in the meantime; it is theirs now." in shown
    assert owner_of(rapport, "Acme") == "U0JONAS"


def test_another_workspaces_partner_cannot_be_taken_over(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    leaves(rapport, "U0ALICE")
    with rapport.db.transaction() as session:
        other = workspace_for(session, "T0OTHER", NOW)
        theirs = add_partner(
            session, other.id, name="Globex", organisation=None, owner_id=None, now=NOW
        ).id
    listing = listed(rapport, "U0BOB")

    shown = texts(press(rapport, listing, str(theirs), user="U0BOB").later())

    assert "That partner is not one of this workspace's partners (any more)" in shown
    assert list(take_over_values(rapport.slack.responses(listing.response_url)[0])) == ["Acme"]
    with rapport.db.transaction() as session:
        assert session.get(Partner, theirs).owner_id is None


def test_a_tampered_button_value_is_refused_and_changes_nothing(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    leaves(rapport, "U0ALICE")
    listing = listed(rapport, "U0BOB")
    acme = take_over_values(listing.ack)["Acme"]

    for n, value in enumerate([f"{acme}:1", "DROP TABLE partners", "99999999999"], start=1):
        shown = texts(press(rapport, listing, value, user="U0BOB").later(n))
        assert "nothing changed" in shown and "(1)" in shown
    assert owner_of(rapport, "Acme") == "U0ALICE"


def test_a_button_pressed_from_another_workspace_changes_nothing(rapport) -> None:
    logged(rapport, "Acme call kickoff")
    leaves(rapport, "U0ALICE")
    listing = listed(rapport, "U0BOB")
    acme = take_over_values(listing.ack)["Acme"]

    clicked = rapport.click(
        ACTION_TAKE_OVER, acme, user="U0BOB", team="T0OTHER", response_url=listing.response_url
    )

    # Rapport is installed in one workspace: a request made in another is refused outright.
    assert "Nothing was read or changed" in texts(clicked.later())
    assert owner_of(rapport, "Acme") == "U0ALICE"


def test_taking_over_also_takes_the_open_promises_of_people_who_left(rapport) -> None:
    logged(rapport, "Acme email promise: send the revised quote by Friday")
    logged(rapport, "Acme call promise: book the workshop by next Tuesday")
    logged(rapport, "Acme Anruf Zusage: Referenz schicken bis Montag", user="U0JONAS")
    with rapport.db.transaction() as session:
        session.query(Promise).filter(Promise.text.like("book the workshop%")).update(
            {"status": "kept"}
        )
    leaves(rapport, "U0ALICE")
    listing = listed(rapport, "U0BOB")

    shown = texts(press(rapport, listing, take_over_values(listing.ack)["Acme"], "U0BOB").later())

    assert "1 open promise to them, made by someone who has left, is now in your hands." in shown
    members = {m.id: m.slack_user_id for m in all_of(rapport.db, Member)}
    promisers = {p.text.split(" ")[0]: members[p.member_id] for p in all_of(rapport.db, Promise)}
    assert promisers == {"send": "U0BOB", "book": "U0ALICE", "Referenz": "U0JONAS"}


def test_handing_over_an_unowned_partner_also_hands_over_its_orphaned_promises(rapport) -> None:
    logged(rapport, "Acme email promise: send the revised quote by Friday")
    leaves(rapport, "U0ALICE")
    known(rapport, "U0BOB")

    shown = texts(rapport.command("partner Acme zuständig <@U0BOB|bob>", user="U0JONAS").reply())

    assert (
        "1 offene Zusage an sie, von jemandem, der nicht mehr da ist, liegt jetzt bei <@U0BOB>"
        in shown
    )
    members = {m.id: m.slack_user_id for m in all_of(rapport.db, Member)}
    assert [members[p.member_id] for p in all_of(rapport.db, Promise)] == ["U0BOB"]


def test_help_mentions_ownership_in_both_languages(rapport) -> None:
    english = texts(rapport.command("help").reply())
    german = texts(rapport.command("hilfe", user="U0JONAS").reply())

    assert "`/rapport partner Acme owner @anna` hands a partner over" in english
    assert "`/rapport partners unowned` lists the partners nobody looks after" in english
    assert "`/rapport partner Acme zuständig @anna` übergibt einen Partner" in german
    assert "`/rapport partner ohne zuständige` zeigt die Partner" in german
