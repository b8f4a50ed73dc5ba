"""The benchmark scripts still run against today's code, at a size that takes seconds.

They are not run by the suite at full size and their figures are never asserted here (speed is
measured, not tested); this only keeps them from rotting when the code they drive changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.statements import COMMON

ROOT = Path(__file__).resolve().parents[1]


def run_bench(*argv: str) -> str:
    done = subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param([], id="sqlite"),
        pytest.param(["--postgres"], id="postgresql", marks=pytest.mark.postgres),
    ],
)
def test_the_logcontact_benchmark_runs_its_servers_without_a_failure(backend: list[str]) -> None:
    out = run_bench(
        "bench/logcontact.py",
        *("--requests", "40", "--concurrency", "4", "--rounds", "1", *backend),
        *("--floor", "--sql-floor", "--json"),
    )

    rows = {
        line.split()[0]: line.split()
        for line in out.splitlines()
        if line.startswith(("rapport", "bare", "floor ", "sql-floor "))
    }
    assert rows["rapport"][-1] == "0" and rows["bare"][-1] == "0", out
    assert rows["floor"][-1] == "0", out
    # Every command of the SQL floor found its member and partner, and so sent all its SQL.
    assert rows["sql-floor"][-1] == "0", out
    assert "drift check after the run: 0 partners" in out, out
    assert "ratio sql-floor/bare (the common command's SQL, raw driver): median " in out, out
    figures = json.loads(out.splitlines()[-1])
    assert list(figures["servers"]) == ["rapport", "bare_bolt", "floor", "sql_floor"], out
    assert figures["servers"]["sql_floor"]["cpu_ms_per_request"] > 0, out
    for ratio in ("sql_floor_throughput", "throughput_vs_sql_floor", "cpu_vs_sql_floor"):
        assert figures["ratios"][ratio] > 0, out


def test_the_sql_floor_measures_the_common_commands_statements_alone() -> None:
    out = run_bench("bench/sql_floor.py", "--iterations", "20")

    assert "the common /logcontact's SQL alone, raw sqlite driver, 20 commands" in out, out
    assert "per command: CPU " in out, out


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param([], id="sqlite"),
        pytest.param(["--postgres"], id="postgresql", marks=pytest.mark.postgres),
    ],
)
def test_the_logcontact_benchmark_serves_rapport_alone_in_several_workers(
    backend: list[str],
) -> None:
    out = run_bench(
        "bench/logcontact.py",
        "--requests",
        "40",
        "--concurrency",
        "4",
        "--rounds",
        "1",
        *backend,
        "--workers",
        "2",
        "--alone",
        "--json",
    )

    figures = json.loads(out.splitlines()[-1])
    assert figures["workers"] == 2, out
    assert list(figures["servers"]) == ["rapport"], out
    assert figures["servers"]["rapport"]["failures"] == 0, out
    assert figures["servers"]["rapport"]["cpu_ms_per_request"] > 0, out
    assert figures["partners_drifted"] == 0, out
    # As each worker sends them: the common command's statements (`tests.support.statements`);
    # on SQLite it reads the command apart, then the asker's guest flag and the partner's row
    # again under the write lock (`tests/scenarios/test_logcontact_read_apart.py`).
    expected = COMMON if backend else COMMON + 2
    assert figures["statements_per_command"] == expected, out


def test_the_delivery_benchmark_runs_and_delivers_each_dm_once() -> None:
    out = run_bench("bench/delivery.py", "--backend", "sqlite", "--nudges", "20")

    assert out.count("every user exactly one DM: yes") == 2, out


def test_the_planner_benchmark_runs_and_matches_bare_sql() -> None:
    out = run_bench(
        "bench/planner.py", "--backend", "sqlite", "--scale", "0.001", "--repeats", "1", "--no-keep"
    )

    assert "statements per tick the same at every size: yes" in out, out


def test_the_hostile_benchmark_runs_and_no_hostile_body_gets_past_the_limit() -> None:
    requests = 40
    out = run_bench(
        "bench/hostile.py",
        *("--requests", str(requests), "--concurrency", "4", "--warmup", "10", "--rounds", "1"),
        *("--idle", "10", "--trickle", "10", "--body-streams", "2", "--body-mb", "5"),
        *("--ramp", "0.5", "--json"),
    )

    figures = json.loads(out.strip().splitlines()[-1])
    for phase in ("quiet", "attack"):
        assert figures[phase]["count"] + figures[phase]["errors"] == requests, out
    outcomes = figures["outcomes"]
    assert outcomes["closed_by_deadline_408"] > 0, out
    for kind in ("body_declared", "body_chunked"):
        assert outcomes["kinds"][kind]["opened"] > 0, out
        assert set(outcomes["kinds"][kind]["outcomes"]) <= {"413", "reset"}, out
    # Every body the server answered was refused: none reached the signature check (a 401).
    assert set(figures["server_log"]["statuses"]) == {"200", "413"}, out


def test_the_date_corpora_benchmark_scores_every_selected_case_for_both_readers() -> None:
    out = run_bench("bench/date_corpora.py", "--json")

    figures = json.loads(out.strip().splitlines()[-1])
    selected = (ROOT / "tests/corpora/dates/selected.jsonl").read_text("utf-8").splitlines()
    for reader in ("rapport", "dateparser"):
        groups = [group[reader] for group in figures["groups"].values()]
        assert sum(group["total"] for group in groups) == len(selected), out
        for group in groups:
            assert group["total"] == sum(
                group[outcome] for outcome in ("right", "asked", "unread", "wrong")
            ), out


def test_the_parse_benchmark_reads_the_same_texts_in_this_checkout_and_the_baseline() -> None:
    out = run_bench(
        "bench/parse.py", *("--texts", "20", "--rounds", "1", "--repeats", "1", "--json")
    )

    figures = json.loads(out.strip().splitlines()[-1])
    assert figures["texts"] == 20 and sum(figures["languages"].values()) == 20, out
    assert set(figures["sides"]) == {"baseline", "this"}, out
    for side in figures["sides"].values():
        assert 0 < side["median"] <= side["p99"], out
    assert set(figures["ratio"]) == {"median", "p99", "total_ms"}, out


def test_the_partner_match_benchmark_runs_and_finds_the_meant_partners() -> None:
    out = run_bench(
        "bench/partner_match.py", "--backend", "sqlite", "--partners", "2000", "--lookups", "20"
    )
    assert "one workspace with 2,000 partners" in out
    assert "median" in out and "p99" in out


def test_the_partner_lists_benchmark_runs_each_request() -> None:
    out = run_bench(
        "bench/partner_lists.py",
        *("--backend", "sqlite", "--mine", "100", "--partners", "300"),
        *("--contacts", "2000", "--promises", "200", "--runs", "5", "--heavy", "50"),
    )
    assert "seeded 300 partners (100 the asker's), 2,000 contacts" in out
    for request in (
        "partner card (50+ contacts)",
        "Older contacts, last page",
        "partners (first page)",
        "Next page (rows 81-)",
        "promises",
    ):
        assert request in out, out


def test_the_shared_channels_benchmark_acks_every_message_event() -> None:
    out = run_bench("bench/shared_channels.py", "--events", "60", "--seconds", "0")

    assert "failed 0;" in out, out
    assert "Slack calls: conversations.info" in out, out


def test_the_digests_benchmark_draws_every_channels_digest() -> None:
    out = run_bench(
        "bench/digests.py",
        *("--backend", "sqlite", "--scale", "0.001", "--channels", "4", "--members", "3"),
        *("--repeats", "1", "--no-keep", "--json"),
    )

    [figures] = json.loads(out.strip().splitlines()[-1])
    assert (figures["channels"], figures["planned"]) == (4, 4), out
    assert figures["partners_listed_per_channel"] >= 0 and figures["median_ms"] > 0, out
    assert figures["statements_per_channel"] > 0, out
