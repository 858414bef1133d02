"""An employer answering the onboarding link over HTTP, as a browser without JavaScript would.

The demo data answers through it, and so do the tests that drive the local runtime.
"""

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import requests

from safeplace.handbook.models import STATEMENTS

# The smallest file that passes the content check: what a file starts with decides what it is.
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
FILE_SECTIONS = ("spoc_training", "employers_liability_insurance", "health_and_safety_policy", "risk_assessment")


def date_fields(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def section_forms(today: date) -> dict[str, dict[str, str]]:
    """Each section's form as a browser posts it, filled in as a careful employer would."""
    return {
        "organisation": {
            "legal_name": "Hollins Bakery Ltd",
            "companies_house_number": "01234567",
            "address.line1": "1 Mill Lane",
            "address.town": "Leeds",
            "address.postcode": "LS1 4AB",
            "sector": "Food",
            "employees": "12",
            "main_contact.name": "Kim Hollins",
            "main_contact.email": "kim@hollins.example",
            "main_contact.phone": "0113 496 0000",
            "site_count": "1",
            "sites.0.name": "Mill Lane bakery",
            "sites.0.address.line1": "1 Mill Lane",
            "sites.0.address.town": "Leeds",
            "sites.0.address.postcode": "LS1 4AB",
        },
        "spoc": {
            "spoc.name": "Kim Hollins",
            "spoc.role": "Owner",
            "spoc.email": "kim.hollins@hollins.example",
            "spoc.phone": "0113 496 0000",
            "commitment": "yes",
        },
        "spoc_training": {
            "course": "home-office-prevent",
            "training_provider": "GOV.UK",
            **date_fields("completed_on", today - timedelta(days=90)),
            "level": "awareness",
        },
        "employers_liability_insurance": {
            "insurer": "Northern Mutual",
            "policy_number": "EL-99812",
            "cover_gbp": "10000000",
            **date_fields("expires_on", today + timedelta(days=300)),
        },
        "health_and_safety_policy": date_fields("reviewed_on", today - timedelta(days=60)),
        "risk_assessment": {**date_fields("assessed_on", today - timedelta(days=30)), "low_risk": "no"},
        "young_persons_risk_assessment": {
            "takes_under_18": "yes",
            **date_fields("assessed_on", today - timedelta(days=30)),
            "measures": "No slicer or oven work; always supervised; finishes by 6pm",
        },
        "safeguarding_arrangements": {
            "concern_contact_name": "Kim Hollins",
            "concern_contact_role": "Owner",
            "how_learners_raise_concerns": "Told at induction; name and number on the staff room board",
            "how_you_tell_the_provider": "Phone the provider's DSL the same day, then email",
        },
        "minimum_safeguarding_requirements": {"version": "2026-11", "accepted_by": "Kim Hollins", "accepted": "yes"},
    }


def upload_form(page: str) -> tuple[str, dict[str, str]]:
    """The S3 upload form on a section's file page: where it posts and its signed fields."""
    found = re.search(
        r'<form method="post" action="([^"]+)" enctype="multipart/form-data"[^>]*>(.*?)</form>', page, re.S
    )
    if not found:
        raise RuntimeError("the page has no upload form")
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', found.group(2)))
    return unescape(found.group(1)), {k: unescape(v) for k, v in fields.items()}


class EmployerAtTheLink:
    def __init__(self, link: str, today: date, http: requests.Session | None = None) -> None:
        self.link = link.rstrip("/")
        self.forms = section_forms(today)
        self.http = http or requests.Session()

    def open(self) -> requests.Response:
        return self.http.get(self.link, timeout=10)

    def upload(self, section: str, content: bytes = PDF, filename: str = "evidence.pdf") -> requests.Response:
        """Choose a file and press Upload: the browser posts straight to S3, which sends it back to us."""
        page = self.http.get(f"{self.link}/section/{section}/file", timeout=10)
        page.raise_for_status()
        url, fields = upload_form(page.text)
        return self.http.post(url, data=fields, files={"file": (filename, content)}, timeout=10)

    def save(self, section: str, **changes: str) -> requests.Response:
        return self.http.post(f"{self.link}/section/{section}", data={**self.forms[section], **changes}, timeout=10)

    def editable(self) -> list[str]:
        """The sections the task list offers to fill in (approved ones are not links)."""
        return re.findall(r'href="[^"]*/section/([a-z_]+)"', self.open().text)

    def complete(self, sections: Any = None, changes: dict[str, dict[str, str]] | None = None) -> None:
        for section in sections or self.editable():
            if section in FILE_SECTIONS:
                self.upload(section).raise_for_status()
            saved = self.save(section, **(changes or {}).get(section, {}))
            if saved.status_code != 200 or "saved" not in saved.text:
                raise RuntimeError(f"{section} was not saved ({saved.status_code}): {saved.text}")

    def send(self) -> requests.Response:
        return self.http.post(f"{self.link}/send", timeout=10)


def sign_the_handbook(link: str, name: str, http: requests.Session | None = None) -> requests.Response:
    """The SPOC confirms every statement on a handbook link's page and signs with their name."""
    form = {f"statement-{i}": "yes" for i in range(len(STATEMENTS))} | {"typed_name": name}
    return (http or requests.Session()).post(link, data=form, timeout=30)
