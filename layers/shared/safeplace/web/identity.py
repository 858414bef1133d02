"""The signed-in staff member, from the claims API Gateway's Cognito authorizer put in the request."""

from typing import Any

from pydantic import ValidationError

from safeplace.core.errors import Forbidden
from safeplace.staff.models import Role, StaffUser


def staff_user(request_context: dict[str, Any]) -> StaffUser:
    claims = (request_context.get("authorizer") or {}).get("claims") or {}
    raw_groups = claims.get("cognito:groups", "")
    names = raw_groups if isinstance(raw_groups, list) else raw_groups.strip("[]").replace(",", " ").split()
    try:
        return StaffUser(
            username=claims.get("cognito:username") or claims.get("sub", ""),
            email=claims.get("email", ""),
            roles=frozenset(Role(n) for n in names if n in Role._value2member_map_),
        )
    except ValidationError as error:
        raise Forbidden("Your sign-in does not say who you are; sign in again") from error
