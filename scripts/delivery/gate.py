"""The deploy gate: may this plan go to this environment? A pure decision, separate from driving the CLI.

    decision = evaluate(planned, current, environment="prod", stack="prod", waivers=waivers, today=today)

acc and prod are guarded. The gate refuses them when
- the offline plan violates a mandatory policy, or a waiver in `policies/waivers.yaml` has expired (the policy
  checker's own verdict, `CheckResult.failed`), or
- the plan diff deletes or replaces a stateful resource that no waiver of the pseudo-rule `plan-data-loss`
  covers (an expired one does not).
Otherwise it allows, "with waiver" when any waiver was needed. In dev and test the same findings are warnings.

A data-loss waiver is an ordinary entry in the policy waivers file, for the rule id `plan-data-loss`:

    - rule: plan-data-loss
      resource: "urn:pulumi:prod::amsterdam-platform::azure-native:storage:StorageAccount::archive"
      stack: prod
      reason: The archive moves to the new Data Lake account (CLOUD-1510); its data is copied and verified.
      owner: data-platform@amsterdam.nl
      ticket: CLOUD-1510
      expires: 2027-01-31
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from amsterdam_cloud.core.environments import ENVIRONMENTS, STRICT_ENVIRONMENTS
from amsterdam_cloud.policies.waivers import DATA_LOSS_RULE, DEFAULT_WAIVERS_FILE, GATE_OVERRIDE_RULE
from amsterdam_cloud.scripts.delivery.plan_diff import PlanDiff, diff_exports
from amsterdam_cloud.core.errors import UserError

if TYPE_CHECKING:
    from amsterdam_cloud.policies.checker import CheckResult
    from amsterdam_cloud.policies.waivers import Waiver

TOOLKIT_WAIVERS = "policies/waivers.yaml"
"""The toolkit's waivers file (packaged in the wheel), for the platform's own projects."""
PROJECT_WAIVERS = "waivers.yaml"
"""An app repository's own waivers, beside its Pulumi.yaml: merged with the toolkit's; residency is not theirs."""

REFUSE, ALLOW, ALLOW_WITH_WAIVER = "refuse", "allow", "allow-with-waiver"


@dataclass(frozen=True)
class Decision:
    """The verdict and everything that led to it, one line each."""

    verdict: str
    """`refuse`, `allow` or `allow-with-waiver`."""
    environment: str
    stack: str
    reasons: tuple[str, ...] = ()
    """Why it is refused (acc, prod) or what would refuse it there (dev, test: see `warnings`)."""
    waivers: tuple[str, ...] = ()
    """The waivers that were needed, each with its owner, ticket and expiry."""
    warnings: tuple[str, ...] = ()
    """In dev and test: what would refuse this plan in acc or prod."""

    @property
    def allowed(self) -> bool:
        return self.verdict != REFUSE

    def render(self) -> str:
        head = {REFUSE: f"REFUSED: not deploying stack {self.stack} to {self.environment}",
                ALLOW: f"allowed: stack {self.stack} may be deployed to {self.environment}",
                ALLOW_WITH_WAIVER: f"allowed with waiver: stack {self.stack} may be deployed to "
                                   f"{self.environment}"}[self.verdict]
        lines = [f"deploy gate {head}"]
        lines += [f"  ✗ {reason}" for reason in self.reasons]
        lines += [f"  ! {warning}" for warning in self.warnings]
        lines += [f"  waived: {waiver}" for waiver in self.waivers]
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "environment": self.environment, "stack": self.stack,
                "reasons": list(self.reasons), "waivers": list(self.waivers), "warnings": list(self.warnings)}


def decide(*, environment: str, stack: str, policy: "CheckResult", diff: PlanDiff, waivers: Iterable["Waiver"],
           today: dt.date, waivers_file: str = TOOLKIT_WAIVERS) -> Decision:
    """The gate's verdict from the policy check of the plan and the plan diff against the current state;
    `waivers_file` is where the project's waivers go (named in the messages)."""
    from amsterdam_cloud.policies.waivers import WaiverBook

    if environment not in ENVIRONMENTS:
        raise UserError(f"deploy: environment {environment!r} is not one of {', '.join(ENVIRONMENTS)}")
    blocking: list[str] = []
    used: list[str] = []
    for finding in policy.mandatory:
        expired = f" (its waiver expired on {finding.waiver.expires})" if finding.waiver is not None else ""
        blocking.append(f"policy {finding.policy} (mandatory) violated by {finding.urn}: {finding.message}{expired}")
    book = WaiverBook(waivers, stack, today)
    expired_waivers = {_waiver_key(w): w for w in [*policy.expired_waivers, *book.expired()]}
    for waiver in expired_waivers.values():
        blocking.append(f"waiver of {waiver.rule} for {waiver.resource} (stack {waiver.stack}) expired on "
                        f"{waiver.expires}; owner {waiver.owner} renews or removes it in {waivers_file}")
    if policy.failed and not blocking:  # the checker's verdict stands even if a new kind of failure appears
        blocking.append(f"policy check failed: {policy.summary()}")
    for finding in policy.waived:
        used.append(_describe_waiver(finding.waiver, f"policy {finding.policy} on {finding.urn}"))
    _judge_data_loss(diff, book, today, blocking, used, waivers_file)
    return _verdict(environment, stack, blocking, used)


