"""Whole discovery against the moto server: a denied item is a gap on that item, what no collector reads is an
orphan, and `map` never calls a workload with a gap ready."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from amsterdam_cloud.scripts.migrate import mapping, strategy
from amsterdam_cloud.scripts.migrate.discover import Options, discover
from amsterdam_cloud.scripts.migrate.progress import Progress

from .estate import REGIONS, seed_city_estate
from .helpers import accounts, by_type, deny, with_database_admins, workload


@pytest.fixture(scope="module")
def estate(aws_env: str) -> dict[str, Any]:
    facts = seed_city_estate(aws_env)
    dynamodb = boto3.client("dynamodb", region_name="eu-west-1", endpoint_url=aws_env)
    dynamodb.create_table(TableName="permits-sessions", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                          BillingMode="PAY_PER_REQUEST", Tags=[{"Key": "application", "Value": "permits"},
                                                               {"Key": "environment", "Value": "prod"}])
    boto3.client("sns", region_name="eu-west-1", endpoint_url=aws_env).create_topic(
        Name="permits-events", Tags=[{"Key": "application", "Value": "permits"}, {"Key": "environment", "Value": "prod"}])
    boto3.client("sqs", region_name="eu-west-1", endpoint_url=aws_env).create_queue(
        QueueName="legacy-jobs", tags={"team": "ops"})
    return facts


def run(aws_env: str, *hooks: Any, regions: tuple[str, ...] = REGIONS) -> dict[str, Any]:
    return discover(accounts(*hooks), Options(regions=regions, endpoint_url=aws_env), Progress("t", quiet=True))


def test_a_denied_bucket_is_a_gap_on_that_bucket_and_the_other_buckets_are_read(aws_env, estate):
    result = run(aws_env, deny(operation="GetBucketTagging", when=lambda r: "archive-scans-us" in r["url"]))
    buckets = {r["name"]: r for r in by_type(result, "aws:s3:bucket")}
    assert set(buckets) == {"archive-scans-us", "permits-documents-prod"}
    assert buckets["permits-documents-prod"]["tags"]["application"] == "permits"
    assert [(e["resource"], e["operation"], e["kind"]) for e in result["errors"]] == [
        ("arn:aws:s3:::archive-scans-us", "GetBucketTagging", "access-denied")]


def test_a_denied_function_is_a_gap_on_that_function_and_it_is_still_listed(aws_env, estate):
    result = run(aws_env, deny(operation="ListTags"))
    assert [r["name"] for r in by_type(result, "aws:lambda:function")] == ["notify-sender"]
    assert [e["operation"] for e in result["errors"]] == ["ListTags"]
    assert result["errors"][0]["resource"].endswith(":function:notify-sender")


def test_denied_volumes_leave_the_instances_in_place(aws_env, estate):
    whole = run(aws_env)
    result = run(aws_env, deny(operation="DescribeVolumes"))
    assert len(by_type(result, "aws:ec2:instance")) == len(by_type(whole, "aws:ec2:instance"))
    assert by_type(result, "aws:ec2:volume") == []
    assert {(e["region"], e["operation"]) for e in result["errors"]} == {(r, "DescribeVolumes") for r in REGIONS}


def test_what_no_collector_reads_is_listed_as_an_orphan_with_the_workload_its_tags_name(aws_env, estate):
    result = run(aws_env)
    assert [(o["id"].split(":")[-1], o["service"], o["workload"]) for o in result["orphans"]] == [
        ("permits-events", "sns", "permits/prod")]


def test_dynamodb_tables_and_sqs_queues_are_read_with_their_tags(aws_env, estate):
    result = run(aws_env)
    (table,) = by_type(result, "aws:dynamodb:table")
    assert (table["name"], table["properties"]["billingMode"], table["tags"]["application"]) == (
        "permits-sessions", "PAY_PER_REQUEST", "permits")
    assert [(q["name"], q["tags"]) for q in by_type(result, "aws:sqs:queue")] == [("legacy-jobs", {"team": "ops"})]


def test_every_discovered_resource_is_in_a_workload_unassigned_or_an_orphan(aws_env, estate):
    result = run(aws_env)
    placed = {rid for w in result["workloads"] for rid in w["resources"]} | set(result["unassigned"])
    assert placed == {r["id"] for r in result["resources"]}
    assert not {o["id"] for o in result["orphans"]} & placed


def statuses(result: dict[str, Any]) -> dict[str, str]:
    mapped = mapping.map_inventory(result, strategy.load(), overrides=with_database_admins(result))
    return {w["id"]: w["status"] for w in mapped["workloads"]}


def test_an_orphan_makes_its_workload_incomplete_never_ready(aws_env, estate):
    mapped = mapping.map_inventory(run(aws_env), strategy.load())
    permits = workload(mapped, "permits/prod")
    assert permits["status"] == "incomplete"
    gap = next(b for b in permits["blockers"] if b["code"] == "incomplete-discovery")
    assert "permits-events: no collector reads it" in gap["message"]
    table = next(r["target"] for r in permits["resources"] if r["type"] == "aws:dynamodb:table")
    assert table["component"] == "cosmos-db-nosql" and table["container"] == "permits-sessions"
    assert {o["workload"] for o in mapped["orphans"]} >= {"permits/prod"}


def test_with_rds_denied_the_workloads_of_that_region_are_incomplete(aws_env, estate):
    result = run(aws_env, deny(service="rds", region="eu-central-1"))
    found = statuses(result)
    assert found["notifications/prod"] == "incomplete"   # its MariaDB was not read
    assert statuses(run(aws_env))["notifications/prod"] == "ready"
