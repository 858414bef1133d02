"""Emailed capability links (DESIGN.md section 4).

A link carries 256 random bits of our own, never a Step Functions task token. Only the SHA-256 of the
token is stored; the link is bound to one subject and one purpose and expires. Looking at a link changes
nothing; acting consumes it with a conditional write in the same transaction as the action. Issuing a
new link for the same subject and purpose revokes the previous one.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from safeplace.core.errors import LinkNotUsable
from safeplace.core.model import Model


class LinkPurpose(StrEnum):
    ONBOARDING_FORM = "onboarding_form"
    HANDBOOK = "handbook"
    SPEAKER_DECISION = "speaker_decision"
    SPEAKER_CONDITIONS = "speaker_conditions"


class Link(Model):
    """An emailed capability link as stored: the hash of its token, never the token."""

    token_hash: str
    subject_id: str
    purpose: LinkPurpose
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None

    def usable_at(self, moment: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and moment < self.expires_at


class IssuedLink(Model):
    """A freshly issued link: the only time the token exists outside the recipient's inbox."""

    token: str
    link: Link


TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


class LinkLookup(Protocol):
    def get_link(self, token_hash: str) -> Link | None: ...


class LinkStore(LinkLookup, Protocol):
    def save_link(self, link: Link) -> None: ...


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    store: LinkStore, subject_id: str, purpose: LinkPurpose, *, now: datetime, valid_for: timedelta
) -> IssuedLink:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = Link(
        token_hash=token_hash(token),
        subject_id=subject_id,
        purpose=purpose,
        issued_at=now,
        expires_at=now + valid_for,
    )
    store.save_link(link)
    return IssuedLink(token=token, link=link)


def find(store: LinkLookup, token: str) -> Link | None:
    """The stored link behind a token, whatever its state; None for a token of the wrong shape or unknown."""
    if not _TOKEN_SHAPE.match(token):
        return None
    return store.get_link(token_hash(token))


def spent(store: LinkLookup, token: str, purpose: LinkPurpose | None = None) -> Link | None:
    """The link behind a token once it has been used (for `purpose`, if given), whatever its expiry: its holder is
    told what happened, until the record is purged. Wrong, expired and replaced links stay alike."""
    link = find(store, token)
    if link is None or link.used_at is None or (purpose is not None and link.purpose is not purpose):
        return None
    return link


def resolve(store: LinkLookup, token: str, purpose: LinkPurpose, *, now: datetime) -> Link:
    """The usable link behind a token. Wrong, used, revoked and expired tokens all raise the same error."""
    link = find(store, token)
    if link is None or link.purpose is not purpose or not link.usable_at(now):
        raise LinkNotUsable()
    return link


class LinkIssuer:
    """Issues links whose addresses come from configuration, never from a request's Host header."""

    def __init__(self, store: LinkStore, base_url: str, valid_for: timedelta) -> None:
        self.store = store
        self.base_url = base_url.rstrip("/")
        self.valid_for = valid_for

    def issue(self, subject_id: str, purpose: LinkPurpose, *, now: datetime) -> tuple[str, IssuedLink]:
        """A fresh link (revoking the subject's previous one for the purpose) and its address."""
        issued = issue(self.store, subject_id, purpose, now=now, valid_for=self.valid_for)
        return f"{self.base_url}/link/{issued.token}", issued
