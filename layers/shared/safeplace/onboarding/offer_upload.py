import uuid
from datetime import datetime

from safeplace.core.errors import NotFound
from safeplace.core.ports import Files, UploadForm
from safeplace.onboarding.answers import MAX_EVIDENCE_BYTES, SECTION_MODELS
from safeplace.onboarding.models import CheckType

UPLOAD_FORM_SECONDS = 30 * 60


def evidence_prefix(employer_id: str, check: CheckType) -> str:
    return f"evidence/{employer_id}/{check}/"


def offer_upload(employer_id: str, check: CheckType, *, files: Files, return_to: str, now: datetime) -> UploadForm:
    """A form that uploads one file straight to S3, under a key we choose, then comes back to `return_to`."""
    if SECTION_MODELS[check].evidence_field is None:
        raise NotFound(f"{check.label} does not take a file")
    key = f"{evidence_prefix(employer_id, check)}{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex}"
    return files.upload_form(key, redirect_to=return_to, max_bytes=MAX_EVIDENCE_BYTES, expires_in=UPLOAD_FORM_SECONDS)
