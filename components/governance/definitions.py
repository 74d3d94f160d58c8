"""The city's Azure Policy definitions as data: each rule here is what Azure evaluates and what the offline
evaluator (scripts/offline/azure_policy.py) evaluates in the agreement test with the CrossGuard pack.

Allowed locations come from the pack's EU list (core/regions.py), never a copy. Every alias used below maps to
`properties.<the alias after the type>`, the only alias form the offline evaluator implements. ARM types are
written out (components never import the offline engine); a test holds each to the mocks' id template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from amsterdam_cloud.components.interfaces import BUILTIN_ROLES
from amsterdam_cloud.core.private_link import PRIVATE_LINK_ZONES
from amsterdam_cloud.core.regions import EU_REGIONS, GLOBAL_LOCATIONS, GLOBAL_ONLY_TYPES

ROLE_DEFINITIONS = "/providers/Microsoft.Authorization/roleDefinitions/"
TAG_CONTRIBUTOR = ROLE_DEFINITIONS + BUILTIN_ROLES["Tag Contributor"]
NETWORK_CONTRIBUTOR = ROLE_DEFINITIONS + BUILTIN_ROLES["Network Contributor"]
PRIVATE_DNS_ZONE_CONTRIBUTOR = ROLE_DEFINITIONS + BUILTIN_ROLES["Private DNS Zone Contributor"]
MONITORING_CONTRIBUTOR = ROLE_DEFINITIONS + BUILTIN_ROLES["Monitoring Contributor"]
LOG_ANALYTICS_CONTRIBUTOR = ROLE_DEFINITIONS + BUILTIN_ROLES["Log Analytics Contributor"]
"""Built-in role definitions, tenant-independent ids (components/interfaces.py BUILTIN_ROLES, the one table)."""

NL_BIO_CLOUD_THEME = "/providers/Microsoft.Authorization/policySetDefinitions/d8b2ffbe-c6a8-4622-965d-4ade11d1d2ee"
"""The built-in NL BIO Cloud Theme V2 regulatory initiative (REFERENCE.md), assigned for compliance reporting."""
DIAGNOSTICS_TO_LOG_ANALYTICS = \
    "/providers/Microsoft.Authorization/policySetDefinitions/0884adba-2312-4468-abeb-5422caed1038"
"""Built-in initiative: allLogs category group resource logging to a Log Analytics workspace (DINE)."""
DIAGNOSTICS_ROLES = (MONITORING_CONTRIBUTOR, LOG_ANALYTICS_CONTRIBUTOR)
"""The roles the initiative's members declare: write diagnostic settings, and send to the workspace."""


@dataclass(frozen=True, kw_only=True)
class Definition:
    """One custom policy definition the governance stack creates at the city's root management group."""

    name: str
    display_name: str
    mode: str
    rule: dict[str, Any]
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def effect(self) -> str:
        effect = self.rule["then"]["effect"]
        if effect.startswith("[parameters("):
            return str(self.parameters["effect"]["defaultValue"])
        return effect

    @property
    def roles(self) -> tuple[str, ...]:
        """Exactly the roles the effect needs, as the definition declares them (none for audit and deny)."""
        return tuple(self.rule["then"].get("details", {}).get("roleDefinitionIds", ()))

    def defaults(self) -> dict[str, Any]:
        return {key: spec["defaultValue"] for key, spec in self.parameters.items() if "defaultValue" in spec}


