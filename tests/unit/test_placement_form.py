"""Placing a learner at one of the employer's own sites: the console's two steps without script (choose the
employer, then the rest with its sites), losing nothing typed, and the JSON API refusing any other site."""

import json
import re
from urllib.parse import urlencode

import pytest

from safeplace.adapters.dynamodb import Store
from tests.support.handlers import header
from tests.support.project import load_event
from tests.unit.staff_api_support import (
    SAM,
    an_employer_whose_checks_passed,
    call,
    console_get,
    signed_in_as,
    staff_api_dependencies,
)


@pytest.fixture
def deps(store: Store, state_machine_arn: str, rollout_arn: str, speaker_arn: str, sesv2):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


def post(deps, form: dict[str, str]) -> dict:
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": "/staff/placements", "body": urlencode(form)})
    return call(event, deps, session=signed_in_as(SAM, deps))


def typed(employer_id: str = "", **changes: str) -> dict[str, str]:
    return {
        "learner_reference": "L-2027-0042",
        "date_of_birth-day": "4",
        "date_of_birth-month": "3",
        "date_of_birth-year": "2010",
        **({"employer_id": employer_id} if employer_id else {}),
        "start_date-day": "6",
        "start_date-month": "9",
        "start_date-year": "2027",
        "assessor": "Pat Assessor",
        **changes,
    }


def radios(body: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" type="radio" value="([^"]+)"', body)


def test_choosing_the_employer_offers_its_own_sites(deps):
    # Given a placement-ready employer that named Mill Lane bakery as its site
    employer_id = an_employer_whose_checks_passed(deps)
    event = console_get("/staff/placements/new")
    first = call(event, deps, session=signed_in_as(SAM, deps))["body"]
    # When staff choose it on the first step
    assert radios(first, "employer_id") == [employer_id] and radios(first, "site") == []
    chosen = post(deps, {"employer_id": employer_id, "action": "choose"})
    # Then the rest of the form offers its sites, with their addresses, as radios
    assert chosen["statusCode"] == 200
    assert radios(chosen["body"], "site") == ["Mill Lane bakery"]
    assert "1 Mill Lane, Leeds, LS1 4AB" in chosen["body"]
    assert f'type="hidden" name="employer_id" value="{employer_id}"' in chosen["body"]


def test_nothing_typed_is_lost_choosing_another_employer(deps):
    # Given staff typed the learner's details for one employer
    employer_id = an_employer_whose_checks_passed(deps)
    changing = post(deps, typed(employer_id, site="Mill Lane bakery", action="change"))
    # When they go back to choose another employer, then search and choose again
    assert changing["statusCode"] == 200 and radios(changing["body"], "employer_id") == [employer_id]
    for name, value in typed(site="Mill Lane bakery").items():
        assert f'type="hidden" name="{name}" value="{value}"' in changing["body"]
    found = post(deps, typed(site="Mill Lane bakery", employer_search="holl", action="find"))
    assert radios(found["body"], "employer_id") == [employer_id] and 'value="L-2027-0042"' in found["body"]
    back = post(deps, typed(employer_id, site="Mill Lane bakery", action="choose"))
    # Then every answer is there again on the second step
    assert 'name="learner_reference" type="text" spellcheck="false" value="L-2027-0042"' in back["body"]
    assert 'value="Pat Assessor"' in back["body"] and 'value="Mill Lane bakery" checked' in back["body"]
    assert 'name="start_date-year" type="text" value="2027"' in back["body"]
    assert deps.store.placements.employer_placements(employer_id) == []


def test_continuing_without_an_employer_asks_for_one(deps):
    response = post(deps, typed(action="choose"))
    assert response["statusCode"] == 400
    assert '<a href="#employer_id">Select the employer</a>' in response["body"]
    assert 'type="hidden" name="assessor" value="Pat Assessor"' in response["body"]


def test_a_site_the_employer_never_named_is_refused_next_to_the_sites(deps):
    employer_id = an_employer_whose_checks_passed(deps)
    response = post(deps, typed(employer_id, site="Riverside kitchen"))
    assert response["statusCode"] == 400
    assert '<a href="#site">Choose one of the employer&#39;s own sites: Mill Lane bakery</a>' in response["body"]
    assert radios(response["body"], "site") == ["Mill Lane bakery"]
    assert deps.store.placements.employer_placements(employer_id) == []
    placed = post(deps, typed(employer_id, site="Mill Lane bakery"))
    assert placed["statusCode"] == 303
    [placement] = deps.store.placements.employer_placements(employer_id)
    assert placement.site == "Mill Lane bakery" and header(placed, "Location").endswith(f"?recorded={placement.id}")


def api_placement(employer_id: str, site: str) -> dict:
    event = load_event("staff_api_invite_employer.json")
    body = {
        "learner_reference": "L-2027-0042",
        "date_of_birth": "2010-03-04",
        "employer_id": employer_id,
        "site": site,
        "start_date": "2027-09-06",
        "assessor": "Pat Assessor",
    }
    event.update({"path": "/api/placements", "body": json.dumps(body)})
    return event


def test_the_json_api_validates_the_site_the_same_way_and_documents_it(deps):
    employer_id = an_employer_whose_checks_passed(deps)
    refused = call(api_placement(employer_id, "Riverside kitchen"), deps)
    assert refused["statusCode"] == 400
    assert json.loads(refused["body"]) == {"message": "Choose one of the employer's own sites: Mill Lane bakery"}
    assert call(api_placement(employer_id, "mill lane bakery"), deps)["statusCode"] == 201
    document = json.loads(call(load_event("staff_api_openapi.json"), deps)["body"])
    assert "400" in document["paths"]["/api/placements"]["post"]["responses"]
    site = document["components"]["schemas"]["PlacementRequest"]["properties"]["site"]
    assert "sites the employer gave" in site["description"]
