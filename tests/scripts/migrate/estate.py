"""Seeded AWS estates for the moto server: small, explicit, and shaped like the city's real workloads."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import boto3

REGIONS = ("eu-west-1", "eu-central-1", "us-east-1")


def tags(application: str, environment: str = "prod", *, owner: str | None = None, cost_center: str | None = "CC-4120",
         classification: str | None = "BBN2", **extra: str) -> list[dict[str, str]]:
    values = {"application": application, "environment": environment,
              "owner": owner if owner is not None else f"{application}@amsterdam.nl",
              "cost-center": cost_center, "data-classification": classification, **extra}
    return [{"Key": k, "Value": v} for k, v in values.items() if v]


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return {}\n")
    return buffer.getvalue()


@dataclass
class Region:
    """One region's shared network, created once per region."""

    name: str
    endpoint: str
    vpc: str = ""
    subnets: list[str] = field(default_factory=list)
    ami: str = ""
    session: Any = None
    """A boto3 session of another account (from an assumed role); none: the environment's credentials."""

    def client(self, service: str) -> Any:
        return (self.session or boto3).client(service, region_name=self.name, endpoint_url=self.endpoint)

    def setup(self) -> "Region":
        ec2 = self.client("ec2")
        self.vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16", TagSpecifications=[
            {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": f"shared-{self.name}"}]}])["Vpc"]["VpcId"]
        for index, zone in enumerate(("a", "b")):
            subnet = ec2.create_subnet(VpcId=self.vpc, CidrBlock=f"10.20.{index}.0/24",
                                       AvailabilityZone=f"{self.name}{zone}")["Subnet"]["SubnetId"]
            self.subnets.append(subnet)
        self.ami = ec2.describe_images()["Images"][0]["ImageId"]
        return self

    def security_group(self, name: str, allows_from: str | None = None, port: int = 5432) -> str:
        ec2 = self.client("ec2")
        group = ec2.create_security_group(GroupName=name, Description=name, VpcId=self.vpc)["GroupId"]
        if allows_from:
            ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{
                "IpProtocol": "tcp", "FromPort": port, "ToPort": port, "UserIdGroupPairs": [{"GroupId": allows_from}]}])
        return group

    def instances(self, count: int, instance_type: str, tag_list: list[dict[str, str]], groups: list[str] | None = None,
                  stopped: bool = False) -> list[str]:
        ec2 = self.client("ec2")
        reservation = ec2.run_instances(ImageId=self.ami, MinCount=count, MaxCount=count, InstanceType=instance_type,
                                        SubnetId=self.subnets[0], SecurityGroupIds=groups or [],
                                        TagSpecifications=[{"ResourceType": "instance", "Tags": tag_list}])
        ids = [i["InstanceId"] for i in reservation["Instances"]]
        if stopped:
            ec2.stop_instances(InstanceIds=ids)
        return ids

    def database(self, name: str, engine: str, version: str, instance_class: str, tag_list: list[dict[str, str]],
                 groups: list[str] | None = None, storage: int = 100) -> str:
        rds = self.client("rds")
        db = rds.create_db_instance(DBInstanceIdentifier=name, Engine=engine, EngineVersion=version,
                                    DBInstanceClass=instance_class, AllocatedStorage=storage, MasterUsername="admin",
                                    MasterUserPassword="not-a-real-password", VpcSecurityGroupIds=groups or [],
                                    Tags=tag_list)["DBInstance"]
        return db["Endpoint"]["Address"]

    def bucket(self, name: str, tag_list: list[dict[str, str]] | None, *, encrypted: bool = True,
               blocked: bool = True) -> None:
        s3 = self.client("s3")
        kwargs = {} if self.name == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": self.name}}
        s3.create_bucket(Bucket=name, **kwargs)
        if encrypted:
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
        if blocked:
            s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
                "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        if tag_list:
            s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_list})

    def role(self, name: str) -> str:
        iam = self.client("iam")
        try:
            return iam.get_role(RoleName=name)["Role"]["Arn"]
        except iam.exceptions.NoSuchEntityException:
            return iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]

    def function(self, name: str, tag_map: dict[str, str], environment: dict[str, str],
                 groups: list[str] | None = None, runtime: str = "python3.12") -> str:
        function = self.client("lambda").create_function(
            FunctionName=name, Runtime=runtime, Role=self.role("lambda-runner"), Handler="handler.handler",
            Code={"ZipFile": _zip()}, Environment={"Variables": environment}, Tags=tag_map,
            VpcConfig={"SubnetIds": self.subnets[:1], "SecurityGroupIds": groups or []})
        return function["FunctionArn"]

    def invoked_by(self, function: str, service: str, source_arn: str) -> None:
        """A push trigger: the function's resource policy lets `service` invoke it from `source_arn`."""
        self.client("lambda").add_permission(FunctionName=function, StatementId=service.split(".")[0],
                                             Action="lambda:InvokeFunction", Principal=service, SourceArn=source_arn)

    def polled_by(self, function: str, source_arn: str) -> None:
        """A poll trigger: an event source mapping from a queue or stream to the function."""
        self.client("lambda").create_event_source_mapping(EventSourceArn=source_arn, FunctionName=function)

    def load_balancer(self, name: str, tag_list: list[dict[str, str]], groups: list[str], *, public: bool,
                      target_type: str = "ip") -> tuple[str, str]:
        """An ALB with one HTTP listener forwarding to one target group; returns (DNS name, target group ARN)."""
        elb = self.client("elbv2")
        balancer = elb.create_load_balancer(Name=name, Subnets=self.subnets, SecurityGroups=groups,
                                            Scheme="internet-facing" if public else "internal", Type="application",
                                            Tags=tag_list)["LoadBalancers"][0]
        group = elb.create_target_group(Name=f"{name}-tg", Protocol="HTTP", Port=8080, VpcId=self.vpc,
                                        TargetType=target_type, Tags=tag_list)["TargetGroups"][0]
        elb.create_listener(LoadBalancerArn=balancer["LoadBalancerArn"], Protocol="HTTP", Port=80,
                            DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}])
        return balancer["DNSName"], group["TargetGroupArn"]

    def container_service(self, name: str, tag_map: dict[str, str], image: str, environment: dict[str, str],
                          target_group: str | None, groups: list[str], desired: int = 2, port: int = 8080) -> None:
        ecs = self.client("ecs")
        ecs_tags = [{"key": k, "value": v} for k, v in tag_map.items()]
        cluster = ecs.create_cluster(clusterName=f"{name}-cluster", tags=ecs_tags)["cluster"]["clusterArn"]
        task = ecs.register_task_definition(
            family=name, requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="512", memory="1024",
            containerDefinitions=[{"name": "app", "image": image, "essential": True,
                                   "portMappings": [{"containerPort": port}],
                                   "environment": [{"name": k, "value": v} for k, v in environment.items()]}],
        )["taskDefinition"]["taskDefinitionArn"]
        kwargs: dict[str, Any] = {}
        if target_group:
            kwargs["loadBalancers"] = [{"targetGroupArn": target_group, "containerName": "app", "containerPort": port}]
        ecs.create_service(cluster=cluster, serviceName=name, taskDefinition=task, desiredCount=desired,
                           launchType="FARGATE", tags=ecs_tags,
                           networkConfiguration={"awsvpcConfiguration": {"subnets": self.subnets, "securityGroups": groups}},
                           **kwargs)


