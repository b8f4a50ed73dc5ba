"""Block Kit as a terminal shows it: messages and modals drawn with rich.

Slack's own rendering cannot run in a terminal, so this draws what a person reads in Slack:
headers, sections (text, and fields in two columns), context lines, dividers, buttons, menus and
date pickers numbered so `:click N` can press them (an overflow menu, ⋯, too: Slack draws it as
a button that opens its options), and a modal's inputs as a form. Slack mrkdwn
becomes rich styles; mentions show names. On a console that is not a terminal the styles drop out
and the text stays, so a transcript reads the same as the screen did.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.emoji import Emoji
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from bot.parsing.markup import unescape

WIDTH = 100  # wide enough for two field columns, narrow enough to read
EMPTY = "—"
MENU = "static_select"
OVERFLOW = "overflow"  # Slack's ⋯ menu: options only, no placeholder
DATE_PICKER = "datepicker"
PRESSABLE = ("button", MENU, OVERFLOW, DATE_PICKER)
CHOOSING = (MENU, OVERFLOW)  # pressed by choosing one of their options
MULTI_CHOICE = ("multi_static_select", "checkboxes")
_BUTTON_STYLES = {"primary": "bold green", "danger": "bold red"}

# Slack mrkdwn: code first (nothing is formatted inside it), then references, then emphasis,
# which Slack applies only at word boundaries (so new_partner or 2*3*4 stay as typed).
_MRKDWN = re.compile(
    r"```(?P<pre>.+?)```"
    r"|`(?P<code>[^`\n]+)`"
    r"|<(?P<ref>[^<>\n]+)>"
    r"|(?<![\w*])\*(?P<bold>[^*\n]+?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<italic>[^_\n]+?)_(?![\w_])"
    r"|(?<![\w~])~(?P<strike>[^~\n]+?)~(?![\w~])",
    re.S,
)
_EMPHASIS = {"bold": "bold", "italic": "italic", "strike": "strike"}
# Slack's names for emoji that rich's table knows by others (or not at all); the health dots.
_SLACK_EMOJI = {
    "large_green_circle": "🟢",
    "large_yellow_circle": "🟡",
    "large_orange_circle": "🟠",
}
_SLACK_EMOJI_CODE = re.compile(":(" + "|".join(_SLACK_EMOJI) + "):")


def make_console(
    file: TextIO | None = None, *, terminal: bool | None = None, width: int = WIDTH
) -> Console:
    """A console for the shell: at most `width` columns, and exactly that when not a terminal,
    so piped output and tests see the same layout every time."""
    probe = Console(file=file, force_terminal=terminal)
    return Console(
        file=file,
        force_terminal=terminal,
        width=min(probe.width, width) if probe.is_terminal else width,
        highlight=False,  # rich would colour numbers and dates in the bot's text at random
        emoji=False,  # emoji codes are Slack's business: `mrkdwn` replaces them itself
        soft_wrap=False,
    )


# --- text ----------------------------------------------------------------------------------------


def mrkdwn(text: str, names: Mapping[str, str] | None = None) -> Text:
    """Slack mrkdwn as styled text; `names` shows user and channel ids as people read them."""
    names = names or {}
    result = Text()
    position = 0
    for match in _MRKDWN.finditer(text):
        result.append_text(_plain(text[position : match.start()]))
        kind = match.lastgroup or ""
        inner = match.group(kind)
        if kind in ("pre", "code"):
            result.append(unescape(inner), style="bold")
        elif kind == "ref":
            result.append(_reference(inner, names), style="underline")
        else:
            result.append_text(_styled(mrkdwn(inner, names), _EMPHASIS[kind]))
        position = match.end()
    result.append_text(_plain(text[position:]))
    return result


def text_object(
    obj: Mapping[str, Any] | str | None, names: Mapping[str, str] | None = None
) -> Text:
    """A Block Kit text object (plain_text or mrkdwn), or a bare string."""
    if obj is None:
        return Text()
    if isinstance(obj, str):
        return Text(obj)
    if obj.get("type") == "mrkdwn":
        return mrkdwn(obj.get("text", ""), names)
    raw = obj.get("text", "")
    return Text(emoji(raw) if obj.get("emoji", True) else raw)


def _styled(text: Text, style: str) -> Text:
    """`text` with `style` over all of it (rich's `stylize` works in place and returns None)."""
    text.stylize(style)
    return text


def _plain(segment: str) -> Text:
    return Text(emoji(unescape(segment)))


def emoji(text: str) -> str:
    """`:code:` as the emoji Slack shows for it: Slack's own names first, then rich's table."""
    return Emoji.replace(_SLACK_EMOJI_CODE.sub(lambda m: _SLACK_EMOJI[m.group(1)], text))


def _reference(inner: str, names: Mapping[str, str]) -> str:
    """`<@U1|name>`, `<#C1|name>`, `<!here>`, `<https://x|label>`, as Slack shows them."""
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + names.get(target[1:], label or target[1:])
    if target.startswith("#"):
        return "#" + names.get(target[1:], label or target[1:])
    if target.startswith("!"):
        special = target[1:].split("^")[0]
        return label or ("@" + special if special in ("here", "channel", "everyone") else special)
    return unescape(label) if label else target


# --- messages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    """What `:click` can press, numbered within its message: a button, a menu (a select or an
    overflow menu) or a date picker.

    A select's label is its placeholder, an overflow menu's the ⋯ Slack draws, and `options`
    are its options as Slack sends the chosen one back; a date picker may come with a day
    already set, as Slack shows it.
    """

    number: int
    label: str
    action_id: str
    value: str
    block_id: str
    kind: str = "button"
    options: tuple[Mapping[str, Any], ...] = ()
    initial_date: str | None = None
    about: str = ""  # an overflow menu's section, as a list names it: "Acme (Acme Corp)"

    @property
    def choices(self) -> list[str]:
        """The options' labels, in order."""
        return [text_object(option.get("text")).plain for option in self.options]


