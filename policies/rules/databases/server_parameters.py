"""PostgreSQL and MySQL server parameters keep secure transport on and TLS at 1.2 or later."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import tls_rank

TLS_PARAMETERS = ("require_secure_transport", "ssl_min_protocol_version", "tls_version")


def check(resource: Resource, report: Report, settings: Any) -> None:
    name = resource.get("configurationName")
    name = resource.get("name") if name is None else name
    value = resource.get("value")
    if name is UNKNOWN:
        report.unknown("the parameter name (configurationName)", "name the server parameter in the program")
        return
    if not isinstance(name, str) or name.lower() not in TLS_PARAMETERS:
        report.skip("not a TLS parameter")
        return
    if value is UNKNOWN:
        report.unknown(f"{name} (value)", "set the TLS parameters from the program, never below TLS 1.2")
        return
    name = name.lower()
    text = str(value).strip().lower() if value is not None else ""
    if name == "require_secure_transport" and text in ("off", "0", "false", "no"):
        report(f"require_secure_transport is {value!r}; leave it ON so every connection uses TLS")
    elif name == "ssl_min_protocol_version" and (tls_rank(text) or 0) < 1.2:
        report(f"ssl_min_protocol_version is {value!r}; set it to 'TLSv1.2' or 'TLSv1.3'")
    elif name == "tls_version":
        weak = [v for v in text.replace(" ", "").split(",") if v and (tls_rank(v) or 0) < 1.2]
        if weak or not text:
            report(f"tls_version is {value!r}; allow only 'TLSv1.2,TLSv1.3'")


RULE = Rule(
    id="database-secure-transport",
    title="Database servers keep secure transport and TLS 1.2",
    severity=Severity.HIGH,
    controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 4.3.1", "CIS 4.4.1", "CIS 4.4.2"),
    remediation="Do not override require_secure_transport, ssl_min_protocol_version or tls_version below TLS 1.2.",
    check=check,
    applies_to=("azure-native:dbforpostgresql:Configuration", "azure-native:dbformysql:Configuration"),
    defaults_source="PostgreSQL/MySQL flexible server: require_secure_transport defaults to ON, minimum TLS 1.2",
)
