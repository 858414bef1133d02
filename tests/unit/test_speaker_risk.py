"""The risk rating a booking's flags add up to, who may decide it, and what a decision must say."""

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from safeplace.speakers.checks import run_checks
from safeplace.speakers.models import (
    Approval,
    BookingDecision,
    CheckName,
    CheckResult,
    Condition,
    Decline,
    Flag,
    InformationRequest,
    Outcome,
)
from safeplace.speakers.risk import POLICY, RiskLevel, SpeakerPolicy, may_decide, rate, refusal, route
from safeplace.staff.models import Role, StaffUser
from tests.support.builders import REQUESTED, a_request

MEDIUM = sorted(POLICY.medium)
HIGH = sorted(POLICY.high)


def found(*flags: Flag) -> list[CheckResult]:
    """One flagged check per flag, as the checks would report them."""
    return [
        CheckResult(name=CheckName.COMPLETENESS, outcome=Outcome.FLAGGED, flags=(flag,), message="found")
        for flag in flags
    ]


def someone(*roles: Role, email: str = "rita.reviewer@example.org") -> StaffUser:
    return StaffUser(username=email, email=email, roles=frozenset(roles))


# The policy


def test_the_policy_needs_ten_working_days_and_weighs_every_flag():
    assert POLICY.minimum_lead_working_days == 10
    assert POLICY.high == {Flag.DECLINED_BEFORE, Flag.CONCERNS_RAISED}
    assert POLICY.high | POLICY.medium == set(Flag)


def test_a_policy_that_leaves_a_flag_unweighed_is_refused():
    with pytest.raises(ValidationError, match="Say whether these flags are medium or high: late"):
        SpeakerPolicy(
            version="test",
            minimum_lead_working_days=10,
            recent_approval_days=365,
            high=POLICY.high,
            medium=POLICY.medium - {Flag.LATE},
        )


def test_a_policy_that_weighs_a_flag_twice_is_refused():
    with pytest.raises(ValidationError, match="either medium or high, not both"):
        POLICY.model_validate({**POLICY.model_dump(), "high": POLICY.high | {Flag.LATE}})


# The rating


def test_a_booking_with_no_flags_is_low_risk():
    rating = rate(run_checks(a_request(), REQUESTED, []))

    assert rating.level is RiskLevel.LOW
    assert rating.reasons == ("Low: no check raised a flag",)
    assert rating.flags == ()
    assert rating.policy_version == POLICY.version


@pytest.mark.parametrize("flag", MEDIUM)
def test_each_medium_flag_alone_makes_a_booking_medium_risk(flag):
    rating = rate(found(flag))

    assert rating.level is RiskLevel.MEDIUM
    assert rating.reasons == (f"Medium: {flag.label}",)


@pytest.mark.parametrize("flag", HIGH)
def test_a_speaker_declined_before_or_with_concerns_after_an_event_is_high_risk(flag):
    rating = rate(found(flag))

    assert rating.level is RiskLevel.HIGH
    assert rating.reasons == (f"High: {flag.label}",)


def test_two_medium_flags_stay_medium():
    assert rate(found(Flag.LATE, Flag.NO_MATERIALS)).level is RiskLevel.MEDIUM


def test_three_medium_flags_together_are_high_risk_and_say_so():
    rating = rate(found(Flag.UNDER_18_AUDIENCE, Flag.ONLINE_OR_STREAMED, Flag.NO_MATERIALS))

    assert rating.level is RiskLevel.HIGH
    assert rating.reasons == (
        "Medium: learners under 18 attend",
        "Medium: the session reaches people beyond the room",
        "Medium: there are no materials to see in advance",
        "High: 3 medium-risk flags together (the policy rates 3 or more as high)",
    )


def test_a_high_flag_lists_the_medium_flags_with_it():
    rating = rate(found(Flag.LATE, Flag.CONCERNS_RAISED))

    assert rating.level is RiskLevel.HIGH
    assert rating.reasons == ("High: concerns were raised after an earlier event", "Medium: " + Flag.LATE.label)


def test_the_same_flag_from_two_checks_counts_once():
    rating = rate(found(Flag.LATE, Flag.LATE, Flag.NO_MATERIALS))

    assert rating.level is RiskLevel.MEDIUM
    assert rating.flags == (Flag.LATE, Flag.NO_MATERIALS)


def test_a_policy_without_a_combination_rule_never_adds_medium_flags_up():
    lenient = POLICY.model_copy(update={"medium_flags_for_high": None})

    assert rate(found(*MEDIUM), lenient).level is RiskLevel.MEDIUM


def test_a_late_request_for_under_18s_with_nothing_to_see_is_rated_from_the_checks_themselves():
    request = a_request(
        event={"on": date(2027, 6, 8)},
        audience={"age_range": {"youngest": 16, "oldest": 17}, "under_18": True},
        materials=None,
    )

    rating = rate(run_checks(request, REQUESTED, []))

    assert rating.flags == (Flag.LATE, Flag.UNDER_18_AUDIENCE, Flag.NO_MATERIALS)
    assert rating.level is RiskLevel.HIGH


