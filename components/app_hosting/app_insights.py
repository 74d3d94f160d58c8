"""Application Insights for one app: workspace-based (telemetry lands in the central workspace, under its retention
and access), Entra ID-authenticated ingestion only (local auth off: the connection string alone sends nothing), and
public ingestion off, so telemetry flows only through the city's Azure Monitor Private Link Scope. The component
never writes into that scope: the connectivity stack scopes it by its derived id (`core.environments.app_insights_id`,
its `apps` config), so no app pipeline holds a right on the prod-owned scope."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import applicationinsights

from amsterdam_cloud.components.interfaces import NO_DIAGNOSTICS, CommonArgs, WithInterfaces, supports

COMPONENT = "azure-native:applicationinsights:Component"


@dataclass(frozen=True, kw_only=True)
class AppInsightsArgs(CommonArgs):
    """`role_assignments` on the component: the app's identity as Monitoring Metrics Publisher, the role an identity
    needs to send telemetry when local auth is off."""
    SUPPORTS = supports("lock", "role_assignments",
                        reason="a workspace-based component has no private endpoint of its own (the connectivity "
                               "stack scopes it into the city's AMPLS), its telemetry is already in the workspace, it "
                               "needs no identity and holds no data of its own")

    resource_group_name: pulumi.Input[str]
    """The component's resource group (the app's); the component never creates it."""
    location: str
    """The component's region (the app's)."""
    workspace_id: pulumi.Input[str]
    """The Log Analytics workspace telemetry is stored in (the central one)."""
    component_name: str
    """Its fixed name (1-260 characters): `App` uses `core.environments.app_insights_name`, from which the connectivity
    stack derives the id it scopes (an auto-name could not be derived)."""
    local_auth: bool = False
    """Off: only Entra ID-authenticated telemetry is accepted (DisableLocalAuth); on (an explicit opt-out, for an
    agent that cannot authenticate): the connection string alone lets anyone who has it send."""


class AppInsights(WithInterfaces, pulumi.ComponentResource):
    """The component; `connection_string` goes into the app's APPLICATIONINSIGHTS_CONNECTION_STRING."""

    def __init__(self, name: str, args: AppInsightsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:AppInsights", name, None, opts)
        component = applicationinsights.Component(
            f"{name}-component", resource_group_name=args.resource_group_name, location=args.location,
            resource_name_=args.component_name, kind="web", application_type="web", ingestion_mode="LogAnalytics",
            workspace_resource_id=args.workspace_id, disable_local_auth=not args.local_auth,
            public_network_access_for_ingestion="Disabled", public_network_access_for_query="Enabled",
            tags=dict(args.tags), opts=self.child_options(args))
        self.add_interfaces(name, scope_id=component.id, args=args, diagnostics=NO_DIAGNOSTICS)
        self.resource_id, self.name = component.id, component.name
        self.connection_string = component.connection_string
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "connection_string": self.connection_string})
