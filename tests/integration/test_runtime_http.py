"""The HTTP front: API Gateway proxy events, the Cognito authorizer's stand-in, and the /_local/ pages."""

import base64
import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from safeplace_local.runtime import LocalRuntime

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent / "fixtures"
STAFF = "sam.staff@example.org"
REVIEWER = "rae.reviewer@example.org"


@pytest.fixture(scope="module")
def rt():
    with LocalRuntime(FIXTURES / "template.yaml", port=0) as runtime:
        runtime.add_staff_users({STAFF: "staff", REVIEWER: "reviewer"})
        yield runtime


def signed_in(rt, user):
    session = requests.Session()
    answer = session.post(f"{rt.base_url}/_local/sign-in", data={"user": user}, allow_redirects=False, timeout=10)
    assert answer.status_code == 303
    return session


def handler_saw(response):
    assert response.status_code == 200, response.text
    return response.json()["event"]


def test_a_proxy_event_has_api_gateways_shape(rt):
    response = requests.get(f"{rt.base_url}/items/abc?colour=red&size=s&size=m", headers={"X-Trace": "t-1"}, timeout=10)
    event = handler_saw(response)
    assert event["resource"] == "/items/{id}"
    assert event["path"] == "/items/abc"
    assert event["httpMethod"] == "GET"
    assert event["pathParameters"] == {"id": "abc"}
    assert event["queryStringParameters"] == {"colour": "red", "size": "m"}
    assert event["multiValueQueryStringParameters"] == {"colour": ["red"], "size": ["s", "m"]}
    assert event["headers"]["X-Trace"] == "t-1"
    assert event["multiValueHeaders"]["X-Trace"] == ["t-1"]
    assert event["body"] is None and event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert (context["stage"], context["resourcePath"], context["httpMethod"]) == ("test", "/items/{id}", "GET")
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["requestId"]
    assert "authorizer" not in context


def test_the_most_specific_route_serves_the_request(rt):
    assert handler_saw(requests.get(f"{rt.base_url}/items/latest", timeout=10))["resource"] == "/items/latest"
    # /items/{id} has GET (EchoFunction) and ANY (fixture-slow): a DELETE goes to ANY
    deleted = requests.delete(f"{rt.base_url}/items/7", timeout=10).json()
    assert deleted["environment"]["AWS_LAMBDA_FUNCTION_NAME"] == "fixture-slow"


def test_text_bodies_arrive_as_text_and_binary_bodies_in_base64(rt):
    form = handler_saw(requests.delete(f"{rt.base_url}/items/1", data={"a": "b c"}, timeout=10))
    assert (form["body"], form["isBase64Encoded"]) == ("a=b+c", False)
    png = b"\x89PNG\r\n\x1a\n\x00\xff"
    upload = requests.delete(f"{rt.base_url}/items/1", data=png, headers={"Content-Type": "image/png"}, timeout=10)
    binary = handler_saw(upload)
    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == png


def test_the_handlers_status_headers_cookies_and_base64_body_come_back(rt):
    wanted = {
        "statusCode": 201,
        "headers": {"Content-Type": "image/png", "X-One": "1"},
        "multiValueHeaders": {"Set-Cookie": ["a=1; Path=/", "b=2; Path=/"]},
        "body": base64.b64encode(b"\x89PNG").decode(),
        "isBase64Encoded": True,
    }
    response = requests.delete(f"{rt.base_url}/items/1", json={"op": "respond", "response": wanted}, timeout=10)
    assert response.status_code == 201
    assert response.content == b"\x89PNG"
    assert response.headers["Content-Type"] == "image/png" and response.headers["X-One"] == "1"
    assert response.raw.headers.getlist("Set-Cookie") == ["a=1; Path=/", "b=2; Path=/"]


def test_a_failing_handler_is_api_gateways_502(rt):
    response = requests.delete(f"{rt.base_url}/items/1", json={"op": "raise"}, timeout=10)
    assert response.status_code == 502
    assert response.json() == {"message": "Internal server error"}


def test_an_unknown_route_gets_api_gateways_answer(rt):
    for method, path in (("GET", "/nowhere"), ("POST", "/echo/open"), ("GET", "/items")):
        response = requests.request(method, f"{rt.base_url}{path}", timeout=10)
        assert response.status_code == 403
        assert response.json() == {"message": "Missing Authentication Token"}


