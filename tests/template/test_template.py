import json
import re
from pathlib import Path

import cfnlint.api
import pytest
from cfnlint.decode import cfn_yaml
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

from tests.support.handlers import load_handler
from tests.support.project import ROOT

TEMPLATE = cfn_yaml.load(str(ROOT / "template.yaml"))
RESOURCES = TEMPLATE["Resources"]


def of_type(kind: str) -> dict:
    return {name: r for name, r in RESOURCES.items() if r["Type"] == kind}


def test_cfn_lint_with_the_sam_transform_reports_nothing():
    matches = cfnlint.api.lint_file(ROOT / "template.yaml")
    assert [str(m) for m in matches] == []


@pytest.mark.parametrize("name", sorted(of_type("AWS::Serverless::StateMachine")))
def test_every_state_machine_parses_in_motos_interpreter_with_its_substitutions_resolved(name):
    props = RESOURCES[name]["Properties"]
    definition = (ROOT / props["DefinitionUri"]).read_text()
    placeholders = set(re.findall(r"\$\{(\w+)\}", definition))
    assert placeholders == set(props["DefinitionSubstitutions"]), "every placeholder has a substitution and back"
    for key in placeholders:
        definition = definition.replace("${" + key + "}", f"arn:aws:lambda:eu-west-2:123456789012:function:{key}")
    AmazonStateLanguageParser.parse(definition)
    assert "QueryLanguage" not in json.loads(definition), "JSONPath, not JSONata (DESIGN.md section 2)"


def _every_state(states: dict) -> dict:
    """A definition's states, with those inside Map and Parallel states."""
    found = dict(states)
    for state in states.values():
        for inner in [state.get("ItemProcessor", {}), *state.get("Branches", [])]:
            found |= _every_state(inner.get("States", {}))
    return found


def test_the_onboarding_workflow_waits_for_people_through_callbacks():
    definition = json.loads((ROOT / "statemachines/onboarding.asl.json").read_text())
    waits = [s for s in _every_state(definition["States"]).values() if s.get("Resource", "").endswith("Token")]
    assert len(waits) == 2  # the employer's submission and the staff review


@pytest.mark.parametrize("name", sorted(of_type("AWS::Serverless::StateMachine")))
def test_every_callback_task_has_a_timeout_and_catches_it(name):
    definition = json.loads((ROOT / RESOURCES[name]["Properties"]["DefinitionUri"]).read_text())
    states = _every_state(definition["States"])
    callbacks = {k: s for k, s in states.items() if s.get("Resource", "").endswith(".waitForTaskToken")}
    for state_name, state in callbacks.items():
        assert "TimeoutSeconds" in state or "TimeoutSecondsPath" in state, state_name
        assert any("States.Timeout" in c["ErrorEquals"] for c in state.get("Catch", [])), state_name


def _statements(policies: list) -> list:
    return [s for p in policies if "Statement" in p for s in p["Statement"] if s["Effect"] == "Allow"]


@pytest.mark.parametrize("name", sorted(of_type("AWS::Serverless::StateMachine")))
def test_every_task_a_state_machine_runs_is_allowed_by_its_own_policies(name):
    props = RESOURCES[name]["Properties"]
    definition = json.loads((ROOT / props["DefinitionUri"]).read_text())
    tasks = [s for s in _every_state(definition["States"]).values() if s["Type"] == "Task"]
    invoked = {p["LambdaInvokePolicy"]["FunctionName"]["Ref"] for p in props["Policies"] if "LambdaInvokePolicy" in p}
    for task in tasks:
        assert task["Resource"].startswith("arn:aws:states:::lambda:invoke"), f"{name} runs {task['Resource']}"
        substitution = task["Parameters"]["FunctionName"].strip("${}")
        function = props["DefinitionSubstitutions"][substitution]["Fn::GetAtt"][0]
        assert function in invoked, (name, function)


