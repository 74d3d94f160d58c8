"""WAF policies run a managed rule set with the Log4j rules on (Checkov CKV_AZURE_133, CKV_AZURE_135): Prevention
mode blocks nothing that no rule matches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity, as_list, get

FRONT_DOOR = "azure-native:frontdoor:Policy"
APP_GATEWAY = "azure-native:network:WebApplicationFirewallPolicy"
RULE_SETS = {"microsoft_defaultruleset", "defaultruleset", "owasp"}
"""The core rule sets (DRS, OWASP CRS) that carry the Log4j (CVE-2021-44228) rules."""
LOG4J_RULES = {"944240", "944250"}
FIX = ("add a managed rule set (Microsoft_DefaultRuleSet 2.1, or OWASP 3.2 on Application Gateway) and leave rules "
       "944240 and 944250 enabled")


def check(resource: Resource, report: Report, settings: Any) -> None:
    sets = as_list(resource.get("managedRules.managedRuleSets"))
    if sets is UNKNOWN or any(item is UNKNOWN or (isinstance(item, Mapping) and get(item, "ruleSetType") is UNKNOWN)
                              for item in sets):
        report.unknown("managedRules.managedRuleSets", FIX)
        return
    core = [s for s in sets if isinstance(s, Mapping) and str(get(s, "ruleSetType") or "").lower() in RULE_SETS]
    if not core:
        report(f"managedRules.managedRuleSets has no core rule set, so Prevention blocks no known attack; {FIX}")
        return
    state_key = "enabledState" if resource.type == FRONT_DOOR else "state"
    for rule_set in core:
        groups = as_list(get(rule_set, "ruleGroupOverrides"))
        for group in [] if groups is UNKNOWN else groups:
            rules = as_list(get(group, "rules")) if isinstance(group, Mapping) else []
            for rule in [] if rules is UNKNOWN else rules:
                if not isinstance(rule, Mapping) or str(get(rule, "ruleId")) not in LOG4J_RULES:
                    continue
                state = get(rule, state_key)
                if state is UNKNOWN:
                    report.unknown(f"the {state_key} of rule {get(rule, 'ruleId')}", FIX)
                elif isinstance(state, str) and state.lower() == "disabled":
                    report(f"rule {get(rule, 'ruleId')} (Log4j) is disabled in {get(rule_set, 'ruleSetType')}; {FIX}")


RULE = Rule(
    id="waf-managed-rules-log4j",
    title="WAF policies run a core managed rule set with the Log4j rules on",
    severity=Severity.HIGH,
    controls=("BIO 13.1.1", "BIO 14.1.2"),
    remediation="Add Microsoft_DefaultRuleSet (or OWASP) to managedRules and do not disable rules 944240/944250.",
    check=check,
    applies_to=(FRONT_DOOR, APP_GATEWAY),
    defaults_source="frontdoor Policy and network WebApplicationFirewallPolicy, API 2024-02-01: without "
                    "managedRules.managedRuleSets no managed rule runs",
)
