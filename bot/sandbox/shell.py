"""`rapport shell`: talk to Rapport in a terminal, as the people of a sandbox workspace.

Each line does what a person would do in Slack: `/logcontact ...` becomes a signed slash command
(`:in #channel /rapport ...` one typed in a channel), `:click 2` a signed button press (`:click 3
week` a choice from a menu or a ⋯ overflow menu, `:click 4 2027-03-01` a day from a date
picker), `:submit` a signed modal submission, `:post` a message event, `:home` the
`app_home_opened` event of the Home tab, all through the app's real HTTP endpoint. Rapport's
answers are drawn from their Block Kit as they arrive. `:advance` and `:at` move Rapport's clock
(never the request signatures). What admins and Slack itself do is played too, each as the event
Slack sends and the state its Web API answers with from then on: `:share` a channel with another
organisation, a workspace `:guest` joining one, `:archive` one, someone to `:leave` the company,
and `:fail`, Slack refusing a method's next calls.

The shell is a developer tool: its own prompts, help and one-line errors are English only, unlike
what Rapport says to its users, which follows their Slack language. Bad input never ends in a
traceback: every command is caught and explained in one line.
"""

from __future__ import annotations

import itertools
import logging
import re
import secrets
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.sandbox import render
from bot.sandbox.form import Form, FormError, matching
from bot.sandbox.inbox import Arrival, Inbox
from bot.sandbox.loopback import WAIT_SECONDS
from bot.sandbox.outbox_view import HOLIDAYS_LISTED, holidays_passed, waiting_for
from bot.sandbox.signing import Answer, app_home_opened, message_event
from bot.sandbox.timeline import ClockInputError, move, parse_duration, parse_local_instant
from bot.sandbox.workspace import (
    LOCALES,
    TEAM_ID,
    YOU,
    Channel,
    ClockFileError,
    Person,
    Sandbox,
    bypass_proxies,
)
from bot.texts.reader import escape
from bot.usecases.partners.home import COALESCE_SECONDS
from handlers.commands import COMMAND
from handlers.rapport_command import COMMAND as RAPPORT

HELP = """\
/logcontact TEXT        log a contact as the current user (@name mentions someone in :as)
/logcontact             open the form
/rapport TEXT           partners, a partner's card, promises, settings (/rapport help)
:in #channel /rapport TEXT  type the command in #channel, not in your DM with Rapport
                        (/rapport digest on subscribes the channel to the team digest)
:home                   open your Home tab and show it, its buttons numbered for :click N;
                        a press on it answers by drawing it again or opening a form
:click N                press button N of the last message (or of the Home tab shown last)
:click M.N              press button N of message M of the last :messages list (an earlier
                        message, a DM Rapport has since moved past)
:click N CHOICE         choose from menu N, a select or a ⋯ overflow menu (an option's number,
                        or the start of a word of its label), or a day from date picker N
                        (YYYY-MM-DD); :click M.N CHOICE too
field: value            fill in a field of the open form, by its name or label (no value clears);
                        a choice as in menus, several comma-separated (days: Mon, Tue), a
                        person by name or @mention (owner: bob), a number as digits
:submit                 send the open form
:cancel                 close the open form without sending it
:form                   show the open form again
:messages #channel      list a channel's messages, numbered, with their buttons
:messages dm            list your DMs from Rapport the same way (also :messages @you)
:shortcut #channel N    run the message shortcut "Log as contact" on message N of #channel
:post #channel TEXT     post TEXT in #channel as the current user (a message event);
                        before TEXT: --thread N replies in the thread of message N (as
                        :messages numbers them), with --broadcast sent to the channel too;
                        --file NAME shares a file, TEXT its comment (may be left out)
:as NAME                act as someone else; :as alone lists everyone
:lang de|en             change the current user's Slack language (a user_change event)
What admins and Slack do, each as the event Slack sends (or the state Slack answers with):
:share #channel         share #channel with another organisation (channel_shared): its
                        digest is suspended, the digests posted there withdrawn
:guest NAME #channel    a workspace guest NAME (new, or one added before) joins #channel
                        (member_joined_channel): the digests posted there are withdrawn
:archive #channel       archive #channel (channel_archive): nothing can be posted or
                        changed there any more
:leave @name            @name leaves the company: Slack deactivates them (user_change,
                        deleted); the partners they looked after are nobody's
:fail METHOD [N] [ERROR]  Slack refuses the next N calls (1 unless told) of METHOD
                        (chat.update, chat.postMessage, conversations.info, ...) with ERROR:
                        internal_error (HTTP 500) unless told; ratelimited answers HTTP 429
                        with Retry-After 30 s; any other word as Slack answers it (HTTP 200)
:now                    Rapport's clock, in the current user's time zone
:advance 3d             move the clock forwards (mo w d h m, also combined: 1d 12h); 1mo is
                        the same day and time next month in your zone (31 Jan → 28 Feb)
:at 2027-01-04 08:00    move the clock to that time in the current user's zone (never backwards)
:help                   this list
:quit or Ctrl-D         leave
Lines starting with # are comments. The shell speaks English; Rapport answers each person in
their Slack language."""
QUIT = (":quit", ":exit", ":q")
FAIL_USAGE = ":fail METHOD [N] [ERROR], e.g. :fail chat.update 3"
# What `:fail` refuses with unless told, the most calls it refuses at once, and the HTTP status
# Slack answers an error with (any other error: 200, `ok` false).
DEFAULT_FAILURE = "internal_error"
FAIL_AT_MOST = 100
RETRY_AFTER_S = 30
_FAILURE_STATUS = {
    "internal_error": 500,
    "fatal_error": 500,
    "service_unavailable": 503,
    "ratelimited": 429,
}
_SLACK_ERROR = re.compile(r"[a-z][a-z_]*")
# The organisation a channel is shared with by `:share` (the partners' own workspace).
CONNECTED_TEAM = "T0OSAKA"
_FIELD_LINE = re.compile(r"([^:/#][^:]*?)\s*:(.*)")
_MENTION = re.compile(r"(?<![\w<|])@([\w.-]+)")
# A web address or an e-mail address as Slack links them in typed text; a link ends before
# whitespace and before a closing punctuation mark that ends the sentence.
_LINKABLE = re.compile(
    r"(?P<url>\bhttps?://(?:(?!&[lg]t;)[^\s<>|])+?)(?=[.,;:!?)]*(?:\s|$|&[lg]t;))"
    r"|(?P<email>(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?=[.,;:!?)]*(?:\s|$))"
)
_LANGUAGES = {"en": "English", "de": "German"}
# Typed @here, @channel, @everyone: Slack sends them as `<!here>`, `<!channel>`, `<!everyone>`.
_CHANNEL_CALLS = frozenset({"here", "channel", "everyone"})
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# `:click M.N`: button N of message M as the last `:messages` numbered it.
_LISTED_BUTTON = re.compile(r"(\d+)\.(\d+)")
_DM_WORDS = ("dm", "dms")
_PRESSED = {
    "button": "button",
    render.MENU: "menu",
    render.OVERFLOW: "menu",
    render.DATE_PICKER: "date picker",
}


class ShellError(Exception):
    """Input the shell cannot act on; the message is the one line the user reads."""


POST_USAGE = ":post #channel [--thread N [--broadcast]] [--file NAME] TEXT"


