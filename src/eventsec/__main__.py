"""Allow ``python -m eventsec``."""

from eventsec.cli import main

main()
