"""JUnit XML for CI test tabs: a test suite per rule; a failing test case per violation, a skipped one per waiver."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET


def render_junit(result) -> str:
    failures, waived = defaultdict(list), defaultdict(list)
    for f in result.findings:
        failures[f.policy].append(f)
    for f in result.waived:
        waived[f.policy].append(f)
    root = ET.Element("testsuites", name=f"{result.pack_name} {result.stack} ({result.environment})")
    total_tests = total_failures = total_skipped = 0
    for rule in result.rules:
        checked = result.checked.get(rule.id, [])
        bad = failures.get(rule.id, [])
        skip = waived.get(rule.id, [])
        bad_urns = {f.urn for f in bad} | {f.urn for f in skip}
        passed = len(set(checked) - bad_urns)
        tests = len(bad) + len(skip) + 1
        suite = ET.SubElement(root, "testsuite", name=rule.id, tests=str(tests), failures=str(len(bad)),
                              errors="0", skipped=str(len(skip)))
        ET.SubElement(suite, "properties").extend([
            ET.Element("property", name="title", value=rule.title),
            ET.Element("property", name="severity", value=rule.severity.value),
            ET.Element("property", name="enforcement", value=result.levels.get(rule.id, "")),
            ET.Element("property", name="controls", value=", ".join(rule.controls)),
        ])
        ET.SubElement(suite, "testcase", classname=rule.id, name=f"{passed} of {len(set(checked))} resources comply")
        for f in bad:
            case = ET.SubElement(suite, "testcase", classname=rule.id, name=f.urn)
            failure = ET.SubElement(case, "failure", message=f.message, type=f"{f.severity.value}/{f.enforcement}")
            failure.text = f"{f.message}\nRemediation: {f.remediation}\nControls: {', '.join(f.controls)}"
        for f in skip:
            case = ET.SubElement(suite, "testcase", classname=rule.id, name=f.urn)
            w = f.waiver
            ET.SubElement(case, "skipped", message=f"waived until {w.expires.isoformat()} by {w.owner}: {w.reason}")
        total_tests += tests
        total_failures += len(bad)
        total_skipped += len(skip)
    if result.expired_waivers:
        suite = ET.SubElement(root, "testsuite", name="waivers", tests=str(len(result.expired_waivers)),
                              failures=str(len(result.expired_waivers)), errors="0", skipped="0")
        for w in result.expired_waivers:
            case = ET.SubElement(suite, "testcase", classname="waivers", name=f"{w.rule} on {w.resource}")
            ET.SubElement(case, "failure", message=f"waiver expired on {w.expires.isoformat()} (owner {w.owner})",
                          type="expired-waiver")
        total_tests += len(result.expired_waivers)
        total_failures += len(result.expired_waivers)
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    root.set("skipped", str(total_skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
