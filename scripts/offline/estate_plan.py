"""`cityctl plan --estate`: every stack of every project under a root, in StackReference order, in parallel workers,
re-planning only what changed (`scripts/offline/plan_cache.py`), optionally one shard of it for a CI job matrix.

The reference graph is learnt, not guessed: a stack's references are what its last plan resolved (kept in the
cache); a stack planned for the first time that references an estate stack not yet planned in this run stops at
that reference and waits for it (`ReferencePending`), so the first run costs at most one short false start per
stack and every later run knows the graph before it starts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.files import display, write_atomically
from amsterdam_cloud.scripts.offline.estate import Estate, Shard, StackId, discover

SUMMARY_FORMAT = "cityctl-estate/1"
"""Written into every estate summary (`out/estate/*.json`) so the merge step can refuse another kind of file."""


def add_options(parser: argparse.ArgumentParser) -> None:
    """The estate options of `cityctl plan`."""
    parser.add_argument("--estate", nargs="?", const=Path("."), type=Path, metavar="ROOT",
                        help="plan every stack of every project under ROOT (default: the current folder) in "
                             "StackReference order; plans in ROOT/out/plans, the cache in ROOT/out/cache, the summary "
                             "in ROOT/out/estate")
    parser.add_argument("--projects-file", type=Path, metavar="FILE",
                        help="with --estate: plan the project folders FILE lists (one a line, relative to FILE) "
                             "instead of searching ROOT")
    parser.add_argument("--shard", metavar="I/N",
                        help="with --estate: plan part I of N (and what its stacks reference); `--merge` joins them")
    parser.add_argument("--no-cache", action="store_true",
                        help="with --estate: plan every stack again, reusing no plan (the cache is still refreshed)")
    parser.add_argument("--merge", type=Path, nargs="+", metavar="SUMMARY",
                        help="with --estate: join the shards' summaries (out/estate/shard-*.json, plans in "
                             "--plans-dir) into one and apply the gate: every stack planned once, no failure, no "
                             "mandatory violation")


class ReferencePending(UserError):
    """A stack referenced an estate stack this run has not planned yet: it waits for it and starts again."""

    def __init__(self, target: StackId, name: str) -> None:
        super().__init__(f"stack reference {name!r}: {target} is not planned yet")
        self.target = target


@dataclass(frozen=True, kw_only=True)
class StackTask:
    """One stack for a worker."""

    stack: StackId
    project_dir: Path
    plans_dir: Path
    environment: str | None
    """The policy levels; None: no policy check."""
    pending: frozenset[str]
    """Estate stacks (`project/stack`) not planned yet in this run: a reference to one waits for it."""
    naive: bool
    estate_stacks: Mapping[str, tuple[str, ...]]
    """Every estate project's stacks: a reference into an estate project must name one of them (never a leftover
    saved plan of a stack file since deleted)."""
    estate_root: str
    """The estate's folder as shown to people: a reference to a project outside it names it."""


@dataclass(kw_only=True)
class StackResult:
    """What a worker reports for one stack, small enough to cross a process boundary."""

    stack: StackId
    waiting_for: StackId | None = None
    references: list[StackId] = field(default_factory=list)
    reads: dict[StackId, tuple[str, ...] | None] = field(default_factory=dict)
    """The outputs the program read of each referenced stack (`reference_reads`); None: all of them."""
    plan_sha256: str = ""
    size: int = 0
    outputs_digest: str = ""
    output_digests: dict[str, str] = field(default_factory=dict)
    relinkable: bool = False
    """Whether the plan's StackReference records are the referenced plans' outputs as they are (`CachedPlan`)."""
    resources: int = 0
    summary: str = ""
    warnings: tuple[str, ...] = ()
    policy_text: str = ""
    policy_failed: bool = False
    date: str = ""
    """What the plan and its policy check read of the date (`clock.Reads.date`)."""
    valid_until: str = ""
    """Until when the clock's answers to them hold (`clock.Reads.valid_until`)."""
    error: str = ""
    exit_code: int = 0
    seconds: float = 0.0


