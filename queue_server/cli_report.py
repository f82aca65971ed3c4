"""`queue-server report`: a hall's report over business days, as CSV, XLSX or a table on screen."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

BY = ("hall", "zone", "item", "window", "clerk", "day", "week", "month")


def cmd_report(args: argparse.Namespace) -> int:
    from .cli_access import cli_actor
    from .runtime import open_context
    from .services import report_export, reports

    ctx = open_context(args.db)
    rep = reports.report(ctx, cli_actor(), args.hall, args.first, args.to, args.by)
    if args.format == "text":
        for row in report_export.table(rep):
            print("\t".join("—" if v is None else str(v) for v in row))
        return 0
    body = report_export.to_csv(rep) if args.format == "csv" else report_export.to_xlsx(rep)
    if args.output in (None, "-"):
        sys.stdout.buffer.write(body)
    else:
        Path(args.output).write_bytes(body)
        print(f"报表已写入 / report written: {args.output} ({len(rep['rows'])} rows)", file=sys.stderr)
    return 0


def add_parser(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
) -> None:
    p = with_db(sub.add_parser("report", help="a hall's report over business days (CSV, XLSX or text)"))
    p.add_argument("--hall", required=True)
    p.add_argument("--from", dest="first", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", type=date.fromisoformat, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--by", choices=BY, default="item")
    p.add_argument("--format", choices=("csv", "xlsx", "text"), default="text")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_report)
