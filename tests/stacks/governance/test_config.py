"""The governance stack's config: valid as committed, and each mistake stops with the file, the key and the fix."""

from __future__ import annotations

import datetime as dt

import pytest

from amsterdam_cloud.stacks.config import ConfigError, read_stack_file
from amsterdam_cloud.stacks.governance.config import STACKS_DIR, governs_subscription, load, parse

TODAY = dt.date(2026, 12, 2)
SOURCE = "stacks/governance/Pulumi.prod.yaml"


def raw(**changes) -> dict:
    config = read_stack_file(STACKS_DIR / "Pulumi.prod.yaml")
    config.update({f"amsterdam-governance:{key}": value for key, value in changes.items()})
    return config


def test_the_committed_stack_is_valid_and_places_every_environment():
    config = load("prod", TODAY)

    assert config.subscriptions["corp"] == tuple(f"0000000{n}-0000-4000-8000-00000000000{n}" for n in (1, 2, 3, 4))
    assert config.location == "westeurope"
    assert config.enforce is True


@pytest.mark.parametrize(("changes", "key", "problem"), [
    ({"subscriptions": {"corp": ["00000001-0000-4000-8000-000000000001"],
                        "online": ["00000001-0000-4000-8000-000000000001"]}},
     "amsterdam-governance:subscriptions.online[0]", "also placed in corp"),
    ({"subscriptions": {"apps": []}}, "amsterdam-governance:subscriptions.apps", "not a management group"),
    ({"subscriptions": {"corp": ["dev"]}}, "amsterdam-governance:subscriptions.corp[0]", "subscription id"),
    ({"subscriptions": {"corp": ["00000001-0000-4000-8000-000000000001\n"]}},
     "amsterdam-governance:subscriptions.corp[0]", "expected a subscription id (GUID)"),
    ({"location": "uksouth"}, "amsterdam-governance:location", "'uksouth' is outside the EU; expected one of"),
    ({"privateDnsZoneIds": {"blob": "/subscriptions/x/zone"}}, "amsterdam-governance:privateDnsZoneIds",
     "unknown key"),
    ({"workspaceId": "log-amsterdam-prod"}, "amsterdam-governance:workspaceId", "workspace's resource id"),
    ({"enfore": True}, "amsterdam-governance:enfore", "unknown key"),
    ({"rbac": {"auditors": "5d1f0a7e-0000-4000-8000-0000000000a2"}}, "amsterdam-governance:rbac.breakGlass",
     "required key is missing"),
    ({"rbac": {"platformOperators": "ops@amsterdam.nl", "auditors": "5d1f0a7e-0000-4000-8000-0000000000a2",
               "breakGlass": "5d1f0a7e-0000-4000-8000-0000000000a3"}}, "amsterdam-governance:rbac.platformOperators",
     "object id"),
    ({"sandboxBudgetMonthlyEur": 0}, "amsterdam-governance:sandboxBudgetMonthlyEur", ""),
])
def test_a_config_mistake_names_the_file_and_the_key(changes, key, problem):
    with pytest.raises(ConfigError) as error:
        parse(raw(**changes), SOURCE, "prod", None, TODAY)

    assert (error.value.source, error.value.key) == (SOURCE, key)
    assert problem in error.value.problem


def test_a_stack_per_environment_is_refused():
    with pytest.raises(ConfigError, match="one stack for the tenant, 'prod'"):
        parse(raw(), "stacks/governance/Pulumi.dev.yaml", "dev", None, TODAY)


@pytest.mark.parametrize(("resource", "allowed"), [
    ("/providers/Microsoft.Management/managementGroups/amsterdam-corp", True),
    ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-legacy", True),  # placed in corp
    ("/providers/Microsoft.Management/managementGroups/amsterdam-sandbox", False),
    ("/subscriptions/00000009-0000-4000-8000-000000000009", False),  # placed in connectivity
])
def test_an_exemption_outside_its_assignments_group_stops_the_plan(resource, allowed):
    raw = read_stack_file(STACKS_DIR / "Pulumi.prod.yaml")
    document = {"waivers": [{"rule": "dns-vault", "resource": resource, "stack": "prod", "reason": "r",
                             "owner": "cloud-platform@amsterdam.nl", "ticket": "C-1", "expires": "2027-06-30"}]}
    if allowed:
        assert parse(raw, "s", "prod", document, dt.date(2026, 12, 2)).exemptions
    else:
        with pytest.raises(ConfigError, match=r"waivers\[0\]\.resource: .* is not under amsterdam-landingzones"):
            parse(raw, "s", "prod", document, dt.date(2026, 12, 2))


def _tenant_file(tmp_path, subscriptions: str):
    (tmp_path / "Pulumi.prod.yaml").write_text(f"config:\n  amsterdam-governance:subscriptions: {subscriptions}\n",
                                               encoding="utf-8")
    return tmp_path


def test_a_platform_subscription_is_governed_only_where_the_tenant_file_places_it_in_corp_or_online(tmp_path):
    acc, dev = "00000003-0000-4000-8000-000000000003", "00000001-0000-4000-8000-000000000001"
    stacks_dir = _tenant_file(tmp_path, f"{{corp: [{dev}], connectivity: [{acc}]}}")

    assert governs_subscription(dev, stacks_dir)
    assert governs_subscription(dev.upper(), stacks_dir)
    assert not governs_subscription(acc, stacks_dir)  # placed, but not where the landing-zone rules hold
    assert not governs_subscription("00000005-0000-4000-8000-000000000005", stacks_dir)  # placed nowhere


def test_the_committed_platform_subscriptions_are_all_governed_by_the_management_groups():
    for environment in ("dev", "test", "acc", "prod"):
        subscription = read_stack_file(STACKS_DIR.parent / f"Pulumi.{environment}.yaml")["amsterdam-platform:subscriptionId"]
        assert governs_subscription(subscription), environment
