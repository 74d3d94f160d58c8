"""JSON report: a list of findings with the fields `cityctl plan` consumers rely on."""

import json

from amsterdam_cloud.policies.checker import render


def test_every_finding_carries_urn_policy_severity_enforcement_message_controls(result):
    items = json.loads(render(result, "json"))
    assert isinstance(items, list) and items
    for item in items:
        assert {"urn", "policy", "severity", "enforcement", "message", "controls"} <= set(item)
        assert isinstance(item["controls"], list)


def test_waived_findings_are_listed_after_violations_with_their_waiver(result):
    items = json.loads(render(result, "json"))
    waived = [i for i in items if i["status"] == "waived"]
    assert items[len(items) - len(waived):] == waived
    assert [w["waiver"]["ticket"] for w in waived] == ["SEC-9"]


def test_finding_behind_an_expired_waiver_has_status_expired_waiver(result):
    expired = [i for i in json.loads(render(result, "json")) if i["status"] == "expired-waiver"]
    assert expired and all(i["policy"] == "tags-required" for i in expired)



def test_values_unknown_in_dev_are_listed_with_status_unknown():
    from amsterdam_cloud.policies.checker import check_resources, parse_resources
    from tests.policies.rule_fixtures import UNKNOWN_VALUE, city_tags, export_of, resource

    account = resource("azure-native:storage:StorageAccount", "data", {"location": "westeurope",
                       "tags": city_tags("dev"), "minimumTlsVersion": UNKNOWN_VALUE}, stack="dev")
    resources, stack = parse_resources(export_of(account, stack="dev"))
    items = json.loads(render(check_resources(resources, environment="dev", stack=stack), "json"))
    assert [(i["policy"], i["status"]) for i in items if i["status"] == "unknown"] == [("storage-min-tls12", "unknown")]


def test_each_line_is_the_finding_as_dict_encoded_byte_for_byte(result):
    from amsterdam_cloud.policies.reports.json_report import findings_as_dicts

    encode = json.JSONEncoder(ensure_ascii=False).encode
    expected = "[\n" + ",\n".join(encode(item) for item in findings_as_dicts(result)) + "\n]\n"
    assert {i["status"] for i in json.loads(expected)} == {"violation", "waived", "expired-waiver"}
    assert render(result, "json") == expected


def test_texts_with_quotes_backslashes_and_accents_are_encoded_as_json_encodes_them():
    import dataclasses

    from amsterdam_cloud.policies.checker import check_resources, parse_resources
    from amsterdam_cloud.policies.reports.json_report import findings_as_dicts
    from tests.policies.rule_fixtures import city_tags, export_of, resource

    account = resource("azure-native:storage:StorageAccount", 'data "\\ é\u2028\x01', {
        "location": 'uksouth "\\ ë', "tags": city_tags("prod")})
    resources, stack = parse_resources(export_of(account))
    found = check_resources(resources, environment="prod", stack=stack)
    found.findings = [dataclasses.replace(f, resource_type=f'{f.resource_type} "é"') for f in found.findings]
    encode = json.JSONEncoder(ensure_ascii=False).encode
    assert render(found, "json") == "[\n" + ",\n".join(encode(i) for i in findings_as_dicts(found)) + "\n]\n"
    text = render(found, "json")
    assert "ë" in text and any(i["urn"].endswith('data "\\ é\u2028\x01') for i in json.loads(text))
