"""Staff invite an employer and review its checks; staff or the employer name a new SPOC."""

from safeplace.onboarding.models import CheckReview, CheckRevocation, ContactCorrection, Invitation, Spoc
from safeplace.web.forms.fields import ChoiceField, EmailField, Field, TextField
from safeplace.web.forms.form import Form


class InviteEmployerForm(Form[Invitation]):
    model = Invitation
    fields = (
        TextField("employer_name", "Employer name", "the employer's name"),
        TextField("contact_name", "Contact's full name", "the contact's full name"),
        EmailField(
            "contact_email", "Contact's email address", "the contact's email address",
            hint="The invitation goes to this address",
        ),
    )  # fmt: skip


class CorrectContactForm(Form[ContactCorrection]):
    model = ContactCorrection
    fields = InviteEmployerForm.fields[1:]


class ReviewCheckForm(Form[CheckReview]):
    """On each check's own page: the key is the check, as in decision-spoc and reason-spoc."""

    model = CheckReview
    fields = (
        ChoiceField(
            "decision", "Your decision", "whether you approve or reject this check",
            id="decision-{key}", options=("approve", "reject"),
        ),
        TextField(
            "reason", "Reason (the employer reads this if you reject)", "the reason",
            id="reason-{key}", required=False, max_length=1000,
        ),
    )  # fmt: skip
    problems_go_to = (("Say what the employer needs to put right", "reason"),)


class RevokeCheckForm(Form[CheckRevocation]):
    """One per approved check on the employer's page: the key is the check, as in revoke-spoc."""

    model = CheckRevocation
    fields = (
        TextField(
            "reason", "Why are you revoking it? The DSL reads this.", "the reason",
            id="revoke-{key}", max_length=1000,
            required_message="Say why you are revoking this check: the DSL reads this reason",
        ),
    )  # fmt: skip


def spoc_fields(whose: str, *, posted_as: str, within: tuple[str, ...] = ()) -> tuple[Field, ...]:
    """A SPOC's name, job title, email address and phone number. `posted_as` is the names' pattern, like
    "spoc-{}"; `within` is where the Spoc sits in the model."""
    return (
        TextField(posted_as.format("name"), "Full name", f"{whose} full name", path=(*within, "name")),
        TextField(posted_as.format("role"), "Job title", f"{whose} job title", path=(*within, "role")),
        EmailField(
            posted_as.format("email"), "Email address", f"{whose} email address", path=(*within, "email"),
            hint="Their own address, not a shared mailbox: we send the SPOC links of their own",
        ),
        TextField(posted_as.format("phone"), "Phone number", f"{whose} phone number", path=(*within, "phone")),
    )  # fmt: skip


class NewSpocForm(Form[Spoc]):
    """Naming a new SPOC: staff on the employer's page, and the employer through their link."""

    model = Spoc
    fields = spoc_fields("the new SPOC's", posted_as="spoc-{}")
