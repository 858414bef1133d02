"""The console's lists and the JSON API's a page at a time: GOV.UK pagination whose links keep the filters, a page
of at most 50 with a cursor to the next, described in the OpenAPI document, and a clear 400 for a changed cursor.
The placement form offers placement-ready employers found by name, not every employer."""

import html
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.dynamodb.employers import employer_item
from safeplace.core import clock
from safeplace.core.paging import MAX_PAGE_SIZE
from safeplace.onboarding.list_employers import list_employers, placement_choices
from safeplace.onboarding.models import EmployerStatus
from tests.support.builders import an_employer
from tests.support.fakes import InMemoryAuditTrail, InMemoryEmployers
from tests.support.project import load_event
from tests.unit.staff_api_support import SAM, call, console_get, signed_in_as, staff_api_dependencies

NOW = datetime(2027, 6, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def deps(store: Store, state_machine_arn: str, rollout_arn: str, speaker_arn: str, sesv2):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


def seeded(store: Store, count: int, status: EmployerStatus, name: str = "Employer", first: int = 0) -> list[str]:
    ids = []
    for n in range(first, first + count):
        employer = an_employer(NOW + timedelta(minutes=n), id=f"emp-{n:012x}", name=f"{name} {n:03d}", status=status)
        store.table.client.put_item(TableName=store.table.name, Item=employer_item(employer))
        ids.append(employer.id)
    return ids


def page(deps, path: str, params: dict[str, str] | None = None) -> dict:
    event = console_get(path)
    if params:
        event["queryStringParameters"] = params
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in params.items()}
    with clock.simulate(NOW):
        return call(event, deps, session=signed_in_as(SAM, deps))


def api(deps, path: str, params: dict[str, str] | None = None) -> dict:
    event = load_event("staff_api_list_employers.json")
    event.update({"path": path, "queryStringParameters": params})
    event["multiValueQueryStringParameters"] = {k: [v] for k, v in params.items()} if params else None
    return call(event, deps)


def link(body: str, rel: str) -> dict[str, str] | None:
    """The query of the pagination's Previous or Next link, if the page has one."""
    found = re.search(rf'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="{rel}"', body)
    return dict(parse_qsl(urlsplit(html.unescape(found.group(1))).query)) if found else None


def employer_ids(body: str) -> list[str]:
    return re.findall(r'href="[^"]*/staff/employers/(emp-[0-9a-f]{12})"', body)


def test_the_employer_list_pages_with_govuk_pagination_that_keeps_the_filters(deps):
    # Given 55 employers whose checks passed and whose names start alike, and a few invited
    ready = seeded(deps.store, 55, EmployerStatus.CHECKS_PASSED, "Hollins")
    seeded(deps.store, 3, EmployerStatus.INVITED, "Hollins", first=55)
    # When staff list those whose checks passed, searching by the first letters of the name
    first = page(deps, "/staff/employers", {"status": "checks_passed", "search": "holl"})
    # Then the first page holds 50, A to Z, with a Next link that keeps the status and the search
    assert first["statusCode"] == 200
    assert employer_ids(first["body"]) == ready[:50]
    assert 'class="govuk-pagination' in first["body"] and link(first["body"], "prev") is None
    following = link(first["body"], "next")
    assert following is not None and following["status"] == "checks_passed" and following["search"] == "holl"
    # And the next page holds the other 5, with a Previous link back and no Next
    second = page(deps, "/staff/employers", following)
    assert employer_ids(second["body"]) == ready[50:]
    assert link(second["body"], "next") is None
    back = link(second["body"], "prev")
    assert back is not None and employer_ids(page(deps, "/staff/employers", back)["body"]) == ready[:50]


def test_a_changed_cursor_is_a_clear_400_page_and_a_400_in_the_api(deps):
    seeded(deps.store, 3, EmployerStatus.INVITED)
    for cursor in ("not-a-cursor", "eyJkIjoibiIsImsiOnt9fQ", "x" * 2000):
        shown = page(deps, "/staff/employers", {"cursor": cursor})
        assert shown["statusCode"] == 400, cursor
        assert "This page link is not valid" in html.unescape(shown["body"])
    answered = api(deps, "/api/employers", {"cursor": "not-a-cursor"})
    assert answered["statusCode"] == 400
    assert json.loads(answered["body"])["message"].startswith("This page link is not valid")
    placements = page(deps, "/staff/placements", {"cursor": "not-a-cursor"})
    speakers = page(deps, "/staff/speakers", {"cursor": "not-a-cursor"})
    assert placements["statusCode"] == speakers["statusCode"] == 400


