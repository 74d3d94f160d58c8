"""Firewall, WAF and network SKU value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.common import UNSET
from amsterdam_cloud.policies.rules.values import value_rule

FRONT_DOOR_WAF = ("azure-native:frontdoor:Policy",)
GATEWAY_WAF = ("azure-native:network:WebApplicationFirewallPolicy",)

RULES = (
    value_rule(id="public-ip-standard-sku", title="Public IPs use the Standard SKU (not the retired Basic one)",
               severity=Severity.MEDIUM, controls=("BIO 12.4.1", "BIO 13.1.1", "CIS 5.5"),
               applies_to=("azure-native:network:PublicIPAddress",), path="sku.name", allowed=("Standard",),
               default=UNSET, fix="set sku.name='Standard'",
               defaults_source="network PublicIPAddress, API 2024-05-01: an unset SKU was Basic on earlier APIs, and "
                               "Basic public IPs, without diagnostics or zone support, were retired on 30 September "
                               "2025 (learn.microsoft.com/azure/virtual-network/ip-services/"
                               "public-ip-basic-upgrade-guidance), so unset is a violation"),
    value_rule(id="load-balancer-standard-sku", title="Load balancers use the Standard SKU (not the retired Basic "
                                                      "one)",
               severity=Severity.MEDIUM, controls=("BIO 12.4.1", "BIO 13.1.1", "CIS 5.5"),
               applies_to=("azure-native:network:LoadBalancer",), path="sku.name", allowed=("Standard", "Gateway"),
               default=UNSET, fix="set sku.name='Standard'",
               defaults_source="network LoadBalancer, API 2024-05-01: an unset SKU was Basic on earlier APIs, and the "
                               "Basic load balancer (no SLA, no metrics beyond health) was retired on 30 September "
                               "2025, so unset is a violation"),
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
