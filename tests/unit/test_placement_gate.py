from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeplace.onboarding.check_policy import POLICY, Requirement
from safeplace.placements.gate import EmployerStanding, PassedCheck, age_on, decide

START = date(2027, 9, 6)
APPROVED = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
ADULT = date(1990, 5, 17)
SIXTEEN = date(2011, 9, 6)  # sixteen on the start date


def every_check(**overrides: PassedCheck | None) -> list[PassedCheck]:
    checks = {r: PassedCheck(requirement=r, approved_at=APPROVED) for r in Requirement}
    for name, check in overrides.items():
        if check is None:
            del checks[Requirement(name)]
        else:
            checks[Requirement(name)] = check
    return list(checks.values())


def standing(employees: int = 12, low_risk: bool = False, **overrides: PassedCheck | None) -> EmployerStanding:
    return EmployerStanding(employees=employees, low_risk=low_risk, passed=every_check(**overrides))


def test_an_employer_with_every_check_may_take_a_learner():
    decision = decide(standing(), SIXTEEN, START)
    assert decision.allowed
    assert decision.learner_16_to_18
    assert decision.policy_version == POLICY.version


def test_a_missing_check_blocks_and_says_what_is_missing_in_plain_words():
    decision = decide(standing(safeguarding_arrangements=None), ADULT, START)
    assert not decision.allowed
    assert decision.unmet == ["Not yet approved: the employer's safeguarding arrangements"]


def test_from_policy_2026_12_the_spocs_training_is_required():
    decision = decide(standing(spoc_training=None), ADULT, START)
    assert decision.unmet == ["Not yet approved: the SPOC's safeguarding and Prevent training"]
    assert decision.policy_version == "2027-01"


def test_the_young_persons_risk_assessment_is_only_for_learners_aged_16_to_18():
    without = standing(young_persons_risk_assessment=None)
    assert decide(without, ADULT, START).allowed
    assert decide(without, SIXTEEN, START).unmet == [
        "Not yet approved: a risk assessment for young persons (the learner is 16 to 18)"
    ]


@pytest.mark.parametrize(
    ("born", "young"),
    [
        (date(2008, 9, 7), True),  # 18, turning 19 the day after the start
        (date(2008, 9, 6), False),  # 19 on the start date
        (date(2011, 9, 6), True),  # 16 on the start date
        (date(2011, 9, 7), False),  # still 15 on the start date
    ],
)
def test_the_age_band_is_taken_on_the_start_date(born, young):
    assert decide(standing(), born, START).learner_16_to_18 is young


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2020, 12, 31)))
def test_age_on_a_birthday_is_whole_years(born):
    assert age_on(born, born) == 0
    if not (born.month == 2 and born.day == 29):
        assert age_on(born, born.replace(year=born.year + 17)) == 17
    assert age_on(born, born + timedelta(days=1)) == 0


def test_a_written_health_and_safety_policy_is_needed_from_five_employees():
    without = dict(health_and_safety_policy=None)
    assert decide(standing(employees=4, **without), ADULT, START).allowed
    assert decide(standing(employees=5, **without), ADULT, START).unmet == [
        "Not yet approved: a written health and safety policy"
    ]


def test_a_check_that_expires_before_the_start_date_blocks():
    insurance = PassedCheck(
        requirement=Requirement.EMPLOYERS_LIABILITY_INSURANCE, approved_at=APPROVED, valid_until=START
    )
    assert decide(standing(employers_liability_insurance=insurance), ADULT, START).allowed
    lapsing = insurance.model_copy(update={"valid_until": START - timedelta(days=1)})
    assert decide(standing(employers_liability_insurance=lapsing), ADULT, START).unmet == [
        "Expires before the start date: employer's liability insurance"
    ]


def test_a_risk_assessment_holds_for_a_year_from_the_day_it_was_done():
    assert POLICY.valid_until(Requirement.RISK_ASSESSMENT, date(2026, 9, 5), None) == date(2027, 9, 5)
    # Evidence with an end of its own holds until the earlier of the two
    assert POLICY.valid_until(Requirement.RISK_ASSESSMENT, date(2026, 9, 5), date(2027, 1, 1)) == date(2027, 1, 1)
    assert POLICY.valid_until(Requirement.EMPLOYERS_LIABILITY_INSURANCE, date(2020, 1, 1), None) is None


def test_a_risk_assessment_older_than_a_year_on_the_start_date_blocks():
    done = date(2026, 9, 5)
    old = PassedCheck(
        requirement=Requirement.RISK_ASSESSMENT,
        approved_at=APPROVED,
        valid_until=POLICY.valid_until(Requirement.RISK_ASSESSMENT, done, None),
    )
    assert decide(standing(risk_assessment=old), ADULT, START).unmet == [
        "Expires before the start date: a risk assessment of the workplace"
    ]


def test_attesting_instead_of_evidencing_is_enough_only_where_the_policy_allows_for_low_risk_workplaces():
    attested = PassedCheck(requirement=Requirement.RISK_ASSESSMENT, approved_at=APPROVED, attested=True)
    assert decide(standing(low_risk=True, risk_assessment=attested), ADULT, START).allowed
    assert decide(standing(low_risk=False, risk_assessment=attested), ADULT, START).unmet == [
        "Evidence needed, not only the employer's word: a risk assessment of the workplace"
    ]
    attested_insurance = PassedCheck(
        requirement=Requirement.EMPLOYERS_LIABILITY_INSURANCE, approved_at=APPROVED, attested=True
    )
    assert not decide(standing(low_risk=True, employers_liability_insurance=attested_insurance), ADULT, START).allowed
