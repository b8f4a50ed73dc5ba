"""Every request body in tests/corpus/, signed and sent to the running app over HTTP.

The corpus holds bodies in the shapes Slack's own SDKs use in their tests (SOURCES.md says where
each came from), some as found and some addressed to the test workspace and to Rapport's own
listeners. Each must be answered with the status its file expects (2xx for what Rapport
handles and for every other event, since Slack retries an event answered otherwise; Bolt's 404
for other requests it does not handle; 400 for what Slack would never send), never a 5xx,
and without an ERROR line or a traceback in the log, deferred work included.

Bodies are sent kind by kind to one app per kind and backend, in file order: a later body may
meet what an earlier one left, as requests in a workspace do.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.sandbox.signing import Answer
from tests.support.app import RunningRapport
from tests.support.corpus import CONTENT_TYPES, FILES, encoded, load
from tests.support.watch import watching_failures

KINDS = sorted({path.parent.name for path in FILES})


def send(rapport: RunningRapport, case: dict[str, Any]) -> Answer:
    return rapport.sender.post(encoded(case), CONTENT_TYPES[case["content_type"]])


def problems_with(case: dict[str, Any], answer: Answer, failures: list[str]) -> list[str]:
    expect = case["expect"]
    problems = [f"logged: {line}" for line in failures]
    if answer.status >= 500 or answer.status != expect["status"]:
        problems.insert(0, f"answered {answer.status} (expected {expect['status']})")
    if "json" in expect and answer.status == expect["status"]:
        got = answer.json()
        wrong = {k: got.get(k) for k, v in expect["json"].items() if got.get(k) != v}
        if wrong:
            problems.append(f"answer differs: {wrong}")
    return problems


def test_the_corpus_is_large_and_every_file_is_well_formed() -> None:
    assert len(FILES) >= 100
    for path in FILES:
        case = load(path)
        assert case["content_type"] in CONTENT_TYPES, path.name
        assert case["addressed"] in ("foreign", "test workspace"), path.name
        assert {"repository", "commit", "path"} <= set(case["source"]), path.name
        assert case["expect"]["status"] in (200, 400, 404), path.name
        if case["addressed"] == "test workspace":
            assert case["rewritten"], f"{path.name} says what was rewritten"


@pytest.mark.parametrize("kind", KINDS)
def test_every_body_of_a_kind_is_answered_without_a_failure(
    rapport: RunningRapport, kind: str
) -> None:
    report: list[str] = []
    with watching_failures() as watch:
        for path in (p for p in FILES if p.parent.name == kind):
            case = load(path)
            answer = send(rapport, case)
            assert rapport.wait_until_idle(), f"{path.name}: deferred work never finished"
            problems = problems_with(case, answer, watch.taken())
            report += [f"{path.name}: {problem}" for problem in problems]
    assert not report, "\n".join(report)
