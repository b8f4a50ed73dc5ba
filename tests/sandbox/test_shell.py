"""`rapport shell`: lines in, Rapport's answers out, through the real app and a stand-in Slack.

Most tests drive a `Shell` in-process, reading what it printed (no colour, fixed width); two run
`rapport shell` itself with piped input. Bad input always ends in exactly one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.sandbox.shell import Shell, slack_links
from bot.sandbox.signing import Answer
from bot.sandbox.workspace import Sandbox
from bot.texts.reader import escape
from tests.support.rows import Interaction, Partner, Promise, all_of, count, only
from tests.support.shell import START, console, db, play, run_rapport


@pytest.fixture(scope="module")
def quiet_sandbox() -> Iterator[Sandbox]:
    """One sandbox for the bad-input tests: refused input changes nothing in it."""
    with Sandbox(start=START) as running:
        yield running


@pytest.fixture
def fresh_shell(quiet_sandbox: Sandbox) -> Shell:
    _, shown = console()
    return Shell(quiet_sandbox, shown)


# --- Slack actions -----------------------------------------------------------------------------


def test_a_first_command_is_answered_later_and_the_next_one_in_the_ack(shell: Shell) -> None:
    first = play(shell, "/logcontact Acme call discussed the Q3 roadmap")
    second = play(shell, "/logcontact Acme email promise: send the quote by next Tuesday")

    assert first.splitlines()[0] == (
        "you · Wed 25 Nov 10:00 › /logcontact Acme call discussed the Q3 roadmap"
    )
    assert "Rapport · only visible to you · via response_url" in first
    assert "✅ Logged your contact with Acme." in first
    assert "[1] Undo   [2] Edit" in first
    assert "Rapport · only visible to you · in the ack" in second
    assert "📅 due Tuesday, December 1, 2026" in second
    assert first.count("Logged your contact") == second.count("Logged your contact") == 1


def test_text_is_sent_as_slack_escapes_it(shell: Shell, sandbox: Sandbox) -> None:
    mention = play(shell, "/logcontact @kenji video talked about the pilot")
    ampersand = play(shell, '/logcontact "Müller & Söhne" call <b>prices</b>')

    assert "Logged your contact with Kenji Sato." in mention
    assert "Logged your contact with Müller & Söhne." in ampersand
    kenji, mueller = all_of(db(sandbox), Partner)
    assert (kenji.slack_user_id, kenji.tz) == ("U0KENJI", "Asia/Tokyo")
    assert mueller.name == "Müller & Söhne"
    assert all_of(db(sandbox), Interaction)[-1].note == "<b>prices</b>"


def test_links_and_e_mails_are_sent_as_slack_links_them_and_stored_as_typed(
    shell: Shell, sandbox: Sandbox
) -> None:
    typed = "sent https://nordwind.example/deck?a=1&b=2 to jens@nordwind.example."
    reply = play(shell, f"/logcontact Nordwind email {typed}")

    assert "Logged your contact with Nordwind." in reply
    assert all_of(db(sandbox), Interaction)[-1].note == typed
    assert slack_links(escape("mail jens@nordwind.example, see <https://x.example/a>")) == (
        "mail <mailto:jens@nordwind.example|jens@nordwind.example>, see "
        "&lt;<https://x.example/a>&gt;"
    )


def test_rapport_lists_partners_and_shows_a_card_with_buttons(shell: Shell) -> None:
    play(shell, "/logcontact Acme call kickoff promise: send the quote by Friday")
    listing = play(shell, "/rapport partners")
    card = play(shell, "/rapport partner Acme")
    paused = play(shell, ":click 4")

    assert "/rapport partners" in listing.splitlines()[0]
    assert "Acme" in listing
    assert "Acme" in card and "send the quote" in card
    assert "[1] Log contact   [2] Edit profile   [3] Hand over   [4] Pause" in card
    assert "Resume" in paused


def test_click_presses_a_button_of_the_last_message(shell: Shell, sandbox: Sandbox) -> None:
    play(shell, "/logcontact Acme call kickoff")
    typo = play(shell, "/logcontact Acmee email sent prices")
    assert "│ [1] Acme   [2] New partner Acmee   [3] Cancel  " in typo

    chosen = play(shell, ":click 1")
    undone = play(shell, ":click 1")

    assert "replaces the message you clicked" in chosen
    assert "Logged your contact with Acme." in chosen
    assert "│ [1] Undo   [2] Edit  " in chosen
    assert "Undone: the contact with Acme is removed." in undone
    assert [p.name for p in all_of(db(sandbox), Partner)] == ["Acme"]
    assert count(db(sandbox), Interaction) == 1


def test_edit_opens_the_form_filled_in_and_submit_saves_it(shell: Shell, sandbox: Sandbox) -> None:
    play(shell, "/logcontact Acme call yesterday 14:30 talked prices")

    form = play(shell, ":click 2")
    filled = play(shell, "Note: talked prices and volumes", "medium: Video call")
    sent = play(shell, ":submit")

    assert "Edit contact · form" in form
    assert "at            Time (optional)               14:30" in form
    assert filled.splitlines()[1] == "note = talked prices and volumes"
    assert filled.splitlines()[3] == "medium = Video call"
    assert "Sent the form 'Edit contact'; Slack closed it." in sent
    assert "Updated your contact with Acme." in sent
    stored = only(db(sandbox), Interaction)
    assert (stored.note, stored.medium) == ("talked prices and volumes", "video")


def test_the_form_shows_rapports_field_errors_then_saves(shell: Shell, sandbox: Sandbox) -> None:
    play(shell, '/logcontact "Marta Nowak" (Baltic Freight) call intro')
    play(shell, "/logcontact")
    play(shell, "partner: balt", "promise: Send the volume forecast")

    refused = play(shell, ":submit")
    play(shell, "due: 2026-12-04")
    saved = play(shell, ":submit")

    assert "⚠ When is the promise due?" in refused
    assert "Rapport kept the form open: 1 field(s) to fix, see above." in refused
    assert "Logged your contact with Marta Nowak (Baltic Freight)." in saved
    promise = only(db(sandbox), Promise)
    assert (promise.text, promise.due_on.isoformat()) == ("Send the volume forecast", "2026-12-04")


def test_cancel_closes_the_form_without_sending_it(shell: Shell, sandbox: Sandbox) -> None:
    play(shell, "/logcontact help")  # known, so the form opens inside the ack
    play(shell, "/logcontact", "new partner: Acme")

    assert play(shell, ":cancel").endswith("Closed the form 'Log a contact' without sending it.")
    assert count(db(sandbox), Partner) == 0
    assert play(shell, ":submit").endswith("✗ no form is open: /logcontact alone opens one")


def test_a_post_is_a_message_event_and_the_shortcut_logs_it(shell: Shell, sandbox: Sandbox) -> None:
    posted = play(shell, ":as kenji", ":post #acme-partners Could you send the deck by Friday?")
    listed = play(shell, ":as you", ":messages #acme-partners")
    form = play(shell, ":shortcut #acme-partners 2")
    saved = play(shell, ":submit")

    assert "Posted in #acme-partners as message 2, Wed 25 Nov 18:00 for the author." in posted
    # The message event is answered; the partner's own message earns no after-hours hint.
    assert "404" not in posted and "hint" not in posted.lower()
    assert re.search(
        r"\n2  Kenji Sato · Wed 25 Nov 10:00 +Could you send the deck by Friday", listed
    )
    assert "new_partner   …or a new partner (optional)  Kenji Sato" in form
    assert "Logged your contact with Kenji Sato." in saved
    assert only(db(sandbox), Partner).slack_user_id == "U0KENJI"
    assert only(db(sandbox), Interaction).note == "Could you send the deck by Friday?"


def test_as_switches_user_and_lang_follows_slack(shell: Shell) -> None:
    shown = play(
        shell, ":as Bob Miller", "/logcontact Acme call sync", ":lang de", "/logcontact help"
    )

    assert "Now acting as Bob Miller (@bob), a colleague (America/New_York, en-US)." in shown
    assert "bob · Wed 25 Nov 04:00 › /logcontact Acme call sync" in shown
    assert "Slack language of Bob Miller (@bob) set to German (de-DE)" in shown
    assert "Kontakte erfassen mit Rapport" in shown


def test_only_the_viewer_can_click_an_ephemeral_reply(shell: Shell) -> None:
    play(shell, "/logcontact Acme call kickoff", ":as bob")

    assert play(shell, ":click 1").endswith("✗ only You sees the last message: :as you")


# --- the clock -----------------------------------------------------------------------------------


def test_the_clock_moves_forwards_in_the_users_zone(shell: Shell) -> None:
    shown = play(
        shell,
        ":now",
        ":advance 1d 12h",
        "/logcontact Acme call yesterday talked",
        ":at 2027-01-04 08:00",
        ":as bob",
        ":now",
    )

    assert "Now: Wed 25 Nov 2026 10:00 (Europe/Berlin), 09:00 UTC." in shown
    assert "Clock: Wed 25 Nov 2026 10:00 → Thu 26 Nov 2026 22:00 (Europe/Berlin)" in shown
    assert 'Nothing arrived on the way; "today" and "yesterday" now mean the new dates.' in shown
    assert "you · Thu 26 Nov 22:00 › /logcontact Acme call yesterday talked" in shown
    assert "Clock: Thu 26 Nov 2026 22:00 → Mon 04 Jan 2027 08:00 (Europe/Berlin)" in shown
    assert "Now: Mon 04 Jan 2027 02:00 (America/New_York), 07:00 UTC." in shown


class TwoNudges:
    """Jobs as the next issue's scheduler will plug in: two DMs to Bob, an hour apart."""

    def __init__(self) -> None:
        self.sandbox: Sandbox | None = None
        self.ran: list[datetime] = []

    def times(self) -> list[datetime]:
        return [START + timedelta(hours=1), START + timedelta(hours=2)]

    def next_due(self, after: datetime, until: datetime) -> datetime | None:
        return next((t for t in self.times() if after < t <= until), None)

    def run(self, at: datetime) -> None:
        assert self.sandbox is not None
        self.ran.append(at)
        slack = self.sandbox.standin
        client = WebClient(token=slack.bot_token, base_url=slack.base_url)
        client.chat_postMessage(channel="U0BOB", text=f"Nudge number {len(self.ran)}")


