"""After hours: the hint answering a message in a shared channel (`hints`), and last week's
figures for a member's own nudge DM (`figures`)."""
