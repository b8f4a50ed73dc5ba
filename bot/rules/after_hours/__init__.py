"""After hours: whom a message in a shared channel reaches outside their hours (`reach`), and
how often a member did so last week, for their own nudge DM alone (`week`)."""
