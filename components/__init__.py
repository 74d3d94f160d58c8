"""Reusable Pulumi ComponentResources for the city's landing zone, application hosting and digital workplace."""
