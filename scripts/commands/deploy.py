"""`cityctl deploy`: gate a stack's plan (policy, data loss), then preview and update it with the real Pulumi CLI."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from amsterdam_cloud.core.environments import ENVIRONMENT_CHOICES, ENVIRONMENTS, STRICT_ENVIRONMENTS, \
    environment_of_stack
from amsterdam_cloud.scripts.commands.plan import add_project_options
from amsterdam_cloud.scripts.delivery.pulumi_cli import SECRETS_PROVIDER_ENV
from amsterdam_cloud.core.errors import UserError

GATE_OPTIONS = ("today", "waivers", "against")
"""Options that change what the gate judges; acc and prod refuse them unless a deploy-override waiver allows it."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "deploy", help="gate, preview and deploy a stack with the Pulumi CLI (policy pack, data-loss guard)",
        description="Plan the stack offline, check the plan against the policy pack and diff it against the "
                    "stack's current state (`pulumi stack export`). In acc and prod, refuse when a mandatory "
                    "policy is violated, a waiver has expired, or a stateful resource would be deleted or "
                    "replaced without a `plan-data-loss` waiver. Then run `pulumi preview` with the policy pack and "
                    "the environment's pack config through the Automation API, judge the preview's own steps by "
                    "the same data-loss rule, and run `pulumi up`. Needs the Pulumi CLI; exits 1 when refused or "
                    "when the CLI fails, 2 on bad input.",
        epilog="Human output goes to stderr; --output FILE writes the decision and the plan diff as JSON.")
    parser.add_argument("stack", metavar="STACK", help="stack name, e.g. dev or prod")
    parser.add_argument("--environment", choices=ENVIRONMENTS,
                        help="the policy levels and gate of this environment (default: from the stack name)")
    add_project_options(parser)
    parser.add_argument("--stack-name", metavar="NAME",
                        help="the stack's name in the backend (default: organization/<project>/STACK in the "
                             "self-managed backend the project's Pulumi.yaml declares)")
    parser.add_argument("--create", action="store_true",
                        help="dev and test only: create the stack when the backend has none, once the gate allows "
                             "it (acc and prod stacks are created by a person; --preview-only never creates)")
    parser.add_argument("--secrets-provider", metavar="URL",
                        help="the secrets provider of a stack --create makes, and of the `pulumi stack init` line "
                             f"cityctl prints (default: ${SECRETS_PROVIDER_ENV}, else the environment's key in the state "
                             "backend)")
    parser.add_argument("--plan", type=Path, metavar="FILE",
                        help="use this offline plan (from `cityctl plan`) instead of planning again")
    parser.add_argument("--against", type=Path, metavar="FILE",
                        help="diff against this `pulumi stack export` file instead of the stack's current state "
                             "(refused in acc and prod unless a deploy-override waiver allows it)")
    parser.add_argument("--waivers", type=Path, metavar="FILE",
                        help="waivers file instead of the toolkit's policies/waivers.yaml (the project's own "
                             "waivers.yaml still applies; refused in acc and prod unless a deploy-override waiver "
                             "allows it)")
    parser.add_argument("--preview-only", action="store_true", help="gate and preview; do not update the stack")
    parser.add_argument("--message", metavar="TEXT", help="update message (default: names the commit, if any)")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE",
                        help="write the gate's decision and the plan diff as JSON here")
    parser.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="judge waiver expiry as of this date (default: today; refused in acc and prod unless "
                             "a deploy-override waiver allows it)")
    parser.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"stop the Pulumi CLI after this long, e.g. when it hangs on the backend "
                             f"(default: {DEFAULT_TIMEOUT}, two hours)")
    parser.set_defaults(handler=run_with_timeout)


class DeployTimedOut(UserError):
    """The Pulumi CLI ran past --timeout and was stopped."""

    exit_code = 1


DEFAULT_TIMEOUT = 7200
"""Seconds `deploy` lets the Pulumi CLI run: generous, as an update of the landing zone can take an hour."""


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return seconds


def run_with_timeout(args: argparse.Namespace) -> int:
    """`run`, with every Pulumi CLI process stopped once --timeout has passed, and one clear line when it was."""
    from amsterdam_cloud.scripts.signals import Deadline

    with Deadline(args.timeout) as deadline:
        try:
            return run(args)
        except Exception:
            if deadline.fired:
                raise DeployTimedOut(f"deploy: the Pulumi CLI did not finish within --timeout {args.timeout:g} "
                                     "seconds and was stopped; check the backend and `pulumi stack` for a pending "
                                     "operation (`pulumi cancel`), or raise --timeout") from None
            raise


