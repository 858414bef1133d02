"""The emails SES accepted, read from moto's SES backend and parsed from the raw MIME our mailer sends."""

import email
import re
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from typing import Any

from moto.ses.models import ses_backends

from safeplace_local.template import ACCOUNT, REGION

_URL = re.compile(r"https?://[^\s<>\"]+")


@dataclass(frozen=True)
class SentEmail:
    id: str
    to: list[str]
    sender: str
    subject: str
    text: str
    html: str
    links: list[str]
    sent_at: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["from"] = data.pop("sender")
        return data


def _part(message: EmailMessage, kind: str) -> str:
    body = message.get_body(preferencelist=(kind,))
    return str(body.get_content()) if body is not None else ""


class Outbox:
    def __init__(self) -> None:
        self._seen: dict[str, str] = {}
        self._lock = threading.Lock()

    def emails(self, now: datetime) -> list[SentEmail]:
        found = []
        for raw in list(ses_backends[ACCOUNT][REGION].sent_messages):
            with self._lock:
                # moto keeps no send time; the first time the runtime sees a message stands in for it.
                sent_at = self._seen.setdefault(raw.id, now.isoformat())
            if hasattr(raw, "raw_data"):
                message = email.message_from_string(raw.raw_data, policy=policy.default)
                assert isinstance(message, EmailMessage)
                text, html = _part(message, "plain"), _part(message, "html")
                to = [a.strip() for a in str(message["To"] or "").split(",") if a.strip()] or list(raw.destinations)
                subject, sender = str(message["Subject"] or ""), str(message["From"] or raw.source)
            else:
                text, html = raw.body, ""
                to = [a for addresses in raw.destinations.values() for a in addresses]
                subject, sender = raw.subject, raw.source
            found.append(
                SentEmail(
                    id=raw.id,
                    to=to,
                    sender=sender,
                    subject=subject,
                    text=text,
                    html=html,
                    links=_URL.findall(text),
                    sent_at=sent_at,
                )
            )
        return found
