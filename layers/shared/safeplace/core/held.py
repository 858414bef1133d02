"""A value a warm function keeps between requests for a short, stated time, measured on its own clock."""

import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Held(Generic[T]):
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._value: T | None = None
        self._until = float("-inf")

    @property
    def fresh(self) -> bool:
        return self._clock() < self._until

    @property
    def value(self) -> T | None:
        """What was held; meaningful only while `fresh`."""
        return self._value

    def hold(self, value: T) -> None:
        self._value = value
        self._until = self._clock() + self.seconds
