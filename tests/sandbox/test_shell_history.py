"""`rapport shell` reaches back: `:messages dm` lists the DMs Rapport sent, `:click M.N` presses
a button on any message listed, not only the last, and a shell reopened on a kept `--db`
resumes its clock where the last one stopped, never earlier.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.sandbox.shell import Shell
from bot.sandbox.workspace import ClockFileError, Sandbox, clock_file, saved_clock
from tests.support.rows import Promise, all_of
from tests.support.shell import START, console, db, play, run_rapport

# Two promises, due Friday and Monday: a DM on Thursday, another on Friday.
TWO_DMS = (
    "/logcontact Acme call kickoff promise: send the quote by Friday",
    "/logcontact Nordwind call hello promise: send the deck by Monday",
    ":advance 2d",
)


def statuses(sandbox: Sandbox) -> dict[str, str]:
    return {p.text: p.status for p in all_of(db(sandbox), Promise)}


# --- :messages dm and :click M.N ---------------------------------------------------------------


def test_messages_dm_numbers_rapports_dms_with_their_buttons(shell: Shell) -> None:
    play(shell, *TWO_DMS)

    listed = play(shell, ":messages dm")

    assert "Your DM with Rapport, oldest first (times for You):" in listed
    assert "1  Rapport · Thu 26 Nov 09:00  Rapport for today: 1 promise." in listed
    assert "2  Rapport · Fri 27 Nov 09:00  Rapport for today: 2 promises." in listed
    assert ":click 1.1 Kept, 1.2 Need more time…, 1.3 Drop" in listed
    assert ":click 2.1 Kept" in listed
    assert play(shell, ":messages @you") == listed.replace(":messages dm", ":messages @you")


def test_click_m_n_presses_a_button_on_an_earlier_dm(shell: Shell, sandbox: Sandbox) -> None:
    play(shell, *TWO_DMS, ":messages dm")
    assert shell.last is not None and "2 promises" not in str(shell.last)  # the last is Friday's

    pressed = play(shell, ":click 1.1")

    assert "Rapport updated its message · DM to You · Thu 26 Nov 09:00" in pressed
    assert "✅ Kept, marked by @You, Friday, November 27, 2026." in pressed
    assert statuses(sandbox) == {"send the quote": "kept", "send the deck": "open"}
    # Listed again, Thursday's DM has only Undo left; Friday's deck item is still there.
    again = play(shell, ":messages dm")
    assert ":click 1.1 Undo" in again and ":click 1.2" not in again
    assert "2.4 Kept" in again
    play(shell, ":click 2.4")
    assert statuses(sandbox) == {"send the quote": "kept", "send the deck": "kept"}


def test_click_reaches_undo_on_an_answer_given_today(shell: Shell, sandbox: Sandbox) -> None:
    play(shell, *TWO_DMS, ":messages dm", ":click 1.1")

    undone = play(shell, ":click 1")

    assert "Rapport updated its message · DM to You · Thu 26 Nov 09:00" in undone
    assert "[1] Kept" in undone and "Kept, marked by" not in undone
    assert statuses(sandbox) == {"send the quote": "open", "send the deck": "open"}


def test_click_m_n_takes_a_day_for_a_date_picker_of_an_earlier_dm(
    shell: Shell, sandbox: Sandbox
) -> None:
    play(shell, *TWO_DMS, ":messages dm")

    play(shell, ":click 1.2 2026-12-11")

    quote = next(p for p in all_of(db(sandbox), Promise) if p.text == "send the quote")
    assert (quote.status, quote.due_on) == ("open", date(2026, 12, 11))


def test_a_german_users_dm_is_listed_and_pressed_in_german() -> None:
    with Sandbox(start=START, lang="de") as sandbox:
        _, shown = console()
        shell = Shell(sandbox, shown)
        play(shell, "/logcontact Acme Anruf Zusage: Angebot bis Freitag schicken", ":advance 2d")

        listed = play(shell, ":messages dm")
        pressed = play(shell, ":click 1.1")

        assert "Rapport für heute: 1 Zusage." in listed
        assert ":click 1.1 Gehalten, 1.2 Mehr Zeit nötig…, 1.3 Aufgeben" in listed
        assert "Rapport updated its message · DM to You · Thu 26 Nov 09:00" in pressed
        assert "✅ Gehalten, vermerkt von @You, Freitag, 27. November 2026." in pressed
        assert statuses(sandbox) == {"Angebot schicken": "kept"}


@pytest.mark.parametrize(
    ("lines", "explained"),
    [
        ((":click 1.1",), "✗ no messages listed yet: :messages dm or :messages #channel first"),
        ((":messages dm", ":click 1.1"), "✗ your DM with Rapport has messages 1 to 0, not 1"),
        ((":messages #acme-partners", ":click 1.1"), "✗ message 1 has no buttons"),
        ((":messages #acme-partners", ":click 3.1"), "✗ #acme-partners has messages 1 to 1"),
        ((":messages @bob",), "✗ only Bob Miller reads their DM with Rapport: :as bob"),
        ((":messages @nobody",), "✗ whose DM? @nobody is none of @you, @bob, @kenji, @emma"),
        ((":click 1.x",), "✗ say which button: :click N, N as numbered in the last message, or"),
    ],
)
def test_bad_reaching_back_gets_one_line(
    shell: Shell, lines: tuple[str, ...], explained: str
) -> None:
    shown = play(shell, *lines).splitlines()

    assert shown[-1].startswith(explained), shown
    assert shell.problems == 1


def test_someone_elses_dm_cannot_be_pressed(shell: Shell, sandbox: Sandbox) -> None:
    play(shell, *TWO_DMS, ":messages dm", ":as bob")

    shown = play(shell, ":click 1.1").splitlines()

    assert shown[-1] == "✗ only You sees message 1: :as you"
    assert statuses(sandbox) == {"send the quote": "open", "send the deck": "open"}


def test_help_and_the_readme_name_both_ways_to_reach_back(shell: Shell) -> None:
    helped = play(shell, ":help")
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")

    assert (
        ":click M.N              press button N of message M of the last :messages list" in helped
    )
    assert ":messages dm            list your DMs from Rapport the same way" in helped
    assert (
        "| `:click M.N` | press button N of message M as the last `:messages` numbered it" in readme
    )
    assert "| `:messages dm` (or `:messages @you`) |" in readme
    assert "`PATH.clock.json`" in readme


# --- a kept database resumes its clock ---------------------------------------------------------


def test_a_kept_sandbox_resumes_its_clock_where_it_stopped(tmp_path: Path) -> None:
    kept = tmp_path / "kept.db"
    with Sandbox(db_path=kept, start=START) as first:
        shell = Shell(first, console()[1])
        play(shell, "/logcontact Acme call kickoff", ":advance 3d 2h")
        # Saved at once: a session killed now would still resume here.
        assert saved_clock(kept) == START + timedelta(days=3, hours=2)
        first.clock.advance(timedelta(seconds=42))  # a Retry-After pause, say
    stopped = START + timedelta(days=3, hours=2, seconds=42)
    assert saved_clock(kept) == stopped

    with Sandbox(db_path=kept) as again:
        out, shown = console()
        shell = Shell(again, shown)
        shell.banner()
        assert again.clock.now() == stopped  # the seconds too: never a moment back
        assert "Clock resumed at Sat 28 Nov 2026 12:00 (Europe/Berlin)" in out.getvalue()
        assert "you · Sat 28 Nov 12:00 › :now" in play(shell, ":now")

    with Sandbox(db_path=kept, start=START) as earlier:
        assert earlier.clock.now() == stopped  # a start before it is not taken
    later = START + timedelta(days=30)
    with Sandbox(db_path=kept, start=later) as forwards:
        assert forwards.clock.now() == later
    assert saved_clock(kept) == later


def test_a_kept_database_without_its_clock_file_starts_no_earlier_than_its_rows(
    tmp_path: Path,
) -> None:
    kept = tmp_path / "kept.db"
    far = datetime(2031, 5, 6, 7, 8, 30, tzinfo=UTC)  # years after the real time, with seconds
    with Sandbox(db_path=kept, start=START) as first:
        shell = Shell(first, console()[1])
        play(shell, "/logcontact Acme call kickoff")
        first.clock.set(far)
        play(shell, "/logcontact Acme call later promise: send the quote by Friday")
    clock_file(kept).unlink()

    with Sandbox(db_path=kept) as again:
        out, shown = console()
        Shell(again, shown).banner()
        # The next whole minute after the last row written: never before it.
        assert again.clock.now() == datetime(2031, 5, 6, 7, 9, tzinfo=UTC)
        assert "Clock set to Tue 06 May 2031 09:09 (Europe/Berlin), the latest time this " in (
            out.getvalue()
        )
    assert saved_clock(kept) == datetime(2031, 5, 6, 7, 9, tzinfo=UTC)


def test_a_kept_sandbox_reopened_through_a_symlink_never_moves_its_clock_back(
    tmp_path: Path,
) -> None:
    """One database under two names (the file, a link to it) has one clock: a clock file
    beside each name would resume the link's run at an instant before the file's rows."""
    kept = tmp_path / "kept.db"
    link = tmp_path / "link.db"
    with Sandbox(db_path=kept, start=START) as first:
        play(Shell(first, console()[1]), "/logcontact Acme call kickoff")
    link.symlink_to(kept)
    later = START + timedelta(days=30)
    with Sandbox(db_path=link, start=later) as forwards:
        play(Shell(forwards, console()[1]), "/logcontact Acme call later")

    with Sandbox(db_path=kept) as again:
        assert again.clock.now() == later


def test_a_temporary_sandbox_keeps_no_clock_file(tmp_path: Path) -> None:
    with Sandbox(start=START) as running:
        folder = running.db_path.parent
        running.clock.advance(timedelta(days=1))
    assert not folder.exists()
    assert saved_clock(tmp_path / "never.db") is None


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("{not json", "is unreadable (JSONDecodeError)"),
        ('{"then": "2026-11-25T09:00:00+00:00"}', "is unreadable (KeyError)"),
        ('{"now": "next tuesday"}', "is unreadable (ValueError)"),
        ('{"now": "2026-11-25T09:00:00"}', "has no time zone"),
    ],
)
def test_an_unreadable_clock_file_is_refused_in_one_line(
    tmp_path: Path, content: str, said: str
) -> None:
    kept = tmp_path / "kept.db"
    clock_file(kept).write_text(content, encoding="utf-8")

    with pytest.raises(ClockFileError, match=re.escape(said)):
        Sandbox(db_path=kept)

    done = run_rapport("shell", "--db", str(kept), stdin=":now\n", cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.startswith(f"✗ the sandbox clock in {clock_file(kept)}")


def test_rapport_shell_reopened_on_its_db_resumes_the_clock(tmp_path: Path) -> None:
    kept = tmp_path / "kept.db"
    first = run_rapport(
        "shell",
        "--db",
        str(kept),
        stdin="/logcontact Acme call kickoff\n:advance 2w\n",
        cwd=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    saved = json.loads(clock_file(kept).read_text(encoding="utf-8"))["now"]
    assert datetime.fromisoformat(saved) > datetime.now().astimezone() + timedelta(days=13)

    again = run_rapport("shell", "--db", str(kept), stdin=":now\n", cwd=tmp_path)

    assert again.returncode == 0, again.stderr
    resumed = datetime.fromisoformat(saved).astimezone(Sandbox(start=START).people[0].zone)
    assert f"Clock resumed at {resumed:%a %d %b %Y %H:%M} (Europe/Berlin)" in again.stdout
    assert f"you · {resumed:%a %d %b %H:%M} › :now" in again.stdout
