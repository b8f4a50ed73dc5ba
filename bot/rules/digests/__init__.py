"""Team-channel digests: when they post, and what they list."""
