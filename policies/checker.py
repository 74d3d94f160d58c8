"""The offline policy checker: every rule of the pack over an offline plan or a `pulumi stack export` file.

    result = check_export(export, environment="prod")
    if result.failed: ...
    text = render(result, "sarif")

Importable without pulumi or pulumi_policy. The levels and settings come from the same pack config files CI
passes to `pulumi preview --policy-pack-config`, the waivers from the same `policies/waivers.yaml`, and rules see
what the CLI sends the pack (resource rules a resource's inputs, stack rules every resource's outputs), so the
offline checker and the CrossGuard pack report the same findings (tests/policies/test_pack_protocol.py).
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from collections.abc import Mapping
from typing import Any, Callable, Iterator, Sequence

from amsterdam_cloud.policies.rule_model import (SEVERITY_ORDER, AnyRule, Reporter, Resource, Rule, Severity, StackRule,
                                                 StackView, base_type, check_stack, judge, project_of, secrets_redacted,
                                                 stack_of)
from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.policies.settings import PACK_NAME, WAIVERS_EXPIRED, PackConfig, load_pack_config
from amsterdam_cloud.policies.waivers import Waiver, WaiverBook, load_waivers
from amsterdam_cloud.core.errors import UserError

FORMATS = ("text", "json", "sarif", "junit", "evidence-md", "evidence-html")


class ExportError(UserError):
    """The plan or export file is not in `pulumi stack export` shape."""


@dataclass(kw_only=True)
class Finding:
    """One violation of one rule by one resource. Not frozen, for speed alone (a frozen dataclass is built 4x
    slower, and a check of 100,000 resources builds as many findings); nothing changes one once recorded."""

    urn: str
    policy: str
    severity: Severity
    enforcement: str
    message: str
    controls: tuple[str, ...]
    title: str = ""
    remediation: str = ""
    resource_type: str = ""
    waiver: Waiver | None = None
    """The waiver that covers it (waived findings), or the expired one that no longer does."""

    @classmethod
    def of_rule(cls, fixed: tuple[Mapping[str, Any], Mapping[str, Any]], urn: str, message: str,
                resource_type: str) -> "Finding":
        """A finding without a waiver from its rule's fixed fields (policy, severity, enforcement; controls, title,
        remediation): the object the constructor builds, fields in order, ~3x faster, for the many a large stack
        yields."""
        finding = cls.__new__(cls)
        finding.__dict__ = {"urn": urn, **fixed[0], "message": message, **fixed[1], "resource_type": resource_type,
                            "waiver": None}
        return finding

    def as_dict(self, status: str) -> dict[str, Any]:
        data: dict[str, Any] = {"urn": self.urn, "policy": self.policy, "severity": self.severity.value,
                                "enforcement": self.enforcement, "message": self.message,
                                "controls": list(self.controls), "status": status, "title": self.title,
                                "type": self.resource_type, "remediation": self.remediation}
        if self.waiver is not None:
            data["waiver"] = self.waiver.as_dict()
        return data


@dataclass(kw_only=True)
class CheckResult:
    """What one check found: violations, waived findings and expired waivers, plus what was checked."""

    stack: str
    environment: str
    source: str
    today: dt.date
    findings: list[Finding] = field(default_factory=list)
    """Violations, including those whose waiver expired (their `waiver` is set)."""
    waived: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    """Values unknown until deployment that a rule passed over (dev and test; in acc and prod they are findings)."""
    skipped: dict[str, set[str]] = field(default_factory=dict)
    """Rule id to the URNs it judged out of its scope (an exemption), reported apart from pass."""
    expired_waivers: list[Waiver] = field(default_factory=list)
    too_long_waivers: list[tuple[Waiver, str]] = field(default_factory=list)
    """Waivers expiring further ahead than the environment allows for their rule's severity (fail the check),
    each with the message that says so."""
    rules: tuple[AnyRule, ...] = ()
    levels: Mapping[str, str] = field(default_factory=dict)
    checked: Mapping[str, list[str]] = field(default_factory=dict)
    """Rule id to the URNs it judged (for the evidence and JUnit reports; see `JudgedUrns`)."""
    resource_count: int = 0
    pack_name: str = PACK_NAME
    source_positions: dict[str, str] = field(default_factory=dict)
    """URN to where the program declared it (`sourcePosition`), for the resources the source says."""
    project_root: Path | None = None
    """The Pulumi project the plan is of, when known: `sourcePosition` paths are relative to it."""
    stack_file: Path | None = None
    """The stack's config file, where a finding without a program line is located."""
    source_sha256: str = ""
    """The SHA-256 of the checked file's bytes, when read from a file (the evidence report shows it)."""
    commit: str = ""
    """The git commit the checked plan was made at, from the plan's provenance record (the evidence report shows
    it); "" when none was recorded: never the checking checkout's HEAD."""

    @property
    def pack_version(self) -> str:
        """The toolkit's version (the pack ships with it); looked up only by the reports that show it."""
        return pack_version()

    @property
    def failed(self) -> bool:
        """A mandatory violation, an expired waiver or one that runs too long fails the check."""
        return bool(self.expired_waivers or self.too_long_waivers) or any(f.enforcement == "mandatory"
                                                                          for f in self.findings)

    @property
    def mandatory(self) -> list[Finding]:
        return [f for f in self.findings if f.enforcement == "mandatory"]

    @property
    def advisory(self) -> list[Finding]:
        return [f for f in self.findings if f.enforcement != "mandatory"]

    def summary(self) -> str:
        verdict = "FAILED" if self.failed else "passed"
        return (f"policy check {verdict}: {len(self.findings)} violation(s) ({len(self.mandatory)} mandatory, "
                f"{len(self.advisory)} advisory), {len(self.waived)} waived, "
                f"{len(self.expired_waivers)} expired waiver(s)"
                f"{f', {len(self.too_long_waivers)} waiver(s) too long' if self.too_long_waivers else ''}"
                f"{f', {len(self.notes)} value(s) unknown until deployment' if self.notes else ''}; "
                f"{self.resource_count} resources, "
                f"{len(self.rules)} rules, stack {self.stack or '?'} ({self.environment})")


