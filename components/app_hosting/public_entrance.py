"""A public app's entrance into the platform's Front Door profile (`FrontDoor`, front_door.py), created by the app
stack: its own endpoint, origin group and route, HTTPS only, the origin reached over Private Link (so the app keeps
public network access off), optionally a custom domain with the team's certificate from the platform's certificate
vault, and a security policy that puts the shared WAF policy on the app's domains. The only way an app is public."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cdn

from amsterdam_cloud.components.interfaces import NO_DIAGNOSTICS, CommonArgs, InterfaceError, WithInterfaces, \
    supports

ORIGIN_GROUP_IDS = ("managedEnvironments", "sites")
"""Private-link sub-resources Front Door can reach: a Container Apps environment, an App Service app."""
_HOST = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SECRET = re.compile(r"^[0-9A-Za-z-]{1,127}$")


@dataclass(frozen=True, kw_only=True)
class FrontDoorRef:
    """The platform's profile an app's entrance goes into (the platform's `frontDoor` export)."""

    profile_name: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]
    waf_policy_id: pulumi.Input[str]
    certificate_vault_id: pulumi.Input[str]
    """The vault Front Door reads custom domain certificates from (its identity is Key Vault Secrets User)."""


@dataclass(frozen=True, kw_only=True)
class CustomDomain:
    """The app's own host name, served with the team's certificate."""

    host_name: str
    """The public name, e.g. parkeren.amsterdam.nl (a CNAME to the endpoint and a TXT validation record)."""
    certificate_secret: str
    """The certificate's name in the platform's certificate vault (imported by the platform team; PFX, full chain,
    RSA)."""

    def __post_init__(self) -> None:
        if not _HOST.match(self.host_name):
            raise InterfaceError(f"CustomDomain.host_name: {self.host_name!r}; expected a lower-case host name "
                                 "such as parkeren.amsterdam.nl")
        if not _SECRET.match(self.certificate_secret):
            raise InterfaceError(f"CustomDomain.certificate_secret: {self.certificate_secret!r}; expected a Key "
                                 "Vault certificate name (letters, digits and -)")


