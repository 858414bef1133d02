"""The outbox page: every email sent, newest first, as its recipient would see it, with its links named."""

from datetime import datetime
from html import escape
from typing import Any

from safeplace.core.times import london_datetime
from safeplace_local.local_pages import button, page

# The emails' own HTML is shown in a sandboxed frame, so nothing in it runs, and the page allows no script at all.
# The frame inherits this policy: an email's inline styles (as email clients need them) stay allowed.
POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def outbox(emails: list[dict[str, Any]], to: str = "") -> str:
    search = (
        '<form method="get" action="/_local/outbox"><div class="govuk-form-group">'
        '<label class="govuk-label" for="to">Only emails to</label>'
        f'<input class="govuk-input govuk-!-width-one-half" id="to" name="to" type="email" value="{escape(to)}"> '
        f"{button('Show', secondary=True)}</div></form>"
    )
    if not emails:
        return page("Outbox", f'{search}<p class="govuk-body">No emails have been sent yet.</p>')
    items = "".join(_email(m) for m in reversed(emails))
    return page(
        "Outbox",
        f'<p class="govuk-body">Every email the runtime has sent, newest first, as its recipient sees it. '
        f'Scripts can read them <a class="govuk-link" href="/_local/outbox.json">as JSON</a>.</p>{search}{items}',
    )


def _email(m: dict[str, Any]) -> str:
    sent = london_datetime(datetime.fromisoformat(m["sent_at"]))
    rows = "".join(
        f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{key}</dt>'
        f'<dd class="govuk-summary-list__value">{escape(value)}</dd></div>'
        for key, value in (("To", ", ".join(m["to"])), ("From", m["from"]), ("Sent", sent))
    )
    links = "".join(
        f'<li><a class="govuk-link" href="{escape(link["url"])}">{escape(link["label"])}</a>'
        f'<br><span class="govuk-hint govuk-!-font-size-16">{escape(link["url"])}</span></li>'
        for link in m["labelled_links"]
    )
    listed = f'<h3 class="govuk-heading-s">Links in this email</h3><ul class="govuk-list">{links}</ul>' if links else ""
    shown = (
        f'<iframe class="local-email" sandbox="" title="The email: {escape(m["subject"])}" '
        f'srcdoc="{escape(m["html"], quote=True)}"></iframe>'
        if m["html"]
        else f'<pre class="govuk-body">{escape(m["text"])}</pre>'
    )
    text = (
        '<details class="govuk-details"><summary class="govuk-details__summary">'
        '<span class="govuk-details__summary-text">Plain text version</span></summary>'
        f'<div class="govuk-details__text"><pre>{escape(m["text"])}</pre></div></details>'
        if m["html"] and m["text"]
        else ""
    )
    return (
        f'<article class="govuk-!-margin-bottom-9"><h2 class="govuk-heading-m">{escape(m["subject"])}</h2>'
        f'<dl class="govuk-summary-list">{rows}</dl>{listed}{shown}{text}</article>'
    )
