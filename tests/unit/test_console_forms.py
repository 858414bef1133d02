"""The console's forms over HTTP: what is posted becomes the use case's model, or the page again with the problems
in the forms' own words."""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.core import clock
from safeplace.placements.models import PlacementStatus
from safeplace.staff.models import Role, StaffUser
from safeplace.web.forms.dates import DateField
from safeplace.web.forms.employers import InviteEmployerForm, NewSpocForm, ReviewCheckForm, RevokeCheckForm
from safeplace.web.forms.fields import UploadField
from safeplace.web.forms.form import Form
from safeplace.web.forms.handbook import PublishHandbookForm
from safeplace.web.forms.placements import PlaceLearnerForm
from safeplace.web.forms.speakers import BookingForm, DecisionForm, RecordEventForm
from tests.support.builders import EVENT, a_booking_form, a_submission, an_employer
from tests.support.handlers import header
from tests.support.project import load_event
from tests.support.records import a_stored_submission, invite
from tests.unit.staff_api_support import SAM, call, console_get, signed_in_as, staff_api_dependencies

NOW = datetime(2027, 6, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def deps(store: Store, state_machine_arn: str, rollout_arn: str, speaker_arn: str, sesv2):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


def post(deps, path: str, form: dict[str, str], session) -> dict:
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": path, "body": urlencode(form)})
    return call(event, deps, session=session)


def a_learner(employer_id: str, **changes: str) -> dict[str, str]:
    return {
        "learner_reference": "L-2027-0042",
        "date_of_birth-day": "4",
        "date_of_birth-month": "3",
        "date_of_birth-year": "2010",
        "employer_id": employer_id,
        "site": "Mill Lane bakery",
        "start_date-day": "6",
        "start_date-month": "9",
        "start_date-year": "2027",
        "assessor": "Pat Assessor",
        **changes,
    }


def test_the_placement_form_asks_for_each_date_in_three_boxes(deps):
    employer = invite(deps.store, an_employer(clock.now()))
    # Opened from the employer's page, with that employer chosen
    event = console_get("/staff/placements/new")
    event.update({"queryStringParameters": {"employer_id": employer.id}})
    event["multiValueQueryStringParameters"] = {"employer_id": [employer.id]}
    page = call(event, deps, session=signed_in_as(SAM, deps))["body"]
    for name in ("date_of_birth", "start_date"):
        for part in ("day", "month", "year"):
            assert f'id="{name}-{part}" name="{name}-{part}" type="text"' in page
    assert 'type="date"' not in page and f'value="{employer.id}"' in page


def test_a_learner_is_placed_with_dates_typed_with_month_names(deps):
    invited = invite(deps.store, an_employer(clock.now()))
    employer = a_stored_submission(deps.store, invited, a_submission(), clock.now())
    sent = a_learner(employer.id, **{"date_of_birth-month": "Mar", "start_date-month": "September"})
    response = post(deps, "/staff/placements", sent, signed_in_as(SAM, deps))
    assert response["statusCode"] == 303, response["body"]
    [placement] = deps.store.placements.employer_placements(employer.id)
    assert (placement.date_of_birth.isoformat(), placement.start_date.isoformat()) == ("2010-03-04", "2027-09-06")
    assert placement.status is PlacementStatus.BLOCKED
    assert header(response, "Location").endswith(f"?recorded={placement.id}")


def test_a_date_left_empty_is_asked_for_and_one_that_is_not_a_date_says_so(deps):
    employer = invite(deps.store, an_employer(clock.now()))
    empty = {"start_date-day": "", "start_date-month": "", "start_date-year": ""}
    response = post(deps, "/staff/placements", a_learner(employer.id, **empty), signed_in_as(SAM, deps))
    assert response["statusCode"] == 400
    assert '<a href="#start_date-day">Enter the start date</a>' in response["body"]
    assert "real date" not in response["body"] and 'value="L-2027-0042"' in response["body"]
    wrong = post(deps, "/staff/placements", a_learner(employer.id, **{"start_date-day": "31", "start_date-month": "2"}),
                 signed_in_as(SAM, deps))  # fmt: skip
    assert wrong["statusCode"] == 400
    assert '<a href="#start_date-day">The start date must be a real date</a>' in wrong["body"]
    assert deps.store.placements.employer_placements(employer.id) == []


EVERY_ROLE = StaffUser(username="all@example.org", email="all@example.org", roles=frozenset(Role))


def posted_names(form: Form[Any]) -> list[str]:
    """Every name a form's page posts: a date's three boxes, each statement's box."""
    names: list[str] = []
    for f in form.show().fields:
        if isinstance(f, DateField):
            names.extend(f.box(part) for part in ("day", "month", "year"))
        elif not isinstance(f, UploadField):
            names.append(f.name)
    return names


FORM_ROUTES: list[tuple[str, type[Form[Any]]]] = [
    ("/staff/employers", InviteEmployerForm),
    ("/staff/placements", PlaceLearnerForm),
    ("/staff/employers/{employer}/checks/spoc", ReviewCheckForm),
    ("/staff/employers/{employer}/checks/spoc/revoke", RevokeCheckForm),
    ("/staff/employers/{employer}/spoc", NewSpocForm),
    ("/staff/handbook", PublishHandbookForm),
    ("/staff/speakers", BookingForm),
    ("/staff/speakers/{booking}/request", BookingForm),
    ("/staff/speakers/{booking}/decision", DecisionForm),
    ("/staff/speakers/{booking}/event", RecordEventForm),
]


@pytest.mark.parametrize(("path", "form_type"), FORM_ROUTES, ids=[path for path, _ in FORM_ROUTES])
@pytest.mark.parametrize("typed", ["", "?", "x" * 2001])
def test_no_console_page_says_enter_a_valid_whatever_is_posted(deps, path, form_type, typed):
    with clock.simulate(NOW):
        employer = invite(deps.store, an_employer(clock.now()))
        session = signed_in_as(EVERY_ROLE, deps)
        requested = post(deps, "/staff/speakers", a_booking_form(EVENT), session)
        booking = header(requested, "Location").split("/staff/speakers/")[1].split("?")[0]
        sent = dict.fromkeys(posted_names(form_type("spoc")), typed)
        response = post(deps, path.format(employer=employer.id, booking=booking), sent, session)
    assert response["statusCode"] in (303, 400, 409), response["body"]
    assert typed == "?" or response["statusCode"] == 400
    if response["statusCode"] == 400:
        assert "There is a problem" in response["body"]
    assert not any(words in response["body"] for words in ("Enter a valid", "as a real date", "Value error"))
