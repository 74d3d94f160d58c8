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
