"""The waivers file format in core: read without any policy knowledge; what is critical is the caller's to say."""

from __future__ import annotations

import datetime as dt

import pytest

from amsterdam_cloud.core.waivers import WaiverError, parse_waivers

EXEMPTION = {"rule": "allowed-locations", "resource": "/subscriptions/*", "stack": "*",
             "reason": "Sandbox subscriptions may use any EU region.", "owner": "cloud-platform@amsterdam.nl",
             "ticket": "CLOUD-77", "expires": "2027-03-31"}


def test_the_format_alone_takes_a_pattern_for_any_rule_and_reads_its_fields():
    (waiver,) = parse_waivers({"waivers": [EXEMPTION]}, "exemptions.yaml")
    assert (waiver.rule, waiver.expires, waiver.index, waiver.source) == (
        "allowed-locations", dt.date(2027, 3, 31), 0, "exemptions.yaml")


def test_a_rule_the_caller_calls_critical_is_waived_per_resource_and_stack_only():
    with pytest.raises(WaiverError, match=r"^exemptions.yaml: waivers\[0\]: allowed-locations is a critical rule"):
        parse_waivers({"waivers": [EXEMPTION]}, "exemptions.yaml", critical=lambda rule: rule == "allowed-locations")


@pytest.mark.parametrize(("document", "approval", "message"), [
    (None, False, r"^exemptions.yaml: is empty"),
    ({"waivers": [{**EXEMPTION, "ticket": "soon"}]}, False, r"waivers\[0\].ticket: 'soon' is not a ticket id"),
    ({"waivers": [EXEMPTION]}, True, r"waivers\[0\].approver: required"),
])
def test_a_malformed_file_names_the_waiver_and_the_field(document, approval, message):
    with pytest.raises(WaiverError, match=message):
        parse_waivers(document, "exemptions.yaml", approval=approval)
