"""Reading Block Kit the way a person reads a message."""

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
