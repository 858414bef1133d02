import base64
import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Protocol

from safeplace.core.errors import NotSignedIn
from safeplace.core.model import Model
from safeplace.staff.models import StaffSession, StaffUser
from safeplace.staff.ports import SessionEnds, SessionLookup, SessionStarts


class IdentityProvider(Protocol):
    def authorize_url(self, state: str, code_challenge: str) -> str: ...

    def exchange(self, code: str, code_verifier: str) -> StaffUser: ...


class SignInStarted(Model):
    """Where to send the browser, and what to remember (in a short-lived cookie) until it comes back."""

    redirect_to: str
    state: str
    code_verifier: str


class SignedIn(Model):
    cookie_value: str
    session: StaffSession


def session_hash(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode()).hexdigest()


def begin_sign_in(provider: IdentityProvider) -> SignInStarted:
    # OAuth 2.0 authorisation code flow with PKCE and a state value against cross-site request forgery.
    state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return SignInStarted(redirect_to=provider.authorize_url(state, challenge), state=state, code_verifier=verifier)


def start_session(user: StaffUser, *, sessions: SessionStarts, now: datetime, lifetime: timedelta) -> SignedIn:
    cookie_value = secrets.token_urlsafe(32)
    session = StaffSession(
        id_hash=session_hash(cookie_value),
        user=user,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + lifetime,
    )
    sessions.save_session(session)
    return SignedIn(cookie_value=cookie_value, session=session)


def complete_sign_in(
    code: str,
    returned_state: str,
    started: SignInStarted | None,
    *,
    provider: IdentityProvider,
    sessions: SessionStarts,
    now: datetime,
    lifetime: timedelta,
) -> SignedIn:
    if started is None or not secrets.compare_digest(returned_state, started.state):
        raise NotSignedIn()
    user = provider.exchange(code, started.code_verifier)
    return start_session(user, sessions=sessions, now=now, lifetime=lifetime)


def current_session(cookie_value: str | None, *, sessions: SessionLookup, now: datetime) -> StaffSession:
    if not cookie_value:
        raise NotSignedIn()
    session = sessions.get_session(session_hash(cookie_value))
    if session is None or not session.active_at(now):
        raise NotSignedIn()
    return session


def end_session(cookie_value: str | None, *, sessions: SessionEnds) -> None:
    if cookie_value:
        sessions.delete_session(session_hash(cookie_value))
