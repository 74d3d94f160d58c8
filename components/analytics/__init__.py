"""The analytics workspace of a data team: a private data lake, Azure Machine Learning per registered algorithm, AI services."""
