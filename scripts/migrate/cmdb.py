"""Import of an on-prem CMDB export (CSV) into the inventory, beside what discovery found in AWS.

The CSV has a header row; names are matched without regard to case, spaces or underscores (`Memory GB` is
`memory_gb`). The delimiter is sniffed (`,`, `;` or tab: Dutch Excel writes `;`), a UTF-8 byte-order mark is
skipped. Columns (only `id`, `name` and `type` are required; unknown columns are ignored and listed):

    id, name, type                 row key (unique), display name, server|database|storage|s3-bucket
    application, environment, owner, cost_center, data_classification, personal_data,
    algorithm_register_id, migration_strategy, data_transfer_approved     -> the resource's tags
    cpu, memory_gb, disk_gb        a server's shape (whole vCPUs, GiB)
    engine, engine_version, storage_gb     a database (postgres, mysql, mariadb, sqlserver, oracle, ...)
    os, platform, state            e.g. "Ubuntu 22.04", vmware|hyperv|physical, running|stopped
    hostname, ip, country, datacenter, exposure (internal|public)
    depends_on                     ids of rows this one calls, separated by ";" or ","

Every row is checked; a bad row is reported with its line number, column and the fix. By default one bad row
fails the import (nothing is written); `skip_invalid` imports the good rows and records the bad ones.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from amsterdam_cloud.scripts.errors import UserError
from amsterdam_cloud.scripts.migrate.files import display
from amsterdam_cloud.scripts.migrate.inventory import build, fold, resource

TYPES = {"server": "onprem:server", "database": "onprem:database", "storage": "onprem:storage",
         "s3-bucket": "onprem:s3:bucket"}
REQUIRED = ("id", "name", "type")
TAG_COLUMNS = ("application", "environment", "owner", "cost_center", "data_classification", "personal_data",
               "algorithm_register_id", "migration_strategy", "data_transfer_approved")
PROPERTY_COLUMNS = ("cpu", "memory_gb", "disk_gb", "engine", "engine_version", "storage_gb", "os", "platform",
                    "state", "hostname", "ip", "country", "datacenter", "exposure", "depends_on")
KNOWN = {fold(c): c for c in REQUIRED + TAG_COLUMNS + PROPERTY_COLUMNS}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$", re.I)
MAX_SHOWN = 5


@dataclass(frozen=True, kw_only=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.message}"


def _number(kind: type, low: float, form: str) -> Callable[[str], Any]:
    def read(text: str) -> Any:
        try:
            value = kind(text.replace(",", ".") if kind is float else text)
        except ValueError:
            raise ValueError(f"{text!r} is not {form}")
        if value < low:
            raise ValueError(f"{text!r} is below {low}; expected {form}")
        return value
    return read


def _choice(*choices: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        if text.lower() not in choices:
            raise ValueError(f"{text!r} is not one of {', '.join(choices)}")
        return text.lower()
    return read


def _ip(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise ValueError(f"{text!r} is not an IP address")


def _hostname(text: str) -> str:
    if not _HOST.match(text):
        raise ValueError(f"{text!r} is not a host name")
    return text.lower()


def _country(text: str) -> str:
    if not re.match(r"^[A-Za-z]{2}$", text):
        raise ValueError(f"{text!r} is not a two-letter ISO country code such as NL")
    return text.upper()


READERS: dict[str, Callable[[str], Any]] = {
    "cpu": _number(int, 1, "a whole number of vCPUs"),
    "memory_gb": _number(float, 0.5, "a number of GiB"),
    "disk_gb": _number(float, 0, "a number of GiB"),
    "storage_gb": _number(float, 1, "a number of GiB"),
    "ip": _ip, "hostname": _hostname, "country": _country,
    "exposure": _choice("internal", "public"),
}
PROPERTY_NAMES = {"cpu": "vcpu", "memory_gb": "memoryGiB", "disk_gb": "diskGiB", "engine_version": "engineVersion",
                  "storage_gb": "storageGiB", "ip": "privateIp"}


def read_rows(path: Path, source_name: str) -> tuple[list[dict[str, Any]], list[RowError], list[str], int]:
    """Resources from the CSV's good rows, the bad rows' errors, the ignored columns, and the row count."""
    shown = display(path)
    if not path.is_file():
        raise UserError(f"{shown}: no such file; expected the CMDB export (CSV)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(f"{shown}: byte {error.start} is not UTF-8; export the CMDB as UTF-8 CSV")
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise UserError(f"{shown}: the file is empty or its first line is blank; expected a header row "
                        f"with at least {', '.join(REQUIRED)}")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise UserError(f"{shown}: line {reader.line_num}: not valid CSV ({error}); check the quoting on that line")
    header = [cell.strip() for cell in rows[0]]
    columns = [KNOWN.get(fold(name)) for name in header]
    ignored = [name for name, column in zip(header, columns) if column is None and name]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise UserError(f"{shown}: header: required column {missing[0]!r} is missing; the header needs "
                        f"{', '.join(REQUIRED)} (found: {', '.join(header)})")
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise UserError(f"{shown}: header: column {duplicates[0]!r} appears twice; keep one")
    records: list[dict[str, Any]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    pending_depends: list[tuple[int, dict[str, Any], list[str]]] = []
    line = 1
    for cells in rows[1:]:
        line += 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(RowError(line=line, column="(row)", message=f"has {len(cells)} fields but the header has "
                                   f"{len(header)}; check for a stray {delimiter!r} or a missing quote"))
            continue
        values = {column: cell.strip() for column, cell in zip(columns, cells) if column and cell.strip()}
        problems: list[RowError] = []
        for column in REQUIRED:
            if column not in values:
                problems.append(RowError(line=line, column=column, message="is empty; every row needs it"))
        row_id = values.get("id", "")
        if row_id and not _ID.match(row_id):
            problems.append(RowError(line=line, column="id", message=f"{row_id!r} has characters other than letters, "
                                     "digits and . _ : -"))
        elif row_id in seen:
            problems.append(RowError(line=line, column="id", message=f"{row_id!r} is already used on line {seen[row_id]}"))
        kind = values.get("type", "").lower()
        if kind and kind not in TYPES:
            problems.append(RowError(line=line, column="type", message=f"{values['type']!r} is not one of "
                                     f"{', '.join(TYPES)}"))
        properties: dict[str, Any] = {}
        for column in PROPERTY_COLUMNS:
            if column not in values or column == "depends_on":
                continue
            try:
                value = READERS.get(column, str)(values[column])
            except ValueError as error:
                problems.append(RowError(line=line, column=column, message=str(error)))
                continue
            properties[PROPERTY_NAMES.get(column, column)] = value
        if kind == "database" and "engine" not in values:
            problems.append(RowError(line=line, column="engine", message="is empty; a database row needs its engine"))
        if problems:
            errors.extend(problems)
            continue
        seen[row_id] = line
        if "engine" in properties:
            properties["engine"] = properties["engine"].lower()
        if kind == "database" and "storageGiB" in properties:
            properties["allocatedStorageGiB"] = properties["storageGiB"]
        tags = {column.replace("_", "-"): values[column] for column in TAG_COLUMNS if column in values}
        record = resource(id=f"cmdb://{source_name}/{row_id}", type=TYPES[kind], name=values["name"], source="cmdb",
                          account=source_name, region=properties.get("datacenter", "onprem"), tags=tags,
                          properties=properties)
        records.append(record)
        if "depends_on" in values:
            pending_depends.append((line, record, [d.strip() for d in re.split(r"[;,]", values["depends_on"]) if d.strip()]))
    good_ids = set(seen)
    for line_number, record, depends in pending_depends:
        unknown = [d for d in depends if d not in good_ids]
        if unknown:
            errors.append(RowError(line=line_number, column="depends_on",
                                   message=f"names {unknown[0]!r}, which is no (valid) row id in this file"))
            records.remove(record)
            continue
        record["properties"]["dependsOn"] = sorted(f"cmdb://{source_name}/{d}" for d in depends)
    errors.sort(key=lambda e: e.line)
    return records, errors, ignored, len([r for r in rows[1:] if any(c.strip() for c in r)])


def import_cmdb(path: Path, inventory: Mapping[str, Any] | None, *, source_name: str = "cmdb",
                skip_invalid: bool = False) -> tuple[dict[str, Any], list[RowError]]:
    """The inventory with this CMDB's rows (replacing an earlier import of the same source name)."""
    if not re.match(r"^[a-z0-9][a-z0-9-]{0,40}$", source_name):
        raise UserError(f"--source-name {source_name!r}: expected a short lower-case name such as cmdb or datacenter-west")
    records, errors, ignored, total = read_rows(path, source_name)
    shown = display(path)
    if errors and not skip_invalid:
        listed = "; ".join(str(e) for e in errors[:MAX_SHOWN])
        more = f" (and {len(errors) - MAX_SHOWN} more)" if len(errors) > MAX_SHOWN else ""
        raise UserError(f"{shown}: {len(errors)} invalid value(s): {listed}{more}; fix them or pass --skip-invalid "
                        "to import only the valid rows")
    kept = [r for r in (inventory or {}).get("resources", [])
            if not (r["source"] == "cmdb" and r["account"] == source_name)]
    sources = [s for s in (inventory or {}).get("sources", [])
               if not (s.get("kind") == "cmdb" and s.get("name") == source_name)]
    sources.append({"kind": "cmdb", "name": source_name, "file": shown, "rows": total, "imported": len(records),
                    "ignoredColumns": ignored, "invalidRows": [str(e) for e in errors],
                    "importedAt": datetime.now(timezone.utc).replace(microsecond=0).isoformat()})
    document = build(kept + records, sources=sources, errors=list((inventory or {}).get("errors", [])),
                     generated_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat())
    return document, errors
