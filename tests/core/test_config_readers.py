"""The config readers every stack and the app template read with: typed values, one message form."""

from __future__ import annotations

import re

import pytest

from amsterdam_cloud.core.config_readers import (boolean, integer, list_of, matching, read_project_keys, region,
                                                 section, show)
from amsterdam_cloud.core.program_config import ConfigError, SecretValue


def test_scalars_read_as_the_cli_hands_them_over_as_strings():
    assert boolean("f.yaml", "p:on", "true") is True and boolean("f.yaml", "p:on", False) is False
    assert integer(1, 10)("f.yaml", "p:n", "7") == 7
    assert region("f.yaml", "p:location", "West Europe") == "westeurope"


def test_a_wrong_value_names_file_key_form_and_what_was_given():
    with pytest.raises(ConfigError, match=r"^f.yaml: p:n: expected a whole number from 1 to 10, got 11$"):
        integer(1, 10)("f.yaml", "p:n", 11)
    with pytest.raises(ConfigError, match=r"^f.yaml: p:on: expected true or false, got str 'yes'$"):
        boolean("f.yaml", "p:on", "yes")
    with pytest.raises(ConfigError, match=r"expected a whole number from 1 to 10, got bool True"):
        integer(1, 10)("f.yaml", "p:n", True)


def test_a_secret_is_never_shown_in_a_message():
    assert show(SecretValue(value="hunter2")) == "a secret"
    with pytest.raises(ConfigError) as error:
        matching(re.compile("^x$"), "x")("f.yaml", "p:key", SecretValue(value="hunter2"))
    assert "hunter2" not in str(error.value)


def test_a_list_names_the_item_that_is_wrong_and_refuses_repeats_when_distinct():
    read = list_of(integer(1, 5), distinct=True)
    assert read("f.yaml", "p:ports", "[1, 2]") == (1, 2)  # structured values arrive as JSON text from the CLI
    with pytest.raises(ConfigError, match=r"f.yaml: p:ports\[1\]: expected a whole number from 1 to 5"):
        read("f.yaml", "p:ports", [1, 9])
    with pytest.raises(ConfigError, match=r"p:ports: \[1, 1\] names an entry twice"):
        read("f.yaml", "p:ports", [1, 1])
    with pytest.raises(ConfigError, match=r"p:ports: expected a non-empty list"):
        read("f.yaml", "p:ports", [])


def test_a_section_refuses_unknown_and_missing_keys():
    fields = {"on": boolean, "size": integer(1, 5)}
    assert section("f.yaml", "p:s", {"on": True}, fields, frozenset()) == {"on": True}
    with pytest.raises(ConfigError, match=r"f.yaml: p:s.of: unknown key; expected one of on, size"):
        section("f.yaml", "p:s", {"of": True}, fields, frozenset())
    with pytest.raises(ConfigError, match=r"f.yaml: p:s.size: required key is missing"):
        section("f.yaml", "p:s", {"on": True}, fields, frozenset({"size"}))


def test_project_keys_refuse_a_typo_and_another_namespace_and_a_stack_mismatch():
    fields = {"environment": matching(re.compile("^[a-z]+$"), "an environment")}
    read = dict(project="p", fields=fields, required=frozenset(fields), source="f.yaml")
    assert read_project_keys({"p:environment": "dev", "azure-native:location": "westeurope"}, stack="dev",
                             **read) == {"environment": "dev"}
    with pytest.raises(ConfigError, match=r"f.yaml: p:enviroment: unknown key; expected one of p:environment"):
        read_project_keys({"p:enviroment": "dev"}, stack="dev", **read)
    with pytest.raises(ConfigError, match=r"f.yaml: q:environment: unknown key"):
        read_project_keys({"q:environment": "dev", "p:environment": "dev"}, stack="dev", **read)
    with pytest.raises(ConfigError, match=r"p:environment: says 'dev' but the stack is 'prod'"):
        read_project_keys({"p:environment": "dev"}, stack="prod", **read)


def test_a_record_inside_a_value_names_the_inner_key_and_with_a_form_says_the_whole_form():
    from amsterdam_cloud.core.config_readers import record

    inner = record({"n": integer(1, 10)}, frozenset({"n"}))
    with pytest.raises(ConfigError, match=r"^f.yaml: p:x.n: expected a whole number from 1 to 10, got 11$"):
        inner("f.yaml", "p:x", {"n": 11})
    shaped = record({"n": integer(1, 10)}, frozenset({"n"}), form="{n: <1-10>}")
    with pytest.raises(ConfigError, match=r"^f.yaml: p:x: \{\}; expected \{n: <1-10>\}$"):
        shaped("f.yaml", "p:x", {})


def test_collections_read_each_entry_under_its_own_key():
    from amsterdam_cloud.core.config_readers import mapping_of, optional, text

    names = mapping_of(matching(re.compile(r"^[A-Z_]+$"), "an upper-case name"), text(5))
    assert names("f.yaml", "p:env", {"LOG": "info", "EMPTY": ""}) == {"LOG": "info", "EMPTY": ""}
    with pytest.raises(ConfigError, match=r"^f.yaml: p:env.log: expected an upper-case name, got str 'log'$"):
        names("f.yaml", "p:env", {"log": "info"})
    with pytest.raises(ConfigError, match=r"^f.yaml: p:env.LOG: expected text of at most 5 characters"):
        names("f.yaml", "p:env", {"LOG": "verbose"})
    with pytest.raises(ConfigError, match=r"^f.yaml: p:disks: 3 entries; expected at most 2$"):
        list_of(integer(1, 9), most=2)("f.yaml", "p:disks", [1, 2, 3])
    assert optional(integer(1, 9))("f.yaml", "p:n", None) is None


def test_a_number_choice_refuses_a_boolean_and_other_sizes():
    from amsterdam_cloud.core.config_readers import number_of

    sizes = number_of((0.5, 1.0, 2.0))
    assert sizes("f.yaml", "p:cpu", 1) == 1
    for value in (True, 1.5, "1"):
        with pytest.raises(ConfigError, match=r"^f.yaml: p:cpu: expected one of 0.5, 1, 2, got "):
            sizes("f.yaml", "p:cpu", value)


def test_the_json_schema_of_a_reader_is_generated_from_its_limits():
    import jsonschema

    from amsterdam_cloud.core.config_readers import json_schema, one_of, record

    reader = record({"id": matching(re.compile(r"^[a-f]{2}$", re.IGNORECASE), "two hex letters"),
                     "n": integer(1, 10), "tags": list_of(one_of(("a", "b")), most=2)}, frozenset({"id"}))
    validator = jsonschema.Draft202012Validator(json_schema(reader))
    for value in ({"id": "aB", "n": 3, "tags": ["a"]}, {"id": "zz"}, {"id": "ab", "n": 11}, {"n": 1},
                  {"id": "ab", "tags": ["a", "b", "a"]}, {"id": "ab", "x": 1}):
        try:
            reader("f.yaml", "p:x", value)
            accepted = True
        except ConfigError:
            accepted = False
        assert validator.is_valid(value) == accepted, value
    with pytest.raises(TypeError, match="no JSON Schema form"):
        json_schema(region)


def test_a_value_with_a_trailing_newline_is_refused_though_the_pattern_ends_in_dollar():
    cost_center = matching(re.compile(r"^CC-\d{4,6}$"), "a cost centre such as CC-4120")
    with pytest.raises(ConfigError, match=r"^f.yaml: p:costCenter: expected a cost centre such as CC-4120, got str "
                                          r"'CC-4120\\n'$"):
        cost_center("f.yaml", "p:costCenter", "CC-4120\n")
