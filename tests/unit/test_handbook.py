"""The employer handbook: versions an admin publishes, each employer's copy stored once with its SHA-256,
and a verifier that says whether the stored document is still the one the employer was given.

Publishing is tested on moto, where its audit trail is kept; the copies and the verifier on in-memory records."""

import hashlib
from datetime import UTC, datetime

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.core.errors import Conflict, Forbidden
from safeplace.handbook.models import STATEMENTS, HandbookVersion
from safeplace.handbook.publish_handbook import Publication, publish_handbook
from safeplace.handbook.render_copy import render_copy
from safeplace.handbook.verify_copy import verify_copy
from safeplace.onboarding.minimum_requirements import CURRENT
from safeplace.staff.models import Role, StaffUser
from tests.support.builders import ADA, PROVIDER, a_submission, an_employer
from tests.support.fakes import StartsRecorded
from tests.support.handbook_fakes import DocumentsInMemory, EmployersOnFile, HandbookOnFile
from tests.support.records import ROLLOUT_ARN

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SAM = StaffUser(username="sam", email="sam.staff@example.org", roles=frozenset({Role.STAFF}))


@pytest.fixture
def files() -> DocumentsInMemory:
    return DocumentsInMemory()


@pytest.fixture
def handbook() -> HandbookOnFile:
    return HandbookOnFile()


@pytest.fixture
def employers() -> EmployersOnFile:
    return EmployersOnFile()


@pytest.fixture
def employer_id(employers: EmployersOnFile) -> str:
    """An employer whose answers name its organisation, sites and SPOC."""
    employer = an_employer(NOW)
    return employers.add(employer, a_submission(NOW.date(), employer.id)).id


def a_version(handbook: HandbookOnFile) -> HandbookVersion:
    publication = Publication(summary="First version", material=True)
    return publish_handbook(  # type: ignore[arg-type]
        publication, ADA, handbook=handbook, workflows=StartsRecorded(), rollout_arn=ROLLOUT_ARN, now=NOW
    )


def test_an_admin_publishes_numbered_versions_each_rolled_out_by_the_workflow(store: Store):
    workflows = StartsRecorded()
    first = publish_handbook(
        Publication(summary="First version", material=True), ADA, handbook=store.handbook, workflows=workflows,  # type: ignore[arg-type]
        rollout_arn=ROLLOUT_ARN, now=NOW,
    )  # fmt: skip
    second = publish_handbook(
        Publication(summary="New absence line", material=False), ADA, handbook=store.handbook, workflows=workflows,  # type: ignore[arg-type]
        rollout_arn=ROLLOUT_ARN, now=NOW,
    )  # fmt: skip
    assert (first.number, second.number) == (1, 2)
    assert workflows.started == [
        (ROLLOUT_ARN, "handbook-v1", {"version": 1}),
        (ROLLOUT_ARN, "handbook-v2", {"version": 2}),
    ]
    assert store.handbook.latest_handbook_version() == second
    entries, _ = store.audit.audit_trail("handbook")
    assert [(e.action, e.actor, e.details["version"]) for e in entries] == [
        ("handbook.published", "ada.admin@example.org", "1"),
        ("handbook.published", "ada.admin@example.org", "2"),
    ]


def test_only_an_admin_may_publish(handbook):
    with pytest.raises(Forbidden):
        publish_handbook(
            Publication(summary="Mine", material=True), SAM, handbook=handbook, workflows=StartsRecorded(),  # type: ignore[arg-type]
            rollout_arn=ROLLOUT_ARN, now=NOW,
        )  # fmt: skip
    assert handbook.latest_handbook_version() is None


def test_each_employers_copy_is_filled_in_for_them_and_stored_with_its_sha256(employers, handbook, files, employer_id):
    version = a_version(handbook)
    copy = render_copy(
        employer_id, version, provider=PROVIDER, employers=employers, handbook=handbook, files=files, now=NOW
    )
    stored = files.read(copy.key)
    assert copy.sha256 == hashlib.sha256(stored).hexdigest() and copy.size == len(stored)
    text = stored.decode()
    for expected in (
        "Hollins Bakery Ltd",  # the employer's legal name
        "Kim Hollins, Owner",  # its SPOC
        "Mill Lane bakery, 1 Mill Lane, Leeds, LS1 4AB",  # its site
        "Dee Shaw, 0113 496 0999, dee.dsl@example.org",  # the provider's DSL
        "call 999",
        "Learners aged 16 to 18",
        "British values",
        CURRENT.statements[0],
        STATEMENTS[2],
        "Version 1, published 2 March 2026",
    ):
        assert expected in text, expected


def test_a_copy_is_rendered_once_and_never_changed(employers, handbook, files, employer_id):
    version = a_version(handbook)
    first = render_copy(
        employer_id, version, provider=PROVIDER, employers=employers, handbook=handbook, files=files, now=NOW
    )
    changed_provider = PROVIDER.model_copy(update={"dsl_phone": "0800 000 0000"})
    again = render_copy(
        employer_id, version, provider=changed_provider, employers=employers, handbook=handbook, files=files, now=NOW
    )
    assert again == first
    assert "0800 000 0000" not in files.read(first.key).decode()


def test_the_verifier_confirms_an_untouched_copy_and_catches_an_altered_or_missing_one(
    employers, handbook, files, employer_id
):
    version = a_version(handbook)
    copy = render_copy(
        employer_id, version, provider=PROVIDER, employers=employers, handbook=handbook, files=files, now=NOW
    )
    assert verify_copy(employer_id, 1, copy.holder, handbook=handbook, files=files).matches
    # When someone changes the stored document, even by one character
    altered = files.read(copy.key).replace(b"call 999", b"call 998")
    files.put_document(copy.key, altered, content_type="text/html")
    check = verify_copy(employer_id, 1, copy.holder, handbook=handbook, files=files)
    assert not check.matches and check.stored_sha256 == hashlib.sha256(altered).hexdigest()
    # And when it is gone
    files.delete(copy.key)
    gone = verify_copy(employer_id, 1, copy.holder, handbook=handbook, files=files)
    assert (gone.matches, gone.stored_sha256) == (False, None)


def test_an_employer_that_has_not_named_its_spoc_gets_no_copy(employers, handbook, files):
    employer = employers.add(an_employer(NOW))
    version = a_version(handbook)
    with pytest.raises(Conflict, match="has not told us its organisation and SPOC"):
        render_copy(
            employer.id, version, provider=PROVIDER, employers=employers, handbook=handbook, files=files, now=NOW
        )
