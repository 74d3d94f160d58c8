"""The generated parts of policies/README.md: the rule tables (from each rule's metadata) and the reader of the
coverage table (Checkov and CIS checks against our rules). `python -m amsterdam_cloud.policies.readme` rewrites
the rule tables; tests keep both in step with the rules."""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"
RULES_DOC_URI = "https://github.com/Amsterdam/amsterdam-cloud/blob/main/policies/README.md"
"""Where the rules are documented for people; each rule's row has the anchor `rule_anchor(id)`."""
RULES_START, RULES_END = "<!-- rules:start (generated: python -m amsterdam_cloud.policies.readme) -->", "<!-- rules:end -->"
COVERAGE_STATUSES = ("covered", "refused", "gap", "n/a")
_ROW = re.compile(r"^\| (CKV2?_AZURE_\d+|CIS [\d.]+) \| (.+?) \| (covered|refused|gap|n/a) \| (.+) \|$")


def rule_anchor(rule_id: str) -> str:
    return f"rule-{rule_id}"


def rule_doc_uri(rule_id: str) -> str:
    """The rule's row in the README (SARIF `helpUri`)."""
    return f"{RULES_DOC_URI}#{rule_anchor(rule_id)}"


def rules_section() -> str:
    """Per domain, a table of every rule: id, severity, controls, title."""
    from amsterdam_cloud.policies.rules import ALL_RULES, DOMAIN_OF

    lines: list[str] = []
    for domain in sorted(set(DOMAIN_OF.values())):
        rules = sorted((r for r in ALL_RULES if DOMAIN_OF[r.id] == domain), key=lambda r: r.id)
        lines += ["", f"**{domain}** ({len(rules)})", "", "| Rule id | Severity | Controls | What it checks |",
                  "|---|---|---|---|"]
        lines += [f"| <a id=\"{rule_anchor(r.id)}\"></a>`{r.id}` | {r.severity.value} | {', '.join(r.controls)} | "
                  f"{r.title} |" for r in rules]
    return "\n".join([RULES_START, *lines, "", RULES_END])


def with_rules_section(text: str) -> str:
    """The README text with its generated rule tables replaced by the current ones."""
    start, end = text.index(RULES_START), text.index(RULES_END) + len(RULES_END)
    return text[:start] + rules_section() + text[end:]


def coverage_rows(text: str) -> list[tuple[str, str, str, str]]:
    """(check, what it asks, status, rule or reason) for every row of the coverage table."""
    return [(m[1], m[2], m[3], m[4]) for line in text.splitlines() if (m := _ROW.match(line.strip()))]


def covering_rule(note: str) -> str:
    """The rule id a `covered` row names (its first `code` span)."""
    found = re.match(r"`([a-z0-9-]+)`", note)
    return found.group(1) if found else ""


if __name__ == "__main__":
    README.write_text(with_rules_section(README.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stdout.write(f"{README}: rule tables regenerated\n")
