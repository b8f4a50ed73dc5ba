"""The corpus of request bodies in tests/corpus/: where it is, and each body as Slack sends it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FILES = sorted(CORPUS.glob("*/*.json"))
CONTENT_TYPES = {"form": "application/x-www-form-urlencoded", "json": "application/json"}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def encoded(case: dict[str, Any]) -> str:
    """The body as Slack puts it on the wire."""
    body = case["body"]
    if isinstance(body, str):
        return body
    if case["content_type"] == "json":
        return json.dumps(body)
    fields = {
        name: json.dumps(value) if name == "payload" and not isinstance(value, str) else value
        for name, value in body.items()
    }
    return urlencode(fields)