def seed_city_estate(endpoint: str) -> dict[str, Any]:
    """The city's estate in three regions: ready, blocked, retired and retained workloads with real dependencies.

    - permits/prod (eu-west-1): public ALB -> Fargate service (ECR image) -> PostgreSQL 14 (via DATABASE_URL), and
      an encrypted documents bucket. Replatform, ready.
    - notifications/prod (eu-central-1): a Lambda in the VPC whose environment names a MariaDB endpoint and the
      permits load balancer. Refactor, ready, after permits.
    - reports/prod (eu-west-1): EC2 instances whose security group the permits database admits. Rehost, ready
      (a VM workload: no app config).
    - archive/prod (us-east-1): EC2 and a bucket outside the EU. Blocked (data-outside-eu).
    - gis/acc (eu-west-1): EC2 with EBS and no owner. Blocked (no-owner).
    - payments/prod (eu-central-1): Fargate service with personal data and no classification. Blocked.
    - legacy-hr/prod (eu-central-1): Oracle. Retained.
    - sandbox-x/sandbox (eu-west-1): stopped EC2. Retired.
    """
    west, central, east = (Region(name, endpoint).setup() for name in REGIONS)
    facts: dict[str, Any] = {}

    # permits/prod
    reports_sg = west.security_group("reports-app")
    db_sg = west.security_group("permits-db", allows_from=reports_sg)
    web_sg = west.security_group("permits-web")
    permits = {t["Key"]: t["Value"] for t in tags("permits", personal_data="true")}
    db_host = west.database("permits-db", "postgres", "14.7", "db.m5.large", tags("permits", personal_data="true"),
                            [db_sg], storage=100)
    dns, target_group = west.load_balancer("permits-alb", tags("permits"), [web_sg], public=True)
    west.container_service("permits-api", permits, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/permits-api:1.4.2",
                           {"DATABASE_URL": f"postgresql://permits:s3cr3t-value@{db_host}:5432/permits",
                            "LOG_LEVEL": "info"}, target_group, [web_sg], desired=2)
    west.bucket("permits-documents-prod", tags("permits"))
    facts["permits"] = {"db_host": db_host, "alb_dns": dns}

    # reports/prod: calls the permits database (admitted by its security group)
    west.instances(2, "m5.xlarge", tags("reports"), [reports_sg])

    # notifications/prod
    mariadb = central.database("notify-db", "mariadb", "10.6.14", "db.t3.medium", tags("notifications"), storage=30)
    central.function("notify-sender", {t["Key"]: t["Value"] for t in tags("notifications")},
                     {"DB_HOST": mariadb, "PERMITS_API": f"https://{dns}/api", "SMTP_PASSWORD": "do-not-store"},
                     [central.security_group("notify-fn")])
    facts["notifications"] = {"db_host": mariadb}

    # archive/prod: outside the EU
    east.instances(1, "t3.large", tags("archive"))
    east.bucket("archive-scans-us", tags("archive"), blocked=False)

    # gis/acc: no owner
    west.instances(1, "r5.2xlarge", tags("gis", "acc", owner=""))

    # payments/prod: personal data, no classification
    central.container_service("payments-api", {t["Key"]: t["Value"] for t in
                                               tags("payments", classification=None, personal_data="yes")},
                              "nginx:1.27", {}, None, [], desired=1)

    # legacy-hr/prod: an engine without a flexible-server target
    central.database("hr-oracle", "oracle-ee", "19.0.0.0.ru-2023-01.rur-2023-01.r1", "db.r5.large", tags("legacy-hr"))

    # sandbox-x/sandbox: stopped
    west.instances(1, "t3.micro", tags("sandbox-x", "sandbox"), stopped=True)

    # Shared, untagged: a DNS zone and a role
    west.client("route53").create_hosted_zone(Name="amsterdam-apps.internal.", CallerReference="seed",
                                              HostedZoneConfig={"Comment": "apps", "PrivateZone": False})
    west.role("platform-deployer")
    return facts


