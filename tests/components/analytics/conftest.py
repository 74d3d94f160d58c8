"""Fixtures the analytics component tests share: the platform's subnet, zones and registry, as ids."""

from __future__ import annotations

import pytest

SUBSCRIPTION = "00000001-0000-4000-8000-000000000001"
NETWORK = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-spoke/providers/Microsoft.Network"
ZONES = ("privatelink.blob.core.windows.net", "privatelink.dfs.core.windows.net", "privatelink.file.core.windows.net",
         "privatelink.vaultcore.azure.net", "privatelink.azurecr.io", "privatelink.api.azureml.ms",
         "privatelink.notebooks.azure.net", "privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com")


@pytest.fixture
def subnet_id() -> str:
    return f"{NETWORK}/virtualNetworks/spoke-analytics/subnets/endpoints"


@pytest.fixture
def zone_ids() -> dict[str, str]:
    return {zone: f"{NETWORK}/privateDnsZones/{zone}" for zone in ZONES}


@pytest.fixture
def registry_id() -> str:
    return (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/"
            "registries/acramsterdamdev")
