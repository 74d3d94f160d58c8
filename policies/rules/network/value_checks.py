"""Firewall and WAF value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.common import UNSET
from amsterdam_cloud.policies.rules.values import value_rule

FRONT_DOOR_WAF = ("azure-native:frontdoor:Policy",)
GATEWAY_WAF = ("azure-native:network:WebApplicationFirewallPolicy",)

RULES = (
    value_rule(id="firewall-policy-threat-intel-deny", title="Firewall policies deny known-malicious traffic",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 12.2.1"),
               applies_to=("azure-native:network:FirewallPolicy",), path="threatIntelMode", allowed=("Deny",),
               default="Alert", fix="set threatIntelMode='Deny'",
               defaults_source="network FirewallPolicy, API 2024-05-01: threatIntelMode unset is Alert "
                               "(AzureFirewallThreatIntelMode: Alert, Deny, Off)"),
    value_rule(id="frontdoor-waf-enabled", title="Front Door WAF policies are enabled", severity=Severity.HIGH,
               controls=("BIO 13.1.1", "BIO 14.2.1"), applies_to=FRONT_DOOR_WAF, path="policySettings.enabledState",
               allowed=("Enabled",), default=UNSET, fix="set policySettings.enabledState='Enabled'",
               defaults_source="frontdoor Policy, API 2025-03-01: enabledState documents no default, so unset is a "
                               "violation"),
    value_rule(id="frontdoor-waf-prevention", title="Front Door WAF policies block (Prevention mode)",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 14.2.1"), applies_to=FRONT_DOOR_WAF,
               path="policySettings.mode", allowed=("Prevention",), default="Prevention",
               fix="set policySettings.mode='Prevention'",
               defaults_source="frontdoor Policy, API 2025-03-01: mode unset is Prevention (PSRule "
                               "Azure.FrontDoorWAF.PreventionMode: 'By default, prevention is configured')"),
    value_rule(id="app-gateway-waf-enabled", title="Application Gateway WAF policies are enabled",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 14.2.1"), applies_to=GATEWAY_WAF,
               path="policySettings.state", allowed=("Enabled",), default=UNSET,
               fix="set policySettings.state='Enabled'",
               defaults_source="network WebApplicationFirewallPolicy, API 2024-05-01: state documents no default, so "
                               "unset is a violation"),
    value_rule(id="app-gateway-waf-prevention", title="Application Gateway WAF policies block (Prevention mode)",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 14.2.1"), applies_to=GATEWAY_WAF,
               path="policySettings.mode", allowed=("Prevention",), default=UNSET,
               fix="set policySettings.mode='Prevention'",
               defaults_source="network WebApplicationFirewallPolicy, API 2024-05-01: mode documents no default, so "
                               "unset is a violation"),
)
