"""PostgreSQL and MySQL server parameters keep connection logging and auditing on where a stack sets them.

It judges a Configuration that exists; a server without one keeps Azure's default (off for log_disconnections and
MySQL's audit_log_enabled), so it claims no CIS number: policies/README.md lists CIS 4.3.2-4.3.5 and 4.4.3 as gaps.
"""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import UNKNOWN, Report, Resource, Rule, Severity

OFF = ("off", "0", "false", "no")
MUST_STAY_ON = ("log_checkpoints", "log_connections", "log_disconnections", "connection_throttle.enable",
                "audit_log_enabled")
MIN_LOG_RETENTION_DAYS = 4


def check(resource: Resource, report: Report, settings: Any) -> None:
    name = resource.get("configurationName") or resource.get("name")
    value = resource.get("value")
    if not isinstance(name, str):
        return
    name = name.lower()
    if name not in MUST_STAY_ON and name != "logfiles.retention_days":
        report.skip("not a logging parameter")
        return
    if value is UNKNOWN:
        report.unknown(name, "leave it on")
        return
    text = str(value).strip().lower() if value is not None else ""
    if name in MUST_STAY_ON and (text in OFF or not text):
        report(f"{name} is {value!r}; set it to ON so connections and changes are logged")
    elif name == "logfiles.retention_days":
        try:
            days = int(text)
        except ValueError:
            report(f"logfiles.retention_days is {value!r}, not a number of days; set it to >= "
                   f"{MIN_LOG_RETENTION_DAYS}")
            return
        if days < MIN_LOG_RETENTION_DAYS:
            report(f"logfiles.retention_days is {days}; keep server logs at least {MIN_LOG_RETENTION_DAYS} days")


RULE = Rule(
    id="database-logging-parameters",
    title="Database servers keep connection logging and audit logging on",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.3"),
    remediation="Set log_checkpoints, log_connections, log_disconnections, connection_throttle.enable and "
                "audit_log_enabled to ON; keep logfiles.retention_days >= 4.",
    check=check,
    applies_to=("azure-native:dbforpostgresql:Configuration", "azure-native:dbformysql:Configuration"),
    settings=("environment",),
    defaults_source="PostgreSQL/MySQL flexible server parameters: an override is judged; a parameter not set keeps "
                    "the server's default",
)
