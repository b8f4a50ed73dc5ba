"""Block Kit drawn for the terminal: one snapshot per block type Rapport uses, and the form.

Snapshots are plain text (no colour, as in a piped transcript) at a fixed width, with trailing
spaces dropped; the styles that colour would carry are checked on the text spans instead.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import RenderableType

from bot.sandbox import render
from bot.sandbox.form import Form


def drawn(renderable: RenderableType, width: int = 60) -> str:
    out = io.StringIO()
    render.make_console(out, terminal=False, width=width).print(renderable)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def button(label: str, action_id: str, value: str, **extra: str) -> dict[str, Any]:
    return {"type": "button", "text": plain(label), "action_id": action_id, "value": value, **extra}


def message(*blocks: dict[str, Any], **names: str) -> str:
    return drawn(
        render.message(list(blocks), title="Rapport · only visible to you", names=names).panel
    )


def test_header() -> None:
    assert message({"type": "header", "text": plain("Logging contacts with Rapport")}) == (
        "╭─ Rapport · only visible to you ──────────────────────────╮\n"
        "│ Logging contacts with Rapport                            │\n"
        "╰──────────────────────────────────────────────────────────╯"
    )


def test_section_text_in_mrkdwn() -> None:
    text = (
        ":white_check_mark: Logged your contact with *Müller &amp; Söhne*.\n"
        "Ask <@U0KENJI> in <#C0SHARED|acme-partners>: `/logcontact help`, _or_ "
        "<https://example.com/guide|the guide>. new_partner and 2*3*4 stay as typed."
    )
    shown = message({"type": "section", "text": mrkdwn(text)}, U0KENJI="Kenji Sato")
    assert shown == (
        "╭─ Rapport · only visible to you ──────────────────────────╮\n"
        "│ ✅ Logged your contact with Müller & Söhne.              │\n"
        "│ Ask @Kenji Sato in #acme-partners: /logcontact help, or  │\n"
        "│ the guide. new_partner and 2*3*4 stay as typed.          │\n"
        "╰──────────────────────────────────────────────────────────╯"
    )


def test_section_fields_in_two_columns() -> None:
    fields = [mrkdwn("*How*\nCall"), mrkdwn("*Kind*\nCheck-in"), mrkdwn("*When*\nyesterday")]
    shown = message({"type": "section", "text": mrkdwn("Logged."), "fields": fields})
    assert shown == (
        "╭─ Rapport · only visible to you ──────────────────────────╮\n"
        "│ Logged.                                                  │\n"
        "│ How                         Kind                         │\n"
        "│ Call                        Check-in                     │\n"
        "│ When                                                     │\n"
        "│ yesterday                                                │\n"
        "╰──────────────────────────────────────────────────────────╯"
    )


def test_context() -> None:
    elements = [mrkdwn(":new: *Acme* is a new partner"), plain("Undo removes it")]
    assert message({"type": "context", "elements": elements}) == (
        "╭─ Rapport · only visible to you ──────────────────────────╮\n"
        "│ 🆕 Acme is a new partner  Undo removes it                │\n"
        "╰──────────────────────────────────────────────────────────╯"
    )


def test_divider() -> None:
    shown = message(
        {"type": "section", "text": mrkdwn("above")},
        {"type": "divider"},
        {"type": "section", "text": mrkdwn("below")},
    )
    assert shown == (
        "╭─ Rapport · only visible to you ──────────────────────────╮\n"
        "│ above                                                    │\n"
        "│ ──────────────────────────────────────────────────────── │\n"
        "│ below                                                    │\n"
        "╰──────────────────────────────────────────────────────────╯"
    )


def test_buttons_are_numbered_across_the_whole_message() -> None:
    blocks = [
        {
            "type": "actions",
            "block_id": "did_you_mean",
            "elements": [button("Acme Corp", "log_move_3", "7:3")],
        },
        {
            "type": "actions",
            "block_id": "logged_actions",
            "elements": [
                button("Undo", "log_undo", "7", style="danger"),
                button("Edit", "log_edit", "7"),
            ],
        },
    ]

    result = render.message(blocks, title="Rapport")

    assert drawn(result.panel) == (
        "╭─ Rapport ────────────────────────────────────────────────╮\n"
        "│ [1] Acme Corp                                            │\n"
        "│ [2] Undo   [3] Edit                                      │\n"
        "╰──────────────────────────────────────────────────────────╯"
    )
    assert [(b.number, b.label, b.action_id, b.value, b.block_id) for b in result.buttons] == [
        (1, "Acme Corp", "log_move_3", "7:3", "did_you_mean"),
        (2, "Undo", "log_undo", "7", "logged_actions"),
        (3, "Edit", "log_edit", "7", "logged_actions"),
    ]


def test_menus_and_date_pickers_are_numbered_with_the_buttons() -> None:
    week = {"text": plain("For a week"), "value": "week"}
    month = {"text": plain("Until next month"), "value": "month"}
    blocks = [
        {
            "type": "actions",
            "block_id": "nudge|b1|check_in|4",
            "elements": [
                button("Log check-in", "nudge_check_in", "4"),
                {
                    "type": "static_select",
                    "action_id": "nudge_snooze",
                    "placeholder": plain("Snooze…"),
                    "options": [week, month],
                },
                {"type": "datepicker", "action_id": "nudge_pause", "placeholder": plain("Pause…")},
            ],
        },
        {
            "type": "section",
            "block_id": "later",
            "text": mrkdwn("Due Friday"),
            "accessory": {
                "type": "datepicker",
                "action_id": "nudge_more_time",
                "placeholder": plain("More time…"),
                "initial_date": "2026-12-04",
            },
        },
    ]

    result = render.message(blocks, title="Rapport")

    assert drawn(result.panel, width=84) == (
        "╭─ Rapport ────────────────────────────────────────────────────────────────────────╮\n"
        "│ [1] Log check-in   [2] Snooze… ▾ (For a week | Until next month)   [3] Pause… 📅 │\n"
        "│ Due Friday                                                                       │\n"
        "│ [4] More time… 📅 2026-12-04                                                     │\n"
        "╰──────────────────────────────────────────────────────────────────────────────────╯"
    )
    assert [(b.number, b.kind, b.label, b.action_id) for b in result.buttons] == [
        (1, "button", "Log check-in", "nudge_check_in"),
        (2, "static_select", "Snooze…", "nudge_snooze"),
        (3, "datepicker", "Pause…", "nudge_pause"),
        (4, "datepicker", "More time…", "nudge_more_time"),
    ]
    menu = result.buttons[1]
    assert (menu.options, menu.choices) == ((week, month), ["For a week", "Until next month"])
    assert result.buttons[3].initial_date == "2026-12-04"


def test_a_message_without_blocks_shows_its_text() -> None:
    shown = drawn(
        render.message([], title="Rapport · DM to Bob", fallback="Due *today* &lt;3").panel
    )
    assert shown == (
        "╭─ Rapport · DM to Bob ────────────────────────────────────╮\n"
        "│ Due today <3                                             │\n"
        "╰──────────────────────────────────────────────────────────╯"
    )


def test_an_unknown_block_is_named_not_dropped() -> None:
    assert "[a video block, which the shell does not draw]" in message({"type": "video"})


def test_mrkdwn_carries_slack_emphasis_as_styles() -> None:
    text = render.mrkdwn("*bold* _italic_ ~gone~ `code` <@U1|ann>")

    styled = {text.plain[span.start : span.end]: str(span.style) for span in text.spans}

    assert text.plain == "bold italic gone code @ann"
    assert styled == {
        "bold": "bold",
        "italic": "italic",
        "gone": "strike",
        "code": "bold",
        "@ann": "underline",
    }


def small_modal() -> dict[str, Any]:
    """One input of each kind Rapport's modal uses, plus a section between them."""

    def options(*labels: str) -> list[dict[str, Any]]:
        return [{"text": plain(label), "value": label.lower()} for label in labels]

    def block(block_id: str, label: str, element: dict[str, Any]) -> dict[str, Any]:
        return {"type": "input", "block_id": block_id, "label": plain(label), "element": element}

    return {
        "type": "modal",
        "title": plain("Log a contact"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            {
                **block(
                    "partner",
                    "Partner",
                    {
                        "type": "external_select",
                        "action_id": "partner_select",
                        "placeholder": plain("Search"),
                    },
                ),
                "optional": True,
            },
            block(
                "medium",
                "How",
                {
                    "type": "static_select",
                    "action_id": "medium_select",
                    "options": options("Call", "Video"),
                },
            ),
            block(
                "direction",
                "Give and take",
                {
                    "type": "radio_buttons",
                    "action_id": "direction_select",
                    "options": options("Gave", "Mutual"),
                    "initial_option": {"text": plain("Mutual"), "value": "mutual"},
                },
            ),
            {"type": "section", "text": mrkdwn("_When it happened:_")},
            block(
                "when",
                "Date",
                {"type": "datepicker", "action_id": "when_date", "initial_date": "2026-11-25"},
            ),
            {
                **block("at", "Time", {"type": "timepicker", "action_id": "when_time"}),
                "optional": True,
            },
            {
                **block(
                    "note",
                    "Note",
                    {"type": "plain_text_input", "action_id": "note_input", "max_length": 20},
                ),
                "optional": True,
            },
        ],
    }


