"""What the platform stack exports, as one typed contract: the platform program exports through `PlatformOutputs`,
and every consumer (the workplace, analytics, landing-zones and app stacks) reads through `PlatformOutputs.read`.

Each field is one stack output, named by the field in camelCase (`workspace_id` is `workspaceId`); a structured
output lists the keys a consumer may rely on. Reading checks the referenced stack's outputs against the contract
once, so a renamed or missing output fails the consumer's plan with one line naming the stack reference, the output
and the fix, instead of a KeyError (or a silent None) deep inside a component.

```python
platform = PlatformOutputs.read(config.platform_stack)
diagnostics = (DiagnosticSettings(workspace_id=platform.workspace_id),)
```
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields
from typing import Any, Mapping

import pulumi

from amsterdam_cloud.core.errors import UserError

CONTRACT = "core/platform_outputs.py"
"""Where the contract lives, named in every message about it."""


def _keys(*keys: str) -> Any:
    """A structured output: a mapping with at least these keys."""
    return field(metadata={"keys": keys})


def _mapping() -> Any:
    """An output that is a mapping (by spoke, zone or role name)."""
    return field(metadata={"keys": ()})


def output_name(field_name: str) -> str:
    """The stack output a field is exported as: the field in camelCase."""
    head, *rest = field_name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@dataclass(frozen=True, kw_only=True)
class PlatformOutputs:
    """The platform stack's outputs, in the order it exports them."""

    environment: pulumi.Input[str]
    """The environment the platform stack deploys (dev, test, acc, prod)."""
    location: pulumi.Input[str]
    """The platform's region; the spokes, and so every consumer's private endpoints, are there."""
    tags: pulumi.Input[Mapping[str, str]] = _mapping()
    """The platform's mandatory tags."""
    workspace_id: pulumi.Input[str]
    """The central Log Analytics workspace's resource id (every diagnostic setting sends there)."""
    workspace_customer_id: pulumi.Input[str]
    """The central workspace's customer id (the agents' and queries' workspace GUID)."""
    action_group_id: pulumi.Input[str]
    """The platform's action group, where baseline alerts go."""
    monitor_private_link_scope: pulumi.Input[Mapping[str, Any]] = _keys("name", "resourceGroupName", "subscriptionId")
    """The Azure Monitor Private Link Scope the environment's ingestion goes through (the city's one), for operators
    and tools: apps read it no more (the connectivity stack scopes their Application Insights)."""
    data_collection_endpoint_id: pulumi.Input[str]
    """The private data collection endpoint of the AMPLS (for data collection rules)."""
    vm_operations: pulumi.Input[Mapping[str, Any]] = _keys("vaultName", "resourceGroupName", "subscriptionId",
                                                           "backupPolicyId", "dataCollectionRuleId",
                                                           "dataCollectionEndpointId")
    """What every workload VM enrols in: the backup vault (its subscription) and enhanced policy, the data
    collection rule and endpoint (components/compute/operations.py)."""
    hub_resource_group_name: pulumi.Input[str]
    """The hub network's resource group."""
    hub_virtual_network_id: pulumi.Input[str]
    """The hub network's resource id (private DNS zone links)."""
    hub_virtual_network_name: pulumi.Input[str]
    """The hub network's name (peerings)."""
    firewall_private_ip: pulumi.Input[str]
    """The hub firewall's private IP, every spoke's next hop."""
    firewall_policy_name: pulumi.Input[str]
    """The hub firewall's policy (in the hub's resource group): vended landing zones add their rule groups to it."""
    private_dns_zone_ids: pulumi.Input[Mapping[str, Any]] = _mapping()
    """Private DNS zone name to its resource id (private endpoints register there)."""
    spokes: pulumi.Input[Mapping[str, Any]] = _mapping()
    """Spoke name to its resource group, network id and name, address space and subnet ids."""
    spoke_subnet_ids: pulumi.Input[Mapping[str, Any]] = _mapping()
    """Spoke name to subnet name to subnet id."""
    platform_key_vault_id: pulumi.Input[str]
    """The platform's Key Vault."""
    platform_key_vault_uri: pulumi.Input[str]
    """The platform's Key Vault URI."""
    container_registry_id: pulumi.Input[str]
    """The city's container registry of this environment (apps get AcrPull on it)."""
    container_registry_login_server: pulumi.Input[str]
    """The registry's login server (the host in an app's image reference)."""
    policy_assignment_ids: pulumi.Input[Mapping[str, Any]] = _mapping()
    """Guardrail role to its policy assignment id."""
    container_apps_environment: pulumi.Input[Mapping[str, Any]] = _keys("id", "name", "spoke", "workloadProfiles")
    """The shared Container Apps environment and the workload profiles it offers; only values known at preview."""
    front_door: pulumi.Input[Mapping[str, Any]] = _keys("profileName", "resourceGroupName", "wafPolicyId",
                                                        "certificateVaultId")
    """The shared Front Door profile, its WAF policy and the custom domains' certificate vault."""

    def export(self) -> None:
        """Export every field as its stack output (what the platform program does, and only through this)."""
        for item in fields(self):
            pulumi.export(output_name(item.name), getattr(self, item.name))

    @classmethod
    def read(cls, stack: str, opts: pulumi.ResourceOptions | None = None) -> PlatformOutputs:
        """The outputs of the platform stack `stack` (a StackReference name), checked against the contract before
        any value is used: a missing, renamed or mistyped output stops the plan with one line."""
        reference = pulumi.StackReference(stack, opts=opts)
        names = [output_name(item.name) for item in fields(cls)]

        def verify(values: list[Any]) -> Any:
            # the contract's outputs by name, so a consumer depends on those only (the estate cache keys a stack on
            # the outputs it read); all of them only when one is missing, to name a renamed one in the error
            if any(value is None for value in values):
                return reference.outputs.apply(lambda outputs: check(stack, outputs))
            return check(stack, dict(zip(names, values)))

        checked = pulumi.Output.unsecret(
            pulumi.Output.all(*[reference.get_output(name) for name in names]).apply(verify))

        def read_one(output: str) -> pulumi.Output[Any]:
            # the check first; the value itself keeps its own secretness (`get_output`)
            return pulumi.Output.all(checked, reference.get_output(output)).apply(lambda values: values[1])

        return cls(**{item.name: read_one(output_name(item.name)) for item in fields(cls)})


