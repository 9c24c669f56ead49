"""Use cases over the database. Each call opens one short session, acts for an :class:`Actor`, writes the
audit log for changes, and returns frozen records (never live ORM objects)."""
