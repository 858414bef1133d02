"""The console's menu: each item with the action it leads to, so a person is offered only what their roles allow."""

from safeplace.staff.access import Action, may
from safeplace.staff.models import StaffUser

MENU = (
    ("/staff", "Home", "home", Action.VIEW_EMPLOYERS),
    ("/staff/employers", "Employers", "employers", Action.VIEW_EMPLOYERS),
    ("/staff/employers/new", "Invite an employer", "invite", Action.INVITE_EMPLOYER),
    ("/staff/placements", "Placements", "placements", Action.VIEW_PLACEMENTS),
    ("/staff/placements/new", "Place a learner", "place", Action.RECORD_PLACEMENT),
    ("/staff/handbook", "Handbook", "handbook", Action.VIEW_EMPLOYERS),
    ("/staff/speakers", "Speakers", "speakers", Action.VIEW_SPEAKER_BOOKINGS),
)


def menu_for(user: StaffUser) -> list[tuple[str, str, str]]:
    """The menu items `user` may follow: (path, label, section)."""
    return [(path, label, key) for path, label, key, action in MENU if may(user, action)]
