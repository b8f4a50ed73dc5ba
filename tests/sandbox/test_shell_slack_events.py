"""The shell doing what admins and Slack do: `:share` a channel, add a `:guest` to one,
`:archive` it, make someone `:leave`, and `:fail` Slack's answers to a method. Each sends the
event Slack sends (checked as sent) or sets the state Slack answers with, so that a digest
withdrawn, a subscription suspended, a withdrawal retried and given up (the subscriber told)
and an owner's partners left unowned can be watched, in English and German."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.sandbox.shell import HELP, Shell
from bot.sandbox.workspace import YOU, Sandbox
from bot.usecases.digests.withdrawals import MAX_ATTEMPTS
from storage.models import DigestSubscription, DigestWithdrawal, Partner
from tests.sandbox.test_shell import flat
from tests.sandbox.test_shell_digest_home import digest_posted, recorded
from tests.support.rows import all_of
from tests.support.shell import db, play

WITHDRAWN_GUEST = "This digest was withdrawn: a workspace guest is now in the channel."
WITHDRAWN_SHARED = "This digest was withdrawn: the channel is now shared with another organisation."


def withdrawals(sandbox: Sandbox) -> list[DigestWithdrawal]:
    with db(sandbox).reading() as session:
        return list(session.scalars(select(DigestWithdrawal)))


def digest_text(sandbox: Sandbox) -> str:
    """What the digest message in #partners-team reads now (its text and blocks)."""
    posted = [m for m in sandbox.standin.messages("C0TEAM") if m.get("metadata")]
    assert posted, "no digest was posted"
    return json.dumps(posted[-1], ensure_ascii=False)


def test_help_lists_the_slack_side_commands(shell: Shell) -> None:
    shown = play(shell, ":help")
    for command in (":share #channel", ":guest NAME #channel", ":archive #channel"):
        assert command in shown
    assert ":leave @name" in shown
    assert ":fail METHOD [N] [ERROR]" in shown
    assert all(name in shell.commands() for name in (":share", ":guest", ":archive", ":leave"))
    assert ":fail" in HELP


