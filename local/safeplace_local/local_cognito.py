"""A stand-in for Cognito's hosted sign-in and for the API's Cognito authorizer, which moto does not have.

It speaks the OAuth 2.0 authorisation code flow with PKCE as Cognito's managed login does, checks the
client and its callback URLs in the user pool, and signs ID tokens with a key it publishes as JWKS, so
the console's real sign-in code runs unchanged. Instead of a password the page lists the pool's users.

The `safeplace_dev_user` cookie plays the part of Cognito's own session cookie: while it is set, the
hosted sign-in answers at once (as Cognito does for someone already signed in), and the API treats it
as the bearer of that user's ID token.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.wrappers import Request, Response

from safeplace_local import local_pages
from safeplace_local.directory import Directory

DEV_USER_COOKIE = "safeplace_dev_user"
_KEY_ID = "safeplace-local"
_AUTHORIZE = "/_local/cognito/oauth2/authorize"
_OAUTH_FIELDS = ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method")


@dataclass(frozen=True)
class _Grant:
    sign_in_name: str
    client_id: str
    redirect_uri: str
    challenge: str
    expires: float


class LocalCognito:
    def __init__(self, issuer: str, directory: Directory) -> None:
        self.issuer = issuer
        self.directory = directory
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()

    def handle(self, request: Request, path: str) -> Response:
        if path == "/.well-known/jwks.json":
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
            return _json({"keys": [{**jwk, "kid": _KEY_ID, "use": "sig", "alg": "RS256"}]})
        if path == "/oauth2/authorize" and request.method == "GET":
            oauth = {k: v for k, v in request.args.items() if k in _OAUTH_FIELDS}
            problem = self._client_problem(oauth)
            if problem:
                return _html(local_pages.problem("Sign-in request refused", problem), 400)
            signed_in = request.cookies.get(DEV_USER_COOKIE)
            if signed_in and self.directory.find(signed_in):
                return self._grant(signed_in, oauth)
            return _html(local_pages.sign_in(self.directory.users(), _AUTHORIZE, oauth))
        if path == "/oauth2/authorize" and request.method == "POST":
            form = request.form.to_dict()
            oauth = {k: v for k, v in form.items() if k in _OAUTH_FIELDS}
            if self._client_problem(oauth) or not self.directory.find(form.get("user", "")):
                page = local_pages.sign_in(self.directory.users(), _AUTHORIZE, oauth, "Choose one of these users.")
                return _html(page, 400)
            return self._grant(form["user"], oauth)
        if path == "/oauth2/token" and request.method == "POST":
            return self._token(request.form.to_dict())
        if path == "/logout":
            response = Response(status=303, headers={"Location": request.args.get("logout_uri", "/")})
            response.delete_cookie(DEV_USER_COOKIE)
            return response
        return _json({"error": "not_found"}, 404)

    def _client_problem(self, oauth: dict[str, str]) -> str:
        if oauth.get("code_challenge_method") != "S256" or not oauth.get("code_challenge"):
            return "This sign-in needs PKCE with S256."
        callbacks = self.directory.callback_urls(oauth.get("client_id", ""))
        if callbacks is None:
            return "No app client with this client_id in the user pool."
        if oauth.get("redirect_uri") not in callbacks:
            return "redirect_mismatch: redirect_uri is not one of the app client's CallbackURLs."
        return ""

    def _grant(self, sign_in_name: str, oauth: dict[str, str]) -> Response:
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._grants[code] = _Grant(
                sign_in_name=sign_in_name,
                client_id=oauth["client_id"],
                redirect_uri=oauth["redirect_uri"],
                challenge=oauth["code_challenge"],
                expires=time.monotonic() + 300,
            )
        target = f"{oauth['redirect_uri']}?{urlencode({'code': code, 'state': oauth.get('state', '')})}"
        response = Response(status=303, headers={"Location": target})
        response.set_cookie(DEV_USER_COOKIE, sign_in_name, httponly=True, samesite="Lax")
        return response

    def _token(self, form: dict[str, str]) -> Response:
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code works once
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        user = self.directory.find(grant.sign_in_name) if grant else None
        if (
            grant is None
            or user is None
            or grant.expires < time.monotonic()
            or grant.client_id != form.get("client_id")
            or grant.redirect_uri != form.get("redirect_uri")
            or not secrets.compare_digest(challenge, grant.challenge)
        ):
            return _json({"error": "invalid_grant"}, 400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "sub": user.sub,
            "email": user.email,
            "cognito:username": user.username,
            "cognito:groups": list(user.groups),
            "token_use": "id",
            "auth_time": now,
            "iat": now,
            "exp": now + 3600,
        }
        token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": _KEY_ID})
        return _json({"id_token": token, "token_type": "Bearer", "expires_in": 3600})

    def claims(self, request: Request) -> dict[str, str] | None:
        """The authorizer's claims for a request: from an ID token in Authorization, or the dev cookie."""
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if token:
            try:
                # API Gateway takes an ID token from any of the pool's app clients: no audience to check.
                claims = jwt.decode(
                    token,
                    self._key.public_key(),
                    algorithms=["RS256"],
                    issuer=self.issuer,
                    options={"verify_aud": False},
                )
            except jwt.InvalidTokenError:
                return None
            if claims.get("token_use") != "id":
                return None
            groups = claims.get("cognito:groups", [])
            return {
                **{k: str(claims[k]) for k in ("sub", "email", "cognito:username", "token_use") if k in claims},
                "cognito:groups": ",".join(groups),
            }
        name = request.cookies.get(DEV_USER_COOKIE)
        user = self.directory.find(name) if name else None
        return user.claims() if user else None


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/html; charset=utf-8")
