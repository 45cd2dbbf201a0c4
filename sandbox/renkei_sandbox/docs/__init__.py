"""The reference at /docs, each API's bundled OpenAPI document at /<api>/openapi.json, and the
interactive console (Swagger UI, from the fastapi-offline package's files) at /docs/console/<api>.

The sandbox never imports the toolkit: the reference is built by `renkei docs` when `make generate` runs
(into `renkei_sandbox/reference/`, package data, checked by `make check-generated`), and the documents are
the ones each generated package carries (`renkei_<api>/openapi.json`)."""
