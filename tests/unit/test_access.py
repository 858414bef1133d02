import pytest

from safeplace.core.errors import Forbidden
from safeplace.staff import access
from safeplace.staff.access import Action
from safeplace.staff.models import Role, StaffUser


def someone(*roles: Role, name: str = "sam.staff@example.org") -> StaffUser:
    return StaffUser(username=name, email=name, roles=frozenset(roles))


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [((Role.STAFF,), True), ((Role.ADMIN,), True), ((Role.REVIEWER,), False), ((Role.DSL,), False), ((), False)],
)
def test_inviting_an_employer_is_for_engagement_staff_and_admins(roles, allowed):
    if allowed:
        access.authorise(someone(*roles), Action.INVITE_EMPLOYER)
    else:
        with pytest.raises(Forbidden, match="needs one of these roles: admin, staff"):
            access.authorise(someone(*roles), Action.INVITE_EMPLOYER)


def test_every_role_can_view_employers_but_someone_with_no_role_cannot():
    for role in Role:
        access.authorise(someone(role), Action.VIEW_EMPLOYERS)
    with pytest.raises(Forbidden):
        access.authorise(someone(), Action.VIEW_EMPLOYERS)


def test_nobody_decides_on_their_own_submission():
    reviewer = someone(Role.STAFF, Role.ADMIN, name="ada.admin@example.org")
    with pytest.raises(Forbidden, match="something you submitted yourself"):
        access.authorise_decision(reviewer, Action.VIEW_EMPLOYERS, supplied_by=["ada.admin@example.org"])
    access.authorise_decision(reviewer, Action.VIEW_EMPLOYERS, supplied_by=["sam.staff@example.org"])


@pytest.mark.parametrize("written", ["Ada.Admin@Example.ORG", "ADA.ADMIN@EXAMPLE.ORG", " ada.admin@example.org"])
def test_an_address_written_in_other_capitals_is_still_the_same_person(written):
    reviewer = someone(Role.REVIEWER, name="ada.admin@example.org")
    with pytest.raises(Forbidden, match="something you submitted yourself"):
        access.authorise_decision(reviewer, Action.REVIEW_CHECK, supplied_by=[written.strip()])


def test_anyone_among_those_who_supplied_it_may_not_decide():
    reviewer = someone(Role.REVIEWER, name="rae.reviewer@example.org")
    with pytest.raises(Forbidden):
        access.authorise_decision(
            reviewer, Action.REVIEW_CHECK, supplied_by=["kim@hollins.example", "Rae.Reviewer@example.org"]
        )


def test_every_action_has_a_rule():
    assert set(access.ALLOWED) == set(Action)
