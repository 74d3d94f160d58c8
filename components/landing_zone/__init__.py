"""The city's landing zone: management, connectivity (hub), spokes, guardrails and the address plan."""
