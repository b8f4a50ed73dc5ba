"""What partner health reads, kept current in the partners' rows (migration 0026)."""
