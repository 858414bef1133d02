"""The staff in the template's Cognito user pool (in moto), as the dev sign-in and the authorizer see them."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PoolUser:
    username: str
    sub: str
    email: str
    groups: tuple[str, ...]

    def claims(self) -> dict[str, str]:
        # What API Gateway's Cognito authorizer passes on; a REST API gives the groups as one string.
        return {
            "sub": self.sub,
            "email": self.email,
            "cognito:username": self.username,
            "cognito:groups": ",".join(self.groups),
            "token_use": "id",
        }


class Directory:
    def __init__(self, cognito: Any, pool_ids: list[str]) -> None:
        self.cognito = cognito
        self.pool_ids = pool_ids

    def users(self) -> list[PoolUser]:
        found = []
        for pool_id in self.pool_ids:
            for user in self.cognito.list_users(UserPoolId=pool_id)["Users"]:
                found.append(self._user(pool_id, user["Username"], user.get("Attributes", [])))
        return sorted(found, key=lambda u: u.email)

    def find(self, sign_in_name: str) -> PoolUser | None:
        """A user by username or, where the pool signs people in by email, by email address."""
        for pool_id in self.pool_ids:
            try:
                user = self.cognito.admin_get_user(UserPoolId=pool_id, Username=sign_in_name)
            except self.cognito.exceptions.UserNotFoundException:
                continue
            return self._user(pool_id, user["Username"], user.get("UserAttributes", []))
        return None

    def _user(self, pool_id: str, username: str, attributes: list[dict[str, str]]) -> PoolUser:
        values = {a["Name"]: a["Value"] for a in attributes}
        groups = self.cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]
        return PoolUser(
            username=username,
            sub=values.get("sub", username),
            email=values.get("email", username),
            groups=tuple(sorted(g["GroupName"] for g in groups)),
        )

    def add(self, users: dict[str, str]) -> None:
        """One user per email address, in the named group; no passwords: the dev sign-in needs none."""
        for pool_id in self.pool_ids:
            for email, group in users.items():
                created = self.cognito.admin_create_user(
                    UserPoolId=pool_id,
                    Username=email,
                    MessageAction="SUPPRESS",
                    UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
                )
                username = created["User"]["Username"]
                self.cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)

    def callback_urls(self, client_id: str) -> list[str] | None:
        """An app client's CallbackURLs, or None if no pool has that client."""
        for pool_id in self.pool_ids:
            try:
                app = self.cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
            except self.cognito.exceptions.ResourceNotFoundException:
                continue
            return list(app["UserPoolClient"].get("CallbackURLs", []))
        return None