def test_a_protected_route_refuses_a_request_without_a_signed_in_user(rt):
    response = requests.get(f"{rt.base_url}/echo/private", timeout=10)
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}
    assert requests.get(f"{rt.base_url}/echo/open", timeout=10).status_code == 200  # Authorizer: NONE


def test_a_browser_asking_for_a_protected_page_is_sent_to_sign_in_and_back(rt):
    response = requests.get(
        f"{rt.base_url}/echo/private?tab=2", headers={"Accept": "text/html"}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/_local/sign-in?next=%2Fecho%2Fprivate%3Ftab%3D2"
    page = requests.get(f"{rt.base_url}{response.headers['Location']}", timeout=10)
    assert page.status_code == 200
    assert f'value="{STAFF}"' in page.text and f'value="{REVIEWER}"' in page.text
    assert 'name="next" value="/echo/private?tab=2"' in page.text


def test_the_dev_sign_in_sets_a_cookie_that_gives_the_authorizers_claims(rt):
    session = requests.Session()
    answer = session.post(
        f"{rt.base_url}/_local/sign-in", data={"user": REVIEWER, "next": "/echo/x"}, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 303 and answer.headers["Location"] == "/echo/x"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith(f"safeplace_dev_user={REVIEWER}") or cookie.startswith(f'safeplace_dev_user="{REVIEWER}"')
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    claims = handler_saw(session.get(f"{rt.base_url}/echo/x", timeout=10))["requestContext"]["authorizer"]["claims"]
    users = rt.client("cognito-idp").list_users(UserPoolId=rt.resources["UserPool"])["Users"]
    reviewer = next(u for u in users if {"Name": "email", "Value": REVIEWER} in u["Attributes"])
    assert claims["email"] == REVIEWER
    assert claims["cognito:username"] == reviewer["Username"]  # the pool signs people in by email
    assert claims["sub"] == next(a["Value"] for a in reviewer["Attributes"] if a["Name"] == "sub")
    assert claims["cognito:groups"] == "reviewer"


def test_the_dev_sign_in_refuses_strangers_and_foreign_redirects(rt):
    stranger = requests.post(f"{rt.base_url}/_local/sign-in", data={"user": "mallory@example.org"}, timeout=10)
    assert stranger.status_code == 400
    away = requests.post(
        f"{rt.base_url}/_local/sign-in",
        data={"user": STAFF, "next": "//evil.example/"},
        allow_redirects=False,
        timeout=10,
    )
    assert away.headers["Location"] == "/staff"


def test_signing_out_ends_the_dev_sign_in(rt):
    session = signed_in(rt, STAFF)
    assert session.get(f"{rt.base_url}/echo/x", timeout=10).status_code == 200
    assert "<form" in session.get(f"{rt.base_url}/_local/sign-out", timeout=10).text
    session.post(f"{rt.base_url}/_local/sign-out", timeout=10)
    assert session.get(f"{rt.base_url}/echo/x", timeout=10).status_code == 401


def test_an_id_token_from_the_hosted_sign_in_stand_in_authorises_the_api(rt):
    session = signed_in(rt, STAFF)  # already signed in: the hosted sign-in answers at once, as Cognito's does
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    oauth = {
        "client_id": rt.resources["UserPoolClient"],
        "redirect_uri": f"{rt.base_url}/callback",
        "state": "s1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    authorize = f"{rt.base_url}/_local/cognito/oauth2/authorize"
    back = session.get(authorize, params=oauth, allow_redirects=False, timeout=10)
    assert back.status_code == 303
    code = parse_qs(urlsplit(back.headers["Location"]).query)["code"][0]
    exchange = {k: oauth[k] for k in ("client_id", "redirect_uri")} | {"code": code, "code_verifier": verifier}
    token = requests.post(f"{rt.base_url}/_local/cognito/oauth2/token", data=exchange, timeout=10).json()["id_token"]
    bearer = requests.get(f"{rt.base_url}/echo/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert handler_saw(bearer)["requestContext"]["authorizer"]["claims"]["cognito:groups"] == "staff"
    forged = requests.get(f"{rt.base_url}/echo/me", headers={"Authorization": token[:-4] + "AAAA"}, timeout=10)
    assert forged.status_code == 401
    replayed = requests.post(f"{rt.base_url}/_local/cognito/oauth2/token", data=exchange, timeout=10)
    assert replayed.status_code == 400  # a code works once
    elsewhere = session.get(
        authorize, params={**oauth, "redirect_uri": "https://evil.example/cb"}, allow_redirects=False, timeout=10
    )
    assert elsewhere.status_code == 400  # not one of the app client's CallbackURLs


def send_email(rt, to, subject, text, html):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "Safeplace <sender@example.org>", to, subject
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    rt.client("sesv2").send_email(
        FromEmailAddress="sender@example.org",
        Destination={"ToAddresses": [to]},
        Content={"Raw": {"Data": message.as_bytes()}},
    )


def test_the_outbox_lists_every_email_sent_with_its_parts_and_links(rt):
    # Given two emails sent at a known moment, one with links in both its parts
    moment = datetime(2030, 3, 4, 10, 0, tzinfo=UTC)
    rt.set_clock(moment)
    try:
        send_email(
            rt,
            "Kim Hollins <kim@hollins.example>",
            "Tell us about your organisation",
            "Open https://safeplace.example.org/link/abc to start.\nOr http://127.0.0.1:3000/link/def.",
            "<p><a href='https://safeplace.example.org/link/abc'>Start your checks</a></p>",
        )
        send_email(rt, "raj@moorside.example", "Second", "No links here.", "<p>No links here.</p>")
        # When a script reads the outbox as JSON
        emails = requests.get(f"{rt.base_url}/_local/outbox.json", timeout=10).json()
    finally:
        rt.set_clock(datetime.now(UTC))
    # Then it has each email's parts, its links and when it was sent, oldest first
    first, second = emails[-2:]
    assert first["to"] == ["kim@hollins.example"]
    assert first["from"] == "Safeplace <sender@example.org>"
    assert first["subject"] == "Tell us about your organisation"
    assert first["text"].startswith("Open https://safeplace.example.org/link/abc")
    assert "<a href='https://safeplace.example.org/link/abc'>" in first["html"]
    assert first["links"] == ["https://safeplace.example.org/link/abc", "http://127.0.0.1:3000/link/def"]
    # And each link named as the email names it: the text of its anchor, or the address itself
    assert first["labelled_links"] == [
        {"label": "Start your checks", "url": "https://safeplace.example.org/link/abc"},
        {"label": "http://127.0.0.1:3000/link/def", "url": "http://127.0.0.1:3000/link/def"},
    ]
    assert abs(datetime.fromisoformat(first["sent_at"]) - moment) < timedelta(seconds=5)
    assert first["id"] != second["id"] and second["subject"] == "Second"
    only_raj = requests.get(f"{rt.base_url}/_local/outbox.json", params={"to": "raj@moorside.example"}, timeout=10)
    assert [m["subject"] for m in only_raj.json()] == ["Second"]
    assert rt.outbox(to="kim@hollins.example")[0]["subject"] == "Tell us about your organisation"


def test_the_outbox_page_shows_each_emails_html_in_a_sandbox_with_its_links_named_and_its_time_in_london(rt):
    # Given an email whose HTML part carries a script, sent at 10am UTC in summer (11am in London)
    rt.set_clock(datetime(2030, 7, 4, 10, 0, tzinfo=UTC))
    try:
        send_email(
            rt,
            "ann@dalefarm.example",
            "Your link to start",
            "Open https://safeplace.example.org/link/xyz to start.",
            "<p><a href='https://safeplace.example.org/link/xyz'>Start your checks</a></p><script>alert(1)</script>",
        )
        # When a person opens the outbox
        response = requests.get(f"{rt.base_url}/_local/outbox", params={"to": "ann@dalefarm.example"}, timeout=10)
    finally:
        rt.set_clock(datetime.now(UTC))
    page = response.text
    # Then the email's HTML is shown in a frame that runs nothing, its markup escaped into the frame's srcdoc
    assert '<iframe class="local-email" sandbox="" title="The email: Your link to start" srcdoc="' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
    # And its link is listed by what the email calls it, and its sent time reads in London's time
    assert '<a class="govuk-link" href="https://safeplace.example.org/link/xyz">Start your checks</a>' in page
    assert "4 July 2030 at 11:00am" in page and "2030-07-04T10" not in page
    assert '<label class="govuk-label" for="to">' in page


def test_the_clock_can_be_set_and_moved_on_over_http(rt):
    target = datetime(2029, 1, 31, 9, 0, tzinfo=UTC)
    try:
        set_to = requests.post(f"{rt.base_url}/_local/clock", json={"now": target.isoformat()}, timeout=10).json()
        assert abs(datetime.fromisoformat(set_to["now"]) - target) < timedelta(seconds=5)
        moved = requests.post(f"{rt.base_url}/_local/clock", json={"advance_days": 2}, timeout=10).json()
        assert abs(datetime.fromisoformat(moved["now"]) - (target + timedelta(days=2))) < timedelta(seconds=5)
        nudged = requests.post(f"{rt.base_url}/_local/clock", json={"advance_seconds": 90}, timeout=10).json()
        assert abs(datetime.fromisoformat(nudged["now"]) - (target + timedelta(days=2, seconds=90))) < timedelta(
            seconds=5
        )
        by_form = requests.post(f"{rt.base_url}/_local/clock", data={"now": "2029-06-01"}, timeout=10)
        assert by_form.status_code == 200 and "1 June 2029 at 1:00am" in by_form.text  # back on the clock's page
        handler_now = requests.get(f"{rt.base_url}/echo/open", timeout=10).json()["now"]
        assert handler_now.startswith("2029-06-01T00:0")  # what handlers see
        refused = requests.post(f"{rt.base_url}/_local/clock", json={"now": "next tuesday"}, timeout=10)
        assert refused.status_code == 400
        # A person who typed something that is not a date, or too many days to live through, is told on a page
        by_hand = requests.post(f"{rt.base_url}/_local/clock", data={"now": "next tuesday"}, timeout=10)
        assert by_hand.status_code == 400 and by_hand.headers["Content-Type"].startswith("text/html")
        assert "Not a date and time like 2027-01-31T09:00" in by_hand.text and 'href="/_local/clock"' in by_hand.text
        too_many = requests.post(
            f"{rt.base_url}/_local/clock", data={"advance_days": "9000", "schedules": "daily"}, timeout=10
        )
        assert too_many.status_code == 400 and "Live through 1 to 400 days at a time" in too_many.text
    finally:
        rt.set_clock(datetime.now(UTC))


def test_the_clock_page_says_what_the_date_is_what_moving_it_does_and_what_happens_next(rt):
    # Given the clock set to a winter morning, and a workflow's wait that ends three days later
    rt.set_clock(datetime(2029, 12, 3, 9, 0, tzinfo=UTC))
    try:
        with rt.clock.waiting_until(datetime(2029, 12, 6, 14, 30, tzinfo=UTC), lambda due: None):
            # When a person opens the clock's page
            page = requests.get(f"{rt.base_url}/_local/clock", timeout=10).text
        after = requests.get(f"{rt.base_url}/_local/clock", timeout=10).text
    finally:
        rt.set_clock(datetime.now(UTC))
    # Then it says what the simulated date is, in the product's format
    assert "The simulated date is <strong>3 December 2029 at 9:00am</strong>" in page
    # And that moving it on ends the waits it passes, in order, and what they are
    assert "Moving the clock forward ends every wait it passes, one after another in the order they fall due" in page
    assert "reminders and escalations" in page
    # And that living through days fires the daily schedules on each day, naming them
    assert "on each day, fires the daily schedules (EchoFunctionNightly)" in page
    # And what happens next: the wait ahead, and when it ends
    assert "1 wait in the workflows will end as the clock moves on" in page
    assert "The next ends on <strong>6 December 2029 at 2:30pm</strong>" in page
    # And once nothing waits, it says so
    assert "No workflow is waiting for the clock" in after


def test_schedules_are_listed_and_fired_with_their_input(rt):
    page = requests.get(f"{rt.base_url}/_local/schedules", timeout=10).text
    assert "EchoFunctionNightly" in page and "cron(0 2 * * ? *)" in page
    fired = requests.post(f"{rt.base_url}/_local/schedules/fire", json={}, timeout=30).json()
    assert [(f["schedule"], f["function"]) for f in fired] == [("EchoFunctionNightly", "EchoFunction")]
    assert fired[0]["result"]["event"] == {"job": "nightly"}
    assert rt.fire_schedules(name="NoSuchSchedule") == []


def test_the_index_links_every_local_page(rt):
    page = requests.get(f"{rt.base_url}/", timeout=10)
    assert page.url == f"{rt.base_url}/_local/"
    for href in ("/staff", "/_local/sign-in", "/_local/outbox", "/_local/clock", "/_local/schedules"):
        assert f'href="{href}"' in page.text
    info = requests.get(f"{rt.base_url}/_local/runtime.json", timeout=10).json()
    assert info["endpoint_url"] == rt.endpoint_url
    assert json.dumps(info["resources"]) and info["resources"]["Table"] == "safeplace-Table"
