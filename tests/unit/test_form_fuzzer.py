"""A small fuzzer over every form the console and the emailed links post: each POST route the two functions serve,
found from their resolvers, is sent bodies made of every field name any form posts, filled with empty, oversized,
hidden, numeric and nonsense values, names repeated, clashing and nested without end. Whatever is sent, the answer
is a page (2xx, 3xx or 4xx), never a server error; and a 4xx stores nothing at all."""

import base64
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest

from safeplace.core import clock, links
from safeplace.core.links import LinkPurpose
from safeplace.onboarding.models import CheckType
from safeplace.web.forms import employers, handbook, placements, sections, speakers
from safeplace.web.forms.dates import DateField
from safeplace.web.forms.form import Form
from tests.support.builders import EVENT, a_booking_form, a_submission, an_employer
from tests.support.handlers import FakeLambdaContext, header, load_handler
from tests.support.project import load_event
from tests.support.records import a_stored_submission, invite
from tests.unit.staff_api_support import call, signed_in_as
from tests.unit.test_bad_input import deps, link_deps  # noqa: F401 (fixtures)
from tests.unit.test_console_forms import EVERY_ROLE, NOW

staff_api = load_handler("staff_api")
link_pages = load_handler("link_pages")


def every_posted_name() -> list[str]:
    """Every name any form's page posts, a date's three boxes and a repeated group's first copy included."""
    names: set[str] = {"action", "site_count", "confirmed", "decision", "file"}
    for module in (employers, handbook, placements, sections, speakers):
        for form_type in vars(module).values():
            if isinstance(form_type, type) and issubclass(form_type, Form) and form_type is not Form:
                for f in form_type("spoc").show().fields:
                    names.update(f.box(p) for p in ("day", "month", "year")) if isinstance(f, DateField) else None
                    names.add(f.name)
    return sorted(names)


NAMES = every_posted_name()
ODD_VALUES = {
    "empty": "",
    "oversized": "x" * 5000,
    "hidden": "Kim\x00\x1b[2J\u202eHollins\x85",
    "negative": "-1",
    "huge": "9" * 40,
    "float": "1e309",
    "nan": "NaN",
    "zero": "0",
    "markup": "<script>alert(1)</script>\"'&",
    "path": "../../../etc/passwd",
    "yes": "yes",
    "date-like": "31",
    "unicode": "\U0001f600\u0301\ufeff",
}


def bodies() -> Iterator[tuple[str, dict[str, Any]]]:
    """(what is odd about it, the event's body and how it is encoded)."""
    for kind, body in urlencoded():
        yield kind, {"body": body, "isBase64Encoded": False}
    latin1 = urlencode({name: "Caf\xe9" for name in NAMES}, encoding="latin-1")
    yield "not UTF-8", {"body": base64.b64encode(latin1.encode()).decode(), "isBase64Encoded": True}
    yield "raw bytes", {"body": base64.b64encode(b"\xff\xfe\x00" * 100).decode(), "isBase64Encoded": True}


def urlencoded() -> Iterator[tuple[str, str]]:
    for kind, value in ODD_VALUES.items():
        yield kind, urlencode({name: value for name in NAMES})
    yield "repeated", urlencode([(name, v) for name in NAMES for v in ("a", "b", "")])
    clashes = [(name, "x") for name in NAMES] + [(f"{name}.0", "y") for name in NAMES] + [("sites.0", "z")]
    yield "clashing", urlencode([*clashes, ("sites.0.name", "q"), ("address", "1"), ("address.line1", "2")])
    yield "nested", urlencode({"sites" + ".0" * 3000 + ".name": "x", "a" + ".a" * 3000: "y"})
    yield "no body", ""


def table_items(table_name: str) -> list[str]:
    client = boto3.client("dynamodb")
    items = client.scan(TableName=table_name, ConsistentRead=True)["Items"]
    return sorted(json.dumps(item, sort_keys=True) for item in items)


def post_routes(handler: Any) -> list[str]:
    return sorted(
        r.path for r in handler.app._static_routes + handler.app._dynamic_routes
        if r.method == "POST" and not r.path.startswith("/api/")
    )  # fmt: skip


