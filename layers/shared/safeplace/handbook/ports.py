"""What the handbook asks of the features that follow it; each function's wiring (safeplace.wiring) connects them."""

from datetime import datetime
from typing import Protocol


class ReleaseLearners(Protocol):
    """A SPOC signed: the employer's learners waiting only for that may start."""

    def __call__(self, employer_id: str, *, now: datetime) -> object: ...