GLOBAL_ONLY_ARM_TYPES: dict[str, str] = {
    "azure-native:dns:Zone": "Microsoft.Network/dnszones",
    "azure-native:privatedns:PrivateZone": "Microsoft.Network/privateDnsZones",
    "azure-native:privatedns:VirtualNetworkLink": "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    "azure-native:frontdoor:FrontDoor": "Microsoft.Network/frontDoors",
    "azure-native:frontdoor:Policy": "Microsoft.Network/frontDoorWebApplicationFirewallPolicies",
    "azure-native:frontdoor:NetworkExperimentProfile": "Microsoft.Network/NetworkExperimentProfiles",
    "azure-native:cdn:Profile": "Microsoft.Cdn/profiles",
    "azure-native:cdn:Policy": "Microsoft.Cdn/cdnWebApplicationFirewallPolicies",
    "azure-native:cdn:AFDEndpoint": "Microsoft.Cdn/profiles/afdEndpoints",
    "azure-native:trafficmanager:Profile": "Microsoft.Network/trafficmanagerprofiles",
    "azure-native:monitor:ActionGroup": "Microsoft.Insights/actionGroups",
    "azure-native:monitor:TenantActionGroup": "Microsoft.Insights/tenantActionGroups",
    "azure-native:monitor:ActivityLogAlert": "Microsoft.Insights/activityLogAlerts",
    "azure-native:monitor:MetricAlert": "Microsoft.Insights/metricAlerts",
    "azure-native:monitor:PrivateLinkScope": "Microsoft.Insights/privateLinkScopes",
    "azure-native:communication:CommunicationService": "Microsoft.Communication/communicationServices",
    "azure-native:communication:EmailService": "Microsoft.Communication/emailServices",
    "azure-native:communication:Domain": "Microsoft.Communication/emailServices/domains",
    "azure-native:botservice:Bot": "Microsoft.BotService/botServices",
    "azure-native:azureactivedirectory:B2CTenant": "Microsoft.AzureActiveDirectory/b2cDirectories",
}
"""The ARM type of each of the pack's GLOBAL_ONLY_TYPES: where `global` is a location by design."""

_EFFECT = {"type": "String", "allowedValues": ["Deny", "Audit", "Disabled"], "defaultValue": "Deny"}

ALLOWED_LOCATIONS = Definition(
    name="amsterdam-allowed-locations", display_name="Resources live in an allowed EU region", mode="Indexed",
    parameters={"allowedLocations": {"type": "Array", "defaultValue": sorted(EU_REGIONS)}, "effect": _EFFECT},
    rule={"if": {"allOf": [
        {"field": "location", "notIn": "[parameters('allowedLocations')]"},
        # `global`/`europe` only for the types that exist only globally (the pack's rule says the same).
        {"not": {"allOf": [{"field": "location", "in": sorted(GLOBAL_LOCATIONS)},
                           {"field": "type", "in": sorted(GLOBAL_ONLY_ARM_TYPES[t] for t in GLOBAL_ONLY_TYPES)}]}},
    ]}, "then": {"effect": "[parameters('effect')]"}})

ALLOWED_RESOURCE_GROUP_LOCATIONS = Definition(
    name="amsterdam-allowed-rg-locations", display_name="Resource groups live in an allowed EU region", mode="All",
    parameters={"allowedLocations": {"type": "Array", "defaultValue": sorted(EU_REGIONS)}, "effect": _EFFECT},
    rule={"if": {"allOf": [
        {"field": "type", "equals": "Microsoft.Resources/subscriptions/resourceGroups"},
        {"field": "location", "notIn": "[parameters('allowedLocations')]"},
    ]}, "then": {"effect": "[parameters('effect')]"}})


@dataclass(frozen=True, kw_only=True)
class PublicAccess:
    """One PaaS type the city uses whose public network access Azure Policy denies, as a pack rule does."""

    pack_rule: str
    token: str
    arm_type: str
    alias: str
    """The property path after the type (`publicNetworkAccess`, `network.publicNetworkAccess`)."""
    private_when: str = ""
    """A property whose presence makes Azure's default private (flexible servers in a delegated subnet)."""
    private_if_true: str = ""
    """A flag that makes the resource private whatever its public network access says (an internal Container
    Apps environment: its ingress is a load balancer in its subnet)."""


