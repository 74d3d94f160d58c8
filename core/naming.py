"""Azure's naming rules per azure-native resource type, and azure-native's own auto-naming.

One table read by the components (to validate a name in their args, early) and by the offline mocks (to check every
physical name, auto or explicit, as the provider's `Check` and Azure would). Each row cites its source: Microsoft's
"Naming rules and restrictions for Azure resources" (RULES_PAGE, the section of the resource provider), or the
provider's API pattern where that is stricter.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

RULES_PAGE = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"
WINDOWS_NAMES = "https://learn.microsoft.com/troubleshoot/windows-server/active-directory/naming-conventions-for-computer-domain-site-ou"


@dataclass(frozen=True, kw_only=True)
class NameRule:
    """One row kind of Microsoft's table: length, allowed characters, first and last character, scope of uniqueness."""

    family: str
    """A short id for the row kind (rules with the same shape share it)."""
    min_length: int
    max_length: int
    allowed: str
    """A regex character class of the characters allowed anywhere."""
    allowed_text: str
    start: str = ""
    """A character class the first character must match; empty: any allowed character."""
    start_text: str = ""
    end: str = ""
    """A character class the last character must match; empty: any allowed character."""
    end_text: str = ""
    no_double_hyphen: bool = False
    not_all_digits: bool = False
    scope: str
    """Where the name must be unique: global, subscription, resource group, or the parent resource."""
    source: str

    def describe(self) -> str:
        """The rule as one clause: `3-24 chars, alphanumerics and hyphens, start with a letter, ...`."""
        parts = [f"{self.min_length}-{self.max_length} chars" if self.min_length != self.max_length
                 else f"{self.max_length} chars", self.allowed_text]
        parts += [text for text in (self.start_text, self.end_text) if text]
        if self.no_double_hyphen:
            parts.append("no '--'")
        if self.not_all_digits:
            parts.append("not only digits")
        unique = "globally" if self.scope == "global" else f"per {self.scope}"
        return ", ".join(parts) + f"; unique {unique}"

    def problem(self, name: str) -> str | None:
        """What is wrong with `name` under this rule (`has 25 characters`, `contains '_'`), or None when Azure accepts it."""
        if not self.min_length <= len(name) <= self.max_length:
            return f"has {len(name)} characters"
        bad = sorted(set(re.sub(f"[{self.allowed}]", "", name)))
        if bad:
            return f"contains {''.join(bad)!r}"
        if self.start and not re.match(f"[{self.start}]", name[0]):
            return f"starts with {name[0]!r}"
        if self.end and not re.match(f"[{self.end}]", name[-1]):
            return f"ends with {name[-1]!r}"
        if self.no_double_hyphen and "--" in name:
            return "contains '--'"
        if self.not_all_digits and name.isdigit():
            return "is only digits"
        return None


def _rule(family: str, lengths: tuple[int, int], allowed: tuple[str, str], *, scope: str, section: str,
          start: tuple[str, str] = ("", ""), end: tuple[str, str] = ("", ""), no_double_hyphen: bool = False,
          not_all_digits: bool = False, source: str = "") -> NameRule:
    return NameRule(family=family, min_length=lengths[0], max_length=lengths[1], allowed=allowed[0],
                    allowed_text=allowed[1], start=start[0], start_text=start[1], end=end[0], end_text=end[1],
                    no_double_hyphen=no_double_hyphen, not_all_digits=not_all_digits, scope=scope,
                    source=source or f"{RULES_PAGE}#{section}")


