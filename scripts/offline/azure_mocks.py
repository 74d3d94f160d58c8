"""Mocks that answer like Azure in a preview: ARM ids, physical names, locations, client config, stack references.

A resource type or invoke these mocks do not know raises `MockGap`: an offline plan that silently answered `{}`
would hide exactly the bugs it exists to find.
"""

from __future__ import annotations

import hashlib
import importlib
import ipaddress
import re
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import pulumi

from amsterdam_cloud.scripts.offline.arm_types import ARM_ID_TEMPLATES, RG
from amsterdam_cloud.scripts.offline.values import UNKNOWN, wire_secret

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_NAMESPACE = uuid.UUID("6f1c3a52-6c0e-4d55-9a57-0c6a3b1e2d10")  # fixed, so derived GUIDs are reproducible


class MockGap(Exception):
    """The program used a resource type or invoke the offline mocks do not understand."""


@dataclass(frozen=True, kw_only=True)
class AzureContext:
    """What the mocks derive answers from: the stack's subscription, tenant and default location."""

    subscription_id: str
    tenant_id: str
    location: str
    client_object_id: str = "11111111-2222-4333-8444-555555555555"
    """Object id of the identity that runs the deployment (CI's workload identity in the real path)."""


StackOutputs = Callable[[str], tuple[dict[str, Any], list[str]]]
"""Resolves a stack reference name (`org/project/stack`) to (outputs, names of secret outputs)."""


def unversioned(type_token: str) -> str:
    """`azure-native:storage/v20230101:StorageAccount` is matched as `azure-native:storage:StorageAccount`."""
    package, module, name = type_token.split(":", 2)
    return f"{package}:{module.split('/')[0]}:{name}"


def derived_guid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


