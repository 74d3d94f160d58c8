"""Mocks that answer like Azure in a preview: ARM ids, physical names, locations, client config, stack references.

A resource type or invoke these mocks do not know raises `MockGap`: an offline plan that silently answered `{}`
would hide exactly the bugs it exists to find.
"""

from __future__ import annotations

import importlib
import ipaddress
import re
import sys
import uuid
from dataclasses import dataclass
from functools import lru_cache
from types import FrameType
from pathlib import Path
from typing import Any, Callable, Mapping

import pulumi

from amsterdam_cloud.core import budgets, naming
from amsterdam_cloud.scripts.offline import sdk_seam
from amsterdam_cloud.scripts.offline.arm_types import ARM_ID_TEMPLATES, RG
from amsterdam_cloud.scripts.offline.values import UNKNOWN, wire_secret

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_NAMESPACE = uuid.UUID("6f1c3a52-6c0e-4d55-9a57-0c6a3b1e2d10")  # fixed, so derived GUIDs are reproducible


class MockGap(Exception):
    """The program used a resource type or invoke the offline mocks do not understand."""


class AzureRuleError(MockGap):
    """A name or value the provider's `Check` or Azure's API would refuse: the plan stops, as the real preview would."""


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
        self._type_chains: dict[int, str] = {}
        self._origins: dict[str, str] = {}
        self._provider_subscriptions: dict[str, str] = {}
        self.checked_defaults: dict[str, dict[str, Any]] = {}
        """Per URN, what azure-native's `Check` adds to the inputs (auto-name, default location): the engine
        records Check's result as the inputs and sends it to the policy pack's `Analyze`."""

    # -- where each resource was created ----------------------------------------------------------------------
    def track_origin(self, args: pulumi.ResourceTransformationArgs) -> None:
        """A stack transformation: remember the program line that created each resource, keyed like its URN."""
        parent = args.opts.parent if args.opts else None
        chain = self._type_chains.get(id(parent)) if parent is not None else None
        chain = f"{chain}${args.type_}" if chain else args.type_
        self._type_chains[id(args.resource)] = chain
        lines: list[str] = []  # the program's frames, innermost first, up to the engine that runs it
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and not (lines and frame.f_code.co_filename.startswith(_OFFLINE_DIR)):
            if not _outside_program(frame.f_code.co_filename):
                lines.append(f"{_shown_path(frame.f_code.co_filename)}:{frame.f_lineno}")
            frame = frame.f_back
        if lines:
            self._origins[f"{chain}::{args.name}"] = lines[0] + (f" (from {lines[-1]})" if len(lines) > 1 else "")

    def _origin(self, urn: str) -> str:
        return self._origins.get(urn.split("::", 2)[-1], "an unknown program line")

    # -- resources ------------------------------------------------------------------------------------------
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        token = args.typ
        if token == "pulumi:pulumi:StackReference":
            return self._stack_reference(args)
        if token.startswith("pulumi:providers:"):
            provider_id = derived_guid("provider", args.name)
            if isinstance(args.inputs.get("subscriptionId"), str):
                self._provider_subscriptions[provider_id] = args.inputs["subscriptionId"]
            return provider_id, dict(args.inputs)
        template = ARM_ID_TEMPLATES.get(unversioned(token))
        if template is None:
            raise MockGap(f"offline plan: no mock for resource type {token} (resource {args.name!r}); add its ARM "
                          "id template to scripts/offline/arm_types.py")
        urn = getattr(args, "urn", f"{token}::{args.name}")
        inputs = dict(args.inputs)
        # An explicit provider's subscription is the resource's, as azure-native takes it (`urn::id` reference).
        provider_subscription = self._provider_subscriptions.get(str(args.provider or "").rsplit("::", 1)[-1])
        if provider_subscription and "subscriptionId" not in inputs:
            inputs["subscriptionId"] = provider_subscription
        own_name_key = _PLACEHOLDER.findall(template)[-1]
        given = inputs.get(own_name_key)
        name = given or self._auto_name(template, own_name_key, args.name, urn)
        self._check(token, args.name, urn, inputs, own_name_key, name, auto=not given)
        state: dict[str, Any] = {**inputs, "name": name, "type": _arm_type(template)}
        if self._supports_location(token):
            state["location"] = inputs.get("location") or self._resource_group_locations.get(
                inputs.get("resourceGroupName", ""), self.context.location)
        defaults = {own_name_key: name} if not given else {}
        if not inputs.get("location") and "location" in state and _takes_location(token):
            defaults["location"] = state["location"]
        self.checked_defaults[urn] = defaults
        resource_id = self._arm_id(template, {**inputs, own_name_key: name})
        state["id"] = resource_id
        if unversioned(token) == "azure-native:resources:ResourceGroup":
            self._resource_group_locations[name] = state["location"]
        for derive in _DERIVED_OUTPUTS.get(unversioned(token), ()):
            derive(self, state)
        if isinstance(inputs.get("identity"), dict):
            state["identity"] = self._identity_outputs(inputs["identity"], resource_id)
        return ("" if resource_id == UNKNOWN else resource_id), provider_outputs(token, state)

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

    def _auto_name(self, template: str, name_key: str, logical_name: str, urn: str) -> str:
        """As azure-native names a resource whose name input is unset (`core/naming.py`: strategy and source)."""
        kind = naming.auto_name_kind(template, name_key)
        if kind is None:  # the provider's Check: "missing required property"
            raise AzureRuleError(f"offline plan: resource {logical_name!r} ({urn.split('::')[2].rsplit('$', 1)[-1]}) "
                                 f"at {self._origin(urn)}: missing required property '{name_key}'")
        return naming.auto_name(kind, logical_name, urn)

    # -- the provider's Check and Azure's API rules --------------------------------------------------------
    def _check(self, token: str, logical_name: str, urn: str, inputs: Mapping[str, Any], name_key: str, name: Any,
               *, auto: bool) -> None:
        """Every physical name against `core/naming.py`, plus the API rules below; a break stops the plan."""
        bare = unversioned(token)
        rule = naming.RULES.get(bare)
        if rule is not None and isinstance(name, str) and name != UNKNOWN:
            wrong = rule.problem(name)
            if wrong is not None:
                how = " (auto-named by azure-native: the logical name plus 8 characters)" if auto else ""
                self._refuse(token, logical_name, urn, f"name {name!r}{how} {wrong}", rule, _snake(name_key))
        for check in _API_RULES.get(bare, ()):
            check(self, token, logical_name, urn, {**inputs, name_key: name})  # the checked inputs

    def _refuse(self, token: str, logical_name: str, urn: str, what: str, rule: naming.NameRule | None,
                field: str, fix: str = "") -> None:
        fix = fix or f"pass {field}=... ({rule.describe() if rule else ''})"
        raise AzureRuleError(f"offline plan: resource {logical_name!r} ({token}) at {self._origin(urn)}: {what}; "
                             f"Azure refuses it; fix: {fix}")

    def _check_computer_name(self, token: str, logical_name: str, urn: str, inputs: Mapping[str, Any]) -> None:
        """The VM's computer name (`osProfile.computerName`; unset, Azure takes the VM name): a Windows one, by its
        `windowsConfiguration` or its Windows image, has at most 15 characters (NetBIOS)."""
        profile = inputs.get("osProfile")
        profile = profile if isinstance(profile, dict) else {}
        windows = "windowsConfiguration" in profile or _windows_image(inputs)
        if not profile and not windows:
            return  # an attached OS disk: no computer name is set
        computer, what = profile.get("computerName"), "osProfile.computerName"
        if computer is None:
            computer, what = inputs.get("vmName"), "computer name (the VM name: osProfile.computerName is unset)"
        if not isinstance(computer, str) or computer == UNKNOWN:
            return
        rule = naming.WINDOWS_COMPUTER_NAME if windows else naming.LINUX_HOST_NAME
        wrong = rule.problem(computer)
        if wrong is not None:
            self._refuse(token, logical_name, urn, f"{what} {computer!r} {wrong}", rule, "os_profile.computer_name")

    def _check_short_name(self, token: str, logical_name: str, urn: str, inputs: Mapping[str, Any]) -> None:
        """`groupShortName` of an action group: at most 12 characters."""
        short = inputs.get("groupShortName")
        wrong = naming.ACTION_GROUP_SHORT_NAME.problem(short) if isinstance(short, str) and short != UNKNOWN else None
        if wrong is not None:
            self._refuse(token, logical_name, urn, f"groupShortName {short!r} {wrong}", naming.ACTION_GROUP_SHORT_NAME,
                         "group_short_name")

    def _check_budget_start(self, token: str, logical_name: str, urn: str, inputs: Mapping[str, Any]) -> None:
        """Budgets API: `timePeriod.startDate` is the first of a month, not before this month, at most 12 ahead."""
        period = inputs.get("timePeriod") or {}
        start = period.get("startDate") if isinstance(period, dict) else None
        if not isinstance(start, str) or start == UNKNOWN:
            return
        wrong = budgets.start_date_problem(start, budgets.this_month())  # read only here: dates the plan
        if wrong is not None:
            self._refuse(token, logical_name, urn, f"timePeriod.startDate {start!r} {wrong}", None, "",
                         fix="leave the budget's start date unset (the first of the current month) or give the first "
                             "of a month from this month to 12 months ahead")

    def _supports_location(self, token: str) -> bool:
        return "location" in output_names(token)

    def _stack_reference(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        name = args.inputs.get("name") or args.resource_id or args.name
        if self.stack_outputs is None:
            raise MockGap(f"offline plan: stack reference {name!r} but no saved plans were given to resolve it")
        outputs, secret_names = self.stack_outputs(name)
        wired = {key: wire_secret(value) if key in secret_names else value for key, value in outputs.items()}
        return name, {"name": name, "outputs": wired, "secretOutputNames": sorted(secret_names)}

    # -- invokes --------------------------------------------------------------------------------------------
    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:  # type: ignore[override]  # the SDK takes a bare dict
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
            prefix = self._subnet_prefixes.get(subnet_id) if subnet_id else None
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

    def _subscription_alias(self, state: dict[str, Any]) -> None:
        """A vended subscription's id: the one the alias names, else a new one derived from the alias id."""
        given = dict(state.get("properties") or {})
        state["properties"] = {"subscriptionId": given.get("subscriptionId") or derived_guid("subscription",
                                                                                            state["id"]),
                               "provisioningState": "Succeeded"}

    def _app_insights_ids(self, state: dict[str, Any]) -> None:
        """Azure's keys of a component and the connection string built from them (ingestion in its region)."""
        state["instrumentationKey"] = derived_guid("instrumentation", state["id"])
        state["appId"] = derived_guid("application", state["id"])
        state["connectionString"] = (f"InstrumentationKey={state['instrumentationKey']};IngestionEndpoint=https://"
                                     f"{state.get('location')}-0.in.applicationinsights.azure.com/;ApplicationId="
                                     f"{state['appId']}")

    def _storage_endpoints(self, state: dict[str, Any]) -> None:
        state["primaryEndpoints"] = {kind: f"https://{state['name']}.{kind}.core.windows.net/"
                                     for kind in ("blob", "dfs", "file", "queue", "table")}


_API_RULES: dict[str, tuple[Callable[[AzureMocks, str, str, str, Mapping[str, Any]], None], ...]] = {
    "azure-native:compute:VirtualMachine": (AzureMocks._check_computer_name,),
    "azure-native:consumption:Budget": (AzureMocks._check_budget_start,),
    "azure-native:monitor:ActionGroup": (AzureMocks._check_short_name,),
}
"""Checks beyond the name that the provider or Azure's API make at preview time, per type."""


WINDOWS_IMAGE_PUBLISHERS = ("MicrosoftWindowsDesktop", "MicrosoftWindowsServer")
"""Marketplace publishers of Windows images: a VM from one runs Windows even without `windowsConfiguration`."""


def _windows_image(inputs: Mapping[str, Any]) -> bool:
    storage = inputs.get("storageProfile")
    image = storage.get("imageReference") if isinstance(storage, dict) else None
    publisher = image.get("publisher") if isinstance(image, dict) else None
    return isinstance(publisher, str) and publisher.lower() in {p.lower() for p in WINDOWS_IMAGE_PUBLISHERS}


_OFFLINE_DIR = str(Path(__file__).resolve().parent)


def _outside_program(filename: str) -> bool:
    """A frame of the SDK, a provider package, the offline engine or the standard library: not the program's."""
    return ("site-packages" in filename or filename.startswith((_OFFLINE_DIR, sys.base_prefix, "<")))


def _shown_path(filename: str) -> str:
    path = Path(filename)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _snake(camel: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", camel).lower()


_DERIVED_OUTPUTS: dict[str, tuple[Callable[[AzureMocks, dict[str, Any]], None], ...]] = {
    "azure-native:network:Subnet": (AzureMocks._remember_subnet,),
    "azure-native:network:AzureFirewall": (AzureMocks._firewall_private_ip,),
    "azure-native:managedidentity:UserAssignedIdentity": (AzureMocks._identity_ids,),
    "azure-native:operationalinsights:Workspace": (AzureMocks._workspace_ids,),
    "azure-native:keyvault:Vault": (AzureMocks._vault_uri,),
    "azure-native:storage:StorageAccount": (AzureMocks._storage_endpoints,),
    "azure-native:subscription:Alias": (AzureMocks._subscription_alias,),
    "azure-native:applicationinsights:Component": (AzureMocks._app_insights_ids,),
}


@lru_cache(maxsize=None)
def output_names(token: str) -> frozenset[str]:
    """The camelCase outputs the installed azure-native class declares (its `@pulumi.getter` properties).

    What the provider returns and the engine records as the resource's outputs: never the path inputs
    (`resourceGroupName`, `<x>Name`, `scope`), which the class offers no getter for; plus `id`, the ARM id of the
    response body (the SDK keeps it out of the class's getters, as it does `urn`). Cached: one look per type.
    """
    _, module, name = token.split(":", 2)
    cls = getattr(importlib.import_module("pulumi_azure_native." + module.replace("/", ".")), name)
    names = {"id"}
    for klass in cls.__mro__:
        if klass.__module__.startswith("pulumi_azure_native."):
            names.update(sdk_seam.output_property_name(attribute, member.fget)
                         for attribute, member in vars(klass).items() if isinstance(member, property))
    return frozenset(names)


@lru_cache(maxsize=None)
def _caseless_output_names(token: str) -> frozenset[str]:
    return frozenset(name.lower() for name in output_names(token))


@lru_cache(maxsize=None)
def _takes_location(token: str) -> bool:
    """Whether the installed azure-native class takes a `location` input (its `Args` class has the property)."""
    _, module, name = token.split(":", 2)
    module_object = importlib.import_module("pulumi_azure_native." + module.replace("/", "."))
    args_class = getattr(module_object, f"{name}Args", None)
    return isinstance(getattr(args_class, "location", None), property)


def provider_outputs(token: str, state: Mapping[str, Any]) -> dict[str, Any]:
    """`state` cut to what the provider returns as outputs for `token` (see `output_names`)."""
    names = _caseless_output_names(token)  # caseless: `sdk_seam.output_property_name`'s fallback is camelCase
    return {key: value for key, value in state.items() if key.lower() in names}


def _arm_type(template: str) -> str:
    """`.../providers/Microsoft.Network/virtualNetworks/{a}/subnets/{b}` is `Microsoft.Network/virtualNetworks/subnets`."""
    if "/providers/" not in template:
        return "Microsoft.Resources/resourceGroups"
    tail = template.rsplit("/providers/", 1)[1]
    segments = [s for s in tail.split("/") if not s.startswith("{") and s != "default"]
    return "/".join(segments)
