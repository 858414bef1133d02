import hashlib

from safeplace.core.errors import NotFound
from safeplace.core.ports import Files
from safeplace.handbook.models import CopyCheck
from safeplace.handbook.ports import StoredCopies


def verify_copy(employer_id: str, number: int, holder: str, *, handbook: StoredCopies, files: Files) -> CopyCheck:
    """Whether the stored document is still, byte for byte, the one the SPOC was given."""
    copy = handbook.get_handbook_copy(employer_id, number, holder)
    if copy is None:
        raise NotFound(f"There is no copy of handbook version {number} for this employer")
    try:
        stored = hashlib.sha256(files.read(copy.key)).hexdigest()
    except NotFound:
        return CopyCheck(copy=copy, stored_sha256=None, matches=False)
    return CopyCheck(copy=copy, stored_sha256=stored, matches=stored == copy.sha256)
