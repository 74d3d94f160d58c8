"""Application Insights under mocks: the shared interfaces it declares (its telemetry is tested through App)."""

from __future__ import annotations

from amsterdam_cloud.components.app_hosting.app_insights import AppInsights, AppInsightsArgs


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags, workspace_id):
    conforms(AppInsights, lambda: AppInsightsArgs(
        tags=tags, resource_group_name="rg-app", location="westeurope", workspace_id=workspace_id,
        component_name="appi-parkeer-dev"))
