"""The front door: what a request goes through before Bolt sees it, and answers given in place
of a listener's (bounds, verification, shapes, replays, the deadline)."""