@dataclass(frozen=True)
class Post:
    """What `:post` sends: the text, and whether it is a reply in the thread of message
    `thread` (sent to the channel too when `broadcast`) or shares a file named `file`."""

    text: str
    thread: int | None = None
    broadcast: bool = False
    file: str | None = None

    def done(self, channel: str) -> str:
        """What the shell says it did, before "as message N"."""
        if self.thread is None:
            shared = f"Shared {self.file} in" if self.file is not None else "Posted in"
            return f"{shared} #{channel}"
        also = ", sent to the channel too," if self.broadcast else ""
        return f"Replied in the thread of message {self.thread} of #{channel}{also}"


def read_post(said: str) -> Post:
    """The options that lead `:post`'s text (`--thread N`, `--broadcast`, `--file NAME`, in any
    order), and the text after them. A file may go without text, as in Slack; a thread reply
    with a file is not offered (Slack's event for it is a plain `file_share` in the thread)."""
    rest = said.strip()
    thread: int | None = None
    broadcast = False
    file: str | None = None
    while rest.startswith("--"):
        option, _, rest = rest.partition(" ")
        rest = rest.lstrip()
        if option == "--broadcast":
            broadcast = True
            continue
        if option not in ("--thread", "--file"):
            raise ShellError(f"{option} is no option of :post: {POST_USAGE}")
        value, _, rest = rest.partition(" ")
        rest = rest.lstrip()
        if not value:
            raise ShellError(f"{option} takes a value: {POST_USAGE}")
        if option == "--file":
            file = value
        elif value.isascii() and value.isdigit() and int(value) > 0:
            thread = int(value)
        else:
            raise ShellError(f"--thread takes a message number from :messages, not {value!r}")
    text = rest
    if broadcast and thread is None:
        raise ShellError("--broadcast sends a thread reply to the channel too: add --thread N")
    if file is not None and thread is not None:
        raise ShellError("a file goes to the channel: --file and --thread do not go together")
    if not text and file is None:
        raise ShellError(f"say where and what: {POST_USAGE}")
    return Post(text, thread, broadcast, file)


@dataclass(frozen=True)
class Shown:
    """The last message drawn, so `:click` knows what it is pressing and for whom; or the
    Home tab drawn last (`home`: whose it is), pressed on as a view."""

    drawn: render.Drawn
    viewer: str | None  # who sees it; None: anyone in `channel`
    channel: str
    ts: str | None
    ephemeral: bool
    home: str | None = None


@dataclass(frozen=True)
class Listed:
    """The conversation the last `:messages` numbered, so `:click M.N` finds message M in it."""

    channel: str
    where: str  # "#partners-team", or "your DM with Rapport"
    viewer: str | None  # whose DM it is; None: a channel
    timestamps: tuple[str, ...]  # message M is timestamps[M - 1], oldest first