class PlatformOutputsError(UserError):
    """The platform stack a consumer references does not export what `PlatformOutputs` says it does."""


def check(reference: str, outputs: Mapping[str, Any]) -> bool:
    """Whether `outputs` (a platform stack's) hold every output of the contract, of its kind; else the first
    problem as one line naming the reference, the output and the fix."""
    for item in fields(PlatformOutputs):
        output, keys = output_name(item.name), item.metadata.get("keys")
        value = outputs.get(output)
        if value is None:
            others = sorted(set(outputs) - {output_name(known.name) for known in fields(PlatformOutputs)})
            near = difflib.get_close_matches(output, others, n=1)
            hint = f" (it has {near[0]!r}: renamed?)" if near else ""
            raise PlatformOutputsError(
                f"stack reference {reference}: has no output {output!r}{hint}, which PlatformOutputs ({CONTRACT}) "
                f"requires; deploy (or re-plan) that platform stack with this toolkit's version, which exports it")
        expected = Mapping if keys is not None else str
        if not isinstance(value, expected):
            raise PlatformOutputsError(
                f"stack reference {reference}: output {output!r} is a {type(value).__name__}, PlatformOutputs "
                f"({CONTRACT}) expects {'a mapping' if keys is not None else 'text'}; deploy (or re-plan) that "
                "platform stack with this toolkit's version")
        missing = [key for key in keys or () if key not in value]
        if missing:
            raise PlatformOutputsError(
                f"stack reference {reference}: output {output!r} has no {', '.join(missing)} (it has "
                f"{', '.join(sorted(value)) or 'nothing'}), which PlatformOutputs ({CONTRACT}) requires; deploy "
                "(or re-plan) that platform stack with this toolkit's version")
    return True
