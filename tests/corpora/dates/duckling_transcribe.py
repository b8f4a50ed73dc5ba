"""Write Duckling's German time corpus out as data: `duckling/DE-Corpus.json`.

Duckling keeps its test corpus as a Haskell module (`Duckling/Time/DE/Corpus.hs`): a list of
`examples (VALUE) [TEXT, …]` entries, VALUE one of `datetime (y, m, d, h, mi, s) Grain`,
`datetimeHoliday (…) Grain "name"`, `datetimeInterval ((…), (…)) Grain`,
`datetimeIntervalHoliday ((…), (…)) Grain "name"` or `datetimeOpenInterval Before|After (…) Grain`,
all relative to its test reference time, Tuesday 2013-02-12 04:30. This reads those entries, and
nothing else of the module, into one JSON object per entry, in the module's order, with the line
the entry starts on, so each text can be traced back to its line:

    python -m tests.corpora.dates.duckling_transcribe PATH/TO/Corpus.hs \
        > tests/corpora/dates/duckling/DE-Corpus.json

Only the corpus is copied (its example texts and the values they resolve to), never Duckling's
code; `SOURCES.md` names the commit.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

REFERENCE = "2013-02-12T04:30:00"  # Duckling.Testing.Types.testContext
_TUPLE = re.compile(r"\((-?\d+(?:\s*,\s*-?\d+){5})\)")
_VALUE = re.compile(
    r"(?P<kind>datetime|datetimeHoliday|datetimeInterval|datetimeIntervalHoliday"
    r"|datetimeOpenInterval)\s+(?P<direction>Before\s+|After\s+)?(?P<moments>.*?)\s+"
    r"(?P<grain>[A-Z][a-z]+)(?:\s+\"(?P<holiday>[^\"]*)\")?\s*$",
    re.DOTALL,
)
_STRING = re.compile(r'"([^"\\]*)"')


def _balanced(text: str, start: int) -> int:
    """Index just past the parenthesis that closes the one at `start`."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError(f"unbalanced parentheses from offset {start}")


def transcribe(source: str) -> list[dict[str, Any]]:
    body = source[source.index("allExamples =") :]
    offset = len(source) - len(body)
    entries: list[dict[str, Any]] = []
    for match in re.finditer(r"examples \(", body):
        open_at = match.end() - 1
        close_at = _balanced(body, open_at)
        value = _VALUE.fullmatch(body[open_at + 1 : close_at - 1].strip())
        if value is None:
            raise ValueError(f"unknown value: {body[open_at:close_at]!r}")
        list_start = body.index("[", close_at)
        list_end = body.index("]", list_start)
        moments = [
            [int(part) for part in moment.split(",")] for moment in _TUPLE.findall(value["moments"])
        ]
        entries.append(
            {
                "line": source.count("\n", 0, offset + match.start()) + 1,
                "kind": value["kind"],
                "direction": (value["direction"] or "").strip() or None,
                "moments": moments,
                "grain": value["grain"],
                "holiday": value["holiday"],
                "texts": _STRING.findall(body[list_start:list_end]),
            }
        )
    return entries


def main() -> None:
    source = Path(sys.argv[1]).read_text(encoding="utf-8")
    document = {"reference": REFERENCE, "entries": transcribe(source)}
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
