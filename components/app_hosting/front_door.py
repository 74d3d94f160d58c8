"""The city's WAF in front of its public apps: one Azure Front Door Premium profile per environment, owned by the
platform, with one WAF policy in Prevention mode (Microsoft's default rule set and bot protection, a per-client rate
limit). Each public app's entrance into this profile is a `PublicEntrance` (public_entrance.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cdn, frontdoor

from amsterdam_cloud.components.interfaces import CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces, \
    supports, system_principal_id

WAF_MODES = ("Prevention", "Detection")


@dataclass(frozen=True, kw_only=True)
class FrontDoorArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings",
                        reason="the profile has no private endpoint (it reaches origins over Private Link), runs as "
                               "its system-assigned identity (it reads the certificate vault) and holds no data")
    resource_group_name: pulumi.Input[str]
    """The resource group of the profile and WAF policy (the platform's shared one); never created here."""
    waf_mode: str = "Prevention"
    """Prevention: matching requests are blocked; Detection (an explicit opt-out, for tuning): only logged."""
    rate_limit_per_minute: int = 1000
    """Requests per client IP per minute before Front Door blocks it."""
    profile_name: str | None = None
    """Unset: azure-native's auto-name; set: that name (app stacks find the profile by it)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.waf_mode not in WAF_MODES:
            raise InterfaceError(f"FrontDoorArgs.waf_mode: {self.waf_mode!r}; expected one of {', '.join(WAF_MODES)}")
        if not 10 <= self.rate_limit_per_minute <= 1_000_000:
            raise InterfaceError(f"FrontDoorArgs.rate_limit_per_minute: {self.rate_limit_per_minute}; "
                                 "expected 10 to 1000000")


class FrontDoor(WithInterfaces, pulumi.ComponentResource):
    """The environment's profile (`resource_id`, `name`), its WAF policy (`waf_policy_id`) and the profile's own
    identity (`principal_id`), which reads custom domain certificates from a vault (Key Vault Secrets User)."""

    def __init__(self, name: str, args: FrontDoorArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:FrontDoor", name, None, opts)
        tags = dict(args.tags)
        child = pulumi.ResourceOptions(parent=self)
        profile = cdn.Profile(
            f"{name}-profile", resource_group_name=args.resource_group_name, location="global",
            profile_name=args.profile_name, sku=cdn.SkuArgs(name="Premium_AzureFrontDoor"),
            identity=cdn.ManagedServiceIdentityArgs(type="SystemAssigned"), origin_response_timeout_seconds=60,
            tags=tags, opts=child)
        policy = frontdoor.Policy(
            f"{name}-waf", resource_group_name=args.resource_group_name, location="global",
            policy_name=re.sub(r"[^A-Za-z0-9]", "", f"waf{name}")[:128],
            sku=frontdoor.SkuArgs(name="Premium_AzureFrontDoor"),
            policy_settings=frontdoor.PolicySettingsArgs(enabled_state="Enabled", mode=args.waf_mode,
                                                         request_body_check="Enabled"),
            managed_rules=frontdoor.ManagedRuleSetListArgs(managed_rule_sets=[
                frontdoor.ManagedRuleSetArgs(rule_set_type="Microsoft_DefaultRuleSet", rule_set_version="2.1",
                                             rule_set_action="Block"),
                frontdoor.ManagedRuleSetArgs(rule_set_type="Microsoft_BotManagerRuleSet", rule_set_version="1.1"),
            ]),
            custom_rules=frontdoor.CustomRuleListArgs(rules=[frontdoor.CustomRuleArgs(
                name="ratelimitperclient", priority=100, enabled_state="Enabled", rule_type="RateLimitRule",
                rate_limit_duration_in_minutes=1, rate_limit_threshold=args.rate_limit_per_minute, action="Block",
                group_by=[frontdoor.GroupByVariableArgs(variable_name="SocketAddr")],
                match_conditions=[frontdoor.MatchConditionArgs(match_variable="RequestUri", operator="Any",
                                                               match_value=[])])]),
            tags=tags, opts=child)
        self.add_interfaces(name, scope_id=profile.id, args=args, diagnostics=DiagnosticSupport(),
                            resource_group_name=args.resource_group_name)
        self.resource_id, self.name = profile.id, profile.name
        self.waf_policy_id = policy.id
        self.principal_id = system_principal_id("FrontDoor", profile.identity)
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "waf_policy_id": self.waf_policy_id, "principal_id": self.principal_id})
