"""Generated passwords meet Azure's complexity rules and are never the same twice."""

from __future__ import annotations

from amsterdam_cloud.components.credentials import SYMBOLS, generate_password


def test_generated_passwords_have_every_character_class_and_the_asked_length():
    password = generate_password(24)
    assert len(password) == 24
    assert any(c.isupper() for c in password) and any(c.islower() for c in password)
    assert any(c.isdigit() for c in password) and any(c in SYMBOLS for c in password)


def test_two_generated_passwords_differ():
    assert generate_password() != generate_password()
