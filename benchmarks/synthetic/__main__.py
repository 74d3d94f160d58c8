"""A synthetic Pulumi program of N azure-native resources (config `synthetic:resources`), shaped like a platform.

Groups of five: a virtual network, a network security group with a rule, a subnet that uses both, a storage
account and a Log Analytics workspace, all in one resource group; references between them give dependencies.
With `synthetic:platform` (a StackReference name, as an app's stack names its platform) the resource group is
tagged with the referenced stack's `resourceGroup` output, so the stack depends on it like an app on its platform.
`synthetic:label`, when set, is exported as `label`; with `synthetic:dated` true the program reads the date (the
month a budget would start in, exported as `month`), as a program with a budget does.
"""

import pulumi
from pulumi_azure_native import network, operationalinsights, resources, storage

from amsterdam_cloud.core import budgets

config = pulumi.Config("synthetic")
count = int(config.require("resources"))
tags = {"owner": "bench@amsterdam.nl"}
if config.get("platform"):
    tags["platform"] = pulumi.StackReference(config.require("platform")).require_output("resourceGroup")
group = resources.ResourceGroup("bench", location="westeurope", tags=tags)
for index in range((count - 1) // 5):
    second, third = divmod(index, 250)
    vnet = network.VirtualNetwork(
        f"vnet-{index}", resource_group_name=group.name,
        address_space={"address_prefixes": [f"10.{second}.{third}.0/24"]}, tags={"index": str(index)})
    nsg = network.NetworkSecurityGroup(
        f"nsg-{index}", resource_group_name=group.name,
        security_rules=[{"name": "deny-internet", "priority": 4096, "direction": "Inbound", "access": "Deny",
                         "protocol": "*", "source_address_prefix": "Internet", "source_port_range": "*",
                         "destination_address_prefix": "*", "destination_port_range": "*"}])
    network.Subnet(
        f"snet-{index}", resource_group_name=group.name, virtual_network_name=vnet.name,
        address_prefix=f"10.{second}.{third}.0/26", network_security_group={"id": nsg.id},
        default_outbound_access=False)
    storage.StorageAccount(
        f"st{index}", resource_group_name=group.name, kind="StorageV2", sku={"name": "Standard_ZRS"},
        minimum_tls_version="TLS1_2", allow_blob_public_access=False, allow_shared_key_access=False,
        enable_https_traffic_only=True, public_network_access="Disabled")
    operationalinsights.Workspace(
        f"log-{index}", resource_group_name=group.name, retention_in_days=30, sku={"name": "PerGB2018"})
pulumi.export("resourceGroup", group.name)
if config.get("label"):  # an output a benchmark can change without touching the resources
    pulumi.export("label", config.get("label"))
if config.get_bool("dated"):  # a plan that depends on the day
    pulumi.export("month", budgets.first_of_month(budgets.this_month()))