class Shell:
    """A session in the sandbox: the current user, the last message, the open form."""

    def __init__(self, sandbox: Sandbox, console: Console) -> None:
        self.sandbox = sandbox
        self.console = console
        self.user: Person = self._person(YOU)
        self.inbox = Inbox(sandbox.standin)
        self.form: Form | None = None
        self.last: Shown | None = None
        self.listed: Listed | None = None
        self.problems = 0  # one-line errors shown; the demo must end with none
        # Whose Home tab `:home` is opening: its publish is drawn in full even when no Home
        # was shown last.
        self._opening_home: str | None = None
        self._home_drawn = False
        self._event_ids = (f"Ev{secrets.token_hex(4).upper()}{n:04d}" for n in itertools.count(1))
        # The methods `:fail` scripted refusals for, and how many Web API calls were looked at:
        # each refusal of those methods is told as it happens, or Rapport's retries go unseen.
        self._failing: set[str] = set()
        self._calls_seen = len(sandbox.standin.calls)

    # --- driving the shell -----------------------------------------------------------------------

    def banner(self) -> None:
        """Where the sandbox runs and who is in it; shown once at the start."""
        sandbox = self.sandbox
        kept = "kept" if sandbox.kept else "temporary, deleted at the end"
        self.note(
            f"Rapport sandbox: the real app on {sandbox.rapport.base_url}, a stand-in Slack on "
            f"loopback, SQLite at {sandbox.db_path} ({kept})."
        )
        if sandbox.resumed is not None:
            self.note(
                f"Clock resumed at {self._full(sandbox.clock.now(), self.user)} "
                f"({self.user.tz}), where the last session on this database stopped."
            )
        elif sandbox.caught_up is not None:
            self.note(
                f"Clock set to {self._full(sandbox.caught_up, self.user)} ({self.user.tz}), "
                "the latest time this database records: it has no clock file to resume from."
            )
        self.note(f"Acting as {self._describe(self.user)}. Everyone here:")
        self._list_people()
        self.note("Type :help for the commands; Ctrl-D leaves.")

    def prompt(self) -> str:
        local = self.sandbox.clock.now().astimezone(self.user.zone)
        return f"{self.user.username} · {local:%a %d %b %H:%M} › "

    def play(self, lines: Iterable[str]) -> None:
        """Run lines as if typed, each echoed after the prompt: a transcript reads as a session."""
        for raw in lines:
            line = raw.rstrip("\r\n")
            if line.lstrip().startswith("#"):
                self.console.print(Text(line.strip(), style="italic cyan"), soft_wrap=True)
                continue
            self.console.print(Text(self.prompt() + line), soft_wrap=True)
            if not self.handle(line):
                return

    def interact(self, read: Callable[[str], str] = input) -> None:
        """Read typed lines, with line editing and history, until `:quit` or Ctrl-D."""
        while True:
            try:
                line = read(self.prompt())
            except EOFError:
                self.console.print()
                return
            except KeyboardInterrupt:
                self.console.print("^C")
                continue
            if not self.handle(line):
                return

    def handle(self, line: str) -> bool:
        """Do what one line asks; False when it asks to leave. Problems end in one line."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line in QUIT:
            return False
        try:
            self._dispatch(line)
        except (ShellError, FormError, ClockInputError) as problem:
            self.problem(str(problem))
        except Exception as failure:  # a bug must not end the session in a traceback
            logging.getLogger(__name__).debug("command failed", exc_info=failure)
            self.problem(f"that failed unexpectedly: {type(failure).__name__}: {failure}")
        return True

    def note(self, text: str) -> None:
        """A line from the shell itself (not from Rapport), left for the terminal to wrap."""
        self.console.print(Text(text, style="cyan"), soft_wrap=True)

    def problem(self, text: str) -> None:
        self.problems += 1
        self.console.print(Text(f"✗ {text}", style="bold red"), soft_wrap=True)

    def _dispatch(self, line: str) -> None:
        if line.startswith("/"):
            self._slash(line)
            return
        if line.startswith(":"):
            name, _, rest = line.partition(" ")
            action = self.commands().get(name.lower())
            if action is None:
                raise ShellError(f"no command {name}: type :help for the list")
            action(rest.strip())
            return
        field_line = _FIELD_LINE.fullmatch(line)
        if field_line and self.form is not None:
            self._fill(field_line.group(1), field_line.group(2))
            return
        if field_line:
            raise ShellError("no form is open: /logcontact alone opens one")
        raise ShellError("not a command: start with /logcontact, /rapport, a :command, or :help")

    def commands(self) -> dict[str, Callable[[str], None]]:
        """Each `:command` and what it does with the rest of its line."""
        return {
            ":help": lambda _: self.console.print(Text(HELP)),
            ":in": self._in_channel,
            ":home": self._home,
            ":click": self._click,
            ":submit": self._submit,
            ":cancel": self._cancel,
            ":form": self._show_form,
            ":messages": self._messages,
            ":shortcut": self._shortcut,
            ":post": self._post,
            ":as": self._as,
            ":lang": self._lang,
            ":share": self._share,
            ":guest": self._guest,
            ":archive": self._archive,
            ":leave": self._leave,
            ":fail": self._fail,
            ":now": self._now,
            ":advance": self._advance,
            ":at": self._at,
        }

    # --- Slack actions ---------------------------------------------------------------------------

    def _slash(self, line: str, channel: Channel | None = None) -> None:
        """A slash command typed in the current user's DM with Rapport, or in `channel`."""
        name, _, text = line.partition(" ")
        if name.lower() not in (COMMAND, RAPPORT):
            raise ShellError(
                f"{name} is not a command of Rapport's; it has {COMMAND} and {RAPPORT}"
            )
        self._require_colleague("use Rapport's commands")
        rapport = self.sandbox.rapport
        where = channel.channel_id if channel else None
        exchange = rapport.command(
            # As Slack sends command text with should_escape on: & < > escaped, mentions as ids.
            self._as_slack_sends(text),
            user=self.user.user_id,
            channel=where or self.sandbox.standin.dm_channel(self.user.user_id),
            command=name.lower(),
        )
        self.inbox.watch(exchange.response_url, self.user.user_id, where)
        self._answered(exchange.answer, "the command", channel=where)

    def _in_channel(self, rest: str) -> None:
        """`:in #channel /rapport ...`: a command typed in a channel, where Slack sends that
        channel's id with it (what `/rapport digest on` subscribes)."""
        where, _, line = rest.partition(" ")
        line = line.strip()
        if not where.startswith("#") or not line.startswith("/"):
            raise ShellError("say where and which command: :in #channel /rapport TEXT")
        channel = self._open_channel(where, "type in")
        self._require_member(channel)
        self._slash(line, channel)

    def _click(self, rest: str) -> None:
        number_text, _, choice = rest.partition(" ")
        listed = _LISTED_BUTTON.fullmatch(number_text)
        last: Shown | None
        if listed:
            last, what = self._listed_message(int(listed.group(1))), f"message {listed.group(1)}"
            number_text = listed.group(2)
        elif number_text.isdigit():
            last, what = self.last, "the last message"
        else:
            raise ShellError(
                "say which button: :click N, N as numbered in the last message, or :click M.N, "
                "button N of message M as :messages numbered it"
            )
        if last is not None and last.home is not None and not listed:
            what = "the Home tab shown last"
        if last is None or not last.drawn.buttons:
            raise ShellError(f"{what} has no buttons")
        if last.viewer not in (None, self.user.user_id):
            owner = self._person(last.viewer)
            raise ShellError(f"only {owner.real_name} sees {what}: :as {owner.username}")
        number = int(number_text)
        if not 1 <= number <= len(last.drawn.buttons):
            raise ShellError(f"{what} has buttons 1 to {len(last.drawn.buttons)}, not {number}")
        button = last.drawn.buttons[number - 1]
        chosen = self._chosen(button, choice.strip())
        menu_type = button.kind if button.kind in render.CHOOSING else render.MENU
        if last.home is not None:
            self._press_on_home(last.home, button, chosen, menu_type)
            return
        exchange = self.sandbox.rapport.click(
            button.action_id,
            user=self.user.user_id,
            block_id=button.block_id,
            channel=last.channel,
            message_ts=last.ts,
            is_ephemeral=last.ephemeral,
            message=self._pressed_on(last),
            menu_type=menu_type,
            **chosen,
        )
        self.inbox.watch(exchange.response_url, self.user.user_id, last.channel)
        self._answered(exchange.answer, f"the {_PRESSED[button.kind]} {button.label}")

    def _press_on_home(
        self, user_id: str, button: render.Button, chosen: dict[str, Any], menu_type: str
    ) -> None:
        """A press on a Home tab: Slack sends the view as it holds it now (id, hash), no
        response_url; Rapport answers by publishing the Home again or opening a modal."""
        published = self.sandbox.standin.home_views(user_id)
        if not published:
            raise ShellError("Slack holds no Home tab for you: :home opens it")
        answer = self.sandbox.rapport.press_on_view(
            button.action_id,
            published[-1],
            user=self.user.user_id,
            block_id=button.block_id,
            menu_type=menu_type,
            **chosen,
        )
        self._answered(answer, f"the {_PRESSED[button.kind]} {button.label} on the Home tab")
        self._note_home_waiting()

    def _listed_message(self, number: int) -> Shown:
        """Message `number` of the last `:messages` list, as it reads now (Rapport may have
        rewritten it since), ready to be pressed on."""
        listed = self.listed
        if listed is None:
            raise ShellError("no messages listed yet: :messages dm or :messages #channel first")
        if not 1 <= number <= len(listed.timestamps):
            raise ShellError(
                f"{listed.where} has messages 1 to {len(listed.timestamps)}, not {number}"
            )
        ts = listed.timestamps[number - 1]
        message = next(
            (m for m in self.sandbox.standin.messages(listed.channel) if m["ts"] == ts), None
        )
        if message is None:
            raise ShellError(f"message {number} of {listed.where} has been deleted")
        drawn = render.message(
            message.get("blocks") or [],
            title=f"message {number} of {listed.where}",
            fallback=message.get("text", ""),
            names=self._names(),
        )
        return Shown(drawn, listed.viewer, listed.channel, ts, ephemeral=False)

    def _chosen(self, button: render.Button, choice: str) -> dict[str, Any]:
        """What a press on `button` sends: a button's value, the menu option or the day chosen."""
        n = button.number
        if button.kind in render.CHOOSING:
            if not choice:
                raise ShellError(
                    f"{button.label} is a menu: :click {n} CHOICE, CHOICE one of "
                    f"{_numbered(button.choices)} (its number or the start of a word)"
                )
            return {"selected_option": dict(_option(button, choice))}
        if button.kind == render.DATE_PICKER:
            example = button.initial_date or (self._today() + timedelta(days=1)).isoformat()
            if not choice:
                raise ShellError(
                    f"{button.label} is a date picker: :click {n} YYYY-MM-DD, "
                    f"for example :click {n} {example}"
                )
            return {"selected_date": _day(choice, example)}
        if choice:
            raise ShellError(f"{button.label} is a button and takes no choice: :click {n}")
        return {"value": button.value}

    def _pressed_on(self, last: Shown) -> dict[str, Any] | None:
        """The message as Slack sends it with a press: as it reads now, with its metadata.

        Slack sends it for messages everyone in the channel sees, not for ephemeral ones.
        """
        if last.ephemeral or last.ts is None:
            return None
        for message in self.sandbox.standin.messages(last.channel):
            if message["ts"] == last.ts:
                return {key: value for key, value in message.items() if key != "channel"}
        return None

    def _fill(self, name: str, value: str) -> None:
        form = self._open_form()
        block = form.field(name)
        shown = form.set(
            name,
            value,
            self._search_for(block),
            people=_Directory(self.sandbox),
            names=self._names(),
        )
        self.note(f"{block['block_id']} = {shown or render.EMPTY}")

    def _search_for(self, block: dict[str, Any]) -> Callable[[str], list[dict[str, Any]]]:
        def search(typed: str) -> list[dict[str, Any]]:
            answer = self.sandbox.rapport.suggest(
                block["element"]["action_id"], typed, user=self.user.user_id
            )
            if answer.status != 200:
                raise ShellError(f"Rapport answered the search with HTTP {answer.status}")
            return list(answer.json().get("options", []))

        return search

    def _submit(self, _: str) -> None:
        form = self._open_form()
        missing = form.missing()
        if missing:
            raise ShellError(f"fill in first: {', '.join(missing)}")
        answer = self.sandbox.rapport.submit(form.view, form.values(), user=form.user)
        if answer.status != 200:
            raise ShellError(f"Rapport answered the form with HTTP {answer.status}")
        body = answer.json()
        action = body.get("response_action")
        if action == "errors":
            form.errors = dict(body.get("errors", {}))
            self.console.print(render.form(form.view, form.state, form.errors, self._names()))
            self.note(f"Rapport kept the form open: {len(form.errors)} field(s) to fix, see above.")
            return
        if action in ("update", "push") and body.get("view"):
            self.form = Form.opened(body["view"], form.user)
            self._show_form("")
            return
        self.form = None
        self.note(f"Sent the form {form.title!r}; Slack closed it.")
        self._arrivals()
        if self.last is not None and self.last.home == form.user:
            self._note_home_waiting()

    def _cancel(self, _: str) -> None:
        form = self._open_form()
        self.form = None
        self.note(f"Closed the form {form.title!r} without sending it.")

    def _show_form(self, _: str) -> None:
        form = self._open_form()
        self.console.print(render.form(form.view, form.state, form.errors, self._names()))

    def _messages(self, rest: str) -> None:
        """List a channel's messages or the current user's DMs from Rapport, numbered for
        `:click M.N` and `:shortcut`, each with the buttons it has now."""
        listed = self._conversation(rest)
        messages = self.sandbox.standin.messages(listed.channel)
        self.listed = Listed(
            listed.channel, listed.where, listed.viewer, tuple(m["ts"] for m in messages)
        )
        if not messages:
            self.note(f"{_capital(listed.where)} has no messages yet.")
            return
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right")
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        names = self._names()
        for number, message in enumerate(messages, 1):
            author = self._author(message)
            when = self._local(float(message["ts"]), self.user)
            text = render.mrkdwn(message.get("text", ""), names)
            drawn = render.message(message.get("blocks") or [], title="", names=names)
            if drawn.buttons:
                pressable = ", ".join(
                    f"{number}.{b.number} {b.label}" + (f" {b.about}" if b.about else "")
                    for b in drawn.buttons
                )
                text.append(f"\n:click {pressable}", style="dim")
            table.add_row(str(number), f"{author} · {when}", text)
        self.note(f"{_capital(listed.where)}, oldest first (times for {self.user.real_name}):")
        self.console.print(table)

    def _conversation(self, rest: str) -> Listed:
        """What `:messages` lists: `dm` or `@name` for the current user's DM with Rapport,
        else a channel. Someone else's DM is theirs to read: `:as` them first."""
        typed = rest.strip()
        if typed.casefold() in _DM_WORDS or typed.startswith("@"):
            person = self.user if typed.casefold() in _DM_WORDS else self.sandbox.person(typed)
            if person is None:
                names = ", ".join(f"@{p.username}" for p in self.sandbox.people)
                raise ShellError(f"whose DM? {typed} is none of {names}")
            if person.user_id != self.user.user_id:
                raise ShellError(
                    f"only {person.real_name} reads their DM with Rapport: :as {person.username}"
                )
            channel_id = self.sandbox.standin.dm_channel(person.user_id)
            return Listed(channel_id, "your DM with Rapport", person.user_id, ())
        if not typed:
            names = ", ".join(f"#{c.name}" for c in self.sandbox.channels)
            raise ShellError(f"which messages? :messages dm for your DMs, or a channel: {names}")
        channel = self._channel(rest, "list")
        return Listed(channel.channel_id, f"#{channel.name}", None, ())

    def _shortcut(self, rest: str) -> None:
        where, _, number = rest.rpartition(" ")
        if not number.isdigit() or not where.strip():
            raise ShellError("say where: :shortcut #channel N, N as listed by :messages #channel")
        channel = self._channel(where, "use")
        self._require_member(channel)
        self._require_colleague("use Rapport's shortcut")
        messages = self.sandbox.standin.messages(channel.channel_id)
        if not 1 <= int(number) <= len(messages):
            raise ShellError(f"#{channel.name} has messages 1 to {len(messages)}, not {number}")
        chosen = messages[int(number) - 1]
        message = {k: v for k, v in chosen.items() if k in ("type", "user", "ts", "text", "bot_id")}
        message["user_team"] = chosen.get("team")
        exchange = self.sandbox.rapport.shortcut(
            message, user=self.user.user_id, channel=channel.channel_id
        )
        self.inbox.watch(exchange.response_url, self.user.user_id)
        self._answered(exchange.answer, "the shortcut")

    def _post(self, rest: str) -> None:
        where, _, said = rest.partition(" ")
        if not where.startswith("#"):
            raise ShellError(f"say where and what: {POST_USAGE}")
        channel = self._open_channel(where, "post in")
        post = read_post(said)
        self._require_member(channel)
        thread_ts = self._thread_of(channel, post.thread) if post.thread is not None else None
        files = (
            [{"id": f"F0{secrets.token_hex(4).upper()}", "name": post.file, "title": post.file}]
            if post.file is not None
            else None
        )
        subtype = "thread_broadcast" if post.broadcast else "file_share" if files else None
        # Slack stores what people type escaped, mentions, links and e-mail addresses aside.
        posted = self.sandbox.standin.add_message(
            channel.channel_id,
            user=self.user.user_id,
            text=self._as_slack_sends(post.text),
            thread_ts=thread_ts,
            subtype=subtype,
            files=files,
        )
        number = len(self.sandbox.standin.messages(channel.channel_id))
        when = self._local(float(posted["ts"]), self.user)
        self.note(f"{post.done(channel.name)} as message {number}, {when} for the author.")
        answer = self.sandbox.rapport.event(
            next(self._event_ids),
            message_event(
                channel=channel.channel_id,
                user=self.user.user_id,
                user_team=self.user.team_id,
                text=posted["text"],
                ts=posted["ts"],
                thread_ts=thread_ts,
                subtype=subtype,
                files=files,
            ),
            event_time=int(self.sandbox.clock.now().timestamp()),
            is_ext_shared_channel=channel.shared,
        )
        self._answered(answer, "the message event")

    def _thread_of(self, channel: Channel, number: int) -> str:
        """The `ts` of the thread message `number` of `channel` (as `:messages` numbers them)
        starts or belongs to: Slack's threads are one level deep."""
        messages = self.sandbox.standin.messages(channel.channel_id)
        if not 1 <= number <= len(messages):
            raise ShellError(
                f"#{channel.name} has messages 1 to {len(messages)}, not {number}: "
                f"see :messages #{channel.name}"
            )
        chosen = messages[number - 1]
        return str(chosen.get("thread_ts") or chosen["ts"])

    def _as(self, rest: str) -> None:
        if not rest:
            self._list_people()
            return
        person = self.sandbox.person(rest)
        if person is None:
            names = ", ".join(p.username for p in self.sandbox.people)
            raise ShellError(f"nobody here is called {rest!r}; try one of {names}")
        if person.deleted:
            raise ShellError(f"{person.real_name} has left the company: Slack lets them do nothing")
        if self.form is not None and person.user_id != self.form.user:
            self.note(f"Closed the form {self.form.title!r} without sending it.")
            self.form = None
        self.user = person
        self.note(f"Now acting as {self._describe(person)}.")

    def _lang(self, rest: str) -> None:
        lang = rest.strip().lower()
        if lang not in LOCALES:
            raise ShellError("say which language: :lang de or :lang en")
        if self.user.external:
            raise ShellError(
                f"{self.user.real_name} is an external partner: Rapport keeps the Slack language "
                "of colleagues only"
            )
        person, profile = self.sandbox.set_locale(self.user, LOCALES[lang])
        self.user = person
        self.note(
            f"Slack language of {person.real_name} (@{person.username}) set to "
            f"{_LANGUAGES[lang]} ({person.locale}); Slack tells Rapport with a user_change event."
        )
        self._slack_event({"type": "user_change", "user": profile}, "the user_change event")

    # --- what admins and Slack do ----------------------------------------------------------------

    def _share(self, rest: str) -> None:
        """`:share #channel`: the channel is shared with another organisation (Slack Connect);
        Slack sends `channel_shared`, and `conversations.info` says `is_ext_shared` from now."""
        channel = self._open_channel(rest, "share")
        if channel.shared:
            raise ShellError(f"#{channel.name} is shared with another organisation already")
        channel = self.sandbox.share(channel)
        self.note(
            f"#{channel.name} is now shared with another organisation; Slack tells Rapport with "
            "a channel_shared event."
        )
        event = {
            "type": "channel_shared",
            "connected_team_id": CONNECTED_TEAM,
            "channel": channel.channel_id,
            "event_ts": self._event_ts(),
        }
        self._slack_event(event, "the channel_shared event", channel)

    def _guest(self, rest: str) -> None:
        """`:guest NAME #channel`: a workspace guest joins the channel, made first if nobody
        has that name; Slack sends `member_joined_channel`, and users.info says
        `is_restricted` for them."""
        name, _, where = rest.strip().rpartition(" ")
        if not name.strip() or not where.startswith("#"):
            raise ShellError("say who and where: :guest NAME #channel")
        channel = self._open_channel(where, "add the guest to")
        guest = self.sandbox.person(name)
        if guest is None:
            try:
                guest = self.sandbox.add_guest(name)
            except ValueError as problem:
                raise ShellError(str(problem)) from None
            self.note(
                f"{guest.real_name} (@{guest.username}) is now a guest of the workspace "
                "(a multi-channel guest)."
            )
        elif not guest.guest:
            kind = "an external partner" if guest.external else "a colleague"
            raise ShellError(
                f"{guest.real_name} is {kind}, not a workspace guest: :guest with a new name "
                "adds one"
            )
        if guest.user_id in channel.members:
            raise ShellError(f"{guest.real_name} is in #{channel.name} already")
        channel = self.sandbox.join(channel, guest)
        self.note(
            f"{guest.real_name} joined #{channel.name}; Slack tells Rapport with a "
            "member_joined_channel event."
        )
        event = {
            "type": "member_joined_channel",
            "user": guest.user_id,
            "channel": channel.channel_id,
            "channel_type": "C",
            "team": TEAM_ID,
            "inviter": self.user.user_id,
            "event_ts": self._event_ts(),
        }
        self._slack_event(event, "the member_joined_channel event", channel)

    def _archive(self, rest: str) -> None:
        """`:archive #channel`: Slack keeps the channel's messages but takes no new ones and
        changes none (`is_archived`); it sends `channel_archive`."""
        channel = self._open_channel(rest, "archive")
        channel = self.sandbox.archive(channel)
        self.note(
            f"#{channel.name} is archived: Slack keeps its messages, but nothing can be posted "
            "or changed there; Slack tells Rapport with a channel_archive event."
        )
        event = {
            "type": "channel_archive",
            "channel": channel.channel_id,
            "user": self.user.user_id,
            "event_ts": self._event_ts(),
        }
        self._slack_event(event, "the channel_archive event", channel)

    def _leave(self, rest: str) -> None:
        """`:leave @name`: someone leaves the company; Slack deactivates their account and
        sends `user_change` with their profile, `deleted` true."""
        if not rest.strip():
            raise ShellError("say who leaves: :leave @name")
        person = self.sandbox.person(rest)
        if person is None:
            names = ", ".join(f"@{p.username}" for p in self.sandbox.people if not p.deleted)
            raise ShellError(f"nobody here is called {rest.strip()!r}; try one of {names}")
        if person.user_id == self.user.user_id:
            raise ShellError(f"{person.real_name} is who you are acting as: :as someone else first")
        if person.external:
            raise ShellError(
                f"{person.real_name} belongs to another organisation: only its own admins "
                "deactivate them"
            )
        if person.deleted:
            raise ShellError(f"{person.real_name} has left already")
        gone, profile = self.sandbox.deactivate(person)
        self.note(
            f"Slack deactivated {gone.real_name} (@{gone.username}): they left the company. "
            "Slack tells Rapport with a user_change event (deleted)."
        )
        self._slack_event({"type": "user_change", "user": profile}, "the user_change event")

    def _fail(self, rest: str) -> None:
        """`:fail METHOD [N] [ERROR]`: the stand-in refuses the next N calls of a Web API
        method, as Slack does when it is down (500), limits the rate (429) or says no."""
        words = rest.split()
        if not words or len(words) > 3:
            raise ShellError(f"say which method: {FAIL_USAGE}")
        method, *more = words
        methods = self.sandbox.standin.methods
        if method not in methods:
            raise ShellError(
                f"{method} is none of the methods Slack answers here: {', '.join(methods)}"
            )
        times, error = 1, DEFAULT_FAILURE
        for word in more:
            if word.isascii() and word.isdigit():
                times = int(word)
            elif _SLACK_ERROR.fullmatch(word):
                error = word
            else:
                raise ShellError(
                    f"{word!r} is neither a number of calls nor Slack's word for an error: "
                    + FAIL_USAGE
                )
        if not 1 <= times <= FAIL_AT_MOST:
            raise ShellError(f"a number of calls from 1 to {FAIL_AT_MOST}, not {times}")
        status = _FAILURE_STATUS.get(error, 200)
        retry_after = RETRY_AFTER_S if status == 429 else None
        self.sandbox.standin.fail_next(
            method, error=error, status=status, retry_after=retry_after, times=times
        )
        self._failing.add(method)
        calls = "call" if times == 1 else f"{times} calls"
        waits = f", Retry-After {retry_after} s" if retry_after else ""
        self.note(
            f"Slack refuses the next {calls} of {method} with {error} (HTTP {status}{waits}); "
            "calls that Rapport's client repeats count each."
        )

    def _open_channel(self, text: str, verb: str) -> Channel:
        """The channel named, which must not be archived (Slack changes nothing there)."""
        channel = self._channel(text, verb)
        if channel.archived:
            raise ShellError(f"#{channel.name} is archived: Slack changes nothing there")
        return channel

    def _slack_event(
        self, event: dict[str, Any], what: str, channel: Channel | None = None
    ) -> None:
        """Deliver an event Slack sends, then show what Rapport sent in answer."""
        answer = self.sandbox.rapport.event(
            next(self._event_ids),
            event,
            event_time=int(self.sandbox.clock.now().timestamp()),
            is_ext_shared_channel=channel.shared if channel is not None else None,
        )
        self._answered(answer, what)

    def _event_ts(self) -> str:
        return f"{self.sandbox.clock.now().timestamp():.6f}"

    # --- the clock -------------------------------------------------------------------------------

    def _now(self, _: str) -> None:
        now = self.sandbox.clock.now()
        self.note(
            f"Now: {self._full(now, self.user)} ({self.user.tz}), {now:%H:%M} UTC. "
            "Request signatures keep real time."
        )

    def _advance(self, rest: str) -> None:
        by = parse_duration(rest)
        try:
            to = by.after(self.sandbox.clock.now(), self.user.zone)
        except (OverflowError, ValueError):
            raise ShellError(f"{rest.strip()!r} is too far to move the clock") from None
        self._move_to(to)

    def _at(self, rest: str) -> None:
        to = parse_local_instant(rest, self.user.zone)
        now = self.sandbox.clock.now()
        if to < now:
            raise ShellError(
                f"{rest.strip()} is before now ({self._full(now, self.user)} {self.user.tz}): "
                "Rapport's clock only moves forwards"
            )
        self._move_to(to)

    def _move_to(self, to: datetime) -> None:
        before = self.sandbox.clock.now()
        self.note(
            f"Clock: {self._full(before, self.user)} → {self._full(to, self.user)} "
            f"({self.user.tz}), {_span(to - before)} later."
        )
        jobs = self.sandbox.jobs
        if jobs is None:
            raise RuntimeError("the sandbox is not started")
        self._shown_on_the_way = 0
        # The scheduler's tick that follows the commands just typed comes first: what they made
        # due goes out now, as the real server sends it within minutes.
        move(self.sandbox.clock, to, jobs, self._arrived_at, tick_first=True)
        # What the move itself set off once the clock stood at `to`: a Home redraw that waited
        # for its coalescing window to pass.
        self._arrived_at(to)
        self.sandbox.save_clock()  # kept at once: a session killed later still resumes here
        if self._shown_on_the_way == 0:
            self.note('Nothing arrived on the way; "today" and "yesterday" now mean the new dates.')
        self._note_holidays_passed(before, to)
        self._note_waiting()

    def _note_holidays_passed(self, before: datetime, to: datetime) -> None:
        """Name the person's public holidays the clock passed: no nudge DM came on them, and
        without this line the days would look like days with nothing due."""
        db = self.sandbox.db
        if db is None:
            return
        with db.reading() as session:
            passed = holidays_passed(session, TEAM_ID, self.user.user_id, before, to)
        if not passed:
            return
        named = [f"{day:%a %d %b} ({name})" for day, name in passed[:HOLIDAYS_LISTED]]
        if len(passed) > HOLIDAYS_LISTED:
            named.append(f"{len(passed) - HOLIDAYS_LISTED} more")
        self.note(f"Public holidays for you on the way, without a nudge DM: {', '.join(named)}.")

    def _note_waiting(self) -> None:
        """Say what waits in the outbox for the person acting, and why: a nudge held for a
        public holiday looks, from the chat alone, like a nudge that never fell due."""
        db = self.sandbox.db
        if db is None:
            return
        now = self.sandbox.clock.now()
        with db.reading() as session:
            waiting = waiting_for(session, TEAM_ID, self.user.user_id, now)
        if waiting is None:
            return
        when = f"; it comes {self._full(waiting.next_at, self.user)}" if waiting.next_at else ""
        if waiting.count == 0 and waiting.why in ("holiday", "away"):
            today = (
                f"Today is a public holiday for you ({waiting.holiday})"
                if waiting.why == "holiday"
                else "You are away"
            )
            self.note(f"{today}: no nudge DM goes out{when.replace('; it', ', anything due')}.")
            return
        if waiting.count == 0:
            return
        reason = {
            "holiday": f"today is a public holiday for you ({waiting.holiday})",
            "away": "you are away",
            "day_off": "today is not one of your working days",
            "hours": "it is outside your working hours",
            "due": "it goes out on the next tick",
        }[waiting.why]
        items = "1 nudge waits" if waiting.count == 1 else f"{waiting.count} nudges wait"
        self.note(f"{items} in the outbox for you: {reason}{when}.")

    def _arrived_at(self, instant: datetime) -> None:
        """Show what the jobs sent at `instant`, under a line naming it; nothing if they sent
        nothing (most stops are working days with nothing due)."""
        self.sandbox.rapport.wait_until_idle(WAIT_SECONDS)
        arrivals = self.inbox.collect()
        self._shown_on_the_way += len(arrivals)
        if arrivals:
            self.console.rule(
                Text(f"{self._full(instant, self.user)} ({self.user.tz})", style="cyan")
            )
        for arrival in arrivals:
            self._show(arrival)
        self._note_refused(instant)

    # --- what Rapport sent -----------------------------------------------------------------------

    def _answered(self, answer: Answer, what: str, *, channel: str | None = None) -> None:
        """Show the HTTP answer's reply, if any, then whatever arrives once the app is done;
        `channel` is where a command was typed (None: the DM with Rapport)."""
        if answer.status != 200:
            raise ShellError(f"Rapport answered {what} with HTTP {answer.status} {answer.body:.80}")
        body = answer.json() if answer.body.strip().startswith("{") else {}
        if body.get("text") or body.get("blocks"):
            self._show_reply(body, viewer=self.user.user_id, via="in the ack", channel=channel)
        self._arrivals()

    def _arrivals(self) -> None:
        if not self.sandbox.rapport.wait_until_idle(WAIT_SECONDS):
            self.problem(
                f"Rapport is still working after {WAIT_SECONDS:.0f} s; what it sends will show "
                "after the next command"
            )
        for arrival in self.inbox.collect():
            self._show(arrival)
        self._note_refused()

    def _note_refused(self, at: datetime | None = None) -> None:
        """One line for the calls Slack refused since the last look, of the methods `:fail`
        was told to refuse: Rapport's answer to a refusal (a retry later) is otherwise silent."""
        calls = self.sandbox.standin.calls
        seen, self._calls_seen = self._calls_seen, len(calls)
        refused = [c for c in calls[seen:] if not c.ok and c.method in self._failing]
        if not refused:
            return
        counted = Counter((call.method, call.error or "?") for call in refused)
        said = ", ".join(
            f"{method} {error}" + (f" ×{n}" if n > 1 else "")
            for (method, error), n in counted.items()
        )
        when = f" at {self._full(at, self.user)}" if at is not None else ""
        self.note(f"Slack refused what Rapport asked{when}: {said}.")

    def _show(self, arrival: Arrival) -> None:
        body = arrival.body
        if arrival.kind == "view":
            self.form = Form.opened(body, self.user.user_id)
            self._show_form("")
        elif arrival.kind == "refused":
            self.problem(f"Slack refused a reply Rapport sent to a response_url: {body['error']}")
        elif arrival.kind == "response" and body.get("delete_original"):
            self.note("Rapport deleted the message.")
        elif arrival.kind == "response":
            replaces = bool(body.get("replace_original"))
            via = "replaces the message you clicked" if replaces else "via response_url"
            self._show_reply(body, viewer=arrival.viewer, via=via, channel=arrival.channel)
        elif arrival.kind == "updated":
            self._show_message(body, updated=True)
        elif arrival.kind == "ephemeral":
            viewer = arrival.viewer or ""
            where, whom = self._where(arrival.channel), self._name(viewer)
            title = f"Rapport in {where} · only visible to {whom}"
            self._draw(body, title, viewer=viewer, channel=arrival.channel or "", ts=None)
        elif arrival.kind == "home":
            self._show_home(body, arrival.viewer or "")
        else:
            self._show_message(body)

    def _show_reply(
        self, body: dict[str, Any], *, viewer: str | None, via: str, channel: str | None = None
    ) -> None:
        """A reply to the viewer's own action; `via` says how it came (the ack, a response_url),
        `channel` where the action was (None: the viewer's DM with Rapport)."""
        in_channel = self.sandbox.channel_by_id(channel or "")
        where = f" in #{in_channel.name}" if in_channel else ""
        visible = (
            f"visible to everyone{where or ' in the channel'}"
            if body.get("response_type") == "in_channel"
            else f"only visible to you{where}"
        )
        title = f"Rapport · {visible} · {via}"
        replaces = bool(body.get("replace_original"))
        shown_in = self.last.channel if replaces and self.last else channel or self._dm(viewer)
        self._draw(body, title, viewer=viewer, channel=shown_in, ts=None)

    def _show_home(self, view: dict[str, Any], user_id: str) -> None:
        """A Home tab Rapport published: drawn in full when `:home` is opening it or the Home
        of the same person is what was shown last (Slack redraws an open tab in place), else
        one line saying it changed."""
        looking = self._opening_home == user_id or (
            self.last is not None and self.last.home == user_id
        )
        if not looking:
            whose = "your" if user_id == self.user.user_id else f"{self._name(user_id)}'s"
            self.note(f"Rapport drew {whose} Home tab again; :home shows it.")
            return
        self._draw_home(view, user_id, "drawn again" if self._home_drawn_before(user_id) else "")
        self._home_drawn = True

    def _home_drawn_before(self, user_id: str) -> bool:
        return len(self.sandbox.standin.home_views(user_id)) > 1

    def _draw_home(self, view: dict[str, Any], user_id: str, how: str) -> None:
        """The Home tab `view` of `user_id`, its buttons numbered; `:click N` presses on it."""
        person = self._person(user_id)
        whose = "your" if user_id == self.user.user_id else f"{person.real_name}'s"
        title = f"Rapport · {whose} Home tab" + (f" · {how}" if how else "")
        drawn = render.message(view.get("blocks") or [], title=title, names=self._names())
        self.console.print(drawn.panel)
        self.last = Shown(drawn, user_id, self._dm(user_id), None, ephemeral=False, home=user_id)

    def _home(self, rest: str) -> None:
        """`:home`: the current user opens Rapport's Home tab. Slack sends `app_home_opened`
        (tab home, with the view it holds for them and its hash, once there is one) and shows
        what Rapport publishes. Within Rapport's coalescing window (`COALESCE_SECONDS` of its
        clock after the last drawing) it publishes nothing: the view Slack holds is shown, and
        if a change waits for the window to pass, the shell says so."""
        if rest.strip():
            raise ShellError(":home takes nothing: it opens the current user's Home tab")
        user = self.user
        published = self.sandbox.standin.home_views(user.user_id)
        event = app_home_opened(
            user_id=user.user_id,
            channel_id=self._dm(user.user_id),
            event_ts=self._event_ts(),
            view=published[-1] if published else None,
        )
        self._opening_home, self._home_drawn = user.user_id, False
        try:
            self._slack_event(event, "the app_home_opened event")
        finally:
            self._opening_home = None
        if self._home_drawn:
            return
        now = self.sandbox.standin.home_views(user.user_id)
        if not now:
            self.note(
                f"Rapport published no Home tab for {user.real_name}: it has none for workspace "
                "guests and people of other organisations."
            )
            return
        self._draw_home(now[-1], user.user_id, "as Rapport last published it")
        self._note_home_waiting()

    def _note_home_waiting(self) -> None:
        """Say so when a change waits to be drawn on the Home: Rapport draws a Home at most
        once per few seconds of its clock, and the sandbox's clock stands still."""
        if self.sandbox.rapport.services.app_home.waiting():
            self.note(
                f"Rapport draws a Home tab at most once every {COALESCE_SECONDS} s of its "
                "clock, which has not moved since the last drawing: the change waiting shows "
                "once the clock moves (:advance 1m)."
            )

    def _show_message(self, message: dict[str, Any], *, updated: bool = False) -> None:
        """A message Rapport posted; `updated` when it rewrote one shown before (chat.update)."""
        channel_id = message["channel"]
        recipient = self.sandbox.dm_recipient(channel_id)
        when = float(message["ts"])
        if recipient is not None:
            title = (
                f"DM to {recipient.real_name} · "
                f"{self._local(when, recipient)} their time ({recipient.tz})"
            )
        else:
            title = f"in {self._where(channel_id)} · {self._local(when, self.user)}"
        title = f"Rapport updated its message · {title}" if updated else f"Rapport · {title}"
        viewer = recipient.user_id if recipient else None
        self._draw(message, title, viewer=viewer, channel=channel_id, ts=message["ts"])

    def _draw(
        self, body: dict[str, Any], title: str, *, viewer: str | None, channel: str, ts: str | None
    ) -> None:
        drawn = render.message(
            body.get("blocks") or [],
            title=title,
            fallback=body.get("text", ""),
            names=self._names(),
        )
        self.console.print(drawn.panel)
        self.last = Shown(drawn, viewer, channel, ts, ephemeral=ts is None)

    # --- helpers ---------------------------------------------------------------------------------

    def _today(self) -> date:
        return self.sandbox.clock.now().astimezone(self.user.zone).date()

    def _open_form(self) -> Form:
        if self.form is None:
            raise ShellError("no form is open: /logcontact alone opens one")
        return self.form

    def _person(self, user_id: str | None) -> Person:
        person = self.sandbox.person_by_id(user_id or "")
        if person is None:
            raise ShellError(f"nobody in the sandbox has the id {user_id}")
        return person

    def _name(self, user_id: str) -> str:
        person = self.sandbox.person_by_id(user_id)
        return "you" if user_id == self.user.user_id else (person.real_name if person else user_id)

    def _names(self) -> dict[str, str]:
        names = {p.user_id: p.real_name for p in self.sandbox.people}
        names.update({c.channel_id: c.name for c in self.sandbox.channels})
        names[self.sandbox.standin.bot_user_id] = "Rapport"
        return names

    def _author(self, message: dict[str, Any]) -> str:
        if message.get("bot_id"):
            return "Rapport"
        person = self.sandbox.person_by_id(message.get("user", ""))
        return person.real_name if person else message.get("user", "someone")

    def _channel(self, text: str, verb: str) -> Channel:
        channel = self.sandbox.channel(text) if text.strip() else None
        if channel is None:
            names = ", ".join(f"#{c.name}" for c in self.sandbox.channels)
            shown = text.strip() or "no channel"
            raise ShellError(f"which channel to {verb}? {shown} is none of {names}")
        return channel

    def _where(self, channel_id: str | None) -> str:
        channel = self.sandbox.channel_by_id(channel_id or "")
        return f"#{channel.name}" if channel else "a DM"

    def _dm(self, user_id: str | None) -> str:
        return self.sandbox.standin.dm_channel(user_id or self.user.user_id)

    def _require_member(self, channel: Channel) -> None:
        if self.user.user_id not in channel.members:
            raise ShellError(f"{self.user.real_name} is not in #{channel.name}")

    def _require_colleague(self, to_do: str) -> None:
        if self.user.external:
            raise ShellError(
                f"{self.user.real_name} is an external partner from another organisation and "
                f"cannot {to_do}; :as {self._person(YOU).username} to switch back"
            )

    def _as_slack_sends(self, typed: str) -> str:
        """What Slack makes of typed text: `&`, `<`, `>` escaped, a web address as a link
        (`<https://x>`), an e-mail address as one (`<mailto:a@b|a@b>`), @name as a mention."""
        return self._mentions(slack_links(escape(typed.strip())))

    def _mentions(self, text: str) -> str:
        """@name as Slack sends it with escaping on: <@U123|name>, for people it knows; @here,
        @channel and @everyone as Slack's calls to the channel (`<!here>`, …)."""

        def escape(match: re.Match[str]) -> str:
            person = self.sandbox.person(match.group(1))
            if person is not None:
                return f"<@{person.user_id}|{person.username}>"
            if match.group(1) in _CHANNEL_CALLS:
                return f"<!{match.group(1)}>"
            return match.group(0)

        return _MENTION.sub(escape, text)

    def _describe(self, person: Person) -> str:
        who = f"{person.real_name} (@{person.username})"
        if person.guest:
            return f"{who}, a guest of the workspace ({person.tz}, {person.locale})"
        if not person.external:
            return f"{who}, a colleague ({person.tz}, {person.locale})"
        shared = [c for c in self.sandbox.channels if c.shared and person.user_id in c.members]
        where = " and ".join(f"#{c.name}" for c in shared) or "no shared channel"
        return f"{who}, an external partner ({person.tz}, {person.locale}) in {where}"

    def _list_people(self) -> None:
        rows = [
            (
                f"@{p.username}",
                p.real_name,
                _kind(p),
                p.tz,
                "← you are acting as them" if p.user_id == self.user.user_id else "",
            )
            for p in self.sandbox.people
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.console.print(Text("  ".join([*cells, row[4]]).rstrip()), soft_wrap=True)

    @staticmethod
    def _full(instant: datetime, person: Person) -> str:
        return f"{instant.astimezone(person.zone):%a %d %b %Y %H:%M}"

    @staticmethod
    def _local(ts: float, person: Person) -> str:
        return f"{datetime.fromtimestamp(ts, person.zone):%a %d %b %H:%M}"


def _kind(person: Person) -> str:
    """What someone is to the workspace, as the list of people says it."""
    if person.deleted:
        return "left"
    if person.guest:
        return "guest"
    return "partner" if person.external else "colleague"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _numbered(labels: list[str]) -> str:
    return ", ".join(f"{number} {label}" for number, label in enumerate(labels, 1))


def _option(button: render.Button, typed: str) -> Mapping[str, Any]:
    """The option `typed` names: by value or label, number, or the start of the label or one of
    its words (`week` for "For a week"), as long as that names one option only."""
    found = matching(button.options, typed)
    if len(found) == 1:
        return found[0]
    if typed.isdigit() and not found:
        raise ShellError(f"{button.label} has choices 1 to {len(button.options)}, not {typed}")
    raise ShellError(
        f"{button.label} has no single choice {typed!r}; choose one of: {_numbered(button.choices)}"
    )


@dataclass(frozen=True)
class _Directory:
    """The sandbox's people as a user select in a form picks them."""

    sandbox: Sandbox

    def user_id(self, name: str) -> str | None:
        person = self.sandbox.person(name)
        return person.user_id if person else None

    def usernames(self) -> list[str]:
        return [person.username for person in self.sandbox.people]


def _day(typed: str, example: str) -> str:
    """A day as Slack's date picker sends it, YYYY-MM-DD."""
    try:
        if not _ISO_DAY.fullmatch(typed):
            raise ValueError(typed)
        return date.fromisoformat(typed).isoformat()
    except ValueError:
        raise ShellError(
            f"{typed!r} is not a date: a date picker takes YYYY-MM-DD, for example {example}"
        ) from None


def _span(delta: timedelta) -> str:
    days, seconds = delta.days, delta.seconds
    parts = [f"{days} day{'s' * (days != 1)}"] if days else []
    if seconds // 3600:
        parts.append(f"{seconds // 3600} h")
    if seconds % 3600 // 60:
        parts.append(f"{seconds % 3600 // 60} min")
    return " ".join(parts) or "no time"


def quiet_logging() -> None:
    """The shell shows what happens itself; routine warnings would only interleave with it.

    Bolt warns at length about requests nobody listens to (the shell says so in one line), and
    uvicorn about shutting down. Errors still reach stderr.
    """
    logging.getLogger().setLevel(logging.ERROR)
    for name in ("slack_bolt", "uvicorn", "uvicorn.error"):
        logging.getLogger(name).setLevel(logging.ERROR)


def enable_line_editing(words: Iterable[str]) -> None:
    """Line editing, history and Tab completion of `words`, from the standard library."""
    import readline

    words = sorted(words)

    def complete(text: str, state: int) -> str | None:
        matches = [w for w in words if w.startswith(text)]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(" ")
    readline.parse_and_bind("tab: complete")


def run_shell(
    *,
    name: str = "You",
    lang: str = "en",
    db_path: Path | None = None,
    lines: TextIO | None = None,
    console: Console | None = None,
) -> int:
    """`rapport shell`: typed lines when `lines` is a terminal, else its lines as if typed."""
    quiet_logging()
    bypass_proxies()
    lines = lines or sys.stdin
    console = console or render.make_console()
    try:
        sandbox = Sandbox(name=name, lang=lang, db_path=db_path)
    except ClockFileError as problem:
        console.print(Text(f"✗ {problem}", style="bold red"), soft_wrap=True)
        return 2
    with sandbox:
        shell = Shell(sandbox, console)
        shell.banner()
        if lines.isatty():
            enable_line_editing([COMMAND, *shell.commands(), QUIT[0]])
            shell.interact()
        else:
            shell.play(lines)
    return 0


def slack_links(escaped: str) -> str:
    """Web and e-mail addresses in `escaped` (typed text, Slack-escaped) as Slack links them."""

    def link(match: re.Match[str]) -> str:
        if match["url"]:
            return f"<{match['url']}>"
        return f"<mailto:{match['email']}|{match['email']}>"

    return _LINKABLE.sub(link, escaped)
