"""Readiness: deadlines from phases, scores by domain, go/no-go. Rules in docs/readiness.md."""
