"""Renderers of a check result: text for people, JSON, SARIF 2.1.0, JUnit XML, and the evidence report."""
