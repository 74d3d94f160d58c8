"""The same rules as CrossGuard policies, for `pulumi preview --policy-pack policies/packs/amsterdam-baseline`.

Each rule becomes one `ResourceValidationPolicy` or `StackValidationPolicy` named by its id; its config schema
offers exactly the settings the rule reads. Waivers come from the same file as the offline checker's. Two
more stack policies keep waivers visible: `waivers-in-force` lists waived findings (advisory) and
`waivers-expired` reports expired waivers of the stack (fails at mandatory, like the offline check).

Values unknown during preview are not skipped: props are unwrapped from pulumi-policy's unknown-checking proxy
so a rule sees the unknown sentinel and judges it as the offline checker does (a violation in acc and prod).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable, Mapping, Sequence

from pulumi_policy import (EnforcementLevel, Policy, PolicyComplianceFramework, PolicyConfigSchema,
                           PolicyProviderResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy,
                           Severity as PolicySeverity, StackValidationArgs, StackValidationPolicy)

from amsterdam_cloud.policies.rule_model import (UNKNOWN_SENTINELS, AnyRule, Resource, Rule, StackRule, base_type,
                                             check_stack, project_of, run_rule, stack_of)
from amsterdam_cloud.policies.settings import PROPERTY_SCHEMAS, WAIVERS_EXPIRED, WAIVERS_IN_FORCE, Settings
from amsterdam_cloud.policies.waivers import Waiver, WaiverBook, load_waivers

BIO = PolicyComplianceFramework(name="BIO", version="1.04",
                                reference="https://www.bio-overheid.nl/",
                                specification="Baseline Informatiebeveiliging Overheid")


def plain(value: Any) -> Any:
    """A value with pulumi-policy's proxies removed (unknown sentinels stay as the plain strings they are)."""
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return value
    if isinstance(value, Mapping):
        try:
            target = value["__target"]
        except (KeyError, TypeError):
            target = value
        return {key: plain(item) for key, item in target.items()}
    if isinstance(value, Sequence):
        try:
            target = value["__target"]  # type: ignore[call-overload]  # pulumi-policy's list proxy takes this key
        except (KeyError, TypeError, IndexError):
            target = value
        return [plain(item) for item in target]
    return value


_SETTINGS_CACHE: dict[str, Settings] = {}


def settings_of(config: Mapping[str, Any], rule_id: str) -> Settings:
    key = rule_id + json.dumps(plain(config), sort_keys=True, default=str)
    if key not in _SETTINGS_CACHE:
        _SETTINGS_CACHE[key] = Settings.from_properties(plain(config), "policy pack config", rule_id)
    return _SETTINGS_CACHE[key]


class _Waivers:
    """The waivers file, loaded once, with one book per stack, and the waived findings of resource rules.

    Resource rules judge inputs, which only `Analyze` carries; the CLI calls `AnalyzeStack` (outputs) after every
    `Analyze` of the same run in the same pack process, so `waivers-in-force` lists what `Analyze` remembered.
    """

    def __init__(self, waivers: Sequence[Waiver] | None, today: dt.date | None) -> None:
        self._waivers, self._today = waivers, today
        self._books: dict[tuple[str, str], WaiverBook] = {}
        self.waived: dict[str, dict[tuple[str, str, str], Waiver]] = {}
        """Stack name to (rule id, URN, message) of each waived resource-rule finding, and its waiver."""

    def book(self, urn: str) -> WaiverBook:
        """The waivers for the stack and project of `urn` (a waiver naming another project's resources is left out,
        as the offline check does)."""
        stack, project = stack_of(urn), project_of(urn)
        if (project, stack) not in self._books:
            waivers = self._waivers if self._waivers is not None else load_waivers()
            self._books[(project, stack)] = WaiverBook(waivers, stack, self._today or dt.date.today(), project=project)
        return self._books[(project, stack)]


def provider_subscription(provider: PolicyProviderResource | None) -> str | None:
    """The subscription the engine's provider for a resource deploys to (its `subscriptionId` input), if it names one:
    an explicit provider's, or the default provider's from the stack config's `azure-native:subscriptionId`."""
    subscription = plain(provider.props).get("subscriptionId") if provider is not None else None
    return subscription if isinstance(subscription, str) and subscription not in UNKNOWN_SENTINELS else None


def resource_from_args(args: ResourceValidationArgs) -> Resource:
    return Resource(urn=args.urn, type=base_type(args.resource_type), props=plain(args.props), name=args.name,
                    protect=bool(getattr(args.opts, "protect", False)),
                    parent=getattr(args.opts, "parent", None) or None,
                    provider_subscription=provider_subscription(args.provider))


def resources_from_stack(args: StackValidationArgs) -> list[Resource]:
    """The stack's resources as stack rules see them: the engine sends outputs, so the ARM id is the `id` output."""
    resources = []
    for r in args.resources:
        if r.resource_type.startswith("pulumi:"):
            continue
        props = plain(r.props)
        cloud_id = props.get("id")
        resources.append(Resource(
            urn=r.urn, type=base_type(r.resource_type), props=props, name=r.name,
            protect=bool(getattr(r.opts, "protect", False)), parent=r.parent.urn if r.parent else None,
            dependencies=tuple(d.urn for d in (r.dependencies or ())),
            property_dependencies={k: tuple(d.urn for d in v) for k, v in (r.property_dependencies or {}).items()},
            id=cloud_id if isinstance(cloud_id, str) and cloud_id and cloud_id not in UNKNOWN_SENTINELS else None,
            provider_subscription=provider_subscription(r.provider)))
    return resources


def _message(message: str, waiver: Waiver | None) -> str:
    if waiver is None:
        return message
    return f"{message} (waiver expired on {waiver.expires.isoformat()}; owner {waiver.owner})"


