from safeplace.core.errors import LinkNotUsable
from safeplace.core.links import LinkLookup, LinkPurpose, spent
from safeplace.core.ports import Files
from safeplace.handbook.models import HandbookReceipt
from safeplace.handbook.show_receipt import HandbookReceipts


def signed_with(token: str, *, links: LinkLookup, handbook: HandbookReceipts) -> HandbookReceipt:
    """The receipt a SPOC signed through this handbook link: the link is used up at the moment of signing."""
    link = spent(links, token, LinkPurpose.HANDBOOK)
    receipts = handbook.receipts(link.subject_id) if link else []
    receipt = next((r for r in receipts if link and r.acknowledged_at == link.used_at), None)
    if receipt is None:
        raise LinkNotUsable()
    return receipt


def read_signed_copy(token: str, *, links: LinkLookup, handbook: HandbookReceipts, files: Files) -> bytes:
    """The exact document the SPOC signed through this link, for them to read again from their receipt email."""
    return files.read(signed_with(token, links=links, handbook=handbook).document_key)
