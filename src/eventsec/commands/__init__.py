"""Commands kept in their own modules and registered on the main group by ``eventsec.cli``."""
