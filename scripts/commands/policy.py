"""`cityctl policy`: check a plan or a `pulumi stack export` file against the city's policy pack, list its rules."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from amsterdam_cloud.core.environments import ENVIRONMENT_CHOICES, ENVIRONMENTS, environment_of_stack
from amsterdam_cloud.core.errors import UserError, display
from amsterdam_cloud.scripts.files import write_output

FORMATS = ("text", "json", "sarif", "junit")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "policy", help="check a plan or stack export against the policy pack (residency, BIO baseline, tags)",
        description=__doc__)
    commands = parser.add_subparsers(dest="policy_command", metavar="ACTION", required=True)

    check = commands.add_parser(
        "check", help="check an offline plan or a `pulumi stack export` file",
        description="Run every rule of the amsterdam-baseline pack over the resources of FILE (an offline plan "
                    "from `cityctl plan` or the output of `pulumi stack export`), with the enforcement levels and "
                    "settings of the environment's pack config and the waivers file. Exits 1 when a mandatory "
                    "rule is violated or a waiver has expired, 2 on malformed input.",
        epilog="Human output goes to stderr; --format json|sarif|junit to --output FILE or stdout.")
    check.add_argument("file", type=Path, metavar="FILE", help="plan or stack export JSON (`-` for stdin)")
    check.add_argument("--environment", choices=ENVIRONMENTS,
                       help="levels and settings of this environment (default: from the stack name)")
    check.add_argument("--stack", metavar="NAME", help="stack name for waivers (default: from the root stack URN)")
    check.add_argument("--waivers", type=Path, metavar="FILE", help="waivers file (default: policies/waivers.yaml)")
    check.add_argument("--format", choices=FORMATS, default="text", help="report format (default text)")
    check.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the report here (default stdout; "
                       "text goes to stderr)")
    check.add_argument("--evidence", type=Path, metavar="FILE",
                       help="also write the auditor's evidence report (.md for Markdown, .html for HTML)")
    check.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                       help="judge waiver expiry as of this date (default today)")
    check.add_argument("--project-dir", type=Path, metavar="DIR",
                       help="the Pulumi project of the plan, where SARIF results point at the program line that "
                            "declared each resource (default: the project the current folder is in)")
    check.set_defaults(handler=run_check)

    pack_dir = commands.add_parser(
        "pack-dir", help="print the installed CrossGuard pack folder (for `pulumi preview --policy-pack`)",
        description="Print the folder of the amsterdam-baseline pack as installed with this toolkit, to pass to "
                    "`pulumi preview --policy-pack`; with --environment, print that environment's pack config file "
                    "(for --policy-pack-config) instead.")
    pack_dir.add_argument("--environment", choices=ENVIRONMENTS, help="print this environment's pack config file")
    pack_dir.set_defaults(handler=run_pack_dir)

    waivers = commands.add_parser(
        "waivers", help="list the waivers with their days left, and the stale ones in the given plans",
        description="List every waiver (the toolkit's and the current project's) with its days left, owner, "
                    "approver and ticket. Given plans or stack exports, each waiver that names one of their stacks "
                    "is checked against it: `in use` (it waives a finding), `stale` (it waives nothing there: "
                    "remove it), `expired` or `too long` (beyond the environment's maximum for its severity). "
                    "Exits 1 when a waiver is expired, too long or stale, 2 on malformed input.",
        epilog="The list goes to stderr; --format json to --output FILE or stdout.")
    waivers.add_argument("plans", type=Path, nargs="*", metavar="PLAN",
                         help="plans from `cityctl plan` or `pulumi stack export` files (the environment from each "
                              "stack name)")
    waivers.add_argument("--waivers", type=Path, metavar="FILE", help="waivers file (default: policies/waivers.yaml)")
    waivers.add_argument("--format", choices=("text", "json"), default="text", help="report format (default text)")
    waivers.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the JSON here (default stdout)")
    waivers.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                         help="count days left from this date (default today)")
    waivers.set_defaults(handler=run_waivers)

    rules = commands.add_parser("rules", help="list the pack's rules with severity, controls and remediation",
                                description="List every rule id, its severity, BIO and CIS controls and remediation.")
    rules.add_argument("--environment", choices=ENVIRONMENTS, help="also show the level in this environment")
    rules.set_defaults(handler=run_rules)


def _read_export(path: Path) -> dict:
    from amsterdam_cloud.policies.checker import paused_gc
    from amsterdam_cloud.core.documents import decode, load_json, read_bytes
    from amsterdam_cloud.scripts.offline.export_shape import check_export

    what = "plan from `cityctl plan` or `pulumi stack export` file"
    if str(path) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        name, data = "<stdin>", stream.read() if stream is not None else None
        text = decode(data, name) if data is not None else sys.stdin.read()
    else:
        name, data = display(path), read_bytes(path, what)
        text = decode(data, name)
    with paused_gc():  # parsing a large export is 2-3x faster without collections
        document = load_json(text, name, what, data=data)
    return check_export(document, name)  # the same shape check as `plan --against` and `deploy`


def _waivers(path: Path | None) -> tuple:
    """The toolkit's waivers (or `path`), plus those of the project the current folder is in, if any."""
    from amsterdam_cloud.scripts.delivery.gate import load_gate_waivers
    from amsterdam_cloud.scripts.offline.project_file import find_root

    return load_gate_waivers(path, project_root=find_root(Path.cwd().resolve()))


