"""Operations' monitoring parts: private log ingestion (AMPLS), VNet flow logs and baseline metric alerts."""