def test_every_state_machine_a_function_is_given_is_one_it_may_start():
    for name, function in of_type("AWS::Serverless::Function").items():
        props = function["Properties"]
        given = {k: v for k, v in props["Environment"]["Variables"].items() if k.endswith("_STATE_MACHINE_ARN")}
        by_policy = [
            {"Ref": p["StepFunctionsExecutionPolicy"]["StateMachineName"]["Fn::GetAtt"][0]}
            for p in props["Policies"]
            if "StepFunctionsExecutionPolicy" in p
        ]
        by_statement = [
            resource
            for s in _statements(props["Policies"])
            if "states:StartExecution" in s["Action"]
            for resource in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
        ]
        for variable, arn in given.items():
            # A reference is allowed through SAM's policy on the machine's name; a name built with !Sub, as it is
            # where a reference would be circular, by a statement on the same !Sub.
            assert arn in (by_policy if "Ref" in arn else by_statement), (name, variable)
        if name == "HandbookTasksFunction":
            # It hands each rollout on to the next page's execution, by the machine's own name.
            rollout = RESOURCES["HandbookRolloutStateMachine"]["Properties"]["Name"]["Fn::Sub"]
            assert given["HANDBOOK_ROLLOUT_STATE_MACHINE_ARN"]["Fn::Sub"].endswith(f":stateMachine:{rollout}")


@pytest.mark.parametrize("name", sorted(of_type("AWS::Serverless::Function")))
def test_every_handler_imports_and_exposes_its_entry_point(name):
    props = RESOURCES[name]["Properties"]
    module_name, function_name = props["Handler"].rsplit(".", 1)
    code = ROOT / props["CodeUri"]
    assert (code / f"{module_name}.py").is_file(), name
    assert callable(getattr(load_handler(code.name), function_name))


def test_every_function_has_its_own_role_with_no_wildcard_actions():
    for name, resource in of_type("AWS::Serverless::Function").items():
        policies = resource["Properties"].get("Policies", [])
        assert policies, f"{name} has no policies of its own"
        assert "Role" not in resource["Properties"], f"{name} shares a role"
        text = json.dumps(policies)
        # Executions are named at run time, so they can only be named by a prefix: the one allowed wildcard.
        text = text.replace(":execution:${OnboardingStateMachine.Name}:onboarding-*", "")
        # Evidence files, handbook copies and speakers' materials are keyed at run time under their own
        # prefixes: only those.
        for prefix in ("evidence", "handbooks", "speaker-materials"):
            text = text.replace(f"${{EvidenceBucket.Arn}}/{prefix}/*", "")
        assert "*" not in text, name


def test_the_table_is_protected():
    table = RESOURCES["Table"]["Properties"]
    assert table["DeletionProtectionEnabled"] is True
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["SSESpecification"]["SSEEnabled"] is True


def test_the_evidence_bucket_is_private_versioned_and_encrypted():
    bucket = RESOURCES["EvidenceBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["VersioningConfiguration"]["Status"] == "Enabled"
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]


