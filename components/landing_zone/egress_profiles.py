"""Egress profiles: what one kind of workload must reach beyond the firewall's baseline, declared as data (pure).

The hub firewall denies every egress its baseline (`firewall.py`) does not allow. A spoke subnet whose workload has
documented outbound needs enables a profile in the stack config, and gets exactly that profile's rules, sourced
from that subnet's range only (`FirewallEgress` in `firewall.py` writes them into the firewall's policy):

```yaml
workplace:
  addressSpace: 10.10.32.0/20
  subnets:
    hosts: {size: 21, egressProfiles: [avd-session-hosts]}
```

A new kind of workload is a new entry in `EGRESS_PROFILES` (with the page its list follows), never an
`if spoke == ...` in a component. Three kinds of rule, each what Azure Firewall can enforce for it:

- `ServiceTagRule`: network rule, Azure service tags on TCP or UDP ports (Microsoft keeps the address ranges current);
- `FqdnPortRule`: network rule to names on TCP ports that are not HTTP(S) (KMS); the firewall's DNS proxy resolves
  the names;
- `WebRule`: application rule, names (wildcards allowed) or Microsoft FQDN tags over HTTP or HTTPS on given ports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

WEB_PROTOCOLS = ("Http", "Https")


NETWORK_PROTOCOLS = ("TCP", "UDP")


@dataclass(frozen=True, kw_only=True)
class ServiceTagRule:
    """Network rule: Azure service tags on TCP (or UDP) ports."""

    name: str
    description: str
    service_tags: tuple[str, ...]
    ports: tuple[int, ...] = (443,)
    protocol: str = "TCP"
    """TCP; UDP for media and other non-TCP traffic (Teams calls)."""

    def __post_init__(self) -> None:
        if self.protocol not in NETWORK_PROTOCOLS:
            raise ValueError(f"ServiceTagRule {self.name}: protocol is one of {', '.join(NETWORK_PROTOCOLS)}")


@dataclass(frozen=True, kw_only=True)
class FqdnPortRule:
    """Network rule: names on TCP ports for protocols an application rule cannot carry (not HTTP or HTTPS)."""

    name: str
    description: str
    fqdns: tuple[str, ...]
    ports: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class WebRule:
    """Application rule: names or FQDN tags over HTTP(S); `protocols` are (`Https`|`Http`, port) pairs."""

    name: str
    description: str
    fqdns: tuple[str, ...] = ()
    fqdn_tags: tuple[str, ...] = ()
    protocols: tuple[tuple[str, int], ...] = (("Https", 443),)

    def __post_init__(self) -> None:
        if bool(self.fqdns) == bool(self.fqdn_tags):
            raise ValueError(f"WebRule {self.name}: give fqdns or fqdn_tags, not both or neither")
        if not self.protocols or any(protocol not in WEB_PROTOCOLS for protocol, _ in self.protocols):
            raise ValueError(f"WebRule {self.name}: protocols are (Http|Https, port) pairs")


@dataclass(frozen=True, kw_only=True)
class EgressProfile:
    """One workload kind's outbound needs, as the vendor documents them."""

    name: str
    description: str
    reference: str
    """The page the list follows; re-check it when the vendor updates it."""
    network_rules: tuple[ServiceTagRule | FqdnPortRule, ...]
    application_rules: tuple[WebRule, ...]


AVD_SESSION_HOSTS = EgressProfile(
    name="avd-session-hosts",
    description="Azure Virtual Desktop session hosts: register with and talk to the AVD service, send agent "
                "telemetry, fetch agent updates, activate Windows, check certificates, sign in, update Windows",
    reference="https://learn.microsoft.com/azure/virtual-desktop/required-fqdn-endpoint (session hosts, Azure cloud)",
    network_rules=(
        # Not the whole `AzureFrontDoor.Frontend` tag the page lists for catalogartifact.azureedge.net: that tag is every
        # site behind Front Door (an exfiltration path); the one name is an application rule below instead.
        ServiceTagRule(name="avd-service-tags", description="AVD service and Azure Monitor",
                       service_tags=("WindowsVirtualDesktop", "AzureMonitor")),
        FqdnPortRule(name="avd-windows-activation", description="Azure KMS: Windows activation (TCP, not HTTP)",
                     fqdns=("azkms.core.windows.net", "kms.core.windows.net"), ports=(1688,)),
    ),
    application_rules=(
        WebRule(name="avd-service", description="AVD service traffic and agent registration",
                fqdns=("*.wvd.microsoft.com",)),
        WebRule(name="avd-agent-telemetry", description="AVD agent monitoring and diagnostics",
                fqdns=("gcs.prod.monitoring.core.windows.net", "*.prod.warm.ingest.monitor.core.windows.net")),
        WebRule(name="avd-agent-updates", description="Marketplace artifacts, agent and stack updates, portal blob",
                fqdns=("catalogartifact.azureedge.net", "mrsglobalsteus2prod.blob.core.windows.net",
                       "wvdportalstorageblob.blob.core.windows.net")),
        WebRule(name="avd-certificates", description="Certificate revocation (plain HTTP, as documented)",
                fqdns=("oneocsp.microsoft.com", "www.microsoft.com"), protocols=(("Http", 80),)),
        WebRule(name="avd-sign-in", description="Entra ID sign-in", fqdns=("login.microsoftonline.com",)),
        WebRule(name="avd-windows-update", description="Windows Update (FQDN tag)", fqdn_tags=("WindowsUpdate",),
                protocols=(("Https", 443), ("Http", 80))),
    ),
)

