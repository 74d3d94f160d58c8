"""What discovery reads from each AWS service: one collector per service, each a pure reader of one region.

A collector gets a `Scope` (the account, the region, a client factory and a bounded fan-out) and returns
resource records in the inventory's normalized shape (`inventory.resource`). Collectors use paginators for
every list call, read tags where the service returns them, and refer to other resources by ARN so that the
inventory can infer edges without another call. They never store secret values: of an environment variable that
is a secret (by name or value) only the name is kept, the plain settings keep their values (`environment_facts`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar, overload
from urllib.parse import urlsplit

from amsterdam_cloud.scripts.migrate.inventory import resource
from amsterdam_cloud.core.secrets import hosts_from_environment, split_environment

T = TypeVar("T")
R = TypeVar("R")
D = TypeVar("D")

ACCESS_DENIED_CODES = frozenset({
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthFailure", "UnauthorizedException",
    "OptInRequired", "InvalidClientTokenId", "UnrecognizedClientException", "AuthorizationError",
})
"""Error codes that mean "this principal may not read here": reported as a gap, never fatal."""

GLOBAL_REGION = "global"
"""The pseudo-region of account-wide services (S3's bucket list, Route 53, IAM)."""


@dataclass(frozen=True, kw_only=True)
class Scope:
    """One account and region as a collector sees it."""

    account: str
    """The 12-digit account id."""
    partition: str
    """`aws` (or `aws-cn`, `aws-us-gov`): the first part of every ARN built here."""
    region: str
    """The region collected, or `global` for account-wide services."""
    home_region: str
    """The region global services are called in."""
    client: Callable[[str], Any]
    """A boto3 client for a service name in this scope's region (thread-safe; built once per scope)."""
    fanout: Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]
    """Map a function over items with the bounded per-service concurrency; results keep the items' order."""
    service: str = ""
    """The collector's name, as a gap names it."""
    utilization_days: int | None = None
    """Read each running instance's CloudWatch CPU (and CloudWatch agent memory) over this many days; None:
    allocation only."""
    gaps: list[dict[str, Any]] = field(default_factory=list)
    """What one item or one part of the service could not be read (filled by `attempt`; the rest goes on)."""

    @overload
    def attempt(self, operation: str, call: Callable[[], T], *, resource: str | None = None,
                default: D, absent: tuple[str, ...] = ()) -> T | D: ...

    @overload
    def attempt(self, operation: str, call: Callable[[], T], *, resource: str | None = None,
                default: None = None, absent: tuple[str, ...] = ()) -> T | None: ...

    def attempt(self, operation: str, call: Callable[[], T], *, resource: str | None = None,
                default: T | None = None, absent: tuple[str, ...] = ()) -> T | None:
        """Run one call; an AWS error is a gap on that item (or that part of the service) and `default` comes back.

        `absent` lists the error codes that mean "this item has none" (no tags, no encryption): `default`, no gap.
        """
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return call()
        except ClientError as error:
            if error_code(error) in absent:
                return default
            self.gap(operation, error, resource=resource)
        except BotoCoreError as error:
            self.gap(operation, error, resource=resource)
        return default

    def gap(self, operation: str, error: Exception, *, resource: str | None = None) -> None:
        """Record what could not be read: this item (`resource`) or, without one, this part of the service."""
        entry = {"account": self.account, "region": self.region, "service": self.service, **describe_error(error),
                 "operation": operation}
        if resource:
            entry["resource"] = resource
        self.gaps.append(entry)

    def arn(self, service: str, path: str, region: str | None = None) -> str:
        return f"arn:{self.partition}:{service}:{self.region if region is None else region}:{self.account}:{path}"

    def record(self, kind: str, arn: str, name: str, tags: dict[str, str] | None,
               properties: dict[str, Any], region: str | None = None) -> dict[str, Any]:
        return resource(id=arn, type=kind, name=name, source="aws", account=self.account,
                        region=self.region if region is None else region, tags=tags or {}, properties=properties)


