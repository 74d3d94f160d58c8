"""CrossGuard policy rules and packs: EU data residency, the BIO security baseline, tags and the algorithm register."""