# Character classes and their wording, written once.
ALNUM = ("a-zA-Z0-9", "alphanumerics")
ALNUM_HYPHEN = ("a-zA-Z0-9-", "alphanumerics and hyphens")
LOWER_ALNUM = ("a-z0-9", "lowercase letters and digits")
LOWER_ALNUM_HYPHEN = ("a-z0-9-", "lowercase letters, digits and hyphens")
ALNUM_HYPHEN_UNDERSCORE = ("a-zA-Z0-9_-", "alphanumerics, hyphens and underscores")
ALNUM_UNDERSCORE_PERIOD_HYPHEN = ("a-zA-Z0-9_.-", "alphanumerics, underscores, periods and hyphens")
GROUP_CHARS = ("a-zA-Z0-9_.()-", "alphanumerics, underscores, periods, parentheses and hyphens")
# "Can't use" lists of the page, as the complement of what may appear (printable ASCII minus the forbidden ones).
LOCK_CHARS = (r" !\"$'()\-.0-9;=@A-Z\[\]^_`a-z~,", "no <>*%{}&:\\?+/#| or control characters")
POLICY_CHARS = (r" !\"#$'(),\-0-9;=@A-Z\[\]^_`a-z{|}~", "no <>*%&:\\?.+/ or control characters")
INSIGHTS_CHARS = (r" !\"$'()*,\-.0-9;=@A-Z\[\]^_`a-z{|}~", "no :<>+/&%\\?# or control characters")
NETBIOS_CHARS = ("a-zA-Z0-9-", "letters, digits and hyphens")
LETTER = ("a-zA-Z", "start with a letter")
ALNUM_START = ("a-zA-Z0-9", "start with a letter or digit")
ALNUM_END = ("a-zA-Z0-9", "end with a letter or digit")
ALNUM_OR_UNDERSCORE_END = ("a-zA-Z0-9_", "end with a letter, digit or underscore")
LOWER_START = ("a-z", "start with a lowercase letter")
LOWER_ALNUM_START = ("a-z0-9", "start with a lowercase letter or digit")
LOWER_ALNUM_END = ("a-z0-9", "end with a lowercase letter or digit")
NO_PERIOD_END = (r"^.", "not end with a period")
NO_PERIOD_SPACE_END = (r"^. ", "not end with a period or space")

# The row kinds. `network` is the Microsoft.Network default (virtual networks, subnets, NSGs, routes, ...).
NETWORK = _rule("network", (1, 80), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="resource group", section="microsoftnetwork",
                start=ALNUM_START, end=ALNUM_OR_UNDERSCORE_END)
NETWORK_CHILD = _rule("network-child", (1, 80), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="parent resource",
                      section="microsoftnetwork", start=ALNUM_START, end=ALNUM_OR_UNDERSCORE_END)
VIRTUAL_NETWORK = _rule("virtual-network", (2, 64), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="resource group",
                        section="microsoftnetwork", start=ALNUM_START, end=ALNUM_OR_UNDERSCORE_END)
FIREWALL = _rule("firewall", (1, 56), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="resource group",
                 section="microsoftnetwork", start=ALNUM_START, end=ALNUM_OR_UNDERSCORE_END)
PRIVATE_ENDPOINT = _rule("private-endpoint", (2, 64), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="resource group",
                         section="microsoftnetwork", start=ALNUM_START, end=ALNUM_OR_UNDERSCORE_END)
WAF_POLICY = _rule("waf-policy", (1, 128), ALNUM_HYPHEN_UNDERSCORE, scope="resource group",
                   section="microsoftnetwork", start=ALNUM_START, end=ALNUM_OR_UNDERSCORE_END)
FRONT_DOOR_WAF = _rule("front-door-waf", (1, 128), ALNUM, scope="resource group", section="microsoftnetwork",
                       start=LETTER)
DNS_ZONE = _rule("dns-zone", (1, 253), ("a-zA-Z0-9.-", "alphanumerics, periods and hyphens (labels of 1-63)"),
                 scope="resource group", section="microsoftnetwork", start=ALNUM_START, end=ALNUM_END)
RECORD_SET = _rule("record-set", (1, 253), ("a-zA-Z0-9_.*@-", "alphanumerics, underscores, periods and hyphens "
                                           "(labels of 1-63), '@' for the apex or '*' as a wildcard"),
                   scope="DNS zone", section="microsoftnetwork")
RESOURCE_GROUP = _rule("resource-group", (1, 90), GROUP_CHARS, scope="subscription",
                       section="microsoftresources", end=NO_PERIOD_END)
IDENTITY = _rule("identity", (3, 128), ALNUM_HYPHEN_UNDERSCORE, scope="resource group",
                 section="microsoftmanagedidentity", start=ALNUM_START)
LOCK = _rule("lock", (1, 90), LOCK_CHARS, scope="scope of assignment", section="microsoftauthorization",
             end=NO_PERIOD_SPACE_END)
GUID_NAME = NameRule(family="guid", min_length=36, max_length=36, allowed="0-9a-f-", allowed_text="a GUID",
                     scope="tenant", source=f"{RULES_PAGE}#microsoftauthorization")
POLICY = _rule("policy", (1, 64), POLICY_CHARS, scope="scope of assignment", section="microsoftauthorization",
               end=NO_PERIOD_SPACE_END)