AVD_INTUNE = EgressProfile(
    name="avd-intune",
    description="Intune device management of the session hosts: enrolment, check-in, policy and app delivery, push",
    reference="https://learn.microsoft.com/mem/intune/fundamentals/intune-endpoints (Intune core service, Win32 apps, "
              "Windows Push Notification Services, delivery optimization)",
    network_rules=(),
    application_rules=(
        WebRule(name="intune-service", description="Intune service and device enrolment",
                fqdns=("manage.microsoft.com", "*.manage.microsoft.com", "*.dm.microsoft.com",
                       "enterpriseregistration.windows.net")),
        WebRule(name="intune-push", description="Windows Push Notification Services (Intune check-in on demand)",
                fqdns=("*.notify.windows.com", "*.wns.windows.com")),
        WebRule(name="intune-content", description="Win32 app and update content, delivery optimization",
                fqdns=("*.delivery.mp.microsoft.com", "*.prod.do.dsp.mp.microsoft.com"),
                protocols=(("Https", 443), ("Http", 80))),
    ),
)

AVD_MICROSOFT_365 = EgressProfile(
    name="avd-microsoft-365",
    description="Microsoft 365 apps on the desktops (Exchange, SharePoint/OneDrive, Teams, common endpoints): every "
                "required endpoint category (Optimize, Allow and Default required) as the firewall's "
                "Microsoft-maintained tags, and Teams media over UDP",
    reference="https://learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges (the endpoint list: "
              "per product, categories Optimize/Allow/Default, required or not; Teams media is ID 11, Optimize, UDP "
              "3478-3481 to IP ranges only) and https://learn.microsoft.com/azure/firewall/protect-office-365 (FQDN "
              "tags Office365.<product>.<category>[.Required] for application rules on 80/443, service tags of the "
              "same names for network rules on any port)",
    network_rules=(
        # Teams media has no names, only IP ranges and UDP: an application rule cannot carry it.
        ServiceTagRule(name="m365-teams-media", description="Teams audio, video and screen sharing (Skype Optimize, "
                       "UDP 3478-3481 to the Teams media ranges)", service_tags=("Office365.Skype.Optimize",),
                       ports=(3478, 3479, 3480, 3481), protocol="UDP"),
    ),
    application_rules=(
        WebRule(name="m365-exchange", description="Exchange Online (Optimize; Allow and Default, required)",
                fqdn_tags=("Office365.Exchange.Optimize", "Office365.Exchange.Allow.Required",
                           "Office365.Exchange.Default.Required"),
                protocols=(("Https", 443), ("Http", 80))),
        WebRule(name="m365-sharepoint", description="SharePoint Online and OneDrive (Optimize; Default, required)",
                fqdn_tags=("Office365.SharePoint.Optimize", "Office365.SharePoint.Default.Required"),
                protocols=(("Https", 443), ("Http", 80))),
        WebRule(name="m365-teams", description="Teams (Skype product in the endpoint list; Allow and Default, "
                                               "required)",
                fqdn_tags=("Office365.Skype.Allow.Required", "Office365.Skype.Default.Required"),
                protocols=(("Https", 443), ("Http", 80))),
        WebRule(name="m365-common", description="Common Microsoft 365 endpoints (Allow and Default, required)",
                fqdn_tags=("Office365.Common.Allow.Required", "Office365.Common.Default.Required"),
                protocols=(("Https", 443), ("Http", 80))),
    ),
)

CONTAINER_APPS = EgressProfile(
    name="container-apps",
    description="Azure Container Apps environments behind the firewall: Microsoft Container Registry (every "
                "scenario), the platform's package mirror, and the managed-identity endpoints",
    reference="https://learn.microsoft.com/azure/container-apps/use-azure-firewall (application rules: all "
              "scenarios, managed identity)",
    network_rules=(),
    application_rules=(
        WebRule(name="aca-mcr", description="Microsoft Container Registry: system images of the environment",
                fqdns=("mcr.microsoft.com", "*.data.mcr.microsoft.com")),
        WebRule(name="aca-platform-packages", description="The environment's node packages (all scenarios)",
                fqdns=("packages.aks.azure.com", "acs-mirror.azureedge.net")),
        WebRule(name="aca-managed-identity", description="Managed identity token endpoints and Entra ID sign-in",
                fqdns=("*.identity.azure.net", "login.microsoftonline.com", "*.login.microsoftonline.com",
                       "*.login.microsoft.com")),
    ),
)

