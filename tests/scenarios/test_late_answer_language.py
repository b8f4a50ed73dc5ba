"""The answer the web layer gives on its own when the database is too slow (another process
holds SQLite's write lock past the deadline) or fails speaks the asker's language, from their very
first request on, whichever worker gives it.

Such a request stalled before it read its asker (at the record of its signature), so the web
layer asks the database for their language on the side (`bot.http.asker_language`): a new
member's profile, saved after their first ack, and a language chosen through another worker are
both there.
"""

from __future__ import annotations

from concurrent.futures import Future

import pytest
from sqlalchemy import text

from bot.blocks.contact_form import PARTNER_ACTION
from bot.blocks.replies import ACTION_UNDO
from bot.http.asker_language import Asker, AskerLocales
from bot.rules.clock import ManualClock
from bot.sandbox.signing import block_actions
from bot.sandbox.standin import SlackStandIn
from storage.db import Database
from tests.support.app import RunningRapport
from tests.support.processes import another_process

JONAS = "U0JONAS"  # de-DE in the stand-in's workspace
ANSWER_SECONDS = 1.0


def test_a_new_members_late_answer_is_in_their_language(
    sqlite_db: Database, clock: ManualClock, slack: SlackStandIn
) -> None:
    running = RunningRapport(sqlite_db, clock, slack, answer_seconds=ANSWER_SECONDS).start()
    # Another process on the same file (a second worker) holding the write lock.
    other_process = another_process(sqlite_db)
    try:
        running.command("help", user=JONAS).reply()  # his first request: Slack is asked
        assert other_process.acquire(5)
        command = running.command("Acme Anruf, während ein anderer schreibt", user=JONAS)
        other_process.release()

        assert "Es wurde nichts gespeichert" in command.ack.get("text", "")
    finally:
        other_process.release()
        running.stop()


def test_a_late_answer_from_another_worker_speaks_the_language_chosen_through_one(
    sqlite_db: Database, clock: ManualClock, slack: SlackStandIn
) -> None:
    """Two workers of `rapport serve --workers 2` on one file, each with its own web layer.
    Jonas (de-DE in Slack) has been answered by both, then chooses English through the first;
    when the second must answer on its own (another process holds the write lock past the
    deadline), it answered in German, from what it remembered before his choice. Its German
    answer before the choice shows the English one after is his choice, not a fallback."""
    first_db, second_db = sqlite_db, Database(sqlite_db.url)
    first_db.share_with_processes()
    second_db.share_with_processes()
    first = RunningRapport(first_db, clock, slack, answer_seconds=ANSWER_SECONDS).start()
    second = RunningRapport(second_db, clock, slack, answer_seconds=ANSWER_SECONDS).start()
    other_process = another_process(first_db)
    try:
        first.command("help", user=JONAS).reply()  # his first request: Slack is asked
        first.command("Acme Anruf Auftakt", user=JONAS).reply()
        second.command("Acme Anruf Preise", user=JONAS).reply()  # the second learns "de"
        assert other_process.acquire(5)
        before = second.command("Acme Anruf, während ein anderer schreibt", user=JONAS)
        other_process.release()
        assert "Es wurde nichts gespeichert" in before.ack.get("text", "")
        chosen = first.command("settings language en", user=JONAS).reply()
        assert "Saved your settings" in chosen["text"]
        assert other_process.acquire(5)
        command = second.command("Acme call while another process writes", user=JONAS)
        other_process.release()

        assert "Nothing was saved" in command.ack.get("text", "")
    finally:
        other_process.release()
        first.stop()
        second.stop()
        second_db.dispose()


@pytest.mark.parametrize(
    ("user", "words"), [("U0ALICE", "the database did not answer"), (JONAS, "die Datenbank")]
)
def test_an_answer_given_when_the_replay_check_fails_speaks_the_askers_language(
    rapport: RunningRapport, user: str, words: str
) -> None:
    rapport.command("help", user=user).reply()  # their first request: Slack is asked
    assert rapport.wait_until_idle()  # their profile is saved after the ack
    with rapport.db.transaction() as session:
        session.execute(text("DROP TABLE seen_requests"))  # every signature's record now fails

    command = rapport.command("Acme call while the database fails", user=user)

    assert words in command.ack["text"]


@pytest.mark.parametrize(
    "bare",
    ["team null", "team as a bare id", "user as a bare id"],
)
def test_a_late_answer_to_a_press_names_its_asker_as_bolt_reads_them(
    sqlite_db: Database, clock: ManualClock, slack: SlackStandIn, bare: str
) -> None:
    """Slack sends `team: null` in the interactions of an app installed org-wide (the workspace
    is `user.team_id` then) and the shapes allow a bare team or user id: Bolt serves each as
    Jonas's, in his workspace, so the web layer's own answer must look him up there too, not
    answer in English."""
    running = RunningRapport(sqlite_db, clock, slack, answer_seconds=ANSWER_SECONDS).start()
    other_process = another_process(sqlite_db)
    try:
        running.command("help", user=JONAS).reply()  # his first request: Slack is asked
        assert running.wait_until_idle()  # his profile is saved after the ack
        url = slack.response_url()
        payload = block_actions(
            team_id=slack.team_id,
            user_id=JONAS,
            action_id=ACTION_UNDO,
            value="1",
            response_url=url,
            trigger_id=slack.new_trigger_id(),
        )
        if bare == "team null":
            payload["team"] = None
        elif bare == "team as a bare id":
            payload["team"] = slack.team_id
        else:
            payload["user"] = JONAS
        served = running.sender.interaction(payload)
        assert served.status == 200 and running.wait_until_idle()
        [served_answer] = slack.responses(url)
        assert "rückgängig" in served_answer["text"]  # Bolt serves it in his workspace
        assert other_process.acquire(5)
        payload["trigger_id"] = slack.new_trigger_id()  # a new press, not a replay
        late = running.sender.interaction(payload)
        other_process.release()

        assert late.status == 200 and running.wait_until_idle()
        [*_, answer] = slack.responses(url)
        assert "Es wurde nichts gespeichert" in answer["text"]
    finally:
        other_process.release()
        running.stop()


def test_a_late_answer_without_words_looks_up_no_language(
    sqlite_db: Database, clock: ManualClock, slack: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A block suggestion's late answer is an empty list of options: nothing in any language.
    Its lookup only took a lookup thread from answers that speak (a select asks again and again
    as the person types), while the command's late answer still looks Jonas up."""
    looked_up: list[Asker | None] = []
    look_up = AskerLocales.look_up

    def counted(self: AskerLocales, asker: Asker | None) -> Future[str | None] | None:
        looked_up.append(asker)
        return look_up(self, asker)

    monkeypatch.setattr(AskerLocales, "look_up", counted)
    running = RunningRapport(sqlite_db, clock, slack, answer_seconds=ANSWER_SECONDS).start()
    other_process = another_process(sqlite_db)
    try:
        running.command("help", user=JONAS).reply()  # his first request: Slack is asked
        assert running.wait_until_idle()
        looked_up.clear()
        assert other_process.acquire(5)
        suggested = running.suggest(PARTNER_ACTION, "Ac", user=JONAS)
        assert looked_up == []
        command = running.command("Acme Anruf, während ein anderer schreibt", user=JONAS)
        other_process.release()

        assert suggested.status == 200 and suggested.json() == {"options": []}
        assert looked_up == [(slack.team_id, JONAS)]
        assert "Es wurde nichts gespeichert" in command.ack.get("text", "")
    finally:
        other_process.release()
        running.stop()
