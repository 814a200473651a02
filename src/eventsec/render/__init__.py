"""The PDF readiness plan: one document per venue, built from the resolved, assessed plan only."""
