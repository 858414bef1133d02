"""HTML responses with the security headers every page carries, redirects, and the fields of a posted body."""

from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import Response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    # Pages show personal data or sit behind capability links: nothing is kept in caches.
    "Cache-Control": "no-store",
}


def html(body: str, status: int = 200, *, also_post_to: str = "") -> Response:
    """A page; `also_post_to` is one more origin its forms may post to (S3, for an upload)."""
    headers = dict(SECURITY_HEADERS)
    if also_post_to:
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {also_post_to}"
        )
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body, headers=headers)


# A stored document (the handbook) is served exactly as stored: its own inline styles, and nothing that runs.
DOCUMENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
)


def document(body: bytes, filename: str, *, download: bool) -> Response:
    """A stored HTML document, byte for byte, to read in the browser or to save."""
    headers = {
        **SECURITY_HEADERS,
        "Content-Security-Policy": DOCUMENT_POLICY,
        "Content-Disposition": f'{"attachment" if download else "inline"}; filename="{filename}"',
    }
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=body.decode(), headers=headers)


def redirect(location: str) -> Response:
    return Response(status_code=303, body="", headers={**SECURITY_HEADERS, "Location": location})


def flat_fields(body: str | None) -> dict[str, str]:
    """A urlencoded body's fields, the last value of each: what the pages' forms do not read (the CSRF token, a
    button's action)."""
    return {name: values[-1] for name, values in parse_qs(body or "", keep_blank_values=True).items()}


def safe_next(path: str | None, *, default: str) -> str:
    """A path to return to after signing in: only ever one on this site."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return default
    return path
