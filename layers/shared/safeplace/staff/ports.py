"""What signing in asks of the sessions it keeps; the DynamoDB repository satisfies these and tests pass fakes."""

from typing import Protocol

from safeplace.staff.models import StaffSession


class SessionStarts(Protocol):
    def save_session(self, session: StaffSession) -> None: ...


class SessionLookup(Protocol):
    def get_session(self, id_hash: str) -> StaffSession | None: ...


class SessionEnds(Protocol):
    def delete_session(self, id_hash: str) -> None: ...