APP_SERVICE_BUILD = EgressProfile(
    name="app-service-build",
    description="App Service build automation (Oryx) on VNet-integrated apps: its SDK downloads and the public "
                "package feeds the builds restore from (PyPI, npm, NuGet)",
    reference="https://learn.microsoft.com/azure/app-service/configure-language-python#customize-build-automation, "
              "https://github.com/microsoft/Oryx/blob/main/doc/configuration.md (ORYX_SDK_STORAGE_BASE_URL), "
              "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#application-routing",
    network_rules=(),
    application_rules=(
        WebRule(name="oryx-sdks", description="Oryx SDK and runtime downloads",
                fqdns=("oryx-cdn.microsoft.io", "oryxsdks-cdn.azureedge.net")),
        WebRule(name="python-packages", description="pip: the index and its file host",
                fqdns=("pypi.org", "files.pythonhosted.org")),
        WebRule(name="node-packages", description="npm registry", fqdns=("registry.npmjs.org",)),
        WebRule(name="dotnet-packages", description="NuGet feed and its CDN",
                fqdns=("api.nuget.org", "globalcdn.nuget.org")),
    ),
)

CI_AGENTS = EgressProfile(
    name="ci-agents",
    description="The pipelines' Managed DevOps Pool agents: the pool service and agent downloads, Azure DevOps, "
                "Entra ID and Azure Resource Manager, the city's package feed, the Pulumi CLI and its plugins",
    reference="https://learn.microsoft.com/azure/devops/managed-devops-pools/configure-networking (endpoints "
              "Managed DevOps Pools needs), https://learn.microsoft.com/azure/devops/organizations/security/"
              "allow-list-ip-url (Azure DevOps), https://www.pulumi.com/docs/iac/download-install/ (get.pulumi.com)",
    network_rules=(),
    application_rules=(
        WebRule(name="mdp-service", description="Managed DevOps Pools service and agent packages",
                fqdns=("*.prod.manageddevops.microsoft.com", "rmprodbuilds.azureedge.net",
                       "vstsagentpackage.azureedge.net", "download.agent.dev.azure.com",
                       "server.pipe.aria.microsoft.com", "*.queue.core.windows.net")),
        WebRule(name="azure-devops", description="Azure DevOps organisation, artifacts and the city's package feed",
                fqdns=("dev.azure.com", "*.dev.azure.com", "*.visualstudio.com", "*.vsassets.io",
                       "*.vstmrblob.vsassets.io", "pkgs.dev.azure.com", "*.pkgs.visualstudio.com")),
        WebRule(name="azure-control-plane", description="Entra ID sign-in and Azure Resource Manager",
                fqdns=("login.microsoftonline.com", "management.azure.com")),
        WebRule(name="pulumi-downloads", description="The Pulumi CLI and its resource plugins",
                fqdns=("get.pulumi.com",)),
        WebRule(name="os-packages", description="Ubuntu and Microsoft package repositories of the agent image",
                fqdns=("azure.archive.ubuntu.com", "packages.microsoft.com")),
    ),
)

DEPLOYMENT_SCRIPTS = EgressProfile(
    name="deployment-scripts",
    description="ARM deployment scripts run privately (the AVD rolling replacement): the script container signs in "
                "with its managed identity and calls Azure Resource Manager; its image comes from MCR",
    reference="https://learn.microsoft.com/azure/azure-resource-manager/bicep/deployment-script-vnet-private-endpoint "
              "(container in a delegated subnet, storage through a private endpoint), "
              "https://learn.microsoft.com/azure/container-instances/container-instances-vnet (VNet container groups)",
    network_rules=(),
    application_rules=(
        WebRule(name="scripts-control-plane", description="Entra ID sign-in and Azure Resource Manager",
                fqdns=("login.microsoftonline.com", "management.azure.com")),
        WebRule(name="scripts-image", description="The Azure PowerShell deployment script image (MCR)",
                fqdns=("mcr.microsoft.com", "*.data.mcr.microsoft.com")),
    ),
)

EGRESS_PROFILES: Mapping[str, EgressProfile] = {profile.name: profile for profile in (
    AVD_SESSION_HOSTS, AVD_INTUNE, AVD_MICROSOFT_365, CONTAINER_APPS, APP_SERVICE_BUILD, CI_AGENTS,
    DEPLOYMENT_SCRIPTS)}
"""Every profile a spoke subnet may enable (`egressProfiles` in the stack config), by name."""


@dataclass(frozen=True, kw_only=True)
class EgressGrant:
    """One profile granted to the ranges of the subnets that enable it (the only sources of its rules)."""

    profile: str
    """A key of `EGRESS_PROFILES`."""
    source_ranges: tuple[str, ...]
    """The subnets' CIDRs, in declaration order."""
