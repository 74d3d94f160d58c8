"""Discovery against a real moto server: a seeded estate in three regions, gaps, and clear failures."""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3
import pytest

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.migrate.discover import Options, discover, sessions_for
from amsterdam_cloud.scripts.migrate.progress import Progress

from .estate import REGIONS, seed_city_estate
from .helpers import accounts, by_type, deny


@pytest.fixture(scope="module")
def estate(aws_env: str) -> dict[str, Any]:
    return seed_city_estate(aws_env)


@pytest.fixture(scope="module")
def inventory(aws_env: str, estate: dict[str, Any]) -> dict[str, Any]:
    return discover(accounts(), Options(regions=REGIONS, endpoint_url=aws_env), Progress("test", quiet=True))


def quiet() -> Progress:
    return Progress("test", quiet=True)


def test_every_seeded_resource_type_is_discovered(inventory):
    found = {r["type"] for r in inventory["resources"]}
    assert found >= {"aws:ec2:instance", "aws:ec2:volume", "aws:ec2:vpc", "aws:ec2:subnet", "aws:ec2:security-group",
                     "aws:rds:instance", "aws:s3:bucket", "aws:lambda:function", "aws:ecs:cluster", "aws:ecs:service",
                     "aws:elbv2:load-balancer", "aws:elbv2:target-group", "aws:elbv2:listener", "aws:route53:zone",
                     "aws:iam:role"}


def test_resources_come_from_all_three_regions(inventory):
    regions = {r["region"] for r in by_type(inventory, "aws:ec2:instance") + by_type(inventory, "aws:rds:instance")}
    assert regions == set(REGIONS)


def test_instances_carry_vcpu_and_memory_of_their_instance_type(inventory, aws_env):
    ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=aws_env)
    shape = ec2.describe_instance_types(InstanceTypes=["r5.2xlarge"])["InstanceTypes"][0]
    gis = next(r for r in by_type(inventory, "aws:ec2:instance") if r["tags"].get("application") == "gis")
    assert (gis["properties"]["vcpu"], gis["properties"]["memoryGiB"]) == (
        shape["VCpuInfo"]["DefaultVCpus"], shape["MemoryInfo"]["SizeInMiB"] / 1024)


def test_buckets_record_their_own_region_encryption_and_public_access_block(inventory):
    buckets = {r["name"]: r for r in by_type(inventory, "aws:s3:bucket")}
    assert buckets["permits-documents-prod"]["region"] == "eu-west-1"
    assert buckets["permits-documents-prod"]["properties"]["encryption"] == "aws:kms"
    assert buckets["permits-documents-prod"]["properties"]["publicAccessFullyBlocked"] is True
    assert buckets["archive-scans-us"]["region"] == "us-east-1"
    assert buckets["archive-scans-us"]["properties"]["publicAccessFullyBlocked"] is False


def test_each_arn_appears_once(inventory):
    counts = Counter(r["id"] for r in inventory["resources"])
    assert [arn for arn, n in counts.items() if n > 1] == []


def test_the_same_account_read_twice_yields_each_resource_once(inventory, aws_env):
    twice = accounts(label="one") + accounts(label="two")
    again = discover(twice, Options(regions=REGIONS, endpoint_url=aws_env), quiet())
    assert sorted(r["id"] for r in again["resources"]) == sorted(r["id"] for r in inventory["resources"])


def test_sequential_discovery_finds_what_concurrent_discovery_finds(inventory, aws_env):
    options = Options(regions=REGIONS, endpoint_url=aws_env, max_workers=1, per_region=1, per_service=1)
    sequential = discover(accounts(), options, quiet())
    assert sequential["resources"] == inventory["resources"]


def test_lambda_environment_keeps_hosts_and_never_values(inventory, estate):
    function = by_type(inventory, "aws:lambda:function")[0]
    text = repr(function)
    assert "do-not-store" not in text
    assert estate["notifications"]["db_host"].lower() in function["properties"]["connectsToHosts"]


def test_ecs_service_keeps_the_database_host_and_drops_the_password(inventory, estate):
    service = next(r for r in by_type(inventory, "aws:ecs:service") if r["name"] == "permits-api")
    assert "s3cr3t-value" not in repr(service)
    assert estate["permits"]["db_host"].lower() in service["properties"]["connectsToHosts"]


def test_access_denied_in_one_region_is_recorded_and_the_other_regions_are_read(aws_env):
    result = discover(accounts(deny(region="eu-central-1")), Options(regions=REGIONS, endpoint_url=aws_env), quiet())
    denied = {(e["region"], e["code"]) for e in result["errors"]}
    assert denied == {("eu-central-1", "AccessDenied")}
    assert {r["region"] for r in by_type(result, "aws:ec2:instance")} == {"eu-west-1", "us-east-1"}


def test_access_denied_for_one_service_is_recorded_and_the_other_services_are_read(aws_env):
    result = discover(accounts(deny(service="rds")), Options(regions=REGIONS, endpoint_url=aws_env), quiet())
    assert {(e["service"], e["kind"]) for e in result["errors"]} == {("rds", "access-denied")}
    assert by_type(result, "aws:rds:instance") == []
    assert by_type(result, "aws:lambda:function") != []


def test_a_gap_is_reported_on_stderr(aws_env, capsys):
    discover(accounts(deny(region="us-east-1")), Options(regions=("us-east-1",), services=("ec2",),
                                                          endpoint_url=aws_env), Progress("discover"))
    assert "warning: ec2 in us-east-1" in capsys.readouterr().err


