"""The footer's pages: the privacy notice, accessibility statement and cookies page, open to anyone, saying what the
settings say (the provider, whom to write to, how long each record is kept, which cookies the console sets)."""

import dataclasses
import json
import re
from html import unescape

import pytest

from safeplace.adapters.dynamodb import Store
from tests.support.aws import link_pages_dependencies
from tests.support.handlers import FakeLambdaContext, load_handler
from tests.support.project import load_event
from tests.unit.staff_api_support import SAM, call, console_get, signed_in_as, staff_api_dependencies

FOOTER_PAGES = ("/privacy", "/accessibility", "/cookies")
link_pages = load_handler("link_pages")


@pytest.fixture
def deps(store: Store, state_machine_arn: str, rollout_arn: str, speaker_arn: str, sesv2):
    """A provider whose retention settings differ from the template's defaults, so the figures shown are theirs."""
    made = staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)
    settings = made.settings.model_copy(
        update={
            "link_retention_days": 45,
            "audit_retention_years": 10,
            "staff_session_hours": 6,
            "provider_name": "Quayside College",
            "provider_email": "data.protection@quayside.example",
            "provider_phone": "0117 496 0777",
        }
    )
    return dataclasses.replace(made, settings=settings)


def footer_page(path: str) -> dict:
    event = console_get(path)
    event["resource"] = path
    return event


def text(response: dict) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response["body"])))


@pytest.mark.parametrize("path", FOOTER_PAGES)
def test_anyone_may_read_the_footer_pages_without_signing_in(deps, path):
    # Given nobody signed in; when they open a footer page
    response = call(footer_page(path), deps)
    # Then it is shown, not the way to sign in
    assert response["statusCode"] == 200, response["body"]
    assert "Quayside College" in text(response) or path == "/cookies"


def test_signed_in_staff_read_the_same_page(deps):
    response = call(footer_page("/privacy"), deps, session=signed_in_as(SAM, deps))
    assert response["statusCode"] == 200
    assert "How long we keep it" in text(response)


def test_the_privacy_notice_says_how_long_each_record_is_kept_as_the_settings_keep_it(deps):
    # When the privacy notice is read
    page = text(call(footer_page("/privacy"), deps))
    # Then each figure is the provider's own setting, not the template's default
    assert "History of what was done and by whom 10 years" in page
    assert "Learners' placements 10 years after the placement last changed" in page
    assert "Emailed links 45 days after the link expires or is used" in page
    assert "Staff sign-in sessions 6 hours at most" in page
    # And it names what is held, why, and whom to ask
    for held in ("SPOC", "training certificate", "date of birth", "external speakers", "staff accounts"):
        assert held in page
    assert "Prevent duty" in page and "section 26 of the Counter-Terrorism and Security Act 2015" in page
    assert "Quayside College is the controller" in page
    assert "data.protection@quayside.example" in page


def test_the_accessibility_statement_names_the_standard_the_testing_and_whom_to_tell(deps):
    page = text(call(footer_page("/accessibility"), deps))
    assert "WCAG) version 2.2 at level AA" in page
    assert "320 pixels wide" in page and "axe-core" in page
    assert "email data.protection@quayside.example or call 0117 496 0777" in page


def test_the_cookies_page_names_the_cookies_the_console_sets(deps):
    # Given the console on https, where the session cookie takes the __Host- prefix
    page = text(call(footer_page("/cookies"), deps))
    # Then it names the session cookie and the sign-in cookie, and how long each lasts
    assert "__Host-safeplace_session Keeps a member of staff signed in" in page
    assert "6 hours after they signed in" in page
    assert "safeplace_sign_in Remembers where a member of staff was going" in page
    assert "10 minutes" in page
    assert "set no cookies" in page


def test_the_cookie_names_on_the_page_are_the_ones_signing_in_sets(deps):
    # Given a member of staff who starts signing in and comes back signed in
    started = call(console_get("/staff/sign-in"), deps)
    set_cookies = started["multiValueHeaders"]["Set-Cookie"]
    # Then every cookie the console set is named on the cookies page
    page = text(call(footer_page("/cookies"), deps))
    for header in set_cookies:
        assert header.split("=", 1)[0] in page


@pytest.mark.parametrize("path", FOOTER_PAGES)
def test_every_console_page_and_link_page_has_the_footer_links(deps, store: Store, sesv2, evidence_bucket, path):
    # Given a console page and a link page (one whose link is not valid: the footer is on every page)
    console = call(footer_page("/staff/signed-out"), deps)
    link_deps = link_pages_dependencies(store)
    event = json.loads(json.dumps(load_event("link_pages_open.json")).replace("TOKEN", "not-a-real-token"))
    link = link_pages.lambda_handler(event, FakeLambdaContext(), deps=link_deps)
    # Then both link to the footer page, under the public address's path (the API's stage)
    assert link["statusCode"] == 404
    for response in (console, link):
        assert re.search(rf'<footer.*href="/v1{path}"', response["body"], re.S)
