"""Live events: fan-out of committed hall events to Server-Sent Event streams, across processes."""