def plan_in_worker(task: StackTask) -> StackResult:
    """Plan, save and check one stack; its references wait for estate stacks not planned yet."""
    from amsterdam_cloud.core import clock
    from amsterdam_cloud.core.backend import parse_reference
    from amsterdam_cloud.scripts.offline.stack_plans import check_policy
    from amsterdam_cloud.scripts.offline.plan import export_text
    from amsterdam_cloud.scripts.offline import reference_reads
    from amsterdam_cloud.scripts.offline.plan_cache import output_digests, outputs_digest, sha256_text
    from amsterdam_cloud.scripts.offline.preview import render_summary
    from amsterdam_cloud.scripts.offline.project import plan_stack, saved_plan_path, stack_reference_resolver
    from amsterdam_cloud.scripts.offline.provenance import write_provenance
    from amsterdam_cloud.scripts.signals import Interrupted, was_interrupted

    started = time.perf_counter()
    result = StackResult(stack=task.stack)
    try:
        project, backend = _project_of(task.project_dir)
        saved = stack_reference_resolver(task.plans_dir, project.name, backend)
        outside: list[str] = []
        """Warnings: references resolved from saved plans of projects outside the estate."""
        resolved: dict[str, tuple[dict, list[str]]] = {}
        """What each reference name resolved to (outputs, secret names)."""

        def resolve(name: str) -> tuple[dict, list[str]]:
            reference = parse_reference(name, backend, project.name)
            target = StackId(reference.project, reference.stack)
            known = task.estate_stacks.get(reference.project)
            if known is None:
                return _outside_the_estate(name, target, task, saved, outside)
            if reference.stack not in known:
                raise UserError(f"stack reference {name!r}: {reference.project} has no stack {reference.stack!r}; "
                                f"its stacks: {', '.join(known)}")
            if str(target) in task.pending:
                raise ReferencePending(target, name)
            resolved[name] = saved(name)
            return resolved[name]

        with clock.reading() as reads, reference_reads.recording() as outputs_read:  # the plan and its check
            plan = plan_stack(project, task.stack.stack, plans_dir=task.plans_dir, offline_speedups=not task.naive,
                              stack_outputs=resolve)
            export = plan.to_export()
            text = export_text(export)
            path = saved_plan_path(task.plans_dir, project.name, task.stack.stack)
            write_atomically(path, text, durable=False)  # the run syncs once at its end
            write_provenance(path, sha256_text(text), project.root, durable=False)  # the plan's commit (evidence)
            if task.environment is not None:
                result.policy_text, result.policy_failed = check_policy(export, task.stack.stack, task.environment,
                                                                        project.root, display(path))
        result.date, result.valid_until = reads.date, reads.valid_until
        result.plan_sha256, result.outputs_digest = sha256_text(text), outputs_digest(export)
        result.output_digests = output_digests(export)
        result.size = len(text.encode("utf-8"))
        records = _reference_records(export)
        named = {name: _stack_id(name, backend, project.name) for name in records}
        result.references = sorted(set(named.values()))
        for name, stack in named.items():
            names = outputs_read.get(name, set())
            before = result.reads.get(stack, ())
            result.reads[stack] = None if reference_reads.ALL in names or before is None else tuple(
                sorted(set(before) | names))
        result.relinkable = all(not resolved.get(name, ({}, ["unresolved"]))[1]
                                and record.get("outputs") == _reference_record(name, resolved[name][0])
                                for name, record in records.items())
        result.resources = sum(plan.counts_by_type().values())
        result.summary = render_summary(plan).splitlines()[1].strip()
        result.warnings = tuple(plan.warnings) + tuple(dict.fromkeys(outside))
    except ReferencePending as pending:
        result.waiting_for = pending.target
    except UserError as error:
        if was_interrupted():
            raise Interrupted() from None
        result.error, result.exit_code = str(error), error.exit_code
    result.seconds = time.perf_counter() - started
    return result


