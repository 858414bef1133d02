"""The local runtime reads a SAM template as CloudFormation would: intrinsics, conditions, Globals, names."""

import json
from pathlib import Path

import pytest

from safeplace_local.api_gateway import match_route
from safeplace_local.template import TemplateError, load

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE = FIXTURES / "template.yaml"


@pytest.fixture(scope="module")
def template():
    return load(TEMPLATE, {"PublicBaseUrl": "http://127.0.0.1:9999"})


def test_globals_merge_with_the_functions_own_environment_and_the_function_wins(template):
    echo = template.functions["EchoFunction"].environment
    assert echo["FIXTURE_SHARED"] == "from-globals"
    assert echo["FIXTURE_OVERRIDDEN"] == "from-function"
    assert template.functions["fixture-slow"].environment == {
        "FIXTURE_TABLE": "safeplace-Table",
        "FIXTURE_SHARED": "from-globals",
        "FIXTURE_OVERRIDDEN": "from-globals",
    }


def test_globals_give_settings_a_function_may_replace(template):
    echo, slow = template.functions["EchoFunction"], template.functions["fixture-slow"]
    assert (echo.timeout, echo.memory_size, echo.runtime) == (10.0, 256, "python3.13")
    assert (slow.timeout, slow.memory_size) == (1.0, 128)
    assert echo.code_dir == slow.code_dir == FIXTURES / "functions" / "echo"
    assert slow.arn == "arn:aws:lambda:eu-west-2:123456789012:function:fixture-slow"


def test_ref_and_getatt_give_what_cloudformation_gives(template):
    echo = template.functions["EchoFunction"].environment
    assert echo["FIXTURE_TABLE"] == "safeplace-Table"  # a table's name
    assert echo["FIXTURE_BUCKET"] == "safeplace-bucket"  # a bucket's name, in lower case
    assert echo["FIXTURE_SLOW_NAME"] == "fixture-slow"  # a function's FunctionName
    assert echo["FIXTURE_SLOW_ARN"] == "arn:aws:lambda:eu-west-2:123456789012:function:fixture-slow"
    assert echo["FIXTURE_GREETING"] == "hello"  # a parameter's Default
    assert echo["FIXTURE_ATTEMPTS"] == "2"  # a Number parameter is a string too
    assert echo["FIXTURE_BASE_URL"] == "http://127.0.0.1:9999"  # an override
    broken = template.functions["BrokenFunction"].environment
    assert broken["FIXTURE_MACHINE_REF"] == "arn:aws:states:eu-west-2:123456789012:stateMachine:fixture-calling"
    assert broken["FIXTURE_MACHINE_NAME"] == "fixture-calling"


def test_sub_join_select_split_if_and_no_value(template):
    echo = template.functions["EchoFunction"].environment
    assert echo["FIXTURE_SUB"] == (
        "eu-west-2|123456789012|safeplace|hello|safeplace-Table"
        "|arn:aws:dynamodb:eu-west-2:123456789012:table/safeplace-Table|${Literal}"
    )
    assert echo["FIXTURE_SUB_VARIABLES"] == "hello@example.org"
    assert echo["FIXTURE_JOINED"] == "a-y-p"
    assert echo["FIXTURE_CHOSEN"] == "local-value"
    assert "FIXTURE_ONLY_ON_AWS" not in echo  # !Ref AWS::NoValue removes the variable
    assert echo["FIXTURE_FLAG"] == "true"  # YAML's true, as CloudFormation passes it on


def test_conditions_follow_the_parameters():
    on_aws = load(TEMPLATE, {"Mode": "aws"})
    echo = on_aws.functions["EchoFunction"].environment
    assert (echo["FIXTURE_CHOSEN"], echo["FIXTURE_ONLY_ON_AWS"]) == ("aws-value", "present")
    assert {b.name for b in on_aws.buckets} == {"safeplace-bucket", "safeplace-onlyonawsbucket"}
    assert {b.name for b in load(TEMPLATE).buckets} == {"safeplace-bucket"}


def test_a_user_pools_id_is_a_placeholder_until_the_service_gives_one(template):
    assert template.functions["EchoFunction"].environment["FIXTURE_POOL"] == "eu-west-2_UserPool"
    created = template.with_physical_ids({"UserPool": "eu-west-2_abc123", "UserPoolClient": "client42"})
    echo = created.functions["EchoFunction"].environment
    assert echo["FIXTURE_POOL"] == "eu-west-2_abc123"
    assert echo["FIXTURE_ISSUER"] == "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_abc123"
    assert echo["FIXTURE_CLIENT"] == "client42"
    assert echo["FIXTURE_BASE_URL"] == "http://127.0.0.1:9999"  # the overrides are kept


