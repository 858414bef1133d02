"""The one source of "now" for handlers.

Time-based rules are pure functions of `now`; handlers ask this module for it. The local runtime sets a
simulated time per invocation (see safeplace_local.worker) so reminders and expiries can be watched
without waiting. On AWS nothing calls `simulate` and this is the system clock.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_simulated: datetime | None = None


def now() -> datetime:
    return _simulated if _simulated is not None else datetime.now(UTC)


@contextmanager
def simulate(moment: datetime | None) -> Iterator[None]:
    global _simulated
    previous, _simulated = _simulated, moment
    try:
        yield
    finally:
        _simulated = previous
