"""`renkei conformance`: test a deployment against the standard (schemathesis and the standard's checks)."""