def _stack_id(name: str, backend, project: str) -> StackId:
    from amsterdam_cloud.core.backend import parse_reference

    reference = parse_reference(name, backend, project)
    return StackId(reference.project, reference.stack)


def _reference_records(export: dict) -> dict[str, dict]:
    """A plan's StackReference resources by the name they reference."""
    return {r.get("inputs", {}).get("name") or r["id"]: r for r in export["deployment"].get("resources") or []
            if r.get("type") == "pulumi:pulumi:StackReference"}


def _reference_record(name: str, outputs: dict) -> dict:
    """A StackReference's recorded state in a plan when the referenced outputs hold no secret (the worker checks
    each plan is so before `_relinked` may rewrite it: `relinkable`)."""
    return {"name": name, "outputs": outputs, "secretOutputNames": []}


def _outside_the_estate(name: str, target: StackId, task: StackTask, saved, warnings: list[str]):
    """A reference to a project the estate does not have: refused with the closest name when one is close (a typo,
    which Azure's backend refuses however many saved plans carry that name); otherwise (a project planned elsewhere)
    resolved from its saved plan with a warning that says so, or refused when there is none."""
    from difflib import get_close_matches

    from amsterdam_cloud.scripts.offline.project import saved_plan_path

    projects = sorted(task.estate_stacks)
    close = get_close_matches(target.project, projects, n=1)
    problem = f"{target.project} is not a project of the estate under {task.estate_root}"
    if close:
        raise UserError(f"stack reference {name!r}: {problem}; did you mean {close[0]}?")
    problem += f" (its projects: {', '.join(projects)})"
    path = saved_plan_path(task.plans_dir, target.project, target.stack)
    if not path.is_file():
        raise UserError(f"stack reference {name!r}: {problem}, and there is no saved plan at {display(path)}")
    warnings.append(f"stack reference {name!r}: resolved from a saved plan outside the estate ({display(path)}): "
                    f"{problem}")
    return saved(name)


@lru_cache(maxsize=None)
def _project_of(project_dir: Path):
    """A worker's projects and their declared backends, read once each (an estate has hundreds of stacks a project;
    the run hashed these files at its start, so they are what it plans)."""
    from amsterdam_cloud.core.backend import declared_backend
    from amsterdam_cloud.scripts.offline.project import PulumiProject

    project = PulumiProject.load(project_dir, origin="the estate")
    return project, declared_backend(project.root)


@dataclass(kw_only=True)
class Run:
    """The scheduler's state for one estate run."""

    estate: Estate
    scope: list[StackId]
    """What this run plans, in order: the shard's own stacks, then the stacks they reference (support)."""
    owned: set[StackId]
    own_keys: dict[StackId, str]
    references: dict[StackId, list[StackId] | None]
    reads: dict[StackId, dict[StackId, tuple[str, ...] | None]]
    """The outputs each stack read of each stack it references, as its last plan did (`plan_cache.Known`)."""
    digests: dict[StackId, str] = field(default_factory=dict)
    """Outputs digest of every stack done in this run."""
    output_digests: dict[StackId, dict[str, str]] = field(default_factory=dict)
    """Each output's digest, of every stack done in this run."""
    root_outputs: dict[StackId, dict | None] = field(default_factory=dict)
    """The outputs of referenced stacks as their plans record them, read once to relink (None: not relinkable)."""
    results: dict[StackId, StackResult] = field(default_factory=dict)
    reused: set[StackId] = field(default_factory=set)
    waiting_projects: dict[str, set[str]] = field(default_factory=dict)
    """Project -> projects one of its stacks waited for: its other first-time stacks wait for those too."""
    relinked: set[StackId] = field(default_factory=set)
    """Reused stacks whose plans were relinked (written again) in this run."""
    misses: set[StackId] = field(default_factory=set)
    """Stacks whose references are done and that the cache does not have: to plan, never looked up again."""
    external_digests: dict[StackId, str] = field(default_factory=dict)
    """Outputs digests of referenced stacks outside the estate (their saved plans), read once."""


