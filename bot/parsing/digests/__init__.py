"""Reading `/rapport digest …`."""
