"""The handbook rollout run by moto's interpreter: an admin publishes a material version, the Map state
starts each active employer's delivery, and the SPOC signs for their copy through the emailed link."""

import time

import requests

from safeplace.handbook.models import STATEMENTS, holder_key
from safeplace_local.local_cognito import DEV_USER_COOKIE
from tests.workflow.conftest import Onboarding, wait_for


def test_a_published_material_version_reaches_the_spoc_who_signs_for_that_exact_copy(onboarding: Onboarding):
    # Given an employer whose checks passed, with a SPOC of its own
    spoc = f"spoc+{time.monotonic_ns()}@hollins.example"
    onboarding.start()
    invitation = onboarding.wait_for_email(1)
    wait_for(lambda: onboarding.waiting_in("AwaitSubmission"), what="the submission wait")
    [link] = [u for u in invitation["links"] if "/link/" in u]
    onboarding.answer(link, changes={"spoc": {"spoc.email": spoc}})
    wait_for(lambda: onboarding.waiting_in("AwaitReview"), what="the review wait")
    onboarding.approve_everything()
    assert onboarding.finish()["status"] == "SUCCEEDED"
    # When an admin publishes a material version through the JSON API
    base = onboarding.runtime.base_url
    admin = requests.Session()
    admin.cookies.set(DEV_USER_COOKIE, "ada.admin@example.org")
    published = admin.post(
        f"{base}/api/handbook/versions", json={"summary": "Absence by 10am", "material": True}, timeout=10
    )
    assert published.status_code == 201, published.text
    number = published.json()["number"]
    # Then the rollout delivers this employer's copy and emails its SPOC a link
    rollout = onboarding.runtime.state_machine_arn("HandbookRolloutStateMachine").replace(
        ":stateMachine:", ":execution:"
    )
    finished = wait_for(
        lambda: (
            (d := onboarding.sfn.describe_execution(executionArn=f"{rollout}:handbook-v{number}"))["status"]
            != "RUNNING"
            and d
        ),
        what="the rollout",
    )
    assert finished["status"] == "SUCCEEDED", finished
    email = onboarding.runtime.wait_for_email(
        spoc, f"Please read and acknowledge: our employer handbook, version {number},"
    )
    [handbook] = [u for u in email["links"] if u.endswith("/handbook")]
    # And the SPOC reads it and signs
    assert requests.get(handbook, timeout=10).status_code == 200
    form = {f"statement-{i}": "yes" for i in range(len(STATEMENTS))} | {"typed_name": "Kim Hollins"}
    signed = requests.post(handbook, data=form, timeout=10)
    assert signed.status_code == 200 and "Handbook acknowledged" in signed.text
    # And staff see the receipt, verified against the stored copy
    staff = requests.Session()
    staff.cookies.set(DEV_USER_COOKIE, "sam.staff@example.org")
    holder = holder_key(onboarding.store.employers.get_submission(onboarding.employer.id).spoc.spoc)  # type: ignore[union-attr]
    receipt = staff.get(f"{base}/api/employers/{onboarding.employer.id}/handbook/{number}/{holder}", timeout=10).json()
    assert receipt["verification"]["matches"] is True and receipt["receipt"]["typed_name"] == "Kim Hollins"
