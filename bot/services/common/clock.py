"""The current time in the company's time zone; tests and the demo pin it to a fixed moment."""

from __future__ import annotations

from datetime import date, datetime, tzinfo


class Clock:
    def __init__(self, tz: tzinfo, fixed: datetime | None = None) -> None:
        self.tz = tz
        self._fixed = fixed

    def now(self) -> datetime:
        return self._fixed.astimezone(self.tz) if self._fixed else datetime.now(self.tz)

    def today(self) -> date:
        return self.now().date()

    def pin(self, moment: datetime | None) -> None:
        self._fixed = moment