PUBLIC_ACCESS: tuple[PublicAccess, ...] = (
    PublicAccess(pack_rule="storage-public-network-access-disabled", token="azure-native:storage:StorageAccount",
                 arm_type="Microsoft.Storage/storageAccounts", alias="publicNetworkAccess"),
    PublicAccess(pack_rule="keyvault-public-network-access-disabled", token="azure-native:keyvault:Vault",
                 arm_type="Microsoft.KeyVault/vaults", alias="publicNetworkAccess"),
    PublicAccess(pack_rule="acr-public-network-access-disabled", token="azure-native:containerregistry:Registry",
                 arm_type="Microsoft.ContainerRegistry/registries", alias="publicNetworkAccess"),
    PublicAccess(pack_rule="sql-public-network-access-disabled", token="azure-native:sql:Server",
                 arm_type="Microsoft.Sql/servers", alias="publicNetworkAccess"),
    PublicAccess(pack_rule="cosmosdb-public-network-access-disabled", token="azure-native:cosmosdb:DatabaseAccount",
                 arm_type="Microsoft.DocumentDB/databaseAccounts", alias="publicNetworkAccess"),
    PublicAccess(pack_rule="redis-public-network-access-disabled", token="azure-native:redis:Redis",
                 arm_type="Microsoft.Cache/redis", alias="publicNetworkAccess"),
    PublicAccess(pack_rule="webapp-public-network-access-disabled", token="azure-native:web:WebApp",
                 arm_type="Microsoft.Web/sites", alias="publicNetworkAccess"),
    PublicAccess(pack_rule="ai-services-public-network-access-disabled", token="azure-native:cognitiveservices:Account",
                 arm_type="Microsoft.CognitiveServices/accounts", alias="publicNetworkAccess"),
    PublicAccess(pack_rule="postgresql-public-network-access-disabled", token="azure-native:dbforpostgresql:Server",
                 arm_type="Microsoft.DBforPostgreSQL/flexibleServers", alias="network.publicNetworkAccess",
                 private_when="network.delegatedSubnetResourceId"),
    PublicAccess(pack_rule="mysql-public-network-access-disabled", token="azure-native:dbformysql:Server",
                 arm_type="Microsoft.DBforMySQL/flexibleServers", alias="network.publicNetworkAccess",
                 private_when="network.delegatedSubnetResourceId"),
    PublicAccess(pack_rule="containerapps-environment-internal", token="azure-native:app:ManagedEnvironment",
                 arm_type="Microsoft.App/managedEnvironments", alias="publicNetworkAccess",
                 private_if_true="vnetConfiguration.internal"),
)


def _public_access_condition(entry: PublicAccess) -> dict[str, Any]:
    kind = entry.arm_type
    alias = f"{kind}/{entry.alias}"
    if entry.private_if_true:
        return {"allOf": [{"field": "type", "equals": kind}, {"field": alias, "notEquals": "Disabled"},
                          {"field": f"{kind}/{entry.private_if_true}", "notEquals": True}]}
    if not entry.private_when:
        return {"allOf": [{"field": "type", "equals": kind}, {"field": alias, "notEquals": "Disabled"}]}
    return {"allOf": [{"field": "type", "equals": kind}, {"anyOf": [
        {"allOf": [{"field": alias, "exists": True}, {"field": alias, "notEquals": "Disabled"}]},
        {"allOf": [{"field": alias, "exists": False}, {"field": f"{kind}/{entry.private_when}", "exists": False}]},
    ]}]}


DENY_PUBLIC_NETWORK_ACCESS = Definition(
    name="amsterdam-deny-public-network-access", display_name="PaaS services are reachable only privately",
    mode="Indexed", parameters={"effect": _EFFECT},
    rule={"if": {"anyOf": [_public_access_condition(entry) for entry in PUBLIC_ACCESS]},
          "then": {"effect": "[parameters('effect')]"}})

INHERIT_TAG = Definition(
    name="amsterdam-inherit-tag-from-rg", display_name="Resources inherit a tag from their resource group",
    mode="Indexed", parameters={"tagName": {"type": "String"}},
    rule={"if": {"allOf": [
        {"field": "[concat('tags[', parameters('tagName'), ']')]", "exists": "false"},
        {"value": "[resourceGroup().tags[parameters('tagName')]]", "notEquals": ""},
    ]}, "then": {"effect": "modify", "details": {
        "roleDefinitionIds": [TAG_CONTRIBUTOR],
        "operations": [{"operation": "add", "field": "[concat('tags[', parameters('tagName'), ']')]",
                        "value": "[resourceGroup().tags[parameters('tagName')]]"}]}}})

@dataclass(frozen=True, kw_only=True)
class PrivateLinkDns:
    """One private-link sub-resource the city reaches privately and the connectivity zones its endpoints register
    in: what the DINE policy writes into every matching private endpoint's zone group."""

    key: str
    """Short id: the assignment is `dns-<key>`."""
    group_id: str
    """The private link sub-resource (`groupIds` of the endpoint's connection), as Microsoft's DNS table names it."""
    service: str
    """The ARM type the endpoint connects to (its `privateLinkServiceId` contains `/providers/<service>/`):
    some group ids (`account`, `namespace`) exist on more than one service."""

    @property
    def zones(self) -> tuple[str, ...]:
        """Its zones, from the one table of them (core/private_link.py); `{location}` is the region."""
        return PRIVATE_LINK_ZONES[self.key]


