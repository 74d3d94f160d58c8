"""Planning one project's stacks: each planned, saved and checked against policy (or the deploy gate) into a
`StackOutcome`, several at once in the forked worker pool (`workers.py`). `cityctl plan` is the CLI around it."""

from __future__ import annotations

import datetime
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from amsterdam_cloud.core.environments import ENVIRONMENT_CHOICES, environment_of_stack
from amsterdam_cloud.core.errors import UserError, display
from amsterdam_cloud.scripts.signals import Interrupted, was_interrupted


@dataclass(frozen=True, kw_only=True)
class PlanRequest:
    """What to do with each stack planned (the command's options, resolved)."""

    plans_dir: Path
    """Where plans are saved and StackReferences resolve from."""
    out: Path | None = None
    """Where to write the one stack's plan (`-`: stdout); None: `<plans_dir>/<project>.<stack>.json`."""
    against: Path | None = None
    """An earlier plan or export: diff against it and apply the deploy gate (policy check included)."""
    summary: Path | None = None
    """With `against`: the diff, policy summary and verdict as Markdown."""
    diagram: Path | None = None
    """The network diagram (SVG) of the plan."""
    policy: bool = True
    environment: str | None = None
    """The policy levels; None: the stack name's environment."""
    naive: bool = False
    """Plan without the offline speedups (for comparisons)."""
    tree: bool = True
    """Render the preview-like resource tree."""


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


def plan_one(project, stack: str, request: PlanRequest,
             progress: Callable[[int], None] | None = None) -> StackOutcome:
    """Plan, save and check one stack; every failure becomes part of the outcome, not an exception."""
    from amsterdam_cloud.scripts.files import write_output
    from amsterdam_cloud.scripts.offline.plan import read_export
    from amsterdam_cloud.scripts.offline.preview import render_summary, render_tree
    from amsterdam_cloud.scripts.offline.project import plan_stack, saved_plan_path
    from amsterdam_cloud.scripts.offline.plan_cache import sha256_text
    from amsterdam_cloud.scripts.offline.provenance import write_provenance

    outcome = StackOutcome(stack=stack)
    started = time.perf_counter()
    try:
        current = read_export(request.against) if request.against is not None else None  # bad input before work
        plan = plan_stack(project, stack, plans_dir=request.plans_dir, offline_speedups=not request.naive,
                          progress=progress)
        text = plan.export_text()
        where = write_output(request.out or saved_plan_path(request.plans_dir, project.name, stack), text)
        if where != "<stdout>":
            write_provenance(Path(where), sha256_text(text), project.root)  # the plan's commit, for the evidence
        outcome.plan_path = where if where == "<stdout>" else display(where)
        outcome.resources = sum(plan.counts_by_type().values())
        outcome.summary = render_summary(plan)
        outcome.tree = render_tree(plan) if request.tree else ""
        outcome.warnings = list(plan.warnings)
        if request.diagram is not None:
            from amsterdam_cloud.core.documents import read_json
            from amsterdam_cloud.scripts.diagram import network_svg

            referenced = tuple(  # the saved plans of the stacks it references: a landing zone's spoke and its hub
                read_json(path, "referenced plan") for ref in plan.of_type("pulumi:pulumi:StackReference")
                if (path := saved_plan_path(request.plans_dir, *ref.name.split("/")[-2:])).exists())
            outcome.diagram_path = write_output(request.diagram, network_svg(plan.to_export(), referenced))
        if current is not None:
            _gate(plan, current, stack, request, outcome, project.root)
        elif request.policy:
            outcome.policy_text, outcome.policy_failed = check_policy(
                plan.to_export(), stack, _environment(stack, request), project.root, outcome.plan_path)
    except UserError as error:
        if was_interrupted():
            raise Interrupted() from None
        outcome.error, outcome.exit_code = str(error), error.exit_code
    outcome.seconds = time.perf_counter() - started
    return outcome


