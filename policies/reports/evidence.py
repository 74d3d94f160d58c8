"""The auditor's evidence report: per BIO control, the rules, the resources checked, pass, fail or waived."""

from __future__ import annotations

import html as html_lib
from collections import defaultdict

BIO_TITLES = {
    "BIO 8.1.1": "Inventariseren van bedrijfsmiddelen", "BIO 8.1.2": "Eigendom van bedrijfsmiddelen",
    "BIO 8.2.1": "Classificatie van informatie", "BIO 8.2.2": "Informatie labelen",
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


def _rows(result):
    fails, waives = defaultdict(set), defaultdict(set)
    for f in result.findings:
        fails[f.policy].add(f.urn)
    for f in result.waived:
        waives[f.policy].add(f.urn)
    per_control = defaultdict(list)
    for rule in result.rules:
        checked = set(result.checked.get(rule.id, []))
        failed = fails[rule.id]
        waived = waives[rule.id] - failed
        passed = checked - failed - waived
        row = (rule, len(checked), len(passed), len(failed), len(waived))
        for control in rule.bio_controls or ("no BIO control",):
            per_control[control].append(row)
    return per_control


def _control_key(control: str):
    parts = control.replace("BIO ", "").split(".")
    return [int(p) if p.isdigit() else 0 for p in parts]


def render_evidence(result, *, html: bool = False) -> str:
    per_control = _rows(result)
    title = f"Policy evidence: stack {result.stack} ({result.environment})"
    meta = [("Pack", f"{result.pack_name} {result.pack_version}"), ("Stack", result.stack),
            ("Environment", result.environment), ("Checked on", result.today.isoformat()),
            ("Source", result.source), ("Resources", str(result.resource_count)), ("Rules", str(len(result.rules))),
            ("Verdict", "FAILED" if result.failed else "passed")]
    controls = sorted(per_control, key=_control_key)
    if not html:
        out = [f"# {title}", ""] + [f"- **{k}:** {v}" for k, v in meta] + [""]
        for control in controls:
            out += [f"## {control} {BIO_TITLES.get(control, '')}".rstrip(), "",
                    "| Rule | Level | Checked | Pass | Fail | Waived | Result |", "|---|---|---|---|---|---|---|"]
            for rule, checked, passed, failed, waived in per_control[control]:
                verdict = "fail" if failed else ("waived" if waived else ("pass" if checked else "not applicable"))
                out.append(f"| `{rule.id}` {rule.title} | {result.levels.get(rule.id, '')} | {checked} | {passed} "
                           f"| {failed} | {waived} | {verdict} |")
            out.append("")
        if result.findings:
            out += ["## Violations", ""] + [f"- `{f.policy}` {f.urn}: {f.message}" for f in result.findings] + [""]
        if result.waived:
            out += ["## Waived findings", ""] + [
                f"- `{f.policy}` {f.urn}: waived until {f.waiver.expires.isoformat()} by {f.waiver.owner}"
                f"{' (' + f.waiver.ticket + ')' if f.waiver.ticket else ''}: {f.waiver.reason}" for f in result.waived] + [""]
        if result.expired_waivers:
            out += ["## Expired waivers", ""] + [
                f"- `{w.rule}` {w.resource}: expired {w.expires.isoformat()}, owner {w.owner}"
                for w in result.expired_waivers] + [""]
        return "\n".join(out)
    e = html_lib.escape
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{e(title)}</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}"
             "td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}.fail{color:#b00020}"
             ".pass{color:#00703c}.waived{color:#8a6d00}</style></head><body>",
             f"<h1>{e(title)}</h1><dl>"] + [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in meta] + ["</dl>"]
    for control in controls:
        parts.append(f"<h2>{e(control)} {e(BIO_TITLES.get(control, ''))}</h2><table><tr><th>Rule</th><th>Level</th>"
                     "<th>Checked</th><th>Pass</th><th>Fail</th><th>Waived</th><th>Result</th></tr>")
        for rule, checked, passed, failed, waived in per_control[control]:
            verdict = "fail" if failed else ("waived" if waived else ("pass" if checked else "not applicable"))
            parts.append(f"<tr><td><code>{e(rule.id)}</code> {e(rule.title)}</td>"
                         f"<td>{e(result.levels.get(rule.id, ''))}</td><td>{checked}</td><td>{passed}</td>"
                         f"<td>{failed}</td><td>{waived}</td><td class=\"{verdict.split()[0]}\">{verdict}</td></tr>")
        parts.append("</table>")
    if result.findings:
        parts.append("<h2>Violations</h2><ul>" + "".join(
            f"<li><code>{e(f.policy)}</code> {e(f.urn)}: {e(f.message)}</li>" for f in result.findings) + "</ul>")
    if result.waived:
        parts.append("<h2>Waived findings</h2><ul>" + "".join(
            f"<li><code>{e(f.policy)}</code> {e(f.urn)}: until {f.waiver.expires.isoformat()}, "
            f"{e(f.waiver.owner)}: {e(f.waiver.reason)}</li>" for f in result.waived) + "</ul>")
    if result.expired_waivers:
        parts.append("<h2>Expired waivers</h2><ul>" + "".join(
            f"<li><code>{e(w.rule)}</code> {e(w.resource)}: expired {w.expires.isoformat()}, {e(w.owner)}</li>"
            for w in result.expired_waivers) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
