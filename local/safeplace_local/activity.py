"""What is running in the runtime, so that a move of the clock can wait for it to settle before the next step.

Busy means a Lambda invocation in flight through the runtime, or one of moto's interpreter threads running (an
execution starting, its states, a task's work) rather than waiting for the clock, a callback or another of them.
A thread is counted from the moment it is started, and a waiter from the moment it is woken, so a handover from
one to the next is never idle. What is not counted (an asynchronous invocation's thread before it invokes) is
covered by a short quiet period after the last change.
"""

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

QUIET_SECONDS = 0.01
SETTLE_CAP_SECONDS = 10.0


class Activity:
    def __init__(self, quiet_seconds: float = QUIET_SECONDS, cap_seconds: float = SETTLE_CAP_SECONDS) -> None:
        self._changed = threading.Condition()
        self._invocations = 0
        self._threads: set[threading.Thread] = set()  # interpreter threads alive
        self._running: set[threading.Thread] = set()  # of those, the ones not waiting
        self._last_change = time.monotonic()
        self.quiet_seconds = quiet_seconds
        self.cap_seconds = cap_seconds

    @contextmanager
    def invocation(self) -> Iterator[None]:
        with self._changed:
            self._invocations += 1
            self._change()
        try:
            yield
        finally:
            with self._changed:
                self._invocations -= 1
                self._change()

    def began(self, thread: threading.Thread) -> None:
        with self._changed:
            self._threads.add(thread)
            self._running.add(thread)
            self._change()

    def ended(self, thread: threading.Thread) -> None:
        with self._changed:
            self._threads.discard(thread)
            self._running.discard(thread)
            self._change()

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """The current thread waits: for the clock, a callback or another thread."""
        me = threading.current_thread()
        with self._changed:
            self._running.discard(me)
            self._change()
        try:
            yield
        finally:
            self.wake([me])

    def wake(self, threads: Iterable[threading.Thread]) -> None:
        """These threads run again from now: counted before the scheduler gets round to them."""
        with self._changed:
            self._running.update(t for t in threads if t in self._threads)
            self._change()

    def settle(self) -> bool:
        """Until nothing has run for the quiet period, or the cap; False if it never settled."""
        give_up = time.monotonic() + self.cap_seconds
        with self._changed:
            while True:
                now = time.monotonic()
                if now >= give_up:
                    return False
                if self._invocations or self._running:
                    self._changed.wait(give_up - now)
                    continue
                quiet_for = self._last_change + self.quiet_seconds - now
                if quiet_for <= 0:
                    return True
                self._changed.wait(min(quiet_for, give_up - now))

    def _change(self) -> None:
        self._last_change = time.monotonic()
        self._changed.notify_all()