_STORAGE, _AVD = "Microsoft.Storage/storageAccounts", "Microsoft.DesktopVirtualization"
PRIVATE_LINK_DNS: tuple[PrivateLinkDns, ...] = (
    PrivateLinkDns(key="vault", group_id="vault", service="Microsoft.KeyVault/vaults"),
    *(PrivateLinkDns(key=sub, group_id=sub, service=_STORAGE)
      for sub in ("blob", "dfs", "file", "queue", "table", "web")),
    PrivateLinkDns(key="sql", group_id="sqlServer", service="Microsoft.Sql/servers"),
    PrivateLinkDns(key="postgres", group_id="postgresqlServer", service="Microsoft.DBforPostgreSQL/flexibleServers"),
    PrivateLinkDns(key="mysql", group_id="mysqlServer", service="Microsoft.DBforMySQL/flexibleServers"),
    PrivateLinkDns(key="cosmos", group_id="Sql", service="Microsoft.DocumentDB/databaseAccounts"),
    PrivateLinkDns(key="redis", group_id="redisCache", service="Microsoft.Cache/Redis"),
    PrivateLinkDns(key="registry", group_id="registry", service="Microsoft.ContainerRegistry/registries"),
    PrivateLinkDns(key="sites", group_id="sites", service="Microsoft.Web/sites"),
    PrivateLinkDns(key="containerapps", group_id="managedEnvironments", service="Microsoft.App/managedEnvironments"),
    PrivateLinkDns(key="ai", group_id="account", service="Microsoft.CognitiveServices/accounts"),
    PrivateLinkDns(key="ml", group_id="amlworkspace", service="Microsoft.MachineLearningServices/workspaces"),
    PrivateLinkDns(key="servicebus", group_id="namespace", service="Microsoft.ServiceBus/namespaces"),
    PrivateLinkDns(key="eventhub", group_id="namespace", service="Microsoft.EventHub/namespaces"),
    PrivateLinkDns(key="datafactory", group_id="dataFactory", service="Microsoft.DataFactory/factories"),
    PrivateLinkDns(key="databricks", group_id="databricks_ui_api", service="Microsoft.Databricks/workspaces"),
    PrivateLinkDns(key="search", group_id="searchService", service="Microsoft.Search/searchServices"),
    PrivateLinkDns(key="monitor", group_id="azuremonitor", service="Microsoft.Insights/privateLinkScopes"),
    PrivateLinkDns(key="avd-connection", group_id="connection", service=f"{_AVD}/hostpools"),
    PrivateLinkDns(key="avd-feed", group_id="feed", service=f"{_AVD}/workspaces"),
)
"""Every private-link zone the city uses, by the sub-resource whose endpoints register in it: the one table the
DNS DINE assignments come from (a test holds it to the connectivity zone list, both ways)."""

_CONNECTIONS = "Microsoft.Network/privateEndpoints/privateLinkServiceConnections[*]"
_GROUP_IDS = f"{_CONNECTIONS}.groupIds[*]"

