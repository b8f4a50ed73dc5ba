"""Figures a member is told about their own week, in their own nudge DM only."""
