"""What the handlers work with: the database, the clock, and the use cases built on them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.logcontact import LogContact
from storage.db import Database


@dataclass
class Services:
    db: Database
    clock: Clock

    def __post_init__(self) -> None:
        self.logcontact = LogContact(self.db, self.clock)
