"""What the workplace component tests share: the workplace spoke's subnets, the hub's zones, groups, an image."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import PrivateEndpoint
from amsterdam_cloud.components.workplace.session_hosts import SessionHostImage, VaultRef

RG = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups"
HOST_SUBNET = f"{RG}/rg-spoke/providers/Microsoft.Network/virtualNetworks/workplace/subnets/hosts"
ENDPOINT_SUBNET = f"{RG}/rg-spoke/providers/Microsoft.Network/virtualNetworks/workplace/subnets/endpoints"
SCRIPT_SUBNET = f"{RG}/rg-spoke/providers/Microsoft.Network/virtualNetworks/workplace/subnets/scripts"
ZONES = {zone: f"{RG}/rg-hub/providers/Microsoft.Network/privateDnsZones/{zone}"
         for zone in ("privatelink.wvd.microsoft.com", "privatelink.file.core.windows.net",
                      "privatelink.vaultcore.azure.net")}
USERS = "7d1e0c52-0000-4000-8000-000000001001"
ADMINS = "7d1e0c52-0000-4000-8000-000000001002"
AVD_SERVICE_PRINCIPAL = "5e3a1b9c-0000-4000-8000-000000000001"
IMAGE = SessionHostImage(publisher="MicrosoftWindowsDesktop", offer="office-365", sku="win11-24h2-avd-m365")


def endpoint(zone: str) -> tuple[PrivateEndpoint, ...]:
    return (PrivateEndpoint(subnet_id=ENDPOINT_SUBNET, private_dns_zone_ids=(ZONES[zone],)),)


@pytest.fixture
def vault() -> VaultRef:
    return VaultRef(name="avd-kv", resource_group_name="rg-hosts")