def seed_cycle_estate(endpoint: str) -> None:
    """Three workloads: alpha and beta call each other's databases (a cycle); gamma calls alpha."""
    region = Region("eu-west-1", endpoint).setup()
    hosts = {name: region.database(f"{name}-db", "postgres", "15.4", "db.t3.small", tags(name), storage=20)
             for name in ("alpha", "beta", "gamma")}
    calls = {"alpha": "beta", "beta": "alpha", "gamma": "alpha"}
    for name, callee in calls.items():
        region.function(f"{name}-fn", {t["Key"]: t["Value"] for t in tags(name)}, {"DB_HOST": hosts[callee]})


PLANTED_SECRETS = {
    "ecs DB_PASSWORD": "Zomer2026.Grachten.Fietsen",
    "ecs DATABASE_URL password": "Hx7pQ2rT9vLk3word",
    "ecs AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "ecs token in a plain-named variable": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwZXJtaXRzIn0.signature",
    "lambda SECRET_KEY": "django.insecure.kwpzqrtv",
    "lambda STRIPE_API_KEY": "sk_live_51H8xYzAbCdEfGhIjKlMnOp",
    "lambda SMTP_URL password": "Pa55.w0rd.Secret",
    "user data password": "UserData.Pa55word.2026",
}
"""Secrets as teams really leave them in configuration; none may appear in any migration document."""


