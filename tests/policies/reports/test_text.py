"""Text report: grouped by severity, then BIO control; waived findings and expired waivers listed apart."""

from amsterdam_cloud.policies.checker import render


def test_severities_appear_most_severe_first(result):
    text = render(result, "text")
    headers = [line.split(" ")[0] for line in text.splitlines() if line[:1].isupper() and "(" in line
               and line.split(" ")[0] in ("CRITICAL", "HIGH", "MEDIUM", "LOW")]
    order = ["CRITICAL", "HIGH", "MEDIUM", "LOW"]
    assert headers == sorted(headers, key=order.index) and headers[0] == "CRITICAL"


def test_findings_are_grouped_under_their_bio_control(result):
    text = render(result, "text")
    assert text.index("  BIO 18.1.1") < text.index("residency-allowed-location")


def test_waived_and_expired_sections_come_after_violations(result):
    text = render(result, "text")
    assert text.index("WAIVED (1)") > text.index("CRITICAL") and "EXPIRED WAIVERS (1)" in text
    assert "policy check FAILED" in text.splitlines()[-1]