def test_the_audit_trail_cannot_be_updated_or_deleted_by_the_application():
    statements = RESOURCES["TableWriterPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    for statement in statements:
        if {"dynamodb:UpdateItem", "dynamodb:DeleteItem"} & set(statement["Action"]):
            assert statement["Condition"]["ForAllValues:StringNotLike"]["dynamodb:LeadingKeys"] == ["AUDIT#*"]


def test_every_environment_variable_a_settings_model_requires_is_given_by_the_template():
    from safeplace import settings

    models = {
        "StaffApiFunction": settings.StaffApiSettings,
        "LinkPagesFunction": settings.LinkPagesSettings,
        "OnboardingTasksFunction": settings.OnboardingTasksSettings,
        "DailySweepFunction": settings.DailySweepSettings,
        "HandbookTasksFunction": settings.HandbookTasksSettings,
        "SpeakerTasksFunction": settings.SpeakerTasksSettings,
        "StaticAssetsFunction": None,  # serves files from the layer; it reads no settings
    }
    assert set(models) == set(of_type("AWS::Serverless::Function"))
    globals_env = set(TEMPLATE["Globals"]["Function"]["Environment"]["Variables"])
    for name, model in models.items():
        if model is None:
            continue
        given = globals_env | set(RESOURCES[name]["Properties"]["Environment"]["Variables"])
        required = {field.upper() for field, info in model.model_fields.items() if info.is_required()}
        assert required <= given, f"{name} lacks {required - given}"


def test_the_link_token_never_reaches_the_access_log():
    log_format = RESOURCES["Api"]["Properties"]["AccessLogSetting"]["Format"]
    assert "$context.resourcePath" in log_format
    assert "$context.path" not in log_format


def test_events_folder_has_a_sample_for_every_function():
    samples = {p.name.split("_", 2)[0] + "_" + p.name.split("_", 2)[1] for p in (ROOT / "events").glob("*.json")}
    for resource in of_type("AWS::Serverless::Function").values():
        assert Path(resource["Properties"]["CodeUri"]).name in samples


@pytest.mark.parametrize("path", ["/privacy", "/accessibility", "/cookies"])
def test_the_footer_pages_reach_the_staff_console_without_an_authorizer(path):
    # Linked from every page's footer, the link pages' included: nobody signs in to read them.
    routes = [
        event["Properties"]
        for function in of_type("AWS::Serverless::Function").values()
        for event in function["Properties"].get("Events", {}).values()
        if event["Type"] == "Api" and event["Properties"]["Path"] == path
    ]
    assert routes == [{"RestApiId": {"Ref": "Api"}, "Path": path, "Method": "GET"}]
    console = RESOURCES["StaffApiFunction"]["Properties"]["Events"].values()
    assert any(e["Properties"]["Path"] == path for e in console)


def test_staff_sign_in_works_first_time_and_the_pool_outlives_the_stack():
    pool = RESOURCES["StaffUserPool"]
    assert (pool["DeletionPolicy"], pool["UpdateReplacePolicy"]) == ("Retain", "Retain")
    props = pool["Properties"]
    assert props["DeletionProtection"] == "ACTIVE"
    assert (props["MfaConfiguration"], props["EnabledMfas"]) == ("ON", ["SOFTWARE_TOKEN_MFA"])
    # Through SES, past Cognito's 50 a day, once SES has the sender verified (a first deploy cannot have it yet)
    condition, through_ses, meanwhile = props["EmailConfiguration"]["Fn::If"]
    assert condition == "StaffEmailThroughSes" and TEMPLATE["Parameters"]["StaffEmailThroughSes"]["Default"] == "false"
    assert (through_ses["EmailSendingAccount"], meanwhile["EmailSendingAccount"]) == ("DEVELOPER", "COGNITO_DEFAULT")
    # Managed login version 2 shows "Login pages unavailable" unless the client has a branding
    assert RESOURCES["StaffUserPoolDomain"]["Properties"]["ManagedLoginVersion"] == 2
    [branding] = of_type("AWS::Cognito::ManagedLoginBranding").values()
    assert branding["Properties"]["ClientId"] == {"Ref": "StaffUserPoolClient"}


@pytest.mark.parametrize(
    ("prefix", "allowed"),
    [("", True), ("northern-skills-staff", True), ("Northern", False), ("-staff", False), ("a" * 64, False)],
)
def test_the_sign_in_domain_prefix_is_one_cognito_accepts_whatever_the_stack_is_called(prefix, allowed):
    pattern = TEMPLATE["Parameters"]["AuthDomainPrefix"]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, prefix)) is allowed
    domain = RESOURCES["StaffUserPoolDomain"]["Properties"]["Domain"]
    assert "AWS::StackName" not in json.dumps(domain)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://safeplace.example.org/v1", True),
        ("http://127.0.0.1:3000", True),
        ("http://localhost:3000/v1", True),
        ("http://safeplace.example.org", False),
    ],
)
def test_the_public_address_is_one_cognito_takes_as_a_sign_in_callback(url, allowed):
    assert bool(re.fullmatch(TEMPLATE["Parameters"]["PublicBaseUrl"]["AllowedPattern"], url)) is allowed


