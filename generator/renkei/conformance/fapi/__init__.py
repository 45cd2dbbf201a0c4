"""The FAPI 2.0 check group (`renkei conformance --group fapi`): what a partner can test from outside
of a FAPI 2.0 provider (PAR, private_key_jwt, DPoP-bound tokens, refresh-token rotation).
See docs/conformance.md."""
