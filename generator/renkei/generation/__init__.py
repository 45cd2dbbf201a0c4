"""`renkei generate`: OpenAPI documents -> generated packages (models, service, server, client)."""