def _deployment(export: Any, source: str) -> Mapping[str, Any]:
    if not isinstance(export, Mapping):
        raise ExportError(f"{source}: not a stack export: expected a JSON object with 'deployment'")
    deployment = export.get("deployment", export if "resources" in export else None)
    if not isinstance(deployment, Mapping):
        raise ExportError(f"{source}: deployment: missing or not an object; pass the output of "
                          "`pulumi stack export` or `cityctl plan`")
    version = export.get("version")
    if version is not None and version != 3:
        raise ExportError(f"{source}: version: {version!r} is not supported; export with a current Pulumi CLI "
                          "(deployment version 3)")
    return deployment


def parse_resources(export: Any, source: str = "<plan>") -> tuple[list[Resource], str]:
    """The custom resources of an export (inputs as props, outputs beside them) and the stack name (root URN)."""
    deployment = _deployment(export, source)
    raw = deployment.get("resources")
    raw = [] if raw is None else raw
    if not isinstance(raw, list):
        raise ExportError(f"{source}: deployment.resources: must be a list of resources")
    resources: list[Resource] = []
    stack = ""
    provider_subscriptions: dict[str, Any] = {}  # `<provider urn>::<id>` -> its subscriptionId (providers come first)
    for index, item in enumerate(raw):
        if type(item) is not dict and not isinstance(item, Mapping):  # dict first: the ABC check costs 4x
            raise ExportError(f"{source}: deployment.resources[{index}]: must be an object")
        urn, token = item.get("urn"), item.get("type")
        if not isinstance(urn, str) or not urn.startswith("urn:pulumi:") or not isinstance(token, str):
            raise ExportError(f"{source}: deployment.resources[{index}]: needs a 'urn' (urn:pulumi:...) and a 'type'")
        if token == "pulumi:pulumi:Stack":
            stack = stack or stack_of(urn)
            continue
        if token.startswith("pulumi:") or item.get("delete") is True or item.get("custom") is False:
            if token.startswith("pulumi:providers:") and isinstance(item.get("inputs"), Mapping):
                provider_subscriptions[f"{urn}::{item.get('id')}"] = item["inputs"].get("subscriptionId")
            continue
        inputs = item.get("inputs")
        if inputs is None:
            inputs = {}
        if type(inputs) is not dict and not isinstance(inputs, Mapping):
            raise ExportError(f"{source}: deployment.resources[{index}].inputs: must be an object ({urn})")
        prop_deps = item.get("propertyDependencies")
        if prop_deps:
            prop_deps = {k: tuple(v) for k, v in prop_deps.items() if isinstance(v, list)} \
                if type(prop_deps) is dict or isinstance(prop_deps, Mapping) else {}
        outputs = item.get("outputs")
        if outputs is None:
            outputs = {}
        if type(outputs) is not dict and not isinstance(outputs, Mapping):
            raise ExportError(f"{source}: deployment.resources[{index}].outputs: must be an object ({urn})")
        cloud_id, position, provider = item.get("id"), item.get("sourcePosition"), item.get("provider")
        subscription = provider_subscriptions.get(provider) if provider else None
        resources.append(Resource(
            urn, base_type(token) if "/" in token else token, inputs, urn[urn.rfind("::") + 2:],
            item.get("protect") is True, item.get("parent"), item.get("dependencies") or (),
            prop_deps or {}, cloud_id if isinstance(cloud_id, str) and cloud_id else None, outputs,
            position if isinstance(position, str) else "", subscription if isinstance(subscription, str) else None))
    if not stack and resources:
        stack = stack_of(resources[0].urn)
    return resources, stack


