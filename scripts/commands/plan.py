"""`cityctl plan`: run the real Pulumi program of a stack offline under mocks, save the plan, check it against policy."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from amsterdam_cloud.core.environments import ENVIRONMENTS, environment_of_stack
from amsterdam_cloud.core.errors import UserError, display
from amsterdam_cloud.scripts.signals import (Interrupted, ignore_interrupts, quiet_worker_signals, signals_held,
                                             was_interrupted)



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


@dataclass
class StackOutcome:
    """What one planned stack reports back, small enough to cross a process boundary."""

    stack: str
    plan_path: str = ""
    resources: int = 0
    seconds: float = 0.0
    error: str = ""
    exit_code: int = 0
    """The error's own exit code (2 bad input, 1 a failed program); 0 without an error."""
    policy_text: str = ""
    policy_failed: bool = False
    diff_text: str = ""
    gate_text: str = ""
    summary_path: str = ""
    diagram_path: str = ""
    summary: str = ""
    tree: str = ""
    warnings: list[str] = field(default_factory=list)


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

    started = time.perf_counter()
    print(f"Offline plan of {project.describe(stacks, args.plans_dir)} (Pulumi SDK mocks; no CLI, no Azure)",
          file=sys.stderr)
    if len(stacks) == 1:
        outcomes = [plan_one(project, stacks[0], args, show_progress=True)]
    else:
        outcomes = plan_many(project, stacks, args)
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


def plan_one(project, stack: str, args: argparse.Namespace, show_progress: bool = False) -> StackOutcome:
    """Plan, save and check one stack; every failure becomes part of the outcome, not an exception."""
    from amsterdam_cloud.scripts.files import write_output
    from amsterdam_cloud.scripts.offline.plan import read_export
    from amsterdam_cloud.scripts.offline.preview import render_summary, render_tree
    from amsterdam_cloud.scripts.offline.project import plan_stack, saved_plan_path

    outcome = StackOutcome(stack=stack)
    started = time.perf_counter()
    try:
        current = read_export(args.against) if args.against is not None else None  # bad input before any work
        plan = plan_stack(project, stack, plans_dir=args.plans_dir, offline_speedups=not args.naive,
                          progress=_progress_printer() if show_progress else None)
        if show_progress and sys.stderr.isatty():
            print("\r\033[K", end="", file=sys.stderr)
        text = plan.export_text()
        where = write_output(args.out or saved_plan_path(args.plans_dir, project.name, stack), text)
        outcome.plan_path = where if where == "<stdout>" else display(where)
        outcome.resources = sum(plan.counts_by_type().values())
        outcome.summary = render_summary(plan)
        outcome.tree = "" if args.no_tree else render_tree(plan)
        outcome.warnings = list(plan.warnings)
        if args.diagram is not None:
            from amsterdam_cloud.scripts.diagram import network_svg
            from amsterdam_cloud.core.documents import read_json

            referenced = tuple(  # the saved plans of the stacks it references: a landing zone's spoke and its hub
                read_json(path, "referenced plan") for ref in plan.of_type("pulumi:pulumi:StackReference")
                if (path := saved_plan_path(args.plans_dir, *ref.name.split("/")[-2:])).exists())
            outcome.diagram_path = write_output(args.diagram, network_svg(plan.to_export(), referenced))
        if current is not None:
            _gate(plan, current, stack, args, outcome, project.root)
        elif not args.no_policy:
            _check_policy(plan, stack, args, outcome, project.root)
    except UserError as error:
        if was_interrupted():
            raise Interrupted() from None
        outcome.error, outcome.exit_code = str(error), error.exit_code
    outcome.seconds = time.perf_counter() - started
    return outcome


def plan_many(project, stacks: list[str], args: argparse.Namespace) -> list[StackOutcome]:
    """Several stacks, each in a worker process forked after the heavy imports (so it starts warm), at most
    --workers at a time. Each worker sends its outcome through its own pipe, so stopping one (Ctrl-C, SIGTERM)
    can never leave a shared queue locked or half-written, which is what made a stopped `Pool` hang."""
    if args.workers == 1 or not hasattr(os, "fork"):
        return [plan_one(project, stack, args) for stack in stacks]
    import multiprocessing
    import multiprocessing.connection

    from amsterdam_cloud.scripts.offline.speedups import warm_imports

    warm_imports(project.program_dir)
    context = multiprocessing.get_context("fork")
    pending, running, outcomes = list(stacks), {}, {}
    try:
        while pending or running:
            while pending and len(running) < args.workers:
                stack = pending.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                with signals_held():  # the worker starts with both blocked, until quiet_worker_signals
                    worker = context.Process(target=_plan_in_worker, args=(project, stack, args, sender),
                                             name=f"cityctl-plan-{stack}", daemon=True)
                    worker.start()
                # said by the parent, so it never comes after the parent's own "interrupted" line
                print(f"  planning {stack} (process {worker.pid})", file=sys.stderr, flush=True)
                sender.close()  # only the worker writes: its exit is the end of the pipe
                running[receiver] = (worker, stack)
            for receiver in multiprocessing.connection.wait(list(running)):
                worker, stack = running.pop(receiver)
                outcomes[stack] = _receive(receiver, worker, stack)
    except BaseException:  # interrupted (or failed): stop every worker before the error reaches the boundary
        ignore_interrupts()
        for worker, _ in running.values():
            worker.terminate()  # SIGTERM: the worker cleans up and exits 130, quietly
        for worker, _ in running.values():
            worker.join(30)
            if worker.is_alive():
                worker.kill()
                worker.join()
        raise
    return [outcomes[stack] for stack in stacks]


