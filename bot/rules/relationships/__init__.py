"""How a relationship with a partner stands: in balance or one-sided (`contact_balance`), and
its health on a day (`health`), decided once for lists, cards, digests and the Home tab."""
