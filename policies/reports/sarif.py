"""SARIF 2.1.0 for code-scanning views: one run, the pack's rules as the driver's rules (each with its README row as
`helpUri` and a `security-severity`), each result at the program line that declared the resource, waived findings
suppressed.

Which line that is differs by source. An offline plan records the program's own frame (the first under the project,
outside installed packages), so a resource a toolkit component creates points at the app's line that made the
component. A real `pulumi stack export` carries the SDK's immediate caller (`_get_source_position`: frames[0]), which
for such a resource is the component's file inside the installed toolkit
(`file:///.../site-packages/amsterdam_cloud/components/...py#62`): no file of the repository being scanned, so the
result points at the stack file instead, and names the toolkit line in its properties (`toolkitPosition`).
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Callable
from urllib.parse import quote, unquote

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.readme import rule_doc_uri

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}
INFORMATION_URI = "https://github.com/Amsterdam"


def repository_root(start: Path) -> Path:
    """The git repository `start` is in (code-scanning views resolve result paths against its root); the working
    folder when there is no repository (or no git)."""
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(start), "rev-parse", "--show-toplevel"], capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return Path.cwd()
    return Path(done.stdout.strip()).resolve() if done.returncode == 0 and done.stdout.strip() else Path.cwd()


def _artifact_uri(source: str | Path, base: Path) -> str | None:
    """A file as a URI reference relative to the repository root `base`; an absolute file URI outside it; None
    for an in-memory plan (`<plan>`)."""
    if not source or str(source).startswith("<"):
        return None
    path = Path(source).resolve()
    try:
        path = path.relative_to(base)
    except ValueError:
        return path.as_uri()
    return quote(path.as_posix())


_TOOLKIT_POSITION = re.compile(r"^file://.*/site-packages/(amsterdam_cloud/[^#]+)#(\d+)")


def toolkit_position(source_position: str) -> str | None:
    """`amsterdam_cloud/components/app_hosting/storage.py#62` for a real export's position inside the installed
    toolkit (`file:///.../site-packages/amsterdam_cloud/...#62`); None for any other position."""
    found = _TOOLKIT_POSITION.match(source_position)
    return f"{unquote(found.group(1))}#{found.group(2)}" if found else None


def _locator(result) -> Callable[[str], dict]:
    """URN to the SARIF physical location of the resource: the program line that declared it (the plan's
    `sourcePosition`, relative to the project), else the stack's config file, else the checked file."""
    from amsterdam_cloud.core.source_positions import parse

    root = result.project_root
    base = repository_root(root if root is not None else Path.cwd())
    fallback_file = result.stack_file if result.stack_file is not None and result.stack_file.is_file() else None
    fallback = ({"artifactLocation": {"uri": _artifact_uri(fallback_file, base)}, "region": {"startLine": 1}}
                if fallback_file is not None else
                {"artifactLocation": {"uri": uri}} if (uri := _artifact_uri(result.source, base)) else {})

    def physical(urn: str) -> dict:
        position = result.source_positions.get(urn, "")
        if toolkit_position(position):
            return fallback  # the installed toolkit's file is in no repository being scanned: the stack file
        where = parse(position) if root is not None else None
        if where is None or not (root / where[0]).is_file():
            return fallback
        return {"artifactLocation": {"uri": _artifact_uri(root / where[0], base)}, "region": {"startLine": where[1]}}

    return physical


def _level(enforcement: str) -> str:
    return "error" if enforcement == "mandatory" else "warning"


def render_sarif(result) -> str:
    rules = list(result.rules)
    index = {rule.id: i for i, rule in enumerate(rules)}
    driver_rules = [{
        "id": rule.id,
        "name": "".join(part.title() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title}. Controls: {', '.join(rule.controls)}."},
        "helpUri": rule_doc_uri(rule.id),
        "help": {"text": rule.remediation, "markdown": f"**Remediation:** {rule.remediation}"},
        "defaultConfiguration": {"level": _level(result.levels.get(rule.id, "advisory"))},
        "properties": {"tags": ["security", *rule.controls], "security-severity": SECURITY_SEVERITY[rule.severity],
                       "severity": rule.severity.value},
    } for rule in rules]

    physical = _locator(result)

    def sarif_result(finding, suppressed: bool) -> dict:
        location = physical(finding.urn)
        item = {
            "ruleId": finding.policy,
            "level": _level(finding.enforcement),
            "message": {"text": finding.message},
            "locations": [{
                **({"physicalLocation": location} if location else {}),
                "logicalLocations": [{"fullyQualifiedName": finding.urn, "kind": "resource",
                                      "name": finding.urn.rsplit("::", 1)[-1]}],
            }],
            "partialFingerprints": {"urnAndPolicy/v1": f"{finding.urn}|{finding.policy}"},
            "properties": {"urn": finding.urn, "controls": list(finding.controls), "severity": finding.severity.value,
                           "enforcement": finding.enforcement},
        }
        in_toolkit = toolkit_position(result.source_positions.get(finding.urn, ""))
        if in_toolkit:
            item["properties"]["toolkitPosition"] = in_toolkit
        if finding.policy in index:
            item["ruleIndex"] = index[finding.policy]
        if suppressed:
            w = finding.waiver
            item["suppressions"] = [{"kind": "external", "status": "accepted",
                                     "justification": f"{w.reason} (owner {w.owner}, until {w.expires.isoformat()}"
                                                      f"{', ticket ' + w.ticket if w.ticket else ''})"}]
        return item

    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": result.pack_name, "version": result.pack_version,
                                "informationUri": INFORMATION_URI, "rules": driver_rules}},
            "automationDetails": {"id": f"{result.pack_name}/{result.stack}/{result.environment}"},
            "invocations": [{"executionSuccessful": True,
                             "properties": {"stack": result.stack, "environment": result.environment,
                                            "expiredWaivers": [w.as_dict() for w in result.expired_waivers],
                                            "tooLongWaivers": [m for _, m in result.too_long_waivers]}}],
            "results": [sarif_result(f, False) for f in result.findings]
                       + [sarif_result(f, True) for f in result.waived],
        }],
    }
    return json.dumps(document, indent=2) + "\n"
