"""Self-service kiosk of the hall: touchscreen app (Qt Quick) over the queue server's HTTP API."""

__version__ = "0.1.0"
