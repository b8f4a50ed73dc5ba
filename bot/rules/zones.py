"""Time zones by their IANA names, as Slack gives them."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TZ = "UTC"
# The furthest any time zone's date runs ahead of (or behind) UTC's: UTC+14, UTC-12.
ZONE_LEAD = timedelta(days=1)


@lru_cache(maxsize=512)
def zone(name: str | None) -> ZoneInfo:
    """The named zone, or UTC when Slack gave none or one this machine does not know."""
    try:
        return ZoneInfo(name or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)