PRIVATE_DNS_ZONE_GROUP = Definition(
    name="amsterdam-dine-private-dns-zone-group",
    display_name="Private endpoints get their record in the hub's private DNS zone", mode="Indexed",
    parameters={"privateDnsZoneIds": {"type": "Array"}, "groupId": {"type": "String"},
                "service": {"type": "String"},
                "effect": {"type": "String", "allowedValues": ["DeployIfNotExists", "Disabled"],
                           "defaultValue": "DeployIfNotExists"}},
    rule={"if": {"allOf": [
        {"field": "type", "equals": "Microsoft.Network/privateEndpoints"},
        {"count": {"field": _GROUP_IDS, "where": {"field": _GROUP_IDS, "equals": "[parameters('groupId')]"}},
         "greaterOrEquals": 1},
        {"field": f"{_CONNECTIONS}.privateLinkServiceId", "contains": "[parameters('service')]"},
    ]}, "then": {"effect": "[parameters('effect')]", "details": {
        "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        # right after the endpoint is provisioned, not Azure's default 10 minutes: the app starting behind it
        # resolves the service by name
        "evaluationDelay": "AfterProvisioning",
        "roleDefinitionIds": [NETWORK_CONTRIBUTOR],
        "deployment": {"properties": {"mode": "incremental", "parameters": {
            "privateDnsZoneIds": {"value": "[parameters('privateDnsZoneIds')]"},
            "privateEndpointName": {"value": "[field('name')]"}, "location": {"value": "[field('location')]"}},
            "template": {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {"privateDnsZoneIds": {"type": "array"}, "privateEndpointName": {"type": "string"},
                               "location": {"type": "string"}},
                "resources": [{
                    "name": "[concat(parameters('privateEndpointName'), '/deployedByPolicy')]",
                    "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "apiVersion": "2023-11-01",
                    "location": "[parameters('location')]",
                    # One config per zone (at most 5 per group, as Azure allows), named after the zone.
                    "properties": {"copy": [{
                        "name": "privateDnsZoneConfigs", "count": "[length(parameters('privateDnsZoneIds'))]",
                        "input": {
                            "name": "[replace(last(split(parameters('privateDnsZoneIds')"
                                    "[copyIndex('privateDnsZoneConfigs')], '/')), '.', '-')]",
                            "properties": {"privateDnsZoneId": "[parameters('privateDnsZoneIds')"
                                                               "[copyIndex('privateDnsZoneConfigs')]]"}}}]}}]}}}}}})

DENY_NEW_RESOURCES = Definition(
    name="amsterdam-deny-new-resources", display_name="Decommissioned: nothing new is created or changed",
    mode="All", parameters={"effect": _EFFECT},
    # Deny acts on create and update requests only: what is there can still be deleted, nothing can be added.
    rule={"if": {"field": "type", "like": "*"}, "then": {"effect": "[parameters('effect')]"}})

_PEERINGS = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings[*]"

DENY_VNET_PEERING = Definition(
    name="amsterdam-deny-vnet-peering", display_name="Sandbox: no peering to any network (isolated from the city)",
    mode="All", parameters={"effect": _EFFECT},
    rule={"if": {"anyOf": [
        {"field": "type", "equals": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"},
        {"allOf": [{"field": "type", "equals": "Microsoft.Network/virtualNetworks"},
                   {"count": {"field": _PEERINGS}, "greater": 0}]},
    ]}, "then": {"effect": "[parameters('effect')]"}})

DENY_RESOURCE_TYPES = Definition(
    name="amsterdam-deny-resource-types", display_name="Landing zone archetype: these resource types are not created",
    mode="All", parameters={"resourceTypes": {"type": "Array"}, "effect": _EFFECT},
    # No public IP resource, no public IP on a network interface: Azure attaches only one of the same subscription.
    rule={"if": {"field": "type", "in": "[parameters('resourceTypes')]"}, "then": {"effect": "[parameters('effect')]"}})

PUBLIC_INGRESS_TYPES = ("Microsoft.Network/publicIPAddresses", "Microsoft.Network/applicationGateways",
                        "Microsoft.Network/frontDoors", "Microsoft.Cdn/profiles")
"""Ways into a landing zone from the internet that are not the city's shared Front Door and WAF (which lives in
the platform's subscription): a public IP (on anything), an Application Gateway, a Front Door or CDN of its own."""
HYBRID_NETWORKING_TYPES = ("Microsoft.Network/virtualNetworkGateways", "Microsoft.Network/vpnGateways",
                           "Microsoft.Network/p2sVpnGateways", "Microsoft.Network/vpnSites",
                           "Microsoft.Network/expressRouteCircuits", "Microsoft.Network/expressRouteGateways",
                           "Microsoft.Network/expressRoutePorts", "Microsoft.Network/virtualWans",
                           "Microsoft.Network/virtualHubs")
"""Hybrid connectivity of its own: a corp landing zone reaches the city network through the hub only (ALZ corp)."""

DEFINITIONS: tuple[Definition, ...] = (ALLOWED_LOCATIONS, ALLOWED_RESOURCE_GROUP_LOCATIONS,
                                       DENY_PUBLIC_NETWORK_ACCESS, INHERIT_TAG, PRIVATE_DNS_ZONE_GROUP,
                                       DENY_NEW_RESOURCES, DENY_VNET_PEERING, DENY_RESOURCE_TYPES)
