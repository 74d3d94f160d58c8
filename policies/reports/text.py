"""The human report: violations grouped by severity, then by BIO control; waived findings listed apart."""

from __future__ import annotations

from collections import defaultdict

from amsterdam_cloud.policies.rule_model import SEVERITY_ORDER


def primary_control(controls: tuple[str, ...]) -> str:
    bio = [c for c in controls if c.startswith("BIO ")]
    return bio[0] if bio else "no BIO control"


def _control_key(control: str) -> list[int]:
    return [int(p) if p.isdigit() else 999 for p in control.replace("BIO ", "").split(".")]


def render_text(result) -> str:
    lines = [f"Policy check of stack {result.stack or '?'} ({result.environment}) from {result.source}: "
             f"pack {result.pack_name} {result.pack_version}, {len(result.rules)} rules, "
             f"{result.resource_count} resources", ""]
    groups: dict = defaultdict(lambda: defaultdict(list))
    for finding in result.findings:
        groups[finding.severity][primary_control(finding.controls)].append(finding)
    for severity in sorted(groups, key=SEVERITY_ORDER.__getitem__):
        count = sum(len(v) for v in groups[severity].values())
        lines.append(f"{severity.value.upper()} ({count})")
        for control in sorted(groups[severity], key=_control_key):
            lines.append(f"  {control}")
            for f in groups[severity][control]:
                lines.append(f"    [{f.enforcement}] {f.policy}: {f.urn}")
                lines.append(f"        {f.message}")
        lines.append("")
    if not result.findings:
        lines += ["No violations.", ""]
    if result.waived:
        lines.append(f"WAIVED ({len(result.waived)}), accepted until their expiry date")
        for f in result.waived:
            w = f.waiver
            lines.append(f"  {f.policy}: {f.urn}")
            lines.append(f"      until {w.expires.isoformat()}, owner {w.owner}"
                         f"{', ticket ' + w.ticket if w.ticket else ''}: {w.reason}")
        lines.append("")
    if result.expired_waivers:
        lines.append(f"EXPIRED WAIVERS ({len(result.expired_waivers)}): renew or remove them in the waivers file")
        for w in result.expired_waivers:
            lines.append(f"  waivers[{w.index}] {w.rule} on {w.resource} (stack {w.stack}) expired "
                         f"{w.expires.isoformat()}, owner {w.owner}")
        lines.append("")
    if result.too_long_waivers:
        lines.append(f"WAIVERS TOO LONG ({len(result.too_long_waivers)}): shorten them in the waivers file")
        lines += [f"  {message}" for _, message in result.too_long_waivers] + [""]
    if result.notes:
        lines.append(f"UNKNOWN UNTIL DEPLOYMENT ({len(result.notes)}): not judged in {result.environment}; "
                     "in acc and prod each is a violation")
        lines += [f"  {n.policy}: {n.urn}: {n.message}" for n in result.notes] + [""]
    lines.append(result.summary())
    return "\n".join(lines) + "\n"


def render_text_summary(result, *, limit: int = 20) -> str:
    """The people's view beside a machine report: counts by severity and BIO control, the first findings, the verdict."""
    counts: dict = defaultdict(lambda: defaultdict(int))
    for finding in result.findings:
        counts[finding.severity][primary_control(finding.controls)] += 1
    lines = []
    for severity in sorted(counts, key=SEVERITY_ORDER.__getitem__):
        per_control = ", ".join(f"{control} {n}" for control, n in sorted(counts[severity].items(),
                                                                          key=lambda item: _control_key(item[0])))
        lines.append(f"{severity.value.upper()} {sum(counts[severity].values())}: {per_control}")
    for f in result.findings[:limit]:
        lines.append(f"  [{f.enforcement}] {f.policy}: {f.urn}: {f.message}")
    if len(result.findings) > limit:
        lines.append(f"  ... and {len(result.findings) - limit} more in the report")
    if result.waived:
        lines.append(f"WAIVED {len(result.waived)}")
    for w in result.expired_waivers:
        lines.append(f"EXPIRED WAIVER waivers[{w.index}] {w.rule} on {w.resource}: expired {w.expires.isoformat()}, "
                     f"owner {w.owner}")
    lines += [f"WAIVER TOO LONG {message}" for _, message in result.too_long_waivers]
    lines.append(result.summary())
    return "\n".join(lines) + "\n"
