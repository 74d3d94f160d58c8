"""Every resource that supports diagnostic settings sends its logs to the city's Log Analytics workspace."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import (UNKNOWN, Resource, Severity, StackReport, StackRule, as_list, get,
                                                 of_types)
from amsterdam_cloud.policies.rules.stack.links import index, scope_targets, targets

DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting"
WORKSPACE = "azure-native:operationalinsights:Workspace"

# Resource types that emit resource logs through diagnostic settings (Azure Monitor "supported categories").
SUPPORTS_DIAGNOSTICS = tuple(sorted({
    "azure-native:storage:StorageAccount", "azure-native:keyvault:Vault", "azure-native:sql:Database",
    "azure-native:dbforpostgresql:Server", "azure-native:dbformysql:Server", "azure-native:cosmosdb:DatabaseAccount",
    "azure-native:redis:Redis", "azure-native:containerregistry:Registry", "azure-native:web:WebApp",
    "azure-native:web:WebAppSlot",
    "azure-native:app:ManagedEnvironment", "azure-native:containerservice:ManagedCluster",
    "azure-native:network:NetworkSecurityGroup", "azure-native:network:PublicIPAddress",
    "azure-native:network:AzureFirewall", "azure-native:network:ApplicationGateway",
    "azure-native:network:BastionHost", "azure-native:network:VirtualNetworkGateway",
    "azure-native:network:LoadBalancer", "azure-native:network:VirtualNetwork", "azure-native:cdn:Profile",
    "azure-native:frontdoor:FrontDoor", "azure-native:cognitiveservices:Account",
    "azure-native:machinelearningservices:Workspace", "azure-native:desktopvirtualization:HostPool",
    "azure-native:desktopvirtualization:ApplicationGroup", "azure-native:desktopvirtualization:Workspace",
    "azure-native:eventhub:Namespace", "azure-native:servicebus:Namespace", "azure-native:datafactory:Factory",
    "azure-native:synapse:Workspace", "azure-native:databricks:Workspace",
    "azure-native:apimanagement:ApiManagementService", "azure-native:logic:Workflow",
    "azure-native:recoveryservices:Vault", "azure-native:automation:AutomationAccount",
    "azure-native:search:Service", "azure-native:communication:CommunicationService",
}))
_SUPPORTS = frozenset(SUPPORTS_DIAGNOSTICS)  # the stack view's per-type index is asked with a set
_SETTINGS = frozenset({DIAGNOSTIC_SETTING})


WEB_APPS = ("azure-native:web:WebApp", "azure-native:web:WebAppSlot")
HTTP_LOGS = frozenset({"appservicehttplogs"})
UNKNOWN_PREFIX = "unknown:"
UNKNOWN_WORKSPACE = UNKNOWN_PREFIX + "the workspaceId of diagnostic setting {name}"
UNKNOWN_LOGS = UNKNOWN_PREFIX + "the logs of diagnostic setting {name}"


def _sends_logs(setting: Resource) -> Any:
    """Whether the setting enables a log category; UNKNOWN when its logs, or the entries that could enable one, are
    not known until deployment."""
    logs = as_list(setting.get("logs"))
    if logs is UNKNOWN:
        return UNKNOWN
    states = [entry if entry is UNKNOWN else get(entry, "enabled") if isinstance(entry, dict) else False
              for entry in logs]
    if any(state is not False and state is not UNKNOWN for state in states):
        return True
    return UNKNOWN if any(state is UNKNOWN for state in states) else False


def enables_every(setting: Resource, categories: frozenset[str]) -> Any:
    """Whether the setting enables categoryGroup allLogs or each of `categories` (lower-cased names); UNKNOWN when
    an entry that could decide it is not known until deployment."""
    logs = as_list(setting.get("logs"))
    if logs is UNKNOWN:
        return UNKNOWN
    enabled: set[str] = set()
    unknown = False
    for entry in logs:
        if not isinstance(entry, Mapping):
            unknown = unknown or entry is UNKNOWN
            continue
        state, group, category = get(entry, "enabled"), get(entry, "categoryGroup"), get(entry, "category")
        if any(value is UNKNOWN for value in (state, group, category)):
            unknown = True
        elif state is True:
            enabled.update(name.lower() for name in (group, category) if isinstance(name, str))
    if "alllogs" in enabled or categories <= enabled:
        return True
    return UNKNOWN if unknown else False


def _http_logs_problem(setting: Resource, target: Resource) -> str:
    """For an App Service web app or slot (not a function app, which has no HTTP log): the setting must send its HTTP log
    (CIS 5.1.6), as allLogs or AppServiceHTTPLogs; "" when it does or the target is no web app."""
    kind = target.get("kind")
    if target.type not in WEB_APPS or (isinstance(kind, str) and kind is not UNKNOWN and "functionapp" in kind.lower()):
        return ""
    sends = enables_every(setting, HTTP_LOGS)
    if sends is UNKNOWN:
        return f"{UNKNOWN_PREFIX}the log categories of diagnostic setting {setting.name}"
    return "" if sends else (f"diagnostic setting {setting.name} sends neither allLogs nor AppServiceHTTPLogs, so the "
                             "web app's HTTP requests are not logged (CIS 5.1.6)")


def setting_problem(setting: Resource, by_urn: Mapping[str, Resource], by_id: Mapping[str, Resource],
                    settings: Any) -> str:
    """"" when the diagnostic setting sends logs to the city's workspace (in this stack or named in the pack config);
    else what is wrong, starting with UNKNOWN_PREFIX when only a value unknown until deployment stands in the way."""
    workspace = targets(setting, "workspaceId", by_urn, by_id)
    workspace_id = setting.get("workspaceId")
    if workspace and all(w.type == WORKSPACE for w in workspace):
        pass
    elif isinstance(workspace_id, str) and workspace_id is not UNKNOWN \
            and workspace_id.lower() in settings.log_analytics_workspace_ids:
        pass
    elif workspace_id is None:
        return f"diagnostic setting {setting.name} sends to no Log Analytics workspace"
    elif workspace_id is UNKNOWN:
        return UNKNOWN_WORKSPACE.format(name=setting.name)
    else:
        return (f"diagnostic setting {setting.name} sends to a workspace that is not the city's "
                "(not in this stack and not in logAnalyticsWorkspaceIds)")
    sends = _sends_logs(setting)
    if sends is UNKNOWN:
        return UNKNOWN_LOGS.format(name=setting.name)
    return "" if sends else f"diagnostic setting {setting.name} enables no logs"


def report_problems(report: StackReport, problems: Sequence[str], fix: str, urn: str) -> None:
    """One finding for a resource whose every setting has a problem: unknown when only unknowns stand in the way."""
    unknown = sorted({p for p in problems if p.startswith(UNKNOWN_PREFIX)})
    if unknown and len(unknown) == len(set(problems)):
        report.unknown("; ".join(p[len(UNKNOWN_PREFIX):] for p in unknown), fix, urn)
    else:
        readable = {f"{p[len(UNKNOWN_PREFIX):]} is unknown until deployment" if p.startswith(UNKNOWN_PREFIX)
                    else p for p in problems}
        report("; ".join(sorted(readable)) + "; point workspaceId at the city's Log Analytics workspace", urn)


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    by_urn, by_id = index(resources)
    covered: dict[str, list[str]] = {}   # target URN -> problems with its settings ("" for a good one)
    for setting in of_types(resources, _SETTINGS):
        found = scope_targets(setting, "resourceUri", "Microsoft.Insights", by_urn, by_id)
        problem = setting_problem(setting, by_urn, by_id, settings) if found else ""
        for target in found or ():
            covered.setdefault(target.urn, []).append(problem or _http_logs_problem(setting, target))
    for resource in of_types(resources, _SUPPORTS):
        problems = covered.get(resource.urn)
        if problems is None:
            report("has no diagnostic setting; send its logs (categoryGroup allLogs) to the city's Log Analytics "
                   "workspace", resource.urn)
        elif all(problems):
            report_problems(report, problems, "set workspaceId and logs from the program or the stack config",
                            resource.urn)


RULE = StackRule(
    id="monitoring-diagnostic-settings",
    title="Resources send diagnostics to the city's Log Analytics workspace",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.3", "CIS 5.1.4", "CIS 5.1.6", "CIS 5.4"),
    remediation="Add a DiagnosticSetting (allLogs) with workspaceId of the central workspace; components do this "
                "through the diagnostic_settings interface.",
    check=check,
    applies_to=SUPPORTS_DIAGNOSTICS,
    settings=("logAnalyticsWorkspaceIds",),
)
