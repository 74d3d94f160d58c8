"""A data team's analytics workspace: private data lake, Machine Learning per registered algorithm, EU-only AI."""
