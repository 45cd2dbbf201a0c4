"""The standard's guideline rules; importing this package registers them (see docs/rules.md)."""

from generator.checking.rules import amounts, codes, operations, responses, schemas, versioning

__all__ = ["amounts", "codes", "operations", "responses", "schemas", "versioning"]
