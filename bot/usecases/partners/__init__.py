"""What Rapport does with partners beyond logging a contact: the lists of `/rapport` (`lists`)
and a partner's card and profile (`cards`)."""
