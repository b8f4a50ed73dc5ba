"""The benchmark scripts still run against today's code, at a size that takes seconds.

They are not run by the suite at full size and their figures are never asserted here (speed is
measured, not tested); this only keeps them from rotting when the code they drive changes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_the_delivery_benchmark_runs_and_delivers_each_dm_once() -> None:
    out = run_bench("bench/delivery.py", "--backend", "sqlite", "--nudges", "20")

    assert out.count("every user exactly one DM: yes") == 2, out


def test_the_planner_benchmark_runs_and_matches_bare_sql() -> None:
    out = run_bench(
        "bench/planner.py", "--backend", "sqlite", "--scale", "0.001", "--repeats", "1", "--no-keep"
    )

    assert "statements per tick the same at every size: yes" in out, out
