"""SARIF report: valid against the published SARIF 2.1.0 schema, with waivers as suppressions."""

import json
from pathlib import Path

import jsonschema

from amsterdam_cloud.policies.checker import render

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())


def test_sarif_report_is_valid_against_the_published_schema(result):
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(
        json.loads(render(result, "sarif")))


def test_schema_rejects_a_broken_report(result):
    document = json.loads(render(result, "sarif"))
    document["runs"][0]["results"][0]["level"] = "fatal"
    assert list(jsonschema.Draft4Validator(SCHEMA).iter_errors(document))


def test_every_result_points_at_its_rule_by_index(result):
    run = json.loads(render(result, "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])


def test_mandatory_findings_are_errors_and_waived_ones_are_suppressed(result):
    results = json.loads(render(result, "sarif"))["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert {r["level"] for r in results if "suppressions" not in r} == {"error"}
    assert len(suppressed) == len(result.waived) and "Break-glass" in suppressed[0]["suppressions"][0]["justification"]


def test_results_name_the_resource_urn_as_logical_location(result):
    results = json.loads(render(result, "sarif"))["runs"][0]["results"]
    urns = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in results}
    assert urns == {f.urn for f in result.findings + result.waived}


def test_rules_carry_their_readme_row_as_help_uri_and_a_security_severity(result):
    from amsterdam_cloud.policies.readme import README, RULES_DOC_URI

    readme = README.read_text(encoding="utf-8")
    for rule in json.loads(render(result, "sarif"))["runs"][0]["tool"]["driver"]["rules"]:
        base, _, anchor = rule["helpUri"].partition("#")
        assert base == RULES_DOC_URI and f'<a id="{anchor}"></a>`{rule["id"]}`' in readme
        assert 0 < float(rule["properties"]["security-severity"]) <= 10


def _planned_with_a_weak_account(plan_inline, tmp_path, monkeypatch):
    """An offline plan of a weak storage account declared on a known line of this file, checked as prod."""
    import inspect

    from pulumi_azure_native import resources, storage

    from amsterdam_cloud.policies.checker import check_resources, parse_resources
    from tests.policies.rule_fixtures import city_tags
    from tests.conftest import PLATFORM_DIR

    def program():
        group = resources.ResourceGroup("rg", location="westeurope", tags=city_tags("dev"))
        storage.StorageAccount("weak", resource_group_name=group.name, kind="StorageV2",  # the line to find
                               sku=storage.SkuArgs(name="Standard_LRS"), minimum_tls_version="TLS1_0",
                               tags=city_tags("dev"))

    line = next(number for number, text in enumerate(inspect.getsourcelines(program)[0],
                                                     inspect.getsourcelines(program)[1]) if "the line to find" in text)
    monkeypatch.chdir(PLATFORM_DIR)
    resources_, stack = parse_resources(json.loads(plan_inline(program, "dev").export_text()))
    result = check_resources(resources_, environment="dev", stack=stack)
    return result, line, PLATFORM_DIR


def test_a_result_points_at_the_program_line_that_declared_the_resource(plan_inline, tmp_path, monkeypatch):
    result, line, root = _planned_with_a_weak_account(plan_inline, tmp_path, monkeypatch)
    result.project_root, result.stack_file = root, root / "stacks" / "Pulumi.dev.yaml"
    document = json.loads(render(result, "sarif"))
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(document)
    tls = [r for r in document["runs"][0]["results"] if r["ruleId"] == "storage-min-tls12"]
    assert [r["locations"][0]["physicalLocation"] for r in tls] == [
        {"artifactLocation": {"uri": "tests/policies/reports/test_sarif.py"}, "region": {"startLine": line}}]


def test_without_a_program_line_a_result_points_at_the_stack_file(plan_inline, tmp_path, monkeypatch):
    result, _, root = _planned_with_a_weak_account(plan_inline, tmp_path, monkeypatch)
    result.source_positions.clear()  # an export from a CLI that records no positions
    result.project_root, result.stack_file = root, root / "stacks" / "Pulumi.dev.yaml"
    results = json.loads(render(result, "sarif"))["runs"][0]["results"]
    assert {json.dumps(r["locations"][0]["physicalLocation"]) for r in results} == {json.dumps(
        {"artifactLocation": {"uri": "stacks/Pulumi.dev.yaml"}, "region": {"startLine": 1}})}


def test_a_real_exports_position_inside_the_installed_toolkit_points_at_the_stack_file(plan_inline, tmp_path,
                                                                                       monkeypatch):
    """A real `pulumi stack export` records the component's frame inside site-packages, not the app's line."""
    result, _, root = _planned_with_a_weak_account(plan_inline, tmp_path, monkeypatch)
    toolkit = ("file:///home/vsts/work/1/s/.venv/lib/python3.12/site-packages/amsterdam_cloud/components/"
               "app_hosting/storage.py#62")
    result.source_positions = {urn: toolkit for urn in result.source_positions}
    result.project_root, result.stack_file = root, root / "stacks" / "Pulumi.dev.yaml"
    document = json.loads(render(result, "sarif"))
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(document)
    [tls] = [r for r in document["runs"][0]["results"] if r["ruleId"] == "storage-min-tls12"]
    assert tls["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "stacks/Pulumi.dev.yaml"},
                                                       "region": {"startLine": 1}}
    assert tls["properties"]["toolkitPosition"] == "amsterdam_cloud/components/app_hosting/storage.py#62"
