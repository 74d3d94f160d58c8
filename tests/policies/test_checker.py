"""The offline checker: export parsing, levels per environment, unknowns, secrets, junk, malformed input."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from amsterdam_cloud.policies.checker import ExportError, check_export, check_resources, parse_resources
from amsterdam_cloud.policies.rule_model import Rule, Severity, StackView, of_types
from tests.policies.rule_fixtures import UNKNOWN_VALUE, city_tags, export_of, resource, secret
from amsterdam_cloud.policies.settings import PackConfig
from amsterdam_cloud.core.errors import UserError

STORAGE = "azure-native:storage:StorageAccount"
TODAY = dt.date(2026, 11, 28)


def weak_storage(stack="prod", **inputs):
    return resource(STORAGE, "logs", {"location": "westeurope", "tags": city_tags(stack), "minimumTlsVersion": "TLS1_0",
                                      **inputs}, stack=stack)


def policies_of(result):
    return {f.policy for f in result.findings}


def test_root_stack_names_the_stack_and_is_not_checked():
    resources, stack = parse_resources(export_of(weak_storage("acc"), stack="acc"))
    assert stack == "acc" and [r.type for r in resources] == [STORAGE]


def test_providers_and_components_are_not_checked():
    provider = resource("pulumi:providers:azure-native", "default", {"location": "eastus"})
    component = resource("amsterdam:landingzone:Hub", "hub", {"location": "eastus"}, custom=False)
    resources, _ = parse_resources(export_of(provider, component))
    assert resources == []


def test_versioned_type_token_is_checked_as_its_unversioned_type():
    versioned = resource("azure-native:storage/v20230101:StorageAccount", "old", {"minimumTlsVersion": "TLS1_0"})
    result = check_export(export_of(versioned), environment="prod", today=TODAY)
    assert "storage-min-tls12" in policies_of(result)


def test_mandatory_violation_fails_in_prod():
    result = check_export(export_of(weak_storage()), environment="prod", today=TODAY)
    assert result.failed and all(f.enforcement == "mandatory" for f in result.findings)


def test_same_violation_is_advisory_and_does_not_fail_in_dev():
    result = check_export(export_of(weak_storage("dev"), stack="dev"), environment="dev", today=TODAY)
    assert "storage-min-tls12" in policies_of(result)
    assert not result.failed and {f.enforcement for f in result.findings} == {"advisory"}


def test_compliant_resource_group_passes_every_rule():
    group = resource("azure-native:resources:ResourceGroup", "rg", {"location": "westeurope", "tags": city_tags()})
    result = check_export(export_of(group), environment="prod", today=TODAY)
    assert result.findings == [] and not result.failed


def test_disabled_rule_is_not_run():
    config = PackConfig(source="t", default_level="mandatory", levels={"storage-min-tls12": "disabled"}, properties={})
    resources, stack = parse_resources(export_of(weak_storage()))
    result = check_resources(resources, environment="prod", stack=stack, config=config, today=TODAY)
    assert "storage-min-tls12" not in policies_of(result) and "storage-min-tls12" not in result.checked


def test_each_rule_judged_every_resource_of_its_types_in_the_plans_order():
    group = resource("azure-native:resources:ResourceGroup", "rg", {"location": "westeurope", "tags": city_tags()})
    vault = resource("azure-native:keyvault:Vault", "kv", {"location": "westeurope", "tags": city_tags()})
    second = resource(STORAGE, "second", {"location": "westeurope", "tags": city_tags()})
    resources, stack = parse_resources(export_of(weak_storage(), group, second, vault))
    urns = [r.urn for r in resources]

    result = check_resources(resources, environment="prod", stack=stack, today=TODAY)

    assert list(result.checked) == [rule.id for rule in result.rules]
    assert result.checked["storage-min-tls12"] == [urns[0], urns[2]]  # a resource rule: its types'
    assert result.checked["residency-allowed-location"] == urns  # a rule of every type
    assert result.checked["monitoring-diagnostic-settings"] == [urns[0], urns[2], urns[3]]  # a stack rule's types
    assert result.checked["stateful-locked-in-prod"] == [urns[0], urns[2], urns[3]]


def test_a_stack_rule_of_no_declared_types_judged_the_whole_stack():
    import dataclasses

    from amsterdam_cloud.policies.rules import ALL_RULES

    rule = next(r for r in ALL_RULES if r.kind == "stack")
    whole_stack = dataclasses.replace(rule, id="whole-stack", applies_to=())
    resources, stack = parse_resources(export_of(weak_storage(), resource("azure-native:keyvault:Vault", "kv", {})))

    result = check_resources(resources, environment="dev", stack=stack, today=TODAY, rules=[whole_stack])

    assert result.checked["whole-stack"] == [r.urn for r in resources]  # as every rule of every type


@pytest.mark.parametrize("types", [{STORAGE}, {STORAGE, "azure-native:keyvault:Vault"},
                                   ("azure-native:keyvault:Vault", STORAGE, "azure-native:web:WebApp"),
                                   {"azure-native:web:WebApp"}, ()], ids=repr)
def test_a_stack_views_resources_of_some_types_are_those_of_a_scan_in_the_stacks_order(types):
    vault = resource("azure-native:keyvault:Vault", "kv", {"location": "westeurope"})
    group = resource("azure-native:resources:ResourceGroup", "rg", {"location": "westeurope"})
    second = resource(STORAGE, "second", {"location": "westeurope"})
    resources, _ = parse_resources(export_of(weak_storage(), vault, group, second))
    view = StackView(resources)

    scanned = [r for r in resources if r.type in set(types)]

    assert view.of_types(types) == scanned == of_types(resources, types)
    assert of_types(view, types) is view.of_types(frozenset(types))  # indexed once per view


def test_unknown_location_is_a_violation_in_prod_but_not_in_dev():
    unknown = {"location": UNKNOWN_VALUE}
    prod = check_export(export_of(weak_storage(**unknown)), environment="prod", today=TODAY)
    dev = check_export(export_of(weak_storage("dev", **unknown), stack="dev"), environment="dev", today=TODAY)
    assert "residency-allowed-location" in policies_of(prod)
    assert "residency-allowed-location" not in policies_of(dev)


def test_plaintext_secret_is_judged_by_its_value():
    hidden = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": '"TLS1_0"'}
    result = check_export(export_of(weak_storage(minimumTlsVersion=hidden)), environment="prod", today=TODAY)
    assert "storage-min-tls12" in policies_of(result)


def test_secret_tag_value_counts_as_present():
    tags = {**city_tags(), "owner": secret()}
    result = check_export(export_of(weak_storage(tags=tags)), environment="prod", today=TODAY)
    assert "tags-required" not in policies_of(result)


def test_junk_value_is_a_violation_not_a_crash():
    result = check_export(export_of(weak_storage(minimumTlsVersion={"version": 1.2})), environment="prod", today=TODAY)
    assert any("not a TLS version" in f.message for f in result.findings)


def test_rule_that_raises_is_reported_as_a_finding():
    def broken(resource, report, settings):
        raise KeyError("boom")

    rule = Rule(id="broken", title="t", severity=Severity.LOW, controls=("BIO 8.1.1",), remediation="r", check=broken)
    config = PackConfig(source="t", default_level="mandatory", levels={}, properties={})
    resources, stack = parse_resources(export_of(weak_storage()))
    result = check_resources(resources, environment="prod", stack=stack, config=config, rules=[rule], today=TODAY)
    assert len(result.findings) == 1 and "could not be checked" in result.findings[0].message


@pytest.mark.parametrize("document,problem", [
    ([], "not a stack export"),
    ({"version": 3}, "deployment"),
    ({"version": 3, "deployment": {"resources": {}}}, "must be a list"),
    ({"version": 3, "deployment": {"resources": [{"type": "x"}]}}, "needs a 'urn'"),
    ({"version": 3, "deployment": {"resources": [{"urn": "urn:pulumi:s::p::t::n", "type": "t", "inputs": []}]}},
     "inputs"),
    ({"version": 4, "deployment": {"resources": []}}, "version"),
])
def test_malformed_export_is_a_clear_user_error_naming_the_file(document, problem):
    with pytest.raises(UserError) as error:
        check_export(document, environment="prod", source="plan.json")
    assert isinstance(error.value, ExportError) and "plan.json" in str(error.value) and problem in str(error.value)


def test_unknown_environment_is_a_user_error():
    with pytest.raises(UserError):
        check_export(export_of(), environment="staging")


def test_checker_imports_and_runs_without_pulumi_or_pulumi_policy():
    code = ("import sys, json\n"
            "from amsterdam_cloud.policies.checker import check_export, render\n"
            "from tests.policies.rule_fixtures import export_of, resource\n"
            "r = check_export(export_of(resource('azure-native:storage:StorageAccount', 's', {})), environment='prod')\n"
            "[render(r, f) for f in ('text', 'json', 'sarif', 'junit', 'evidence-md', 'evidence-html')]\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('pulumi', 'pulumi_policy'))))\n")
    root = Path(__file__).resolve().parents[2]  # where `tests.policies.rule_fixtures` imports from
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root).stdout
    assert json.loads(out) == []


def test_a_finding_built_from_its_rules_fixed_fields_is_the_one_the_constructor_builds():
    from dataclasses import fields

    from amsterdam_cloud.policies.checker import Finding

    fixed = ({"policy": "storage-min-tls12", "severity": Severity.HIGH, "enforcement": "mandatory"},
             {"controls": ("BIO 13.2.1",), "title": "TLS 1.2", "remediation": "Set minimumTlsVersion."})
    fast = Finding.of_rule(fixed, "urn:pulumi:prod::p::t::n", "is TLS1_0", STORAGE)
    slow = Finding(urn="urn:pulumi:prod::p::t::n", **fixed[0], message="is TLS1_0", **fixed[1],
                   resource_type=STORAGE)
    assert fast == slow and list(fast.__dict__.items()) == list(slow.__dict__.items())
    assert list(fast.__dict__) == [f.name for f in fields(Finding)]


def test_findings_are_ordered_by_severity_rule_and_urn_keeping_one_resources_findings_in_report_order():
    def two_findings(resource, report, settings):
        report("second-reported")
        report("first-reported")

    rules = [Rule(id=rule_id, title="t", severity=severity, controls=("BIO 1",), remediation="r.",
                  check=two_findings, applies_to=(STORAGE,))
             for rule_id, severity in (("b-low", Severity.LOW), ("a-low", Severity.LOW), ("z-crit", Severity.CRITICAL))]
    urns = [weak_storage()["urn"].replace("logs", name) for name in ("m", "c", "x")]
    exported = export_of(*(dict(weak_storage(), urn=urn) for urn in urns))
    resources, stack = parse_resources(exported)
    result = check_resources(resources, environment="prod", stack=stack, rules=rules, today=TODAY)
    expected = sorted(((order, rule_id, urn, message) for order, rule_id in ((0, "z-crit"), (3, "a-low"), (3, "b-low"))
                       for urn in urns for message in ("second-reported", "first-reported")),
                      key=lambda t: t[:3])
    assert [(f.policy, f.urn, f.message) for f in result.findings] == [t[1:] for t in expected]
