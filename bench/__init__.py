"""Benchmarks: each compares renkei side by side with a peer or a baseline in one run."""