def error_code(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def describe_error(error: Exception) -> dict[str, str]:
    """`kind` (access-denied, api-error, unreachable, internal), `code` and `message` of a failed call."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(error, ClientError):
        code = error_code(error)
        message = str(error.response.get("Error", {}).get("Message", "")) or str(error)
        kind = "access-denied" if code in ACCESS_DENIED_CODES else "api-error"
    elif isinstance(error, BotoCoreError):
        code, message, kind = type(error).__name__, str(error), "unreachable"
    else:
        code, message, kind = type(error).__name__, str(error) or repr(error), "internal"
    return {"kind": kind, "code": code, "message": message[:300]}


def paginate(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
    """Every item under `key` across all pages of a list call."""
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page.get(key, [])


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def environment_facts(variables: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, Any]:
    """`secretVariables` (names only: they become Key Vault references) and `settings` (plain name -> value)."""
    secret_names, settings = split_environment(variables)
    return {"secretVariables": secret_names or None, "settings": settings or None}


def tag_map(tags: Iterable[dict[str, Any]] | dict[str, str] | None, key: str = "Key", value: str = "Value") -> dict[str, str]:
    """AWS's tag lists (`[{"Key": k, "Value": v}]`, or `key`/`value` in ECS) as one plain mapping."""
    if not tags:
        return {}
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    return {str(t[key]): str(t.get(value, "")) for t in tags if key in t}


# ---------------------------------------------------------------------------------------------------------------
# EC2 and its networking

def collect_ec2(scope: Scope) -> list[dict[str, Any]]:
    """Instances (with vCPU and memory from their instance type) and EBS volumes."""
    ec2 = scope.client("ec2")
    instances = [i for reservation in paginate(ec2, "describe_instances", "Reservations", PaginationConfig={"PageSize": 1000})
                 for i in reservation.get("Instances", [])]
    types = sorted({i["InstanceType"] for i in instances})
    shapes: dict[str, tuple[int, float]] = {}

    def read_shapes(batch: Sequence[str]) -> None:
        for info in paginate(ec2, "describe_instance_types", "InstanceTypes", InstanceTypes=list(batch)):
            shapes[info["InstanceType"]] = (int(info["VCpuInfo"]["DefaultVCpus"]),
                                            round(info["MemoryInfo"]["SizeInMiB"] / 1024, 2))

    from botocore.exceptions import ClientError
    for batch in chunks(types, 100):
        try:
            read_shapes(batch)
        except ClientError as error:
            if error_code(error) != "InvalidInstanceType":
                scope.gap("DescribeInstanceTypes", error)  # shapes unknown: mapping reports `no-size` for them
                continue
            for one in batch:  # one retired type fails the batch: ask one by one, skip the unknown
                scope.attempt("DescribeInstanceTypes", lambda: read_shapes([one]), absent=("InvalidInstanceType",))
    usage: dict[str, dict[str, Any]] = {}
    if scope.utilization_days:
        running = [i["InstanceId"] for i in instances if i.get("State", {}).get("Name") == "running"]
        usage = dict(zip(running, scope.fanout(lambda iid: utilization(scope, iid), running)))
    records = []
    for instance in instances:
        tags = tag_map(instance.get("Tags"))
        vcpu, memory = shapes.get(instance["InstanceType"], (None, None))
        properties = {
            "instanceType": instance["InstanceType"], "vcpu": vcpu, "memoryGiB": memory,
            "state": instance.get("State", {}).get("Name"), "platform": instance.get("PlatformDetails") or "Linux/UNIX",
            "architecture": instance.get("Architecture"), "imageId": instance.get("ImageId"),
            "privateIp": instance.get("PrivateIpAddress"), "publicIp": instance.get("PublicIpAddress"),
            "vpc": scope.arn("ec2", f"vpc/{instance['VpcId']}") if instance.get("VpcId") else None,
            "subnet": scope.arn("ec2", f"subnet/{instance['SubnetId']}") if instance.get("SubnetId") else None,
            "securityGroups": sorted(scope.arn("ec2", f"security-group/{g['GroupId']}")
                                     for g in instance.get("SecurityGroups", [])),
            "iamInstanceProfile": (instance.get("IamInstanceProfile") or {}).get("Arn"),
            **usage.get(instance["InstanceId"], {}),
        }
        records.append(scope.record("aws:ec2:instance", scope.arn("ec2", f"instance/{instance['InstanceId']}"),
                                    tags.get("Name", instance["InstanceId"]), tags, properties))
    root_devices = {i["InstanceId"]: i.get("RootDeviceName") for i in instances}
    volumes = scope.attempt("DescribeVolumes", lambda: list(paginate(ec2, "describe_volumes", "Volumes",
                                                                     PaginationConfig={"PageSize": 500})), default=[])
    for volume in volumes:
        tags = tag_map(volume.get("Tags"))
        properties = {
            "sizeGiB": volume.get("Size"), "volumeType": volume.get("VolumeType"), "iops": volume.get("Iops"),
            "throughput": volume.get("Throughput"), "encrypted": bool(volume.get("Encrypted")),
            "state": volume.get("State"), "availabilityZone": volume.get("AvailabilityZone"),
            "attachedTo": sorted(scope.arn("ec2", f"instance/{a['InstanceId']}") for a in volume.get("Attachments", [])),
            "root": any(a.get("Device") and a.get("Device") == root_devices.get(a.get("InstanceId"))
                        for a in volume.get("Attachments", [])),
        }
        records.append(scope.record("aws:ec2:volume", scope.arn("ec2", f"volume/{volume['VolumeId']}"),
                                    tags.get("Name", volume["VolumeId"]), tags, properties))
    return records


def aurora_used_gib(scope: Scope, cluster_id: str) -> float | None:
    """An Aurora cluster's size: the largest `VolumeBytesUsed` of the last day (CloudWatch), in GiB; None without
    `utilization_days` or data."""
    if not scope.utilization_days:
        return None
    from datetime import datetime, timedelta, timezone

    end = datetime.now(timezone.utc)
    answer: dict[str, Any] = scope.attempt("GetMetricStatistics", lambda: scope.client("cloudwatch").get_metric_statistics(
        Namespace="AWS/RDS", MetricName="VolumeBytesUsed",
        Dimensions=[{"Name": "DBClusterIdentifier", "Value": cluster_id}], StartTime=end - timedelta(days=1),
        EndTime=end, Period=3600, Statistics=["Maximum"]), resource=scope.arn("rds", f"cluster:{cluster_id}"), default={})
    values = [point["Maximum"] for point in answer.get("Datapoints", [])]
    return round(max(values) / 2**30, 1) if values else None


MIN_HOURS = 24
"""Fewer hourly datapoints than this say too little about a server's load: allocation decides instead."""


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` 0.95 for p95) of the values."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-int(share * 100) * len(ordered) // 100) - 1))]


def utilization(scope: Scope, instance_id: str) -> dict[str, Any]:
    """p95 of the hourly average CPU (AWS/EC2) and memory (CWAgent `mem_used_percent`, when the agent reports it)
    over `utilization_days`; an empty result when CloudWatch has too little."""
    from datetime import datetime, timedelta, timezone

    cloudwatch = scope.client("cloudwatch")
    end = datetime.now(timezone.utc)
    start = end - timedelta(days=scope.utilization_days or 14)
    found: dict[str, Any] = {}
    for namespace, metric, key in (("AWS/EC2", "CPUUtilization", "cpuP95Percent"),
                                   ("CWAgent", "mem_used_percent", "memoryP95Percent")):
        answer: dict[str, Any] = scope.attempt("GetMetricStatistics", lambda: cloudwatch.get_metric_statistics(
            Namespace=namespace, MetricName=metric, Dimensions=[{"Name": "InstanceId", "Value": instance_id}],
            StartTime=start, EndTime=end, Period=3600, Statistics=["Average"]),
            resource=scope.arn("ec2", f"instance/{instance_id}"), default={})
        values = [point["Average"] for point in answer.get("Datapoints", [])]
        if len(values) >= MIN_HOURS:
            found[key] = round(percentile(values, 0.95), 1)
    if found:
        found["utilizationDays"] = scope.utilization_days
    return found


def collect_network(scope: Scope) -> list[dict[str, Any]]:
    """VPCs, subnets and security groups, with the group-to-group references in their rules."""
    ec2 = scope.client("ec2")
    records = []
    for vpc in paginate(ec2, "describe_vpcs", "Vpcs"):
        tags = tag_map(vpc.get("Tags"))
        properties = {"cidrBlocks": sorted(a["CidrBlock"] for a in vpc.get("CidrBlockAssociationSet", []))
                      or [vpc.get("CidrBlock")], "isDefault": bool(vpc.get("IsDefault"))}
        records.append(scope.record("aws:ec2:vpc", scope.arn("ec2", f"vpc/{vpc['VpcId']}"),
                                    tags.get("Name", vpc["VpcId"]), tags, properties))
    for subnet in paginate(ec2, "describe_subnets", "Subnets"):
        tags = tag_map(subnet.get("Tags"))
        properties = {"cidrBlock": subnet.get("CidrBlock"), "availabilityZone": subnet.get("AvailabilityZone"),
                      "vpc": scope.arn("ec2", f"vpc/{subnet['VpcId']}"),
                      "mapPublicIpOnLaunch": bool(subnet.get("MapPublicIpOnLaunch"))}
        records.append(scope.record("aws:ec2:subnet", scope.arn("ec2", f"subnet/{subnet['SubnetId']}"),
                                    tags.get("Name", subnet["SubnetId"]), tags, properties))
    for group in paginate(ec2, "describe_security_groups", "SecurityGroups"):
        tags = tag_map(group.get("Tags"))
        ingress = []
        for permission in group.get("IpPermissions", []):
            ingress.append({
                "protocol": permission.get("IpProtocol"), "fromPort": permission.get("FromPort"),
                "toPort": permission.get("ToPort"),
                "cidrs": sorted(r["CidrIp"] for r in permission.get("IpRanges", [])),
                "groups": sorted(scope.arn("ec2", f"security-group/{p['GroupId']}")
                                 for p in permission.get("UserIdGroupPairs", []) if p.get("GroupId")),
            })
        properties = {"groupName": group.get("GroupName"), "vpc": scope.arn("ec2", f"vpc/{group['VpcId']}")
                      if group.get("VpcId") else None, "ingress": ingress,
                      "openToInternet": any("0.0.0.0/0" in rule["cidrs"] for rule in ingress)}
        records.append(scope.record("aws:ec2:security-group", scope.arn("ec2", f"security-group/{group['GroupId']}"),
                                    group.get("GroupName", group["GroupId"]), tags, properties))
    return records


# ---------------------------------------------------------------------------------------------------------------
# Databases

def collect_rds(scope: Scope) -> list[dict[str, Any]]:
    """RDS instances and Aurora clusters: engine, version, class, storage, endpoint."""
    rds = scope.client("rds")
    records = []
    for db in paginate(rds, "describe_db_instances", "DBInstances"):
        tags = tag_map(db.get("TagList"))
        endpoint = db.get("Endpoint") or {}
        properties = {
            "engine": db.get("Engine"), "engineVersion": db.get("EngineVersion"), "instanceClass": db.get("DBInstanceClass"),
            "allocatedStorageGiB": db.get("AllocatedStorage"), "storageType": db.get("StorageType"),
            "multiAz": bool(db.get("MultiAZ")), "storageEncrypted": bool(db.get("StorageEncrypted")),
            "publiclyAccessible": bool(db.get("PubliclyAccessible")), "status": db.get("DBInstanceStatus"),
            "endpoint": (endpoint.get("Address") or "").lower() or None, "port": endpoint.get("Port"),
            "cluster": scope.arn("rds", f"cluster:{db['DBClusterIdentifier']}") if db.get("DBClusterIdentifier") else None,
            "securityGroups": sorted(scope.arn("ec2", f"security-group/{g['VpcSecurityGroupId']}")
                                     for g in db.get("VpcSecurityGroups", [])),
        }
        arn = db.get("DBInstanceArn") or scope.arn("rds", f"db:{db['DBInstanceIdentifier']}")
        records.append(scope.record("aws:rds:instance", arn, db["DBInstanceIdentifier"], tags, properties))
    for cluster in scope.attempt("DescribeDBClusters", lambda: list(paginate(rds, "describe_db_clusters", "DBClusters")),
                                 default=[]):
        tags = tag_map(cluster.get("TagList"))
        aurora = str(cluster.get("Engine", "")).startswith("aurora")
        properties = {
            "engine": cluster.get("Engine"), "engineVersion": cluster.get("EngineVersion"),
            "engineMode": cluster.get("EngineMode"),
            # Aurora reports AllocatedStorage as 1 whatever it holds: its size is CloudWatch's VolumeBytesUsed
            "allocatedStorageGiB": aurora_used_gib(scope, cluster["DBClusterIdentifier"]) if aurora
            else cluster.get("AllocatedStorage"),
            "storageEncrypted": bool(cluster.get("StorageEncrypted")), "status": cluster.get("Status"),
            "endpoint": (cluster.get("Endpoint") or "").lower() or None,
            "readerEndpoint": (cluster.get("ReaderEndpoint") or "").lower() or None, "port": cluster.get("Port"),
            "members": sorted(scope.arn("rds", f"db:{m['DBInstanceIdentifier']}") for m in cluster.get("DBClusterMembers", [])),
            "securityGroups": sorted(scope.arn("ec2", f"security-group/{g['VpcSecurityGroupId']}")
                                     for g in cluster.get("VpcSecurityGroups", [])),
        }
        arn = cluster.get("DBClusterArn") or scope.arn("rds", f"cluster:{cluster['DBClusterIdentifier']}")
        records.append(scope.record("aws:rds:cluster", arn, cluster["DBClusterIdentifier"], tags, properties))
    return records


# ---------------------------------------------------------------------------------------------------------------
# Object storage (account-wide in AWS; one endpoint for S3-compatible on-prem storage)

def collect_s3(scope: Scope, *, onprem_endpoint: str | None = None) -> list[dict[str, Any]]:
    """Buckets with their region, default encryption, public access block and tags.

    With `onprem_endpoint` the same calls read an S3-compatible on-prem store (MinIO, ECS, StorageGRID); its
    buckets get ids `s3-onprem://<host>/<bucket>` so they never collide with an AWS bucket of the same name.
    """
    s3 = scope.client("s3")
    buckets = list(paginate(s3, "list_buckets", "Buckets"))

    def read(bucket: dict[str, Any]) -> dict[str, Any]:
        name = bucket["Name"]
        arn = f"arn:{scope.partition}:s3:::{name}"

        def optional(operation: str, call: Callable[[], dict[str, Any]], missing: tuple[str, ...]) -> dict[str, Any] | None:
            return scope.attempt(operation, call, resource=arn, absent=missing)

        region = bucket.get("BucketRegion")  # ListBuckets has returned it since 2024; older stores do not
        if not region:
            location = optional("GetBucketLocation", lambda: s3.get_bucket_location(Bucket=name),
                                ("NotImplemented",)) or {}
            region = location.get("LocationConstraint") or "us-east-1"
        region = "eu-west-1" if region == "EU" else region
        encryption = optional("GetBucketEncryption", lambda: s3.get_bucket_encryption(Bucket=name),
                              ("ServerSideEncryptionConfigurationNotFoundError", "NotImplemented"))
        rules = (encryption or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
        algorithms = sorted({r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm", "") for r in rules} - {""})
        block = optional("GetPublicAccessBlock", lambda: s3.get_public_access_block(Bucket=name),
                         ("NoSuchPublicAccessBlockConfiguration", "NotImplemented"))
        settings = (block or {}).get("PublicAccessBlockConfiguration", {})
        fully_blocked = bool(settings) and all(settings.get(k) for k in (
            "BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"))
        tagging = optional("GetBucketTagging", lambda: s3.get_bucket_tagging(Bucket=name),
                           ("NoSuchTagSet", "NotImplemented"))
        properties = {"encryption": algorithms[0] if algorithms else None,
                      "publicAccessBlock": {k[0].lower() + k[1:]: bool(v) for k, v in settings.items()} or None,
                      "publicAccessFullyBlocked": fully_blocked,
                      "created": bucket["CreationDate"].isoformat() if bucket.get("CreationDate") else None}
        tags = tag_map((tagging or {}).get("TagSet"))
        if onprem_endpoint:
            host = urlsplit(onprem_endpoint).netloc or onprem_endpoint
            properties["endpoint"] = onprem_endpoint
            return resource(id=f"s3-onprem://{host}/{name}", type="onprem:s3:bucket", name=name, source="onprem-s3",
                            account=host, region="onprem", tags=tags, properties=properties)
        return scope.record("aws:s3:bucket", arn, name, tags, properties, region=region)

    return scope.fanout(read, buckets)


# ---------------------------------------------------------------------------------------------------------------
# Serverless and containers

def function_arn(arn: str) -> str:
    """A function's ARN without a version or alias qualifier (`...:function:name:prod` -> `...:function:name`)."""
    return ":".join(arn.split(":")[:7])


def polled_triggers(mappings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Function ARN to the queues and streams Lambda polls for it (event source mappings): SQS, DynamoDB and
    Kinesis streams, Kafka (MSK or self-managed), MQ, DocumentDB."""
    found: dict[str, list[dict[str, Any]]] = {}
    for mapping in mappings:
        source = mapping.get("EventSourceArn")
        kind = source.split(":")[2] if source else "kafka"  # self-managed Kafka names brokers, not an ARN
        trigger = {"source": kind, "state": str(mapping.get("State") or "").lower() or None}
        if source:
            trigger["resource"] = source.split("/stream/")[0] if kind == "dynamodb" else source  # the table
        found.setdefault(function_arn(mapping["FunctionArn"]), []).append({k: v for k, v in trigger.items() if v})
    return found


def pushed_triggers(policy: dict[str, Any]) -> list[dict[str, Any]]:
    """The services the function's resource policy lets invoke it (API Gateway, S3, EventBridge, SNS, a load
    balancer, a public function URL), each with the source ARN its condition names."""
    found = []
    for statement in policy.get("Statement", []):
        principal = statement.get("Principal")
        service = principal.get("Service") if isinstance(principal, dict) else None
        if isinstance(service, list):
            service = service[0] if service else None
        if service is None:
            kind = "function-url" if statement.get("Condition", {}).get("StringEquals", {}).get(
                "lambda:FunctionUrlAuthType") or principal == "*" else "account"
        else:
            kind = str(service).split(".")[0]
        condition = statement.get("Condition", {})
        source = next((v for test in ("ArnLike", "ArnEquals", "StringEquals", "StringLike")
                       for k, v in condition.get(test, {}).items() if k.lower() == "aws:sourcearn"), None)
        trigger = {"source": kind, **({"resource": source} if isinstance(source, str) else {}),
                   **({"public": True} if kind == "function-url" and principal == "*" else {})}
        if trigger not in found:
            found.append(trigger)
    return found


def api_exposure(scope: Scope, source_arn: str, function: str) -> dict[str, Any]:
    """`{public: bool}` for the API Gateway API that invokes a function: a REST API is reachable from the internet
    unless its endpoint type is PRIVATE, an HTTP or WebSocket API always; `{}` when the API cannot be read."""
    parts = source_arn.split(":")
    api_id = parts[5].split("/")[0] if len(parts) > 5 else ""
    if not api_id or api_id == "*":
        return {}
    rest = scope.attempt("GetRestApi", lambda: scope.client("apigateway").get_rest_api(restApiId=api_id),
                         resource=function, default=None, absent=("NotFoundException",))
    if rest:
        return {"public": "PRIVATE" not in (rest.get("endpointConfiguration") or {}).get("types", [])}
    http = scope.attempt("GetApi", lambda: scope.client("apigatewayv2").get_api(ApiId=api_id), resource=function,
                         default=None, absent=("NotFoundException",))
    return {"public": True} if http else {}


def collect_lambda(scope: Scope) -> list[dict[str, Any]]:
    """Functions with runtime, package type, VPC settings, the hosts their environment points at, and their
    triggers: the queues and streams Lambda polls (event source mappings) and the services their resource policy
    lets invoke them (with an EventBridge rule's schedule)."""
    client = scope.client("lambda")
    functions = list(paginate(client, "list_functions", "Functions"))
    polled = polled_triggers(scope.attempt("ListEventSourceMappings", lambda: list(paginate(
        client, "list_event_source_mappings", "EventSourceMappings")), default=[]) or [])

    def triggers_of(arn: str) -> list[dict[str, Any]]:
        answer: dict[str, Any] = scope.attempt("GetPolicy", lambda: client.get_policy(FunctionName=arn), resource=arn,
                               default={}, absent=("ResourceNotFoundException",))
        pushed = pushed_triggers(json.loads(answer["Policy"])) if answer.get("Policy") else []
        for trigger in pushed:
            if trigger["source"] == "apigateway" and trigger.get("resource"):
                trigger.update(api_exposure(scope, trigger["resource"], arn))
            rule = trigger.get("resource", "").split(":rule/", 1)
            if trigger["source"] == "events" and len(rule) == 2:
                bus, _, name = rule[1].rpartition("/")
                found: dict[str, Any] = scope.attempt("DescribeRule", lambda: scope.client("events").describe_rule(
                    Name=name, **({"EventBusName": bus} if bus else {})), resource=arn, default={},
                    absent=("ResourceNotFoundException",))
                trigger.update({k: v for k, v in (("schedule", found.get("ScheduleExpression")),
                                                  ("pattern", bool(found.get("EventPattern")) or None)) if v})
        return polled.get(arn, []) + pushed

    def read(function: dict[str, Any]) -> dict[str, Any]:
        arn = function["FunctionArn"]
        listed: dict[str, Any] = scope.attempt("ListTags", lambda: client.list_tags(Resource=arn), resource=arn.split(":$")[0], default={})
        tags = tag_map(listed.get("Tags"))
        vpc = function.get("VpcConfig") or {}
        variables = (function.get("Environment") or {}).get("Variables") or {}
        properties = {
            "runtime": function.get("Runtime"), "packageType": function.get("PackageType", "Zip"),
            "memoryMiB": function.get("MemorySize"), "timeoutSeconds": function.get("Timeout"),
            "handler": function.get("Handler"), "architectures": function.get("Architectures", ["x86_64"]),
            "role": function.get("Role"),
            "subnets": sorted(scope.arn("ec2", f"subnet/{s}") for s in vpc.get("SubnetIds", []) or []),
            "securityGroups": sorted(scope.arn("ec2", f"security-group/{g}") for g in vpc.get("SecurityGroupIds", []) or []),
            "vpc": scope.arn("ec2", f"vpc/{vpc['VpcId']}") if vpc.get("VpcId") else None,
            "environmentKeys": sorted(variables), "connectsToHosts": hosts_from_environment(variables),
            **environment_facts(variables),
        }
        properties["triggers"] = triggers_of(arn.split(":$")[0])
        if properties["packageType"] == "Image":
            got: dict[str, Any] = scope.attempt("GetFunction", lambda: client.get_function(FunctionName=arn), resource=arn.split(":$")[0],
                                default={})
            properties["image"] = got.get("Code", {}).get("ImageUri")
        return scope.record("aws:lambda:function", arn.split(":$")[0], function["FunctionName"], tags, properties)

    return scope.fanout(read, functions)


def collect_ecs(scope: Scope) -> list[dict[str, Any]]:
    """Clusters and services, with the image, size and environment hosts of each service's task definition."""
    ecs = scope.client("ecs")
    cluster_arns = list(paginate(ecs, "list_clusters", "clusterArns"))
    records: list[dict[str, Any]] = []
    clusters = []
    for batch in chunks(cluster_arns, 100):
        clusters += ecs.describe_clusters(clusters=list(batch), include=["TAGS"]).get("clusters", [])
    for cluster in clusters:
        tags = tag_map(cluster.get("tags"), "key", "value")
        records.append(scope.record("aws:ecs:cluster", cluster["clusterArn"], cluster["clusterName"], tags,
                                    {"status": cluster.get("status"),
                                     "capacityProviders": sorted(cluster.get("capacityProviders", []))}))

    def services_of(cluster_arn: str) -> list[dict[str, Any]]:
        arns = list(paginate(ecs, "list_services", "serviceArns", cluster=cluster_arn))
        found = []
        for batch in chunks(arns, 10):
            found += ecs.describe_services(cluster=cluster_arn, services=list(batch), include=["TAGS"]).get("services", [])
        return found

    services = [s for group in scope.fanout(services_of, [c["clusterArn"] for c in clusters]) for s in group]
    task_definitions = sorted({s["taskDefinition"] for s in services if s.get("taskDefinition")})
    owner_of = {s["taskDefinition"]: s["serviceArn"] for s in services if s.get("taskDefinition")}
    described = scope.fanout(lambda arn: scope.attempt(
        "DescribeTaskDefinition", lambda: ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"],
        resource=owner_of[arn], default={}), task_definitions)
    by_arn = dict(zip(task_definitions, described))
    for service in services:
        tags = tag_map(service.get("tags"), "key", "value")
        task = by_arn.get(service.get("taskDefinition"), {})
        containers = task.get("containerDefinitions", [])
        main = next((c for c in containers if c.get("essential", True)), containers[0] if containers else {})
        network = (service.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
        variables = [(e.get("name", ""), e.get("value", "")) for c in containers for e in c.get("environment", [])]
        properties = {
            "cluster": service.get("clusterArn"), "launchType": service.get("launchType")
            or ("FARGATE" if "FARGATE" in task.get("requiresCompatibilities", []) else "EC2"),
            "desiredCount": service.get("desiredCount", 0), "runningCount": service.get("runningCount", 0),
            "taskDefinition": service.get("taskDefinition"), "image": main.get("image"),
            "cpuUnits": int(task["cpu"]) if str(task.get("cpu", "")).isdigit() else None,
            "memoryMiB": int(task["memory"]) if str(task.get("memory", "")).isdigit() else None,
            "containerPorts": sorted({p["containerPort"] for c in containers for p in c.get("portMappings", [])
                                      if "containerPort" in p}),
            "usesSecrets": any(c.get("secrets") for c in containers),
            "secretNames": sorted({e["name"] for c in containers for e in c.get("secrets", []) if "name" in e}),
            "environmentKeys": sorted({e["name"] for c in containers for e in c.get("environment", []) if "name" in e}),
            "connectsToHosts": hosts_from_environment(variables), **environment_facts(variables),
            "targetGroups": sorted({lb["targetGroupArn"] for lb in service.get("loadBalancers", []) if lb.get("targetGroupArn")}),
            "subnets": sorted(scope.arn("ec2", f"subnet/{s}") for s in network.get("subnets", [])),
            "securityGroups": sorted(scope.arn("ec2", f"security-group/{g}") for g in network.get("securityGroups", [])),
        }
        records.append(scope.record("aws:ecs:service", service["serviceArn"], service["serviceName"], tags, properties))
    return records


# ---------------------------------------------------------------------------------------------------------------
# Load balancing and DNS

def collect_elbv2(scope: Scope) -> list[dict[str, Any]]:
    """Load balancers, target groups (with their registered targets) and listeners."""
    elb = scope.client("elbv2")
    balancers = list(paginate(elb, "describe_load_balancers", "LoadBalancers", PaginationConfig={"PageSize": 400}))
    groups = list(paginate(elb, "describe_target_groups", "TargetGroups", PaginationConfig={"PageSize": 400}))
    arns = [b["LoadBalancerArn"] for b in balancers] + [g["TargetGroupArn"] for g in groups]
    tag_pages = scope.fanout(lambda batch: scope.attempt(
        "DescribeTags", lambda: elb.describe_tags(ResourceArns=list(batch)).get("TagDescriptions", []),
        resource=batch[0] if len(batch) == 1 else None, default=[]), list(chunks(arns, 20)))
    tags = {d["ResourceArn"]: tag_map(d.get("Tags")) for page in tag_pages for d in page}
    listener_lists = scope.fanout(lambda arn: scope.attempt(
        "DescribeListeners", lambda: list(paginate(elb, "describe_listeners", "Listeners", LoadBalancerArn=arn)),
        resource=arn, default=[]), [b["LoadBalancerArn"] for b in balancers])
    health = scope.fanout(lambda arn: scope.attempt(
        "DescribeTargetHealth", lambda: elb.describe_target_health(TargetGroupArn=arn).get("TargetHealthDescriptions", []),
        resource=arn, default=[]), [g["TargetGroupArn"] for g in groups])
    records = []
    for balancer in balancers:
        arn = balancer["LoadBalancerArn"]
        properties = {"type": balancer.get("Type"), "scheme": balancer.get("Scheme"), "dnsName": balancer.get("DNSName"),
                      "vpc": scope.arn("ec2", f"vpc/{balancer['VpcId']}") if balancer.get("VpcId") else None,
                      "securityGroups": sorted(scope.arn("ec2", f"security-group/{g}") for g in balancer.get("SecurityGroups", []))}
        records.append(scope.record("aws:elbv2:load-balancer", arn, balancer["LoadBalancerName"], tags.get(arn), properties))
    for balancer, listeners in zip(balancers, listener_lists):
        for listener in listeners:
            forwards = set()
            for action in listener.get("DefaultActions", []):
                if action.get("TargetGroupArn"):
                    forwards.add(action["TargetGroupArn"])
                for target in (action.get("ForwardConfig") or {}).get("TargetGroups", []):
                    forwards.add(target["TargetGroupArn"])
            properties = {"loadBalancer": balancer["LoadBalancerArn"], "protocol": listener.get("Protocol"),
                          "port": listener.get("Port"), "forwardsTo": sorted(forwards),
                          "certificates": len(listener.get("Certificates", []) or [])}
            name = f"{balancer['LoadBalancerName']}:{listener.get('Port')}"
            records.append(scope.record("aws:elbv2:listener", listener["ListenerArn"], name,
                                        tags.get(balancer["LoadBalancerArn"]), properties))
    for group, targets in zip(groups, health):
        arn = group["TargetGroupArn"]
        target_type = group.get("TargetType", "instance")
        ids = [t["Target"]["Id"] for t in targets]
        if target_type == "instance":
            refs = sorted(scope.arn("ec2", f"instance/{i}") for i in ids)
        else:
            refs = sorted(ids)  # IP addresses or Lambda ARNs; the inventory resolves IPs to instances
        properties = {"targetType": target_type, "protocol": group.get("Protocol"), "port": group.get("Port"),
                      "loadBalancers": sorted(group.get("LoadBalancerArns", [])), "targets": refs,
                      "vpc": scope.arn("ec2", f"vpc/{group['VpcId']}") if group.get("VpcId") else None}
        records.append(scope.record("aws:elbv2:target-group", arn, group["TargetGroupName"], tags.get(arn), properties))
    return records


def collect_route53(scope: Scope) -> list[dict[str, Any]]:
    """Hosted zones (public and private), with their record counts and tags."""
    route53 = scope.client("route53")
    zones = list(paginate(route53, "list_hosted_zones", "HostedZones"))
    ids = [z["Id"].split("/")[-1] for z in zones]
    pages = scope.fanout(lambda batch: scope.attempt(
        "ListTagsForResources", lambda: route53.list_tags_for_resources(ResourceType="hostedzone", ResourceIds=list(batch))
        .get("ResourceTagSets", []), default=[]), list(chunks(ids, 10)))
    tags = {t["ResourceId"]: tag_map(t.get("Tags")) for page in pages for t in page}
    records = []
    for zone, zone_id in zip(zones, ids):
        properties = {"private": bool(zone.get("Config", {}).get("PrivateZone")),
                      "recordCount": zone.get("ResourceRecordSetCount")}
        records.append(scope.record("aws:route53:zone", f"arn:{scope.partition}:route53:::hostedzone/{zone_id}",
                                    zone["Name"].rstrip("."), tags.get(zone_id), properties, region=GLOBAL_REGION))
    return records


def collect_iam(scope: Scope) -> list[dict[str, Any]]:
    """IAM role names (and paths): each becomes a managed identity with role assignments."""
    iam = scope.client("iam")
    records = []
    for role in paginate(iam, "list_roles", "Roles"):
        path = role.get("Path", "/")
        properties = {"path": path, "serviceRole": path.startswith("/aws-service-role/")}
        records.append(scope.record("aws:iam:role", role["Arn"], role["RoleName"], {}, properties, region=GLOBAL_REGION))
    return records


# ---------------------------------------------------------------------------------------------------------------
# NoSQL and messaging

def collect_dynamodb(scope: Scope) -> list[dict[str, Any]]:
    """DynamoDB tables: size, item count, billing mode, streams and tags (a data store: residency applies)."""
    dynamodb = scope.client("dynamodb")
    names = list(paginate(dynamodb, "list_tables", "TableNames"))

    def read(name: str) -> dict[str, Any]:
        arn = scope.arn("dynamodb", f"table/{name}")
        table: dict[str, Any] = scope.attempt("DescribeTable", lambda: dynamodb.describe_table(TableName=name)["Table"],
                              resource=arn, default={})
        tags: list[Any] = scope.attempt("ListTagsOfResource", lambda: dynamodb.list_tags_of_resource(
            ResourceArn=table.get("TableArn", arn)).get("Tags", []), resource=arn, default=[])
        properties = {"sizeGiB": round((table.get("TableSizeBytes") or 0) / 2**30, 2),
                      "itemCount": table.get("ItemCount"),
                      "billingMode": (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED"),
                      "streams": bool((table.get("StreamSpecification") or {}).get("StreamEnabled")),
                      "hashKey": next((k["AttributeName"] for k in table.get("KeySchema", []) if k.get("KeyType") == "HASH"),
                                      None),
                      "status": str(table.get("TableStatus", "")).lower() or None}
        return scope.record("aws:dynamodb:table", table.get("TableArn", arn), name, tag_map(tags), properties)

    return scope.fanout(read, names)


def collect_sqs(scope: Scope) -> list[dict[str, Any]]:
    """SQS queues: FIFO or standard, retention, and tags."""
    sqs = scope.client("sqs")
    urls = list(paginate(sqs, "list_queues", "QueueUrls"))

    def read(url: str) -> dict[str, Any]:
        name = url.rstrip("/").rsplit("/", 1)[-1]
        arn = scope.arn("sqs", name)
        attributes: dict[str, Any] = scope.attempt("GetQueueAttributes", lambda: sqs.get_queue_attributes(
            QueueUrl=url, AttributeNames=["All"]).get("Attributes", {}), resource=arn, default={})
        tags: dict[str, Any] = scope.attempt("ListQueueTags", lambda: sqs.list_queue_tags(QueueUrl=url).get("Tags", {}),
                             resource=arn, default={})
        properties = {"fifo": name.endswith(".fifo"),
                      "retentionSeconds": int(attributes["MessageRetentionPeriod"])
                      if attributes.get("MessageRetentionPeriod") else None}
        return scope.record("aws:sqs:queue", attributes.get("QueueArn", arn), name, tag_map(tags), properties)

    return scope.fanout(read, urls)


# ---------------------------------------------------------------------------------------------------------------
# The catch-all sweep

SWEEP = "sweep"
"""The collector that lists every tagged resource of a region (Resource Groups Tagging API), so that what no
other collector reads is listed as an orphan instead of disappearing."""

READ_AS_PART_OF = (":ecs:", "task-definition/"), (":ecs:", "task/"), (":ec2:", "network-interface/")
"""ARN fragments of resources the collectors read as part of another (a task definition with its service)."""


def collect_sweep(scope: Scope) -> list[dict[str, Any]]:
    """`{id, tags}` of every resource the Resource Groups Tagging API lists in this region (tagged ones, and those
    that once had tags: the API's own limit)."""
    tagging = scope.client("resourcegroupstaggingapi")
    return [{"id": m["ResourceARN"], "tags": tag_map(m.get("Tags"))}
            for m in paginate(tagging, "get_resources", "ResourceTagMappingList", ResourcesPerPage=100)]


def orphan(entry: dict[str, Any], account: str) -> dict[str, Any]:
    """An unread resource as the inventory lists it: its ARN, service, resource type, region and tags."""
    parts = entry["id"].split(":", 5)
    service, region, path = parts[2], parts[3] or GLOBAL_REGION, parts[5] if len(parts) > 5 else ""
    kind = path.split("/", 1)[0].split(":", 1)[0] if ("/" in path or ":" in path) else service
    return {"id": entry["id"], "service": service, "resourceType": kind, "account": parts[4] or account,
            "region": region, "tags": dict(sorted(entry["tags"].items()))}


def read_as_part(arn: str) -> bool:
    return any(service in arn and fragment in arn for service, fragment in READ_AS_PART_OF)


REGIONAL_COLLECTORS: dict[str, tuple[str, Callable[[Scope], list[dict[str, Any]]]]] = {
    "ec2": ("ec2", collect_ec2),
    "network": ("ec2", collect_network),
    "rds": ("rds", collect_rds),
    "lambda": ("lambda", collect_lambda),
    "ecs": ("ecs", collect_ecs),
    "elbv2": ("elbv2", collect_elbv2),
    "dynamodb": ("dynamodb", collect_dynamodb),
    "sqs": ("sqs", collect_sqs),
    SWEEP: ("resourcegroupstaggingapi", collect_sweep),
}
"""Collector name to (the boto3 service it calls, the collector); each runs once per account and region."""

GLOBAL_COLLECTORS: dict[str, tuple[str, Callable[[Scope], list[dict[str, Any]]]]] = {
    "s3": ("s3", collect_s3),
    "route53": ("route53", collect_route53),
    "iam": ("iam", collect_iam),
}
"""Account-wide collectors; each runs once per account (S3 reads each bucket's own region)."""

SERVICES: tuple[str, ...] = tuple(REGIONAL_COLLECTORS) + tuple(GLOBAL_COLLECTORS)
