"""`cityctl plan`: run the real Pulumi program of a stack offline under mocks, save the plan, check it against policy."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.core.errors import UserError, display

if TYPE_CHECKING:
    from amsterdam_cloud.scripts.offline.stack_plans import StackOutcome


def add_project_options(parser: argparse.ArgumentParser) -> None:
    """--project-dir and --plans-dir, the same for every command that plans a project."""
    parser.add_argument("--project-dir", type=Path, metavar="DIR",
                        help="the Pulumi project folder (default: the current folder or its nearest parent with a "
                             "Pulumi.yaml, as the Pulumi CLI finds it)")
    parser.add_argument("--plans-dir", type=Path, metavar="DIR",
                        help="where plans are saved and StackReferences resolve from (default: $CITYCTL_PLANS_DIR, "
                             "else the project's out/plans)")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "plan", help="plan a stack offline (no Pulumi CLI, no Azure) and check it against the policy pack",
        description="Run the project's real Pulumi program for a stack in-process under the Pulumi SDK's mocks, "
                    "print a preview-like tree, save the plan in the shape of `pulumi stack export` and run the "
                    "policy check on it. Exits 1 when the program fails or a mandatory policy is violated.")
    parser.add_argument("stacks", nargs="*", metavar="STACK", help="stack name(s), e.g. dev; see --all")
    parser.add_argument("--all", action="store_true", help="plan every stack that has a stack file")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="where to write the plan JSON (default: <plans-dir>/<project>.<stack>.json); "
                             "`-` writes it to stdout")
    add_project_options(parser)
    parser.add_argument("--against", type=Path, metavar="FILE",
                        help="diff the plan against an earlier plan or a `pulumi stack export` file: create, update, "
                             "delete, replace per resource, possible data loss first; in acc and prod an unwaived "
                             "data loss fails the plan")
    parser.add_argument("--summary", type=Path, metavar="FILE.md",
                        help="with --against: also write the plan diff, the policy summary and the gate's verdict as "
                             "Markdown (the pipelines post it as a pull-request comment)")
    parser.add_argument("--diagram", type=Path, metavar="FILE.svg",
                        help="draw the network (hub, spokes, subnets, peerings, firewall, bastion) from the plan")
    parser.add_argument("--no-policy", action="store_true", help="skip the policy check")
    parser.add_argument("--environment", choices=ENVIRONMENTS,
                        help="policy levels of this environment (default: the stack name when it is one)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                        help="processes for --all (default: 2, or 1 on a one-core machine)")
    parser.add_argument("--no-tree", action="store_true", help="print only the summary, not the resource tree")
    parser.add_argument("--naive", action="store_true",
                        help="plan without the offline speedups (alias dropping, paused GC): for comparisons")
    from amsterdam_cloud.scripts.offline import estate_plan

    estate_plan.add_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from amsterdam_cloud.scripts.offline.project import PulumiProject

    if args.estate is not None:
        from amsterdam_cloud.scripts.offline import estate_plan

        return estate_plan.run(args)
    for option in ("projects_file", "shard", "merge"):
        if getattr(args, option):
            raise UserError(f"plan: --{option.replace('_', '-')} is an estate option; pass --estate [ROOT] too")
    if args.no_cache:
        raise UserError("plan: --no-cache is for --estate (a single stack is always planned afresh)")
    project = PulumiProject.discover(args.project_dir)
    args.plans_dir = project.plans_dir(args.plans_dir)
    stacks = project.stacks() if args.all else list(args.stacks)
    if not stacks:
        raise UserError("plan: name a stack (e.g. `cityctl plan dev`) or pass --all; stacks with a stack file: "
                        + (", ".join(project.stacks()) or "none"))
    for stack in stacks:
        if not project.stack_file(stack).is_file():
            raise UserError(f"{display(project.stack_file(stack))}: no such stack file; stacks here: "
                            f"{', '.join(project.stacks()) or 'none'}")
    for option in ("out", "against", "diagram", "summary"):
        if getattr(args, option) is not None and len(stacks) > 1:
            raise UserError(f"plan: --{option} is for one stack; with several stacks each plan goes to --plans-dir")
    if args.summary is not None and args.against is None:
        raise UserError("plan: --summary writes the plan diff and the gate's verdict; pass --against FILE too")
    if args.against is not None and args.no_policy:
        raise UserError("plan: --against runs the deploy gate, which needs the policy check; drop --no-policy")
    if args.workers < 1:
        raise UserError("plan: --workers must be 1 or more")

    from amsterdam_cloud.scripts.offline.stack_plans import PlanRequest, plan_many, plan_one

    request = PlanRequest(plans_dir=args.plans_dir, out=args.out, against=args.against, summary=args.summary,
                          diagram=args.diagram, policy=not args.no_policy, environment=args.environment,
                          naive=args.naive, tree=not args.no_tree)
    started = time.perf_counter()
    print(f"Offline plan of {project.describe(stacks, args.plans_dir)} (Pulumi SDK mocks; no CLI, no Azure)",
          file=sys.stderr)
    if len(stacks) == 1:
        outcomes = [plan_one(project, stacks[0], request, progress=_progress_printer())]
        if sys.stderr.isatty():
            print("\r\033[K", end="", file=sys.stderr)
    else:
        outcomes = plan_many(project, stacks, request, args.workers)
    failed = False
    for outcome in outcomes:
        failed |= _report(outcome, args, single=len(stacks) == 1)
    errors = [outcome.exit_code for outcome in outcomes if outcome.error]
    if len(stacks) > 1:
        total = sum(o.resources for o in outcomes)
        print(f"\n{len(stacks)} stacks, {total} resources planned in {time.perf_counter() - started:.1f}s",
              file=sys.stderr)
    if errors:
        return max(errors)  # bad input (2) outranks a failed program (1)
    return 1 if failed else 0


def _report(outcome: "StackOutcome", args: argparse.Namespace, single: bool) -> bool:
    """Print one stack's result for people (stderr); True when it failed."""
    out = sys.stderr
    if not single:
        print(f"\n== {outcome.stack}", file=out)
    if outcome.error:
        print(f"cityctl: error: {outcome.error}", file=out)
        return True
    if outcome.tree and single:
        print(outcome.tree, file=out)
    print(outcome.summary if single else outcome.summary.splitlines()[1].strip(), file=out)
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=out)
    print(f"Plan written to {outcome.plan_path} ({outcome.resources} resources, {outcome.seconds:.1f}s)", file=out)
    if outcome.diagram_path:
        print(f"Network diagram written to {outcome.diagram_path}", file=out)
    if outcome.summary_path:
        print(f"Markdown summary written to {outcome.summary_path}", file=out)
    for text in (outcome.diff_text, outcome.policy_text, outcome.gate_text):
        if text:
            print(text.rstrip(), file=out)
    return outcome.policy_failed


def _progress_printer():
    """Progress on long plans: a line every 500 resources (a live counter on a terminal)."""
    interactive = sys.stderr.isatty()

    def progress(count: int) -> None:
        if interactive and count % 50 == 0:
            print(f"\r  planning… {count} resources", end="", file=sys.stderr, flush=True)
        elif not interactive and count % 500 == 0:
            print(f"  planning… {count} resources", file=sys.stderr, flush=True)

    return progress
