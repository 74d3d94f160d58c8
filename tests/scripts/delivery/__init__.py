"""Tests of the delivery tooling: plan diff, deploy gate, deploy command, pipeline definitions."""
