"""After hours: the hint shown to the sender of a message in a shared channel (`hint`)."""
