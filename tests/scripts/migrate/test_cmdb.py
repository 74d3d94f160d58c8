"""The CMDB import: good rows become resources; malformed files and rows are named by line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from amsterdam_cloud.scripts.cli import main
from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.migrate.cmdb import import_cmdb

HEADER = "id,name,type,application,environment,owner,cpu,memory_gb,engine,ip,depends_on\n"
GOOD = ("web-1,web-01,server,parking,prod,parking@amsterdam.nl,2,8,,10.1.0.4,db-1\n"
        "db-1,db-01,database,parking,prod,parking@amsterdam.nl,4,32,postgres,10.1.0.5,\n")


def write(tmp_path: Path, text: str, name: str = "cmdb.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_good_rows_become_onprem_resources_in_one_workload(tmp_path):
    document, errors, _ = import_cmdb(write(tmp_path, HEADER + GOOD), None)
    assert errors == []
    assert {r["id"]: r["type"] for r in document["resources"]} == {"cmdb://cmdb/db-1": "onprem:database",
                                                                   "cmdb://cmdb/web-1": "onprem:server"}
    assert [w["id"] for w in document["workloads"]] == ["parking/prod"]


def test_depends_on_becomes_an_edge(tmp_path):
    document, *_ = import_cmdb(write(tmp_path, HEADER + GOOD), None)
    assert {"from": "cmdb://cmdb/web-1", "to": "cmdb://cmdb/db-1", "kind": "depends-on"} in document["edges"]


def test_semicolon_separated_excel_export_with_a_bom_is_read(tmp_path):
    text = "\ufeff" + (HEADER + GOOD).replace(",", ";")
    document, *_ = import_cmdb(write(tmp_path, text), None)
    assert len(document["resources"]) == 2


def test_header_names_match_without_case_spaces_or_underscores(tmp_path):
    text = "ID,Name,Type,Memory GB,CPU\nweb-1,web,server,8,2\n"
    document, *_ = import_cmdb(write(tmp_path, text), None)
    assert document["resources"][0]["properties"] == {"vcpu": 2, "memoryGiB": 8.0}


def test_a_missing_required_column_names_the_column(tmp_path):
    with pytest.raises(UserError, match="header: required column 'type' is missing"):
        import_cmdb(write(tmp_path, "id,name\nweb-1,web\n"), None)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(UserError, match="the file is empty"):
        import_cmdb(write(tmp_path, ""), None)


def test_a_windows_1252_export_is_read(tmp_path):
    path = tmp_path / "cmdb.csv"
    path.write_bytes("id;naam;soort\nweb-1;caf\u00e9-\u20ac;server\n".encode("cp1252"))
    document, _, _ = import_cmdb(path, None)
    assert document["resources"][0]["name"] == "caf\u00e9-\u20ac"
    assert document["sources"][-1]["encoding"] == "cp1252"


def test_a_file_that_is_neither_utf8_nor_windows_1252_is_refused(tmp_path):
    path = tmp_path / "cmdb.csv"
    path.write_bytes(b"id,name,type\nweb-1,\x81\xfe,server\n")
    with pytest.raises(UserError, match="neither UTF-8 nor Windows-1252"):
        import_cmdb(path, None)


@pytest.mark.parametrize(("row", "expected"), [
    ("web-2,web-02,mainframe,parking,prod,p@amsterdam.nl,2,8,,,\n", "line 4: type: 'mainframe' is not one of"),
    ("web-1,web-02,server,parking,prod,p@amsterdam.nl,2,8,,,\n", "line 4: id: 'web-1' is already used on line 2"),
    (",web-02,server,parking,prod,p@amsterdam.nl,2,8,,,\n", "line 4: id: is empty"),
    ("web-2,web-02,server,parking,prod\n", "line 4: (row): has 5 fields but the header has 11"),
])
def test_a_row_with_a_bad_required_cell_fails_the_import_naming_line_and_column(tmp_path, row, expected):
    with pytest.raises(UserError) as error:
        import_cmdb(write(tmp_path, HEADER + GOOD + row), None)
    assert expected in str(error.value)


def test_skip_invalid_imports_the_good_rows_and_records_the_bad(tmp_path):
    bad = "web-2,web-02,mainframe,parking,prod,p@amsterdam.nl,1,8,,,\n"
    document, errors, _ = import_cmdb(write(tmp_path, HEADER + GOOD + bad), None, skip_invalid=True)
    assert [str(e) for e in errors] == ["line 4: type: 'mainframe' is not one of server, database, storage, "
                                        "s3-bucket (or server, database, opslag in Dutch)"]
    assert len(document["resources"]) == 2
    assert document["sources"][-1]["invalidRows"] == [str(errors[0])]


def test_a_row_with_an_unclosed_quote_is_reported_by_line(tmp_path):
    text = HEADER + GOOD + 'web-3,"web-03,server,parking,prod,p@amsterdam.nl,2,8,,,\n'
    with pytest.raises(UserError, match="line 4"):
        import_cmdb(write(tmp_path, text), None)


def test_reimporting_the_same_source_replaces_its_rows(tmp_path):
    first, *_ = import_cmdb(write(tmp_path, HEADER + GOOD), None)
    second, *_ = import_cmdb(write(tmp_path, HEADER + GOOD.splitlines(keepends=True)[1]), first)
    assert [r["id"] for r in second["resources"]] == ["cmdb://cmdb/db-1"]


def test_a_failed_import_leaves_the_inventory_file_untouched(tmp_path, capsys):
    csv_path = write(tmp_path, HEADER + GOOD)
    inventory = tmp_path / "inventory.yaml"
    assert main(["migrate", "import-cmdb", str(csv_path), "--output", str(inventory)]) == 0
    before = inventory.read_bytes()
    broken = write(tmp_path, HEADER + "x,y,mainframe,a,prod,o@amsterdam.nl,1,1,,,\n", name="broken.csv")
    assert main(["migrate", "import-cmdb", str(broken), "--inventory", str(inventory)]) == 2
    assert inventory.read_bytes() == before
    assert "cityctl: error:" in capsys.readouterr().err


@pytest.mark.parametrize(("row", "column", "expected"), [
    ("web-2,web-02,server,parking,prod,p@amsterdam.nl,two,8,,,\n", "cpu", "line 4: cpu: 'two' is not a whole number"),
    ("web-2,web-02,server,parking,prod,p@amsterdam.nl,2,8,,10.1.0.999,\n", "privateIp", "line 4: ip: '10.1.0.999' is not"),
    ("web-2,web-02,server,parking,prod,p@amsterdam.nl,2,8,,,nope\n", "dependsOn", "line 4: depends_on: names 'nope'"),
])
def test_a_bad_optional_cell_is_a_warning_on_that_cell_and_the_row_is_kept(tmp_path, row, column, expected):
    document, errors, warnings = import_cmdb(write(tmp_path, HEADER + GOOD + row), None)
    assert errors == []
    kept = next(r for r in document["resources"] if r["id"] == "cmdb://cmdb/web-2")
    assert column not in kept["properties"]
    assert [str(w) for w in warnings][0].startswith(expected)


DUTCH_EXPORT = (
    "CI-nummer;Naam;Soort;Applicatie;Omgeving;Eigenaar;Kostenplaats;Classificatie;Aantal CPU;Geheugen (GB);"
    "Opslag (GB);Database engine;Versie;Land;Status;Afhankelijk van\r\n"
    "SRV-001;parkeer-web-01;Server;Parkeren;Productie;Team Parkeren;5120;vertrouwelijk;4;16,0;;;;Nederland;Actief;DB-001\r\n"
    "DB-001;parkeer-db;Database;Parkeren;Productie;Team Parkeren;5120;vertrouwelijk;8;64,0;1.024,5;PostgreSQL;13;NL;Actief;\r\n"
    "SRV-002;parkeer-batch;Server;Parkeren;Productie;Team Parkeren;5120;vertrouwelijk;2;8;;;;Nederlnd;Uit;DB-001\r\n"
    "NAS-01;parkeer-share (één);Opslag;Parkeren;Productie;Team Parkeren;5120;intern;;;2.048;;;Nederland;Actief;\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_a_dutch_excel_export_imports_every_row(tmp_path, encoding):
    path = tmp_path / "cmdb.csv"
    path.write_bytes(DUTCH_EXPORT.encode(encoding))
    document, errors, warnings = import_cmdb(path, None)
    assert errors == []
    assert document["sources"][-1]["imported"] == 4
    by_name = {r["name"]: r for r in document["resources"]}
    assert by_name["parkeer-db"]["properties"]["memoryGiB"] == 64.0
    assert by_name["parkeer-share (één)"]["properties"]["storageGiB"] == 2048.0
    assert document["sources"][-1]["encoding"] == encoding
    assert by_name["parkeer-db"]["properties"]["allocatedStorageGiB"] == 1024.5
    assert by_name["parkeer-db"]["properties"]["engine"] == "postgresql"
    assert by_name["parkeer-share (één)"]["type"] == "onprem:storage"
    assert by_name["parkeer-web-01"]["properties"]["country"] == "NL"
    assert by_name["parkeer-batch"]["properties"]["state"] == "stopped"
    assert [str(w) for w in warnings] == ["line 4: country: 'Nederlnd' is not a two-letter ISO country code such as "
                                          "NL or a known country name; the cell is left out"]
    assert [w["id"] for w in document["workloads"]] == ["parkeren/prod"]
    assert document["workloads"][0]["owner"] == "Team Parkeren"


@pytest.mark.parametrize(("text", "decimal_comma", "value"), [
    ("1.024,5", True, 1024.5), ("1024,5", True, 1024.5), ("2.048", True, 2048.0), ("16.5", True, 16.5),
    ("1,024.5", False, 1024.5), ("2,048", False, 2048.0), ("16,5", False, 16.5), ("1.024,5", False, 1024.5),
    ("16", True, 16.0),
])
def test_decimal_commas_and_thousands_separators_read_as_the_export_means_them(text, decimal_comma, value):
    from amsterdam_cloud.scripts.migrate.cmdb import decimal
    assert decimal(text, decimal_comma=decimal_comma) == value


def test_a_windows_1252_import_says_on_stderr_which_encoding_read_it(tmp_path, capsys):
    path = tmp_path / "cmdb.csv"
    path.write_bytes("id;naam;soort\nweb-1;caf\u00e9;server\n".encode("cp1252"))
    assert main(["migrate", "import-cmdb", str(path), "--output", str(tmp_path / "inventory.yaml")]) == 0
    assert f"note: {path}: not UTF-8; read as Windows-1252 (cp1252)" in capsys.readouterr().err


def test_a_utf8_import_has_no_encoding_note(tmp_path, capsys):
    assert main(["migrate", "import-cmdb", str(write(tmp_path, HEADER + GOOD)), "--output",
                 str(tmp_path / "inventory.yaml")]) == 0
    assert "note:" not in capsys.readouterr().err


@pytest.mark.parametrize(("name", "character"), [("web\u008101", "U+0081"), ("web\u000701", "U+0007")])
def test_a_cell_with_an_unprintable_character_is_a_warning_naming_line_column_and_character(tmp_path, name,
                                                                                            character):
    document, errors, warnings = import_cmdb(write(tmp_path, HEADER + GOOD.replace("web-01", name)), None)
    assert errors == []
    assert [str(w) for w in warnings] == [f"line 2: name: holds the unprintable character {character}; check the "
                                          "export's encoding (read as utf-8-sig) and the cell in the CMDB"]