def test_an_unknown_region_fails_before_any_call(aws_env):
    with pytest.raises(UserError, match="--region eu-west-9: unknown region"):
        discover(accounts(), Options(regions=("eu-west-9",), endpoint_url=aws_env), quiet())


def test_an_unknown_service_fails_with_the_known_ones(aws_env):
    with pytest.raises(UserError, match="--services: unknown service 'ec3'"):
        discover(accounts(), Options(regions=("eu-west-1",), services=("ec3",), endpoint_url=aws_env), quiet())


def test_no_credentials_fail_with_a_clear_message(aws_env, monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(UserError, match="no AWS credentials found"):
        discover(sessions_for([], []), Options(regions=("eu-west-1",), endpoint_url=aws_env), quiet())


def test_an_unknown_profile_fails_naming_the_profile(aws_env):
    with pytest.raises(UserError, match="--profile finance: no such AWS profile"):
        discover(sessions_for(["finance"], []), Options(regions=("eu-west-1",), endpoint_url=aws_env), quiet())


def test_without_regions_every_enabled_region_is_read(aws_env, estate):
    result = discover(accounts(), Options(services=("ec2", "rds"), endpoint_url=aws_env), quiet())
    found = by_type(result, "aws:ec2:instance") + by_type(result, "aws:rds:instance")
    assert {r["region"] for r in found} == set(REGIONS)
    assert len(result["sources"][0]["regions"]) > len(REGIONS)


def test_onprem_buckets_are_read_through_their_endpoint_and_named_after_it(aws_env, estate):
    result = discover(accounts(), Options(regions=("eu-west-1",), services=("ec2",), endpoint_url=aws_env,
                                          onprem_s3_endpoint=aws_env), quiet())
    onprem = by_type(result, "onprem:s3:bucket")
    host = aws_env.split("://")[1]
    assert sorted(r["id"] for r in onprem) == [f"s3-onprem://{host}/archive-scans-us",
                                               f"s3-onprem://{host}/permits-documents-prod"]
    assert by_type(result, "aws:s3:bucket") == []


def test_an_organization_role_that_cannot_list_accounts_fails_naming_the_permission(aws_env, estate):
    from amsterdam_cloud.scripts.migrate.discover import organization_accounts

    base = accounts(deny(service="organizations"))[0]
    with pytest.raises(UserError, match="credentials, which need organizations:ListAccounts"):
        organization_accounts(base, "OrganizationAccountAccessRole", endpoint_url=aws_env)


def test_utilisation_is_read_from_cloudwatch_as_the_p95_of_hourly_averages(aws_env, estate):
    from datetime import datetime, timedelta, timezone

    ec2 = boto3.client("ec2", region_name="eu-west-1", endpoint_url=aws_env)
    reports = sorted(i["InstanceId"] for r in ec2.describe_instances(Filters=[
        {"Name": "tag:application", "Values": ["reports"]}])["Reservations"] for i in r["Instances"])
    cloudwatch = boto3.client("cloudwatch", region_name="eu-west-1", endpoint_url=aws_env)
    now = datetime.now(timezone.utc)
    for namespace, metric, values in (("AWS/EC2", "CPUUtilization", range(1, 101)),
                                      ("CWAgent", "mem_used_percent", [40.0] * 100)):
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=[
            {"MetricName": metric, "Dimensions": [{"Name": "InstanceId", "Value": reports[0]}],
             "Timestamp": now - timedelta(hours=hour + 1), "Value": float(value)} for hour, value in enumerate(values)])
    result = discover(accounts(), Options(regions=("eu-west-1",), services=("ec2",), endpoint_url=aws_env,
                                          utilization_days=14), quiet())
    measured = {r["id"].rsplit("/", 1)[1]: r["properties"] for r in by_type(result, "aws:ec2:instance")}
    assert (measured[reports[0]]["cpuP95Percent"], measured[reports[0]]["memoryP95Percent"]) == (95.0, 40.0)
    assert "cpuP95Percent" not in measured[reports[1]]  # no data: sized by allocation


def test_each_instances_root_volume_is_marked_as_such(inventory):
    instances = {r["id"] for r in by_type(inventory, "aws:ec2:instance")}
    roots = [v for v in by_type(inventory, "aws:ec2:volume") if v["properties"]["root"]]
    assert {i for v in roots for i in v["properties"]["attachedTo"]} == instances


def test_an_aurora_clusters_size_comes_from_volume_bytes_used_never_from_allocated_storage(aws_env, estate):
    from datetime import datetime, timedelta, timezone

    rds = boto3.client("rds", region_name="eu-west-1", endpoint_url=aws_env)
    rds.create_db_cluster(DBClusterIdentifier="zones-aurora", Engine="aurora-postgresql", EngineVersion="15.4",
                          MasterUsername="admin", MasterUserPassword="not-a-real-password")
    boto3.client("cloudwatch", region_name="eu-west-1", endpoint_url=aws_env).put_metric_data(
        Namespace="AWS/RDS", MetricData=[{"MetricName": "VolumeBytesUsed", "Value": 20.0 * 2**30,
                                          "Timestamp": datetime.now(timezone.utc) - timedelta(hours=1),
                                          "Dimensions": [{"Name": "DBClusterIdentifier", "Value": "zones-aurora"}]}])

    def size(**options) -> Any:
        found = discover(accounts(), Options(regions=("eu-west-1",), services=("rds",), endpoint_url=aws_env,
                                             **options), quiet())
        return next(r for r in by_type(found, "aws:rds:cluster") if r["name"] == "zones-aurora")["properties"].get(
            "allocatedStorageGiB")

    assert (size(), size(utilization_days=14)) == (None, 20.0)