def run(args: argparse.Namespace) -> int:
    """`cityctl plan --estate`: discover, schedule, plan or reuse, report, summary JSON."""
    from amsterdam_cloud.core import clock
    from amsterdam_cloud.core.environments import ENVIRONMENT_CHOICES, ENVIRONMENTS
    from amsterdam_cloud.scripts.offline.plan_cache import PlanCache, own_key, project_fingerprint

    _refuse_single_stack_options(args)
    if args.merge:
        from amsterdam_cloud.scripts.offline.estate_merge import merge

        return merge(args, plans_dir=args.plans_dir or _shared_plans_dir() or args.estate / "out" / "plans")
    started = time.perf_counter()
    estate = discover(args.estate, args.projects_file)
    plans_dir = args.plans_dir or _shared_plans_dir() or estate.root / "out" / "plans"
    cache = PlanCache(estate.root / "out" / "cache", enabled=not args.no_cache, now=clock.now_utc())
    shard = Shard.parse(args.shard) if args.shard else None
    every = estate.stacks
    environments: dict[StackId, str | None] = {}
    for stack in every:
        environment = args.environment or (stack.stack if stack.stack in ENVIRONMENTS else None)
        if environment is None and not args.no_policy:
            raise UserError(f"plan --estate: stack {stack} is not an environment name; pass --environment "
                            f"{ENVIRONMENT_CHOICES} to choose the policy levels of such stacks, or --no-policy")
        environments[stack] = None if args.no_policy else environment
    fingerprints = {project.name: project_fingerprint(project) for project in estate.projects}
    own_keys = {stack: own_key(project_fingerprint=fingerprints[stack.project], stack=stack,
                               stack_file=estate.project(stack.project).stack_file(stack.stack),
                               environment=environments[stack]) for stack in every}
    owned = shard.owned(every) if shard else list(every)
    known = {stack: cache.references(own_keys[stack]) for stack in every}
    state = Run(estate=estate, scope=list(owned), owned=set(owned), own_keys=own_keys,
                references={stack: last.references if (last := known[stack]) else None for stack in every},
                reads={stack: last.reads if (last := known[stack]) else {} for stack in every})
    print(f"Offline plan of the estate under {display(estate.root)}: {len(estate.projects)} projects, "
          f"{len(every)} stacks" + (f", shard {shard}: {len(owned)} stacks" if shard else "")
          + f"; plans in {display(plans_dir)} (Pulumi SDK mocks; no CLI, no Azure)", file=sys.stderr)
    failure = _schedule(state, args, plans_dir, cache, environments)
    if failure is None:  # everything in scope ran: what it did not use is an older commit's (a shard: its own cache)
        cache.prune()
    if hasattr(os, "sync") and (state.relinked or any(stack not in state.reused for stack in state.results)):
        os.sync()  # plans and cache entries were written atomically but not synced one by one: once, here (a run
        # that only reused plans wrote none: a machine-wide sync would wait for every other process's writes)
    seconds = time.perf_counter() - started
    summary_path = _write_summary(state, shard, plans_dir, failure, seconds)
    return _report(state, failure, seconds, summary_path, cache)


def _shared_plans_dir() -> Path | None:
    """$CITYCTL_PLANS_DIR, as for one project's plans (`PulumiProject.plans_dir`)."""
    from amsterdam_cloud.scripts.offline.project import PLANS_DIR_ENV

    return Path(os.environ[PLANS_DIR_ENV]) if os.environ.get(PLANS_DIR_ENV) else None


def _refuse_single_stack_options(args: argparse.Namespace) -> None:
    for option in ("out", "against", "diagram", "summary"):
        if getattr(args, option) is not None:
            raise UserError(f"plan: --{option} is for one stack; with --estate each plan goes to --plans-dir")
    if args.stacks or args.all:
        raise UserError("plan: --estate plans every stack of every project; drop the stack names and --all")
    if args.project_dir is not None:
        raise UserError("plan: --estate finds the projects under ROOT; drop --project-dir (or list the folders in "
                        "--projects-file)")