def test_the_daily_schedule_is_named_by_the_stack_and_what_fails_is_kept_and_alarmed():
    [daily] = RESOURCES["DailySweepFunction"]["Properties"]["Events"].values()
    props = daily["Properties"]
    assert props["Name"] == {"Fn::Sub": "${AWS::StackName}-daily-sweep"}
    assert props["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["SweepFailures", "Arn"]}}
    invoke = RESOURCES["DailySweepFunction"]["Properties"]["EventInvokeConfig"]
    assert invoke["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": ["SweepFailures", "Arn"]}
    watched = RESOURCES["SweepFailedAlarm"]["Properties"]["Dimensions"][0]["Value"]
    assert watched == {"Fn::GetAtt": ["SweepFailures", "QueueName"]}


def _alarmed(metric: str, dimension_value: dict) -> bool:
    for alarm in of_type("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        stats = [m["MetricStat"]["Metric"] for m in props.get("Metrics", []) if "MetricStat" in m]
        stats += [props] if "MetricName" in props else []
        for stat in stats:
            if stat["MetricName"] == metric and dimension_value in [d["Value"] for d in stat.get("Dimensions", [])]:
                assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}]
                return True
    return False


@pytest.mark.parametrize("name", sorted(of_type("AWS::Serverless::Function")))
def test_every_function_keeps_its_logs_for_a_set_time_and_its_errors_and_throttles_raise_an_alarm(name):
    group = RESOURCES[name]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    assert RESOURCES[group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert _alarmed("Errors", {"Ref": name}) and _alarmed("Throttles", {"Ref": name})


@pytest.mark.parametrize("name", sorted(of_type("AWS::Serverless::StateMachine")))
def test_every_state_machine_logs_errors_without_its_data_and_its_failures_raise_an_alarm(name):
    logging = RESOURCES[name]["Properties"]["Logging"]
    assert (logging["Level"], logging["IncludeExecutionData"]) == ("ERROR", False)
    assert _alarmed("ExecutionsFailed", {"Ref": name}) and _alarmed("ExecutionsTimedOut", {"Ref": name})


def test_a_broken_audit_trail_and_api_server_errors_raise_an_alarm():
    assert _alarmed("AuditTrailsBroken", "daily-sweep")
    assert _alarmed("5XXError", "v1")


def test_the_link_token_never_reaches_a_trace_and_the_link_pages_cannot_take_every_lambda():
    assert RESOURCES["Api"]["Properties"]["TracingEnabled"] is False
    assert RESOURCES["LinkPagesFunction"]["Properties"]["ReservedConcurrentExecutions"] == {
        "Ref": "LinkPagesConcurrency"
    }


def test_deleted_evidence_versions_expire_and_every_access_is_logged():
    props = RESOURCES["EvidenceBucket"]["Properties"]
    [rule] = props["LifecycleConfiguration"]["Rules"]
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] > 0
    assert rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 1
    assert props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": "AccessLogsBucket"}


def _most(name: str) -> int:
    return int(TEMPLATE["Parameters"][name]["MaxValue"])


def test_no_workflow_waiting_on_nobody_can_outlast_a_standard_workflows_year():
    # The waits that run when nobody answers, at their largest: each chain must end inside 365 days, or the
    # execution is cut off by Step Functions before its escalation is sent.
    day = 24
    onboarding = _most("SubmissionWaitHours") * (_most("RemindersBeforeEscalation") + 1) / day
    handbook = _most("HandbookReminderIntervalDays") * (_most("HandbookRemindersBeforeEscalation") + 1)
    # A booking waits for its approver, then for the DSL once escalated, then for the requester's information.
    speaker = 2 * _most("SpeakerDecisionWaitHours") / day + _most("SpeakerInformationWaitDays")
    assert max(onboarding, handbook, speaker) < 365, (onboarding, handbook, speaker)


def test_the_operations_dashboard_shows_every_function_and_workflow_the_alarms_watch():
    board = RESOURCES["OperationsDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    widgets = json.loads(board)["widgets"]
    shown = json.dumps(widgets)
    for name in [*of_type("AWS::Serverless::Function"), *of_type("AWS::Serverless::StateMachine")]:
        assert "${" + name + "}" in shown, name
    assert "AuditTrailsBroken" in shown and "5XXError" in shown
