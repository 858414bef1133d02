from datetime import datetime

from safeplace.core.errors import InvalidRequest, NotFound
from safeplace.core.links import LinkLookup
from safeplace.core.ports import Files
from safeplace.onboarding.answers import MAX_EVIDENCE_BYTES, EvidenceFile
from safeplace.onboarding.models import CheckType
from safeplace.onboarding.offer_upload import evidence_prefix
from safeplace.onboarding.open_onboarding import open_onboarding
from safeplace.onboarding.ports import DraftEvidence

# What a file starts with decides what it is, not its name or the type the browser claimed.
_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


class UploadRejected(InvalidRequest):
    pass


def accept_upload(
    token: str, check: CheckType, key: str, *, links: LinkLookup, employers: DraftEvidence, files: Files, now: datetime
) -> EvidenceFile:
    """Check what S3 received before it counts: our key, within the size limit, really a PDF, JPEG or PNG.

    A file that fails is deleted, so nothing unchecked stays in the evidence bucket.
    """
    onboarding = open_onboarding(token, links=links, employers=employers, now=now)
    onboarding.view(check).ensure_editable()
    employer_id = onboarding.employer.id
    if not key.startswith(evidence_prefix(employer_id, check)):
        raise UploadRejected("That upload does not belong to this form: choose the file and upload it again")
    try:
        stored = files.inspect(key)
    except NotFound as missing:
        raise UploadRejected("The upload did not arrive: choose the file and upload it again") from missing
    content_type = next((kind for magic, kind in _SIGNATURES.items() if stored.head.startswith(magic)), None)
    if stored.size == 0 or stored.size > MAX_EVIDENCE_BYTES or content_type is None:
        files.delete(key)
        if stored.size == 0:
            raise UploadRejected("The selected file is empty: choose the file and upload it again")
        too_big = stored.size > MAX_EVIDENCE_BYTES
        raise UploadRejected("The file must be smaller than 10 MB" if too_big else "The file must be a PDF, JPG or PNG")
    evidence = EvidenceFile.model_validate(
        {"key": key, "content_type": content_type, "size": stored.size, "uploaded_at": now}
    )
    employers.save_upload(employer_id, check, evidence)
    # A section saved before this upload now refers to the new file, so what is sent is what was uploaded.
    section = onboarding.draft.section(check)
    if section is not None and section.evidence_field:
        employers.save_draft_section(
            employer_id, check, section.model_copy(update={section.evidence_field: evidence}), now
        )
    return evidence
