"""The App Home: the tab each member opens to see their own partners and promises (`view`)."""