def test_moving_the_clock_stops_where_jobs_fall_due_and_shows_what_they_sent() -> None:
    jobs = TwoNudges()
    with Sandbox(start=START, jobs=jobs) as sandbox:
        jobs.sandbox = sandbox
        _, shown = console()
        shell = Shell(sandbox, shown)

        moved = play(shell, ":advance 1d")

    # The tick that follows the commands typed (at the instant the clock leaves), then each stop.
    assert jobs.ran == [START, *jobs.times()]
    first, second = moved.index("Nudge number 1"), moved.index("Nudge number 2")
    assert first < second
    assert "Wed 25 Nov 2026 11:00 (Europe/Berlin)" in moved
    assert "Rapport · DM to Bob Miller · Wed 25 Nov 05:00 their time (America/New_York)" in moved
    assert "no scheduled jobs" not in moved and "Nothing arrived" not in moved


# --- answering a nudge DM ----------------------------------------------------------------------

# Acme's check-in falls due 90 days after the first contact: Tuesday 23 February 2027.
CHECK_IN_DUE = ("/logcontact Acme call kickoff", ":at 2027-02-23 10:00")


@pytest.fixture(scope="module")
def nudged() -> Iterator[Shell]:
    """A shell whose last message is a check-in DM, for presses that are refused."""
    with Sandbox(start=START) as running:
        _, shown = console()
        shell = Shell(running, shown)
        play(shell, *CHECK_IN_DUE)
        yield shell


