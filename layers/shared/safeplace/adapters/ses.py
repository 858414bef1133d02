"""Sends rendered emails with SES v2 as one MIME message with text and HTML alternatives."""

from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import ClientError

from safeplace.core.errors import EmailNotSent, TemporaryFailure
from safeplace.core.notifications import Email

_TEMPORARY = {"TooManyRequestsException", "LimitExceededException", "InternalFailure", "ServiceUnavailable"}


class Mailer:
    """`name` is who the recipient sees the email from: the provider, not a bare address."""

    def __init__(self, sender: str, name: str = "", client: Any = None) -> None:
        self.sender = sender
        self.name = name
        self._client = client

    @cached_property
    def client(self) -> Any:
        return self._client or boto3.client("sesv2")

    def send(self, email: Email) -> str:
        message = EmailMessage()
        message["From"] = formataddr((self.name, self.sender)) if self.name else self.sender
        message["To"] = str(email.to)
        message["Subject"] = email.subject
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(email.text)
        message.add_alternative(email.html, subtype="html")
        try:
            response = self.client.send_email(
                FromEmailAddress=self.sender,
                Destination={"ToAddresses": [str(email.to)]},
                Content={"Raw": {"Data": message.as_bytes()}},
            )
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in _TEMPORARY:
                raise TemporaryFailure(f"SES is busy ({code}); try again") from error
            raise EmailNotSent(f"SES refused the email ({code})") from error
        return str(response["MessageId"])
