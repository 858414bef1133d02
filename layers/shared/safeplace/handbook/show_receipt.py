from typing import Protocol

from pydantic import Field

from safeplace.core.errors import NotFound
from safeplace.core.model import Model
from safeplace.core.ports import Files
from safeplace.handbook.models import CopyCheck, HandbookReceipt
from safeplace.handbook.ports import EmployerLookup, StoredCopies
from safeplace.handbook.verify_copy import verify_copy
from safeplace.onboarding.models import Employer


class HandbookReceipts(StoredCopies, Protocol):
    def receipts(self, employer_id: str) -> list[HandbookReceipt]: ...


class ReceiptView(Model):
    employer: Employer
    receipt: HandbookReceipt
    # Checked each time it is shown: the stored document must still hash to what the SPOC signed for.
    check: CopyCheck = Field(serialization_alias="verification")


def show_receipt(
    employer_id: str, version: int, holder: str, *, employers: EmployerLookup, handbook: HandbookReceipts, files: Files
) -> ReceiptView:
    """One SPOC's receipt for one version: a new SPOC signs the same version again, for themselves."""
    employer = employers.get_employer(employer_id)
    receipt = next((r for r in handbook.receipts(employer_id) if r.version == version and r.holder == holder), None)
    if receipt is None:
        raise NotFound(f"{employer.name} has no such receipt for handbook version {version}")
    check = verify_copy(employer_id, version, holder, handbook=handbook, files=files)
    return ReceiptView(employer=employer, receipt=receipt, check=check)


def read_signed_document(
    employer_id: str, version: int, holder: str, *, employers: EmployerLookup, handbook: HandbookReceipts, files: Files
) -> bytes:
    """The stored document a receipt refers to, as stored (the receipt page says whether it still matches)."""
    view = show_receipt(employer_id, version, holder, employers=employers, handbook=handbook, files=files)
    return files.read(view.receipt.document_key)
