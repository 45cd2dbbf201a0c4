"""The standard's own checks, which schemathesis does not know (plain httpx against the deployment)."""