@given(st.lists(st.sampled_from(list(Flag)), max_size=10))
def test_the_rating_follows_the_policy_and_another_flag_never_lowers_it(flags):
    order = list(RiskLevel)
    distinct = set(flags)
    mediums = len(distinct & POLICY.medium)

    level = rate(found(*flags)).level

    if distinct & POLICY.high or mediums >= 3:
        assert level is RiskLevel.HIGH
    elif mediums:
        assert level is RiskLevel.MEDIUM
    else:
        assert level is RiskLevel.LOW
    for extra in Flag:
        assert order.index(rate(found(*flags, extra)).level) >= order.index(level)


# Who decides


def test_a_low_risk_booking_is_fast_tracked_to_any_reviewer():
    low = route(rate([]))

    assert low.approver_role is Role.REVIEWER
    assert low.reason == "Low risk: any reviewer or the DSL may decide, other than the person who asked"


@pytest.mark.parametrize(("flags", "label"), [((Flag.LATE,), "Medium risk"), ((Flag.DECLINED_BEFORE,), "High risk")])
def test_a_medium_or_high_risk_booking_goes_to_the_dsl(flags, label):
    to_dsl = route(rate(found(*flags)))

    assert to_dsl.approver_role is Role.DSL
    assert to_dsl.reason == f"{label}, so the DSL decides"


def test_a_reviewer_or_the_dsl_may_decide_a_low_risk_booking_but_not_staff_or_admins():
    request, low = a_request(), route(rate([]))

    assert may_decide(someone(Role.REVIEWER), request, low)
    assert may_decide(someone(Role.DSL), request, low)
    assert not may_decide(someone(Role.STAFF), request, low)
    assert not may_decide(someone(Role.ADMIN), request, low)
    assert refusal(someone(Role.STAFF), request, low) == (
        "You cannot decide this booking. Low risk: any reviewer or the DSL may decide, other than the person who asked."
    )


def test_only_the_dsl_may_decide_a_medium_risk_booking():
    request, medium = a_request(), route(rate(found(Flag.LATE)))

    assert may_decide(someone(Role.DSL), request, medium)
    assert not may_decide(someone(Role.REVIEWER, Role.ADMIN), request, medium)
    assert refusal(someone(Role.REVIEWER), request, medium) == (
        "You cannot decide this booking. Medium risk, so the DSL decides."
    )


@pytest.mark.parametrize("flags", [(), (Flag.LATE,), (Flag.DECLINED_BEFORE,)])
def test_nobody_decides_a_booking_they_asked_for_whatever_their_roles(flags):
    request = a_request(requested_by="Dee.DSL@example.org")
    booking_route = route(rate(found(*flags)))
    requester = someone(Role.REVIEWER, Role.DSL, Role.ADMIN, email="dee.dsl@example.org")

    assert not may_decide(requester, request, booking_route)
    assert refusal(requester, request, booking_route) == "You asked for this booking, so a colleague must decide it."


# Decisions


decision: TypeAdapter[Any] = TypeAdapter(BookingDecision)


def test_an_approval_may_carry_conditions_from_the_list_and_in_free_text():
    approval = decision.validate_python(
        {"decision": "approve", "conditions": ["opposing_view", "staff_chair"], "other_conditions": " No filming. "}
    )

    assert isinstance(approval, Approval)
    assert approval.conditions == {Condition.STAFF_CHAIR, Condition.OPPOSING_VIEW}
    assert approval.condition_labels == [
        "A member of staff chairs the session",
        "An opposing view is offered",
        "No filming.",
    ]


def test_an_approval_without_conditions_is_allowed():
    assert decision.validate_python({"decision": "approve"}).condition_labels == []


def test_a_condition_off_the_list_is_refused():
    with pytest.raises(ValidationError, match="conditions"):
        decision.validate_python({"decision": "approve", "conditions": ["speaker_searched"]})


@pytest.mark.parametrize("given_reason", [{}, {"reason": "   "}])
def test_a_decline_needs_a_reason(given_reason):
    with pytest.raises(ValidationError, match="Say why the booking is declined"):
        decision.validate_python({"decision": "decline", **given_reason})


def test_a_decline_with_a_reason_keeps_it():
    declined = decision.validate_python({"decision": "decline", "reason": " Shares extremist material online. "})

    assert declined == Decline(reason="Shares extremist material online.")


@pytest.mark.parametrize("given_question", [{}, {"question": ""}])
def test_asking_for_more_information_needs_a_question(given_question):
    with pytest.raises(ValidationError, match="Enter the question the requester needs to answer"):
        decision.validate_python({"decision": "ask", **given_question})


def test_asking_for_more_information_keeps_the_question():
    asked = decision.validate_python({"decision": "ask", "question": "Which cohort attends?"})

    assert asked == InformationRequest(question="Which cohort attends?")


def test_an_unknown_decision_is_refused():
    with pytest.raises(ValidationError, match="approve"):
        decision.validate_python({"decision": "defer"})
