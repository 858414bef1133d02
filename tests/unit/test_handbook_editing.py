"""Editing the handbook: the text an admin writes, as plain sections every copy of a version renders from, with
nothing typed able to become markup, and versions published before it could be edited unchanged to the byte;
where an admin starts from, and the preview they check before publishing."""

import hashlib
import re
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from safeplace.core.errors import Forbidden
from safeplace.handbook.draft_handbook import HandbookDraft, draft_handbook
from safeplace.handbook.list_recipients import ACTIVE
from safeplace.handbook.preview_handbook import preview_handbook
from safeplace.handbook.publish_handbook import Publication, publish_handbook
from safeplace.handbook.render_copy import render_copy
from safeplace.handbook.starting_text import STARTING_SOURCE
from safeplace.handbook.text import HandbookText
from safeplace.handbook.verify_copy import verify_copy
from safeplace.onboarding.models import EmployerStatus
from safeplace.staff.models import Role, StaffUser
from tests.support.builders import ADA, PROVIDER, a_submission, an_employer
from tests.support.fakes import StartsRecorded
from tests.support.handbook_fakes import DocumentsInMemory, EmployersOnFile, HandbookOnFile
from tests.support.records import ROLLOUT_ARN, invite

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SAM = StaffUser(username="sam", email="sam.staff@example.org", roles=frozenset({Role.STAFF}))
# The SHA-256 of the copy below as the fixed text rendered it before the text could be edited: a version
# published then must render to the same bytes for a new SPOC, or their copy would differ from everyone else's.
FIXED_TEXT_COPY_SHA256 = "b3f63152d58db5192ada1db9cd3e86e5bd2ed83329496a68ff0386a6a9590312"


@pytest.fixture
def employers() -> EmployersOnFile:
    employers = EmployersOnFile()
    employer = an_employer(NOW)
    employers.add(employer, a_submission(NOW.date(), employer.id))
    return employers


@pytest.fixture
def employer_id(employers: EmployersOnFile) -> str:
    return next(iter(employers.employers))


def publish(handbook, text: str | None, summary: str = "First version") -> int:
    publication = Publication.model_validate({"summary": summary, "material": True, "text": text})
    version = publish_handbook(  # type: ignore[arg-type]
        publication, ADA, handbook=handbook, workflows=StartsRecorded(), rollout_arn=ROLLOUT_ARN, now=NOW
    )
    return version.number


def copy_of(number: int, employer_id: str, employers, handbook, files) -> str:
    version = handbook.versions[number]
    copy = render_copy(
        employer_id, version, provider=PROVIDER, employers=employers, handbook=handbook, files=files, now=NOW
    )
    return files.read(copy.key).decode()


def test_plain_text_reads_into_headed_sections_of_paragraphs_and_lists_and_back():
    source = "## Arriving\n\nCome in by the side door\nbefore nine.\n\n- Sign in\n- Wear boots\n\n## Leaving\n\nBye."
    text = HandbookText.model_validate(source)
    assert [s.heading for s in text.sections] == ["Arriving", "Leaving"]
    paragraph, bullets = text.sections[0].blocks
    assert (paragraph.items, paragraph.bulleted) == (("Come in by the side door before nine.",), False)
    assert (bullets.items, bullets.bulleted) == (("Sign in", "Wear boots"), True)
    assert HandbookText.model_validate(text.source) == text
    assert HandbookText.model_validate(STARTING_SOURCE).source == STARTING_SOURCE.strip()


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("", "starting with a section heading"),
        ("Some words before any heading\n\n## Heading\n\nText", "Start the handbook text with a section heading"),
        ("## Empty\n\n## Full\n\nText", "Add some text to the section “Empty”"),
        ("## Call\n\nRing {dsl_mobile}", "{dsl_mobile} is not a detail the handbook can fill in"),
    ],
)
def test_text_that_cannot_make_a_handbook_is_refused_with_a_reason(source, problem):
    with pytest.raises(ValidationError, match=problem):
        HandbookText.model_validate(source)


def test_a_version_published_with_text_renders_it_with_each_copys_details(employers, employer_id):
    handbook, files = HandbookOnFile(), DocumentsInMemory()
    number = publish(handbook, "## Parking\n\nPark at the back.\n\n- Ring {dsl_name} on {dsl_phone}")
    document = copy_of(number, employer_id, employers, handbook, files)
    assert '<h2 id="section-1">1. Parking</h2>' in document
    assert "<p>Park at the back.</p>" in document
    assert "<li>Ring Dee Shaw on 0113 496 0999</li>" in document
    # What the admin does not edit is still there, numbered after their sections
    assert '<h2 id="requirements">2. What we require of you</h2>' in document
    assert '<h2 id="acknowledgement">3. Your acknowledgement</h2>' in document
    assert "British values" not in document


def test_an_employers_own_details_are_put_in_as_they_are_even_when_they_look_like_a_placeholder(employers):
    handbook, files = HandbookOnFile(), DocumentsInMemory()
    employer = an_employer(NOW, id="emp-0000000000b1")
    answers = a_submission(NOW.date(), employer.id)
    organisation = answers.organisation.model_copy(update={"legal_name": "{dsl_name} <b>Ltd</b>"})  # type: ignore[union-attr]
    employers.add(employer, answers.model_copy(update={"organisation": organisation}))
    number = publish(handbook, "## Who\n\nThis copy is for {employer_name}.")
    document = copy_of(number, employer.id, employers, handbook, files)
    assert "<p>This copy is for {dsl_name} &lt;b&gt;Ltd&lt;/b&gt;.</p>" in document