@dataclass(frozen=True)
class Drawn:
    """A message drawn for the terminal, and the buttons `:click` can press on it."""

    panel: Panel
    buttons: list[Button]


def message(
    blocks: Sequence[Mapping[str, Any]],
    *,
    title: str,
    fallback: str = "",
    names: Mapping[str, str] | None = None,
) -> Drawn:
    """A message panel: its blocks, or its plain text when it has none (as Slack shows it)."""
    names = names or {}
    numbers = count(1)
    buttons: list[Button] = []
    parts: list[RenderableType] = []
    for raw in blocks:
        parts.append(_block(raw, names, numbers, buttons))
    if not parts:
        parts.append(mrkdwn(fallback, names))
    panel = Panel(Group(*parts), title=title, title_align="left", box=box.ROUNDED, padding=(0, 1))
    return Drawn(panel, buttons)


def _block(
    raw: Mapping[str, Any], names: Mapping[str, str], numbers: Iterator[int], buttons: list[Button]
) -> RenderableType:
    kind = raw.get("type")
    if kind == "header":
        return _styled(text_object(raw.get("text"), names), "bold")
    if kind == "divider":
        return Rule(style="dim")
    if kind == "context":
        line = Text("  ").join(
            _context_element(element, names) for element in raw.get("elements", [])
        )
        return _styled(line, "dim")
    if kind == "section":
        return _section(raw, names, numbers, buttons)
    if kind == "actions":
        return _actions(raw, names, numbers, buttons)
    return Text(f"[a {kind} block, which the shell does not draw]", style="dim italic")


def _context_element(element: Mapping[str, Any], names: Mapping[str, str]) -> Text:
    if element.get("type") == "image":
        return Text(f"[image: {element.get('alt_text', '')}]")
    return text_object(element, names)


