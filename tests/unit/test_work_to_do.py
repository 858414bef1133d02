"""What needs doing shows the newest of each list and says when there are more: one page of each, whatever the
number of employers, as every list does."""

from datetime import UTC, date, datetime, timedelta

import pytest

from safeplace.core.audit import AuditEvent
from safeplace.onboarding.models import EmployerStatus
from safeplace.oversight.show_work_to_do import SHORTLIST, show_work_to_do
from safeplace.web.pages import render
from tests.support.aws import requests_to
from tests.support.builders import an_employer
from tests.unit.staff_api_support import SAM

TODAY = date(2027, 3, 1)
AT = datetime(2027, 2, 1, 9, tzinfo=UTC)


def submitted(store, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        employer = an_employer(
            AT + timedelta(minutes=n), id=f"emp-{n:012d}", name=f"Employer {n}", status=EmployerStatus.SUBMITTED
        )
        event = AuditEvent(subject=employer.subject, action="employer.invited", actor="sam.staff@example.org")
        store.employers.create_employer(employer, event)


def work(store):
    return show_work_to_do(employers=store.employers, placements=store.placements, handbook=store.handbook, today=TODAY)


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
    page = render("staff/home.html", base="", user=SAM, work=work(store), title="What needs doing")
    assert f"More than {SHORTLIST} submissions waiting for review" in page
    assert 'href="/staff/employers?status=submitted">See all submissions waiting for review' in page


@pytest.mark.parametrize("employers", [5, 60])
def test_the_home_page_reads_the_same_whatever_the_number_of_employers(store, employers):
    submitted(store, employers)
    with requests_to(store.table.client) as counted:
        work(store)
    # A page of each of five employer statuses, one of blocked placements, the lapses of the months ahead (two, and
    # the partition kept from before) and the latest handbook version.
    assert counted["Query"] == 6 + 3 + 1
    assert set(counted) == {"Query"}