def test_the_api_answers_a_page_of_at_most_50_and_a_cursor_to_the_next(deps):
    ids = seeded(deps.store, 53, EmployerStatus.INVITED)
    newest = ids[::-1]
    first = json.loads(api(deps, "/api/employers")["body"])
    assert [e["id"] for e in first["items"]] == newest[:50] and first["previous_cursor"] is None
    rest = json.loads(api(deps, "/api/employers", {"cursor": first["next_cursor"]})["body"])
    assert [e["id"] for e in rest["items"]] == newest[50:] and rest["next_cursor"] is None
    small = json.loads(api(deps, "/api/employers", {"limit": "2", "search": "employer 01"})["body"])
    assert [e["name"] for e in small["items"]] == ["Employer 010", "Employer 011"] and small["next_cursor"]
    too_many = api(deps, "/api/employers", {"limit": "51"})
    assert too_many["statusCode"] == 422 and "limit" in too_many["body"]
    for path in ("/api/placements", "/api/speakers"):
        listed = json.loads(api(deps, path, {"limit": "5"})["body"])
        assert listed == {"items": [], "next_cursor": None, "previous_cursor": None}, path


def test_the_openapi_document_describes_the_cursor_the_limit_and_the_next_cursor(deps):
    document = json.loads(call(load_event("staff_api_openapi.json"), deps)["body"])
    schemas = document["components"]["schemas"]
    for path in ("/api/employers", "/api/placements", "/api/speakers"):
        listed = document["paths"][path]["get"]
        parameters = {p["name"]: p for p in listed["parameters"]}
        assert parameters["limit"]["schema"]["maximum"] == MAX_PAGE_SIZE, path
        assert "next_cursor" in parameters["cursor"]["description"], path
        reply = listed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert {"items", "next_cursor", "previous_cursor"} <= set(schemas[reply]["properties"]), path


def test_the_placement_form_offers_placement_ready_employers_found_by_name(deps):
    # Given employers whose checks passed and one only invited, all of whose names start "Hol"
    ready = seeded(deps.store, 2, EmployerStatus.CHECKS_PASSED, "Hollins")
    [invited] = seeded(deps.store, 1, EmployerStatus.INVITED, "Holly", first=2)
    seeded(deps.store, 1, EmployerStatus.CHECKS_PASSED, "Quayside", first=3)
    # When staff search the form's chooser, which sends the form back without script
    form = page(deps, "/staff/placements/new", {"employer_search": "hol"})
    body = form["body"]
    assert form["statusCode"] == 200 and 'type="submit" value="find" name="action"' in body
    # Then the placement-ready employers whose names start so are offered to choose from, and no other
    offered = re.findall(r'name="employer_id" type="radio" value="(emp-[0-9a-f]{12})"', body)
    assert offered == ready
    # And the employer a link arrived with is chosen, placement-ready or not, for the rest of the form
    from_its_page = page(deps, "/staff/placements/new", {"employer_id": invited, "employer_search": "quay"})["body"]
    assert f'name="employer_id" value="{invited}"' in from_its_page and 'type="radio" value="emp-' not in from_its_page
    assert "Holly 002" in from_its_page


def test_the_placement_and_speaker_lists_page_too(deps):
    placements = page(deps, "/staff/placements", {"status": "blocked"})
    assert placements["statusCode"] == 200 and "No placements are blocked" in placements["body"]
    speakers = page(deps, "/staff/speakers", {"search": "priya"})
    assert speakers["statusCode"] == 200 and "0 bookings found" in speakers["body"]


# -- the use cases, over the in-memory employers ---------------------------------------------------------


def in_memory(count: int, status: EmployerStatus) -> InMemoryEmployers:
    employers = InMemoryEmployers(InMemoryAuditTrail())
    for n in range(count):
        employer = an_employer(NOW + timedelta(minutes=n), id=f"emp-{n:012x}", name=f"Hollins {n:03d}", status=status)
        employers.employers[employer.id] = employer
    return employers


def test_a_page_never_holds_more_than_50_whatever_is_asked():
    employers = in_memory(60, EmployerStatus.INVITED)
    assert len(list_employers(None, None, employers=employers, limit=500).items) == MAX_PAGE_SIZE
    assert len(list_employers(None, None, employers=employers, limit=0).items) == 1


def test_the_placement_choices_are_placement_ready_and_keep_the_chosen_one_first():
    employers = in_memory(25, EmployerStatus.CHECKS_PASSED)
    invited = an_employer(NOW, id="emp-ffffffffffff", name="Harbour Cafe")
    employers.employers[invited.id] = invited
    offered = placement_choices("hollins 00", invited.id, employers=employers)
    assert [e.id for e in offered] == [invited.id, *(f"emp-{n:012x}" for n in range(10))]
    # With nothing typed, the 20 whose checks passed most recently, and an unknown id is no choice at all
    recent = placement_choices("", "emp-000000000bad", employers=employers)
    assert [e.id for e in recent] == [f"emp-{n:012x}" for n in range(24, 4, -1)]