def _plan_in_worker(project, stack: str, args: argparse.Namespace, sender) -> None:
    """plan_one in a worker process (the parent says which stack it started: progress for a long run)."""
    quiet_worker_signals()
    sender.send(plan_one(project, stack, args))
    sender.close()


def _receive(receiver, worker, stack: str) -> StackOutcome:
    """The outcome a worker sent; a worker that ended without one (killed, out of memory) is a failed plan."""
    try:
        outcome = receiver.recv()
    except (EOFError, OSError):
        worker.join()
        outcome = StackOutcome(stack=stack, exit_code=1,
                               error=f"plan: the worker planning {stack} ended without a result (exit code "
                                     f"{worker.exitcode}); run `cityctl plan {stack}` alone to see why")
    finally:
        receiver.close()
    worker.join()
    return outcome


def _environment(stack: str, args: argparse.Namespace) -> str:
    environment = args.environment or environment_of_stack(stack)
    if environment is None:
        raise UserError(f"plan: stack {stack!r} names no environment; pass --environment dev|test|acc|prod "
                        "to choose the policy levels, or --no-policy")
    return environment


def _check_policy(plan, stack: str, args: argparse.Namespace, outcome: StackOutcome, project_root: Path) -> None:
    """The plan against the pack, with the toolkit's waivers and the project's own."""
    outcome.policy_text, outcome.policy_failed = check_policy(plan.to_export(), stack, _environment(stack, args),
                                                              project_root, outcome.plan_path)


def check_policy(export: dict, stack: str, environment: str, project_root: Path, source: str) -> tuple[str, bool]:
    """A plan's policy report (text) and whether it failed: the pack with the toolkit's and the project's waivers."""
    from amsterdam_cloud.policies.checker import check_resources, parse_resources, render
    from amsterdam_cloud.scripts.delivery.gate import load_gate_waivers

    resources, _ = parse_resources(export, source)
    result = check_resources(resources, environment=environment, stack=stack,
                             waivers=load_gate_waivers(project_root=project_root), source=source)
    return render(result, "text"), result.failed


def _gate(plan, current: dict, stack: str, args: argparse.Namespace, outcome: StackOutcome,
          project_root: Path) -> None:
    """The plan diff against --against and the deploy gate's verdict on it (policy check included)."""
    import datetime

    from amsterdam_cloud.policies.checker import render
    from amsterdam_cloud.scripts.delivery.gate import evaluate, load_gate_waivers, waivers_file_for
    from amsterdam_cloud.scripts.delivery.plan_diff import render_text

    decision, policy, diff = evaluate(
        plan.to_export(), current, environment=_environment(stack, args), stack=stack,
        waivers=load_gate_waivers(project_root=project_root), today=datetime.date.today(),
        planned_source=outcome.plan_path, waivers_file=waivers_file_for(project_root),
        current_source=str(args.against))
    outcome.diff_text = render_text(diff)
    outcome.gate_text = decision.render()
    outcome.policy_text = render(policy, "text")
    outcome.policy_failed = policy.failed or not decision.allowed
    if args.summary is not None:
        from amsterdam_cloud.scripts.delivery.plan_diff import render_markdown
        from amsterdam_cloud.scripts.offline.plan import write_atomically

        verdict = "refused" if not decision.allowed else "failed" if policy.failed else "passed"
        write_atomically(args.summary, "\n".join([
            render_markdown(diff, title=f"{plan.project} {stack}: {verdict}"),
            f"**Policy:** {policy.summary()}", "", "```text", decision.render().rstrip(), "```", ""]))
        outcome.summary_path = str(args.summary)


def _report(outcome: StackOutcome, args: argparse.Namespace, single: bool) -> bool:
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
