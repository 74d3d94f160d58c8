"""Data platforms a migrated app may use: Data Factory, Synapse, Databricks, Redis Enterprise."""