def seed_secret_estate(endpoint: str) -> dict[str, str]:
    """One workload whose ECS task definition, Lambda environment and EC2 user data hold realistic secrets.

    Returns the host names that must still be found (the database and the mail server), so a filter that
    drops everything fails the test as surely as a leak does.
    """
    region = Region("eu-west-1", endpoint).setup()
    db_host = region.database("vault-db", "postgres", "15.4", "db.t3.small", tags("vault"), storage=20)
    secret = PLANTED_SECRETS
    region.container_service("vault-api", {t["Key"]: t["Value"] for t in tags("vault")}, "nginx:1.27", {
        "DB_PASSWORD": secret["ecs DB_PASSWORD"],
        "DATABASE_URL": f"postgresql://vault:{secret['ecs DATABASE_URL password']}@{db_host}:5432/vault",
        "AWS_SECRET_ACCESS_KEY": secret["ecs AWS_SECRET_ACCESS_KEY"],
        "UPSTREAM_HEADER": f"Bearer {secret['ecs token in a plain-named variable']}",
    }, None, [], desired=1)
    region.function("vault-rotate", {t["Key"]: t["Value"] for t in tags("vault")}, {
        "SECRET_KEY": secret["lambda SECRET_KEY"],
        "STRIPE_API_KEY": secret["lambda STRIPE_API_KEY"],
        "SMTP_URL": f"smtp://mailer:{secret['lambda SMTP_URL password']}@smtp.amsterdam.nl:587",
    })
    region.client("ec2").run_instances(
        ImageId=region.ami, MinCount=1, MaxCount=1, InstanceType="t3.small", SubnetId=region.subnets[0],
        UserData=f"#!/bin/bash\nexport DB_PASSWORD='{secret['user data password']}'\n/opt/app/start --db {db_host}\n",
        TagSpecifications=[{"ResourceType": "instance", "Tags": tags("vault")}])
    return {"db_host": db_host, "smtp_host": "smtp.amsterdam.nl"}


MESSY_OWNERS = {"vergunningen": "Team Vergunningen", "data": "Team Data", "parkeren": "Team Parkeren"}


