"""What an employer has saved of its onboarding form so far, a section at a time, and the files it uploaded.

| pattern                             | operation        | key condition                                | index        |
| ----------------------------------- | ---------------- | -------------------------------------------- | ------------ |
| employer's saved sections and files | Query            | PK=EMPLOYER#<id>, SK begins_with DRAFT#      | table        |
"""

from datetime import datetime
from typing import Any

from safeplace.adapters.dynamodb.table import Table, employer_pk, to_item
from safeplace.onboarding.answers import Answers, EvidenceFile, _Section
from safeplace.onboarding.models import CheckType

_DRAFTS = "DRAFT#"


def draft_key(employer_id: str, kind: str, check: CheckType) -> dict[str, str]:
    # get_draft reads the kind and the check back out of the sort key.
    return {"PK": employer_pk(employer_id), "SK": f"{_DRAFTS}{kind}#{check}"}


class DraftSections:
    """The employer repository's drafts, kept in the employer's partition beside its profile."""

    table: Table

    def save_draft_section(self, employer_id: str, check: CheckType, section: _Section, now: datetime) -> None:
        # One item per section, so two tabs saving different sections never overwrite each other.
        self.table.call(
            "put_item",
            TableName=self.table.name,
            Item=to_item(
                {
                    **draft_key(employer_id, "SECTION", check),
                    "section": section.model_dump(mode="json"),
                    "at": now.isoformat(),
                }
            ),
        )

    def save_upload(self, employer_id: str, check: CheckType, file: EvidenceFile) -> None:
        self.table.call(
            "put_item",
            TableName=self.table.name,
            Item=to_item({**draft_key(employer_id, "UPLOAD", check), "file": file.model_dump(mode="json")}),
        )

    def get_draft(self, employer_id: str) -> tuple[Answers, dict[CheckType, EvidenceFile]]:
        """The sections saved so far, and the files uploaded for each (which may be newer than the section)."""
        sections: dict[str, Any] = {}
        uploads: dict[CheckType, EvidenceFile] = {}
        for item in self.table.query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :draft)",
            ExpressionAttributeValues={":pk": {"S": employer_pk(employer_id)}, ":draft": {"S": _DRAFTS}},
            ConsistentRead=True,
        ):
            _, kind, check = item["SK"].split("#", 2)
            if kind == "SECTION":
                sections[check] = item["section"]
            else:
                uploads[CheckType(check)] = EvidenceFile.model_validate(item["file"])
        return Answers.model_validate(sections), uploads