def test_a_guest_joining_withdraws_the_digest_and_is_a_guest_to_slack(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest_posted(shell)
    assert "Acme" in digest_text(sandbox)
    _, events = recorded(sandbox, monkeypatch)

    shown = play(shell, ":guest Gina Gast #partners-team")

    (envelope,) = events
    event = envelope["event"]
    assert event["type"] == "member_joined_channel"
    assert event["channel"] == "C0TEAM"
    assert event["user"] == "U0GGINA"
    assert event["inviter"] == YOU
    assert "Gina Gast (@gina) is now a guest of the workspace" in shown
    assert "Rapport updated its message · in #partners-team" in shown
    assert WITHDRAWN_GUEST in flat(shown)
    text = digest_text(sandbox)
    assert "Acme" not in text and "Globex" not in text
    assert "U0GGINA" in sandbox.standin.update_channel("C0TEAM")["members"]
    people = play(shell, ":as")
    assert "@gina" in people and "guest" in people
    assert "a guest of the workspace" in play(shell, ":as gina")
    assert shell.problems == 0


def test_a_guest_already_in_the_channel_or_a_colleague_is_refused(shell: Shell) -> None:
    play(shell, ":guest Gina #partners-team")
    again = play(shell, ":guest gina #partners-team")
    colleague = play(shell, ":guest bob #partners-team")
    partner = play(shell, ":guest kenji #partners-team")
    nowhere = play(shell, ":guest Gina", ":guest #partners-team", ":guest Otto #nowhere")

    assert "✗ Gina is in #partners-team already" in again
    assert "✗ Bob Miller is a colleague, not a workspace guest" in colleague
    assert "✗ Kenji Sato is an external partner, not a workspace guest" in partner
    assert nowhere.count("✗") == 3
    assert shell.problems == 6


def test_sharing_a_channel_suspends_the_digest_tells_the_subscriber_and_withdraws(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest_posted(shell)
    _, events = recorded(sandbox, monkeypatch)

    shown = flat(play(shell, ":share #partners-team"))

    (envelope,) = events
    assert envelope["event"]["type"] == "channel_shared"
    assert envelope["event"]["channel"] == "C0TEAM"
    assert envelope["is_ext_shared_channel"] is True
    assert "Rapport's digest in #partners-team is suspended" in shown
    assert WITHDRAWN_SHARED in shown
    (subscription,) = all_of(db(sandbox), DigestSubscription)
    assert (subscription.state, subscription.suspended_reason) == ("suspended", "ext_shared")
    assert "✗ #partners-team is shared with another organisation already" in play(
        shell, ":share #partners-team"
    )
    status = flat(play(shell, ":in #partners-team /rapport digest status"))
    assert "suspended" in status
    assert shell.problems == 1


def test_a_refused_withdrawal_is_retried_and_given_up_with_the_subscribers_dm(
    shell: Shell, sandbox: Sandbox
) -> None:
    digest_posted(shell)

    scripted = play(shell, f":fail chat.update {MAX_ATTEMPTS + 5}")
    joined = play(shell, ":guest Gina #partners-team")
    first = play(shell, ":advance 1m")

    assert f"Slack refuses the next {MAX_ATTEMPTS + 5} calls of chat.update" in scripted
    assert "internal_error (HTTP 500)" in scripted
    assert "Slack refused what Rapport asked: chat.update internal_error." in joined
    assert "Rapport updated its message" not in joined
    assert "chat.update internal_error" in first
    (kept,) = withdrawals(sandbox)
    assert kept.error == "internal_error"
    assert "Acme" in digest_text(sandbox)  # still showing: Slack refused every change

    given_up = flat(play(shell, ":advance 4h"))

    assert "Rapport · DM to You" in given_up
    assert "Rapport could not withdraw its digests in #partners-team" in given_up
    assert "Slack refused for over an hour (internal_error)" in given_up
    assert withdrawals(sandbox) == []
    assert "Acme" in digest_text(sandbox)
    status = flat(play(shell, ":in #partners-team /rapport digest status"))
    assert (
        "Withdrawal given up: the digests posted here still show partners (1), though a "
        "workspace guest is in the channel"
    ) in status
    assert shell.problems == 0


def test_a_withdrawal_slack_refused_once_is_made_on_the_next_try(
    shell: Shell, sandbox: Sandbox
) -> None:
    digest_posted(shell)
    play(shell, ":fail chat.update")
    refused = play(shell, ":guest Gina #partners-team")
    retried = flat(play(shell, ":advance 2m"))

    assert "chat.update internal_error" in refused
    assert "Rapport updated its message" in retried
    assert WITHDRAWN_GUEST in retried
    assert withdrawals(sandbox) == []
    status = flat(play(shell, ":in #partners-team /rapport digest status"))
    assert "(Europe/Berlin), since withdrawn" in status
    assert "Withdrawn: the digests posted here (1), since a workspace guest is in the channel" in (
        status
    )
    assert shell.problems == 0


def test_archiving_the_channel_of_a_pending_withdrawal_ends_it_and_tells_the_subscriber_in_german(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest_posted(shell)
    play(shell, ":lang de", ":fail chat.update 2", ":guest Gina #partners-team")
    _, events = recorded(sandbox, monkeypatch)

    archived = play(shell, ":archive #partners-team")
    ended = flat(play(shell, ":advance 5m"))

    (envelope,) = events
    assert envelope["event"] == {
        "type": "channel_archive",
        "channel": "C0TEAM",
        "user": YOU,
        "event_ts": envelope["event"]["event_ts"],
    }
    assert "#partners-team is archived" in archived
    assert "Rapport konnte seine Übersichten in #partners-team nicht zurückziehen" in ended
    assert "Der Kanal ist archiviert" in ended
    assert withdrawals(sandbox) == []
    refusals = play(
        shell,
        ":post #partners-team hello",
        ":in #partners-team /rapport digest status",
        ":archive #partners-team",
        ":guest Otto #partners-team",
    )
    assert refusals.count("✗ #partners-team is archived: Slack changes nothing there") == 4
    assert shell.problems == 4


def test_an_owner_leaving_leaves_their_partners_unowned(
    shell: Shell, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    play(shell, ":as bob", "/logcontact Initech call intro", ":as you")
    _, events = recorded(sandbox, monkeypatch)

    left = play(shell, ":leave @bob")

    (envelope,) = events
    profile = envelope["event"]["user"]
    assert envelope["event"]["type"] == "user_change"
    assert (profile["id"], profile["deleted"]) == ("U0BOB", True)
    assert "Slack deactivated Bob Miller (@bob)" in left
    (initech,) = all_of(db(sandbox), Partner)
    unowned = flat(play(shell, "/rapport partners unowned"))
    assert initech.name in unowned
    assert "✗ Bob Miller has left the company" in play(shell, ":as bob")
    assert "✗ Bob Miller has left already" in play(shell, ":leave bob")
    assert "left" in play(shell, ":as")
    refused = play(shell, ":leave you", ":leave kenji", ":leave nobody", ":leave")
    assert "✗ You is who you are acting as" in refused
    assert "✗ Kenji Sato belongs to another organisation" in refused
    assert refused.count("✗") == 4
    assert shell.problems == 6


def test_fail_reads_method_count_and_error_in_either_order_and_refuses_what_is_no_call(
    shell: Shell, sandbox: Sandbox
) -> None:
    limited = play(shell, ":fail chat.postMessage ratelimited 2")
    said = play(shell, ":fail users.info 1 user_not_found")
    wrong = play(
        shell,
        ":fail",
        ":fail chat.delete",
        ":fail chat.update 0",
        ":fail chat.update 101",
        ":fail chat.update Not-A-Word",
    )

    assert "the next 2 calls of chat.postMessage with ratelimited (HTTP 429, Retry-After 30 s)" in (
        limited
    )
    assert "the next call of users.info with user_not_found (HTTP 200)" in said
    assert wrong.count("✗") == 5
    assert "chat.delete is none of the methods Slack answers here" in wrong
    assert shell.problems == 5
