"""HTTP API (FastAPI). Thin: parses requests, calls the service layer, shapes responses."""