POLICY_AT_MANAGEMENT_GROUP = _rule("policy-at-management-group", (1, 24), POLICY_CHARS,
                                   scope="scope of assignment", section="microsoftauthorization",
                                   end=NO_PERIOD_SPACE_END)
"""A policy assignment's name at management group scope: at most 24 characters (Microsoft's table, note)."""
SUBSCRIPTION_ALIAS = _rule("subscription-alias", (1, 63), ALNUM_HYPHEN, scope="tenant", section="",
                           start=ALNUM_START, end=ALNUM_END,
                           source="azure-native API: subscription Alias.aliasName (Microsoft's naming page has no "
                                  "row; the city keeps it to a subscription display name: 1-63 alphanumerics and "
                                  "hyphens)")
"""A subscription alias (the vending request's name); Microsoft documents no pattern, so the city's own is kept."""
MANAGEMENT_GROUP = _rule("management-group", (1, 90), GROUP_CHARS, scope="tenant", section="microsoftmanagement",
                         end=NO_PERIOD_END)
FRONT_DOOR = _rule("front-door", (5, 64), ALNUM_HYPHEN, scope="global", section="microsoftnetwork",
                   start=ALNUM_START, end=ALNUM_END)
TRAFFIC_MANAGER = _rule("traffic-manager", (1, 63), ("a-zA-Z0-9.-", "alphanumerics, hyphens and periods"),
                        scope="global", section="microsoftnetwork", start=ALNUM_START, end=ALNUM_END)
BOT = _rule("bot", (2, 64), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="global", section="microsoftbotservice",
            start=ALNUM_START)
BUDGET = _rule("budget", (1, 63), ALNUM_HYPHEN_UNDERSCORE, scope="subscription or resource group",
               section="microsoftconsumption", start=ALNUM_START)
FIXED_NAME = _rule("fixed-name", (1, 260), ALNUM_HYPHEN_UNDERSCORE, scope="parent resource",
                   section="microsoftsecurity", source="azure-native API: a fixed, documented name (e.g. 'default')")
SERVER_PARAMETER = _rule("server-parameter", (1, 260), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="server",
                        section="microsoftdbforpostgresql",
                        source="azure-native API: a server parameter's own name, which may hold periods "
                               "(connection_throttle.enable, logfiles.retention_days)")
SECURITY_AUTOMATION = _rule("security-automation", (1, 260), ALNUM_HYPHEN_UNDERSCORE, scope="resource group",
                            section="microsoftsecurity", source="azure-native API: automations are addressed by name "
                                                                "in the resource group")
INSIGHTS = _rule("insights", (1, 260), INSIGHTS_CHARS, scope="resource group", section="microsoftinsights",
                 end=NO_PERIOD_SPACE_END)
DATA_COLLECTION_RULE = _rule("data-collection-rule", (3, 44), ALNUM_UNDERSCORE_PERIOD_HYPHEN,
                             scope="resource group", section="microsoftinsights", start=ALNUM_START, end=ALNUM_END)
LOG_WORKSPACE = _rule("log-workspace", (4, 63), ALNUM_HYPHEN, scope="resource group",
                      section="microsoftoperationalinsights", start=ALNUM_START, end=ALNUM_END)
KEY_VAULT = _rule("key-vault", (3, 24), ALNUM_HYPHEN, scope="global", section="microsoftkeyvault", start=LETTER,
                  end=ALNUM_END, no_double_hyphen=True)
VAULT_ITEM = _rule("vault-item", (1, 127), ALNUM_HYPHEN, scope="vault", section="microsoftkeyvault")
STORAGE_ACCOUNT = _rule("storage-account", (3, 24), LOWER_ALNUM, scope="global", section="microsoftstorage")
STORAGE_CHILD = _rule("storage-child", (3, 63), LOWER_ALNUM_HYPHEN, scope="storage account",
                      section="microsoftstorage", start=LOWER_ALNUM_START, end=LOWER_ALNUM_END,
                      no_double_hyphen=True)
DATABASE_SERVER = _rule("database-server", (3, 63), LOWER_ALNUM_HYPHEN, scope="global",
                        section="microsoftdbforpostgresql", start=LOWER_ALNUM_START, end=LOWER_ALNUM_END)
DATABASE = _rule("database", (1, 63), ALNUM_HYPHEN_UNDERSCORE, scope="server", section="microsoftdbforpostgresql",
                 start=("a-zA-Z_", "start with a letter or underscore"))
