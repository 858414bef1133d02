"""Handlers run in warm workers as Lambda runs them, and moto's Step Functions interpreter reaches them."""

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from safeplace_local.runtime import LocalRuntime
from safeplace_local.workers import HandlerError

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent / "fixtures"
ECHO_DIR = str(FIXTURES / "functions" / "echo")


@pytest.fixture(scope="module")
def rt():
    with LocalRuntime(FIXTURES / "template.yaml", port=0) as runtime:
        yield runtime


def run(rt, execution_input, timeout=15.0):
    sfn = rt.client("stepfunctions")
    arn = rt.resources["CallingMachine"]
    # A name each time: moto takes two unnamed executions of one machine for the same execution.
    name = uuid.uuid4().hex
    execution = sfn.start_execution(stateMachineArn=arn, name=name, input=json.dumps(execution_input))["executionArn"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            events = sfn.get_execution_history(executionArn=execution, maxResults=1000)["events"]
            return described, events
        time.sleep(0.05)
    raise AssertionError("the execution did not finish")


def failures(events):
    return [e["taskFailedEventDetails"]["error"] for e in events if e["type"] == "TaskFailed"]


def test_a_handler_runs_in_its_code_directory_with_its_own_environment(rt):
    answer = rt.invoke("EchoFunction", {"op": "echo", "n": 1})
    assert answer["event"] == {"op": "echo", "n": 1}
    assert answer["cwd"] == answer["sys_path_0"] == ECHO_DIR  # as /var/task on Lambda
    env = answer["environment"]
    assert env["FIXTURE_OVERRIDDEN"] == "from-function" and env["FIXTURE_SHARED"] == "from-globals"
    assert env["FIXTURE_POOL"] == rt.resources["UserPool"]  # the id moto gave the pool
    assert env["FIXTURE_BASE_URL"] == rt.base_url  # PublicBaseUrl is where the runtime serves
    assert env["AWS_ENDPOINT_URL"] == rt.endpoint_url
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "EchoFunction"
    assert env["AWS_ACCESS_KEY_ID"] == "testing"
    assert answer["context"]["function_name"] == "EchoFunction"
    assert answer["context"]["memory_limit_in_mb"] == 256
    assert answer["context"]["invoked_function_arn"] == "arn:aws:lambda:eu-west-2:123456789012:function:EchoFunction"
    assert 0 < answer["context"]["remaining_ms"] <= 10_000


def test_each_function_gets_only_its_own_environment(rt):
    env = rt.invoke("fixture-slow", {})["environment"]
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "fixture-slow"
    assert "FIXTURE_GREETING" not in env


def test_a_warm_worker_serves_the_next_invocation(rt):
    first = rt.invoke("EchoFunction", {})
    second = rt.invoke("EchoFunction", {})
    assert first["pid"] == second["pid"]
    assert first["context"]["aws_request_id"] != second["context"]["aws_request_id"]


def test_handlers_see_the_simulated_clock(rt):
    try:
        rt.set_clock(datetime(2031, 5, 1, 9, 30, tzinfo=UTC))
        seen = datetime.fromisoformat(rt.invoke("EchoFunction", {})["now"])
        assert abs(seen - datetime(2031, 5, 1, 9, 30, tzinfo=UTC)) < timedelta(seconds=5)
    finally:
        rt.set_clock(datetime.now(UTC))


def test_an_exception_becomes_lambdas_error_type_and_message(rt):
    with pytest.raises(HandlerError) as raised:
        rt.invoke("EchoFunction", {"op": "raise", "message": "the form was empty"})
    assert raised.value.payload == {"errorType": "PermanentError", "errorMessage": "the form was empty"}
    assert rt.invoke("EchoFunction", {})["event"] == {}  # the environment survives its handler's exception


def test_an_unserialisable_result_is_a_marshal_error(rt):
    with pytest.raises(HandlerError) as raised:
        rt.invoke("EchoFunction", {"op": "unserialisable"})
    assert raised.value.error_type == "Runtime.MarshalError"


def test_a_handler_that_cannot_be_imported_is_an_init_error(rt):
    with pytest.raises(HandlerError) as raised:
        rt.invoke("BrokenFunction", {})
    assert raised.value.payload == {
        "errorType": "Runtime.ImportModuleError",
        "errorMessage": "Unable to import module 'missing'",
    }


def test_a_handler_that_runs_out_of_time_is_stopped_and_the_next_call_gets_a_fresh_worker(rt):
    started = time.monotonic()
    with pytest.raises(HandlerError) as raised:
        rt.invoke("fixture-slow", {"op": "sleep", "seconds": 5})
    assert raised.value.error_type == "Sandbox.Timedout"
    assert time.monotonic() - started < 4  # the function's Timeout is 1 s
    assert rt.invoke("fixture-slow", {"n": 2})["event"] == {"n": 2}


def test_injected_faults_fail_the_next_invocations_without_running_the_handler(rt):
    rt.inject_fault("EchoFunction", "Lambda.ServiceException", count=2)
    for _ in range(2):
        with pytest.raises(HandlerError) as raised:
            rt.invoke("EchoFunction", {"op": "raise"})  # had it run, this would be a PermanentError
        assert raised.value.error_type == "Lambda.ServiceException"
    assert rt.invoke("EchoFunction", {"n": 3})["event"] == {"n": 3}
    with pytest.raises(KeyError):
        rt.inject_fault("NoSuchFunction", "Lambda.ServiceException")


def test_the_lambda_api_invokes_the_handler_and_reports_an_unhandled_error(rt):
    aws_lambda = rt.client("lambda")
    ok = aws_lambda.invoke(FunctionName="EchoFunction", Payload=json.dumps({"via": "api"}))
    assert "FunctionError" not in ok
    assert json.loads(ok["Payload"].read())["event"] == {"via": "api"}
    failed = aws_lambda.invoke(FunctionName="EchoFunction", Payload=json.dumps({"op": "raise", "message": "no"}))
    assert failed["FunctionError"] == "Unhandled"
    assert json.loads(failed["Payload"].read()) == {"errorType": "PermanentError", "errorMessage": "no"}
    queued = aws_lambda.invoke(FunctionName="fixture-slow", InvocationType="Event", Payload=b"{}")
    assert queued["StatusCode"] == 202


def test_a_state_machine_invokes_the_handler_through_the_lambda_api(rt):
    described, _ = run(rt, {"op": "echo", "from": "the state machine"})
    assert described["status"] == "SUCCEEDED"
    answer = json.loads(described["output"])["answer"]
    assert answer["event"] == {"op": "echo", "from": "the state machine"}
    assert answer["environment"]["AWS_LAMBDA_FUNCTION_NAME"] == "EchoFunction"


def test_retry_matches_the_error_type_of_a_failed_invocation(rt):
    rt.inject_fault("EchoFunction", "Lambda.ServiceException", count=1)
    described, events = run(rt, {"op": "echo"})
    assert described["status"] == "SUCCEEDED"
    assert failures(events) == ["Lambda.ServiceException"]


def test_retries_run_out_as_the_definition_says(rt):
    rt.inject_fault("EchoFunction", "Lambda.ServiceException", count=3)  # one try and MaxAttempts 2
    described, events = run(rt, {"op": "echo"})
    assert described["status"] == "FAILED"
    assert described["error"] == "Lambda.ServiceException"
    assert failures(events) == ["Lambda.ServiceException"] * 3


def test_catch_matches_the_class_name_of_the_handlers_exception(rt):
    described, events = run(rt, {"op": "raise", "message": "rejected"})
    assert described["status"] == "SUCCEEDED"
    error = json.loads(described["output"])["error"]
    assert error["Error"] == "PermanentError"
    assert json.loads(error["Cause"]) == {"errorType": "PermanentError", "errorMessage": "rejected"}
    assert failures(events) == ["PermanentError"]  # not retried: only Lambda.ServiceException is


def test_a_busy_function_scales_out_when_its_workflow_calls_it_back(rt):
    # The handler waits for an execution that invokes the same function: one worker alone would deadlock.
    answer = rt.invoke("EchoFunction", {"op": "start_and_wait", "input": {"op": "echo", "nested": True}})
    assert answer["status"] == "SUCCEEDED"
    assert answer["output"]["answer"]["event"] == {"op": "echo", "nested": True}
    assert rt.pool.size("EchoFunction") >= 2


def test_the_workers_a_burst_of_load_added_are_stopped_once_idle_and_one_stays_warm(rt):
    # Given a burst that needed a second worker
    rt.invoke("EchoFunction", {"op": "start_and_wait", "input": {"op": "echo"}})
    busy = rt.pool.size("EchoFunction")
    assert busy >= 2
    # When they have all been idle for longer than the pool keeps spare workers
    stopped = rt.pool.reap(idle_before=time.monotonic() + 1)
    # Then all but one are stopped, and the one left still answers at once
    assert stopped == busy - 1
    assert rt.pool.size("EchoFunction") == 1
    assert rt.invoke("EchoFunction", {"op": "echo"})["event"] == {"op": "echo"}
    assert rt.pool.size("EchoFunction") == 1


def test_workers_recently_used_are_kept(rt):
    rt.invoke("EchoFunction", {"op": "start_and_wait", "input": {"op": "echo"}})
    busy = rt.pool.size("EchoFunction")
    assert rt.pool.reap(idle_before=time.monotonic() - 60) == 0
    assert rt.pool.size("EchoFunction") == busy


def test_the_template_is_provisioned_in_moto(rt):
    table = rt.client("dynamodb").describe_table(TableName="safeplace-Table")["Table"]
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["ByStatus"]
    ttl = rt.client("dynamodb").describe_time_to_live(TableName="safeplace-Table")["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "ttl"
    assert rt.client("s3").get_bucket_versioning(Bucket="safeplace-bucket")["Status"] == "Enabled"
    functions = {f["FunctionName"]: f for f in rt.client("lambda").list_functions()["Functions"]}
    assert set(functions) == {"EchoFunction", "fixture-slow", "BrokenFunction"}
    assert functions["fixture-slow"]["Timeout"] == 1
    assert functions["EchoFunction"]["Environment"]["Variables"]["FIXTURE_GREETING"] == "hello"
    groups = rt.client("cognito-idp").list_groups(UserPoolId=rt.resources["UserPool"])["Groups"]
    assert sorted(g["GroupName"] for g in groups) == ["reviewer", "staff"]
    [schedule] = rt.client("scheduler").list_schedules()["Schedules"]
    assert schedule["Name"] == "EchoFunctionNightly"
    identities = rt.client("sesv2").list_email_identities()["EmailIdentities"]
    assert [i["IdentityName"] for i in identities] == ["sender@example.org"]


def test_only_one_runtime_runs_in_a_process(rt):
    with pytest.raises(RuntimeError, match="already running"):
        LocalRuntime(FIXTURES / "template.yaml", port=0).start()
