"""Function apps under mocks: the shared interfaces they declare (their plans are tested through App)."""

from __future__ import annotations

from amsterdam_cloud.components.app_hosting.function_app import FunctionApps, FunctionAppsArgs, FunctionGroupArgs

RG = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-app/providers"
SUBNET = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/" \
         "virtualNetworks/apps/subnets/containers"
IDENTITY = RG + "/Microsoft.ManagedIdentity/userAssignedIdentities/id-parkeer-dev"


def test_they_honour_the_interfaces_they_declare_and_refuse_the_others(conforms, tags):
    conforms(FunctionApps, lambda: FunctionAppsArgs(
        tags=tags, resource_group_name="rg-app", location="westeurope",
        groups=(FunctionGroupArgs(name="api", stack="PYTHON|3.12", triggers=("http",)),),
        site_name_prefix="func-parkeer-dev-abc123", integration_subnet_id=SUBNET, identity_id=IDENTITY,
        identity_client_id="0f0e0d0c-0000-4000-8000-0000000000c1", storage_account_name="fnparkeerdevabc123"))
