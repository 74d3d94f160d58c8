"""Discovery of an AWS estate (and S3-compatible on-prem storage): many accounts and regions, concurrently.

How the work is bounded:

- one task per (account, region, collector) plus one per (account, global collector), run on a thread pool of
  `max_workers`;
- at most `per_region` tasks talk to one account's region at a time, so a big estate never floods one endpoint;
- inside a task, per-item calls (a bucket's encryption, a target group's health) fan out over at most
  `per_service` threads;
- every client uses botocore's `adaptive` retry mode (client-side rate limiting plus retries on throttling).

A task that fails (access denied in a region, a service not enabled, an endpoint that does not answer) is
recorded in the inventory's `errors` and reported on stderr; the other tasks go on. Inside a task, a call about
one item (a bucket's tags, a function's tags, a task definition) or one part of a service (EC2's volumes, RDS's
clusters) that fails is a gap on that item or part (`errors[].resource`, `errors[].operation`); the rest is read.
The `sweep` collector lists every tagged resource of the region (Resource Groups Tagging API); those no other
collector read are the inventory's `orphans`, so nothing disappears silently. Credentials and region names
are checked before any task starts, so a missing profile or an unknown region fails at once with one clear line.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Sequence

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.migrate import aws
from amsterdam_cloud.scripts.migrate.inventory import build
from amsterdam_cloud.scripts.migrate.overrides import NONE, Overrides
from amsterdam_cloud.scripts.migrate.progress import Progress

DEFAULT_HOME_REGION = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}


@dataclass(frozen=True, kw_only=True)
class AccountSource:
    """Where one account's credentials come from."""

    label: str
    """How messages name the account: the profile, the role ARN, or `default`."""
    session_factory: Callable[[], Any]
    """Returns a boto3 Session with this account's credentials (called once, in the main thread)."""


@dataclass(frozen=True, kw_only=True)
class Options:
    """What to discover and how hard to push; each default is what a normal estate needs."""

    regions: tuple[str, ...] = ()
    """Regions to read; empty: every region enabled in each account (ec2:DescribeRegions)."""
    services: tuple[str, ...] = aws.SERVICES
    """Collectors to run (see `aws.SERVICES`); all of them unless narrowed."""
    endpoint_url: str | None = None
    """One endpoint for every AWS API (a moto server, a VPC endpoint proxy); none: AWS's public endpoints."""
    onprem_s3_endpoint: str | None = None
    """An S3-compatible on-prem store to read buckets from as well; none: no on-prem object storage."""
    onprem_s3_session_factory: Callable[[], Any] | None = None
    """Credentials for the on-prem store; none: the first account's credentials."""
    max_workers: int = 16
    """Tasks running at once across all accounts and regions."""
    per_region: int = 6
    """Tasks running at once against one account's region."""
    per_service: int = 8
    """Per-item calls running at once inside one task."""
    max_attempts: int = 8
    """Attempts per call in botocore's adaptive retry mode."""
    utilization_days: int | None = None
    """Read CloudWatch CPU and memory of each running instance over this many days (sizing by p95); None:
    allocation only (no CloudWatch calls)."""


def sessions_for(profiles: Sequence[str], role_arns: Sequence[str], *,
                 endpoint_url: str | None = None) -> list[AccountSource]:
    """Account sources for `--profile` and `--role-arn` options; none given: the default credential chain.

    Roles are assumed from the first profile's credentials (or the default chain) when the task list is built.
    """
    import boto3

    def profile_session(name: str | None) -> Callable[[], Any]:
        def make() -> Any:
            from botocore.exceptions import ProfileNotFound
            try:
                return boto3.Session(profile_name=name)
            except ProfileNotFound:
                raise UserError(f"--profile {name}: no such AWS profile in ~/.aws/config or ~/.aws/credentials; "
                                "run `aws configure list-profiles` to see the names")
        return make

    sources = [AccountSource(label=f"profile {p}", session_factory=profile_session(p)) for p in profiles]
    base = profile_session(profiles[0]) if profiles else profile_session(None)
    sources += [AccountSource(label=f"role {arn}", session_factory=_role_session(arn, base, endpoint_url))
                for arn in role_arns]
    return sources or [AccountSource(label="default credentials", session_factory=profile_session(None))]


