"""The emails SES accepted, read from moto's SES backend (in this process) and parsed from their MIME."""

import email
import re
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses
from html.parser import HTMLParser
from typing import Any

from moto.ses.models import ses_backends

from safeplace_local.template import ACCOUNT, REGION

_URL = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass(frozen=True)
class SentEmail:
    id: str
    to: list[str]
    sender: str
    subject: str
    text: str
    html: str
    links: list[str]
    # Each link with what the email calls it: the text of its anchor in the HTML part, or the address itself.
    labelled_links: list[dict[str, str]]
    sent_at: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["from"] = data.pop("sender")
        return data


class _Anchors(HTMLParser):
    """The text of each <a href> in an HTML part, by its address: the first anchor with text names it."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: dict[str, str] = {}
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self._open = (href, [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            href, words = self._open
            label = " ".join("".join(words).split())
            if label and href not in self.labels:
                self.labels[href] = label
            self._open = None


def _labelled(links: list[str], html: str) -> list[dict[str, str]]:
    anchors = _Anchors()
    anchors.feed(html)
    named = links + [href for href in anchors.labels if _URL.fullmatch(href)]
    return [{"label": anchors.labels.get(link, link), "url": link} for link in dict.fromkeys(named)]


def _part(message: EmailMessage, kind: str) -> str:
    body = message.get_body(preferencelist=(kind,))
    return str(body.get_content()) if body is not None else ""


def _parse(sent: Any, sent_at: str) -> SentEmail:
    if hasattr(sent, "raw_data"):  # SES v2 Raw content, as our mailer sends
        message = email.message_from_string(sent.raw_data, policy=policy.default)
        assert isinstance(message, EmailMessage)
        text, html = _part(message, "plain"), _part(message, "html")
        to = [address for _, address in getaddresses([str(message["To"] or "")]) if address] or list(sent.destinations)
        # A long subject is folded onto a second line; unfolded, it must not start with the fold's space.
        subject, sender = str(message["Subject"] or "").strip(), str(message["From"] or sent.source)
    else:  # Simple content
        text, html = getattr(sent, "body", ""), ""
        to = list(getattr(sent, "destinations", {}).get("ToAddresses", []))
        subject, sender = getattr(sent, "subject", ""), sent.source
    links = [link.rstrip(".,;:!?") for link in _URL.findall(text)]  # a sentence's full stop is not the link's
    return SentEmail(sent.id, to, sender, subject, text, html, links, _labelled(links, html), sent_at)


class Outbox:
    def __init__(self) -> None:
        self._seen: dict[str, SentEmail] = {}
        self._lock = threading.Lock()

    def note(self, now: datetime) -> None:
        """Give each message not seen before its send time: moto keeps none, so the first sighting stands in."""
        for sent in list(ses_backends[ACCOUNT][REGION].sent_messages):
            with self._lock:
                if sent.id not in self._seen:
                    self._seen[sent.id] = _parse(sent, now.isoformat())

    def emails(self, now: datetime, to: str | None = None) -> list[SentEmail]:
        """Every email sent, oldest first; only those to `to` if given."""
        self.note(now)
        with self._lock:
            found = list(self._seen.values())
        return [m for m in found if to is None or to in m.to]