@dataclass(frozen=True)
class Failure:
    """The first stack that failed: the run stops there (fail fast)."""

    stack: StackId
    message: str
    exit_code: int


def _schedule(state: Run, args: argparse.Namespace, plans_dir: Path, cache, environments) -> Failure | None:
    """Reuse or plan every stack in scope once the stacks it references are done; first failure stops the run."""
    from amsterdam_cloud.scripts.offline.workers import WorkerDied, WorkerPool

    if args.workers < 1:
        raise UserError("plan: --workers must be 1 or more")
    program_dirs = tuple(project.program_dir for project in state.estate.projects)
    alone = args.workers == 1  # one worker: it imports for itself, early; more: the parent once, before forking
    pool = WorkerPool(args.workers, plan_in_worker, name="cityctl-estate",
                      warm=(lambda: _warm(program_dirs)) if alone else None)
    todo = list(state.scope)
    running: set[StackId] = set()
    every = set(state.estate.stacks)
    estate_stacks = {project.name: tuple(project.stacks()) for project in state.estate.projects}
    try:
        while True:
            for stack in _ready(state, todo, running, cache, plans_dir,
                                on_miss=pool.prestart if alone else lambda: None):
                if not pool.has_room:
                    break
                if not alone and not pool.started:  # fork every worker warm: one import for all of them
                    _warm(program_dirs)
                running.add(stack)
                pool.submit(StackTask(stack=stack, project_dir=state.estate.project(stack.project).root,
                                      plans_dir=plans_dir, environment=environments[stack], naive=args.naive,
                                      pending=frozenset(map(str, every - state.digests.keys())),
                                      estate_stacks=estate_stacks, estate_root=display(state.estate.root)))
            todo[:] = [stack for stack in todo if stack not in running]  # one pass, not a list.remove each
            if not running:
                if todo:
                    return _stuck(state, todo)
                return None
            for task, result in pool.finished():
                running.discard(task.stack)
                if isinstance(result, WorkerDied):
                    return Failure(task.stack, f"{task.stack}: {result}; plan it alone (`cityctl plan "
                                               f"{task.stack.stack} --project-dir {display(task.project_dir)}`) to "
                                               "see why", 1)
                failure = _record(state, result, todo, running, cache, plans_dir)
                if failure is not None:
                    return failure
    finally:
        pool.stop()


def _warm(program_dirs: tuple[Path, ...]) -> None:
    """The engine, the SDK and the azure-native modules the programs use. With one worker, imported in it, so it
    warms up while the parent is still reusing plans (a shard's one worker, one app changed: the import and the
    reuse of the other plans overlap); with more, in the parent before the first fork, so all share one import
    (each importing for itself cost ~0.6 s CPU a run: issue 19 review)."""
    from amsterdam_cloud.scripts.offline.speedups import warm_imports

    warm_imports(*program_dirs)


