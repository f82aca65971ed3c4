"""Queue server: catalogue, tickets, routing, services, HTTP API, web pages and CLI."""
