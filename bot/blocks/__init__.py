"""Block Kit built from plain values: replies, the contact form, nudge DMs, lists."""