def _ready(state: Run, todo: list[StackId], running: set[StackId], cache, plans_dir: Path,
           on_miss: Callable[[], None] = lambda: None) -> list[StackId]:
    """Stacks that can be planned now, after reusing every cached one whose references are done (in order);
    `on_miss` is called on each stack found to need planning (the first starts a worker warming up)."""
    from amsterdam_cloud.scripts.offline.plan_cache import full_key
    from amsterdam_cloud.scripts.offline.provenance import write_provenance

    ready: list[StackId] = []
    changed = True
    while changed:  # again after a reuse (its dependents may be ready) or a stack added from outside the shard
        changed, ready = False, []
        queued = set(todo)  # membership by hash: a list scan per waiting stack made each call O(n^2) (40 s at 800)
        busy_projects = {stack.project for stack in todo} | {s.project for s in running}
        for stack in list(todo):
            known = state.references[stack]
            if known is None:  # first plan: it waits for whole projects its siblings waited for
                held = state.waiting_projects.get(stack.project, set()) & busy_projects - {stack.project}
                if not held:
                    on_miss()
                    ready.append(stack)
                continue
            missing = [ref for ref in known if ref in state.own_keys and ref not in state.digests]
            for ref in missing:
                if ref not in queued and ref not in running:  # referenced from outside this shard: plan it too
                    todo.append(ref)
                    queued.add(ref)
                    state.scope.append(ref)
                    changed = True
            if missing:
                continue
            key = full_key(state.own_keys[stack], _read_digests(state, stack, known, plans_dir))
            entry = None if stack in state.misses else cache.lookup(key)
            if entry is not None:
                entry = _linked(state, stack, key, entry, cache, plans_dir)
            if entry is None:
                on_miss()
                state.misses.add(stack)
                ready.append(stack)
                continue
            cache.restore(entry, _plan_path(state, stack, plans_dir))
            write_provenance(_plan_path(state, stack, plans_dir), entry.plan_sha256,
                             state.estate.project(stack.project).root, durable=False)  # this commit's, too
            state.results[stack] = StackResult(
                stack=stack, references=list(known), reads=state.reads[stack], plan_sha256=entry.plan_sha256,
                size=entry.size, outputs_digest=entry.outputs_digest, output_digests=entry.output_digests,
                relinkable=entry.relinkable, resources=entry.resources, summary=entry.summary,
                warnings=entry.warnings, policy_text=entry.policy_text, policy_failed=entry.policy_failed,
                date=entry.date, valid_until=entry.valid_until)
            state.digests[stack] = entry.outputs_digest
            state.output_digests[stack] = entry.output_digests
            state.reused.add(stack)
            changed = True
        if changed:
            todo[:] = [stack for stack in todo if stack not in state.digests]  # the reused ones, in one pass
    if not ready and not running and todo:  # only held first-timers left: let them go, one may break a hold
        ready = [stack for stack in todo if state.references[stack] is None]
    return ready


def _read_digests(state: Run, stack: StackId, references: list[StackId], plans_dir: Path) -> list[tuple[StackId, str]]:
    """Each referenced stack and the digest of the outputs `stack` read of it: those it named (of a stack done in
    this run), else all of them."""
    from amsterdam_cloud.scripts.offline.plan_cache import read_digest

    reads = state.reads[stack]
    return [(ref, read_digest(names, state.output_digests[ref])
             if (names := reads.get(ref)) is not None and ref in state.output_digests else _digest(state, ref, plans_dir))
            for ref in references]


def _linked(state: Run, stack: StackId, key: str, entry, cache, plans_dir: Path):
    """A cache hit whose plan records the referenced stacks' outputs as they are now: the entry as it is, or with its
    plan relinked (`plan_cache`); None (a miss: plan it) when the plan cannot be relinked."""
    references = state.references[stack] or []
    linked = {str(ref): _digest(state, ref, plans_dir) for ref in references}
    if entry.linked == linked:
        return entry
    if not entry.relinkable:
        return None
    from dataclasses import replace

    from amsterdam_cloud.core.documents import read_json
    from amsterdam_cloud.scripts.offline.plan import export_text
    from amsterdam_cloud.scripts.offline.plan_cache import Known, sha256_text
    document = read_json(cache.object_path(entry), "cached plan")
    project, backend = _project_of(state.estate.project(stack.project).root)
    for name, record in _reference_records(document).items():
        outputs = _outputs_to_link(state, _stack_id(name, backend, project.name), plans_dir)
        if outputs is None:
            return None
        record["outputs"] = _reference_record(name, outputs)
    text = export_text(document)
    path = _plan_path(state, stack, plans_dir)
    write_atomically(path, text, durable=False)
    entry = replace(entry, plan_sha256=sha256_text(text), size=len(text.encode("utf-8")), linked=linked)
    cache.store(own=state.own_keys[stack], known=Known(references=references, reads=state.reads[stack]), key=key,
                plan_file=path, entry=entry)
    state.relinked.add(stack)
    return entry


