"""Deterministic demo data: the labour banks, customers, accounts, transactions and card data."""
