"""Offline stand-ins for the web APIs the ingester talks to (tests, demo, benchmarks).

Not part of the production ingest path: nothing in ``jobs`` imports this package.
"""