def _stack_and_environment(source: str, found_stack: str, stack: str | None,
                           environment: str | None) -> tuple[str, str]:
    stack = stack or found_stack
    environment = environment or environment_of_stack(stack)
    if environment is None:
        raise UserError(f"{source}: stack {stack!r} does not name an environment; pass --environment "
                        f"{ENVIRONMENT_CHOICES}")
    return stack, environment


def _sha256(path: Path) -> str:
    """The checked file's SHA-256, so the evidence names exactly what was checked ("" for stdin)."""
    import hashlib

    return "" if str(path) == "-" else hashlib.sha256(path.read_bytes()).hexdigest()


def _plan_commit(file: Path, sha256: str) -> str:
    """The commit the checked plan was made at, from its provenance sidecar (`cityctl plan` writes it); never the
    checking checkout's HEAD, which may be another commit than the plan's (a plan checked later from an artifact)."""
    from amsterdam_cloud.scripts.offline.provenance import NOT_RECORDED, plan_commit

    return f"{NOT_RECORDED} (read from standard input)" if str(file) == "-" else plan_commit(file, sha256)


def _program_files(project_dir: Path | None, stack: str, plan_project: str) -> tuple[Path | None, Path | None]:
    """The project root and the stack's config file that SARIF results are located in (None where unknown): the
    project of `--project-dir` or of the current folder, when it is the project the plan is of."""
    from amsterdam_cloud.scripts.offline.project import PulumiProject, find_root

    root = find_root((project_dir or Path.cwd()).resolve())
    project = PulumiProject.load(root) if root is not None else None
    if project is None or project.name != plan_project:
        if project_dir is not None:
            found = f"holds project {project.name}" if project is not None else "has no Pulumi.yaml there or above"
            raise UserError(f"--project-dir {display(project_dir)}: {found}, but the plan is of project "
                            f"{plan_project}; name the folder of that project's Pulumi.yaml")
        return None, None
    return root, project.stack_file(stack.rsplit("/", 1)[-1])


def run_check(args: argparse.Namespace) -> int:
    from amsterdam_cloud.policies.checker import paused_gc

    with paused_gc():  # the export's millions of objects live until the end: a collection would walk them all
        return _check(args)