def test_a_nudge_dm_shows_its_menu_and_date_picker_numbered_with_its_button(
    nudged: Shell,
) -> None:
    assert nudged.last is not None
    assert [(b.number, b.kind, b.label) for b in nudged.last.drawn.buttons] == [
        (1, "button", "Log check-in"),
        (2, "static_select", "Snooze…"),
        (3, "datepicker", "Pause partner until…"),
    ]


def test_choosing_from_a_nudge_dms_menu_snoozes_and_redraws_the_dm(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    arrived = play(shell, *CHECK_IN_DUE)
    assert "Rapport · DM to You · Tue 23 Feb 09:00 their time (Europe/Berlin)" in arrived
    assert "[1] Log check-in   [2] Snooze… ▾ (For a week | Until next month)" in arrived
    sent: list[dict[str, Any]] = []
    interaction = sandbox.rapport.sender.interaction

    def recorded(payload: dict[str, Any], **kwargs: Any) -> Answer:
        sent.append(payload)
        return interaction(payload, **kwargs)

    monkeypatch.setattr(sandbox.rapport.sender, "interaction", recorded)

    snoozed = play(shell, ":click 2 week")

    [dm] = sandbox.standin.messages("U0YOU")
    [press] = sent
    assert press["container"] == {
        "type": "message",
        "channel_id": dm["channel"],
        "message_ts": dm["ts"],
        "is_ephemeral": False,
    }
    assert press["message"]["metadata"]["event_type"] == "rapport_nudge"
    assert press["actions"][0]["type"] == "static_select"
    assert press["actions"][0]["selected_option"]["value"] == "week"
    assert "Rapport updated its message · DM to You · Tue 23 Feb 09:00 their time" in snoozed
    assert "💤 Snoozed by @You until Tuesday, March 2, 2027." in snoozed
    assert "Snooze…" not in snoozed  # an answered item has no answers left
    assert shell.problems == 0


def test_a_date_picker_takes_a_day(shell: Shell) -> None:
    play(shell, *CHECK_IN_DUE)

    paused = play(shell, ":click 3 2027-04-01")

    assert "Rapport updated its message" in paused
    assert "Partner paused by @You until Thursday, April 1, 2027." in paused


def test_a_check_in_logged_from_a_nudge_dm_redraws_it_above_the_new_reply(shell: Shell) -> None:
    play(shell, *CHECK_IN_DUE, ":click 1")

    logged = play(shell, ":submit")

    assert logged.index("Check-in logged by @You") < logged.index("Logged your contact with Acme")
    assert shell.last is not None
    assert [b.label for b in shell.last.drawn.buttons] == ["Undo", "Edit"]


@pytest.mark.parametrize(
    ("line", "explained"),
    [
        (
            ":click 2",
            "✗ Snooze… is a menu: :click 2 CHOICE, CHOICE one of 1 For a week, "
            "2 Until next month (its number or the start of a word)",
        ),
        (":click 2 3", "✗ Snooze… has choices 1 to 2, not 3"),
        (
            ":click 2 fortnight",
            "✗ Snooze… has no single choice 'fortnight'; choose one of: 1 For a week, 2 Until",
        ),
        (
            ":click 3",
            "✗ Pause partner until… is a date picker: :click 3 YYYY-MM-DD, "
            "for example :click 3 2027-02-24",
        ),
        (":click 3 2027-02-30", "✗ '2027-02-30' is not a date: a date picker takes YYYY-MM-DD"),
        (":click 3 next week", "✗ 'next week' is not a date: a date picker takes YYYY-MM-DD"),
        (":click 1 now", "✗ Log check-in is a button and takes no choice: :click 1"),
    ],
)
def test_a_press_that_needs_a_choice_explains_what_to_type(
    nudged: Shell, line: str, explained: str
) -> None:
    updates = len(nudged.sandbox.standin.calls_to("chat.update"))

    shown = play(nudged, line).splitlines()

    assert len(shown) == 2, shown
    assert shown[1].startswith(explained)
    assert len(nudged.sandbox.standin.calls_to("chat.update")) == updates


# --- bad input: one line each, never a traceback ----------------------------------------------


def test_the_same_form_submitted_twice_at_once_is_answered_twice(shell: Shell) -> None:
    """Slack gives each submission a trigger id of its own: two are never one replayed."""
    play(shell, "/logcontact help", "/logcontact", "new_partner: Initech", "when: 2030-01-01")

    first = play(shell, ":submit")
    second = play(shell, ":submit")

    assert "Rapport kept the form open" in first
    assert "Rapport kept the form open" in second


@pytest.mark.parametrize(
    ("line", "explained"),
    [
        (":frobnicate", "✗ no command :frobnicate: type :help for the list"),
        (":at 2027-01-04 8h", "✗ '2027-01-04 8h' is not a date and time: use YYYY-MM-DD HH:MM"),
        (":at 2027-02-30 08:00", "✗ '2027-02-30 08:00' is not a real date and time"),
        (":at 2026-11-24 08:00", "✗ 2026-11-24 08:00 is before now (Wed 25 Nov 2026 10:00"),
        (
            ":advance -3d",
            "✗ '-3d' is not a duration: use for example 3d, 12h, 90m, 2w, 1mo or 1d 12h",
        ),
        (":advance 99999999999w", "✗ '99999999999w' is too far to move the clock"),
        (":click 1", "✗ the last message has no buttons"),
        (":click one", "✗ say which button: :click N"),
        (":submit", "✗ no form is open: /logcontact alone opens one"),
        ("note: hello", "✗ no form is open: /logcontact alone opens one"),
        ("hello there", "✗ not a command: start with /logcontact, /rapport, a :command, or :help"),
        ("/remind me", "✗ /remind is not a command of Rapport's; it has /logcontact and /rapport"),
        (
            ":as nobody",
            "✗ nobody here is called 'nobody'; try one of you, bob, kenji, emma, lena, rui",
        ),
        (":lang fr", "✗ say which language: :lang de or :lang en"),
        (":post #acme-partners", "✗ say where and what: :post #channel [--thread N"),
        (":post #acme-partners --thread", "✗ --thread takes a value: :post #channel"),
        (":post #acme-partners --thread x hi", "✗ --thread takes a message number"),
        (":post #acme-partners --thread 0 hi", "✗ --thread takes a message number"),
        (":post #acme-partners --thread ² hi", "✗ --thread takes a message number"),
        (":post #acme-partners --thread 9 hi", "✗ #acme-partners has messages 1 to 1, not 9"),
        (":post #acme-partners --broadcast hi", "✗ --broadcast sends a thread reply"),
        (":post #acme-partners --file", "✗ --file takes a value"),
        (":post #acme-partners --file a.pdf --thread 1 x", "✗ a file goes to the channel"),
        (":post #acme-partners --loud hi", "✗ --loud is no option of :post"),
        (":post #acme-partners --thread 1", "✗ say where and what"),
        (":post #random hello", "✗ which channel to post in? #random is none of"),
        (":shortcut #acme-partners 7", "✗ #acme-partners has messages 1 to 1, not 7"),
        (":messages", "✗ which messages? :messages dm for your DMs, or a channel: #partners-team"),
        (":messages #random", "✗ which channel to list? #random is none of"),
    ],
)
def test_bad_input_gets_one_line(fresh_shell: Shell, line: str, explained: str) -> None:
    shown = play(fresh_shell, line).splitlines()

    assert len(shown) == 2, shown
    assert shown[1].startswith(explained)
    assert fresh_shell.problems == 1


def test_submit_with_a_required_field_missing_names_it(shell: Shell) -> None:
    play(shell, "/logcontact help", "/logcontact", "kind:")

    shown = play(shell, ":submit").splitlines()

    assert shown[1:] == ["✗ fill in first: Kind (kind)"]


@pytest.mark.parametrize(
    ("line", "explained"),
    [
        ("medium: fax", "✗ How has no choice 'fax'; it takes one of: Call, Video call, Meeting"),
        ("when: 2026-13-01", "✗ '2026-13-01' is not a date: use YYYY-MM-DD"),
        ("at: 25:00", "✗ '25:00' is not a time: use HH:MM"),
        ("partner: zzz", "✗ no match for 'zzz' in Partner"),
        ("colour: red", "✗ the form has no field 'colour'; its fields are partner, new_partner"),
        ("note: " + "x" * 3001, "✗ Note takes at most 3000 characters; that is 3001"),
    ],
)
def test_a_bad_field_value_gets_one_line(fresh_shell: Shell, line: str, explained: str) -> None:
    play(fresh_shell, "/logcontact help", "/logcontact")

    shown = play(fresh_shell, line).splitlines()

    assert len(shown) == 2, shown
    assert shown[1].startswith(explained)


# --- piped input is typing -----------------------------------------------------------------------

SESSION = [
    "/logcontact Acme call kickoff",
    ":click 2",
    "note: kickoff with the whole team",
    ":submit",
    ":as kenji",
    ":post #acme-partners hello",
    ":as you",
    ":advance 2d",
    ":click 9",
]


def transcript(*, typed: bool) -> str:
    """SESSION played from a pipe, or typed at the prompt (the terminal echoing each line)."""
    with Sandbox(start=START) as sandbox:
        out, shown = console()
        shell = Shell(sandbox, shown)
        if not typed:
            shell.play(SESSION)
            return out.getvalue()
        lines = iter(SESSION)

        def read(prompt: str) -> str:
            line = next(lines, None)
            if line is None:
                raise EOFError
            out.write(prompt + line + "\n")
            return line

        shell.interact(read)
        return out.getvalue().removesuffix("\n")  # the newline Ctrl-D leaves behind


def test_piped_lines_read_exactly_like_typed_ones() -> None:
    piped = transcript(typed=False)

    assert piped == transcript(typed=True)
    assert "Updated your contact with Acme." in piped
    assert piped.rstrip().endswith("✗ the last message has buttons 1 to 2, not 9")


def test_rapport_shell_reads_a_piped_session(tmp_path: Path) -> None:
    kept = tmp_path / "kept.db"
    script = "/logcontact Acme call kickoff\n:click 1\n:frobnicate\n:at yesterday\n"

    done = run_rapport(
        "shell", "--db", str(kept), "--name", "Alice Berger", stdin=script, cwd=tmp_path
    )

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.endswith("› /logcontact Acme call kickoff") for line in lines)
    assert any(line.startswith("alice · ") for line in lines)
    assert "Undone: the contact and the new partner Acme are removed." in done.stdout
    assert "✗ no command :frobnicate: type :help for the list" in lines
    assert any(line.startswith("✗ 'yesterday' is not a date and time") for line in lines)
    assert f"SQLite at {kept} (kept)" in done.stdout
    assert kept.exists()
    assert not (tmp_path / "rapport.db").exists()  # never the serve default in the working dir


