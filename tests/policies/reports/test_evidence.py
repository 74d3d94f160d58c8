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


def _evidence_of(export, environment):
    from amsterdam_cloud.policies.checker import check_resources, parse_resources

    resources, stack = parse_resources(export)
    return check_resources(resources, environment=environment, stack=stack)


def _row(text, rule_id):
    line = next(line for line in text.splitlines() if line.startswith(f"| `{rule_id}`"))
    return [cell.strip() for cell in line.split("|")[3:-1]]  # checked, pass, fail, waived, skipped, unknown, result


def test_a_resource_a_rule_exempts_is_skipped_not_passed():
    from tests.policies.rule_fixtures import city_tags, export_of, resource

    hub_ip = resource("azure-native:network:PublicIPAddress", "fw-pip", {"location": "westeurope",
                      "tags": city_tags(), "resourceGroupName": "rg-amsterdam-connectivity-prod"},
                      parents=("amsterdam:landingzone:Hub",),
                      id="/subscriptions/00000004-0000-4000-8000-000000000004/resourceGroups/"
                         "rg-amsterdam-connectivity-prod/providers/Microsoft.Network/publicIPAddresses/fw-pip")
    result = _evidence_of(export_of(hub_ip), "prod")
    result.rules = tuple(r for r in result.rules if r.id == "network-public-ip-only-in-connectivity")
    # the prod config names amsterdam-platform/prod and its hub group as connectivity: the hub's public IP is exempt
    assert _row(render(result, "evidence-md"), "network-public-ip-only-in-connectivity") == \
        ["1", "0", "0", "0", "1", "0", "skipped"]


def test_a_value_unknown_in_dev_is_counted_as_unknown_not_passed():
    from tests.policies.rule_fixtures import UNKNOWN_VALUE, city_tags, export_of, resource

    account = resource("azure-native:storage:StorageAccount", "data", {"location": "westeurope",
                       "tags": city_tags("dev"), "minimumTlsVersion": UNKNOWN_VALUE}, stack="dev")
    result = _evidence_of(export_of(account, stack="dev"), "dev")
    assert _row(render(result, "evidence-md"), "storage-min-tls12") == ["1", "0", "0", "0", "0", "1", "unknown"]
    assert [n.policy for n in result.notes] == ["storage-min-tls12"] and not result.failed


def test_controls_no_rule_evidences_are_listed_as_not_evidenced(result):
    import dataclasses

    result = dataclasses.replace(result, rules=tuple(r for r in result.rules if r.id.startswith("residency-")))
    text = render(result, "evidence-md")
    section = text.split("## Not evidenced by this pack", 1)[1].split("\n## ", 1)[0]
    claimed = {control for rule in result.rules for control in rule.bio_controls}
    listed = {line[2:].split(" ", 2)[0] + " " + line[2:].split(" ", 2)[1] for line in section.splitlines()
              if line.startswith("- BIO ")}
    assert "BIO 12.3.1" in listed and not listed & claimed


def test_backup_is_claimed_only_by_rules_about_a_backup_copy_not_by_soft_delete():
    """Soft delete and purge protection recover a deleted object; they are no back-up copy (BIO 12.3.1)."""
    from amsterdam_cloud.policies.rules import ALL_RULES

    assert sorted(r.id for r in ALL_RULES if "BIO 12.3.1" in r.controls) == ["database-geo-redundant-backup-in-prod"]


def test_the_report_names_what_was_checked_by_hash_and_the_cis_edition_and_no_checker_commit(tmp_path, monkeypatch):
    import hashlib
    import json

    from tests.policies.rule_fixtures import city_tags, export_of, resource
    from amsterdam_cloud.scripts.cli import main

    plan = tmp_path / "prod.json"
    plan.write_text(json.dumps(export_of(resource("azure-native:storage:StorageAccount", "data",
                                                  {"location": "westeurope", "tags": city_tags()}))))
    monkeypatch.setenv("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
    main(["policy", "check", str(plan), "--evidence", str(tmp_path / "evidence.md")])
    text = (tmp_path / "evidence.md").read_text()
    assert f"- **Source SHA-256:** {hashlib.sha256(plan.read_bytes()).hexdigest()}" in text
    assert "- **Commit:** commit not recorded at plan time (no prod.json.provenance beside the plan)" in text
    assert "- **CIS numbers:** CIS Microsoft Azure Foundations Benchmark v2.1.0" in text


def test_a_prod_only_rule_in_dev_skips_instead_of_passing():
    from tests.policies.rule_fixtures import city_tags, export_of, resource

    vault = resource("azure-native:keyvault:Vault", "kv", {"location": "westeurope", "tags": city_tags("dev")},
                     stack="dev")
    text = render(_evidence_of(export_of(vault, stack="dev"), "dev"), "evidence-md")
    assert _row(text, "stateful-protected-in-prod") == ["1", "0", "0", "0", "1", "0", "skipped"]
    assert _row(text, "stateful-locked-in-prod")[-1] == "skipped"



def test_every_bio_control_a_rule_claims_has_its_title():
    from amsterdam_cloud.policies.reports.evidence import BIO_TITLES
    from amsterdam_cloud.policies.rules import ALL_RULES

    assert sorted({c for rule in ALL_RULES for c in rule.bio_controls} - set(BIO_TITLES)) == []


def test_each_control_has_a_result_line(result):
    text = render(result, "evidence-md")
    assert "**Result for BIO 18.1.4:** failed" in text
    assert text.count("**Result for BIO ") == text.count("\n## BIO ")
