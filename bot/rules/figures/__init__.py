"""Figures counted for one member about their own week, from plain values."""
