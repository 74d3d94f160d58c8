"""Tests of the migration tooling (scripts/migrate and `cityctl migrate`)."""
