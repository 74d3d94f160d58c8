"""The CrossGuard wrapper: one policy per rule, unknowns judged not skipped, waivers listed apart.

Each policy's validate function is called with args objects built the way pulumi-policy's analyzer builds them
(props behind its unknown-checking proxy: inputs for resource policies, outputs for stack policies). That the pack
reports what the offline checker reports is proven under the CLI's own protocol in test_pack_protocol.py.
"""

import ast
import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from pulumi_policy import (PolicyCustomTimeouts, PolicyResource, PolicyResourceOptions, ResourceValidationArgs,
                           ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy)
from pulumi_policy.proxy import unknown_checking_proxy

from amsterdam_cloud.policies.crossguard import WAIVERS_EXPIRED, WAIVERS_IN_FORCE, build_policies
from tests.policies.rule_fixtures import UNKNOWN_VALUE, city_tags, export_of, resource, urn_of
from amsterdam_cloud.policies.rules import ALL_RULES
from amsterdam_cloud.policies.settings import PACK_DIR, load_pack_config
from amsterdam_cloud.policies.waivers import load_waivers

TODAY = dt.date(2026, 11, 28)
NSG = "azure-native:network:NetworkSecurityGroup"
KV = "azure-native:keyvault:Vault"
HUB = ("amsterdam:landingzone:Hub",)


def mixed_stack(stack: str) -> dict:
    """Resources that break many rules in many ways, with unknowns, junk and a waivable finding."""
    tags = city_tags(stack)
    kv = resource(KV, "kv", {"location": UNKNOWN_VALUE, "tags": tags, "vaultName": "kv-city",
                             "properties": {"enablePurgeProtection": "yes", "publicNetworkAccess": "Disabled"}},
                  stack=stack)
    law = resource("azure-native:operationalinsights:Workspace", "law",
                   {"location": "westeurope", "tags": tags, "retentionInDays": 30}, stack=stack)
    return export_of(
        kv, law,
        resource("azure-native:monitor:DiagnosticSetting", "kv-diag",
                 {"resourceUri": UNKNOWN_VALUE, "workspaceId": UNKNOWN_VALUE, "logs": [{"categoryGroup": "allLogs"}]},
                 stack=stack, property_dependencies={"resourceUri": [kv["urn"]], "workspaceId": [law["urn"]]}),
        resource(NSG, "nsg", {"location": "West Europe", "tags": {**tags, "owner": ""}, "securityRules": [
            {"name": "ssh", "direction": "Inbound", "access": "Allow", "sourceAddressPrefix": "*",
             "destinationPortRange": "22"},
            {"name": "all", "direction": "Inbound", "access": "Allow", "sourceAddressPrefix": "Internet",
             "destinationPortRange": "*"}]}, stack=stack),
        resource("azure-native:storage/v20230101:StorageAccount", "data",
                 {"location": "uksouth", "tags": tags, "minimumTlsVersion": "TLS1_1", "allowBlobPublicAccess": True},
                 stack=stack, protect=True),
        resource("azure-native:cosmosdb:DatabaseAccount", "cosmos",
                 {"location": "westeurope", "tags": tags, "locations": [{"locationName": "swedencentral"},
                                                                        {"locationName": "switzerlandnorth"}]},
                 stack=stack),
        resource("azure-native:cognitiveservices:Account", "ai",
                 {"location": "swedencentral", "tags": {**tags, "algorithm-register-id": "00000000"},
                  "properties": {"disableLocalAuth": True}}, stack=stack),
        resource("azure-native:cognitiveservices:Deployment", "gpt", {"sku": {"name": "GlobalStandard"}}, stack=stack),
        resource("azure-native:network:PublicIPAddress", "pip", {"location": "westeurope", "tags": tags}, stack=stack),
        resource("azure-native:network:PublicIPAddress", "fw-pip", {"location": "westeurope", "tags": tags},
                 stack=stack, parents=HUB),
        resource("azure-native:network:Subnet", "apps", {"subnetName": "apps"}, stack=stack),
        resource("azure-native:compute:VirtualMachine", "vm",
                 {"location": "westeurope", "tags": tags, "securityProfile": {"securityType": "Standard"}},
                 stack=stack),
        resource("azure-native:web:WebApp", "app", {"location": "westeurope", "tags": tags, "httpsOnly": True,
                                                    "siteConfig": {"ftpsState": "Disabled", "minTlsVersion": "1.0"}},
                 stack=stack),
        resource("azure-native:desktopvirtualization:HostPool", "pool",
                 {"location": "uksouth", "tags": tags, "publicNetworkAccess": "Enabled"}, stack=stack),
        stack=stack)


def cli_config(policy, environment: str) -> dict:
    """What the Pulumi CLI passes a policy: its schema defaults, overlaid with its block of the config file."""
    defaults = {k: v["default"] for k, v in (policy.config_schema.properties if policy.config_schema else {}).items()
                if "default" in v}
    return {**defaults, **load_pack_config(environment).properties.get(policy.name, {})}


def options(entry) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect=bool(entry.get("protect")), ignore_changes=[], delete_before_replace=None,
                                 aliases=[], custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
                                 additional_secret_outputs=[], parent=entry.get("parent"))


