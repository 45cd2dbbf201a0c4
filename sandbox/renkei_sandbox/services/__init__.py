"""Domain services over the database, used by the API adapters. They know nothing about HTTP."""
