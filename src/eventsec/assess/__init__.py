"""Stage 4, assessment: safety figures (entry, egress, capacity, stewarding, medical) and
readiness (deadlines, scores, go/no-go) computed from a resolved plan."""
