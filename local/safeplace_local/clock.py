"""The runtime's simulated clock: set to any moment, it then moves on in real time.

Timed waits register their deadline with it (moto's Wait states, task timeouts and Retry intervals, through
moto_clock), so moving the clock forward ends them. A move forward wakes them in deadline order: the clock
steps to each pending deadline in turn and lets what woke settle before the next, as those days would have
gone by, then stops at the moment asked for.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

# Deadlines this close together are one step: a task's timeout and its callback's, registered a handler's run
# apart, wake together instead of costing a settle each. AWS keeps time to the second too.
STEP_WINDOW = timedelta(seconds=1)
# Stepping in order stops after this much real time, and whatever else is due wakes at once: a workflow that
# repeats every few seconds would otherwise make a move of months take hours.
STEPPING_BUDGET_SECONDS = 60.0
# How long a step waits for the waits it ended to wake, so that a stuck one cannot hold the clock.
WAKE_CAP_SECONDS = 10.0

Wake = Callable[[bool], None]


class SimulatedClock:
    def __init__(
        self, settle: Callable[[], object] = lambda: None, *, budget_seconds: float = STEPPING_BUDGET_SECONDS
    ) -> None:
        self._offset = timedelta()
        self._changed = threading.Condition()
        self._waits: dict[object, tuple[datetime, Wake]] = {}
        self._moving = threading.Lock()
        self._settle_system = settle
        self._budget_seconds = budget_seconds

    def now(self) -> datetime:
        with self._changed:
            return datetime.now(UTC) + self._offset

    def set(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        with self._moving:
            self._move_to(moment)
        return self.now()

    def advance(self, by: timedelta) -> datetime:
        with self._moving:
            self._move_to(self.now() + by)
        return self.now()

    def settle(self) -> None:
        """Until the waits already due have woken and what they started has settled (each with a cap)."""
        self._await_due()
        self._settle_system()

    # -- what timed waits use ------------------------------------------------------------------------

    @contextmanager
    def waiting_until(self, deadline: datetime, wake: Wake) -> Iterator[None]:
        """A wait until `deadline`: `wake(due)` is called whenever the clock moves, so the waiter looks again."""
        token = object()
        with self._changed:
            self._waits[token] = (deadline, wake)
        try:
            yield
        finally:
            with self._changed:
                del self._waits[token]
                self._changed.notify_all()

    def deadlines_ahead(self) -> list[datetime]:
        """When each wait registered now will end, soonest first: what moving the clock on will wake."""
        with self._changed:
            now = datetime.now(UTC) + self._offset
            return sorted(deadline for deadline, _ in self._waits.values() if deadline > now)

    def seconds_until(self, deadline: datetime) -> float:
        return (deadline - self.now()).total_seconds()

    # -- moving ------------------------------------------------------------------------------------

    def _move_to(self, target: datetime) -> None:
        if target <= self.now():
            self._jump(target, forward_only=False)  # back in time, or nowhere: nothing falls due
            return
        give_up = time.monotonic() + self._budget_seconds
        self.settle()  # what was already under way finishes at the time it started
        while time.monotonic() < give_up:
            step = self._next_step(target)
            if step is None:
                break
            self._jump(step)
            self.settle()
        self._jump(target)
        self.settle()

    def _next_step(self, target: datetime) -> datetime | None:
        """The latest deadline of the earliest group still ahead, if it falls by `target`."""
        with self._changed:
            now = datetime.now(UTC) + self._offset
            ahead = [deadline for deadline, _ in self._waits.values() if now < deadline <= target]
        if not ahead:
            return None
        earliest = min(ahead)
        return max(deadline for deadline in ahead if deadline <= earliest + STEP_WINDOW)

    def _jump(self, moment: datetime, *, forward_only: bool = True) -> None:
        with self._changed:
            offset = moment - datetime.now(UTC)
            # Real time goes on while a step settles: a step already overtaken by it stays where it is.
            self._offset = max(offset, self._offset) if forward_only else offset
            waits = list(self._waits.values())
        now = self.now()
        for deadline, wake in waits:  # outside the lock: a waiter holds its own lock while it registers
            wake(deadline <= now)

    def _await_due(self) -> None:
        give_up = time.monotonic() + WAKE_CAP_SECONDS
        with self._changed:
            while time.monotonic() < give_up:
                now = datetime.now(UTC) + self._offset
                if not any(deadline <= now for deadline, _ in self._waits.values()):
                    return
                # A wait that falls due by the passing of real time wakes by itself and says so.
                self._changed.wait(min(0.1, give_up - time.monotonic()))
