"""The city's WAF in front of one app: Azure Front Door Premium with a WAF policy in Prevention mode (Microsoft's
default rule set and bot protection, a per-client rate limit), HTTPS only, and the origin reached over Private
Link, so the app itself keeps public network access off. The only way an app is public."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cdn, frontdoor

from amsterdam_cloud.components.interfaces import CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces

ORIGIN_GROUP_IDS = ("managedEnvironments", "sites")
"""Private-link sub-resources Front Door can reach: a Container Apps environment, an App Service app."""
WAF_MODES = ("Prevention", "Detection")


@dataclass(frozen=True, kw_only=True)
class PublicEntranceArgs(CommonArgs):
    resource_group_name: pulumi.Input[str]
    """The resource group of the profile and WAF policy; the component never creates it."""
    origin_host_name: pulumi.Input[str]
    """The app's private host name (the container app's FQDN or the web app's azurewebsites.net name)."""
    private_link_resource_id: pulumi.Input[str]
    """The resource Front Door connects to over Private Link (the environment or the web app)."""
    private_link_group_id: str
    """managedEnvironments for a Container Apps environment, sites for a web app."""
    private_link_location: str
    """The region of the private-link resource."""
    health_probe_path: str = "/health"
    """The path Front Door probes over HTTPS."""
    waf_mode: str = "Prevention"
    """Prevention: matching requests are blocked; Detection (an explicit opt-out, for tuning): only logged."""
    rate_limit_per_minute: int = 1000
    """Requests per client IP per minute before Front Door blocks it."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.private_link_group_id not in ORIGIN_GROUP_IDS:
            raise InterfaceError(f"PublicEntranceArgs.private_link_group_id: {self.private_link_group_id!r}; "
                                 f"expected one of {', '.join(ORIGIN_GROUP_IDS)}")
        if self.waf_mode not in WAF_MODES:
            raise InterfaceError(f"PublicEntranceArgs.waf_mode: {self.waf_mode!r}; expected one of "
                                 f"{', '.join(WAF_MODES)}")
        if not 10 <= self.rate_limit_per_minute <= 1_000_000:
            raise InterfaceError(f"PublicEntranceArgs.rate_limit_per_minute: {self.rate_limit_per_minute}; "
                                 "expected 10 to 1000000")


class PublicEntrance(WithInterfaces, pulumi.ComponentResource):
    """The entrance; `host_name` is the public name (`<endpoint>.azurefd.net`) to point a custom domain at."""

    def __init__(self, name: str, args: PublicEntranceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:PublicEntrance", name, None, opts)
        tags = dict(args.tags)
        child = pulumi.ResourceOptions(parent=self)
        group = args.resource_group_name
        profile = cdn.Profile(
            f"{name}-profile", resource_group_name=group, location="global",
            sku=cdn.SkuArgs(name="Premium_AzureFrontDoor"), origin_response_timeout_seconds=60, tags=tags,
            opts=child)
        policy = frontdoor.Policy(
            f"{name}-waf", resource_group_name=group, location="Global",
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
                group_by=[{"variable_name": "SocketAddr"}],
                match_conditions=[frontdoor.MatchConditionArgs(match_variable="RequestUri", operator="Any",
                                                               match_value=[])])]),
            tags=tags, opts=child)
        endpoint = cdn.AFDEndpoint(
            f"{name}-endpoint", resource_group_name=group, profile_name=profile.name, location="global",
            enabled_state="Enabled", auto_generated_domain_name_label_scope="TenantReuse", tags=tags, opts=child)
        origin_group = cdn.AFDOriginGroup(
            f"{name}-origins", resource_group_name=group, profile_name=profile.name,
            health_probe_settings=cdn.HealthProbeParametersArgs(
                probe_path=args.health_probe_path, probe_protocol="Https", probe_request_type="GET",
                probe_interval_in_seconds=60),
            load_balancing_settings=cdn.LoadBalancingSettingsParametersArgs(
                sample_size=4, successful_samples_required=3, additional_latency_in_milliseconds=50),
            session_affinity_state="Disabled", opts=child)
        origin = cdn.AFDOrigin(
            f"{name}-origin", resource_group_name=group, profile_name=profile.name,
            origin_group_name=origin_group.name, host_name=args.origin_host_name,
            origin_host_header=args.origin_host_name, https_port=443, http_port=80, priority=1, weight=1000,
            enabled_state="Enabled", enforce_certificate_name_check=True,
            shared_private_link_resource=cdn.SharedPrivateLinkResourcePropertiesArgs(
                private_link=cdn.ResourceReferenceArgs(id=args.private_link_resource_id),
                group_id=args.private_link_group_id, private_link_location=args.private_link_location,
                request_message="Azure Front Door of the City of Amsterdam (approve in the app stack's runbook)"),
            opts=child)
        cdn.Route(
            f"{name}-route", resource_group_name=group, profile_name=profile.name, endpoint_name=endpoint.name,
            origin_group=cdn.ResourceReferenceArgs(id=origin_group.id), supported_protocols=["Http", "Https"],
            https_redirect="Enabled", forwarding_protocol="HttpsOnly", link_to_default_domain="Enabled",
            patterns_to_match=["/*"], enabled_state="Enabled",
            opts=pulumi.ResourceOptions(parent=self, depends_on=[origin]))
        cdn.SecurityPolicy(
            f"{name}-security", resource_group_name=group, profile_name=profile.name,
            parameters=cdn.SecurityPolicyWebApplicationFirewallParametersArgs(
                type="WebApplicationFirewall", waf_policy=cdn.ResourceReferenceArgs(id=policy.id),
                associations=[cdn.SecurityPolicyWebApplicationFirewallAssociationArgs(
                    domains=[cdn.ActivatedResourceReferenceArgs(id=endpoint.id)], patterns_to_match=["/*"])]),
            opts=child)
        self.add_interfaces(name, scope_id=profile.id, args=args, diagnostics=DiagnosticSupport(),
                            resource_group_name=group)
        self.resource_id, self.name = profile.id, profile.name
        self.waf_policy_id = policy.id
        self.host_name = endpoint.host_name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "host_name": self.host_name,
                               "waf_policy_id": self.waf_policy_id})
