"""Benchmarks and load-test tooling (never imported by the running app)."""
