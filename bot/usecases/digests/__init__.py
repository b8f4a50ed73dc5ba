"""Team-channel digests: subscribing a channel, what a digest lists, and its buttons."""
