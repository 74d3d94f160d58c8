"""EU data residency: where resources, their replicas and their processing live."""
