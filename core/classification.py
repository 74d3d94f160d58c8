"""The BIO (Baseline Informatiebeveiliging Overheid) data classification levels every resource is tagged with."""

from __future__ import annotations

DATA_CLASSIFICATIONS: tuple[str, ...] = ("BBN1", "BBN2", "BBN3")
"""Basisbeveiligingsniveau 1 to 3, lowest to highest: the `data-classification` tag's values."""
