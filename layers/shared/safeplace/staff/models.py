"""Members of staff as the console knows them: who they are, their roles, their session."""

from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict, EmailStr

from safeplace.core.model import Model


class Role(StrEnum):
    STAFF = "staff"
    REVIEWER = "reviewer"
    DSL = "dsl"
    ADMIN = "admin"


class StaffUser(Model):
    """A signed-in member of the provider's staff, as the Cognito authorizer describes them."""

    model_config = ConfigDict(frozen=True)

    username: str
    email: EmailStr
    roles: frozenset[Role]

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class StaffSession(Model):
    """A signed-in member of staff. Stored under the SHA-256 of the cookie's value, never the value."""

    id_hash: str
    user: StaffUser
    csrf_token: str
    created_at: datetime
    expires_at: datetime

    def active_at(self, moment: datetime) -> bool:
        return moment < self.expires_at
