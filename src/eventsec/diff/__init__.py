"""Stage 6, diff: what changed between two workspaces or two git revisions of one, for review
and for a plan's "changes since" section."""
