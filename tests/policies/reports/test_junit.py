"""JUnit report: parseable XML; a failure per violation, a skip per waived finding."""

from xml.etree import ElementTree as ET

from amsterdam_cloud.policies.checker import render


def test_junit_counts_match_the_result(result):
    root = ET.fromstring(render(result, "junit"))
    assert int(root.get("failures")) == len(result.findings) + len(result.expired_waivers)
    assert int(root.get("skipped")) == len(result.waived)
    assert len(root.findall(".//testcase/failure")) == int(root.get("failures"))


def test_one_test_suite_per_rule_plus_expired_waivers(result):
    suites = [s.get("name") for s in ET.fromstring(render(result, "junit")).findall("testsuite")]
    assert suites == [r.id for r in result.rules] + ["waivers"]


def test_failure_message_carries_the_finding_and_its_remediation(result):
    root = ET.fromstring(render(result, "junit"))
    failure = root.find(".//testsuite[@name='residency-allowed-location']/testcase/failure")
    assert "uksouth" in failure.get("message") and "Remediation:" in failure.text
