"""Lambda -> Azure Functions against the moto server: discovery reads each function's triggers (event source
mappings and its resource policy, with an EventBridge rule's schedule), `map` gives each its Azure Functions
trigger or a blocker, and one function app is planned per runtime group."""

from __future__ import annotations

from typing import Any

import pytest

from amsterdam_cloud.scripts.migrate.discover import Options, discover
from amsterdam_cloud.scripts.migrate.mapping import map_inventory, ncrontab
from amsterdam_cloud.scripts.migrate.progress import Progress
from amsterdam_cloud.scripts.migrate import strategy

from .estate import Region, tags
from .helpers import accounts, by_type, workload


@pytest.fixture(scope="module")
def estate(aws_env: str) -> dict[str, Any]:
    """Functions of two apps in eu-west-1: `events` with a queue, a DynamoDB stream, an S3 notification and a
    rate schedule (Python and Node.js); `rules` with an EventBridge event pattern (no Azure counterpart) and a
    private REST API."""
    west = Region("eu-west-1", aws_env).setup()
    app = {t["Key"]: t["Value"] for t in tags("events", owner="events@amsterdam.nl", cost_center="CC-4100")}
    worker = west.function("events-worker", app, {"LOG_LEVEL": "info"})
    ingest = west.function("events-ingest", app, {}, runtime="nodejs20.x")
    sqs, dynamodb = west.client("sqs"), west.client("dynamodb")
    queue = sqs.create_queue(QueueName="events-inbox")["QueueUrl"]  # untagged: placed by its trigger
    west.polled_by(worker, sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])
    table = dynamodb.create_table(
        TableName="events-state", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}, Tags=tags("events"))["TableDescription"]
    west.polled_by(ingest, table["LatestStreamArn"])
    west.bucket("events-uploads", tags("events"))
    west.invoked_by(ingest, "s3.amazonaws.com", "arn:aws:s3:::events-uploads")
    west.invoked_by(worker, "events.amazonaws.com", west.client("events").put_rule(
        Name="events-every-5", ScheduleExpression="rate(5 minutes)")["RuleArn"])
    rules = west.function("rules-router", {t["Key"]: t["Value"] for t in tags("rules")}, {})
    west.invoked_by(rules, "events.amazonaws.com", west.client("events").put_rule(
        Name="rules-on-upload", EventPattern='{"source": ["aws.s3"]}')["RuleArn"])
    private = west.client("apigateway").create_rest_api(name="rules-api", endpointConfiguration={"types": ["PRIVATE"]})
    west.invoked_by(rules, "apigateway.amazonaws.com", f"arn:aws:execute-api:eu-west-1:123456789012:{private['id']}/*")
    return {"table": table["TableArn"]}


@pytest.fixture(scope="module")
def mapped(aws_env: str, estate: dict[str, Any]) -> dict[str, Any]:
    inventory = discover(accounts(), Options(regions=["eu-west-1"], endpoint_url=aws_env, services=("lambda", "sqs",
                         "dynamodb", "s3")), Progress("test", quiet=True))
    return {"inventory": inventory, "mapping": map_inventory(inventory, strategy.load())}


def function(mapped: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in by_type(mapped["inventory"], "aws:lambda:function") if r["name"] == name)


def test_discovery_reads_polled_and_pushed_triggers_with_the_rules_schedule(mapped, estate):
    worker = {t["source"]: t for t in function(mapped, "events-worker")["properties"]["triggers"]}
    assert set(worker) == {"sqs", "events"} and worker["events"]["schedule"] == "rate(5 minutes)"
    ingest = {t["source"]: t.get("resource") for t in function(mapped, "events-ingest")["properties"]["triggers"]}
    assert ingest == {"dynamodb": estate["table"], "s3": "arn:aws:s3:::events-uploads"}


def test_each_trigger_maps_to_its_azure_functions_trigger(mapped):
    targets = {r["name"]: r["target"] for r in workload(mapped["mapping"], "events/prod")["resources"]}
    assert {t["source"]: t["azure"] for t in targets["events-worker"]["triggers"]} == {
        "sqs": "serviceBusQueue", "events": "timer"}
    assert next(t for t in targets["events-worker"]["triggers"] if t["azure"] == "timer")["schedule"] == "0 */5 * * * *"
    assert {t["azure"] for t in targets["events-ingest"]["triggers"]} == {"cosmosDbChangeFeed", "eventGridBlob"}


