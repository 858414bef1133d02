"""Who the provider is to the people Safeplace writes to, from the template's parameters.

Employers, SPOCs and speakers meet Safeplace through emailed links: each page and email names the provider and
says how to reach them by a route that does not depend on the email, so a recipient can check it is genuine.
"""

from pydantic import ConfigDict, EmailStr, Field, HttpUrl

from safeplace.core.model import Model


class ProviderContact(Model):
    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    email: EmailStr
    phone: str = Field(min_length=1)
    website: HttpUrl
