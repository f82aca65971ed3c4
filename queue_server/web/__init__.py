"""Web pages served by the queue server: clerk terminal, evaluation pad, counter and hall displays,
manager console, citizen status page. Plain HTML + CSS + ES modules, no build step."""

from .routes import router

__all__ = ["router"]
