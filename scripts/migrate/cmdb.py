"""Import of an on-prem CMDB export (CSV) into the inventory, beside what discovery found in AWS.

The CSV has a header row; names are matched without regard to case, spaces or punctuation (`Memory GB` is
`memory_gb`), in English or as Dutch exports write them (`Naam`, `Soort`, `Omgeving`, `Eigenaar`, `Kostenplaats`,
`Geheugen (GB)`, `Land`: `HEADER_ALIASES`). The delimiter is sniffed (`,`, `;` or tab: Dutch Excel writes `;`);
the text is UTF-8 (with or without a byte-order mark) or Windows-1252. Numbers may use decimal commas (`1.024,5`),
countries may be named (`Nederland`). Columns (only `id`, `name` and `type` are required; unknown columns are
ignored and listed):

    id, name, type                 row key (unique), display name, server|database|storage|s3-bucket
    application, environment, owner, cost_center, data_classification, personal_data,
    algorithm_register_id, migration_strategy, data_transfer_approved     -> the resource's tags
    cpu, memory_gb, disk_gb        a server's shape (whole vCPUs, GiB)
    engine, engine_version, storage_gb     a database (postgres, mysql, mariadb, sqlserver, oracle, ...)
    os, platform, state            e.g. "Ubuntu 22.04", vmware|hyperv|physical, running|stopped
    hostname, ip, country, datacenter, exposure (internal|public)
    depends_on                     ids of rows this one calls, separated by ";" or ","

Every row is checked. A bad optional cell is a warning on that cell and the row is imported without it; a bad
required cell (id, name, type) makes the row invalid, reported with its line number, column and the fix. By
default one invalid row fails the import (nothing is written); `skip_invalid` imports the good rows and records
the invalid ones.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.migrate.yaml_documents import display
from amsterdam_cloud.scripts.migrate.inventory import TAG_ALIASES, build, fold, resource
from amsterdam_cloud.scripts.migrate.overrides import NONE, Overrides

TYPES = {"server": "onprem:server", "database": "onprem:database", "storage": "onprem:storage",
         "s3-bucket": "onprem:s3:bucket"}
REQUIRED = ("id", "name", "type")
TAG_COLUMNS = ("application", "environment", "owner", "cost_center", "data_classification", "personal_data",
               "algorithm_register_id", "migration_strategy", "data_transfer_approved")
PROPERTY_COLUMNS = ("cpu", "memory_gb", "disk_gb", "engine", "engine_version", "storage_gb", "os", "platform",
                    "state", "hostname", "ip", "country", "datacenter", "exposure", "depends_on")
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("ci id", "ci nummer", "cinummer", "objectid", "object id", "nummer", "configuration item"),
    "name": ("naam", "ci naam", "objectnaam", "servernaam", "omschrijving"),
    "type": ("soort", "ci type", "citype", "objecttype", "categorie", "class"),
    **{column: TAG_ALIASES[column.replace("_", "-")] for column in TAG_COLUMNS},
    "cpu": ("vcpu", "cpus", "aantal cpu", "aantal cpus", "cores", "processors"),
    "memory_gb": ("geheugen", "geheugen gb", "geheugen (gb)", "werkgeheugen", "werkgeheugen gb", "ram", "ram gb",
                  "memory", "memory gib"),
    "disk_gb": ("schijf", "schijf gb", "schijfruimte", "schijfruimte gb", "disk", "disk gib"),
    "engine": ("database engine", "dbms", "databasetype", "database type"),
    "engine_version": ("versie", "engine versie", "dbms versie", "databaseversie"),
    "storage_gb": ("opslag", "opslag gb", "database grootte", "database grootte gb", "storage", "storage gib"),
    "os": ("besturingssysteem", "operating system"),
    "platform": ("virtualisatie", "hypervisor"),
    "state": ("status",),
    "hostname": ("hostnaam", "fqdn", "dns naam"),
    "ip": ("ip adres", "ipadres", "ip address"),
    "country": ("land",),
    "datacenter": ("rekencentrum", "locatie", "datacentrum"),
    "exposure": ("blootstelling", "bereikbaarheid"),
    "depends_on": ("afhankelijk van", "afhankelijkheden", "relaties"),
}
"""Column names as Dutch (and English) CMDB exports write them, beside the canonical names themselves; the tag
columns take the inventory's one list of tag aliases, so a tag and a column are read alike."""
KNOWN = {fold(c): c for c in REQUIRED + TAG_COLUMNS + PROPERTY_COLUMNS}
KNOWN.update({fold(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases})
TYPE_WORDS = {**dict.fromkeys(("server", "vm", "virtuele machine", "virtual machine", "fysieke server", "host"), "server"),
              **dict.fromkeys(("database", "db", "databank", "databaseserver", "database server"), "database"),
              **dict.fromkeys(("storage", "opslag", "fileshare", "bestandsshare", "share", "nas"), "storage"),
              **dict.fromkeys(("s3-bucket", "s3 bucket", "bucket", "object storage", "objectopslag"), "s3-bucket")}
"""CMDB type words (Dutch and English) to the four kinds the import knows."""
COUNTRIES = {**dict.fromkeys(("nederland", "netherlands", "the netherlands", "holland"), "NL"),
             **dict.fromkeys(("duitsland", "germany", "deutschland"), "DE"),
             **dict.fromkeys(("belgie", "belgië", "belgium"), "BE"), **dict.fromkeys(("frankrijk", "france"), "FR"),
             **dict.fromkeys(("ierland", "ireland"), "IE"), **dict.fromkeys(("zweden", "sweden"), "SE"),
             **dict.fromkeys(("verenigd koninkrijk", "united kingdom", "uk", "engeland"), "GB"),
             **dict.fromkeys(("verenigde staten", "united states", "usa", "vs"), "US"),
             **dict.fromkeys(("zwitserland", "switzerland"), "CH"), **dict.fromkeys(("noorwegen", "norway"), "NO")}
STATES = {**dict.fromkeys(("running", "actief", "aan", "in gebruik", "in productie", "operational"), "running"),
          **dict.fromkeys(("stopped", "uit", "uitgeschakeld", "gestopt", "buiten gebruik", "off"), "stopped")}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$", re.I)
MAX_SHOWN = 5


@dataclass(frozen=True, kw_only=True)
class RowError:
    """A problem in one cell (or a whole row, column `(row)`) with its line number."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.message}"


def decimal(text: str, *, decimal_comma: bool = True) -> float:
    """A number as Dutch and English exports write it.

    With a decimal comma (a `;`-separated export: Excel uses `;` exactly where the locale's decimal sign is the
    comma) `1.024,5`, `1024,5` and `2.048` are 1024.5, 1024.5 and 2048; otherwise `1,024.5` and `2,048` are
    1024.5 and 2048. Both signs in one number: the last one is the decimal sign.
    """
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    point, thousands = ("," , ".") if decimal_comma else (".", ",")
    if "," in cleaned and "." in cleaned:
        thousands, point = (".", ",") if cleaned.rfind(",") > cleaned.rfind(".") else (",", ".")
    elif re.match(rf"^-?\d{{1,3}}(\{thousands}\d{{3}})+$", cleaned):
        pass  # 2.048 in a Dutch export, 2,048 in an English one: thousands
    elif thousands in cleaned:
        thousands, point = point, thousands  # 16.5 in a Dutch export: a decimal point after all
    cleaned = cleaned.replace(thousands, "").replace(point, ".")
    if not re.match(r"^-?\d+(\.\d+)?$", cleaned):
        raise ValueError(f"{text!r} is not a number")
    return float(cleaned)


def _number(kind: type, low: float, form: str) -> Callable[..., Any]:
    def read(text: str, *, decimal_comma: bool = True) -> Any:
        try:
            value = decimal(text, decimal_comma=decimal_comma)
        except ValueError:
            raise ValueError(f"{text!r} is not {form}")
        if kind is int:
            if not value.is_integer():
                raise ValueError(f"{text!r} is not {form}")
            value = int(value)
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
    named = COUNTRIES.get(text.strip().lower())
    if named:
        return named
    if not re.match(r"^[A-Za-z]{2}$", text):
        raise ValueError(f"{text!r} is not a two-letter ISO country code such as NL or a known country name")
    return text.upper()


def _state(text: str) -> str:
    return STATES.get(text.strip().lower(), text.strip().lower())


READERS: dict[str, Callable[..., Any]] = {
    "cpu": _number(int, 1, "a whole number of vCPUs"),
    "memory_gb": _number(float, 0.5, "a number of GiB"),
    "disk_gb": _number(float, 0, "a number of GiB"),
    "storage_gb": _number(float, 1, "a number of GiB"),
    "ip": _ip, "hostname": _hostname, "country": _country, "state": _state,
    "exposure": _choice("internal", "public"),
}
NUMBER_COLUMNS = frozenset({"cpu", "memory_gb", "disk_gb", "storage_gb"})
PROPERTY_NAMES = {"cpu": "vcpu", "memory_gb": "memoryGiB", "disk_gb": "diskGiB", "engine_version": "engineVersion",
                  "storage_gb": "storageGiB", "ip": "privateIp"}
ENCODINGS = ("utf-8-sig", "cp1252")
"""Tried in this order: UTF-8 (with or without a byte-order mark), then Windows-1252 as Dutch Excel saves CSV."""


def encoding_note(shown: str, encoding: str) -> str | None:
    """What to tell on stderr when the export was not UTF-8: which encoding read it, and what to check."""
    if encoding == "cp1252":
        return (f"{shown}: not UTF-8; read as Windows-1252 (cp1252), as Dutch Excel saves CSV; check names with "
                "accents in the inventory, or export as CSV UTF-8 to be sure")
    return None


def _unprintable(text: str) -> str | None:
    """The first control or unassigned character in a cell (a C1 control such as U+0081 is a sign of a wrong
    encoding); tab and line breaks inside a quoted cell are text."""
    for char in text:
        if char not in "\t\r\n" and unicodedata.category(char) in ("Cc", "Cf", "Co", "Cn"):
            return f"U+{ord(char):04X}"
    return None


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and the encoding that read it."""
    data = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            failure = error
    raise UserError(f"{display(path)}: byte {failure.start} is neither UTF-8 nor Windows-1252; export the CMDB as "
                    "CSV (UTF-8) from Excel")


def read_rows(path: Path, source_name: str) -> tuple[list[dict[str, Any]], list[RowError], list[RowError], list[str], int, str]:
    """Resources from the good rows, the bad rows' errors, the warnings on cells that were left out, the ignored
    columns, the row count and the encoding.

    A bad *required* cell (id, name, type) loses the row; a bad optional cell is a warning on that cell, and the
    row is imported without it, so one `1.024,0` or `Nederland` never drops a server and what depends on it.
    """
    shown = display(path)
    if not path.is_file():
        raise UserError(f"{shown}: no such file; expected the CMDB export (CSV)")
    text, encoding = read_text(path)
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
                        f"{', '.join(REQUIRED)} (or naam, soort; found: {', '.join(header)})")
    folded = [fold(name) for name in header]
    duplicates = sorted({name for name, key in zip(header, folded) if key and folded.count(key) > 1})
    if duplicates:
        raise UserError(f"{shown}: header: column {duplicates[0]!r} appears twice; keep one")
    for index, column in enumerate(columns):  # two names for one column (Eigenaar and Beheerder): the first wins
        if column and column in columns[:index]:
            ignored.append(header[index])
            columns[index] = None
    records: list[dict[str, Any]] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
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
        for column, cell in values.items():
            character = _unprintable(cell)
            if character:
                warnings.append(RowError(line=line, column=column, message=f"holds the unprintable character "
                                         f"{character}; check the export's encoding (read as {encoding}) and the "
                                         "cell in the CMDB"))
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
        kind = TYPE_WORDS.get(values.get("type", "").lower())
        if "type" in values and kind is None:
            problems.append(RowError(line=line, column="type", message=f"{values['type']!r} is not one of "
                                     f"{', '.join(TYPES)} (or server, database, opslag in Dutch)"))
        if problems or kind is None:  # no kind: an empty or unknown type, a problem recorded above
            errors.extend(problems)
            continue
        properties: dict[str, Any] = {}
        for column in PROPERTY_COLUMNS:
            if column not in values or column == "depends_on":
                continue
            try:
                if column in NUMBER_COLUMNS:
                    value = READERS[column](values[column], decimal_comma=delimiter == ";")
                else:
                    value = READERS.get(column, str)(values[column])
            except ValueError as error:
                warnings.append(RowError(line=line, column=column, message=f"{error}; the cell is left out"))
                continue
            properties[PROPERTY_NAMES.get(column, column)] = value
        if kind == "database" and "engine" not in values:
            warnings.append(RowError(line=line, column="engine", message="is empty; the database is mapped as "
                                     "unsupported until the export names its engine"))
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
            warnings.append(RowError(line=line_number, column="depends_on",
                                     message=f"names {', '.join(map(repr, unknown))}, no (valid) row id in this file; "
                                             "that dependency is left out"))
        known = [d for d in depends if d in good_ids]
        if known:
            record["properties"]["dependsOn"] = sorted(f"cmdb://{source_name}/{d}" for d in known)
    errors.sort(key=lambda e: e.line)
    warnings.sort(key=lambda e: e.line)
    return records, errors, warnings, ignored, len([r for r in rows[1:] if any(c.strip() for c in r)]), encoding


def import_cmdb(path: Path, inventory: Mapping[str, Any] | None, *, source_name: str = "cmdb",
                skip_invalid: bool = False, overrides: Overrides = NONE
                ) -> tuple[dict[str, Any], list[RowError], list[RowError]]:
    """The inventory with this CMDB's rows (replacing an earlier import of the same source name), the invalid
    rows' errors and the warnings on cells left out."""
    if not re.match(r"^[a-z0-9][a-z0-9-]{0,40}$", source_name):
        raise UserError(f"--source-name {source_name!r}: expected a short lower-case name such as cmdb or datacenter-west")
    records, errors, warnings, ignored, total, encoding = read_rows(path, source_name)
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
    sources.append({"kind": "cmdb", "name": source_name, "file": shown, "encoding": encoding, "rows": total,
                    "imported": len(records), "ignoredColumns": ignored, "invalidRows": [str(e) for e in errors],
                    "cellWarnings": [str(w) for w in warnings],
                    "importedAt": datetime.now(timezone.utc).replace(microsecond=0).isoformat()})
    document = build(kept + records, sources=sources, errors=list((inventory or {}).get("errors", [])),
                     generated_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(), overrides=overrides,
                     orphans=(inventory or {}).get("orphans", []))
    return document, errors, warnings
