"""The runtime's simulated clock: set to any moment, it then moves on in real time."""

import threading
from datetime import UTC, datetime, timedelta


class SimulatedClock:
    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def set(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        with self._lock:
            self._offset = moment - datetime.now(UTC)
        return self.now()

    def advance(self, by: timedelta) -> datetime:
        with self._lock:
            self._offset += by
        return self.now()
