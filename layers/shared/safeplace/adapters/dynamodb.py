"""All state in one DynamoDB table. The adapter owns boto3 and turns AWS errors into domain errors.

Keys are designed from the access patterns; every request path is a GetItem, a Query or a transaction.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| employer by id                       | GetItem          | PK=EMPLOYER#<id>, SK=PROFILE                 | table    |
| employers in a status, newest first  | Query            | GSI1PK=STATUS#<status>, GSI1SK descending    | ByStatus |
| employer's answers as last sent      | GetItem          | PK=EMPLOYER#<id>, SK=SUBMISSION              | table    |
| employer's saved sections and files  | Query            | PK=EMPLOYER#<id>, SK begins_with DRAFT#      | table    |
| link by token                        | GetItem          | PK=LINK#<sha256(token)>, SK=LINK             | table    |
| subject's current link for a purpose | GetItem          | PK=EMPLOYER#<id>, SK=LINKPTR#<purpose>       | table    |
| placements in a status, newest first | Query            | GSI1PK=PLACEMENT_STATUS#<status>             | ByStatus |
| an employer's placements             | Query            | PK=EMPLOYER#<id>, SK begins_with PLACEMENT#  | table    |
| staff session by cookie              | GetItem          | PK=SESSION#<sha256(cookie)>, SK=SESSION      | table    |
| workflow task waiting on a person    | GetItem          | PK=EMPLOYER#<id>, SK=WAIT#<step>             | table    |
| subject's audit trail and its head   | Query            | PK=AUDIT#<subject>                           | table    |
| subjects with audit entries on a day | Query, keys only | GSI2PK=AUDITDAY#<yyyy-mm-dd>                 | ByDate   |
| check milestones due on a day        | Query, keys only | GSI2PK=DUEDAY#<yyyy-mm-dd>                   | ByDate   |
| checks lapsing between two days      | Query            | GSI1PK=LAPSES, GSI1SK between two days       | ByStatus |
| how far the daily sweep has got      | GetItem          | PK=SWEEP, SK=PROGRESS                        | table    |
| handbook versions, newest first      | Query            | PK=HANDBOOK, SK begins_with VERSION#         | table    |
| a handbook version                   | GetItem          | PK=HANDBOOK, SK=VERSION#<number>             | table    |
| a SPOC's copy of a handbook version  | GetItem          | PK=EMPLOYER#<id>, SK=HANDBOOK#<n>#<holder>   | table    |
| employer's handbook receipts         | Query            | PK=EMPLOYER#<id>, SK begins_with RECEIPT#    | table    |
| speaker booking                      | GetItem          | PK=BOOKING#<id>, SK=BOOKING                  | table    |
| bookings in a status, by event date  | Query            | GSI1PK=BOOKING_STATUS#<status>               | ByStatus |
| register entries for a speaker       | Query            | PK=REGISTER#SPEAKER#<register_key(name)>     | table    |
| register entries for an organisation | Query            | PK=REGISTER#ORG#<register_key(name)>         | table    |
| booking's workflow task waiting      | GetItem          | PK=BOOKING#<id>, SK=WAIT#<step>              | table    |

Writes that must hold together go in one TransactWriteItems: a change, the audit entry that records it
and the audit head; a submission and the link it consumes; a placement, its gate decision and a condition
that the employer has not changed since the gate read it. Status changes are conditional on `version`.
Items that expire carry `ttl` (epoch seconds) from safeplace.core.retention.
"""

import contextlib
from collections.abc import Iterable
from datetime import date, datetime
from functools import cached_property
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from safeplace.core import audit
from safeplace.core.audit import AuditEntry, AuditEvent
from safeplace.core.errors import Conflict, LinkNotUsable, NotFound, TemporaryFailure
from safeplace.core.links import Link, LinkPurpose
from safeplace.core.retention import RecordKind, Retention
from safeplace.handbook.models import HandbookCopy, HandbookReceipt, HandbookVersion
from safeplace.onboarding.answers import Answers, EvidenceFile, _Section
from safeplace.onboarding.models import CheckType, Due, DueState, Employer, EmployerStatus, EmployerSummary, Milestone
from safeplace.placements.models import Placement, PlacementStatus
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.models import RegisterEntry, register_key
from safeplace.staff.models import StaffSession

_TEMPORARY = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def employer_pk(employer_id: str) -> str:
    return f"EMPLOYER#{employer_id}"


