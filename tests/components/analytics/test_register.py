"""The register check: what an environment that requires register entries refuses, and what it lets through."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.analytics.register import (TAG, RegisterError, RegisterPolicy, check_register_entry,
                                                           register_tags)

REGISTER = {
    "1001": {"lars": "1001", "status": "In gebruik", "publication_category": "Overige algoritmes"},
    "1002": {"lars": "1002", "status": "In ontwikkeling", "publication_category": "Overige algoritmes"},
    "1003": {"lars": "1003", "status": "In gebruik", "publication_category": "Impactvolle algoritmes",
             "impacttoetsen": [{"name": "DPIA", "date": "2025-01-01"}]},
    "1004": {"lars": "1004", "status": "In gebruik", "publication_category": "Impactvolle algoritmes",
             "impacttoetsen": [{"name": "DPIA"}, {"name": "IAMA"}]},
}
REQUIRED = RegisterPolicy(register=REGISTER)
RELAXED = RegisterPolicy(require_entry=False, register=REGISTER)


def test_missing_register_id_is_refused_naming_the_algorithm_and_the_fix():
    with pytest.raises(RegisterError, match=r"algorithm 'risk' has no register id.*set its registerId"):
        check_register_entry("risk", None, REQUIRED)


def test_register_id_missing_from_the_snapshot_is_refused():
    with pytest.raises(RegisterError, match=r"9999 is not in the register snapshot"):
        check_register_entry("risk", "9999", REQUIRED)


def test_status_the_environment_does_not_accept_is_refused():
    with pytest.raises(RegisterError, match=r"status 'In ontwikkeling'"):
        check_register_entry("risk", "1002", REQUIRED)


def test_status_the_environment_accepts_builds():
    policy = RegisterPolicy(register=REGISTER, allowed_statuses=("In ontwikkeling", "In gebruik"))
    assert check_register_entry("risk", "1002", policy) is REGISTER["1002"]


def test_impactful_algorithm_without_a_human_rights_assessment_is_refused():
    with pytest.raises(RegisterError, match=r"impactful but records no IAMA"):
        check_register_entry("risk", "1003", REQUIRED)


def test_impactful_algorithm_with_its_assessments_builds():
    assert check_register_entry("risk", "1004", REQUIRED)["lars"] == "1004"


def test_relaxed_policy_builds_an_unregistered_algorithm():
    assert check_register_entry("risk", None, RELAXED) is None
    assert check_register_entry("risk", "9999", RELAXED) is None


def test_malformed_register_id_is_refused_even_when_entries_are_not_required():
    with pytest.raises(RegisterError, match=r"is not a register id"):
        check_register_entry("risk", "id with spaces", RELAXED)


def test_default_policy_checks_against_the_repo_snapshot():
    assert check_register_entry("vakantie", "90127502", RegisterPolicy())["name"].startswith("Risicoprioritering")


def test_unknown_status_in_the_policy_is_refused():
    with pytest.raises(RegisterError, match=r"allowed_statuses"):
        RegisterPolicy(allowed_statuses=("Live",))


def test_register_tags_add_the_id_and_keep_the_given_tags():
    assert register_tags({"owner": "a@amsterdam.nl"}, "1001") == {"owner": "a@amsterdam.nl", TAG: "1001"}
    assert TAG not in register_tags({"owner": "a@amsterdam.nl"}, None)