def test_rapport_shell_in_german(tmp_path: Path) -> None:
    done = run_rapport("shell", "--lang", "de", stdin="/logcontact hilfe\n", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "Kontakte erfassen mit Rapport" in done.stdout


def test_moving_onto_a_public_holiday_says_no_nudge_goes_out_and_when_it_comes(
    shell: Shell,
) -> None:
    shown = play(
        shell,
        "/logcontact Acme call kickoff promise: send the deck by 25 December",
        ":at 2026-12-25 10:00",
        ":at 2026-12-28 10:00",
    )

    on_the_day = shown[shown.index("→ Fri 25 Dec 2026 10:00") : shown.index("› :at 2026-12-28")]
    assert (
        "Today is a public holiday for you (Christmas Day): no nudge DM goes out, anything due "
        "comes Mon 28 Dec 2026 09:00." in on_the_day
    )
    assert "overdue since Friday, December 25, 2026" in shown[shown.index("› :at 2026-12-28") :]


def test_an_ordinary_working_evening_adds_no_note_about_the_outbox(shell: Shell) -> None:
    shown = play(shell, ":at 2026-11-26 22:00")

    assert "Nothing arrived on the way" in shown
    assert "in the outbox" not in shown and "public holiday" not in shown


def test_a_post_mentioning_the_tokyo_partner_at_23_00_their_time_shows_the_hint(
    shell: Shell,
) -> None:
    shown = play(
        shell,
        ":at 2026-11-26 15:00",  # 23:00 in Tokyo
        ":post #acme-partners @kenji could you check the deck?",
        ":click 1",
    )

    assert "Rapport in #acme-partners · only visible to you" in shown
    assert "@Kenji Sato: Thursday, 11:00\u202fPM their time (Asia/Tokyo)" in shown
    assert "pick a later time" in shown
    assert "No more after-hours hints in" in shown


def test_moving_over_public_holidays_names_the_working_days_without_a_nudge_dm(
    shell: Shell,
) -> None:
    shown = play(
        shell, "/logcontact Acme call kickoff", ":at 2026-12-23 12:00", ":at 2027-01-05 12:00"
    )

    assert (
        "Public holidays for you on the way, without a nudge DM: Fri 25 Dec (Christmas Day), "
        "Fri 01 Jan (New Year's Day)." in shown
    )
    # Before the move over the holidays, none is named.
    assert shown.count("Public holidays for you on the way") == 1


def flat(shown: str) -> str:
    """What the shell drew, its boxes' borders and line breaks read as single spaces."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", shown).split())


def test_the_large_shared_channel_shows_no_hint_for_a_plain_message(
    shell: Shell, sandbox: Sandbox
) -> None:
    plain = play(shell, ":at 2026-11-26 15:00", ":post #acme-community good night all")
    called = play(shell, ":post #acme-community @here good night all")
    small = play(shell, ":post #acme-partners good night all")

    community = sandbox.channel("acme-community")
    assert community is not None and community.shared and len(community.members) + 1 > 5
    assert "only visible to you" not in plain
    assert "@Kenji Sato: Thursday, 11:00\u202fPM their time (Asia/Tokyo)" in called
    assert "Why: your message said @here." in called
    assert "Why: this channel is small (5 members), so everyone in it sees each message." in (
        flat(small)
    )


def test_a_thread_reply_reaches_the_channel_only_when_sent_there_too(
    shell: Shell, sandbox: Sandbox
) -> None:
    kept = play(shell, ":at 2026-11-26 15:00", ":post #acme-partners --thread 1 thanks, noted")
    sent = play(shell, ":post #acme-partners --thread 1 --broadcast thanks, noted")

    assert "Replied in the thread of message 1 of #acme-partners as message 2" in kept
    assert "only visible to you" not in kept
    assert "Replied in the thread of message 1 of #acme-partners, sent to the channel too," in sent
    assert "@Kenji Sato: Thursday, 11:00\u202fPM their time (Asia/Tokyo)" in sent
    assert "your thread reply was sent to the channel too." in flat(sent)
    first, reply, broadcast = sandbox.standin.messages("C0SHARED")
    assert reply["thread_ts"] == broadcast["thread_ts"] == first["ts"]
    assert "subtype" not in reply and broadcast["subtype"] == "thread_broadcast"


def test_a_reply_in_a_reply_joins_the_same_thread_and_names_whom_it_mentions(
    shell: Shell, sandbox: Sandbox
) -> None:
    shown = play(
        shell,
        ":at 2026-11-26 15:00",
        ":post #acme-community --thread 1 first reply",
        ":post #acme-community --thread 2 @kenji a reply to the reply",
    )
    first, _, second = sandbox.standin.messages("C0COMMUNITY")[-3:]
    assert second["thread_ts"] == first["ts"]
    assert "@Kenji Sato: Thursday" in shown and "Why" not in shown  # mentioned: that is why


def test_a_file_shared_in_a_small_channel_earns_the_hint(shell: Shell, sandbox: Sandbox) -> None:
    shown = play(shell, ":at 2026-11-26 15:00", ":post #acme-partners --file deck.pdf")

    assert "Shared deck.pdf in #acme-partners as message 2" in shown
    assert "this channel is small (5 members)" in flat(shown)
    shared = sandbox.standin.messages("C0SHARED")[-1]
    assert shared["subtype"] == "file_share" and shared["files"][0]["name"] == "deck.pdf"
    assert shared["text"] == ""
