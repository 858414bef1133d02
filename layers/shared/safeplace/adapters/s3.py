"""Evidence files in S3. The adapter owns boto3; browsers upload straight to S3 with a presigned POST."""

from functools import cached_property
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from safeplace.core.errors import NotFound, TemporaryFailure
from safeplace.core.ports import StoredObject, UploadForm

_TEMPORARY = {"SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout"}


class EvidenceFiles:
    def __init__(self, bucket: str, client: Any = None) -> None:
        self.bucket = bucket
        self._client = client

    @cached_property
    def client(self) -> Any:
        # SigV4 everywhere: KMS-encrypted objects cannot be fetched with older signatures.
        return self._client or boto3.client("s3", config=Config(signature_version="s3v4"))

    def _call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in _TEMPORARY:
                raise TemporaryFailure(f"S3 is busy ({code}); try again") from error
            if code in ("NoSuchKey", "404", "NotFound"):
                raise NotFound("The file was not found") from error
            raise

    def upload_form(self, key: str, *, redirect_to: str, max_bytes: int, expires_in: int) -> UploadForm:
        """A form for exactly one key, with S3 enforcing the size; what the file contains is checked after."""
        post = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"success_action_redirect": redirect_to},
            Conditions=[
                {"success_action_redirect": redirect_to},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires_in,
        )
        return UploadForm(url=post["url"], fields=post["fields"])

    def inspect(self, key: str, head_bytes: int = 16) -> StoredObject:
        size = int(self._call("head_object", Bucket=self.bucket, Key=key)["ContentLength"])
        if size == 0:
            # S3 refuses a range of an empty object (InvalidRange): there is nothing to read.
            return StoredObject(size=0, head=b"")
        body = self._call("get_object", Bucket=self.bucket, Key=key, Range=f"bytes=0-{head_bytes - 1}")["Body"]
        return StoredObject(size=size, head=body.read())

    def put_document(self, key: str, body: bytes, *, content_type: str) -> None:
        self._call("put_object", Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)

    def read(self, key: str) -> bytes:
        content: bytes = self._call("get_object", Bucket=self.bucket, Key=key)["Body"].read()
        return content

    def delete(self, key: str) -> None:
        self._call("delete_object", Bucket=self.bucket, Key=key)

    def download_url(self, key: str, *, content_type: str, filename: str, expires_in: int) -> str:
        return str(
            self.client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": key,
                    "ResponseContentType": content_type,
                    # Saved, never shown in the browser: a file that is also a page (a PDF that is HTML) runs nowhere.
                    "ResponseContentDisposition": f'attachment; filename="{filename}"',
                },
                ExpiresIn=expires_in,
            )
        )
