"""Bolt listeners, one module per Slack surface. Each module's `register` wires its listeners."""
