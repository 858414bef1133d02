"""Pages under /_local/: dev sign-in, outbox, clock, schedules. They exist only in the local runtime."""

import json
from html import escape
from typing import Any

from safeplace_local.directory import PoolUser
from safeplace_local.template import Schedule

# The product's own stylesheet (GOV.UK Frontend), served at /assets by the runtime; the few rules it has no class for.
_STYLE = "pre{white-space:pre-wrap}.local-email{width:100%;height:32em;border:1px solid #b1b4b6;background:#fff}"


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en-GB" class="govuk-template govuk-template--rebranded">'
        '<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} - Safeplace (local)</title>"
        f'<link rel="stylesheet" href="/assets/app.css"><style>{_STYLE}</style></head>'
        '<body class="govuk-template__body"><a href="#main-content" class="govuk-skip-link">Skip to main content</a>'
        '<header class="govuk-width-container"><p class="govuk-body govuk-!-margin-top-4">'
        '<a class="govuk-link" href="/_local/">Safeplace local runtime</a> · '
        '<a class="govuk-link" href="/staff">Staff console</a></p></header>'
        '<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">'
        f'<h1 class="govuk-heading-l">{escape(title)}</h1>{body}</main></div></body></html>'
    )


def index(base_url: str, endpoint_url: str) -> str:
    links = [
        ("/staff", "Staff console"),
        ("/_local/sign-in", "Dev sign-in (one user per role)"),
        ("/_local/sign-out", "Dev sign-out"),
        ("/_local/outbox", "Outbox: every email sent"),
        ("/_local/clock", "Simulated clock"),
        ("/_local/schedules", "Schedules"),
        ("/api/openapi.json", "OpenAPI document of the staff API"),
    ]
    items = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in links)
    return page(
        "Local runtime",
        f"<ul>{items}</ul><p>AWS services (moto): <code>{escape(endpoint_url)}</code></p>"
        f"<p>Served at <code>{escape(base_url)}</code>.</p>",
    )


def sign_in(users: list[PoolUser], action: str, hidden: dict[str, str], problem: str = "") -> str:
    fields = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items())
    rows = "".join(
        f"<tr><td>{escape(u.email)}</td><td>{escape(', '.join(u.groups))}</td><td>"
        f'<form method="post" action="{escape(action)}">'
        f'{fields}<input type="hidden" name="user" value="{escape(u.email)}">'
        f'<button type="submit">Sign in as {escape(u.email)}</button></form></td></tr>'
        for u in users
    )
    error = f'<p role="alert"><strong>{escape(problem)}</strong></p>' if problem else ""
    if not users:
        rows = '<tr><td colspan="3">The user pool has no users (run without --no-demo to add one per role).</td></tr>'
    return page(
        "Dev sign-in",
        f"{error}<p>Locally this page stands in for Cognito's hosted sign-in: choose a user and the console signs "
        "you in through the same OAuth flow it uses on AWS. There are no passwords.</p>"
        '<table><thead><tr><th scope="col">User</th>'
        f'<th scope="col">Groups</th><th scope="col">Action</th></tr></thead><tbody>{rows}</tbody></table>',
    )


def sign_out() -> str:
    return page(
        "Dev sign-out",
        "<p>This ends the dev sign-in, which stands in for Cognito's own session and the API's ID token. "
        "The staff console keeps its own session: use its Sign out link to end that.</p>"
        '<form method="post" action="/_local/sign-out"><button type="submit">Sign out</button></form>',
    )


def problem(title: str, message: str) -> str:
    return page(title, f'<p role="alert">{escape(message)}</p>')


def schedules(items: list[Schedule], results: list[dict[str, Any]] | None = None) -> str:
    rows = "".join(
        f"<tr><td>{escape(s.name)}</td><td>{escape(s.expression)} ({escape(s.timezone)})</td>"
        f"<td>{escape(s.function)}</td><td>{'enabled' if s.enabled else 'disabled'}</td></tr>"
        for s in items
    )
    done = ""
    if results is not None:
        done = "<h2>Fired</h2>" + "".join(f"<pre>{escape(json.dumps(r, indent=2))}</pre>" for r in results)
    return page(
        "Schedules",
        '<table><thead><tr><th scope="col">Schedule</th><th scope="col">Expression</th><th scope="col">Function</th>'
        f'<th scope="col">State</th></tr></thead><tbody>{rows}</tbody></table>'
        '<form method="post" action="/_local/schedules/fire">'
        f'<button type="submit">Fire every schedule now</button></form>{done}',
    )
