"""Evidence report: per BIO control the rules, resources checked, pass/fail/waived, and the pack version."""

from html.parser import HTMLParser

from amsterdam_cloud.policies.checker import render


def test_markdown_evidence_has_a_section_per_bio_control_with_counts(result):
    text = render(result, "evidence-md")
    assert "## BIO 18.1.4 Privacy en bescherming van persoonsgegevens" in text
    row = next(line for line in text.splitlines() if line.startswith("| `residency-allowed-location`"))
    assert row.split("|")[3:7] == [" 2 ", " 1 ", " 1 ", " 0 "]  # checked, pass, fail, waived


def test_evidence_names_pack_version_stack_and_verdict(result):
    text = render(result, "evidence-md")
    assert f"amsterdam-baseline {result.pack_version}" in text and "**Verdict:** FAILED" in text


def test_waived_rule_is_reported_as_waived_in_evidence(result):
    row = next(line for line in render(result, "evidence-md").splitlines()
               if line.startswith("| `network-nsg-no-admin-ports-from-internet`"))
    assert row.rstrip(" |").endswith("waived")


def test_html_evidence_is_well_formed_and_escapes_text(result):
    html = render(result, "evidence-html")

    class Checker(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack = []

        def handle_starttag(self, tag, attrs):
            if tag not in ("meta", "br"):
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack.pop() == tag

    parser = Checker()
    parser.feed(html)
    assert parser.stack == [] and "Break-glass &lt;access&gt; &amp; review" in html