def decide_preview(*, environment: str, stack: str, diff: PlanDiff, waivers: Iterable["Waiver"],
                   today: dt.date, waivers_file: str = TOOLKIT_WAIVERS) -> Decision:
    """The gate's second look, at the real `pulumi preview` (`plan_diff.diff_from_preview`), before `pulumi up`.

    The provider knows best what it must replace; a data loss the offline plan could not see is refused here, on
    the same terms. Policy needs no second look: CrossGuard already enforced the pack during the preview.
    """
    from amsterdam_cloud.policies.waivers import WaiverBook

    if environment not in ENVIRONMENTS:
        raise UserError(f"deploy: environment {environment!r} is not one of {', '.join(ENVIRONMENTS)}")
    blocking: list[str] = []
    used: list[str] = []
    _judge_data_loss(diff, WaiverBook(waivers, stack, today), today, blocking, used, waivers_file)
    return _verdict(environment, stack, blocking, used)


def _judge_data_loss(diff: PlanDiff, book: Any, today: dt.date, blocking: list[str], used: list[str],
                     waivers_file: str) -> None:
    for resource in diff.data_loss:
        what = f"{resource.action} of {resource.type} {resource.name} loses {resource.stateful}"
        why = f" ({'; '.join(resource.replace_reasons)})" if resource.replace_reasons else ""
        waiver = book.lookup(DATA_LOSS_RULE, resource.urn)
        if waiver is None:
            blocking.append(f"data loss: {what}{why}; if intended, add a `{DATA_LOSS_RULE}` waiver for "
                            f"{resource.urn} to {waivers_file}")
        elif waiver.expired(today):
            blocking.append(f"data loss: {what}{why}; its {DATA_LOSS_RULE} waiver expired on {waiver.expires}")
        else:
            used.append(_describe_waiver(waiver, f"data loss: {what}"))


def _verdict(environment: str, stack: str, blocking: list[str], used: list[str]) -> Decision:
    guarded = environment in STRICT_ENVIRONMENTS
    if guarded and blocking:
        return Decision(REFUSE, environment, stack, reasons=tuple(blocking), waivers=tuple(used))
    return Decision(ALLOW_WITH_WAIVER if used else ALLOW, environment, stack, waivers=tuple(used),
                    warnings=() if guarded else tuple(blocking))


def evaluate(planned: Mapping[str, Any], current: Mapping[str, Any], *, environment: str, stack: str,
             waivers: Sequence["Waiver"], today: dt.date, planned_source: str = "offline plan",
             current_source: str = "current state", waivers_file: str = TOOLKIT_WAIVERS,
             ) -> tuple[Decision, "CheckResult", PlanDiff]:
    """Check the plan against policy, diff it against the current state, decide: no CLI, no Azure, no files."""
    from amsterdam_cloud.policies.checker import check_resources, parse_resources

    resources, _ = parse_resources(planned, planned_source)
    policy = check_resources(resources, environment=environment, stack=stack, waivers=waivers, today=today,
                             source=planned_source)
    diff = diff_exports(current, planned, before_source=current_source, after_source=planned_source)
    return decide(environment=environment, stack=stack, policy=policy, diff=diff, waivers=waivers,
                  today=today, waivers_file=waivers_file), policy, diff


