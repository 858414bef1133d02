from datetime import datetime

from safeplace.core import links as link_tokens
from safeplace.core.errors import Conflict
from safeplace.core.links import LinkLookup, LinkPurpose
from safeplace.core.model import Model
from safeplace.onboarding.answers import SECTION_MODELS, Answers, EvidenceFile, SectionState
from safeplace.onboarding.models import Check, CheckStatus, CheckType, Employer
from safeplace.onboarding.ports import OnboardingForms
from safeplace.onboarding.rules import sections_needed

# Checks the employer must answer again: rejected by a reviewer, revoked, or run out.
_RETURNED = (CheckStatus.REJECTED, CheckStatus.REVOKED, CheckStatus.EXPIRED)


class SectionView(Model):
    check: CheckType
    state: SectionState
    reason: str | None = None

    @property
    def editable(self) -> bool:
        return self.state not in (SectionState.APPROVED, SectionState.NOT_NEEDED)

    @property
    def takes_upload(self) -> bool:
        """Whether its page offers a file upload: the section holds a file and may still be changed."""
        return SECTION_MODELS[self.check].evidence_field is not None and self.editable

    def ensure_editable(self) -> None:
        if self.editable:
            return
        if self.state is SectionState.APPROVED:
            raise Conflict(f"{self.check.label}: the provider has already approved this, so it cannot be changed here")
        raise Conflict(f"{self.check.label}: we do not need this from you")


class Onboarding(Model):
    """The employer's onboarding as they see it through their link: what is done, what is left."""

    employer: Employer
    draft: Answers
    uploads: dict[CheckType, EvidenceFile]
    sections: list[SectionView]

    def view(self, check: CheckType) -> SectionView:
        return next(s for s in self.sections if s.check is check)

    @property
    def to_send(self) -> list[CheckType]:
        """Sections the employer has saved and that still need the provider's review."""
        return [s.check for s in self.sections if s.state is SectionState.COMPLETED]

    @property
    def outstanding(self) -> list[CheckType]:
        return [s.check for s in self.sections if s.state in (SectionState.NOT_STARTED, SectionState.CHANGES_NEEDED)]

    @property
    def ready_to_send(self) -> bool:
        return bool(self.to_send) and not self.outstanding


def _state(
    check: CheckType, needed: list[CheckType], current: Check | None, draft: Answers, sent: Answers | None
) -> SectionState:
    if check not in needed:
        return SectionState.NOT_NEEDED
    saved = draft.section(check)
    if current is not None and current.status is CheckStatus.APPROVED:
        if current.renewing_until is None:
            return SectionState.APPROVED
        unchanged = saved is None or (sent is not None and sent.section(check) == saved)
        return SectionState.RENEWAL_DUE if unchanged else SectionState.COMPLETED
    if saved is None:
        return SectionState.NOT_STARTED
    if current is not None and current.status in _RETURNED and sent and sent.section(check) == saved:
        return SectionState.CHANGES_NEEDED
    return SectionState.COMPLETED


def _reason(current: Check | None) -> str | None:
    if current is None:
        return None
    if current.status in _RETURNED:
        return current.reason
    if current.status is CheckStatus.APPROVED and current.renewing_until:
        return f"Valid until {current.renewing_until:%-d %B %Y}: send us the renewed details before then"
    return None


def read_onboarding(employer_id: str, *, employers: OnboardingForms) -> Onboarding:
    employer = employers.get_employer(employer_id)
    draft, uploads = employers.get_draft(employer.id)
    sent = (
        employers.get_submission(employer.id)
        if any(c.status is not CheckStatus.NOT_STARTED for c in employer.checks)
        else None
    )
    needed = sections_needed(draft)
    checks = {c.type: c for c in employer.checks}
    sections = [
        SectionView(
            check=t,
            state=_state(t, needed, checks.get(t), draft, sent),
            reason=_reason(checks.get(t)),
        )
        for t in CheckType
    ]
    return Onboarding(employer=employer, draft=draft, uploads=uploads, sections=sections)


def open_onboarding(token: str, *, links: LinkLookup, employers: OnboardingForms, now: datetime) -> Onboarding:
    """What the employer sees when they open the link. Reads only: mail scanners open links too."""
    link = link_tokens.resolve(links, token, LinkPurpose.ONBOARDING_FORM, now=now)
    return read_onboarding(link.subject_id, employers=employers)
