"""`cityctl migrate`: discover an AWS or on-prem estate, map it to Azure, plan waves, generate app stack config.

The steps hand YAML files (each with a versioned `schema:`) to one another:

    discover / import-cmdb -> inventory.yaml -> map -> mapping.yaml -> waves -> waves.yaml -> generate -> app config

See docs/migration.md for the whole path and docs/app-config.md for the generated config.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EPILOG = "Progress and findings go to stderr; the YAML result to --output FILE (or stdout). See docs/migration.md."


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "migrate", help="discover an AWS or on-prem estate and plan its move to Azure",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    steps = parser.add_subparsers(dest="migrate_command", metavar="STEP", required=True)

    discover = steps.add_parser(
        "discover", help="read an AWS estate (and S3-compatible on-prem storage) into an inventory",
        description="Read EC2 (with vCPU and memory), EBS, VPCs, subnets, security groups, RDS, S3, Lambda, ECS, "
                    "ELBv2, DynamoDB, SQS, Route 53 and IAM roles from each account and region, concurrently, into "
                    "an inventory; list every other tagged resource as an orphan (Resource Groups Tagging API). "
                    "Access denied in one region or service is recorded and reported; the rest goes on.",
        epilog=EPILOG)
    discover.add_argument("--profile", action="append", default=[], metavar="NAME",
                          help="an AWS profile (one account); repeat for more accounts; none: the default credentials")
    discover.add_argument("--role-arn", action="append", default=[], metavar="ARN",
                          help="a role to assume in another account (from the first profile); repeatable")
    discover.add_argument("--organization-role", metavar="NAME",
                          help="also read every active account of the AWS Organization, through this role in each "
                               "(e.g. OrganizationAccountAccessRole), from the first profile's credentials")
    discover.add_argument("--region", action="append", default=[], metavar="REGION",
                          help="a region to read (repeatable or comma-separated); none: every enabled region")
    discover.add_argument("--services", metavar="LIST",
                          help="comma-separated collectors: ec2,network,rds,lambda,ecs,elbv2,dynamodb,sqs,sweep,s3,route53,iam "
                               "(default all; `sweep` lists what the others do not read)")
    discover.add_argument("--endpoint-url", metavar="URL",
                          help="send every AWS call to this endpoint (a moto server, a proxy); default AWS_ENDPOINT_URL or AWS")
    discover.add_argument("--s3-endpoint-url", metavar="URL",
                          help="also read buckets from this S3-compatible on-prem store (MinIO, ECS, StorageGRID)")
    discover.add_argument("--s3-profile", metavar="NAME", help="AWS profile with the on-prem store's access keys")
    discover.add_argument("--max-workers", type=_positive, default=16, metavar="N",
                          help="tasks (account x region x service) running at once (default 16)")
    discover.add_argument("--per-region", type=_positive, default=6, metavar="N",
                          help="tasks at once against one region (default 6)")
    discover.add_argument("--per-service", type=_positive, default=8, metavar="N",
                          help="per-item calls at once inside one service task (default 8)")
    discover.add_argument("--utilization-days", type=_positive, metavar="DAYS",
                          help="size servers by the p95 of their CloudWatch CPU (and agent memory) over DAYS, e.g. 14 "
                               "(default: by allocation, no CloudWatch calls)")
    discover.add_argument("--strict", action="store_true",
                          help="exit 1 when any region or service could not be read (default: report and exit 0)")
    discover.add_argument("--output", "-o", metavar="FILE", help="write the inventory here (default stdout)")
    discover.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    _overrides_option(discover)
    discover.set_defaults(handler=_discover)

    cmdb = steps.add_parser(
        "import-cmdb", help="add an on-prem CMDB export (CSV) to the inventory",
        description="Read servers, databases and storage from a CMDB export (CSV, `,` `;` or tab separated, UTF-8 "
                    "or Windows-1252, English or Dutch column names, decimal commas) into the inventory. A bad "
                    "optional cell is a warning and left out. Columns: id, name, type (required); application, environment, owner, "
                    "cost_center, data_classification, personal_data, cpu, memory_gb, engine, engine_version, "
                    "storage_gb, hostname, ip, country, platform, state, exposure, depends_on (optional). "
                    "Re-importing the same --source-name replaces the earlier rows.",
        epilog=EPILOG)
    cmdb.add_argument("csv", metavar="CSV", help="the CMDB export")
    cmdb.add_argument("--inventory", "-i", metavar="FILE",
                      help="an existing inventory to add to (from `discover`); none: a new inventory")
    cmdb.add_argument("--source-name", default="cmdb", metavar="NAME",
                      help="names this CMDB in resource ids (cmdb://NAME/<id>); default cmdb")
    cmdb.add_argument("--skip-invalid", action="store_true",
                      help="import the valid rows and report the invalid ones (default: any invalid row fails)")
    cmdb.add_argument("--output", "-o", metavar="FILE",
                      help="write the inventory here (default: the --inventory file, else stdout)")
    _overrides_option(cmdb)
    cmdb.set_defaults(handler=_import_cmdb)

    mapping = steps.add_parser(
        "map", help="give each workload a 7R strategy and each resource an Azure target and size",
        description="Decide each workload's strategy (retire, retain, rehost, relocate, replatform, refactor, "
                    "repurchase) by the rules file, map each resource to an Azure component and size, and list the "
                    "blockers (data outside the EU, unclassified personal data, unsupported engine, no owner, ...).",
        epilog=EPILOG)
    mapping.add_argument("--inventory", "-i", required=True, metavar="FILE", help="the inventory")
    mapping.add_argument("--rules", metavar="FILE",
                         help="7R strategy rules (default: scripts/migrate/strategy_rules.yaml)")
    mapping.add_argument("--output", "-o", metavar="FILE", help="write the mapping here (default stdout)")
    _overrides_option(mapping)
    mapping.set_defaults(handler=_map)

    waves = steps.add_parser(
        "waves", help="plan migration waves that respect dependencies",
        description="Place ready workloads in waves after their dependencies, hold back blocked workloads (and "
                    "what depends on them), cap each wave, and report dependency cycles with their members. "
                    "Exits 1 when a cycle holds workloads back.",
        epilog=EPILOG)
    waves.add_argument("--mapping", "-m", required=True, metavar="FILE", help="the mapping")
    waves.add_argument("--max-wave-size", type=_positive, default=10, metavar="N",
                       help="workloads per wave at most (default 10)")
    waves.add_argument("--max-wave-resources", type=_positive, metavar="N", help="resources per wave at most (default no cap)")
    waves.add_argument("--merge-cycles", action="store_true",
                       help="move the workloads of a dependency cycle together (default: hold them back)")
    waves.add_argument("--output", "-o", metavar="FILE", help="write the plan here (default stdout)")
    _overrides_option(waves)
    waves.set_defaults(handler=_waves)

    generate = steps.add_parser(
        "generate", help="write app stack config and data-copy plans for workloads ready to move",
        description="For each ready workload (of one wave, with --wave): <app>/Pulumi.<env>.yaml for the app "
                    "template (docs/app-config.md) and <app>/data-copy.<env>.yaml for its buckets and images.",
        epilog=EPILOG)
    generate.add_argument("--mapping", "-m", required=True, metavar="FILE", help="the mapping")
    generate.add_argument("--waves", "-w", metavar="FILE", help="the wave plan (held-back workloads are skipped)")
    generate.add_argument("--wave", type=_positive, metavar="N", help="only this wave (needs --waves)")
    generate.add_argument("--output-dir", "-o", required=True, metavar="DIR", help="folder to write into")
    generate.add_argument("--project", action="store_true",
                          help="make each app folder a whole Pulumi project: the app template rendered around the "
                               "stack files, so `cityctl plan <env> --project-dir <folder>/<app>` plans it")
    generate.add_argument("--location", default="westeurope", metavar="REGION",
                          help="Azure region of the apps; an EU region (default westeurope)")
    generate.add_argument("--org", metavar="ORG",
                          help="the organization in the platform StackReference: `organization`, the only one of "
                               "the city's self-managed backend (the default); checked against the backend "
                               "templates/app/Pulumi.yaml declares")
    generate.add_argument("--registry", metavar="LOGIN_SERVER",
                          help="an ACR other than the platform's; images from ECR or Docker Hub are rewritten to "
                               "it and the data-copy plan imports them (default: each environment's platform "
                               "registry, cramsterdam<env>.azurecr.io)")
    _overrides_option(generate)
    generate.set_defaults(handler=_generate)

    report = steps.add_parser(
        "report", help="write the migration lead's report: report.html and workloads.csv",
        description="One HTML page (summary, workloads with strategy, status, wave, owner, sizes, blockers and the "
                    "override line each needs, the waves, what is in no workload, and the dependency graph coloured "
                    "by wave), one CSV of the workloads for Excel, and with --waves a Markdown runbook per wave "
                    "(before, steps per workload with its owner, checks, rollback).",
        epilog=EPILOG)
    report.add_argument("--mapping", "-m", required=True, metavar="FILE", help="the mapping")
    report.add_argument("--waves", "-w", metavar="FILE", help="the wave plan (default: no waves in the report)")
    report.add_argument("--status", metavar="FILE", help="the status file (default migration/status.yaml when present)")
    report.add_argument("--output-dir", "-o", required=True, metavar="DIR", help="folder for report.html and workloads.csv")
    report.add_argument("--excel", action="store_true",
                        help="write workloads.csv for Dutch Excel: `;`-separated, UTF-8 with a byte order mark "
                             "(default: comma-separated UTF-8)")
    report.set_defaults(handler=_report)

    status = steps.add_parser(
        "status", help="record and show where each workload stands: planned, copying, cut-over, rolled-back",
        description="Reads the wave plan and the status file (migration/status.yaml), adds the plan's new workloads "
                    "as planned, applies --set changes (only moves that make sense: planned -> copying -> cut-over, "
                    "copying or cut-over -> rolled-back), writes the file and prints the state per wave.",
        epilog=EPILOG)
    status.add_argument("--waves", "-w", required=True, metavar="FILE", help="the wave plan")
    status.add_argument("--file", default=None, metavar="FILE", help="the status file (default migration/status.yaml)")
    status.add_argument("--set", action="append", default=[], metavar="WORKLOAD=STATE",
                        help="move a workload to a state (planned, copying, cut-over, rolled-back); repeatable")
    status.add_argument("--note", metavar="TEXT", help="a note recorded with each --set (who, ticket, why)")
    status.set_defaults(handler=_status)


def _overrides_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--overrides", metavar="FILE",
                        help="workload metadata and mapping tables people supply (default migration/overrides.yaml "
                             "when it exists); see docs/migration.md")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1; expected a whole number of at least 1")
    return value


def _emit(args: argparse.Namespace, document: dict[str, Any], save: Any) -> None:
    if args.output and args.output != "-":
        save(args.output, document)
    else:
        from amsterdam_cloud.scripts.migrate.yaml_documents import dump_yaml
        sys.stdout.write(dump_yaml(document))


def _endpoint(where: str, url: str | None) -> str | None:
    """An endpoint URL botocore can use (http or https with a host), else a UserError naming where it came from."""
    from urllib.parse import urlsplit

    from amsterdam_cloud.core.errors import UserError

    if url is None:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError as error:
        raise UserError(f"{where}: {url!r} is not a URL ({error}); expected e.g. http://127.0.0.1:5000") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"{where}: {url!r} is not an http(s) URL with a host; expected e.g. http://127.0.0.1:5000")
    return url


def _discover(args: argparse.Namespace) -> int:
    import os

    from amsterdam_cloud.scripts.migrate import aws, discover, inventory
    from amsterdam_cloud.scripts.migrate.progress import Progress

    regions = tuple(r.strip() for given in args.region for r in given.split(",") if r.strip())
    services = tuple(s.strip() for s in args.services.split(",") if s.strip()) if args.services else aws.SERVICES
    endpoint = _endpoint("--endpoint-url", args.endpoint_url) if args.endpoint_url else \
        _endpoint("AWS_ENDPOINT_URL", os.environ.get("AWS_ENDPOINT_URL") or None)
    _endpoint("--s3-endpoint-url", args.s3_endpoint_url)
    onprem_session = None
    if args.s3_profile:
        onprem_session = discover.sessions_for([args.s3_profile], [])[0].session_factory
    options = discover.Options(regions=regions, services=services, endpoint_url=endpoint,
                               onprem_s3_endpoint=args.s3_endpoint_url, onprem_s3_session_factory=onprem_session,
                               max_workers=args.max_workers, per_region=args.per_region, per_service=args.per_service,
                               utilization_days=args.utilization_days)
    progress = Progress("discover", quiet=args.quiet)
    from amsterdam_cloud.scripts.migrate import overrides

    given = overrides.load(args.overrides)
    sources = discover.sessions_for(args.profile, args.role_arn, endpoint_url=endpoint)
    if args.organization_role:
        base = discover.sessions_for(args.profile[:1], [], endpoint_url=endpoint)[0]
        sources = discover.organization_accounts(base, args.organization_role, endpoint_url=endpoint,
                                                 also=[s for s in sources if s.label != base.label])
    document = discover.discover(sources, options, progress, overrides=given)
    summary = document["summary"]
    progress.finish(f"{summary['resources']} resources in {summary['workloads']} workloads, "
                    f"{summary['orphans']} orphan(s) no collector reads, {summary['errors']} gap(s)")
    _emit(args, document, inventory.save)
    return 1 if args.strict and document["errors"] else 0


def _import_cmdb(args: argparse.Namespace) -> int:
    from pathlib import Path

    from amsterdam_cloud.scripts.migrate import cmdb, inventory, overrides

    given = overrides.load(args.overrides)
    existing = inventory.load(args.inventory) if args.inventory else None
    document, errors, warnings = cmdb.import_cmdb(Path(args.csv), existing, source_name=args.source_name,
                                                  skip_invalid=args.skip_invalid, overrides=given)
    note = cmdb.encoding_note(args.csv, document["sources"][-1]["encoding"])
    if note:
        print(f"note: {note}", file=sys.stderr)
    for warning in warnings:
        print(f"warning: {args.csv}: {warning}", file=sys.stderr)
    for error in errors:
        print(f"warning: {args.csv}: {error}; row skipped", file=sys.stderr)
    source = document["sources"][-1]
    print(f"import-cmdb: {source['imported']} of {source['rows']} rows imported ({source['encoding']}), "
          f"{len(errors)} invalid, {len(warnings)} cell warning(s); "
          f"inventory has {document['summary']['resources']} resources in {document['summary']['workloads']} workloads",
          file=sys.stderr)
    if not args.output and args.inventory:
        args.output = args.inventory
    _emit(args, document, inventory.save)
    return 0


def _map(args: argparse.Namespace) -> int:
    from amsterdam_cloud.scripts.migrate import inventory, mapping, overrides, strategy
    from amsterdam_cloud.scripts.migrate.yaml_documents import display

    rules = strategy.load(args.rules)
    given = overrides.load(args.overrides)
    document = inventory.load(args.inventory)
    result = mapping.map_inventory(document, rules, inventory_source=display(args.inventory),
                                   inventory_digest=mapping.digest(args.inventory), overrides=given)
    excluded = [w["id"] for w in result["workloads"] if given.workload(w["id"]).get("exclude")]
    for line in given.unknown_workloads([w["id"] for w in result["workloads"]]):
        print(f"warning: {line}", file=sys.stderr)
    for workload in result["workloads"]:
        if workload["id"] in excluded:  # left out on purpose: its blockers are no work to do
            continue
        for blocker in workload["blockers"]:
            label = "blocked" if blocker["tier"] == mapping.PLANNING else "needs"
            print(f"{label}: {workload['id']}: {blocker['code']}: {blocker['message']}", file=sys.stderr)
            if blocker.get("needs"):
                wanted = blocker["needs"]
                print(f"  add to {wanted['file']} under `{wanted['under']}`:  {wanted['line']}", file=sys.stderr)
    summary = result["summary"]
    strategies = ", ".join(f"{k} {v}" for k, v in summary["byStrategy"].items()) or "none"
    print(f"map: {summary['workloads']} workloads: {summary['ready']} ready, {summary['needs']} need input, "
          f"{summary['incomplete']} incomplete, {summary['blocked']} blocked, {summary['not-moving']} not moving "
          f"({strategies}); {len(result['unassigned'])} resources in no workload, {len(result['orphans'])} orphans "
          "(listed in the mapping)", file=sys.stderr)
    if excluded:
        print(f"map: excluded in {given.file} (not reported above): {', '.join(excluded)}", file=sys.stderr)
    _emit(args, result, mapping.save)
    return 0


def _waves(args: argparse.Namespace) -> int:
    from amsterdam_cloud.scripts.migrate import mapping, overrides, waves
    from amsterdam_cloud.scripts.migrate.yaml_documents import display

    given = overrides.load(args.overrides)
    document = mapping.load(args.mapping)
    result = waves.plan(document, max_workloads=args.max_wave_size, max_resources=args.max_wave_resources,
                        merge_cycles=args.merge_cycles, mapping_source=display(args.mapping),
                        mapping_digest=mapping.digest(args.mapping), overrides=given)
    sys.stderr.write(waves.table(result))
    for cycle in result["cycles"]:
        print(f"cycle: {', '.join(cycle['workloads'])} ({cycle['path']})"
              + ("; they move together" if args.merge_cycles else "; held back (break the cycle or --merge-cycles)"),
              file=sys.stderr)
    summary = result["summary"]
    for late in result["pinsMissed"]:
        print(f"pin: {late}", file=sys.stderr)
    print(f"waves: {summary['planned']} workloads in {summary['waves']} waves ({summary['provisional']} provisional), "
          f"{summary['heldBack']} held back, {summary['excluded']} excluded, {summary['cycles']} cycle(s)",
          file=sys.stderr)
    _emit(args, result, waves.save)
    return 1 if result["cycles"] and not args.merge_cycles else 0


def _generate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from amsterdam_cloud.scripts.migrate import generate, mapping, overrides, waves
    from amsterdam_cloud.scripts.migrate.yaml_documents import display

    given = overrides.load(args.overrides)
    document = mapping.load(args.mapping)
    plan = waves.load(args.waves) if args.waves else None
    recorded = (plan or {}).get("mapping") or {}
    if plan is not None and recorded.get("sha256") not in (None, mapping.digest(args.mapping)):
        from amsterdam_cloud.core.errors import UserError

        raise UserError(f"{display(args.waves)}: mapping.sha256: the wave plan was made from another mapping "
                        f"({recorded.get('file') or 'unknown file'}); run `cityctl migrate waves --mapping "
                        f"{display(args.mapping)}` again")
    options = generate.Options(location=args.location, registry=args.registry, wave=args.wave, project=args.project,
                               **({"organization": args.org} if args.org is not None else {}))
    files, summary = generate.plan_files(document, options, waves=plan, mapping_source=display(args.mapping),
                                         overrides=given, previous=generate.read_summary(Path(args.output_dir)))
    generate.write(Path(args.output_dir), files)
    for entry in summary["skipped"]:
        print(f"skipped: {entry['workload']}: {entry['reason']}", file=sys.stderr)
    print(f"generate: {len(summary['written'])} workloads, {len(files)} files in {display(args.output_dir)}",
          file=sys.stderr)
    return 0


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from amsterdam_cloud.scripts.files import write_atomically
    from amsterdam_cloud.scripts.migrate import mapping, report, status, waves
    from amsterdam_cloud.scripts.migrate.yaml_documents import display

    document = mapping.load(args.mapping)
    plan = waves.load(args.waves) if args.waves else None
    progress = status.load(args.status or status.DEFAULT_PATH)
    table = report.rows(document, plan, progress)
    page = report.to_html(document, plan, table)
    out = Path(args.output_dir)
    write_atomically(out / "workloads.csv", report.to_csv(table, excel=args.excel))
    write_atomically(out / "report.html", page)
    for name, text in (report.runbooks(document, plan) if plan else {}).items():
        write_atomically(out / name, text)
    print(f"report: {len(table)} workloads in {display(out / 'report.html')} and {display(out / 'workloads.csv')}",
          file=sys.stderr)
    return 0


def _status(args: argparse.Namespace) -> int:
    from amsterdam_cloud.core.errors import UserError
    from amsterdam_cloud.scripts.migrate import status, waves

    path = args.file or status.DEFAULT_PATH
    document = status.with_plan(status.load(path), waves.load(args.waves))
    for change in args.set:
        workload, _, state = change.partition("=")
        if not state:
            raise UserError(f"--set {change}: expected WORKLOAD=STATE, e.g. permits/prod=copying")
        document = status.change(document, workload.strip(), state.strip(), note=args.note)
    status.save(path, document)
    sys.stderr.write(status.table(document))
    return 0
