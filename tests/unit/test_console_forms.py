"""The console's forms over HTTP: what is posted becomes the use case's model, or the page again with the problems
in the forms' own words."""

from urllib.parse import urlencode

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.core import clock
from safeplace.placements.models import PlacementStatus
from tests.conftest import an_employer, header, invite, load_event
from tests.unit.staff_api_support import SAM, call, console_get, signed_in_as, staff_api_dependencies


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
        "site": "Quayside kitchen",
        "start_date-day": "6",
        "start_date-month": "9",
        "start_date-year": "2027",
        "assessor": "Pat Assessor",
        **changes,
    }


def test_the_placement_form_asks_for_each_date_in_three_boxes(deps):
    employer = invite(deps.store, an_employer(clock.now()))
    page = call(console_get("/staff/placements/new"), deps, session=signed_in_as(SAM, deps))["body"]
    for name in ("date_of_birth", "start_date"):
        for part in ("day", "month", "year"):
            assert f'id="{name}-{part}" name="{name}-{part}" type="text"' in page
    assert 'type="date"' not in page and f'value="{employer.id}"' in page


def test_a_learner_is_placed_with_dates_typed_with_month_names(deps):
    employer = invite(deps.store, an_employer(clock.now()))
    sent = a_learner(employer.id, **{"date_of_birth-month": "Mar", "start_date-month": "September"})
    response = post(deps, "/staff/placements", sent, signed_in_as(SAM, deps))
    assert response["statusCode"] == 303, response["body"]
    [placement] = deps.store.employer_placements(employer.id)
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
    assert deps.store.employer_placements(employer.id) == []
