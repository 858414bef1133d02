import pytest
from pydantic import ValidationError

from safeplace.settings import DailySweepSettings


def test_a_function_whose_environment_lacks_a_setting_fails_naming_it():
    # Given an environment the template would never give: no table, no sender
    environment = {"LINK_RETENTION_DAYS": "90", "AUDIT_RETENTION_YEARS": "7", "PATH": "/usr/bin"}

    # When the function reads its settings, Then it refuses, saying which ones are missing
    with pytest.raises(ValidationError) as refused:
        DailySweepSettings.from_environment(environment)
    missing = {error["loc"][0] for error in refused.value.errors() if error["type"] == "missing"}
    assert {"table_name", "sender_email", "compliance_team_email"} <= missing


def test_settings_are_read_from_upper_case_names_and_converted():
    # Given the environment the template gives the daily sweep
    environment = {
        "TABLE_NAME": "safeplace",
        "LINK_RETENTION_DAYS": "90",
        "AUDIT_RETENTION_YEARS": "7",
        "SENDER_EMAIL": "safeguarding@example.org",
        "PUBLIC_BASE_URL": "https://safeplace.example.org/v1",
        "INVITATION_VALID_DAYS": "14",
        "COMPLIANCE_TEAM_EMAIL": "compliance@example.org",
        "DSL_EMAIL": "dsl@example.org",
        "PROVIDER_NAME": "Northern Skills Training",
        "PROVIDER_EMAIL": "partnerships@northern-skills.example",
        "PROVIDER_PHONE": "0113 496 0900",
        "PROVIDER_WEBSITE": "https://www.northern-skills.example",
    }

    # When it reads them, Then each is typed as the code uses it
    settings = DailySweepSettings.from_environment(environment)
    assert settings.table_name == "safeplace"
    assert settings.retention.link_days == 90
    assert str(settings.public_base_url) == "https://safeplace.example.org/v1"
    assert settings.contact.name == "Northern Skills Training" and settings.contact.phone == "0113 496 0900"