class AzureMocks(pulumi.runtime.Mocks):
    """The offline plan's answers for every azure-native resource and invoke the city's programs use."""

    def __init__(self, context: AzureContext, stack_outputs: StackOutputs | None = None) -> None:
        self.context = context
        self.stack_outputs = stack_outputs
        self._resource_group_locations: dict[str, str] = {}
        self._subnet_prefixes: dict[str, str] = {}
        self._has_location: dict[str, bool] = {}

    # -- resources ------------------------------------------------------------------------------------------
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        token = args.typ
        if token == "pulumi:pulumi:StackReference":
            return self._stack_reference(args)
        if token.startswith("pulumi:providers:"):
            return derived_guid("provider", args.name), dict(args.inputs)
        template = ARM_ID_TEMPLATES.get(unversioned(token))
        if template is None:
            raise MockGap(f"offline plan: no mock for resource type {token} (resource {args.name!r}); add its ARM "
                          "id template to scripts/offline/arm_types.py")
        urn = getattr(args, "urn", f"{token}::{args.name}")
        inputs = dict(args.inputs)
        own_name_key = _PLACEHOLDER.findall(template)[-1]
        name = inputs.get(own_name_key) or self._auto_name(token, args.name, urn)
        state: dict[str, Any] = {**inputs, "name": name, "type": _arm_type(template)}
        if self._supports_location(token):
            state["location"] = inputs.get("location") or self._resource_group_locations.get(
                inputs.get("resourceGroupName", ""), self.context.location)
        resource_id = self._arm_id(template, {**inputs, own_name_key: name})
        state["id"] = resource_id
        if unversioned(token) == "azure-native:resources:ResourceGroup":
            self._resource_group_locations[name] = state["location"]
        for derive in _DERIVED_OUTPUTS.get(unversioned(token), ()):
            derive(self, state)
        if isinstance(inputs.get("identity"), dict):
            state["identity"] = self._identity_outputs(inputs["identity"], resource_id)
        return ("" if resource_id == UNKNOWN else resource_id), state

    def _identity_outputs(self, identity: dict[str, Any], resource_id: str) -> dict[str, Any]:
        """Azure's answer for a managed identity: principal ids, and user-assigned ids as a map (inputs are a list)."""
        outputs = dict(identity)
        if "SystemAssigned" in str(identity.get("type", "")):
            outputs.update(principalId=derived_guid("principal", resource_id), tenantId=self.context.tenant_id)
        assigned = identity.get("userAssignedIdentities")
        if isinstance(assigned, list):
            outputs["userAssignedIdentities"] = {
                item: {"principalId": derived_guid("principal", item), "clientId": derived_guid("client", item)}
                for item in assigned if isinstance(item, str)}
        return outputs

    def _arm_id(self, template: str, values: Mapping[str, Any]) -> str:
        filled = {"subscriptionId": self.context.subscription_id, **values}
        parts = {}
        for key in _PLACEHOLDER.findall(template.replace("{rg}", RG)):
            value = filled.get(key)
            if value is None or value == UNKNOWN or not isinstance(value, str):
                return UNKNOWN  # like a real preview: the id is not known until what it is built from is known
            parts[key] = value.rstrip("/") if key in ("scope", "resourceUri") else value
        return template.replace("{rg}", RG).format(**parts)

    def _auto_name(self, token: str, logical_name: str, urn: str) -> str:
        suffix = hashlib.sha256(urn.encode()).hexdigest()[:8]
        if unversioned(token) == "azure-native:authorization:RoleAssignment":
            return derived_guid("role-assignment", urn)
        if unversioned(token) in _ALPHANUMERIC_NAMES:
            return (re.sub(r"[^a-z0-9]", "", logical_name.lower())[:16] + suffix)[:24]
        return logical_name + suffix

    def _supports_location(self, token: str) -> bool:
        known = self._has_location.get(token)
        if known is None:
            package, module, name = token.split(":", 2)
            python_module = importlib.import_module("pulumi_azure_native." + module.replace("/", "."))
            known = isinstance(getattr(getattr(python_module, name), "location", None), property)
            self._has_location[token] = known
        return known

    def _stack_reference(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        name = args.inputs.get("name") or args.resource_id or args.name
        if self.stack_outputs is None:
            raise MockGap(f"offline plan: stack reference {name!r} but no saved plans were given to resolve it")
        outputs, secret_names = self.stack_outputs(name)
        wired = {key: wire_secret(value) if key in secret_names else value for key, value in outputs.items()}
        return name, {"name": name, "outputs": wired, "secretOutputNames": sorted(secret_names)}

    # -- invokes --------------------------------------------------------------------------------------------
    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:
        if args.token == "azure-native:authorization:getClientConfig":
            return {"clientId": derived_guid("client", self.context.client_object_id),
                    "objectId": self.context.client_object_id, "subscriptionId": self.context.subscription_id,
                    "tenantId": self.context.tenant_id}
        raise MockGap(f"offline plan: no mock for invoke {args.token}; add an answer derived from the stack config "
                      "to scripts/offline/azure_mocks.py")

    # -- outputs Azure computes -----------------------------------------------------------------------------
    def _remember_subnet(self, state: dict[str, Any]) -> None:
        prefix = state.get("addressPrefix")
        if isinstance(prefix, str) and prefix != UNKNOWN:
            self._subnet_prefixes[state["id"]] = prefix

    def _firewall_private_ip(self, state: dict[str, Any]) -> None:
        """Azure gives the firewall the fourth host of AzureFirewallSubnet (the first three are reserved)."""
        configurations = state.get("ipConfigurations") or []
        for configuration in configurations:
            subnet_id = (configuration.get("subnet") or {}).get("id")
            prefix = self._subnet_prefixes.get(subnet_id)
            if prefix:
                configuration["privateIPAddress"] = str(ipaddress.ip_network(prefix)[4])
        state["ipConfigurations"] = configurations

    def _identity_ids(self, state: dict[str, Any]) -> None:
        state["principalId"] = derived_guid("principal", state["id"])
        state["clientId"] = derived_guid("client", state["id"])
        state["tenantId"] = self.context.tenant_id

    def _workspace_ids(self, state: dict[str, Any]) -> None:
        state["customerId"] = derived_guid("workspace", state["id"])

    def _vault_uri(self, state: dict[str, Any]) -> None:
        properties = dict(state.get("properties") or {})
        properties["vaultUri"] = f"https://{state['name']}.vault.azure.net/"
        state["properties"] = properties

    def _storage_endpoints(self, state: dict[str, Any]) -> None:
        state["primaryEndpoints"] = {kind: f"https://{state['name']}.{kind}.core.windows.net/"
                                     for kind in ("blob", "dfs", "file", "queue", "table")}


_ALPHANUMERIC_NAMES = frozenset({"azure-native:storage:StorageAccount", "azure-native:containerregistry:Registry"})

_DERIVED_OUTPUTS: dict[str, tuple[Callable[[AzureMocks, dict[str, Any]], None], ...]] = {
    "azure-native:network:Subnet": (AzureMocks._remember_subnet,),
    "azure-native:network:AzureFirewall": (AzureMocks._firewall_private_ip,),
    "azure-native:managedidentity:UserAssignedIdentity": (AzureMocks._identity_ids,),
    "azure-native:operationalinsights:Workspace": (AzureMocks._workspace_ids,),
    "azure-native:keyvault:Vault": (AzureMocks._vault_uri,),
    "azure-native:storage:StorageAccount": (AzureMocks._storage_endpoints,),
}


def _arm_type(template: str) -> str:
    """`.../providers/Microsoft.Network/virtualNetworks/{a}/subnets/{b}` is `Microsoft.Network/virtualNetworks/subnets`."""
    if "/providers/" not in template:
        return "Microsoft.Resources/resourceGroups"
    tail = template.rsplit("/providers/", 1)[1]
    segments = [s for s in tail.split("/") if not s.startswith("{") and s != "default"]
    return "/".join(segments)
