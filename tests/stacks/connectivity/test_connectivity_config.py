"""The connectivity stack's config: valid as committed, and each mistake stops with the file, the key and the fix."""

from __future__ import annotations

from dataclasses import replace

import pytest

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.stacks import config as platform_config
from amsterdam_cloud.stacks.config import ConfigError, SecretValue, read_stack_file
from amsterdam_cloud.stacks.connectivity.config import STACKS_DIR, Environment, environments, load, parse

SOURCE = "stacks/connectivity/Pulumi.prod.yaml"
P = "amsterdam-connectivity"


def raw(remove: tuple[str, ...] = (), **changes) -> dict:
    config = read_stack_file(STACKS_DIR / "Pulumi.prod.yaml")
    config.update({f"{P}:{key}": value for key, value in changes.items()})
    for key in remove:
        del config[f"{P}:{key}"]
    return config


SANDBOX = Environment(block="192.168.0.0/16", subscription_id="0000000a-0000-4000-8000-00000000000a",
                      connectivity=None)


def error_of_known(config: dict, known: dict) -> ConfigError:
    with pytest.raises(ConfigError) as error:
        parse(config, SOURCE, "prod", known=known)
    return error.value


def error_of(config: dict, stack: str = "prod") -> ConfigError:
    with pytest.raises(ConfigError) as error:
        parse(config, SOURCE, stack)
    return error.value


def test_the_committed_stack_enables_site_to_site_point_to_site_and_the_agents():
    config = load()
    assert config.site_to_site.address_spaces == ("172.16.0.0/16",)
    assert config.point_to_site.client_address_pool == "10.0.8.0/24"
    assert config.express_route is None
    assert config.ci_agents.maximum_concurrency == 4
    assert config.ref.virtual_network_id.endswith("/resourceGroups/rg-connectivity-prod/providers/"
                                                  "Microsoft.Network/virtualNetworks/vnet-hub-prod")


@pytest.mark.parametrize(("changes", "remove", "key", "problem"), [
    ({}, ("vpnSharedKey",), f"{P}:vpnSharedKey", "required with siteToSite"),
    ({"siteToSite": {"gatewayIp": "10.1.1.1", "addressSpaces": ["172.16.0.0/16"]}}, (),
     f"{P}:siteToSite.gatewayIp", "private address"),
    ({"vpnSharedKey": "plain-text"}, (), f"{P}:vpnSharedKey", "must be a secret"),
    ({"pointToSite": {"clientAddressPool": "10.0.0.128/25"}}, (), f"{P}:pointToSite.clientAddressPool",
     "overlaps addressSpace"),
    ({"forwardedZones": {"amsterdam.local": ["dns1"]}}, (), f"{P}:forwardedZones.amsterdam.local[0]",
     "IPv4 address"),
    ({"ciAgents": {"organizationUrl": "https://github.com/amsterdam", "devOpsInfrastructurePrincipalId":
                   "0000000f-0000-4000-8000-00000000000f"}}, (), f"{P}:ciAgents.organizationUrl",
     "Azure DevOps organisation URL"),
    ({"expressRouteAuthorizationKey": SecretValue(value="x")}, (), f"{P}:expressRouteAuthorizationKey",
     "without expressRoute"),
    ({"gateway": True}, (), f"{P}:gateway", "unknown key"),
    ({"addressSpace": "10.0.0.0/26"}, (), f"{P}:addressSpace", "exhausted"),
    ({"addressSpace": "10.10.0.0/22"}, (), f"{P}:addressSpace",
     "overlaps environment dev's block (stacks/Pulumi.dev.yaml) (10.10.0.0/16)"),
    ({"pointToSite": {"clientAddressPool": "10.20.8.0/24"}}, (), f"{P}:pointToSite.clientAddressPool",
     "10.20.8.0/24 overlaps environment test's block (stacks/Pulumi.test.yaml) (10.20.0.0/16); expected a range "
     "outside every environment"),
    ({"siteToSite": {"gatewayIp": "145.12.1.10", "addressSpaces": ["172.16.0.0/16", "10.30.0.0/16"]}}, (),
     f"{P}:siteToSite.addressSpaces[1]", "overlaps environment acc's block (stacks/Pulumi.acc.yaml)"),
    ({"siteToSite": {"gatewayIp": "145.12.1.10", "addressSpaces": ["10.0.0.0/8"]}}, (),
     f"{P}:siteToSite.addressSpaces[0]", "overlaps environment dev's block"),
])
def test_a_mistake_names_the_key_and_the_fix(changes, remove, key, problem):
    error = error_of(raw(remove, **changes))
    assert (error.key, problem in error.problem) == (key, True), error.problem