def test_a_modal_is_a_form_with_values_choices_and_errors() -> None:
    form = Form.opened(small_modal(), "U0YOU")
    form.set("Partner", "kenji", lambda typed: [{"text": plain("Kenji Sato"), "value": "4"}])
    form.set("note", "pilot figures", lambda typed: [])
    form.errors = {"medium": "Say how."}

    shown = drawn(render.form(form.view, form.state, form.errors), width=70)

    assert shown == (
        "╭─ Log a contact · form ─────────────────────────────────────────────╮\n"
        "│ partner    Partner (optional)  Kenji Sato                          │\n"
        "│ medium     How                 —                                   │\n"
        "│                                one of: Call, Video                 │\n"
        "│                                ⚠ Say how.                          │\n"
        "│ direction  Give and take       Mutual                              │\n"
        "│                                one of: Gave, Mutual                │\n"
        "│                                When it happened:                   │\n"
        "│ when       Date                2026-11-25                          │\n"
        "│ at         Time (optional)     —  HH:MM                            │\n"
        "│ note       Note (optional)     pilot figures                       │\n"
        "│ field: value sets a field · :submit sends the form (Save) ·        │\n"
        "│ :cancel closes it (Cancel)                                         │\n"
        "╰────────────────────────────────────────────────────────────────────╯"
    )