@dataclass(frozen=True, kw_only=True)
class PublicEntranceArgs(CommonArgs):
    SUPPORTS = supports(reason="the entrance lives in the platform's profile, whose interfaces the platform sets")
    front_door: FrontDoorRef
    """The platform's profile and WAF policy; the entrance's parts are its children (in its resource group)."""
    origin_host_name: pulumi.Input[str]
    """The app's private host name (the container app's FQDN or the web app's azurewebsites.net name)."""
    private_link_resource_id: pulumi.Input[str]
    """The resource Front Door connects to over Private Link (the environment or the web app)."""
    private_link_group_id: str
    """managedEnvironments for a Container Apps environment, sites for a web app."""
    private_link_location: str
    """The region of the private-link resource."""
    endpoint_name: str
    """The app's endpoint in the profile (its `<name>-<hash>.azurefd.net` host); unique in the profile."""
    health_probe_path: str = "/health"
    """The path Front Door probes over HTTPS."""
    custom_domain: CustomDomain | None = None
    """No custom domain: the app is reached at its endpoint's azurefd.net name; set: at that host name too."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.private_link_group_id not in ORIGIN_GROUP_IDS:
            raise InterfaceError(f"PublicEntranceArgs.private_link_group_id: {self.private_link_group_id!r}; "
                                 f"expected one of {', '.join(ORIGIN_GROUP_IDS)}")


class PublicEntrance(WithInterfaces, pulumi.ComponentResource):
    """The entrance; `host_name` is the public name (`<endpoint>.azurefd.net`) a custom domain's CNAME points at."""

    def __init__(self, name: str, args: PublicEntranceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:PublicEntrance", name, None, opts)
        tags = dict(args.tags)
        child = pulumi.ResourceOptions(parent=self)
        shared = args.front_door
        group, profile = shared.resource_group_name, shared.profile_name
        endpoint = cdn.AFDEndpoint(
            f"{name}-endpoint", resource_group_name=group, profile_name=profile, location="global",
            endpoint_name=args.endpoint_name, enabled_state="Enabled",
            auto_generated_domain_name_label_scope="TenantReuse", tags=tags, opts=child)
        origin_group = cdn.AFDOriginGroup(
            f"{name}-origins", resource_group_name=group, profile_name=profile,
            origin_group_name=args.endpoint_name,
            health_probe_settings=cdn.HealthProbeParametersArgs(
                probe_path=args.health_probe_path, probe_protocol=cdn.ProbeProtocol.HTTPS,
                probe_request_type=cdn.HealthProbeRequestType.GET, probe_interval_in_seconds=60),
            load_balancing_settings=cdn.LoadBalancingSettingsParametersArgs(
                sample_size=4, successful_samples_required=3, additional_latency_in_milliseconds=50),
            session_affinity_state="Disabled", opts=child)
        origin = cdn.AFDOrigin(
            f"{name}-origin", resource_group_name=group, profile_name=profile,
            origin_group_name=origin_group.name, host_name=args.origin_host_name,
            origin_host_header=args.origin_host_name, https_port=443, http_port=80, priority=1, weight=1000,
            enabled_state="Enabled", enforce_certificate_name_check=True,
            shared_private_link_resource=cdn.SharedPrivateLinkResourcePropertiesArgs(
                private_link=cdn.ResourceReferenceArgs(id=args.private_link_resource_id),
                group_id=args.private_link_group_id, private_link_location=args.private_link_location,
                request_message="Azure Front Door of the City of Amsterdam (approve in the app stack's runbook)"),
            opts=child)
        domains: list[pulumi.Input[str]] = [endpoint.id]
        self.custom_domain_validation: pulumi.Output[str | None] | None = None
        custom_domains = None
        if args.custom_domain:
            certificate = pulumi.Output.concat(shared.certificate_vault_id, "/secrets/",
                                               args.custom_domain.certificate_secret)
            secret = cdn.Secret(
                f"{name}-certificate", resource_group_name=group, profile_name=profile,
                secret_name=args.endpoint_name,
                parameters=cdn.CustomerCertificateParametersArgs(
                    type="CustomerCertificate", secret_source=cdn.ResourceReferenceArgs(id=certificate),
                    use_latest_version=True),
                opts=child)
            domain = cdn.AFDCustomDomain(
                f"{name}-domain", resource_group_name=group, profile_name=profile,
                custom_domain_name=args.custom_domain.host_name.replace(".", "-"),
                host_name=args.custom_domain.host_name,
                tls_settings=cdn.AFDDomainHttpsParametersArgs(certificate_type="CustomerCertificate",
                                                              minimum_tls_version=cdn.AfdMinimumTlsVersion.TLS12,
                                                              secret=cdn.ResourceReferenceArgs(id=secret.id)),
                opts=child)
            domains.append(domain.id)
            custom_domains = [cdn.ActivatedResourceReferenceArgs(id=domain.id)]
            self.custom_domain_validation = domain.validation_properties.apply(
                lambda validation: validation.validation_token if validation else None)
        cdn.Route(
            f"{name}-route", resource_group_name=group, profile_name=profile, endpoint_name=endpoint.name,
            origin_group=cdn.ResourceReferenceArgs(id=origin_group.id), supported_protocols=["Http", "Https"],
            https_redirect="Enabled", forwarding_protocol="HttpsOnly", link_to_default_domain="Enabled",
            custom_domains=custom_domains, patterns_to_match=["/*"], enabled_state="Enabled",
            opts=pulumi.ResourceOptions(parent=self, depends_on=[origin]))
        cdn.SecurityPolicy(
            f"{name}-security", resource_group_name=group, profile_name=profile,
            security_policy_name=args.endpoint_name,
            parameters=cdn.SecurityPolicyWebApplicationFirewallParametersArgs(
                type="WebApplicationFirewall", waf_policy=cdn.ResourceReferenceArgs(id=shared.waf_policy_id),
                associations=[cdn.SecurityPolicyWebApplicationFirewallAssociationArgs(
                    domains=[cdn.ActivatedResourceReferenceArgs(id=domain_id) for domain_id in domains],
                    patterns_to_match=["/*"])]),
            opts=child)
        self.add_interfaces(name, scope_id=endpoint.id, args=args, diagnostics=NO_DIAGNOSTICS)
        self.resource_id, self.name = endpoint.id, endpoint.name
        self.waf_policy_id = pulumi.Output.from_input(shared.waf_policy_id)
        self.host_name = endpoint.host_name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "host_name": self.host_name,
                               "waf_policy_id": self.waf_policy_id})