def plan_many(project, stacks: list[str], request: PlanRequest, workers: int) -> list[StackOutcome]:
    """Several stacks in at most `workers` long-lived worker processes, forked after the program's heavy imports (so
    each starts warm); the parent says which stack it handed to which process (progress for a long run)."""
    if workers == 1 or not hasattr(os, "fork"):
        return [plan_one(project, stack, request) for stack in stacks]
    from amsterdam_cloud.scripts.offline.speedups import warm_imports
    from amsterdam_cloud.scripts.offline.workers import WorkerDied, WorkerPool

    warm_imports(project.program_dir)
    pool = WorkerPool(min(workers, len(stacks)), lambda stack: plan_one(project, stack, request),
                      name="cityctl-plan")
    pending, outcomes = list(stacks), {}
    try:
        while pending or pool.busy:
            while pending and pool.has_room:
                stack = pending.pop(0)
                # said by the parent, so it never comes after the parent's own "interrupted" line
                print(f"  planning {stack} (process {pool.submit(stack)})", file=sys.stderr, flush=True)
            for stack, outcome in pool.finished():
                if isinstance(outcome, WorkerDied):
                    outcome = StackOutcome(stack=stack, exit_code=1, error=f"plan: the worker planning {stack} "
                                           f"ended without a result (exit code {outcome.exit_code}); run "
                                           f"`cityctl plan {stack}` alone to see why")
                outcomes[stack] = outcome
    finally:
        pool.stop()
    return [outcomes[stack] for stack in stacks]


def _environment(stack: str, request: PlanRequest) -> str:
    environment = request.environment or environment_of_stack(stack)
    if environment is None:
        raise UserError(f"plan: stack {stack!r} names no environment; pass --environment {ENVIRONMENT_CHOICES} "
                        "to choose the policy levels, or --no-policy")
    return environment


def check_policy(export: dict, stack: str, environment: str, project_root: Path, source: str) -> tuple[str, bool]:
    """A plan's policy report (text) and whether it failed: the pack with the toolkit's and the project's waivers."""
    from amsterdam_cloud.core import clock
    from amsterdam_cloud.policies.checker import check_resources, parse_resources, render
    from amsterdam_cloud.policies.rule_model import project_of
    from amsterdam_cloud.policies.waivers import WaiverBook
    from amsterdam_cloud.scripts.delivery.gate import load_gate_waivers

    resources, _ = parse_resources(export, source)
    waivers = load_gate_waivers(project_root=project_root)
    # only a waiver for this stack of this project makes the result depend on the day: on which expiries have passed
    # (the day itself when one has no approval day, from which its length is counted)
    project = project_of(resources[0].urn) if resources else None
    today = None if not WaiverBook(waivers, stack, datetime.date.min, project=project) else clock.today_utc() if any(
        w.approved is None for w in waivers) else clock.today_until(w.expires + datetime.timedelta(days=1) for w in waivers)
    result = check_resources(resources, environment=environment, stack=stack, waivers=waivers, today=today,
                             source=source)
    return render(result, "text"), result.failed


def _gate(plan, current: dict, stack: str, request: PlanRequest, outcome: StackOutcome, project_root: Path) -> None:
    """The plan diff against `request.against` and the deploy gate's verdict on it (policy check included)."""
    from amsterdam_cloud.policies.checker import render
    from amsterdam_cloud.scripts.delivery.gate import evaluate, load_gate_waivers, waivers_file_for
    from amsterdam_cloud.scripts.delivery.plan_diff import render_text

    decision, policy, diff = evaluate(
        plan.to_export(), current, environment=_environment(stack, request), stack=stack,
        waivers=load_gate_waivers(project_root=project_root), today=datetime.date.today(),
        planned_source=outcome.plan_path, waivers_file=waivers_file_for(project_root),
        current_source=str(request.against))
    outcome.diff_text = render_text(diff)
    outcome.gate_text = decision.render()
    outcome.policy_text = render(policy, "text")
    outcome.policy_failed = policy.failed or not decision.allowed
    if request.summary is not None:
        from amsterdam_cloud.scripts.delivery.plan_diff import render_markdown
        from amsterdam_cloud.scripts.offline.plan import write_atomically

        verdict = "refused" if not decision.allowed else "failed" if policy.failed else "passed"
        write_atomically(request.summary, "\n".join([
            render_markdown(diff, title=f"{plan.project} {stack}: {verdict}"),
            f"**Policy:** {policy.summary()}", "", "```text", decision.render().rstrip(), "```", ""]))
        outcome.summary_path = str(request.summary)
