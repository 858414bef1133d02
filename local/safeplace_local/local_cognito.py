"""A stand-in for Cognito's hosted sign-in, which moto does not have.

It speaks the same OAuth 2.0 authorisation code flow with PKCE as Cognito's managed login, and signs
ID tokens with a key it publishes as JWKS, so the staff console's real sign-in code runs unchanged. The
sign-in page lists the user pool's users instead of asking for a password: this is a dev sign-in.
"""

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.wrappers import Request, Response

from safeplace_local import local_pages

DEV_USER_COOKIE = "safeplace_dev_user"
_KEY_ID = "safeplace-local"


@dataclass(frozen=True)
class _Grant:
    username: str
    client_id: str
    redirect_uri: str
    challenge: str
    expires: float


class LocalCognito:
    def __init__(self, issuer: str, users: Callable[[], list[dict[str, Any]]]) -> None:
        self.issuer = issuer
        self.users = users
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._grants: dict[str, _Grant] = {}
        self._lock = threading.Lock()

    def handle(self, request: Request, path: str) -> Response:
        if path == "/.well-known/jwks.json":
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
            return _json({"keys": [{**jwk, "kid": _KEY_ID, "use": "sig", "alg": "RS256"}]})
        if path == "/oauth2/authorize" and request.method == "GET":
            return _html(self._choose_user_page(request.args.to_dict()))
        if path == "/oauth2/authorize" and request.method == "POST":
            return self._authorise(request.form.to_dict())
        if path == "/oauth2/token" and request.method == "POST":
            return self._token(request.form.to_dict())
        if path == "/logout":
            response = Response(status=303, headers={"Location": request.args.get("logout_uri", "/")})
            response.delete_cookie(DEV_USER_COOKIE)
            return response
        return _json({"error": "not_found"}, 404)

    def _choose_user_page(self, query: dict[str, str]) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
            for k, v in query.items()
            if k in ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method")
        )
        return local_pages.sign_in(self.users(), hidden)

    def _authorise(self, form: dict[str, str]) -> Response:
        known = {u["username"] for u in self.users()}
        if form.get("user") not in known or form.get("code_challenge_method") != "S256":
            return _html(local_pages.sign_in(self.users(), "", problem="Choose one of the users below."), 400)
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._grants[code] = _Grant(
                username=form["user"],
                client_id=form.get("client_id", ""),
                redirect_uri=form.get("redirect_uri", ""),
                challenge=form.get("code_challenge", ""),
                expires=time.monotonic() + 300,
            )
        target = f"{form.get('redirect_uri', '')}?{urlencode({'code': code, 'state': form.get('state', '')})}"
        response = Response(status=303, headers={"Location": target})
        # The JSON API's stand-in for a bearer token: the runtime turns it into authorizer claims.
        response.set_cookie(DEV_USER_COOKIE, form["user"], httponly=True, samesite="Lax")
        return response

    def _token(self, form: dict[str, str]) -> Response:
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code works once
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        if (
            grant is None
            or grant.expires < time.monotonic()
            or grant.client_id != form.get("client_id")
            or grant.redirect_uri != form.get("redirect_uri")
            or not secrets.compare_digest(challenge, grant.challenge)
        ):
            return _json({"error": "invalid_grant"}, 400)
        user = next(u for u in self.users() if u["username"] == grant.username)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "sub": user["sub"],
            "email": user["email"],
            "cognito:username": user["username"],
            "cognito:groups": user["groups"],
            "token_use": "id",
            "auth_time": now,
            "iat": now,
            "exp": now + 3600,
        }
        token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": _KEY_ID})
        return _json({"id_token": token, "token_type": "Bearer", "expires_in": 3600})


def _json(payload: Any, status: int = 200) -> Response:
    import json

    return Response(json.dumps(payload), status=status, content_type="application/json")


def _html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/html; charset=utf-8")
