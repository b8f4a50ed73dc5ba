"""Every text a person reads, in English and German, and the reader's language, zone and dates."""
