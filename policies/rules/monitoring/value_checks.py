"""Monitoring value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.values import value_rule

RULES = (
    value_rule(id="log-analytics-local-auth-disabled", title="Log Analytics workspaces accept Entra ID only",
               severity=Severity.MEDIUM, controls=("BIO 9.4.2", "BIO 12.4.2"),
               applies_to=("azure-native:operationalinsights:Workspace",), path="features.disableLocalAuth",
               want=True, default=False, fix="set features.disableLocalAuth=True",
               defaults_source="operationalinsights WorkspaceFeatures, API 2023-09-01: disableLocalAuth unset is "
                               "false (shared keys accepted)"),
    value_rule(id="app-insights-local-auth-disabled", title="Application Insights accepts Entra ID only",
               severity=Severity.MEDIUM, controls=("BIO 9.4.2", "BIO 12.4.2"),
               applies_to=("azure-native:applicationinsights:Component",), path="disableLocalAuth", want=True,
               default=False, fix="set disableLocalAuth=True (ingest with Entra ID)",
               defaults_source="applicationinsights Component, API 2020-02-02: disableLocalAuth unset is false "
                               "(instrumentation keys accepted)"),
)