def _outputs_to_link(state: Run, stack: StackId, plans_dir: Path) -> dict | None:
    """A referenced stack's outputs as its plan records them, read once; None when a StackReference would record them
    otherwise (a secret among them, or none at all): the plans referencing it are planned instead of relinked."""
    if stack not in state.root_outputs:
        from amsterdam_cloud.core.documents import read_json
        from amsterdam_cloud.scripts.offline.plan_cache import root_outputs
        from amsterdam_cloud.scripts.offline.values import SECRET_SIG

        try:
            outputs = root_outputs(read_json(_plan_path(state, stack, plans_dir), "plan"))
        except UserError:
            outputs = {}
        state.root_outputs[stack] = outputs if outputs and SECRET_SIG not in json.dumps(outputs) else None
    return state.root_outputs[stack]


def _digest(state: Run, stack: StackId, plans_dir: Path) -> str:
    """A referenced stack's outputs digest: this run's, or for a stack outside the estate its saved plan's."""
    if stack in state.digests:
        return state.digests[stack]
    if stack not in state.external_digests:
        from amsterdam_cloud.core.documents import read_json
        from amsterdam_cloud.scripts.offline.plan_cache import outputs_digest

        try:
            state.external_digests[stack] = outputs_digest(read_json(_plan_path(state, stack, plans_dir), "plan"))
        except UserError:
            state.external_digests[stack] = "no saved plan"  # never cached: planning it says what is missing
    return state.external_digests[stack]


def _plan_path(state: Run, stack: StackId, plans_dir: Path) -> Path:
    from amsterdam_cloud.scripts.offline.project import saved_plan_path

    return saved_plan_path(plans_dir, stack.project, stack.stack)


def _record(state: Run, result: StackResult, todo: list[StackId], running: set[StackId], cache,
            plans_dir: Path) -> Failure | None:
    """A worker's result: a wait (learn the reference, plan it first), a failure, or a plan to keep and cache."""
    from amsterdam_cloud.scripts.offline.plan_cache import CachedPlan, Known, full_key

    stack = result.stack
    if result.waiting_for is not None:
        target = result.waiting_for
        state.references[stack] = sorted(set(state.references[stack] or []) | {target})
        state.waiting_projects.setdefault(stack.project, set()).add(target.project)
        if target in todo:
            todo.remove(target)
            todo.insert(0, target)  # what others wait for goes first
        elif target not in running and target not in state.digests:  # outside this shard: plan it here too
            state.scope.append(target)
            todo.insert(0, target)
        todo.append(stack)
        return None
    if result.error:
        waiting = [other for other, refs in state.references.items() if refs and stack in refs]
        path = f" (referenced by {waiting[0]}{f' and {len(waiting) - 1} more' if len(waiting) > 1 else ''})" \
            if waiting else ""
        stack_file = display(state.estate.project(stack.project).stack_file(stack.stack))
        return Failure(stack, f"{stack_file} ({stack}){path}: {result.error}", result.exit_code or 1)
    state.results[stack] = result
    state.references[stack] = result.references
    state.reads[stack] = result.reads
    state.digests[stack] = result.outputs_digest
    state.output_digests[stack] = result.output_digests
    references = _read_digests(state, stack, result.references, plans_dir)
    cache.store(own=state.own_keys[stack], known=Known(references=result.references, reads=result.reads),
                key=full_key(state.own_keys[stack], references), plan_file=_plan_path(state, stack, plans_dir),
                entry=CachedPlan(plan_sha256=result.plan_sha256, size=result.size,
                                 outputs_digest=result.outputs_digest, output_digests=result.output_digests,
                                 linked={str(ref): _digest(state, ref, plans_dir) for ref in result.references},
                                 relinkable=result.relinkable,
                                 resources=result.resources, summary=result.summary, warnings=result.warnings,
                                 policy_text=result.policy_text, policy_failed=result.policy_failed,
                                 date=result.date, valid_until=result.valid_until))
    print(f"  planned {stack}: {result.resources} resources, {result.seconds:.1f}s", file=sys.stderr, flush=True)
    return None


