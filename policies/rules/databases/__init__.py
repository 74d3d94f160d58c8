"""Databases: Azure SQL, PostgreSQL and MySQL flexible servers, Cosmos DB and Redis."""
