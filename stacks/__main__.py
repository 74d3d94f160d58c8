"""The city's platform program: read the typed stack config once, compose the landing zone, export what others need."""

import pulumi
from pulumi_azure_native import network, operationalinsights, resources

from amsterdam_cloud.stacks.config import from_pulumi

config = from_pulumi()
tags = config.azure_tags

group = resources.ResourceGroup("platform", location=config.location, tags=tags)
workspace = operationalinsights.Workspace(
    "logs", resource_group_name=group.name, retention_in_days=config.log_retention_days,
    sku={"name": "PerGB2018"}, tags=tags)
hub = network.VirtualNetwork(
    "hub", resource_group_name=group.name, address_space={"address_prefixes": [config.network.hub]}, tags=tags)

pulumi.export("resourceGroupName", group.name)
pulumi.export("workspaceId", workspace.id)
pulumi.export("hubId", hub.id)
