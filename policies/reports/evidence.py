"""The auditor's evidence report: per BIO control, the rules and the resources each checked, with pass apart from
fail, waived, skipped (out of scope) and unknown; the controls no rule evidences; what was checked (the plan's
SHA-256, the commit) and by which pack version."""

from __future__ import annotations

import html as html_lib
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

BIO_TITLES = {
    "BIO 8.1.1": "Inventariseren van bedrijfsmiddelen", "BIO 8.1.2": "Eigendom van bedrijfsmiddelen",
    "BIO 8.2.1": "Classificatie van informatie", "BIO 8.2.2": "Informatie labelen",
    "BIO 8.3.1": "Beheer van verwijderbare media", "BIO 9.2.2": "Gebruikers toegang verlenen",
    "BIO 12.6.1": "Beheer van technische kwetsbaarheden", "BIO 14.2.1": "Beleid voor beveiligd ontwikkelen",
    "BIO 9.1.1": "Beleid voor toegangsbeveiliging", "BIO 9.1.2": "Toegang tot netwerken en netwerkdiensten",
    "BIO 9.2.3": "Beheren van speciale toegangsrechten",
    "BIO 9.2.4": "Beheer van geheime authenticatie-informatie van gebruikers",
    "BIO 9.4.1": "Beperking toegang tot informatie", "BIO 9.4.2": "Beveiligde inlogprocedures",
    "BIO 9.4.3": "Systeem voor wachtwoordbeheer",
    "BIO 10.1.1": "Beleid inzake het gebruik van cryptografische beheersmaatregelen", "BIO 10.1.2": "Sleutelbeheer",
    "BIO 12.1.2": "Wijzigingsbeheer", "BIO 12.1.4": "Scheiding van ontwikkel-, test- en productieomgevingen",
    "BIO 12.2.1": "Beheersmaatregelen tegen malware", "BIO 12.3.1": "Back-up van informatie",
    "BIO 12.4.1": "Gebeurtenissen registreren", "BIO 12.4.2": "Beschermen van informatie in logbestanden",
    "BIO 12.4.3": "Logbestanden van beheerders en operators",
    "BIO 12.5.1": "Software installeren op operationele systemen",
    "BIO 13.1.1": "Beheersmaatregelen voor netwerken", "BIO 13.1.3": "Scheiding in netwerken",
    "BIO 13.2.1": "Beleid en procedures voor informatietransport",
    "BIO 14.1.2": "Toepassingen op openbare netwerken beveiligen",
    "BIO 14.2.5": "Principes voor engineering van beveiligde systemen",
    "BIO 18.1.1": "Vaststellen van toepasselijke wetgeving en contractuele eisen",
    "BIO 18.1.4": "Privacy en bescherming van persoonsgegevens",
}


CIS_EDITION = "CIS Microsoft Azure Foundations Benchmark v2.1.0"
"""The edition whose recommendation numbers the rules' `CIS x.y` controls quote (policies/README.md coverage)."""


class EvidencedRule(Protocol):
    """What the report reads of a rule (a resource or a stack rule): its id and its title."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...


@dataclass(frozen=True, kw_only=True)
class Row:
    """One rule's evidence: how many resources it judged and how each came out."""

    rule: EvidencedRule
    checked: int
    passed: int
    failed: int
    waived: int
    skipped: int
    """Judged out of the rule's scope (an exemption it checked, e.g. the landing zone's connectivity part)."""
    unknown: int
    """Passed over because a value is unknown until deployment (dev and test; in acc and prod: failed)."""

    @property
    def verdict(self) -> str:
        if self.failed:
            return "fail"
        if self.waived:
            return "waived"
        if not self.checked:
            return "not applicable"
        if self.unknown:
            return "unknown"
        return "pass" if self.passed else "skipped"


def _rows(result) -> dict[str, list[Row]]:
    fails, waives, notes = defaultdict(set), defaultdict(set), defaultdict(set)
    for f in result.findings:
        fails[f.policy].add(f.urn)
    for f in result.waived:
        waives[f.policy].add(f.urn)
    for f in result.notes:
        notes[f.policy].add(f.urn)
    per_control = defaultdict(list)
    for rule in result.rules:
        checked = set(result.checked.get(rule.id, []))
        failed = fails[rule.id]
        waived = waives[rule.id] - failed
        unknown = notes[rule.id] - failed - waived
        skipped = set(result.skipped.get(rule.id, ())) - failed - waived - unknown
        row = Row(rule=rule, checked=len(checked), passed=len(checked - failed - waived - unknown - skipped),
                  failed=len(failed), waived=len(waived), skipped=len(skipped), unknown=len(unknown))
        for control in rule.bio_controls or ("no BIO control",):
            per_control[control].append(row)
    return per_control


def _meta(result) -> list[tuple[str, str]]:
    return [("Pack", f"{result.pack_name} {result.pack_version}"), ("Stack", result.stack),
            ("Environment", result.environment), ("Checked on", result.today.isoformat()),
            ("Source", result.source), ("Source SHA-256", result.source_sha256 or "not known (read from memory)"),
            ("Commit", result.commit or "commit not recorded at plan time"),
            ("Resources", str(result.resource_count)), ("Rules", str(len(result.rules))),
            ("CIS numbers", CIS_EDITION), ("Verdict", "FAILED" if result.failed else "passed")]


def _not_evidenced(per_control) -> list[str]:
    """The BIO controls this report names that no active rule evidences (they need evidence from elsewhere)."""
    return sorted((c for c in BIO_TITLES if c not in per_control), key=_control_key)