COSMOS_ACCOUNT = _rule("cosmos-account", (3, 44), LOWER_ALNUM_HYPHEN, scope="global",
                       section="microsoftdocumentdb", start=LOWER_ALNUM_START, end=LOWER_ALNUM_END)
COSMOS_CHILD = _rule("cosmos-child", (1, 255), ("a-zA-Z0-9_.-", "alphanumerics, underscores, periods and hyphens "
                                               "(a subset: Azure refuses only / \\ # ? and a trailing space; "
                                               "DynamoDB table names use these)"),
                     scope="parent resource", section="microsoftdocumentdb")
SERVICE_BUS_ENTITY = _rule("service-bus-entity", (1, 260), ("a-zA-Z0-9_./-", "alphanumerics, periods, hyphens, "
                                                            "underscores and slashes"),
                           scope="namespace", section="microsoftservicebus", start=ALNUM_START, end=ALNUM_END)
SERVICE_BUS_NAMESPACE = _rule("service-bus-namespace", (6, 50), ALNUM_HYPHEN, scope="global",
                              section="microsoftservicebus", start=LETTER, end=ALNUM_END)
REDIS = _rule("redis", (1, 63), ALNUM_HYPHEN, scope="global", section="microsoftcache", start=ALNUM_START,
              end=ALNUM_END, no_double_hyphen=True)
REGISTRY = _rule("registry", (5, 50), ALNUM, scope="global", section="microsoftcontainerregistry")
SERVER_FARM = _rule("server-farm", (1, 60), ALNUM_HYPHEN, scope="resource group", section="microsoftweb")
WEB_SITE = _rule("web-site", (2, 60), ALNUM_HYPHEN, scope="global", section="microsoftweb", start=ALNUM_START,
                 end=ALNUM_END)
CONTAINER_ENVIRONMENT = _rule("container-environment", (2, 60), LOWER_ALNUM_HYPHEN, scope="resource group",
                              section="microsoftapp", start=LOWER_START, end=LOWER_ALNUM_END, no_double_hyphen=True)
CONTAINER_APP = _rule("container-app", (2, 32), LOWER_ALNUM_HYPHEN, scope="resource group", section="microsoftapp",
                      start=LOWER_START, end=LOWER_ALNUM_END, no_double_hyphen=True)
MANAGED_CLUSTER = _rule("managed-cluster", (1, 63), ALNUM_HYPHEN_UNDERSCORE, scope="resource group",
                        section="microsoftcontainerservice", start=ALNUM_START, end=ALNUM_END)
VIRTUAL_MACHINE = _rule("virtual-machine", (1, 64), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="resource group",
                        section="microsoftcompute", start=ALNUM_START, end=ALNUM_OR_UNDERSCORE_END)
WINDOWS_COMPUTER_NAME = NameRule(
    family="windows-computer-name", min_length=1, max_length=15, allowed=NETBIOS_CHARS[0],
    allowed_text=NETBIOS_CHARS[1], end=ALNUM_END[0], end_text=ALNUM_END[1], not_all_digits=True,
    scope="domain", source=f"{RULES_PAGE}#microsoftcompute (Windows: 15) and {WINDOWS_NAMES}")
LINUX_HOST_NAME = _rule("linux-host-name", (1, 64), ALNUM_HYPHEN, scope="virtual network",
                        section="microsoftcompute", start=ALNUM_START, end=ALNUM_END)
DISK = _rule("disk", (1, 80), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="resource group", section="microsoftcompute",
             start=ALNUM_START, end=ALNUM_OR_UNDERSCORE_END)
VM_EXTENSION = _rule("vm-extension", (1, 64), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="virtual machine",
                     section="microsoftcompute", start=ALNUM_START, end=ALNUM_OR_UNDERSCORE_END)
DESKTOP = _rule("desktop", (3, 64), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="resource group",
                section="microsoftdesktopvirtualization", start=LETTER, end=ALNUM_END)
DESKTOP_CHILD = _rule("desktop-child", (1, 64), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="parent resource",
                      section="microsoftdesktopvirtualization", start=ALNUM_START, end=ALNUM_END)
DEPLOYMENT_SCRIPT = _rule("deployment-script", (1, 90), GROUP_CHARS, scope="resource group",
                          section="microsoftresources", end=NO_PERIOD_END)
