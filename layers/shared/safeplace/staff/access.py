"""Who may do what: the one place the roles of every staff route are decided.

Each staff route names its Action (safeplace.web.guard enforces it before the route runs); a test checks
that no route is without one. Decisions on something a person submitted follow maker-checker: nobody
approves their own submission.
"""

from collections.abc import Iterable
from enum import StrEnum

from safeplace.core.errors import Forbidden
from safeplace.staff.models import Role, StaffUser

EVERY_STAFF_ROLE = frozenset(Role)


class Action(StrEnum):
    SEE_PUBLIC_PAGES = "see the pages anyone may see (signing in, the API description, the footer's pages)"
    SIGN_OUT = "sign out"
    VIEW_EMPLOYERS = "view employers"
    INVITE_EMPLOYER = "invite an employer"
    MANAGE_INVITATION = "resend or withdraw an invitation"
    CHANGE_SPOC = "name an employer's new SPOC"
    PUBLISH_HANDBOOK = "publish a new version of the employer handbook"
    REVIEW_CHECK = "review an employer's checks"
    REVOKE_CHECK = "revoke an approved check"
    OPEN_EVIDENCE = "open an employer's evidence files"
    VIEW_PLACEMENTS = "view placements"
    RECORD_PLACEMENT = "place a learner"
    VIEW_SPEAKER_BOOKINGS = "view speaker bookings and the speaker register"
    REQUEST_SPEAKER_BOOKING = "request an external speaker booking"
    DECIDE_SPEAKER_BOOKING = "decide a speaker booking"
    RECORD_SPEAKER_EVENT = "record how a speaker's event went"


# None: open to anyone, signed in or not; otherwise the roles that may act.
ALLOWED: dict[Action, frozenset[Role] | None] = {
    Action.SEE_PUBLIC_PAGES: None,
    Action.SIGN_OUT: EVERY_STAFF_ROLE,
    Action.VIEW_EMPLOYERS: EVERY_STAFF_ROLE,
    Action.INVITE_EMPLOYER: frozenset({Role.STAFF, Role.ADMIN}),
    Action.MANAGE_INVITATION: frozenset({Role.STAFF, Role.ADMIN}),
    Action.CHANGE_SPOC: frozenset({Role.STAFF, Role.ADMIN}),
    Action.PUBLISH_HANDBOOK: frozenset({Role.ADMIN}),
    Action.REVIEW_CHECK: frozenset({Role.REVIEWER, Role.DSL, Role.ADMIN}),
    Action.REVOKE_CHECK: frozenset({Role.REVIEWER, Role.DSL, Role.ADMIN}),
    Action.OPEN_EVIDENCE: frozenset({Role.REVIEWER, Role.DSL, Role.ADMIN}),
    Action.VIEW_PLACEMENTS: EVERY_STAFF_ROLE,
    Action.RECORD_PLACEMENT: frozenset({Role.STAFF, Role.ADMIN}),
    Action.VIEW_SPEAKER_BOOKINGS: EVERY_STAFF_ROLE,
    Action.REQUEST_SPEAKER_BOOKING: EVERY_STAFF_ROLE,
    # Which of these may decide a given booking depends on its risk (speakers.risk.route).
    Action.DECIDE_SPEAKER_BOOKING: frozenset({Role.REVIEWER, Role.DSL}),
    Action.RECORD_SPEAKER_EVENT: EVERY_STAFF_ROLE,
}


def needs_sign_in(action: Action) -> bool:
    return ALLOWED[action] is not None


def may(user: StaffUser, action: Action) -> bool:
    """Whether to offer `user` the action at all (the server still authorises when they take it)."""
    roles = ALLOWED[action]
    return roles is None or user.has_any(*roles)


def authorise(user: StaffUser, action: Action) -> None:
    roles = ALLOWED[action]
    if roles is not None and not user.has_any(*roles):
        allowed = ", ".join(sorted(r.value for r in roles))
        raise Forbidden(f"You cannot {action.value}: this needs one of these roles: {allowed}.")


def authorise_decision(user: StaffUser, action: Action, supplied_by: Iterable[str]) -> None:
    """Maker-checker: the person deciding must hold the role and must not be anyone who supplied what is decided.
    Addresses and usernames compare without regard to case, as mail systems treat them."""
    authorise(user, action)
    themselves = {user.username.casefold(), str(user.email).casefold()}
    if any(who.casefold() in themselves for who in supplied_by):
        raise Forbidden(f"You cannot {action.value} on something you submitted yourself: ask a colleague.")