def _role_session(arn: str, base: Callable[[], Any], endpoint_url: str | None) -> Callable[[], Any]:
    """A factory of sessions with the role's temporary credentials, assumed from `base`'s."""
    import boto3

    def make() -> Any:
        from botocore.exceptions import BotoCoreError, ClientError
        sts = base().client("sts", endpoint_url=endpoint_url)
        try:
            credentials = sts.assume_role(RoleArn=arn, RoleSessionName="cityctl-migrate-discover")["Credentials"]
        except ClientError as error:
            raise UserError(f"--role-arn {arn}: cannot assume the role ({_code(error)}: {_message(error)}); "
                            "check the role's trust policy names your principal")
        except BotoCoreError as error:
            raise UserError(f"--role-arn {arn}: cannot assume the role ({error}); check your base credentials")
        return boto3.Session(aws_access_key_id=credentials["AccessKeyId"],
                             aws_secret_access_key=credentials["SecretAccessKey"],
                             aws_session_token=credentials["SessionToken"])
    return make


def organization_accounts(base: AccountSource, role_name: str, *, endpoint_url: str | None = None,
                          also: Sequence[AccountSource] = ()) -> list[AccountSource]:
    """The base account and every other active account of its AWS Organization, each through `role_name`.

    The base credentials must be allowed `organizations:ListAccounts` (the management account or a delegated
    administrator); each member account's role (`OrganizationAccountAccessRole` or a read-only one) must trust them.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    if not re.match(r"^[\w+=,.@-]{1,64}$", role_name):
        raise UserError(f"--organization-role {role_name!r}: not an IAM role name; expected e.g. "
                        "OrganizationAccountAccessRole")
    session = base.session_factory()
    try:
        caller = session.client("sts", endpoint_url=endpoint_url).get_caller_identity()
        organizations = session.client("organizations", endpoint_url=endpoint_url)
        accounts = [a for page in organizations.get_paginator("list_accounts").paginate() for a in page["Accounts"]]
    except ClientError as error:
        raise UserError(f"--organization-role: cannot list the organization's accounts ({_code(error)}: "
                        f"{_message(error)}); run it with the management account's (or a delegated "
                        "administrator's) credentials, which need organizations:ListAccounts")
    except BotoCoreError as error:
        raise UserError(f"--organization-role: cannot reach AWS Organizations ({error}); check --endpoint-url")
    partition = caller["Arn"].split(":")[1]
    members = sorted(a["Id"] for a in accounts if a.get("Status", "ACTIVE") == "ACTIVE" and a["Id"] != caller["Account"])
    roles = [AccountSource(label=f"organization account {account}", session_factory=_role_session(
        f"arn:{partition}:iam::{account}:role/{role_name}", base.session_factory, endpoint_url)) for account in members]
    return [base, *also, *roles]


@dataclass
class _Account:
    label: str
    session: Any
    account: str
    partition: str
    home_region: str
    regions: list[str]
    client_lock: threading.Lock = field(default_factory=threading.Lock)
    clients: dict[tuple[str, str], Any] = field(default_factory=dict)


def discover(accounts: Sequence[AccountSource], options: Options, progress: Progress, *,
             overrides: Overrides = NONE) -> dict[str, Any]:
    """Read every account, region and service asked for, and return the inventory document."""
    unknown = sorted(set(options.services) - set(aws.SERVICES))
    if unknown:
        raise UserError(f"--services: unknown service {unknown[0]!r}; expected some of {', '.join(aws.SERVICES)}")
    config = _client_config(options)
    prepared = [_prepare(source, options, config) for source in accounts]
    tasks = _tasks(prepared, options)
    progress.add_total(len(tasks))
    region_limits: dict[tuple[str, str], threading.Semaphore] = defaultdict(lambda: threading.Semaphore(options.per_region))
    for account, region, _name in tasks:
        region_limits[(account.account, region)]  # create every semaphore up front, in one thread
    records: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    swept: dict[str, dict[str, Any]] = {}

    def run(account: _Account, region: str, name: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        with region_limits[(account.account, region)]:
            return _run_collector(account, region, name, options, config)

    with ThreadPoolExecutor(max_workers=max(1, options.max_workers), thread_name_prefix="discover") as pool:
        futures = {pool.submit(run, *task): task for task in tasks}
        for future in as_completed(futures):
            account, region, name = futures[future]
            try:
                found, gaps = future.result()
            except Exception as error:  # one scope's failure is a recorded gap, never the end of the run
                entry = _error_entry(account, region, name, error)
                errors.append(entry)
                progress.note(f"warning: {entry['service']} in {entry['region']} ({account.label}): "
                              f"{entry['code']}: {entry['message']}; skipped, the rest goes on")
                progress.advance(f"{name} {region}: failed")
                continue
            for gap in gaps:  # one item (or one part of a service) could not be read; the rest of it was
                errors.append(gap)
                progress.note(f"warning: {gap['service']} in {gap['region']} ({account.label}): {gap['operation']} "
                              f"{gap.get('resource', '(part of the service)')}: {gap['code']}; that item is a gap")
            if name == aws.SWEEP:
                swept.update({entry["id"]: aws.orphan(entry, account.account) for entry in found})
            else:
                records.extend(found)
            progress.advance(f"{name} {region}: {len(found)}")
    errors.sort(key=lambda e: (e["account"], e["region"], e["service"], e.get("resource", "")))
    read = {r["id"] for r in records}
    orphans = [o for arn, o in sorted(swept.items()) if arn not in read and not aws.read_as_part(arn)]
    sources = [{"kind": "aws", "account": a.account, "credentials": a.label, "regions": a.regions,
                "services": [s for s in options.services]} for a in prepared]
    if options.onprem_s3_endpoint:
        sources.append({"kind": "onprem-s3", "endpoint": options.onprem_s3_endpoint})
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return build(records, sources=sources, errors=errors, generated_at=now, overrides=overrides, orphans=orphans)


# ---------------------------------------------------------------------------------------------------------------

def _client_config(options: Options) -> Any:
    from botocore.config import Config

    return Config(retries={"mode": "adaptive", "max_attempts": options.max_attempts},
                  max_pool_connections=max(10, options.per_service * 2 + 2),
                  connect_timeout=10, read_timeout=60, user_agent_extra="cityctl-migrate")


def _prepare(source: AccountSource, options: Options, config: Any) -> _Account:
    """Check the credentials (sts:GetCallerIdentity) and settle the account's regions, before any task runs."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

    session = source.session_factory()
    try:
        credentials = session.get_credentials()
    except BotoCoreError as error:
        raise UserError(f"{source.label}: cannot load the AWS credentials ({error}); run `aws sso login` or fix "
                        "the profile in ~/.aws/config")
    try:
        if credentials is None:
            raise NoCredentialsError()
        home = session.region_name or "us-east-1"
        identity = session.client("sts", region_name=home, endpoint_url=options.endpoint_url,
                                  config=config).get_caller_identity()
    except NoCredentialsError:
        raise UserError(f"{source.label}: no AWS credentials found; set AWS_PROFILE or pass --profile, or run "
                        "`aws sso login` (or `aws configure`) first")
    except ClientError as error:
        raise UserError(f"{source.label}: the credentials were refused ({_code(error)}: {_message(error)}); "
                        "refresh them (`aws sso login`) or pass another --profile")
    except (BotoCoreError, NoRegionError) as error:
        raise UserError(f"{source.label}: cannot reach AWS STS ({error}); check --endpoint-url and the network")
    partition = identity["Arn"].split(":")[1]
    home_region = DEFAULT_HOME_REGION.get(partition, home)
    known = set(session.get_available_regions("ec2", partition_name=partition))
    if options.regions:
        for region in options.regions:
            if region not in known:
                raise UserError(f"--region {region}: unknown region in partition {partition}; expected one of "
                                f"{', '.join(sorted(known))}")
        regions = list(dict.fromkeys(options.regions))
    elif any(name in aws.REGIONAL_COLLECTORS for name in options.services):
        try:
            ec2 = session.client("ec2", region_name=home_region, endpoint_url=options.endpoint_url, config=config)
            regions = sorted(r["RegionName"] for r in ec2.describe_regions()["Regions"])
        except ClientError as error:
            raise UserError(f"{source.label}: cannot list the enabled regions ({_code(error)}: {_message(error)}); "
                            "pass them with --region")
    else:
        regions = []
    return _Account(label=source.label, session=session, account=identity["Account"], partition=partition,
                    home_region=home_region, regions=regions)


