"""Fixtures every component test shares: the city's tags, a workspace to send diagnostics to, an address plan."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import DiagnosticSettings
from amsterdam_cloud.components.landing_zone.address_plan import AddressPlan, SubnetRequest, plan

SUBSCRIPTION = "00000001-0000-4000-8000-000000000001"
TENANT = "9a1b2c3d-0000-4000-8000-000000000001"


@pytest.fixture
def tags() -> dict[str, str]:
    return {"owner": "cloud-platform@amsterdam.nl", "cost-center": "CC-4120", "environment": "dev",
            "data-classification": "BBN2", "application": "landing-zone"}


@pytest.fixture
def workspace_id() -> str:
    return (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-management/providers/"
            "Microsoft.OperationalInsights/workspaces/logs")


@pytest.fixture
def diagnostics(workspace_id: str) -> tuple[DiagnosticSettings, ...]:
    return (DiagnosticSettings(workspace_id=workspace_id),)


@pytest.fixture
def address_plan() -> AddressPlan:
    return plan("10.10.0.0/16", "10.10.0.0/22", {
        "apps": ("10.10.16.0/20", (SubnetRequest(name="web", prefix_length=24),
                                   SubnetRequest(name="containers", prefix_length=23,
                                                 delegation="Microsoft.App/environments"))),
        "workplace": ("10.10.32.0/20", (SubnetRequest(name="hosts", prefix_length=21),)),
    })


@pytest.fixture
def subscription_id() -> str:
    return SUBSCRIPTION


@pytest.fixture
def tenant_id() -> str:
    return TENANT