def _check(args: argparse.Namespace) -> int:
    from amsterdam_cloud.policies.checker import (LEFT_TO_EXIT_FROM, check_resources, leave_to_exit, parse_resources,
                                                  render)

    source = "<stdin>" if str(args.file) == "-" else display(args.file)
    export = _read_export(args.file)
    resources, found_stack = parse_resources(export, source)
    stack, environment = _stack_and_environment(source, found_stack, args.stack, args.environment)
    print(f"checking {len(resources)} resources of stack {stack} against the {environment} policy levels…",
          file=sys.stderr)
    result = check_resources(resources, environment=environment, stack=stack, waivers=_waivers(args.waivers),
                             today=args.today, source=source)
    if len(resources) >= LEFT_TO_EXIT_FROM:
        leave_to_exit(export, resources, result)
    if args.format == "sarif" and resources:
        from amsterdam_cloud.policies.rule_model import project_of

        result.project_root, result.stack_file = _program_files(args.project_dir, stack, project_of(resources[0].urn))
    if args.evidence:
        result.source_sha256 = _sha256(args.file)
        result.commit = _plan_commit(args.file, result.source_sha256)
        fmt = "evidence-html" if args.evidence.suffix.lower() in (".html", ".htm") else "evidence-md"
        where = write_output(args.evidence, render(result, fmt))
        print(f"evidence report written to {where}", file=sys.stderr)
    from amsterdam_cloud.policies.reports.text import render_text_summary

    report = render(result, args.format)
    if args.output:
        where = write_output(args.output, report)
        if args.format != "text":
            print(render_text_summary(result).rstrip(), file=sys.stderr)
        print(f"{args.format} report written to {where}", file=sys.stderr)
    elif args.format == "text":
        print(report.rstrip(), file=sys.stderr)
    else:
        sys.stdout.write(report)
        print(render_text_summary(result).rstrip(), file=sys.stderr)
    return 1 if result.failed else 0


def run_waivers(args: argparse.Namespace) -> int:
    from amsterdam_cloud.policies.checker import check_resources, parse_resources
    from amsterdam_cloud.policies.reports.waivers import render_waivers_json, render_waivers_text, waiver_statuses

    today = args.today or dt.date.today()
    waivers = _waivers(args.waivers)
    results = []
    for path in args.plans:
        source = display(path)
        resources, found_stack = parse_resources(_read_export(path), source)
        stack, environment = _stack_and_environment(source, found_stack, None, None)
        results.append(check_resources(resources, environment=environment, stack=stack, waivers=waivers,
                                       today=today, source=source))
    statuses = waiver_statuses(waivers, results, today)
    if args.format == "json":
        report = render_waivers_json(statuses)
        if args.output:
            print(f"json report written to {write_output(args.output, report)}", file=sys.stderr)
        else:
            sys.stdout.write(report)
    print(render_waivers_text(statuses, len(results)).rstrip(), file=sys.stderr)
    return 1 if any(s.status in ("expired", "too long", "stale") for s in statuses) else 0


def run_rules(args: argparse.Namespace) -> int:
    from amsterdam_cloud.policies.rules import ALL_RULES
    from amsterdam_cloud.policies.settings import load_pack_config

    config = load_pack_config(args.environment) if args.environment else None
    for rule in ALL_RULES:
        level = f" [{config.level(rule.id)}]" if config else ""
        print(f"{rule.id}{level}  {rule.severity.value}  {', '.join(rule.controls)}\n    {rule.title}. "
              f"Fix: {rule.remediation}")
    print(f"{len(ALL_RULES)} rules", file=sys.stderr)
    return 0


def run_pack_dir(args: argparse.Namespace) -> int:
    from amsterdam_cloud.policies.settings import PACK_DIR, config_path

    path = config_path(args.environment) if args.environment else PACK_DIR
    if not path.exists():
        raise UserError(f"{path}: not installed; reinstall amsterdam-cloud (the wheel carries the pack)")
    print(path)
    return 0
