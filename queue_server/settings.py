"""Where the server keeps its data and which database it uses."""

import os
from pathlib import Path


def data_dir() -> Path:
    """The server's data directory: $QUEUE_DATA_DIR, else ./data next to where it runs."""
    path = Path(os.environ.get("QUEUE_DATA_DIR", "data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(cli_value: str | None = None) -> str:
    """`--db URL`, else $QUEUE_DB_URL, else an SQLite file in the data directory."""
    if cli_value:
        return cli_value
    if env := os.environ.get("QUEUE_DB_URL"):
        return env
    return f"sqlite:///{data_dir() / 'queue.sqlite3'}"
