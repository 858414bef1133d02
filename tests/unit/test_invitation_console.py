"""An invitation that could not be sent, or went to the wrong person: staff correct the contact and send it again,
or withdraw it, from the employer's page."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.dynamodb.employers import employer_item
from safeplace.core import clock
from safeplace.core.links import LinkPurpose
from safeplace.core.times import london_date, london_datetime
from safeplace.onboarding.models import EmployerStatus
from safeplace.onboarding.request_submission import SubmissionRequest, request_submission
from tests.support.builders import an_employer
from tests.support.fakes import RecordingMailer
from tests.support.handlers import header
from tests.support.project import load_event
from tests.support.records import invite
from tests.unit.staff_api_support import RAE, SAM, call, console_get, signed_in_as, staff_api_dependencies

NORTHGATE = "emp-00000000a0a0"


@pytest.fixture
def deps(store: Store, state_machine_arn: str, rollout_arn: str, speaker_arn: str, sesv2):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


@pytest.fixture
def failed(deps):
    """Northgate, whose invitation SES refused: its onboarding stopped and needs attention."""
    employer = an_employer(
        clock.now(), id=NORTHGATE, name="Northgate Joinery", contact_email="ola@nortgate.example",
        status=EmployerStatus.NEEDS_ATTENTION,
    )  # fmt: skip
    return invite(deps.store, employer)


def post(path: str, deps, session, **fields: str) -> dict:
    event = load_event("staff_api_invite_employer_form.json")
    event.update({"path": path, "body": urlencode(fields)})
    return call(event, deps, session=session)


def test_staff_correct_a_failed_invitations_address_and_it_is_sent_again_to_the_new_one(deps, failed):
    sam = signed_in_as(SAM, deps)
    # Given the employer's page offers to correct the contact
    page = call(console_get(f"/staff/employers/{NORTHGATE}"), deps, session=sam)
    assert f'href="/v1/staff/employers/{NORTHGATE}/contact"' in page["body"]
    form = call(console_get(f"/staff/employers/{NORTHGATE}/contact"), deps, session=sam)
    assert form["statusCode"] == 200 and 'value="ola@nortgate.example"' in form["body"]
    # When staff give the right address
    done = post(f"/staff/employers/{NORTHGATE}/contact", deps, sam, contact_name="Ola Nowak",
                contact_email="ola@northgate.example")  # fmt: skip
    # Then the contact is corrected, recorded, and a new onboarding sends the invitation to them
    assert done["statusCode"] == 303 and header(done, "Location").endswith("?invitation=corrected")
    stored = deps.store.employers.get_employer(NORTHGATE)
    assert (stored.contact_email, stored.status) == ("ola@northgate.example", EmployerStatus.INVITED)
    entries, _ = deps.store.audit.audit_trail(stored.subject)
    assert [e.action for e in entries][-2:] == ["invitation.contact_corrected", "invitation.restarted"]
    executions = deps.workflows.client.list_executions(stateMachineArn=deps.settings.onboarding_state_machine_arn)
    assert [e["name"] for e in executions["executions"]] == [f"onboarding-{NORTHGATE}-2"]
    back = console_get(f"/staff/employers/{NORTHGATE}")
    back["queryStringParameters"] = {"invitation": "corrected"}
    shown = call(back, deps, session=sam)
    assert "Contact corrected, and the invitation sent to them" in shown["body"]


def test_a_bad_address_is_explained_and_changes_nothing(deps, failed):
    sam = signed_in_as(SAM, deps)
    refused = post(f"/staff/employers/{NORTHGATE}/contact", deps, sam, contact_name="Ola", contact_email="ola@")
    assert refused["statusCode"] == 400 and "in the correct format" in refused["body"]
    assert deps.store.employers.get_employer(NORTHGATE).contact_email == "ola@nortgate.example"


def test_a_failed_invitation_can_be_withdrawn(deps, failed):
    done = post(f"/staff/employers/{NORTHGATE}/invitation/withdraw", deps, signed_in_as(SAM, deps))
    assert done["statusCode"] == 303
    assert deps.store.employers.get_employer(NORTHGATE).status is EmployerStatus.WITHDRAWN


def test_only_staff_who_manage_invitations_may_correct_and_not_once_the_employer_has_sent_its_answers(deps, failed):
    assert (
        call(console_get(f"/staff/employers/{NORTHGATE}/contact"), deps, session=signed_in_as(RAE, deps))["statusCode"]
        == 403
    )
    sent = an_employer(clock.now(), id="emp-00000000b0b0", status=EmployerStatus.SUBMITTED)
    invite(deps.store, sent)
    refused = call(console_get("/staff/employers/emp-00000000b0b0/contact"), deps, session=signed_in_as(SAM, deps))
    assert refused["statusCode"] == 409 and "no longer the invitation" in refused["body"]


def test_the_employer_page_says_when_the_invitation_link_works_until_and_when_it_has_expired(deps):
    # Given an employer invited, whose link works for 14 days
    sam = signed_in_as(SAM, deps)
    employer = invite(deps.store, an_employer(clock.now(), id="emp-00000000c0c0", name="Slowcoach Ltd"))
    issued = deps.settings.link_issuer(deps.store.links).issue(
        employer.id, LinkPurpose.ONBOARDING_FORM, now=clock.now()
    )
    until = issued[1].link.expires_at
    # When staff open its page while the link works, and after it has expired
    page = call(console_get(f"/staff/employers/{employer.id}"), deps, session=sam)["body"]
    with clock.simulate(until + timedelta(hours=1)):
        later = call(console_get(f"/staff/employers/{employer.id}"), deps, session=signed_in_as(SAM, deps))["body"]
    # Then the page says so, and what to do once it has expired
    assert f"Works until {london_datetime(until)}" in page and "Expired on" not in page
    assert f"Expired on {london_datetime(until)}: send the invitation again" in later


def test_a_list_of_employers_says_which_invitations_have_expired_without_reading_their_links(deps):
    # Given an employer invited by the onboarding workflow, whose link works for 14 days
    employer = invite(deps.store, an_employer(clock.now(), id="emp-00000000d0d0", name="Lapsewell Ltd"))
    request = SubmissionRequest(employer_id=employer.id, reason="invitation", task_token="token-1")
    request_submission(request, employers=deps.store.employers, waits=deps.store.waits, mailer=RecordingMailer(),
                       issuer=deps.settings.link_issuer(deps.store.links), now=clock.now())  # fmt: skip
    # Then the employer keeps when the link stops working, without a new version a reviewer's read would miss
    stored = deps.store.employers.get_employer(employer.id)
    assert stored.version == employer.version and stored.invitation_expires_at is not None
    # And the list of invitations says it has expired once it has, and not before
    sam = signed_in_as(SAM, deps)
    listed = console_get("/staff/employers")
    listed["queryStringParameters"] = {"status": "invited"}
    assert "Link expired" not in call(listed, deps, session=sam)["body"]
    with clock.simulate(stored.invitation_expires_at + timedelta(minutes=1)):
        later = call(listed, deps, session=signed_in_as(SAM, deps))["body"]
    assert f"Link expired {london_date(stored.invitation_expires_at)}: send the invitation again" in later


def test_an_employer_stored_before_the_lists_takes_a_new_link_without_failing(deps):
    # Given an employer item from before the lists, which has no summary to keep the link's expiry in
    employer = an_employer(clock.now(), id="emp-00000000e0e0")
    item = employer_item(employer)
    del item["summary"]
    deps.store.table.client.put_item(TableName=deps.store.table.name, Item=item)
    # When the workflow sends it a link, Then nothing fails: the expiry comes with its next save
    deps.store.employers.note_invitation_link(employer.id, clock.now() + timedelta(days=14))
    assert deps.store.employers.get_employer(employer.id).invitation_expires_at is None