def _resource_validator(rule: Rule, waivers: _Waivers) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    applies = frozenset(rule.applies_to) if rule.applies_to is not None else None

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        token = base_type(args.resource_type)
        if token.startswith("pulumi:") or (applies is not None and token not in applies):
            return  # providers and the stack are not Azure resources (the offline checker skips them too)
        resource = resource_from_args(args)
        book = waivers.book(resource.urn)
        for message in run_rule(rule, resource, settings_of(args.get_config(), rule.id)):
            waiver = book.lookup(rule.id, resource.urn)
            if waiver is not None and not waiver.expired(book.today):
                waivers.waived.setdefault(book.stack, {})[(rule.id, resource.urn, message)] = waiver
                continue
            report_violation(_message(message, waiver), resource.urn)

    return validate


def _stack_validator(rule: StackRule, waivers: _Waivers) -> Callable[[StackValidationArgs, ReportViolation], None]:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = resources_from_stack(args)
        if not resources:
            return
        book = waivers.book(resources[0].urn)
        # as the offline checker does: a crash is reported, never a crashed analyzer
        for message, urn in check_stack(rule, resources, settings_of(args.get_config(), rule.id)).violations:
            waiver = book.lookup(rule.id, urn)
            if waiver is not None and not waiver.expired(book.today):
                continue
            report_violation(_message(message, waiver), urn or None)

    return validate


def _waived_findings(rules: Sequence[AnyRule], waivers: _Waivers
                     ) -> Callable[[StackValidationArgs, ReportViolation], None]:
    """List every waived finding of the stack apart (advisory), so a waiver never hides silently."""
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = resources_from_stack(args)
        if not resources:
            return
        book = waivers.book(resources[0].urn)
        if not book:
            return
        in_stack = {r.urn for r in resources}
        found = [(rule_id, message, urn) for (rule_id, urn, message) in waivers.waived.get(book.stack, {})
                 if urn in in_stack]  # resource rules: remembered from Analyze, which saw the inputs
        for rule in rules:
            if not isinstance(rule, StackRule):
                continue
            settings = settings_of({k: v for k, v in plain(args.get_config()).items() if k in rule.settings},
                                   rule.id)
            found.extend((rule.id, message, urn) for message, urn in check_stack(rule, resources, settings).violations
                         if not message.startswith("could not be checked"))  # reported by the rule's own policy
        for rule_id, message, urn in sorted(found):
            waiver = book.lookup(rule_id, urn)
            if waiver is not None and not waiver.expired(book.today):
                report_violation(f"waived {rule_id}: {message} (until {waiver.expires.isoformat()}, owner "
                                 f"{waiver.owner}: {waiver.reason})", urn)

    return validate


def _expired_waivers(waivers: _Waivers) -> Callable[[StackValidationArgs, ReportViolation], None]:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        urns = [r.urn for r in args.resources]
        if not urns:
            return
        book = waivers.book(urns[0])
        for waiver in book.expired():
            report_violation(f"waiver {waiver.index} for {waiver.rule} on {waiver.resource} expired on "
                             f"{waiver.expires.isoformat()} (owner {waiver.owner}); renew or remove it", None)
        settings = settings_of(args.get_config(), WAIVERS_EXPIRED)
        for _, message in book.describe_too_long(settings.max_waiver_days, settings.environment):
            report_violation(message, None)

    return validate


def policy_for(rule: AnyRule, waivers: _Waivers) -> ResourceValidationPolicy | StackValidationPolicy:
    """The CrossGuard policy of one rule."""
    common: dict[str, Any] = dict(
        name=rule.id, description=rule.title, severity=PolicySeverity(rule.severity.value), framework=BIO,
        tags=list(rule.controls), remediation_steps=rule.remediation,
        config_schema=PolicyConfigSchema(properties={s: dict(PROPERTY_SCHEMAS[s]) for s in rule.settings})
        if rule.settings else None)
    if isinstance(rule, StackRule):
        return StackValidationPolicy(validate=_stack_validator(rule, waivers), **common)
    return ResourceValidationPolicy(validate=_resource_validator(rule, waivers), **common)


def build_policies(*, rules: Sequence[AnyRule] | None = None, waivers: Sequence[Waiver] | None = None,
                   today: dt.date | None = None) -> list[Policy]:
    """Every rule as a CrossGuard policy, plus the two waiver policies.

    `waivers` defaults to `policies/waivers.yaml`, read when the first resource is analysed. `waivers-in-force`
    re-runs the rules to list waived findings, with the settings of its own config block (every setting).
    """
    from amsterdam_cloud.policies.rules import ALL_RULES

    rules = tuple(rules if rules is not None else ALL_RULES)
    book = _Waivers(waivers, today)
    policies: list[Policy] = [policy_for(rule, book) for rule in rules]
    policies.append(StackValidationPolicy(
        name=WAIVERS_IN_FORCE, description="Findings accepted by a waiver, listed apart",
        validate=_waived_findings(rules, book), enforcement_level=EnforcementLevel.ADVISORY,
        severity=PolicySeverity.LOW, framework=BIO,
        config_schema=PolicyConfigSchema(properties={k: dict(v) for k, v in PROPERTY_SCHEMAS.items()})))
    policies.append(StackValidationPolicy(
        name=WAIVERS_EXPIRED, description="Waivers past their expiry date must be renewed or removed",
        validate=_expired_waivers(book), severity=PolicySeverity.HIGH, framework=BIO,
        remediation_steps="Renew the waiver with a new expiry date and reason, or remove it and fix the finding.",
        config_schema=PolicyConfigSchema(properties={key: dict(PROPERTY_SCHEMAS[key])
                                                     for key in ("environment", "maxWaiverDays")})))
    return policies
