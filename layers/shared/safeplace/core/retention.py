"""How long each kind of record is kept: the one place retention is decided.

The figures come from the template's retention parameters, through each function's settings.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import Field

from safeplace.core.model import Model


class RecordKind(StrEnum):
    LINK = "link"
    WORKFLOW_WAIT = "workflow_wait"
    AUDIT = "audit"
    # A check milestone the daily sweep has finished with: what was done for it is in the audit trail.
    MILESTONE = "milestone"
    # A learner's placement (a reference and a date of birth), kept as long as the audit entries about it.
    PLACEMENT = "placement"


class Retention(Model):
    link_days: int = Field(ge=1, le=3650)
    audit_years: int = Field(ge=1, le=100)

    def period(self, kind: RecordKind) -> timedelta:
        if kind in (RecordKind.AUDIT, RecordKind.PLACEMENT):
            return timedelta(days=365 * self.audit_years + self.audit_years // 4)
        # Links, workflow waits and finished milestones: working records, gone once their use is over.
        return timedelta(days=self.link_days)

    def ttl(self, kind: RecordKind, created_at: datetime) -> int:
        """DynamoDB TTL (epoch seconds) for a record of `kind` created at `created_at`."""
        return int((created_at + self.period(kind)).timestamp())
