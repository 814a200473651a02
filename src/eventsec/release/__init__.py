"""Stage 5, release: what a plan released at a given level may show, as a pure transform of
the assembled plan report."""
