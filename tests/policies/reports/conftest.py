"""One check result with violations of both levels, a waived finding and an expired waiver, for every renderer."""

import datetime as dt

import pytest
import yaml

from amsterdam_cloud.policies.checker import check_export
from tests.policies.rule_fixtures import city_tags, export_of, resource, urn_of

NSG = "azure-native:network:NetworkSecurityGroup"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("waivers") / "waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": [
        {"rule": "network-nsg-no-admin-ports-from-internet", "resource": urn_of("prod", NSG, "nsg"), "stack": "prod",
         "reason": "Break-glass <access> & review", "owner": "soc@amsterdam.nl", "ticket": "SEC-9",
         "approver": "ciso@amsterdam.nl", "approved": "2026-11-25", "expires": "2026-12-20"},
        {"rule": "tags-required", "resource": "urn:pulumi:prod::*", "stack": "prod", "reason": "Legacy import",
         "owner": "cloud-platform@amsterdam.nl", "approver": "ciso@amsterdam.nl", "ticket": "CLOUD-7",
         "approved": "2026-06-01", "expires": "2026-06-30"},
    ]}))
    nsg = resource(NSG, "nsg", {"location": "westeurope", "tags": city_tags(), "securityRules": [
        {"name": "ssh", "direction": "Inbound", "access": "Allow", "sourceAddressPrefix": "*",
         "destinationPortRange": "22"}]})
    storage = resource("azure-native:storage:StorageAccount", "data", {"location": "uksouth", "tags": {}})
    return check_export(export_of(nsg, storage), environment="prod", waivers_path=path, today=dt.date(2026, 11, 28),
                        source="plan.json")