def seed_messy_estate(endpoint: str) -> dict[str, Any]:
    """The city's estate as tags really are: team names as owners, Dutch classification words and environments,
    no cost centres; a us-east-1 app; a stopped server with a live database; a second account in the AWS
    Organization; secrets in configuration; an SQS queue of no workload, and an SNS topic no collector reads.

    - permits (eu-west-1, `Productie`, `vertrouwelijk`, personal data): public ALB -> Fargate (ECR) -> PostgreSQL,
      a documents bucket; DB_PASSWORD and a password in DATABASE_URL; a second Fargate service (a worker on port
      9000, no load balancer), and an on-prem batch server in the CMDB (`MESSY_CMDB`): a hybrid workload.
    - reports (eu-west-1, `prd`, `intern`): two m5.xlarge servers (rehost).
    - notify (eu-central-1, `prod`, `openbaar`): two Lambdas calling the permits ALB: a Python one behind a public (regional) API
      Gateway and on an untagged SQS queue, with a SECRET_KEY, a Node.js one on a weekday EventBridge schedule.
    - archive (us-east-1, owner and cost centre tagged): a server and a bucket outside the EU.
    - legacy (eu-west-1): a stopped server with a live MySQL database.
    - parking (the second account, eu-west-1, `acceptatie`): one server.
    """
    west, central, east = (Region(name, endpoint).setup() for name in REGIONS)

    def messy(app: str, env: str, team: str, word: str, **extra: str) -> list[dict[str, str]]:
        return tags(app, env, owner=MESSY_OWNERS[team], cost_center=None, classification=word, **extra)

    def plain(tag_list: list[dict[str, str]]) -> dict[str, str]:
        return {t["Key"]: t["Value"] for t in tag_list}

    permits = messy("permits", "Productie", "vergunningen", "vertrouwelijk", persoonsgegevens="ja")
    db_host = west.database("permits-db", "postgres", "15.4", "db.m5.large", permits, storage=100)
    web_sg = west.security_group("permits-web")
    dns, target_group = west.load_balancer("permits-alb", permits, [web_sg], public=True)
    west.container_service("permits-api", plain(permits), "123456789012.dkr.ecr.eu-west-1.amazonaws.com/permits-api:2.0",
                           {"DATABASE_URL": f"postgresql://permits:{PLANTED_SECRETS['ecs DATABASE_URL password']}@"
                                            f"{db_host}:5432/permits",
                            "DB_PASSWORD": PLANTED_SECRETS["ecs DB_PASSWORD"]}, target_group, [web_sg], desired=2)
    west.bucket("permits-docs-prod", permits)
    west.container_service("permits-worker", plain(permits), "123456789012.dkr.ecr.eu-west-1.amazonaws.com/"
                           "permits-worker:2.0", {"LOG_LEVEL": "info"}, None, [web_sg], desired=1, port=9000)
    west.instances(2, "m5.xlarge", messy("reports", "prd", "data", "intern"))
    notify = plain(messy("notify", "prod", "vergunningen", "openbaar"))
    sender = central.function("notify-sender", notify,
                              {"PERMITS_API": f"https://{dns}/api", "SECRET_KEY": PLANTED_SECRETS["lambda SECRET_KEY"]})
    digest = central.function("notify-digest", notify, {"PERMITS_API": f"https://{dns}/api"}, runtime="nodejs20.x")
    outbox = central.client("sqs").create_queue(QueueName="notify-outbox")["QueueUrl"]  # untagged: placed by its trigger
    central.polled_by(sender, central.client("sqs").get_queue_attributes(
        QueueUrl=outbox, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])
    api = central.client("apigateway").create_rest_api(name="notify-api", endpointConfiguration={"types": ["REGIONAL"]})
    central.invoked_by(sender, "apigateway.amazonaws.com",
                       f"arn:aws:execute-api:eu-central-1:123456789012:{api['id']}/*/POST/notify")
    central.invoked_by(digest, "events.amazonaws.com", central.client("events").put_rule(
        Name="notify-digest-weekdays", ScheduleExpression="cron(0 7 ? * MON-FRI *)")["RuleArn"])
    east.instances(1, "t3.large", tags("archive", owner="archief@amsterdam.nl", classification="intern"))
    east.bucket("archive-scans-us", tags("archive", owner="archief@amsterdam.nl", classification="intern"))
    legacy = messy("legacy", "prod", "data", "intern")
    west.instances(1, "t3.large", legacy, stopped=True)
    west.database("legacy-db", "mysql", "8.0.35", "db.t3.medium", legacy, storage=20)
    west.client("sqs").create_queue(QueueName="ops-jobs", tags={"team": "ops"})
    west.client("sns").create_topic(Name="ops-alerts", Tags=[{"Key": "team", "Value": "ops"}])

    organizations = west.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    member = organizations.create_account(AccountName="parkeren", Email="parkeren-aws@amsterdam.nl")
    account = member["CreateAccountStatus"]["AccountId"]
    credentials = west.client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                                                 RoleSessionName="seed")["Credentials"]
    session = boto3.Session(aws_access_key_id=credentials["AccessKeyId"],
                            aws_secret_access_key=credentials["SecretAccessKey"],
                            aws_session_token=credentials["SessionToken"])
    parking = Region("eu-west-1", endpoint, session=session).setup()
    parking.instances(1, "t3.large", messy("parking", "acceptatie", "parkeren", "openbaar"))
    return {"member_account": account, "db_host": db_host}


