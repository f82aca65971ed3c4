"""Pure domain rules: no database, no web, no clock of their own (callers pass `now`)."""