@lru_cache(maxsize=1)
def pack_version() -> str:
    try:
        import importlib.metadata
        return importlib.metadata.version("amsterdam-cloud")
    except Exception:  # an uninstalled checkout
        return "0+unknown"


@contextmanager
def paused_gc() -> Iterator[None]:
    """No garbage collection while checking: a big export is millions of objects, and the check makes no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


LEFT_TO_EXIT_FROM = 10_000
"""From this many resources, `cityctl policy check` leaves the parsed export to the process's exit."""


def leave_to_exit(*objects: Any) -> None:
    """Never free `objects` (and all they hold): the process's exit releases their memory at once, where freeing
    the ten million objects of a 100,000-resource export one by one costs ~0.4 s. They are frozen out of the
    collector's reach (`gc.freeze`) in a cycle of their own, so neither a collection nor the interpreter's
    shutdown walks them. Only for a command that ends the process after its one large document."""
    kept: list[Any] = [*objects]
    kept.append(kept)
    gc.freeze()


def check_resources(resources: Sequence[Resource], *, environment: str, stack: str,
                    waivers: Sequence[Waiver] = (), today: dt.date | None = None, source: str = "<plan>",
                    config: PackConfig | None = None, rules: Sequence[AnyRule] | None = None) -> CheckResult:
    """Run the pack over parsed resources as the CLI feeds it: resource rules their inputs, stack rules outputs."""
    with paused_gc(), secrets_redacted() as redact:
        return _check(resources, environment=environment, stack=stack, waivers=waivers, today=today,
                      source=source, config=config, rules=rules, redact=redact)