MESSY_CMDB = (
    "CI-nummer;Naam;Soort;Applicatie;Omgeving;Aantal CPU;Geheugen (GB);Land;Status;Besturingssysteem\n"
    "CI-9001;srv-permits-batch;Server;permits;Productie;4;16;NL;Actief;Ubuntu 22.04\n"
)
"""The on-prem half of permits/prod: a batch server in the city's data centre, joined to the AWS workload."""

LEAD_SECRETS = ("UserDataSecret123!", "SuperSecretRDS!9", "Hunter2-Parkeren-Prod!", "sk_live_51Hx9aQ2eZvKYlo2C8f7dGh3",
                "Pw0rd123", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "django-insecure-8f$k2!x9q@w7e#r5t",
                "ghp_A1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvWx", "XXXXXXXXSECRETxxxxxxxx")
"""Values planted in the migration lead's estate that no migration document may contain."""

LEAD_CMDB = (
    "CI-nummer;Naam;Soort;Applicatie;Omgeving;Eigenaar;Kostenplaats;Classificatie;Aantal CPU;Geheugen (GB);"
    "Opslag (GB);Land;Status;Afhankelijk van;Besturingssysteem\n"
    "CI-1001;srv-belasting-app01;Server;Belastingen;Productie;Team Belastingen;CC-3300;Vertrouwelijk;8;64,0;1.024,5;"
    "Nederland;Actief;CI-1002;Windows Server 2019\n"
    "CI-1002;sql-belasting-db;Database;Belastingen;Productie;Team Belastingen;CC-3300;Vertrouwelijk;4;32;500;NL;Actief;;\n"
    "CI-1004;srv-kaarten-01;server;Geo Kaarten;tst;Team Geo;CC-4401;Intern;16;128;256;NL;Actief;;Ubuntu 22.04\n"
)
"""The lead's CMDB export as Dutch Excel writes it: `;`, decimal commas, thousands dots, Dutch headers."""