def test_text_sent_as_structure_is_held_to_the_same_size(employers):
    block = {"items": ["x" * 5000] * 100, "bulleted": True}
    with pytest.raises(ValidationError, match="characters or fewer"):
        HandbookText.model_validate({"sections": [{"heading": "Long", "blocks": [block]}]})


def test_nothing_typed_becomes_markup_a_script_or_a_link(employers, employer_id):
    handbook, files = HandbookOnFile(), DocumentsInMemory()
    typed = (
        "## <script>alert(1)</script>\n\n"
        '<a href="javascript:alert(2)">click</a> [click](javascript:alert(3))\n\n'
        '- <img src=x onerror="alert(4)">'
    )
    document = copy_of(publish(handbook, typed), employer_id, employers, handbook, files)
    assert "<script" not in document and "<a " not in document and "<img" not in document
    assert re.search(r"<[a-z][^>]*\b(href|src|on[a-z]+)=", document) is None
    assert "1. &lt;script&gt;alert(1)&lt;/script&gt;</h2>" in document
    assert "&lt;a href=&#34;javascript:alert(2)&#34;&gt;click&lt;/a&gt;" in document


def test_a_version_published_before_text_could_be_edited_renders_byte_for_byte_as_it_did(employers, employer_id):
    handbook, files = HandbookOnFile(), DocumentsInMemory()
    number = publish(handbook, None)
    document = copy_of(number, employer_id, employers, handbook, files)
    assert hashlib.sha256(document.encode()).hexdigest() == FIXED_TEXT_COPY_SHA256


def test_each_version_keeps_its_own_text_and_its_copies_keep_verifying(employers, employer_id):
    handbook, files = HandbookOnFile(), DocumentsInMemory()
    first = publish(handbook, "## Parking\n\nPark at the back.")
    first_copy = copy_of(first, employer_id, employers, handbook, files)
    # When a later version changes the text, and another leaves the text out
    second = publish(handbook, "## Parking\n\nPark at the front.", summary="Parking moved")
    third = publish(handbook, None, summary="New phone number")
    assert "Park at the front." in copy_of(second, employer_id, employers, handbook, files)
    # Then the version published without text keeps the last version's
    assert handbook.texts[third] == handbook.texts[second]
    # And the first version's copy is still the document it was
    holder = next(c.holder for c in handbook.copies.values())
    check = verify_copy(employer_id, first, holder, handbook=handbook, files=files)
    assert check.matches and "Park at the back." in first_copy


def test_the_table_keeps_each_versions_text_and_counts_the_active_employers_by_their_status(store):
    # Given one employer invited, two whose checks passed and one putting something right
    for n, status in enumerate(
        (EmployerStatus.INVITED, EmployerStatus.CHECKS_PASSED, EmployerStatus.CHECKS_PASSED,
         EmployerStatus.NEEDS_ATTENTION)
    ):  # fmt: skip
        invite(store, an_employer(NOW, id=f"emp-00000000000{n}", status=status))
    # When a version is published with text, and the next without
    first = publish(store.handbook, "## Parking\n\nPark at the back.")
    second = publish(store.handbook, None, summary="New phone number")
    # Then each reads back with the text it was published with, and the versions' list is as before
    assert store.handbook.handbook_text(first).sections[0].heading == "Parking"
    assert store.handbook.handbook_text(second) == store.handbook.handbook_text(first)
    assert [v.number for v in store.handbook.handbook_versions()] == [2, 1]
    # And the SPOCs a rollout emails are counted without reading the employers: the three active ones
    assert store.employers.count_employers_in(ACTIVE) == 3


def test_an_admin_starts_from_the_latest_text_or_the_fixed_one_and_staff_cannot_start(employers):
    handbook = HandbookOnFile()
    assert draft_handbook(ADA, handbook=handbook) == HandbookDraft(number=1, source=STARTING_SOURCE)
    publish(handbook, "## Parking\n\nPark at the back.")
    assert draft_handbook(ADA, handbook=handbook) == HandbookDraft(number=2, source="## Parking\n\nPark at the back.")
    with pytest.raises(Forbidden):
        draft_handbook(SAM, handbook=handbook)


def test_the_preview_shows_a_copy_and_how_many_spocs_are_emailed_and_publishes_nothing(employers):
    handbook = HandbookOnFile()
    # Given one active employer, and one still onboarding
    employers.add(an_employer(NOW, id="emp-00000000000a", status=EmployerStatus.CHECKS_PASSED))
    employers.add(an_employer(NOW, id="emp-00000000000b", status=EmployerStatus.INVITED))
    publication = Publication.model_validate(
        {"summary": "Parking", "material": True, "text": "## Parking\n\n{dsl_name}"}
    )
    # When the admin previews it
    preview = preview_handbook(publication, ADA, handbook=handbook, employers=employers, now=NOW)
    # Then it says which version it would be and who is emailed, with a copy filled in with example details
    assert (preview.version.number, preview.spocs) == (1, 1)
    assert "<p>[Our DSL&#39;s name]</p>" in preview.document and "[Employer&#39;s legal name]" in preview.document
    assert handbook.versions == {}
    with pytest.raises(Forbidden):
        preview_handbook(publication, SAM, handbook=handbook, employers=employers, now=NOW)
