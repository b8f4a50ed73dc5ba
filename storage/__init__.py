"""Rapport's database: models, sessions, queries, migrations. Imports nothing else of Rapport's."""