def test_an_untagged_queue_joins_the_workload_of_the_function_it_triggers(mapped):
    assert "events-inbox" in {r["name"] for r in workload(mapped["mapping"], "events/prod")["resources"]}


def test_the_table_and_the_queue_become_cosmos_db_and_service_bus_the_template_builds(mapped):
    events = workload(mapped["mapping"], "events/prod")
    assert events["status"] == "ready", events["blockers"]
    assert events["app"]["data"]["cosmos"] == {"containers": [{"name": "events-state", "partitionKey": "/id"}]}
    assert events["app"]["data"]["serviceBus"] == {"queues": [{"name": "events-inbox"}]}


def test_one_function_app_per_runtime_with_the_triggers_of_its_functions(mapped):
    functions = workload(mapped["mapping"], "events/prod")["app"]["functions"]
    assert functions["plan"] == "flex"
    assert [(g["name"], g["stack"], g["functions"], g.get("triggers")) for g in functions["groups"]] == [
        ("node20", "NODE|20-lts", ["events-ingest"], ["cosmosDbChangeFeed", "eventGridBlob"]),
        ("python312", "PYTHON|3.12", ["events-worker"], ["serviceBusQueue", "timer"])]


def test_an_event_pattern_has_no_azure_trigger_and_is_a_generate_blocker(mapped):
    rules = workload(mapped["mapping"], "rules/prod")
    blocker = next(b for b in rules["blockers"] if b["code"] == "unsupported-trigger")
    assert blocker["tier"] == "generate" and "event pattern" in blocker["message"]
    assert rules["status"] == "needs"


@pytest.mark.parametrize(("schedule", "expected"), [
    ("rate(1 hour)", "0 0 * * * *"), ("rate(2 days)", "0 0 0 */2 * *"),
    ("cron(0 7 ? * MON-FRI *)", "0 0 7 * * MON-FRI"), ("cron(30 6 ? * 2 *)", "0 30 6 * * 1"),
    ("cron(0 12 L * ? *)", None), ("cron(0 12 * * ? 2027)", None)])
def test_an_eventbridge_schedule_becomes_a_utc_ncrontab_or_none(schedule, expected):
    assert ncrontab(schedule) == expected


def test_the_data_copy_plan_moves_the_table_by_export_and_switches_the_queue_after_draining(mapped):
    from amsterdam_cloud.scripts.migrate.generate import Options, data_copy_plan

    plan = data_copy_plan(workload(mapped["mapping"], "events/prod"), Options())
    (table,) = plan["tables"]
    assert table["target"] == {"account": "pulumi stack output cosmosEndpoint (the app stack)",
                               "container": "events-state", "partitionKey": "/id"}
    assert table["steps"][0].startswith("aws dynamodb export-table-to-point-in-time --table-arn arn:aws:dynamodb:")
    assert "SELECT VALUE COUNT(1) FROM c" in table["verify"]["compare"]
    (queue,) = plan["queues"]
    assert (queue["name"], queue["target"]) == ("events-inbox", {"queue": "events-inbox", "sessions": False})


def test_a_denied_policy_read_is_a_gap_on_that_function_only_and_its_workload_is_incomplete(aws_env, estate):
    from .helpers import deny

    denied = deny(operation="GetPolicy", when=lambda r: "events-ingest" in r["url"])
    inventory = discover(accounts(denied), Options(regions=["eu-west-1"], endpoint_url=aws_env, services=(
        "lambda", "sqs", "dynamodb", "s3")), Progress("test", quiet=True))
    gaps = [(e["operation"], e["resource"].rsplit(":", 1)[-1]) for e in inventory["errors"]]
    assert gaps == [("GetPolicy", "events-ingest")]
    worker = next(r for r in by_type(inventory, "aws:lambda:function") if r["name"] == "events-worker")
    assert {t["source"] for t in worker["properties"]["triggers"]} == {"sqs", "events"}
    assert workload(map_inventory(inventory, strategy.load()), "events/prod")["status"] == "incomplete"


def test_a_private_rest_api_keeps_the_function_internal(mapped):
    rules = workload(mapped["mapping"], "rules/prod")
    (api,) = [t for t in function(mapped, "rules-router")["properties"]["triggers"] if t["source"] == "apigateway"]
    assert api["public"] is False and rules["app"]["exposure"] == "internal"


def test_a_trigger_whose_source_the_template_does_not_build_is_noted(mapped):
    notes = workload(mapped["mapping"], "events/prod")["notes"]
    assert any("eventGridBlob: an Event Grid subscription from the storage account" in n for n in notes)