GALLERY = _rule("gallery", (1, 80), ("a-zA-Z0-9_.", "alphanumerics, underscores and periods"),
                scope="resource group", section="microsoftcompute", start=ALNUM_START, end=ALNUM_END)
GALLERY_IMAGE = _rule("gallery-image", (1, 80), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="gallery",
                      section="microsoftcompute", start=ALNUM_START, end=ALNUM_END)
RECOVERY_VAULT = _rule("recovery-vault", (2, 50), ALNUM_HYPHEN, scope="resource group",
                       section="microsoftrecoveryservices", start=LETTER)
BACKUP_POLICY = _rule("backup-policy", (3, 150), ALNUM_HYPHEN, scope="vault", section="microsoftrecoveryservices",
                      start=LETTER, end=ALNUM_END)
BACKUP_ITEM = _rule("backup-item", (1, 260), ("a-zA-Z0-9_.;-", "alphanumerics, underscores, periods, hyphens and "
                                              "the ';' separators"), scope="vault",
                    section="microsoftrecoveryservices", source="azure-native API: Azure Backup's documented "
                    "`StorageContainer;Storage;<group>;<account>` and `AzureFileShare;<share>` forms")
ML_WORKSPACE = _rule("ml-workspace", (3, 33), ALNUM_HYPHEN_UNDERSCORE, scope="resource group",
                     section="microsoftmachinelearningservices", start=ALNUM_START)
ML_COMPUTE = _rule("ml-compute", (2, 16), ALNUM_HYPHEN, scope="workspace",
                   section="microsoftmachinelearningservices", start=LETTER, end=ALNUM_END)
ML_DATASTORE = _rule("ml-datastore", (1, 255), ("a-z0-9_", "lowercase letters, digits and underscores"),
                     scope="workspace", section="microsoftmachinelearningservices")
COGNITIVE_ACCOUNT = _rule("cognitive-account", (2, 64), ALNUM_HYPHEN, scope="resource group",
                          section="microsoftcognitiveservices", start=ALNUM_START, end=ALNUM_END)
COGNITIVE_DEPLOYMENT = _rule("cognitive-deployment", (2, 64), ALNUM_UNDERSCORE_PERIOD_HYPHEN, scope="account",
                             section="microsoftcognitiveservices", start=ALNUM_START, end=ALNUM_END)
DEV_CENTER = _rule("dev-center", (3, 26), ALNUM_HYPHEN, scope="resource group", section="microsoftdevcenter",
                   start=ALNUM_START, end=ALNUM_END,
                   source="azure-native API: DevCenter devCenterName pattern ^[a-zA-Z0-9][a-zA-Z0-9-]{2,25}$")
DEV_CENTER_PROJECT = _rule("dev-center-project", (3, 63), ("a-zA-Z0-9_.-", "alphanumerics, hyphens, periods and "
                           "underscores"), scope="resource group", section="microsoftdevcenter", start=ALNUM_START,
                           source="azure-native API: Project projectName pattern ^[a-zA-Z0-9][a-zA-Z0-9-_.]{2,62}$")
DEVOPS_POOL = _rule("devops-pool", (3, 44), ("a-zA-Z0-9.-", "alphanumerics, hyphens and periods"), scope="global",
                    section="microsoftdevopsinfrastructure", start=ALNUM_START,
                    source="azure-native API: Pool poolName pattern ^[a-zA-Z0-9][a-zA-Z0-9-.]*$, 3-44; the name is "
                           "the agent pool's in Azure DevOps, unique in the organization")
COMMUNICATION = _rule("communication", (1, 63), ALNUM_HYPHEN, scope="global", section="microsoftcommunication",
                      start=ALNUM_START, end=ALNUM_END)
ACTION_GROUP_SHORT_NAME = _rule("action-group-short-name", (1, 12), ALNUM_HYPHEN_UNDERSCORE, scope="action group",
                                section="microsoftinsights", source="azure-native API: ActionGroup.groupShortName "
                                "maxLength 12 (it appears in SMS and e-mail subjects)")
CDN_PROFILE = _rule("cdn-profile", (1, 260), ALNUM_HYPHEN, scope="resource group", section="microsoftcdn",
                    start=ALNUM_START, end=ALNUM_END)
CDN_ENDPOINT = _rule("cdn-endpoint", (2, 46), ALNUM_HYPHEN, scope="global", section="microsoftcdn",
                     start=ALNUM_START, end=ALNUM_END)