def filled(path: str, values: dict[str, list[str]]) -> Iterator[str]:
    """The route's path with every combination of the values given for its parameters."""
    found = re.search(r"<([a-z_]+)>", path)
    if found is None:
        yield path
        return
    for value in values[found[1]]:
        yield from filled(path.replace(found[0], value, 1), values)


@pytest.fixture
def console(deps):  # noqa: F811
    with clock.simulate(NOW):
        session = signed_in_as(EVERY_ROLE, deps)
        employer = invite(deps.store, an_employer(clock.now()))
        a_stored_submission(deps.store, employer, a_submission(clock.now().date(), employer.id), clock.now())
        event = load_event("staff_api_invite_employer_form.json")
        event.update(path="/staff/speakers", body=urlencode(a_booking_form(EVENT)))
        requested = call(event, deps, session=session)
    booking = header(requested, "Location").split("/staff/speakers/")[1].split("?")[0]
    return session, {
        "employer_id": [employer.id, "nonsense"],
        "check_type": ["spoc", "nonsense"],
        "action": ["withdraw", "nonsense"],
        "booking_id": [booking, "nonsense"],
    }


def test_no_console_form_answers_a_server_error_and_a_refusal_stores_nothing(deps, console):  # noqa: F811
    session, values = console
    table = deps.store.table.name
    seen: dict[int, int] = {}
    for route in post_routes(staff_api):
        if route == "/staff/sign-out":
            continue
        for path in filled(route, values):
            for kind, body in bodies():
                before = table_items(table)
                event = load_event("staff_api_invite_employer_form.json")
                event.update(path=path, **body)
                with clock.simulate(NOW):
                    answer = call(event, deps, session=session)
                status = answer["statusCode"]
                seen[status] = seen.get(status, 0) + 1
                assert status < 500, f"{path} with {kind} values: {status}\n{answer['body'][:2000]}"
                if 400 <= status < 500:
                    assert table_items(table) == before, f"{path} with {kind} values stored something"
    # The fuzzer reached the forms themselves, not only the refusals in front of them
    assert seen.get(400, 0) > 100 and set(seen) - {400, 403, 404, 409} <= {200, 303}, seen


# Which link each page takes: any other gets the one page for a link that does not work.
PURPOSES = {
    "speaker-decision": LinkPurpose.SPEAKER_DECISION,
    "speaker": LinkPurpose.SPEAKER_CONDITIONS,
    "handbook": LinkPurpose.HANDBOOK,
}


@pytest.fixture
def link_tokens(link_deps, store) -> dict[LinkPurpose, str]:  # noqa: F811
    employer = invite(store, an_employer(NOW))
    return {
        purpose: links.issue(store.links, employer.id, purpose, now=NOW, valid_for=timedelta(days=14)).token
        for purpose in LinkPurpose
    }


def test_no_link_form_answers_a_server_error_and_a_refusal_stores_nothing(link_deps, store, link_tokens):  # noqa: F811
    seen: dict[int, int] = {}
    # Renewing a link that works, or naming a new SPOC through it, issues another: those go last.
    for route in sorted(post_routes(link_pages), key=lambda r: r.endswith(("/renew", "/new-spoc"))):
        page = route.split("/")[3]
        token = link_tokens[PURPOSES.get(page, LinkPurpose.ONBOARDING_FORM)]
        values = {"token": [token, "A" * 43], "section": [c.value for c in CheckType] + ["nonsense"]}
        for path in filled(route, values):
            for kind, body in bodies():
                before = table_items(store.table.name)
                event = json.loads(json.dumps(load_event("link_pages_save_section.json")).replace("TOKEN", token))
                event.update(path=path, **body)
                with clock.simulate(NOW):
                    answer = link_pages.lambda_handler(event, FakeLambdaContext(), deps=link_deps)
                status = answer["statusCode"]
                seen[status] = seen.get(status, 0) + 1
                assert status < 500, f"{route} with {kind} values: {status}\n{answer['body'][:2000]}"
                if 400 <= status < 500:
                    assert table_items(store.table.name) == before, f"{route} with {kind} values stored something"
    assert seen.get(400, 0) > 50, seen
