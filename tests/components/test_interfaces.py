"""The shared interfaces: validation of each interface, and the helper that creates them as children of a component."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pytest
from pulumi_azure_native import network

from amsterdam_cloud.components.interfaces import (
    NO_DIAGNOSTICS, CommonArgs, DiagnosticSettings, DiagnosticSupport, InterfaceError, Lock, ManagedIdentities,
    PrivateEndpoint, RoleAssignment, WithInterfaces, supports)
from amsterdam_cloud.core.errors import UserError

TAGS = {"owner": "cloud-platform@amsterdam.nl", "cost-center": "CC-4120", "environment": "dev",
        "data-classification": "BBN2", "application": "landing-zone"}
WORKSPACE = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/mgmt/providers/"
             "Microsoft.OperationalInsights/workspaces/logs")
ZONE = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/dns/providers/Microsoft.Network/"
        "privateDnsZones/privatelink.vaultcore.azure.net")
SUBNET = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/net/providers/Microsoft.Network/"
          "virtualNetworks/spoke/subnets/endpoints")
PRINCIPAL = "0f0e0d0c-0000-4000-8000-000000000042"


class _Probe(WithInterfaces, pulumi.ComponentResource):
    """A minimal component: one route table as its main resource, with every interface applied."""

    def __init__(self, name: str, args: CommonArgs, support: DiagnosticSupport = DiagnosticSupport(),
                 group_id: str | None = "vault") -> None:
        super().__init__("amsterdam:test:Probe", name, None, None)
        table = network.RouteTable(f"{name}-main", resource_group_name="rg", tags=dict(args.tags),
                                   opts=self.child_options(args, stateful=True))
        self.interfaces = self.add_interfaces(name, scope_id=table.id, args=args, diagnostics=support,
                                              private_endpoint_group_id=group_id, resource_group_name="rg",
                                              location="westeurope")
        self.resource_id, self.name = table.id, table.name
        self.register_outputs({"resource_id": self.resource_id, "name": self.name})


def _all_interfaces(**overrides) -> CommonArgs:
    values = dict(
        tags=TAGS, lock=Lock(), role_assignments=(RoleAssignment(role="Reader", principal_id=PRINCIPAL),),
        diagnostic_settings=(DiagnosticSettings(workspace_id=WORKSPACE),),
        private_endpoints=(PrivateEndpoint(subnet_id=SUBNET, private_dns_zone_ids=(ZONE,)),), protect=True)
    values.update(overrides)
    return CommonArgs(**values)


def test_every_interface_becomes_a_child_of_the_component(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces()))
    component = plan.named("probe")
    for child in ("probe-lock", "probe-role-0", "probe-diag", "probe-pe"):
        assert plan.named(child).parent == component.urn
    assert plan.named("probe-pe-dns").parent == plan.named("probe-pe").urn


def test_extension_resources_point_at_the_main_resource(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces()))
    main_id = plan.named("probe-main").id
    assert plan.named("probe-lock").inputs["scope"] == main_id
    assert plan.named("probe-role-0").inputs["scope"] == main_id
    assert plan.named("probe-diag").inputs["resourceUri"] == main_id
    connection = plan.named("probe-pe").inputs["privateLinkServiceConnections"][0]
    assert connection["privateLinkServiceId"] == main_id and connection["groupIds"] == ["vault"]


def test_a_private_endpoint_inherits_the_components_lock(plan_inline):
    """Deleting the endpoint cuts the resource off its network as surely as deleting the resource."""
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces(lock=Lock(level="ReadOnly"))))
    lock = plan.named("probe-pe-lock")
    assert lock.inputs["scope"] == plan.named("probe-pe").id and lock.parent == plan.named("probe-pe").urn
    assert lock.inputs["level"] == "ReadOnly"


def test_an_unlocked_component_leaves_its_private_endpoints_unlocked(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces(lock=None)))
    assert not plan.of_type("azure-native:authorization:ManagementLockByScope")


def test_lock_defaults_to_can_not_delete(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces()))
    assert plan.named("probe-lock").inputs["level"] == "CanNotDelete"


def test_builtin_role_name_becomes_a_role_definition_id_in_the_scope_subscription(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces()))
    role = plan.named("probe-role-0").inputs
    assert role["roleDefinitionId"] == ("/subscriptions/00000001-0000-4000-8000-000000000001/providers/"
                                        "Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7")
    assert role["principalId"] == PRINCIPAL and role["principalType"] == "ServicePrincipal"


def test_diagnostic_setting_sends_all_logs_and_metrics_to_the_workspace(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces()))
    setting = plan.named("probe-diag").inputs
    assert setting["workspaceId"] == WORKSPACE
    assert setting["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]
    assert setting["metrics"] == [{"category": "AllMetrics", "enabled": True}]
    assert setting["logAnalyticsDestinationType"] == "Dedicated"


def test_diagnostic_setting_leaves_out_metrics_the_resource_does_not_have(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces(), support=DiagnosticSupport(metrics=False)))
    assert "metrics" not in plan.named("probe-diag").inputs


def test_diagnostic_settings_on_a_resource_without_diagnostics_are_an_error(plan_inline):
    with pytest.raises(UserError, match="diagnostic_settings"):
        plan_inline(lambda: _Probe("probe", _all_interfaces(), support=NO_DIAGNOSTICS))


def test_private_endpoint_on_a_resource_without_private_link_is_an_error(plan_inline):
    with pytest.raises(UserError, match="private_endpoints"):
        plan_inline(lambda: _Probe("probe", _all_interfaces(), group_id=None))


def test_private_endpoint_registers_in_the_given_dns_zone(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces()))
    group = plan.named("probe-pe-dns").inputs
    assert [config["privateDnsZoneId"] for config in group["privateDnsZoneConfigs"]] == [ZONE]
    assert plan.named("probe-pe").inputs["subnet"]["id"] == SUBNET
    assert plan.named("probe-pe").inputs["tags"] == TAGS


def test_protect_applies_to_the_stateful_resource_only(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces()))
    assert plan.named("probe-main").protect is True
    assert plan.named("probe-diag").protect is False


def test_no_interfaces_create_no_extension_resources(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", CommonArgs(tags=TAGS)))
    assert {r.type for r in plan.resources} == {"pulumi:pulumi:Stack", "amsterdam:test:Probe",
                                                "azure-native:network:RouteTable"}


def test_unknown_lock_level_is_rejected():
    with pytest.raises(InterfaceError, match="Lock.level"):
        Lock(level="DoNotTouch")


def test_unknown_role_name_is_rejected():
    with pytest.raises(InterfaceError, match="RoleAssignment.role"):
        RoleAssignment(role="Superuser", principal_id=PRINCIPAL)


def test_principal_id_that_is_not_a_guid_is_rejected():
    with pytest.raises(InterfaceError, match="principal_id"):
        RoleAssignment(role="Reader", principal_id="alice@amsterdam.nl")


def test_workspace_id_of_another_resource_type_is_rejected():
    with pytest.raises(InterfaceError, match="workspace_id"):
        DiagnosticSettings(workspace_id=SUBNET)


def test_private_endpoint_without_dns_zone_is_rejected():
    with pytest.raises(InterfaceError, match="private_dns_zone_ids"):
        PrivateEndpoint(subnet_id=SUBNET, private_dns_zone_ids=())


def test_tags_that_are_not_text_are_rejected():
    with pytest.raises(InterfaceError, match="tags"):
        CommonArgs(tags={"environment": 3})


def test_interfaces_given_as_a_list_are_rejected():
    with pytest.raises(InterfaceError, match="role_assignments"):
        CommonArgs(tags=TAGS, role_assignments=[RoleAssignment(role="Reader", principal_id=PRINCIPAL)])


def test_managed_identities_combine_system_and_user_assigned():
    identity = ManagedIdentities(system_assigned=True, user_assigned_resource_ids=("/id/1",)).as_identity()
    assert identity == {"type": "SystemAssigned, UserAssigned", "user_assigned_identities": ["/id/1"]}


def test_no_managed_identity_means_no_identity_input():
    assert ManagedIdentities().as_identity() is None


def test_interfaces_never_create_what_they_point_at(plan_inline):
    plan = plan_inline(lambda: _Probe("probe", _all_interfaces()))
    created = {r.type for r in plan.resources}
    for pointed_at in ("azure-native:operationalinsights:Workspace", "azure-native:network:Subnet",
                       "azure-native:privatedns:PrivateZone", "azure-native:managedidentity:UserAssignedIdentity"):
        assert pointed_at not in created


def test_a_role_assignment_without_a_principal_type_omits_it_instead_of_azure_natives_default_user(plan_inline):
    assignment = RoleAssignment(role="Reader", principal_id="00000000-0000-4000-8000-000000000009",
                                principal_type=None)
    plan = plan_inline(lambda: _Probe("probe", CommonArgs(tags=TAGS, role_assignments=(assignment,))))
    (created,) = plan.of_type("azure-native:authorization:RoleAssignment")
    assert "principalType" not in created.inputs  # not the SDK's 'User': ARM then accepts any principal


def test_a_private_endpoint_whose_zone_group_the_policy_writes_takes_no_zone_ids():
    assert PrivateEndpoint(subnet_id=SUBNET, private_dns_zone_ids=(), dns_by_policy=True).dns_by_policy
    with pytest.raises(InterfaceError, match="dns_by_policy"):
        PrivateEndpoint(subnet_id=SUBNET, private_dns_zone_ids=(ZONE,), dns_by_policy=True)


# ---------------------------------------------------------------------------------------------------------------
# The contract: each component declares the interfaces it honours; `conforms` (tests/components/conftest.py) checks
# one component, and every component's test module runs it.


def _component_args() -> dict[str, type]:
    """Every component's args class, by component name (an args class without a component of its own, such as a
    shared base, is left to its subclasses)."""
    import importlib
    import pkgutil

    import amsterdam_cloud.components as package

    modules = {info.name: importlib.import_module(info.name)
               for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")}

    def subclasses(base: type):
        for cls in base.__subclasses__():
            yield cls
            yield from subclasses(cls)

    return {cls.__name__.removesuffix("Args"): cls for cls in subclasses(CommonArgs)
            if cls.__module__ in modules and hasattr(modules[cls.__module__], cls.__name__.removesuffix("Args"))}


def test_every_component_runs_the_interface_conformance_check():
    import re
    from pathlib import Path

    checked = {match for path in Path(__file__).parent.rglob("test_*.py")
               for match in re.findall(r"\bconforms\((?:\w+\.)?(\w+),", path.read_text(encoding="utf-8"))}
    components = _component_args()
    assert len(components) >= 40
    assert sorted(set(components) - checked) == [], "components without `conforms(Component, make_args)` in their tests"


def test_every_interface_a_component_does_not_honour_has_a_reason():
    from amsterdam_cloud.components.interfaces import INTERFACES

    for name, args in _component_args().items():
        declared = args.SUPPORTS
        assert set(declared.reasons) == set(INTERFACES) - declared.honoured, name
        assert all(len(reason) > 20 for reason in declared.reasons.values()), name


@dataclass(frozen=True, kw_only=True)
class _LiarArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "managed_identities",
                        reason="a route table has no logs and no private link", protect="a route table holds no state")


class _Liar(WithInterfaces, pulumi.ComponentResource):
    """A component whose args claim managed identities it never applies: what the contract exists to catch."""

    def __init__(self, name: str, args: CommonArgs) -> None:
        super().__init__("amsterdam:test:Liar", name, None, None)
        table = network.RouteTable(f"{name}-main", resource_group_name="rg", tags=dict(args.tags),
                                   opts=self.child_options(args))
        self.add_interfaces(name, scope_id=table.id, args=args, diagnostics=NO_DIAGNOSTICS)
        self.register_outputs({})


def test_the_conformance_check_catches_a_declared_interface_that_is_not_applied(conforms):
    with pytest.raises(AssertionError, match="_Liar declares managed_identities but does not apply it"):
        conforms(_Liar, lambda: _LiarArgs(tags=TAGS))


def test_an_interface_that_is_not_honoured_is_refused_with_the_components_reason():
    with pytest.raises(InterfaceError, match=r"^_LiarArgs\.protect: _Liar does not honour it: a route table holds "
                                             r"no state; leave protect unset$"):
        _LiarArgs(tags=TAGS, protect=True)


def test_an_args_class_without_a_declaration_is_refused_when_it_is_defined():
    with pytest.raises(TypeError, match="declare the interfaces the component honours"):
        class Undeclared(CommonArgs):
            pass
