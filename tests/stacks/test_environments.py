"""What differs between environments, and that it differs only through config: dev is cheap and deletable,
acc and prod are locked and protected, prod is zone-redundant and keeps logs a year."""

from __future__ import annotations

import pytest

from amsterdam_cloud.stacks.config import load

pytestmark = pytest.mark.slow

LOCK = "azure-native:authorization:ManagementLockByScope"
ZONAL = ("AzureFirewall", "PublicIPAddress", "BastionHost")


def _retention(plan) -> int:
    [workspace] = plan.of_type("azure-native:operationalinsights:Workspace")
    return workspace.inputs["retentionInDays"]


@pytest.mark.parametrize("stack", ["dev", "test", "acc", "prod"])
def test_log_retention_follows_the_stack_config(stack_plan, stack):
    assert _retention(stack_plan(stack)) == load(stack).log_retention_days


def test_prod_keeps_logs_for_a_year(stack_plan):
    assert _retention(stack_plan("prod")) == 365


@pytest.mark.parametrize("stack", ["dev", "test"])
def test_dev_and_test_have_no_locks_and_nothing_protected(stack_plan, stack):
    plan = stack_plan(stack)
    assert plan.of_type(LOCK) == []
    assert [r.name for r in plan.resources if r.protect] == []


@pytest.mark.parametrize("stack", ["acc", "prod"])
def test_acc_and_prod_lock_the_shared_resources_but_not_dns_zones_and_protect_the_stateful_ones(stack_plan, stack):
    plan = stack_plan(stack)
    locked = {lock.inputs["scope"] for lock in plan.of_type(LOCK)}
    shared = [plan.named(n) for n in ("hub-vnet", "hub-fw-firewall", "hub-fw-policy", "management-workspace",
                                      "platform-kv-vault", "registry-registry", "vm-operations-vault")] + \
        [zone for zone in plan.of_type("azure-native:privatedns:PrivateZone")
         if zone.outputs["name"].startswith("privatelink.")]  # the private-link zones (not an environment's own)
    assert {r.id for r in shared} <= locked
    # Never the private-link zones: a lock blocks the record clean-up when a private endpoint is removed.
    assert not locked & {zone.id for zone in plan.of_type("azure-native:privatedns:PrivateZone")}
    assert {r.name for r in plan.resources if r.protect} == {"management-workspace", "platform-kv-vault",
                                                             "registry-registry", "flow-logs-st-account",
                                                             "certs-kv-vault", "vm-operations-vault"}


def test_only_prod_is_zone_redundant(stack_plan):
    for stack, zoned in (("dev", False), ("acc", False), ("prod", True)):
        plan = stack_plan(stack)
        resources = [r for t in ZONAL for r in plan.of_type(f"azure-native:network:{t}")]
        assert resources and all((r.inputs.get("zones") == ["1", "2", "3"]) is zoned for r in resources), stack


def test_firewall_tier_follows_the_premium_switch(stack_plan):
    for stack in ("dev", "prod"):
        [policy] = stack_plan(stack).of_type("azure-native:network:FirewallPolicy")
        expected = "Premium" if load(stack).features.firewall_premium else "Standard"
        assert policy.inputs["sku"]["tier"] == expected


def test_environments_use_their_own_address_block(stack_plan):
    hubs = {stack: stack_plan(stack).named("hub-vnet").inputs["addressSpace"]["addressPrefixes"][0]
            for stack in ("dev", "test", "acc", "prod")}
    assert hubs == {stack: load(stack).network.hub for stack in hubs}
    assert len(set(hubs.values())) == 4


def test_budget_and_thresholds_follow_the_stack_config(stack_plan):
    for stack in ("dev", "prod"):
        [budget] = stack_plan(stack).of_type("azure-native:consumption:Budget")
        config = load(stack)
        assert budget.inputs["amount"] == config.budget_monthly_eur
        actual = sorted(n["threshold"] for n in budget.inputs["notifications"].values()
                        if n["thresholdType"] == "Actual")
        assert actual == list(config.budget_alert_thresholds)


def test_dev_and_prod_have_the_same_shape_apart_from_locks(stack_plan):
    def shape(stack):
        return sorted((r.type, r.name) for r in stack_plan(stack).resources
                      if r.type not in (LOCK, "pulumi:pulumi:Stack"))
    assert shape("dev") == shape("prod")


def test_components_never_branch_on_the_environment_name():
    from pathlib import Path

    import amsterdam_cloud.components as components

    offenders = [str(path) for path in Path(components.__path__[0]).rglob("*.py")
                 if any(word in path.read_text() for word in ('== "prod"', "== 'prod'", 'environment ==', 'env =='))]
    assert offenders == []