def seed_lead_estate(endpoint: str) -> dict[str, str]:
    """The migration lead's estate (issue 17 review): Dutch tag keys in odd spellings, a container with CPU, memory,
    plain settings and secrets in its environment, a function with secret-valued variables, an ECS cluster tagged
    with the application only, and a server with an EBS data volume."""
    def client(service: str, region: str = "eu-west-1") -> Any:
        return boto3.client(service, region_name=region, endpoint_url=endpoint)

    def tagged(values: dict[str, str], key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
        return [{key: k, value: v} for k, v in values.items()]

    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{n}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"]["SubnetId"]
               for n, z in ((1, "a"), (2, "b"))]
    web = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    db = ec2.create_security_group(GroupName="db", Description="db", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": web}]}])
    ami = ec2.describe_images()["Images"][0]["ImageId"]
    permits = {"Applicatie": "Vergunningen", "Omgeving": "Productie", "Eigenaar": "Team Vergunningen",
               "classificatie": "Vertrouwelijk", "Persoonsgegevens": "ja"}
    instance = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="r5.2xlarge", SubnetId=subnets[0],
                                 SecurityGroupIds=[web], UserData="#!/bin/bash\nexport DB_PASSWORD=UserDataSecret123!\n",
                                 TagSpecifications=[{"ResourceType": "instance",
                                                     "Tags": tagged({**permits, "Name": "vergunningen-app01"})}]
                                 )["Instances"][0]["InstanceId"]
    ec2.create_tags(Resources=[instance], Tags=[{"Key": " Kostenplaats ", "Value": "CC-5120"}])
    volume = ec2.create_volume(AvailabilityZone="eu-west-1a", Size=500, VolumeType="gp3",
                               TagSpecifications=[{"ResourceType": "volume", "Tags": tagged(permits)}])["VolumeId"]
    ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")
    archive = {"application": "Archief", "environment": "prd", "owner": "archief@amsterdam.nl", "cost-center": "CC-7001",
               "Classificatie": "intern"}
    old = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="m5.large", SubnetId=subnets[0],
                            TagSpecifications=[{"ResourceType": "instance", "Tags": tagged({**archive, "Name": "archief-old"})}]
                            )["Instances"][0]["InstanceId"]
    ec2.stop_instances(InstanceIds=[old])
    us = client("ec2", "us-east-1")
    us.run_instances(ImageId=us.describe_images()["Images"][0]["ImageId"], MinCount=1, MaxCount=1, InstanceType="c5.xlarge",
                     TagSpecifications=[{"ResourceType": "instance", "Tags": tagged(
                         {"App": "Marktplaats Intern", "Env": "Productie", "Team": "Team Markten", "Data Classification": "openbaar"})}])
    rds = client("rds")
    rds.create_db_subnet_group(DBSubnetGroupName="vg", DBSubnetGroupDescription="vergunningen", SubnetIds=subnets)
    database = rds.create_db_instance(DBInstanceIdentifier="vergunningen-db", DBInstanceClass="db.r6g.large",
                                      Engine="postgres", EngineVersion="15.4", MasterUsername="admin",
                                      MasterUserPassword="SuperSecretRDS!9", AllocatedStorage=200,
                                      DBSubnetGroupName="vg", VpcSecurityGroupIds=[db], Tags=tagged(permits))["DBInstance"]
    host = database.get("Endpoint", {}).get("Address") or "vergunningen-db.abc.eu-west-1.rds.amazonaws.com"
    ecs = client("ecs")
    parking = {"Applicatie": "Parkeren", "Omgeving": "Productie", "Eigenaar": "Team Parkeren", "classificatie": "Vertrouwelijk"}
    ecs.create_cluster(clusterName="parkeren", tags=tagged({"Applicatie": "Parkeren"}, "key", "value"))
    task = ecs.register_task_definition(
        family="parkeren-api", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="1024", memory="2048",
        containerDefinitions=[{"name": "api", "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/parkeren-api:1.4.2",
                               "portMappings": [{"containerPort": 80}],
                               "environment": [{"name": "DB_PASSWORD", "value": "Hunter2-Parkeren-Prod!"},
                                               {"name": "PAYMENT_APIKEY", "value": "sk_live_51Hx9aQ2eZvKYlo2C8f7dGh3"},
                                               {"name": "DATABASE_URL", "value": f"postgresql://parkeer:Pw0rd123@{host}:5432/parkeren"},
                                               {"name": "DB_HOST", "value": host},
                                               {"name": "MAPS_KEY", "value": "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"},
                                               {"name": "LOG_LEVEL", "value": "info"}]}],
        tags=tagged(parking, "key", "value"))["taskDefinition"]
    ecs.create_service(cluster="parkeren", serviceName="parkeren-api", taskDefinition=task["taskDefinitionArn"],
                       desiredCount=2, launchType="FARGATE",
                       networkConfiguration={"awsvpcConfiguration": {"subnets": [subnets[0]], "securityGroups": [web]}},
                       tags=tagged(parking, "key", "value"))
    role = client("iam").create_role(RoleName="lambda-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    client("lambda").create_function(
        FunctionName="meldingen-verwerker", Runtime="python3.12", Role=role, Handler="index.handler",
        Code={"ZipFile": _zip()},
        Environment={"Variables": {"SECRET_KEY": "django-insecure-8f$k2!x9q@w7e#r5t", "SMTP_HOST": "smtp.amsterdam.nl",
                                   "Api-Token": "ghp_A1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvWx",
                                   "WEBHOOK": "https://hooks.slack.com/services/T000/B000/XXXXXXXXSECRETxxxxxxxx"}},
        Tags={"application": "Meldingen", "ENVIRONMENT": "Acceptatie", "Owner": "meldingen@amsterdam.nl",
              "CostCenter": "CC-4410", "Data-Classification": "Intern"})
    return {"instance": instance, "volume": volume, "db_host": host}