def _tasks(accounts: list[_Account], options: Options) -> list[tuple[_Account, str, str]]:
    """Tasks longest first, then round-robin over regions, so the pool spreads over endpoints from the start.

    The account-wide tasks go first: S3 reads every bucket of the account in one task, so it is the longest one,
    and a long task that starts last makes the whole run wait for it.
    """
    tasks = []
    for account in accounts:
        tasks += [(account, aws.GLOBAL_REGION, name) for name in aws.GLOBAL_COLLECTORS if name in options.services]
    if options.onprem_s3_endpoint and accounts:
        tasks.append((accounts[0], "onprem", "onprem-s3"))
    regional = [name for name in aws.REGIONAL_COLLECTORS if name in options.services]
    for name in regional:
        for account in accounts:
            for region in account.regions:
                tasks.append((account, region, name))
    return tasks


def _run_collector(account: _Account, region: str, name: str, options: Options,
                   config: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The records one collector read in one account and region, and the gaps on items it could not read."""
    onprem = name == "onprem-s3"
    call_region = account.home_region if region in (aws.GLOBAL_REGION, "onprem") else region
    endpoint = options.onprem_s3_endpoint if onprem else options.endpoint_url
    session = account.session
    if onprem and options.onprem_s3_session_factory is not None:
        session = options.onprem_s3_session_factory()

    if onprem:  # S3-compatible stores want path-style addressing (no bucket name in the host)
        from botocore.config import Config
        config = config.merge(Config(s3={"addressing_style": "path"}))

    def client(service: str) -> Any:
        key = (service if not onprem else "onprem-s3", call_region)
        with account.client_lock:  # sessions are not thread-safe; clients are
            if key not in account.clients:
                account.clients[key] = session.client(service, region_name=call_region, endpoint_url=endpoint,
                                                      config=config)
            return account.clients[key]

    with ThreadPoolExecutor(max_workers=max(1, options.per_service), thread_name_prefix=f"{name}-{region}") as pool:
        def fanout(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
            return list(pool.map(function, items))

        scope = aws.Scope(account=account.account, partition=account.partition, region=region,
                          home_region=account.home_region, client=client, fanout=fanout, service=name,
                          utilization_days=options.utilization_days)
        if onprem:
            return aws.collect_s3(scope, onprem_endpoint=options.onprem_s3_endpoint), scope.gaps
        collectors = {**aws.REGIONAL_COLLECTORS, **aws.GLOBAL_COLLECTORS}
        return collectors[name][1](scope), scope.gaps


def _error_entry(account: _Account, region: str, name: str, error: Exception) -> dict[str, Any]:
    return {"account": account.account, "region": region, "service": name, **aws.describe_error(error)}


def _code(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def _message(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Message", "")) or str(error)