def refused_overrides(*, environment: str, stack: str, options: Iterable[str], waivers: Iterable["Waiver"],
                      today: dt.date, waivers_file: str = TOOLKIT_WAIVERS) -> list[str]:
    """The options that weaken the gate (`--today`, `--waivers`, `--against`) that acc and prod refuse, one line
    each; a `deploy-override` waiver naming the option (as `resource`) for the stack lets it through until it
    expires."""
    from amsterdam_cloud.policies.waivers import WaiverBook

    if environment not in STRICT_ENVIRONMENTS:
        return []
    book = WaiverBook(waivers, stack, today)
    refused = []
    for option in options:
        waiver = book.lookup(GATE_OVERRIDE_RULE, option)
        if waiver is None or waiver.expired(today):
            why = f"its waiver expired on {waiver.expires}" if waiver is not None else "no waiver allows it"
            refused.append(f"{option} weakens the gate and is refused in {environment} ({why}); drop it, or add a "
                           f"`{GATE_OVERRIDE_RULE}` waiver with resource {option!r} for stack {stack} to "
                           f"{waivers_file}")
    return refused


def load_gate_waivers(path: Path | None = None, project_root: Path | None = None) -> tuple["Waiver", ...]:
    """The toolkit's waivers file (or `path`), where `plan-data-loss` is a rule id like the pack's own, plus the
    project's own `waivers.yaml` beside its Pulumi.yaml when it has one (an app repository's waivers)."""
    from amsterdam_cloud.policies.waivers import load_waivers

    waivers = load_waivers(path)
    own = project_root / PROJECT_WAIVERS if project_root is not None else None
    if own is None or not own.is_file():
        return waivers
    residency = _residency_rule_ids()
    project_waivers = load_waivers(own)
    for waiver in project_waivers:
        if waiver.rule in residency:
            raise UserError(f"{own}: waivers[{waiver.index}].rule: {waiver.rule!r} is an EU residency rule, which "
                            "an app repository cannot waive (where data lives is the city's decision under the "
                            "BIO and the GDPR, not one app's); remove the waiver, or ask the cloud platform team "
                            "for one in the toolkit's policies/waivers.yaml")
    return waivers + project_waivers


def waivers_file_for(project_root: Path | None) -> str:
    """Where this project's waivers go: the toolkit's `policies/waivers.yaml` for the toolkit's own projects,
    else the `waivers.yaml` beside the project's Pulumi.yaml (an app repository cannot edit the installed one)."""
    if project_root is None or project_root.resolve().is_relative_to(DEFAULT_WAIVERS_FILE.resolve().parents[1]):
        return TOOLKIT_WAIVERS
    return str(project_root / PROJECT_WAIVERS)


def _residency_rule_ids() -> frozenset[str]:
    """The ids of the rules in `policies/rules/residency/`: the ones only the toolkit's file may waive."""
    import importlib
    import pkgutil

    from amsterdam_cloud.policies.rules import residency

    modules = (importlib.import_module(f"{residency.__name__}.{info.name}")
               for info in pkgutil.iter_modules(residency.__path__))
    return frozenset(module.RULE.id for module in modules if getattr(module, "RULE", None) is not None)


def _waiver_key(waiver: "Waiver") -> tuple[str, str, str, str]:
    return waiver.rule, waiver.resource, waiver.stack, waiver.expires.isoformat()


def _describe_waiver(waiver: "Waiver | None", what: str) -> str:
    if waiver is None:
        return what
    ticket = f", {waiver.ticket}" if waiver.ticket else ""
    return f"{what}: {waiver.reason} (owner {waiver.owner}{ticket}, until {waiver.expires})"
