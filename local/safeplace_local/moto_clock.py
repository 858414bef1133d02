"""moto's Step Functions interpreter on the runtime's simulated clock.

moto waits in real seconds: a Wait state on its execution's Event and time.time(), a task's TimeoutSeconds
and a callback's timeout on Events, a Retry interval in time.sleep. While the runtime runs, those modules get
clock-aware ones instead (their `threading`, `Event`, `Thread` and `time` names), so moving the clock ends
the waits it passes; without a move they end in real time, as before. Their threads are counted in the
runtime's Activity, so a move can let what a wait started settle before its next step.
"""

import importlib
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from types import ModuleType
from typing import Any

from safeplace_local.activity import Activity
from safeplace_local.clock import SimulatedClock
from safeplace_local.light_moto import defer_unused_backends

_PARSER = "moto.stepfunctions.parser"


class ClockEvent:
    """threading.Event whose timed wait ends when the simulated clock passes its deadline."""

    def __init__(self, clock: SimulatedClock, activity: Activity) -> None:
        self._clock = clock
        self._activity = activity
        self._cond = threading.Condition(threading.Lock())
        self._flag = False
        # moto interrupts a Wait state with set() then clear(): a wait ends when this count moves, as
        # threading.Event's does, whatever the flag says by the time the waiter looks.
        self._sets = 0
        self._waiters: set[threading.Thread] = set()

    def is_set(self) -> bool:
        return self._flag

    def set(self) -> None:
        with self._cond:
            self._flag = True
            self._sets += 1
            self._activity.wake(self._waiters)
            self._cond.notify_all()

    def clear(self) -> None:
        with self._cond:
            self._flag = False

    def wait(self, timeout: float | None = None) -> bool:
        with self._cond:
            if self._flag:
                return True
            if timeout is not None and timeout <= 0:
                return False
            me = threading.current_thread()
            self._waiters.add(me)
            try:
                with self._activity.waiting():
                    return self._wait(self._sets, timeout)
            finally:
                self._waiters.discard(me)

    def _wait(self, sets: int, timeout: float | None) -> bool:
        if timeout is None:
            while self._sets == sets:
                self._cond.wait()
            return True
        deadline = self._clock.now() + timedelta(seconds=timeout)
        with self._clock.waiting_until(deadline, self._look_again):
            while self._sets == sets:
                left = self._clock.seconds_until(deadline)
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def _look_again(self, due: bool) -> None:
        with self._cond:
            if due:
                self._activity.wake(self._waiters)
            self._cond.notify_all()


class _ClockTime:
    """The `time` module, but time() is the simulated clock's and sleep() ends when it passes."""

    def __init__(self, clock: SimulatedClock, activity: Activity) -> None:
        self._clock = clock
        self._activity = activity

    def time(self) -> float:
        return self._clock.now().timestamp()

    def sleep(self, seconds: float) -> None:
        ClockEvent(self._clock, self._activity).wait(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


class _ClockThreading:
    """The `threading` module, but its Events follow the clock and its Threads are counted as activity."""

    def __init__(self, clock: SimulatedClock, activity: Activity) -> None:
        self._clock = clock
        self._activity = activity
        self.Thread = counted_thread(activity)

    def Event(self) -> ClockEvent:  # named as threading.Event is: moto calls threading.Event()
        return ClockEvent(self._clock, self._activity)

    def __getattr__(self, name: str) -> Any:
        return getattr(threading, name)


def counted_thread(activity: Activity) -> type[threading.Thread]:
    class CountedThread(threading.Thread):
        """A thread of the interpreter's: running from start() until it waits or ends."""

        def start(self) -> None:
            activity.began(self)
            try:
                super().start()
            except BaseException:
                activity.ended(self)
                raise

        def run(self) -> None:
            try:
                super().run()
            finally:
                activity.ended(self)

        def join(self, timeout: float | None = None) -> None:
            with activity.waiting():  # an execution's thread waits for its states' thread to end
                super().join(timeout)

    return CountedThread


@contextmanager
def follow_the_clock(clock: SimulatedClock, activity: Activity) -> Iterator[None]:
    """The interpreter's waits on `clock` while this lasts (process-wide, as moto is); then as before."""
    defer_unused_backends()  # before the interpreter's modules are first imported, below
    clocked_threading = _ClockThreading(clock, activity)
    clocked_time = _ClockTime(clock, activity)
    replacements: dict[str, dict[str, object]] = {
        # An execution starts in its own thread (parsing its definition), which runs its states in another.
        "backend.execution_worker": {"Thread": clocked_threading.Thread},
        "asl.component.program.program": {"threading": clocked_threading},
        # An execution's Event, which a Wait state waits on.
        "asl.eval.environment": {"threading": clocked_threading},
        # A task's TimeoutSeconds: the task runs in a thread that the state waits for on an Event.
        "asl.component.state.exec.execute_state": {"threading": clocked_threading, "Thread": clocked_threading.Thread},
        # A callback's (waitForTaskToken) timeout, and heartbeats.
        "asl.eval.callback.callback": {"Event": clocked_threading.Event},
        # A Wait state's seconds, counted with time.time().
        "asl.component.state.wait.wait_function.wait_function": {"time": clocked_time},
        # A Retry interval.
        "asl.component.common.retry.retrier_decl": {"time": clocked_time},
    }
    with ExitStack() as stack:
        for module, names in replacements.items():
            stack.enter_context(_replaced(importlib.import_module(f"{_PARSER}.{module}"), names))
        yield


@contextmanager
def _replaced(module: ModuleType, names: dict[str, object]) -> Iterator[None]:
    before = {name: getattr(module, name) for name in names}
    for name, value in names.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in before.items():
            setattr(module, name, value)
