"""What needs doing shows the newest of each list and says when there are more: one page of each, whatever the
number of employers, as every list does."""

from datetime import UTC, date, datetime, timedelta

import pytest

from safeplace.core.audit import AuditEvent
from safeplace.onboarding.models import EmployerStatus
from safeplace.oversight.show_work_to_do import SHORTLIST, show_work_to_do
from safeplace.placements.models import PlacementStatus
from safeplace.staff.models import Role, StaffUser
from safeplace.web.pages import render
from tests.support.aws import requests_to
from tests.support.builders import ADA, an_employer
from tests.unit.staff_api_support import RAE, SAM
from tests.unit.test_list_pages import booked, placed

DEE = StaffUser(username="dee.dsl@example.org", email="dee.dsl@example.org", roles=frozenset({Role.DSL}))

TODAY = date(2027, 3, 1)
AT = datetime(2027, 2, 1, 9, tzinfo=UTC)


def submitted(store, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        employer = an_employer(
            AT + timedelta(minutes=n), id=f"emp-{n:012d}", name=f"Employer {n}", status=EmployerStatus.SUBMITTED
        )
        event = AuditEvent(subject=employer.subject, action="employer.invited", actor="sam.staff@example.org")
        store.employers.create_employer(employer, event)


def work(store, user=ADA):
    return show_work_to_do(
        user,
        employers=store.employers,
        placements=store.placements,
        bookings=store.bookings,
        handbook=store.handbook,
        today=TODAY,
    )


def test_a_short_list_is_shown_whole_and_counted_exactly(store):
    submitted(store, 3)
    reviews = work(store).reviews_waiting
    assert [e.name for e in reviews.items] == ["Employer 2", "Employer 1", "Employer 0"]
    assert (reviews.count, reviews.more) == ("3", False)


def test_a_long_list_shows_its_newest_and_says_there_are_more(store):
    submitted(store, SHORTLIST + 5)
    reviews = work(store).reviews_waiting
    assert len(reviews.items) == SHORTLIST
    assert reviews.items[0].name == f"Employer {SHORTLIST + 4}"
    assert (reviews.count, reviews.more) == (f"More than {SHORTLIST}", True)


def test_the_page_links_to_the_whole_list_when_there_are_more(store):
    submitted(store, SHORTLIST + 1)
    page = render("staff/home.html", base="", user=ADA, work=work(store), title="What needs doing")
    assert f"More than {SHORTLIST} submissions waiting for review" in page
    assert 'href="/staff/employers?status=submitted">See all submissions waiting for review' in page


@pytest.mark.parametrize("employers", [5, 60])
def test_the_home_page_reads_the_same_whatever_the_number_of_employers(store, employers):
    submitted(store, employers)
    with requests_to(store.table.client) as counted:
        work(store)
    # A page of each of five employer statuses, one of blocked and one of flagged placements, the lapses of the
    # months ahead (two, and the partition kept from before) and the latest handbook version.
    assert counted["Query"] == 7 + 3 + 1
    assert set(counted) == {"Query"}


def test_each_person_is_shown_only_what_their_roles_act_on(store):
    # Given a submission to review, a blocked placement and a low-risk speaker booking waiting for a reviewer
    submitted(store, 1)
    placed(store, 1, PlacementStatus.BLOCKED)
    booking = booked(store, "Priya Shah", "Northern Cyber Ltd", 3)
    # When a reviewer, a member of staff and the DSL each open their home page
    reviewer, staff, dsl = work(store, RAE), work(store, SAM), work(store, DEE)
    # Then the reviewer sees the review and the booking waiting for them, and nothing they cannot act on
    assert [e.name for e in reviewer.reviews_waiting.items] == ["Employer 0"]
    assert [b.id for b in reviewer.bookings_waiting.items] == [booking.id]
    assert reviewer.invitations_outstanding is None and reviewer.blocked_placements is None
    # And staff see invitations and blocked placements, but no reviews or bookings to decide
    assert staff.reviews_waiting is None and staff.bookings_waiting is None
    assert [p.learner_reference for p in staff.blocked_placements.items] == ["L-0001"]
    # And the DSL decides only the bookings routed to the DSL: this one is a reviewer's
    assert dsl.bookings_waiting.items == []
    page = render("staff/home.html", base="", user=RAE, work=reviewer, title="What needs doing")
    assert "1 speaker booking waiting for your decision" in page and "Blocked placements" not in page
    assert f'href="/staff/speakers/{booking.id}">Priya Shah: Careers in cyber security</a>' in page


def test_learners_placed_with_an_employer_whose_check_lapsed_come_first_for_everyone(store):
    # Given an active placement flagged after its employer's insurance lapsed, and another one not flagged
    flagged = placed(store, 1, PlacementStatus.ACTIVE)
    placed(store, 2, PlacementStatus.ACTIVE)
    employer = store.employers.get_employer(flagged.employer_id)
    marked = flagged.model_copy(update={"flags": ["Employer's liability insurance lapsed on 28 February 2027"]})
    event = AuditEvent(subject=flagged.subject, action="placement.flagged", actor="daily sweep")
    store.placements.update_placement(flagged, marked, employer, event)
    # When anyone opens their home page, Then that learner is listed first, with why
    for user in (SAM, RAE, DEE, ADA):
        assert [p.id for p in work(store, user).flagged_learners.items] == [flagged.id]
    page = render("staff/home.html", base="", user=SAM, work=work(store, SAM), title="What needs doing")
    assert page.index("Learners at risk") < page.index("Invitations waiting for the employer")
    assert "L-0001 with Employer 1</a>: Employer&#39;s liability insurance lapsed on 28 February 2027" in page
