"""Fixtures every component test shares: the city's tags, a workspace to send diagnostics to, an address plan."""

from __future__ import annotations

import re

import pytest

from amsterdam_cloud.components.interfaces import DiagnosticSettings
from amsterdam_cloud.components.landing_zone.address_plan import AddressPlan, SubnetRequest, plan

SUBSCRIPTION = "00000001-0000-4000-8000-000000000001"
TENANT = "9a1b2c3d-0000-4000-8000-000000000001"


@pytest.fixture
def tags() -> dict[str, str]:
    return {"owner": "cloud-platform@amsterdam.nl", "cost-center": "CC-4120", "environment": "dev",
            "data-classification": "BBN2", "application": "landing-zone"}


@pytest.fixture
def workspace_id() -> str:
    return (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-management/providers/"
            "Microsoft.OperationalInsights/workspaces/logs")


@pytest.fixture
def diagnostics(workspace_id: str) -> tuple[DiagnosticSettings, ...]:
    return (DiagnosticSettings(workspace_id=workspace_id),)


@pytest.fixture
def address_plan() -> AddressPlan:
    return plan("10.10.0.0/16", "10.10.0.0/22", {
        "apps": ("10.10.16.0/20", (SubnetRequest(name="web", prefix_length=24),
                                   SubnetRequest(name="containers", prefix_length=23,
                                                 delegation="Microsoft.App/environments"))),
        "workplace": ("10.10.32.0/20", (SubnetRequest(name="hosts", prefix_length=21),)),
    })


@pytest.fixture
def subscription_id() -> str:
    return SUBSCRIPTION


@pytest.fixture
def tenant_id() -> str:
    return TENANT


# ---------------------------------------------------------------------------------------------------------------
# The interface contract, one check for every component: what it declares it honours is applied on the plan, every
# other interface is refused naming the args, the interface and why (components/interfaces.py `Supports`).

CONFORMANCE_PRINCIPAL = "0f0e0d0c-0000-4000-8000-00000000c0f0"
CONFORMANCE_WORKSPACE = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-conformance/providers/"
                         "Microsoft.OperationalInsights/workspaces/conformance")
CONFORMANCE_SUBNET = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-conformance/providers/Microsoft.Network/"
                      "virtualNetworks/conformance/subnets/endpoints")
CONFORMANCE_ZONE = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-conformance/providers/Microsoft.Network/"
                    "privateDnsZones/privatelink.vaultcore.azure.net")
CONFORMANCE_IDENTITY = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-conformance/providers/"
                        "Microsoft.ManagedIdentity/userAssignedIdentities/conformance")
CONFORMANCE_NOTES = "Conformance: this lock comes from the component's args."


def conformance_values() -> dict:
    """A recognisable value of every interface (the private endpoint names its sub-resource: any component)."""
    from amsterdam_cloud.components.interfaces import (DiagnosticSettings, Lock, ManagedIdentities,
                                                       PrivateEndpoint, RoleAssignment)

    return {"lock": Lock(notes=CONFORMANCE_NOTES),
            "role_assignments": (RoleAssignment(role="Reader", principal_id=CONFORMANCE_PRINCIPAL),),
            "diagnostic_settings": (DiagnosticSettings(workspace_id=CONFORMANCE_WORKSPACE),),
            "private_endpoints": (PrivateEndpoint(subnet_id=CONFORMANCE_SUBNET,
                                                  private_dns_zone_ids=(CONFORMANCE_ZONE,)),),
            "managed_identities": ManagedIdentities(user_assigned_resource_ids=(CONFORMANCE_IDENTITY,)),
            "protect": True}


def _applied(plan, interface: str, value) -> bool:
    """Whether the plan shows `interface` applied with `value` (the value the args carried)."""
    resources = plan.resources
    if interface == "lock":
        return any(r.type == "azure-native:authorization:ManagementLockByScope" and r.inputs.get("notes") == value.notes
                   for r in resources)
    if interface == "role_assignments":
        wanted = {assignment.principal_id for assignment in value}
        return wanted <= {r.inputs.get("principalId") for r in resources
                          if r.type == "azure-native:authorization:RoleAssignment"}
    if interface == "diagnostic_settings":
        wanted = {setting.workspace_id for setting in value}
        return wanted <= {r.inputs.get("workspaceId") for r in resources
                          if r.type == "azure-native:monitor:DiagnosticSetting"}
    if interface == "private_endpoints":
        wanted = {endpoint.subnet_id for endpoint in value}
        return wanted <= {(r.inputs.get("subnet") or {}).get("id") for r in resources
                          if r.type == "azure-native:network:PrivateEndpoint"}
    if interface == "managed_identities":
        return all(any(identity in str((r.inputs.get("identity") or {}).get("userAssignedIdentities"))
                       for r in resources) for identity in value.user_assigned_resource_ids)
    return any(r.protect for r in resources if not r.type.startswith("amsterdam:"))  # protect


@pytest.fixture
def conforms(plan_inline):
    """`conforms(Component, make_args)`: the component honours exactly the interfaces its args declare. With every
    declared one given (the args' own value where they already carry one), each is applied on the plan; each other
    one is refused when the args are built, naming the args, the interface and the reason. The args are made in the
    program, so they may point at resources made there (`setup`, e.g. a subnet the component reads)."""
    from dataclasses import replace

    from amsterdam_cloud.components.interfaces import INTERFACES, InterfaceError

    def check(component: type, make_args, setup=None) -> None:
        given: dict = {}
        refused: dict[str, str] = {}

        def program() -> None:
            made = setup() if setup is not None else None
            base = make_args(made) if setup is not None else make_args()
            declared, values = type(base).SUPPORTS, conformance_values()
            given.update({interface: getattr(base, interface) or values[interface]
                          for interface in INTERFACES if interface in declared.honoured})
            for interface in INTERFACES:
                if interface not in declared.honoured:
                    try:
                        replace(base, **{interface: values[interface]})
                        refused[interface] = "accepted"
                    except InterfaceError as error:
                        refused[interface] = str(error)
            component("cf", replace(base, **given))

        plan = plan_inline(program)
        missing = [interface for interface, value in given.items() if not _applied(plan, interface, value)]
        assert not missing, f"{component.__name__} declares {', '.join(missing)} but does not apply it"
        for interface, message in refused.items():
            assert re.match(rf"^\w+Args\.{interface}: \w+ does not honour it: .+; leave {interface} unset$", message), \
                f"{component.__name__}: {interface} is not refused as the contract says: {message}"
    return check
