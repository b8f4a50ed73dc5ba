"""Reading Block Kit the way a person reads a message, and filling in a modal as they would."""

from __future__ import annotations

from typing import Any


def texts(message: dict[str, Any]) -> str:
    """Every piece of text in a message's blocks, in order, one per line."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for key, value in node.items():
                if key != "text" or not isinstance(value, str):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks", []))
    return "\n".join(found)


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Buttons by their label."""
    found = {}
    for block in message.get("blocks", []):
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("type") == "button":
                found[element["text"]["text"]] = element
    return found


def state_from(view: dict, **changes: str) -> dict:
    """The `view.state.values` a user produces by leaving a modal as it is except `changes`."""
    values: dict = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        state: dict = {"type": element["type"]}
        if element["type"] in ("external_select", "static_select", "radio_buttons"):
            option = element.get("initial_option")
            if block_id in changes:
                option = next(o for o in element["options"] if o["value"] == changes[block_id])
            state["selected_option"] = option
        elif element["type"] == "datepicker":
            state["selected_date"] = changes.get(block_id, element.get("initial_date"))
        elif element["type"] == "timepicker":
            state["selected_time"] = changes.get(block_id, element.get("initial_time"))
        else:
            state["value"] = changes.get(block_id, element.get("initial_value"))
        values[block_id] = {element["action_id"]: state}
    return values