def run(args: argparse.Namespace) -> int:
    import os

    from amsterdam_cloud.scripts.delivery import pulumi_cli

    environment = args.environment or _environment_of(args.stack)
    pulumi_cli.require_cli()  # before any work: without the CLI nothing can be deployed

    from amsterdam_cloud.policies.settings import PACK_DIR, config_path
    from amsterdam_cloud.core.backend import city_secrets_provider, declared_backend, environment_backend_url
    from amsterdam_cloud.scripts.delivery.gate import (
        decide_preview, evaluate, load_gate_waivers, refused_overrides, waivers_file_for)
    from amsterdam_cloud.scripts.delivery.plan_diff import diff_from_preview, render_text
    from amsterdam_cloud.scripts.files import write_output
    from amsterdam_cloud.scripts.offline.plan import read_export, write_atomically
    from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack, saved_plan_path

    project = PulumiProject.discover(args.project_dir)
    waivers_file = waivers_file_for(project.root)
    real_today = dt.date.today()
    overrides = [f"--{name}" for name in GATE_OPTIONS if getattr(args, name) is not None]
    refused = refused_overrides(environment=environment, stack=args.stack, options=overrides,
                                waivers=load_gate_waivers(project_root=project.root), today=real_today,
                                waivers_file=waivers_file)
    if refused:
        raise UserError("deploy: " + "; ".join(refused))
    pack_config = config_path(environment)
    if not (PACK_DIR / "PulumiPolicy.yaml").is_file():
        raise UserError(f"{PACK_DIR}: no PulumiPolicy.yaml; the CrossGuard policy pack must be present to deploy")
    if not pack_config.is_file():
        raise UserError(f"{pack_config}: no pack config for {environment}; expected one per environment")
    plans_dir = project.plans_dir(args.plans_dir)
    today = args.today or real_today
    waivers = load_gate_waivers(args.waivers, project_root=project.root)
    backend = declared_backend(project.root)
    target = pulumi_cli.Target(
        project_dir=project.root, stack=args.stack_name or backend.reference(project.name, args.stack),
        policy_pack=PACK_DIR, policy_pack_config=pack_config,
        secrets_provider=args.secrets_provider or os.environ.get(SECRETS_PROVIDER_ENV)
        or city_secrets_provider(environment),
        # the environment's own state container: a dev pipeline never reaches prod's state
        backend_url=environment_backend_url(backend, environment))
    where = f"backend {target.backend_url}, stack" if target.backend_url else "backend stack"
    state = f"the state container {target.backend_url}" if target.backend_url else backend.describe()
    print(f"Deploy of {project.describe([args.stack], plans_dir)}; {where} {target.stack}, {environment} gate",
          file=sys.stderr)

    stack = pulumi_cli.find_stack(target)  # before planning: a missing stack stops here, nothing is created
    if stack is None:
        if environment in STRICT_ENVIRONMENTS:
            raise pulumi_cli.StackMissing(
                f"deploy: stack {target.stack} does not exist in {state}, and cityctl never creates "
                f"a stack in {environment}; check the backend, then create the stack once: {target.init_command()}")
        if args.preview_only or not args.create:
            why = "--preview-only never creates a stack" if args.preview_only else "pass --create to create it"
            raise pulumi_cli.StackMissing(
                f"deploy: stack {target.stack} does not exist in {state} ({why}); check the "
                f"backend, or create the stack: {target.init_command()}")

    if args.plan is not None:
        planned, planned_source = read_export(args.plan), str(args.plan)
    else:
        plan = plan_stack(project, args.stack, plans_dir=plans_dir)
        planned_source = str(saved_plan_path(plans_dir, project.name, args.stack))
        write_atomically(Path(planned_source), plan.export_text())
        planned = plan.to_export()

    if args.against is not None:
        current, current_source = read_export(args.against), str(args.against)
    elif stack is None:
        current, current_source = pulumi_cli.EMPTY_STATE, f"stack {target.stack} (new)"
    else:
        current, current_source = pulumi_cli.export_state(stack), f"stack {target.stack}"

    decision, policy, diff = evaluate(planned, current, environment=environment, stack=args.stack,
                                      waivers=waivers, today=today, planned_source=planned_source,
                                      current_source=current_source, waivers_file=waivers_file)
    print(render_text(diff).rstrip(), file=sys.stderr)
    print(policy.summary(), file=sys.stderr)
    print(decision.render().rstrip(), file=sys.stderr)
    if args.output is not None:
        write_output(args.output, json.dumps({"decision": decision.as_dict(), "diff": diff.as_dict()},
                                                 indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    if not decision.allowed:
        return 1

    if stack is None:  # dev or test with --create, and the gate allowed it
        print(f"Creating stack {target.stack} (--create): {target.init_command()}", file=sys.stderr)
        stack = pulumi_cli.create_stack(target)
    counts, steps = pulumi_cli.preview(stack, target)
    print(f"preview of {target.stack}: {_counts(counts)}", file=sys.stderr)
    second_look = decide_preview(environment=environment, stack=args.stack, diff=diff_from_preview(steps),
                                 waivers=waivers, today=today, waivers_file=waivers_file)
    if not second_look.allowed or second_look.waivers:
        print("pulumi preview, judged by the same gate:", file=sys.stderr)
        print(second_look.render().rstrip(), file=sys.stderr)
    if not second_look.allowed:
        return 1
    if args.preview_only:
        return 0
    counts = pulumi_cli.up(stack, target, message=args.message or _default_message(args.stack, decision.verdict))
    print(f"update of {target.stack} done: {_counts(counts)}", file=sys.stderr)
    return 0


def _environment_of(stack: str) -> str:
    environment = environment_of_stack(stack)
    if environment is None:
        raise UserError(f"deploy: stack {stack!r} does not name an environment; pass --environment "
                        f"{ENVIRONMENT_CHOICES}")
    return environment


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {op}" for op, count in sorted(counts.items())) or "no changes"


def _default_message(stack: str, verdict: str) -> str:
    import os

    commit = os.environ.get("BUILD_SOURCEVERSION") or os.environ.get("GITHUB_SHA") or ""
    return f"cityctl deploy {stack} ({verdict})" + (f" at {commit[:12]}" if commit else "")