def crossguard_findings(export: dict, environment: str, waivers, only=None) -> set[tuple[str, str, str]]:
    entries = [r for r in export["deployment"]["resources"] if not r["type"].startswith("pulumi:")]
    found: set[tuple[str, str, str]] = set()
    policies = build_policies(waivers=waivers, today=TODAY)
    stack_resources = {e["urn"]: PolicyResource(e["type"], unknown_checking_proxy(copy.deepcopy(e["outputs"])),
                                                e["urn"], e["urn"].rsplit("::", 1)[-1], options(e), None, None, [], {})
                       for e in entries}
    for e in entries:
        stack_resources[e["urn"]].property_dependencies = {
            k: [stack_resources[u] for u in v if u in stack_resources] for k, v in e["propertyDependencies"].items()}
    for policy in policies:
        if only is not None and policy.name not in only:
            continue
        if load_pack_config(environment).level(policy.name) == "disabled":
            continue

        def report(message, urn=None, name=policy.name):
            found.add((name, urn or "", message))

        if isinstance(policy, ResourceValidationPolicy):
            for e in entries:
                args = ResourceValidationArgs(e["type"], unknown_checking_proxy(copy.deepcopy(e["inputs"])), e["urn"],
                                              e["urn"].rsplit("::", 1)[-1], options(e), None,
                                              cli_config(policy, environment))
                policy.validate(args, report)
        elif isinstance(policy, StackValidationPolicy):
            policy.validate(StackValidationArgs(list(stack_resources.values()), cli_config(policy, environment)),
                            report)
    return found


@pytest.fixture
def waivers_file(tmp_path) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump({"waivers": [
        {"rule": "network-nsg-no-admin-ports-from-internet", "resource": urn_of("prod", NSG, "nsg"), "stack": "prod",
         "reason": "Break-glass during migration", "owner": "soc@amsterdam.nl", "approver": "ciso@amsterdam.nl",
         "ticket": "SEC-12", "approved": "2026-11-25", "expires": "2026-12-20"},
        {"rule": "residency-allowed-location", "stack": "prod", "reason": "Old copy", "owner": "data@amsterdam.nl",
         "resource": urn_of("prod", "azure-native:storage/v20230101:StorageAccount", "data"),
         "approver": "ciso@amsterdam.nl", "ticket": "SEC-13", "approved": "2026-09-15", "expires": "2026-10-01"},
    ]}))
    return path


def test_one_policy_per_rule_named_by_its_id_plus_the_waiver_policies():
    names = [p.name for p in build_policies()]
    assert names == [r.id for r in ALL_RULES] + [WAIVERS_IN_FORCE, WAIVERS_EXPIRED]


def test_each_policy_offers_exactly_the_settings_its_rule_reads():
    for rule, policy in zip(ALL_RULES, build_policies()):
        offered = set(policy.config_schema.properties) if policy.config_schema else set()
        assert offered == set(rule.settings), rule.id


def test_policy_metadata_carries_severity_controls_and_remediation():
    rule, policy = ALL_RULES[0], build_policies()[0]
    assert (policy.severity.value, policy.tags, policy.remediation_steps) == \
        (rule.severity.value, list(rule.controls), rule.remediation)


def test_unknown_location_is_reported_under_crossguard_not_skipped(waivers_file):
    found = crossguard_findings(mixed_stack("prod"), "prod", (), only={"residency-allowed-location"})
    assert ("residency-allowed-location", urn_of("prod", KV, "kv"),
            "location is unknown until deployment, so it cannot be shown compliant; every location must be known at "
            "plan time: take it from the stack config, not from another resource's output") in found


def test_waived_findings_are_listed_apart_by_the_advisory_waiver_policy(waivers_file):
    found = {f for f in crossguard_findings(mixed_stack("prod"), "prod", load_waivers(waivers_file))
             if f[0] == WAIVERS_IN_FORCE}  # the resource policies run first (Analyze), as under the CLI
    assert [(urn, m.split(":")[0]) for _, urn, m in found] == \
        [(urn_of("prod", NSG, "nsg"), "waived network-nsg-no-admin-ports-from-internet")]


def test_expired_waiver_is_reported_by_the_expired_waiver_policy(waivers_file):
    found = crossguard_findings(mixed_stack("prod"), "prod", load_waivers(waivers_file), only={WAIVERS_EXPIRED})
    assert len(found) == 1 and "expired on 2026-10-01" in next(iter(found))[2]


def test_pack_main_only_assembles_the_rules():
    tree = ast.parse((PACK_DIR / "__main__.py").read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))]
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert calls == {"PolicyPack", "build_policies"}


def test_pack_declares_the_python_runtime_and_installs_the_toolkit():
    assert yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())["runtime"]["name"] == "python"
    from importlib.metadata import version

    assert f"amsterdam-cloud=={version('amsterdam-cloud')}" in (PACK_DIR / "requirements.txt").read_text().splitlines()


def test_a_waiver_naming_another_projects_resource_does_not_concern_this_projects_stack(waivers_file):
    # as the offline check does: the workplace's expired waiver must not fail the platform's stacks of the same name
    import json

    from tests.policies.rule_fixtures import PROJECT

    other = json.loads(json.dumps(mixed_stack("prod")).replace(f"::{PROJECT}::", "::amsterdam-workplace::"))
    assert crossguard_findings(other, "prod", load_waivers(waivers_file), only={WAIVERS_EXPIRED}) == set()