CDN_CHILD = _rule("cdn-child", (1, 90), ALNUM_HYPHEN, scope="profile", section="microsoftcdn", start=ALNUM_START,
                  end=ALNUM_END)

RULES: dict[str, NameRule] = {
    "azure-native:resources:ResourceGroup": RESOURCE_GROUP,
    "azure-native:managedidentity:UserAssignedIdentity": IDENTITY,
    "azure-native:authorization:ManagementLockByScope": LOCK,
    "azure-native:authorization:RoleAssignment": GUID_NAME,
    "azure-native:authorization:PolicyAssignment": POLICY,
    "azure-native:authorization:PolicyDefinition": POLICY,
    "azure-native:authorization:PolicyDefinitionAtManagementGroup": POLICY,
    "azure-native:authorization:PolicyExemption": POLICY,
    "azure-native:management:ManagementGroup": MANAGEMENT_GROUP,
    "azure-native:management:ManagementGroupSubscription": GUID_NAME,
    "azure-native:subscription:Alias": SUBSCRIPTION_ALIAS,
    "azure-native:authorization:RoleDefinition": GUID_NAME,
    "azure-native:authorization:PimRoleEligibilitySchedule": GUID_NAME,
    "azure-native:frontdoor:FrontDoor": FRONT_DOOR,
    "azure-native:frontdoor:NetworkExperimentProfile": NETWORK,
    "azure-native:cdn:Policy": FRONT_DOOR_WAF,
    "azure-native:trafficmanager:Profile": TRAFFIC_MANAGER,
    "azure-native:monitor:TenantActionGroup": INSIGHTS,
    "azure-native:monitor:MetricAlert": INSIGHTS,
    "azure-native:communication:EmailService": COMMUNICATION,
    "azure-native:communication:Domain": DNS_ZONE,
    "azure-native:botservice:Bot": BOT,
    "azure-native:azureactivedirectory:B2CTenant": DNS_ZONE,
    "azure-native:security:Pricing": FIXED_NAME,
    "azure-native:consumption:Budget": BUDGET,
    "azure-native:operationalinsights:Workspace": LOG_WORKSPACE,
    "azure-native:monitor:ActionGroup": INSIGHTS,
    "azure-native:monitor:ActivityLogAlert": INSIGHTS,
    "azure-native:monitor:DiagnosticSetting": INSIGHTS,
    "azure-native:monitor:SubscriptionDiagnosticSetting": INSIGHTS,
    "azure-native:monitor:DataCollectionRule": DATA_COLLECTION_RULE,
    "azure-native:monitor:DataCollectionRuleAssociation": INSIGHTS,
    "azure-native:monitor:PrivateLinkScope": INSIGHTS,
    "azure-native:monitor:PrivateLinkScopedResource": INSIGHTS,
    "azure-native:monitor:DataCollectionEndpoint": DATA_COLLECTION_RULE,
    "azure-native:monitor:ScheduledQueryRule": INSIGHTS,
    "azure-native:network:FlowLog": NETWORK_CHILD,
    "azure-native:security:SecurityContact": FIXED_NAME,
    "azure-native:security:Automation": SECURITY_AUTOMATION,
    "azure-native:applicationinsights:Component": INSIGHTS,
    "azure-native:cdn:AFDCustomDomain": CDN_CHILD,
    "azure-native:cdn:Secret": CDN_CHILD,
    "azure-native:network:VirtualNetwork": VIRTUAL_NETWORK,
    "azure-native:network:Subnet": NETWORK_CHILD,
    "azure-native:network:VirtualNetworkPeering": NETWORK_CHILD,
    "azure-native:network:NetworkSecurityGroup": NETWORK,
    "azure-native:network:SecurityRule": NETWORK_CHILD,
    "azure-native:network:RouteTable": NETWORK,
    "azure-native:network:Route": NETWORK_CHILD,
    "azure-native:network:AzureFirewall": FIREWALL,
    "azure-native:network:FirewallPolicy": NETWORK,
    "azure-native:network:FirewallPolicyRuleCollectionGroup": NETWORK_CHILD,
    "azure-native:network:LocalNetworkGateway": NETWORK,
    "azure-native:network:VirtualNetworkGatewayConnection": NETWORK,
    "azure-native:dnsresolver:DnsResolver": NETWORK,
    "azure-native:dnsresolver:InboundEndpoint": NETWORK_CHILD,
    "azure-native:dnsresolver:OutboundEndpoint": NETWORK_CHILD,
    "azure-native:dnsresolver:DnsForwardingRuleset": NETWORK,
    "azure-native:dnsresolver:ForwardingRule": NETWORK_CHILD,
    "azure-native:dnsresolver:PrivateResolverVirtualNetworkLink": NETWORK_CHILD,
    "azure-native:devcenter:DevCenter": DEV_CENTER,
    "azure-native:devcenter:Project": DEV_CENTER_PROJECT,
    "azure-native:devopsinfrastructure:Pool": DEVOPS_POOL,
    "azure-native:network:BastionHost": NETWORK,
    "azure-native:network:PublicIPAddress": NETWORK,
    "azure-native:network:PrivateEndpoint": PRIVATE_ENDPOINT,
    "azure-native:network:PrivateDnsZoneGroup": NETWORK_CHILD,
    "azure-native:network:NetworkInterface": NETWORK,
    "azure-native:network:ApplicationGateway": NETWORK,
    "azure-native:network:WebApplicationFirewallPolicy": WAF_POLICY,
    "azure-native:network:VirtualNetworkGateway": NETWORK,
    "azure-native:network:DdosProtectionPlan": NETWORK,
    "azure-native:network:NatGateway": NETWORK,
    "azure-native:privatedns:PrivateZone": DNS_ZONE,
    "azure-native:privatedns:VirtualNetworkLink": NETWORK_CHILD,
    "azure-native:privatedns:PrivateRecordSet": RECORD_SET,
    "azure-native:dns:Zone": DNS_ZONE,
    "azure-native:frontdoor:Policy": FRONT_DOOR_WAF,
    "azure-native:cdn:Profile": CDN_PROFILE,
    "azure-native:cdn:AFDEndpoint": CDN_ENDPOINT,
    "azure-native:cdn:AFDOriginGroup": CDN_CHILD,
    "azure-native:cdn:AFDOrigin": CDN_CHILD,
    "azure-native:cdn:Route": CDN_CHILD,
    "azure-native:cdn:SecurityPolicy": CDN_CHILD,
    "azure-native:keyvault:Vault": KEY_VAULT,
    "azure-native:keyvault:Secret": VAULT_ITEM,
    "azure-native:keyvault:Key": VAULT_ITEM,
    "azure-native:storage:StorageAccount": STORAGE_ACCOUNT,
    "azure-native:storage:BlobServiceProperties": FIXED_NAME,
    "azure-native:storage:FileServiceProperties": FIXED_NAME,
    "azure-native:storage:BlobContainer": STORAGE_CHILD,
    "azure-native:storage:FileShare": STORAGE_CHILD,
    "azure-native:dbforpostgresql:Server": DATABASE_SERVER,
    "azure-native:dbforpostgresql:Administrator": GUID_NAME,
    "azure-native:dbforpostgresql:Database": DATABASE,
    "azure-native:dbforpostgresql:Configuration": SERVER_PARAMETER,
    "azure-native:dbformysql:Server": DATABASE_SERVER,
    "azure-native:dbformysql:AzureADAdministrator": FIXED_NAME,
    "azure-native:dbformysql:Configuration": SERVER_PARAMETER,
    "azure-native:dbformysql:Database": DATABASE,
    "azure-native:sql:Server": DATABASE_SERVER,
    "azure-native:cosmosdb:DatabaseAccount": COSMOS_ACCOUNT,
    "azure-native:servicebus:Namespace": SERVICE_BUS_NAMESPACE,
    "azure-native:servicebus:Queue": SERVICE_BUS_ENTITY,
    "azure-native:cosmosdb:SqlResourceSqlDatabase": COSMOS_CHILD,
    "azure-native:cosmosdb:SqlResourceSqlContainer": COSMOS_CHILD,
    "azure-native:cosmosdb:SqlResourceSqlRoleAssignment": GUID_NAME,
    "azure-native:redis:Redis": REDIS,
    "azure-native:containerregistry:Registry": REGISTRY,
    "azure-native:web:AppServicePlan": SERVER_FARM,
    "azure-native:web:WebApp": WEB_SITE,
    "azure-native:web:WebAppFtpAllowed": WEB_SITE,
    "azure-native:web:WebAppScmAllowed": WEB_SITE,
    "azure-native:app:ManagedEnvironment": CONTAINER_ENVIRONMENT,
    "azure-native:app:ContainerApp": CONTAINER_APP,
    "azure-native:containerservice:ManagedCluster": MANAGED_CLUSTER,
    "azure-native:compute:VirtualMachine": VIRTUAL_MACHINE,
    "azure-native:compute:Disk": DISK,
    "azure-native:compute:VirtualMachineExtension": VM_EXTENSION,
    "azure-native:desktopvirtualization:HostPool": DESKTOP,
    "azure-native:desktopvirtualization:ApplicationGroup": DESKTOP,
    "azure-native:desktopvirtualization:Workspace": DESKTOP,
    "azure-native:desktopvirtualization:ScalingPlan": DESKTOP,
    "azure-native:desktopvirtualization:ScalingPlanPersonalSchedule": DESKTOP_CHILD,
    "azure-native:desktopvirtualization:Application": DESKTOP_CHILD,
    "azure-native:resources:AzurePowerShellScript": DEPLOYMENT_SCRIPT,
    "azure-native:compute:Gallery": GALLERY,
    "azure-native:compute:GalleryImage": GALLERY_IMAGE,
    "azure-native:recoveryservices:Vault": RECOVERY_VAULT,
    "azure-native:recoveryservices:ProtectionPolicy": BACKUP_POLICY,
    "azure-native:recoveryservices:ProtectionContainer": BACKUP_ITEM,
    "azure-native:recoveryservices:ProtectedItem": BACKUP_ITEM,
    "azure-native:machinelearningservices:Workspace": ML_WORKSPACE,
    "azure-native:machinelearningservices:Compute": ML_COMPUTE,
    "azure-native:machinelearningservices:Datastore": ML_DATASTORE,
    "azure-native:cognitiveservices:Account": COGNITIVE_ACCOUNT,
    "azure-native:cognitiveservices:Deployment": COGNITIVE_DEPLOYMENT,
    "azure-native:communication:CommunicationService": COMMUNICATION,
}
"""The rule for each azure-native resource type's own name (its last ARM id segment)."""


