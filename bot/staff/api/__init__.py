"""The staff REST API (JSON, OpenAPI at /api/openapi.json), with token auth and staff roles."""