def _stuck(state: Run, todo: list[StackId]) -> Failure:
    """Nothing runs and nothing can start: the stacks left wait for each other (a cycle), named as a path."""
    waits = {stack: [ref for ref in state.references[stack] or [] if ref not in state.digests] for stack in todo}
    path, stack = [], todo[0]
    while stack not in path and waits.get(stack):
        path.append(stack)
        stack = waits[stack][0]
    if stack not in path:  # no cycle: an ordering this scheduler could not find (a bug, said plainly)
        return Failure(todo[0], "cannot order " + " -> ".join(map(str, path + [stack])) + "; run with --no-cache "
                       "after deleting out/cache, and report this", 1)
    cycle = path[path.index(stack):] + [stack]
    return Failure(cycle[0], "StackReference cycle: " + " -> ".join(map(str, cycle))
                   + "; a stack cannot reference itself through others: remove one of these references", 2)


def _write_summary(state: Run, shard: Shard | None, plans_dir: Path, failure: Failure | None,
                   seconds: float) -> Path:
    """The machine-readable summary beside the human one: every stack in scope, reused or planned, its verdict."""
    name = f"shard-{shard.index}-of-{shard.count}" if shard else "estate"
    path = state.estate.root / "out" / "estate" / f"{name}.json"
    stacks, plans_shown = [], display(plans_dir)  # once: resolving 800 paths for display cost a second
    for stack in state.scope:
        result = state.results.get(stack)
        if result is None:
            continue
        stacks.append({
            "project": stack.project, "stack": stack.stack, "owned": stack in state.owned,
            "plan": f"{plans_shown}/{_plan_path(state, stack, plans_dir).name}", "sha256": result.plan_sha256,
            "resources": result.resources, "reused": stack in state.reused,
            "references": [str(ref) for ref in result.references],
            "policy": "skipped" if not result.policy_text else "failed" if result.policy_failed else "passed"})
    document = {
        "format": SUMMARY_FORMAT, "shard": str(shard) if shard else None,
        "estate": [str(stack) for stack in state.estate.stacks],
        "stacks": sorted(stacks, key=lambda entry: (entry["project"], entry["stack"])),
        "failure": asdict(failure) | {"stack": str(failure.stack)} if failure else None,
        "planned": sum(1 for s in state.results if s not in state.reused),
        "reused": len(state.reused), "resources": sum(r.resources for r in state.results.values()),
        "seconds": round(seconds, 2)}
    write_atomically(path, json.dumps(document, indent=2, sort_keys=True) + "\n")
    return path


def _report(state: Run, failure: Failure | None, seconds: float, summary_path: Path, cache) -> int:
    """For people (stderr): policy failures in full, one line per warning, the totals; the exit code."""
    failed = False
    for stack in state.scope:
        result = state.results.get(stack)
        if result is None or stack not in state.owned:
            continue
        for warning in result.warnings:
            print(f"warning: {stack}: {warning}", file=sys.stderr)
        if result.policy_failed:
            failed = True
            print(f"\n== {stack}\n{result.policy_text.rstrip()}", file=sys.stderr)
    planned = sum(1 for s in state.results if s not in state.reused)
    total = sum(result.resources for result in state.results.values())
    print(f"\n{len(state.results)} stacks, {total} resources: {planned} planned, {len(state.reused)} reused from "
          f"{display(cache.folder)}, in {seconds:.1f}s; summary in {display(summary_path)}", file=sys.stderr)
    if failure is not None:
        print(f"cityctl: error: plan --estate: {failure.message}", file=sys.stderr)
        return failure.exit_code
    violations = sum(1 for s in state.owned if s in state.results and state.results[s].policy_failed)
    checked = any(state.results[s].policy_text for s in state.owned if s in state.results)
    print(f"Policy: {violations} stacks with a mandatory violation" if violations
          else "Policy: passed" if checked else "Policy: not checked (--no-policy)", file=sys.stderr)
    return 1 if failed else 0
