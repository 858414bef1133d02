"""Cognito's hosted sign-in (managed login): the authorisation code flow and ID token verification."""

import json
import urllib.parse
import urllib.request
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from safeplace.core.errors import NotSignedIn, TemporaryFailure
from safeplace.staff.models import Role, StaffUser

if TYPE_CHECKING:
    import jwt


class HostedSignIn:
    def __init__(self, domain_url: str, issuer: str, client_id: str, redirect_uri: str, signed_out_uri: str) -> None:
        self.domain_url = domain_url.rstrip("/")
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.signed_out_uri = signed_out_uri

    @cached_property
    def _keys(self) -> "jwt.PyJWKClient":
        # Only signing in verifies a token (sessions are kept server-side): other requests never load jwt and its
        # cryptography.
        import jwt

        return jwt.PyJWKClient(f"{self.issuer}/.well-known/jwks.json", cache_keys=True, timeout=10)

    def authorize_url(self, state: str, code_challenge: str) -> str:
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": "openid email profile",
                "state": state,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self.domain_url}/oauth2/authorize?{query}"

    def logout_url(self) -> str:
        query = urllib.parse.urlencode({"client_id": self.client_id, "logout_uri": self.signed_out_uri})
        return f"{self.domain_url}/logout?{query}"

    def exchange(self, code: str, code_verifier: str) -> StaffUser:
        body = urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "client_id": self.client_id,
                "code": code,
                "redirect_uri": self.redirect_uri,
                "code_verifier": code_verifier,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the configured https Cognito domain
            f"{self.domain_url}/oauth2/token",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                tokens: dict[str, Any] = json.load(response)
        except urllib.error.HTTPError as error:
            if error.code in (400, 401):
                raise NotSignedIn() from error  # a used, expired or forged code
            raise TemporaryFailure("The sign-in service did not answer; try again") from error
        except urllib.error.URLError as error:
            raise TemporaryFailure("The sign-in service did not answer; try again") from error
        return self.verify(tokens["id_token"])

    def verify(self, id_token: str) -> StaffUser:
        import jwt

        try:
            key = self._keys.get_signing_key_from_jwt(id_token)
            claims = jwt.decode(
                id_token,
                key.key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "email"]},
            )
        except jwt.PyJWTError as error:
            raise NotSignedIn() from error
        if claims.get("token_use") != "id":
            raise NotSignedIn()
        try:
            return StaffUser(
                username=claims.get("cognito:username") or claims["sub"],
                email=claims["email"],
                roles=frozenset(Role(g) for g in claims.get("cognito:groups", []) if g in Role._value2member_map_),
            )
        except ValidationError as error:
            raise NotSignedIn() from error
