"""The session hosts' agents report through the platform's AMPLS: the AVD Insights rule sends through the platform's
data collection endpoint, and every host fetches its rules from it (`configurationAccessEndpoint`)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_hosts_send_and_fetch_rules_through_the_platforms_data_collection_endpoint(workplace_plan, stack_plan,
                                                                                   stack):
    plan, endpoint = workplace_plan(stack), stack_plan(stack).stack_outputs["dataCollectionEndpointId"]
    [rule] = plan.of_type("azure-native:monitor:DataCollectionRule")
    assert rule.inputs["dataCollectionEndpointId"] == endpoint
    vms = {vm.id for vm in plan.of_type("azure-native:compute:VirtualMachine")}
    config_access = {a.inputs["resourceUri"]: a.inputs["dataCollectionEndpointId"]
                     for a in plan.of_type("azure-native:monitor:DataCollectionRuleAssociation")
                     if a.inputs["associationName"] == "configurationAccessEndpoint"}
    assert vms and config_access == {vm: endpoint for vm in vms}
