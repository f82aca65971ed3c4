"""The service layer: the one place where the queue's state changes.

Every entry point (HTTP API, CLI, web pages) calls these functions. Each change runs in one
`UnitOfWork`, which writes the audit event and the live event in the same transaction as the change
and publishes the live events only after the commit.
"""
