"""What Rapport does with partners beyond logging a contact: the lists of `/rapport` (`lists`)
a partner's card and profile (`cards`), and their promises to us marked received or dropped
(`their_promises`)."""
