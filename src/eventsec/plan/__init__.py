"""Stage 2, the plan: a venue's plan resolved from library, tournament, country, venue and
match layers, with the origin of every value; conditions, computed parameters and phases."""
