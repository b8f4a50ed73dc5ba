"""After hours: records of messages that reached people outside their hours, the day's hints
and mutes (`hints`), and the counts for a member's weekly line (`figures`)."""