def booking_pk(booking_id: str) -> str:
    return f"BOOKING#{booking_id}"


def _wait_pk(subject_id: str) -> str:
    # Workflows wait on employers and on speaker bookings; the id says which.
    return booking_pk(subject_id) if subject_id.startswith("bkg-") else employer_pk(subject_id)


def _status_keys(status: EmployerStatus, updated_at: datetime, employer_id: str) -> dict[str, str]:
    return {"GSI1PK": f"STATUS#{status}", "GSI1SK": f"{updated_at.isoformat()}#{employer_id}"}


class Store:
    def __init__(self, table_name: str, retention: Retention, client: Any = None) -> None:
        self.table_name = table_name
        self.retention = retention
        self._client = client

    @cached_property
    def client(self) -> Any:
        return self._client or boto3.client("dynamodb")

    # -- errors -------------------------------------------------------------------------------

    def _call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in _TEMPORARY:
                raise TemporaryFailure(f"DynamoDB is busy ({code}); try again") from error
            if code == "ConditionalCheckFailedException":
                raise Conflict("This record was changed by someone else; reload and try again") from error
            raise

    def _transact(self, items: list[dict[str, Any]], *, link_index: int | None = None) -> None:
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in _TEMPORARY or code == "TransactionInProgressException":
                raise TemporaryFailure(f"DynamoDB is busy ({code}); try again") from error
            if code != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons") or []
            codes = [r.get("Code", "None") for r in reasons]
            if link_index is not None and link_index < len(codes) and codes[link_index] == "ConditionalCheckFailed":
                raise LinkNotUsable() from error
            if any(c in ("ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict") for c in codes):
                raise TemporaryFailure("DynamoDB is busy; try again") from error
            raise Conflict("This record was changed by someone else; reload and try again") from error

    # -- audit ----------------------------------------------------------------------------------

    def _audit_items(self, event: AuditEvent, now: datetime) -> list[dict[str, Any]]:
        head = self.audit_head(event.subject)
        entry = audit.next_entry(head, event, now)
        pk = f"AUDIT#{event.subject}"
        entry_item = _item(
            {
                "PK": pk,
                "SK": f"ENTRY#{entry.seq:010d}",
                "GSI2PK": f"AUDITDAY#{now.date().isoformat()}",
                "GSI2SK": f"{event.subject}#{entry.seq:010d}",
                "entry": entry.model_dump(mode="json"),
                "ttl": self.retention.ttl(RecordKind.AUDIT, now),
            }
        )
        new_head = audit.head_after(entry)
        head_item = _item({"PK": pk, "SK": "HEAD", "head": new_head.model_dump(mode="json")})
        head_put: dict[str, Any] = {"TableName": self.table_name, "Item": head_item}
        if head.seq == 0:
            head_put["ConditionExpression"] = "attribute_not_exists(PK)"
        else:
            head_put["ConditionExpression"] = "#h.seq = :seq"
            head_put["ExpressionAttributeNames"] = {"#h": "head"}
            head_put["ExpressionAttributeValues"] = {":seq": {"N": str(head.seq)}}
        return [
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": entry_item,
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {"Put": head_put},
        ]

    def audit_head(self, subject: str) -> audit.AuditHead:
        found = self._call(
            "get_item", TableName=self.table_name, Key=_key(f"AUDIT#{subject}", "HEAD"), ConsistentRead=True
        ).get("Item")
        return audit.AuditHead.model_validate(_plain(found)["head"]) if found else audit.AuditHead(subject=subject)

    def audit_trail(self, subject: str) -> tuple[list[AuditEntry], audit.AuditHead]:
        entries: list[AuditEntry] = []
        head = audit.AuditHead(subject=subject)
        for item in self._query(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": f"AUDIT#{subject}"}},
            ConsistentRead=True,
        ):
            if item["SK"] == "HEAD":
                head = audit.AuditHead.model_validate(item["head"])
            else:
                entries.append(AuditEntry.model_validate(item["entry"]))
        return entries, head

    def audit_subjects_changed_on(self, day: str) -> list[str]:
        subjects = {
            item["PK"].removeprefix("AUDIT#")
            for item in self._query(
                IndexName="ByDate",
                KeyConditionExpression="GSI2PK = :day",
                ExpressionAttributeValues={":day": {"S": f"AUDITDAY#{day}"}},
            )
        }
        return sorted(subjects)

    def append_audit(self, event: AuditEvent, now: datetime) -> None:
        self._transact(self._audit_items(event, now))

    def _query(self, **kwargs: Any) -> Iterable[dict[str, Any]]:
        paginator = self.client.get_paginator("query")
        try:
            for page in paginator.paginate(TableName=self.table_name, **kwargs):
                for item in page["Items"]:
                    yield _plain(item)
        except ClientError as error:
            if error.response["Error"]["Code"] in _TEMPORARY:
                raise TemporaryFailure("DynamoDB is busy; try again") from error
            raise

    # -- employers ------------------------------------------------------------------------------

    def _employer_item(self, employer: Employer) -> dict[str, Any]:
        return _item(
            {
                "PK": employer_pk(employer.id),
                "SK": "PROFILE",
                **_status_keys(employer.status, employer.updated_at, employer.id),
                "version": employer.version,
                "employer": employer.model_dump(mode="json"),
            }
        )

    def create_employer(self, employer: Employer, event: AuditEvent) -> None:
        self._transact(
            [
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": self._employer_item(employer),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                *self._audit_items(event, employer.updated_at),
            ]
        )

    def get_employer(self, employer_id: str) -> Employer:
        found = self._call(
            "get_item",
            TableName=self.table_name,
            Key=_key(employer_pk(employer_id), "PROFILE"),
            ConsistentRead=True,
        ).get("Item")
        if not found:
            raise NotFound("No employer has that reference")
        return Employer.model_validate(_plain(found)["employer"])

    def list_employers(self, statuses: Iterable[EmployerStatus]) -> list[EmployerSummary]:
        found: list[EmployerSummary] = []
        for status in statuses:
            for item in self._query(
                IndexName="ByStatus",
                KeyConditionExpression="GSI1PK = :s",
                ExpressionAttributeValues={":s": {"S": f"STATUS#{status}"}},
                ScanIndexForward=False,
            ):
                employer = Employer.model_validate(item["employer"])
                found.append(
                    EmployerSummary(
                        id=employer.id,
                        name=employer.name,
                        status=employer.status,
                        updated_at=employer.updated_at,
                    )
                )
        return sorted(found, key=lambda e: e.updated_at, reverse=True)

    def _employer_update(self, before: Employer, after: Employer) -> dict[str, Any]:
        # Whole-record put, conditional on the version the caller read: a concurrent change loses cleanly.
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": self._employer_item(after),
                "ConditionExpression": "version = :v",
                "ExpressionAttributeValues": {":v": {"N": str(before.version)}},
            }
        }

    def save_employer(self, before: Employer, after: Employer, event: AuditEvent, *, due: Iterable[Due] = ()) -> None:
        """Save the next version of an employer with its audit entry and any check milestones it schedules."""
        if after.version != before.version + 1:
            raise ValueError("a saved employer moves on exactly one version")
        self._transact(
            [
                self._employer_update(before, after),
                *self._audit_items(event, after.updated_at),
                *({"Put": {"TableName": self.table_name, "Item": self._due_item(d)}} for d in due),
            ]
        )

    # -- check milestones: what the daily sweep acts on ------------------------------------------

    def _due_item(self, due: Due) -> dict[str, Any]:
        return _item(
            {
                "PK": f"DUE#{due.employer_id}",
                "SK": due.key,
                "GSI2PK": f"DUEDAY#{due.due_on.isoformat()}",
                "GSI2SK": f"{due.employer_id}#{due.key}",
                # Lapses are also listed by date, so the console can show what runs out soon in one query.
                **(
                    {"GSI1PK": "LAPSES", "GSI1SK": f"{due.due_on.isoformat()}#{due.employer_id}#{due.key}"}
                    if due.milestone is Milestone.LAPSE
                    else {}
                ),
                "due": due.model_dump(mode="json"),
            }
        )

    def due_on(self, day: date) -> list[Due]:
        """The milestones falling on `day`, found through the index of that day: never a scan."""
        keys = self._query(
            IndexName="ByDate",
            KeyConditionExpression="GSI2PK = :day",
            ExpressionAttributeValues={":day": {"S": f"DUEDAY#{day.isoformat()}"}},
        )
        found = []
        for key in keys:
            item = self._call(
                "get_item", TableName=self.table_name, Key=_key(key["PK"], key["SK"]), ConsistentRead=True
            ).get("Item")
            if item:
                found.append(Due.model_validate(_plain(item)["due"]))
        return found

    def lapses_between(self, first: date, last: date) -> list[Due]:
        """Checks that lapse on a day from `first` to `last`, soonest first, not yet acted on."""
        found = [
            Due.model_validate(item["due"])
            for item in self._query(
                IndexName="ByStatus",
                KeyConditionExpression="GSI1PK = :lapses AND GSI1SK BETWEEN :first AND :last",
                ExpressionAttributeValues={
                    ":lapses": {"S": "LAPSES"},
                    ":first": {"S": first.isoformat()},
                    ":last": {"S": f"{last.isoformat()}#~"},
                },
            )
        ]
        return [d for d in found if d.state is DueState.PENDING]

    def _due_moves_on(self, due: Due, to: DueState) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": _key(f"DUE#{due.employer_id}", due.key),
                "UpdateExpression": "SET #d.#s = :to",
                "ConditionExpression": "#d.#s = :was",
                "ExpressionAttributeNames": {"#d": "due", "#s": "state"},
                "ExpressionAttributeValues": {":to": {"S": to.value}, ":was": {"S": due.state.value}},
            }
        }

    def advance_due(
        self, due: Due, to: DueState, *, event: AuditEvent | None = None, now: datetime | None = None
    ) -> Due:
        """Move a milestone on, with the audit entry of what was done for it when there is one."""
        audit = self._audit_items(event, now) if event and now else []
        self._transact([self._due_moves_on(due, to), *audit])
        return due.model_copy(update={"state": to})

    def act_on_due(self, due: Due, before: Employer, after: Employer, event: AuditEvent) -> Due:
        """The milestone's change to the employer, its audit entry and the milestone marked acted: all or nothing."""
        self._transact(
            [
                self._due_moves_on(due, DueState.ACTED),
                self._employer_update(before, after),
                *self._audit_items(event, after.updated_at),
            ]
        )
        return due.model_copy(update={"state": DueState.ACTED})

    def sweep_progress(self) -> date | None:
        found = self._call("get_item", TableName=self.table_name, Key=_key("SWEEP", "PROGRESS"), ConsistentRead=True)
        return date.fromisoformat(_plain(found["Item"])["day"]) if "Item" in found else None

    def save_sweep_progress(self, day: date) -> None:
        self._call(
            "put_item", TableName=self.table_name, Item=_item({"PK": "SWEEP", "SK": "PROGRESS", "day": day.isoformat()})
        )

    def _consume(self, link: Link, now: datetime) -> dict[str, Any]:
        """Use a link up, in the same transaction as what it was used for: a second use finds it used."""
        return {
            "Update": {
                "TableName": self.table_name,
                "Key": _key(f"LINK#{link.token_hash}", "LINK"),
                "UpdateExpression": "SET #l.used_at = :now",
                "ConditionExpression": "attribute_exists(PK) AND attribute_not_exists(#l.used_at) "
                "AND attribute_not_exists(#l.revoked_at) AND #l.purpose = :purpose AND expires_epoch > :epoch",
                "ExpressionAttributeNames": {"#l": "link"},
                "ExpressionAttributeValues": {
                    ":now": {"S": now.isoformat()},
                    ":purpose": {"S": link.purpose.value},
                    ":epoch": {"N": str(int(now.timestamp()))},
                },
            }
        }

    def record_submission(
        self,
        before: Employer,
        after: Employer,
        answers: Answers,
        consumed: Link,
        event: AuditEvent,
        now: datetime,
    ) -> None:
        consume = self._consume(consumed, now)
        submission_put = {
            "Put": {
                "TableName": self.table_name,
                "Item": _item(
                    {
                        "PK": employer_pk(after.id),
                        "SK": "SUBMISSION",
                        "answers": answers.model_dump(mode="json"),
                        "at": now.isoformat(),
                    }
                ),
            }
        }
        self._transact(
            [consume, submission_put, self._employer_update(before, after), *self._audit_items(event, now)],
            link_index=0,
        )

    def change_spoc(
        self, before: Employer, after: Employer, answers: Answers, event: AuditEvent, now: datetime
    ) -> None:
        """A new SPOC in the answers sent and in the draft; the last SPOC's training is gone from both."""
        pk = employer_pk(after.id)
        spoc = answers.spoc.model_dump(mode="json") if answers.spoc else None
        self._transact(
            [
                self._employer_update(before, after),
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": _item(
                            {
                                "PK": pk,
                                "SK": "SUBMISSION",
                                "answers": answers.model_dump(mode="json"),
                                "at": now.isoformat(),
                            }
                        ),
                    }
                },
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": _item(
                            {"PK": pk, "SK": f"DRAFT#SECTION#{CheckType.SPOC}", "section": spoc, "at": now.isoformat()}
                        ),
                    }
                },
                *(
                    {
                        "Delete": {
                            "TableName": self.table_name,
                            "Key": _key(pk, f"DRAFT#{kind}#{CheckType.SPOC_TRAINING}"),
                        }
                    }
                    for kind in ("SECTION", "UPLOAD")
                ),
                *self._audit_items(event, now),
            ]
        )

    def get_submission(self, employer_id: str) -> Answers | None:
        found = self._call(
            "get_item",
            TableName=self.table_name,
            Key=_key(employer_pk(employer_id), "SUBMISSION"),
            ConsistentRead=True,
        ).get("Item")
        return Answers.model_validate(_plain(found)["answers"]) if found else None

    # -- the employer handbook: versions, and each employer's copy ----------------------------

    def publish_handbook_version(self, version: HandbookVersion, event: AuditEvent) -> None:
        """The next version; two admins publishing at once cannot both take the same number."""
        self._transact(
            [
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": _item(
                            {
                                "PK": "HANDBOOK",
                                "SK": f"VERSION#{version.number:06d}",
                                "version": version.model_dump(mode="json"),
                            }
                        ),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                *self._audit_items(event, version.published_at),
            ]
        )

    def handbook_versions(self) -> list[HandbookVersion]:
        """Every version, newest first."""
        return [
            HandbookVersion.model_validate(item["version"])
            for item in self._query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :version)",
                ExpressionAttributeValues={":pk": {"S": "HANDBOOK"}, ":version": {"S": "VERSION#"}},
                ScanIndexForward=False,
                ConsistentRead=True,
            )
        ]

    def latest_handbook_version(self) -> HandbookVersion | None:
        found = self._call(
            "query",
            TableName=self.table_name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :version)",
            ExpressionAttributeValues={":pk": {"S": "HANDBOOK"}, ":version": {"S": "VERSION#"}},
            ScanIndexForward=False,
            Limit=1,
            ConsistentRead=True,
        )["Items"]
        return HandbookVersion.model_validate(_plain(found[0])["version"]) if found else None

    def handbook_version(self, number: int) -> HandbookVersion | None:
        found = self._call(
            "get_item", TableName=self.table_name, Key=_key("HANDBOOK", f"VERSION#{number:06d}"), ConsistentRead=True
        ).get("Item")
        return HandbookVersion.model_validate(_plain(found)["version"]) if found else None

    def get_handbook_copy(self, employer_id: str, number: int, holder: str) -> HandbookCopy | None:
        found = self._call(
            "get_item",
            TableName=self.table_name,
            Key=_key(employer_pk(employer_id), f"HANDBOOK#{number:06d}#{holder}"),
            ConsistentRead=True,
        ).get("Item")
        return HandbookCopy.model_validate(_plain(found)["copy"]) if found else None

    def record_receipt(self, receipt: HandbookReceipt, consumed: Link, event: AuditEvent) -> None:
        """The SPOC's receipt, the link used up and the audit entry: all or nothing, and only once."""
        item = {
            "PK": employer_pk(receipt.employer_id),
            "SK": f"RECEIPT#{receipt.version:06d}#{receipt.holder}",
            "receipt": receipt.model_dump(mode="json"),
        }
        self._transact(
            [
                self._consume(consumed, receipt.acknowledged_at),
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": _item(item),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                *self._audit_items(event, receipt.acknowledged_at),
            ],
            link_index=0,
        )

    def receipts(self, employer_id: str) -> list[HandbookReceipt]:
        """The employer's receipts, one per version and SPOC, oldest first."""
        return [
            HandbookReceipt.model_validate(item["receipt"])
            for item in self._query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :receipt)",
                ExpressionAttributeValues={":pk": {"S": employer_pk(employer_id)}, ":receipt": {"S": "RECEIPT#"}},
                ConsistentRead=True,
            )
        ]

    def save_handbook_copy(self, copy: HandbookCopy) -> None:
        """Recorded once: a second rendering of the same copy is refused, so its hash never changes."""
        self._call(
            "put_item",
            TableName=self.table_name,
            Item=_item(
                {
                    "PK": employer_pk(copy.employer_id),
                    "SK": f"HANDBOOK#{copy.version:06d}#{copy.holder}",
                    "copy": copy.model_dump(mode="json"),
                }
            ),
            ConditionExpression="attribute_not_exists(PK)",
        )

    # -- speaker bookings and the speaker register ---------------------------------------------

    def _booking_item(self, booking: Booking) -> dict[str, Any]:
        return _item(
            {
                "PK": booking_pk(booking.id),
                "SK": "BOOKING",
                "booking": booking.model_dump(mode="json"),
                "version": booking.version,
                "GSI1PK": f"BOOKING_STATUS#{booking.status}",
                "GSI1SK": f"{booking.request.event.on.isoformat()}#{booking.id}",
            }
        )

    def _register_items(self, booking_id: str, entries: Iterable[RegisterEntry]) -> list[dict[str, Any]]:
        items = []
        for entry in entries:
            sk = f"{entry.on.isoformat()}#{booking_id}#{entry.outcome}"
            names = [f"SPEAKER#{register_key(entry.speaker_name)}"]
            if register_key(entry.organisation):
                names.append(f"ORG#{register_key(entry.organisation)}")
            for name in names:
                item = {"PK": f"REGISTER#{name}", "SK": sk, "entry": entry.model_dump(mode="json")}
                items.append({"Put": {"TableName": self.table_name, "Item": _item(item)}})
        return items

    def create_booking(self, booking: Booking, event: AuditEvent) -> None:
        self._transact(
            [
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": self._booking_item(booking),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                *self._audit_items(event, booking.requested_at),
            ]
        )

    def get_booking(self, booking_id: str) -> Booking:
        found = self._call(
            "get_item", TableName=self.table_name, Key=_key(booking_pk(booking_id), "BOOKING"), ConsistentRead=True
        ).get("Item")
        if found is None:
            raise NotFound("There is no such speaker booking")
        return Booking.model_validate(_plain(found)["booking"])

    def save_booking(
        self,
        before: Booking,
        after: Booking,
        event: AuditEvent,
        *,
        register: Iterable[RegisterEntry] = (),
        consumed: Link | None = None,
    ) -> None:
        """The booking's next version, what the register learns from it, and its audit entry, together; a
        decision link it used up is consumed in the same transaction, so a second click decides nothing."""
        if after.version != before.version + 1:
            raise ValueError("a saved booking moves on exactly one version")
        items = [self._consume(consumed, after.updated_at)] if consumed else []
        self._transact(
            [
                *items,
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": self._booking_item(after),
                        "ConditionExpression": "version = :v",
                        "ExpressionAttributeValues": {":v": {"N": str(before.version)}},
                    }
                },
                *self._register_items(after.id, register),
                *self._audit_items(event, after.updated_at),
            ],
            link_index=0 if consumed else None,
        )

    def list_bookings(self, statuses: Iterable[BookingStatus]) -> list[Booking]:
        """Bookings in these statuses, soonest event first."""
        found = [
            Booking.model_validate(item["booking"])
            for status in statuses
            for item in self._query(
                IndexName="ByStatus",
                KeyConditionExpression="GSI1PK = :s",
                ExpressionAttributeValues={":s": {"S": f"BOOKING_STATUS#{status}"}},
            )
        ]
        return sorted(found, key=lambda b: (b.request.event.on, b.request.event.starts_at, b.id))

    def speaker_register(self, speaker_name: str, organisation: str) -> list[RegisterEntry]:
        """What the register holds on this speaker or their organisation, oldest first, each entry once."""
        names = [f"SPEAKER#{register_key(speaker_name)}"]
        if register_key(organisation):
            names.append(f"ORG#{register_key(organisation)}")
        found: dict[str, RegisterEntry] = {}
        for name in names:
            for item in self._query(
                KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": f"REGISTER#{name}"}}
            ):
                found.setdefault(item["SK"], RegisterEntry.model_validate(item["entry"]))
        return [found[k] for k in sorted(found)]

    # -- drafts: what the employer has saved so far, a section at a time ----------------------

    def save_draft_section(self, employer_id: str, check: CheckType, section: _Section, now: datetime) -> None:
        # One item per section, so two tabs saving different sections never overwrite each other.
        self._call(
            "put_item",
            TableName=self.table_name,
            Item=_item(
                {
                    "PK": employer_pk(employer_id),
                    "SK": f"DRAFT#SECTION#{check}",
                    "section": section.model_dump(mode="json"),
                    "at": now.isoformat(),
                }
            ),
        )

    def save_upload(self, employer_id: str, check: CheckType, file: EvidenceFile) -> None:
        self._call(
            "put_item",
            TableName=self.table_name,
            Item=_item(
                {"PK": employer_pk(employer_id), "SK": f"DRAFT#UPLOAD#{check}", "file": file.model_dump(mode="json")}
            ),
        )

    def get_draft(self, employer_id: str) -> tuple[Answers, dict[CheckType, EvidenceFile]]:
        """The sections saved so far, and the files uploaded for each (which may be newer than the section)."""
        sections: dict[str, Any] = {}
        uploads: dict[CheckType, EvidenceFile] = {}
        for item in self._query(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :draft)",
            ExpressionAttributeValues={":pk": {"S": employer_pk(employer_id)}, ":draft": {"S": "DRAFT#"}},
            ConsistentRead=True,
        ):
            _, kind, check = item["SK"].split("#", 2)
            if kind == "SECTION":
                sections[check] = item["section"]
            else:
                uploads[CheckType(check)] = EvidenceFile.model_validate(item["file"])
        return Answers.model_validate(sections), uploads

    # -- links ----------------------------------------------------------------------------------

    def save_link(self, link: Link) -> None:
        """Store a new link and make it the subject's current one for its purpose, revoking the previous."""
        pointer_key = _key(employer_pk(link.subject_id), f"LINKPTR#{link.purpose}")
        found = self._call("get_item", TableName=self.table_name, Key=pointer_key, ConsistentRead=True).get("Item")
        previous = _plain(found)["token_hash"] if found else None
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table_name,
                    "ConditionExpression": "attribute_not_exists(PK)",
                    "Item": _item(
                        {
                            "PK": f"LINK#{link.token_hash}",
                            "SK": "LINK",
                            "link": link.model_dump(mode="json", exclude_none=True),
                            "expires_epoch": int(link.expires_at.timestamp()),
                            "ttl": self.retention.ttl(RecordKind.LINK, link.expires_at),
                        }
                    ),
                }
            },
        ]
        pointer: dict[str, Any] = {
            "TableName": self.table_name,
            "Item": _item({**_plain(pointer_key), "token_hash": link.token_hash}),
        }
        if previous:
            pointer["ConditionExpression"] = "token_hash = :previous"
            pointer["ExpressionAttributeValues"] = {":previous": {"S": previous}}
            items.append(
                {
                    "Update": {
                        "TableName": self.table_name,
                        "Key": _key(f"LINK#{previous}", "LINK"),
                        "UpdateExpression": "SET #l.revoked_at = :now",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeNames": {"#l": "link"},
                        "ExpressionAttributeValues": {":now": {"S": link.issued_at.isoformat()}},
                    }
                }
            )
        else:
            pointer["ConditionExpression"] = "attribute_not_exists(PK)"
        items.append({"Put": pointer})
        self._transact(items)

    def revoke_current_link(self, subject_id: str, purpose: LinkPurpose, now: datetime) -> None:
        current = self.current_link_hash(subject_id, purpose)
        if current is None:
            return
        self._call(
            "update_item",
            TableName=self.table_name,
            Key=_key(f"LINK#{current}", "LINK"),
            UpdateExpression="SET #l.revoked_at = :now",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeNames={"#l": "link"},
            ExpressionAttributeValues={":now": {"S": now.isoformat()}},
        )

    def get_link(self, token_hash: str) -> Link | None:
        found = self._call(
            "get_item", TableName=self.table_name, Key=_key(f"LINK#{token_hash}", "LINK"), ConsistentRead=True
        ).get("Item")
        return Link.model_validate(_plain(found)["link"]) if found else None

    def current_link_hash(self, subject_id: str, purpose: LinkPurpose) -> str | None:
        found = self._call(
            "get_item",
            TableName=self.table_name,
            Key=_key(employer_pk(subject_id), f"LINKPTR#{purpose}"),
            ConsistentRead=True,
        ).get("Item")
        return _plain(found)["token_hash"] if found else None

    # -- placements ----------------------------------------------------------------------------

    def _employer_unchanged(self, employer: Employer) -> dict[str, Any]:
        return {
            "ConditionCheck": {
                "TableName": self.table_name,
                "Key": _key(employer_pk(employer.id), "PROFILE"),
                "ConditionExpression": "version = :v",
                "ExpressionAttributeValues": {":v": {"N": str(employer.version)}},
            }
        }

    def _placement_item(self, placement: Placement) -> dict[str, Any]:
        return _item(
            {
                "PK": employer_pk(placement.employer_id),
                "SK": f"PLACEMENT#{placement.id}",
                "GSI1PK": f"PLACEMENT_STATUS#{placement.status}",
                "GSI1SK": f"{placement.recorded_at.isoformat()}#{placement.id}",
                "placement": placement.model_dump(mode="json"),
            }
        )

    def record_placement(self, placement: Placement, employer: Employer, event: AuditEvent) -> None:
        """Store a placement with the gate decision it passed, conditional on the employer being unchanged.

        A check approved, revoked or expired between reading the employer and writing the placement changes
        the employer's version, so the transaction fails rather than letting a stale decision through.
        """
        item = self._placement_item(placement)
        self._transact(
            [
                self._employer_unchanged(employer),
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": item,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                *self._audit_items(event, placement.recorded_at),
            ]
        )

    def employer_placements(self, employer_id: str) -> list[Placement]:
        return [
            Placement.model_validate(item["placement"])
            for item in self._query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :placement)",
                ExpressionAttributeValues={":pk": {"S": employer_pk(employer_id)}, ":placement": {"S": "PLACEMENT#"}},
                ConsistentRead=True,
            )
        ]

    def update_placement(self, before: Placement, after: Placement, employer: Employer, event: AuditEvent) -> None:
        """Change a placement's status, conditional on it and on the employer being as the gate read them."""
        self._transact(
            [
                self._employer_unchanged(employer),
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": self._placement_item(after),
                        "ConditionExpression": "GSI1PK = :was",
                        "ExpressionAttributeValues": {":was": {"S": f"PLACEMENT_STATUS#{before.status}"}},
                    }
                },
                *self._audit_items(event, after.updated_at),
            ]
        )

    def list_placements(self, statuses: Iterable[PlacementStatus]) -> list[Placement]:
        found = [
            Placement.model_validate(item["placement"])
            for status in statuses
            for item in self._query(
                IndexName="ByStatus",
                KeyConditionExpression="GSI1PK = :s",
                ExpressionAttributeValues={":s": {"S": f"PLACEMENT_STATUS#{status}"}},
                ScanIndexForward=False,
            )
        ]
        return sorted(found, key=lambda p: p.recorded_at, reverse=True)

    # -- staff sessions ------------------------------------------------------------------------

    def save_session(self, session: StaffSession) -> None:
        self._call(
            "put_item",
            TableName=self.table_name,
            Item=_item(
                {
                    "PK": f"SESSION#{session.id_hash}",
                    "SK": "SESSION",
                    "session": session.model_dump(mode="json"),
                    "ttl": int(session.expires_at.timestamp()),
                }
            ),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def get_session(self, id_hash: str) -> StaffSession | None:
        found = self._call(
            "get_item", TableName=self.table_name, Key=_key(f"SESSION#{id_hash}", "SESSION"), ConsistentRead=True
        ).get("Item")
        return StaffSession.model_validate(_plain(found)["session"]) if found else None

    def delete_session(self, id_hash: str) -> None:
        self._call("delete_item", TableName=self.table_name, Key=_key(f"SESSION#{id_hash}", "SESSION"))

    # -- workflow waits -------------------------------------------------------------------------

    def save_wait(self, employer_id: str, step: str, task_token: str, now: datetime) -> None:
        # The task token stays here, server-side; emails carry our own link token instead.
        self._call(
            "put_item",
            TableName=self.table_name,
            Item=_item(
                {
                    "PK": _wait_pk(employer_id),
                    "SK": f"WAIT#{step}",
                    "task_token": task_token,
                    "since": now.isoformat(),
                    "ttl": self.retention.ttl(RecordKind.WORKFLOW_WAIT, now),
                }
            ),
        )

    def get_wait(self, employer_id: str, step: str) -> str | None:
        found = self._call(
            "get_item",
            TableName=self.table_name,
            Key=_key(_wait_pk(employer_id), f"WAIT#{step}"),
            ConsistentRead=True,
        ).get("Item")
        return _plain(found)["task_token"] if found else None

    def clear_wait(self, employer_id: str, step: str, task_token: str) -> None:
        # A newer wait may have replaced this one; that one is not ours to clear.
        with contextlib.suppress(Conflict):
            self._call(
                "delete_item",
                TableName=self.table_name,
                Key=_key(_wait_pk(employer_id), f"WAIT#{step}"),
                ConditionExpression="task_token = :t",
                ExpressionAttributeValues={":t": {"S": task_token}},
            )
