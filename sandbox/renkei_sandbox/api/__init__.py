"""Adapters: the generated service protocols implemented over the domain services."""