def problem(token: str, name: str) -> str | None:
    """`name` checked as the physical name of a `token` resource: None, or `<what is wrong> (<the rule>)`."""
    rule = RULES.get(token)
    if rule is None:
        return None
    wrong = rule.problem(name)
    return None if wrong is None else f"{wrong} ({rule.describe()})"


def auto_name_problem(token: str, logical_name: str) -> str | None:
    """What Azure refuses in the name azure-native would give a `token` resource called `logical_name`, or None."""
    return problem(token, auto_name(RANDOM, logical_name, logical_name))


# -- auto-naming, exactly as azure-native does it ---------------------------------------------------------------
# pulumi-azure-native provider/pkg/resources/resources.go, `(*AutoNamer).AutoName`: a resource whose API path ends
# in its name parameter is auto-named; `format: uuid` and roleAssignmentName/roleDefinitionId get a UUID;
# endpointName/customDomainName a random suffix; a top-level resource (one `{` after the last `Microsoft.`, or no
# `Microsoft.` at all: resource groups) gets the logical name plus a random suffix; a child resource a copy of the
# logical name. provider/pkg/provider/provider.go `getDefaultName`: random is `resource.NewUniqueName(seed, name,
# 8, 0, nil)` (the logical name, untouched, plus 8 hex characters, no length cap), copy is the logical name as is.

RANDOM, COPY, UUID = "random", "copy", "uuid"


def auto_name_kind(api_path: str, name_parameter: str) -> str | None:
    """azure-native's auto-naming strategy for a resource at `api_path` whose name parameter is `name_parameter`."""
    if not api_path.endswith("{" + name_parameter + "}"):
        return None
    if name_parameter in ("roleAssignmentName", "roleDefinitionId", "roleEligibilityScheduleRequestName"):
        return UUID
    if name_parameter in ("endpointName", "customDomainName"):
        return RANDOM
    parts = api_path.lower().split("microsoft.")
    if len(parts) == 1 or parts[-1].count("{") == 1:
        return RANDOM
    return COPY


def auto_name(kind: str, logical_name: str, seed: str) -> str:
    """The name azure-native gives; the random part is derived from `seed` (the URN) so a plan is reproducible."""
    digest = hashlib.sha256(seed.encode()).hexdigest()
    if kind == UUID:
        return str(uuid.UUID(digest[:32]))
    if kind == RANDOM:
        return logical_name + digest[:8]
    return logical_name
