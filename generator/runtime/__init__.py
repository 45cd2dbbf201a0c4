"""Runtime support imported by generated code: domain types, server machinery, client base classes."""