def test_the_environments_blocks_come_from_their_validated_stack_files():
    with pytest.raises(ConfigError) as error:
        parse(raw(pointToSite={"clientAddressPool": "192.168.4.0/24"}), SOURCE, "prod", known={"sandbox": SANDBOX})
    assert "environment sandbox's block" in error.value.problem
    assert load().point_to_site.client_address_pool == "10.0.8.0/24"


def test_the_monitored_environments_workspace_and_endpoint_ids_are_derived_from_their_stack_files():
    monitored = {m.environment: m for m in load().monitored_environments}
    assert list(monitored) == list(ENVIRONMENTS)
    subscription = platform_config.load("acc").subscription_id
    assert monitored["acc"].workspace_id == (f"/subscriptions/{subscription}/resourceGroups/rg-amsterdam-management-"
                                             "acc/providers/Microsoft.OperationalInsights/workspaces/log-amsterdam-acc")
    assert monitored["acc"].endpoint_id.endswith("/rg-amsterdam-management-acc/providers/Microsoft.Insights/"
                                                 "dataCollectionEndpoints/dce-amsterdam-acc")


def test_an_environment_that_does_not_attach_to_this_hub_cannot_be_monitored_here():
    stand_alone = replace(environments()["test"], connectivity=None)
    error = error_of_known(raw(monitoredEnvironments=["dev", "test"]), {**environments(), "test": stand_alone})
    assert error.key == f"{P}:monitoredEnvironments[1]"
    assert "does not attach to this hub" in error.problem
    assert error_of(raw(monitoredEnvironments=["dev", "dev"])).key == f"{P}:monitoredEnvironments"
    assert "expected one of" in error_of(raw(monitoredEnvironments=["dev", "staging"])).problem


def test_the_green_field_first_run_needs_no_workspace_and_names_every_environment_pending():
    config = parse(raw(("workspaceId", "monitoredEnvironments"), pendingEnvironments=list(ENVIRONMENTS),
                       apps={"parkeer": {"team": "parkeren", "environments": [], "pending": list(ENVIRONMENTS)}}),
                   SOURCE, "prod")
    assert (config.workspace_id, config.monitored_environments, config.apps) == (None, (), ())


def test_an_attached_environment_neither_monitored_nor_pending_is_refused_since_it_would_ingest_nothing():
    error = error_of(raw(monitoredEnvironments=["dev", "test", "prod"]))
    assert error.key == f"{P}:monitoredEnvironments"
    assert "environment acc attaches to this hub" in error.problem and "pendingEnvironments" in error.problem
    assert parse(raw(monitoredEnvironments=["dev", "test", "prod"], pendingEnvironments=["acc"],
                     apps={"parkeer": {"team": "parkeren", "environments": ["dev", "test", "prod"],
                                       "pending": ["acc"]}}), SOURCE, "prod")
    assert error_of(raw(pendingEnvironments=["acc"])).key == f"{P}:pendingEnvironments"


def test_only_the_one_stack_for_the_city_exists():
    assert "one stack for the city" in error_of(raw(), stack="dev").problem


def test_the_shared_key_is_never_shown_in_a_message():
    config = raw(vpnSharedKey="plain-text")
    error = error_of(config)
    assert "plain-text" not in str(error)


def test_an_express_route_only_city_names_its_ranges_once_for_the_environments(monkeypatch, tmp_path):
    circuit = ("/subscriptions/00000009-0000-4000-8000-000000000009/resourceGroups/rg-er/providers/"
               "Microsoft.Network/expressRouteCircuits/er-amsterdam")
    er_only = raw(("siteToSite", "vpnSharedKey"), expressRoute={"circuitId": circuit})
    assert error_of(er_only).key == f"{P}:onPremisesAddressSpaces"
    config = parse({**er_only, f"{P}:onPremisesAddressSpaces": ["172.16.0.0/16"]}, SOURCE, "prod")
    assert config.express_route.circuit_id == circuit and config.site_to_site is None
    mismatch = raw(onPremisesAddressSpaces=["172.17.0.0/16"])
    assert "differs from siteToSite.addressSpaces" in error_of(mismatch).problem