def _check(resources: Sequence[Resource], *, environment: str, stack: str, waivers: Sequence[Waiver],
           today: dt.date | None, source: str, config: PackConfig | None,
           rules: Sequence[AnyRule] | None, redact: Callable[[str], str]) -> CheckResult:
    from amsterdam_cloud.policies.rules import ALL_RULES

    today = today or dt.date.today()
    config = config or load_pack_config(environment)
    rules = tuple(rules if rules is not None else ALL_RULES)
    active = [r for r in rules if config.level(r.id) != "disabled"]
    result = CheckResult(stack=stack, environment=environment, source=source, today=today, rules=tuple(active),
                         levels={r.id: config.level(r.id) for r in active}, resource_count=len(resources),
                         source_positions={r.urn: r.source_position for r in resources if r.source_position})
    book = WaiverBook(waivers, stack, today, project=project_of(resources[0].urn) if resources else None)
    result.too_long_waivers = book.describe_too_long(config.settings(WAIVERS_EXPIRED).max_waiver_days, environment)
    settings = {r.id: config.settings(r.id) for r in active}
    by_type: dict[str, list[Rule]] = {}
    generic: list[Rule] = []
    for rule in active:
        if isinstance(rule, StackRule):
            continue
        if rule.applies_to is None:
            generic.append(rule)
        else:
            for token in rule.applies_to:
                by_type.setdefault(token, []).append(rule)

    found: dict[str, list[Finding]] = {rule.id: [] for rule in active}  # per rule: sorted by URN at the end
    waived: dict[str, list[Finding]] = {rule.id: [] for rule in active}
    fixed = {rule.id: ({"policy": rule.id, "severity": rule.severity, "enforcement": result.levels[rule.id]},
                       {"controls": rule.controls, "title": rule.title, "remediation": rule.remediation})
             for rule in active}

    def record(rule: AnyRule, finding: Finding) -> None:
        """A violation that a waiver covers (or covered: then a violation saying so)."""
        waiver = book.lookup(rule.id, finding.urn)
        if waiver is None:
            found[rule.id].append(finding)
        elif waiver.expired(today):
            found[rule.id].append(Finding(**{**finding.__dict__, "waiver": waiver, "message":
                                             f"{finding.message} (waiver expired on {waiver.expires.isoformat()}; "
                                             f"owner {waiver.owner})"}))
        else:
            waived[rule.id].append(Finding(**{**finding.__dict__, "waiver": waiver}))

    types: dict[str, str] = {}  # URN -> type, for the stack rules' findings (filled before they run)
    seen_secrets = getattr(redact, "seen", True)  # empty while no rule saw a secret's plaintext: redact is a no-op
    waivers_apply = bool(book)

    def settle(rule: AnyRule, reporter: Reporter, urn: str, resource_type: str) -> None:
        """Record what one check left in its reporter (violations, unknown notes, skips), then clear it."""
        violations, notes, skipped = reporter.violations, reporter.notes, reporter.skipped
        if violations:
            rule_fixed, rule_found = fixed[rule.id], found[rule.id]
            for message, at in violations:
                finding = Finding.of_rule(rule_fixed, at or urn, redact(message) if seen_secrets else message,
                                          resource_type or types.get(at, ""))
                if waivers_apply:
                    record(rule, finding)
                else:
                    rule_found.append(finding)
            violations.clear()
        if notes:
            for message, at in notes:
                result.notes.append(Finding(urn=at or urn, policy=rule.id, severity=rule.severity,
                                            enforcement="note", message=redact(message), controls=rule.controls,
                                            title=rule.title, remediation=rule.remediation,
                                            resource_type=resource_type or types.get(at, "")))
            notes.clear()
        if skipped:  # a skip per resource is common (a rule judging part of its type): one set lookup
            judged_out = result.skipped.get(rule.id)
            if judged_out is None:
                judged_out = result.skipped[rule.id] = set()
            for _, at in skipped:
                judged_out.add(at or urn)
            skipped.clear()
        reporter.dirty = False

    reporters = {rule.id: Reporter(settings[rule.id].strict) for rule in active}
    rules_for: dict[str, list[tuple]] = {}  # the index: each type's rules, built once per type
    for resource in resources:
        applicable = rules_for.get(resource.type)
        if applicable is None:
            applicable = rules_for[resource.type] = [(rule.check, settings[rule.id], rule, reporters[rule.id])
                                                     for rule in (*by_type.get(resource.type, ()), *generic)]
        for check, rule_settings, rule, reporter in applicable:
            try:
                check(resource, reporter, rule_settings)
            except Exception:  # the same outcome judge gives, so CrossGuard and the checker agree
                reporter.clear()
                judge(rule, resource, rule_settings, reporter)
            if reporter.dirty:
                settle(rule, reporter, resource.urn, resource.type)
    result.checked = JudgedUrns(resources, active)
    stack_rules = [rule for rule in active if isinstance(rule, StackRule)]
    if stack_rules:  # as the CLI's AnalyzeStack: every resource's outputs, not its inputs
        stack_view = StackView(r.with_outputs() for r in resources)
        types.update(zip(map(_URN, resources), map(_TYPE, resources)))  # where a stack rule's finding is
        for rule in stack_rules:
            settle(rule, check_stack(rule, stack_view, settings[rule.id]), "", "")
    result.expired_waivers = book.expired()
    result.findings = _in_report_order(found, active, redact)
    result.waived = _in_report_order(waived, active, redact)
    return result


_URN, _TYPE = attrgetter("urn"), attrgetter("type")