def _section(
    raw: Mapping[str, Any], names: Mapping[str, str], numbers: Iterator[int], buttons: list[Button]
) -> RenderableType:
    parts: list[RenderableType] = []
    if raw.get("text"):
        parts.append(text_object(raw["text"], names))
    fields = raw.get("fields") or []
    if fields:
        # Slack lays fields out in two columns, row by row.
        grid = Table.grid(expand=True, padding=(0, 2))
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        cells = [text_object(field, names) for field in fields]
        for left in range(0, len(cells), 2):
            grid.add_row(*cells[left : left + 2])
        parts.append(grid)
    accessory = raw.get("accessory")
    if accessory and accessory.get("type") in PRESSABLE:
        about = _about(raw, names) if accessory.get("type") == OVERFLOW else ""
        block_id = raw.get("block_id", "")
        parts.append(_buttons([accessory], block_id, names, numbers, buttons, about=about))
    return Group(*parts)


def _about(section: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """What a ⋯ menu is about, to name it where only its number shows (`:messages`): the
    start of its section's first line, up to the first " · " (a digest's partner)."""
    first = text_object(section.get("text"), names).plain.split("\n", 1)[0]
    about = first.split(" · ", 1)[0].strip()
    return about if len(about) <= 60 else about[:59] + "…"


def _actions(
    raw: Mapping[str, Any], names: Mapping[str, str], numbers: Iterator[int], buttons: list[Button]
) -> Text:
    return _buttons(raw.get("elements", []), raw.get("block_id", ""), names, numbers, buttons)


def _buttons(
    elements: Sequence[Mapping[str, Any]],
    block_id: str,
    names: Mapping[str, str],
    numbers: Iterator[int],
    buttons: list[Button],
    *,
    about: str = "",
) -> Text:
    shown: list[Text] = []
    for element in elements:
        if element.get("type") not in PRESSABLE:
            shown.append(Text(f"[{element.get('type')}: not usable here]", style="dim"))
            continue
        button = _pressable(next(numbers), element, block_id, names, about)
        buttons.append(button)
        shown.append(_drawn(button, _BUTTON_STYLES.get(element.get("style", ""), "")))
    return Text("   ").join(shown)


def _pressable(
    number: int, element: Mapping[str, Any], block_id: str, names: Mapping[str, str], about: str
) -> Button:
    kind = element["type"]
    action_id = element.get("action_id", "")
    if kind == "button":
        label = text_object(element.get("text"), names).plain
        return Button(number, label, action_id, element.get("value", ""), block_id)
    if kind == OVERFLOW:
        listed = tuple(element.get("options") or [])
        return Button(number, "⋯", action_id, "", block_id, kind=kind, options=listed, about=about)
    placeholder = text_object(element.get("placeholder"), names).plain
    options = element.get("options") or [
        option for group in element.get("option_groups") or [] for option in group["options"]
    ]
    return Button(
        number,
        placeholder or ("Choose…" if kind == MENU else "Pick a date…"),
        action_id,
        "",
        block_id,
        kind=kind,
        options=tuple(options),
        initial_date=element.get("initial_date"),
    )


def _drawn(button: Button, style: str) -> Text:
    """`[2] Snooze… ▾ (For a week | Until next month)`, `[3] Pause until… 📅`,
    `[4] ⋯ (I'll reach out | Log contact)`."""
    shown = Text.assemble((f"[{button.number}] ", "bold"), (button.label, style))
    if button.kind == OVERFLOW:
        shown.append(f" ({' | '.join(button.choices)})", style="dim")
    elif button.kind == MENU:
        shown.append(" ▾ ")
        shown.append(f"({' | '.join(button.choices)})", style="dim")
    elif button.kind == DATE_PICKER:
        shown.append(" 📅")
        if button.initial_date:
            shown.append(f" {button.initial_date}", style="dim")
    return shown


# --- modals --------------------------------------------------------------------------------------


def form(
    view: Mapping[str, Any],
    state: Mapping[str, Mapping[str, Any]],
    errors: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> Panel:
    """A modal as a form: per input its field name, label, current value, choices and error.

    `state` maps block ids to the element state Slack would submit (`value`, `selected_option`,
    `selected_options`, `selected_user`, `selected_users`, `selected_date`, `selected_time`).
    """
    names, errors = names or {}, errors or {}
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_column(ratio=1)
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            grid.add_row("", "", _block(block, names, count(1), []))
            continue
        block_id = block.get("block_id", "")
        element = block.get("element", {})
        label = text_object(block.get("label"), names)
        if block.get("optional"):
            label.append(" (optional)", style="dim")
        grid.add_row(
            Text(block_id, style="bold"), label, _field_value(element, state.get(block_id), names)
        )
        if block.get("hint"):  # Slack shows it under the field, in grey
            hint = text_object(block.get("hint"), names)
            hint.stylize("dim")
            grid.add_row("", "", hint)
        if block_id in errors:
            grid.add_row("", "", Text(f"⚠ {errors[block_id]}", style="bold red"))
    inputs = {block.get("block_id") for block in view.get("blocks", [])}
    for block_id, error in errors.items():
        if block_id not in inputs:  # never hide an error, even one naming no field
            grid.add_row(Text(block_id, style="bold"), "", Text(f"⚠ {error}", style="bold red"))
    submit = text_object(view.get("submit")).plain or "Submit"
    close = text_object(view.get("close")).plain or "Cancel"
    footer = Text(
        f"field: value sets a field · :submit sends the form ({submit}) · "
        f":cancel closes it ({close})",
        style="dim",
    )
    title = text_object(view.get("title")).plain
    return Panel(
        Group(grid, footer),
        title=f"{title} · form",
        title_align="left",
        box=box.ROUNDED,
        padding=(0, 1),
    )


def _field_value(
    element: Mapping[str, Any], current: Mapping[str, Any] | None, names: Mapping[str, str]
) -> Text:
    current = current or {}
    kind = element.get("type") or ""
    shown = field_display(current, names)
    value = Text(shown) if shown else Text(EMPTY, style="dim")
    hint = {
        "external_select": "type part of a name",
        "datepicker": "YYYY-MM-DD",
        "timepicker": "HH:MM",
        "users_select": "a name or @mention",
        "multi_users_select": "names or @mentions, comma-separated",
    }.get(kind)
    if element.get("placeholder"):
        placeholder = text_object(element["placeholder"]).plain
        hint = f"{placeholder} ({hint})" if hint else placeholder
    if hint and not shown:
        value.append(f"  {hint}", style="dim")
    if kind == "number_input":
        value.append(f"  {number_rule(element)}", style="dim")
    options = element.get("options") or [
        option for group in element.get("option_groups") or [] for option in group["options"]
    ]
    if options:
        labels = ", ".join(text_object(o.get("text")).plain for o in options)
        if kind in MULTI_CHOICE:
            limit = element.get("max_selected_items")
            most = f", at most {limit}" if limit else ""
            value.append(f"\nany of: {labels} (comma-separated{most})", style="dim")
        else:
            value.append(f"\none of: {labels}", style="dim")
    return value


def number_rule(element: Mapping[str, Any]) -> str:
    """What a number input takes: "a whole number from 7 to 365", as far as it says."""
    kind = "a number" if element.get("is_decimal_allowed") else "a whole number"
    low, high = element.get("min_value"), element.get("max_value")
    if low is not None and high is not None:
        return f"{kind} from {low} to {high}"
    if low is not None:
        return f"{kind} of at least {low}"
    if high is not None:
        return f"{kind} of at most {high}"
    return kind


def field_display(current: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """What a field shows for its current state, or "" when it is empty; `names` shows the
    people a user select picked by name, as Slack does."""
    names = names or {}
    option = current.get("selected_option")
    if option:
        return text_object(option.get("text")).plain
    options = current.get("selected_options")
    if options:
        return ", ".join(text_object(o.get("text")).plain for o in options)
    users = current.get("selected_users") or (
        [current["selected_user"]] if current.get("selected_user") else []
    )
    if users:
        return ", ".join(names.get(user, user) for user in users)
    for key in ("value", "selected_date", "selected_time"):
        if current.get(key):
            return str(current[key])
    return ""
