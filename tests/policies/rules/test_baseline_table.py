"""The baseline rules' fixtures as a table (they began as behaviour tests): per rule a compliant resource and the
mutations that break it, one violation each, judged as in prod."""

import pytest

from tests.policies.rule_fixtures import city_tags, violations
from amsterdam_cloud.policies.rules import RULES_BY_ID

TAGS = city_tags("prod")
AI_ACCOUNT = "azure-native:cognitiveservices:Account"
NSG_RULE = {"name": "https", "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "sourceAddressPrefix": "Internet", "destinationPortRange": "443"}


def nsg(**change):
    return {"securityRules": [{**NSG_RULE, **change}]}


# rule id: (compliant inputs, [violating inputs, one mutation each], the type judged (None: the rule's first))
FIXTURES = {
    "database-secure-transport": ({"configurationName": "require_secure_transport", "value": "ON"}, [
        {"configurationName": "require_secure_transport", "value": "OFF"},
        {"configurationName": "ssl_min_protocol_version", "value": "TLSv1.1"},
        {"configurationName": "tls_version", "value": "TLSv1.1,TLSv1.2"}], None),
    "network-no-ip-forwarding": ({"enableIPForwarding": False}, [{"enableIPForwarding": True}], None),
    "network-nic-no-public-ip": ({"ipConfigurations": [{"name": "ip", "subnet": {"id": "s"}}]}, [
        {"ipConfigurations": [{"name": "ip", "publicIPAddress": {"id": "p"}}]}], None),
    "network-nsg-no-admin-ports-from-internet": (nsg(), [nsg(destinationPortRange="22"),
                                                         nsg(destinationPortRanges=["3389"])], None),
    "network-nsg-no-all-ports-from-internet": (nsg(), [nsg(destinationPortRange="*"),
                                                       nsg(sourceAddressPrefix="*", destinationPortRange="0-65535")],
                                               None),
    "network-subnet-has-nsg": ({"subnets": [{"name": "apps", "networkSecurityGroup": {"id": "nsg"}}]}, [
        {"subnets": [{"name": "apps"}]}], "azure-native:network:VirtualNetwork"),
    "residency-ai-deployment-data-zone": ({"sku": {"name": "DataZoneStandard"}}, [
        {"sku": {"name": "GlobalStandard"}}, {}], None),
    "residency-allowed-location": ({"location": "westeurope"}, [{"location": "eastus"}, {"location": "uksouth"}],
                                   None),
    "residency-avd-metadata-location": ({"location": "westeurope"}, [{"location": "swedencentral"}, {}], None),
    "residency-communication-data-location": ({"dataLocation": "Europe"}, [{"dataLocation": "United States"}, {}],
                                              None),
    "residency-cosmosdb-replica-locations": ({"locations": [{"locationName": "westeurope"}]}, [
        {"locations": [{"locationName": "westeurope"}, {"locationName": "eastus"}]}], None),
    "residency-storage-no-cross-tenant-replication": ({"allowCrossTenantReplication": False}, [
        {"allowCrossTenantReplication": True}], None),
    "monitoring-log-retention": ({"retentionInDays": 365}, [{"retentionInDays": 30}, {}], None),
    "algorithm-register-id": ({"tags": {**TAGS, "algorithm-register-id": "90127461"}}, [{"tags": TAGS}], AI_ACCOUNT),
    "algorithm-register-id-registered": ({"tags": {**TAGS, "algorithm-register-id": "90127461"}}, [
        {"tags": {**TAGS, "algorithm-register-id": "00000000"}}], AI_ACCOUNT),
    "tags-data-classification-valid": ({"tags": TAGS}, [{"tags": {**TAGS, "data-classification": "geheim"}}], None),
    "tags-environment-matches": ({"tags": TAGS}, [{"tags": {**TAGS, "environment": "dev"}}], None),
    "tags-required": ({"tags": TAGS}, [{"tags": {**TAGS, "owner": " "}}, {}], None),
}
# Rules that judge where a resource is declared or how, not its inputs: (compliant, violating) as violations() options.
HUB = ("amsterdam:landingzone:Hub",)
PLATFORM_PROD = {"connectivityStacks": ["amsterdam-platform/prod"]}
BY_CONTEXT = {
    "network-public-ip-only-in-connectivity": ({"parents": HUB, **PLATFORM_PROD},
                                               {"parents": HUB, "project": "parkeer", **PLATFORM_PROD}),
    "stateful-protected-in-prod": ({"protect": True}, {"protect": False}),
}
CONTEXT_CASES = [(RULES_BY_ID[rule_id], good, bad) for rule_id, (good, bad) in BY_CONTEXT.items()]
CASES = [(RULES_BY_ID[rule_id], compliant, bad, token or RULES_BY_ID[rule_id].applies_to[0])
         for rule_id, (compliant, bads, token) in FIXTURES.items() if RULES_BY_ID[rule_id].applies_to for bad in bads]
CASES += [(RULES_BY_ID["residency-allowed-location"], *FIXTURES["residency-allowed-location"][:1], bad,
           "azure-native:resources:ResourceGroup") for bad in FIXTURES["residency-allowed-location"][1]]


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_compliant_fixture_passes(rule_id):
    compliant, _, token = FIXTURES[rule_id]
    assert violations(RULES_BY_ID[rule_id], compliant, token=token) == []


@pytest.mark.parametrize("rule,compliant,bad,token", CASES, ids=lambda v: getattr(v, "id", None))
def test_each_violating_fixture_is_one_violation(rule, compliant, bad, token):
    assert len(violations(rule, bad, token=token)) == 1


@pytest.mark.parametrize("rule,good,bad", CONTEXT_CASES, ids=lambda v: getattr(v, "id", ""))
def test_rules_judged_by_context_pass_in_the_compliant_one_and_fail_in_the_other(rule, good, bad):
    assert violations(rule, {}, **good) == []
    assert len(violations(rule, {}, **bad)) == 1
