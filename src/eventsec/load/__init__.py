"""Stage 1, loading: YAML documents with the position of every value, checked against the
schemas, indexed across files, and the workspace model later stages read."""