def _team(**changes):
    from amsterdam_cloud.stacks.landing_zones.team_files import load_teams

    [parkeren] = load_teams()
    return replace(parkeren, **changes)


def test_an_apps_component_id_is_derived_in_its_teams_recorded_subscription_or_else_the_platforms():
    parkeren = _team()
    config = parse(raw(apps={"parkeer": {"team": "parkeren", "environments": ["dev", "prod"]},
                             "afval": {"environments": ["test"], "pending": ["acc"]}}), SOURCE, "prod",
                   teams=(parkeren,))
    ids = {(app.app, app.environment): app.component_id for app in config.apps}
    assert ids == {
        ("parkeer", "dev"): f"/subscriptions/{parkeren.subscriptions['dev']}/resourceGroups/rg-parkeer-dev/providers/"
                            "Microsoft.Insights/components/appi-parkeer-dev",
        ("parkeer", "prod"): f"/subscriptions/{parkeren.subscriptions['prod']}/resourceGroups/rg-parkeer-prod/"
                             "providers/Microsoft.Insights/components/appi-parkeer-prod",
        ("afval", "test"): f"/subscriptions/{platform_config.load('test').subscription_id}/resourceGroups/"
                           "rg-afval-test/providers/Microsoft.Insights/components/appi-afval-test"}


def test_a_team_app_in_an_environment_whose_subscription_is_not_recorded_waits_as_pending():
    unrecorded = _team(subscriptions={})
    with pytest.raises(ConfigError) as error:
        parse(raw(apps={"parkeer": {"team": "parkeren", "environments": ["dev"]}}), SOURCE, "prod",
              teams=(unrecorded,))
    assert error.value.key == f"{P}:apps.parkeer.environments"
    assert "environments.dev.subscriptionId is not recorded" in error.value.problem and "pending" in error.value.problem
    config = parse(raw(apps={"parkeer": {"team": "parkeren", "environments": [], "pending": ["dev"]}}), SOURCE,
                   "prod", teams=(unrecorded,))
    assert config.apps == ()


@pytest.mark.parametrize(("apps", "key", "problem"), [
    ({"Parkeer": {"environments": ["dev"]}}, f"{P}:apps.Parkeer", "not an app name"),
    ({"parkeer": {"environments": ["dev"], "pending": ["dev"]}}, f"{P}:apps.parkeer.pending", "also in environments"),
    ({"parkeer": {"team": "afval", "environments": ["dev"]}}, f"{P}:apps.parkeer.team", "no team 'afval'"),
    ({"parkeer": {"pending": ["dev"]}}, f"{P}:apps.parkeer.environments", "required key is missing"),
    ({"parkeer": {"environments": ["staging"]}}, f"{P}:apps.parkeer.environments[0]", "expected one of"),
    (["parkeer"], f"{P}:apps", "expected a mapping of app name"),
])
def test_an_app_list_mistake_names_the_key_and_the_fix(apps, key, problem):
    error = error_of(raw(apps=apps))
    assert (error.key, problem in error.problem) == (key, True), error.problem


def test_a_team_app_runs_on_the_platform_where_its_team_has_no_landing_zone_as_cityctl_vend_points_it():
    dev_and_prod = _team(ranges={"dev": "10.10.4.0/24", "prod": "10.40.4.0/24"})
    config = parse(raw(apps={"parkeer": {"team": "parkeren", "environments": ["dev", "test", "prod"]}}), SOURCE,
                   "prod", teams=(dev_and_prod,))
    subscriptions = {app.environment: app.component_id.split("/")[2] for app in config.apps}
    assert subscriptions == {"dev": dev_and_prod.subscriptions["dev"], "prod": dev_and_prod.subscriptions["prod"],
                             "test": platform_config.load("test").subscription_id}


def test_an_app_cannot_be_scoped_where_its_environment_is_pending_or_not_attached():
    error = error_of(raw(monitoredEnvironments=["dev", "test", "prod"], pendingEnvironments=["acc"],
                         apps={"parkeer": {"environments": ["acc"]}}))
    assert error.key == f"{P}:apps.parkeer.environments" and "list it under pending" in error.problem
    stand_alone = replace(environments()["test"], connectivity=None)
    error = error_of_known(raw(monitoredEnvironments=["dev", "acc", "prod"],
                               apps={"parkeer": {"environments": [], "pending": ["test"]}}),
                           {**environments(), "test": stand_alone})
    assert error.key == f"{P}:apps.parkeer.pending" and "does not attach to this hub" in error.problem
