"""`rapport demo`, run as the README says, with no Slack settings: each feature's key lines.

When a later issue adds a feature to the demo's script, its key lines go into `FEATURES`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

RAPPORT = str(Path(sys.executable).with_name("rapport"))
# The issue allows a minute on a fresh machine; the demo takes about a second here.
BUDGET_SECONDS = 30

FEATURES = {
    "a first command, answered after asking Slack": [
        "you · Wed 25 Nov 10:00 › /logcontact Acme call discussed the Q3 roadmap",
        "Rapport · only visible to you · via response_url",
        "✅ Logged your contact with Acme.",
        "🆕 Acme is a new partner; Undo removes it again.",
    ],
    "a promise, answered inside the ack": [
        "Rapport · only visible to you · in the ack",
        "📅 due Tuesday, December 1, 2026",
    ],
    "a Slack Connect partner by mention": [
        "/logcontact @kenji video talked about the Osaka pilot",
        "✅ Logged your contact with Kenji Sato.",
    ],
    "German input": [
        "✅ Logged your contact with Jens Ohlsen (Nordwind GmbH).",
        "Angebot schicken",
        "📅 due Friday, November 27, 2026",
    ],
    "did you mean": [
        "Did you mean that one",
        "[1] Acme   [2] New partner Acmee   [3] Cancel",
        "replaces the message you clicked",
    ],
    "Undo": ["↩ Undone: the contact with Acme is removed."],
    "Edit and the form": [
        "Edit contact · form",
        "note = talked prices and volumes",
        "Sent the form 'Edit contact'; Slack closed it.",
        "✏ Updated your contact with Acme.",
    ],
    "the empty form, with Rapport's field errors": [
        "you · Wed 25 Nov 10:00 › /logcontact\n",
        "partner = Jens Ohlsen (Nordwind GmbH)",
        "⚠ When is the promise due?",
        "Rapport kept the form open: 1 field(s) to fix, see above.",
        "📅 due Friday, December 4, 2026",
    ],
    "the message shortcut": [
        "kenji · Wed 25 Nov 18:00 › :post #acme-partners Could you send the pilot figures",
        "you · Wed 25 Nov 10:00 › :shortcut #acme-partners 2",
        "Could you send the pilot figures & the deck by Friday?",
        "Send the pilot figures and the deck",
    ],
    "the after-hours hint": [
        "you · Wed 25 Nov 10:00 › :post #acme-partners @kenji thanks, the figures come tomorrow",
        "Rapport in #acme-partners · only visible to you",
        "your message here reached someone outside their business hours.",
        "@Kenji Sato: Wednesday, 6:00\u202fPM their time (Asia/Tokyo)",
        "pick a later time",
    ],
    "help": ["Logging contacts with Rapport"],
    "the user's language": [
        "Slack language of You (@you) set to German (de-DE)",
        "✅ Dein Kontakt mit Acme ist erfasst.",
        "[1] Rückgängig   [2] Bearbeiten",
    ],
    "the clock": [
        "Now: Wed 25 Nov 2026 10:00 (Europe/Berlin), 09:00 UTC.",
        "Clock: Wed 25 Nov 2026 10:00 → Sat 28 Nov 2026 10:00 (Europe/Berlin), 3 days later.",
        "Thu 26 Nov 2026 09:00 (Europe/Berlin)",
        "Rapport · DM to You · Thu 26 Nov 09:00 their time (Europe/Berlin)",
        "👋 For today: 2 promises.",
        "you · Sat 28 Nov 10:00 › /logcontact Acme call yesterday quick check on the quote",
        "Clock: Sat 28 Nov 2026 10:00 → Fri 25 Dec 2026 10:00 (Europe/Berlin)",
        "Today is a public holiday for you (Christmas Day): no nudge DM goes out, anything due "
        "comes Mon 28 Dec 2026 09:00.",
        "Clock: Fri 25 Dec 2026 10:00 → Mon 04 Jan 2027 08:00 (Europe/Berlin)",
        "you · Mon 04 Jan 08:00 › /logcontact Acme check-in: happy new year, Q1 planning",
    ],
    "nudges": [
        "Rapport · DM to You · Mon 30 Nov 09:00 their time (Europe/Berlin)",
        "👋 For today: 3 promises.",
        "you · Mon 04 Jan 08:00 › /logcontact settings hours 8-17 days mon-thu",
        "Rapport will nudge you Mon–Thu, 08:00–17:00 (Europe/Berlin).",
        # Overdue since Christmas: the weekly reminders come on Mondays, the first one as soon as
        # the clock moves on from the Monday 08:00 the new hours opened at, as the server does.
        "Rapport · DM to You · Mon 04 Jan 08:00 their time (Europe/Berlin)",
        "Rapport · DM to You · Mon 11 Jan 08:00 their time (Europe/Berlin)",
        "Rapport · DM to You · Mon 22 Feb 08:00 their time (Europe/Berlin)",
        "Jens Ohlsen (Nordwind GmbH): no check-in yet; first contact 90 days ago",
        "Kenji Sato: no check-in yet; first contact 90 days ago",
        "[1] Log check-in   [2] Snooze… ▾ (For a week | Until next month)   [3] Pause partner",
    ],
    "one-click answers on nudge DMs": [
        "you · Fri 26 Feb 12:00 › :click 2 week",
        "Rapport updated its message · DM to You · Tue 23 Feb 08:00 their time (Europe/Berlin)",
        "💤 Snoozed by @You until Friday, March 5, 2027.",
        "Rapport · DM to You · Mon 01 Mar 08:00 their time (Europe/Berlin)",
        "send the contract draft (to Acme): due tomorrow.",
        "you · Mon 01 Mar 09:00 › :click 1",
        "Rapport updated its message · DM to You · Mon 01 Mar 08:00 their time (Europe/Berlin)",
        "✅ Kept, marked by @You, Monday, March 1, 2027.",
    ],
    "/rapport partners and a partner card": [
        "you · Mon 01 Mar 09:00 › /rapport partners",
        "Your partners · 3 partners",
        "last contact 3 days ago · check-in due Sunday, April 4, 2027 · we promised 2",
        "you · Mon 01 Mar 09:00 › /rapport partner Acme",
        "👤 Acme",
        "Last contacts (8)",
        "• send the revised quote, ⚠ overdue since Tuesday, December 1, 2026 (@You)",
        "[1] Log contact   [2] Edit profile   [3] Hand over   [4] Pause",
    ],
    "an earlier DM answered": [
        "you · Mon 01 Mar 09:00 › :messages dm",
        "Your DM with Rapport, oldest first (times for You):",
        ":click 1.1 Kept, 1.2 Need more time…, 1.3 Drop, 1.4 Kept",
        "you · Mon 01 Mar 09:00 › :click 1.1",
        "Rapport updated its message · DM to You · Thu 26 Nov 09:00 their time (Europe/Berlin)",
        "Last contact: Message, yesterday, by @You.",
    ],
    "a channel subscribed to the team digest": [
        "you · Mon 01 Mar 11:00 › :in #partners-team /rapport digest on",
        "Rapport · only visible to you in #partners-team · via response_url",
        "✅ This channel now gets Rapport's digest of the partners who need attention.",
        "Next digest: Monday, March 8, 2027, 09:00",
        "Rapport · in #partners-team · Mon 01 Mar 11:00",
        "📰 You subscribed this channel to Rapport's digest",
    ],
    "the digest, posted on its Monday at 09:00": [
        "Clock: Mon 01 Mar 2027 11:00 → Mon 08 Mar 2027 09:00 (Europe/Berlin)",
        "Rapport · in #partners-team · Mon 08 Mar 09:00",
        "Partners who need attention",
        "Jens Ohlsen (Nordwind GmbH) · 🔴 promises overdue past reminders, neglected, and check-in",
        "last contact 103 days ago · we promised 1 (1 overdue ⚠)",
        "[1] ⋯ (I'll reach out | Log contact)",
        "you · Mon 08 Mar 09:00 › :messages #partners-team",
        "2  Rapport · Mon 08 Mar 09:00  Partners who need attention: 3 partners, 1 owner",
        ":click 2.1 ⋯ Jens Ohlsen (Nordwind GmbH), 2.2 ⋯ Kenji Sato, 2.3 ⋯",
    ],
    "a colleague's claim, shown to everyone": [
        "bob · Mon 08 Mar 03:00 › :click 2.1 reach",
        "🙋 For the next 14 days you get Jens Ohlsen (Nordwind GmbH)'s check-in nudges instead of",
        "Rapport updated its message · in #partners-team · Mon 08 Mar 03:00",
        "🙋 @Bob Miller is on it until Mon, Mar 22",
    ],
    "the Home tab": [
        "you · Mon 08 Mar 09:00 › :home",
        "Rapport · your Home tab",
        "My partners",
        "My open promises",
        "My reliability",
        "My settings",
        "[1] Edit settings",
    ],
    "the summary": [
        "What you saw",
        "✓ /logcontact in English and German",
        "✓ nudge DMs: promises falling due and overdue, check-ins due a quarter after the last",
        "✓ one-click answers on nudge DMs: snooze a check-in, mark a promise kept",
        "✓ /rapport partners: your partners at a glance; /rapport partner NAME: a partner's card",
        "✓ any earlier message answered: :messages dm lists Rapport's DMs, :click M.N presses",
        "✓ an after-hours hint: a message reaching a partner outside their hours",
        "✓ team digests: /rapport digest on in a channel, the digest posted on its Monday 09:00",
        "✓ \"I'll reach out\" on a digest's ⋯ menu: a colleague claims a partner",
        "✓ the App Home: your partners with their health, your open promises, your reliability",
        "Explore on your own with `rapport shell`",
    ],
}


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], float]:
    names = ("SLACK_", "DATABASE_URL", "PORT", "FORCE_COLOR")
    env = {k: v for k, v in os.environ.items() if not k.startswith(names)}
    started = time.perf_counter()
    done = subprocess.run(
        [RAPPORT, "demo"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path_factory.mktemp("demo"),
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    return done, time.perf_counter() - started


def test_the_demo_runs_to_the_end_quickly_and_says_how_long_it_took(demo) -> None:
    done, seconds = demo
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    assert done.stderr == ""
    assert "✗" not in done.stdout
    assert re.search(r"^Demo finished in \d+\.\d s\.$", done.stdout.splitlines()[-1])
    assert seconds < BUDGET_SECONDS
    # Everything the demo set out to show is in Rapport now: no "coming later" line is left.
    assert "Not in Rapport yet" not in done.stdout


@pytest.mark.parametrize("feature", FEATURES)
def test_the_transcript_shows(demo, feature: str) -> None:
    done, _ = demo
    missing = [line for line in FEATURES[feature] if line not in done.stdout]
    assert not missing, f"{feature}: the demo no longer shows {missing}"


def test_the_features_appear_in_the_order_of_the_script(demo) -> None:
    done, _ = demo
    firsts = [done.stdout.index(lines[0]) for lines in FEATURES.values()]
    assert firsts == sorted(firsts)


def test_the_demo_in_german(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FORCE_COLOR"))}
    done = subprocess.run(
        [RAPPORT, "demo", "--lang", "de"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    assert "Dein Kontakt mit Jens Ohlsen (Nordwind GmbH) ist erfasst." in done.stdout
    assert "Slack language of You (@you) set to English (en-US)" in done.stdout
    assert "✅ Logged your contact with Acme." in done.stdout  # the one English reply
    # The digest speaks the channel's language, its subscriber's: German; Bob chose its
    # "Ich melde mich", and the Home is in German.
    assert "bob · Mon 08 Mar 03:00 › :click 2.1 melde" in done.stdout
    assert "Partner, die Aufmerksamkeit brauchen" in done.stdout
    assert "🙋 @Bob Miller kümmert sich bis Mo., 22. März" in done.stdout
    assert "Meine Partner" in done.stdout
    # The overdue reminders come on the Mondays, as in English.
    assert "Rapport · DM to You · Mon 04 Jan 08:00 their time (Europe/Berlin)" in done.stdout
    assert "überfällig seit Freitag, 25. Dezember 2026 (17 Tage)" in done.stdout
    assert "Meine Verlässlichkeit" in done.stdout
    assert "✗" not in done.stdout