def test_an_error_naming_no_field_is_still_shown() -> None:
    form = Form.opened(small_modal(), "U0YOU")

    shown = drawn(render.form(form.view, form.state, {"nowhere": "Try again."}), width=70)

    assert "│ nowhere                        ⚠ Try again." in shown


def overflow(action_id: str, *labels: str) -> dict[str, Any]:
    options = [{"text": plain(label), "value": f"v{n}"} for n, label in enumerate(labels, 1)]
    return {"type": "overflow", "action_id": action_id, "options": options}


def test_an_overflow_menu_is_numbered_with_its_options_and_names_its_section() -> None:
    sections = [
        {
            "type": "section",
            "block_id": "p-1",
            "text": mrkdwn("*Acme (Acme Corp)* · :red_circle: neglected\nlast contact long ago"),
            "accessory": overflow("rapport_digest", "I'll reach out", "Log contact"),
        },
        {
            "type": "section",
            "block_id": "p-2",
            "text": mrkdwn("*Globex*"),
            "accessory": overflow("rapport_digest", "I'll reach out", "Log contact", "Take over"),
        },
    ]
    shown = render.message(sections, title="digest")

    assert drawn(shown.panel, width=72) == (
        "╭─ digest ─────────────────────────────────────────────────────────────╮\n"
        "│ Acme (Acme Corp) · 🔴 neglected                                      │\n"
        "│ last contact long ago                                                │\n"
        "│ [1] ⋯ (I'll reach out | Log contact)                                 │\n"
        "│ Globex                                                               │\n"
        "│ [2] ⋯ (I'll reach out | Log contact | Take over)                     │\n"
        "╰──────────────────────────────────────────────────────────────────────╯"
    )
    first, second = shown.buttons
    assert (first.kind, first.label, first.block_id, first.about) == (
        render.OVERFLOW,
        "⋯",
        "p-1",
        "Acme (Acme Corp)",
    )
    assert second.choices == ["I'll reach out", "Log contact", "Take over"]
    assert [option["value"] for option in second.options] == ["v1", "v2", "v3"]
    assert second.about == "Globex"


def test_an_overflow_in_an_actions_block_is_pressable_too_and_names_nothing() -> None:
    shown = render.message(
        [{"type": "actions", "elements": [button("Kept", "kept", "1"), overflow("more", "Drop")]}],
        title="t",
    )

    assert [(b.number, b.kind, b.about) for b in shown.buttons] == [
        (1, "button", ""),
        (2, render.OVERFLOW, ""),
    ]
    assert "[2] ⋯ (Drop)" in drawn(shown.panel)
    assert "not usable here" not in drawn(shown.panel)


def test_a_long_section_names_its_menu_cut_short() -> None:
    name = "Überseehandel " * 8
    shown = render.message(
        [{"type": "section", "text": mrkdwn(name), "accessory": overflow("m", "A")}], title="t"
    )

    about = shown.buttons[0].about
    assert len(about) == 60 and about.endswith("…") and about.startswith("Überseehandel")


def test_slacks_health_dots_are_drawn_by_slacks_names() -> None:
    shown = message(
        {"type": "section", "text": mrkdwn("*Acme* · :large_green_circle: fine")},
        {"type": "context", "elements": [plain(":large_yellow_circle: :large_orange_circle:")]},
        {"type": "section", "text": mrkdwn("`:large_green_circle:` :red_circle: :no_such:")},
    )

    assert "Acme · 🟢 fine" in shown
    assert "🟡 🟠" in shown
    # Code is shown as typed; rich's own names still work; unknown codes stay as they are.
    assert ":large_green_circle: 🔴 :no_such:" in shown