def control_result(rows: list[Row]) -> str:
    """One control's result over its rules: failed, evidenced, unknown, or not evidenced by this stack."""
    verdicts = {row.verdict for row in rows}
    if "fail" in verdicts:
        return "failed"
    if verdicts <= {"not applicable", "skipped"}:
        return "not evidenced by this stack (no resource its rules judge)"
    return "unknown until deployment in part" if "unknown" in verdicts else "evidenced"


COLUMNS = ("Rule", "Level", "Checked", "Pass", "Fail", "Waived", "Skipped", "Unknown", "Result")


def _control_key(control: str):
    parts = control.replace("BIO ", "").split(".")
    return [int(p) if p.isdigit() else 0 for p in parts]


def render_evidence(result, *, html: bool = False) -> str:
    per_control = _rows(result)
    title = f"Policy evidence: stack {result.stack} ({result.environment})"
    meta = _meta(result)
    controls = sorted(per_control, key=_control_key)
    missing = _not_evidenced(per_control)
    legend = ("Pass: judged and compliant. Skipped: out of the rule's scope by an exemption the rule checked. "
              "Unknown: a value not known until deployment, passed over with a note (only in dev and test). "
              "Not applicable: no resource of the rule's types.")
    if not html:
        out = [f"# {title}", ""] + [f"- **{k}:** {v}" for k, v in meta] + ["", legend, ""]
        for control in controls:
            out += [f"## {control} {BIO_TITLES.get(control, '')}".rstrip(), "",
                    "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
            for row in per_control[control]:
                out.append(f"| `{row.rule.id}` {row.rule.title} | {result.levels.get(row.rule.id, '')} | "
                           f"{row.checked} | {row.passed} | {row.failed} | {row.waived} | {row.skipped} | "
                           f"{row.unknown} | {row.verdict} |")
            out += ["", f"**Result for {control}:** {control_result(per_control[control])}", ""]
        if missing:
            out += ["## Not evidenced by this pack", "",
                    "No rule of the pack judges these controls; their evidence must come from elsewhere.", ""]
            out += [f"- {control} {BIO_TITLES[control]}" for control in missing] + [""]
        if result.findings:
            out += ["## Violations", ""] + [f"- `{f.policy}` {f.urn}: {f.message}" for f in result.findings] + [""]
        if result.waived:
            out += ["## Waived findings", ""] + [
                f"- `{f.policy}` {f.urn}: waived until {f.waiver.expires.isoformat()} by {f.waiver.owner}"
                f" (approved by {f.waiver.approver or '-'}, {f.waiver.ticket or 'no ticket'}): {f.waiver.reason}"
                for f in result.waived] + [""]
        if result.expired_waivers:
            out += ["## Expired waivers", ""] + [
                f"- `{w.rule}` {w.resource}: expired {w.expires.isoformat()}, owner {w.owner}"
                for w in result.expired_waivers] + [""]
        if result.too_long_waivers:
            out += ["## Waivers running too long", ""] + [f"- {m}" for _, m in result.too_long_waivers] + [""]
        return "\n".join(out)
    e = html_lib.escape
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{e(title)}</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}"
             "td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}.fail{color:#b00020}"
             ".pass{color:#00703c}.waived{color:#8a6d00}</style></head><body>",
             f"<h1>{e(title)}</h1><dl>"] + [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in meta] + \
        ["</dl>", f"<p>{e(legend)}</p>"]
    for control in controls:
        parts.append(f"<h2>{e(control)} {e(BIO_TITLES.get(control, ''))}</h2><table><tr>"
                     + "".join(f"<th>{column}</th>" for column in COLUMNS) + "</tr>")
        for row in per_control[control]:
            parts.append(f"<tr><td><code>{e(row.rule.id)}</code> {e(row.rule.title)}</td>"
                         f"<td>{e(result.levels.get(row.rule.id, ''))}</td><td>{row.checked}</td><td>{row.passed}</td>"
                         f"<td>{row.failed}</td><td>{row.waived}</td><td>{row.skipped}</td><td>{row.unknown}</td>"
                         f"<td class=\"{row.verdict.split()[0]}\">{row.verdict}</td></tr>")
        parts.append(f"</table><p><strong>Result for {e(control)}:</strong> "
                     f"{e(control_result(per_control[control]))}</p>")
    if missing:
        parts.append("<h2>Not evidenced by this pack</h2><p>No rule of the pack judges these controls; their "
                     "evidence must come from elsewhere.</p><ul>"
                     + "".join(f"<li>{e(c)} {e(BIO_TITLES[c])}</li>" for c in missing) + "</ul>")
    if result.findings:
        parts.append("<h2>Violations</h2><ul>" + "".join(
            f"<li><code>{e(f.policy)}</code> {e(f.urn)}: {e(f.message)}</li>" for f in result.findings) + "</ul>")
    if result.waived:
        parts.append("<h2>Waived findings</h2><ul>" + "".join(
            f"<li><code>{e(f.policy)}</code> {e(f.urn)}: until {f.waiver.expires.isoformat()}, "
            f"{e(f.waiver.owner)} (approved by {e(f.waiver.approver or '-')}): {e(f.waiver.reason)}</li>"
            for f in result.waived) + "</ul>")
    if result.expired_waivers:
        parts.append("<h2>Expired waivers</h2><ul>" + "".join(
            f"<li><code>{e(w.rule)}</code> {e(w.resource)}: expired {w.expires.isoformat()}, {e(w.owner)}</li>"
            for w in result.expired_waivers) + "</ul>")
    if result.too_long_waivers:
        parts.append("<h2>Waivers running too long</h2><ul>"
                     + "".join(f"<li>{e(m)}</li>" for _, m in result.too_long_waivers) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
