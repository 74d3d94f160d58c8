"""The platform's one Pulumi program (`__main__.py`) and its typed stack configuration (`config.py`)."""