def test_environment_overrides_replace_only_variables_a_function_has():
    overridden = load(TEMPLATE, environment_overrides={"FIXTURE_GREETING": "local", "NOT_THERE": "x"})
    assert overridden.functions["EchoFunction"].environment["FIXTURE_GREETING"] == "local"
    assert "NOT_THERE" not in overridden.functions["EchoFunction"].environment
    assert "FIXTURE_GREETING" not in overridden.functions["fixture-slow"].environment


def test_state_machine_definitions_get_their_substitutions(template):
    machine = template.state_machines["fixture-calling"]
    assert machine.arn == "arn:aws:states:eu-west-2:123456789012:stateMachine:fixture-calling"
    task = json.loads(machine.definition)["States"]["Call"]
    assert task["Parameters"]["FunctionName"] == "arn:aws:lambda:eu-west-2:123456789012:function:EchoFunction"
    assert task["Retry"][0]["MaxAttempts"] == 2


def test_storage_and_identity_are_described(template):
    [table] = template.tables
    assert table.create_arguments["GlobalSecondaryIndexes"][0]["IndexName"] == "ByStatus"
    assert table.create_arguments["BillingMode"] == "PAY_PER_REQUEST"
    assert "PointInTimeRecoverySpecification" not in table.create_arguments  # not CreateTable's to take
    assert table.time_to_live == {"AttributeName": "ttl", "Enabled": True}
    assert [(p.name, p.properties["UsernameAttributes"]) for p in template.user_pools] == [
        ("safeplace-fixture", ["email"])
    ]
    assert [c.properties["CallbackURLs"] for c in template.user_pool_clients] == [["http://127.0.0.1:9999/callback"]]
    assert sorted((g.pool, g.name) for g in template.groups) == [("UserPool", "reviewer"), ("UserPool", "staff")]
    assert template.email_identities == ["sender@example.org"]


def test_schedules_carry_their_input(template):
    [schedule] = template.schedules
    assert (schedule.name, schedule.function, schedule.expression) == (
        "EchoFunctionNightly",
        "EchoFunction",
        "cron(0 2 * * ? *)",
    )
    assert schedule.payload == {"job": "nightly"}


@pytest.mark.parametrize(
    ("method", "path", "function", "resource", "parameters", "protected"),
    [
        ("GET", "/echo/open", "EchoFunction", "/echo/open", {}, False),  # a literal path beats {proxy+}
        ("GET", "/echo/a/b", "EchoFunction", "/echo/{proxy+}", {"proxy": "a/b"}, True),
        ("GET", "/items/latest", "EchoFunction", "/items/latest", {}, False),  # a literal path beats {id}
        ("GET", "/items/7", "EchoFunction", "/items/{id}", {"id": "7"}, False),  # GET beats ANY
        ("DELETE", "/items/7", "fixture-slow", "/items/{id}", {"id": "7"}, False),
    ],
)
def test_the_most_specific_route_wins(template, method, path, function, resource, parameters, protected):
    route, found = match_route(template.routes, method, path)
    assert (route.function, route.path, found, route.protected, route.stage) == (
        function,
        resource,
        parameters,
        protected,
        "test",
    )


def test_no_route_matches_an_unknown_path(template):
    assert match_route(template.routes, "GET", "/nowhere") is None
    assert match_route(template.routes, "POST", "/echo/open") is None


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"Mode": "staging"}, "must be one of"),
        ({"PublicBaseUrl": "not a url"}, "must match"),
        ({"Attempts": "9"}, "between"),
        ({"Nonsense": "x"}, "no parameter Nonsense"),
    ],
)
def test_parameter_values_cloudformation_would_refuse_are_refused(overrides, problem):
    with pytest.raises(TemplateError, match=problem):
        load(TEMPLATE, overrides)


def test_what_the_runtime_cannot_run_is_said_plainly(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {CodeUri: x, Handler: app.handler, Environment: {Variables: {A: !GetAtt Nope.Arn}}}\n"
    )
    with pytest.raises(TemplateError, match="no parameter or resource called Nope"):
        load(tmp_path / "template.yaml")


def test_the_real_template_resolves_completely():
    real = load(Path(__file__).parents[2] / "template.yaml")
    for function in real.functions.values():
        assert function.code_dir.is_dir()
        assert not [v for v in function.environment.values() if "${" in v or "arn:aws:local" in v]
    assert real.state_machines and all("${" not in m.definition for m in real.state_machines.values())
