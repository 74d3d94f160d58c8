"""PostgreSQL and MySQL server parameters keep secure transport on and TLS at 1.2 or later."""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import OFF, server_parameter, tls_rank

TLS_PARAMETERS = ("require_secure_transport", "ssl_min_protocol_version", "tls_version")


def check(resource: Resource, report: Report, settings: Any) -> None:
    found = server_parameter(resource, report, names=TLS_PARAMETERS, kind="TLS",
                             fix="set the TLS parameters from the program, never below TLS 1.2")
    if found is None:
        return
    name, text, value = found
    if name == "require_secure_transport" and text in OFF:
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
