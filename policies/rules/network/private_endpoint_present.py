"""A storage account, key vault or Cosmos DB account closed to the public has a private endpoint in the same stack
(CIS 3.10, 8.7, 4.5.2).

Public network access off (`*-public-network-access-disabled`) does not prove that anything can reach the
resource: without a private endpoint only trusted Azure services can. The endpoint is found by its
`privateLinkServiceConnections` (or the manual ones): the engine's property dependency on the resource, or a
`privateLinkServiceId` equal to its ARM id. A resource whose public network access is on is left to those rules
(skipped, with the reason, never passed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import UNKNOWN, Resource, Severity, StackReport, StackRule, as_list, get
from amsterdam_cloud.policies.rules.stack.links import by_id, index

ENDPOINT = "azure-native:network:PrivateEndpoint"
CONNECTIONS = ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections")
PUBLIC_ACCESS: dict[str, str] = {
    "azure-native:storage:StorageAccount": "publicNetworkAccess",
    "azure-native:keyvault:Vault": "properties.publicNetworkAccess",
    "azure-native:cosmosdb:DatabaseAccount": "publicNetworkAccess",
}
"""Each judged type and where its public network access is (unset is Enabled, Azure's default for all three)."""


def _linked(endpoints: Sequence[Resource], by_urn: Mapping[str, Resource],
            resources_by_id: Mapping[str, Resource]) -> tuple[set[str], list[Resource], list[Resource]]:
    """The URNs of the resources some endpoint connects to; the endpoints whose target is unknown yet; those whose
    known target is no resource with a known id in the stack (it may be one whose id is not known yet)."""
    linked: set[str] = set()
    unknown: list[Resource] = []
    dangling: list[Resource] = []
    for endpoint in endpoints:
        found = {urn for prop in CONNECTIONS for urn in endpoint.property_dependencies.get(prop, ()) if urn in by_urn}
        target_unknown = False
        for prop in CONNECTIONS:
            connections = as_list(endpoint.get(prop))
            if connections is UNKNOWN:
                target_unknown = True
                continue
            for connection in connections:
                target = get(connection, "privateLinkServiceId") if isinstance(connection, Mapping) else connection
                target_unknown = target_unknown or target is UNKNOWN
                found.update(resource.urn for resource in by_id(target, resources_by_id) or ())
        linked |= found
        if not found:
            (unknown if target_unknown else dangling).append(endpoint)
    return linked, unknown, dangling


FIX = ("declare a network.PrivateEndpoint in a spoke or the hub's shared subnet with privateLinkServiceConnections[]."
       "privateLinkServiceId set to its id (the components' private_endpoints interface does)")


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    closed = []
    for resource in resources:
        path = PUBLIC_ACCESS.get(resource.type)
        if path is None:
            continue
        access = resource.get(path, "Enabled")
        if isinstance(access, str) and access is not UNKNOWN and access.lower() == "enabled":
            report.skip(f"{path} is {access!r}: the public-network-access rule of its type judges it", resource.urn)
        else:
            closed.append(resource)  # a secret without its plaintext (a saved plan) too: it cannot be shown open
    if not closed:
        return
    by_urn, resources_by_id = index(resources)
    linked, unknown, dangling = _linked([r for r in resources if r.type == ENDPOINT], by_urn, resources_by_id)
    for resource in closed:
        if resource.urn in linked:
            continue
        path = PUBLIC_ACCESS[resource.type]
        maybe = unknown + (dangling if resource.id is None else [])
        if resource.get(path) is UNKNOWN:
            report.unknown(f"{path} (without a private endpoint, only Enabled passes)", FIX, resource.urn)
        elif maybe:
            report.unknown(f"which resource private endpoint {maybe[0].name} connects to", FIX, resource.urn)
        else:
            report(f"is closed to the public ({path} not Enabled) but no private endpoint of this stack connects to "
                   f"it, so nothing but trusted Azure services can reach it; {FIX}", resource.urn)


RULE = StackRule(
    id="private-endpoint-present",
    title="Storage accounts, key vaults and Cosmos DB accounts closed to the public have a private endpoint",
    severity=Severity.MEDIUM,
    controls=("BIO 13.1.1", "BIO 13.1.3", "CIS 3.10", "CIS 4.5.2", "CIS 8.7"),
    remediation="Give each resource with public network access off a private endpoint through the component's "
                "private_endpoints interface, in the same stack.",
    check=check,
    applies_to=(*PUBLIC_ACCESS, ENDPOINT),
    defaults_source="storage StorageAccount 2023-05-01, keyvault Vault 2023-07-01, cosmosdb DatabaseAccount "
                    "2024-05-15: publicNetworkAccess unset is Enabled; a resource has no private endpoint unless one "
                    "is deployed (learn.microsoft.com/azure/private-link/private-endpoint-overview)",
)