class JudgedUrns(Mapping[str, list[str]]):
    """Rule id to the URNs the rule judged: every resource of its types (all for a rule of every type), in the
    plan's order, resource rules type by type as `applies_to` lists them. Each list is built when a report asks for
    it (the evidence and JUnit reports count them; the JSON, SARIF and text reports never do: 0.5 s of lists at
    100,000 resources)."""

    def __init__(self, resources: Sequence[Resource], rules: Sequence[AnyRule]) -> None:
        self._resources = resources
        self._scopes = {rule.id: (rule.applies_to, isinstance(rule, StackRule)) for rule in rules}
        self._built: dict[str, list[str]] = {}
        self._by_type: dict[str, list[str]] | None = None

    def __getitem__(self, rule_id: str) -> list[str]:
        urns = self._built.get(rule_id)
        if urns is None:
            urns = self._built[rule_id] = self._judged(*self._scopes[rule_id])
        return urns

    def _judged(self, applies_to: tuple[str, ...] | None, stack_rule: bool) -> list[str]:
        if applies_to is None or (stack_rule and not applies_to):  # a stack rule of no types judges the stack
            return list(map(_URN, self._resources))
        if stack_rule:  # a stack rule judges the stack in its order
            wanted = set(applies_to)
            return [r.urn for r in self._resources if r.type in wanted]
        if self._by_type is None:
            self._by_type = {}
            for resource in self._resources:
                self._by_type.setdefault(resource.type, []).append(resource.urn)
        return [urn for token in dict.fromkeys(applies_to) for urn in self._by_type.get(token, ())]

    def __iter__(self) -> Iterator[str]:
        return iter(self._scopes)

    def __len__(self) -> int:
        return len(self._scopes)


def _in_report_order(by_rule: Mapping[str, list[Finding]], rules: Sequence[AnyRule],
                     redact: Callable[[str], str]) -> list[Finding]:
    """The findings by severity, rule id and URN (a resource's findings of one rule in the order reported): each
    rule's list sorted by URN alone, the rules in order, instead of a key tuple per finding compared n log n times.
    A message recorded before another rule unwrapped the same secret is redacted once more with every secret seen."""
    ordered: list[Finding] = []
    by_urn = attrgetter("urn")
    for rule in sorted(rules, key=lambda r: (SEVERITY_ORDER[r.severity], r.id)):
        findings = by_rule[rule.id]
        findings.sort(key=by_urn)
        ordered += findings
    if getattr(redact, "seen", True):  # only when a rule saw a secret's plaintext
        ordered = [_redacted(f, redact) for f in ordered]
    return ordered


def _redacted(finding: Finding, redact: Callable[[str], str]) -> Finding:
    message = redact(finding.message)
    return finding if message == finding.message else Finding(**{**finding.__dict__, "message": message})


def check_export(export: dict, *, environment: str, stack: str | None = None, waivers_path: Path | None = None,
                 today: dt.date | None = None, source: str = "<plan>") -> CheckResult:
    """Check an offline plan or a `pulumi stack export` document against the pack for one environment."""
    if environment not in ENVIRONMENTS:
        raise UserError(f"environment {environment!r} is not one of {', '.join(ENVIRONMENTS)}")
    with paused_gc():
        resources, found_stack = parse_resources(export, source)
    return check_resources(resources, environment=environment, stack=stack or found_stack,
                           waivers=load_waivers(waivers_path), today=today, source=source)


def render(result: CheckResult, fmt: str) -> str:
    """The result as text, json, sarif, junit, or an evidence report (evidence-md, evidence-html)."""
    if fmt == "text":
        from amsterdam_cloud.policies.reports.text import render_text
        return render_text(result)
    if fmt == "json":
        from amsterdam_cloud.policies.reports.json_report import render_json
        return render_json(result)
    if fmt == "sarif":
        from amsterdam_cloud.policies.reports.sarif import render_sarif
        return render_sarif(result)
    if fmt == "junit":
        from amsterdam_cloud.policies.reports.junit import render_junit
        return render_junit(result)
    if fmt in ("evidence-md", "evidence-html"):
        from amsterdam_cloud.policies.reports.evidence import render_evidence
        return render_evidence(result, html=fmt == "evidence-html")
    raise UserError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
