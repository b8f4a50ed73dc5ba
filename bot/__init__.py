"""Rapport's core: settings, the app factory, the CLI, domain rules, parsing and message texts."""
