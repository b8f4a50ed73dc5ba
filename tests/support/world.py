"""The world every test starts in: the Slack team, the zone, and the instant the clock shows."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

TEAM = "T0ACME"
BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday 25 November 2026, 10:00 in Berlin: a working morning mid-week.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)
